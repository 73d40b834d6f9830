package logs

import (
	"fmt"
	"html"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/cwnb/cwnb/cwnb/internal/nbout"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"

	"github.com/cwnb/cwnb/cwnb/chart"
)

// Summary returns one line about the load: groups, window, rows, bins, records scanned and
// cost. What the run did (queries sent, splits, whether the cache answered: Result.Queries,
// Splits, Cached) is left out, like the elapsed time, so that a committed notebook's output is
// the same whether it ran against CloudWatch Logs or from the cache, and changes only with the
// data.
func (r *Result) Summary() string {
	grid := ""
	if r.Period > 0 {
		grid = " · bins of " + r.Period.String()
		if len(r.Keys) > 0 {
			grid += " per " + strings.Join(r.Keys, ", ")
		}
	}
	return fmt.Sprintf("%s · %s → %s UTC · %d rows%s · %s records scanned (%s) · est. $%s",
		strings.Join(r.Query.Groups, ", "), r.Query.Start.UTC().Format("2006-01-02 15:04"), r.Query.End.UTC().Format("2006-01-02 15:04"),
		r.Rows(), grid, strconv.FormatFloat(r.RecordsScanned, 'f', -1, 64), bytesText(r.BytesScanned), costText(r.Cost))
}

func bytesText(b float64) string {
	switch {
	case b >= 1e9:
		return fmt.Sprintf("%.2f GB", b/1e9)
	case b >= 1e6:
		return fmt.Sprintf("%.1f MB", b/1e6)
	case b >= 1e3:
		return fmt.Sprintf("%.1f kB", b/1e3)
	}
	return fmt.Sprintf("%.0f B", b)
}

func costText(c float64) string {
	if c == 0 {
		return "0"
	}
	return strings.TrimRight(strings.TrimRight(strconv.FormatFloat(c, 'f', 6, 64), "0"), ".")
}

// Footer is the provenance line for a chart of the result: the query, groups, window and cost.
func (r *Result) Footer() string {
	q := strings.Join(strings.Fields(r.Query.Query), " ")
	if len(q) > 90 {
		q = q[:87] + "..."
	}
	return fmt.Sprintf("Logs Insights: %s · %s · %s → %s UTC · %s scanned, est. $%s", q, strings.Join(r.Query.Groups, ", "),
		r.Query.Start.UTC().Format("2006-01-02 15:04"), r.Query.End.UTC().Format("2006-01-02 15:04"), bytesText(r.BytesScanned), costText(r.Cost))
}

const headRows = 6

// String returns the title, the summary, the warnings and the first rows.
func (r *Result) String() string {
	var b strings.Builder
	if r.Title != "" {
		b.WriteString(r.Title + "\n")
	}
	b.WriteString(r.Summary() + "\n")
	for _, w := range r.Warnings {
		b.WriteString("warning: " + w.Text + "\n")
	}
	head, cols := r.head()
	b.WriteString(strings.Join(cols, "\t") + "\n")
	for _, row := range head {
		b.WriteString(strings.Join(row, "\t") + "\n")
	}
	if n := r.Rows(); n > len(head) {
		fmt.Fprintf(&b, "... %d more rows\n", n-len(head))
	}
	return b.String()
}

func (r *Result) head() (rows [][]string, cols []string) {
	n := min(r.Rows(), headRows)
	for _, c := range r.Columns {
		cols = append(cols, c.Name)
	}
	texts := make([][]string, len(r.Columns))
	for j := range r.Columns {
		texts[j] = r.Columns[j].text()
		if r.Columns[j].Kind == Number {
			for i := range n {
				if v := r.Columns[j].Floats[i]; !math.IsNaN(v) && v != math.Trunc(v) {
					texts[j][i] = strconv.FormatFloat(v, 'g', 6, 64)
				} else if math.IsNaN(v) {
					texts[j][i] = "NaN"
				}
			}
		}
	}
	for i := range n {
		row := make([]string, len(r.Columns))
		for j := range r.Columns {
			row[j] = texts[j][i]
		}
		rows = append(rows, row)
	}
	return rows, cols
}

// HTML returns the summary, warnings and first rows as an HTML fragment; every value from the
// logs is escaped, so a message holding </script> or quotes shows as text.
func (r *Result) HTML() string {
	var b strings.Builder
	if r.Title != "" {
		b.WriteString("<b>" + html.EscapeString(r.Title) + "</b><br>")
	}
	b.WriteString("<small>" + html.EscapeString(r.Summary()) + "</small>")
	for _, w := range r.Warnings {
		b.WriteString(`<div style="color:#a15c00">warning: ` + html.EscapeString(w.Text) + "</div>")
	}
	head, cols := r.head()
	b.WriteString(`<table><tr>`)
	for _, c := range cols {
		b.WriteString("<th>" + html.EscapeString(c) + "</th>")
	}
	b.WriteString("</tr>")
	for _, row := range head {
		b.WriteString("<tr>")
		for _, v := range row {
			b.WriteString("<td>" + html.EscapeString(v) + "</td>")
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</table>")
	if n := r.Rows(); n > len(head) {
		fmt.Fprintf(&b, "<small>... %d more rows</small>", n-len(head))
	}
	return b.String()
}

// Display shows the result in a GoNB notebook (HTML and plain text), or prints it outside one.
func (r *Result) Display() {
	if gonbui.IsNotebook {
		nbout.Send(&protocol.DisplayData{Data: map[protocol.MIMEType]any{
			protocol.MIMETextHTML:  r.HTML(),
			protocol.MIMETextPlain: r.String(),
		}})
		return
	}
	fmt.Fprint(os.Stdout, r.String())
}

// Plot draws aggregate columns of a stats-by-bin result over time: one line per column, or for a
// grouped result one line per group of the first column. unit labels the axis ("ms", "count").
func (r *Result) Plot(title, unit string, columns ...string) (*chart.Chart, error) {
	if r.Period <= 0 {
		return nil, fmt.Errorf("logs plot: the result is not on a time grid; plot a query with stats ... by bin(...)")
	}
	if len(columns) == 0 {
		columns = r.Shape.Aggregates
	}
	data := chart.TimeSeries{Title: title, Footer: r.Footer()}
	if len(r.Keys) > 0 {
		times, groups, values := r.Pivot(columns[0])
		if times == nil {
			return nil, fmt.Errorf("logs plot: %q is not a number column of the result", columns[0])
		}
		data.Times = times
		for i, g := range groups {
			data.Series = append(data.Series, chart.Series{Name: g, Unit: unit, Values: values[i]})
		}
		return chart.Line(data)
	}
	data.Times = r.Times()
	for _, c := range columns {
		v := r.Floats(c)
		if v == nil {
			return nil, fmt.Errorf("logs plot: %q is not a number column of the result; columns: %v", c, r.Frame.Names())
		}
		data.Series = append(data.Series, chart.Series{Name: c, Unit: unit, Values: v})
	}
	return chart.Line(data)
}
