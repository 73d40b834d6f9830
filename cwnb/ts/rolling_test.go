package ts

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestRollingOnePassMatchesGeneral checks the one-pass path (counts, sums, means, standard
// deviations alone) against the general path (the same aggregations beside Max), bit for bit,
// on irregular times with repeats, NaN runs and every closure.
func TestRollingOnePassMatchesGeneral(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	n := 3000
	tt := make([]time.Time, n)
	v := make([]float64, n)
	ns := int64(0)
	for i := range tt {
		ns += int64(r.IntN(4)) * int64(20*time.Second) // steps of 0 to 60 s: repeats and gaps
		if r.IntN(200) == 0 {
			ns += int64(30 * time.Minute) // a gap longer than the window: the window empties
		}
		tt[i] = t0.Add(time.Duration(ns))
		v[i] = 1e6 + 100*r.NormFloat64()
		if r.IntN(10) == 0 {
			v[i] = math.NaN()
		}
	}
	fast := []Agg{Count, Sum, Mean, Std}
	for _, closed := range []Closed{ClosedDefault, ClosedRight, ClosedLeft, ClosedBoth, ClosedNeither} {
		for _, minp := range []int{0, 1, 5} {
			// Each alone (the specialised loops) against the general path.
			for _, a := range fast {
				opt := RollingOptions{Window: 5 * time.Minute, Closed: closed, MinPeriods: minp}
				alone, err := Rolling(tt, v, opt, a)
				if err != nil {
					t.Fatal(err)
				}
				general, err := Rolling(tt, v, opt, a, Max)
				if err != nil {
					t.Fatal(err)
				}
				if !cmp.Equal(alone.Values[0], general.Values[0], cmpopts.EquateNaNs()) || !cmp.Equal(alone.Count, general.Count) || alone.NaN != general.NaN {
					t.Errorf("%v alone, closed %q min periods %d: differs from the general path", a, closed, minp)
				}
			}
			opt := RollingOptions{Window: 5 * time.Minute, Closed: closed, MinPeriods: minp}
			got, err := Rolling(tt, v, opt, fast...)
			if err != nil {
				t.Fatal(err)
			}
			want, err := Rolling(tt, v, opt, append(fast[:len(fast):len(fast)], Max)...)
			if err != nil {
				t.Fatal(err)
			}
			want.Aggs, want.Values = want.Aggs[:4], want.Values[:4]
			if diff := cmp.Diff(want, got, cmpopts.EquateNaNs(), cmp.AllowUnexported(Agg{})); diff != "" {
				t.Errorf("closed %q min periods %d (-general +one-pass):\n%s", closed, minp, diff)
			}
		}
	}
	if r, err := Rolling(nil, nil, RollingOptions{Window: time.Minute}, Mean, Std); err != nil || len(r.Values) != 2 || len(r.Values[0]) != 0 {
		t.Errorf("empty series: %+v, %v", r, err)
	}
}

// TestRollingAccuracy compares the one-pass sums, means and stds with a two-pass brute force over
// every window, on a level far above its noise (1e9 ± 1, drifting by 1e3): the case where adding
// and removing values loses digits.
func TestRollingAccuracy(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	n := 3000
	tt := make([]time.Time, n)
	v := make([]float64, n)
	for i := range tt {
		tt[i] = t0.Add(time.Duration(i) * 7 * time.Second)
		v[i] = 1e9 + 1e3*float64(i)/float64(n) + r.NormFloat64()
		if i%500 == 7 {
			v[i] = 1e9 + 3 // a run of equal values: std exactly 0 where the window holds only them
			v[i+1], v[i+2] = v[i], v[i]
		}
	}
	opt := RollingOptions{Window: 10 * time.Minute}
	got, err := Rolling(tt, v, opt, Sum, Mean, Std)
	if err != nil {
		t.Fatal(err)
	}
	for i := range tt {
		lo := i
		for lo > 0 && tt[i].Sub(tt[lo-1]) < opt.Window {
			lo--
		}
		w := v[lo : i+1]
		s := 0.0
		for _, x := range w {
			s += x - 1e9
		}
		m := s / float64(len(w))
		ss := 0.0
		for _, x := range w {
			d := (x - 1e9) - m
			ss += d * d
		}
		wantSum, wantMean, wantStd := s+1e9*float64(len(w)), m+1e9, math.NaN()
		if len(w) > 1 {
			wantStd = math.Sqrt(ss / float64(len(w)-1))
		}
		if math.Abs(got.Values[0][i]-wantSum) > 1e-15*wantSum*8 || math.Abs(got.Values[1][i]-wantMean) > 1e-15*wantMean*8 {
			t.Fatalf("window %d: sum %v mean %v, brute force %v %v", i, got.Values[0][i], got.Values[1][i], wantSum, wantMean)
		}
		if d := math.Abs(got.Values[2][i] - wantStd); d > 1e-9*wantStd && !(math.IsNaN(wantStd) && math.IsNaN(got.Values[2][i])) {
			t.Fatalf("window %d: std %v, brute force %v", i, got.Values[2][i], wantStd)
		}
	}
	same, err := Rolling(at(0, 1, 2, 3), []float64{5, 7, 7, 7}, RollingOptions{Window: 3 * time.Second}, Std)
	if err != nil || same.Values[0][3] != 0 { // (0 s, 3 s] holds 7, 7, 7
		t.Errorf("std of equal values = %v, %v; want exactly 0", same.Values[0], err)
	}
}
