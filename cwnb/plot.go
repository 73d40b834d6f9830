package cwnb

import (
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
	if err == nil {
		err = c.Display()
	}
	if err != nil {
		panic("cwnb: chart not shown: " + err.Error())
	}
}

// PlotOption adjusts what Plot draws.
type PlotOption func(*plotSpec)

type plotSpec struct {
	title      string
	columns    []string
	events     []chart.Event
	recurring  []recurring
	thresholds []chart.Threshold
	bands      []bandSpec
	chartOpts  []func(*chart.Options)
}

type recurring struct {
	name                string
	every, offset, span time.Duration
}

type bandSpec struct{ name, lower, upper string }

// Title sets the chart's title; by default it is the result's title (the question asked).
func Title(s string) PlotOption { return func(p *plotSpec) { p.title = s } }

// Columns selects the columns to draw, in order; by default every column is drawn.
func Columns(names ...string) PlotOption {
	return func(p *plotSpec) { p.columns = append(p.columns, names...) }
}

// Events marks moments or spans on the time axis (a deploy, an incident).
func Events(ev ...chart.Event) PlotOption {
	return func(p *plotSpec) { p.events = append(p.events, ev...) }
}

// Every shades a span that recurs over the window: Every(":00 backup", time.Hour, 0,
// 5*time.Minute) marks minutes :00-:05 of every hour.
func Every(name string, every, offset, span time.Duration) PlotOption {
	return func(p *plotSpec) { p.recurring = append(p.recurring, recurring{name, every, offset, span}) }
}

// Threshold draws a horizontal line such as an SLO, on the axis of unit ("" = the first axis).
func Threshold(name string, value float64, unit string) PlotOption {
	return func(p *plotSpec) {
		p.thresholds = append(p.thresholds, chart.Threshold{Name: name, Value: value, Unit: unit})
	}
}

// Band shades the envelope between two columns (for example p50 to p99) instead of drawing them
// as lines.
func Band(name, lower, upper string) PlotOption {
	return func(p *plotSpec) { p.bands = append(p.bands, bandSpec{name, lower, upper}) }
}

// ChartOptions passes rendering options (size, mode, downsampling) to the chart package.
func ChartOptions(fns ...func(*chart.Options)) PlotOption {
	return func(p *plotSpec) { p.chartOpts = append(p.chartOpts, fns...) }
}

// Plot draws a result as a time-series chart: one line per column, named by its label, in UTC,
// with units on the axes (a second axis when units differ, e.g. milliseconds and a count) and the
// load's provenance (queries, period, window, calls, cost) in the footer. Show displays it.
func Plot(r *Result, opts ...PlotOption) (*chart.Chart, error) {
	var p plotSpec
	for _, o := range opts {
		o(&p)
	}
	sel, err := r.selectColumns(p.columns)
	if err != nil {
		return nil, err
	}
	data := chart.TimeSeries{Title: p.title, Footer: r.Footer(), Times: r.Times(), Events: p.events, Thresholds: p.thresholds}
	if data.Title == "" {
		data.Title = r.Title
	}
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
		data.Bands = append(data.Bands, chart.Band{Name: b.name, Unit: columnUnit(lo), Lower: lo.Values, Upper: hi.Values})
		inBand[b.lower], inBand[b.upper] = true, true
	}
	for _, s := range sel {
		if inBand[s.Column] {
			continue
		}
		data.Series = append(data.Series, chart.Series{Name: s.Column, Unit: columnUnit(s), Values: s.Values})
	}
	for _, rc := range p.recurring {
		data.Events = append(data.Events, chart.Recurring(rc.name, r.Start, r.End, rc.every, rc.offset, rc.span)...)
	}
	return chart.Line(data, p.chartOpts...)
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

// Footer is the result's provenance in one line: what was loaded, at which period, over which
// window, and what it cost.
func (r *Result) Footer() string {
	var what []string
	seen := map[string]bool{}
	for _, s := range r.Series {
		var d string
		switch {
		case s.Expression != "" && (s.Kind == "search" || s.Kind == "sql" || s.Metric == ""):
			d = s.Expression // one expression may stand for many series
		case s.Metric != "":
			d = s.Namespace + " " + s.Metric + dimString(s.Dims)
		default:
			d = s.Label
		}
		if !seen[d] {
			seen[d] = true
			what = append(what, d)
		}
	}
	if len(what) > 3 {
		what = append(what[:3], fmt.Sprintf("+%d more", len(what)-3))
	}
	cost := fmt.Sprintf("%d calls, $%.5f", r.Calls, r.Cost)
	if r.Calls == 0 {
		cost = "from the cache"
	}
	return fmt.Sprintf("%s · period %s · %s → %s UTC · %s", strings.Join(what, "; "), Duration(r.Period),
		r.Start.UTC().Format("2006-01-02 15:04"), r.End.UTC().Format("2006-01-02 15:04"), cost)
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
// weekdays): the mean and each quantile the fold holds.
func PlotFold(f *ts.Folded, title, unit string, optFns ...func(*chart.Options)) (*chart.Chart, error) {
	if f == nil {
		return nil, fmt.Errorf("PlotFold: no fold; build one with Result.Fold")
	}
	c := chart.Categories{Title: title, Names: f.Labels,
		Footer: fmt.Sprintf("folded by %v: %d values in %d groups (%d missing periods skipped)", f.By, sum(f.Count), len(f.Keys), f.NaN)}
	c.Series = append(c.Series, chart.Series{Name: "mean", Unit: unit, Values: f.Mean})
	for i, q := range f.Qs {
		c.Series = append(c.Series, chart.Series{Name: pName(q), Unit: unit, Values: f.Quantiles[i]})
	}
	return chart.Bars(c, optFns...)
}

// PlotHeatmap draws a two-key fold (Result.Fold2), for example minute-of-hour × day: a spike that
// recurs every hour shows as a bright column.
func PlotHeatmap(h *ts.Heatmap, title, unit string, optFns ...func(*chart.Options)) (*chart.Chart, error) {
	if h == nil {
		return nil, fmt.Errorf("PlotHeatmap: no heatmap; build one with Result.Fold2")
	}
	return chart.Heatmap(chart.Matrix{
		Title: title, Rows: h.Rows, Cols: h.Cols, RowName: h.RowBy.String(), ColName: h.ColBy.String(),
		Values: h.Values, Unit: unit,
		Footer: fmt.Sprintf("%s of each cell; %d missing periods skipped", h.Agg, h.NaN),
	}, optFns...)
}

// PlotSplit draws the distributions of a column's values inside and outside the periods selected
// by in (as Result.Split and Result.Compare group them), as a CDF: the curves separate where the
// groups differ.
func PlotSplit(r *Result, column string, in func(time.Time) bool, inName, outName string, optFns ...func(*chart.Options)) (*chart.Chart, error) {
	a, b, err := r.Split(column, in)
	if err != nil {
		return nil, err
	}
	s, _ := r.series(column)
	return chart.CDF(chart.Distribution{
		Title:   fmt.Sprintf("%s: %s against %s", column, inName, outName),
		Footer:  r.Footer(),
		Unit:    columnUnit(s),
		Samples: []chart.Sample{{Name: inName, Values: a}, {Name: outName, Values: b}},
		Log:     allPositive(a) && allPositive(b),
	}, optFns...)
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

// Duration formats a period the way CloudWatch users write it: "1m", "5m", "1h", "1d", "90s",
// without the zero units of time.Duration's String ("1m0s").
func Duration(d time.Duration) string {
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
