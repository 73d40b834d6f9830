package cwnb

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cwnb/cwnb/cwnb/chart"
	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
	"github.com/cwnb/cwnb/cwnb/localcw/scenario"
	"github.com/cwnb/cwnb/cwnb/ts"
)

// apiResult loads the api scenario's /pay latency at 1 minute over [from, from+length).
func apiResult(t *testing.T, stats []string, from time.Time, length time.Duration) (*Result, *loader, string) {
	t.Helper()
	sc, err := scenario.New("api", 1)
	if err != nil {
		t.Fatal(err)
	}
	_, url := localcwtest.Start(t, localcw.Options{Now: testNow, Scenarios: []scenario.Scenario{sc}})
	l := testLoader(t, url, t.TempDir(), testNow)
	q := Query{
		Title:   "Is the average hiding our tail?",
		Metrics: []Metric{{Namespace: "MyService/API", Name: "Latency", Dims: Dims{"Service": "checkout", "Endpoint": "/pay"}, Stats: stats, Unit: "Milliseconds"}},
		Window:  Between(from, from.Add(length)),
		Period:  time.Minute,
	}
	r, err := l.Load(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return r, l, url
}

var day = time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)

func TestResampleMatchesCloudWatchAtTheCoarserPeriod(t *testing.T) {
	stats := []string{"Average", "SampleCount", "Sum", "Minimum", "Maximum", "p99"}
	r, l, _ := apiResult(t, stats, day.Add(9*time.Hour), 3*time.Hour)
	cols := []string{"Latency Average", "Latency SampleCount", "Latency Sum", "Latency Minimum", "Latency Maximum"}
	hourly, err := r.Resample(time.Hour, cols...)
	if err != nil {
		t.Fatal(err)
	}
	// The independent reference: CloudWatch (the local one) computing the hour from raw samples.
	q := r.Query
	q.Period = time.Hour
	ref, err := l.Load(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := hourly.Times(), ref.Times(); !cmp.Equal(got, want) {
		t.Fatalf("hourly grid %v, CloudWatch's %v", got, want)
	}
	for _, c := range cols {
		got, want := hourly.Values(c), ref.Values(c)
		if !cmp.Equal(got, want, cmpopts.EquateApprox(1e-9, 1e-9)) {
			t.Errorf("%s resampled to 1h = %v, CloudWatch at 1h = %v", c, got, want)
		}
	}
	if hourly.Period != time.Hour || len(hourly.Times()) != 3 {
		t.Errorf("period %v, %d rows; want 1h and 3", hourly.Period, len(hourly.Times()))
	}
	if n, _ := hourly.Frame().Dims(); n != 3 {
		t.Errorf("frame has %d rows, want 3", n)
	}
}

func TestResampleRefusesPercentilesAndReloadFetchesThem(t *testing.T) {
	r, _, url := apiResult(t, []string{"Average", "p99"}, day.Add(9*time.Hour), 2*time.Hour)

	_, err := r.Resample(time.Hour, "Latency p99")
	var re *refetchError
	if !errors.As(err, &re) || !errors.Is(err, ts.ErrNotRollable) {
		t.Fatalf("Resample of p99: %v; want a *refetchError wrapping ts.ErrNotRollable", err)
	}
	for _, want := range []string{`"Latency p99"`, "Reload(ctx, time.Hour)", "from 1m to 1h"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
	// Average without its SampleCount cannot be weighted.
	_, err = r.Resample(time.Hour, "Latency Average")
	if !errors.Is(err, ts.ErrNeedsWeights) || !strings.Contains(err.Error(), "SampleCount") {
		t.Errorf("Resample of Average without SampleCount: %v; want ErrNeedsWeights naming SampleCount", err)
	}

	// Without options Reload goes through the loader that made r: same server, same cache.
	hourly, err := r.Reload(context.Background(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if hourly.Calls != 1 {
		t.Errorf("Reload made %d calls, want 1", hourly.Calls)
	}
	again, err := r.Reload(context.Background(), time.Hour)
	if err != nil || again.Calls != 0 {
		t.Errorf("second Reload: %d calls, %v; want 0 calls (the cache)", again.Calls, err)
	}
	// With options it builds a new loader, here with an empty cache.
	other, err := r.Reload(context.Background(), time.Hour, withAPI(localcwtest.Client(t, url)), withCacheDir(t.TempDir()),
		func(o *Options) { o.Now = func() time.Time { return testNow }; o.NoProgress = true })
	if err != nil || other.Calls != 1 || !cmp.Equal(other.Values("Latency p99"), hourly.Values("Latency p99")) {
		t.Errorf("Reload with options: %d calls, %v, p99 %v; want 1 call and %v", other.Calls, err, other.Values("Latency p99"), hourly.Values("Latency p99"))
	}
	p99 := hourly.Values("Latency p99")
	if hourly.Period != time.Hour || len(p99) != 2 {
		t.Fatalf("reloaded period %v with %d values; want 1h and 2", hourly.Period, len(p99))
	}
	// The hour's p99 lies between the smallest and largest minute p99 of that hour.
	minute := r.Values("Latency p99")
	for h := 0; h < 2; h++ {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range minute[h*60 : (h+1)*60] {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		if p99[h] < lo || p99[h] > hi {
			t.Errorf("hour %d p99 %.1f outside the minute p99 range [%.1f, %.1f]", h, p99[h], lo, hi)
		}
	}
}

func TestResampleBadPeriods(t *testing.T) {
	r, _, _ := apiResult(t, []string{"Sum"}, day.Add(9*time.Hour), time.Hour)
	for name, p := range map[string]time.Duration{"finer": 30 * time.Second, "same": time.Minute, "not a multiple": 90 * time.Second, "longer than the window": 2 * time.Hour} {
		if _, err := r.Resample(p); err == nil {
			t.Errorf("%s (%v): no error", name, p)
		}
	}
	if _, err := r.Resample(time.Hour, "nope"); !errors.Is(err, ErrNoColumn) || !strings.Contains(err.Error(), `"Latency Sum"`) {
		t.Errorf("unknown column: %v; want ErrNoColumn listing the columns", err)
	}
}

func TestTheTailStory(t *testing.T) {
	r, _, _ := apiResult(t, []string{"Average", "p99"}, day, 24*time.Hour)

	fold, err := r.Fold("Latency p99", ts.MinuteOfHour, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	if fold.Mean[0] < 3000 || fold.Mean[30] > 1000 {
		t.Errorf("minute-of-hour fold of p99: :00 mean %.0f ms, :30 mean %.0f ms; want > 3000 and < 1000", fold.Mean[0], fold.Mean[30])
	}

	cmp99, err := r.Compare("Latency p99", ts.Hourly(0, 5*time.Minute), ts.CompareOptions{Stat: ts.Median, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if cmp99.Ratio < 4 || cmp99.RatioLo < 4 || cmp99.MannWhitney.P > 1e-6 {
		t.Errorf("p99 at :00-:05 against the rest: ratio %.1f (CI %.1f-%.1f), p %.2g; want a large, significant difference",
			cmp99.Ratio, cmp99.RatioLo, cmp99.RatioHi, cmp99.MannWhitney.P)
	}
	if n := cmp99.NA; n != 24*5 {
		t.Errorf("%d periods in :00-:05, want 120", n)
	}
	in, out, _ := r.Split("Latency Average", ts.Hourly(0, 5*time.Minute))
	if len(in)+len(out) != 24*60 {
		t.Errorf("split %d + %d periods, want 1440", len(in), len(out))
	}
	h, err := r.Fold2("Latency p99", ts.Day, ts.MinuteOfHour, ts.Mean)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Rows) != 1 || len(h.Cols) != 60 {
		t.Errorf("heatmap %d×%d, want 1×60", len(h.Rows), len(h.Cols))
	}
	q, err := r.Quality("Latency Average")
	if err != nil {
		t.Fatal(err)
	}
	if q.Expected != 1440 || q.Present != 1440 || r.Partial {
		t.Errorf("quality %+v, partial %v", q, r.Partial)
	}
	if _, err := r.Quality("nope"); !errors.Is(err, ErrNoColumn) {
		t.Errorf("quality of an unknown column: %v", err)
	}
}

func TestPlotAndShow(t *testing.T) {
	r, _, _ := apiResult(t, []string{"Average", "p99", "SampleCount"}, day.Add(11*time.Hour), 2*time.Hour)
	c, err := Plot(r, Mark(":00 backup", ts.Hourly(0, 5*time.Minute)), Threshold("SLO", 1000, "Milliseconds"),
		ChartOptions(chart.WithMode(chart.Static)))
	if err != nil {
		t.Fatal(err)
	}
	if c.Title() != "Is the average hiding our tail?" {
		t.Errorf("title %q", c.Title())
	}
	b, err := c.Bundle()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := b["image/png"]; !ok {
		t.Errorf("bundle has no image/png: %v", keys(b))
	}
	if !strings.Contains(r.Footer(), "period 1m ") || !strings.Contains(r.Footer(), "MyService/API Latency {Endpoint=/pay,Service=checkout}") {
		t.Errorf("footer %q", r.Footer())
	}
	if _, err := Plot(r, Columns("nope")); !errors.Is(err, ErrNoColumn) {
		t.Errorf("Plot of an unknown column: %v", err)
	}
	if _, err := Plot(r, Band("p50-p99", "Latency Average", "Latency p99")); err != nil {
		t.Errorf("band: %v", err)
	}
	func() {
		defer func() {
			if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), "cwnb: chart not shown: boom") {
				t.Errorf("Show of a failed chart: recovered %v; want a cwnb panic naming the error", p)
			}
		}()
		Show(nil, errors.New("boom"))
	}()
	fold, _ := r.Fold("Latency p99", ts.MinuteOfHour, 0.99)
	if _, err := PlotFold(fold, Title("p99 by minute of the hour"), Unit("Milliseconds")); err != nil {
		t.Error(err)
	}
	if _, err := PlotSplit(r, "Latency p99", ts.Hourly(0, 5*time.Minute)); err != nil {
		t.Error(err)
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestCostIsPrintedInWholeMetrics(t *testing.T) {
	for metrics, want := range map[int]string{0: "0", 1: "0.00001", 12: "0.00012", 1000: "0.01", 123456: "1.23456", 500000: "5"} {
		if got := fmtCost(float64(metrics) * costPerMetric); got != want {
			t.Errorf("%d metrics cost %q, want %q", metrics, got, want)
		}
	}
}
