package cwnb

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"github.com/cwnb/cwnb/cwnb/internal/export"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// safeCell returns a text cell that a spreadsheet shows as text: one starting with =, +, -, @, a
// tab or a carriage return (what spreadsheets evaluate as a formula, OWASP's "CSV injection") gets
// a leading single quote, unless it is a plain decimal number, which cannot be a formula.
func safeCell(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) || plainNumber.MatchString(s) {
		return s
	}
	return "'" + s
}

// plainNumber matches a decimal number: what a spreadsheet reads as a number, not a formula.
var plainNumber = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

// safeCells applies safeCell to each cell of a copy of row.
func safeCells(row []string) []string {
	out := make([]string, len(row))
	for i, s := range row {
		out[i] = safeCell(s)
	}
	return out
}

func fmtCSV(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// WriteCSV writes the wide frame as CSV: a header, then one row per period; the first column is
// the timestamp in RFC 3339 UTC and a missing value is an empty cell. The output is safe to open
// in a spreadsheet: a header (a column name comes from labels and dimension values, which anyone
// who can publish a metric controls) that starts with =, +, -, @, a tab or a carriage return is
// written with a leading single quote, so that it is shown as text and never evaluated as a
// formula ("=HYPERLINK(...)" becomes "'=HYPERLINK(...)"). Numbers are written as numbers
// (-5 stays -5). The JSON export keeps every text as it is.
func (r *Result) WriteCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	cw := csv.NewWriter(bw)
	header := append([]string{TimeColumn}, r.Columns()...)
	if err := cw.Write(safeCells(header)); err != nil {
		return err
	}
	cols := make([][]float64, len(r.Series))
	for i := range r.Series {
		cols[i] = r.filled(&r.Series[i])
	}
	row := make([]string, len(header))
	for i, t := range r.Times() {
		row[0] = t.UTC().Format(time.RFC3339) // whole seconds in UTC: 2026-11-19T10:00:00Z
		for k := range cols {
			row[k+1] = fmtCSV(cols[k][i])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

func init() {
	export.LongCSV = func(r any, w io.Writer) error { return r.(*Result).writeLongCSV(w) }
	export.JSON = func(r any, w io.Writer) error { return r.(*Result).writeJSON(w) }
}

// writeLongCSV writes the long frame as CSV, one row per datapoint, values in full precision.
// Text cells and headers are made spreadsheet-safe as in WriteCSV. The command reaches it as
// export.LongCSV.
func (r *Result) writeLongCSV(w io.Writer) error {
	dims := r.dimNames()
	bw := bufio.NewWriter(w)
	cw := csv.NewWriter(bw)
	header := []string{TimeColumn, "region", "id", "label", "namespace", "metric", "stat"}
	for _, d := range dims {
		header = append(header, longDimColumn(d))
	}
	header = append(header, "value")
	if err := cw.Write(safeCells(header)); err != nil {
		return err
	}
	times := timeStrings(r.Times())
	row := make([]string, len(header))
	for _, s := range r.Series {
		text := safeCells([]string{s.Region, s.ID, s.Label, s.Namespace, s.Metric, s.Stat})
		dimCells := make([]string, len(dims))
		for k, d := range dims {
			dimCells[k] = safeCell(s.Dims[d])
		}
		for i, v := range s.Values {
			if math.IsNaN(v) {
				continue
			}
			row = append(row[:0], times[i], text[0], text[1], text[2], text[3], text[4], text[5])
			row = append(row, dimCells...)
			row = append(row, fmtCSV(v))
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// jsonFloat is a float that encodes NaN as null.
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
		return []byte("null"), nil
	}
	return []byte(strconv.FormatFloat(float64(f), 'g', -1, 64)), nil
}

// writeJSON writes the result as one JSON object: the window, period, calls, cost, warnings,
// the timestamps (RFC 3339 UTC) and every series with its metadata and values (null where
// missing). The command reaches it as export.JSON.
func (r *Result) writeJSON(w io.Writer) error {
	type jseries struct {
		Column     string      `json:"column"`
		ID         string      `json:"id"`
		Label      string      `json:"label"`
		Region     string      `json:"region"`
		Kind       string      `json:"kind"`
		Namespace  string      `json:"namespace,omitempty"`
		Metric     string      `json:"metric,omitempty"`
		Dims       Dims        `json:"dimensions,omitempty"`
		Stat       string      `json:"stat,omitempty"`
		Unit       string      `json:"unit,omitempty"`
		Period     string      `json:"period"`
		AccountID  string      `json:"account,omitempty"`
		Expression string      `json:"expression,omitempty"`
		Status     string      `json:"status"`
		Values     []jsonFloat `json:"values"`
	}
	out := struct {
		Title            string    `json:"title,omitempty"`
		Start            string    `json:"start"`
		End              string    `json:"end"`
		Period           string    `json:"period"`
		PeriodAuto       bool      `json:"period_auto"`
		Calls            int       `json:"calls"`
		MetricsRequested int       `json:"metrics_requested"`
		Cost             float64   `json:"estimated_cost_usd"`
		Warnings         []string  `json:"warnings"`
		Messages         any       `json:"messages,omitempty"` // the call-level messages, when there are any
		Timestamps       []string  `json:"timestamps"`
		Series           []jseries `json:"series"`
	}{
		Title: r.Title, Start: r.Start.Format(time.RFC3339), End: r.End.Format(time.RFC3339),
		Period: fmtDur(r.Period), PeriodAuto: r.PeriodAuto, Calls: r.Calls, MetricsRequested: r.MetricsRequested,
		Cost: r.Cost, Warnings: []string{}, Timestamps: timeStrings(r.Times()),
		Series: []jseries{},
	}
	for _, w := range r.Warnings {
		out.Warnings = append(out.Warnings, w.Text)
	}
	if len(r.Messages) > 0 {
		out.Messages = r.Messages
	}
	for _, s := range r.Series {
		col := r.filled(&s)
		vs := make([]jsonFloat, len(col))
		for i, v := range col {
			vs[i] = jsonFloat(v)
		}
		out.Series = append(out.Series, jseries{Column: s.Column, ID: s.ID, Label: s.Label, Region: s.Region, Kind: s.Kind,
			Namespace: s.Namespace, Metric: s.Metric, Dims: s.Dims, Stat: s.Stat, Unit: s.Unit, Period: fmtDur(s.Period),
			AccountID: s.AccountID, Expression: s.Expression, Status: s.Status, Values: vs})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
