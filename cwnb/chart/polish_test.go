package chart

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"
)

// weekChart is a week of minutes with a recurring event from the very first minute (its first
// span sits on the y axis labels) and a deploy line near the left edge.
func weekChart(t *testing.T) *Chart {
	t.Helper()
	c, err := Line(demoTimeSeries(7*1440), WithMode(Static))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestLabelsDoNotOverlap checks on the SVG that the static renderer produces that no two texts
// (tick labels, axis names, event and threshold labels, legend, title, footer) intersect, for
// every builder and for the charts that used to collide: a week with a recurring event starting
// on the y axis, sixty minute-of-hour bars, a log-scale CDF and a two-line footer.
func TestLabelsDoNotOverlap(t *testing.T) {
	charts := map[string]*Chart{}
	for name, c := range allBuilders(t) {
		charts[name] = c
	}
	charts["week with events"] = weekChart(t)
	charts["60 minute bars"] = minuteBars(t)
	charts["log CDF"] = logCDF(t)
	charts["long footer"] = longFooter(t)
	for name, c := range charts {
		t.Run(name, func(t *testing.T) {
			svg, err := c.SVG()
			if err != nil {
				t.Fatal(err)
			}
			boxes := svgTextBoxes(t, svg)
			if len(boxes) < 5 {
				t.Fatalf("only %d texts found in the SVG", len(boxes))
			}
			for _, o := range overlaps(boxes) {
				t.Errorf("texts overlap: %v and %v", o[0], o[1])
			}
		})
	}
}

func minuteBars(t *testing.T) *Chart {
	t.Helper()
	names := make([]string, 60)
	vals := make([]float64, 60)
	for m := range names {
		names[m] = fmt.Sprintf(":%02d", m)
		vals[m] = 490 + float64(m%7)
		if m < 5 {
			vals[m] = 3360
		}
	}
	c, err := Bars(Categories{Title: "p99 by minute of the hour", Names: names,
		Series: []Series{{Name: "p99", Unit: "Milliseconds", Values: vals}}}, WithMode(Static))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func logCDF(t *testing.T) *Chart {
	t.Helper()
	var a, b []float64
	for i := 0; i < 500; i++ {
		a = append(a, 3300+float64(i%90))
		b = append(b, 445+float64(i%60)*5)
	}
	c, err := CDF(Distribution{Title: "Latency CDF", Unit: "Milliseconds", Log: true, Footer: "MyService/API Latency {Service=checkout} · period 1m · 2026-11-13 00:00 → 2026-11-20 00:00 UTC · from the cache",
		Samples: []Sample{{Name: ":00-:05", Values: a}, {Name: "rest of the hour", Values: b}}}, WithMode(Static))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var longFooterText = strings.Repeat("AWS/Lambda Errors {FunctionName=checkout} Sum · period 1m · ", 4) + "est. $0.00004"

func longFooter(t *testing.T) *Chart {
	t.Helper()
	ts := demoTimeSeries(300)
	ts.Footer = longFooterText
	c, err := Line(ts, WithMode(Static))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var (
	bareDayRE = regexp.MustCompile(`^\d{1,2}$`)
	dayRE     = regexp.MustCompile(`^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}$`)
)

// TestTimeAxisShowsDates checks that a week's x axis labels its days "Nov 14", never a bare "14".
func TestTimeAxisShowsDates(t *testing.T) {
	svg, err := weekChart(t).SVG()
	if err != nil {
		t.Fatal(err)
	}
	// The x axis labels are the row of texts below the plot: the y position most texts share.
	boxes := svgTextBoxes(t, svg)
	rows := map[float64]int{}
	for _, b := range boxes {
		rows[math.Round(b.y0)]++
	}
	row, most := 0.0, 0
	for y, n := range rows {
		if n > most || (n == most && y > row) {
			row, most = y, n
		}
	}
	days := 0
	for _, b := range boxes {
		if math.Round(b.y0) != row {
			continue
		}
		if bareDayRE.MatchString(b.text) {
			t.Errorf("x axis label %v is a bare day number", b)
		}
		if dayRE.MatchString(b.text) {
			days++
		}
	}
	if days < 5 {
		t.Errorf("%d x axis labels name a day (\"Nov 14\"), want at least 5 on a week", days)
	}
}

// TestCategoryLabelsThin checks that sixty minute names are thinned to a readable subset.
func TestCategoryLabelsThin(t *testing.T) {
	svg, err := minuteBars(t).SVG()
	if err != nil {
		t.Fatal(err)
	}
	shown := 0
	for _, b := range svgTextBoxes(t, svg) {
		if regexp.MustCompile(`^:\d\d$`).MatchString(b.text) {
			shown++
		}
	}
	if shown < 6 || shown > 30 {
		t.Errorf("%d minute labels shown, want a thinned 6..30 of 60", shown)
	}
}

// TestLogAxisLabelled checks that a log axis says so and labels at least three ticks.
func TestLogAxisLabelled(t *testing.T) {
	svg, err := logCDF(t).SVG()
	if err != nil {
		t.Fatal(err)
	}
	labels, named := 0, false
	for _, b := range svgTextBoxes(t, svg) {
		switch {
		case b.text == "100" || b.text == "1,000" || b.text == "10,000" || b.text == "1000" || b.text == "10000":
			labels++
		case strings.Contains(b.text, "log scale"):
			named = true
		}
	}
	if labels < 3 {
		t.Errorf("the log axis labels %d of its decades, want 3 (100, 1,000, 10,000)", labels)
	}
	if !named {
		t.Error("the log axis does not say it is a log scale")
	}
}

// TestFooterWrapsOnce checks that the footer is wrapped in Go, with explicit breaks and line
// height, so the live chart (the browser's fonts) draws the same lines as the picture, and that
// the picture draws each line once, one below the other.
func TestFooterWrapsOnce(t *testing.T) {
	c := longFooter(t)
	titles := c.option["title"].([]any)
	f := titles[len(titles)-1].(map[string]any)
	text := f["text"].(string)
	style := f["textStyle"].(map[string]any)
	lines := strings.Split(text, "\n")
	if len(lines) < 2 {
		t.Fatalf("a long footer is one line: %q", text)
	}
	if _, ok := style["overflow"]; ok {
		t.Errorf("the footer still asks ECharts to wrap it (overflow %v)", style["overflow"])
	}
	if style["lineHeight"] == nil {
		t.Error("the footer has no explicit lineHeight")
	}
	svg, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	var ys []float64
	for _, b := range svgTextBoxes(t, svg) {
		for _, l := range lines {
			if b.text == l {
				ys = append(ys, b.y0)
			}
		}
	}
	if len(ys) != len(lines) {
		t.Fatalf("the picture draws %d footer lines, want %d", len(ys), len(lines))
	}
	for i := 1; i < len(ys); i++ {
		if math.Abs(ys[i]-ys[i-1]) < 11 {
			t.Errorf("footer lines %d and %d are drawn %.1f px apart, over each other", i-1, i, math.Abs(ys[i]-ys[i-1]))
		}
	}
}

// TestScalesSplit checks that series of one unit whose ranges differ more than tenfold get a
// second axis (the smaller ones on the right), and that similar ranges share one.
func TestScalesSplit(t *testing.T) {
	t0 := time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)
	times := make([]time.Time, 60)
	avg, p99, p50 := make([]float64, 60), make([]float64, 60), make([]float64, 60)
	for i := range times {
		times[i] = t0.Add(time.Duration(i) * time.Minute)
		avg[i], p99[i], p50[i] = 130+float64(i%5), 2000+float64(i%9)*10, 250+float64(i%3)
	}
	for _, tc := range []struct {
		name   string
		series []Series
		axes   int
		right  []string
	}{
		{"130 ms and 2,000 ms", []Series{{Name: "Duration Average", Unit: "Milliseconds", Values: avg}, {Name: "Duration p99", Unit: "Milliseconds", Values: p99}}, 2, []string{"Duration Average"}},
		{"130 ms and 250 ms", []Series{{Name: "Duration Average", Unit: "Milliseconds", Values: avg}, {Name: "Duration p50", Unit: "Milliseconds", Values: p50}}, 1, nil},
		{"OneAxis", []Series{{Name: "Duration Average", Unit: "Milliseconds", Values: avg}, {Name: "Duration p99", Unit: "Milliseconds", Values: p99}}, 1, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Line(TimeSeries{Title: "Duration", Times: times, Series: tc.series, OneAxis: tc.name == "OneAxis"}, WithMode(Static))
			if err != nil {
				t.Fatal(err)
			}
			ys := yAxes(c.option)
			if len(ys) != tc.axes {
				t.Fatalf("%d y axes, want %d", len(ys), tc.axes)
			}
			var right []string
			for _, s := range c.option["series"].([]any) {
				sm := s.(map[string]any)
				if ax, _ := sm["yAxisIndex"].(float64); ax == 1 {
					right = append(right, sm["name"].(string))
				}
			}
			if strings.Join(right, ",") != strings.Join(tc.right, ",") {
				t.Errorf("series on the right axis %q, want %q", right, tc.right)
			}
			if tc.axes == 2 && !strings.HasPrefix(ys[1]["name"].(string), "ms") {
				t.Errorf("right axis name %q does not give the unit", ys[1]["name"])
			}
		})
	}
}
