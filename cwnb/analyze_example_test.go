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
	opts = []func(*cwnb.Options){cwnb.WithClient(client), cwnb.WithCacheDir(dir), func(o *cwnb.Options) {
		o.Now = func() time.Time { return scenario.DemoNow }
		o.Progress = cwnb.ProgressOff
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

func ExampleResult_Describe() {
	res, _, stop := loadTail()
	defer stop()
	d, err := res.Describe("Latency Average")
	if err != nil {
		panic(err)
	}
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
	// ...a percentile does not.
	_, err = res.Resample(time.Hour, "Latency p99")
	var refetch *cwnb.RefetchError
	fmt.Println(errors.As(err, &refetch), errors.Is(err, ts.ErrNotRollable))
	// Output:
	// hourly averages: [198 199 200]
	// true true
}

func ExampleResult_Reload() {
	res, opts, stop := loadTail()
	defer stop()
	hourly, err := res.Reload(context.Background(), time.Hour, opts...)
	if err != nil {
		panic(err)
	}
	fmt.Printf("period %s, hourly p99: %.0f ms\n", cwnb.Duration(hourly.Period), hourly.Values("Latency p99"))
	// Output: period 1h, hourly p99: [516 515 515] ms
}

func ExampleRefetchError() {
	res, _, stop := loadTail()
	defer stop()
	_, err := res.Resample(time.Hour, "Latency p99")
	fmt.Println(err)
	// Output: column "Latency p99" (p99) cannot be resampled from 1m to 1h: the p99 of a 1h period lies somewhere between the smallest and the largest 1m p99, nothing more precise; call Reload(ctx, time.Hour) to fetch p99 from CloudWatch at 1h
}

func ExampleResult_Fold() {
	res, _, stop := loadTail()
	defer stop()
	fold, err := res.Fold("Latency p99", cwnb.MinuteOfHour, 0.5)
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

func ExampleResult_Fold2() {
	res, _, stop := loadTail()
	defer stop()
	h, err := res.Fold2("Latency p99", cwnb.HourOfDay, cwnb.MinuteOfHour, ts.Max)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d hours × %d minutes; %s at %s: %.0f ms, at %s: %.0f ms\n", len(h.Rows), len(h.Cols),
		h.Rows[10], h.Cols[0], h.Values[10][0], h.Cols[30], h.Values[10][30])
	// Output: 24 hours × 60 minutes; 10:00 at :00: 3366 ms, at :30: 478 ms
}

func ExampleMinutes() {
	backup := cwnb.Minutes(0, 5)
	for _, m := range []int{0, 4, 5, 59} {
		fmt.Print(backup(time.Date(2026, 11, 19, 9, m, 0, 0, time.UTC)), " ")
	}
	fmt.Println()
	// Output: true true false false
}

func ExampleBefore() {
	deploy := time.Date(2026, 11, 19, 13, 37, 0, 0, time.UTC)
	before := cwnb.Before(deploy)
	fmt.Println(before(deploy.Add(-time.Minute)), before(deploy))
	// Output: true false
}

func ExampleResult_Split() {
	res, _, stop := loadTail()
	defer stop()
	in, out, err := res.Split("Latency p99", cwnb.Minutes(0, 5))
	if err != nil {
		panic(err)
	}
	fmt.Println(len(in), "periods at :00-:05,", len(out), "others")
	// Output: 15 periods at :00-:05, 165 others
}

func ExampleResult_Compare() {
	res, _, stop := loadTail()
	defer stop()
	c, err := res.Compare("Latency p99", cwnb.Minutes(0, 5), ts.CompareOptions{Stat: ts.Median, Seed: 1})
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Summary(":00-:05", "the rest"))
	// Output: median is 6.82x higher :00-:05 than the rest (95% CI 6.76-6.88), Mann-Whitney p < 1e-6
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
	q, err := res.Quality()
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s: %d of %d periods, partial %v\n", q[0].Column, q[0].Report.Present, q[0].Report.Expected, q[0].Partial)
	// Output: Latency Average: 180 of 180 periods, partial false
}

func ExamplePlot() {
	res, _, stop := loadTail()
	defer stop()
	c, err := cwnb.Plot(res,
		cwnb.Title("Average vs p99"),
		cwnb.Columns("Latency Average", "Latency p99"),
		cwnb.Every(":00 backup", time.Hour, 0, 5*time.Minute),
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

func ExampleEvents() {
	res, _, stop := loadTail()
	defer stop()
	deploy := chart.Event{Name: "deploy", Start: time.Date(2026, 11, 19, 10, 30, 0, 0, time.UTC)}
	c, err := cwnb.Plot(res, cwnb.Events(deploy), cwnb.Columns("Latency p99"), cwnb.ChartOptions(chart.WithMode(chart.Interactive)))
	fmt.Println(c != nil, err)
	// Output: true <nil>
}

func ExampleResult_Footer() {
	res, _, stop := loadTail()
	defer stop()
	fmt.Println(res.Footer())
	// Output: MyService/API Latency {Service=checkout} · period 1m · 2026-11-19 09:00 → 2026-11-19 12:00 UTC · 1 calls, $0.00003
}

func ExamplePlotFold() {
	res, _, stop := loadTail()
	defer stop()
	fold, err := res.Fold("Latency p99", cwnb.MinuteOfHour, 0.9)
	if err != nil {
		panic(err)
	}
	c, err := cwnb.PlotFold(fold, "p99 by minute of the hour", "Milliseconds", chart.WithMode(chart.Interactive))
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Title())
	// Output: p99 by minute of the hour
}

func ExamplePlotHeatmap() {
	res, _, stop := loadTail()
	defer stop()
	h, err := res.Fold2("Latency p99", cwnb.HourOfDay, cwnb.MinuteOfHour, ts.Mean)
	if err != nil {
		panic(err)
	}
	c, err := cwnb.PlotHeatmap(h, "p99 by hour and minute", "Milliseconds", chart.WithMode(chart.Interactive))
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Title())
	// Output: p99 by hour and minute
}

func ExamplePlotSplit() {
	res, _, stop := loadTail()
	defer stop()
	c, err := cwnb.PlotSplit(res, "Latency p99", cwnb.Minutes(0, 5), ":00-:05", "the rest", chart.WithMode(chart.Interactive))
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Title())
	// Output: Latency p99: :00-:05 against the rest
}

func ExampleDuration() {
	fmt.Println(cwnb.Duration(time.Minute), cwnb.Duration(5*time.Minute), cwnb.Duration(time.Hour), cwnb.Duration(24*time.Hour), cwnb.Duration(90*time.Second))
	// Output: 1m 5m 1h 1d 90s
}
