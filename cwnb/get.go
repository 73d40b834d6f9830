package cwnb

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// GetRequest is what the `cwnb get` command asks for, as strings from its flags. Query turns it
// into a Query; Get loads it and writes the frame.
type GetRequest struct {
	Namespace string
	Metric    string
	Dims      []string // "Name=Value"
	Stats     string   // "Average,p99"; "" is Average
	Unit      string
	Label     string
	Period    string // "1m"; "" is automatic
	Start     string // RFC 3339
	End       string // RFC 3339
	Since     string // "24h": a relative window instead of Start/End
	Exprs     []string
	Searches  []string // a SEARCH text ("{AWS/EC2,InstanceId} CPUUtilization") or a full SEARCH(...)
	File      string   // an investigation YAML file, instead of the flags above
	Regions   []string
	Fill      string // nan, zero, ffill, linear
	Format    string // csv (default), json, long (CSV of the long frame)
}

// Query builds the Query g describes, checking every flag.
func (g GetRequest) Query() (Query, error) {
	if g.File != "" {
		if g.Namespace != "" || g.Metric != "" || len(g.Exprs) > 0 || len(g.Searches) > 0 {
			return Query{}, fmt.Errorf("-file gives the metrics; drop -namespace, -metric, -expr and -search")
		}
		inv, err := ReadInvestigation(g.File)
		if err != nil {
			return Query{}, err
		}
		q := inv.Query
		if len(g.Regions) > 0 {
			q.Regions = g.Regions
		}
		if err := g.applyCommon(&q, true); err != nil {
			return Query{}, err
		}
		return q, nil
	}
	var q Query
	if g.Metric != "" || g.Namespace != "" {
		if g.Metric == "" || g.Namespace == "" {
			return q, fmt.Errorf("-namespace and -metric go together; give both (for example -namespace AWS/EC2 -metric CPUUtilization)")
		}
		m := Metric{Namespace: g.Namespace, Name: g.Metric, Unit: g.Unit, Label: g.Label}
		if len(g.Dims) > 0 {
			m.Dims = Dims{}
		}
		for _, kv := range g.Dims {
			k, v, ok := strings.Cut(kv, "=")
			if !ok || k == "" || v == "" {
				return q, fmt.Errorf("-dim %q: write it as Name=Value, for example -dim InstanceId=i-0abc", kv)
			}
			if _, dup := m.Dims[k]; dup {
				return q, fmt.Errorf("-dim %s is given twice", k)
			}
			m.Dims[k] = v
		}
		for _, s := range strings.Split(g.Stats, ",") {
			if s = strings.TrimSpace(s); s != "" {
				m.Stats = append(m.Stats, s)
			}
		}
		q.Metrics = append(q.Metrics, m)
	} else if len(g.Dims) > 0 || g.Stats != "" && len(g.Searches) == 0 {
		return q, fmt.Errorf("-dim and -stat describe a metric; add -namespace and -metric")
	}
	for i, e := range g.Exprs {
		q.Expressions = append(q.Expressions, Expression{ID: fmt.Sprintf("e%d", i+1), Expr: e})
	}
	for i, s := range g.Searches {
		expr := s
		if !strings.HasPrefix(strings.ToUpper(strings.TrimSpace(s)), "SEARCH(") {
			stat := strings.TrimSpace(strings.Split(g.Stats, ",")[0])
			if stat == "" {
				stat = "Average"
			}
			expr = fmt.Sprintf("SEARCH('%s', '%s')", strings.ReplaceAll(s, "'", "\\'"), stat)
		}
		q.Expressions = append(q.Expressions, Expression{ID: fmt.Sprintf("s%d", i+1), Expr: expr})
	}
	if len(q.Metrics) == 0 && len(q.Expressions) == 0 {
		return q, fmt.Errorf("nothing to load; give -namespace and -metric, -expr, -search or -file")
	}
	q.Regions = g.Regions
	if err := g.applyCommon(&q, false); err != nil {
		return q, err
	}
	return q, nil
}

// applyCommon sets the window, period and fill from g. With fromFile, flags override the file
// only when given.
func (g GetRequest) applyCommon(q *Query, fromFile bool) error {
	if g.Period != "" {
		p, err := parseLength(g.Period)
		if err != nil {
			return fmt.Errorf("-period %q: %v", g.Period, err)
		}
		if err := validPeriod(p); err != nil {
			return fmt.Errorf("-period: %v", err)
		}
		q.Period = p
	}
	if g.Fill != "" {
		f, err := ParseFill(g.Fill)
		if err != nil {
			return fmt.Errorf("-fill: %v", err)
		}
		q.Fill = f
	}
	switch {
	case g.Since != "" && (g.Start != "" || g.End != ""):
		return fmt.Errorf("-since makes a relative window; drop -start/-end, or drop -since")
	case g.Since != "":
		d, err := parseLength(g.Since)
		if err != nil {
			return fmt.Errorf("-since %q: %v", g.Since, err)
		}
		q.Window = Last(d)
	case g.Start != "" || g.End != "":
		if g.Start == "" || g.End == "" {
			return fmt.Errorf("-start and -end go together (RFC 3339, for example -start 2026-11-19T00:00:00Z -end 2026-11-20T00:00:00Z), or use -since 24h")
		}
		w, err := parseWindow(g.Start, g.End)
		if err != nil {
			return fmt.Errorf("-start/-end: %v", err)
		}
		q.Window = w
	case !fromFile:
		return fmt.Errorf("no window; give -start and -end (RFC 3339) or -since 24h")
	}
	return nil
}

// Get loads what g describes with a Loader configured by optFns and writes it to w in g.Format.
// Warnings and messages go to warn (nil: discarded), one per line.
func Get(ctx context.Context, w, warn io.Writer, g GetRequest, optFns ...func(*Options)) (*Result, error) {
	format := g.Format
	if format == "" {
		format = "csv"
	}
	if format != "csv" && format != "json" && format != "long" {
		return nil, fmt.Errorf("-format %q: use csv, json or long", g.Format)
	}
	q, err := g.Query()
	if err != nil {
		return nil, err
	}
	res, err := Load(ctx, q, optFns...)
	if err != nil {
		return nil, err
	}
	if warn != nil {
		for _, s := range res.Warnings {
			fmt.Fprintln(warn, "warning:", s.Text)
		}
	}
	switch format {
	case "csv":
		err = res.WriteCSV(w)
	case "long":
		err = res.WriteLongCSV(w)
	case "json":
		err = res.WriteJSON(w)
	}
	return res, err
}

func fmtCSV(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// WriteCSV writes the wide frame as CSV: a header, then one row per period; the first column is
// the timestamp in RFC 3339 UTC and a missing value is an empty cell.
func (r *Result) WriteCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	cw := csv.NewWriter(bw)
	header := append([]string{TimeColumn}, r.Columns()...)
	if err := cw.Write(header); err != nil {
		return err
	}
	cols := make([][]float64, len(r.Series))
	for i, s := range r.Series {
		cols[i] = r.Frame.Col(s.Column).Float()
	}
	row := make([]string, len(header))
	for i, t := range r.Times() {
		row[0] = t.Format(timeLayout)
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

// WriteLongCSV writes the long frame (see Long) as CSV, one row per datapoint, values in full
// precision.
func (r *Result) WriteLongCSV(w io.Writer) error {
	dims := r.dimNames()
	bw := bufio.NewWriter(w)
	cw := csv.NewWriter(bw)
	header := []string{TimeColumn, "region", "id", "label", "namespace", "metric", "stat"}
	for _, d := range dims {
		header = append(header, longDimColumn(d))
	}
	header = append(header, "value")
	if err := cw.Write(header); err != nil {
		return err
	}
	times := timeStrings(r.Times())
	row := make([]string, len(header))
	for _, s := range r.Series {
		for i, v := range s.Values {
			if math.IsNaN(v) {
				continue
			}
			row = append(row[:0], times[i], s.Region, s.ID, s.Label, s.Namespace, s.Metric, s.Stat)
			for _, d := range dims {
				row = append(row, s.Dims[d])
			}
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

// WriteJSON writes the result as one JSON object: the window, period, calls, cost, warnings,
// the timestamps (RFC 3339 UTC) and every series with its metadata and values (null where
// missing).
func (r *Result) WriteJSON(w io.Writer) error {
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
		Messages         []message `json:"messages,omitempty"`
		Timestamps       []string  `json:"timestamps"`
		Series           []jseries `json:"series"`
	}{
		Title: r.Title, Start: r.Start.Format(time.RFC3339), End: r.End.Format(time.RFC3339),
		Period: fmtDur(r.Period), PeriodAuto: r.PeriodAuto, Calls: r.Calls, MetricsRequested: r.MetricsRequested,
		Cost: r.Cost, Warnings: nonNil(r.Warnings.texts()), Messages: r.Messages, Timestamps: timeStrings(r.Times()),
		Series: []jseries{},
	}
	for _, s := range r.Series {
		col := r.Frame.Col(s.Column).Float()
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
