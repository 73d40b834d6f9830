package ts

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// ChangePointOptions configures ChangePoints. The zero value uses the defaults below.
type ChangePointOptions struct {
	// Penalty is the least reduction of the squared-error cost a split must bring to be kept.
	// 0 means 2·σ²·ln n (a BIC-style penalty), with σ estimated robustly from the first
	// differences: σ = 1.4826·MAD(diff)/√2, so level shifts themselves do not inflate it.
	Penalty float64
	// MinSize is the shortest segment allowed (0 means 2).
	MinSize int
	// MaxChanges caps the number of change points (0 means no cap).
	MaxChanges int
}

// ChangePoint is a shift in the mean level of a series.
type ChangePoint struct {
	Index  int       // index in the input of the first value of the new segment
	Time   time.Time // its time (zero when no times were given)
	Before float64   // mean of the segment that ends here
	After  float64   // mean of the segment that starts here
	Shift  float64   // After − Before
}

// ChangePoints finds where the mean level of v shifts, by binary segmentation: starting from the
// whole series, it repeatedly splits the segment whose best split lowers the cost
// Σ(x − segment mean)² the most, while that reduction exceeds the penalty. The result is sorted
// by index; Before and After are the means of the final segments either side. NaN values are
// skipped (they belong to no segment). t may be nil; otherwise it gives ChangePoint.Time.
// The cost assumes the noise is the same everywhere: a segment much noisier than the rest (a
// latency spike) may be split further; raise Penalty or MinSize to merge such splits.
func ChangePoints(t []time.Time, v []float64, opt ChangePointOptions) ([]ChangePoint, error) {
	if t != nil {
		if err := checkLen("ChangePoints", t, v); err != nil {
			return nil, err
		}
	}
	if opt.MinSize < 0 || opt.MaxChanges < 0 || opt.Penalty < 0 {
		return nil, fmt.Errorf("ts.ChangePoints: negative option (%+v); use 0 for the default", opt)
	}
	minSize := opt.MinSize
	if minSize == 0 {
		minSize = 2
	}
	idx := make([]int, 0, len(v))
	x := make([]float64, 0, len(v))
	for i, y := range v {
		if y == y {
			idx = append(idx, i)
			x = append(x, y)
		}
	}
	n := len(x)
	if n < 2*minSize {
		return nil, nil
	}
	// Prefix sums of the centred values (centring keeps Σx² − (Σx)²/n accurate for large levels).
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
	pen := opt.Penalty
	if pen == 0 {
		sigma := robustSigma(x)
		pen = 2 * sigma * sigma * math.Log(float64(n))
		// Guard against splitting on rounding noise of a constant series.
		pen = math.Max(pen, 1e-9*cost(0, n)+1e-12)
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
	for opt.MaxChanges == 0 || len(cuts) < opt.MaxChanges {
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
	slices.Sort(cuts)
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

// robustSigma estimates the noise σ of x from its first differences: 1.4826·MAD(diff)/√2,
// falling back to the standard deviation of the differences when the MAD is 0.
func robustSigma(x []float64) float64 {
	if len(x) < 2 {
		return 0
	}
	d := make([]float64, len(x)-1)
	for i := range d {
		d[i] = x[i+1] - x[i]
	}
	s := MAD(d) * MADScale / math.Sqrt2
	if s == 0 {
		_, sd := meanStd(d)
		s = sd / math.Sqrt2
	}
	if s != s {
		return 0
	}
	return s
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
// different value is an anomaly. NaN values are skipped and never anomalies. t must be ascending.
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
