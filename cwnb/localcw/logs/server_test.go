package logs_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// testEvent is one event the tests ingest, with the fields its JSON message carries.
type testEvent struct {
	t        time.Time
	stream   string
	endpoint string
	latency  float64
	status   int
	customer string
	msg      string
}

func testEvents(n int, start time.Time) []testEvent {
	eps := []string{"/a", "/b", "/c"}
	out := make([]testEvent, n)
	for i := range out {
		e := testEvent{
			t: start.Add(time.Duration(i) * 7 * time.Second), stream: []string{"a", "b"}[i%2],
			endpoint: eps[i%3], latency: float64((i*37)%500 + 10), status: 200, customer: fmt.Sprintf("c%d", i%5),
		}
		if i%11 == 0 {
			e.status = 500
		}
		e.msg = fmt.Sprintf(`{"endpoint":%q,"latency":%v,"status":%d,"customer":%q}`, e.endpoint, e.latency, e.status, e.customer)
		out[i] = e
	}
	return out
}

// ingest creates group g with streams a and b and puts evs (one call per stream).
func (e *env) ingest(t *testing.T, g string, evs []testEvent) {
	t.Helper()
	ctx := context.Background()
	if _, err := e.client.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(g)}); err != nil {
		t.Fatal(err)
	}
	for _, st := range []string{"a", "b"} {
		if _, err := e.client.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(g), LogStreamName: aws.String(st)}); err != nil {
			t.Fatal(err)
		}
		var batch []types.InputLogEvent
		for _, ev := range evs {
			if ev.stream == st {
				batch = append(batch, types.InputLogEvent{Message: aws.String(ev.msg), Timestamp: aws.Int64(ev.t.UnixMilli())})
			}
		}
		for len(batch) > 0 {
			n := min(len(batch), 10000)
			out, err := e.client.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(g), LogStreamName: aws.String(st), LogEvents: batch[:n]})
			if err != nil {
				t.Fatal(err)
			}
			if out.RejectedLogEventsInfo != nil {
				t.Fatalf("events rejected: %+v", out.RejectedLogEventsInfo)
			}
			batch = batch[n:]
		}
	}
}

// nearestRank is the reference percentile: sort, take rank ceil(p/100·n).
func nearestRank(xs []float64, p float64) float64 {
	s := slices.Clone(xs)
	sort.Float64s(s)
	k := int(math.Ceil(p / 100 * float64(len(s))))
	if k < 1 {
		k = 1
	}
	return s[k-1]
}

func approx(t *testing.T, what, got string, want float64) {
	t.Helper()
	f, err := strconv.ParseFloat(got, 64)
	if err != nil || math.Abs(f-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %q, want %v", what, got, want)
	}
}

const tsLayout = "2006-01-02 15:04:05.000"

func TestQueryResults(t *testing.T) {
	e := start(t)
	t0 := testNow.Add(-2 * time.Hour).Add(123 * time.Millisecond)
	evs := testEvents(600, t0) // 70 minutes
	e.ingest(t, "/test/app", evs)
	g := []string{"/test/app"}
	from, to := t0.Add(-time.Minute), testNow

	t.Run("raw rows newest first with @ptr last", func(t *testing.T) {
		rows, out := e.query(t, g, from, to, "fields @timestamp, latency | filter status = 500", 0)
		var want []testEvent
		for _, ev := range evs {
			if ev.status == 500 {
				want = append(want, ev)
			}
		}
		slices.Reverse(want)
		if len(rows) != len(want) {
			t.Fatalf("%d rows, want %d", len(rows), len(want))
		}
		m, order := plain(rows)
		for i, w := range want {
			if !slices.Equal(order[i], []string{"@timestamp", "latency", "@ptr"}) {
				t.Fatalf("row %d fields %v, want [@timestamp latency @ptr]", i, order[i])
			}
			if m[i]["@timestamp"] != w.t.UTC().Format(tsLayout) || m[i]["latency"] != strconv.FormatFloat(w.latency, 'f', -1, 64) {
				t.Errorf("row %d = %v, want %s %v", i, m[i], w.t.UTC().Format(tsLayout), w.latency)
			}
		}
		if out.Statistics.RecordsMatched != float64(len(want)) || out.Statistics.RecordsScanned != float64(len(evs)) {
			t.Errorf("statistics %+v, want matched %d scanned %d", out.Statistics, len(want), len(evs))
		}
		// GetLogRecord reads the event a @ptr points to.
		rec, err := e.client.GetLogRecord(context.Background(), &cloudwatchlogs.GetLogRecordInput{LogRecordPointer: aws.String(m[0]["@ptr"])})
		if err != nil {
			t.Fatal(err)
		}
		if rec.LogRecord["@message"] != want[0].msg || rec.LogRecord["@timestamp"] != strconv.FormatInt(want[0].t.UnixMilli(), 10) ||
			rec.LogRecord["@log"] != "123456789012:/test/app" || rec.LogRecord["endpoint"] != want[0].endpoint {
			t.Errorf("GetLogRecord = %v, want the event %q", rec.LogRecord, want[0].msg)
		}
	})

	t.Run("stats by field", func(t *testing.T) {
		rows, _ := e.query(t, g, from, to, "stats count(*) as n, avg(latency), max(latency), pct(latency, 90), stddev(latency), earliest(customer), latest(customer) by endpoint", 0)
		m, order := plain(rows)
		eps := []string{"/a", "/b", "/c"}
		if len(m) != 3 {
			t.Fatalf("%d rows, want 3", len(m))
		}
		for i, ep := range eps {
			var xs []float64
			var first, last testEvent
			for _, ev := range evs {
				if ev.endpoint == ep {
					if len(xs) == 0 {
						first = ev
					}
					last = ev
					xs = append(xs, ev.latency)
				}
			}
			var sum, mx float64
			for _, x := range xs {
				sum += x
				mx = max(mx, x)
			}
			mean := sum / float64(len(xs))
			var ss float64
			for _, x := range xs {
				ss += (x - mean) * (x - mean)
			}
			r := m[i]
			if !slices.Equal(order[i], []string{"endpoint", "n", "avg(latency)", "max(latency)", "pct(latency, 90)", "stddev(latency)", "earliest(customer)", "latest(customer)"}) {
				t.Fatalf("fields %v", order[i])
			}
			if r["endpoint"] != ep || r["n"] != strconv.Itoa(len(xs)) {
				t.Errorf("row %d: %v, want endpoint %s n %d", i, r, ep, len(xs))
			}
			approx(t, ep+" avg", r["avg(latency)"], mean)
			approx(t, ep+" max", r["max(latency)"], mx)
			approx(t, ep+" pct90", r["pct(latency, 90)"], nearestRank(xs, 90))
			approx(t, ep+" stddev", r["stddev(latency)"], math.Sqrt(ss/float64(len(xs)-1)))
			if r["earliest(customer)"] != first.customer || r["latest(customer)"] != last.customer {
				t.Errorf("%s earliest/latest = %s/%s, want %s/%s", ep, r["earliest(customer)"], r["latest(customer)"], first.customer, last.customer)
			}
		}
	})

	t.Run("stats by bin", func(t *testing.T) {
		rows, _ := e.query(t, g, from, to, "filter status != 500 | stats count(*), sum(latency) by bin(5m)", 0)
		type agg struct{ n, sum float64 }
		want := map[int64]*agg{}
		for _, ev := range evs {
			if ev.status == 500 {
				continue
			}
			b := ev.t.UnixMilli() / 300000 * 300000
			if want[b] == nil {
				want[b] = &agg{}
			}
			want[b].n++
			want[b].sum += ev.latency
		}
		keys := make([]int64, 0, len(want))
		for k := range want {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		m, _ := plain(rows)
		if len(m) != len(keys) {
			t.Fatalf("%d bins, want %d", len(m), len(keys))
		}
		for i, k := range keys {
			if m[i]["bin(5m)"] != time.UnixMilli(k).UTC().Format(tsLayout) {
				t.Errorf("bin %d = %q, want %s", i, m[i]["bin(5m)"], time.UnixMilli(k).UTC().Format(tsLayout))
			}
			approx(t, "count", m[i]["count(*)"], want[k].n)
			approx(t, "sum", m[i]["sum(latency)"], want[k].sum)
		}
	})

	t.Run("filter, parse, sort, limit, dedup, display", func(t *testing.T) {
		rows, _ := e.query(t, g, from, to, `filter latency > 200 and endpoint in ["/a", "/b"] and not customer like /c[34]/ | stats sum(latency) as s, count_distinct(customer) as d`, 0)
		var s float64
		cust := map[string]bool{}
		for _, ev := range evs {
			if ev.latency > 200 && (ev.endpoint == "/a" || ev.endpoint == "/b") && ev.customer != "c3" && ev.customer != "c4" {
				s += ev.latency
				cust[ev.customer] = true
			}
		}
		m, _ := plain(rows)
		approx(t, "sum", m[0]["s"], s)
		approx(t, "distinct", m[0]["d"], float64(len(cust)))

		rows, _ = e.query(t, g, from, to, `parse @message '"customer":"*"' as cust | stats count(*) by cust`, 0)
		m, _ = plain(rows)
		if len(m) != 5 || m[0]["cust"] != "c0" || m[0]["count(*)"] != strconv.Itoa((len(evs)+4)/5) {
			t.Errorf("parse glob: %v", m)
		}
		rows, _ = e.query(t, g, from, to, `parse @message /"endpoint":"(?<ep>[^"]+)"/ | sort latency desc, @timestamp asc | limit 4 | display ep, latency`, 0)
		sorted := slices.Clone(evs)
		slices.SortStableFunc(sorted, func(a, b testEvent) int {
			if a.latency != b.latency {
				if a.latency > b.latency {
					return -1
				}
				return 1
			}
			return a.t.Compare(b.t)
		})
		m, order := plain(rows)
		for i := range 4 {
			if m[i]["ep"] != sorted[i].endpoint || m[i]["latency"] != strconv.FormatFloat(sorted[i].latency, 'f', -1, 64) ||
				!slices.Equal(order[i], []string{"ep", "latency", "@ptr"}) {
				t.Errorf("sorted row %d = %v (%v), want %s %v", i, m[i], order[i], sorted[i].endpoint, sorted[i].latency)
			}
		}
		rows, _ = e.query(t, g, from, to, `fields endpoint | dedup endpoint`, 0)
		m, _ = plain(rows)
		var want []string
		for i := len(evs) - 1; i >= 0 && len(want) < 3; i-- {
			if !slices.Contains(want, evs[i].endpoint) {
				want = append(want, evs[i].endpoint)
			}
		}
		var got []string
		for _, r := range m {
			got = append(got, r["endpoint"])
		}
		if !slices.Equal(got, want) {
			t.Errorf("dedup = %v, want %v (newest first)", got, want)
		}
	})
}

func TestQueryErrors(t *testing.T) {
	e := start(t)
	e.ingest(t, "/test/app", testEvents(10, testNow.Add(-time.Hour)))
	ctx := context.Background()
	for _, tc := range []struct {
		name, q, code, mention string
	}{
		{"unsupported function", "stats median(latency)", "MalformedQueryException", `"median"`},
		{"unsupported command", "fields a | unnest b", "MalformedQueryException", `"unnest"`},
		{"syntax", "filter (latency > 3", "MalformedQueryException", "column"},
		{"bad period", "stats count(*) by bin(5x)", "MalformedQueryException", "5x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.client.StartQuery(ctx, &cloudwatchlogs.StartQueryInput{LogGroupName: aws.String("/test/app"),
				StartTime: aws.Int64(testNow.Add(-2 * time.Hour).Unix()), EndTime: aws.Int64(testNow.Unix()), QueryString: aws.String(tc.q)})
			var mq *types.MalformedQueryException
			if !errorsAs(err, &mq) || !strings.Contains(err.Error(), tc.mention) {
				t.Errorf("StartQuery %q: %v, want %s mentioning %s", tc.q, err, tc.code, tc.mention)
			}
		})
	}
	_, err := e.client.StartQuery(ctx, &cloudwatchlogs.StartQueryInput{LogGroupName: aws.String("/nope"),
		StartTime: aws.Int64(1), EndTime: aws.Int64(2), QueryString: aws.String("fields @message")})
	var nf *types.ResourceNotFoundException
	if !errorsAs(err, &nf) {
		t.Errorf("unknown group: %v, want ResourceNotFoundException", err)
	}
	_, err = e.client.StartQuery(ctx, &cloudwatchlogs.StartQueryInput{LogGroupName: aws.String("/test/app"),
		StartTime: aws.Int64(1), EndTime: aws.Int64(2), QueryString: aws.String("fields @message"), Limit: aws.Int32(100001)})
	var ip *types.InvalidParameterException
	if !errorsAs(err, &ip) {
		t.Errorf("limit 100001: %v, want InvalidParameterException", err)
	}
	// stopping a finished query is an InvalidParameterException, as the service answers
	sq, err := e.client.StartQuery(ctx, &cloudwatchlogs.StartQueryInput{LogGroupName: aws.String("/test/app"),
		StartTime: aws.Int64(1), EndTime: aws.Int64(testNow.Unix()), QueryString: aws.String("fields @message")})
	if err != nil {
		t.Fatal(err)
	}
	e.logs.Wait(*sq.QueryId)
	if _, err := e.client.StopQuery(ctx, &cloudwatchlogs.StopQueryInput{QueryId: sq.QueryId}); !errorsAs(err, &ip) {
		t.Errorf("StopQuery of a complete query: %v, want InvalidParameterException", err)
	}
	dq, err := e.client.DescribeQueries(ctx, &cloudwatchlogs.DescribeQueriesInput{LogGroupName: aws.String("/test/app")})
	if err != nil || len(dq.Queries) != 1 || aws.ToString(dq.Queries[0].QueryId) != *sq.QueryId || dq.Queries[0].Status != types.QueryStatusComplete {
		t.Errorf("DescribeQueries = %+v, %v; want the one complete query", dq, err)
	}
}

func TestPutLogEventsRules(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	g, s := aws.String("/rules"), aws.String("s")
	_, err := e.client.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: g, LogStreamName: s,
		LogEvents: []types.InputLogEvent{{Message: aws.String("x"), Timestamp: aws.Int64(testNow.UnixMilli())}}})
	var nf *types.ResourceNotFoundException
	if !errorsAs(err, &nf) {
		t.Errorf("missing group: %v, want ResourceNotFoundException", err)
	}
	e.client.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: g})
	e.client.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: g, LogStreamName: s})
	_, err = e.client.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: g})
	var ae *types.ResourceAlreadyExistsException
	if !errorsAs(err, &ae) {
		t.Errorf("second CreateLogGroup: %v, want ResourceAlreadyExistsException", err)
	}
	ev := func(d time.Duration, msg string) types.InputLogEvent {
		return types.InputLogEvent{Message: aws.String(msg), Timestamp: aws.Int64(testNow.Add(d).UnixMilli())}
	}
	_, err = e.client.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: g, LogStreamName: s,
		LogEvents: []types.InputLogEvent{ev(0, "b"), ev(-time.Second, "a")}})
	var ip *types.InvalidParameterException
	if !errorsAs(err, &ip) || !strings.Contains(err.Error(), "chronological") {
		t.Errorf("out of order: %v, want InvalidParameterException about chronological order", err)
	}
	// too old (> 14 days) and too new (> 2 h) are rejected one by one; the rest is stored
	out, err := e.client.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: g, LogStreamName: s,
		LogEvents: []types.InputLogEvent{ev(-15*24*time.Hour, "old1"), ev(-15*24*time.Hour+time.Minute, "old2"), ev(-time.Hour, "ok"), ev(3*time.Hour, "new")}})
	if err == nil && out.RejectedLogEventsInfo != nil {
		// the batch spans more than 24 h: that is an error
		t.Errorf("a batch spanning 15 days was accepted: %+v", out.RejectedLogEventsInfo)
	}
	day := 24 * time.Hour
	out, err = e.client.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: g, LogStreamName: s,
		LogEvents: []types.InputLogEvent{ev(-14*day-time.Hour, "old1"), ev(-14*day-time.Minute, "old2"), ev(-14*day+time.Hour, "ok1")}})
	if err != nil {
		t.Fatal(err)
	}
	if r := out.RejectedLogEventsInfo; r == nil || aws.ToInt32(r.TooOldLogEventEndIndex) != 1 || r.TooNewLogEventStartIndex != nil {
		t.Errorf("rejectedLogEventsInfo = %+v, want tooOldLogEventEndIndex 1", r)
	}
	out, err = e.client.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: g, LogStreamName: s,
		LogEvents: []types.InputLogEvent{ev(-time.Hour, "ok2"), ev(2*time.Hour+time.Second, "new1"), ev(3*time.Hour, "new2")}})
	if err != nil {
		t.Fatal(err)
	}
	if r := out.RejectedLogEventsInfo; r == nil || aws.ToInt32(r.TooNewLogEventStartIndex) != 1 || r.TooOldLogEventEndIndex != nil {
		t.Errorf("rejectedLogEventsInfo = %+v, want tooNewLogEventStartIndex 1", r)
	}
	got, err := e.client.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: g, LogStreamName: s, StartFromHead: aws.Bool(true),
		StartTime: aws.Int64(testNow.Add(-15 * day).UnixMilli())})
	var msgs []string
	for _, e := range got.Events {
		msgs = append(msgs, aws.ToString(e.Message))
	}
	if err != nil || !slices.Equal(msgs, []string{"ok1", "ok2"}) {
		t.Errorf("GetLogEvents = %v, %v; want the accepted events ok1, ok2", msgs, err)
	}
	fl, err := e.client.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: g, FilterPattern: aws.String("?ok2 ?nothing"),
		StartTime: aws.Int64(testNow.Add(-15 * day).UnixMilli())})
	if err != nil || len(fl.Events) != 1 || aws.ToString(fl.Events[0].Message) != "ok2" {
		t.Errorf("FilterLogEvents = %+v, %v; want ok2", fl, err)
	}
}

func errorsAs[T error](err error, target *T) bool {
	if err == nil {
		return false
	}
	return asError(err, target)
}

// Several log groups in one query (merged newest first), StartQuery times in milliseconds,
// system fields, and FilterLogEvents' pattern syntax.
func TestSeveralGroupsMillisAndPatterns(t *testing.T) {
	e := start(t)
	t0 := testNow.Add(-time.Hour)
	a := testEvents(40, t0)
	b := testEvents(30, t0.Add(3*time.Second))
	e.ingest(t, "/one", a)
	e.ingest(t, "/two", b)
	ctx := context.Background()
	rows, out := e.query(t, []string{"/one", "/two"}, t0, testNow, "fields @timestamp, @log, @logStream, @ingestionTime", 0)
	if len(rows) != 70 || out.Statistics.RecordsScanned != 70 {
		t.Fatalf("%d rows, %v scanned; want 70", len(rows), out.Statistics.RecordsScanned)
	}
	m, _ := plain(rows)
	logs := map[string]int{}
	for i, r := range m {
		logs[r["@log"]]++
		if i > 0 && r["@timestamp"] > m[i-1]["@timestamp"] {
			t.Fatalf("row %d newer than row %d: %s > %s", i, i-1, r["@timestamp"], m[i-1]["@timestamp"])
		}
		if r["@logStream"] != "a" && r["@logStream"] != "b" || r["@ingestionTime"] != testNow.Format(tsLayout) {
			t.Fatalf("row %d: %v", i, r)
		}
	}
	if logs["123456789012:/one"] != 40 || logs["123456789012:/two"] != 30 {
		t.Errorf("rows per @log: %v", logs)
	}
	// the same window in milliseconds: both ends inclusive to the millisecond
	sq, err := e.client.StartQuery(ctx, &cloudwatchlogs.StartQueryInput{LogGroupNames: []string{"/one"}, QueryString: aws.String("stats count(*) as n"),
		StartTime: aws.Int64(a[1].t.UnixMilli()), EndTime: aws.Int64(a[5].t.UnixMilli())})
	if err != nil {
		t.Fatal(err)
	}
	e.logs.Wait(*sq.QueryId)
	r, err := e.client.GetQueryResults(ctx, &cloudwatchlogs.GetQueryResultsInput{QueryId: sq.QueryId})
	if err != nil || len(r.Results) != 1 || aws.ToString(r.Results[0][0].Value) != "5" {
		t.Errorf("millisecond window [event 1, event 5]: %+v, %v; want 5 events", r, err)
	}
	// filter patterns, with the answer computed from the events
	for _, c := range []struct {
		pattern string
		want    func(ev testEvent) bool
	}{
		{`{ $.status = 500 }`, func(ev testEvent) bool { return ev.status == 500 }},
		{`{ $.latency > 300 && $.endpoint = "/a" }`, func(ev testEvent) bool { return ev.latency > 300 && ev.endpoint == "/a" }},
		{`{ $.customer = "c1" || $.customer = "c2" }`, func(ev testEvent) bool { return ev.customer == "c1" || ev.customer == "c2" }},
		{`"/b" -c3`, func(ev testEvent) bool { return ev.endpoint == "/b" && ev.customer != "c3" }},
		{`?c0 ?c4`, func(ev testEvent) bool { return ev.customer == "c0" || ev.customer == "c4" }},
	} {
		fl, err := e.client.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("/one"), FilterPattern: aws.String(c.pattern),
			StartTime: aws.Int64(t0.UnixMilli())})
		if err != nil {
			t.Fatalf("%s: %v", c.pattern, err)
		}
		var got, want []string
		for _, ev := range fl.Events {
			got = append(got, aws.ToString(ev.Message))
		}
		for _, ev := range a {
			if c.want(ev) {
				want = append(want, ev.msg)
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: %d events, want %d", c.pattern, len(got), len(want))
		}
	}
}
