package ts

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// refQuantile is the textbook definition on a sorted NaN-free copy: the reference the selection
// paths (copy+select, extreme scan, bracket) must agree with exactly.
func refQuantile(sorted []float64, q float64, e Estimator) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	i0, i1, g := e.position(float64(len(sorted)), q)
	return lerp(sorted[i0], sorted[i1], g)
}

func TestQuantilePathsMatchSort(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	qs := []float64{0, 1e-5, 0.001, 0.01, 0.25, 0.5, 0.9, 0.99, 0.999, 0.99999, 1}
	for _, n := range []int{1, 3, 17, 300, 1 << 16, 200_000} {
		for _, nanFrac := range []float64{0, 0.1, 0.7} {
			for _, dist := range []string{"normal", "ties", "sorted"} {
				x := make([]float64, n)
				for i := range x {
					switch dist {
					case "normal":
						x[i] = r.NormFloat64()
					case "ties":
						x[i] = float64(r.IntN(5))
					case "sorted":
						x[i] = float64(i)
					}
					if r.Float64() < nanFrac {
						x[i] = math.NaN()
					}
				}
				sorted := copyFinite(nil, x)
				slices.Sort(sorted)
				ests := []Estimator{Linear, Lower, Higher, Nearest, Midpoint, InvertedCDF, InterpolatedInvertedCDF, Hazen, Weibull, MedianUnbiased, NormalUnbiased}
				if n > 1000 {
					ests = []Estimator{Linear, Nearest, Weibull}
				}
				for _, e := range ests {
					got, _ := Quantiles(x, qs, e)
					// Per-bucket path: the whole slice as one segment.
					seg := make([]float64, len(qs))
					nn := len(sorted)
					if nn > 0 {
						var s quantileScratch
						quantilesOfSegment(x, nn, qs, e, seg, &s)
					}
					for i, q := range qs {
						want := refQuantile(sorted, q, e)
						if !(got[i] == want || (math.IsNaN(got[i]) && math.IsNaN(want))) {
							t.Errorf("n=%d nan=%v %s %v q=%v: Quantiles %v, sort %v", n, nanFrac, dist, e, q, got[i], want)
						}
						if nn > 0 && seg[i] != want {
							t.Errorf("n=%d nan=%v %s %v q=%v: segment %v, sort %v", n, nanFrac, dist, e, q, seg[i], want)
						}
					}
				}
			}
		}
	}
}
