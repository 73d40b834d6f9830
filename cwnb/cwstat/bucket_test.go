package cwstat

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// result is one computed statistic, for comparison with go-cmp.
type result struct {
	V  float64
	OK bool
}

var approx = cmp.Options{cmpopts.EquateNaNs(), cmpopts.EquateApprox(1e-9, 1e-9)}

func mustParse(t testing.TB, name string) Stat {
	t.Helper()
	s, err := Parse(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type wv struct{ v, c float64 }

func bucketOf(samples ...wv) *Bucket {
	var b Bucket
	for _, s := range samples {
		b.Add(s.v, s.c)
	}
	return &b
}

func ones(vs ...float64) []wv {
	out := make([]wv, len(vs))
	for i, v := range vs {
		out[i] = wv{v, 1}
	}
	return out
}

func TestCompute(t *testing.T) {
	nan := math.NaN()
	no := result{nan, false}
	one := func(v float64) result { return result{v, true} }
	oneTo10 := ones(10, 9, 8, 7, 6, 5, 4, 3, 2, 1) // deliberately unsorted
	tests := []struct {
		name    string
		samples []wv
		sets    []Set
		want    map[string]result
	}{
		{
			name: "empty",
			want: map[string]result{
				"Average": no, "Sum": no, "Minimum": no, "Maximum": no, "SampleCount": no,
				"p50": no, "TM(10%:90%)": no, "TC(:5)": no, "TS(:5)": no, "PR(:5)": no, "IQM": no, "WM(:5)": no,
			},
		},
		{
			name:    "one value",
			samples: ones(7),
			want: map[string]result{
				"Average": one(7), "Sum": one(7), "Minimum": one(7), "Maximum": one(7), "SampleCount": one(1),
				"p0": one(7), "p50": one(7), "p100": one(7), "IQM": one(7), "TM(10%:90%)": one(7),
				"TC(10%:90%)": one(0.8), "TS(10%:90%)": one(5.6), "WM(10%:90%)": one(7),
				"TC(:7)": one(1), "TC(7:)": one(0), "PR(:7)": one(100), "PR(7:)": one(0), "TM(7:)": no,
			},
		},
		{
			name:    "one to ten",
			samples: oneTo10,
			want: map[string]result{
				"Average": one(5.5), "Sum": one(55), "Minimum": one(1), "Maximum": one(10), "SampleCount": one(10),
				// Type 1: smallest x with at least p% of the values at or below it.
				"p0": one(1), "p10": one(1), "p10.01": one(2), "p50": one(5), "p90": one(9), "p99": one(10), "p100": one(10),
				// Textbook: drop the lowest and highest value.
				"TM(10%:90%)": one(5.5), "TC(10%:90%)": one(8), "TS(10%:90%)": one(44),
				"WM(10%:90%)": one((2 + 44 + 9) / 10.0),
				"tm90":        one(5), "TM(:90%)": one(5), "TM(20%:)": one(6.5), "tc90": one(9), "ts90": one(45),
				"wm90": one(5.4),
				// 25% of 10 is 2.5: half of the 3rd value and half of the 8th are kept.
				"IQM": one(5.5), "TC(25%:75%)": one(5),
				"TM(25%:50%)": one((0.5*3 + 4 + 5) / 2.5),
				// Absolute bounds: lower exclusive, upper inclusive.
				"TM(3:7)": one(5.5), "TC(3:7)": one(4), "TS(3:7)": one(22), "PR(3:7)": one(40),
				"PR(:300)": one(100), "PR(10:)": one(0), "TC(:0.5)": one(0), "TM(:0.5)": no,
				"WM(3:7)": one((3*3 + 4 + 5 + 6 + 7 + 7*3) / 10.0),
			},
		},
		{
			name:    "all equal",
			samples: ones(4, 4, 4, 4),
			want: map[string]result{
				"p1": one(4), "p99": one(4), "IQM": one(4), "WM(10%:90%)": one(4), "TC(:4)": one(4), "TC(4:)": one(0),
			},
		},
		{
			name:    "ties across a bound",
			samples: ones(1, 2, 2, 2, 3),
			want: map[string]result{
				"p20": one(1), "p21": one(2), "p80": one(2), "p81": one(3),
				"TM(20%:80%)": one(2), "TC(:2)": one(4), "PR(1:2)": one(60),
			},
		},
		{
			name:    "counts weigh like copies",
			samples: []wv{{200, 98}, {3000, 2}},
			want: map[string]result{
				"Average": one((200*98 + 6000) / 100.0), "SampleCount": one(100), "Sum": one(25600),
				"p98": one(200), "p98.5": one(3000), "p99": one(3000),
				"tm98": one(200), "TC(:98%)": one(98), "TM(1%:99%)": one((97*200 + 3000) / 98.0),
			},
		},
		{
			name:    "fractional counts are weights",
			samples: []wv{{1, 0.5}, {2, 1.5}},
			want: map[string]result{
				"SampleCount": one(2), "Sum": one(3.5), "Average": one(1.75),
				"p25": one(1), "p26": one(2), "TC(:50%)": one(1), "TM(:50%)": one(1.5), "TC(1:)": one(1.5),
			},
		},
		{
			// Statistics-definitions.html: none but the basic five over any negative value,
			// whatever the bounds (issue 11, item 4: Values [-5, 1, 2, 3]).
			name:    "negative value hides every statistic but the basic five",
			samples: ones(-5, 1, 2, 3),
			want: map[string]result{
				"Minimum": one(-5), "Sum": one(1), "Average": one(0.25), "SampleCount": one(4),
				"p50": no, "IQM": no, "TM(10%:90%)": no, "tc90": no,
				"TM(0:)": no, "PR(:2)": no, "TC(0:10)": no, "TS(0:10)": no, "WM(0:2)": no,
			},
		},
		{
			name: "set with Min=Max is raw values",
			sets: []Set{{SampleCount: 3, Sum: 30, Minimum: 10, Maximum: 10}, {SampleCount: 1, Sum: 50, Minimum: 50, Maximum: 50}},
			want: map[string]result{
				"SampleCount": one(4), "Sum": one(80), "p50": one(10), "p76": one(50), "TC(:10)": one(3),
			},
		},
		{
			// Issue 11, item 2: Min = Max but Sum ≠ Min·SampleCount is not raw values; its Sum
			// stands, and no percentile exists (Statistics-definitions.html).
			name: "set with Min=Max and another Sum keeps its Sum",
			sets: []Set{{SampleCount: 3, Sum: 100, Minimum: 5, Maximum: 5}},
			want: map[string]result{
				"SampleCount": one(3), "Sum": one(100), "Average": one(100.0 / 3), "Minimum": one(5), "Maximum": one(5),
				"p50": no, "IQM": no, "TC(:10)": no, "PR(:10)": no,
			},
		},
		{
			name: "set of 0.1 three times is raw values despite rounding",
			sets: []Set{{SampleCount: 3, Sum: 0.3, Minimum: 0.1, Maximum: 0.1}},
			want: map[string]result{"Sum": one(0.3), "p50": one(0.1), "TC(:1)": one(3)},
		},
		{
			name:    "opaque set",
			samples: ones(1, 2),
			sets:    []Set{{SampleCount: 4, Sum: 30, Minimum: 5, Maximum: 10}},
			want: map[string]result{
				"SampleCount": one(6), "Sum": one(33), "Average": one(5.5), "Minimum": one(1), "Maximum": one(10),
				"p50": no, "IQM": no, "TM(10%:90%)": no, "tc90": no,
				// Issue 11, item 3: CloudWatch needs raw data points for every statistic but
				// the basic five, absolute bounds included.
				"TC(:10)": no, "TS(:10)": no, "TM(:10)": no, "PR(2:)": no, "WM(5:10)": no,
			},
		},
		{
			name:    "ignored junk",
			samples: []wv{{math.NaN(), 1}, {math.Inf(1), 1}, {5, 0}, {5, -1}, {5, math.NaN()}, {3, 1}},
			sets:    []Set{{SampleCount: 0, Sum: 1, Minimum: 1, Maximum: 1}, {SampleCount: 2, Sum: math.NaN(), Minimum: 1, Maximum: 2}},
			want:    map[string]result{"SampleCount": one(1), "Sum": one(3), "p50": one(3)},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := bucketOf(tc.samples...)
			for _, s := range tc.sets {
				b.AddSet(s)
			}
			got := map[string]result{}
			for name := range tc.want {
				v, ok := b.Compute(mustParse(t, name))
				got[name] = result{v, ok}
			}
			if diff := cmp.Diff(tc.want, got, approx); diff != "" {
				t.Errorf("Compute (-want +got):\n%s", diff)
			}
		})
	}
}

// ---- Independent reference: expand counts into copies, sort, apply textbook definitions ----
// It deliberately shares no code with the package: ranks are exact rationals (math/big), the
// weights are copies, and the statistic is rebuilt from its name's numbers, not from Bucket.

type refBound struct {
	lo, hi       *big.Rat // percentages or values
	hasLo, hasHi bool
}

func ratOf(x float64) *big.Rat { return new(big.Rat).SetFloat64(x) }

// refPercentile is Hyndman–Fan type 1: x_(k) with k = ceil(p·n/100), at least 1.
func refPercentile(xs []float64, p float64) float64 {
	n := int64(len(xs))
	pos := new(big.Rat).Mul(ratOf(p), big.NewRat(n, 100))
	k := new(big.Int).Quo(pos.Num(), pos.Denom()) // floor, pos ≥ 0
	if !pos.IsInt() {
		k.Add(k, big.NewInt(1))
	}
	if k.Sign() == 0 {
		k.SetInt64(1)
	}
	return xs[k.Int64()-1]
}

// refRanked computes TM, WM, TC, TS over ranks (a%, b%] of sorted copies xs: copy j (1-based)
// occupies ranks (j-1, j] and keeps the part of that interval inside (L, U]. Exact rationals
// are used for the copies a bound cuts through; the others are wholly in or out.
func refRanked(kind Kind, xs []float64, a, b float64) (float64, bool) {
	n := int64(len(xs))
	L := new(big.Rat).Mul(ratOf(a), big.NewRat(n, 100))
	U := new(big.Rat).Mul(ratOf(b), big.NewRat(n, 100))
	floor := func(r *big.Rat) int64 { return new(big.Int).Quo(r.Num(), r.Denom()).Int64() } // r ≥ 0
	ceil := func(r *big.Rat) int64 {
		if r.IsInt() {
			return floor(r)
		}
		return floor(r) + 1
	}
	tc, ts := new(big.Rat), new(big.Rat)
	xlo := xs[min(floor(L), n-1)]        // the copy holding rank L⁺: j-1 ≤ L < j
	xhi := xs[max(min(ceil(U), n), 1)-1] // the copy holding rank U: j-1 < U ≤ j
	for j := int64(1); j <= n; j++ {
		if j <= floor(L) || j-1 >= ceil(U) {
			continue // wholly outside (L, U]
		}
		w := big.NewRat(1, 1)
		if j-1 < ceil(L) || j > floor(U) { // a bound cuts through (j-1, j]
			top, bot := big.NewRat(j, 1), big.NewRat(j-1, 1)
			if U.Cmp(top) < 0 {
				top = U
			}
			if L.Cmp(bot) > 0 {
				bot = L
			}
			w.Sub(top, bot)
			if w.Sign() <= 0 {
				continue
			}
		}
		tc.Add(tc, w)
		ts.Add(ts, new(big.Rat).Mul(w, ratOf(xs[j-1])))
	}
	f := func(r *big.Rat) float64 { v, _ := r.Float64(); return v }
	switch kind {
	case TrimmedCount:
		return f(tc), true
	case TrimmedSum:
		return f(ts), true
	case TrimmedMean:
		if tc.Sign() == 0 {
			return math.NaN(), false
		}
		return f(new(big.Rat).Quo(ts, tc)), true
	case WinsorizedMean:
		sum := new(big.Rat).Add(ts, new(big.Rat).Mul(L, ratOf(xlo)))
		sum.Add(sum, new(big.Rat).Mul(new(big.Rat).Sub(big.NewRat(n, 1), U), ratOf(xhi)))
		return f(sum.Quo(sum, big.NewRat(n, 1))), true
	}
	panic("refRanked: " + kind.String())
}

// refAbsolute computes TM, WM, TC, TS, PR over values (lo, hi] of copies xs.
func refAbsolute(kind Kind, xs []float64, lo, hi float64) (float64, bool) {
	var in []float64
	var clamped float64
	for _, x := range xs {
		if x > lo && x <= hi {
			in = append(in, x)
		}
		clamped += math.Min(math.Max(x, lo), hi)
	}
	var sum float64
	for _, x := range in {
		sum += x
	}
	switch kind {
	case TrimmedCount:
		return float64(len(in)), true
	case TrimmedSum:
		return sum, true
	case TrimmedMean:
		if len(in) == 0 {
			return math.NaN(), false
		}
		return sum / float64(len(in)), true
	case PercentileRank:
		return 100 * float64(len(in)) / float64(len(xs)), true
	case WinsorizedMean:
		return clamped / float64(len(xs)), true
	}
	panic("refAbsolute: " + kind.String())
}

// reference computes s over the copies xs (nil: empty bucket).
func reference(s Stat, xs []float64) (float64, bool) {
	if len(xs) == 0 {
		return math.NaN(), false
	}
	xs = slices.Clone(xs)
	slices.Sort(xs)
	neg := xs[0] < 0
	var sum float64
	for _, x := range xs {
		sum += x
	}
	switch s.Kind {
	case Average:
		return sum / float64(len(xs)), true
	case Sum:
		return sum, true
	case Minimum:
		return xs[0], true
	case Maximum:
		return xs[len(xs)-1], true
	case SampleCount:
		return float64(len(xs)), true
	}
	// Statistics-definitions.html: no other statistic over a negative value.
	if neg {
		return math.NaN(), false
	}
	switch s.Kind {
	case Percentile:
		return refPercentile(xs, s.P), true
	case IQM:
		return refRanked(TrimmedMean, xs, 25, 75)
	}
	if s.Absolute {
		lo, hi := math.Inf(-1), math.Inf(1)
		if s.HasLo {
			lo = s.Lo
		}
		if s.HasHi {
			hi = s.Hi
		}
		return refAbsolute(s.Kind, xs, lo, hi)
	}
	a, b := 0.0, 100.0
	if s.HasLo {
		a = s.Lo
	}
	if s.HasHi {
		b = s.Hi
	}
	return refRanked(s.Kind, xs, a, b)
}

var refStats = []string{
	"Average", "Sum", "Minimum", "Maximum", "SampleCount",
	"p0", "p1", "p10", "p25", "p50", "p75", "p90", "p95", "p99", "p99.9", "p99.99", "p100", "p33.3333333333",
	"IQM", "tm99", "wm98", "tc90", "ts90", "TM(10%:90%)", "WM(10%:90%)", "TC(10%:90%)", "TS(10%:90%)",
	"TM(:95%)", "TM(5%:)", "WM(5%:)", "TM(0%:100%)", "WM(33.3%:66.7%)", "TC(0.1%:0.2%)", "TS(99%:)",
	"TM(150:1000)", "TC(:500)", "TS(500:)", "WM(100:900)", "PR(:300)", "PR(100:2000)", "TM(-5:5)",
	"PR(0:)", "TC(0.5:0.75)",
}

// TestComputeMatchesReference checks Compute on random weighted buckets against the
// brute-force reference over the expanded copies.
func TestComputeMatchesReference(t *testing.T) {
	stats := make([]Stat, len(refStats))
	for i, name := range refStats {
		stats[i] = mustParse(t, name)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	shapes := []struct {
		name       string
		n          int
		maxCount   int
		negative   bool
		fewDistict bool
	}{
		{"1 value", 1, 1, false, false},
		{"2 values", 2, 3, false, false},
		{"10 values count 1", 10, 1, false, false},
		{"30 weighted", 30, 5, false, false},
		{"150 weighted ties", 150, 20, false, true},
		{"40 with negatives", 40, 3, true, false},
		{"7 heavy counts", 7, 100, false, false},
	}
	for _, sh := range shapes {
		for trial := range 12 {
			t.Run(fmt.Sprintf("%s/%d", sh.name, trial), func(t *testing.T) {
				var b Bucket
				var copies []float64
				for range sh.n {
					v := float64(rng.IntN(2000)) / 2
					if sh.fewDistict {
						v = float64(rng.IntN(5) * 100)
					}
					if sh.negative {
						v -= 100
					}
					c := 1 + rng.IntN(sh.maxCount)
					b.Add(v, float64(c))
					for range c {
						copies = append(copies, v)
					}
				}
				out, ok := make([]float64, len(stats)), make([]bool, len(stats))
				b.ComputeAll(stats, out, ok)
				got, want := map[string]result{}, map[string]result{}
				for i, s := range stats {
					got[refStats[i]] = result{out[i], ok[i]}
					v, k := reference(s, copies)
					want[refStats[i]] = result{v, k}
				}
				if diff := cmp.Diff(want, got, approx); diff != "" {
					t.Errorf("ComputeAll vs reference (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestResetReuses checks that a reused bucket forgets everything, sorted or not.
func TestResetReuses(t *testing.T) {
	var b Bucket
	b.Add(5, 1)
	b.Add(1, 1)
	b.AddSet(Set{SampleCount: 2, Sum: 3, Minimum: 1, Maximum: 2})
	b.Add(-3, 1)
	if v, ok := b.Compute(Stat{Kind: Percentile, P: 50}); ok {
		t.Fatalf("p50 with a set and a negative value = %v, want no value", v)
	}
	b.Reset()
	if v, ok := b.Compute(Stat{Kind: SampleCount}); ok {
		t.Fatalf("SampleCount after Reset = %v, want no value", v)
	}
	b.Add(9, 1)
	b.Add(8, 1)
	got := make([]result, 0, 4)
	for _, name := range []string{"p50", "Minimum", "SampleCount", "Sum"} {
		v, ok := b.Compute(mustParse(t, name))
		got = append(got, result{v, ok})
	}
	want := []result{{8, true}, {8, true}, {2, true}, {17, true}}
	if diff := cmp.Diff(want, got, approx); diff != "" {
		t.Errorf("after Reset (-want +got):\n%s", diff)
	}
	// Adding after a Compute keeps the bucket consistent.
	b.Add(1, 1)
	if v, ok := b.Compute(mustParse(t, "p34")); v != 8 || !ok {
		t.Errorf("p34 after adding a smaller value = %v, %v; want 8, true", v, ok)
	}
	b.Add(100, 2)
	if v, ok := b.Compute(mustParse(t, "p61")); v != 100 || !ok {
		t.Errorf("p61 after adding a larger value = %v, %v; want 100, true", v, ok)
	}
}

func TestComputeAllShortOutputPanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Error("ComputeAll with a short out slice did not panic")
		}
	}()
	var b Bucket
	b.ComputeAll(Basic(), make([]float64, 2), make([]bool, 5))
}

func TestComputeAllocs(t *testing.T) {
	stats := []Stat{mustParse(t, "Average"), mustParse(t, "p99"), mustParse(t, "TM(10%:90%)")}
	out, ok := make([]float64, len(stats)), make([]bool, len(stats))
	var b Bucket
	rng := rand.New(rand.NewPCG(3, 4))
	fill := func() {
		b.Reset()
		for range 100 {
			b.Add(float64(rng.IntN(5000)), float64(1+rng.IntN(10)))
		}
		b.ComputeAll(stats, out, ok)
	}
	fill()
	if n := testing.AllocsPerRun(50, fill); n != 0 {
		t.Errorf("Reset+Add+ComputeAll allocates %v times per period, want 0", n)
	}
}

// TestMergeSort checks the bucket's sort on every path: natural runs (few long ascending
// datums), fixed insertion-sorted blocks (short runs), sizes around the block length, and ties.
func TestMergeSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{0, 1, 2, 3, 15, 16, 17, 31, 32, 33, 100, 150, 257, 1000} {
		for _, runs := range []int{1, 2, 3, 5, 8, 60, n} {
			t.Run(fmt.Sprintf("n=%d/runs=%d", n, runs), func(t *testing.T) {
				var b Bucket
				var want []wv
				for r := range max(runs, 1) {
					lo, hi := r*n/max(runs, 1), (r+1)*n/max(runs, 1)
					chunk := make([]wv, hi-lo)
					for i := range chunk {
						chunk[i] = wv{float64(rng.IntN(50)), float64(i)}
					}
					slices.SortFunc(chunk, func(a, b wv) int { return cmpFloat(a.v, b.v) })
					for _, s := range chunk {
						b.Add(s.v, s.c+1)
						want = append(want, wv{s.v, s.c + 1})
					}
				}
				b.sortRaw()
				got := make([]wv, len(b.raw))
				for i, s := range b.raw {
					got[i] = wv{s.v, s.c}
				}
				if !slices.IsSortedFunc(got, func(a, b wv) int { return cmpFloat(a.v, b.v) }) {
					t.Fatalf("not sorted: %v", got)
				}
				byBoth := func(a, b wv) int {
					if c := cmpFloat(a.v, b.v); c != 0 {
						return c
					}
					return cmpFloat(a.c, b.c)
				}
				slices.SortFunc(got, byBoth)
				slices.SortFunc(want, byBoth)
				if diff := cmp.Diff(want, got, cmp.AllowUnexported(wv{}), cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("sorted samples are not a permutation of the input (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestInterleavedAddCompute checks that computing between Adds (sorted in between, runs
// recorded after a sort) gives what computing once at the end gives.
func TestInterleavedAddCompute(t *testing.T) {
	stats := make([]Stat, len(refStats))
	for i, name := range refStats {
		stats[i] = mustParse(t, name)
	}
	rng := rand.New(rand.NewPCG(9, 10))
	for trial := range 15 {
		var b Bucket
		var copies []float64
		for step := range 1 + rng.IntN(6) {
			for range 1 + rng.IntN(40) {
				v, c := float64(rng.IntN(300)), 1+rng.IntN(4)
				b.Add(v, float64(c))
				for range c {
					copies = append(copies, v)
				}
			}
			for i, s := range stats {
				gv, gok := b.Compute(s)
				wv, wok := reference(s, copies)
				if diff := cmp.Diff(result{wv, wok}, result{gv, gok}, approx); diff != "" {
					t.Errorf("trial %d step %d %s (-want +got):\n%s", trial, step, refStats[i], diff)
				}
			}
		}
	}
}

// TestFractionalCounts checks that counts act as weights: scaling every count by the same
// factor, integer or not, leaves every rank statistic and mean unchanged and scales the counts
// and sums (SampleCount, Sum, TC, TS) by the factor.
func TestFractionalCounts(t *testing.T) {
	stats := make([]Stat, len(refStats))
	for i, name := range refStats {
		stats[i] = mustParse(t, name)
	}
	rng := rand.New(rand.NewPCG(11, 12))
	for _, k := range []float64{0.5, 0.1, 1.0 / 3, 2.5, 1e6} {
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			var unit, scaled Bucket
			for range 60 {
				v, c := float64(rng.IntN(1000)), float64(1+rng.IntN(9))
				unit.Add(v, c)
				scaled.Add(v, c*k)
			}
			for i, s := range stats {
				wv, wok := unit.Compute(s)
				switch s.Kind {
				case SampleCount, Sum, TrimmedCount, TrimmedSum:
					wv *= k
				}
				gv, gok := scaled.Compute(s)
				if diff := cmp.Diff(result{wv, wok}, result{gv, gok}, cmpopts.EquateNaNs(), cmpopts.EquateApprox(1e-9, 1e-9)); diff != "" {
					t.Errorf("%s with counts ×%v (-want +got):\n%s", refStats[i], k, diff)
				}
			}
		})
	}
}

// TestIdentities checks relations CloudWatch's definitions imply, on random buckets.
func TestIdentities(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	get := func(b *Bucket, name string) float64 {
		v, ok := b.Compute(mustParse(t, name))
		if !ok {
			t.Fatalf("%s has no value", name)
		}
		return v
	}
	for trial := range 50 {
		var b Bucket
		for range 1 + rng.IntN(80) {
			b.Add(float64(rng.IntN(500)), float64(1+rng.IntN(5)))
		}
		pairs := [][2]float64{
			{get(&b, "TM(0%:100%)"), get(&b, "Average")},
			{get(&b, "WM(0%:100%)"), get(&b, "Average")},
			{get(&b, "TC(0%:100%)"), get(&b, "SampleCount")},
			{get(&b, "TS(0%:100%)"), get(&b, "Sum")},
			{get(&b, "p0"), get(&b, "Minimum")},
			{get(&b, "p100"), get(&b, "Maximum")},
			{get(&b, "IQM"), get(&b, "TM(25%:75%)")},
			{get(&b, "TS(10%:90%)"), get(&b, "TM(10%:90%)") * get(&b, "TC(10%:90%)")},
			{get(&b, "TC(10%:90%)"), 0.8 * get(&b, "SampleCount")},
			{get(&b, "TS(:250)") + get(&b, "TS(250:)"), get(&b, "Sum")},
			{get(&b, "PR(:250)") + get(&b, "PR(250:)"), 100},
			{get(&b, "PR(:250)"), 100 * get(&b, "TC(:250)") / get(&b, "SampleCount")},
			{get(&b, "TC(:99.5%)"), 0.995 * get(&b, "SampleCount")},
		}
		for i, p := range pairs {
			if diff := cmp.Diff(p[0], p[1], cmpopts.EquateApprox(1e-9, 1e-9)); diff != "" {
				t.Errorf("trial %d identity %d (-lhs +rhs):\n%s", trial, i, diff)
			}
		}
		// WM's clamps are the percentiles at its bounds: WM lies between p10 and p90.
		if wm, lo, hi := get(&b, "WM(10%:90%)"), get(&b, "p10"), get(&b, "p90"); wm < lo || wm > hi {
			t.Errorf("trial %d: WM(10%%:90%%) = %v outside [p10, p90] = [%v, %v]", trial, wm, lo, hi)
		}
	}
}

// TestAddSet checks how statistic sets enter a bucket: Min=Max with Sum=Min·SampleCount becomes
// raw values exactly as Add would, anything else is summarized only.
func TestAddSet(t *testing.T) {
	stats := make([]Stat, len(refStats))
	for i, name := range refStats {
		stats[i] = mustParse(t, name)
	}
	var viaSet, viaAdd Bucket
	viaSet.AddSet(Set{SampleCount: 1, Sum: 42, Minimum: 42, Maximum: 42})
	viaSet.AddSet(Set{SampleCount: 7, Sum: 70, Minimum: 10, Maximum: 10})
	viaAdd.Add(42, 1)
	viaAdd.Add(10, 7)
	for i, s := range stats {
		wv, wok := viaAdd.Compute(s)
		gv, gok := viaSet.Compute(s)
		if diff := cmp.Diff(result{wv, wok}, result{gv, gok}, approx); diff != "" {
			t.Errorf("%s: sets with Minimum=Maximum vs raw values (-want +got):\n%s", refStats[i], diff)
		}
	}
	// A set given with Minimum and Maximum swapped is still summarized sensibly.
	var b Bucket
	b.AddSet(Set{SampleCount: 2, Sum: 30, Minimum: 20, Maximum: 10})
	got := []result{}
	for _, name := range []string{"Minimum", "Maximum", "Average", "p50", "TC(:20)", "TC(:15)"} {
		v, ok := b.Compute(mustParse(t, name))
		got = append(got, result{v, ok})
	}
	want := []result{{10, true}, {20, true}, {15, true}, {math.NaN(), false}, {math.NaN(), false}, {math.NaN(), false}}
	if diff := cmp.Diff(want, got, approx); diff != "" {
		t.Errorf("swapped set (-want +got):\n%s", diff)
	}
	if got := b.Len(); got != 2 {
		t.Errorf("Len = %v, want 2", got)
	}
}

// TestHandBuiltStats checks that stats not from Parse compute without panicking.
func TestHandBuiltStats(t *testing.T) {
	var b Bucket
	b.Add(1, 1)
	b.Add(5, 3)
	got := []result{}
	for _, s := range []Stat{
		{},               // zero Kind
		{Kind: Kind(99)}, // unknown Kind
		{Kind: PercentileRank, Hi: 3, HasHi: true}, // PR without Absolute: bounds are values
		{Kind: Percentile, P: 150},                 // out of range: clamps to the maximum
		{Kind: TrimmedMean, Lo: 90, Hi: 10, HasLo: true, HasHi: true},
		{Kind: TrimmedCount, Lo: 90, Hi: 10, HasLo: true, HasHi: true},
	} {
		v, ok := b.Compute(s)
		got = append(got, result{v, ok})
	}
	nan := math.NaN()
	want := []result{{nan, false}, {nan, false}, {25, true}, {5, true}, {nan, false}, {0, true}}
	if diff := cmp.Diff(want, got, approx); diff != "" {
		t.Errorf("hand-built stats (-want +got):\n%s", diff)
	}
}

// TestAddValues checks that AddValues is Add in a loop, junk included.
func TestAddValues(t *testing.T) {
	stats := make([]Stat, len(refStats))
	for i, name := range refStats {
		stats[i] = mustParse(t, name)
	}
	tests := []struct {
		name           string
		values, counts []float64
	}{
		{"nil counts", []float64{5, 1, 3, 3, 9}, nil},
		{"counts", []float64{1, 2, 3, 10, 4}, []float64{1, 0.5, 7, 1, 2}},
		{"junk skipped", []float64{math.NaN(), 2, math.Inf(-1), 8, 1}, []float64{1, 1, 1, math.Inf(1), 0}},
		{"empty", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var bulk, loop Bucket
			// A datum already in the bucket checks that run detection spans calls.
			bulk.Add(4, 1)
			loop.Add(4, 1)
			bulk.AddValues(tc.values, tc.counts)
			for i, v := range tc.values {
				c := 1.0
				if tc.counts != nil {
					c = tc.counts[i]
				}
				loop.Add(v, c)
			}
			for i, s := range stats {
				wv, wok := loop.Compute(s)
				gv, gok := bulk.Compute(s)
				if diff := cmp.Diff(result{wv, wok}, result{gv, gok}, approx); diff != "" {
					t.Errorf("%s (-Add +AddValues):\n%s", refStats[i], diff)
				}
			}
		})
	}
	defer func() {
		if recover() == nil {
			t.Error("AddValues with mismatched lengths did not panic")
		}
	}()
	var b Bucket
	b.AddValues([]float64{1, 2}, []float64{1})
}

// FuzzCompute checks Compute against the brute-force reference on fuzzed buckets: each pair
// of bytes is a value (-8..247, so negatives occur) and a count (1..4).
func FuzzCompute(f *testing.F) {
	f.Add([]byte{10, 0, 20, 1, 30, 2})
	f.Add([]byte{0, 0})
	f.Add([]byte{200, 3, 200, 3, 7, 0, 9, 1, 1, 2, 250, 0})
	f.Add([]byte{3, 0, 2, 0, 1, 0})
	stats := make([]Stat, len(refStats))
	for i, name := range refStats {
		stats[i] = mustParse(f, name)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 400 {
			data = data[:400]
		}
		var b Bucket
		var copies []float64
		for i := 0; i+1 < len(data); i += 2 {
			v, c := float64(int(data[i])-8), 1+int(data[i+1]%4)
			b.Add(v, float64(c))
			for range c {
				copies = append(copies, v)
			}
		}
		for i, s := range stats {
			gv, gok := b.Compute(s)
			wv, wok := reference(s, copies)
			if diff := cmp.Diff(result{wv, wok}, result{gv, gok}, approx); diff != "" {
				t.Errorf("%s over %v (-want +got):\n%s", refStats[i], copies, diff)
			}
		}
	})
}
