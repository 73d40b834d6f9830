package chart

import (
	"flag"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// hostile is a dimension value that would run script if any layer failed to escape it.
const hostile = `</script><script>alert(1)</script>`

var t0 = time.Date(2026, 11, 14, 0, 0, 0, 0, time.UTC)

// demoTimeSeries is the demo story: average flat near 200 ms, p99 past 3 s for the first five
// minutes of every hour (the backup), requests per minute on a second axis, a p50-p99 band, the
// hourly backup marked, a deploy, and a 1 s SLO. n one-minute points from t0. Deterministic.
func demoTimeSeries(n int) TimeSeries {
	times := make([]time.Time, n)
	avg, p50, p99, reqs := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range times {
		times[i] = t0.Add(time.Duration(i) * time.Minute)
		avg[i] = 200 + 8*math.Sin(float64(i)/30)
		p50[i] = 180 + 5*math.Sin(float64(i)/20)
		p99[i] = 420 + 30*math.Sin(float64(i)/11)
		if times[i].Minute() < 5 {
			p99[i] = 3200 + 100*math.Sin(float64(i))
		}
		reqs[i] = 1000 + 200*math.Sin(float64(i)/200)
	}
	if n > 40 {
		avg[40] = math.NaN() // a missing minute: a gap, never a zero
	}
	return TimeSeries{
		Title:  "Why does p99 jump past 3 s at the top of every hour?",
		Footer: "GetMetricData AWS/ApiGateway Latency {ApiName=" + hostile + "} Average, p99 · period 60s · est. $0.01",
		Times:  times,
		Series: []Series{
			{Name: "Average", Unit: "Milliseconds", Values: avg},
			{Name: "p99 " + hostile, Unit: "Milliseconds", Values: p99},
			{Name: "Requests", Unit: "Count", Values: reqs},
		},
		Bands:      []Band{{Name: "p50–p99", Unit: "Milliseconds", Lower: p50, Upper: p99}},
		Events:     append(mustEvents(Recurring(":00 backup", times[0], times[n-1], time.Hour, 0, 5*time.Minute)), Event{Name: "deploy", Start: t0.Add(90 * time.Minute)}),
		Thresholds: []Threshold{{Name: "SLO 1 s", Value: 1000, Unit: "Milliseconds"}},
	}
}

func demoMatrix() Matrix {
	rng := rand.New(rand.NewSource(1))
	var rows, cols []string
	for m := 0; m < 60; m++ {
		cols = append(cols, fmt.Sprintf(":%02d", m))
	}
	var vals [][]float64
	for d := 0; d < 7; d++ {
		rows = append(rows, t0.AddDate(0, 0, d).Format("Mon 02 Jan"))
		row := make([]float64, 60)
		for m := range row {
			row[m] = 400 + math.Round(rng.Float64()*50)
			if m < 5 {
				row[m] = 3200
			}
		}
		vals = append(vals, row)
	}
	rows[2] = hostile
	vals[3][30] = math.NaN()
	return Matrix{Title: "Is the p99 spike at the same minute every day?", Footer: "p99 Latency, period 60s, 7 days",
		Rows: rows, Cols: cols, RowName: "day", ColName: "minute of hour", Values: vals, Unit: "Milliseconds"}
}

func demoDistribution(n int) Distribution {
	rng := rand.New(rand.NewSource(2))
	before, after := make([]float64, n), make([]float64, n)
	for i := range before {
		before[i] = math.Round(math.Exp(5.3+0.3*rng.NormFloat64())*10) / 10
		after[i] = math.Round(math.Exp(5.3+0.3*rng.NormFloat64())*10) / 10
		if i%12 == 0 {
			before[i] = math.Round(3000 + 300*rng.NormFloat64())
		}
	}
	after[7] = math.NaN()
	return Distribution{Title: "Did moving the backup remove the slow tail?", Footer: "API latency samples, 2026-11-14",
		Unit: "Milliseconds", Log: true,
		Samples: []Sample{{Name: "before", Values: before}, {Name: "after " + hostile, Values: after}}}
}

func demoCategories() Categories {
	return Categories{Title: "Which API has the worst p99?", Footer: "p99 over 7 days",
		Names: []string{"GET /users", "POST /orders", hostile, "GET /health"},
		Series: []Series{
			{Name: "p99 before", Unit: "Milliseconds", Values: []float64{420, 3300, 800, math.NaN()}},
			{Name: "p99 after", Unit: "Milliseconds", Values: []float64{410, 450, 790, 20}},
		}}
}

func demoMultiples(n int) TimeSeries {
	ts := demoTimeSeries(n)
	ts.Bands = nil
	ts.Title = "Which instance is the odd one out?"
	base := ts.Series[0].Values
	ts.Series = nil
	for i := 0; i < 5; i++ {
		v := make([]float64, len(base))
		for k := range v {
			v[k] = base[k] / 4 * (1 + float64(i)/10)
		}
		name := fmt.Sprintf("i-%04d", i)
		if i == 3 {
			name = hostile
		}
		ts.Series = append(ts.Series, Series{Name: name, Unit: "Percent", Values: v})
	}
	ts.Thresholds = []Threshold{{Name: "CPU 80%", Value: 80, Unit: "Percent"}}
	return ts
}

// golden compares got with testdata/name.golden; with -update it rewrites the file instead.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cwnb/chart/ -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs from the golden file (-want +got; if the change is intended, rerun with -update):\n%s", path, diff)
	}
}

func mustEvents(ev []Event, err error) []Event {
	if err != nil {
		panic(err)
	}
	return ev
}
