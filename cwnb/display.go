package cwnb

import (
	"errors"
	"fmt"
	"html"
	"math"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cwnb/cwnb/cwnb/internal/nbout"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// headRows and headCols bound the part of the frame that String and HTML show.
const (
	headRows = 6
	headCols = 6
)

// Summary returns the one-line description of the load: window, period, shape, regions,
// endpoint and the estimated cost of loading the query without a cache. It leaves out what this
// run did (calls, retries, cache hits, seconds: Result.Calls, Retries, Cache, Elapsed), so that a
// notebook re-run on the same data, cold or from the cache, saves the same output.
func (r *Result) summary() string {
	auto := ""
	if r.PeriodAuto {
		auto = " (auto)"
	}
	return fmt.Sprintf("%s/%s · period %s%s · %d rows × %d series · %s @ %s · est. $%s per uncached load",
		r.Start.Format(time.RFC3339), r.End.Format(time.RFC3339), fmtDur(r.Period), auto, r.rows(), len(r.Series),
		strings.Join(r.Regions, ","), r.Endpoint, fmtCost(r.queryCost()))
}

// queryCost is the estimated dollars of loading the query with no cache, one call per batch:
// every metric it names (hidden ones included) and every series its SEARCH and Metrics Insights
// queries found, in every region.
func (r *Result) queryCost() float64 {
	metrics := 0
	for _, m := range r.Query.Metrics {
		metrics += max(1, len(m.Stats))
	}
	metrics *= len(r.Regions)
	for _, s := range r.Series {
		if s.Kind == kindSearch.String() || s.Kind == kindSQL.String() {
			metrics++
		}
	}
	return float64(metrics) * costPerMetric
}

func fmtCost(c float64) string {
	if c == 0 {
		return "0"
	}
	// CloudWatch charges in steps of $0.00001 (one metric): five decimals are exact, and they
	// hide float noise such as 0.00012000000000000002.
	return strings.TrimRight(strings.TrimRight(strconv.FormatFloat(c, 'f', 5, 64), "0"), ".")
}

// String returns the title, the summary, warnings, notes and the first rows of the frame.
func (r *Result) String() string {
	var b strings.Builder
	if r.Title != "" {
		b.WriteString(r.Title + "\n")
	}
	b.WriteString(r.summary() + "\n")
	for _, w := range r.Warnings {
		b.WriteString("warning: " + w.Text + "\n")
	}
	for _, n := range r.shownNotes() {
		b.WriteString("note: " + n.Text + "\n")
	}
	head, cols := r.head()
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.Join(cols, "\t")+"\t")
	for _, row := range head {
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	tw.Flush()
	if n := r.rows(); n > len(head) {
		fmt.Fprintf(&b, "… %d more rows\n", n-len(head))
	}
	return b.String()
}

func (r *Result) rows() int {
	if r.Period <= 0 {
		return 0
	}
	return int(r.End.Sub(r.Start) / r.Period)
}

// head returns the first rows of the wide frame (filled as the frame is) as strings.
func (r *Result) head() (rows [][]string, cols []string) {
	cols = []string{TimeColumn}
	ns := min(len(r.Series), headCols)
	for _, s := range r.Series[:ns] {
		cols = append(cols, s.Column)
	}
	if len(r.Series) > ns {
		cols = append(cols, fmt.Sprintf("(+%d)", len(r.Series)-ns))
	}
	n := min(r.rows(), headRows)
	times := r.Times()
	vals := make([][]float64, ns)
	for k := range vals {
		vals[k] = r.filled(&r.Series[k])
	}
	for i := 0; i < n; i++ {
		row := []string{times[i].Format(timeLayout)}
		for k := 0; k < ns; k++ {
			row = append(row, fmtValue(vals[k][i]))
		}
		if len(r.Series) > ns {
			row = append(row, "")
		}
		rows = append(rows, row)
	}
	return rows, cols
}

func fmtValue(v float64) string {
	if math.IsNaN(v) {
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

// HTML returns the result as an HTML fragment for a notebook: title, summary, warnings, notes and
// the first rows of the frame. Every string from data is escaped.
func (r *Result) html() string {
	var b strings.Builder
	e := html.EscapeString
	b.WriteString(`<div class="cwnb-result" style="font-family:sans-serif;font-size:13px">`)
	if r.Title != "" {
		b.WriteString("<b>" + e(r.Title) + "</b><br>")
	}
	b.WriteString(`<span style="color:#555">` + e(r.summary()) + "</span>")
	for _, w := range r.Warnings {
		b.WriteString(`<div style="background:#fff3cd;padding:2px 6px;margin:2px 0">⚠ ` + e(w.Text) + "</div>")
	}
	for _, n := range r.shownNotes() {
		b.WriteString(`<div style="color:#555">ℹ ` + e(n.Text) + "</div>")
	}
	head, cols := r.head()
	b.WriteString(`<table style="border-collapse:collapse;margin-top:4px"><tr>`)
	for _, c := range cols {
		b.WriteString(`<th style="border-bottom:1px solid #999;padding:2px 8px;text-align:right">` + e(c) + "</th>")
	}
	b.WriteString("</tr>")
	for _, row := range head {
		b.WriteString("<tr>")
		for _, c := range row {
			b.WriteString(`<td style="padding:2px 8px;text-align:right">` + e(c) + "</td>")
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</table>")
	if n := r.rows(); n > len(head) {
		fmt.Fprintf(&b, `<span style="color:#555">… %d more rows</span>`, n-len(head))
	}
	b.WriteString("</div>")
	return b.String()
}

// Display shows the result in the notebook when running under GoNB, as one display bundle with
// HTML (HTML) and plain text (String) so that every front end (JupyterLab, GitHub's viewer,
// nbconvert to text) shows it; outside GoNB it prints String to stdout.
func (r *Result) Display() {
	if gonbui.IsNotebook {
		nbout.Send(&protocol.DisplayData{Data: map[protocol.MIMEType]any{
			protocol.MIMETextHTML:  r.html(),
			protocol.MIMETextPlain: r.String(),
		}})
		return
	}
	fmt.Fprint(os.Stdout, r.String())
}

// loadedLine is the line a load's notebook progress block ends with: what was loaded, the same
// whether the load was slow, fast or answered by the cache.
func (r *Result) loadedLine() string {
	auto := ""
	if r.PeriodAuto {
		auto = " (auto)"
	}
	return fmt.Sprintf("cwnb: loaded with period %s%s: %d rows × %d series, %s/%s, %s @ %s",
		fmtDur(r.Period), auto, r.rows(), len(r.Series), r.Start.Format(time.RFC3339), r.End.Format(time.RFC3339),
		strings.Join(r.Regions, ","), r.Endpoint)
}

// shownNotes are the notes Display shows: all but those about how the cache served the result
// (for example "served from the cache at period 1m" when a re-run finds CloudWatch keeping only
// coarser periods by now), which depend on when and where the notebook runs, not on the data.
// Result.Notes keeps them all.
func (r *Result) shownNotes() Warnings {
	var out Warnings
	for _, n := range r.Notes {
		if !errors.Is(n, errCacheNote) {
			out = append(out, n)
		}
	}
	return out
}
