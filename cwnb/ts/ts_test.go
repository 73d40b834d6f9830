package ts

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var t0 = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC) // a Monday

func at(sec ...int) []time.Time {
	out := make([]time.Time, len(sec))
	for i, s := range sec {
		out[i] = t0.Add(time.Duration(s) * time.Second)
	}
	return out
}

func TestFloorIsEpochAligned(t *testing.T) {
	tests := []struct {
		name   string
		t      time.Time
		period time.Duration
		offset time.Duration
		want   time.Time
	}{
		{"minute", time.Date(2026, 3, 1, 10, 17, 42, 5, time.UTC), time.Minute, 0, time.Date(2026, 3, 1, 10, 17, 0, 0, time.UTC)},
		// 7 minutes = 420 s: 2026-01-05T00:00Z is 1767571200 s = 4208502·420 + 360 s, so the bucket starts 6 min earlier.
		{"7m from the epoch", t0, 7 * time.Minute, 0, t0.Add(-6 * time.Minute)},
		{"offset", t0.Add(100 * time.Second), time.Minute, 30 * time.Second, t0.Add(90 * time.Second)},
		{"before 1970", time.Date(1969, 12, 31, 23, 59, 30, 0, time.UTC), time.Minute, 0, time.Date(1969, 12, 31, 23, 59, 0, 0, time.UTC)},
		{"other zone", time.Date(2026, 1, 5, 5, 30, 10, 0, time.FixedZone("IST", 5*3600+1800)), time.Hour, 0, time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Floor(tt.t, tt.period, tt.offset)
			if !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("Floor = %v, want %v (UTC)", got, tt.want)
			}
			if (got.UnixNano()-int64(tt.offset))%int64(tt.period) != 0 {
				t.Errorf("Floor = %v is not on the epoch grid", got)
			}
		})
	}
	if Floor(t0, 7*time.Minute, 0).Equal(t0.Truncate(7 * time.Minute)) {
		t.Errorf("test premise: Truncate should differ from the epoch grid for 7m")
	}
}

func TestGrid(t *testing.T) {
	g := Grid(t0.Add(30*time.Second), t0.Add(3*time.Minute), time.Minute)
	want := at(0, 60, 120)
	if diff := cmp.Diff(want, g); diff != "" {
		t.Errorf("Grid (-want +got):\n%s", diff)
	}
	if g := Grid(t0, t0, time.Minute); g != nil {
		t.Errorf("empty range: %v", g)
	}
}

func TestResampleUnsortedEqualsSorted(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	n := 2000
	tt := make([]time.Time, n)
	v := make([]float64, n)
	for i := range tt {
		tt[i] = t0.Add(time.Duration(r.IntN(7200)) * time.Second)
		v[i] = r.NormFloat64()
		if i%17 == 0 {
			v[i] = math.NaN()
		}
	}
	st, sv := sortByTime(tt, v)
	aggs := []Agg{Mean, Sum, Min, Max, Count, Median, Std, First, LastValue, Q(0.99)}
	opt := ResampleOptions{Period: 5 * time.Minute}
	want, err := Resample(st, sv, opt, aggs...)
	if err != nil {
		t.Fatal(err)
	}
	tcopy := slices.Clone(tt)
	got, err := Resample(tt, v, opt, aggs...)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateNaNs(), cmp.AllowUnexported(Agg{})); diff != "" {
		t.Errorf("unsorted input (-sorted +unsorted):\n%s", diff)
	}
	if !slices.Equal(tcopy, tt) {
		t.Errorf("Resample reordered its input")
	}
	// Independent check of every bucket's mean and count by brute force.
	for j, lab := range got.Times {
		s, c := 0.0, 0
		for i := range tt {
			if !tt[i].Before(lab) && tt[i].Before(lab.Add(opt.Period)) && v[i] == v[i] {
				s += v[i]
				c++
			}
		}
		if c != got.Count[j] || (c > 0 && math.Abs(s/float64(c)-got.Values[0][j]) > 1e-12) {
			t.Errorf("bucket %v: count %d mean %v, brute force %d %v", lab, got.Count[j], got.Values[0][j], c, s/float64(c))
		}
	}
}

func TestResampleErrors(t *testing.T) {
	tests := []struct {
		name string
		t    []time.Time
		v    []float64
		opt  ResampleOptions
		aggs []Agg
		want string
	}{
		{"length mismatch", at(0, 1), []float64{1}, ResampleOptions{Period: time.Minute}, []Agg{Mean}, "2 times but 1 values"},
		{"no period", at(0), []float64{1}, ResampleOptions{}, []Agg{Mean}, "period 0s must be positive"},
		{"closed both", at(0), []float64{1}, ResampleOptions{Period: time.Minute, Closed: ClosedBoth}, []Agg{Mean}, `closed "both"`},
		{"no aggregation", at(0), []float64{1}, ResampleOptions{Period: time.Minute}, nil, "no aggregation"},
		{"zero agg", at(0), []float64{1}, ResampleOptions{Period: time.Minute}, []Agg{{}}, "invalid aggregation"},
		{"too many buckets", at(0, 86400*365*3), []float64{1, 2}, ResampleOptions{Period: 100 * time.Millisecond}, []Agg{Mean}, "too many buckets"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Resample(tt.t, tt.v, tt.opt, tt.aggs...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestResampleEmpty(t *testing.T) {
	r, err := Resample(nil, nil, ResampleOptions{Period: time.Minute}, Mean, Q(0.5))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Times) != 0 || len(r.Values[0]) != 0 || len(r.Count) != 0 {
		t.Errorf("empty input gave %+v", r)
	}
}

func TestSignificance(t *testing.T) {
	tests := []struct {
		q    float64
		want int
	}{{0.5, 20}, {0.9, 100}, {0.99, 1000}, {0.999, 10000}, {0, 10}, {1, math.MaxInt}}
	for _, tt := range tests {
		if got := MinSamples(tt.q); got != tt.want {
			t.Errorf("MinSamples(%v) = %d, want %d", tt.q, got, tt.want)
		}
	}
	if Significant(999, 0.99) || !Significant(1000, 0.99) {
		t.Errorf("Significant around 1000 for p99 is wrong")
	}
	r := &Aggregated{Count: []int{5, 1000, 0}}
	if diff := cmp.Diff([]bool{false, true, false}, r.Significant(0.99)); diff != "" {
		t.Errorf("Aggregated.Significant (-want +got):\n%s", diff)
	}
}

// TestRollupAverageFromRawSamples checks the weighted rollup against the plain mean of the raw
// samples behind it: the only correct hourly Average.
func TestRollupAverageFromRawSamples(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var mt []time.Time
	var avg, cnt, sum, mn, mx []float64
	var hourSum [3]float64
	var hourN [3]int
	hourMin := [3]float64{math.Inf(1), math.Inf(1), math.Inf(1)}
	for m := 0; m < 180; m++ {
		if m%13 == 5 {
			continue // CloudWatch omits empty minutes
		}
		k := 1 + r.IntN(60) // very unequal sample counts per minute
		s, lo, hi := 0.0, math.Inf(1), math.Inf(-1)
		for range k {
			x := 100 + 50*r.NormFloat64()
			if m%60 < 5 {
				x += 3000
			}
			s += x
			lo, hi = min(lo, x), max(hi, x)
			hourSum[m/60] += x
			hourN[m/60]++
			hourMin[m/60] = min(hourMin[m/60], x)
		}
		mt = append(mt, t0.Add(time.Duration(m)*time.Minute))
		avg = append(avg, s/float64(k))
		cnt = append(cnt, float64(k))
		sum = append(sum, s)
		mn = append(mn, lo)
		mx = append(mx, hi)
	}
	opt := RollupOptions{ResampleOptions: ResampleOptions{Period: time.Hour}, Stat: "Average", From: time.Minute, Weights: cnt}
	got, err := Rollup(mt, avg, RuleWeightedMean, opt)
	if err != nil {
		t.Fatal(err)
	}
	for h := range 3 {
		want := hourSum[h] / float64(hourN[h])
		if math.Abs(got.Values[h]-want) > 1e-9 {
			t.Errorf("hour %d: Average %v, mean of raw samples %v", h, got.Values[h], want)
		}
		if got.Weight[h] != float64(hourN[h]) {
			t.Errorf("hour %d: weight %v, want %d", h, got.Weight[h], hourN[h])
		}
	}
	// The naive mean of averages is measurably wrong here: the test would catch it.
	naive, _ := Resample(mt, avg, ResampleOptions{Period: time.Hour}, Mean)
	if math.Abs(naive.Values[0][0]-hourSum[0]/float64(hourN[0])) < 1 {
		t.Fatalf("test premise: the mean of averages should differ from the true mean")
	}
	ratio, err := Rollup(mt, sum, RuleRatio, RollupOptions{ResampleOptions: ResampleOptions{Period: time.Hour}, Weights: cnt})
	if err != nil {
		t.Fatal(err)
	}
	cmpApprox(t, "ratio Sum/SampleCount", got.Values, ratio.Values)
	sc, _ := Rollup(mt, cnt, RuleSum, RollupOptions{ResampleOptions: ResampleOptions{Period: time.Hour}})
	cmpApprox(t, "SampleCount", []float64{float64(hourN[0]), float64(hourN[1]), float64(hourN[2])}, sc.Values)
	mins, _ := Rollup(mt, mn, RuleMin, RollupOptions{ResampleOptions: ResampleOptions{Period: time.Hour}})
	cmpApprox(t, "Minimum", hourMin[:], mins.Values)
	maxs, _ := Rollup(mt, mx, RuleMax, RollupOptions{ResampleOptions: ResampleOptions{Period: time.Hour}})
	if maxs.Values[0] < 3000 || maxs.Count[0] != 60-countSkipped(0) {
		t.Errorf("Maximum of hour 0 = %v (count %d)", maxs.Values[0], maxs.Count[0])
	}
}

// countSkipped returns the minutes of hour h the test above omits.
func countSkipped(h int) int {
	n := 0
	for m := h * 60; m < (h+1)*60; m++ {
		if m%13 == 5 {
			n++
		}
	}
	return n
}

func cmpApprox(t *testing.T, what string, want, got []float64) {
	t.Helper()
	if diff := cmp.Diff(want, got, cmpopts.EquateNaNs(), cmpopts.EquateApprox(1e-12, 1e-9)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", what, diff)
	}
}

func TestRollupErrors(t *testing.T) {
	tt, v := at(0, 60, 120), []float64{1, 2, 3}
	hour := ResampleOptions{Period: time.Hour}
	_, err := Rollup(tt, v, RuleRefuse, RollupOptions{ResampleOptions: hour, Stat: "p99", From: time.Minute})
	var nr *NotRollableError
	if !errors.Is(err, ErrNotRollable) || !errors.As(err, &nr) {
		t.Fatalf("p99: err = %v, want a *NotRollableError matching ErrNotRollable", err)
	}
	for _, want := range []string{"cannot roll up p99 from 1m0s periods to 1h0m0s", "between the smallest and the largest minute p99", "fetch p99 again with period 1h0m0s"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	if nr.Stat != "p99" || nr.To != time.Hour || nr.From != time.Minute {
		t.Errorf("error data %+v", nr)
	}
	_, err = Rollup(tt, v, RuleWeightedMean, RollupOptions{ResampleOptions: hour, Stat: "Average"})
	if !errors.Is(err, ErrNeedsWeights) || !strings.Contains(err.Error(), "load SampleCount") {
		t.Errorf("Average without weights: %v", err)
	}
	_, err = Rollup(tt, v, RuleSum, RollupOptions{ResampleOptions: ResampleOptions{Period: 90 * time.Second}, From: time.Minute})
	if err == nil || !strings.Contains(err.Error(), "not a multiple of the loaded period 1m0s; use a multiple such as 2m0s") {
		t.Errorf("90s from 60s: %v", err)
	}
	_, err = Rollup(tt, v, RuleWeightedMean, RollupOptions{ResampleOptions: hour, Weights: []float64{1}})
	if err == nil || !strings.Contains(err.Error(), "1 weights for 3 values") {
		t.Errorf("short weights: %v", err)
	}
}

func TestRollupNaN(t *testing.T) {
	tt := at(0, 60, 120, 3600)
	r, err := Rollup(tt, []float64{10, math.NaN(), 30, math.NaN()}, RuleWeightedMean,
		RollupOptions{ResampleOptions: ResampleOptions{Period: time.Hour}, Weights: []float64{1, 5, math.NaN(), 2}})
	if err != nil {
		t.Fatal(err)
	}
	cmpApprox(t, "values", []float64{10, math.NaN()}, r.Values)
	if diff := cmp.Diff([]int{1, 0}, r.Count); diff != "" {
		t.Errorf("count: %s", diff)
	}
	if r.Skipped != 3 {
		t.Errorf("skipped = %d, want 3", r.Skipped)
	}
}

func TestSelectKMatchesSort(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	gens := map[string]func(n int) []float64{
		"random": func(n int) []float64 {
			x := make([]float64, n)
			for i := range x {
				x[i] = r.NormFloat64()
			}
			return x
		},
		"few values": func(n int) []float64 {
			x := make([]float64, n)
			for i := range x {
				x[i] = float64(r.IntN(3))
			}
			return x
		},
		"sorted": func(n int) []float64 {
			x := make([]float64, n)
			for i := range x {
				x[i] = float64(i)
			}
			return x
		},
		"reversed": func(n int) []float64 {
			x := make([]float64, n)
			for i := range x {
				x[i] = float64(n - i)
			}
			return x
		},
		"equal": func(n int) []float64 {
			x := make([]float64, n)
			for i := range x {
				x[i] = 4
			}
			return x
		},
		"organ pipe": func(n int) []float64 {
			x := make([]float64, n)
			for i := range x {
				x[i] = float64(min(i, n-i))
			}
			return x
		},
	}
	for name, gen := range gens {
		for _, n := range []int{1, 2, 5, 24, 25, 601, 5000, 100_000} {
			x := gen(n)
			sorted := slices.Clone(x)
			slices.Sort(sorted)
			for _, k := range []int{0, n / 100, n / 2, n * 99 / 100, n - 1} {
				a := slices.Clone(x)
				selectK(a, k)
				if a[k] != sorted[k] {
					t.Fatalf("%s n=%d k=%d: got %v want %v", name, n, k, a[k], sorted[k])
				}
				for i := range a {
					if (i < k && a[i] > a[k]) || (i > k && a[i] < a[k]) {
						t.Fatalf("%s n=%d k=%d: not partitioned at %d", name, n, k, i)
					}
				}
			}
		}
	}
}

// TestExactUSFBruteForce counts the arrangements of small samples directly.
func TestExactUSFBruteForce(t *testing.T) {
	for _, mn := range [][2]int{{1, 1}, {2, 3}, {3, 4}, {4, 4}, {3, 7}} {
		m, n := mn[0], mn[1]
		N := m + n
		counts := make([]int, m*n+1)
		total := 0
		for mask := 0; mask < 1<<N; mask++ {
			if popcount(mask) != m {
				continue
			}
			// ranks 1..N; the set bits are sample a. U = Σ ranks of a − m(m+1)/2.
			u := 0
			for i := range N {
				if mask&(1<<i) != 0 {
					u += i + 1
				}
			}
			counts[u-m*(m+1)/2]++
			total++
		}
		for u := 0; u <= m*n; u++ {
			ge := 0
			for k := u; k <= m*n; k++ {
				ge += counts[k]
			}
			want := float64(ge) / float64(total)
			if got := exactUSF(m, n, u); math.Abs(got-want) > 1e-15 {
				t.Errorf("m=%d n=%d u=%d: P(U≥u) = %v, brute force %v", m, n, u, got, want)
			}
		}
	}
}

func popcount(x int) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

func TestMannWhitneyEffectSizes(t *testing.T) {
	r, err := MannWhitney([]float64{10, 11, 12}, []float64{1, 2, math.NaN()})
	if err != nil {
		t.Fatal(err)
	}
	if r.U != 6 || r.CommonLanguage != 1 || r.RankBiserial != 1 || r.NB != 2 || !r.Exact {
		t.Errorf("all a above b: %+v", r)
	}
	if _, err := MannWhitney([]float64{math.NaN()}, []float64{1}); !errors.Is(err, ErrTooFewValues) {
		t.Errorf("empty sample: %v", err)
	}
}

func TestCompareReproducible(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	a, b := make([]float64, 200), make([]float64, 300)
	for i := range a {
		a[i] = 300 + 50*r.NormFloat64()
	}
	for i := range b {
		b[i] = 200 + 50*r.NormFloat64()
	}
	opt := CompareOptions{Stat: Q(0.9), Seed: 42, Resamples: 500}
	c1, err := Compare(a, b, opt)
	if err != nil {
		t.Fatal(err)
	}
	c2, _ := Compare(a, b, opt)
	if diff := cmp.Diff(c1, c2, cmp.AllowUnexported(Agg{})); diff != "" {
		t.Errorf("same seed, different result:\n%s", diff)
	}
	opt.Seed = 43
	c3, _ := Compare(a, b, opt)
	if c3.DiffLo == c1.DiffLo && c3.DiffHi == c1.DiffHi {
		t.Errorf("a different seed gave the same interval")
	}
	if !(c1.DiffLo < c1.Diff && c1.Diff < c1.DiffHi && c1.RatioLo < c1.Ratio && c1.Ratio < c1.RatioHi) {
		t.Errorf("point estimates outside their intervals: %+v", c1)
	}
	if _, err := Compare([]float64{1}, b, opt); !errors.Is(err, ErrTooFewValues) {
		t.Errorf("one value: %v", err)
	}
	if _, err := Compare(a, b, CompareOptions{Stat: Count}); err == nil {
		t.Errorf("comparing counts should fail")
	}
}

func TestSummary(t *testing.T) {
	tests := []struct {
		name string
		c    Comparison
		a, b string
		want string
	}{
		{"higher", Comparison{Stat: Q(0.99), A: 3040, B: 200, Ratio: 15.2, RatioLo: 12.1, RatioHi: 18.94, Level: 0.95, MannWhitney: MannWhitneyResult{P: 1e-9}},
			"at :00-:05", "", "p99 is 15.2x higher at :00-:05 (95% CI 12.1-18.9), Mann-Whitney p < 1e-6"},
		{"lower with than", Comparison{Stat: Mean, A: 100, B: 250, Ratio: 0.4, RatioLo: 0.3125, RatioHi: 0.5, Level: 0.9, MannWhitney: MannWhitneyResult{P: 0.0123}},
			"after the deploy", "before", "mean is 2.5x lower after the deploy than before (90% CI 2-3.2), Mann-Whitney p = 0.012"},
		{"about the same", Comparison{Stat: Median, A: 101, B: 100, Ratio: 1.01, RatioLo: 0.95, RatioHi: 1.08, Level: 0.95, MannWhitney: MannWhitneyResult{P: 0.41}},
			"on Mondays", "other days", "median is about the same on Mondays as other days (ratio 1.01, 95% CI 0.95-1.08), Mann-Whitney p = 0.41"},
		{"difference for signed values", Comparison{Stat: Mean, A: -5, B: 2, Diff: -7, DiffLo: -9, DiffHi: -5.5, Level: 0.95, MannWhitney: MannWhitneyResult{P: 3.2e-5}},
			"in group A", "", "mean is 7 lower in group A (95% CI 5.5 to 9), Mann-Whitney p = 3.2e-05"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.Summary(tt.a, tt.b); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestChangePoints(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	n := 400
	v := make([]float64, n)
	for i := range v {
		level := 200.0
		if i >= 120 && i < 260 {
			level = 260
		}
		if i >= 260 {
			level = 150
		}
		v[i] = level + 10*r.NormFloat64()
	}
	v[50] = math.NaN()
	tt := make([]time.Time, n)
	for i := range tt {
		tt[i] = t0.Add(time.Duration(i) * time.Minute)
	}
	cps, err := ChangePoints(tt, v, ChangePointOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cps) != 2 {
		t.Fatalf("found %d change points, want 2: %+v", len(cps), cps)
	}
	for k, want := range []int{120, 260} {
		if d := cps[k].Index - want; d < -2 || d > 2 {
			t.Errorf("change %d at %d, want %d±2", k, cps[k].Index, want)
		}
		if !cps[k].Time.Equal(tt[cps[k].Index]) {
			t.Errorf("time %v does not match index", cps[k].Time)
		}
	}
	if s := cps[0].Shift; math.Abs(s-60) > 6 {
		t.Errorf("first shift %v, want ≈ +60", s)
	}
	if s := cps[1].Shift; math.Abs(s+110) > 6 {
		t.Errorf("second shift %v, want ≈ −110", s)
	}
	// Pure noise and a constant series have no change point.
	noise := make([]float64, 500)
	for i := range noise {
		noise[i] = 100 + 5*r.NormFloat64()
	}
	if cps, _ := ChangePoints(nil, noise, ChangePointOptions{}); len(cps) != 0 {
		t.Errorf("noise: %+v", cps)
	}
	if cps, _ := ChangePoints(nil, []float64{3, 3, 3, 3, 3, 3, 3, 3}, ChangePointOptions{}); len(cps) != 0 {
		t.Errorf("constant: %+v", cps)
	}
	if cps, _ := ChangePoints(nil, v, ChangePointOptions{MaxChanges: 1}); len(cps) != 1 {
		t.Errorf("MaxChanges 1: %+v", cps)
	}
	step := []float64{1, 1, 1, 1, 1, 9, 9, 9, 9, 9}
	if cps, _ := ChangePoints(nil, step, ChangePointOptions{}); len(cps) != 1 || cps[0].Index != 5 || cps[0].Shift != 8 {
		t.Errorf("clean step: %+v", cps)
	}
}

func TestQuality(t *testing.T) {
	var tt []time.Time
	var v []float64
	for m := range 60 {
		if m >= 20 && m < 27 || m == 40 {
			continue
		}
		tt = append(tt, t0.Add(time.Duration(m)*time.Minute))
		x := 1.0
		if m == 50 {
			x = math.NaN()
		}
		v = append(v, x)
	}
	tt = append(tt, tt[len(tt)-1]) // a duplicate
	v = append(v, 2)
	q, err := Quality(tt, v, QualityOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := &QualityReport{Period: time.Minute, InferredPeriod: time.Minute, StepGCD: time.Minute, Start: t0, End: t0.Add(time.Hour),
		Expected: 60, Present: 51, Density: 51.0 / 60, Gaps: 3, LongestGap: 7 * time.Minute, LongestGapStart: t0.Add(20 * time.Minute),
		NaN: 1, Duplicates: 1}
	if diff := cmp.Diff(want, q); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Against an explicit range and period: the two missing hours count.
	q, _ = Quality(tt, v, QualityOptions{Period: 5 * time.Minute, Start: t0.Add(-time.Hour), End: t0.Add(2 * time.Hour)})
	if q.Expected != 36 || q.Present != 11 || q.LongestGap != time.Hour || q.Gaps != 3 {
		t.Errorf("explicit range: %+v", q)
	}
	q, _ = Quality(nil, nil, QualityOptions{})
	if q.Expected != 0 || !math.IsNaN(q.Density) {
		t.Errorf("empty: %+v", q)
	}
}

func TestAlignMixedPeriods(t *testing.T) {
	fine := Series{Times: at(0, 60, 120, 180, 240, 300, 360), Values: []float64{1, 2, 3, 4, 5, 6, 7}}
	coarse := Series{Times: at(0, 300), Values: []float64{10, 20}}
	grid, vals, err := Align(time.Minute, Mean, Fill{Policy: FillForward, Limit: 4}, fine, coarse)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(at(0, 60, 120, 180, 240, 300, 360), grid); diff != "" {
		t.Errorf("grid:\n%s", diff)
	}
	cmpApprox(t, "fine", []float64{1, 2, 3, 4, 5, 6, 7}, vals[0])
	cmpApprox(t, "coarse", []float64{10, 10, 10, 10, 10, 20, 20}, vals[1])
	grid, vals, err = Align(2*time.Minute, Sum, Fill{}, fine)
	if err != nil {
		t.Fatal(err)
	}
	cmpApprox(t, "2m sums", []float64{3, 7, 11, 7}, vals[0])
	if len(grid) != 4 {
		t.Errorf("grid %v", grid)
	}
}

func TestRate(t *testing.T) {
	got, err := Rate(at(0, 60, 60, 180), []float64{0, 120, 130, 190})
	if err != nil {
		t.Fatal(err)
	}
	cmpApprox(t, "rate", []float64{math.NaN(), 2, math.NaN(), 0.5}, got)
}

func TestFoldDayAndErrors(t *testing.T) {
	f, err := Fold(at(0, 86400*2+5), []float64{1, 3}, Day, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"2026-01-05", "2026-01-06", "2026-01-07"}, f.Labels); diff != "" {
		t.Errorf("labels:\n%s", diff)
	}
	cmpApprox(t, "mean", []float64{1, math.NaN(), 3}, f.Mean)
	if _, err := Fold(at(0), []float64{1}, HourOfDay, nil); err == nil || !strings.Contains(err.Error(), "nil location") {
		t.Errorf("nil location: %v", err)
	}
	h, err := Fold2(at(0, 3600*25), []float64{1, 2}, HourOfDay, DayOfWeek, time.UTC, Count)
	if err != nil {
		t.Fatal(err)
	}
	if h.Values[0][0] != 1 || h.Values[1][1] != 1 || h.Values[1][0] != 0 || len(h.Rows) != 24 || h.Cols[6] != "Sun" {
		t.Errorf("heatmap counts %v, rows %d, cols %v", h.Values[:2], len(h.Rows), h.Cols)
	}
}

func TestWeightedQuantileErrors(t *testing.T) {
	if _, err := WeightedQuantile([]float64{1, 2}, []float64{1, -1}, 0.5, Linear); !errors.Is(err, ErrWeights) {
		t.Errorf("negative weight: %v", err)
	}
	if q, err := WeightedQuantile([]float64{1, math.NaN()}, []float64{0, 3}, 0.5, Linear); err != nil || !math.IsNaN(q) {
		t.Errorf("no weight left: %v, %v", q, err)
	}
}

func TestEWMErrors(t *testing.T) {
	for name, o := range map[string]EWMOptions{
		"none":      {},
		"two":       {Span: 3, Alpha: 0.5},
		"bad alpha": {Alpha: 1.5},
		"bad span":  {Span: 0.5},
	} {
		if _, err := EWM(nil, []float64{1}, o); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestRollingErrors(t *testing.T) {
	if _, err := Rolling(at(60, 0), []float64{1, 2}, RollingOptions{Window: time.Minute}, Mean); err == nil {
		t.Errorf("unsorted: no error")
	}
	if _, err := Rolling(at(0), []float64{1}, RollingOptions{}, Mean); err == nil {
		t.Errorf("no window: no error")
	}
}

func TestUpsampleEdges(t *testing.T) {
	grid := at(0, 60, 120)
	tests := []struct {
		name string
		t    []time.Time
		v    []float64
		f    Fill
		want []float64
	}{
		{"no observations", nil, nil, Fill{Policy: FillForward}, []float64{math.NaN(), math.NaN(), math.NaN()}},
		{"only NaN", at(0), []float64{math.NaN()}, Fill{Policy: FillZero}, []float64{0, 0, 0}},
		{"repeated time, last wins", at(60, 60), []float64{1, 2}, Fill{}, []float64{math.NaN(), 2, math.NaN()}},
		{"unsorted input", at(120, 0), []float64{3, 1}, Fill{Policy: FillLinear}, []float64{1, 2, 3}},
		{"off-grid observation, backward", at(30), []float64{5}, Fill{Policy: FillBackward, Limit: 1}, []float64{5, math.NaN(), math.NaN()}},
		{"off-grid observation, forward", at(30), []float64{5}, Fill{Policy: FillForward}, []float64{math.NaN(), 5, 5}},
		{"linear gap too long", at(0, 120), []float64{1, 3}, Fill{Policy: FillLinear, MaxGap: time.Minute}, []float64{1, math.NaN(), 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Upsample(tt.t, tt.v, grid, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			cmpApprox(t, "values", tt.want, got)
		})
	}
	if _, err := Upsample(nil, nil, at(60, 0), Fill{}); err == nil {
		t.Errorf("unsorted grid: no error")
	}
	if _, err := Upsample(nil, nil, grid, Fill{Limit: -1}); err == nil {
		t.Errorf("negative limit: no error")
	}
}

func TestAsOfAndAlignErrors(t *testing.T) {
	if _, err := AsOf(at(60, 0), at(0), AsOfBackward, 0); err == nil {
		t.Errorf("unsorted left: no error")
	}
	if _, err := AsOf(at(0), at(0), AsOfBackward, -time.Second); err == nil {
		t.Errorf("negative tolerance: no error")
	}
	if _, _, err := Align(time.Minute, Mean, Fill{}); err == nil {
		t.Errorf("no series: no error")
	}
	grid, vals, err := Align(time.Minute, Mean, Fill{}, Series{})
	if err != nil || grid != nil || len(vals) != 1 {
		t.Errorf("empty series: %v %v %v", grid, vals, err)
	}
}
