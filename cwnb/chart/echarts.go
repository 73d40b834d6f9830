package chart

import "fmt"

// EchartsChart is what every go-echarts v2 chart (charts.Line, charts.Bar, charts.HeatMap, ...)
// provides.
type EchartsChart interface {
	Validate()
	JSON() map[string]any
}

// FromEcharts wraps a chart built directly with go-echarts so that it renders like this package's
// own charts: static image, PNG, offline upgrade, escaping. alt is the text/plain alt text (the
// title is a good start). Options set through go-echarts' JavaScript-function fields
// (types.FuncStr: formatters written as JS) arrive as plain strings, since this package never
// evaluates code from an option.
func FromEcharts(c EchartsChart, alt string, optFns ...func(*Options)) (*Chart, error) {
	if c == nil {
		return nil, fmt.Errorf("chart: FromEcharts got a nil chart")
	}
	o, err := buildOptions(optFns)
	if err != nil {
		return nil, err
	}
	option, err := optionMap(c)
	if err != nil {
		return nil, err
	}
	if _, ok := option["backgroundColor"]; !ok {
		option["backgroundColor"] = "#ffffff"
	}
	option["useUTC"] = true
	title := ""
	if t, ok := option["title"].(map[string]any); ok {
		title, _ = t["text"].(string)
	}
	return &Chart{title: title, alt: alt, option: option, meta: map[string]any{"kind": "echarts"}, opts: o}, nil
}
