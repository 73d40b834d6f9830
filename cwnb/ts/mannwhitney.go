package ts

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
)

// MannWhitneyResult is the outcome of a two-sided Mann-Whitney U test of a against b.
type MannWhitneyResult struct {
	U      float64 // U statistic of a: the number of pairs (x in a, y in b) with x > y, ties counting ½ (scipy's U1)
	P      float64 // two-sided p-value
	Exact  bool    // P is from the exact distribution of U (else the normal approximation)
	Z      float64 // the normal approximation's z (NaN when Exact)
	NA, NB int     // values used (NaN skipped)
	// RankBiserial is the rank-biserial correlation 2U/(NA·NB) − 1 in [−1, 1]: positive when a
	// tends to be larger, 1 when every a exceeds every b.
	RankBiserial float64
	// CommonLanguage is the common-language effect size U/(NA·NB): the probability that a random
	// value of a exceeds a random value of b (ties counting ½).
	CommonLanguage float64
}

// ErrTooFewValues reports a sample too small for the computation asked.
var ErrTooFewValues = errors.New("ts: too few values")

// MannWhitney runs the two-sided Mann-Whitney U (Wilcoxon rank-sum) test, matching
// scipy.stats.mannwhitneyu(a, b, alternative="two-sided", method="auto", use_continuity=True)
// (scipy 1.10): values are ranked together (ties get their average rank), U = R_a − n_a(n_a+1)/2.
// When either sample has at most 8 values and there are no ties, P is exact (up to
// n_a·n_b = 200,000; larger products use the approximation below):
// 2·P(U' ≥ max(U, n_a·n_b − U)) under the null distribution of U (counted exactly), capped at 1.
// Otherwise it is the normal approximation with tie and continuity corrections:
//
//	z = (max(U, n_a·n_b − U) − n_a·n_b/2 − ½) / √(n_a·n_b/12 · ((n+1) − Σ(t³−t)/(n(n−1))))
//	P = 2·(1 − Φ(z))
//
// with n = n_a + n_b and t the size of each group of tied values. NaN values are skipped (scipy
// would propagate them). It returns an error wrapping ErrTooFewValues if a or b has no number.
func MannWhitney(a, b []float64) (MannWhitneyResult, error) {
	xa := copyFinite(make([]float64, 0, len(a)), a)
	xb := copyFinite(make([]float64, 0, len(b)), b)
	r := MannWhitneyResult{NA: len(xa), NB: len(xb), Z: math.NaN()}
	if r.NA == 0 || r.NB == 0 {
		return r, fmt.Errorf("%w: Mann-Whitney needs a number in each sample (got %d and %d)", ErrTooFewValues, r.NA, r.NB)
	}
	// Rank by merging the two sorted samples: a group of t tied values at positions
	// pos+1 .. pos+t all get the average rank pos + (t+1)/2.
	slices.Sort(xa)
	slices.Sort(xb)
	ra := 0.0     // rank sum of a
	tie := 0.0    // Σ(t³ − t)
	ties := false // any tie
	pos := 0
	for i, j := 0, 0; i < len(xa) || j < len(xb); {
		var x float64
		switch {
		case j == len(xb) || (i < len(xa) && xa[i] <= xb[j]):
			x = xa[i]
		default:
			x = xb[j]
		}
		ca, cb := 0, 0
		for i < len(xa) && xa[i] == x {
			i++
			ca++
		}
		for j < len(xb) && xb[j] == x {
			j++
			cb++
		}
		t := float64(ca + cb)
		ra += float64(ca) * (float64(pos) + (t+1)/2)
		if t > 1 {
			ties = true
			tie += t*t*t - t
		}
		pos += ca + cb
	}
	n := pos
	na, nb := float64(r.NA), float64(r.NB)
	r.U = ra - na*(na+1)/2
	mn := na * nb
	r.CommonLanguage = r.U / mn
	r.RankBiserial = 2*r.CommonLanguage - 1
	big := math.Max(r.U, mn-r.U)
	if (r.NA <= 8 || r.NB <= 8) && !ties && r.NA*r.NB <= maxExactU {
		r.Exact = true
		r.P = math.Min(1, 2*exactUSF(r.NA, r.NB, int(math.Round(big))))
		return r, nil
	}
	nn := float64(n)
	s := math.Sqrt(mn / 12 * ((nn + 1) - tie/(nn*(nn-1))))
	r.Z = (big - mn/2 - 0.5) / s                 // ±Inf when every value ties (s = 0), as scipy
	r.P = math.Min(1, math.Erfc(r.Z/math.Sqrt2)) // 2·(1−Φ(z)) = erfc(z/√2)
	return r, nil
}

// maxExactU bounds n_a·n_b for the exact distribution (8 against 25,000 values); beyond it the
// normal approximation is used even without ties (scipy would count exactly, in O((n_a·n_b)²)).
const maxExactU = 200_000

// exactUSF returns P(U ≥ u) for the Mann-Whitney U of samples of sizes m and n under the null
// hypothesis, counting exactly: the number of arrangements with U = k is the coefficient of q^k
// in the Gaussian binomial [m+n choose m]_q = Π_{i=1..s} (1 − q^(l+i)) / (1 − q^i), s = min(m, n),
// l = max(m, n), and there are C(m+n, m) arrangements in all.
func exactUSF(m, n, u int) float64 {
	s, l := min(m, n), max(m, n)
	deg := s * l
	if u <= 0 {
		return 1
	}
	if u > deg {
		return 0
	}
	c := make([]*big.Int, deg+1)
	for i := range c {
		c[i] = new(big.Int)
	}
	c[0].SetInt64(1)
	top := 0 // current degree
	for i := 1; i <= s; i++ {
		// multiply by (1 − q^(l+i))
		sh := l + i
		newTop := top + sh
		for d := min(newTop, deg); d >= sh; d-- {
			c[d].Sub(c[d], c[d-sh])
		}
		// divide by (1 − q^i): c'[d] = c[d] + c'[d−i]
		for d := i; d <= deg; d++ {
			c[d].Add(c[d], c[d-i])
		}
		top = min(newTop-i, deg)
	}
	num, tot := new(big.Int), new(big.Int)
	for k := 0; k <= deg; k++ {
		tot.Add(tot, c[k])
		if k >= u {
			num.Add(num, c[k])
		}
	}
	p, _ := new(big.Rat).SetFrac(num, tot).Float64()
	return p
}
