package ts

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// CompareOptions configures Compare. The zero value compares means with a 95% interval from
// 2,000 bootstrap resamples drawn with seed 0.
type CompareOptions struct {
	Stat      Agg     // the statistic compared: Mean (default), Median, Q(0.99), ...
	Level     float64 // confidence level of the intervals, in (0, 1); 0 means 0.95
	Resamples int     // bootstrap resamples; 0 means 2,000
	Seed      uint64  // seed of the resampling (math/rand/v2 PCG): the same seed gives the same intervals
}

// Comparison compares a statistic between two samples A and B.
type Comparison struct {
	Stat           Agg
	A, B           float64 // the statistic over each sample
	NA, NB         int     // values used (NaN skipped)
	Diff           float64 // A − B
	DiffLo, DiffHi float64 // bootstrap confidence interval of A − B
	Ratio          float64 // A / B
	RatioLo        float64 // bootstrap confidence interval of A / B
	RatioHi        float64
	Level          float64           // confidence level of the intervals
	Resamples      int               // bootstrap resamples drawn
	Seed           uint64            // seed used
	MannWhitney    MannWhitneyResult // rank test of A against B (two-sided)
}

// Compare compares the statistic opt.Stat between samples a and b ("minutes :00-:05" against
// "the rest", or "before" against "after" a deploy). It reports the statistic of each, their
// difference and ratio with percentile-bootstrap confidence intervals, and a Mann-Whitney U test.
//
// The bootstrap: each of opt.Resamples rounds draws len(a) values from a and len(b) from b with
// replacement (independently), and computes the statistic of each draw, their difference and
// their ratio; the interval is the ((1−level)/2, (1+level)/2) quantiles (Linear) of those
// replicates: the percentile method, scipy.stats.bootstrap(method="percentile"). It is
// reproducible: the same inputs, options and seed give the same interval. It is less accurate
// than BCa for skewed statistics of small samples; use more data rather than more resamples.
// NaN values are skipped. It returns an error wrapping ErrTooFewValues if either sample has
// fewer than two numbers.
func Compare(a, b []float64, opt CompareOptions) (*Comparison, error) {
	if opt.Stat == (Agg{}) {
		opt.Stat = Mean
	}
	if !opt.Stat.valid() {
		return nil, errors.New("ts.Compare: invalid statistic")
	}
	switch opt.Stat.kind {
	case kCount, kFirst, kLast:
		return nil, fmt.Errorf("ts.Compare: cannot compare %s; use Mean, Median, Q(q), Std, Min, Max or Sum", opt.Stat)
	}
	if opt.Level == 0 {
		opt.Level = 0.95
	}
	if !(opt.Level > 0 && opt.Level < 1) {
		return nil, fmt.Errorf("ts.Compare: level %v must be in (0, 1), e.g. 0.95", opt.Level)
	}
	if opt.Resamples == 0 {
		opt.Resamples = 2000
	}
	if opt.Resamples < 0 {
		return nil, fmt.Errorf("ts.Compare: %d resamples; use a positive number such as 2000", opt.Resamples)
	}
	xa, xb := copyFinite(make([]float64, 0, len(a)), a), copyFinite(make([]float64, 0, len(b)), b)
	if len(xa) < 2 || len(xb) < 2 {
		return nil, fmt.Errorf("%w: comparing needs at least two numbers per sample (got %d and %d)", ErrTooFewValues, len(xa), len(xb))
	}
	c := &Comparison{Stat: opt.Stat, NA: len(xa), NB: len(xb), Level: opt.Level, Resamples: opt.Resamples, Seed: opt.Seed}
	st := newStatFn(opt.Stat, max(len(xa), len(xb)))
	c.A, c.B = st.of(xa), st.of(xb)
	c.Diff, c.Ratio = c.A-c.B, c.A/c.B
	rng := rand.New(rand.NewPCG(opt.Seed, 0x9e3779b97f4a7c15))
	diffs := make([]float64, opt.Resamples)
	ratios := make([]float64, opt.Resamples)
	da, db := make([]float64, len(xa)), make([]float64, len(xb))
	for r := range diffs {
		for i := range da {
			da[i] = xa[rng.IntN(len(xa))]
		}
		for i := range db {
			db[i] = xb[rng.IntN(len(xb))]
		}
		sa, sb := st.of(da), st.of(db)
		diffs[r], ratios[r] = sa-sb, sa/sb
	}
	lo, hi := (1-opt.Level)/2, (1+opt.Level)/2
	d, _ := Quantiles(diffs, []float64{lo, hi}, Linear)
	c.DiffLo, c.DiffHi = d[0], d[1]
	rq, _ := Quantiles(ratios, []float64{lo, hi}, Linear)
	c.RatioLo, c.RatioHi = rq[0], rq[1]
	mw, err := MannWhitney(xa, xb)
	if err != nil {
		return nil, err
	}
	c.MannWhitney = mw
	return c, nil
}

// statFn computes one statistic of a NaN-free sample without allocating.
type statFn struct {
	a       Agg
	scratch []float64
	ks      []int
	out     [1]float64
}

func newStatFn(a Agg, n int) *statFn {
	return &statFn{a: a, scratch: make([]float64, 0, n), ks: make([]int, 0, 2)}
}

func (s *statFn) of(x []float64) float64 {
	switch s.a.kind {
	case kMean, kSum:
		sum := 0.0
		for _, v := range x {
			sum += v
		}
		if s.a.kind == kSum {
			return sum
		}
		return sum / float64(len(x))
	case kStd:
		_, sd := meanStd(x)
		return sd
	case kMin, kMax:
		m := x[0]
		for _, v := range x {
			if (s.a.kind == kMin && v < m) || (s.a.kind == kMax && v > m) {
				m = v
			}
		}
		return m
	}
	s.scratch = append(s.scratch[:0], x...)
	s.ks = quantilesOfScratch(s.scratch, []float64{s.a.q}, Linear, s.out[:], s.ks)
	return s.out[0]
}

// Summary returns a one-line plain-language verdict, such as
//
//	p99 is 15.2x higher at :00-:05 than the rest (95% CI 12.1-18.9), Mann-Whitney p < 1e-6
//
// nameA and nameB are inserted as given (include the preposition: "at :00-:05", "after the
// deploy"); an empty nameB leaves out the "than" clause. The ratio is reported when both
// statistics are positive ("x lower" with inverted numbers when A is smaller), "about the same"
// when its interval holds 1, and the difference otherwise. p-values below 1e-6 print as
// "p < 1e-6", others with two significant digits.
func (c *Comparison) Summary(nameA, nameB string) string {
	var b strings.Builder
	than := ""
	if nameB != "" {
		than = " than " + nameB
	}
	pct := fmt.Sprintf("%s%% CI", fmtNum(c.Level*100))
	name := c.Stat.String()
	switch {
	case c.A > 0 && c.B > 0 && c.RatioLo <= 1 && c.RatioHi >= 1:
		as := ""
		if nameB != "" {
			as = " as " + nameB
		}
		fmt.Fprintf(&b, "%s is about the same %s%s (ratio %s, %s %s-%s)", name, nameA, as,
			fmtNum(c.Ratio), pct, fmtNum(c.RatioLo), fmtNum(c.RatioHi))
	case c.A > 0 && c.B > 0 && c.Ratio >= 1:
		fmt.Fprintf(&b, "%s is %sx higher %s%s (%s %s-%s)", name, fmtNum(c.Ratio), nameA, than,
			pct, fmtNum(c.RatioLo), fmtNum(c.RatioHi))
	case c.A > 0 && c.B > 0:
		fmt.Fprintf(&b, "%s is %sx lower %s%s (%s %s-%s)", name, fmtNum(1/c.Ratio), nameA, than,
			pct, fmtNum(1/c.RatioHi), fmtNum(1/c.RatioLo))
	default:
		word := "higher"
		d, lo, hi := c.Diff, c.DiffLo, c.DiffHi
		if d < 0 {
			word, d, lo, hi = "lower", -d, -hi, -lo
		}
		fmt.Fprintf(&b, "%s is %s %s %s%s (%s %s to %s)", name, fmtNum(d), word, nameA, than, pct, fmtNum(lo), fmtNum(hi))
	}
	fmt.Fprintf(&b, ", Mann-Whitney %s", FormatP(c.MannWhitney.P))
	return strings.ReplaceAll(b.String(), "  ", " ")
}

// FormatP formats a p-value for a sentence: "p < 1e-6" below 10⁻⁶, else "p = " and two
// significant digits ("p = 0.041", "p = 3.2e-05").
func FormatP(p float64) string {
	switch {
	case math.IsNaN(p):
		return "p = NaN"
	case p < 1e-6:
		return "p < 1e-6"
	}
	return "p = " + fmt.Sprintf("%.2g", p)
}

// fmtNum prints three significant digits, without an exponent below a million.
func fmtNum(x float64) string {
	ax := math.Abs(x)
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return fmt.Sprint(x)
	case ax >= 1000 && ax < 1e6:
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.3g", x)
}
