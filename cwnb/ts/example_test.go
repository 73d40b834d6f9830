package ts_test

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/cwnb/cwnb/cwnb/ts"
)

var start = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC) // a Monday

// minutes returns timestamps at the given minutes after start.
func minutes(ms ...int) []time.Time {
	out := make([]time.Time, len(ms))
	for i, m := range ms {
		out[i] = start.Add(time.Duration(m) * time.Minute)
	}
	return out
}

func ExampleFloor() {
	t := time.Date(2026, 1, 5, 0, 3, 0, 0, time.UTC)
	fmt.Println(ts.Floor(t, 7*time.Minute, 0).Format("15:04"))
	fmt.Println(t.Truncate(7 * time.Minute).Format("15:04")) // counts from year 1: not CloudWatch's grid
	// Output:
	// 00:01
	// 00:00
}

func ExampleGrid() {
	for _, g := range ts.Grid(start.Add(90*time.Second), start.Add(5*time.Minute), 2*time.Minute) {
		fmt.Println(g.Format("15:04"))
	}
	// Output:
	// 00:00
	// 00:02
	// 00:04
}

func ExampleResample() {
	t := minutes(0, 1, 2, 3, 11, 12)
	v := []float64{200, 210, math.NaN(), 3100, 190, 205}
	r, err := ts.Resample(t, v, ts.ResampleOptions{Period: 5 * time.Minute}, ts.Mean, ts.Max, ts.Count)
	if err != nil {
		panic(err)
	}
	for j, lab := range r.Times {
		fmt.Printf("%s mean=%.1f max=%v n=%d\n", lab.Format("15:04"), r.Values[0][j], r.Values[1][j], r.Count[j])
	}
	fmt.Println("NaN skipped:", r.NaN)
	// Output:
	// 00:00 mean=1170.0 max=3100 n=3
	// 00:05 mean=NaN max=NaN n=0
	// 00:10 mean=197.5 max=205 n=2
	// NaN skipped: 1
}

func ExampleAggregated_Significant() {
	r, _ := ts.Resample(minutes(0, 1, 2), []float64{1, 2, 3}, ts.ResampleOptions{Period: time.Hour}, ts.Q(0.99))
	fmt.Println(r.Values[0][0], r.Significant(0.99)[0])
	// Output: 2.98 false
}

func ExampleUpsample() {
	t := minutes(0, 5)
	v := []float64{10, 20}
	grid := ts.Grid(start, start.Add(7*time.Minute), time.Minute)
	ffill, _ := ts.Upsample(t, v, grid, ts.Fill{Policy: ts.FillForward, Limit: 2})
	lin, _ := ts.Upsample(t, v, grid, ts.Fill{Policy: ts.FillLinear})
	fmt.Println(ffill)
	fmt.Println(lin)
	// Output:
	// [10 10 10 NaN NaN 20 20]
	// [10 12 14 16 18 20 NaN]
}

func ExampleAlign() {
	perMinute := ts.Series{Times: minutes(0, 1, 2, 3, 4, 5), Values: []float64{1, 2, 3, 4, 5, 6}}
	per5Min := ts.Series{Times: minutes(0, 5), Values: []float64{100, 200}}
	grid, vals, _ := ts.Align(time.Minute, ts.Mean, ts.Fill{Policy: ts.FillForward, Limit: 4}, perMinute, per5Min)
	fmt.Println(len(grid), vals[0], vals[1])
	// Output: 6 [1 2 3 4 5 6] [100 100 100 100 100 200]
}

func ExampleAsOf() {
	deploys := minutes(2, 30)
	samples := minutes(0, 1, 3, 10)
	idx, _ := ts.AsOf(deploys, samples, ts.AsOfBackward, 5*time.Minute)
	fmt.Println(idx, ts.Take([]float64{5, 6, 7, 8}, idx))
	// Output: [1 -1] [6 NaN]
}

func ExampleTake() {
	fmt.Println(ts.Take([]float64{1.5, 2.5}, []int{1, -1, 0}))
	// Output: [2.5 NaN 1.5]
}

func ExampleShift() {
	fmt.Println(ts.Shift([]float64{1, 2, 3}, 1), ts.Shift([]float64{1, 2, 3}, -1))
	// Output: [NaN 1 2] [2 3 NaN]
}

func ExampleDiff() {
	fmt.Println(ts.Diff([]float64{1, 4, 9, 16}, 1))
	// Output: [NaN 3 5 7]
}

func ExamplePctChange() {
	fmt.Println(ts.PctChange([]float64{100, 150, 75}, 1))
	// Output: [NaN 0.5 -0.5]
}

func ExampleRate() {
	r, _ := ts.Rate(minutes(0, 1, 3), []float64{0, 600, 660})
	fmt.Println(r)
	// Output: [NaN 10 0.5]
}

func ExampleRollup() {
	t := minutes(0, 1, 60)
	avg := []float64{100, 400, 250}
	count := []float64{30, 10, 5}
	r, _ := ts.Rollup(t, avg, ts.RuleWeightedMean, ts.RollupOptions{
		ResampleOptions: ts.ResampleOptions{Period: time.Hour}, Stat: "Average", Weights: count})
	fmt.Println(r.Values, r.Weight) // (100·30 + 400·10) / 40 = 175, not (100+400)/2

	_, err := ts.Rollup(t, []float64{900, 3100, 800}, ts.RuleRefuse, ts.RollupOptions{
		ResampleOptions: ts.ResampleOptions{Period: time.Hour}, Stat: "p99", From: time.Minute})
	fmt.Println(errors.Is(err, ts.ErrNotRollable))
	fmt.Println(err)
	// Output:
	// [175 250] [40 5]
	// true
	// cannot roll up p99 from 1m0s periods to 1h0m0s: percentiles, IQM and percentage-bound TM/WM/TC/TS of a period cannot be derived from those of its sub-periods (the p99 of an hour lies somewhere between the smallest and the largest minute p99, nothing more); fetch p99 again with period 1h0m0s
}

func ExampleQuantile() {
	x := []float64{1, 2, 3, 4, math.NaN()}
	fmt.Println(ts.Quantile(x, 0.5, ts.Linear), ts.Quantile(x, 0.5, ts.Lower), ts.Quantile(x, 0.5, ts.Nearest))
	// Output: 2.5 2 3
}

func ExampleQuantiles() {
	q, n := ts.Quantiles([]float64{10, 20, math.NaN(), 30, 40, 50}, []float64{0.5, 0.9, 0.99}, ts.Linear)
	fmt.Println(q, n)
	// Output: [30 46 49.6] 5
}

func ExampleWeightedQuantile() {
	// Values+Counts as CloudWatch stores them: 200 ms seen 98 times, 3000 ms twice.
	p99, _ := ts.WeightedQuantile([]float64{200, 3000}, []float64{98, 2}, 0.99, ts.Linear)
	fmt.Println(p99)
	// Output: 3000
}

func ExampleParseEstimator() {
	e, _ := ts.ParseEstimator("median_unbiased")
	fmt.Println(e, ts.Quantile([]float64{1, 2, 3, 4}, 0.25, e))
	// Output: median_unbiased 1.4166666666666665
}

func ExampleMinSamples() {
	fmt.Println(ts.MinSamples(0.99), ts.MinSamples(0.999), ts.Significant(500, 0.99))
	// Output: 1000 10000 false
}

func ExampleSignificant() {
	fmt.Println(ts.Significant(20, 0.5), ts.Significant(19, 0.5))
	// Output: true false
}

func ExampleDescribe() {
	s := ts.Describe([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, math.NaN()})
	fmt.Println(s)
	fmt.Println("NaN:", s.NaN)
	// Output:
	// count=10 mean=5.5 std=3.028 min=1 p50=5.5 p90=9.1 p95=9.55 p99=9.91 p99.9=9.991 max=10
	// NaN: 1
}

func ExampleMAD() {
	x := []float64{1, 2, 3, 4, 100}
	fmt.Println(ts.MAD(x), ts.MAD(x)*ts.MADScale)
	// Output: 1 1.482602218505602
}

func ExampleQ() {
	fmt.Println(ts.Q(0.99), ts.Q(0.999), ts.Median)
	// Output: p99 p99.9 median
}

func ExampleParseAgg() {
	a, _ := ts.ParseAgg("p99.9")
	q, _ := a.Quantile()
	fmt.Println(a, q)
	// Output: p99.9 0.999
}

func ExampleRolling() {
	t := minutes(0, 1, 2, 3, 10)
	v := []float64{1, 2, 3, 4, 5}
	r, _ := ts.Rolling(t, v, ts.RollingOptions{Window: 3 * time.Minute}, ts.Mean, ts.Max)
	fmt.Println(r.Values[0], r.Values[1], r.Count)
	// Output: [1 1.5 2 3 5] [1 2 3 4 5] [1 2 3 3 1]
}

func ExampleEWM() {
	m, _ := ts.EWM(nil, []float64{1, 2, 3}, ts.EWMOptions{Alpha: 0.5})
	fmt.Printf("%.4f\n", m)
	// Output: [1.0000 1.6667 2.4286]
}

func ExampleFold() {
	// Two hours of per-minute latency with a spike in the first 5 minutes of every hour.
	var t []time.Time
	var v []float64
	for m := 0; m < 120; m++ {
		t = append(t, start.Add(time.Duration(m)*time.Minute))
		if m%60 < 5 {
			v = append(v, 3000)
		} else {
			v = append(v, 200)
		}
	}
	f, _ := ts.Fold(t, v, ts.MinuteOfHour, time.UTC, 0.99)
	for _, k := range []int{0, 4, 5, 30} {
		fmt.Println(f.Labels[k], f.Count[k], f.Mean[k], f.Quantiles[0][k])
	}
	// Output:
	// :00 2 3000 3000
	// :04 2 3000 3000
	// :05 2 200 200
	// :30 2 200 200
}

func ExampleFold2() {
	t := []time.Time{start.Add(9 * time.Hour), start.Add(33 * time.Hour), start.Add(33*time.Hour + time.Minute)}
	h, _ := ts.Fold2(t, []float64{1, 2, 4}, ts.HourOfDay, ts.DayOfWeek, time.UTC, ts.Mean)
	fmt.Println(h.Rows[9], h.Cols[:3], h.Values[9][:3], h.Count[9][:3])
	// Output: 09:00 [Mon Tue Wed] [1 3 NaN] [1 2 0]
}

func ExampleMannWhitney() {
	r, _ := ts.MannWhitney([]float64{1.1, 2.2, 3.3}, []float64{4.4, 5.5, 6.6, 7.7})
	fmt.Printf("U=%v p=%.4f exact=%v rank-biserial=%v\n", r.U, r.P, r.Exact, r.RankBiserial)
	// Output: U=0 p=0.0571 exact=true rank-biserial=-1
}

func ExampleCompare() {
	var top, rest []float64
	for i := 0; i < 200; i++ {
		x := float64(i % 50)
		top = append(top, 3000+10*x)
		rest = append(rest, 200+x, 190+x)
	}
	c, _ := ts.Compare(top, rest, ts.CompareOptions{Stat: ts.Q(0.99), Seed: 1})
	fmt.Println(c.Summary("at :00-:05", "the rest"))
	// Output: p99 is 14.1x higher at :00-:05 than the rest (95% CI 14-14.1), Mann-Whitney p < 1e-6
}

func ExampleComparison_Summary() {
	c := ts.Comparison{Stat: ts.Mean, A: 210, B: 200, Ratio: 1.05, RatioLo: 0.97, RatioHi: 1.12, Level: 0.95,
		MannWhitney: ts.MannWhitneyResult{P: 0.21}}
	fmt.Println(c.Summary("after the deploy", "before"))
	// Output: mean is about the same after the deploy as before (ratio 1.05, 95% CI 0.97-1.12), Mann-Whitney p = 0.21
}

func ExampleFormatP() {
	fmt.Println(ts.FormatP(0.0412), ts.FormatP(3.2e-5), ts.FormatP(1e-9))
	// Output: p = 0.041 p = 3.2e-05 p < 1e-6
}

func ExampleChangePoints() {
	v := []float64{200, 201, 199, 200, 202, 198, 450, 452, 449, 451, 450, 448}
	cps, _ := ts.ChangePoints(minutes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), v, ts.ChangePointOptions{})
	for _, c := range cps {
		fmt.Printf("at %s (index %d): %.0f -> %.0f\n", c.Time.Format("15:04"), c.Index, c.Before, c.After)
	}
	// Output: at 00:06 (index 6): 200 -> 450
}

func ExampleAnomalyBand() {
	t := minutes(0, 1, 2, 3, 4, 5, 6, 7)
	v := []float64{200, 205, 198, 202, 3000, 201, 199, 203}
	b, _ := ts.AnomalyBand(t, v, ts.BandOptions{Window: 5 * time.Minute, K: 3, MinPeriods: 3, Closed: ts.ClosedLeft})
	fmt.Println(b.Anomaly)
	// Output: [false false false false true false false false]
}

func ExampleQuality() {
	t := minutes(0, 1, 2, 6, 7, 8, 9)
	q, _ := ts.Quality(t, []float64{1, 1, 1, 1, 1, 1, 1}, ts.QualityOptions{})
	fmt.Println(q.InferredPeriod, q.Expected, q.Present, q.Density, q.LongestGap, q.LongestGapStart.Format("15:04"))
	// Output: 1m0s 10 7 0.7 3m0s 00:03
}

func ExampleSplit() {
	t := minutes(0, 4, 5, 59, 60, 61)
	top, rest, _ := ts.Split(t, []float64{1, 2, 3, 4, 5, 6}, ts.Hourly(0, 5*time.Minute).Contains)
	fmt.Println(top, rest)
	// Output: [1 2 5 6] [3 4]
}

func ExampleAggregated_Column() {
	r, _ := ts.Resample(minutes(0, 1, 5), []float64{1, 3, 10}, ts.ResampleOptions{Period: 5 * time.Minute}, ts.Mean, ts.Q(0.5))
	fmt.Println(r.Column(ts.Mean), r.Column(ts.Q(0.5)), r.Column(ts.Max) == nil)
	// Output: [2 10] [2 10] true
}

func ExampleMannWhitneyTest() {
	// Is the p99 during the first minutes of the hour greater than in the rest? U counts the
	// pairs (top > rest): 34 of 35 (2980 < 3000); 2 of the C(12, 5) = 792 arrangements have U ≥ 34.
	top := []float64{3100, 3350, 2980, 3420, 3200}
	rest := []float64{450, 480, 430, 3000, 470, 455, 440}
	r, _ := ts.MannWhitneyTest(top, rest, ts.MannWhitneyOptions{Alternative: ts.Greater, Method: ts.MethodExact})
	fmt.Printf("U=%v p=%.4f (%v, exact=%v)\n", r.U, r.P, r.Alternative, r.Exact)
	// Output: U=34 p=0.0025 (greater, exact=true)
}

func ExampleParseAlternative() {
	a, _ := ts.ParseAlternative("greater")
	m, _ := ts.ParseMethod("asymptotic")
	r, _ := ts.MannWhitneyTest([]float64{5, 6, 7, 8, 9}, []float64{1, 2, 3, 4, 5.5}, ts.MannWhitneyOptions{Alternative: a, Method: m})
	// U = 4 + 5·4 = 24 pairs with a > b; z = (24 − 25/2 − ½) / √(25/12 · 11) = 2.298.
	fmt.Printf("%v %v: U=%v z=%.3f\n", r.Alternative, m, r.U, r.Z)
	// Output: greater asymptotic: U=24 z=2.298
}
