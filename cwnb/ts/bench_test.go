package ts

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"
)

// The workloads match bench/bench_baseline.py (pandas/numpy) so bench/compare.sh can print the
// ratios side by side: n points at 1 s from 2026-01-01T00:00Z, values 200·Exp(1), seeded.

var benchCache sync.Map // n → *Series

func benchSeries(n int) ([]time.Time, []float64) {
	if s, ok := benchCache.Load(n); ok {
		return s.(*Series).Times, s.(*Series).Values
	}
	r := rand.New(rand.NewPCG(1, 2))
	t := make([]time.Time, n)
	v := make([]float64, n)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range t {
		t[i] = t0.Add(time.Duration(i) * time.Second)
		v[i] = 200 * r.ExpFloat64()
	}
	benchCache.Store(n, &Series{Times: t, Values: v})
	return t, v
}

var benchSizes = []int{10_000, 1_000_000, 10_000_000}

// loop runs f b.N times and reports, besides the wall time, the process CPU time per operation
// ("cpu-ms/op", user + system of all threads, garbage collection included): on a shared machine
// it moves much less than the wall time, so bench/compare.sh compares it with pandas' CPU time.
func loop(b *testing.B, f func()) {
	b.ReportAllocs()
	c0 := processCPU()
	n := 0
	for b.Loop() {
		f()
		n++
	}
	if n > 0 {
		b.ReportMetric(float64(processCPU()-c0)/float64(n)/1e6, "cpu-ms/op")
	}
}

func sizeName(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}

func benchResample(b *testing.B, sizes []int, aggs ...Agg) {
	for _, n := range sizes {
		t, v := benchSeries(n)
		b.Run("n="+sizeName(n), func(b *testing.B) {
			loop(b, func() {
				if _, err := Resample(t, v, ResampleOptions{Period: 5 * time.Minute}, aggs...); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// BenchmarkResampleMean: pandas s.resample("5min").mean().
func BenchmarkResampleMean(b *testing.B) { benchResample(b, benchSizes, Mean) }

// BenchmarkResampleP99: pandas s.resample("5min").quantile(0.99).
func BenchmarkResampleP99(b *testing.B) { benchResample(b, benchSizes, Q(0.99)) }

// BenchmarkResampleMulti: pandas s.resample("5min").agg(["mean","max","count"]) plus quantile(0.99).
func BenchmarkResampleMulti(b *testing.B) { benchResample(b, benchSizes, Mean, Max, Count, Q(0.99)) }

// BenchmarkQuantileP99: numpy np.percentile(v, 99).
func BenchmarkQuantileP99(b *testing.B) {
	for _, n := range benchSizes {
		_, v := benchSeries(n)
		b.Run("n="+sizeName(n), func(b *testing.B) {
			loop(b, func() { Quantile(v, 0.99, Linear) })
		})
	}
}

func benchRolling(b *testing.B, sizes []int, a Agg) {
	for _, n := range sizes {
		t, v := benchSeries(n)
		b.Run("n="+sizeName(n), func(b *testing.B) {
			loop(b, func() {
				if _, err := Rolling(t, v, RollingOptions{Window: 15 * time.Minute}, a); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// BenchmarkRollingMean: pandas s.rolling("15min").mean().
func BenchmarkRollingMean(b *testing.B) { benchRolling(b, benchSizes, Mean) }

// BenchmarkRollingSum: pandas s.rolling("15min").sum().
func BenchmarkRollingSum(b *testing.B) { benchRolling(b, benchSizes, Sum) }

// BenchmarkRollingStd: pandas s.rolling("15min").std().
func BenchmarkRollingStd(b *testing.B) { benchRolling(b, benchSizes, Std) }

// BenchmarkFoldMinuteP99: pandas s.groupby(s.index.minute).quantile(0.99).
func BenchmarkFoldMinuteP99(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		t, v := benchSeries(n)
		b.Run("n="+sizeName(n), func(b *testing.B) {
			loop(b, func() {
				if _, err := Fold(t, v, MinuteOfHour, time.UTC, 0.99); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// BenchmarkMannWhitney: scipy.stats.mannwhitneyu on two samples of n/2.
func BenchmarkMannWhitney(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		_, v := benchSeries(n)
		b.Run("n="+sizeName(n), func(b *testing.B) {
			loop(b, func() {
				if _, err := MannWhitney(v[:n/2], v[n/2:]); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// BenchmarkChangePoints: a day and a week of minutes with one level shift (the permutation test's
// 199 shuffles dominate).
func BenchmarkChangePoints(b *testing.B) {
	for _, n := range []int{1440, 10080} {
		_, v := benchSeries(n)
		w := slices.Clone(v)
		for i := n / 2; i < n; i++ {
			w[i] += 100
		}
		b.Run("n="+sizeName(n), func(b *testing.B) {
			loop(b, func() {
				if _, err := ChangePoints(nil, w, ChangePointOptions{}); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}
