package chart

import (
	"fmt"
	"math"
	"sort"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Sample is one named set of observations, e.g. the latencies before a change.
type Sample struct {
	Name   string
	Values []float64 // NaN values are skipped (and counted in the subtitle)
}

// Distribution is the plain data of a histogram or a CDF: one or more samples in one unit,
// typically "before" against "after".
type Distribution struct {
	Title  string
	Footer string
	Unit   string
	// Samples are drawn over each other with the same bins.
	Samples []Sample
	// Bins is the number of histogram bins. Zero: 40.
	Bins int
	// Log uses logarithmic bins and a log value axis, for latencies that span decades. Every
	// finite value must then be positive.
	Log bool
}

type cleanSample struct {
	name   string
	sorted []float64
	nan    int
}

func (d Distribution) clean() ([]cleanSample, float64, float64, error) {
	if len(d.Samples) == 0 {
		return nil, 0, 0, fmt.Errorf("chart: Distribution %q has no Samples; add at least one", d.Title)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	out := make([]cleanSample, len(d.Samples))
	for i, s := range d.Samples {
		cs := cleanSample{name: s.Name, sorted: make([]float64, 0, len(s.Values))}
		for _, v := range s.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				cs.nan++
				continue
			}
			if d.Log && v <= 0 {
				return nil, 0, 0, fmt.Errorf("chart: sample %d (%q) has the value %v, which a log scale cannot show; drop values ≤ 0 or set Log to false", i, s.Name, v)
			}
			cs.sorted = append(cs.sorted, v)
		}
		if len(cs.sorted) == 0 {
			return nil, 0, 0, fmt.Errorf("chart: sample %d (%q) has no finite values; it cannot be drawn", i, s.Name)
		}
		sort.Float64s(cs.sorted)
		lo, hi = math.Min(lo, cs.sorted[0]), math.Max(hi, cs.sorted[len(cs.sorted)-1])
		out[i] = cs
	}
	return out, lo, hi, nil
}

// quantile7 is the Hyndman-Fan type 7 quantile (numpy's and R's default) of sorted values,
// p in [0, 1].
func quantile7(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	h := p * float64(n-1)
	i := int(math.Floor(h))
	if i >= n-1 {
		return sorted[n-1]
	}
	return sorted[i] + (h-float64(i))*(sorted[i+1]-sorted[i])
}

func sampleLine(s cleanSample, unit string) string {
	q := func(p float64) string { return formatNumber(quantile7(s.sorted, p)) }
	line := fmt.Sprintf("%s: %s values, p50 %s, p90 %s, p99 %s, max %s %s", s.name, formatNumber(float64(len(s.sorted))), q(0.5), q(0.9), q(0.99), formatNumber(s.sorted[len(s.sorted)-1]), unit)
	if s.nan > 0 {
		line += fmt.Sprintf(" (%s NaN skipped)", formatNumber(float64(s.nan)))
	}
	return line
}

func skippedNote(samples []cleanSample) string {
	n := 0
	for _, s := range samples {
		n += s.nan
	}
	if n == 0 {
		return ""
	}
	return plural(n, "NaN value", "NaN values") + " skipped"
}

func join(parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += " · "
		}
		out += p
	}
	return out
}

// Histogram builds a histogram of each sample over shared bins, as overlaid step areas; the y
// axis is the percentage of the sample in each bin, so samples of different sizes compare.
func Histogram(d Distribution, optFns ...func(*Options)) (*Chart, error) {
	o, err := buildOptions(optFns)
	if err != nil {
		return nil, err
	}
	samples, lo, hi, err := d.clean()
	if err != nil {
		return nil, err
	}
	bins := d.Bins
	if bins == 0 {
		bins = 40
	}
	if bins < 1 || bins > 10000 {
		return nil, fmt.Errorf("chart: Distribution %q asks for %d bins; use 1..10000", d.Title, bins)
	}
	if hi == lo {
		if d.Log {
			lo, hi = lo/1.5, hi*1.5
		} else {
			lo, hi = lo-0.5, hi+0.5
		}
	}
	lo, hi = niceFloor(lo), niceCeil(hi)
	edges := make([]float64, bins+1)
	for i := range edges {
		f := float64(i) / float64(bins)
		if d.Log {
			edges[i] = math.Exp(math.Log(lo) + f*(math.Log(hi)-math.Log(lo)))
		} else {
			edges[i] = lo + f*(hi-lo)
		}
	}
	edges[bins] = hi
	unit := UnitLabel(d.Unit)
	line := charts.NewLine()
	axisType := "value"
	if d.Log {
		axisType = "log"
	}
	xMin, xMax, xName := edges[0], edges[bins], unit
	if d.Log {
		xMin, xMax, xName = decadeFloor(lo), decadeCeil(hi), logAxisName(unit)
	}
	line.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Type: axisType, Name: xName, Min: xMin, Max: xMax}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "% of sample"}),
	)
	var lines []string
	for _, s := range samples {
		counts := make([]int, bins)
		for _, v := range s.sorted {
			i := sort.SearchFloat64s(edges, v)
			// edges[i-1] < v <= edges[i]; bin i-1, and the minimum goes in bin 0.
			b := i - 1
			if b < 0 {
				b = 0
			}
			if b >= bins {
				b = bins - 1
			}
			counts[b]++
		}
		data := make([]opts.LineData, 0, bins+1)
		for b := 0; b < bins; b++ {
			data = append(data, opts.LineData{Value: []any{edges[b], 100 * float64(counts[b]) / float64(len(s.sorted))}})
		}
		data = append(data, opts.LineData{Value: []any{edges[bins], 100 * float64(counts[bins-1]) / float64(len(s.sorted))}})
		line.AddSeries(s.name, data,
			charts.WithLineChartOpts(opts.LineChart{Step: "end", ShowSymbol: opts.Bool(false), Symbol: "none"}),
			charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.25)}),
		)
		lines = append(lines, sampleLine(s, unit))
	}
	option, err := optionMap(line)
	if err != nil {
		return nil, err
	}
	scale := "linear bins"
	if d.Log {
		scale = "log bins"
	}
	top, bottom := frame(option, o.Width, d.Title, join(fmt.Sprintf("%d %s", bins, scale), skippedNote(samples)), d.Footer)
	distCommon(option, o, top, bottom, len(samples))
	return &Chart{title: d.Title, footer: d.Footer, alt: altText(d.Title, lines, d.Footer), option: option,
		meta: map[string]any{"kind": "dist"}, opts: o}, nil
}

// CDF builds the empirical cumulative distribution of each sample: for a value x on the value
// axis, the percentage of the sample at or below x. Dashed guides mark 50%, 90% and 99%, so the
// median and the tail read off directly. Samples above Options.MaxPoints values are thinned to
// evenly spaced ranks, always keeping the maximum.
func CDF(d Distribution, optFns ...func(*Options)) (*Chart, error) {
	o, err := buildOptions(optFns)
	if err != nil {
		return nil, err
	}
	samples, lo, hi, err := d.clean()
	if err != nil {
		return nil, err
	}
	unit := UnitLabel(d.Unit)
	axisType := "value"
	xMin, xMax, xName := niceFloor(lo), niceCeil(hi), unit
	if d.Log {
		axisType = "log"
		xMin, xMax, xName = decadeFloor(lo), decadeCeil(hi), logAxisName(unit)
	}
	line := charts.NewLine()
	line.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Type: axisType, Name: xName, Min: xMin, Max: xMax, Scale: opts.Bool(true)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "% ≤ x", Min: 0, Max: 100}),
	)
	var lines []string
	total, kept := 0, 0
	for _, s := range samples {
		n := len(s.sorted)
		limit := o.MaxPoints
		if limit < 0 || o.Downsample == NoDownsampling || n <= limit {
			limit = n
		}
		data := make([]opts.LineData, 0, limit+1)
		last := -1
		for k := 0; k < limit; k++ {
			i := int(math.Round(float64(k) * float64(n-1) / float64(max(limit-1, 1))))
			if i == last {
				continue
			}
			last = i
			data = append(data, opts.LineData{Value: []any{s.sorted[i], 100 * float64(i+1) / float64(n)}})
		}
		total += n
		kept += len(data)
		line.AddSeries(s.name, data,
			charts.WithLineChartOpts(opts.LineChart{Step: "end", ShowSymbol: opts.Bool(false), Symbol: "none"}),
		)
		lines = append(lines, sampleLine(s, unit))
	}
	option, err := optionMap(line)
	if err != nil {
		return nil, err
	}
	if series, ok := option["series"].([]any); ok && len(series) > 0 {
		series[0].(map[string]any)["markLine"] = map[string]any{
			"symbol": []any{"none", "none"}, "silent": true, "animation": false,
			"lineStyle": map[string]any{"color": "#999", "type": "dashed", "width": 1},
			"label":     map[string]any{"position": "insideEndTop", "color": "#666", "fontSize": 11},
			"data": []any{
				map[string]any{"yAxis": 50, "label": map[string]any{"formatter": "p50"}},
				map[string]any{"yAxis": 90, "label": map[string]any{"formatter": "p90"}},
				map[string]any{"yAxis": 99, "label": map[string]any{"formatter": "p99"}},
			},
		}
	}
	note := ""
	if kept < total {
		note = fmt.Sprintf("thinned %s → %s points (evenly spaced ranks)", formatNumber(float64(total)), formatNumber(float64(kept)))
	}
	top, bottom := frame(option, o.Width, d.Title, join(note, skippedNote(samples)), d.Footer)
	distCommon(option, o, top, bottom, len(samples))
	return &Chart{title: d.Title, footer: d.Footer, alt: altText(d.Title, lines, d.Footer), option: option,
		meta: map[string]any{"kind": "dist"}, opts: o}, nil
}

func distCommon(option map[string]any, o Options, top, bottom, n int) {
	option["backgroundColor"] = "#ffffff"
	option["animation"] = false
	option["color"] = palette
	option["legend"] = map[string]any{"type": "scroll", "top": top, "left": padX, "right": padX}
	option["tooltip"] = map[string]any{"trigger": "axis", "confine": true}
	option["grid"] = map[string]any{"top": top + 24 + 26, "bottom": bottom + 44, "left": 64, "right": 48} // room above for the y axis name under the legend, below for the x axis name over the footer
	for _, a := range yAxes(option) {
		a["nameTextStyle"] = map[string]any{"fontWeight": "bold"}
	}
	if xs, ok := option["xAxis"].([]any); ok && len(xs) > 0 {
		x := xs[0].(map[string]any)
		x["nameTextStyle"] = map[string]any{"fontWeight": "bold"}
		x["nameLocation"] = "middle"
		x["nameGap"] = 26
	}
	for _, s := range option["series"].([]any) {
		s.(map[string]any)["connectNulls"] = false
	}
}

// niceFloor and niceCeil round to two significant digits, downwards and upwards, so that axis
// ends read as numbers a person would write (59.56 → 59, 3,824.9 → 3,900).
func niceFloor(v float64) float64 { return niceRound(v, math.Floor) }

func niceCeil(v float64) float64 { return niceRound(v, math.Ceil) }

func niceRound(v float64, f func(float64) float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	p := math.Pow(10, math.Floor(math.Log10(math.Abs(v)))-1)
	return f(v/p) * p
}

// decadeFloor and decadeCeil round a positive value to the power of ten below and above it: a log
// axis labels its decades, so bounds on decades give it at least two labelled ticks (100, 1,000)
// where bounds such as 440 and 6,000 left only unlabelled ones.
func decadeFloor(v float64) float64 {
	if !(v > 0) {
		return v
	}
	return math.Pow(10, math.Floor(math.Log10(v)+1e-9))
}

func decadeCeil(v float64) float64 {
	if !(v > 0) {
		return v
	}
	return math.Pow(10, math.Ceil(math.Log10(v)-1e-9))
}

// logAxisName is the name of a log axis: the unit, and that the scale is logarithmic.
func logAxisName(unit string) string {
	if unit == "" {
		return "log scale"
	}
	return unit + " (log scale)"
}
