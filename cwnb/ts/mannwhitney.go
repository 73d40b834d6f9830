package ts

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
)

// Alternative is the alternative hypothesis of a test of a against b, as scipy's alternative
// argument.
type Alternative int

// The alternatives. TwoSided (the zero value) asks whether a and b differ in either direction;
// Greater whether a tends to be larger than b (a is stochastically greater); Less whether a tends
// to be smaller.
const (
	TwoSided Alternative = iota
	Less
	Greater
)

// String returns scipy's name ("two-sided", "less", "greater").
func (a Alternative) String() string {
	switch a {
	case TwoSided:
		return "two-sided"
	case Less:
		return "less"
	case Greater:
		return "greater"
	}
	return fmt.Sprintf("Alternative(%d)", int(a))
}

// ParseAlternative parses "two-sided", "less" or "greater".
func ParseAlternative(s string) (Alternative, error) {
	for _, a := range []Alternative{TwoSided, Less, Greater} {
		if a.String() == s {
			return a, nil
		}
	}
	return 0, fmt.Errorf("unknown alternative %q; use two-sided, less or greater", s)
}

// Method is how MannWhitneyTest computes the p-value, as scipy's method argument.
type Method int

// The methods. MethodAuto (the zero value) is exact when either sample has at most 8 values and
// there are no ties (and n_a·n_b ≤ 200,000), else asymptotic; MethodExact counts the null
// distribution of U exactly; MethodAsymptotic uses the normal approximation with the tie
// correction (and the continuity correction unless NoContinuity).
const (
	MethodAuto Method = iota
	MethodExact
	MethodAsymptotic
)

// String returns scipy's name ("auto", "exact", "asymptotic").
func (m Method) String() string {
	switch m {
	case MethodAuto:
		return "auto"
	case MethodExact:
		return "exact"
	case MethodAsymptotic:
		return "asymptotic"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// ParseMethod parses "auto", "exact" or "asymptotic".
func ParseMethod(s string) (Method, error) {
	for _, m := range []Method{MethodAuto, MethodExact, MethodAsymptotic} {
		if m.String() == s {
			return m, nil
		}
	}
	return 0, fmt.Errorf("unknown method %q; use auto, exact or asymptotic", s)
}

// MannWhitneyOptions configures MannWhitneyTest. The zero value is scipy's default: two-sided,
// method auto, with the continuity correction.
type MannWhitneyOptions struct {
	Alternative Alternative
	Method      Method
	// NoContinuity drops the continuity correction of the normal approximation (scipy's
	// use_continuity=False).
	NoContinuity bool
}

// MannWhitneyResult is the outcome of a Mann-Whitney U test of a against b.
type MannWhitneyResult struct {
	U           float64     // U statistic of a: the number of pairs (x in a, y in b) with x > y, ties counting ½ (scipy's U1)
	P           float64     // p-value for Alternative (two-sided for MannWhitney)
	Alternative Alternative // the alternative P is for
	Exact       bool        // P is from the exact distribution of U (else the normal approximation)
	Z           float64     // the normal approximation's z (NaN when Exact)
	NA, NB      int         // values used (NaN skipped)
	// RankBiserial is the rank-biserial correlation 2U/(NA·NB) − 1 in [−1, 1]: positive when a
	// tends to be larger, 1 when every a exceeds every b.
	RankBiserial float64
	// CommonLanguage is the common-language effect size U/(NA·NB): the probability that a random
	// value of a exceeds a random value of b (ties counting ½).
	CommonLanguage float64
}

// ErrTooFewValues reports a sample too small for the computation asked.
var ErrTooFewValues = errors.New("ts: too few values")

// MannWhitney runs the two-sided Mann-Whitney U (Wilcoxon rank-sum) test with scipy's defaults:
// MannWhitneyTest(a, b, MannWhitneyOptions{}) (see there).
func MannWhitney(a, b []float64) (MannWhitneyResult, error) {
	return MannWhitneyTest(a, b, MannWhitneyOptions{})
}

// MannWhitneyTest runs the Mann-Whitney U (Wilcoxon rank-sum) test of a against b, matching
// scipy.stats.mannwhitneyu(a, b, alternative, method, use_continuity) (scipy 1.10): values are
// ranked together (ties get their average rank), U = R_a − n_a(n_a+1)/2. The alternative picks
// the statistic the p-value is taken from: U for Greater, n_a·n_b − U for Less and
// max(U, n_a·n_b − U) for TwoSided (whose one-sided p is then doubled, capped at 1). With the
// exact method, P = P(U' ≥ that statistic) under the null distribution of U, counted exactly;
// with the asymptotic one
//
//	z = (statistic − n_a·n_b/2 − ½) / √(n_a·n_b/12 · ((n+1) − Σ(t³−t)/(n(n−1))))
//	P = 1 − Φ(z)   (doubled for TwoSided)
//
// with n = n_a + n_b, t the size of each group of tied values, and the −½ (continuity) left out
// when NoContinuity is set. MethodAuto is exact when either sample has at most 8 values, there
// are no ties and n_a·n_b ≤ 200,000 (scipy would count exactly beyond that too, in
// O((n_a·n_b)²)). MethodExact with ties, whose exact distribution differs from the one counted,
// or with n_a·n_b above 200,000, is an error (scipy would silently ignore the ties). NaN values
// are skipped (scipy would propagate them). It returns an error wrapping ErrTooFewValues if a or
// b has no number.
func MannWhitneyTest(a, b []float64, opt MannWhitneyOptions) (MannWhitneyResult, error) {
	if opt.Alternative < TwoSided || opt.Alternative > Greater {
		return MannWhitneyResult{}, fmt.Errorf("ts.MannWhitneyTest: unknown alternative %d; use ts.TwoSided, ts.Less or ts.Greater", int(opt.Alternative))
	}
	if opt.Method < MethodAuto || opt.Method > MethodAsymptotic {
		return MannWhitneyResult{}, fmt.Errorf("ts.MannWhitneyTest: unknown method %d; use ts.MethodAuto, ts.MethodExact or ts.MethodAsymptotic", int(opt.Method))
	}
	xa := copyFinite(make([]float64, 0, len(a)), a)
	xb := copyFinite(make([]float64, 0, len(b)), b)
	r := MannWhitneyResult{NA: len(xa), NB: len(xb), Z: math.NaN(), Alternative: opt.Alternative}
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
	var stat float64
	switch opt.Alternative {
	case Greater:
		stat = r.U
	case Less:
		stat = mn - r.U
	default:
		stat = math.Max(r.U, mn-r.U)
	}
	exactOK := !ties && r.NA*r.NB <= maxExactU
	switch opt.Method {
	case MethodExact:
		if ties {
			return r, errors.New("ts.MannWhitneyTest: the exact method needs samples without ties, and some values repeat; use ts.MethodAsymptotic or ts.MethodAuto")
		}
		if !exactOK {
			return r, fmt.Errorf("ts.MannWhitneyTest: samples of %d and %d values are too large for the exact method (n_a·n_b > %d); use ts.MethodAsymptotic or ts.MethodAuto", r.NA, r.NB, maxExactU)
		}
		r.Exact = true
	case MethodAuto:
		r.Exact = (r.NA <= 8 || r.NB <= 8) && exactOK
	}
	var p float64
	if r.Exact {
		p = exactUSF(r.NA, r.NB, int(math.Round(stat)))
	} else {
		nn := float64(n)
		s := math.Sqrt(mn / 12 * ((nn + 1) - tie/(nn*(nn-1))))
		num := stat - mn/2
		if !opt.NoContinuity {
			num -= 0.5
		}
		r.Z = num / s                     // ±Inf when every value ties (s = 0), as scipy
		p = math.Erfc(r.Z/math.Sqrt2) / 2 // 1 − Φ(z)
	}
	if opt.Alternative == TwoSided {
		p *= 2
	}
	r.P = min(max(p, 0), 1)
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
