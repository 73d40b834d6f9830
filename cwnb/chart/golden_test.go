package chart

import (
	"bytes"
	"testing"
)

// TestOptionGolden pins the ECharts option each builder produces for the demo data. The option is
// the contract with ECharts in both renderers (goja SSR and the browser), so any change to it is
// reviewed as a diff of testdata/*.golden (refresh with -update).
func TestOptionGolden(t *testing.T) {
	small := []func(*Options){WithMaxPoints(100, LTTB), WithSize(800, 400)}
	tests := []struct {
		name  string
		build func() (*Chart, error)
	}{
		{"line", func() (*Chart, error) { return Line(demoTimeSeries(300), small...) }},
		{"line_minmax", func() (*Chart, error) {
			ts := demoTimeSeries(300)
			ts.Bands, ts.Events, ts.Thresholds = nil, nil, nil
			ts.Series = ts.Series[1:2]
			return Line(ts, WithMaxPoints(60, MinMax), WithSize(800, 400))
		}},
		{"line_log", func() (*Chart, error) {
			ts := demoTimeSeries(120)
			ts.Series = ts.Series[:2]
			ts.Bands, ts.Events = nil, nil
			ts.LogY = true
			return Line(ts, small...)
		}},
		{"heatmap", func() (*Chart, error) { return Heatmap(demoMatrix(), small...) }},
		{"histogram", func() (*Chart, error) {
			d := demoDistribution(400)
			d.Bins = 20
			return Histogram(d, small...)
		}},
		{"cdf", func() (*Chart, error) { return CDF(demoDistribution(400), small...) }},
		{"bars", func() (*Chart, error) { return Bars(demoCategories(), small...) }},
		{"bars_horizontal", func() (*Chart, error) {
			c := demoCategories()
			c.Horizontal = true
			return Bars(c, small...)
		}},
		{"small_multiples", func() (*Chart, error) { return SmallMultiples(demoMultiples(120), 3, small...) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tc.build()
			if err != nil {
				t.Fatal(err)
			}
			js, err := c.OptionJSON()
			if err != nil {
				t.Fatal(err)
			}
			// The hostile label must never appear raw in the JSON that goes into a <script>.
			if bytes.Contains(js, []byte("</script")) || bytes.Contains(js, []byte("<script")) {
				t.Errorf("option JSON contains a raw script tag")
			}
			golden(t, tc.name, append(js, '\n'))
		})
	}
}
