package chart

import (
	"fmt"
	"math"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Matrix is the plain data of a heatmap: Values[r][c] is the cell of row r and column c, e.g.
// day × minute-of-hour or weekday × hour-of-day from a seasonality fold. NaN cells (no data) are
// left blank, never drawn as zero.
type Matrix struct {
	Title  string
	Footer string
	// Rows label the y axis (top to bottom), Cols the x axis (left to right).
	Rows, Cols []string
	// RowName and ColName name the axes, e.g. "day" and "minute of hour".
	RowName, ColName string
	Values           [][]float64
	// Unit of the values (CloudWatch name or label), shown on the colour scale.
	Unit string
}

// Heatmap builds a heatmap of m with a continuous colour scale from the minimum to the maximum
// finite value. Rows are drawn top to bottom in the order given.
func Heatmap(m Matrix, optFns ...func(*Options)) (*Chart, error) {
	o, err := buildOptions(optFns)
	if err != nil {
		return nil, err
	}
	if len(m.Rows) == 0 || len(m.Cols) == 0 {
		return nil, fmt.Errorf("chart: Matrix %q has %d rows and %d columns; give at least one of each", m.Title, len(m.Rows), len(m.Cols))
	}
	if len(m.Values) != len(m.Rows) {
		return nil, fmt.Errorf("chart: Matrix %q has %d rows of values for %d row labels; give one row of values per label", m.Title, len(m.Values), len(m.Rows))
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	var data []opts.HeatMapData
	missing := 0
	for r, row := range m.Values {
		if len(row) != len(m.Cols) {
			return nil, fmt.Errorf("chart: Matrix %q row %d (%q) has %d values for %d columns; give one value per column (NaN for no data)", m.Title, r, m.Rows[r], len(row), len(m.Cols))
		}
		for c, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				missing++
				continue
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
			data = append(data, opts.HeatMapData{Value: [3]any{c, r, v}})
		}
	}
	if len(data) == 0 {
		lo, hi = 0, 1
	}
	if lo == hi {
		hi = lo + 1
	}
	unit := UnitLabel(m.Unit)
	hm := charts.NewHeatMap()
	hm.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: m.Cols, Name: m.ColName, NameLocation: "middle", NameGap: 28}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: m.Rows, Name: m.RowName, Inverse: opts.Bool(true), NameLocation: "start"}),
	)
	hm.AddSeries(withUnit("value", unit), data)
	option, err := optionMap(hm)
	if err != nil {
		return nil, err
	}
	sub := fmt.Sprintf("%d × %d cells", len(m.Rows), len(m.Cols))
	if missing > 0 {
		sub += fmt.Sprintf(", %s without data (blank)", formatNumber(float64(missing)))
	}
	top, bottom := frame(option, o.Width, m.Title, sub, m.Footer)
	option["backgroundColor"] = "#ffffff"
	option["animation"] = false
	option["tooltip"] = map[string]any{"trigger": "item", "confine": true}
	option["visualMap"] = map[string]any{
		"type": "continuous", "min": lo, "max": hi, "calculable": true, "orient": "vertical",
		"right": padX, "top": top + 22, "itemHeight": math.Max(60, float64(o.Height-top-bottom-110)),
		"precision": precision(lo, hi), "text": []any{unit, ""}, "textGap": 14,
		"inRange": map[string]any{"color": []any{"#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"}},
	}
	option["grid"] = map[string]any{"top": top + 28, "bottom": bottom + 40, "left": padX, "right": 120, "containLabel": true}
	if xs, ok := option["xAxis"].([]any); ok && len(xs) > 0 {
		x := xs[0].(map[string]any)
		x["splitArea"] = map[string]any{"show": false}
		x["axisLabel"] = map[string]any{"hideOverlap": true}
	}
	if ys := yAxes(option); len(ys) > 0 {
		ys[0]["axisLabel"] = map[string]any{"hideOverlap": true, "width": o.Width / 4, "overflow": "truncate"}
		ys[0]["nameTextStyle"] = map[string]any{"fontWeight": "bold", "align": "right"}
	}
	if s, ok := option["series"].([]any); ok && len(s) > 0 {
		s[0].(map[string]any)["emphasis"] = map[string]any{"itemStyle": map[string]any{"borderColor": "#333", "borderWidth": 1}}
	}
	lines := []string{
		fmt.Sprintf("%s rows (%s) × %s columns (%s)", formatNumber(float64(len(m.Rows))), m.RowName, formatNumber(float64(len(m.Cols))), m.ColName),
		"rows: " + listHead(m.Rows, 12),
		"columns: " + listHead(m.Cols, 12),
	}
	if len(data) > 0 {
		lines = append(lines, fmt.Sprintf("values %s to %s %s", formatNumber(lo), formatNumber(hi), unit))
		// Name the hottest cell: the answer a heatmap is usually asked for.
		br, bc, bv := 0, 0, math.Inf(-1)
		for r, row := range m.Values {
			for c, v := range row {
				if !math.IsNaN(v) && v > bv {
					br, bc, bv = r, c, v
				}
			}
		}
		lines = append(lines, fmt.Sprintf("highest %s %s at %s %s, %s %s", formatNumber(bv), unit, m.RowName, m.Rows[br], m.ColName, m.Cols[bc]))
	}
	if missing > 0 {
		lines = append(lines, plural(missing, "cell", "cells")+" without data")
	}
	return &Chart{title: m.Title, footer: m.Footer, alt: altText(m.Title, lines, m.Footer), option: option,
		meta: map[string]any{"kind": "heatmap", "unit": unit}, opts: o}, nil
}

// precision is the number of decimals the colour scale shows: enough to tell lo from hi.
func precision(lo, hi float64) int {
	span := hi - lo
	switch {
	case span >= 10:
		return 0
	case span >= 1:
		return 1
	case span > 0:
		return int(math.Min(6, math.Ceil(-math.Log10(span))+1))
	}
	return 0
}

// listHead joins up to n items and says how many more there are.
func listHead(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:n], ", ") + fmt.Sprintf(", … (%d more)", len(items)-n)
}
