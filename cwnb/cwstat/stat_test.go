package cwstat

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	pct := func(k Kind, lo, hi float64, hasLo, hasHi bool) Stat {
		return Stat{Kind: k, Lo: lo, Hi: hi, HasLo: hasLo, HasHi: hasHi}
	}
	abs := func(k Kind, lo, hi float64, hasLo, hasHi bool) Stat {
		s := pct(k, lo, hi, hasLo, hasHi)
		s.Absolute = true
		return s
	}
	tests := []struct {
		name      string
		want      Stat
		canonical string // "" = the input itself
	}{
		{"Average", Stat{Kind: Average}, ""},
		{"Sum", Stat{Kind: Sum}, ""},
		{"Minimum", Stat{Kind: Minimum}, ""},
		{"Maximum", Stat{Kind: Maximum}, ""},
		{"SampleCount", Stat{Kind: SampleCount}, ""},
		{"IQM", Stat{Kind: IQM}, ""},
		{"p99", Stat{Kind: Percentile, P: 99}, ""},
		{"p99.9", Stat{Kind: Percentile, P: 99.9}, ""},
		{"p99.99", Stat{Kind: Percentile, P: 99.99}, ""},
		{"p0", Stat{Kind: Percentile, P: 0}, ""},
		{"p0.0", Stat{Kind: Percentile, P: 0}, "p0"},
		{"p100", Stat{Kind: Percentile, P: 100}, ""},
		{"p100.0", Stat{Kind: Percentile, P: 100}, "p100"},
		{"p05", Stat{Kind: Percentile, P: 5}, "p5"},
		{"p50.50", Stat{Kind: Percentile, P: 50.5}, "p50.5"},
		{"TM(10%:90%)", pct(TrimmedMean, 10, 90, true, true), ""},
		{"TM(:95%)", pct(TrimmedMean, 0, 95, false, true), ""},
		{"TM(5%:)", pct(TrimmedMean, 5, 0, true, false), ""},
		{"TM(0%:100%)", pct(TrimmedMean, 0, 100, true, true), ""},
		{"TM(150:1000)", abs(TrimmedMean, 150, 1000, true, true), ""},
		{"TM(-5:5)", abs(TrimmedMean, -5, 5, true, true), ""},
		{"TC(0.005:0.030)", abs(TrimmedCount, 0.005, 0.03, true, true), "TC(0.005:0.03)"},
		{"TC(:0.5)", abs(TrimmedCount, 0, 0.5, false, true), ""},
		{"TS(80%:)", pct(TrimmedSum, 80, 0, true, false), ""},
		{"WM(10%:90%)", pct(WinsorizedMean, 10, 90, true, true), ""},
		{"WM(2.5%:97.5%)", pct(WinsorizedMean, 2.5, 97.5, true, true), ""},
		{"tm99", pct(TrimmedMean, 0, 99, false, true), "TM(:99%)"},
		{"tm99.5", pct(TrimmedMean, 0, 99.5, false, true), "TM(:99.5%)"},
		{"wm98", pct(WinsorizedMean, 0, 98, false, true), "WM(:98%)"},
		{"tc90", pct(TrimmedCount, 0, 90, false, true), "TC(:90%)"},
		{"ts90", pct(TrimmedSum, 0, 90, false, true), "TS(:90%)"},
		{"tm100", pct(TrimmedMean, 0, 100, false, true), "TM(:100%)"},
		{"PR(:300)", abs(PercentileRank, 0, 300, false, true), ""},
		{"PR(100:2000)", abs(PercentileRank, 100, 2000, true, true), ""},
		{"PR(100:)", abs(PercentileRank, 100, 0, true, false), ""},
		{"TM(0.0000000001%:0.0000000002%)", pct(TrimmedMean, 1e-10, 2e-10, true, true), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.name)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.name, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tc.name, diff)
			}
			canonical := tc.canonical
			if canonical == "" {
				canonical = tc.name
			}
			if s := got.String(); s != canonical {
				t.Errorf("Parse(%q).String() = %q, want %q", tc.name, s, canonical)
			}
			back, err := Parse(got.String())
			if err != nil || back != got {
				t.Errorf("Parse(%q) = %+v, %v; want %+v (round trip)", got.String(), back, err, got)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		want string // substring of the message
	}{
		{"", `unknown statistic "": the name is empty; use Average`},
		{"P99x", `unknown statistic "P99x": use Average, Sum, Minimum, Maximum, SampleCount, pNN.NN (p99, p99.9), TM(10%:90%), tm99, WM, TC, TS, PR(:300) or IQM`},
		{"average", `unknown statistic "average": names are case-sensitive: use Average`},
		{"SAMPLECOUNT", "use SampleCount"},
		{"iqm", "use IQM"},
		{"P99", "use p99"},
		{"TM99", "use tm99"},
		{"tm(10%:90%)", "use TM(10%:90%)"},
		{"pr(:300)", "use PR(:300)"},
		{"Median", "unknown statistic"},
		{"p", "unknown statistic"},
		{"p101", "between p0 and p100"},
		{"p99.", "not a plain decimal"},
		{"p.5", "not a plain decimal"},
		{"p1e2", "not a plain decimal"},
		{"p-1", "unknown statistic"},
		{"p 99", "unknown statistic"},
		{"p99.00000000001", "more than 10 decimal places"},
		{"p99%", "not a plain decimal"},
		{"tm0", "above 0 and at most 100"},
		{"tm101", "above 0 and at most 100"},
		{"tmx", "not a plain decimal"},
		{"tm", "unknown statistic"},
		{"TM", "unknown statistic"},
		{"TM(10%:90%", "missing closing parenthesis"},
		{"TM(10%)", "need a colon"},
		{"TM(:)", "at least one bound"},
		{"TM(10%:500)", "both bounds must be percentages or both absolute"},
		{"TM(90%:10%)", `invalid statistic "TM(90%:10%)": lower bound 90% must be below upper bound 10%; write the smaller bound first`},
		{"TM(10%:10%)", "must be below"},
		{"TM(1000:150)", "lower bound 1000 must be below upper bound 150"},
		{"TM(10%:101%)", "between 0% and 100%"},
		{"TM(:0%)", "keeps no values"},
		{"TM(100%:)", "keeps no values"},
		{"TM(-5%:10%)", "not a plain decimal"},
		{"TM(a:b)", "lower bound \"a\" is not a plain decimal"},
		{"TM(1:2:3)", "upper bound \"2:3\" is not a plain decimal"},
		{"PR(10%:90%)", "PR takes absolute values"},
		{"PR(:30%)", "PR takes absolute values"},
		{"XX(1:2)", "unknown statistic"},
		{"TM(1e3:)", "not a plain decimal"},
		{"TM(%:5%)", "not a plain decimal"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse(tc.name)
			if err == nil {
				t.Fatalf("Parse(%q) = %v, want an error containing %q", tc.name, s, tc.want)
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Name != tc.name {
				t.Errorf("Parse(%q) error %#v is not a *ParseError naming the input", tc.name, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse(%q) error = %q, want it to contain %q", tc.name, err, tc.want)
			}
			if !strings.Contains(err.Error(), `"`+tc.name+`"`) {
				t.Errorf("Parse(%q) error = %q does not quote the input", tc.name, err)
			}
		})
	}
}

func TestNeedsSamplesAndRollup(t *testing.T) {
	type props struct {
		Needs  bool
		Rollup Rollup
		Weight string // "" when none
	}
	tests := map[string]props{
		"Average":      {false, RollupWeightedMean, "SampleCount"},
		"Sum":          {false, RollupSum, ""},
		"SampleCount":  {false, RollupSum, ""},
		"Minimum":      {false, RollupMin, ""},
		"Maximum":      {false, RollupMax, ""},
		"p99":          {true, RollupNone, ""},
		"IQM":          {true, RollupNone, ""},
		"tm99":         {true, RollupNone, ""},
		"TM(10%:90%)":  {true, RollupNone, ""},
		"TC(10%:90%)":  {true, RollupNone, ""},
		"TS(:90%)":     {true, RollupNone, ""},
		"WM(5%:)":      {true, RollupNone, ""},
		"TM(150:1000)": {true, RollupWeightedMean, "TC(150:1000)"},
		"TC(:0.5)":     {true, RollupSum, ""},
		"TS(3:)":       {true, RollupSum, ""},
		"WM(100:200)":  {true, RollupWeightedMean, "SampleCount"},
		"PR(:300)":     {true, RollupWeightedMean, "SampleCount"},
	}
	got := map[string]props{}
	for name := range tests {
		s := mustParse(t, name)
		p := props{Needs: s.NeedsSamples(), Rollup: s.Rollup()}
		if w, ok := s.Weight(); ok {
			p.Weight = w.String()
		}
		got[name] = p
	}
	if diff := cmp.Diff(tests, got); diff != "" {
		t.Errorf("NeedsSamples/Rollup/Weight (-want +got):\n%s", diff)
	}
}

func TestKindAndRollupString(t *testing.T) {
	var got []string
	for k := Average; k <= IQM+1; k++ {
		got = append(got, k.String())
	}
	for r := RollupNone; r <= RollupWeightedMean+1; r++ {
		got = append(got, r.String())
	}
	want := []string{"Average", "Sum", "Minimum", "Maximum", "SampleCount", "p", "TM", "WM", "TC", "TS", "PR", "IQM", "Kind(13)",
		"RollupNone", "RollupSum", "RollupMin", "RollupMax", "RollupWeightedMean", "Rollup(?)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("String (-want +got):\n%s", diff)
	}
}

func TestBasic(t *testing.T) {
	var got []string
	for _, s := range Basic() {
		got = append(got, s.String())
	}
	want := []string{"Average", "Sum", "Minimum", "Maximum", "SampleCount"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Basic (-want +got):\n%s", diff)
	}
}

// FuzzParse checks that Parse never panics, that what it accepts round-trips through String,
// and that what it rejects comes with a *ParseError naming the input.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"Average", "SampleCount", "p99", "p99.9", "p0", "p100", "TM(10%:90%)", "TM(:95%)", "TM(5%:)",
		"TM(150:1000)", "TC(:0.5)", "tm99", "wm98", "tc90", "ts90", "PR(:300)", "PR(100:2000)", "IQM",
		"P99x", "average", "TM99", "tm(1%:2%)", "TM(-1:-0)", "p-0", "TM(:)", "p1e9", "WM(0.0000000001%:1%)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		s, err := Parse(name)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Name != name {
				t.Fatalf("Parse(%q) error %v is not a *ParseError naming the input", name, err)
			}
			return
		}
		back, err := Parse(s.String())
		if err != nil || back != s {
			t.Fatalf("Parse(%q) = %+v; Parse(%q) = %+v, %v", name, s, s.String(), back, err)
		}
		// A parsed statistic computes without panicking.
		var b Bucket
		b.Add(1, 2)
		b.Add(3, 1)
		b.Compute(s)
	})
}

// TestParseErrorUnknown checks that Unknown tells a name of no known form from a known form
// with bad numbers.
func TestParseErrorUnknown(t *testing.T) {
	got := map[string]bool{}
	names := []string{"", "Median", "average", "P99", "XX(1:2)", "p101", "p99.", "tm0", "TM(90%:10%)", "PR(10%:)"}
	for _, name := range names {
		_, err := Parse(name)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("Parse(%q) error = %v, want a *ParseError", name, err)
		}
		got[name] = pe.Unknown
	}
	want := map[string]bool{"": true, "Median": true, "average": true, "P99": true, "XX(1:2)": true,
		"p101": false, "p99.": false, "tm0": false, "TM(90%:10%)": false, "PR(10%:)": false}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseError.Unknown (-want +got):\n%s", diff)
	}
}
