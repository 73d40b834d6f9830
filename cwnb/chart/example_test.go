package chart_test

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/cwnb/cwnb/cwnb/chart"
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// latency returns a day of one-minute average and p99 latencies: p99 jumps past 3 s for the first
// five minutes of every hour.
func latency() (times []time.Time, avg, p99 []float64) {
	start := time.Date(2026, 11, 14, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 1440; i++ {
		t := start.Add(time.Duration(i) * time.Minute)
		times = append(times, t)
		avg = append(avg, 200)
		if t.Minute() < 5 {
			p99 = append(p99, 3200)
		} else {
			p99 = append(p99, 420)
		}
	}
	return times, avg, p99
}

func ExampleLine() {
	times, avg, p99 := latency()
	c, err := chart.Line(chart.TimeSeries{
		Title:  "Why does p99 jump past 3 s at the top of every hour?",
		Footer: "AWS/ApiGateway Latency · period 60s · 2026-11-14",
		Times:  times,
		Series: []chart.Series{
			{Name: "Average", Unit: "Milliseconds", Values: avg},
			{Name: "p99", Unit: "Milliseconds", Values: p99},
		},
		Events:     must(chart.Recurring(":00 backup", times[0], times[len(times)-1], time.Hour, 0, 5*time.Minute)),
		Thresholds: []chart.Threshold{{Name: "SLO", Value: 1000, Unit: "Milliseconds"}},
	}, chart.WithMaxPoints(1000, chart.LTTB))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Text())
	// Output:
	// Why does p99 jump past 3 s at the top of every hour?
	//   Average (ms): 1,440 points, min 200, mean 200, max 200
	//   p99 (ms): 1,440 points, min 420, mean 651.7, max 3,200
	//   event ":00 backup" ×24
	//   threshold "SLO" at 1,000 ms
	// AWS/ApiGateway Latency · period 60s · 2026-11-14
}

func ExampleChart_Bundle() {
	times, avg, p99 := latency()
	c, err := chart.Line(chart.TimeSeries{
		Title: "Average against p99",
		Times: times,
		Series: []chart.Series{
			{Name: "Average", Unit: "Milliseconds", Values: avg},
			{Name: "p99", Unit: "Milliseconds", Values: p99},
		},
	}, chart.WithMode(chart.Both))
	if err != nil {
		fmt.Println(err)
		return
	}
	bundle, err := c.Bundle()
	if err != nil {
		fmt.Println(err)
		return
	}
	var keys []string
	for k := range bundle {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Println(keys)
	html := bundle[chart.MIMEHTML].(string)
	fmt.Println(strings.Contains(html, `src="data:image/png;base64,`), strings.Contains(html, "cwnb-option"))
	// Output:
	// [image/png text/html text/plain]
	// true true
}

func ExampleChart_Display() {
	// Outside a GoNB notebook, Display prints the alt text.
	c, err := chart.Bars(chart.Categories{
		Title: "Which API has the worst p99?",
		Names: []string{"GET /users", "POST /orders"},
		Series: []chart.Series{
			{Name: "p99", Unit: "Milliseconds", Values: []float64{420, 3300}},
		},
	}, chart.WithMode(chart.Interactive))
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = c.Display()
	// Output:
	// Which API has the worst p99?
	//   p99 (ms): GET /users 420, POST /orders 3,300
}

func ExampleHeatmap() {
	rows := []string{"Sat", "Sun"}
	cols := []string{":00", ":01", ":02", ":03"}
	c, err := chart.Heatmap(chart.Matrix{
		Title: "Is the spike the same minute every day?",
		Rows:  rows, Cols: cols, RowName: "day", ColName: "minute of hour",
		Values: [][]float64{{3200, 3100, 420, 410}, {3300, math.NaN(), 430, 400}},
		Unit:   "Milliseconds",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Text())
	// Output:
	// Is the spike the same minute every day?
	//   2 rows (day) × 4 columns (minute of hour)
	//   rows: Sat, Sun
	//   columns: :00, :01, :02, :03
	//   values 400 to 3,300 ms
	//   highest 3,300 ms at day Sun, minute of hour :00
	//   1 cell without data
}

func ExampleHistogram() {
	c, err := chart.Histogram(chart.Distribution{
		Title: "Did the slow tail go away?",
		Unit:  "Milliseconds",
		Samples: []chart.Sample{
			{Name: "before", Values: []float64{180, 200, 210, 220, 3100, 3300}},
			{Name: "after", Values: []float64{170, 190, 200, 205, 215, math.NaN()}},
		},
		Bins: 10,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Text())
	// Output:
	// Did the slow tail go away?
	//   before: 6 values, p50 215, p90 3,200, p99 3,290, max 3,300 ms
	//   after: 5 values, p50 200, p90 211, p99 214.6, max 215 ms (1 NaN skipped)
}

func ExampleCDF() {
	c, err := chart.CDF(chart.Distribution{
		Title:   "What share of requests is slower than 1 s?",
		Unit:    "Milliseconds",
		Samples: []chart.Sample{{Name: "p99 per minute", Values: []float64{400, 420, 430, 3200, 3300}}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Text())
	// Output:
	// What share of requests is slower than 1 s?
	//   p99 per minute: 5 values, p50 430, p90 3,260, p99 3,296, max 3,300 ms
}

func ExampleBars() {
	c, err := chart.Bars(chart.Categories{
		Title:      "p99 per API, before and after",
		Names:      []string{"GET /users", "POST /orders"},
		Horizontal: true,
		Series: []chart.Series{
			{Name: "before", Unit: "Milliseconds", Values: []float64{420, 3300}},
			{Name: "after", Unit: "Milliseconds", Values: []float64{410, 450}},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Text())
	// Output:
	// p99 per API, before and after
	//   before (ms): GET /users 420, POST /orders 3,300
	//   after (ms): GET /users 410, POST /orders 450
}

func ExampleSmallMultiples() {
	times, avg, p99 := latency()
	c, err := chart.SmallMultiples(chart.TimeSeries{
		Title: "Which metric moves at :00?",
		Times: times,
		Series: []chart.Series{
			{Name: "Average", Unit: "Milliseconds", Values: avg},
			{Name: "p99", Unit: "Milliseconds", Values: p99},
		},
	}, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	w, h := c.Size()
	fmt.Println(w, h)
	fmt.Println(c.Text())
	// Output:
	// 900 322
	// Which metric moves at :00?
	//   Average (ms): 1,440 points, min 200, mean 200, max 200
	//   p99 (ms): 1,440 points, min 420, mean 651.7, max 3,200
}

func ExampleRecurring() {
	from := time.Date(2026, 11, 14, 0, 0, 0, 0, time.UTC)
	events, err := chart.Recurring(":00 backup", from, from.Add(3*time.Hour), time.Hour, 0, 5*time.Minute)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range events {
		fmt.Println(e.Name, e.Start.Format("15:04"), e.End.Format("15:04"))
	}
	// Output:
	// :00 backup 00:00 00:05
	// :00 backup 01:00 01:05
	// :00 backup 02:00 02:05
}

func ExampleUnitLabel() {
	fmt.Println(chart.UnitLabel("Milliseconds"), chart.UnitLabel("Count/Second"), chart.UnitLabel("req"))
	// Output: ms count/s req
}

func ExampleParseMode() {
	m, err := chart.ParseMode("static")
	fmt.Println(m, err)
	_, err = chart.ParseMode("png")
	fmt.Println(err)
	// Output:
	// static <nil>
	// chart: unknown chart mode "png"; use both, static or interactive
}

func ExampleLibraryScript() {
	s := chart.LibraryScript()
	fmt.Println(strings.HasPrefix(s, `<script data-cwnb-echarts="5.6.0">`), strings.Count(s, "</script>"))
	// Output: true 1
}

func ExamplePage() {
	c, err := chart.Bars(chart.Categories{
		Title:  "p99 per API",
		Names:  []string{"GET /users", "POST /orders"},
		Series: []chart.Series{{Name: "p99", Unit: "Milliseconds", Values: []float64{420, 3300}}},
	}, chart.WithMode(chart.Interactive))
	if err != nil {
		fmt.Println(err)
		return
	}
	page, err := chart.Page("Latency report", c)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Count(page, `<script data-cwnb-echarts=`), strings.Count(page, `class="cwnb-chart"`))
	// Output: 1 1
}

func ExampleFromEcharts() {
	bar := charts.NewBar()
	bar.SetGlobalOptions(charts.WithTitleOpts(opts.Title{Title: "Requests per API"}))
	bar.SetXAxis([]string{"GET /users", "POST /orders"})
	bar.AddSeries("requests", []opts.BarData{{Value: 41000}, {Value: 4500}})
	c, err := chart.FromEcharts(bar, "Requests per API: GET /users 41,000, POST /orders 4,500")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Title())
	fmt.Println(c.Text())
	// Output:
	// Requests per API
	// Requests per API: GET /users 41,000, POST /orders 4,500
}

// A notebook stores a chart as two outputs: the picture once (image/png, with the alt text), then
// the interactive chart, which names the picture instead of repeating it. Rendering the same
// chart again gives the same bytes.
func ExampleChart_Outputs() {
	times, avg, p99 := latency()
	build := func() *chart.Chart {
		c, err := chart.Line(chart.TimeSeries{Title: "Average against p99", Times: times,
			Series: []chart.Series{{Name: "Average", Unit: "Milliseconds", Values: avg}, {Name: "p99", Unit: "Milliseconds", Values: p99}},
		}, chart.WithMode(chart.Both))
		if err != nil {
			panic(err)
		}
		return c
	}
	outs, err := build().Outputs()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range outs {
		var keys []string
		for k := range o {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Println(keys)
	}
	html := outs[1][chart.MIMEHTML].(string)
	fmt.Println(strings.Contains(html, "data:image/png"), strings.Contains(html, "data-cwnb-image="))
	again, _ := build().Outputs()
	fmt.Println(again[1][chart.MIMEHTML] == html)
	// Output:
	// [image/png text/plain]
	// [text/html]
	// false true
	// true
}

// must returns v, or panics with err: for examples whose inputs are known to be valid.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
