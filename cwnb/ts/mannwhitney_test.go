package ts

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestGoldenMannWhitneyVariants compares every alternative and method with
// scipy.stats.mannwhitneyu on the same samples (testdata/golden_tests.json, from gen_golden.py).
func TestGoldenMannWhitneyVariants(t *testing.T) {
	var g struct {
		Variants []struct {
			Name        string
			A, B        []F
			Alternative string
			Method      string
			Continuity  bool
			U, P        F
		} `json:"mannwhitney_variants"`
	}
	loadGolden(t, "golden_tests.json", &g)
	if len(g.Variants) < 50 {
		t.Fatalf("only %d variants in the golden file; regenerate it with make golden", len(g.Variants))
	}
	for _, c := range g.Variants {
		name := c.Name + "/" + c.Alternative + "/" + c.Method
		if !c.Continuity {
			name += "-nocontinuity"
		}
		t.Run(name, func(t *testing.T) {
			alt, err := ParseAlternative(c.Alternative)
			if err != nil {
				t.Fatal(err)
			}
			m, err := ParseMethod(c.Method)
			if err != nil {
				t.Fatal(err)
			}
			r, err := MannWhitneyTest(fs(c.A), fs(c.B), MannWhitneyOptions{Alternative: alt, Method: m, NoContinuity: !c.Continuity})
			if err != nil {
				t.Fatal(err)
			}
			if r.U != float64(c.U) {
				t.Errorf("U = %v, scipy %v", r.U, c.U)
			}
			if !cmp.Equal(r.P, float64(c.P), approx(1e-9)) {
				t.Errorf("p = %v, scipy %v", r.P, c.P)
			}
			if r.Alternative != alt {
				t.Errorf("Alternative = %v, want %v", r.Alternative, alt)
			}
		})
	}
}

func TestMannWhitneyOneSidedByHand(t *testing.T) {
	// a = {1, 2}, b = {3, 4, 5}: every a is below every b, so U = 0. Of the C(5,2) = 10 equally
	// likely arrangements, only this one has U = 0: P(U ≤ 0) = 0.1.
	a, b := []float64{1, 2}, []float64{3, 4, 5}
	for _, c := range []struct {
		alt   Alternative
		wantP float64
	}{{Less, 0.1}, {Greater, 1}, {TwoSided, 0.2}} {
		r, err := MannWhitneyTest(a, b, MannWhitneyOptions{Alternative: c.alt, Method: MethodExact})
		if err != nil {
			t.Fatal(err)
		}
		if !r.Exact || r.U != 0 || !cmp.Equal(r.P, c.wantP, approx(1e-15)) {
			t.Errorf("%v: U=%v p=%v exact=%v, want U=0 p=%v exact", c.alt, r.U, r.P, r.Exact, c.wantP)
		}
	}
}

func TestMannWhitneyOptionErrors(t *testing.T) {
	tests := []struct {
		name string
		a, b []float64
		opt  MannWhitneyOptions
		want string
	}{
		{"exact with ties", []float64{1, 2, 2}, []float64{3, 4}, MannWhitneyOptions{Method: MethodExact}, "without ties"},
		{"exact too large", make([]float64, 500), make([]float64, 500), MannWhitneyOptions{Method: MethodExact}, "too large for the exact method"},
		{"unknown alternative", []float64{1}, []float64{2}, MannWhitneyOptions{Alternative: 7}, "unknown alternative"},
		{"unknown method", []float64{1}, []float64{2}, MannWhitneyOptions{Method: -1}, "unknown method"},
	}
	for i := range tests[1].a {
		tests[1].a[i], tests[1].b[i] = float64(i), float64(i)+0.5
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := MannWhitneyTest(tt.a, tt.b, tt.opt)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	if _, err := MannWhitneyTest(nil, []float64{1}, MannWhitneyOptions{Alternative: Greater}); !errors.Is(err, ErrTooFewValues) {
		t.Errorf("empty sample: %v", err)
	}
	for _, s := range []string{"two-sided", "less", "greater"} {
		if a, err := ParseAlternative(s); err != nil || a.String() != s {
			t.Errorf("ParseAlternative(%q) = %v, %v", s, a, err)
		}
	}
	for _, s := range []string{"auto", "exact", "asymptotic"} {
		if m, err := ParseMethod(s); err != nil || m.String() != s {
			t.Errorf("ParseMethod(%q) = %v, %v", s, m, err)
		}
	}
	if _, err := ParseAlternative("two_sided"); err == nil || !strings.Contains(err.Error(), "use two-sided, less or greater") {
		t.Errorf("ParseAlternative(two_sided): %v", err)
	}
	if _, err := ParseMethod("permutation"); err == nil || !strings.Contains(err.Error(), "use auto, exact or asymptotic") {
		t.Errorf("ParseMethod(permutation): %v", err)
	}
}
