package alarm

import (
	"encoding/json"
	"go/parser"
	"go/token"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/cwnb/cwnb/cwnb/ts"
)

var t0 = time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)

// hourlyTail is per-minute p99-like data: 500 normally, 3000 in minutes :00-:04 of every hour
// (no data in minute 30 of every third hour), as a 1-minute Series.
func hourlyTail(minutes int) *Series {
	s := &Series{Start: t0, Step: time.Minute, Period: time.Minute, Values: make([]float64, minutes)}
	for i := range s.Values {
		switch m := i % 60; {
		case m < 5:
			s.Values[i] = 3000
		case m == 30 && (i/60)%3 == 0:
			s.Values[i] = math.NaN()
		default:
			s.Values[i] = 500
		}
	}
	return s
}

func must(inc []Incident, err error) []Incident {
	if err != nil {
		panic(err)
	}
	return inc
}

func TestIncidents(t *testing.T) {
	got := must(Incidents("backup", ts.Hourly(0, 5*time.Minute), t0.Add(10*time.Minute), t0.Add(3*time.Hour)))
	if len(got) != 2 || !got[0].Start.Equal(t0.Add(time.Hour)) || !got[1].End.Equal(t0.Add(2*time.Hour+5*time.Minute)) {
		t.Fatalf("Incidents: %+v", got)
	}
	got = must(Incidents("x", ts.Hourly(0, 5*time.Minute), t0.Add(2*time.Minute), t0.Add(time.Hour)))
	if len(got) != 1 || !got[0].Start.Equal(t0.Add(2*time.Minute)) || !got[0].End.Equal(t0.Add(5*time.Minute)) {
		t.Fatalf("an incident running at the window start counts, clipped to it: %+v", got)
	}
	if _, err := Incidents("bad", ts.Every(7*time.Minute, 0, time.Minute), t0, t0.Add(time.Hour)); err == nil || !strings.Contains(err.Error(), `incidents "bad"`) {
		t.Fatalf("invalid When: %v", err)
	}
}

func TestBacktestHourlyTail(t *testing.T) {
	const hours = 24
	s := hourlyTail(hours * 60)
	from, to := t0.Add(time.Hour), t0.Add(hours*time.Hour)
	incidents := must(Incidents(":00-:05", ts.Hourly(0, 5*time.Minute), from, to))
	base := Definition{Name: "p99", Namespace: "NS", MetricName: "Latency", Statistic: "p99", Period: time.Minute,
		EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 1000, Comparison: Greater}

	// 2 of 3 at 1000: the minute :00 bucket is evaluated at :01 (1 breach), :01 at :02 (2) → ALARM
	// at :02, 2 minutes after the start; the last breaching bucket :04 is evaluated at :05, then
	// :06 sees [:03 :04 :05] = X X 0 → still ALARM, :07 sees X 0 0 → OK. ALARM :02-:07, all within
	// the incident + 1-minute grace (:00-:06) but for :06.
	sc, err := Backtest(&base, s, incidents, from, to, BacktestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sc.Incidents != 23 || sc.Caught != 23 {
		t.Fatalf("caught %d of %d, want 23 of 23", sc.Caught, sc.Incidents)
	}
	if sc.MedianDetect() != 2*time.Minute {
		t.Errorf("median detect %v, want 2m", sc.MedianDetect())
	}
	if sc.FalsePages != 0 || sc.Pages != 23 {
		t.Errorf("pages %d, false %d; want 23, 0", sc.Pages, sc.FalsePages)
	}
	if sc.AlarmOutside != 23*time.Minute {
		t.Errorf("alarm outside %v, want 23m (minute :06 of each hour)", sc.AlarmOutside)
	}
	if sc.Flaps != 0 {
		t.Errorf("flaps %d", sc.Flaps)
	}

	// A threshold above the tail never fires.
	high := base
	high.Threshold = 5000
	sc, _ = Backtest(&high, s, incidents, from, to, BacktestOptions{})
	if sc.Caught != 0 || sc.MedianDetect() != -1 {
		t.Errorf("threshold 5000: %s", sc)
	}
	// A threshold below normal pages once and stays in ALARM: not counted as false at the start
	// of the window... it starts inside the 01:00 incident; its time outside incidents is large.
	low := base
	low.Threshold = 100
	sc, _ = Backtest(&low, s, incidents, from, to, BacktestOptions{})
	if sc.Caught != 23 || sc.AlarmOutside < 20*time.Hour {
		t.Errorf("threshold 100: %s", sc)
	}

	grid := Grid(base, []float64{100, 1000, 5000}, [][2]int{{1, 1}, {2, 3}, {3, 3}})
	if len(grid) != 9 {
		t.Fatalf("grid of %d", len(grid))
	}
	scores, err := BacktestAll(grid, s, incidents, from, to, BacktestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	best := Pick(scores)
	// All 1000-threshold candidates catch everything with no false pages; 1 of 1 spends the least
	// time in ALARM outside incidents (its ALARM ends at :05, inside the grace minute).
	if best.Definition.Threshold != 1000 || best.Definition.EvaluationPeriods != 1 {
		t.Fatalf("best %s", best)
	}
}

func TestFlaps(t *testing.T) {
	d := &Definition{Name: "f", Namespace: "NS", MetricName: "M", Statistic: "Maximum", Period: time.Minute,
		EvaluationPeriods: 1, Threshold: 1, Comparison: Greater}
	tl := &Timeline{Start: t0, Step: time.Minute, States: []State{OK, Alarm, OK, Alarm, OK, OK}}
	sc := ScoreTimeline(d, tl, nil, BacktestOptions{})
	if sc.Pages != 2 || sc.FalsePages != 2 || sc.Flaps != 1 || sc.AlarmOutside != 2*time.Minute {
		t.Fatalf("score %+v", sc)
	}
}

func TestPutMetricAlarmOutput(t *testing.T) {
	d := &Definition{Name: "checkout p99", Namespace: "MyService/API", MetricName: "Latency",
		Dimensions: []Dimension{{"Service", "checkout"}}, Statistic: "p99", Unit: "Milliseconds", Period: time.Minute,
		EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 1500, Comparison: GreaterOrEqual, TreatMissingData: NotBreaching,
		EvaluateLowSampleCountPercentile: "ignore"}
	var got map[string]any
	if err := json.Unmarshal([]byte(d.PutMetricAlarmJSON()), &got); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]any{"AlarmName": "checkout p99", "ExtendedStatistic": "p99", "Period": 60.0, "EvaluationPeriods": 3.0,
		"DatapointsToAlarm": 2.0, "Threshold": 1500.0, "ComparisonOperator": "GreaterThanOrEqualToThreshold", "TreatMissingData": "notBreaching"} {
		if got[k] != want {
			t.Errorf("%s = %v, want %v", k, got[k], want)
		}
	}
	if _, ok := got["Statistic"]; ok {
		t.Errorf("p99 must go in ExtendedStatistic only")
	}
	src := d.PutMetricAlarmGo()
	if _, err := parser.ParseFile(token.NewFileSet(), "x.go", "package x\nfunc f() {\n"+src+"}\n", 0); err != nil {
		t.Fatalf("generated Go does not parse: %v\n%s", err, src)
	}
	for _, want := range []string{`ExtendedStatistic: aws.String("p99")`, `Threshold: aws.Float64(1500.0)`, `types.ComparisonOperatorGreaterThanOrEqualToThreshold`} {
		if !strings.Contains(strings.Join(strings.Fields(src), " "), want) {
			t.Errorf("generated Go lacks %s:\n%s", want, src)
		}
	}
}

// BenchmarkReplay15Days is one alarm over 15 days at 1-minute evaluation once the data is
// loaded; the goal is under 100 ms.
func BenchmarkReplay15Days(b *testing.B) {
	const minutes = 15 * 24 * 60
	rng := rand.New(rand.NewPCG(5, 6))
	s := &Series{Start: t0, Step: time.Minute, Period: 5 * time.Minute, Values: make([]float64, minutes)}
	for i := range s.Values {
		s.Values[i] = 400 + 200*rng.Float64()
		if rng.Float64() < 0.05 {
			s.Values[i] = math.NaN()
		}
	}
	d := &Definition{Name: "b", Namespace: "NS", MetricName: "M", Statistic: "p99", Period: 5 * time.Minute,
		EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 590, Comparison: Greater}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Replay(d, s, t0, s.End(), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGrid100Week back-tests 100 candidates over a week; the goal is under 2 s.
func BenchmarkGrid100Week(b *testing.B) {
	const minutes = 7 * 24 * 60
	s := hourlyTail(minutes)
	incidents := must(Incidents("tail", ts.Hourly(0, 5*time.Minute), t0, s.End()))
	base := Definition{Name: "g", Namespace: "NS", MetricName: "M", Statistic: "p99", Period: time.Minute,
		EvaluationPeriods: 1, Threshold: 1, Comparison: Greater}
	var ths []float64
	for i := range 20 {
		ths = append(ths, 400+float64(i)*150)
	}
	grid := Grid(base, ths, [][2]int{{1, 1}, {2, 3}, {3, 3}, {3, 5}, {5, 5}})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := BacktestAll(grid, s, incidents, t0, s.End(), BacktestOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestHeadroom(t *testing.T) {
	s := hourlyTail(6 * 60)
	from, to := t0.Add(time.Hour), t0.Add(6*time.Hour)
	inc := must(Incidents("tail", ts.Hourly(0, 5*time.Minute), from, to))
	base := Definition{Name: "h", Namespace: "NS", MetricName: "M", Statistic: "p99", Period: time.Minute,
		EvaluationPeriods: 1, Comparison: Greater}
	// Quiet data peaks at 500, every incident at 3000: headroom min(T/500, 3000/T).
	for _, c := range []struct{ th, want float64 }{{1000, 2}, {1200, 2.4}, {1500, 2}, {400, 0.8}} {
		d := base
		d.Threshold = c.th
		sc, err := Backtest(&d, s, inc, from, to, BacktestOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(sc.Headroom-c.want) > 1e-12 {
			t.Errorf("threshold %v: headroom %v, want %v", c.th, sc.Headroom, c.want)
		}
	}
	scores, _ := BacktestAll(Grid(base, []float64{1000, 1200, 1500}, [][2]int{{1, 1}}), s, inc, from, to, BacktestOptions{})
	if best := Pick(scores); best.Definition.Threshold != 1200 {
		t.Errorf("Pick among equals chose %v, want 1200 (most headroom)", best.Definition.Threshold)
	}
}
