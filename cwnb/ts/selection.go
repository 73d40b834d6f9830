package ts

import (
	"math"
	"math/bits"
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
