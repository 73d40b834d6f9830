package cwnb

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cwnb/cwnb/cwnb/chart"
	"github.com/cwnb/cwnb/cwnb/cwstat"
	"github.com/cwnb/cwnb/cwnb/ts"
)

// Show displays a chart in the notebook. It takes a builder's two results directly:
// cwnb.Show(cwnb.Plot(res)). When building or displaying the chart failed, Show panics with the
// error, so that the cell fails visibly (and `make test` or `cwnb report` with it) rather than
// leaving a silent gap where the answer should be; call Chart.Display to handle the error instead.
func Show(c *chart.Chart, err error) {
	if err == nil && c == nil {
		err = errors.New("no chart (nil); build one with cwnb.Plot")
	}
	if err == nil {
		err = c.Display()
	}
	if err != nil {
		panic("cwnb: chart not shown: " + err.Error())
	}
}

// PlotOption adjusts a chart. Every Plot function takes the same options; one that does not apply
// to a kind of chart (Columns on a fold) is an error that says so.
type PlotOption func(*plotSpec)

type plotSpec struct {
	title      string
	unit       string
	columns    []string
	marks      []mark
	thresholds []chart.Threshold
	bands      []bandSpec
	chartOpts  []func(*chart.Options)
	oneAxis    bool
	timeOnly   []string // options given that only a time-series chart can honour
}

type mark struct {
	name string
	when ts.When
}

type bandSpec struct{ name, lower, upper string }

// Title sets the chart's title; by default it is the result's title (the question asked) or a
// description of what is drawn.
func Title(s string) PlotOption { return func(p *plotSpec) { p.title = s } }

// Unit sets the unit of the values drawn ("Milliseconds", "Percent"); by default it is the
// column's unit from the load (Metric.Unit, or the statistic's: Count for SampleCount, Percent
// for PR).
func Unit(u string) PlotOption { return func(p *plotSpec) { p.unit = u } }

// Columns selects the columns to draw, in order; by default every column is drawn. Plot only.
func Columns(names ...string) PlotOption {
	return func(p *plotSpec) {
		p.columns = append(p.columns, names...)
		p.timeOnly = append(p.timeOnly, "Columns")
	}
}

// Mark draws a time selection on the time axis, named: a recurring window as shaded spans
// (Mark(":00 backup", ts.Hourly(0, 5*time.Minute))), an absolute one as a span, an instant (ts.At) as a
// vertical line. A recurrence whose cycle is shorter than the data's period is refused, and so is
// one that would draw more than ts.MaxOccurrences spans; a window finer than the data is drawn
// with a warning in the footer. Plot only.
func Mark(name string, w ts.When) PlotOption {
	return func(p *plotSpec) {
		p.marks = append(p.marks, mark{name, w})
		p.timeOnly = append(p.timeOnly, "Mark")
	}
}

// Threshold draws a horizontal line such as an SLO, on the axis of unit ("" = the first axis).
// Plot only.
func Threshold(name string, value float64, unit string) PlotOption {
	return func(p *plotSpec) {
		p.thresholds = append(p.thresholds, chart.Threshold{Name: name, Value: value, Unit: unit})
		p.timeOnly = append(p.timeOnly, "Threshold")
	}
}

// Band shades the envelope between two columns (for example p50 to p99) instead of drawing them
// as lines. Plot only.
func Band(name, lower, upper string) PlotOption {
	return func(p *plotSpec) {
		p.bands = append(p.bands, bandSpec{name, lower, upper})
		p.timeOnly = append(p.timeOnly, "Band")
	}
}

// OneAxis keeps the columns of one unit on one y axis even when their ranges differ more than
// tenfold (by default the smaller ones move to a second axis of the same unit so that they do not
// flatten). Use it when the comparison is the point: a flat average under a p99 that jumps is
// what "the average hides the tail" looks like. Plot only.
func OneAxis() PlotOption {
	return func(p *plotSpec) {
		p.oneAxis = true
		p.timeOnly = append(p.timeOnly, "OneAxis")
	}
}

// ChartOptions passes rendering options (size, mode, downsampling) to the chart package; an
// absurd size is refused there.
func ChartOptions(fns ...func(*chart.Options)) PlotOption {
	return func(p *plotSpec) { p.chartOpts = append(p.chartOpts, fns...) }
}

// buildSpec applies the options; kind names the chart for the error of an option that only a
// time-series chart honours.
func buildSpec(kind string, opts []PlotOption) (*plotSpec, error) {
	p := &plotSpec{}
	for _, o := range opts {
		if o != nil {
			o(p)
		}
	}
	if kind != "" && len(p.timeOnly) > 0 {
		return nil, fmt.Errorf("%s: option %s applies to Plot (a time series) only; use Title, Unit and ChartOptions here", kind, p.timeOnly[0])
	}
	return p, nil
}

// Plot draws a result as a time-series chart: one line per column, named by its label, in UTC,
// with units on the axes (a second axis when units differ, e.g. milliseconds and a count) and the
// provenance of the columns drawn (queries, period, window) and any warning about their period in
// the footer. Show displays it.
func Plot(r *Result, opts ...PlotOption) (*chart.Chart, error) {
	if r == nil {
		return nil, fmt.Errorf("Plot: %w", errNoResult)
	}
	p, err := buildSpec("", opts)
	if err != nil {
		return nil, err
	}
	sel, err := r.selectColumns(p.columns)
	if err != nil {
		return nil, err
	}
	data := chart.TimeSeries{Title: p.title, Times: r.Times(), Thresholds: p.thresholds, OneAxis: p.oneAxis}
	if data.Title == "" {
		data.Title = r.Title
	}
	unit := func(s *Series) string {
		if p.unit != "" {
			return p.unit
		}
		return columnUnit(s)
	}
	drawn := []*Series{}
	inBand := map[string]bool{}
	for _, b := range p.bands {
		lo, err := r.series(b.lower)
		if err != nil {
			return nil, fmt.Errorf("band %q: %w", b.name, err)
		}
		hi, err := r.series(b.upper)
		if err != nil {
			return nil, fmt.Errorf("band %q: %w", b.name, err)
		}
		data.Bands = append(data.Bands, chart.Band{Name: b.name, Unit: unit(lo), Lower: lo.Values, Upper: hi.Values})
		inBand[b.lower], inBand[b.upper] = true, true
		drawn = append(drawn, lo, hi)
	}
	for _, s := range sel {
		if inBand[s.Column] {
			continue
		}
		data.Series = append(data.Series, chart.Series{Name: s.Column, Unit: unit(s), Values: s.Values})
		drawn = append(drawn, s)
	}
	var warns Warnings
	for _, m := range p.marks {
		ev, w, err := r.events(m)
		if err != nil {
			return nil, err
		}
		data.Events = append(data.Events, ev...)
		warns = append(warns, w...)
	}
	data.Footer = r.footer(drawn, warns...)
	return chart.Line(data, p.chartOpts...)
}

// events turns a mark into chart events over the result's window, checked against its period.
func (r *Result) events(m mark) ([]chart.Event, Warnings, error) {
	if err := m.when.Err(); err != nil {
		return nil, nil, fmt.Errorf("mark %q: %w", m.name, err)
	}
	var warns Warnings
	if m.when.Recurring() {
		if cycle := m.when.Cycle(); cycle < r.Period {
			return nil, nil, fmt.Errorf("mark %q: %s recurs more often than the data's period of %s; mark a longer cycle, or load at a period under %s",
				m.name, m.when, periodString(r.Period), periodString(cycle))
		}
		if m.when.Resolution()%r.Period != 0 {
			warns = append(warns, warnf(ErrCoarsePeriod, "%q (%s) is finer than the data's %s period, which mixes it with the periods around it; load with Period: %s to see it",
				m.name, m.when, periodString(r.Period), goDuration(time.Minute)))
		}
	}
	starts, ends, err := m.when.Occurrences(r.Start, r.End)
	if err != nil {
		return nil, nil, fmt.Errorf("mark %q: %w", m.name, err)
	}
	if len(starts) == 0 {
		warns = append(warns, warnf(ErrNoMatch, "mark %q (%s) lies outside the chart's window", m.name, m.when))
	}
	ev := make([]chart.Event, len(starts))
	for i := range starts {
		ev[i] = chart.Event{Name: m.name, Start: starts[i]}
		if ends[i].After(starts[i]) {
			ev[i].End = ends[i]
		}
	}
	return ev, warns, nil
}

// columnUnit is the unit a column's values are in: the unit asked for, or the one its statistic
// implies (a count for SampleCount and TC, a percentage for PR).
func columnUnit(s *Series) string {
	if st, err := cwstat.Parse(s.Stat); err == nil {
		switch st.Kind {
		case cwstat.SampleCount, cwstat.TrimmedCount:
			return "Count"
		case cwstat.PercentileRank:
			return "Percent"
		}
	}
	return s.Unit
}

// Footer is the provenance of the named columns (every column when none is named) in one line:
// what was loaded, at which period, over which window, and the result's warnings about its
// period. It is the same on every run over the same data.
func (r *Result) Footer(columns ...string) string {
	if r == nil {
		return ""
	}
	var sel []*Series
	for _, c := range columns {
		if s, ok := r.lookup(c); ok {
			sel = append(sel, s)
		}
	}
	if len(columns) == 0 {
		for i := range r.Series {
			sel = append(sel, &r.Series[i])
		}
	}
	return r.footer(sel)
}

// footer describes the series drawn, the period and the window, then the result's coarse-period
// warnings and extra ones.
func (r *Result) footer(drawn []*Series, extra ...Warning) string {
	var what []string
	seen := map[string]bool{}
	for _, s := range drawn {
		var d string
		switch {
		case s.Expression != "" && (s.Kind == "search" || s.Kind == "sql"):
			d = s.Expression // one expression may stand for many series
		case s.Metric != "" && s.Kind != "math":
			d = s.Namespace + " " + s.Metric + dimString(s.Dims)
		default:
			d = s.Column // metric math: its readable column name, never the raw ids
		}
		if !seen[d] {
			seen[d] = true
			what = append(what, d)
		}
	}
	if len(what) > 3 {
		what = append(what[:3], fmt.Sprintf("+%d more", len(what)-3))
	}
	period := periodString(r.Period)
	if r.PeriodAuto {
		period += " (automatic)"
	}
	out := fmt.Sprintf("%s · period %s · %s → %s UTC", strings.Join(what, "; "), period,
		r.Start.UTC().Format("2006-01-02 15:04"), r.End.UTC().Format("2006-01-02 15:04"))
	var ws Warnings
	for _, w := range r.Warnings {
		if errors.Is(w, ErrCoarsePeriod) {
			ws = append(ws, w)
		}
	}
	return out + warningText(append(ws, extra...).dedupe())
}

// warningText appends warnings to a footer.
func warningText(ws Warnings) string {
	var b strings.Builder
	for _, w := range ws {
		b.WriteString(" · warning: " + w.Text)
	}
	return b.String()
}

func dimString(d Dims) string {
	if len(d) == 0 {
		return ""
	}
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + d[k]
	}
	return " {" + strings.Join(parts, ",") + "}"
}

// PlotFold draws a seasonal fold (Result.Fold) as bars per key (":00" ... ":59", or hours, or
// weekdays): the mean and each quantile the fold holds. The title defaults to the column and the
// key, the unit and footer come from the folded column, and the footer counts empty groups.
func PlotFold(f *Folded, opts ...PlotOption) (*chart.Chart, error) {
	if f == nil || f.Folded == nil {
		return nil, errors.New("PlotFold: no fold (nil); build one with Result.Fold")
	}
	p, err := buildSpec("PlotFold", opts)
	if err != nil {
		return nil, err
	}
	unit := f.src.unit
	if p.unit != "" {
		unit = p.unit
	}
	title := p.title
	if title == "" {
		title = fmt.Sprintf("%s by %s", f.src.column, f.By)
	}
	empty := 0
	for _, n := range f.Count {
		if n == 0 {
			empty++
		}
	}
	foot := fmt.Sprintf("folded by %v: %d values in %d groups", f.By, sum(f.Count), len(f.Keys))
	if empty > 0 {
		foot += fmt.Sprintf(", %d of them empty", empty)
	}
	foot += fmt.Sprintf(" (%d missing periods skipped) · %s", f.NaN, f.src.footer)
	for _, w := range f.Warnings {
		if !errors.Is(w, ErrPartialData) { // the empty groups are counted above
			foot += " · warning: " + w.Text
		}
	}
	c := chart.Categories{Title: title, Names: f.Labels, Footer: foot}
	c.Series = append(c.Series, chart.Series{Name: "mean", Unit: unit, Values: f.Mean})
	for i, q := range f.Qs {
		c.Series = append(c.Series, chart.Series{Name: pName(q), Unit: unit, Values: f.Quantiles[i]})
	}
	return chart.Bars(c, p.chartOpts...)
}

// PlotHeatmap draws a two-key fold (Result.Fold2), for example day × minute-of-hour: a spike that
// recurs every hour shows as a bright column. Title, unit and footer default as in PlotFold.
func PlotHeatmap(h *Heatmap, opts ...PlotOption) (*chart.Chart, error) {
	if h == nil || h.Heatmap == nil {
		return nil, errors.New("PlotHeatmap: no heatmap (nil); build one with Result.Fold2")
	}
	p, err := buildSpec("PlotHeatmap", opts)
	if err != nil {
		return nil, err
	}
	unit := h.src.unit
	if p.unit != "" {
		unit = p.unit
	}
	title := p.title
	if title == "" {
		title = fmt.Sprintf("%s of %s by %s and %s", h.Agg, h.src.column, h.RowBy, h.ColBy)
	}
	return chart.Heatmap(chart.Matrix{
		Title: title, Rows: h.Rows, Cols: h.Cols, RowName: h.RowBy.String(), ColName: h.ColBy.String(),
		Values: h.Values, Unit: unit,
		Footer: fmt.Sprintf("%s of each cell; %d missing periods skipped · %s", h.Agg, h.NaN, h.src.footer) + warningText(h.Warnings),
	}, p.chartOpts...)
}

// PlotSplit draws the distributions of a column's values inside and outside a time selection (the
// groups of Result.Split and Result.Compare, with the same period checks) as a CDF: the curves
// separate where the groups differ. The groups are named by the window ("every hour :00-:05") and
// its complement ("the rest").
func PlotSplit(r *Result, column string, in ts.When, opts ...PlotOption) (*chart.Chart, error) {
	if r == nil {
		return nil, fmt.Errorf("PlotSplit: %w", errNoResult)
	}
	p, err := buildSpec("PlotSplit", opts)
	if err != nil {
		return nil, err
	}
	g, err := r.split(column, in)
	if err != nil {
		return nil, err
	}
	unit := columnUnit(g.s)
	if p.unit != "" {
		unit = p.unit
	}
	title := p.title
	if title == "" {
		title = fmt.Sprintf("%s: %s against %s", column, in, in.Complement())
	}
	return chart.CDF(chart.Distribution{
		Title:   title,
		Footer:  r.footer([]*Series{g.s}, g.warnings...),
		Unit:    unit,
		Samples: []chart.Sample{{Name: in.String(), Values: g.in}, {Name: in.Complement(), Values: g.out}},
		Log:     allPositive(g.in) && allPositive(g.out),
	}, p.chartOpts...)
}

func allPositive(xs []float64) bool {
	for _, x := range xs {
		if !(x > 0) && !math.IsNaN(x) {
			return false
		}
	}
	return true
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// pName names a quantile level as CloudWatch names the statistic: 0.99 is "p99", 0.999 "p99.9".
func pName(q float64) string {
	return "p" + strconv.FormatFloat(q*100, 'f', -1, 64)
}

// periodString formats a period the way CloudWatch users write it: "1m", "5m", "1h", "1d", "90s",
// without the zero units of time.Duration's String ("1m0s").
func periodString(d time.Duration) string {
	switch {
	case d <= 0:
		return d.String()
	case d%(24*time.Hour) == 0:
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d"
	case d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	case d%time.Minute == 0:
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	case d%time.Second == 0:
		return strconv.FormatInt(int64(d/time.Second), 10) + "s"
	}
	return d.String()
}
