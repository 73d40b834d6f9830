package cwnb_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cwnb/cwnb/cwnb"
	"github.com/cwnb/cwnb/cwnb/ts"
)

func ExampleResult_Rolling() {
	res, _, stop := loadTail()
	defer stop()
	r, err := res.Rolling("Latency p99", ts.RollingOptions{Window: 15 * time.Minute}, ts.Mean)
	if err != nil {
		panic(err)
	}
	for _, i := range []int{14, 30} {
		fmt.Printf("%s: 15-minute mean of p99 %.0f ms over %d minutes\n", r.Times[i].Format("15:04"), r.Values[0][i], r.Count[i])
	}
	// Output:
	// 09:14: 15-minute mean of p99 1467 ms over 15 minutes
	// 09:30: 15-minute mean of p99 480 ms over 15 minutes
}

// TestResultRolling: Result.Rolling on the compact grid gives ts.Rolling's answer on the frame's
// times bit for bit; a bad column or window is an error naming it.
func TestResultRolling(t *testing.T) {
	res, _, stop := loadTail()
	defer stop()
	col := "Latency p99"
	opt := ts.RollingOptions{Window: 15 * time.Minute, MinPeriods: 3}
	got, err := res.Rolling(col, opt, ts.Mean, ts.Std, ts.Max)
	if err != nil {
		t.Fatal(err)
	}
	want, err := ts.Rolling(res.Times(), res.Values(col), opt, ts.Mean, ts.Std, ts.Max)
	if err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(got.Values, want.Values, cmpopts.EquateNaNs()) || !cmp.Equal(got.Count, want.Count) || !cmp.Equal(got.Times, want.Times) {
		t.Errorf("Result.Rolling differs from ts.Rolling on the frame's times")
	}
	// An independent check of one window: the mean of the 15 values ending at row 40.
	v := res.Values(col)
	s, n := 0.0, 0
	for _, x := range v[26:41] {
		if !math.IsNaN(x) {
			s, n = s+x, n+1
		}
	}
	if m := got.Values[0][40]; math.Abs(m-s/float64(n)) > 1e-9*math.Abs(m) || got.Count[40] != n {
		t.Errorf("row 40: mean %v over %d, want %v over %d", m, got.Count[40], s/float64(n), n)
	}
	if len(got.Times) != len(res.Times()) || !got.Times[5].Equal(res.Times()[5]) {
		t.Errorf("rolling times: %d points, want the %d of Times", len(got.Times), len(res.Times()))
	}
	if _, err := res.Rolling("no such column", opt, ts.Mean); err == nil {
		t.Error("unknown column: no error")
	}
	if _, err := res.Rolling(col, ts.RollingOptions{}, ts.Mean); err == nil || !strings.Contains(err.Error(), `column "Latency p99"`) || !strings.Contains(err.Error(), "window") {
		t.Errorf("zero window: error %v, want one naming the column and the window", err)
	}
	var nilRes *cwnb.Result
	if _, err := nilRes.Rolling(col, opt, ts.Mean); err == nil {
		t.Error("nil Result: no error")
	}
}
