package ts

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

type aggKind uint8

const (
	kMean aggKind = iota + 1
	kSum
	kMin
	kMax
	kCount
	kMedian
	kStd
	kQuantile
	kFirst
	kLast
)

// Agg is an aggregation applied to the values of a bucket or window: one of the variables Mean,
// Sum, Min, Max, Count, Median, Std, First, LastValue, or Q(q) for a quantile. Every aggregation skips
// NaN; a bucket or window with no number gives NaN (Count gives 0).
type Agg struct {
	kind aggKind
	q    float64
}

// The aggregations. Std is the sample standard deviation (ddof = 1, as pandas); First and LastValue
// are the first and last non-NaN values in time order (as pandas' first/last); Median is Q(0.5).
var (
	Mean   = Agg{kind: kMean}
	Sum    = Agg{kind: kSum}
	Min    = Agg{kind: kMin}
	Max    = Agg{kind: kMax}
	Count  = Agg{kind: kCount}
	Median = Agg{kind: kMedian, q: 0.5}
	Std    = Agg{kind: kStd}
	First  = Agg{kind: kFirst}
)

// LastValue is the aggregation "last non-NaN value in time order" (pandas' last). It is not named
// Last, which in package cwnb is a relative window.
var LastValue = Agg{kind: kLast}

// Q returns the aggregation "q-quantile" (q in [0, 1]: Q(0.99) is p99), computed with the
// estimator of the options it is used with. It panics if q is outside [0, 1].
func Q(q float64) Agg {
	checkQ(q)
	return Agg{kind: kQuantile, q: q}
}

// Quantile reports the quantile an aggregation computes: 0.5 for Median, q for Q(q).
func (a Agg) Quantile() (q float64, ok bool) {
	if a.kind == kQuantile || a.kind == kMedian {
		return a.q, true
	}
	return 0, false
}

// String returns the aggregation's name as pandas spells it, or "p99"-style for Q (the
// percentile to at most 10 decimal places, which ParseAgg reads back to the same aggregation).
func (a Agg) String() string {
	switch a.kind {
	case kMean:
		return "mean"
	case kSum:
		return "sum"
	case kMin:
		return "min"
	case kMax:
		return "max"
	case kCount:
		return "count"
	case kMedian:
		return "median"
	case kStd:
		return "std"
	case kFirst:
		return "first"
	case kLast:
		return "last"
	case kQuantile:
		return "p" + percent(a.q)
	}
	return "invalid"
}

// quantileDigits is the resolution of a quantile written as a percentile: q is kept to 12
// decimal places (the percentile to 10), so "p99.9999999999" is distinct from p100.
const quantileDigits = 1e12

// percent writes q as a percentage with at most 10 decimal places, exactly: q is first rounded to
// a whole number k of 1e−12 (as ParseAgg rounds), then k/1e10 is written in decimal with integer
// arithmetic, so ParseAgg(String()) gives back the same quantile.
func percent(q float64) string {
	k := int64(math.Round(q * quantileDigits)) // 0 ≤ k ≤ 1e12
	whole, frac := k/1e10, k%1e10
	if frac == 0 {
		return strconv.FormatInt(whole, 10)
	}
	f := fmt.Sprintf("%010d", frac)
	for f[len(f)-1] == '0' {
		f = f[:len(f)-1]
	}
	return strconv.FormatInt(whole, 10) + "." + f
}

// ParseAgg parses an aggregation name: mean, sum, min, max, count, median, std, first, last, or a
// percentile pNN (p99, p99.9, p50; up to 10 decimal places are kept, finer digits are rounded).
// For every aggregation it accepts, ParseAgg(a.String()) == a.
func ParseAgg(s string) (Agg, error) {
	for _, a := range []Agg{Mean, Sum, Min, Max, Count, Median, Std, First, LastValue} {
		if a.String() == s {
			return a, nil
		}
	}
	if len(s) > 1 && (s[0] == 'p' || s[0] == 'P') {
		if f, err := strconv.ParseFloat(s[1:], 64); err == nil && f >= 0 && f <= 100 {
			return Q(math.Round(f/100*quantileDigits) / quantileDigits), nil
		}
	}
	return Agg{}, fmt.Errorf("unknown aggregation %q; use mean, sum, min, max, count, median, std, first, last or pNN such as p99", s)
}

func (a Agg) valid() bool { return a.kind >= kMean && a.kind <= kLast }

// Aggregated holds aggregations over a sequence of buckets (Resample) or windows (Rolling).
type Aggregated struct {
	Times  []time.Time   // bucket labels (Resample) or the input times (Rolling)
	Aggs   []Agg         // the aggregations, in the order asked
	Values [][]float64   // Values[i][j]: Aggs[i] over bucket j; NaN when the bucket holds no number
	Count  []int         // non-NaN values in bucket j (0 for an empty bucket)
	NaN    int           // NaN inputs skipped in total
	Period time.Duration // bucket width (Resample) or window length (Rolling)
}

// Column returns the values of aggregation a, or nil if it was not computed.
func (r *Aggregated) Column(a Agg) []float64 {
	for i, b := range r.Aggs {
		if b == a {
			return r.Values[i]
		}
	}
	return nil
}

// Significant reports, per bucket, whether it holds enough values for a q-quantile to be
// significant (Count ≥ MinSamples(q), AWS's 10/(1−q) rule).
func (r *Aggregated) Significant(q float64) []bool {
	m := MinSamples(q)
	out := make([]bool, len(r.Count))
	for i, c := range r.Count {
		out[i] = c >= m
	}
	return out
}
