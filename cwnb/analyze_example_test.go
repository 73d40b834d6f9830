package cwnb_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http/httptest"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"

	"github.com/cwnb/cwnb/cwnb"
	"github.com/cwnb/cwnb/cwnb/chart"
	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/scenario"
	"github.com/cwnb/cwnb/cwnb/ts"
)

// apiScenario starts a local CloudWatch serving the "api" demo scenario (p99 above 3 s in minutes
// :00-:05 of every hour) and returns loader options pointing at it and a stop function.
func apiScenario() (opts []func(*cwnb.Options), stop func()) {
	sc, err := scenario.New("api", 1)
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(localcw.New(localcw.Options{Now: scenario.DemoNow, Scenarios: []scenario.Scenario{sc}}))
	client := cloudwatch.New(cloudwatch.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		BaseEndpoint: aws.String(srv.URL),
	})
	dir, err := os.MkdirTemp("", "cwnb-example-")
	if err != nil {
		panic(err)
	}
	opts = []func(*cwnb.Options){withClient(client), func(o *cwnb.Options) { o.CacheDir = dir }, func(o *cwnb.Options) {
		o.Now = func() time.Time { return scenario.DemoNow }
		o.NoProgress = true
	}}
	return opts, func() { srv.Close(); os.RemoveAll(dir) }
}

// tailQuery is the checkout latency's Average, p99 and SampleCount per minute for three hours.
var tailQuery = cwnb.Query{
	Title: "Is the average hiding our tail?",
	Metrics: []cwnb.Metric{{Namespace: "MyService/API", Name: "Latency", Dims: cwnb.Dims{"Service": "checkout"},
		Stats: []string{"Average", "p99", "SampleCount"}, Unit: "Milliseconds"}},
	Window: cwnb.Between(time.Date(2026, 11, 19, 9, 0, 0, 0, time.UTC), time.Date(2026, 11, 19, 12, 0, 0, 0, time.UTC)),
	Period: time.Minute,
}

func loadTail() (*cwnb.Result, []func(*cwnb.Options), func()) {
	opts, stop := apiScenario()
	res, err := cwnb.Load(context.Background(), tailQuery, opts...)
	if err != nil {
		panic(err)
	}
	return res, opts, stop
}

func ExampleResult_Values() {
	res, _, stop := loadTail()
	defer stop()
	p99 := res.Values("Latency p99")
	fmt.Printf("%d minutes; 09:00 %.0f ms, 09:30 %.0f ms\n", len(p99), p99[0], p99[30])
	// Output: 180 minutes; 09:00 3396 ms, 09:30 455 ms
}

func ExampleResult_Values_describe() {
	res, _, stop := loadTail()
	defer stop()
	d := ts.Describe(res.Values("Latency Average"))
	fmt.Printf("minute averages: %d periods, mean %.0f ms, max %.0f ms\n", d.Count, d.Mean, d.Max)
	// Output: minute averages: 180 periods, mean 199 ms, max 258 ms
}

func ExampleResult_Resample() {
	res, _, stop := loadTail()
	defer stop()
	// The average re-aggregates, weighted by its SampleCount...
	hourly, err := res.Resample(time.Hour, "Latency Average", "Latency SampleCount")
	if err != nil {
		panic(err)
	}
	fmt.Printf("hourly averages: %.0f\n", hourly.Values("Latency Average"))
	// ...a percentile does not: the error says why and which call gets it.
	_, err = res.Resample(time.Hour, "Latency p99")
	fmt.Println(errors.Is(err, ts.ErrNotRollable))
	fmt.Println(err)
	// Output:
	// hourly averages: [198 199 200]
	// true
	// column "Latency p99" (p99) cannot be resampled from 1m to 1h: the p99 of a 1h period lies somewhere between the smallest and the largest 1m p99, nothing more precise; call Reload(ctx, time.Hour) to fetch p99 from CloudWatch at 1h
}

func ExampleResult_Reload() {
	res, opts, stop := loadTail()
	defer stop()
	hourly, err := res.Reload(context.Background(), time.Hour, opts...)
	if err != nil {
		panic(err)
	}
	fmt.Printf("period %v, hourly p99: %.0f ms\n", hourly.Period, hourly.Values("Latency p99"))
	// Output: period 1h0m0s, hourly p99: [516 515 515] ms
}

func ExampleResult_Fold() {
	res, _, stop := loadTail()
	defer stop()
	fold, err := res.Fold("Latency p99", ts.MinuteOfHour, 0.5)
	if err != nil {
		panic(err)
	}
	for _, m := range []int{0, 4, 5, 30} {
		fmt.Printf("%s mean p99 %.0f ms over %d hours\n", fold.Labels[m], fold.Mean[m], fold.Count[m])
	}
	// Output:
	// :00 mean p99 3379 ms over 3 hours
	// :04 mean p99 3369 ms over 3 hours
	// :05 mean p99 489 ms over 3 hours
	// :30 mean p99 478 ms over 3 hours
}

// A week loaded without a Period comes at its automatic 10-minute period: a minute-of-hour fold
// of it cannot be answered, and says how to get data that can.
func ExampleResult_Fold_tooCoarse() {
	opts, stop := apiScenario()
	defer stop()
	q := tailQuery
	q.Window = cwnb.Between(time.Date(2026, 11, 13, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC))
	q.Period = 0
	res, err := cwnb.Load(context.Background(), q, opts...)
	if err != nil {
		panic(err)
	}
	_, err = res.Fold("Latency p99", ts.MinuteOfHour)
	fmt.Println(errors.Is(err, cwnb.ErrCoarsePeriod))
	fmt.Println(err)
	// Output:
	// true
	// column "Latency p99" is at a period of 10m (the automatic period for a 7d window), but a minute-of-hour fold needs data at a period that divides 1m, or each value would mix periods inside and outside it; load it with Period: time.Minute in the Query (or call res.Reload(ctx, time.Minute)), then ask again
}

func ExampleResult_Fold2() {
	res, _, stop := loadTail()
	defer stop()
	h, err := res.Fold2("Latency p99", ts.HourOfDay, ts.MinuteOfHour, ts.Max)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d hours × %d minutes; %s at %s: %.0f ms, at %s: %.0f ms\n", len(h.Rows), len(h.Cols),
		h.Rows[10], h.Cols[0], h.Values[10][0], h.Cols[30], h.Values[10][30])
	fmt.Println(h.Warnings)
	// Output:
	// 24 hours × 60 minutes; 10:00 at :00: 3366 ms, at :30: 478 ms
	// 1260 of 1440 cells of the hour-of-day × minute-of-hour heatmap of "Latency p99" have no data
}

func ExampleHourly() {
	backup := ts.Hourly(0, 5*time.Minute)
	for _, m := range []int{0, 4, 5, 59} {
		fmt.Printf(":%02d %v\n", m, backup.Contains(time.Date(2026, 11, 19, 9, m, 0, 0, time.UTC)))
	}
	fmt.Println(backup, "needs data at a period dividing", backup.Resolution())
	// Output:
	// :00 true
	// :04 true
	// :05 false
	// :59 false
	// every hour :00-:05 needs data at a period dividing 5m0s
}

func ExampleDaily() {
	nightly := ts.Daily(2*time.Hour, 2*time.Hour+30*time.Minute)
	fmt.Println(nightly, "|", nightly.On(time.Saturday, time.Sunday), "|", ts.Weekdays())
	// Output: every day 02:00-02:30 | every day 02:00-02:30 on Sun,Sat | weekdays
}

func ExampleWeekdays() {
	w := ts.Weekdays()
	sat := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	fmt.Println(w, w.Contains(sat), w.Contains(sat.Add(48*time.Hour)))
	// Output: weekdays false true
}

func ExampleEvery() {
	fmt.Println(ts.Every(15*time.Minute, 0, time.Minute))
	// A bare number is nanoseconds: the mistake is said, not run.
	fmt.Println(ts.Every(3600, 0, 300).Err())
	// Output:
	// every 15m, 0s-1m into it
	// ts: invalid time selection: cycle 3.6µs is under a second; write durations with their unit, such as time.Hour or 5*time.Minute (a bare number is nanoseconds)
}

func ExampleBefore() {
	deploy := time.Date(2026, 11, 19, 13, 37, 0, 0, time.UTC)
	before := ts.Before(deploy)
	fmt.Println(before.Contains(deploy.Add(-time.Minute)), before.Contains(deploy), before, "|", before.Complement())
	// Output: true false before 2026-11-19T13:37Z | since 2026-11-19T13:37Z
}

func ExampleSince() {
	deploy := time.Date(2026, 11, 19, 13, 37, 0, 0, time.UTC)
	fmt.Println(ts.Since(deploy).Contains(deploy), ts.Since(deploy))
	// Output: true since 2026-11-19T13:37Z
}

func ExampleSpan() {
	incident := ts.Span(time.Date(2026, 11, 19, 10, 0, 0, 0, time.UTC), time.Date(2026, 11, 19, 10, 30, 0, 0, time.UTC))
	fmt.Println(incident, incident.Resolution())
	// Output: 2026-11-19T10:00Z/2026-11-19T10:30Z 30m0s
}

func ExampleAt() {
	fmt.Println(ts.At(time.Date(2026, 11, 19, 13, 37, 0, 0, time.UTC)))
	// Output: at 2026-11-19T13:37Z
}

func ExampleMust() {
	res, _, stop := loadTail()
	defer stop()
	fold := cwnb.Must(res.Fold("Latency p99", ts.MinuteOfHour))
	fmt.Println(len(fold.Keys), "keys")
	defer func() { fmt.Println(recover()) }()
	cwnb.Must(res.Fold("Latency p50", ts.MinuteOfHour))
	// Output:
	// 60 keys
	// cwnb: no such column "Latency p50"; the result has "Latency Average", "Latency p99", "Latency SampleCount"
}

func ExampleResult_Split() {
	res, _, stop := loadTail()
	defer stop()
	in, out, err := res.Split("Latency p99", ts.Hourly(0, 5*time.Minute))
	if err != nil {
		panic(err)
	}
	fmt.Println(len(in), "periods at :00-:05,", len(out), "others")
	// Output: 15 periods at :00-:05, 165 others
}

func ExampleResult_Compare() {
	res, _, stop := loadTail()
	defer stop()
	c, err := res.Compare("Latency p99", ts.Hourly(0, 5*time.Minute), ts.CompareOptions{Stat: ts.Median, Seed: 1})
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Summary(":00-:05", "the rest"))
	// Output: median is 6.82x higher :00-:05 than the rest (95% CI 6.76-6.88), Mann-Whitney p < 1e-6
}

func ExampleComparison_Summary() {
	res, _, stop := loadTail()
	defer stop()
	// A boundary inside a period: the straddling period is left out, and the summary says so.
	deploy := time.Date(2026, 11, 19, 10, 30, 30, 0, time.UTC)
	c, err := res.Compare("Latency Average", ts.Since(deploy), ts.CompareOptions{Seed: 1})
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Summary("", ""))
	// Output:
	// mean is about the same since 2026-11-19T10:30:30Z as before 2026-11-19T10:30:30Z (ratio 0.996, 95% CI 0.973-1.02), Mann-Whitney p = 0.007
	// warning: since 2026-11-19T10:30:30Z of "Latency Average": 1 period(s) of 1m hold times on both sides of the boundary and are left out of both groups; put the boundary on the 1m grid, or load at a period that divides 30s
}

func ExampleResult_ChangePoints() {
	res, _, stop := loadTail()
	defer stop()
	cps, err := res.ChangePoints("Latency p99", ts.ChangePointOptions{})
	if err != nil {
		panic(err)
	}
	// Binary segmentation also finds the small drifts between spikes; keep the big shifts.
	for _, cp := range cps {
		if math.Abs(cp.Shift) > 1000 {
			fmt.Printf("%s: %.0f -> %.0f ms\n", cp.Time.Format("15:04"), cp.Before, cp.After)
		}
	}
	// Output:
	// 09:05: 3385 -> 491 ms
	// 10:00: 491 -> 3355 ms
	// 10:05: 3355 -> 494 ms
	// 11:00: 494 -> 3368 ms
	// 11:05: 3368 -> 497 ms
}

func ExampleResult_Quality() {
	res, _, stop := loadTail()
	defer stop()
	q, err := res.Quality("Latency Average")
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d of %d periods, longest gap %v, partial load %v\n", q.Present, q.Expected, q.LongestGap, res.Partial)
	// Output: 180 of 180 periods, longest gap 0s, partial load false
}

func ExamplePlot() {
	res, _, stop := loadTail()
	defer stop()
	c, err := cwnb.Plot(res,
		cwnb.Title("Average vs p99"),
		cwnb.Columns("Latency Average", "Latency p99"),
		cwnb.Mark(":00 backup", ts.Hourly(0, 5*time.Minute)),
		cwnb.Threshold("SLO", 1000, "Milliseconds"),
		cwnb.ChartOptions(chart.WithMode(chart.Interactive)))
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Title())
	// Output: Average vs p99
}

func ExampleShow() {
	res, _, stop := loadTail()
	defer stop()
	// In a notebook cell, Show draws the chart. A chart that cannot be built fails the cell:
	defer func() { fmt.Println(recover()) }()
	cwnb.Show(cwnb.Plot(res, cwnb.Columns("no such column")))
	// Output: cwnb: chart not shown: no such column "no such column"; the result has "Latency Average", "Latency p99", "Latency SampleCount"
}

func ExampleBand() {
	res, _, stop := loadTail()
	defer stop()
	c, err := cwnb.Plot(res, cwnb.Band("average to p99", "Latency Average", "Latency p99"), cwnb.Columns("Latency SampleCount"),
		cwnb.ChartOptions(chart.WithMode(chart.Interactive)))
	fmt.Println(c != nil, err)
	// Output: true <nil>
}

func ExampleMark() {
	res, _, stop := loadTail()
	defer stop()
	deploy := time.Date(2026, 11, 19, 10, 30, 0, 0, time.UTC)
	c, err := cwnb.Plot(res, cwnb.Mark("deploy", ts.At(deploy)), cwnb.Mark(":00 backup", ts.Hourly(0, 5*time.Minute)),
		cwnb.Columns("Latency p99"), cwnb.ChartOptions(chart.WithMode(chart.Interactive)))
	fmt.Println(c != nil, err)
	// A recurrence faster than the data cannot be drawn:
	_, err = cwnb.Plot(res, cwnb.Mark("tick", ts.Every(30*time.Second, 0, 10*time.Second)))
	fmt.Println(err)
	// Output:
	// true <nil>
	// mark "tick": every 30s, 0s-10s into it recurs more often than the data's period of 1m; mark a longer cycle, or load at a period under 30s
}

func ExampleUnit() {
	res, _, stop := loadTail()
	defer stop()
	c, err := cwnb.Plot(res, cwnb.Columns("Latency SampleCount"), cwnb.Unit("Requests"), cwnb.Title("Requests per minute"),
		cwnb.ChartOptions(chart.WithMode(chart.Interactive)))
	fmt.Println(c.Title(), err)
	// Output: Requests per minute <nil>
}

func ExampleTitle() {
	res, _, stop := loadTail()
	defer stop()
	c, err := cwnb.Plot(res, cwnb.Title("Checkout latency"), cwnb.ChartOptions(chart.WithMode(chart.Interactive)))
	fmt.Println(c.Title(), err)
	// Output: Checkout latency <nil>
}

func ExampleColumns() {
	res, _, stop := loadTail()
	defer stop()
	_, err := cwnb.Plot(res, cwnb.Columns("Latency p99"), cwnb.ChartOptions(chart.WithMode(chart.Interactive)))
	fmt.Println(err)
	// Output: <nil>
}

func ExampleThreshold() {
	res, _, stop := loadTail()
	defer stop()
	_, err := cwnb.Plot(res, cwnb.Columns("Latency p99"), cwnb.Threshold("SLO: p99 < 1 s", 1000, "Milliseconds"), cwnb.ChartOptions(chart.WithMode(chart.Interactive)))
	fmt.Println(err)
	// Output: <nil>
}

func ExampleChartOptions() {
	res, _, stop := loadTail()
	defer stop()
	_, err := cwnb.Plot(res, cwnb.ChartOptions(chart.WithSize(1e6, 420)))
	fmt.Println(err)
	// Output: chart: size 1000000×420 is out of range; use a width of 100..4000 and a height of 80..4000 pixels
}

func ExampleResult_Footer() {
	res, _, stop := loadTail()
	defer stop()
	fmt.Println(res.Footer("Latency p99"))
	// Output: MyService/API Latency {Service=checkout} · period 1m · 2026-11-19 09:00 → 2026-11-19 12:00 UTC
}

func ExamplePlotFold() {
	res, _, stop := loadTail()
	defer stop()
	fold, err := res.Fold("Latency p99", ts.MinuteOfHour, 0.9)
	if err != nil {
		panic(err)
	}
	c, err := cwnb.PlotFold(fold, cwnb.ChartOptions(chart.WithMode(chart.Interactive)))
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Title())
	// Options that only a time series can honour are refused:
	_, err = cwnb.PlotFold(fold, cwnb.Columns("Latency Average"))
	fmt.Println(err)
	// Output:
	// Latency p99 by minute-of-hour
	// PlotFold: option Columns applies to Plot (a time series) only; use Title, Unit and ChartOptions here
}

func ExamplePlotHeatmap() {
	res, _, stop := loadTail()
	defer stop()
	h, err := res.Fold2("Latency p99", ts.HourOfDay, ts.MinuteOfHour, ts.Mean)
	if err != nil {
		panic(err)
	}
	c, err := cwnb.PlotHeatmap(h, cwnb.Title("p99 by hour and minute"), cwnb.ChartOptions(chart.WithMode(chart.Interactive)))
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Title())
	// Output: p99 by hour and minute
}

func ExamplePlotSplit() {
	res, _, stop := loadTail()
	defer stop()
	c, err := cwnb.PlotSplit(res, "Latency p99", ts.Hourly(0, 5*time.Minute), cwnb.ChartOptions(chart.WithMode(chart.Interactive)))
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Title())
	// Output: Latency p99: every hour :00-:05 against the rest
}
