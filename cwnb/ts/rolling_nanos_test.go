package ts

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// irregular returns n points with steps of 0 to 60 s (repeats), rare gaps longer than a 5-minute
// window, and about 10% NaN.
func irregular(seed uint64, n int) ([]time.Time, []float64) {
	r := rand.New(rand.NewPCG(seed, 7))
	tt := make([]time.Time, n)
	v := make([]float64, n)
	ns := int64(0)
	for i := range tt {
		ns += int64(r.IntN(4)) * int64(20*time.Second)
		if r.IntN(200) == 0 {
			ns += int64(30 * time.Minute)
		}
		tt[i] = t0.Add(time.Duration(ns))
		v[i] = 1e6 + 100*r.NormFloat64()
		if r.IntN(10) == 0 {
			v[i] = math.NaN()
		}
	}
	return tt, v
}

// TestRollingNanosMatchesRolling: the compact axis gives Rolling's results bit for bit, for every
// closure, minimum count and aggregation set (the one-pass loops and the general path).
func TestRollingNanosMatchesRolling(t *testing.T) {
	tt, v := irregular(11, 2000)
	ns := NanosOf(tt)
	sets := [][]Agg{{Count}, {Sum}, {Mean}, {Std}, {Sum, Mean, Std, Count}, {Mean, Max}, {Min, Q(0.9), First, LastValue, Std}}
	for _, closed := range []Closed{ClosedDefault, ClosedRight, ClosedLeft, ClosedBoth, ClosedNeither} {
		for _, minp := range []int{0, 3} {
			for _, aggs := range sets {
				opt := RollingOptions{Window: 5 * time.Minute, Closed: closed, MinPeriods: minp}
				want, err := Rolling(tt, v, opt, aggs...)
				if err != nil {
					t.Fatal(err)
				}
				got, err := RollingNanos(ns, v, opt, aggs...)
				if err != nil {
					t.Fatal(err)
				}
				if got.Times != nil {
					t.Errorf("RollingNanos: Times = %d values, want nil", len(got.Times))
				}
				got.Times = tt
				if !cmp.Equal(got, want, cmpopts.EquateNaNs(), cmp.AllowUnexported(Agg{})) {
					t.Errorf("closed %q min periods %d %v: RollingNanos differs from Rolling", closed, minp, aggs)
				}
			}
		}
	}
}

// TestRollingNanosBruteForce checks RollingNanos against windows found by their definition,
// (t−w, t] by default, summed plainly: counts exactly, means and stds to 1e-9 relative.
func TestRollingNanosBruteForce(t *testing.T) {
	tt, v := irregular(12, 1500)
	ns := NanosOf(tt)
	w := 5 * time.Minute
	r, err := RollingNanos(ns, v, RollingOptions{Window: w}, Count, Mean, Std, Max)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ns {
		var xs []float64
		for j := 0; j <= i; j++ {
			if ns[j] > ns[i]-int64(w) && v[j] == v[j] {
				xs = append(xs, v[j])
			}
		}
		if got := r.Column(Count)[i]; got != float64(len(xs)) {
			t.Fatalf("point %d: count %v, want %d", i, got, len(xs))
		}
		mean, std, mx := math.NaN(), math.NaN(), math.NaN()
		if len(xs) > 0 {
			s := 0.0
			mx = math.Inf(-1)
			for _, x := range xs {
				s += x
				mx = math.Max(mx, x)
			}
			mean = s / float64(len(xs))
			if len(xs) > 1 {
				q := 0.0
				for _, x := range xs {
					q += (x - mean) * (x - mean)
				}
				std = math.Sqrt(q / float64(len(xs)-1))
			}
		}
		for _, c := range []struct {
			a         Agg
			want, tol float64
		}{{Mean, mean, 1e-9 * math.Abs(mean)}, {Std, std, 1e-6 * math.Max(std, 1)}, {Max, mx, 0}} {
			got := r.Column(c.a)[i]
			if math.IsNaN(c.want) != math.IsNaN(got) || (!math.IsNaN(got) && math.Abs(got-c.want) > c.tol) {
				t.Fatalf("point %d: %v = %v, want %v", i, c.a, got, c.want)
			}
		}
	}
}

// TestRollingNanosErrors: bad input gets an error naming it, never a panic.
func TestRollingNanosErrors(t *testing.T) {
	ok := RollingOptions{Window: time.Minute}
	for _, c := range []struct {
		name string
		t    Nanos
		v    []float64
		opt  RollingOptions
		aggs []Agg
		want string
	}{
		{"lengths", Nanos{1, 2}, []float64{1}, ok, []Agg{Mean}, "2 times but 1 values"},
		{"unsorted", Nanos{2, 1}, []float64{1, 2}, ok, []Agg{Mean}, "ts.RollingNanos: times are not ascending"},
		{"unsorted general", Nanos{2, 1}, []float64{1, 2}, ok, []Agg{Max}, "not ascending"},
		{"window", Nanos{1}, []float64{1}, RollingOptions{}, []Agg{Mean}, "window 0s must be positive"},
		{"no aggregation", Nanos{1}, []float64{1}, ok, nil, "no aggregation"},
		{"zero agg", Nanos{1}, []float64{1}, ok, []Agg{{}}, "invalid aggregation"},
		{"min periods", Nanos{1}, []float64{1}, RollingOptions{Window: time.Minute, MinPeriods: -1}, []Agg{Mean}, "min periods -1"},
	} {
		_, err := RollingNanos(c.t, c.v, c.opt, c.aggs...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	if r, err := RollingNanos(nil, nil, ok, Mean, Max); err != nil || len(r.Values[0]) != 0 || len(r.Values[1]) != 0 {
		t.Errorf("empty series: %v, %v; want empty columns", r, err)
	}
}

// TestNanosConversions: NanosOf and Times round-trip instants; RegularNanos is start + i·step.
func TestNanosConversions(t *testing.T) {
	tt, _ := irregular(13, 100)
	back := NanosOf(tt).Times()
	for i := range tt {
		if !back[i].Equal(tt[i]) || back[i].Location() != time.UTC {
			t.Fatalf("point %d: %v back as %v", i, tt[i], back[i])
		}
	}
	g, err := RegularNanos(t0, time.Minute, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := NanosOf([]time.Time{t0, t0.Add(time.Minute), t0.Add(2 * time.Minute)})
	if !cmp.Equal(g, want) || !g.Time(2).Equal(t0.Add(2*time.Minute)) {
		t.Errorf("RegularNanos = %v, want %v", g, want)
	}
	if _, err := RegularNanos(t0, 0, 3); err == nil || !strings.Contains(err.Error(), "step 0s") {
		t.Errorf("step 0: error %v", err)
	}
	if _, err := RegularNanos(t0, time.Minute, -1); err == nil || !strings.Contains(err.Error(), "-1 points") {
		t.Errorf("n -1: error %v", err)
	}
}
