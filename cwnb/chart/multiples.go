package chart

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// SmallMultiples builds a grid of small time-series charts, one panel per series, sharing the time
// axis and its zoom: the way to compare dozens of series (one per instance, per API) without a
// tangle of lines. columns is the number of panels per row (zero: up to 4, chosen from the series
// count). Events are drawn in every panel; a threshold in every panel of its unit. Each panel has
// its own y scale. Bands are not supported here (use Line). Without an explicit height
// (WithSize), the chart grows with the number of rows.
func SmallMultiples(ts TimeSeries, columns int, optFns ...func(*Options)) (*Chart, error) {
	var raw Options
	for _, f := range optFns {
		if f != nil {
			f(&raw)
		}
	}
	n := len(ts.Series)
	if n == 0 {
		return nil, fmt.Errorf("chart: SmallMultiples %q has no Series; add at least one", ts.Title)
	}
	if len(ts.Bands) > 0 {
		return nil, fmt.Errorf("chart: SmallMultiples %q has Bands, which small multiples do not draw; use Line for bands", ts.Title)
	}
	if columns < 0 || columns > 12 {
		return nil, fmt.Errorf("chart: SmallMultiples %q asks for %d columns; use 1..12, or 0 to choose", ts.Title, columns)
	}
	if columns == 0 {
		columns = int(math.Min(4, math.Ceil(math.Sqrt(float64(n)))))
	}
	if columns > n {
		columns = n
	}
	rows := (n + columns - 1) / columns
	const panelH, panelGap = 120, 52
	if raw.Height == 0 {
		h := 110 + rows*(panelH+panelGap) + 40
		if h > maxPixels {
			return nil, fmt.Errorf("chart: SmallMultiples %q needs %d rows of panels, taller than %d pixels; use more columns or fewer series", ts.Title, rows, maxPixels)
		}
		optFns = append(append([]func(*Options){}, optFns...), func(o *Options) { o.Height = h })
	}
	o, err := buildOptions(optFns)
	if err != nil {
		return nil, err
	}
	if err := checkTimes("TimeSeries.Times", ts.Times); err != nil {
		return nil, err
	}
	if err := checkSeriesTimes(ts); err != nil {
		return nil, err
	}
	for i, e := range ts.Events {
		if e.Start.IsZero() {
			return nil, fmt.Errorf("chart: event %d (%q) has no Start time", i, e.Name)
		}
	}

	line := charts.NewLine()
	line.SetGlobalOptions(charts.WithXAxisOpts(opts.XAxis{Type: "time", GridIndex: 0}), charts.WithYAxisOpts(opts.YAxis{Type: "value", GridIndex: 0}))
	for i := 1; i < n; i++ {
		line.ExtendXAxis(opts.XAxis{Type: "time", GridIndex: i})
		line.ExtendYAxis(opts.YAxis{Type: "value", GridIndex: i})
	}
	var lines, units []string
	total, kept := 0, 0
	for i, s := range ts.Series {
		times := s.Times
		if times == nil {
			times = ts.Times
		}
		x := make([]float64, len(times))
		for k, t := range times {
			x[k] = ms(t)
		}
		idx := downsample(x, s.Values, o.MaxPoints, o.Downsample)
		total += len(s.Values)
		kept += len(idx)
		data := make([]opts.LineData, len(idx))
		for j, k := range idx {
			data[j] = opts.LineData{Value: []any{x[k], cleanFloat(s.Values[k])}}
		}
		line.AddSeries(s.Name, data, charts.WithLineChartOpts(opts.LineChart{XAxisIndex: i, YAxisIndex: i, ShowSymbol: opts.Bool(false), Symbol: "none"}),
			charts.WithLineStyleOpts(opts.LineStyle{Width: 1.2}))
		unit := UnitLabel(s.Unit)
		units = append(units, unit)
		lines = append(lines, withUnit(s.Name, unit)+": "+summary(s.Values))
	}
	option, err := optionMap(line)
	if err != nil {
		return nil, err
	}
	var notes []string
	if kept < total {
		notes = append(notes, fmt.Sprintf("downsampled %s → %s points (%s)", formatNumber(float64(total)), formatNumber(float64(kept)), o.Downsample))
	}
	notes = append(notes, "times in UTC", "each panel has its own y scale")
	if len(ts.Events) > 0 {
		notes = append(notes, "marked: "+eventNames(ts.Events))
	}
	top, bottom := frame(option, o.Width, ts.Title, strings.Join(notes, " · "), ts.Footer)
	titles, _ := option["title"].([]any)

	left, right, gapX := 56, 20, 56
	panelW := (o.Width - left - right - (columns-1)*gapX) / columns
	if panelW < 60 {
		return nil, fmt.Errorf("chart: SmallMultiples %q with %d columns leaves %d pixels per panel; use fewer columns or a wider chart", ts.Title, columns, panelW)
	}
	avail := o.Height - top - bottom - 40 - 10
	ph := avail/rows - panelGap
	if ph < 40 {
		return nil, fmt.Errorf("chart: SmallMultiples %q with %d rows leaves %d pixels per panel; make the chart taller or use more columns", ts.Title, rows, ph)
	}
	var grids []any
	xs, _ := option["xAxis"].([]any)
	ys, _ := option["yAxis"].([]any)
	series := option["series"].([]any)
	thresholdsByUnit := map[string][]any{}
	for _, th := range ts.Thresholds {
		u := UnitLabel(th.Unit)
		label := th.Name
		if label == "" {
			label = formatNumber(th.Value)
		}
		thresholdsByUnit[u] = append(thresholdsByUnit[u], map[string]any{"yAxis": th.Value, "label": map[string]any{"formatter": label, "position": "insideEndBottom", "color": "#c23", "fontSize": 10}})
		lines = append(lines, fmt.Sprintf("threshold %q at %s %s", th.Name, formatNumber(th.Value), u))
	}
	for i := 0; i < n; i++ {
		r, c := i/columns, i%columns
		gl := left + c*(panelW+gapX)
		gt := top + 28 + r*(ph+panelGap)
		grids = append(grids, map[string]any{"left": gl, "top": gt, "width": panelW, "height": ph})
		titles = append(titles, map[string]any{"text": withUnit(ts.Series[i].Name, units[i]), "left": gl, "top": gt - 20,
			"textStyle": map[string]any{"fontSize": 12, "fontWeight": "bold", "color": "#333", "width": panelW, "overflow": "truncate"}})
		if i < len(xs) {
			xa := xs[i].(map[string]any)
			xa["axisLabel"] = timeAxisLabel(map[string]any{"fontSize": 10})
			xa["splitNumber"] = 3
		}
		if i < len(ys) {
			ya := ys[i].(map[string]any)
			var ths []float64
			for _, th := range ts.Thresholds {
				if UnitLabel(th.Unit) == units[i] {
					ths = append(ths, th.Value)
				}
			}
			stretchAxis(ya, [][]float64{ts.Series[i].Values}, ths)
			ya["axisLabel"] = map[string]any{"fontSize": 10}
			ya["splitNumber"] = 3
			ya["axisLine"] = map[string]any{"show": true}
		}
		sm := series[i].(map[string]any)
		sm["connectNulls"] = false
		if ths := thresholdsByUnit[units[i]]; len(ths) > 0 {
			sm["markLine"] = map[string]any{"symbol": []any{"none", "none"}, "silent": true, "animation": false,
				"lineStyle": map[string]any{"color": "#c23", "type": "dashed", "width": 1}, "data": ths}
		}
		if len(ts.Events) > 0 {
			addEventMarks(sm, ts.Events, false)
		}
	}
	lines = append(lines, eventLines(ts.Events)...)
	all := make([]any, n)
	for i := range all {
		all[i] = i
	}
	option["title"] = titles
	option["grid"] = grids
	option["useUTC"] = true
	option["backgroundColor"] = "#ffffff"
	option["animation"] = false
	option["color"] = palette
	option["tooltip"] = map[string]any{"trigger": "axis", "confine": true}
	option["axisPointer"] = map[string]any{"link": []any{map[string]any{"xAxisIndex": "all"}}}
	option["dataZoom"] = []any{
		map[string]any{"type": "inside", "xAxisIndex": all},
		map[string]any{"type": "slider", "xAxisIndex": all, "bottom": bottom + 4, "height": 20, "left": left, "right": right},
	}
	meta := map[string]any{"kind": "multiples", "units": units}
	return &Chart{title: ts.Title, footer: ts.Footer, alt: altText(ts.Title, lines, ts.Footer), option: option, meta: meta, opts: o}, nil
}

// addEventMarks puts events on a series as markLine (moments) and markArea (spans); labels only
// when label is true, so a grid of panels is not covered in text.
func addEventMarks(sm map[string]any, events []Event, label bool) {
	var lineData, areaData []any
	for k, e := range events {
		lb := map[string]any{"show": label && k == 0, "formatter": e.Name, "color": "#a33", "fontSize": 10}
		if e.End.IsZero() || e.End.Equal(e.Start) {
			lineData = append(lineData, map[string]any{"name": e.Name, "xAxis": ms(e.Start),
				"lineStyle": map[string]any{"color": "#a33", "type": "solid", "width": 1},
				"label":     map[string]any{"show": label, "formatter": e.Name, "color": "#a33", "fontSize": 10}})
		} else {
			areaData = append(areaData, []any{map[string]any{"name": e.Name, "xAxis": ms(e.Start), "label": lb}, map[string]any{"xAxis": ms(e.End)}})
		}
	}
	if len(lineData) > 0 {
		ml, _ := sm["markLine"].(map[string]any)
		if ml == nil {
			sm["markLine"] = map[string]any{"symbol": []any{"none", "none"}, "silent": true, "animation": false,
				"lineStyle": map[string]any{"color": "#a33", "type": "solid", "width": 1}, "data": lineData}
		} else {
			ml["data"] = append(ml["data"].([]any), lineData...)
		}
	}
	if len(areaData) > 0 {
		sm["markArea"] = map[string]any{"silent": true, "animation": false,
			"itemStyle": map[string]any{"color": "rgba(200,60,60,0.10)"}, "label": map[string]any{"position": "insideTop"}, "data": areaData}
	}
}

// eventNames lists the distinct event names in order of first appearance, quoted.
func eventNames(events []Event) string {
	seen := map[string]bool{}
	var names []string
	for _, e := range events {
		if !seen[e.Name] {
			seen[e.Name] = true
			names = append(names, strconv.Quote(e.Name))
		}
	}
	return strings.Join(names, ", ")
}
