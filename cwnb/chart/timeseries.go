package chart

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Series is one named line of values.
type Series struct {
	// Name is the legend label, e.g. "p99" or a CloudWatch result label.
	Name string
	// Unit is a CloudWatch unit name ("Milliseconds") or a label ("ms"); see UnitLabel. Series
	// with different units go on a second y axis.
	Unit string
	// Values holds one value per timestamp (or per category for Bars); NaN is a gap.
	Values []float64
	// Times, when set, are this series' own timestamps; nil means TimeSeries.Times.
	Times []time.Time
}

// Band is a shaded envelope between two series, e.g. p50 to p99.
type Band struct {
	Name         string
	Unit         string
	Lower, Upper []float64 // one value per TimeSeries.Times entry; NaN is a gap
}

// Event marks a moment (a vertical line) or, when End is after Start, a span (a shaded area),
// e.g. a deploy or the ":00 backup".
type Event struct {
	Name       string
	Start, End time.Time
}

// Threshold is a horizontal line such as an SLO. Unit selects the y axis ("" = the first axis).
type Threshold struct {
	Name  string
	Value float64
	Unit  string
}

// TimeSeries is the plain data of a time-series chart.
type TimeSeries struct {
	// Title is the question the chart answers, e.g. "Does p99 jump at the top of every hour?".
	Title string
	// Footer is one line of provenance (queries, period, window, cost), shown under the chart.
	Footer string
	// Times are the shared timestamps, ascending; shown in UTC.
	Times      []time.Time
	Series     []Series
	Bands      []Band
	Events     []Event
	Thresholds []Threshold
	// LogY draws the y axes on a log scale, which shows a 200 ms average and a 3 s p99 with the
	// same care. Every finite value, band edge and threshold must then be positive.
	LogY bool
	// OneAxis keeps series of one unit on one y axis even when their peaks differ more than
	// tenfold; by default the smaller ones move to a second axis of the same unit so that they do
	// not flatten. Set it when the point is the comparison itself ("is the average hiding the
	// tail?").
	OneAxis bool
}

// MaxRecurring is the most events Recurring generates; a recurrence that would need more is an
// error (a bare number as a duration is nanoseconds: Recurring(..., 3600, 0, 300) is a typo that
// would otherwise draw billions of events).
const MaxRecurring = 10000

// Recurring returns one Event per period in [from, to): each starts at a multiple of every since
// the Unix epoch plus offset and lasts dur (zero: a line). Recurring(":00 backup", from, to,
// time.Hour, 0, 5*time.Minute) marks the first five minutes of every hour. A recurrence of more
// than MaxRecurring events in the window, or a cycle that is not positive, is an error.
func Recurring(name string, from, to time.Time, every, offset, dur time.Duration) ([]Event, error) {
	if every <= 0 {
		return nil, fmt.Errorf("chart: recurring event %q: cycle %s is not positive; use a duration such as time.Hour", name, every)
	}
	if !to.After(from) {
		return nil, nil
	}
	if n := to.Sub(from) / every; n > MaxRecurring {
		return nil, fmt.Errorf("chart: recurring event %q: a cycle of %s draws %d events between %s and %s, over the cap of %d; a bare number is nanoseconds: write time.Hour, not 3600",
			name, every, n, from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339), MaxRecurring)
	}
	start := from.Add(-offset).Truncate(0)
	// Epoch-aligned: time.Truncate rounds from year 1, not from the Unix epoch.
	ns := start.UnixNano()
	aligned := ns - ((ns%int64(every))+int64(every))%int64(every)
	t := time.Unix(0, aligned).UTC().Add(offset)
	var out []Event
	for ; t.Before(to); t = t.Add(every) {
		if t.Add(dur).Before(from) || (dur == 0 && t.Before(from)) {
			continue
		}
		e := Event{Name: name, Start: t}
		if dur > 0 {
			e.End = t.Add(dur)
		}
		out = append(out, e)
	}
	return out, nil
}

func ms(t time.Time) float64 { return float64(t.UnixMilli()) }

func checkTimes(what string, times []time.Time) error {
	for i := 1; i < len(times); i++ {
		if times[i].Before(times[i-1]) {
			return fmt.Errorf("chart: %s are not ascending at index %d (%s after %s); sort the data by time first",
				what, i, times[i].UTC().Format(time.RFC3339), times[i-1].UTC().Format(time.RFC3339))
		}
	}
	return nil
}

// Line builds a time-series line chart: every series as a line, bands as shaded envelopes, events
// as vertical lines or shaded spans, thresholds as dashed horizontal lines; legend, tooltips and
// zoom (mouse wheel and a slider); the time axis in UTC; the y axes named by unit, a second axis
// on the right when there are two units. Series longer than Options.MaxPoints are downsampled and
// the subtitle says so; a band keeps at most 600 min/max buckets (its envelope never narrows). Bad input (lengths that do not match the timestamps, timestamps out of
// order, more than two units) is an error naming the series.
func Line(ts TimeSeries, optFns ...func(*Options)) (*Chart, error) {
	o, err := buildOptions(optFns)
	if err != nil {
		return nil, err
	}
	if len(ts.Series) == 0 && len(ts.Bands) == 0 {
		return nil, fmt.Errorf("chart: TimeSeries %q has no Series and no Bands; add at least one", ts.Title)
	}
	if err := checkTimes("TimeSeries.Times", ts.Times); err != nil {
		return nil, err
	}
	if err := checkSeriesTimes(ts); err != nil {
		return nil, err
	}
	var unitLabels []string
	for _, s := range ts.Series {
		unitLabels = append(unitLabels, UnitLabel(s.Unit))
	}
	for i, b := range ts.Bands {
		if len(b.Lower) != len(ts.Times) || len(b.Upper) != len(ts.Times) {
			return nil, fmt.Errorf("chart: band %d (%q) has %d lower and %d upper values for %d timestamps; give one of each per timestamp", i, b.Name, len(b.Lower), len(b.Upper), len(ts.Times))
		}
		for k := range b.Lower {
			if b.Lower[k] > b.Upper[k] { // false when either is NaN
				return nil, fmt.Errorf("chart: band %d (%q) has lower %v above upper %v at %s; swap Lower and Upper", i, b.Name, b.Lower[k], b.Upper[k], ts.Times[k].UTC().Format(time.RFC3339))
			}
		}
		unitLabels = append(unitLabels, UnitLabel(b.Unit))
	}
	for i, e := range ts.Events {
		if e.Start.IsZero() {
			return nil, fmt.Errorf("chart: event %d (%q) has no Start time", i, e.Name)
		}
		if !e.End.IsZero() && e.End.Before(e.Start) {
			return nil, fmt.Errorf("chart: event %d (%q) ends before it starts; swap Start and End", i, e.Name)
		}
	}
	for i, th := range ts.Thresholds {
		if math.IsNaN(th.Value) || math.IsInf(th.Value, 0) {
			return nil, fmt.Errorf("chart: threshold %d (%q) has value %v; give a finite number", i, th.Name, th.Value)
		}
	}
	if ts.LogY {
		if err := checkPositive(ts); err != nil {
			return nil, err
		}
	}
	axes, axisOf, err := axisUnits(unitLabels)
	if err != nil {
		return nil, err
	}
	if len(axes) == 0 {
		axes, axisOf = []string{""}, map[string]int{"": 0}
	}
	// Series of one unit whose scales differ by more than scaleSplit (130 ms and 2,000 ms) would
	// flatten the smaller ones on a shared axis: the smaller go to a second axis of the same unit.
	split := 0.0
	if len(axes) == 1 && !ts.LogY && !ts.OneAxis {
		var named []namedPeak
		for _, s := range ts.Series {
			named = append(named, namedPeak{s.Name, peak(s.Values)})
		}
		for _, b := range ts.Bands {
			named = append(named, namedPeak{b.Name, peak(b.Upper)})
		}
		if cut, small := scaleGap(named); cut > 0 {
			split = cut
			axes = append(axes, axes[0]+" ("+shortList(small, 28)+")")
		}
	}
	axisFor := func(unit string, pk float64) int {
		if split > 0 && pk < split {
			return 1
		}
		return axisOf[unit]
	}
	for i, th := range ts.Thresholds {
		if _, ok := axisOf[UnitLabel(th.Unit)]; !ok && th.Unit != "" {
			return nil, fmt.Errorf("chart: threshold %d (%q) has unit %q but no series has it; use one of the series' units", i, th.Name, th.Unit)
		}
	}

	yType := "value"
	if ts.LogY {
		yType = "log"
		for i := range axes {
			axes[i] = logAxisName(axes[i])
		}
	}
	line := charts.NewLine()
	line.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Type: "scroll"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "time"}),
		charts.WithYAxisOpts(opts.YAxis{Type: yType, Name: axes[0], Scale: opts.Bool(false)}),
	)
	if len(axes) > 1 {
		line.ExtendYAxis(opts.YAxis{Type: yType, Name: axes[1], Position: "right"})
	}

	var notes []string
	meta := map[string]any{"kind": "time"}
	var metaUnits []string
	var hide []bool
	band := map[string]int{}
	var lines []string
	total, kept := 0, 0
	bandNote := ""
	seriesCount := 0
	addMeta := func(unit string, hidden bool) {
		metaUnits = append(metaUnits, unit)
		hide = append(hide, hidden)
		seriesCount++
	}
	var legend []string

	for _, s := range ts.Series {
		times := s.Times
		if times == nil {
			times = ts.Times
		}
		x := make([]float64, len(times))
		for i, t := range times {
			x[i] = ms(t)
		}
		limit := o.MaxPoints
		idx := downsample(x, s.Values, limit, o.Downsample)
		total += len(s.Values)
		kept += len(idx)
		data := make([]opts.LineData, len(idx))
		for j, i := range idx {
			data[j] = opts.LineData{Value: []any{x[i], cleanFloat(s.Values[i])}}
		}
		unit := UnitLabel(s.Unit)
		line.AddSeries(s.Name, data,
			charts.WithLineChartOpts(opts.LineChart{YAxisIndex: axisFor(unit, peak(s.Values)), ShowSymbol: opts.Bool(false), Symbol: "none"}),
			charts.WithLineStyleOpts(opts.LineStyle{Width: 1.5}),
		)
		addMeta(unit, false)
		legend = append(legend, s.Name)
		lines = append(lines, withUnit(s.Name, unit)+": "+summary(s.Values))
	}
	bandPalette := []string{"#5470c6", "#ee6666", "#91cc75", "#fac858"}
	for bi, b := range ts.Bands {
		x := make([]float64, len(ts.Times))
		for i, t := range ts.Times {
			x[i] = ms(t)
		}
		// A band is a shaded area, not a line to read values off: min/max buckets about two
		// pixels wide draw the same envelope, and a stacked area costs ECharts' server-side
		// render about six times what a line does.
		limit := min(o.MaxPoints, maxBandPoints)
		if o.MaxPoints < 0 {
			limit = maxBandPoints
		}
		if o.Downsample == NoDownsampling {
			limit = -1
		}
		bx, lo, hi := envelope(x, b.Lower, b.Upper, limit)
		if len(bx) < len(b.Lower) {
			bandNote = fmt.Sprintf("bands in %d min/max buckets", len(bx))
		}
		low := make([]opts.LineData, len(bx))
		diff := make([]opts.LineData, len(bx))
		for i := range bx {
			d := hi[i] - lo[i]
			low[i] = opts.LineData{Value: []any{bx[i], cleanFloat(lo[i])}}
			diff[i] = opts.LineData{Value: []any{bx[i], cleanFloat(d)}}
		}
		unit := UnitLabel(b.Unit)
		stack := fmt.Sprintf("cwnb-band-%d", bi)
		color := bandPalette[bi%len(bandPalette)]
		lowIndex := seriesCount
		// The lower edge is an invisible line; the visible band is (upper - lower) stacked on it.
		line.AddSeries(b.Name, low,
			charts.WithLineChartOpts(opts.LineChart{YAxisIndex: axisFor(unit, peak(b.Upper)), ShowSymbol: opts.Bool(false), Symbol: "none", Stack: stack}),
			charts.WithLineStyleOpts(opts.LineStyle{Opacity: opts.Float(0)}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: color}),
		)
		addMeta(unit, false)
		line.AddSeries(b.Name, diff,
			charts.WithLineChartOpts(opts.LineChart{YAxisIndex: axisFor(unit, peak(b.Upper)), ShowSymbol: opts.Bool(false), Symbol: "none", Stack: stack}),
			charts.WithLineStyleOpts(opts.LineStyle{Opacity: opts.Float(0)}),
			charts.WithAreaStyleOpts(opts.AreaStyle{Color: color, Opacity: opts.Float(0.22)}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: color}),
		)
		addMeta(unit, true)
		band[fmt.Sprint(lowIndex)] = lowIndex + 1
		legend = append(legend, b.Name)
		lines = append(lines, withUnit(b.Name, unit)+": lower "+summary(b.Lower)+"; upper "+summary(b.Upper))
	}

	option, err := optionMap(line)
	if err != nil {
		return nil, err
	}
	series := option["series"].([]any)
	for _, s := range series {
		sm := s.(map[string]any)
		sm["connectNulls"] = false
		if _, isBand := sm["stack"]; isBand {
			sm["emphasis"] = map[string]any{"disabled": true}
		}
	}
	// Markers live on helper series with no data, so hiding a data series in the legend does not
	// hide them, and they stay out of the legend.
	if len(ts.Events) > 0 {
		var lineData, areaData []any
		place := newLabelPlacer(ts, o.Width, 64, rightMargin(len(axes)))
		for _, e := range ts.Events {
			if e.End.IsZero() || e.End.Equal(e.Start) {
				lineData = append(lineData, map[string]any{"name": e.Name, "xAxis": ms(e.Start),
					"label": map[string]any{"formatter": e.Name, "color": "#a33", "position": place.lineSide(e.Start)}})
			}
		}
		// Recurring spans would pile their labels up: each name is labelled once, on the first of
		// its spans where the label fits inside the plot, clear of the axis labels beside it and
		// of the event lines' labels.
		labelled := map[string]bool{}
		for _, e := range ts.Events {
			if e.End.IsZero() || e.End.Equal(e.Start) {
				continue
			}
			label := map[string]any{"show": false}
			if !labelled[e.Name] && place.spanFits(e) {
				labelled[e.Name] = true
				label = map[string]any{"formatter": e.Name, "color": "#a33"}
			}
			areaData = append(areaData, []any{
				map[string]any{"name": e.Name, "xAxis": ms(e.Start), "label": label},
				map[string]any{"xAxis": ms(e.End)},
			})
		}
		ev := map[string]any{"type": "line", "name": "events", "data": []any{}, "silent": true, "tooltip": map[string]any{"show": false}}
		if len(lineData) > 0 {
			ev["markLine"] = map[string]any{"symbol": []any{"none", "none"}, "silent": true, "animation": false,
				"lineStyle": map[string]any{"color": "#a33", "type": "solid", "width": 1},
				"label":     map[string]any{"position": "insideEndTop", "fontSize": 11},
				"data":      lineData}
		}
		if len(areaData) > 0 {
			ev["markArea"] = map[string]any{"silent": true, "animation": false,
				"itemStyle": map[string]any{"color": "rgba(200,60,60,0.10)"},
				"label":     map[string]any{"position": "insideTop", "fontSize": 11},
				"data":      areaData}
		}
		series = append(series, ev)
		addMeta("", true)
		lines = append(lines, eventLines(ts.Events)...)
	}
	if len(ts.Thresholds) > 0 {
		perAxis := map[int][]any{}
		for _, th := range ts.Thresholds {
			ax := axisFor(UnitLabel(th.Unit), math.Abs(th.Value))
			label := th.Name
			if label == "" {
				label = formatNumber(th.Value)
			}
			perAxis[ax] = append(perAxis[ax], map[string]any{"name": th.Name, "yAxis": th.Value,
				"label": map[string]any{"formatter": label, "position": "insideEndTop", "color": "#c23"}})
			lines = append(lines, fmt.Sprintf("threshold %q at %s %s", th.Name, formatNumber(th.Value), UnitLabel(th.Unit)))
		}
		for ax := 0; ax < len(axes); ax++ {
			data, ok := perAxis[ax]
			if !ok {
				continue
			}
			series = append(series, map[string]any{"type": "line", "name": "thresholds", "data": []any{}, "yAxisIndex": ax, "silent": true,
				"tooltip": map[string]any{"show": false},
				"markLine": map[string]any{"symbol": []any{"none", "none"}, "silent": true, "animation": false,
					"lineStyle": map[string]any{"color": "#c23", "type": "dashed", "width": 1.5},
					"data":      data}})
			addMeta("", true)
		}
	}
	option["series"] = series

	if kept < total {
		notes = append(notes, fmt.Sprintf("downsampled %s → %s points (%s)", formatNumber(float64(total)), formatNumber(float64(kept)), o.Downsample))
	}
	if bandNote != "" {
		notes = append(notes, bandNote)
	}
	notes = append(notes, "times in UTC")
	top, bottom := frame(option, o.Width, ts.Title, strings.Join(notes, " · "), ts.Footer)

	option["legend"] = map[string]any{"type": "scroll", "top": top, "left": padX, "right": padX, "data": legend}
	option["useUTC"] = true
	option["backgroundColor"] = "#ffffff"
	option["animation"] = false
	option["color"] = palette
	option["tooltip"] = map[string]any{"trigger": "axis", "axisPointer": map[string]any{"type": "line"}, "confine": true}
	if xs, ok := option["xAxis"].([]any); ok {
		for _, x := range xs {
			if xm, ok := x.(map[string]any); ok {
				xm["axisLabel"] = timeAxisLabel(nil)
			}
		}
	}
	option["dataZoom"] = []any{
		map[string]any{"type": "inside"},
		map[string]any{"type": "slider", "bottom": bottom + 4, "height": 22},
	}
	option["grid"] = map[string]any{"top": top + 24 + 26, "bottom": bottom + 4 + 22 + 36, "left": 64, "right": rightMargin(len(axes)), "containLabel": false}
	// A threshold beyond the data would fall outside the axis and vanish: stretch the axis to it.
	for ax, ya := range yAxes(option) {
		var vals [][]float64
		for _, s := range ts.Series {
			if axisFor(UnitLabel(s.Unit), peak(s.Values)) == ax {
				vals = append(vals, s.Values)
			}
		}
		for _, b := range ts.Bands {
			if axisFor(UnitLabel(b.Unit), peak(b.Upper)) == ax {
				vals = append(vals, b.Lower, b.Upper)
			}
		}
		var ths []float64
		for _, th := range ts.Thresholds {
			if axisFor(UnitLabel(th.Unit), math.Abs(th.Value)) == ax {
				ths = append(ths, th.Value)
			}
		}
		stretchAxis(ya, vals, ths)
	}
	for _, a := range yAxes(option) {
		a["nameTextStyle"] = map[string]any{"fontWeight": "bold"}
		a["splitLine"] = map[string]any{"show": true}
		a["axisLine"] = map[string]any{"show": true}
	}
	if len(axes) > 1 {
		// The right axis would draw its own grid lines that do not line up; keep the left ones.
		yAxes(option)[1]["splitLine"] = map[string]any{"show": false}
	}
	meta["units"] = metaUnits
	meta["hide"] = hide
	meta["band"] = band
	return &Chart{
		title: ts.Title, footer: ts.Footer,
		alt:    altText(ts.Title, lines, ts.Footer),
		option: option, meta: meta, opts: o, slider: 22 + 8,
	}, nil
}

// scaleSplit is the ratio of peaks beyond which series of one unit get two axes.
const scaleSplit = 10

type namedPeak struct {
	name string
	peak float64
}

// peak is the largest absolute value, ignoring NaN; 0 for none.
func peak(values []float64) float64 {
	m := 0.0
	for _, v := range values {
		if a := math.Abs(v); a > m && !math.IsInf(a, 0) {
			m = a
		}
	}
	return m
}

// scaleGap finds the widest ratio between consecutive peaks (sorted); when it exceeds scaleSplit
// it returns a cut between them (their geometric mean) and the names below the cut.
func scaleGap(named []namedPeak) (cut float64, small []string) {
	var ps []float64
	for _, n := range named {
		if n.peak > 0 {
			ps = append(ps, n.peak)
		}
	}
	if len(ps) < 2 {
		return 0, nil
	}
	sort.Float64s(ps)
	best := 0.0
	for i := 1; i < len(ps); i++ {
		if r := ps[i] / ps[i-1]; r > scaleSplit && r > best {
			best, cut = r, math.Sqrt(ps[i]*ps[i-1])
		}
	}
	if cut == 0 {
		return 0, nil
	}
	seen := map[string]bool{}
	for _, n := range named {
		if n.peak < cut && !seen[n.name] {
			seen[n.name] = true
			small = append(small, n.name)
		}
	}
	return cut, small
}

// shortList joins names with ", " and cuts the result to at most n characters with "…".
func shortList(names []string, n int) string {
	s := []rune(strings.Join(names, ", "))
	if len(s) <= n {
		return string(s)
	}
	return string(s[:n-1]) + "…"
}

// timeAxisLabels are the label formats of a time axis by the level of the tick, in ECharts'
// template syntax (UTC, since options set useUTC): a tick where the day changes reads "Nov 13",
// not a bare "13", and the month and year appear where they change.
var timeAxisLabels = map[string]any{
	"year": "{yyyy}", "month": "{MMM} {yyyy}", "day": "{MMM} {d}",
	"hour": "{HH}:{mm}", "minute": "{HH}:{mm}", "second": "{HH}:{mm}:{ss}", "millisecond": "{HH}:{mm}:{ss}.{SSS}",
	"none": "{MMM} {d} {HH}:{mm}",
}

// timeAxisLabel is the axisLabel of a time axis: timeAxisLabels, labels that would overlap
// hidden, plus extra settings.
func timeAxisLabel(extra map[string]any) map[string]any {
	l := map[string]any{"formatter": timeAxisLabels, "hideOverlap": true}
	for k, v := range extra {
		l[k] = v
	}
	return l
}

// labelPlacer maps times to pixels of the plot (the time axis spans the data's first to last time)
// to keep event labels clear of the y axis labels and of each other.
type labelPlacer struct {
	t0, t1      float64 // ms
	left, right float64 // px of the plot
	lines       []float64
}

// eventLabelFont is the font of event labels (ECharts' default label size in markers).
const eventLabelFont = "11px sans-serif"

func newLabelPlacer(ts TimeSeries, width, gridLeft, gridRight int) *labelPlacer {
	p := &labelPlacer{t0: math.Inf(1), t1: math.Inf(-1), left: float64(gridLeft), right: float64(width - gridRight)}
	see := func(times []time.Time) {
		for _, t := range times {
			p.t0, p.t1 = math.Min(p.t0, ms(t)), math.Max(p.t1, ms(t))
		}
	}
	see(ts.Times)
	for _, s := range ts.Series {
		see(s.Times)
	}
	for _, e := range ts.Events {
		if e.End.IsZero() || e.End.Equal(e.Start) {
			p.lines = append(p.lines, p.px(e.Start))
		}
	}
	return p
}

func (p *labelPlacer) px(t time.Time) float64 {
	if !(p.t1 > p.t0) {
		return (p.left + p.right) / 2
	}
	return p.left + (ms(t)-p.t0)/(p.t1-p.t0)*(p.right-p.left)
}

// lineSide is where a vertical event line's label goes: along the line's top, on its left side
// ("insideEndTop"), or on its right side when the left one would reach the y axis labels.
func (p *labelPlacer) lineSide(t time.Time) string {
	if p.px(t)-eventLineRoom < p.left+2 {
		return "insideEndBottom"
	}
	return "insideEndTop"
}

// eventLineRoom is the width a vertical label takes beside its line, font height and gap.
const eventLineRoom = 16

// spanFits reports whether the label of span e, centred at the top of the span, stays inside the
// plot and clear of every event line's label.
func (p *labelPlacer) spanFits(e Event) bool {
	w := measureText(e.Name, eventLabelFont)
	c := (p.px(e.Start) + p.px(e.End)) / 2
	lo, hi := c-w/2-4, c+w/2+4
	if lo < p.left+2 || hi > p.right-2 {
		return false
	}
	for _, x := range p.lines {
		if hi > x-eventLineRoom && lo < x+eventLineRoom {
			return false
		}
	}
	return true
}

// maxBandPoints is the most buckets a band keeps (see Line).
const maxBandPoints = 600

// palette is ECharts' default series palette, written out so the option says what it shows.
var palette = []string{"#5470c6", "#ee6666", "#91cc75", "#fac858", "#73c0de", "#3ba272", "#fc8452", "#9a60b4", "#ea7ccc"}

func rightMargin(axes int) int {
	if axes > 1 {
		return 64
	}
	return 28
}

func yAxes(option map[string]any) []map[string]any {
	var out []map[string]any
	switch v := option["yAxis"].(type) {
	case []any:
		for _, a := range v {
			if m, ok := a.(map[string]any); ok {
				out = append(out, m)
			}
		}
	case map[string]any:
		out = append(out, v)
	}
	return out
}

// stretchAxis sets an axis' max (or min) so that every threshold lies inside it, when a threshold
// is beyond the data; ECharts fits the axis to the data only, and a mark line outside it is not
// drawn. Without data or thresholds it leaves the axis alone.
func stretchAxis(axis map[string]any, values [][]float64, thresholds []float64) {
	if len(thresholds) == 0 {
		return
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, vs := range values {
		for _, v := range vs {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	tlo, thi := math.Inf(1), math.Inf(-1)
	for _, t := range thresholds {
		tlo, thi = math.Min(tlo, t), math.Max(thi, t)
	}
	if math.IsInf(hi, -1) || thi > hi {
		axis["max"] = roundAxis(thi + 0.05*math.Abs(thi))
	}
	if tlo < 0 && (math.IsInf(lo, 1) || tlo < lo) {
		axis["min"] = -roundAxis(-(tlo - 0.05*math.Abs(tlo)))
	}
}

// roundAxis rounds v > 0 up to the next value ECharts also ticks nicely: 1, 1.2, 1.5, 2,
// 2.5, 3, 4, 5, 6, 8 times a power of ten (84 → 100, 1,050 → 1,200).
func roundAxis(v float64) float64 {
	if v <= 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if m*p >= v*(1-1e-12) {
			return m * p
		}
	}
	return 10 * p
}

// checkPositive rejects values a log axis cannot show.
func checkPositive(ts TimeSeries) error {
	bad := func(vs []float64) (int, float64, bool) {
		for i, v := range vs {
			if !math.IsNaN(v) && v <= 0 {
				return i, v, true
			}
		}
		return 0, 0, false
	}
	for k, s := range ts.Series {
		if i, v, ok := bad(s.Values); ok {
			return fmt.Errorf("chart: series %d (%q) has the value %v at index %d, which a log axis cannot show; set LogY to false or drop values ≤ 0", k, s.Name, v, i)
		}
	}
	for k, b := range ts.Bands {
		for _, edge := range [][]float64{b.Lower, b.Upper} {
			if i, v, ok := bad(edge); ok {
				return fmt.Errorf("chart: band %d (%q) has the value %v at index %d, which a log axis cannot show; set LogY to false or drop values ≤ 0", k, b.Name, v, i)
			}
		}
	}
	for k, th := range ts.Thresholds {
		if th.Value <= 0 {
			return fmt.Errorf("chart: threshold %d (%q) is %v, which a log axis cannot show; set LogY to false", k, th.Name, th.Value)
		}
	}
	return nil
}

// eventLines summarises events for the alt text: one line per event name, in order of first
// appearance, with how many times it occurs (`event ":00 backup" ×168`).
func eventLines(events []Event) []string {
	counts := map[string]int{}
	var order []string
	for _, e := range events {
		if counts[e.Name] == 0 {
			order = append(order, e.Name)
		}
		counts[e.Name]++
	}
	lines := make([]string, 0, len(order))
	for _, name := range order {
		lines = append(lines, fmt.Sprintf("event %q ×%d", name, counts[name]))
	}
	return lines
}

// checkSeriesTimes checks that every series has valid timestamps of its own (or uses the shared
// ones) and exactly one value per timestamp.
func checkSeriesTimes(ts TimeSeries) error {
	for i, s := range ts.Series {
		times := s.Times
		if times == nil {
			times = ts.Times
		} else if err := checkTimes(fmt.Sprintf("the Times of series %d (%q)", i, s.Name), times); err != nil {
			return err
		}
		if len(s.Values) != len(times) {
			return fmt.Errorf("chart: series %d (%q) has %d values for %d timestamps; give one value per timestamp (NaN for a gap)", i, s.Name, len(s.Values), len(times))
		}
	}
	return nil
}
