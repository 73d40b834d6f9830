package ts

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
)

// Selection over a scratch slice that holds no NaN. None of these functions allocate.

// selectK rearranges a so that a[k] is the value a sorted a would hold at k, with a[:k] ≤ a[k] ≤ a[k+1:].
// It uses Floyd and Rivest's SELECT (CACM 1975, algorithm 489): on large ranges it first recurses on
// a small sample to bring two pivots near the k-th value, so one partition pass over the whole
// range usually suffices. A step budget turns it into a sort if the input is adversarial.
func selectK(a []float64, k int) {
	n := len(a)
	switch {
	case n <= 1:
		return
	case k == 0:
		m := 0
		for i := 1; i < n; i++ {
			if a[i] < a[m] {
				m = i
			}
		}
		a[0], a[m] = a[m], a[0]
		return
	case k == n-1:
		m := 0
		for i := 1; i < n; i++ {
			if a[i] > a[m] {
				m = i
			}
		}
		a[n-1], a[m] = a[m], a[n-1]
		return
	case n <= 24:
		insertionSort(a)
		return
	}
	frSelect(a, 0, n-1, k)
}

func insertionSort(a []float64) {
	for i := 1; i < len(a); i++ {
		x := a[i]
		j := i - 1
		for j >= 0 && a[j] > x {
			a[j+1] = a[j]
			j--
		}
		a[j+1] = x
	}
}

func frSelect(a []float64, left, right, k int) {
	budget := 2*bits.Len(uint(right-left+1)) + 8
	for right > left {
		if budget <= 0 {
			slices.Sort(a[left : right+1])
			return
		}
		budget--
		if right-left > 600 {
			// Sample: recurse on a sub-range around k whose size grows like n^(2/3).
			n := float64(right - left + 1)
			i := float64(k - left + 1)
			z := math.Log(n)
			s := 0.5 * math.Exp(2*z/3)
			sd := 0.5 * math.Sqrt(z*s*(n-s)/n)
			if i < n/2 {
				sd = -sd
			}
			nl := max(left, int(float64(k)-i*s/n+sd))
			nr := min(right, int(float64(k)+(n-i)*s/n+sd))
			frSelect(a, nl, nr, k)
		}
		// Partition a[left..right] around t = a[k].
		t := a[k]
		i, j := left, right
		a[left], a[k] = a[k], a[left]
		if a[right] > t {
			a[right], a[left] = a[left], a[right]
		}
		for i < j {
			a[i], a[j] = a[j], a[i]
			i++
			j--
			for a[i] < t {
				i++
			}
			for a[j] > t {
				j--
			}
		}
		if a[left] == t {
			a[left], a[j] = a[j], a[left]
		} else {
			j++
			a[j], a[right] = a[right], a[j]
		}
		if j <= k {
			left = j + 1
		}
		if k <= j {
			right = j - 1
		}
	}
}

// multiSelect places the order statistics ks (ascending, possibly repeated) at their sorted
// positions, each selection working only on the part of a right of the previous one.
func multiSelect(a []float64, ks []int) {
	lo := 0
	for _, k := range ks {
		if k < lo {
			continue
		}
		selectK(a[lo:], k-lo)
		lo = k + 1
	}
}

// maxScan is the most order statistics from either end that extremeScan keeps.
const maxScan = 16

// extremeScan finds order statistics near either end of the non-NaN values of seg without
// copying: if every k in ks (ascending) is ≥ n−maxScan it keeps the n−ks[0] largest values,
// if every k is < maxScan the ks[last]+1 smallest, in one pass. n is the number of non-NaN
// values in seg. It calls put(k, value) for each k and reports false if neither case applies.
func extremeScan(seg []float64, n int, ks []int, put func(k int, v float64)) bool {
	if len(ks) == 0 {
		return true
	}
	kmin, kmax := ks[0], ks[len(ks)-1]
	var buf [maxScan]float64
	switch {
	case kmin >= n-maxScan:
		m := n - kmin
		top := buf[:0]
		for _, x := range seg {
			if x != x {
				continue
			}
			if len(top) < m {
				top = append(top, x)
				for i := len(top) - 1; i > 0 && top[i-1] > top[i]; i-- {
					top[i-1], top[i] = top[i], top[i-1]
				}
				continue
			}
			if x > top[0] {
				i := 0
				for i+1 < m && top[i+1] < x {
					top[i] = top[i+1]
					i++
				}
				top[i] = x
			}
		}
		for _, k := range ks {
			put(k, top[k-kmin])
		}
		return true
	case kmax < maxScan:
		m := kmax + 1
		bot := buf[:0]
		for _, x := range seg {
			if x != x {
				continue
			}
			if len(bot) < m {
				bot = append(bot, x)
				for i := len(bot) - 1; i > 0 && bot[i-1] > bot[i]; i-- {
					bot[i-1], bot[i] = bot[i], bot[i-1]
				}
				continue
			}
			if x < bot[m-1] {
				i := m - 1
				for i > 0 && bot[i-1] > x {
					bot[i] = bot[i-1]
					i--
				}
				bot[i] = x
			}
		}
		for _, k := range ks {
			put(k, bot[k])
		}
		return true
	}
	return false
}

// bracketQuantiles computes the quantiles qs of the non-NaN values of a large x (len ≥ 2^16)
// without copying all of it: a random sample of about n^(2/3) values (a fixed seed: the result
// is exact and does not depend on it) gives two values lo ≤ hi that almost surely bracket every
// order statistic needed; one pass counts the values below lo and copies those in [lo, hi]
// (a few percent of x), and selection finishes in that copy. It reports false, having done
// nothing, when the needed order statistics are spread too widely (a copy would be as large as
// x) or the bracket missed, and the caller falls back to copying.
func bracketQuantiles(x []float64, qs []float64, e Estimator, out []float64) (n int, ok bool) {
	N := len(x)
	s := min(N, max(4096, int(math.Cbrt(float64(N))*math.Cbrt(float64(N)))))
	rng := rand.New(rand.NewPCG(0x5eed, uint64(N)))
	samp := make([]float64, 0, s)
	for range s {
		if v := x[rng.IntN(N)]; v == v {
			samp = append(samp, v)
		}
	}
	if len(samp) < s/2 {
		return 0, false // mostly NaN: the caller's copy is small anyway
	}
	slices.Sort(samp)
	m := float64(len(samp))
	nEst := float64(N) * m / float64(s)
	ks := neededOrderStats(nil, int(nEst), qs, e)
	delta := 3*math.Sqrt(m) + 2
	rlo := int(math.Floor(float64(ks[0])/nEst*m - delta))
	rhi := int(math.Ceil(float64(ks[len(ks)-1])/nEst*m + delta))
	if float64(rhi-rlo) > 0.2*m {
		return 0, false
	}
	lo, hi := math.Inf(-1), math.Inf(1)
	if rlo >= 0 {
		lo = samp[rlo]
	}
	if rhi < len(samp) {
		hi = samp[rhi]
	}
	buf := make([]float64, 0, int(float64(N)*float64(rhi-rlo)/m*1.2)+64)
	below, nan := 0, 0
	for _, v := range x {
		if v < lo {
			below++
		} else if v <= hi {
			buf = append(buf, v)
		} else if v != v {
			nan++
		}
	}
	n = N - nan
	if n == 0 {
		return 0, false
	}
	ks = neededOrderStats(ks, n, qs, e)
	if ks[0] < below || ks[len(ks)-1] >= below+len(buf) {
		return 0, false
	}
	for i := range ks {
		ks[i] -= below
	}
	multiSelect(buf, ks)
	for j, q := range qs {
		i0, i1, g := e.position(float64(n), q)
		if g == 0 {
			out[j] = buf[i0-below]
		} else {
			out[j] = lerp(buf[i0-below], buf[i1-below], g)
		}
	}
	return n, true
}
