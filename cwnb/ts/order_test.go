package ts

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// m returns x minutes after a round hour.
func m(x ...int) []time.Time {
	out := make([]time.Time, len(x))
	for i, k := range x {
		out[i] = t0.Add(time.Duration(k) * time.Minute)
	}
	return out
}

// TestResampleUnsortedIssueCase is the case reported in issue 9: it used to panic with an index
// out of range (the last time is not the latest, so the bucket count was too small).
func TestResampleUnsortedIssueCase(t *testing.T) {
	tt := m(1, 12, 18, 3)
	v := []float64{1, 2, 3, 4}
	keep := slices.Clone(tt)
	r, err := Resample(tt, v, ResampleOptions{Period: 5 * time.Minute}, Max)
	if err != nil {
		t.Fatal(err)
	}
	// By hand: [0,5) holds 1 and 4, [5,10) nothing, [10,15) 2, [15,20) 3.
	want := &Aggregated{Times: m(0, 5, 10, 15), Aggs: []Agg{Max}, Values: [][]float64{{4, math.NaN(), 2, 3}},
		Count: []int{2, 0, 1, 1}, Period: 5 * time.Minute}
	if diff := cmp.Diff(want, r, cmpopts.EquateNaNs(), cmp.AllowUnexported(Agg{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !slices.Equal(tt, keep) {
		t.Errorf("input reordered: %v", tt)
	}
}

// Every order-dependent reading of the same data must agree whatever the input order: these
// permutations of one series (with repeated times) are checked against the sorted one.
func orders() (sorted []time.Time, sv []float64, perms [][]int) {
	// Times in minutes, with repeats at 3 and 12; values distinct so First/Last show the order.
	mins := []int{0, 1, 3, 3, 4, 7, 12, 12, 12, 18, 19, 25}
	sorted = m(mins...)
	sv = []float64{5, 1, 7, 2, math.NaN(), 9, 4, 8, 6, 3, 10, 11}
	n := len(mins)
	rev := make([]int, n)
	for i := range rev {
		rev[i] = n - 1 - i
	}
	// Reversal keeps repeated times in reverse order; the others keep them in order.
	interleave := []int{9, 0, 6, 1, 10, 2, 7, 3, 11, 4, 8, 5}
	last := []int{11, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	return sorted, sv, [][]int{rev, interleave, last}
}

func TestEveryFunctionOfTimesUnsortedAndRepeated(t *testing.T) {
	st, sv, perms := orders()
	opt := ResampleOptions{Period: 5 * time.Minute}
	for pi, p := range perms {
		tt, v := permute(st, p), permuteF(sv, p)
		keepT, keepV := slices.Clone(tt), slices.Clone(v)
		// Among repeated times, the permutation's relative order is what a stable sort keeps:
		// the reference is the permuted input sorted stably, computed here by insertion sort.
		rt, rv := slices.Clone(tt), slices.Clone(v)
		for i := 1; i < len(rt); i++ {
			for j := i; j > 0 && rt[j].Before(rt[j-1]); j-- {
				rt[j], rt[j-1] = rt[j-1], rt[j]
				rv[j], rv[j-1] = rv[j-1], rv[j]
			}
		}
		name := []string{"reversed", "interleaved", "last first"}[pi]
		t.Run(name, func(t *testing.T) {
			aggs := []Agg{Mean, Sum, Min, Max, Count, Median, Std, First, LastValue, Q(0.9)}
			want, err := Resample(rt, rv, opt, aggs...)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Resample(tt, v, opt, aggs...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateNaNs(), cmp.AllowUnexported(Agg{})); diff != "" {
				t.Errorf("Resample (-sorted +unsorted):\n%s", diff)
			}
			// Brute force the [10,15) bucket: 4, 8, 6 at minute 12, in the input's order.
			if c := got.Count[2]; c != 3 || got.Values[1][2] != 18 {
				t.Errorf("bucket :10 count %d sum %v, want 3 and 18", c, got.Values[1][2])
			}

			for _, fill := range []Fill{{}, {Policy: FillForward, Limit: 1}, {Policy: FillLinear}} {
				g1, v1, err := Align(time.Minute, Mean, fill, Series{rt, rv}, Series{m(2, 30), []float64{1, 2}})
				if err != nil {
					t.Fatal(err)
				}
				g2, v2, err := Align(time.Minute, Mean, fill, Series{tt, v}, Series{m(30, 2), []float64{2, 1}})
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(g1, g2); diff != "" {
					t.Errorf("Align %v grid:\n%s", fill.Policy, diff)
				}
				if diff := cmp.Diff(v1, v2, cmpopts.EquateNaNs()); diff != "" {
					t.Errorf("Align %v values (-sorted +unsorted):\n%s", fill.Policy, diff)
				}
				if k := 12; v2[0][k] != 6 { // mean of 4, 8, 6 at minute 12
					t.Errorf("Align %v at :12 = %v, want 6", fill.Policy, v2[0][k])
				}
			}

			ru1, err := Rollup(rt, rv, RuleSum, RollupOptions{ResampleOptions: opt})
			if err != nil {
				t.Fatal(err)
			}
			ru2, err := Rollup(tt, v, RuleSum, RollupOptions{ResampleOptions: opt})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(ru1, ru2, cmpopts.EquateNaNs()); diff != "" {
				t.Errorf("Rollup (-sorted +unsorted):\n%s", diff)
			}

			grid := Grid(m(0)[0], m(26)[0], time.Minute)
			u1, err := Upsample(rt, rv, grid, Fill{Policy: FillForward})
			if err != nil {
				t.Fatal(err)
			}
			u2, err := Upsample(tt, v, grid, Fill{Policy: FillForward})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(u1, u2, cmpopts.EquateNaNs()); diff != "" {
				t.Errorf("Upsample (-sorted +unsorted):\n%s", diff)
			}

			q1, _ := Quality(rt, rv, QualityOptions{Period: time.Minute})
			q2, err := Quality(tt, v, QualityOptions{Period: time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(q1, q2, cmpopts.EquateNaNs()); diff != "" {
				t.Errorf("Quality (-sorted +unsorted):\n%s", diff)
			}
			if q2.Duplicates != 3 {
				t.Errorf("Quality duplicates %d, want 3 (one at :03, two at :12)", q2.Duplicates)
			}

			f1, _ := Fold(rt, rv, MinuteOfHour, time.UTC, 0.5)
			f2, err := Fold(tt, v, MinuteOfHour, time.UTC, 0.5)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(f1, f2, cmpopts.EquateNaNs()); diff != "" {
				t.Errorf("Fold (-sorted +unsorted):\n%s", diff)
			}
			h1, _ := Fold2(rt, rv, MinuteOfHour, HourOfDay, time.UTC, Sum)
			h2, err := Fold2(tt, v, MinuteOfHour, HourOfDay, time.UTC, Sum)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(h1, h2, cmpopts.EquateNaNs(), cmp.AllowUnexported(Agg{})); diff != "" {
				t.Errorf("Fold2 (-sorted +unsorted):\n%s", diff)
			}

			y, n, err := Split(tt, v, Hourly(0, 5*time.Minute).Contains)
			if err != nil {
				t.Fatal(err)
			}
			var wy, wn []float64 // by hand: input order kept within each group
			for i := range tt {
				if tt[i].Minute() < 5 {
					wy = append(wy, v[i])
				} else {
					wn = append(wn, v[i])
				}
			}
			if !cmp.Equal(y, wy, cmpopts.EquateNaNs()) || !cmp.Equal(n, wn, cmpopts.EquateNaNs()) {
				t.Errorf("Split = %v / %v, want %v / %v", y, n, wy, wn)
			}

			// ChangePoints reads the series in time order: the same cut, reported at the input
			// index of the first value of the new segment.
			cv := make([]float64, len(v))
			for i := range cv {
				cv[i] = 1
				if tt[i].Minute() >= 12 {
					cv[i] = 9
				}
			}
			scv := make([]float64, len(rv))
			for i := range scv {
				scv[i] = 1
				if rt[i].Minute() >= 12 {
					scv[i] = 9
				}
			}
			c1, err := ChangePoints(rt, scv, ChangePointOptions{Penalty: 1})
			if err != nil {
				t.Fatal(err)
			}
			c2, err := ChangePoints(tt, cv, ChangePointOptions{Penalty: 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(c1) != 1 || len(c2) != 1 || !c1[0].Time.Equal(m(12)[0]) || !c2[0].Time.Equal(c1[0].Time) ||
				!tt[c2[0].Index].Equal(c2[0].Time) || c2[0].Shift != 8 {
				t.Errorf("ChangePoints sorted %+v, unsorted %+v; want one shift of +8 at :12", c1, c2)
			}

			// Functions whose output is aligned with the input and that need time order refuse
			// unsorted times with an error that says to sort; repeated times are fine.
			for fn, err := range map[string]error{
				"Rolling":     second(Rolling(tt, v, RollingOptions{Window: 5 * time.Minute}, Mean)),
				"AnomalyBand": second(AnomalyBand(tt, v, BandOptions{Window: 5 * time.Minute})),
				"AsOf":        second(AsOf(tt, rt, AsOfBackward, 0)),
				"Rate":        second(Rate(tt, v)),
				"EWM":         second(EWM(tt, v, EWMOptions{HalfLifeTime: time.Minute})),
			} {
				if err == nil || !strings.Contains(err.Error(), "not ascending") || !strings.Contains(err.Error(), "sort") {
					t.Errorf("%s on unsorted times: err = %v, want 'not ascending ... sort'", fn, err)
				}
			}
			if !slices.Equal(tt, keepT) || !cmp.Equal(v, keepV, cmpopts.EquateNaNs()) {
				t.Errorf("an input was modified")
			}
		})
	}
	// Repeated times in sorted input: every function accepts them.
	if _, err := Rolling(st, sv, RollingOptions{Window: 5 * time.Minute}, Mean); err != nil {
		t.Errorf("Rolling with repeated times: %v", err)
	}
	if _, err := AnomalyBand(st, sv, BandOptions{Window: 5 * time.Minute}); err != nil {
		t.Errorf("AnomalyBand with repeated times: %v", err)
	}
	if _, err := AsOf(st, st, AsOfNearest, 0); err != nil {
		t.Errorf("AsOf with repeated times: %v", err)
	}
	rate, err := Rate(st, sv)
	if err != nil || !math.IsNaN(rate[3]) || rate[1] != (1.0-5)/60 {
		t.Errorf("Rate with repeated times = %v, %v; want NaN at a repeated time and -4/60 at :01", rate, err)
	}
	e, err := EWM(st, []float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, EWMOptions{HalfLifeTime: time.Minute})
	if err != nil || e[11] != 1 {
		t.Errorf("EWM with repeated times = %v, %v", e, err)
	}
}

func second[T any](_ T, err error) error { return err }
