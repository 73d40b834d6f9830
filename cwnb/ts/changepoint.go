package ts

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// ChangePointOptions configures ChangePoints. The zero value uses the defaults below.
type ChangePointOptions struct {
	// Alpha is the false-alarm rate: the probability that a series without any change (noise
	// alone, independent or autocorrelated, of any distribution) gets a change point. 0 means
	// 0.05. It must be below 1.
	Alpha float64
	// Penalty, if positive, selects the older least-squares method instead: a split is kept when
	// it lowers Σ(x − segment mean)² by more than Penalty. That method assumes independent
	// Gaussian noise; its false-alarm rate is not controlled (see ChangePoints).
	Penalty float64
	// MinSize is the shortest segment allowed (0 means 2).
	MinSize int
	// MaxChanges caps the number of change points (0 means no cap).
	MaxChanges int
	// Permutations is the number of random permutations that calibrate the threshold (0 means
	// 199, or ⌈10/Alpha⌉ − 1 if more, so that a small Alpha can still be reached; a number too
	// small for Alpha is an error). Seed seeds them (math/rand/v2 PCG): the same input and seed give the same result.
	Permutations int
	Seed         uint64
}

// ChangePoint is a shift in the level of a series.
type ChangePoint struct {
	Index  int       // index in the input of the first value of the new segment
	Time   time.Time // its time (zero when no times were given)
	Before float64   // mean of the segment that ends here
	After  float64   // mean of the segment that starts here
	Shift  float64   // After − Before
}

// ChangePoints finds where the level of v shifts and returns the change points sorted by time.
// Before and After are the means of the final segments either side. NaN values are skipped
// (they belong to no segment). t may be nil (v is then in time order); otherwise it gives
// ChangePoint.Time and may be in any order and repeat: the series is read in time order (a
// stable sort of a copy) and Index still refers to the input.
//
// The method is seeded binary segmentation (Kovács et al., Biometrika 2023) with a threshold
// calibrated by permutation and a variance that accounts for autocorrelation:
//
//   - The values x are centred on their median and clipped to ±5 robust standard deviations
//     (1.4826·MAD): r = clip(x − median). A spike keeps its place and a size far above the
//     noise, but one wild value of skewed or heavy-tailed noise (latencies) cannot dominate.
//   - For every interval [s, e) of a fixed, deterministic family (lengths n, n/2, n/4, ... down
//     to 2·MinSize, each level's intervals overlapping by half) and every split k inside it,
//     the standardised CUSUM C²(s, k, e) = (Σ_{s≤i<k} r_i − (k−s)·r̄)² · (e−s) / ((k−s)(e−k)),
//     r̄ the interval's mean, is the drop in Σ(r − mean)² the split brings. Short intervals find
//     short episodes (a five-minute spike) that one split of the whole series would miss.
//   - The statistic is max C² divided by the long-run variance σ²_LR of r (n times the variance
//     of its mean), estimated from differences, which a level shift barely touches: with m₁, m₂
//     the 10%-trimmed mean squares of r_i − r_{i−1} and r_i − r_{i−2}, the lag-one
//     autocorrelation is ρ = m₂/m₁ − 1 + 1.5/√n (the last term an upper allowance for the
//     estimate's noise; clipped to [−0.5, 0.9]) and σ²_LR = m₁(1+ρ)/(2(1−ρ)²), the long-run
//     variance of AR(1) noise. Autocorrelated noise wanders; this is what keeps the wander from
//     looking like a change. Below 30 values σ²_LR is the plain variance of r.
//   - The threshold is the (1−Alpha) quantile of the same statistic over Permutations random
//     shuffles of r (a permutation test: exact for independent noise of any distribution), so
//     a series without change gets a change point with probability about Alpha. The largest
//     statistic above the threshold is cut at its best split, then each side is searched again
//     with the intervals inside it, strongest first, until none exceeds the threshold or
//     MaxChanges is reached.
//
// Measured false-alarm rates with the default Alpha 0.05 (TestChangePointsFalseAlarmRate: 200
// series of 200 values of each kind; a longer run of 400 series of 60 and 300 values and 200 of
// 1,000): independent Gaussian, exponential and lognormal noise 4.8-7.8% (exactly 5% in
// expectation: the spread is the sampling noise of a few hundred series), AR(1) noise with
// ρ = 0.3 2.5-6.2% and with ρ = 0.6 1.5-5.2% (below 5% from 300 values on). The least-squares
// method this replaces (still available with Penalty) flagged 5% of Gaussian series but 40% of
// AR(1) ρ = 0.3 and 21% of exponential ones.
// The noise is assumed to keep one variance: a series whose noise grows and shrinks (an error
// rate over a day of varying traffic, the inside of a latency spike) may be split where it
// changes, and each further split is tested at the same threshold as the first. To find the
// main shift only, set MaxChanges (the strongest split is taken first).
//
// Power (TestChangePointsPower, 300 values, the shift at 180): a shift of one standard
// deviation of independent Gaussian, exponential or lognormal noise is found within ±10 points
// in over 90% of series; on AR(1) noise a shift of 1.5 long-run deviations within ±20 points in
// all series for ρ = 0.3 and about 85% for ρ = 0.6. The cost is about Permutations · 2n·log₂ n operations (tens of milliseconds for a day of
// minutes).
func ChangePoints(t []time.Time, v []float64, opt ChangePointOptions) ([]ChangePoint, error) {
	if t != nil {
		if err := checkLen("ChangePoints", t, v); err != nil {
			return nil, err
		}
	}
	if opt.MinSize < 0 || opt.MaxChanges < 0 || opt.Penalty < 0 || opt.Permutations < 0 || opt.Alpha < 0 || opt.Alpha >= 1 ||
		opt.Penalty != opt.Penalty || opt.Alpha != opt.Alpha {
		return nil, fmt.Errorf("ts.ChangePoints: invalid option (%+v); Alpha must be in [0, 1) and the others ≥ 0 (0 means the default)", opt)
	}
	if a := cmp.Or(opt.Alpha, 0.05); opt.Penalty == 0 && opt.Permutations > 0 && math.Floor(a*float64(opt.Permutations+1)) < 1 {
		return nil, fmt.Errorf("ts.ChangePoints: %d permutations cannot test at Alpha %v (a p-value is at least 1/(permutations+1)); use at least %d permutations, or 0 for enough",
			opt.Permutations, a, int(math.Ceil(1/a))-1)
	}
	minSize := opt.MinSize
	if minSize == 0 {
		minSize = 2
	}
	// order[i] is the input index of the i-th value in time order.
	var order []int
	if t != nil && !isSorted(t) {
		order = sortIndex(t)
	}
	idx := make([]int, 0, len(v))
	x := make([]float64, 0, len(v))
	for i := range v {
		j := i
		if order != nil {
			j = order[i]
		}
		if y := v[j]; y == y {
			idx = append(idx, j)
			x = append(x, y)
		}
	}
	n := len(x)
	if n < 2*minSize {
		return nil, nil
	}
	var cuts []int
	if opt.Penalty > 0 {
		cuts = leastSquaresCuts(x, opt.Penalty, minSize, opt.MaxChanges)
	} else {
		cuts = permutationCuts(x, opt, minSize)
	}
	slices.Sort(cuts)
	// Segment means (centred prefix sums keep them accurate for large levels).
	mean := 0.0
	for _, y := range x {
		mean += y
	}
	mean /= float64(n)
	s1 := make([]float64, n+1)
	for i, y := range x {
		s1[i+1] = s1[i] + (y - mean)
	}
	bounds := append(append([]int{0}, cuts...), n)
	out := make([]ChangePoint, len(cuts))
	for k, c := range cuts {
		before := (s1[c]-s1[bounds[k]])/float64(c-bounds[k]) + mean
		after := (s1[bounds[k+2]]-s1[c])/float64(bounds[k+2]-c) + mean
		cp := ChangePoint{Index: idx[c], Before: before, After: after, Shift: after - before}
		if t != nil {
			cp.Time = t[idx[c]]
		}
		out[k] = cp
	}
	return out, nil
}

// leastSquaresCuts is binary segmentation minimising Σ(x − segment mean)², keeping splits that
// lower it by more than pen (ChangePointOptions.Penalty).
func leastSquaresCuts(x []float64, pen float64, minSize, maxChanges int) []int {
	n := len(x)
	mean := 0.0
	for _, y := range x {
		mean += y
	}
	mean /= float64(n)
	s1 := make([]float64, n+1)
	s2 := make([]float64, n+1)
	for i, y := range x {
		y -= mean
		s1[i+1] = s1[i] + y
		s2[i+1] = s2[i] + y*y
	}
	cost := func(i, j int) float64 { // Σ(x − mean)² over x[i:j]
		s := s1[j] - s1[i]
		return (s2[j] - s2[i]) - s*s/float64(j-i)
	}
	type seg struct {
		i, j  int
		split int
		gain  float64
	}
	best := func(i, j int) seg {
		sg := seg{i: i, j: j, split: -1}
		total := cost(i, j)
		for k := i + minSize; k <= j-minSize; k++ {
			if g := total - cost(i, k) - cost(k, j); g > sg.gain {
				sg.gain, sg.split = g, k
			}
		}
		return sg
	}
	segs := []seg{best(0, n)}
	var cuts []int
	for maxChanges == 0 || len(cuts) < maxChanges {
		bi := -1
		for k, sg := range segs {
			if sg.split >= 0 && sg.gain > pen && (bi < 0 || sg.gain > segs[bi].gain) {
				bi = k
			}
		}
		if bi < 0 {
			break
		}
		sg := segs[bi]
		cuts = append(cuts, sg.split)
		segs[bi] = best(sg.i, sg.split)
		segs = append(segs, best(sg.split, sg.j))
	}
	return cuts
}

// seededIntervals returns the deterministic interval family of seeded binary segmentation with
// decay 1/2: for each level l = 0, 1, ..., 2^(l+1) − 1 intervals of length ⌈n/2^l⌉ evenly
// spread over [0, n), down to the shortest length minLen.
func seededIntervals(n, minLen int) [][2]int {
	var out [][2]int
	for l := 0; ; l++ {
		length := (n + (1 << l) - 1) >> l
		if length < minLen || l > 40 {
			break
		}
		cnt := 2<<l - 1
		if l == 0 {
			cnt = 1
		}
		for i := 0; i < cnt; i++ {
			s := 0
			if cnt > 1 {
				s = int(math.Round(float64(i) * float64(n-length) / float64(cnt-1)))
			}
			out = append(out, [2]int{s, s + length})
		}
	}
	return out
}

// cusum returns the best split k of r[s:e] (s+minSize ≤ k ≤ e−minSize) and its standardised
// CUSUM² (the drop in Σ(r − mean)²), given prefix sums p of r and the weights
// w[a] = (e−s)/(a·(e−s−a)) of the interval's length.
func cusum(p []float64, s, e, minSize int, w []float64) (int, float64) {
	L := float64(e - s)
	tot := p[e] - p[s]
	ps := p[s]
	step := tot / L
	bk, bc := -1, 0.0
	for a := minSize; a <= e-s-minSize; a++ {
		d := (p[s+a] - ps) - float64(a)*step
		if c := d * d * w[a]; c > bc {
			bk, bc = s+a, c
		}
	}
	return bk, bc
}

// cusumWeights returns w[a] = L/(a·(L−a)) for 0 < a < L (w[0] unused).
func cusumWeights(L int) []float64 {
	w := make([]float64, L)
	for a := 1; a < L; a++ {
		w[a] = float64(L) / (float64(a) * float64(L-a))
	}
	return w
}

// longRunVariance estimates σ²_LR of r (see ChangePoints) from the trimmed mean squares of its
// lag-1 and lag-2 differences; below minAutocorr values it is the plain variance of r.
// scratch holds len(r) values.
func longRunVariance(r, scratch []float64) float64 {
	n := len(r)
	if n < minAutocorr {
		mean := 0.0
		for _, y := range r {
			mean += y
		}
		mean /= float64(n)
		v := 0.0
		for _, y := range r {
			v += (y - mean) * (y - mean)
		}
		return v / float64(n)
	}
	ms := func(lag int) float64 { // 10%-trimmed mean of (r_i − r_{i−lag})²
		d := scratch[:0]
		for i := lag; i < n; i++ {
			x := r[i] - r[i-lag]
			d = append(d, x*x)
		}
		keep := len(d) - int(math.Ceil(lrvTrim*float64(len(d))))
		selectK(d, keep)
		s := 0.0
		for _, x := range d[:keep] {
			s += x
		}
		return s / float64(keep)
	}
	m1, m2 := ms(1), ms(2)
	if m1 == 0 {
		return 0
	}
	rho := min(max(m2/m1-1+1.5/math.Sqrt(float64(n)), -0.5), 0.9)
	return m1 * (1 + rho) / (2 * (1 - rho) * (1 - rho))
}

// minAutocorr is the fewest values for which ChangePoints estimates autocorrelation.
const minAutocorr = 30

// lrvTrim is the share of the largest squared differences longRunVariance drops: the jumps at
// level shifts and around short episodes.
const lrvTrim = 0.1

// segStat computes, for the clipped values r, every seeded interval's best split and statistic
// (C²/σ²_LR), and returns the largest statistic.
func segStat(r []float64, ivs [][2]int, ws map[int][]float64, minSize int, p, scratch []float64, bestK []int, stat []float64) float64 {
	p[0] = 0
	for i, y := range r {
		p[i+1] = p[i] + y
	}
	lrv := longRunVariance(r, scratch)
	if lrv == 0 {
		// The differences are (mostly) zero: a step between constant runs. Use the plain
		// variance of r, so a clean step is still a change and a constant series is not.
		mean := p[len(r)] / float64(len(r))
		for _, y := range r {
			lrv += (y - mean) * (y - mean)
		}
		lrv /= float64(len(r))
		if lrv == 0 {
			lrv = math.Inf(1)
		}
	}
	top := 0.0
	for i, iv := range ivs {
		k, c := cusum(p, iv[0], iv[1], minSize, ws[iv[1]-iv[0]])
		c /= lrv
		if bestK != nil {
			bestK[i], stat[i] = k, c
		}
		top = max(top, c)
	}
	return top
}

// permutationCuts is the default method of ChangePoints (see its doc).
func permutationCuts(x []float64, opt ChangePointOptions, minSize int) []int {
	n := len(x)
	alpha := opt.Alpha
	if alpha == 0 {
		alpha = 0.05
	}
	perms := permutationsFor(opt)
	r := clipped(x)
	scratch := make([]float64, n)
	ivs := seededIntervals(n, max(2*minSize, 4))
	p := make([]float64, n+1)
	ws := map[int][]float64{}
	for _, iv := range ivs {
		if L := iv[1] - iv[0]; ws[L] == nil {
			ws[L] = cusumWeights(L)
		}
	}
	bestK := make([]int, len(ivs))
	stat := make([]float64, len(ivs))
	top := segStat(r, ivs, ws, minSize, p, scratch, bestK, stat)
	if top == 0 {
		return nil
	}
	// The permutation null of the largest statistic: reject when the observed one exceeds the
	// ⌈(1−α)(B+1)⌉-th smallest of the B+1 values (the observed among them), so P(reject) ≤ α.
	rng := rand.New(rand.NewPCG(opt.Seed, 0x5851f42d4c957f2d))
	null := make([]float64, perms)
	pr := slices.Clone(r)
	for b := range null {
		rng.Shuffle(n, func(i, j int) { pr[i], pr[j] = pr[j], pr[i] })
		null[b] = segStat(pr, ivs, ws, minSize, p, scratch, nil, nil)
	}
	slices.Sort(null)
	// The observed statistic is significant when at most ⌊α(B+1)⌋ − 1 null values reach it.
	allowed := int(math.Floor(alpha*float64(perms+1))) - 1 // ≥ 0: checked by ChangePoints
	thr := null[perms-1-allowed]
	type seg struct{ a, b int }
	segs := []seg{{0, n}}
	var cuts []int
	for opt.MaxChanges == 0 || len(cuts) < opt.MaxChanges {
		bs, bi := -1, -1
		for si, sg := range segs {
			for i, iv := range ivs {
				if iv[0] >= sg.a && iv[1] <= sg.b && bestK[i] >= 0 && stat[i] > thr && (bi < 0 || stat[i] > stat[bi]) {
					bs, bi = si, i
				}
			}
		}
		if bi < 0 {
			break
		}
		k := bestK[bi]
		cuts = append(cuts, k)
		sg := segs[bs]
		segs[bs] = seg{sg.a, k}
		segs = append(segs, seg{k, sg.b})
	}
	return cuts
}

// MADScale (1.4826, ≈ 1/Φ⁻¹(3/4)) turns a median absolute deviation into an estimate of the
// standard deviation of normally distributed data.
const MADScale = 1.482602218505602

// MAD returns the (unscaled) median absolute deviation of x, median(|x − median(x)|), skipping
// NaN; NaN when x holds no number. Multiply by MADScale to estimate σ
// (scipy.stats.median_abs_deviation(x, scale="normal")). x is not modified.
func MAD(x []float64) float64 {
	a := copyFinite(make([]float64, 0, len(x)), x)
	if len(a) == 0 {
		return math.NaN()
	}
	return madScratch(a, make([]int, 0, 2))
}

// madScratch computes the MAD of the NaN-free a, reordering and overwriting it.
func madScratch(a []float64, ks []int) float64 {
	var out [1]float64
	quantilesOfScratch(a, []float64{0.5}, Linear, out[:], ks)
	m := out[0]
	for i, y := range a {
		a[i] = math.Abs(y - m)
	}
	quantilesOfScratch(a, []float64{0.5}, Linear, out[:], ks)
	return out[0]
}

// BandOptions configures AnomalyBand.
type BandOptions struct {
	Window     time.Duration // trailing window; required
	K          float64       // band half-width in scaled MADs; 0 means 3
	MinPeriods int           // fewest values in a window for a band (0 means 1)
	// Closed: ClosedRight (the default) includes the point in its own window, as pandas;
	// ClosedLeft judges each point against the values before it only.
	Closed Closed
}

// Band is a rolling median ± k·MAD anomaly band.
type Band struct {
	Median  []float64 // rolling median
	MAD     []float64 // rolling MAD, scaled by MADScale (an estimate of σ)
	Lower   []float64 // Median − K·MAD
	Upper   []float64 // Median + K·MAD
	Anomaly []bool    // the value lies outside [Lower, Upper]
	K       float64
}

// AnomalyBand computes a robust anomaly band over a trailing time window: for each point, the
// median m of its window and the scaled MAD s = 1.4826·median(|x − m|) (pandas:
// s.rolling(w).median() and s.rolling(w).apply(lambda x: 1.4826*np.median(np.abs(x-np.median(x))))),
// the band m ± K·s, and whether the point lies outside it. Median and MAD resist the outliers they
// are meant to find, unlike mean ± k·std. A window whose values are all equal has MAD 0, so any
// different value is an anomaly. NaN values are skipped and never anomalies. t must be ascending
// (repeated times share their windows); an unsorted t is an error.
func AnomalyBand(t []time.Time, v []float64, opt BandOptions) (*Band, error) {
	if err := checkLen("AnomalyBand", t, v); err != nil {
		return nil, err
	}
	if opt.Window <= 0 {
		return nil, fmt.Errorf("ts.AnomalyBand: window %v must be positive, e.g. time.Hour", opt.Window)
	}
	if opt.K < 0 {
		return nil, fmt.Errorf("ts.AnomalyBand: k %v is negative; use e.g. 3", opt.K)
	}
	k := opt.K
	if k == 0 {
		k = 3
	}
	minp := max(opt.MinPeriods, 1)
	w, ok := windows(t, v, RollingOptions{Window: opt.Window, Closed: opt.Closed})
	if !ok {
		return nil, fmt.Errorf("ts.AnomalyBand: times are not ascending; sort the series by time first")
	}
	n := len(v)
	b := &Band{Median: make([]float64, n), MAD: make([]float64, n), Lower: make([]float64, n),
		Upper: make([]float64, n), Anomaly: make([]bool, n), K: k}
	var out [1]float64
	scratch := make([]float64, 0, 64)
	ks := make([]int, 0, 2)
	for i := range n {
		scratch = copyFinite(scratch[:0], v[w.start[i]:w.end(i)])
		if len(scratch) < minp || len(scratch) == 0 {
			b.Median[i], b.MAD[i], b.Lower[i], b.Upper[i] = math.NaN(), math.NaN(), math.NaN(), math.NaN()
			continue
		}
		ks = quantilesOfScratch(scratch, []float64{0.5}, Linear, out[:], ks)
		m := out[0]
		mad := madScratch(scratch, ks) * MADScale
		b.Median[i], b.MAD[i] = m, mad
		b.Lower[i], b.Upper[i] = m-k*mad, m+k*mad
		if x := v[i]; x == x {
			b.Anomaly[i] = x < b.Lower[i] || x > b.Upper[i]
		}
	}
	return b, nil
}

// clipped returns x − median(x), clipped to ±5 robust standard deviations (1.4826·MAD): a
// spike keeps its place and a size well above the noise, but one wild value cannot dominate.
func clipped(x []float64) []float64 {
	med := Quantile(x, 0.5, Linear)
	sd := MAD(x) * MADScale
	r := make([]float64, len(x))
	for i, y := range x {
		r[i] = y - med
		if sd > 0 {
			r[i] = max(min(r[i], clipSDs*sd), -clipSDs*sd)
		}
	}
	return r
}

// clipSDs is where clipped clips, in robust standard deviations.
const clipSDs = 5

// permutationsFor returns the number of permutations: opt.Permutations, or by default 199, raised
// for a small Alpha so that at least 10 of them may exceed the threshold (⌈10/α⌉ − 1).
func permutationsFor(opt ChangePointOptions) int {
	if opt.Permutations > 0 {
		return opt.Permutations
	}
	return max(199, int(math.Ceil(10/cmp.Or(opt.Alpha, 0.05)))-1)
}
