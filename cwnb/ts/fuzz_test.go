package ts

import "testing"

// FuzzParseAgg checks that ParseAgg never panics and that what it accepts prints back to an
// equal aggregation.
func FuzzParseAgg(f *testing.F) {
	for _, s := range []string{"mean", "p99", "p99.9", "P50", "p", "p101", "p-1", "pNaN", "median", "", "p1e2", "p0.001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAgg(s)
		if err != nil {
			return
		}
		b, err := ParseAgg(a.String())
		if err != nil || b != a {
			t.Errorf("ParseAgg(%q) = %v, but ParseAgg(%q) = %v, %v", s, a, a.String(), b, err)
		}
	})
}

// FuzzParseEstimator checks ParseEstimator against String.
func FuzzParseEstimator(f *testing.F) {
	for _, s := range []string{"linear", "nearest", "weibull", "R7", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseEstimator(s)
		if err == nil && e.String() != s {
			t.Errorf("ParseEstimator(%q).String() = %q", s, e.String())
		}
	})
}
