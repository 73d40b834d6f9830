package ts

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The golden files come from pandas/numpy/scipy via testdata/gen_golden.py; these tests only
// read them (regenerate with /usr/bin/python3 testdata/gen_golden.py, never from Go).

// F is a float64 in a golden file: null is NaN, "inf"/"-inf" are infinities.
type F float64

func (f *F) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "null":
		*f = F(math.NaN())
		return nil
	case `"inf"`:
		*f = F(math.Inf(1))
		return nil
	case `"-inf"`:
		*f = F(math.Inf(-1))
		return nil
	}
	var x float64
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*f = F(x)
	return nil
}

func fs(x []F) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

func times(ns []int64) []time.Time {
	out := make([]time.Time, len(ns))
	for i, n := range ns {
		out[i] = time.Unix(0, n).UTC()
	}
	return out
}

func loadGolden(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("%v (regenerate with: cd testdata && /usr/bin/python3 gen_golden.py)", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// approx compares floats with NaN equal to NaN and a relative tolerance.
func approx(rel float64) cmp.Option {
	return cmp.Options{cmpopts.EquateNaNs(), cmpopts.EquateApprox(rel, 1e-9)}
}

func TestGoldenQuantiles(t *testing.T) {
	var g struct {
		Quantiles []struct {
			Name string
			X    []F
			Qs   []float64
			Want map[string][]F
		}
		Weighted []struct {
			Name string
			X, W []F
			Qs   []float64
			Want map[string][]F
		}
		Describe []struct {
			Name                                          string
			X                                             []F
			Count                                         int
			Mean, Std, Min, P50, P90, P95, P99, P999, Max F
		}
		MAD []struct {
			Name      string
			X         []F
			MAD       F `json:"mad"`
			MADNormal F `json:"mad_normal"`
		} `json:"mad"`
	}
	loadGolden(t, "golden_quantile.json", &g)
	for _, c := range g.Quantiles {
		for m, want := range c.Want {
			t.Run(c.Name+"/"+m, func(t *testing.T) {
				e, err := ParseEstimator(m)
				if err != nil {
					t.Fatal(err)
				}
				x := fs(c.X)
				before := append([]float64(nil), x...)
				got, n := Quantiles(x, c.Qs, e)
				if diff := cmp.Diff(fs(want), got, approx(1e-12)); diff != "" {
					t.Errorf("Quantiles(%v) mismatch (-numpy +got):\n%s", c.Qs, diff)
				}
				if diff := cmp.Diff(before, x, cmpopts.EquateNaNs(), cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("input modified:\n%s", diff)
				}
				nonNaN := 0
				for _, v := range x {
					if v == v {
						nonNaN++
					}
				}
				if n != nonNaN {
					t.Errorf("n = %d, want %d", n, nonNaN)
				}
				for i, q := range c.Qs {
					if got := Quantile(x, q, e); !cmp.Equal(got, float64(want[i]), approx(1e-12)) {
						t.Errorf("Quantile(q=%v) = %v, want %v", q, got, want[i])
					}
				}
			})
		}
	}
	for _, c := range g.Weighted {
		for m, want := range c.Want {
			t.Run("weighted/"+c.Name+"/"+m, func(t *testing.T) {
				e, _ := ParseEstimator(m)
				for i, q := range c.Qs {
					got, err := WeightedQuantile(fs(c.X), fs(c.W), q, e)
					if err != nil {
						t.Fatal(err)
					}
					if !cmp.Equal(got, float64(want[i]), approx(1e-12)) {
						t.Errorf("q=%v: got %v, numpy on repeated values %v", q, got, want[i])
					}
				}
			})
		}
	}
	for _, c := range g.Describe {
		t.Run("describe/"+c.Name, func(t *testing.T) {
			got := Describe(fs(c.X))
			want := Summary{Count: c.Count, NaN: len(c.X) - c.Count, Mean: float64(c.Mean), Std: float64(c.Std),
				Min: float64(c.Min), P50: float64(c.P50), P90: float64(c.P90), P95: float64(c.P95),
				P99: float64(c.P99), P999: float64(c.P999), Max: float64(c.Max)}
			if diff := cmp.Diff(want, got, approx(1e-12)); diff != "" {
				t.Errorf("Describe mismatch (-pandas +got):\n%s", diff)
			}
		})
	}
	for _, c := range g.MAD {
		t.Run("mad/"+c.Name, func(t *testing.T) {
			got := MAD(fs(c.X))
			if !cmp.Equal(got, float64(c.MAD), approx(1e-12)) {
				t.Errorf("MAD = %v, scipy %v", got, c.MAD)
			}
			if !cmp.Equal(got*MADScale, float64(c.MADNormal), approx(1e-12)) {
				t.Errorf("MAD·scale = %v, scipy %v", got*MADScale, c.MADNormal)
			}
		})
	}
}

func TestGoldenResample(t *testing.T) {
	var g struct {
		Aggs  []string
		Cases []struct {
			Name string
			T    []int64
			V    []F
			Opt  struct {
				Period, Offset int64
				Closed, Label  string
				Origin         string
			}
			Times []int64
			Want  map[string][]F
		}
	}
	loadGolden(t, "golden_resample.json", &g)
	for _, c := range g.Cases {
		t.Run(c.Name, func(t *testing.T) {
			opt := ResampleOptions{Period: time.Duration(c.Opt.Period) * time.Second, Offset: time.Duration(c.Opt.Offset) * time.Second}
			if c.Opt.Closed == "right" {
				opt.Closed = ClosedRight
			}
			if c.Opt.Label == "right" {
				opt.Label = LabelRight
			}
			switch c.Opt.Origin {
			case "start":
				opt.Origin = OriginStart
			case "start_day":
				opt.Origin = OriginStartDay
			}
			aggs := make([]Agg, len(g.Aggs))
			for i, name := range g.Aggs {
				a, err := ParseAgg(name)
				if err != nil {
					t.Fatal(err)
				}
				aggs[i] = a
			}
			v := fs(c.V)
			r, err := Resample(times(c.T), v, opt, aggs...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(times(c.Times), r.Times); diff != "" {
				t.Fatalf("labels mismatch (-pandas +got):\n%s", diff)
			}
			for i, name := range g.Aggs {
				if diff := cmp.Diff(fs(c.Want[name]), r.Values[i], approx(1e-11)); diff != "" {
					t.Errorf("%s mismatch (-pandas +got):\n%s", name, diff)
				}
			}
			nan := 0
			for _, x := range v {
				if x != x {
					nan++
				}
			}
			if r.NaN != nan {
				t.Errorf("NaN = %d, want %d", r.NaN, nan)
			}
		})
	}
}

func TestGoldenRolling(t *testing.T) {
	var g struct {
		Aggs  []string
		Cases []struct {
			Name       string
			T          []int64
			V          []F
			Window     int64
			Closed     string
			MinPeriods int `json:"min_periods"`
			Want       map[string][]F
		}
		EWM []struct {
			Name string
			T    []int64
			V    []F
			Opt  struct {
				Span, Alpha, Halflife, Com float64
				Adjust                     *bool
				IgnoreNA                   bool  `json:"ignore_na"`
				MinPeriods                 int   `json:"min_periods"`
				HalflifeTime               int64 `json:"halflife_time"`
			}
			Want []F
		} `json:"ewm"`
		Band []struct {
			Name        string
			T           []int64
			V           []F
			Window      int64
			Closed      string
			Median, MAD []F
		}
	}
	loadGolden(t, "golden_rolling.json", &g)
	closed := map[string]Closed{"right": ClosedRight, "left": ClosedLeft, "both": ClosedBoth, "neither": ClosedNeither}
	for _, c := range g.Cases {
		t.Run(c.Name, func(t *testing.T) {
			aggs := make([]Agg, len(g.Aggs))
			for i, name := range g.Aggs {
				aggs[i], _ = ParseAgg(name)
			}
			opt := RollingOptions{Window: time.Duration(c.Window) * time.Second, Closed: closed[c.Closed], MinPeriods: c.MinPeriods}
			// Counts, sums, means and standard deviations alone take the one-pass path: each on
			// its own and together must match pandas too.
			for _, fast := range [][]string{{"sum"}, {"mean"}, {"std"}, {"count", "std", "mean", "sum", "mean"}} {
				var fa []Agg
				for _, name := range fast {
					a, _ := ParseAgg(name)
					fa = append(fa, a)
				}
				r, err := Rolling(times(c.T), fs(c.V), opt, fa...)
				if err != nil {
					t.Fatal(err)
				}
				for i, name := range fast {
					want, got := fs(c.Want[name]), r.Values[i]
					if name == "count" {
						got = slices.Clone(got)
						for j := range got {
							if want[j] != want[j] {
								got[j] = math.NaN()
							}
						}
					}
					if diff := cmp.Diff(want, got, approx(1e-9)); diff != "" {
						t.Errorf("one-pass %v: %s mismatch (-pandas +got):\n%s", fast, name, diff)
					}
				}
			}
			r, err := Rolling(times(c.T), fs(c.V), opt, aggs...)
			if err != nil {
				t.Fatal(err)
			}
			for i, name := range g.Aggs {
				want := fs(c.Want[name])
				got := r.Values[i]
				if name == "count" {
					// pandas applies min_periods to count too; Count ignores it. Compare where pandas has a value.
					got = append([]float64(nil), got...)
					for j := range got {
						if want[j] != want[j] {
							got[j] = math.NaN()
						}
					}
				}
				if diff := cmp.Diff(want, got, approx(1e-9)); diff != "" {
					t.Errorf("%s mismatch (-pandas +got):\n%s", name, diff)
				}
			}
		})
	}
	for _, c := range g.EWM {
		t.Run("ewm/"+c.Name, func(t *testing.T) {
			o := EWMOptions{Span: c.Opt.Span, Alpha: c.Opt.Alpha, HalfLife: c.Opt.Halflife, Com: c.Opt.Com,
				IgnoreNA: c.Opt.IgnoreNA, MinPeriods: c.Opt.MinPeriods, HalfLifeTime: time.Duration(c.Opt.HalflifeTime) * time.Second}
			if c.Opt.Adjust != nil && !*c.Opt.Adjust {
				o.NoAdjust = true
			}
			var ts []time.Time
			if c.T != nil {
				ts = times(c.T)
			}
			got, err := EWM(ts, fs(c.V), o)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(fs(c.Want), got, approx(1e-12)); diff != "" {
				t.Errorf("mismatch (-pandas +got):\n%s", diff)
			}
		})
	}
	for _, c := range g.Band {
		t.Run("band/"+c.Name, func(t *testing.T) {
			v := fs(c.V)
			b, err := AnomalyBand(times(c.T), v, BandOptions{Window: time.Duration(c.Window) * time.Second, Closed: closed[c.Closed]})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(fs(c.Median), b.Median, approx(1e-12)); diff != "" {
				t.Errorf("median mismatch (-pandas +got):\n%s", diff)
			}
			if diff := cmp.Diff(fs(c.MAD), b.MAD, approx(1e-12)); diff != "" {
				t.Errorf("MAD mismatch (-pandas/scipy +got):\n%s", diff)
			}
			for i, x := range v {
				m, s := float64(c.Median[i]), float64(c.MAD[i])
				want := x == x && m == m && math.Abs(x-m) > 3*s
				if b.Anomaly[i] != want {
					t.Errorf("point %d (%v, median %v, MAD %v): anomaly = %v, want %v", i, x, m, s, b.Anomaly[i], want)
				}
			}
		})
	}
}

func TestGoldenAlign(t *testing.T) {
	var g struct {
		SourceT []int64 `json:"source_t"`
		SourceV []F     `json:"source_v"`
		Grid    []int64
		Fill    []struct {
			Name, Policy string
			Limit        int
			MaxGap       int64 `json:"max_gap"`
			Want         []F
		}
		Left, Right []int64
		AsOf        []struct {
			Name, Direction string
			Tolerance       int64
			Want            []int
		} `json:"asof"`
		ShiftV []F `json:"shift_v"`
		Shift  []struct {
			N                      int
			Shift, Diff, PctChange []F `json:"-"`
			RawShift               []F `json:"shift"`
			RawDiff                []F `json:"diff"`
			RawPct                 []F `json:"pct_change"`
		}
	}
	loadGolden(t, "golden_align.json", &g)
	policies := map[string]FillPolicy{"nan": FillNaN, "zero": FillZero, "ffill": FillForward, "bfill": FillBackward, "linear": FillLinear}
	for _, c := range g.Fill {
		t.Run("fill/"+c.Name, func(t *testing.T) {
			got, err := Upsample(times(g.SourceT), fs(g.SourceV), times(g.Grid),
				Fill{Policy: policies[c.Policy], Limit: c.Limit, MaxGap: time.Duration(c.MaxGap) * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(fs(c.Want), got, approx(1e-12)); diff != "" {
				t.Errorf("mismatch (-pandas +got):\n%s", diff)
			}
		})
	}
	dirs := map[string]Direction{"backward": AsOfBackward, "forward": AsOfForward, "nearest": AsOfNearest}
	for _, c := range g.AsOf {
		t.Run("asof/"+c.Name, func(t *testing.T) {
			got, err := AsOf(times(g.Left), times(g.Right), dirs[c.Direction], time.Duration(c.Tolerance)*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.Want, got); diff != "" {
				t.Errorf("mismatch (-pandas merge_asof +got):\n%s", diff)
			}
		})
	}
	v := fs(g.ShiftV)
	for _, c := range g.Shift {
		t.Run("shift", func(t *testing.T) {
			if diff := cmp.Diff(fs(c.RawShift), Shift(v, c.N), approx(0)); diff != "" {
				t.Errorf("Shift(%d) (-pandas +got):\n%s", c.N, diff)
			}
			if diff := cmp.Diff(fs(c.RawDiff), Diff(v, c.N), approx(1e-15)); diff != "" {
				t.Errorf("Diff(%d) (-pandas +got):\n%s", c.N, diff)
			}
			if diff := cmp.Diff(fs(c.RawPct), PctChange(v, c.N), approx(1e-15)); diff != "" {
				t.Errorf("PctChange(%d) (-pandas +got):\n%s", c.N, diff)
			}
		})
	}
}

func TestGoldenFold(t *testing.T) {
	var g struct {
		T     []int64
		V     []F
		Folds []struct {
			Name, TZ, By   string
			Count          []int
			Mean, P50, P99 []F
		}
		Heatmaps []struct {
			Name, TZ, Rows, Cols, Agg string
			ColLabels                 []string `json:"col_labels"`
			Values                    [][]F
		}
	}
	loadGolden(t, "golden_fold.json", &g)
	by := map[string]FoldBy{"minute-of-hour": MinuteOfHour, "hour-of-day": HourOfDay, "day-of-week": DayOfWeek, "day": Day}
	for _, c := range g.Folds {
		t.Run(c.Name, func(t *testing.T) {
			loc, err := time.LoadLocation(c.TZ)
			if err != nil {
				t.Skipf("no tzdata: %v", err)
			}
			f, err := Fold(times(g.T), fs(g.V), by[c.By], loc, 0.5, 0.99)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.Count, f.Count); diff != "" {
				t.Errorf("count (-pandas +got):\n%s", diff)
			}
			if diff := cmp.Diff(fs(c.Mean), f.Mean, approx(1e-12)); diff != "" {
				t.Errorf("mean (-pandas +got):\n%s", diff)
			}
			if diff := cmp.Diff(fs(c.P50), f.Quantiles[0], approx(1e-12)); diff != "" {
				t.Errorf("p50 (-pandas +got):\n%s", diff)
			}
			if diff := cmp.Diff(fs(c.P99), f.Quantiles[1], approx(1e-12)); diff != "" {
				t.Errorf("p99 (-pandas +got):\n%s", diff)
			}
		})
	}
	for _, c := range g.Heatmaps {
		t.Run(c.Name, func(t *testing.T) {
			loc, err := time.LoadLocation(c.TZ)
			if err != nil {
				t.Skipf("no tzdata: %v", err)
			}
			agg, _ := ParseAgg(c.Agg)
			h, err := Fold2(times(g.T), fs(g.V), by[c.Rows], by[c.Cols], loc, agg)
			if err != nil {
				t.Fatal(err)
			}
			want := make([][]float64, len(c.Values))
			for i, row := range c.Values {
				want[i] = fs(row)
			}
			if diff := cmp.Diff(want, h.Values, approx(1e-12)); diff != "" {
				t.Errorf("values (-pandas pivot_table +got):\n%s", diff)
			}
			if c.ColLabels != nil {
				if diff := cmp.Diff(c.ColLabels, h.Cols); diff != "" {
					t.Errorf("column labels (-pandas +got):\n%s", diff)
				}
			}
		})
	}
}

func TestGoldenHypothesis(t *testing.T) {
	var g struct {
		MannWhitney []struct {
			Name  string
			A, B  []F
			U, P  F
			Exact bool
		}
		Bootstrap struct {
			A, B  []F
			Level float64
			Cases []struct {
				Stat    string
				AValue  F    `json:"a_value"`
				BValue  F    `json:"b_value"`
				DiffCI  [2]F `json:"diff_ci"`
				RatioCI [2]F `json:"ratio_ci"`
				DiffSE  F    `json:"diff_se"`
				RatioSE F    `json:"ratio_se"`
			}
			MWP F `json:"mw_p"`
			MWU F `json:"mw_u"`
		}
	}
	loadGolden(t, "golden_tests.json", &g)
	for _, c := range g.MannWhitney {
		t.Run("mannwhitney/"+c.Name, func(t *testing.T) {
			r, err := MannWhitney(fs(c.A), fs(c.B))
			if err != nil {
				t.Fatal(err)
			}
			if r.U != float64(c.U) {
				t.Errorf("U = %v, scipy %v", r.U, c.U)
			}
			if !cmp.Equal(r.P, float64(c.P), approx(1e-9)) {
				t.Errorf("p = %v, scipy %v", r.P, c.P)
			}
			if r.Exact != c.Exact {
				t.Errorf("exact = %v, scipy's method=auto chose exact=%v", r.Exact, c.Exact)
			}
			mn := float64(len(c.A) * len(c.B))
			if want := 2*float64(c.U)/mn - 1; math.Abs(r.RankBiserial-want) > 1e-12 {
				t.Errorf("rank-biserial = %v, want %v", r.RankBiserial, want)
			}
		})
	}
	b := g.Bootstrap
	for _, c := range b.Cases {
		t.Run("bootstrap/"+c.Stat, func(t *testing.T) {
			agg, _ := ParseAgg(map[string]string{"p99": "p99", "mean": "mean", "median": "median"}[c.Stat])
			cmpr, err := Compare(fs(b.A), fs(b.B), CompareOptions{Stat: agg, Level: b.Level, Resamples: 4000, Seed: 7})
			if err != nil {
				t.Fatal(err)
			}
			if !cmp.Equal(cmpr.A, float64(c.AValue), approx(1e-12)) || !cmp.Equal(cmpr.B, float64(c.BValue), approx(1e-12)) {
				t.Errorf("statistics %v, %v; numpy %v, %v", cmpr.A, cmpr.B, c.AValue, c.BValue)
			}
			// Different random streams: the interval ends agree within a fraction of scipy's standard error.
			for _, e := range []struct {
				name     string
				got      float64
				want, se F
			}{
				{"diff lo", cmpr.DiffLo, c.DiffCI[0], c.DiffSE}, {"diff hi", cmpr.DiffHi, c.DiffCI[1], c.DiffSE},
				{"ratio lo", cmpr.RatioLo, c.RatioCI[0], c.RatioSE}, {"ratio hi", cmpr.RatioHi, c.RatioCI[1], c.RatioSE},
			} {
				if d := math.Abs(e.got - float64(e.want)); d > 0.25*float64(e.se) {
					t.Errorf("%s = %v, scipy %v (|diff| %v > 0.25·SE %v)", e.name, e.got, e.want, d, e.se)
				}
			}
			if !cmp.Equal(cmpr.MannWhitney.P, float64(b.MWP), approx(1e-9)) || cmpr.MannWhitney.U != float64(b.MWU) {
				t.Errorf("Mann-Whitney U=%v p=%v, scipy U=%v p=%v", cmpr.MannWhitney.U, cmpr.MannWhitney.P, b.MWU, b.MWP)
			}
		})
	}
}
