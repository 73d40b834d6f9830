package ts

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// Closed says which end of an interval belongs to it.
type Closed int

// The interval closures. ClosedDefault means [start, end) for Resample and (t−window, t] for
// Rolling, as pandas.
const (
	ClosedDefault Closed = iota
	ClosedLeft
	ClosedRight
	ClosedBoth
	ClosedNeither
)

// String returns pandas' name ("left", "right", "both", "neither"; "" for ClosedDefault).
func (c Closed) String() string {
	return [...]string{"", "left", "right", "both", "neither"}[c]
}

// Label says which edge of a bucket names it.
type Label int

// The bucket labels. LabelDefault is LabelLeft (the bucket start, as CloudWatch and pandas).
const (
	LabelDefault Label = iota
	LabelLeft
	LabelRight
)

// Origin is the instant buckets are aligned to (before Offset is added).
type Origin int

// The origins. OriginEpoch (the default) aligns buckets to multiples of the period since
// 1970-01-01T00:00:00Z, as CloudWatch does. OriginStart aligns them to the first timestamp;
// OriginStartDay to midnight UTC of the first timestamp's day (pandas' default, which equals
// OriginEpoch for periods that divide a day).
const (
	OriginEpoch Origin = iota
	OriginStart
	OriginStartDay
)

// ResampleOptions configures Resample. The zero value (with a Period) gives CloudWatch's
// buckets: [start, start+Period), labelled by their start, aligned to the Unix epoch.
type ResampleOptions struct {
	Period    time.Duration // bucket width; required, > 0
	Closed    Closed        // ClosedLeft (default) or ClosedRight: (start, start+Period]
	Label     Label         // LabelLeft (default): bucket start; LabelRight: bucket end
	Origin    Origin        // OriginEpoch (default), OriginStart or OriginStartDay
	Offset    time.Duration // added to the origin (pandas' offset)
	Estimator Estimator     // quantile estimator for Median and Q (default Linear, R type 7)
}

// maxBuckets bounds the output of Resample so a tiny period over a long span fails clearly.
const maxBuckets = 200_000_000

// ErrTooManyBuckets reports a period too small for the time span (more than 200 million buckets).
var ErrTooManyBuckets = errors.New("ts: too many buckets")

// Resample aggregates the series (t, v) into buckets of opt.Period and returns one column per
// aggregation, pandas' s.resample(...).agg(...) with CloudWatch's defaults. The output covers
// every bucket from the first to the last one holding a timestamp; buckets with no number are
// NaN with Count 0 (pandas gives 0 for an empty sum; use sum(min_count=1) to compare). NaN values
// are skipped and counted in Aggregated.NaN. t need not be sorted (unsorted input is sorted
// stably first, at the cost of a copy); repeated times fall in one bucket in their input order
// (which First and Last follow). Several aggregations share one pass over the times, one
// over the values for mean/sum/count/std, one for min/max, and one selection per bucket for all
// quantiles. The inputs are not modified.
func Resample(t []time.Time, v []float64, opt ResampleOptions, aggs ...Agg) (*Aggregated, error) {
	if err := checkLen("Resample", t, v); err != nil {
		return nil, err
	}
	if opt.Period <= 0 {
		return nil, fmt.Errorf("ts.Resample: period %v must be positive; set ResampleOptions.Period, e.g. 5*time.Minute", opt.Period)
	}
	if opt.Closed != ClosedDefault && opt.Closed != ClosedLeft && opt.Closed != ClosedRight {
		return nil, fmt.Errorf("ts.Resample: closed %q is not allowed for buckets; use ClosedLeft or ClosedRight", opt.Closed)
	}
	if len(aggs) == 0 {
		return nil, errors.New("ts.Resample: no aggregation; pass at least one, e.g. ts.Mean")
	}
	for _, a := range aggs {
		if !a.valid() {
			return nil, errors.New("ts.Resample: invalid aggregation (the zero Agg); use ts.Mean, ts.Q(0.99), ...")
		}
	}
	opt.Estimator.check()
	b, err := bucketize(t, v, opt)
	if err == errUnsorted {
		t, v = sortByTime(t, v)
		b, err = bucketize(t, v, opt)
	}
	if err != nil {
		return nil, err
	}
	r := aggregate(v, b.starts, aggs, opt.Estimator, b.sums, b.counts)
	r.Times = b.labels(opt)
	r.Period = opt.Period
	return r, nil
}

var errUnsorted = errors.New("ts: times not ascending")

// sortByTime returns copies of t and v ordered by time (stable).
func sortByTime(t []time.Time, v []float64) ([]time.Time, []float64) {
	idx := sortIndex(t)
	return permute(t, idx), permuteF(v, idx)
}

// sortStableByKey sorts idx stably by key[idx[i]].
func sortStableByKey(idx []int, key []int64) {
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case key[a] < key[b]:
			return -1
		case key[a] > key[b]:
			return 1
		}
		return 0
	})
}

type buckets struct {
	first  int64 // index of the first bucket: its start is base + first·period
	base   int64 // origin + offset, in Unix nanoseconds
	period int64
	starts []int // bucket j holds input [starts[j], starts[j+1])
	// With values: the sum and number of the non-NaN values of each bucket, computed in the
	// same pass as the boundaries so the values are read once.
	sums   []float64
	counts []int
}

func origin(t []time.Time, opt ResampleOptions) int64 {
	var o int64
	switch opt.Origin {
	case OriginStart:
		if len(t) > 0 {
			o = t[0].UnixNano()
		}
	case OriginStartDay:
		if len(t) > 0 {
			o = Floor(t[0], 24*time.Hour, 0).UnixNano()
		}
	}
	return o + int64(opt.Offset)
}

// bucketize finds the bucket boundaries of t, or returns errUnsorted if t is not ascending.
// If v is not nil it also sums and counts the non-NaN values of every bucket.
func bucketize(t []time.Time, v []float64, opt ResampleOptions) (*buckets, error) {
	p := int64(opt.Period)
	b := &buckets{base: origin(t, opt), period: p}
	if len(t) == 0 {
		b.starts = []int{0}
		if v != nil {
			b.sums, b.counts = []float64{}, []int{}
		}
		return b, nil
	}
	// Right-closed buckets (s, s+p]: an instant x belongs to ⌊(x−1ns−base)/p⌋.
	shift := b.base
	if opt.Closed == ClosedRight {
		shift++
	}
	first := floorDiv(t[0].UnixNano()-shift, p)
	last := floorDiv(t[len(t)-1].UnixNano()-shift, p)
	if last < first {
		return nil, errUnsorted
	}
	if last-first+1 > maxBuckets {
		return nil, fmt.Errorf("%w: %d buckets of %v between %v and %v; use a longer period or a shorter range",
			ErrTooManyBuckets, last-first+1, opt.Period, t[0].UTC(), t[len(t)-1].UTC())
	}
	b.first = first
	starts := make([]int, 1, last-first+2)
	// hi is the first shifted instant of the next bucket.
	hi := (first+1)*p + shift
	prev := int64(math.MinInt64)
	if v == nil {
		for i := range t {
			ns := t[i].UnixNano()
			if ns < prev {
				return nil, errUnsorted
			}
			prev = ns
			if ns >= hi {
				k := floorDiv(ns-shift, p)
				if k > last { // a time after the last one: not ascending
					return nil, errUnsorted
				}
				for j := int64(len(starts)) - 1 + first; j < k; j++ {
					starts = append(starts, i)
				}
				hi = (k+1)*p + shift
			}
		}
	} else {
		sums := make([]float64, last-first+1)
		counts := make([]int, last-first+1)
		cur := 0
		s, c := 0.0, 0
		for i := range t {
			ns := t[i].UnixNano()
			if ns < prev {
				return nil, errUnsorted
			}
			prev = ns
			if ns >= hi {
				k := floorDiv(ns-shift, p)
				if k > last { // a time after the last one: not ascending
					return nil, errUnsorted
				}
				sums[cur], counts[cur] = s, c
				s, c = 0, 0
				for j := int64(len(starts)) - 1 + first; j < k; j++ {
					starts = append(starts, i)
				}
				cur = int(k - first)
				hi = (k+1)*p + shift
			}
			if x := v[i]; x == x {
				s += x
				c++
			}
		}
		sums[cur], counts[cur] = s, c
		b.sums, b.counts = sums, counts
	}
	starts = append(starts, len(t))
	b.starts = starts
	return b, nil
}

// labels returns the label of every bucket.
func (b *buckets) labels(opt ResampleOptions) []time.Time {
	n := len(b.starts) - 1
	out := make([]time.Time, n)
	start := b.base + b.first*b.period
	if opt.Label == LabelRight {
		start += b.period
	}
	for j := range out {
		out[j] = time.Unix(0, start+int64(j)*b.period).UTC()
	}
	return out
}

// aggregate computes aggs over the buckets v[starts[j]:starts[j+1]]. sums and counts, if not
// nil, are the buckets' sums and counts of non-NaN values, already computed.
func aggregate(v []float64, starts []int, aggs []Agg, e Estimator, sums []float64, counts []int) *Aggregated {
	nb := len(starts) - 1
	r := &Aggregated{Aggs: slices.Clone(aggs), Values: make([][]float64, len(aggs)), Count: make([]int, nb)}
	var need struct{ sum, std, minmax, quant, first, last bool }
	var qs []float64
	for _, a := range aggs {
		switch a.kind {
		case kMean, kSum, kCount:
			need.sum = true
		case kStd:
			need.sum, need.std = true, true
		case kMin, kMax:
			need.minmax = true
		case kMedian, kQuantile:
			need.quant = true
			if !slices.Contains(qs, a.q) {
				qs = append(qs, a.q)
			}
		case kFirst:
			need.first = true
		case kLast:
			need.last = true
		}
	}
	var stds, mins, maxs, firsts, lasts []float64
	var quants [][]float64
	if counts != nil {
		r.Count = counts
	} else if need.sum {
		sums = make([]float64, nb)
		for j := 0; j < nb; j++ {
			s, c := 0.0, 0
			for _, x := range v[starts[j]:starts[j+1]] {
				if x == x {
					s += x
					c++
				}
			}
			sums[j] = s
			r.Count[j] = c
		}
	} else {
		for j := 0; j < nb; j++ {
			c := 0
			for _, x := range v[starts[j]:starts[j+1]] {
				if x == x {
					c++
				}
			}
			r.Count[j] = c
		}
	}
	total := 0
	for _, c := range r.Count {
		total += c
	}
	r.NaN = len(v) - total
	if need.std {
		stds = make([]float64, nb)
		for j := 0; j < nb; j++ {
			c := r.Count[j]
			if c < 2 {
				stds[j] = math.NaN()
				continue
			}
			m := sums[j] / float64(c)
			ss := 0.0
			for _, x := range v[starts[j]:starts[j+1]] {
				if x == x {
					d := x - m
					ss += d * d
				}
			}
			stds[j] = math.Sqrt(ss / float64(c-1))
		}
	}
	if need.minmax {
		mins, maxs = make([]float64, nb), make([]float64, nb)
		for j := 0; j < nb; j++ {
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, x := range v[starts[j]:starts[j+1]] {
				if x < lo {
					lo = x
				}
				if x > hi {
					hi = x
				}
			}
			if r.Count[j] == 0 {
				lo, hi = math.NaN(), math.NaN()
			}
			mins[j], maxs[j] = lo, hi
		}
	}
	if need.quant {
		quants = make([][]float64, len(qs))
		for i := range quants {
			quants[i] = make([]float64, nb)
		}
		var qsc quantileScratch
		out := make([]float64, len(qs))
		for j := 0; j < nb; j++ {
			if r.Count[j] == 0 {
				for i := range qs {
					quants[i][j] = math.NaN()
				}
				continue
			}
			quantilesOfSegment(v[starts[j]:starts[j+1]], r.Count[j], qs, e, out, &qsc)
			for i := range qs {
				quants[i][j] = out[i]
			}
		}
	}
	if need.first || need.last {
		firsts, lasts = make([]float64, nb), make([]float64, nb)
		for j := 0; j < nb; j++ {
			f, l := math.NaN(), math.NaN()
			seg := v[starts[j]:starts[j+1]]
			for _, x := range seg {
				if x == x {
					f = x
					break
				}
			}
			for i := len(seg) - 1; i >= 0; i-- {
				if seg[i] == seg[i] {
					l = seg[i]
					break
				}
			}
			firsts[j], lasts[j] = f, l
		}
	}
	for i, a := range aggs {
		var col []float64
		switch a.kind {
		case kMean:
			col = make([]float64, nb)
			for j := range col {
				if r.Count[j] == 0 {
					col[j] = math.NaN()
				} else {
					col[j] = sums[j] / float64(r.Count[j])
				}
			}
		case kSum:
			col = make([]float64, nb)
			for j := range col {
				if r.Count[j] == 0 {
					col[j] = math.NaN()
				} else {
					col[j] = sums[j]
				}
			}
		case kCount:
			col = make([]float64, nb)
			for j := range col {
				col[j] = float64(r.Count[j])
			}
		case kStd:
			col = stds
		case kMin:
			col = mins
		case kMax:
			col = maxs
		case kMedian, kQuantile:
			col = quants[slices.Index(qs, a.q)]
		case kFirst:
			col = firsts
		case kLast:
			col = lasts
		}
		// Two identical aggregations must not share a backing array the caller might modify.
		if slices.ContainsFunc(r.Values[:i], func(c []float64) bool { return len(c) > 0 && len(col) > 0 && &c[0] == &col[0] }) {
			col = slices.Clone(col)
		}
		r.Values[i] = col
	}
	return r
}
