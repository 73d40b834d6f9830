package scenario

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cwnb/cwnb/cwnb/insights"
)

// runLambdaQuery runs an Insights query over the events of a lambda log group in [start, end),
// their fields discovered as the Logs server discovers them.
func runLambdaQuery(t *testing.T, g LogGroup, start, end time.Time, query string) (*insights.Result, []string) {
	t.Helper()
	q, err := insights.Parse(query)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	events := func(yield func(*insights.Event) bool) {
		g.Generate(start, end, func(ms int64, stream string, message []byte) bool {
			m := string(message)
			msgs = append(msgs, m)
			return yield(&insights.Event{Timestamp: ms, LogStream: stream, Message: m, Fields: insights.Discover(m, true)})
		})
	}
	res, err := q.Run(events, 0)
	if err != nil {
		t.Fatal(err)
	}
	return res, msgs
}

// The REPORT line of a cold start carries Init Duration: ispresent(@initDuration) counts
// exactly the scenario's cold starts. The thumbnailer runs in bursts between idle minutes, so
// a window from idle minute to idle minute holds whole invocations: its expected count is the
// cold starts of its minutes.
func TestLambdaInitDurationOnColdStarts(t *testing.T) {
	sc := mustNew(t, "lambda", 1)
	f := sc.(*set).lambda["thumbnailer"]
	var g LogGroup
	for _, lg := range LogGroups(sc) {
		if lg.Name == LambdaLogGroupPrefix+"thumbnailer" {
			g = lg
		}
	}
	// three windows, each from an idle minute to the next idle minute after a burst
	day := time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC).Unix()
	windows := 0
	for sec := day; sec < day+86400 && windows < 3; sec += 60 {
		if f.invocations(sec) >= 1 || f.invocations(sec+60) < 1 {
			continue
		}
		end := sec + 60
		for end < sec+86400 && f.invocations(end) >= 1 {
			end += 60
		}
		want := 0
		var colds []coldInvocation
		for m := sec; m < end; m += 60 {
			colds = f.coldsAt(m, colds)
		}
		want = len(colds)
		if want == 0 {
			sec = end
			continue
		}
		windows++
		t.Logf("%v..%v: %d cold starts", time.Unix(sec, 0).UTC(), time.Unix(end, 0).UTC(), want)
		start, stop := time.Unix(sec, 0), time.Unix(end+60, 0) // the idle minute after: the last invocations end in it
		res, msgs := runLambdaQuery(t, g, start, stop, "filter ispresent(@initDuration) | stats count() as n, min(@initDuration) as lo, max(@initDuration) as hi, min(@duration - @initDuration) as warm")
		if len(res.Rows) != 1 {
			t.Fatalf("%v..%v: rows %v", start, stop, res.Rows)
		}
		row := map[string]string{}
		for _, fd := range res.Rows[0] {
			row[fd.Field] = fd.Value
		}
		if row["n"] != strconv.Itoa(want) {
			t.Errorf("%v..%v: ispresent(@initDuration) counts %s, the scenario has %d cold starts", start.UTC(), stop.UTC(), row["n"], want)
		}
		// counted in the text too: every cold REPORT line, and only REPORT lines
		text := 0
		for _, m := range msgs {
			if strings.Contains(m, "Init Duration: ") {
				if !strings.HasPrefix(m, "REPORT ") {
					t.Fatalf("Init Duration outside a REPORT line: %q", m)
				}
				text++
			}
		}
		if text != want {
			t.Errorf("%d lines with Init Duration, want %d", text, want)
		}
		// an init duration is the cold start's added time, within the function's range, and the
		// invocation's Duration holds it plus a positive warm part
		var lo, hi, warm float64
		for _, c := range colds {
			if lo == 0 || c.init < lo {
				lo = c.init
			}
			hi = max(hi, c.init)
		}
		if lo < f.coldMin || hi > f.coldMin+f.coldSpan {
			t.Fatalf("reference init durations %v..%v outside %v+%v", lo, hi, f.coldMin, f.coldSpan)
		}
		if got := parseF(row["lo"]); math.Abs(got-lo) > 0.006 {
			t.Errorf("min(@initDuration) %v, want %v", got, lo)
		}
		if got := parseF(row["hi"]); math.Abs(got-hi) > 0.006 {
			t.Errorf("max(@initDuration) %v, want %v", got, hi)
		}
		if warm = parseF(row["warm"]); warm <= 0 {
			t.Errorf("min(@duration - @initDuration) = %v: a cold start's Duration must include its init", warm)
		}
		sec = end
	}
	if windows < 3 {
		t.Fatalf("only %d bursts with cold starts in a day of the thumbnailer", windows)
	}

	// warm invocations carry none: the orders-api's steady traffic has few cold starts among
	// thousands of invocations a minute
	var orders LogGroup
	for _, lg := range LogGroups(sc) {
		if lg.Name == LambdaLogGroupPrefix+"orders-api" {
			orders = lg
		}
	}
	start := time.Date(2026, 11, 19, 10, 0, 0, 0, time.UTC)
	res, _ := runLambdaQuery(t, orders, start, start.Add(10*time.Minute), `filter @type = "REPORT" | stats count() as reports, count(@initDuration) as cold`)
	reports, cold := parseF(res.Rows[0][0].Value), parseF(res.Rows[0][1].Value)
	if reports < 10000 || cold >= reports/100 {
		t.Errorf("orders-api 10:00-10:10: %v REPORT lines, %v with @initDuration; want most warm", reports, cold)
	}
}

func parseF(s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return v
}
