package metricmath

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var nan = math.NaN()

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) // a Thursday

// grid returns n timestamps from t0, step apart.
func grid(n int, step time.Duration) []time.Time {
	g := make([]time.Time, n)
	for i := range g {
		g[i] = t0.Add(time.Duration(i) * step)
	}
	return g
}

// testEnv builds an Env over a 60 s grid of n points. metrics lists the metric query ids (in
// request order); data holds every query's series.
func testEnv(n int, metrics []string, data map[string][]Series) *Env {
	return &Env{
		Grid:   grid(n, time.Minute),
		Period: time.Minute,
		Lookup: func(id string) ([]Series, bool) {
			s, ok := data[id]
			return s, ok
		},
		Metrics: func() []string { return metrics },
	}
}

func one(label string, v ...float64) []Series { return []Series{{Label: label, Values: v}} }

// baseEnv: m1 = [1 2 - 4 5], m2 = [10 - - 0 20], m3 = empty, m4 = [- 2 - - 8]; e1 is an
// expression with two series.
func baseEnv() *Env {
	return testEnv(5, []string{"m1", "m2", "m3"}, map[string][]Series{
		"m1": one("m1L", 1, 2, nan, 4, 5),
		"m2": one("m2L", 10, nan, nan, 0, 20),
		"m3": one("m3L", nan, nan, nan, nan, nan),
		"m4": one("m4L", nan, 2, nan, nan, 8),
		"e1": {{Label: "a", Values: []float64{1, 1, 1, 1, 1}}, {Label: "b", Values: []float64{2, nan, 2, nan, 2}}},
	})
}

var cmpOpts = []cmp.Option{cmpopts.EquateNaNs(), cmpopts.EquateApprox(0, 1e-12), cmpopts.EquateEmpty()}

func ts(label string, v ...float64) Series { return Series{Label: label, Values: v} }

func withArith(s Series) Series {
	s.Messages = []Message{ArithmeticError}
	return s
}

func TestEval(t *testing.T) {
	tests := []struct {
		name string
		expr string
		env  *Env // nil: baseEnv()
		want []Series
	}{
		{"series times scalar keeps label and gaps", "m1*2", nil, []Series{ts("m1L", 2, 4, nan, 8, 10)}},
		{"scalar minus series", "10 - m1", nil, []Series{ts("m1L", 9, 8, nan, 6, 5)}},
		{"unary minus", "-m1", nil, []Series{ts("m1L", -1, -2, nan, -4, -5)}},
		{"unary plus", "+m1", nil, []Series{ts("m1L", 1, 2, nan, 4, 5)}},
		// TS op TS: a missing value counts as 0 where the other series has one.
		{"series plus series", "m1+m2", nil, []Series{ts("", 11, 2, nan, 4, 25)}},
		{"series minus empty series", "m1-m3", nil, []Series{ts("", 1, 2, nan, 4, 5)}},
		// 2/missing = 2/0 and 4/0 are dropped with ArithmeticError; 1/10 and 5/20 stay.
		{"division by zero drops points", "m1/m2", nil, []Series{withArith(ts("", 0.1, nan, nan, nan, 0.25))}},
		{"zero numerator is fine", "m2/m1", nil, []Series{ts("", 10, 0, nan, 0, 4)}},
		{"scalar division by zero drops all", "m1/0", nil, []Series{withArith(ts("m1L", nan, nan, nan, nan, nan))}},
		{"precedence mul over add", "m1 - 2 * 3", nil, []Series{ts("m1L", -5, -4, nan, -2, -1)}},
		{"parentheses", "(m1 - 2) * 3", nil, []Series{ts("m1L", -3, 0, nan, 6, 9)}},
		{"power right associative", "m1*0 + 2^3^2", nil, []Series{ts("m1L", 512, 512, nan, 512, 512)}},
		{"power binds tighter than unary minus", "m1*0 + -2^2", nil, []Series{ts("m1L", -4, -4, nan, -4, -4)}},
		{"power of series", "m1^2", nil, []Series{ts("m1L", 1, 4, nan, 16, 25)}},
		{"left associative minus and divide", "m1*0 + 8/4/2 - 1 - 1", nil, []Series{ts("m1L", -1, -1, nan, -1, -1)}},
		{"AVG of series is a scalar", "m1 - AVG(m1)", nil, []Series{ts("m1L", -2, -1, nan, 1, 2)}},           // avg (1+2+4+5)/4 = 3
		{"MAX of series", "MAX(m1)/m1", nil, []Series{ts("m1L", 5, 2.5, nan, 1.25, 1)}},                      // max 5
		{"MIN and SUM of series", "m1*0 + SUM(m1) - MIN(m1)", nil, []Series{ts("m1L", 11, 11, nan, 11, 11)}}, // 12 - 1
		{"DATAPOINT_COUNT of series", "SUM(m1)/DATAPOINT_COUNT(m1) + m1*0", nil, []Series{ts("m1L", 3, 3, nan, 3, 3)}},
		{"SUM of array", "SUM([m1, m2])", nil, []Series{ts("", 11, 2, nan, 4, 25)}},
		// AVG over an array treats missing as 0: t1 (2+0)/2, t3 (4+0)/2.
		{"AVG of array", "AVG([m1, m2])", nil, []Series{ts("", 5.5, 1, nan, 2, 12.5)}},
		{"MIN of array", "MIN([m1, m2])", nil, []Series{ts("", 1, 2, nan, 0, 5)}},
		{"MAX of array", "MAX([m1, m2])", nil, []Series{ts("", 10, 2, nan, 4, 20)}},
		// STDDEV (population): m1's values 1 2 4 5 have mean 3 and squared deviations 4 1 1 4,
		// so √(10/4); across [m1, m2]: (1,10) → 4.5, (2) → 0, (4,0) → 2, (5,20) → 7.5.
		{"STDDEV of series", "m1*0 + STDDEV(m1)", nil, []Series{ts("m1L", 1.5811388300841898, 1.5811388300841898, nan, 1.5811388300841898, 1.5811388300841898)}},
		{"STDDEV of array", "STDDEV([m1, m2])", nil, []Series{ts("", 4.5, 0, nan, 2, 7.5)}},
		{"DATAPOINT_COUNT of array", "DATAPOINT_COUNT([m1, m2, m3])", nil, []Series{ts("", 2, 1, nan, 2, 2)}},
		{"SUM of array with one element", "SUM([m1])", nil, []Series{ts("", 1, 2, nan, 4, 5)}},
		{"nested arrays flatten", "SUM([m1, [m2, m1]])", nil, []Series{ts("", 12, 4, nan, 8, 30)}},
		{"FILL with number", "FILL(m1, 0)", nil, []Series{ts("m1L", 1, 2, 0, 4, 5)}},
		{"FILL empty series", "FILL(m3, 7)", nil, []Series{ts("m3L", 7, 7, 7, 7, 7)}},
		{"FILL REPEAT", "FILL(m2, REPEAT)", nil, []Series{ts("m2L", 10, 10, 10, 0, 20)}},
		{"FILL REPEAT leading gap stays", "FILL(m4, REPEAT)", nil, []Series{ts("m4L", nan, 2, 2, 2, 8)}},
		{"FILL LINEAR", "FILL(m4, LINEAR)", nil, []Series{ts("m4L", nan, 2, 4, 6, 8)}},
		{"FILL with series", "FILL(m4, m1)", nil, []Series{ts("m4L", 1, 2, nan, 4, 8)}},
		{"FILL with scalar expression", "FILL(m4, MIN(m1))", nil, []Series{ts("m4L", 1, 2, 1, 1, 8)}},
		{"FILL of METRICS", "FILL(METRICS(), 0)", nil, []Series{
			ts("m1L", 1, 2, 0, 4, 5), ts("m2L", 10, 0, 0, 0, 20), ts("m3L", 0, 0, 0, 0, 0)}},
		// RATE divides by the seconds between consecutive datapoints: 60, 120, 60.
		{"RATE", "RATE(m1)", nil, []Series{ts("m1L", nan, 1.0/60, nan, 2.0/120, 1.0/60)}},
		{"DIFF", "DIFF(m1)", nil, []Series{ts("m1L", nan, 1, nan, 2, 1)}},
		{"DIFF_TIME", "DIFF_TIME(m1)", nil, []Series{ts("m1L", nan, 60, nan, 120, 60)}},
		{"RUNNING_SUM", "RUNNING_SUM(m1)", nil, []Series{ts("m1L", 1, 3, nan, 7, 12)}},
		{"RATE of array", "RATE([m1, m4])", nil, []Series{ts("m1L", nan, 1.0/60, nan, 2.0/120, 1.0/60), ts("m4L", nan, nan, nan, nan, 6.0/180)}},
		{"METRICS times scalar keeps labels", "METRICS()*2", nil, []Series{
			ts("m1L", 2, 4, nan, 8, 10), ts("m2L", 20, nan, nan, 0, 40), ts("m3L", nan, nan, nan, nan, nan)}},
		{"array op series", "[m1, m4] + m2", nil, []Series{ts("m1L", 11, 2, nan, 4, 25), ts("m4L", 10, 2, nan, 0, 28)}},
		{"series op array", "m2 - [m1, m4]", nil, []Series{ts("m1L", 9, -2, nan, -4, 15), ts("m4L", 10, -2, nan, 0, 12)}},
		{"expression with two series is an array", "e1 * 10", nil, []Series{ts("a", 10, 10, 10, 10, 10), ts("b", 20, nan, 20, nan, 20)}},
		{"SUM of multi-series id", "SUM(e1)", nil, []Series{ts("", 3, 1, 3, 1, 3)}},
		{"ABS", "ABS(m1 - 3)", nil, []Series{ts("m1L", 2, 1, nan, 1, 2)}},
		{"CEIL", "CEIL(m1/4)", nil, []Series{ts("m1L", 1, 1, nan, 1, 2)}},
		{"FLOOR", "FLOOR(m1/4)", nil, []Series{ts("m1L", 0, 0, nan, 1, 1)}},
		{"LOG10 of zero drops the point", "LOG10(m2)", nil, []Series{withArith(ts("m2L", 1, nan, nan, nan, math.Log10(20)))}},
		{"LOG", "LOG(m1)", nil, []Series{ts("m1L", 0, math.Ln2, nan, 2*math.Ln2, math.Log(5))}},
		{"PERIOD", "m1*0 + PERIOD(m1)", nil, []Series{ts("m1L", 60, 60, nan, 60, 60)}},
		{"TIME_SERIES", "TIME_SERIES(3)", nil, []Series{ts("", 3, 3, 3, 3, 3)}},
		{"TIME_SERIES of scalar expression", "TIME_SERIES(MAX(m1) * 2)", nil, []Series{ts("", 10, 10, 10, 10, 10)}},
		{"METRIC_COUNT", "m1*0 + METRIC_COUNT(METRICS())", nil, []Series{ts("m1L", 3, 3, nan, 3, 3)}},
		// Averages: m1 3, m2 10, m3 none (last).
		{"SORT AVG DESC", "SORT(METRICS(), AVG, DESC)", nil, []Series{
			ts("m2L", 10, nan, nan, 0, 20), ts("m1L", 1, 2, nan, 4, 5), ts("m3L", nan, nan, nan, nan, nan)}},
		{"SORT AVG ASC", "SORT(METRICS(), AVG, ASC)", nil, []Series{
			ts("m1L", 1, 2, nan, 4, 5), ts("m2L", 10, nan, nan, 0, 20), ts("m3L", nan, nan, nan, nan, nan)}},
		{"SORT with limit", "SORT(METRICS(), MAX, DESC, 1)", nil, []Series{ts("m2L", 10, nan, nan, 0, 20)}},
		{"SORT MIN ASC", "SORT([m1, m2], MIN, ASC)", nil, []Series{ts("m2L", 10, nan, nan, 0, 20), ts("m1L", 1, 2, nan, 4, 5)}},
		{"FIRST of SORT", "FIRST(SORT(METRICS(), SUM, DESC))", nil, []Series{ts("m2L", 10, nan, nan, 0, 20)}},
		{"LAST", "LAST([m1, m2])", nil, []Series{ts("m2L", 10, nan, nan, 0, 20)}},
		{"SLICE from", "SLICE(METRICS(), 1)", nil, []Series{ts("m2L", 10, nan, nan, 0, 20), ts("m3L", nan, nan, nan, nan, nan)}},
		{"SLICE range", "SLICE(METRICS(), 0, 1)", nil, []Series{ts("m1L", 1, 2, nan, 4, 5)}},
		{"SLICE past end", "SLICE(METRICS(), 5, 9)", nil, nil},
		{"REMOVE_EMPTY", "REMOVE_EMPTY(METRICS())", nil, []Series{ts("m1L", 1, 2, nan, 4, 5), ts("m2L", 10, nan, nan, 0, 20)}},
		{"comparison with scalar", "m1 > 2", nil, []Series{ts("m1L", 0, 0, nan, 1, 1)}},
		{"MINUTE", "MINUTE(m1)", nil, []Series{ts("", 0, 1, 2, 3, 4)}},
		{"HOUR", "HOUR(m3)", nil, []Series{ts("", 0, 0, 0, 0, 0)}},
		{"DAY (2026-01-01 is a Thursday)", "DAY(m1)", nil, []Series{ts("", 4, 4, 4, 4, 4)}},
		{"DATE MONTH YEAR", "DATE(m1) + MONTH(m1)*100 + YEAR(m1)*10000", nil, []Series{ts("", 20260101, 20260101, 20260101, 20260101, 20260101)}},
		{"EPOCH", "EPOCH(m1) - 1767225600", nil, []Series{ts("", 0, 60, 120, 180, 240)}},
		{"METRICS filter", "SUM(METRICS('errors'))", testEnv(3, []string{"errors_a", "requests", "errors_b"}, map[string][]Series{
			"errors_a": one("A", 1, nan, 3),
			"requests": one("R", 100, 100, 100),
			"errors_b": one("B", 10, 20, nan),
		}), []Series{ts("", 11, 20, 3)}},
		{"METRICS filters are case-sensitive", "METRICS(\"Err\")", testEnv(1, []string{"errors_a", "requestErr"}, map[string][]Series{
			"errors_a": one("A", 1), "requestErr": one("R", 2),
		}), []Series{ts("R", 2)}},
		{"METRICS with two filters", `SUM([METRICS("4xx"), METRICS("5xx")])`, testEnv(2, []string{"e4xx", "e5xx", "ok"}, map[string][]Series{
			"e4xx": one("4", 1, 2), "e5xx": one("5", 10, 20), "ok": one("ok", 100, 100),
		}), []Series{ts("", 11, 22)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := tt.env
			if env == nil {
				env = baseEnv()
			}
			e, err := Parse(tt.expr)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.expr, err)
			}
			got, err := e.Eval(env)
			if err != nil {
				t.Fatalf("Eval(%q): %v", tt.expr, err)
			}
			if diff := cmp.Diff(tt.want, got, cmpOpts...); diff != "" {
				t.Errorf("Eval(%q) mismatch (-want +got):\n%s", tt.expr, diff)
			}
		})
	}
}

// The examples of the CloudWatch User Guide, "Comparison and logical operators" and "Using IF
// expressions" (using-metric-math.html), with - for a missing value.
func TestEvalDocumentedExamples(t *testing.T) {
	cmpEnv := testEnv(4, []string{"metric1", "metric2"}, map[string][]Series{
		"metric1": one("", 30, 20, 0, 0),
		"metric2": one("", 20, nan, 20, nan),
	})
	ifEnv := testEnv(5, []string{"metric1", "metric2", "metric3"}, map[string][]Series{
		"metric1": one("", 1, 1, 0, 0, nan),
		"metric2": one("", 30, nan, 0, 0, 30),
		"metric3": one("", 0, 0, 20, nan, 20),
	})
	tests := []struct {
		name string
		env  *Env
		expr string
		want []float64
	}{
		{"less than between series", cmpEnv, "(metric1 < metric2)", []float64{0, 0, 1, 0}},
		{"greater or equal scalar", cmpEnv, "(metric1 >= 30)", []float64{1, 0, 0, 0}},
		{"AND", cmpEnv, "(metric1 > 15 AND metric2 > 15)", []float64{1, 0, 0, 0}},
		{"&& spelling", cmpEnv, "(metric1 > 15 && metric2 > 15)", []float64{1, 0, 0, 0}},
		{"IF(TS, TS, TS)", ifEnv, "IF(metric1, metric2, metric3)", []float64{30, 0, 20, nan, nan}},
		{"IF(TS, S, TS)", ifEnv, "IF(metric1, 5, metric3)", []float64{5, 5, 20, nan, nan}},
		{"IF(TS, TS, S)", ifEnv, "IF(metric1, metric2, 5)", []float64{30, 0, 5, 5, nan}},
		{"IF without false value", ifEnv, "IF(metric1, metric2)", []float64{30, 0, nan, nan, nan}},
		{"IF(TS cmp S, S, S)", ifEnv, "IF(metric2 > 10, 1, 0)", []float64{1, nan, 0, 0, 1}},
		{"IF(S, TS, TS) true", ifEnv, "IF(1, metric2, metric3)", []float64{30, nan, 0, 0, 30}},
		{"IF(S, TS, TS) false", ifEnv, "IF(0, metric2, metric3)", []float64{0, 0, 20, nan, 20}},
		{"IF(S, TS) false is empty", ifEnv, "IF(0, metric2)", []float64{nan, nan, nan, nan, nan}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Parse(tt.expr)
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.Eval(tt.env)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 {
				t.Fatalf("got %d series, want 1", len(got))
			}
			if diff := cmp.Diff(tt.want, got[0].Values, cmpOpts...); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", tt.expr, diff)
			}
		})
	}
}

func TestEvalPeriodOf(t *testing.T) {
	env := baseEnv()
	env.Period = 5 * time.Minute
	for _, tt := range []struct {
		name     string
		periodOf func(string) (time.Duration, bool)
		want     float64
	}{
		{"without PeriodOf: the expression's period", nil, 300},
		{"PeriodOf gives the query's own period", func(id string) (time.Duration, bool) { return time.Minute, id == "m1" }, 60},
		{"PeriodOf unknown: the expression's period", func(string) (time.Duration, bool) { return 0, false }, 300},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env.PeriodOf = tt.periodOf
			e, err := Parse("TIME_SERIES(PERIOD(m1))")
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.Eval(env)
			if err != nil {
				t.Fatal(err)
			}
			w := tt.want
			if diff := cmp.Diff([]Series{ts("", w, w, w, w, w)}, got, cmpOpts...); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEvalErrors(t *testing.T) {
	searchErr := errors.New("store unavailable")
	env := baseEnv()
	env.Search = func(*SearchQuery, string, time.Duration) ([]Series, error) { return nil, searchErr }
	tests := []struct {
		name string
		expr string
		want []string // substrings of the error
	}{
		{"scalar result", "AVG(m1)", []string{"single number", "TIME_SERIES"}},
		{"scalar arithmetic result", "1+2", []string{"single number"}},
		{"unknown id", "m9 * 2", []string{"Id m9", "column 1"}},
		{"array op array", "METRICS() + METRICS()", []string{"two arrays", "column 11"}},
		{"PERIOD of expression", "m1*0 + PERIOD(e1)", []string{"PERIOD", "e1 is an expression"}},
		{"PERIOD of number", "m1*0 + PERIOD(5)", []string{"PERIOD takes the Id"}},
		{"aggregate of number", "m1 * SUM(5)", []string{"argument 1 of SUM must be a time series"}},
		{"TIME_SERIES of series", "TIME_SERIES(m1)", []string{"argument 1 of TIME_SERIES must be a number"}},
		{"FILL with array filler", "FILL(m1, METRICS())", []string{"filler of FILL"}},
		{"SORT negative limit", "SORT(METRICS(), AVG, ASC, 0)", []string{"whole number >= 1"}},
		{"SLICE end before start", "SLICE(METRICS(), 2, 1)", []string{"before start"}},
		{"array element number", "SUM([m1, 5])", []string{"array holds time series"}},
		{"search error wrapped", `SEARCH('CPUUtilization', 'Average', 60)`, []string{"store unavailable"}},
		{"IF with array", "IF(METRICS(), 1, 0)", []string{"argument 1 of IF"}},
		{"wrong length", "bad + 1", []string{"has 2 values but the grid has 5"}},
	}
	env.Lookup = func(id string) ([]Series, bool) {
		if id == "bad" {
			return one("", 1, 2), true
		}
		return baseEnv().Lookup(id)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Parse(tt.expr)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.expr, err)
			}
			_, err = e.Eval(env)
			if err == nil {
				t.Fatalf("Eval(%q) succeeded, want an error", tt.expr)
			}
			var me *Error
			if !errors.As(err, &me) {
				t.Errorf("error %v is %T, want *Error", err, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
	e, _ := Parse(`SEARCH('CPUUtilization', 'Average', 60)`)
	if _, err := e.Eval(env); !errors.Is(err, searchErr) {
		t.Errorf("Eval error %v does not wrap the Search error", err)
	}
	if _, err := e.Eval(nil); err == nil {
		t.Error("Eval(nil) succeeded")
	}
}

// Eval must not write to the slices Lookup hands it, and its results must not alias them.
func TestEvalDoesNotMutateInputs(t *testing.T) {
	in := []float64{1, nan, 3}
	env := testEnv(3, []string{"m1"}, map[string][]Series{"m1": {{Label: "x", Values: in}}})
	for _, expr := range []string{"m1", "FILL(m1, 0)", "FILL(m1, REPEAT)", "FILL(m1, LINEAR)", "METRICS()", "SORT(METRICS(), AVG, ASC)", "IF(1, m1)"} {
		e, err := Parse(expr)
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.Eval(env)
		if err != nil {
			t.Fatal(err)
		}
		got[0].Values[0] = 99
		if diff := cmp.Diff([]float64{1, nan, 3}, in, cmpOpts...); diff != "" {
			t.Errorf("%s: input changed (-want +got):\n%s", expr, diff)
		}
	}
}

func TestEvalSearch(t *testing.T) {
	type metric struct {
		ns, name string
		dims     map[string]string
	}
	store := []metric{
		{"AWS/EC2", "CPUUtilization", map[string]string{"InstanceId": "i-1"}},
		{"AWS/EC2", "CPUUtilization", map[string]string{"InstanceId": "i-2"}},
		{"AWS/EC2", "NetworkIn", map[string]string{"InstanceId": "i-1"}},
		{"AWS/EC2", "CPUUtilization", map[string]string{"AutoScalingGroupName": "web"}},
	}
	var gotStat string
	var gotPeriod time.Duration
	env := baseEnv()
	env.Search = func(q *SearchQuery, stat string, period time.Duration) ([]Series, error) {
		gotStat, gotPeriod = stat, period
		var out []Series
		for i, m := range store {
			if q.Match(m.ns, m.name, m.dims) {
				v := float64(i + 1)
				out = append(out, Series{Label: SearchLabel(m.name, m.dims), Values: []float64{v, v, nan, v, v}})
			}
		}
		return out, nil
	}
	tests := []struct {
		name       string
		expr       string
		want       []Series
		wantStat   string
		wantPeriod time.Duration
	}{
		{"search returns one series per metric", `SEARCH('{AWS/EC2,InstanceId} MetricName="CPUUtilization"', 'Average', 300)`,
			[]Series{ts("i-1 CPUUtilization", 1, 1, nan, 1, 1), ts("i-2 CPUUtilization", 2, 2, nan, 2, 2)}, "Average", 5 * time.Minute},
		{"sum of a search", `SUM(SEARCH('{AWS/EC2,InstanceId} CPUUtilization', 'p99', 60))`,
			[]Series{ts("", 3, 3, nan, 3, 3)}, "p99", time.Minute},
		{"period defaults to the query's", `SEARCH('web', 'Maximum')`,
			[]Series{ts("web CPUUtilization", 4, 4, nan, 4, 4)}, "Maximum", time.Minute},
		{"search in double quotes with arithmetic", `SEARCH("{AWS/EC2,InstanceId} NetworkIn", 'Sum', 120) / 60`,
			[]Series{ts("i-1 NetworkIn", 3.0/60, 3.0/60, nan, 3.0/60, 3.0/60)}, "Sum", 2 * time.Minute},
		{"search without matches", `SEARCH('{AWS/Lambda,FunctionName}', 'Sum', 60)`, nil, "Sum", time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Parse(tt.expr)
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.Eval(env)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmpOpts...); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
			if gotStat != tt.wantStat || gotPeriod != tt.wantPeriod {
				t.Errorf("Search got stat %q period %v, want %q %v", gotStat, gotPeriod, tt.wantStat, tt.wantPeriod)
			}
		})
	}
}

// An Expr and a SearchQuery are shared by concurrent requests in the local CloudWatch.
func TestEvalConcurrent(t *testing.T) {
	e, err := Parse(`SUM(METRICS()) + FILL(m4, LINEAR) + MAX(SEARCH('{AWS/EC2,InstanceId} CPUUtilization', 'Average', 60))`)
	if err != nil {
		t.Fatal(err)
	}
	// SUM(METRICS()) [11 2 - 4 25] + FILL(m4, LINEAR) [- 2 4 6 8] (missing counts as 0) + 1.
	want := []Series{ts("", 11+0+1, 2+2+1, 0+4+1, 4+6+1, 25+8+1)}
	done := make(chan []Series)
	for range 8 {
		go func() {
			env := baseEnv()
			env.Search = func(q *SearchQuery, stat string, period time.Duration) ([]Series, error) {
				if !q.Match("AWS/EC2", "CPUUtilization", map[string]string{"InstanceId": "i-1"}) {
					return nil, nil
				}
				return one("i-1", 1, 1, 1, 1, 1), nil
			}
			got, err := e.Eval(env)
			if err != nil {
				t.Error(err)
			}
			done <- got
		}()
	}
	for range 8 {
		if diff := cmp.Diff(want, <-done, cmpOpts...); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
	}
}

// ReturnsArray (static) must agree with the kind Eval produces (dynamic).
func TestReturnsArrayAgreesWithEval(t *testing.T) {
	isArray := func(id string) bool { return id == "e1" } // e1 has two series in baseEnv
	for _, expr := range []string{
		"m1", "e1", "m1*2", "e1*2", "-e1", "m1+m2", "m1+e1", "e1+m1", "SUM(e1)", "AVG([m1, m2])", "[m1]", "[m1]*2",
		"METRICS()", "METRICS()*2", "SUM(METRICS())", "FILL(METRICS(), 0)", "FILL(m1, REPEAT)", "RATE(e1)", "DIFF(m1)",
		"SORT(METRICS(), AVG, ASC, 1)", "SLICE(METRICS(), 0, 1)", "FIRST(METRICS())", "LAST(e1)", "REMOVE_EMPTY(METRICS())",
		"IF(m1 > 1, m1)", "IF(1, m1, m2)", "TIME_SERIES(3)", "MINUTE(m1)", "ABS(e1)", "LOG(m1)", "m1 > 2 AND m2 < 5",
		"SEARCH('x', 'Sum', 60)", "MAX(SEARCH('x', 'Sum', 60))", "DATAPOINT_COUNT(METRICS())", "1 + 2", "AVG(m1)",
		"PERIOD(m1)", "METRIC_COUNT(e1)", "IF(1, 2, 3)",
	} {
		e, err := Parse(expr)
		if err != nil {
			t.Fatalf("Parse(%q): %v", expr, err)
		}
		env := baseEnv()
		env.IsArray = isArray
		env.Search = func(*SearchQuery, string, time.Duration) ([]Series, error) { return one("x", 1, 2, 3, 4, 5), nil }
		ev := &evaluator{env: env, src: expr, n: len(env.Grid)}
		v, err := ev.eval(e.root)
		if err != nil {
			t.Fatalf("eval(%q): %v", expr, err)
		}
		if got, want := staticKind(e.root, isArray), v.kind; got != want {
			t.Errorf("%s: static kind %v, evaluated kind %v", expr, got, want)
		}
		if got, want := e.ReturnsArray(isArray), v.kind == kArray; got != want {
			t.Errorf("%s: ReturnsArray = %v, want %v", expr, got, want)
		}
	}
}

// A SEARCH expression that matched one metric is still an array: SUM of it is a series.
func TestEvalIsArray(t *testing.T) {
	env := testEnv(3, []string{"m1"}, map[string][]Series{
		"m1": one("M", 1, 2, 3),
		"e1": one("only match", 5, nan, 7),
	})
	e, err := Parse("SUM(e1)")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Eval(env); err == nil || !strings.Contains(err.Error(), "single number") {
		t.Errorf("without IsArray, SUM of a one-series id is a number: got err %v", err)
	}
	env.IsArray = func(id string) bool { return id == "e1" }
	got, err := e.Eval(env)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Series{ts("", 5, nan, 7)}, got, cmpOpts...); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

// TestEvalRandomAgainstReference checks operators and array aggregates on random sparse data
// against straightforward reference formulas written here, timestamp by timestamp.
func TestEvalRandomAgainstReference(t *testing.T) {
	const n, k = 50, 4
	rnd := uint64(42)
	next := func() float64 { // xorshift: deterministic, no dependence on math/rand versions
		rnd ^= rnd << 13
		rnd ^= rnd >> 7
		rnd ^= rnd << 17
		return float64(rnd%2000)/10 - 50
	}
	ids := []string{"a", "b", "c", "d"}
	data := map[string][]Series{}
	cols := make([][]float64, k)
	for j, id := range ids {
		v := make([]float64, n)
		for i := range v {
			v[i] = next()
			if next() < -20 { // about 15% missing (next is uniform on [-50, 150))
				v[i] = nan
			}
		}
		cols[j] = v
		data[id] = one(id, v...)
	}
	env := testEnv(n, ids, data)
	ref := func(f func(xs []float64) float64) []float64 {
		out := make([]float64, n)
		for i := range out {
			var xs []float64
			for j := range cols {
				if !math.IsNaN(cols[j][i]) {
					xs = append(xs, cols[j][i])
				}
			}
			if len(xs) == 0 {
				out[i] = nan
			} else {
				out[i] = f(xs)
			}
		}
		return out
	}
	pair := func(f func(x, y float64) float64) []float64 {
		out := make([]float64, n)
		for i := range out {
			x, y := cols[0][i], cols[1][i]
			switch {
			case math.IsNaN(x) && math.IsNaN(y):
				out[i] = nan
			default:
				if math.IsNaN(x) {
					x = 0
				}
				if math.IsNaN(y) {
					y = 0
				}
				out[i] = f(x, y)
				if math.IsInf(out[i], 0) || math.IsNaN(out[i]) {
					out[i] = nan
				}
			}
		}
		return out
	}
	sum := func(xs []float64) float64 {
		s := 0.0
		for _, x := range xs {
			s += x
		}
		return s
	}
	tests := []struct {
		expr string
		want []float64
	}{
		{"SUM(METRICS())", ref(sum)},
		{"AVG(METRICS())", ref(func(xs []float64) float64 { return sum(xs) / k })},
		{"MIN(METRICS())", ref(func(xs []float64) float64 { return slices.Min(xs) })},
		{"MAX(METRICS())", ref(func(xs []float64) float64 { return slices.Max(xs) })},
		{"DATAPOINT_COUNT(METRICS())", ref(func(xs []float64) float64 { return float64(len(xs)) })},
		{"a + b", pair(func(x, y float64) float64 { return x + y })},
		{"a - b", pair(func(x, y float64) float64 { return x - y })},
		{"a * b", pair(func(x, y float64) float64 { return x * y })},
		{"a / b", pair(func(x, y float64) float64 { return x / y })},
		{"a >= b", pair(func(x, y float64) float64 {
			if x >= y {
				return 1
			}
			return 0
		})},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			e, err := Parse(tt.expr)
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.Eval(env)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got[0].Values, cmpOpts...); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
