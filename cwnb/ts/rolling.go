package ts

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// RollingOptions configures Rolling, pandas' s.rolling("15min", min_periods=..., closed=...).
type RollingOptions struct {
	Window time.Duration // window length; required, > 0
	// MinPeriods is the fewest non-NaN values a window needs for a result (else NaN);
	// 0 means 1, pandas' default for time-based windows. Count ignores it.
	MinPeriods int
	// Closed: ClosedRight (the default) is (t−Window, t]; ClosedLeft [t−Window, t);
	// ClosedBoth [t−Window, t]; ClosedNeither (t−Window, t).
	Closed    Closed
	Estimator Estimator // for Median and Q (default Linear)
}

// Rolling computes aggregations over a time-based window ending at every point of the series
// (t ascending, as pandas requires: an unsorted t is an error; repeated times share their
// windows), returning one column per aggregation aligned with t.
// Count, Sum, Mean and Std take the difference of two compensated running sums (of the values
// entering and leaving the windows, see rollFast; Std ddof = 1), Min and Max a monotonic deque,
// Median and Q a sorted window, so each costs O(1) (O(window) for quantiles) per point; asked
// alone, Count, Sum, Mean and Std are computed in a single pass that allocates only the result.
// NaN values are skipped and counted: Count[i] is the number of non-NaN values in the window
// ending at t[i].
func Rolling(t []time.Time, v []float64, opt RollingOptions, aggs ...Agg) (*Aggregated, error) {
	if err := checkLen("Rolling", t, v); err != nil {
		return nil, err
	}
	if err := checkRolling("Rolling", opt, aggs); err != nil {
		return nil, err
	}
	r, err := rolling(NanosOf(t), v, opt, aggs)
	if err != nil {
		return nil, err
	}
	r.Times = t
	return r, nil
}

// RollingNanos is Rolling on a compact time axis (see Nanos): the same windows, arithmetic and
// results, bit for bit, without reading or keeping any time.Time. The result's Times is nil (its
// rows are aligned with t; t.Times() converts them when a caller needs time.Time labels).
func RollingNanos(t Nanos, v []float64, opt RollingOptions, aggs ...Agg) (*Aggregated, error) {
	if len(t) != len(v) {
		return nil, fmt.Errorf("ts.RollingNanos: %d times but %d values; pass one value per timestamp", len(t), len(v))
	}
	if err := checkRolling("RollingNanos", opt, aggs); err != nil {
		return nil, err
	}
	r, err := rolling(t, v, opt, aggs)
	if errors.Is(err, errRollUnsorted) {
		return nil, errors.New("ts.RollingNanos: times are not ascending; sort the series by time first")
	}
	return r, err
}

// checkRolling validates Rolling's options and aggregations; fn names the caller in the errors.
func checkRolling(fn string, opt RollingOptions, aggs []Agg) error {
	if opt.Window <= 0 {
		return fmt.Errorf("ts.%s: window %v must be positive; set RollingOptions.Window, e.g. 15*time.Minute", fn, opt.Window)
	}
	if len(aggs) == 0 {
		return fmt.Errorf("ts.%s: no aggregation; pass at least one, e.g. ts.Mean", fn)
	}
	for _, a := range aggs {
		if !a.valid() {
			return fmt.Errorf("ts.%s: invalid aggregation (the zero Agg); use ts.Mean, ts.Q(0.99), ...", fn)
		}
	}
	if opt.MinPeriods < 0 {
		return fmt.Errorf("ts.%s: min periods %d is negative", fn, opt.MinPeriods)
	}
	return nil
}

// rolling is Rolling's work on checked input, times as Unix nanoseconds; the result's Times is nil.
func rolling(t []int64, v []float64, opt RollingOptions, aggs []Agg) (*Aggregated, error) {
	opt.Estimator.check()
	minp := max(opt.MinPeriods, 1)
	if fastAggs(aggs) {
		return rollFast(t, v, opt, minp, aggs)
	}
	w, ok := windowsNanos(t, v, opt)
	if !ok {
		return nil, errRollUnsorted
	}
	n := len(v)
	r := &Aggregated{Aggs: slices.Clone(aggs), Values: make([][]float64, len(aggs)), Count: w.count, NaN: w.nan, Period: opt.Window}
	start := w.start
	var fast *Aggregated // counts, sums, means and stds, computed as rollFast does
	for k, a := range aggs {
		if fastAggs(aggs[k : k+1]) {
			if fast == nil {
				var err error
				if fast, err = rollFast(t, v, opt, minp, []Agg{Sum, Mean, Std}); err != nil {
					return nil, err
				}
			}
			switch a.kind {
			case kCount:
				col := make([]float64, n)
				for i := range col {
					col[i] = float64(r.Count[i])
				}
				r.Values[k] = col
			case kSum:
				r.Values[k] = slices.Clone(fast.Values[0])
			case kMean:
				r.Values[k] = slices.Clone(fast.Values[1])
			case kStd:
				r.Values[k] = slices.Clone(fast.Values[2])
			}
			continue
		}
		col := make([]float64, n)
		switch a.kind {
		case kMin, kMax:
			rollMinMax(v, start, w, col, a.kind == kMax)
		case kMedian, kQuantile:
			rollQuantile(v, start, w, col, a.q, opt.Estimator)
		case kFirst, kLast:
			rollFirstLast(v, start, w, col, a.kind == kLast)
		}
		for i := range col {
			if r.Count[i] < minp {
				col[i] = math.NaN()
			}
		}
		r.Values[k] = col
	}
	return r, nil
}

// fastAggs reports whether every aggregation is a count, sum, mean or standard deviation,
// which rollFast computes in one pass.
func fastAggs(aggs []Agg) bool {
	for _, a := range aggs {
		switch a.kind {
		case kCount, kSum, kMean, kStd:
		default:
			return false
		}
	}
	return true
}

// errRollUnsorted is Rolling's error for times that go backwards.
var errRollUnsorted = errors.New("ts.Rolling: times are not ascending; sort the series by time first")

// rollFast computes counts, sums, means and standard deviations over the rolling windows in one
// pass over the times and values, finding each window's start on int64 nanoseconds as it goes:
// no index arrays, nothing allocated but the output columns and Count.
//
// A window's sum is the difference of two compensated running sums, one over the values
// entering windows (the leading edge) and one over the values leaving them (the trailing edge):
// each is a double-double (s, c) kept by Knuth's TwoSum, so its error is about u² times the sum
// of magnitudes, and the difference, (s₁ − s₂) + (c₁ − c₂), is accurate to about u times the
// window's own sum. Unlike a single accumulator that adds and removes, the two edges are
// independent chains the processor overlaps, and an emptied window gives exactly 0. The
// standard deviation uses the same running sums of y = x − x₀ and y² (x₀ the first number of
// the series, so the sums stay small for a steady level): var = (Σy² − (Σy)²/n)/(n−1), ddof = 1;
// a window whose numbers are all equal has std 0, as in pandas.
func rollFast(t []int64, v []float64, opt RollingOptions, minp int, aggs []Agg) (*Aggregated, error) {
	n := len(v)
	var needSum, needStd bool
	for _, a := range aggs {
		needSum = needSum || a.kind == kSum || a.kind == kMean
		needStd = needStd || a.kind == kStd
	}
	count := make([]int, n)
	var sums, means, stds []float64
	r := &Aggregated{Aggs: slices.Clone(aggs), Values: make([][]float64, len(aggs)), Count: count, Period: opt.Window}
	cols := make([][]float64, len(aggs))
	for k, a := range aggs {
		cols[k] = make([]float64, n)
		switch a.kind {
		case kSum:
			if sums == nil {
				sums = cols[k]
			}
		case kMean:
			if means == nil {
				means = cols[k]
			}
		case kStd:
			if stds == nil {
				stds = cols[k]
			}
		}
	}
	ro := 0 // 1 when the window excludes its own point
	if opt.Closed == ClosedLeft || opt.Closed == ClosedNeither {
		ro = 1
	}
	span := int64(opt.Window)
	if opt.Closed == ClosedLeft || opt.Closed == ClosedBoth {
		span++ // the first admissible time is ≥ t−window instead of > t−window
	}
	ref := 0.0 // x₀
	for _, x := range v {
		if x == x {
			ref = x
			break
		}
	}
	if needStd && !needSum && ro == 0 {
		nan, err := rollStdOnly(t, v, span, minp, count, stds)
		if err != nil {
			return nil, err
		}
		return finishFast(r, aggs, cols, count, sums, means, stds, nan), nil
	}
	if needSum && !needStd && ro == 0 {
		nan, err := rollSumMean(t, v, span, minp, count, sums, means)
		if err != nil {
			return nil, err
		}
		return finishFast(r, aggs, cols, count, sums, means, stds, nan), nil
	}
	var (
		as, ac, bs, bc     float64 // Σx entering (a) and leaving (b), double-double
		ays, ayc, bys, byc float64 // Σy
		aqs, aqc, bqs, bqc float64 // Σy²
		last               = math.NaN()
		run                int // equal numbers in a row, ending with the newest
		nobs               int // numbers in the window
		lo, hi             int // the window is v[lo:hi]
		loT                int64
		prev               = int64(math.MinInt64)
		nan                int
		invN               = -1 // inv = 1/invN, as rollSumMean
		inv                float64
		sN                 = -1 // sInv = 1/sN, sInv1 = 1/(sN−1), as rollStdOnly
		sInv, sInv1        float64
	)
	if n > 0 {
		loT = t[0]
	}
	for i := 0; i < n; i++ {
		ti := t[i]
		if ti < prev {
			return nil, errRollUnsorted
		}
		prev = ti
		// Add the points up to the window's end: i+1, or i when it excludes its own point.
		for end := i + 1 - ro; hi < end; hi++ {
			x := v[hi]
			if x != x {
				nan++
				continue
			}
			nobs++
			if needSum {
				as, ac = neumaier(as, ac, x)
			}
			if needStd {
				if x == last {
					run++
				} else {
					last, run = x, 1
				}
				y := x - ref
				ays, ayc = neumaier(ays, ayc, y)
				y *= y
				aqs, aqc = neumaier(aqs, aqc, y)
			}
		}
		// Drop the points at or before ti − span (never the current one: lo < i).
		bound := ti - span
		for lo < i && loT <= bound {
			if x := v[lo]; x == x {
				nobs--
				if needSum {
					bs, bc = neumaier(bs, bc, x)
				}
				if needStd {
					y := x - ref
					bys, byc = neumaier(bys, byc, y)
					y *= y
					bqs, bqc = neumaier(bqs, bqc, y)
				}
			}
			lo++
			if lo < n {
				loT = t[lo]
			}
		}
		count[i] = nobs
		ok := nobs >= minp && nobs > 0
		if needSum {
			sv := math.NaN()
			if ok {
				sv = (as - bs) + (ac - bc)
			}
			if sums != nil {
				sums[i] = sv
			}
			if means != nil {
				if nobs != invN {
					invN, inv = nobs, 1/float64(nobs)
				}
				means[i] = sv * inv
			}
		}
		if stds != nil {
			switch {
			case !ok || nobs < 2:
				stds[i] = math.NaN()
			case run >= nobs:
				stds[i] = 0
			default:
				s1 := (ays - bys) + (ayc - byc)
				s2 := (aqs - bqs) + (aqc - bqc)
				if nobs != sN {
					sN, sInv, sInv1 = nobs, 1/float64(nobs), 1/float64(nobs-1)
				}
				stds[i] = math.Sqrt(max(s2-s1*s1*sInv, 0) * sInv1)
			}
		}
	}
	if hi < n && v[hi] != v[hi] { // the last point, which a right-open window never adds
		nan++
	}
	return finishFast(r, aggs, cols, count, sums, means, stds, nan), nil
}

// rollSumMean is rollFast's loop for sums and means of right-closed windows (the default), each
// point entering its own window: the same arithmetic, with fewer branches. It returns the number
// of NaN values.
func rollSumMean(t []int64, v []float64, span int64, minp int, count []int, sums, means []float64) (int, error) {
	n := len(v)
	if n == 0 {
		return 0, nil
	}
	t, count = t[:n], count[:n]
	var (
		as, ac, bs, bc float64
		nobs, lo, nan  int
		invN           = -1 // inv = 1/invN
		inv            float64
		prev           = int64(math.MinInt64)
		loT            = t[0]
	)
	for i, x := range v {
		ti := t[i]
		if ti < prev {
			return 0, errRollUnsorted
		}
		prev = ti
		if x == x {
			nobs++
			as, ac = neumaier(as, ac, x)
		} else {
			nan++
		}
		for bound := ti - span; lo < i && loT <= bound; {
			if y := v[lo]; y == y {
				nobs--
				bs, bc = neumaier(bs, bc, y)
			}
			lo++
			loT = t[lo]
		}
		count[i] = nobs
		sv := (as - bs) + (ac - bc)
		if nobs < minp || nobs == 0 {
			sv = math.NaN()
		}
		if sums != nil {
			sums[i] = sv
		}
		if means != nil {
			if nobs != invN { // the count rarely changes on regular data: divide once per change
				invN, inv = nobs, 1/float64(nobs)
			}
			means[i] = sv * inv
		}
	}
	return nan, nil
}

// rollStdOnly is rollFast's loop for standard deviations alone of right-closed windows: the
// same arithmetic, with fewer branches. It returns the number of NaN values.
func rollStdOnly(t []int64, v []float64, span int64, minp int, count []int, stds []float64) (int, error) {
	n := len(v)
	if n == 0 {
		return 0, nil
	}
	t, count, stds = t[:n], count[:n], stds[:n]
	ref := 0.0
	for _, x := range v {
		if x == x {
			ref = x
			break
		}
	}
	var (
		ays, ayc, bys, byc float64 // Σy entering and leaving
		aqs, aqc, bqs, bqc float64 // Σy²
		last               = math.NaN()
		run, nobs, lo, nan int
		prev               = int64(math.MinInt64)
		loT                = t[0]
		sN                 = -1 // sInv = 1/sN, sInv1 = 1/(sN−1): the count rarely changes on regular data
		sInv, sInv1        float64
	)
	for i, x := range v {
		ti := t[i]
		if ti < prev {
			return 0, errRollUnsorted
		}
		prev = ti
		if x == x {
			nobs++
			if x == last {
				run++
			} else {
				last, run = x, 1
			}
			y := x - ref
			ays, ayc = neumaier(ays, ayc, y)
			y *= y
			aqs, aqc = neumaier(aqs, aqc, y)
		} else {
			nan++
		}
		for bound := ti - span; lo < i && loT <= bound; {
			if x := v[lo]; x == x {
				nobs--
				y := x - ref
				bys, byc = neumaier(bys, byc, y)
				y *= y
				bqs, bqc = neumaier(bqs, bqc, y)
			}
			lo++
			loT = t[lo]
		}
		count[i] = nobs
		switch {
		case nobs < minp || nobs < 2:
			stds[i] = math.NaN()
		case run >= nobs:
			stds[i] = 0
		default:
			s1 := (ays - bys) + (ayc - byc)
			s2 := (aqs - bqs) + (aqc - bqc)
			if nobs != sN {
				sN, sInv, sInv1 = nobs, 1/float64(nobs), 1/float64(nobs-1)
			}
			stds[i] = math.Sqrt(max(s2-s1*s1*sInv, 0) * sInv1)
		}
	}
	return nan, nil
}

// finishFast fills the output columns of rollFast from its computed ones.
func finishFast(r *Aggregated, aggs []Agg, cols [][]float64, count []int, sums, means, stds []float64, nan int) *Aggregated {
	n := len(count)
	r.NaN = nan
	for k, a := range aggs {
		col := cols[k]
		if n == 0 {
			r.Values[k] = col
			continue
		}
		switch a.kind {
		case kCount:
			for i, c := range count {
				col[i] = float64(c)
			}
		case kSum:
			if &col[0] != &sums[0] {
				copy(col, sums)
			}
		case kMean:
			if &col[0] != &means[0] {
				copy(col, means)
			}
		case kStd:
			if &col[0] != &stds[0] {
				copy(col, stds)
			}
		}
		r.Values[k] = col
	}
	return r
}

// window describes the rolling windows of a series: window i holds v[start[i]:end(i)], with
// end(i) = i+1 (right-closed) or i (right-open), and count[i] non-NaN values.
type window struct {
	start []int
	ro    int // 1 when the window excludes its own point
	count []int
	nan   int
}

func (w *window) end(i int) int { return i + 1 - w.ro }

// windows finds the rolling windows of (t, v) in one pass, or reports false if t is not ascending.
func windows(t []time.Time, v []float64, opt RollingOptions) (*window, bool) {
	return windowsNanos(NanosOf(t), v, opt)
}

// windowsNanos is windows on Unix nanoseconds.
func windowsNanos(t []int64, v []float64, opt RollingOptions) (*window, bool) {
	n := len(t)
	w := &window{start: make([]int, n), count: make([]int, n)}
	leftClosed := opt.Closed == ClosedLeft || opt.Closed == ClosedBoth
	if opt.Closed == ClosedLeft || opt.Closed == ClosedNeither {
		w.ro = 1
	}
	span := int64(opt.Window)
	if leftClosed {
		span++ // the first admissible time is ≥ t−window instead of > t−window
	}
	j, c := 0, 0
	prev := int64(math.MinInt64)
	for i := range t {
		ti := t[i]
		if ti < prev {
			return nil, false
		}
		prev = ti
		if x := v[i]; x == x {
			c++
		} else {
			w.nan++
		}
		bound := ti - span
		for j < i && t[j] <= bound {
			if x := v[j]; x == x {
				c--
			}
			j++
		}
		w.start[i] = j
		w.count[i] = c
		if w.ro == 1 {
			if x := v[i]; x == x {
				w.count[i]--
			}
		}
	}
	return w, true
}

// rollMinMax fills out with the window minimum (or maximum) using a monotonic deque of indices.
func rollMinMax(v []float64, start []int, w *window, out []float64, isMax bool) {
	dq := make([]int, 0, 64)
	head := 0
	worse := func(a, b float64) bool { // a can never be the answer while b is in the window
		if isMax {
			return a <= b
		}
		return a >= b
	}
	hi := 0
	for i := range out {
		for ; hi < w.end(i); hi++ {
			x := v[hi]
			if x != x {
				continue
			}
			for len(dq) > head && worse(v[dq[len(dq)-1]], x) {
				dq = dq[:len(dq)-1]
			}
			dq = append(dq, hi)
		}
		for head < len(dq) && dq[head] < start[i] {
			head++
		}
		if head > 1024 && head*2 > len(dq) {
			dq = append(dq[:0], dq[head:]...)
			head = 0
		}
		if head < len(dq) {
			out[i] = v[dq[head]]
		} else {
			out[i] = math.NaN()
		}
	}
}

// rollQuantile keeps the window's numbers sorted (binary-search insert and delete).
func rollQuantile(v []float64, start []int, w *window, out []float64, q float64, e Estimator) {
	win := make([]float64, 0, 64)
	lo, hi := 0, 0
	for i := range out {
		for ; hi < w.end(i); hi++ {
			if x := v[hi]; x == x {
				k, _ := slices.BinarySearch(win, x)
				win = slices.Insert(win, k, x)
			}
		}
		for ; lo < start[i]; lo++ {
			if x := v[lo]; x == x {
				k, _ := slices.BinarySearch(win, x)
				win = slices.Delete(win, k, k+1)
			}
		}
		if len(win) == 0 {
			out[i] = math.NaN()
			continue
		}
		i0, i1, g := e.position(float64(len(win)), q)
		out[i] = lerp(win[i0], win[i1], g)
	}
}

// rollFirstLast fills out with the first (or last) non-NaN value of every window.
func rollFirstLast(v []float64, start []int, w *window, out []float64, last bool) {
	n := len(v)
	if last {
		prev := make([]int, n+1) // prev[k]: largest index < k holding a number, or -1
		prev[0] = -1
		for k := 1; k <= n; k++ {
			prev[k] = prev[k-1]
			if v[k-1] == v[k-1] {
				prev[k] = k - 1
			}
		}
		for i := range out {
			if p := prev[w.end(i)]; p >= start[i] && p >= 0 {
				out[i] = v[p]
			} else {
				out[i] = math.NaN()
			}
		}
		return
	}
	next := make([]int, n+1) // next[k]: smallest index ≥ k holding a number, or n
	next[n] = n
	for k := n - 1; k >= 0; k-- {
		next[k] = next[k+1]
		if v[k] == v[k] {
			next[k] = k
		}
	}
	for i := range out {
		if p := next[start[i]]; p < w.end(i) {
			out[i] = v[p]
		} else {
			out[i] = math.NaN()
		}
	}
}

// EWMOptions configures EWM. Give exactly one of Alpha, Span, HalfLife, Com (pandas' decay
// parameters): α = Alpha, 2/(Span+1), 1−exp(−ln 2/HalfLife) or 1/(1+Com).
type EWMOptions struct {
	Alpha, Span, HalfLife, Com float64
	// HalfLifeTime, with times passed to EWM, decays by elapsed time instead of by observation
	// (pandas' ewm(halflife=..., times=...)); it excludes the other parameters.
	HalfLifeTime time.Duration
	MinPeriods   int  // fewest observations before a result (pandas' min_periods; 0 = 0)
	NoAdjust     bool // pandas' adjust=False (recursive form); the default is adjust=True
	IgnoreNA     bool // pandas' ignore_na=True: NaN does not age the weights
}

// EWM returns the exponentially weighted moving mean of v, pandas' s.ewm(...).mean(). With
// adjust=True (the default) the value at i is Σ wⱼ·xⱼ / Σ wⱼ over the observations so far with
// wⱼ = (1−α)^(i−j) (or decayed by elapsed time with HalfLifeTime). t may be nil unless
// HalfLifeTime is set; then it must be ascending (repeated times do not decay the weights: an
// interval of 0) and an unsorted t is an error.
func EWM(t []time.Time, v []float64, opt EWMOptions) ([]float64, error) {
	set := 0
	alpha := 0.0
	if opt.Alpha != 0 {
		set++
		alpha = opt.Alpha
	}
	if opt.Span != 0 {
		set++
		if opt.Span < 1 {
			return nil, fmt.Errorf("ts.EWM: span %v must be ≥ 1", opt.Span)
		}
		alpha = 2 / (opt.Span + 1)
	}
	if opt.HalfLife != 0 {
		set++
		if opt.HalfLife <= 0 {
			return nil, fmt.Errorf("ts.EWM: halflife %v must be positive", opt.HalfLife)
		}
		alpha = 1 - math.Exp(-math.Ln2/opt.HalfLife)
	}
	if opt.Com != 0 {
		set++
		if opt.Com < 0 {
			return nil, fmt.Errorf("ts.EWM: com %v must be ≥ 0", opt.Com)
		}
		alpha = 1 / (1 + opt.Com)
	}
	if opt.HalfLifeTime != 0 {
		set++
		if opt.HalfLifeTime < 0 {
			return nil, fmt.Errorf("ts.EWM: halflife %v must be positive", opt.HalfLifeTime)
		}
		if len(t) != len(v) {
			return nil, fmt.Errorf("ts.EWM: HalfLifeTime needs one time per value (%d times, %d values)", len(t), len(v))
		}
		if !isSorted(t) {
			return nil, errors.New("ts.EWM: times are not ascending; sort the series by time first")
		}
		alpha = 1 - math.Exp(-math.Ln2)
	}
	if set != 1 {
		return nil, errors.New("ts.EWM: give exactly one of Alpha, Span, HalfLife, Com, HalfLifeTime")
	}
	if !(alpha > 0 && alpha <= 1) {
		return nil, fmt.Errorf("ts.EWM: alpha %v must be in (0, 1]", alpha)
	}
	out := make([]float64, len(v))
	if len(v) == 0 {
		return out, nil
	}
	decay := 1 - alpha
	newWt := 1.0
	if opt.NoAdjust {
		newWt = alpha
	}
	weighted := v[0]
	nobs := 0
	if weighted == weighted {
		nobs = 1
	}
	oldWt := 1.0
	put := func(i int) {
		if nobs >= opt.MinPeriods && weighted == weighted {
			out[i] = weighted
		} else {
			out[i] = math.NaN()
		}
	}
	put(0)
	for i := 1; i < len(v); i++ {
		cur := v[i]
		isObs := cur == cur
		if isObs {
			nobs++
		}
		if weighted == weighted {
			if isObs || !opt.IgnoreNA {
				f := decay
				if opt.HalfLifeTime != 0 {
					f = math.Pow(decay, float64(t[i].Sub(t[i-1]))/float64(opt.HalfLifeTime))
				}
				oldWt *= f
				if isObs {
					if weighted != cur {
						weighted = (oldWt*weighted + newWt*cur) / (oldWt + newWt)
					}
					if opt.NoAdjust {
						oldWt = 1
					} else {
						oldWt += newWt
					}
				}
			}
		} else if isObs {
			weighted = cur
		}
		put(i)
	}
	return out, nil
}

// neumaier adds x to the sum s whose rounding errors so far are c (Neumaier's variant of Kahan
// summation: the sum is s + c).
func neumaier(s, c, x float64) (float64, float64) {
	u := s + x
	bp := u - s
	return u, c + ((s - (u - bp)) + (x - bp))
}
