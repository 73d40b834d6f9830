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
