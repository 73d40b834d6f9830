package insights

import (
	"math"
	"slices"
)

// aggState accumulates one aggregate over the rows of one group.
type aggState interface {
	add(v Value, r *row)
	result() Value
}

// aggFunc describes one aggregation function: its arity and a constructor of its state.
type aggFunc struct {
	args  int  // number of arguments (pct: 2)
	star  bool // accepts * (count)
	newFn func(arg float64) aggState
}

// aggFuncs is the table of aggregation functions of stats.
var aggFuncs = map[string]aggFunc{
	"count":          {1, true, func(float64) aggState { return &countAgg{} }},
	"count_distinct": {1, false, func(float64) aggState { return &distinctAgg{seen: map[string]struct{}{}} }},
	"sum":            {1, false, func(float64) aggState { return &sumAgg{} }},
	"avg":            {1, false, func(float64) aggState { return &avgAgg{} }},
	"min":            {1, false, func(float64) aggState { return &extremeAgg{sign: -1} }},
	"max":            {1, false, func(float64) aggState { return &extremeAgg{sign: 1} }},
	"stddev":         {1, false, func(float64) aggState { return &stddevAgg{} }},
	"pct":            {2, false, func(p float64) aggState { return &pctAgg{p: p} }},
	"percentile":     {2, false, func(p float64) aggState { return &pctAgg{p: p} }},
	"earliest":       {1, false, func(float64) aggState { return &timeAgg{sign: -1} }},
	"latest":         {1, false, func(float64) aggState { return &timeAgg{sign: 1} }},
}

// countAgg counts rows where the argument is present (count(*): every row).
type countAgg struct{ n float64 }

func (a *countAgg) add(v Value, _ *row) {
	if v.K != Null {
		a.n++
	}
}
func (a *countAgg) result() Value { return Num(a.n) }

type distinctAgg struct{ seen map[string]struct{} }

func (a *distinctAgg) add(v Value, _ *row) {
	if v.K != Null {
		a.seen[v.Text()] = struct{}{}
	}
}
func (a *distinctAgg) result() Value { return Num(float64(len(a.seen))) }

type sumAgg struct {
	s float64
	n int
}

func (a *sumAgg) add(v Value, _ *row) {
	if x, ok := v.num(); ok {
		a.s += x
		a.n++
	}
}
func (a *sumAgg) result() Value {
	if a.n == 0 {
		return Value{}
	}
	return Num(a.s)
}

type avgAgg struct{ sumAgg }

func (a *avgAgg) result() Value {
	if a.n == 0 {
		return Value{}
	}
	return Num(a.s / float64(a.n))
}

// extremeAgg is min (sign -1) or max (sign 1): of numbers, of times (a time stays a time), or
// of text when the values are not numbers.
type extremeAgg struct {
	sign int
	best Value
}

func (a *extremeAgg) add(v Value, _ *row) {
	if v.K == Null {
		return
	}
	if a.best.K == Null {
		a.best = v
		return
	}
	if c, ok := compare(v, a.best); ok && c*a.sign > 0 {
		a.best = v
	}
}
func (a *extremeAgg) result() Value { return a.best }

// stddevAgg is the sample standard deviation (divisor n-1), by Welford's update.
type stddevAgg struct {
	n       float64
	mean, m float64
}

func (a *stddevAgg) add(v Value, _ *row) {
	x, ok := v.num()
	if !ok {
		return
	}
	a.n++
	d := x - a.mean
	a.mean += d / a.n
	a.m += d * (x - a.mean)
}
func (a *stddevAgg) result() Value {
	if a.n < 2 {
		if a.n == 1 {
			return Num(0)
		}
		return Value{}
	}
	return Num(math.Sqrt(a.m / (a.n - 1)))
}

// pctAgg is the nearest-rank percentile: the smallest value such that at least p% of the values
// are less than or equal to it, v[ceil(p/100·n)-1] of the sorted values (p = 0: the minimum).
type pctAgg struct {
	p  float64
	xs []float64
}

func (a *pctAgg) add(v Value, _ *row) {
	if x, ok := v.num(); ok && !math.IsNaN(x) {
		a.xs = append(a.xs, x)
	}
}
func (a *pctAgg) result() Value {
	if len(a.xs) == 0 {
		return Value{}
	}
	return Num(NearestRank(a.xs, a.p))
}

// NearestRank returns the p-th percentile (0 ≤ p ≤ 100) of xs by the nearest-rank method, the
// estimator the local engine uses for pct(): with the n values sorted ascending, the value at
// rank ceil(p/100·n) (1-based; rank 1 for p = 0). It is always one of the values, never an
// interpolation between two. xs is reordered; it must be non-empty and free of NaN.
func NearestRank(xs []float64, p float64) float64 {
	n := len(xs)
	k := int(math.Ceil(p / 100 * float64(n)))
	k = clampInt(k, 1, n)
	if n > 64 {
		return quickselect(xs, k-1)
	}
	slices.Sort(xs)
	return xs[k-1]
}

// quickselect returns the k-th smallest (0-based) of xs, reordering xs.
func quickselect(xs []float64, k int) float64 {
	lo, hi := 0, len(xs)-1
	for lo < hi {
		// median of three as pivot
		mid := lo + (hi-lo)/2
		if xs[mid] < xs[lo] {
			xs[mid], xs[lo] = xs[lo], xs[mid]
		}
		if xs[hi] < xs[lo] {
			xs[hi], xs[lo] = xs[lo], xs[hi]
		}
		if xs[hi] < xs[mid] {
			xs[hi], xs[mid] = xs[mid], xs[hi]
		}
		pivot := xs[mid]
		i, j := lo, hi
		for i <= j {
			for xs[i] < pivot {
				i++
			}
			for xs[j] > pivot {
				j--
			}
			if i <= j {
				xs[i], xs[j] = xs[j], xs[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return xs[k]
		}
	}
	return xs[k]
}

// timeAgg is earliest (sign -1) or latest (sign 1): the argument's value in the row with the
// earliest or latest @timestamp (the first such row on ties).
type timeAgg struct {
	sign int
	t    int64
	v    Value
	seen bool
}

func (a *timeAgg) add(v Value, r *row) {
	if v.K == Null {
		return
	}
	ms, _ := asMillis(r.get("@timestamp"))
	if !a.seen || (a.sign < 0 && ms < a.t) || (a.sign > 0 && ms > a.t) {
		a.t, a.v, a.seen = ms, v, true
	}
}
func (a *timeAgg) result() Value { return a.v }
