package ts

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// benchSeries returns n points at 1 s from 2026-01-01 with log-normal-ish latencies, seeded.
func benchSeries(n int) ([]time.Time, []float64) {
	r := rand.New(rand.NewPCG(1, 2))
	t := make([]time.Time, n)
	v := make([]float64, n)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range t {
		t[i] = t0.Add(time.Duration(i) * time.Second)
		v[i] = 200 * r.ExpFloat64()
	}
	return t, v
}

var benchSizes = []int{10_000, 1_000_000, 10_000_000}

func BenchmarkResampleMean(b *testing.B) {
	for _, n := range benchSizes {
		t, v := benchSeries(n)
		b.Run(fmt.Sprintf("n=%s", sizeName(n)), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Resample(t, v, ResampleOptions{Period: 5 * time.Minute}, Mean); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkResampleP99(b *testing.B) {
	for _, n := range benchSizes {
		t, v := benchSeries(n)
		b.Run(fmt.Sprintf("n=%s", sizeName(n)), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Resample(t, v, ResampleOptions{Period: 5 * time.Minute}, Q(0.99)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkQuantileP99(b *testing.B) {
	for _, n := range benchSizes {
		_, v := benchSeries(n)
		b.Run(fmt.Sprintf("n=%s", sizeName(n)), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Quantile(v, 0.99, Linear)
			}
		})
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
