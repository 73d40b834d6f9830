package cwstat

import (
	"math"
	"slices"
)

// Set is a statistic set: the StatisticValues of a PutMetricData datum, which publishes
// SampleCount values summarized by their Sum, Minimum and Maximum.
type Set struct{ SampleCount, Sum, Minimum, Maximum float64 }

// sample is a raw value published count times.
type sample struct{ v, c float64 }

// Bucket holds the samples published into one period of one metric and computes statistics
// from them. The zero Bucket is empty and ready to use. Reset empties it and keeps its memory,
// so one Bucket reused for every period of every series allocates nothing in steady state.
// A Bucket is not safe for concurrent use.
//
// Values that are NaN or ±Inf, and counts that are not finite and positive, are ignored: the
// CloudWatch API rejects them, so they never reach a real bucket.
type Bucket struct {
	raw      []sample  // raw values; sorted by value unless unsorted is set
	cum      []float64 // cumulative counts of raw once sorted: cum[i] = c₀ + … + cᵢ
	w        float64   // cum[len(cum)-1]: the total raw count, summed in sorted order
	sets     int       // how many statistic sets could not become raw values
	unsorted bool
	runs     []int32  // where Add started a new ascending run since the last sort
	bounds   []int32  // run boundaries while sorting
	scratch  []sample // merge buffer

	// Summary over sets and raw[:folded]; Add only appends, summarize folds the rest in.
	folded           int
	n, sum, min, max float64 // over raw values and sets
	rawN             float64 // total count of raw values
	negative         bool    // some value (or a set's Minimum) is below zero
}

// Reset empties the bucket, keeping its memory for the next period.
func (b *Bucket) Reset() {
	b.raw = b.raw[:0]
	b.cum = b.cum[:0]
	b.sets = 0
	b.unsorted = false
	b.runs = b.runs[:0]
	b.w = 0
	b.folded = 0
	b.n, b.sum, b.min, b.max, b.rawN = 0, 0, 0, 0, 0
	b.negative = false
}

// Add adds a raw value published count times (a Value has count 1; Values+Counts give each
// value its count). The value is weighted by count without being copied count times, so large
// counts cost nothing. Counts may be fractional, as CloudWatch Counts are doubles: every
// statistic treats a count as a weight (SampleCount is the sum of counts, percentiles use the
// cumulative weight, see Bucket.Compute).
func (b *Bucket) Add(value, count float64) {
	// x-x is NaN, so not 0, exactly when x is NaN or ±Inf.
	if value-value != 0 || !(count > 0) || count-count != 0 {
		return
	}
	if len(b.raw) > 0 && value < b.raw[len(b.raw)-1].v {
		b.unsorted = true
		b.runs = append(b.runs, int32(len(b.raw)))
	}
	b.raw = append(b.raw, sample{value, count})
}

// AddValues adds the Values+Counts of one datum: values[i] published counts[i] times, or once
// each when counts is nil. It is Add in a loop, without the per-call overhead. It panics if
// counts is not nil and its length differs from values' (CloudWatch rejects such a datum).
func (b *Bucket) AddValues(values, counts []float64) {
	if counts != nil && len(counts) != len(values) {
		panic("cwstat: AddValues needs len(counts) == len(values) or counts == nil")
	}
	b.raw = slices.Grow(b.raw, len(values))
	last := math.Inf(-1)
	if len(b.raw) > 0 {
		last = b.raw[len(b.raw)-1].v
	}
	for i, v := range values {
		c := 1.0
		if counts != nil {
			c = counts[i]
		}
		if v-v != 0 || !(c > 0) || c-c != 0 {
			continue
		}
		if v < last {
			b.unsorted = true
			b.runs = append(b.runs, int32(len(b.raw)))
		}
		last = v
		b.raw = append(b.raw, sample{v, c})
	}
}

// summarize folds the raw values added since the last call into the summary. Values are
// folded before any sort reorders them, so raw[folded:] are always the unfolded ones.
func (b *Bucket) summarize() {
	if b.folded == len(b.raw) {
		return
	}
	rawN, n, sum, lo, hi := b.rawN, b.n, b.sum, math.Inf(1), math.Inf(-1)
	if n > 0 {
		lo, hi = b.min, b.max
	}
	for _, s := range b.raw[b.folded:] {
		rawN += s.c
		sum += s.v * s.c
		if s.v < lo {
			lo = s.v
		}
		if s.v > hi {
			hi = s.v
		}
	}
	n += rawN - b.rawN
	b.rawN, b.n, b.sum, b.min, b.max = rawN, n, sum, lo, hi
	if lo < 0 {
		b.negative = true
	}
	b.folded = len(b.raw)
}

// note folds a statistic set (count values in [lo, hi] summing to sum) into the summary.
func (b *Bucket) note(lo, hi, count, sum float64) {
	if b.n == 0 {
		b.min, b.max = lo, hi
	} else {
		b.min = min(b.min, lo)
		b.max = max(b.max, hi)
	}
	b.n += count
	b.sum += sum
	if lo < 0 {
		b.negative = true
	}
}

// AddSet adds a statistic set. A set that is raw values, SampleCount copies of one value
// (Minimum = Maximum and Sum = Minimum·SampleCount, which covers SampleCount = 1 with
// Minimum = Maximum = Sum), becomes the raw value Minimum with count SampleCount, as CloudWatch
// documents for percentiles (Statistics-definitions.html). Any other set, including one with
// Minimum = Maximum whose Sum disagrees, contributes its own Sum, Minimum, Maximum and
// SampleCount to the basic statistics only: every other statistic (NeedsSamples) of the bucket
// becomes unavailable, as CloudWatch needs raw data points for them. Sets with a SampleCount
// that is not finite and positive, or with a non-finite field, are ignored.
func (b *Bucket) AddSet(s Set) {
	if !(s.SampleCount > 0) || math.IsInf(s.SampleCount, 0) || !finite(s.Sum) || !finite(s.Minimum) || !finite(s.Maximum) {
		return
	}
	if s.Minimum == s.Maximum && sameSum(s.Sum, s.Minimum*s.SampleCount) {
		b.Add(s.Minimum, s.SampleCount)
		return
	}
	lo, hi := min(s.Minimum, s.Maximum), max(s.Minimum, s.Maximum)
	b.sets++
	b.note(lo, hi, s.SampleCount, s.Sum)
}

// sameSum reports whether a set's Sum equals Minimum·SampleCount up to the rounding of a
// client that computed one from the other (3 × 0.1 is 0.30000000000000004).
func sameSum(sum, product float64) bool {
	return math.Abs(sum-product) <= 1e-12*max(math.Abs(sum), math.Abs(product))
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// Len returns the total sample count: the sum of the counts of raw values and the SampleCount
// of statistic sets.
func (b *Bucket) Len() float64 {
	b.summarize()
	return b.n
}

// sortRaw sorts the raw values and builds the cumulative counts, once per bucket contents.
func (b *Bucket) sortRaw() {
	if b.unsorted {
		b.mergeSort()
		b.unsorted = false
		b.runs = b.runs[:0]
		b.cum = b.cum[:0]
	}
	if len(b.cum) == len(b.raw) {
		return
	}
	b.cum = slices.Grow(b.cum[:0], len(b.raw))[:len(b.raw)]
	c := 0.0
	for i, s := range b.raw {
		c += s.c
		b.cum[i] = c
	}
	b.w = c
}

// Compute returns statistic s of the bucket, and false when it has no value: the bucket is
// empty; s needs raw samples (NeedsSamples: any statistic but the basic five) and the bucket
// holds a statistic set that is not raw values, or a negative value; or a trimmed mean keeps
// no values. A value published with count c weighs c everywhere below.
// Let the N raw values, sorted, be x₁ ≤ … ≤ x_N with counts c₁ … c_N, Cᵢ = c₁ + … + cᵢ and
// W = C_N; value i occupies the rank interval (Cᵢ₋₁, Cᵢ].
//
//   - Average = Sum/SampleCount; Sum = Σ xᵢcᵢ (plus the Sum of sets); Minimum, Maximum;
//     SampleCount = Σ cᵢ (plus the SampleCount of sets).
//   - pP (Percentile) is the inverted empirical CDF, Hyndman–Fan type 1 with weights: the
//     smallest xᵢ with Cᵢ ≥ P/100·W. p0 is the minimum, p100 the maximum. It never
//     interpolates, so it is always a published value.
//   - Percentage bounds (a%:b%) select the rank interval (L, U] with L = a/100·W and
//     U = b/100·W (a missing bound is 0% or 100%). Value i keeps the weight
//     wᵢ = |(Cᵢ₋₁, Cᵢ] ∩ (L, U]|, a fraction of its count when a bound cuts through it, so
//     trimming is exact for any count and TC may be fractional, as CloudWatch documents.
//     TC = Σ wᵢ, TS = Σ wᵢxᵢ, TM = TS/TC. WM = (L·x_lo + TS + (W−U)·x_hi)/W, where x_lo is the
//     value holding rank L⁺ and x_hi the value holding rank U (the b-th percentile): the
//     values trimmed off each side are replaced by the nearest kept value. IQM = TM(25%:75%).
//   - Absolute bounds (a:b) select the values in (a, b] (a missing bound is unbounded):
//     TC = Σ cᵢ, TS = Σ cᵢxᵢ and TM = TS/TC over those values; PR = 100·TC/SampleCount;
//     WM is the mean of all values clamped to [a, b].
//
// TM over an empty selection has no value; TC, TS and PR are then 0.
func (b *Bucket) Compute(s Stat) (float64, bool) {
	b.summarize()
	if b.n == 0 {
		return math.NaN(), false
	}
	switch s.Kind {
	case Average:
		return b.sum / b.n, true
	case Sum:
		return b.sum, true
	case Minimum:
		return b.min, true
	case Maximum:
		return b.max, true
	case SampleCount:
		return b.n, true
	}
	if s.NeedsSamples() {
		if b.sets > 0 || b.negative || b.rawN == 0 {
			return math.NaN(), false
		}
		b.sortRaw()
	}
	switch s.Kind {
	case Percentile:
		return b.percentile(s.P), true
	case IQM:
		return b.ranked(TrimmedMean, 25, 75)
	case TrimmedMean, WinsorizedMean, TrimmedCount, TrimmedSum, PercentileRank:
		if s.Absolute || s.Kind == PercentileRank { // PR bounds are values even if hand-built without Absolute
			lo, hi := math.Inf(-1), math.Inf(1)
			if s.HasLo {
				lo = s.Lo
			}
			if s.HasHi {
				hi = s.Hi
			}
			return b.absolute(s.Kind, lo, hi)
		}
		lo, hi := 0.0, 100.0
		if s.HasLo {
			lo = s.Lo
		}
		if s.HasHi {
			hi = s.Hi
		}
		return b.ranked(s.Kind, lo, hi)
	}
	return math.NaN(), false
}

// ComputeAll computes stats[i] into out[i] and ok[i] (NaN and false when there is no value),
// sorting the bucket at most once for all of them. It panics if out or ok is shorter than
// stats.
func (b *Bucket) ComputeAll(stats []Stat, out []float64, ok []bool) {
	if len(out) < len(stats) || len(ok) < len(stats) {
		panic("cwstat: ComputeAll needs len(out) and len(ok) >= len(stats)")
	}
	for i, s := range stats {
		out[i], ok[i] = b.Compute(s)
	}
}

// rankTol is the tolerance below which a rank bound snaps to a cumulative count, so that
// P/100·W computed in floating point selects the same value as the exact product.
func (b *Bucket) rankTol() float64 { return b.w * 1e-12 }

// search returns the first index i with cum[i] >= r (len(cum) when none).
func (b *Bucket) search(r float64) int {
	lo, hi := 0, len(b.cum)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if b.cum[m] < r {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// percentile is the weighted inverted-CDF (Hyndman–Fan type 1) percentile of the sorted raw values.
func (b *Bucket) percentile(p float64) float64 {
	i := b.search(p*b.w/100 - b.rankTol())
	if i >= len(b.raw) {
		i = len(b.raw) - 1
	}
	return b.raw[i].v
}

// snap moves rank r onto a cumulative count within tolerance.
func (b *Bucket) snap(r float64) float64 {
	tol := b.rankTol()
	i := b.search(r - tol)
	if i < len(b.cum) && b.cum[i] <= r+tol {
		return b.cum[i]
	}
	if r < tol {
		return 0
	}
	return r
}

// ranked computes a percentage-bound TM, WM, TC or TS over ranks (lo%, hi%].
func (b *Bucket) ranked(k Kind, lo, hi float64) (float64, bool) {
	w := b.w
	L, U := b.snap(lo*w/100), b.snap(hi*w/100)
	if hi >= 100 {
		U = w
	}
	if lo <= 0 {
		L = 0
	}
	if !(U > L) {
		if k == TrimmedCount || k == TrimmedSum {
			return 0, true
		}
		return math.NaN(), false
	}
	// first holds rank L⁺ (the first cumulative count above L), last holds rank U. L and U
	// are snapped, so exact comparisons are safe.
	first := b.search(L)
	if first < len(b.cum) && b.cum[first] == L {
		first++
	}
	first = min(first, len(b.cum)-1)
	last := min(b.search(U), len(b.cum)-1)
	var tc, ts float64
	prev := 0.0
	if first > 0 {
		prev = b.cum[first-1]
	}
	for i := first; i <= last; i++ {
		c := b.cum[i]
		wi := min(c, U) - max(prev, L)
		prev = c
		if wi <= 0 {
			continue
		}
		tc += wi
		ts += wi * b.raw[i].v
	}
	switch k {
	case TrimmedCount:
		return tc, true
	case TrimmedSum:
		return ts, true
	case TrimmedMean:
		if tc <= 0 {
			return math.NaN(), false
		}
		return ts / tc, true
	case WinsorizedMean:
		return (L*b.raw[first].v + ts + (w-U)*b.raw[last].v) / w, true
	}
	return math.NaN(), false
}

// absolute computes an absolute-bound TM, WM, TC, TS or PR over values (lo, hi].
func (b *Bucket) absolute(k Kind, lo, hi float64) (float64, bool) {
	var tc, ts float64
	if k == WinsorizedMean {
		for _, s := range b.raw {
			ts += s.c * min(max(s.v, lo), hi)
		}
		return ts / b.n, true
	}
	for _, s := range b.raw {
		if s.v > lo && s.v <= hi {
			tc += s.c
			ts += s.c * s.v
		}
	}
	switch k {
	case TrimmedCount:
		return tc, true
	case TrimmedSum:
		return ts, true
	case TrimmedMean:
		if tc == 0 {
			return math.NaN(), false
		}
		return ts / tc, true
	case PercentileRank:
		return 100 * tc / b.n, true
	}
	return math.NaN(), false
}

// minRun is the block length insertion sort handles before merging. (A branchless sorting
// network on blocks of 4 measured no faster: the merge passes it adds cost what it saves.)
const minRun = 16

// mergeSort sorts b.raw by value: a natural merge sort that starts from the ascending runs
// Add recorded (each Values+Counts datum is often already ascending) when they are long, or
// from insertion-sorted blocks of minRun values, then merges adjacent runs pairwise, going back
// and forth between b.raw and b.scratch. It allocates only while the bucket grows.
func (b *Bucket) mergeSort() {
	a := b.raw
	n := len(a)
	if n < 2 {
		return
	}
	bounds := append(b.bounds[:0], 0)
	if (len(b.runs)+1)*minRun <= n {
		bounds = append(bounds, b.runs...)
	} else {
		for lo := 0; lo < n; lo += minRun {
			hi := min(lo+minRun, n)
			insertionSort(a[lo:hi])
			if lo > 0 {
				bounds = append(bounds, int32(lo))
			}
		}
	}
	bounds = append(bounds, int32(n))
	b.scratch = slices.Grow(b.scratch[:0], n)[:n]
	src, dst := a, b.scratch
	for len(bounds) > 2 {
		k := 0
		for i := 0; i+1 < len(bounds); i += 2 {
			lo, mid := bounds[i], bounds[i+1]
			hi := mid
			if i+2 < len(bounds) {
				hi = bounds[i+2]
			}
			merge(dst, src, int(lo), int(mid), int(hi))
			bounds[k] = lo
			k++
		}
		bounds[k] = int32(n)
		bounds = bounds[:k+1]
		src, dst = dst, src
	}
	if &src[0] != &a[0] {
		copy(a, src)
	}
	b.bounds = bounds
}

// insertionSort sorts a block of at most minRun samples.
func insertionSort(a []sample) {
	for i := 1; i < len(a); i++ {
		x := a[i]
		j := i
		for j > 0 && a[j-1].v > x.v {
			a[j] = a[j-1]
			j--
		}
		a[j] = x
	}
}

// merge merges the ascending src[lo:mid] and src[mid:hi] into dst[lo:hi]. The loop has no
// data-dependent branch (the compiler turns the select into a conditional move): merging
// interleaved random values would otherwise mispredict about every other comparison.
func merge(dst, src []sample, lo, mid, hi int) {
	i, j, k := lo, mid, lo
	for i < mid && j < hi {
		x, y := src[i].v, src[j].v
		t := 0
		if y < x {
			t = 1
		}
		dst[k] = src[i+(j-i)&-t] // src[j] when t is 1, else src[i]
		j += t
		i += 1 - t
		k++
	}
	k += copy(dst[k:hi], src[i:mid])
	copy(dst[k:hi], src[j:hi])
}
