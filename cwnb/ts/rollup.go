package ts

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Rule is how values of one CloudWatch statistic, computed over fine periods, combine into the
// value over a coarser period (re-aggregation). It mirrors cwstat.Rollup, plus RuleRatio; a
// wrapper maps a statistic to its rule and weights.
type Rule int

// The re-aggregation rules.
const (
	// RuleRefuse: the statistic cannot be derived from finer periods (percentiles, IQM,
	// percentage-bound TM/WM/TC/TS): Rollup returns a *NotRollableError.
	RuleRefuse Rule = iota
	// RuleSum: Σv (Sum, SampleCount, absolute-bound TC and TS).
	RuleSum
	// RuleMin: min v (Minimum).
	RuleMin
	// RuleMax: max v (Maximum).
	RuleMax
	// RuleWeightedMean: Σ v·w / Σ w with w the weight statistic over the same fine periods:
	// SampleCount for Average, PR and absolute-bound WM; TC (same bounds) for absolute-bound TM.
	RuleWeightedMean
	// RuleRatio: Σv / Σw, for a mean rebuilt from its numerator and denominator: absolute TM from
	// TS (v) and TC (w), or Average from Sum (v) and SampleCount (w).
	RuleRatio
)

// String returns the rule's name ("refuse", "sum", "min", "max", "weighted-mean", "ratio").
func (r Rule) String() string {
	switch r {
	case RuleRefuse:
		return "refuse"
	case RuleSum:
		return "sum"
	case RuleMin:
		return "min"
	case RuleMax:
		return "max"
	case RuleWeightedMean:
		return "weighted-mean"
	case RuleRatio:
		return "ratio"
	}
	return fmt.Sprintf("Rule(%d)", int(r))
}

// ErrNotRollable is matched (errors.Is) by every *NotRollableError.
var ErrNotRollable = errors.New("ts: statistic cannot be re-aggregated from finer periods")

// ErrNeedsWeights reports a weighted rollup called without its weight column.
var ErrNeedsWeights = errors.New("ts: rollup needs weights")

// NotRollableError explains why a statistic (a percentile, IQM, or a percentage-bound TM/WM/TC/TS)
// cannot be rolled up to a coarser period and what to do instead: fetch it again at that period.
// errors.Is(err, ErrNotRollable) is true for it.
type NotRollableError struct {
	Stat string        // the statistic, e.g. "p99" (may be empty)
	From time.Duration // the period the values were computed over (0 if unknown)
	To   time.Duration // the period asked for
}

// Error says which statistic cannot be rolled up, why, and to fetch it again at the period asked for.
func (e *NotRollableError) Error() string {
	stat := e.Stat
	if stat == "" {
		stat = "this statistic"
	}
	from := "finer periods"
	if e.From > 0 {
		from = fmt.Sprintf("%v periods", e.From)
	}
	return fmt.Sprintf("cannot roll up %s from %s to %v: percentiles, IQM and percentage-bound TM/WM/TC/TS "+
		"of a period cannot be derived from those of its sub-periods (the p99 of an hour lies somewhere between "+
		"the smallest and the largest minute p99, nothing more); fetch %s again with period %v",
		stat, from, e.To, stat, e.To)
}

// Is makes errors.Is(err, ErrNotRollable) true.
func (e *NotRollableError) Is(target error) bool { return target == ErrNotRollable }

// RollupOptions configures Rollup.
type RollupOptions struct {
	ResampleOptions               // the coarser period and bucket layout (Period required)
	Stat            string        // the statistic's CloudWatch name, for messages ("Average", "p99")
	From            time.Duration // the period the values were loaded at; if set, Period must be a multiple of it
	// Weights, one per value, for RuleWeightedMean (SampleCount, or TC for absolute TM) and
	// RuleRatio (the denominator). Required by those rules.
	Weights []float64
}

// RolledUp is a statistic re-aggregated to a coarser period.
type RolledUp struct {
	Times  []time.Time   // bucket labels
	Values []float64     // the statistic per bucket; NaN for a bucket without data
	Count  []int         // fine-period values combined into bucket j
	Weight []float64     // Σ weights in bucket j (RuleWeightedMean, RuleRatio); nil otherwise
	Period time.Duration // the coarser period
	// Skipped counts fine values left out: NaN values, and values whose weight is NaN.
	Skipped int
}

// Rollup re-aggregates the values (t, v) of one CloudWatch statistic, computed over fine periods,
// into opt.Period buckets following rule: Sum and SampleCount add, Minimum and Maximum combine,
// Average is ΣAverage·SampleCount / ΣSampleCount (never the mean of averages), and so on (see
// Rule). RuleRefuse returns a *NotRollableError (errors.Is(err, ErrNotRollable)) that says to
// fetch the statistic again at the coarser period. Weighted rules need opt.Weights and return an
// error wrapping ErrNeedsWeights without them. A bucket whose weights sum to 0 is NaN. t need
// not be sorted and may repeat (values, weights and times are sorted together on a copy).
func Rollup(t []time.Time, v []float64, rule Rule, opt RollupOptions) (*RolledUp, error) {
	if err := checkLen("Rollup", t, v); err != nil {
		return nil, err
	}
	if opt.Period <= 0 {
		return nil, fmt.Errorf("ts.Rollup: period %v must be positive; set the coarser period, e.g. time.Hour", opt.Period)
	}
	if opt.From > 0 && opt.Period%opt.From != 0 {
		return nil, fmt.Errorf("ts.Rollup: period %v is not a multiple of the loaded period %v; use a multiple such as %v",
			opt.Period, opt.From, (opt.Period/opt.From+1)*opt.From)
	}
	name := opt.Stat
	if name == "" {
		name = "the statistic"
	}
	switch rule {
	case RuleRefuse:
		return nil, &NotRollableError{Stat: opt.Stat, From: opt.From, To: opt.Period}
	case RuleWeightedMean, RuleRatio:
		if opt.Weights == nil {
			w := "SampleCount"
			if rule == RuleRatio {
				w = "the denominator (SampleCount for Sum, TC for TS)"
			}
			return nil, fmt.Errorf("%w: %s rolls up as a weighted mean; load %s over the same periods and pass it as RollupOptions.Weights (a plain mean of means is wrong when periods hold different sample counts)",
				ErrNeedsWeights, name, w)
		}
		if len(opt.Weights) != len(v) {
			return nil, fmt.Errorf("ts.Rollup: %d weights for %d values; pass one weight per value", len(opt.Weights), len(v))
		}
	case RuleSum, RuleMin, RuleMax:
	default:
		return nil, fmt.Errorf("ts.Rollup: unknown rule %d", int(rule))
	}
	if opt.Closed != ClosedDefault && opt.Closed != ClosedLeft && opt.Closed != ClosedRight {
		return nil, fmt.Errorf("ts.Rollup: closed %q is not allowed for buckets; use ClosedLeft or ClosedRight", opt.Closed)
	}
	w := opt.Weights
	b, err := bucketize(t, nil, opt.ResampleOptions)
	if err == errUnsorted {
		idx := sortIndex(t)
		t, v, w = permute(t, idx), permuteF(v, idx), permuteF(w, idx)
		b, err = bucketize(t, nil, opt.ResampleOptions)
	}
	if err != nil {
		return nil, err
	}
	nb := len(b.starts) - 1
	r := &RolledUp{Times: b.labels(opt.ResampleOptions), Values: make([]float64, nb), Count: make([]int, nb), Period: opt.Period}
	if w != nil {
		r.Weight = make([]float64, nb)
	}
	for j := 0; j < nb; j++ {
		lo, hi := b.starts[j], b.starts[j+1]
		acc, den, c := 0.0, 0.0, 0
		switch rule {
		case RuleMin:
			acc = math.Inf(1)
		case RuleMax:
			acc = math.Inf(-1)
		}
		for i := lo; i < hi; i++ {
			x := v[i]
			if x != x {
				r.Skipped++
				continue
			}
			switch rule {
			case RuleSum:
				acc += x
			case RuleMin:
				acc = min(acc, x)
			case RuleMax:
				acc = max(acc, x)
			case RuleWeightedMean, RuleRatio:
				wi := w[i]
				if wi != wi {
					r.Skipped++
					continue
				}
				if rule == RuleWeightedMean {
					if wi == 0 {
						c++ // an empty fine period: contributes nothing
						continue
					}
					acc += x * wi
				} else {
					acc += x
				}
				den += wi
			}
			c++
		}
		r.Count[j] = c
		switch {
		case c == 0:
			acc = math.NaN()
		case rule == RuleWeightedMean || rule == RuleRatio:
			r.Weight[j] = den
			if den == 0 {
				acc = math.NaN()
			} else {
				acc /= den
			}
		}
		r.Values[j] = acc
	}
	return r, nil
}

func sortIndex(t []time.Time) []int {
	idx := make([]int, len(t))
	for i := range idx {
		idx[i] = i
	}
	ns := make([]int64, len(t))
	for i := range t {
		ns[i] = t[i].UnixNano()
	}
	sortStableByKey(idx, ns)
	return idx
}

func permute(t []time.Time, idx []int) []time.Time {
	out := make([]time.Time, len(idx))
	for i, j := range idx {
		out[i] = t[j]
	}
	return out
}

func permuteF(v []float64, idx []int) []float64 {
	if v == nil {
		return nil
	}
	out := make([]float64, len(idx))
	for i, j := range idx {
		out[i] = v[j]
	}
	return out
}
