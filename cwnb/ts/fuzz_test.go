package ts

import "testing"

// FuzzParseAgg checks that ParseAgg never panics and that what it accepts prints back to an
// equal aggregation.
func FuzzParseAgg(f *testing.F) {
	for _, s := range []string{"mean", "p99", "p99.9", "P50", "p", "p101", "p-1", "pNaN", "median", "", "p1e2", "p0.001", "p.0000000001", "p99.99999999995", "p1e-10", "p-0", "p33.33333333333333"} {
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

// TestParseAggRoundTrip checks the case the fuzz target found (issue 15 item 9) and the limits
// of the percentile's resolution, by hand.
func TestParseAggRoundTrip(t *testing.T) {
	for _, c := range []struct{ in, str string }{
		{"p.0000000001", "p0.0000000001"}, // used to print "p0", which parsed to another quantile
		{"p99", "p99"},
		{"p99.9", "p99.9"},
		{"P50", "p50"},
		{"p1e2", "p100"},
		{"p0.00000000004", "p0"},            // below the resolution: rounds to 0
		{"p0.00000000005", "p0.0000000001"}, // rounds half away from zero
		{"p99.99999999995", "p100"},
		{"p33.33333333333333", "p33.3333333333"},
	} {
		a, err := ParseAgg(c.in)
		if err != nil {
			t.Fatalf("ParseAgg(%q): %v", c.in, err)
		}
		if a.String() != c.str {
			t.Errorf("ParseAgg(%q).String() = %q, want %q", c.in, a.String(), c.str)
		}
		if b, err := ParseAgg(a.String()); err != nil || b != a {
			t.Errorf("ParseAgg(%q) = %v, %v; want %v", a.String(), b, err, a)
		}
	}
}

// FuzzParseAlternativeAndMethod checks ParseAlternative and ParseMethod against String.
func FuzzParseAlternativeAndMethod(f *testing.F) {
	for _, s := range []string{"two-sided", "less", "greater", "auto", "exact", "asymptotic", "", "Less", "two_sided"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if a, err := ParseAlternative(s); err == nil && a.String() != s {
			t.Errorf("ParseAlternative(%q).String() = %q", s, a.String())
		}
		if m, err := ParseMethod(s); err == nil && m.String() != s {
			t.Errorf("ParseMethod(%q).String() = %q", s, m.String())
		}
	})
}
