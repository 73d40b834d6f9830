package cwstat

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// benchPeriods returns periods of n weighted values each: latencies around 200 with a tail,
// counts 1..20. Order "random" shuffles the values; "sorted" publishes each period as one
// ascending Values+Counts datum (as a histogram-style publisher does); "runs" as 5 ascending
// datums (a 5-minute period of 1-minute datums).
func benchPeriods(n int, order string) [][]wv {
	rng := rand.New(rand.NewPCG(7, 8))
	periods := make([][]wv, 1024)
	for i := range periods {
		p := make([]wv, n)
		for j := range p {
			v := 150 + rng.ExpFloat64()*50
			if rng.IntN(100) == 0 {
				v = 3000 + rng.Float64()*500
			}
			p[j] = wv{float64(int(v)), float64(1 + rng.IntN(20))}
		}
		switch order {
		case "sorted":
			slices.SortFunc(p, func(a, b wv) int { return cmpFloat(a.v, b.v) })
		case "runs":
			for k := 0; k < 5; k++ {
				run := p[k*n/5 : (k+1)*n/5]
				slices.SortFunc(run, func(a, b wv) int { return cmpFloat(a.v, b.v) })
			}
		}
		periods[i] = p
	}
	return periods
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// BenchmarkComputeAll measures one period as the local CloudWatch computes it: Reset, Add
// every weighted value, ComputeAll {Average, p99, TM(10%:90%)}.
func BenchmarkComputeAll(b *testing.B) {
	stats := []Stat{{Kind: Average}, {Kind: Percentile, P: 99}, {Kind: TrimmedMean, Lo: 10, Hi: 90, HasLo: true, HasHi: true}}
	out, ok := make([]float64, len(stats)), make([]bool, len(stats))
	for _, order := range []string{"random", "sorted", "runs"} {
		for _, n := range []int{30, 100, 150} {
			periods := benchPeriods(n, order)
			b.Run(fmt.Sprintf("%s/n=%d", order, n), func(b *testing.B) {
				b.ReportAllocs()
				var bk Bucket
				i := 0
				for b.Loop() {
					bk.Reset()
					for _, s := range periods[i%len(periods)] {
						bk.Add(s.v, s.c)
					}
					bk.ComputeAll(stats, out, ok)
					i++
				}
			})
		}
	}
	// AddValues: the same periods handed over as Values+Counts slices (5 datums per period).
	for _, n := range []int{30, 100, 150} {
		periods := benchPeriods(n, "runs")
		values, counts := make([][]float64, len(periods)), make([][]float64, len(periods))
		for i, p := range periods {
			for _, s := range p {
				values[i] = append(values[i], s.v)
				counts[i] = append(counts[i], s.c)
			}
		}
		b.Run(fmt.Sprintf("AddValues/runs/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var bk Bucket
			i := 0
			for b.Loop() {
				bk.Reset()
				v, c := values[i%len(values)], counts[i%len(counts)]
				for k := range 5 {
					bk.AddValues(v[k*n/5:(k+1)*n/5], c[k*n/5:(k+1)*n/5])
				}
				bk.ComputeAll(stats, out, ok)
				i++
			}
		})
	}
}

// BenchmarkComputeAllBasic measures the five basic statistics, which need no sort.
func BenchmarkComputeAllBasic(b *testing.B) {
	stats := Basic()
	out, ok := make([]float64, len(stats)), make([]bool, len(stats))
	periods := benchPeriods(100, "random")
	b.Run("random/n=100", func(b *testing.B) {
		b.ReportAllocs()
		var bk Bucket
		i := 0
		for b.Loop() {
			bk.Reset()
			for _, s := range periods[i%len(periods)] {
				bk.Add(s.v, s.c)
			}
			bk.ComputeAll(stats, out, ok)
			i++
		}
	})
}

func BenchmarkParse(b *testing.B) {
	for _, name := range []string{"Average", "p99.9", "TM(10%:90%)", "tm99"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(name); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
