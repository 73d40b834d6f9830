package ts

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"
)

var benchNanosCache sync.Map // n → *nanosSeries

type nanosSeries struct {
	t Nanos
	v []float64
}

// benchNanos is benchSeries's workload (the same values, the same instants) built straight on the
// compact axis, as a Result on one period holds its grid: no []time.Time is kept alive for the
// garbage collector to scan, as none is in a notebook that works on Nanos (pandas' side holds an
// int64 index too).
func benchNanos(n int) (Nanos, []float64) {
	if s, ok := benchNanosCache.Load(n); ok {
		return s.(*nanosSeries).t, s.(*nanosSeries).v
	}
	r := rand.New(rand.NewPCG(1, 2))
	v := make([]float64, n)
	for i := range v {
		v[i] = 200 * r.ExpFloat64()
	}
	t, err := RegularNanos(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Second, n)
	if err != nil {
		panic(err)
	}
	benchNanosCache.Store(n, &nanosSeries{t, v})
	return t, v
}

// TestBenchNanosMatchesBenchSeries: the compact benchmarks measure the same workload as the
// time.Time ones (and as bench/bench_baseline.py).
func TestBenchNanosMatchesBenchSeries(t *testing.T) {
	ns, v := benchNanos(1000)
	tt, w := benchSeries(1000)
	if !slices.Equal(ns, NanosOf(tt)) || !slices.Equal(v, w) {
		t.Error("benchNanos differs from benchSeries")
	}
}

func benchRollingNanos(b *testing.B, sizes []int, a Agg) {
	for _, n := range sizes {
		t, v := benchNanos(n)
		b.Run("n="+sizeName(n), func(b *testing.B) {
			loop(b, func() {
				if _, err := RollingNanos(t, v, RollingOptions{Window: 15 * time.Minute}, a); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// BenchmarkRollingNanosMean: pandas s.rolling("15min").mean(), on the compact time axis.
func BenchmarkRollingNanosMean(b *testing.B) { benchRollingNanos(b, benchSizes, Mean) }

// BenchmarkRollingNanosSum: pandas s.rolling("15min").sum(), on the compact time axis.
func BenchmarkRollingNanosSum(b *testing.B) { benchRollingNanos(b, benchSizes, Sum) }

// BenchmarkRollingNanosStd: pandas s.rolling("15min").std(), on the compact time axis.
func BenchmarkRollingNanosStd(b *testing.B) { benchRollingNanos(b, benchSizes, Std) }
