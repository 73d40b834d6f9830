package chart

import "math"

// downsample returns the indices of the points of (x, y) to plot, ascending, at most about n of
// them. NaN values are gaps: each run of finite values is thinned on its own with a share of the
// budget proportional to its length, and the index of the first NaN after a run is kept so that
// the line stays broken there. x must be ascending. With n <= 0 or len(y) <= n every index is
// returned.
func downsample(x, y []float64, n int, method Downsampler) []int {
	all := func() []int {
		idx := make([]int, len(y))
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	if n <= 0 || len(y) <= n || method == NoDownsampling {
		return all()
	}
	type run struct{ lo, hi int } // [lo, hi) finite values
	var runs []run
	finite := 0
	for i := 0; i < len(y); {
		if math.IsNaN(y[i]) || math.IsInf(y[i], 0) {
			i++
			continue
		}
		j := i
		for j < len(y) && !math.IsNaN(y[j]) && !math.IsInf(y[j], 0) {
			j++
		}
		runs = append(runs, run{i, j})
		finite += j - i
		i = j
	}
	// Each gap costs one point; the rest of the budget is shared by the runs.
	budget := n - len(runs)
	if budget < 2*len(runs) {
		budget = 2 * len(runs)
	}
	var out []int
	for _, r := range runs {
		m := r.hi - r.lo
		k := int(math.Round(float64(budget) * float64(m) / float64(finite)))
		if k < 2 {
			k = 2
		}
		var idx []int
		switch {
		case m <= k:
			idx = make([]int, m)
			for i := range idx {
				idx[i] = i
			}
		case method == MinMax:
			idx = minMaxIdx(y[r.lo:r.hi], k)
		default:
			idx = lttbIdx(x[r.lo:r.hi], y[r.lo:r.hi], k)
		}
		for _, i := range idx {
			out = append(out, r.lo+i)
		}
		if r.hi < len(y) {
			out = append(out, r.hi) // the NaN that ends the run: a gap in the line
		}
	}
	return out
}

// lttbIdx is Largest-Triangle-Three-Buckets (Sveinn Steinarsson, "Downsampling Time Series for
// Visual Representation", 2013): keep the first and last points; split the rest into k-2 buckets;
// from each bucket keep the point that makes the largest triangle with the point kept from the
// previous bucket and the average of the next bucket. A lone spike makes the largest triangle in
// its bucket, so it survives. Requires finite y and 3 <= k < len(y).
func lttbIdx(x, y []float64, k int) []int {
	m := len(y)
	if k < 3 {
		return []int{0, m - 1}
	}
	out := make([]int, 0, k)
	out = append(out, 0)
	every := float64(m-2) / float64(k-2)
	a := 0
	for i := 0; i < k-2; i++ {
		lo := int(math.Floor(float64(i)*every)) + 1
		hi := int(math.Floor(float64(i+1)*every)) + 1
		if hi > m-1 {
			hi = m - 1
		}
		nlo, nhi := hi, int(math.Floor(float64(i+2)*every))+1
		if nhi > m {
			nhi = m
		}
		if nlo >= nhi {
			nlo, nhi = m-1, m
		}
		var ax, ay float64
		for j := nlo; j < nhi; j++ {
			ax += x[j]
			ay += y[j]
		}
		cnt := float64(nhi - nlo)
		ax, ay = ax/cnt, ay/cnt
		best, bestArea := lo, -1.0
		for j := lo; j < hi; j++ {
			area := math.Abs((x[a]-ax)*(y[j]-y[a]) - (x[a]-x[j])*(ay-y[a]))
			if area > bestArea {
				best, bestArea = j, area
			}
		}
		if lo < hi {
			out = append(out, best)
			a = best
		}
	}
	out = append(out, m-1)
	return out
}

// minMaxIdx splits y into k/2 buckets of equal count and keeps, in time order, the minimum and the
// maximum of each (once when they coincide), plus the first and last points. Every extreme
// survives exactly. Requires finite y.
func minMaxIdx(y []float64, k int) []int {
	m := len(y)
	buckets := k / 2
	if buckets < 1 {
		buckets = 1
	}
	out := make([]int, 0, k+2)
	out = append(out, 0)
	for b := 0; b < buckets; b++ {
		lo := b * m / buckets
		hi := (b + 1) * m / buckets
		if lo >= hi {
			continue
		}
		mn, mx := lo, lo
		for j := lo; j < hi; j++ {
			if y[j] < y[mn] {
				mn = j
			}
			if y[j] > y[mx] {
				mx = j
			}
		}
		first, second := mn, mx
		if first > second {
			first, second = second, first
		}
		for _, j := range []int{first, second} {
			if j != out[len(out)-1] {
				out = append(out, j)
			}
		}
	}
	if out[len(out)-1] != m-1 {
		out = append(out, m-1)
	}
	return out
}

// envelope thins a band (lower, upper) to at most n buckets of equal count: each bucket keeps its
// first x, the minimum of lower and the maximum of upper, so the band never narrows. NaNs are
// skipped; an all-NaN bucket stays NaN (a gap).
func envelope(x, lower, upper []float64, n int) (bx, blo, bhi []float64) {
	m := len(x)
	if n <= 0 || m <= n {
		return x, lower, upper
	}
	bx, blo, bhi = make([]float64, n), make([]float64, n), make([]float64, n)
	for b := 0; b < n; b++ {
		lo, hi := b*m/n, (b+1)*m/n
		bx[b] = x[lo]
		mn, mx := math.NaN(), math.NaN()
		for j := lo; j < hi; j++ {
			if v := lower[j]; !math.IsNaN(v) && (math.IsNaN(mn) || v < mn) {
				mn = v
			}
			if v := upper[j]; !math.IsNaN(v) && (math.IsNaN(mx) || v > mx) {
				mx = v
			}
		}
		blo[b], bhi[b] = mn, mx
	}
	return bx, blo, bhi
}
