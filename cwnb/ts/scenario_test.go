package ts

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// TestTopOfHourStory runs the demo's analysis on a synthetic week of per-minute metrics:
// Average flat near 200 ms while p99 jumps past 3 s for the first five minutes of every hour.
func TestTopOfHourStory(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	week := 7 * 24 * 60
	tt := make([]time.Time, 0, week)
	avg := make([]float64, 0, week)
	cnt := make([]float64, 0, week)
	p99 := make([]float64, 0, week)
	var rawSum, rawN [7 * 24]float64
	for m := range week {
		if r.IntN(100) == 0 {
			continue // an omitted minute
		}
		at := time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC).Add(time.Duration(m) * time.Minute)
		n := 800 + r.IntN(400)
		mean := 200 + 5*r.NormFloat64()
		tt = append(tt, at)
		avg = append(avg, mean)
		cnt = append(cnt, float64(n))
		rawSum[m/60] += mean * float64(n)
		rawN[m/60] += float64(n)
		if m%60 < 5 {
			p99 = append(p99, 3200+200*r.NormFloat64())
		} else {
			p99 = append(p99, 450+30*r.NormFloat64())
		}
	}
	// Hourly Average, weighted by SampleCount.
	hourly, err := Rollup(tt, avg, RuleWeightedMean, RollupOptions{ResampleOptions: ResampleOptions{Period: time.Hour},
		Stat: "Average", From: time.Minute, Weights: cnt})
	if err != nil {
		t.Fatal(err)
	}
	for h, v := range hourly.Values {
		if want := rawSum[h] / rawN[h]; math.Abs(v-want) > 1e-9 {
			t.Fatalf("hour %d: %v, want %v", h, v, want)
		}
	}
	// Hourly p99 is refused.
	if _, err := Rollup(tt, p99, RuleRefuse, RollupOptions{ResampleOptions: ResampleOptions{Period: time.Hour}, Stat: "p99", From: time.Minute}); err == nil ||
		!strings.Contains(err.Error(), "fetch p99 again with period 1h0m0s") {
		t.Fatalf("p99 rollup: %v", err)
	}
	// The minute-of-hour fold shows the spike at :00-:04 and nowhere else.
	f, err := Fold(tt, p99, MinuteOfHour, time.UTC, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	for k := range 60 {
		if spike := f.Mean[k] > 2000; spike != (k < 5) {
			t.Errorf("minute :%02d mean %v", k, f.Mean[k])
		}
	}
	// The two-group comparison says so, with an interval and a p-value.
	top, rest, _ := Split(tt, p99, Hourly(0, 5*time.Minute).Contains)
	c, err := Compare(top, rest, CompareOptions{Stat: Median, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	s := c.Summary("at :00-:05", "the rest")
	if !strings.HasPrefix(s, "median is 7.") || !strings.Contains(s, "higher at :00-:05 than the rest (95% CI 7.") ||
		!strings.HasSuffix(s, "Mann-Whitney p < 1e-6") {
		t.Errorf("summary %q", s)
	}
	// Change points mark where spikes end and start, and nothing else: on three hours, every
	// change found is a spike edge with a jump of about 2,800 ms, and the end of the first
	// spike is among them. (Five-minute episodes among 180 values are near the limit of what
	// the permutation test, which must also hold its false-alarm rate on skewed and
	// autocorrelated noise, can tell from chance; see ChangePoints.)
	cps, err := ChangePoints(tt[:180], p99[:180], ChangePointOptions{})
	if err != nil {
		t.Fatal(err)
	}
	found := map[int]float64{}
	for _, c := range cps {
		m := c.Time.Minute() + 60*c.Time.Hour()
		found[m] = c.Shift
		if edge := m % 60; (edge != 0 && edge != 5) || math.Abs(c.Shift) < 2000 || (edge == 0) != (c.Shift > 0) {
			t.Errorf("change at minute %d (shift %.0f) is not a spike edge", m, c.Shift)
		}
	}
	if s, ok := found[5]; !ok || s > -2000 {
		t.Errorf("no change of ≈ −2800 at minute 5: %+v", cps)
	}
}
