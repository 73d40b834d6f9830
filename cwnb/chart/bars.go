package chart

import (
	"fmt"
	"math"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Categories is the plain data of a bar chart: one bar per name and series, e.g. p99 per API
// before and after a change. Series[i].Values[j] belongs to Names[j]; NaN is no bar.
type Categories struct {
	Title  string
	Footer string
	Names  []string
	Series []Series
	// Horizontal draws the bars left to right with the names down the y axis, which suits long
	// names such as dimension values.
	Horizontal bool
}

// Bars builds a grouped bar chart. Series in a second unit are measured on a second value axis.
func Bars(c Categories, optFns ...func(*Options)) (*Chart, error) {
	o, err := buildOptions(optFns)
	if err != nil {
		return nil, err
	}
	if len(c.Names) == 0 || len(c.Series) == 0 {
		return nil, fmt.Errorf("chart: Categories %q has %d names and %d series; give at least one of each", c.Title, len(c.Names), len(c.Series))
	}
	var labels []string
	for i, s := range c.Series {
		if len(s.Values) != len(c.Names) {
			return nil, fmt.Errorf("chart: series %d (%q) has %d values for %d names; give one value per name (NaN for none)", i, s.Name, len(s.Values), len(c.Names))
		}
		labels = append(labels, UnitLabel(s.Unit))
	}
	axes, axisOf, err := axisUnits(labels)
	if err != nil {
		return nil, err
	}
	bar := charts.NewBar()
	catAxis := opts.XAxis{Type: "category", Data: c.Names}
	valAxis := opts.YAxis{Type: "value", Name: axes[0]}
	if c.Horizontal {
		bar.SetGlobalOptions(
			charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: axes[0], NameLocation: "middle", NameGap: 26}),
			charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: c.Names, Inverse: opts.Bool(true)}),
		)
		if len(axes) > 1 {
			bar.ExtendXAxis(opts.XAxis{Type: "value", Name: axes[1], Position: "top", NameLocation: "middle", NameGap: 26})
		}
	} else {
		bar.SetXAxis(c.Names) // go-echarts' Validate replaces XAxis[0].Data with this
		bar.SetGlobalOptions(charts.WithXAxisOpts(catAxis), charts.WithYAxisOpts(valAxis))
		if len(axes) > 1 {
			bar.ExtendYAxis(opts.YAxis{Type: "value", Name: axes[1], Position: "right"})
		}
	}
	var lines []string
	for _, s := range c.Series {
		data := make([]opts.BarData, len(s.Values))
		for i, v := range s.Values {
			data[i] = opts.BarData{Value: cleanFloat(v)}
		}
		unit := UnitLabel(s.Unit)
		bar.AddSeries(s.Name, data)
		line := withUnit(s.Name, unit) + ":"
		for i, v := range s.Values {
			sep := ","
			if i == 0 {
				sep = ""
			}
			val := formatNumber(v)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				val = "no data"
			}
			line += sep + " " + c.Names[i] + " " + val
		}
		lines = append(lines, line)
	}
	option, err := optionMap(bar)
	if err != nil {
		return nil, err
	}
	for i, s := range option["series"].([]any) {
		sm := s.(map[string]any)
		ax := axisOf[UnitLabel(c.Series[i].Unit)]
		if c.Horizontal {
			delete(sm, "yAxisIndex")
			sm["xAxisIndex"] = ax
		} else {
			sm["yAxisIndex"] = ax
		}
	}
	top, bottom := frame(option, o.Width, c.Title, "", c.Footer)
	option["backgroundColor"] = "#ffffff"
	option["animation"] = false
	option["color"] = palette
	option["legend"] = map[string]any{"type": "scroll", "top": top, "left": padX, "right": padX}
	option["tooltip"] = map[string]any{"trigger": "axis", "axisPointer": map[string]any{"type": "shadow"}, "confine": true}
	grid := map[string]any{"top": top + 24 + 26, "bottom": bottom + 36, "left": 64, "right": rightMargin(len(axes)), "containLabel": c.Horizontal}
	if c.Horizontal {
		grid["left"] = padX
		grid["right"] = 40
		if len(axes) > 1 {
			grid["top"] = top + 24 + 52
		}
	}
	option["grid"] = grid
	for _, a := range yAxes(option) {
		a["nameTextStyle"] = map[string]any{"fontWeight": "bold"}
		if c.Horizontal {
			a["axisLabel"] = map[string]any{"width": o.Width / 3, "overflow": "truncate"}
		}
	}
	if !c.Horizontal {
		if xs, ok := option["xAxis"].([]any); ok && len(xs) > 0 {
			xs[0].(map[string]any)["axisLabel"] = categoryLabels(c.Names, float64(o.Width-64-rightMargin(len(axes))))
		}
	}
	return &Chart{title: c.Title, footer: c.Footer, alt: altText(c.Title, lines, c.Footer), option: option,
		meta: map[string]any{"kind": "bars"}, opts: o}, nil
}

// categoryLabels is the axisLabel of a horizontal category axis plotWidth pixels wide. Every name
// is shown, wrapped to its slot, when each word fits its slot or the slot is wide enough to wrap
// in (minWrapSlot): a bar without its name is hard to read. Otherwise (sixty minutes :00..:59 in
// 770 pixels) every k-th name is shown,
// k the smallest step at which the widest name fits with a gap, so names never run together;
// the tooltip and the alt text still name every bar.
// minWrapSlot is the narrowest slot, in pixels, that a name is wrapped into rather than thinned.
const minWrapSlot = 48

func categoryLabels(names []string, plotWidth float64) map[string]any {
	if len(names) == 0 {
		return map[string]any{"interval": 0}
	}
	slot := plotWidth / float64(len(names))
	widest, widestWord := 0.0, 0.0
	for _, n := range names {
		widest = max(widest, measureText(n, "12px sans-serif"))
		for _, w := range strings.Fields(n) {
			widestWord = max(widestWord, measureText(w, "12px sans-serif"))
		}
	}
	if widestWord+6 <= slot || slot >= minWrapSlot {
		return map[string]any{"interval": 0, "width": int(slot) - 6, "overflow": "break"}
	}
	k := int(math.Ceil((widest + 8) / slot))
	return map[string]any{"interval": k - 1, "hideOverlap": true}
}
