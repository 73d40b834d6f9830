package alarm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// parsePoints turns "0 - X - X" (oldest first; 0 good, X breaching, - missing) into values for a
// GreaterThanThreshold alarm at threshold 1: 0 → 0, X → 2, - → NaN.
func parsePoints(s string) []float64 {
	var v []float64
	for _, f := range strings.Fields(s) {
		switch f {
		case "0":
			v = append(v, 0)
		case "X":
			v = append(v, 2)
		case "-":
			v = append(v, math.NaN())
		default:
			panic("bad point " + f)
		}
	}
	return v
}

func tableDef(n, m int, tmd TreatMissing) *Definition {
	return &Definition{Name: "t", Namespace: "NS", MetricName: "M", Statistic: "Average", Period: 5 * time.Minute,
		EvaluationPeriods: n, DatapointsToAlarm: m, Threshold: 1, Comparison: Greater, TreatMissingData: tmd}
}

// TestDocumentedMissingDataTables is every row of the tables in "Configuring how CloudWatch
// alarms treat missing data" (CloudWatch User Guide, AlarmThatSendsEmail.md; the evaluation range
// is 5 points in the documentation's examples). "retain" is the current state, checked from each
// of the three states.
func TestDocumentedMissingDataTables(t *testing.T) {
	const retain = "retain"
	rows := []struct {
		n, m   int
		points string
		want   [4]string // missing, ignore, breaching, notBreaching
	}{
		{3, 3, "0 - X - X", [4]string{"OK", "OK", "OK", "OK"}},
		{3, 3, "0 - - - -", [4]string{"OK", "OK", "OK", "OK"}},
		{3, 3, "- - - - -", [4]string{"INSUFFICIENT_DATA", retain, "ALARM", "OK"}},
		{3, 3, "0 X X - X", [4]string{"ALARM", "ALARM", "ALARM", "ALARM"}},
		{3, 3, "- - X - -", [4]string{"ALARM", retain, "ALARM", "OK"}},
		{3, 2, "0 - X - X", [4]string{"ALARM", "ALARM", "ALARM", "ALARM"}},
		{3, 2, "0 0 X 0 X", [4]string{"ALARM", "ALARM", "ALARM", "ALARM"}},
		{3, 2, "0 - X - -", [4]string{"OK", "OK", "ALARM", "OK"}},
		{3, 2, "- - - - 0", [4]string{"OK", "OK", "ALARM", "OK"}},
		{3, 2, "- - - X -", [4]string{"ALARM", retain, "ALARM", "OK"}},
		// The text under the tables: with M = 3 these do not alarm yet.
		{3, 3, "- - - - X", [4]string{"OK", "OK", "ALARM", "OK"}},
		{3, 3, "- - - X -", [4]string{"OK", "OK", "ALARM", "OK"}},
	}
	modes := []TreatMissing{Missing, Ignore, Breaching, NotBreaching}
	for _, row := range rows {
		for i, tmd := range modes {
			name := fmt.Sprintf("%d-%d/%s/%s", row.n, row.m, strings.ReplaceAll(row.points, " ", ""), tmd)
			t.Run(name, func(t *testing.T) {
				d := tableDef(row.n, row.m, tmd)
				for _, cur := range []State{InsufficientData, OK, Alarm} {
					want := row.want[i]
					if want == retain {
						want = cur.String()
					}
					got := d.Decide(parsePoints(row.points), nil, cur)
					if got.State.String() != want {
						t.Errorf("from %v: got %v, want %s (decision %+v)", cur, got.State, want, got)
					}
				}
			})
		}
	}
}

// TestMostRecentN is the case LocalStack gets wrong: breaches outside the most recent N real
// points do not count.
func TestMostRecentN(t *testing.T) {
	d := tableDef(3, 3, Missing)
	if got := d.Decide(parsePoints("X X X 0 0"), nil, OK).State; got != OK {
		t.Fatalf("X X X 0 0 with N = M = 3: got %v, want OK", got)
	}
}

// brute is an independent statement of the documented rules, written over symbols rather than
// values: 'X' breaching, '0' good, '-' missing, oldest first.
func brute(sym string, n, m int, tmd string, cur string) string {
	real := strings.Count(sym, "X") + strings.Count(sym, "0")
	if real == 0 {
		return map[string]string{"missing": "INSUFFICIENT_DATA", "ignore": cur, "breaching": "ALARM", "notBreaching": "OK"}[tmd]
	}
	if (tmd == "missing" || tmd == "ignore") && m > 1 && len(sym) >= m {
		old, tail := sym[:len(sym)-m], sym[len(sym)-m:]
		if strings.Trim(old, "-") == "" && tail[0] == 'X' && !strings.Contains(tail, "0") {
			if tmd == "ignore" {
				return cur
			}
			return "ALARM"
		}
	}
	var used string
	if real >= n {
		// The shortest suffix holding n real points.
		for i := len(sym) - 1; i >= 0; i-- {
			used = string(sym[i]) + used
			if strings.Count(used, "X")+strings.Count(used, "0") == n {
				break
			}
		}
	} else {
		used = sym
		fill := map[string]string{"breaching": "X", "notBreaching": "0"}[tmd]
		used += strings.Repeat(fill, n-real)
	}
	if strings.Count(used, "X") >= m {
		return "ALARM"
	}
	return "OK"
}

func TestDecideMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	modes := []TreatMissing{Missing, Ignore, Breaching, NotBreaching}
	for i := 0; i < 20000; i++ {
		n := 1 + rng.IntN(6)
		m := 1 + rng.IntN(n)
		r := DefaultRange(n) + rng.IntN(2)
		b := make([]byte, r)
		for j := range b {
			b[j] = "0X-"[rng.IntN(3)]
		}
		sym := string(b)
		tmd := modes[rng.IntN(4)]
		cur := []State{InsufficientData, OK, Alarm}[rng.IntN(3)]
		d := tableDef(n, m, tmd)
		want := brute(sym, n, m, tmd.String(), cur.String())
		got := d.Decide(parsePoints(strings.Join(strings.Split(sym, ""), " ")), nil, cur)
		if got.State.String() != want {
			t.Fatalf("N=%d M=%d %s %q from %v: got %v, want %s", n, m, tmd, sym, cur, got.State, want)
		}
	}
}

func TestDynamoDBIgnoresMissing(t *testing.T) {
	d := tableDef(3, 3, Breaching)
	d.Namespace = "AWS/DynamoDB"
	if got := d.Decide(parsePoints("- - - - -"), nil, OK).State; got != OK {
		t.Fatalf("DynamoDB alarm with breaching and no data: got %v, want OK kept (ignore)", got)
	}
}

func TestLowSampleCountPercentile(t *testing.T) {
	if got := LowSampleLimit(99); math.Abs(got-1000) > 1e-9 {
		t.Fatalf("LowSampleLimit(99) = %v, want 1000", got)
	}
	if got := LowSampleLimit(10); math.Abs(got-100) > 1e-9 {
		t.Fatalf("LowSampleLimit(10) = %v, want 100", got)
	}
	d := tableDef(1, 1, Missing)
	d.Statistic = "p99"
	v := []float64{math.NaN(), 5}
	few := []float64{0, 999}
	many := []float64{0, 1000}
	d.EvaluateLowSampleCountPercentile = "ignore"
	if got := d.Decide(v, few, OK); got.State != OK || !got.Kept {
		t.Errorf("ignore with 999 samples: got %+v, want OK kept", got)
	}
	if got := d.Decide(v, many, OK).State; got != Alarm {
		t.Errorf("ignore with 1000 samples: got %v, want ALARM", got)
	}
	d.EvaluateLowSampleCountPercentile = "evaluate"
	if got := d.Decide(v, few, OK).State; got != Alarm {
		t.Errorf("evaluate with 999 samples: got %v, want ALARM", got)
	}
}

// TestReplaySlidingBuckets replays a 5-minute Average alarm over per-minute data and checks each
// minute against buckets summed by hand from the raw minutes (sliding, not aligned to 5
// minutes) and the brute-force rules.
func TestReplaySlidingBuckets(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	t0 := time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)
	const minutes = 600
	// raw[i]: per-minute sum and count; a minute with count 0 has no data.
	sum := make([]float64, minutes)
	cnt := make([]float64, minutes)
	for i := range sum {
		if rng.Float64() < 0.3 {
			continue
		}
		c := float64(1 + rng.IntN(3))
		cnt[i] = c
		sum[i] = c * rng.Float64() * 10
	}
	for _, tmd := range []TreatMissing{Missing, Ignore, Breaching, NotBreaching} {
		for _, nm := range [][2]int{{1, 1}, {3, 2}, {3, 3}, {5, 2}} {
			d := &Definition{Name: "a", Namespace: "NS", MetricName: "M", Statistic: "Average", Period: 5 * time.Minute,
				EvaluationPeriods: nm[0], DatapointsToAlarm: nm[1], Threshold: 6, Comparison: GreaterOrEqual, TreatMissingData: tmd}
			// The series a caller would fetch: one bucket per minute start, Period long.
			s := &Series{Start: t0, Step: time.Minute, Period: d.Period, Values: make([]float64, minutes-4)}
			for i := range s.Values {
				s.Values[i] = avg(sum, cnt, i, i+5)
			}
			from, to := t0.Add(30*time.Minute), t0.Add(minutes*time.Minute)
			tl, err := Replay(d, s, from, to, Options{})
			if err != nil {
				t.Fatal(err)
			}
			r := DefaultRange(d.EvaluationPeriods)
			cur := "INSUFFICIENT_DATA"
			for i, st := range tl.States {
				e := 30 + i // evaluation minute
				var sym strings.Builder
				for k := r - 1; k >= 0; k-- {
					lo := e - (k+1)*5
					x := math.NaN()
					if lo >= 0 && lo+5 <= minutes-0 && lo < len(s.Values) {
						x = avg(sum, cnt, lo, lo+5)
					}
					switch {
					case math.IsNaN(x):
						sym.WriteByte('-')
					case x >= 6:
						sym.WriteByte('X')
					default:
						sym.WriteByte('0')
					}
				}
				cur = brute(sym.String(), nm[0], nm[1], tmd.String(), cur)
				if st.String() != cur {
					t.Fatalf("%s N=%d M=%d minute %d (%s): got %v, want %s", tmd, nm[0], nm[1], e, sym.String(), st, cur)
				}
			}
		}
	}
}

func avg(sum, cnt []float64, lo, hi int) float64 {
	var s, c float64
	for i := lo; i < hi && i < len(sum); i++ {
		s += sum[i]
		c += cnt[i]
	}
	if c == 0 {
		return math.NaN()
	}
	return s / c
}

func TestReplayLatencyHidesNewestBucket(t *testing.T) {
	t0 := time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)
	d := &Definition{Name: "a", Namespace: "NS", MetricName: "M", Statistic: "Maximum", Period: time.Minute,
		EvaluationPeriods: 1, Threshold: 5, Comparison: Greater}
	vals := make([]float64, 20)
	for i := range vals {
		vals[i] = 0
	}
	vals[10] = 9 // the bucket 00:10-00:11 breaches
	s := &Series{Start: t0, Step: time.Minute, Period: time.Minute, Values: vals}
	for _, c := range []struct {
		lat  time.Duration
		want time.Time
	}{{0, t0.Add(11 * time.Minute)}, {2 * time.Minute, t0.Add(13 * time.Minute)}} {
		tl, err := Replay(d, s, t0.Add(5*time.Minute), t0.Add(20*time.Minute), Options{Latency: c.lat, Initial: OK})
		if err != nil {
			t.Fatal(err)
		}
		if len(tl.Changes) == 0 || !tl.Changes[0].Time.Equal(c.want) || tl.Changes[0].To != Alarm {
			t.Fatalf("latency %v: changes %+v, want ALARM at %s", c.lat, tl.Changes, c.want)
		}
		want := "Threshold Crossed: 1 out of the last 1 datapoints [9.0 (19/11/26 00:10:00)] was greater than the threshold (5.0) (minimum 1 datapoint for OK -> ALARM transition)."
		if tl.Changes[0].Reason != want {
			t.Errorf("reason:\n got %s\nwant %s", tl.Changes[0].Reason, want)
		}
	}
}

func TestValidate(t *testing.T) {
	base := func() *Definition { return tableDef(3, 3, Missing) }
	cases := []struct {
		name string
		mod  func(*Definition)
		want string
	}{
		{"ok", func(*Definition) {}, ""},
		{"period 90s", func(d *Definition) { d.Period = 90 * time.Second }, "not 10s, 20s, 30s or a multiple of 60s"},
		{"too long 1 minute", func(d *Definition) { d.Period = time.Minute; d.EvaluationPeriods = 1441; d.DatapointsToAlarm = 1 }, "above the 24h0m0s limit"},
		{"hour ok for 7 days", func(d *Definition) { d.Period = time.Hour; d.EvaluationPeriods = 168 }, ""},
		{"M > N", func(d *Definition) { d.DatapointsToAlarm = 4 }, "DatapointsToAlarm 4"},
		{"bad stat", func(d *Definition) { d.Statistic = "p999x" }, "Statistic"},
		{"no op", func(d *Definition) { d.Comparison = 0 }, "ComparisonOperator"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := base()
			c.mod(d)
			err := d.Validate()
			if c.want == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want it to contain %q", err, c.want)
			}
		})
	}
}
