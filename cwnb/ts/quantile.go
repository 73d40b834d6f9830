package ts

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Estimator names a sample-quantile definition. The names and formulas are those of Hyndman and
// Fan (1996), "Sample quantiles in statistical packages", as numpy.quantile's method argument
// spells them. With n sorted values x[0..n-1] and q in [0, 1], every estimator picks a virtual
// index h and returns x[h] (interpolating between neighbours for fractional h; h is clamped to
// [0, n-1]):
//
//	Linear (R type 7, the zero value): h = (n−1)q, linear interpolation (numpy/pandas default)
//	Lower:            x[⌊(n−1)q⌋]
//	Higher:           x[⌈(n−1)q⌉]
//	Nearest:          x[round((n−1)q)], halves rounded to even as numpy does
//	Midpoint:         (x[⌊(n−1)q⌋] + x[⌈(n−1)q⌉]) / 2
//	InvertedCDF (R1): x[⌈nq⌉−1], the smallest x whose empirical CDF reaches q
//	InterpolatedInvertedCDF (R4): h = nq − 1, interpolated
//	Hazen (R5):          h = nq − 1/2, interpolated
//	Weibull (R6):        h = (n+1)q − 1, interpolated
//	MedianUnbiased (R8): h = (n+1/3)q − 2/3, interpolated
//	NormalUnbiased (R9): h = (n+1/4)q − 5/8, interpolated
type Estimator int

// The estimators; see Estimator.
const (
	Linear Estimator = iota
	Lower
	Higher
	Nearest
	Midpoint
	InvertedCDF
	InterpolatedInvertedCDF
	Hazen
	Weibull
	MedianUnbiased
	NormalUnbiased
)

var estimatorNames = [...]string{"linear", "lower", "higher", "nearest", "midpoint", "inverted_cdf",
	"interpolated_inverted_cdf", "hazen", "weibull", "median_unbiased", "normal_unbiased"}

// String returns numpy's name for the estimator ("linear", "lower", "hazen", ...).
func (e Estimator) String() string {
	if e < 0 || int(e) >= len(estimatorNames) {
		return fmt.Sprintf("Estimator(%d)", int(e))
	}
	return estimatorNames[e]
}

// ParseEstimator returns the estimator numpy calls name ("linear", "nearest", "median_unbiased", ...).
func ParseEstimator(name string) (Estimator, error) {
	for i, s := range estimatorNames {
		if s == name {
			return Estimator(i), nil
		}
	}
	return 0, fmt.Errorf("unknown quantile estimator %q; use one of %v", name, estimatorNames)
}

func (e Estimator) check() {
	if e < 0 || int(e) >= len(estimatorNames) {
		panic(fmt.Sprintf("cwnb: ts: unknown quantile estimator %d", int(e)))
	}
}

func checkQ(q float64) {
	if !(q >= 0 && q <= 1) {
		panic(fmt.Sprintf("cwnb: ts: quantile %v is outside [0, 1] (for p99 pass 0.99)", q))
	}
}

// position returns the two order statistics (0-based) and the weight g such that the estimate
// is lerp(x[i0], x[i1], g), for n ≥ 1 values (n may be a non-integer total weight).
func (e Estimator) position(n float64, q float64) (i0, i1 int, g float64) {
	last := n - 1
	var h float64
	switch e {
	case Lower, Higher, Nearest, Midpoint, Linear:
		h = last * q
		lo := math.Floor(h)
		switch e {
		case Lower:
			return clampIdx(lo, last), clampIdx(lo, last), 0
		case Higher:
			c := math.Ceil(h)
			return clampIdx(c, last), clampIdx(c, last), 0
		case Nearest:
			r := math.RoundToEven(h)
			return clampIdx(r, last), clampIdx(r, last), 0
		case Midpoint:
			c := math.Ceil(h)
			if c == lo {
				return clampIdx(lo, last), clampIdx(lo, last), 0
			}
			return clampIdx(lo, last), clampIdx(c, last), 0.5
		}
	case InvertedCDF:
		h = n*q - 1
		lo := math.Floor(h)
		if h > lo {
			lo++
		}
		return clampIdx(lo, last), clampIdx(lo, last), 0
	case InterpolatedInvertedCDF:
		h = n*q - 1
	case Hazen:
		h = n*q - 0.5
	case Weibull:
		h = (n+1)*q - 1
	case MedianUnbiased:
		h = (n+1.0/3)*q - 2.0/3
	case NormalUnbiased:
		h = (n+0.25)*q - 0.625
	}
	// Linear and the continuous types, with numpy's bounds: below 0 → first, at or above n−1 → last.
	if h < 0 {
		return 0, 0, 0
	}
	if h >= last {
		l := clampIdx(last, last)
		return l, l, 0
	}
	lo := math.Floor(h)
	return int(lo), int(lo) + 1, h - lo
}

func clampIdx(h, last float64) int {
	if h < 0 {
		return 0
	}
	if h > last {
		h = last
	}
	return int(h)
}

// lerp interpolates as numpy does (exact at both ends, monotone in t).
func lerp(a, b, t float64) float64 {
	if t == 0 {
		return a
	}
	d := b - a
	if t >= 0.5 {
		return b - d*(1-t)
	}
	return a + d*t
}

// quantilesOfScratch computes the quantiles qs of the n values in a (no NaN; a is reordered)
// into out. ks is scratch for the order statistics. a must be non-empty.
func quantilesOfScratch(a []float64, qs []float64, e Estimator, out []float64, ks []int) []int {
	ks = neededOrderStats(ks, len(a), qs, e)
	multiSelect(a, ks)
	for j, q := range qs {
		i0, i1, g := e.position(float64(len(a)), q)
		out[j] = lerp(a[i0], a[i1], g)
	}
	return ks
}

// neededOrderStats returns, sorted, the order statistics the quantiles qs of n values need.
func neededOrderStats(ks []int, n int, qs []float64, e Estimator) []int {
	ks = ks[:0]
	for _, q := range qs {
		i0, i1, g := e.position(float64(n), q)
		ks = append(ks, i0)
		if g != 0 {
			ks = append(ks, i1)
		}
	}
	slices.Sort(ks)
	return ks
}

// quantileScratch holds the reusable buffers of quantilesOfSegment.
type quantileScratch struct {
	a    []float64
	ks   []int
	vals []float64 // value of ks[i]
}

// quantilesOfSegment computes the quantiles qs of the n non-NaN values of seg (n > 0) into out
// without modifying seg: extreme quantiles of a bucket (p99 of a few hundred values) come from
// one scan keeping the few largest values; others from selection on a copy.
func quantilesOfSegment(seg []float64, n int, qs []float64, e Estimator, out []float64, s *quantileScratch) {
	s.ks = neededOrderStats(s.ks, n, qs, e)
	s.vals = append(s.vals[:0], make([]float64, len(s.ks))...)
	ok := extremeScan(seg, n, s.ks, func(k int, v float64) {
		for i, kk := range s.ks {
			if kk == k {
				s.vals[i] = v
			}
		}
	})
	if !ok {
		s.a = copyFinite(s.a[:0], seg)
		s.ks = quantilesOfScratch(s.a, qs, e, out, s.ks)
		return
	}
	at := func(k int) float64 {
		i, _ := slices.BinarySearch(s.ks, k)
		return s.vals[i]
	}
	for j, q := range qs {
		i0, i1, g := e.position(float64(n), q)
		if g == 0 {
			out[j] = at(i0)
		} else {
			out[j] = lerp(at(i0), at(i1), g)
		}
	}
}

// copyFinite appends the non-NaN values of x to dst.
func copyFinite(dst, x []float64) []float64 {
	for _, v := range x {
		if v == v {
			dst = append(dst, v)
		}
	}
	return dst
}

// Quantile returns the q-quantile (q in [0, 1]; 0.99 for p99) of x with estimator e, skipping NaN.
// It returns NaN if x holds no number. x is not modified: the values are copied to a scratch slice
// and the needed order statistics found by selection (Floyd-Rivest), in O(n) expected time.
// Quantile panics if q is outside [0, 1]. Use Quantiles for several quantiles in one pass and
// for the number of values used.
func Quantile(x []float64, q float64, e Estimator) float64 {
	out, _ := Quantiles(x, []float64{q}, e)
	return out[0]
}

// Quantiles returns the quantiles qs of x with estimator e in one selection pass, and n, the
// number of non-NaN values used (NaN is skipped; with n = 0 every result is NaN). x is not modified.
func Quantiles(x []float64, qs []float64, e Estimator) (out []float64, n int) {
	e.check()
	for _, q := range qs {
		checkQ(q)
	}
	out = make([]float64, len(qs))
	if len(x) >= 1<<16 && len(qs) > 0 {
		if n, ok := bracketQuantiles(x, qs, e, out); ok {
			return out, n
		}
	}
	a := copyFinite(make([]float64, 0, len(x)), x)
	if len(a) == 0 {
		for i := range out {
			out[i] = math.NaN()
		}
		return out, 0
	}
	quantilesOfScratch(a, qs, e, out, make([]int, 0, 2*len(qs)))
	return out, len(a)
}

// ErrWeights reports weights that cannot be used: negative, NaN or infinite.
var ErrWeights = errors.New("ts: invalid weights")

// WeightedQuantile returns the q-quantile of x under frequency weights w (w[i] = how many times
// x[i] was observed, e.g. CloudWatch's Values+Counts). The definition: with the pairs sorted by x,
// total weight N = Σw, estimator e's virtual index h is computed with N in place of n, and the
// value at order position j is x[i] for the i with W[i−1] ≤ j < W[i] (W the cumulative weights).
// For integer weights this equals e applied to the sample with each x[i] repeated w[i] times
// (numpy.quantile(numpy.repeat(x, w), q, method=e)); non-integer weights follow the same formula.
// Pairs with NaN x or zero weight are skipped; it returns NaN when no weight remains, and an error
// wrapping ErrWeights for a negative, NaN or infinite weight. It panics if len(w) != len(x).
func WeightedQuantile(x, w []float64, q float64, e Estimator) (float64, error) {
	e.check()
	checkQ(q)
	if len(w) != len(x) {
		panic(fmt.Sprintf("cwnb: ts.WeightedQuantile: %d values but %d weights", len(x), len(w)))
	}
	type pair struct{ x, w float64 }
	ps := make([]pair, 0, len(x))
	total := 0.0
	for i, v := range x {
		wi := w[i]
		if !(wi >= 0) || math.IsInf(wi, 1) {
			return math.NaN(), fmt.Errorf("%w: weight %v at index %d; weights are sample counts ≥ 0", ErrWeights, wi, i)
		}
		if v != v || wi == 0 {
			continue
		}
		ps = append(ps, pair{v, wi})
		total += wi
	}
	if len(ps) == 0 {
		return math.NaN(), nil
	}
	slices.SortFunc(ps, func(a, b pair) int {
		switch {
		case a.x < b.x:
			return -1
		case a.x > b.x:
			return 1
		}
		return 0
	})
	i0, i1, g := e.position(total, q)
	at := func(j int) float64 {
		c := 0.0
		for _, p := range ps {
			c += p.w
			if float64(j) < c {
				return p.x
			}
		}
		return ps[len(ps)-1].x
	}
	return lerp(at(i0), at(i1), g), nil
}

// MinSamples returns the smallest sample count at which a q-quantile is significant by AWS's
// alarm rule, 10/(1−q) rounded up: 1,000 for p99, 10,000 for p99.9, 20 for p50. It returns
// math.MaxInt for q = 1.
func MinSamples(q float64) int {
	checkQ(q)
	if q == 1 {
		return math.MaxInt
	}
	// Round 10/(1−q) to 9 significant digits first so 10/(1−0.99) = 1000.0000000000009 gives 1000.
	m := 10 / (1 - q)
	r := math.Round(m*1e6) / 1e6
	return int(math.Ceil(r))
}

// Significant reports whether n samples are enough for a q-quantile: n ≥ MinSamples(q).
func Significant(n int, q float64) bool { return n >= MinSamples(q) }

// Summary is a describe-style summary of a sample. Quantiles use the Linear estimator (R type 7).
type Summary struct {
	Count int     // values used (non-NaN)
	NaN   int     // NaN values skipped
	Mean  float64 // arithmetic mean
	Std   float64 // sample standard deviation (ddof = 1, as pandas); NaN below 2 values
	Min   float64
	P50   float64
	P90   float64
	P95   float64
	P99   float64
	P999  float64
	Max   float64
}

// Describe summarises x like pandas' Series.describe with percentiles [.5, .9, .95, .99, .999],
// skipping NaN (counted in Summary.NaN). Every field but the counts is NaN when x holds no number.
// x is not modified.
func Describe(x []float64) Summary {
	qs := []float64{0, 0.5, 0.9, 0.95, 0.99, 0.999, 1}
	v, n := Quantiles(x, qs, Linear)
	s := Summary{Count: n, NaN: len(x) - n, Min: v[0], P50: v[1], P90: v[2], P95: v[3], P99: v[4], P999: v[5], Max: v[6]}
	s.Mean, s.Std = meanStd(x)
	return s
}

// meanStd returns the mean and the ddof=1 standard deviation of the non-NaN values of x
// (two-pass, NaN when undefined).
func meanStd(x []float64) (mean, std float64) {
	sum, n := 0.0, 0
	for _, v := range x {
		if v == v {
			sum += v
			n++
		}
	}
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	mean = sum / float64(n)
	if n < 2 {
		return mean, math.NaN()
	}
	ss := 0.0
	for _, v := range x {
		if v == v {
			d := v - mean
			ss += d * d
		}
	}
	return mean, math.Sqrt(ss / float64(n-1))
}

// String formats the summary on one line.
func (s Summary) String() string {
	return fmt.Sprintf("count=%d mean=%.4g std=%.4g min=%.4g p50=%.4g p90=%.4g p95=%.4g p99=%.4g p99.9=%.4g max=%.4g",
		s.Count, s.Mean, s.Std, s.Min, s.P50, s.P90, s.P95, s.P99, s.P999, s.Max)
}
