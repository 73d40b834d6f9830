package logs_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/cwnb/cwnb/cwnb"
	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
	locallogs "github.com/cwnb/cwnb/cwnb/localcw/logs"
	"github.com/cwnb/cwnb/cwnb/localcw/scenario"
	"github.com/cwnb/cwnb/cwnb/logs"
)

var now = time.Date(2026, 11, 20, 0, 30, 0, 0, time.UTC)

// serve starts a local CloudWatch with Logs (and the named scenarios' log groups) and returns a
// real cloudwatchlogs client for it.
func serve(t testing.TB, scenarios ...string) *cloudwatchlogs.Client {
	t.Helper()
	opts := localcw.Options{Now: now}
	var groups []scenario.LogGroup
	for _, n := range scenarios {
		sc, _ := scenario.New(n, 1)
		opts.Scenarios = append(opts.Scenarios, sc)
		groups = append(groups, scenario.LogGroups(sc)...)
	}
	opts.Logs = func(m *localcw.Server) http.Handler {
		return locallogs.New(locallogs.Options{Now: now, Metrics: m, Groups: groups})
	}
	_, url := localcwtest.Start(t, opts)
	return cloudwatchlogs.New(cloudwatchlogs.Options{
		Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", ""),
		BaseEndpoint: aws.String(url),
		HTTPClient:   &http.Client{Transport: localcw.ClientTransport(awshttp.NewBuildableClient().GetTransport())},
	})
}

// put ingests messages, one every step from t0, into group g (stream s).
func put(t testing.TB, c *cloudwatchlogs.Client, g string, t0 time.Time, step time.Duration, msgs []string) {
	t.Helper()
	ctx := context.Background()
	c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(g)})
	c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(g), LogStreamName: aws.String("s")})
	for i := 0; i < len(msgs); i += 10000 {
		var evs []types.InputLogEvent
		for j := i; j < min(i+10000, len(msgs)); j++ {
			evs = append(evs, types.InputLogEvent{Message: aws.String(msgs[j]), Timestamp: aws.Int64(t0.Add(time.Duration(j) * step).UnixMilli())})
		}
		if _, err := c.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(g), LogStreamName: aws.String("s"), LogEvents: evs}); err != nil {
			t.Fatal(err)
		}
	}
}

func load(t testing.TB, c *cloudwatchlogs.Client, q logs.Query, opts ...logs.Option) *logs.Result {
	t.Helper()
	opts = append([]logs.Option{logs.WithClient(c), logs.WithCacheDir("-"), func(o *logs.Options) { o.Now = now; o.Poll = time.Millisecond }}, opts...)
	r, err := logs.Load(context.Background(), q, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// A stats-by-bin result becomes a regular grid: empty bins are NaN, or 0 for counts.
func TestGrid(t *testing.T) {
	c := serve(t)
	t0 := time.Date(2026, 11, 19, 10, 0, 0, 0, time.UTC)
	// events in minutes 0, 1 and 4 of a 6-minute window: latency = 10 × (i+1)
	var msgs []string
	var ts []time.Time
	for _, m := range []int{0, 0, 1, 4, 4, 4} {
		msgs = append(msgs, fmt.Sprintf(`{"latency":%d,"ep":"/e%d"}`, 10*(len(msgs)+1), len(msgs)%2))
		ts = append(ts, t0.Add(time.Duration(m)*time.Minute+time.Duration(len(msgs))*time.Second))
	}
	ctx := context.Background()
	c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/g")})
	c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("/g"), LogStreamName: aws.String("s")})
	var evs []types.InputLogEvent
	for i := range msgs {
		evs = append(evs, types.InputLogEvent{Message: aws.String(msgs[i]), Timestamp: aws.Int64(ts[i].UnixMilli())})
	}
	if _, err := c.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("/g"), LogStreamName: aws.String("s"), LogEvents: evs}); err != nil {
		t.Fatal(err)
	}
	q := logs.Query{Groups: []string{"/g"}, Query: "stats count(*) as n, avg(latency) as avg by bin(1m)", Start: t0, End: t0.Add(6 * time.Minute)}
	r := load(t, c, q)
	nan := math.NaN()
	wantN := []float64{2, 1, 0, 0, 3, 0}
	wantAvg := []float64{15, 30, nan, nan, 50, nan}
	if r.Period != time.Minute || len(r.Times()) != 6 || !r.Times()[5].Equal(t0.Add(5*time.Minute)) {
		t.Fatalf("grid: period %v, times %v", r.Period, r.Times())
	}
	if got := r.Floats("n"); !slices.Equal(got, wantN) {
		t.Errorf("n = %v, want %v (0 for empty bins)", got, wantN)
	}
	for i, v := range r.Floats("avg") {
		if !(v == wantAvg[i] || math.IsNaN(v) && math.IsNaN(wantAvg[i])) {
			t.Errorf("avg[%d] = %v, want %v (NaN for empty bins)", i, v, wantAvg[i])
		}
	}
	if names := r.Frame.Names(); !slices.Equal(names, []string{cwnb.TimeColumn, "n", "avg"}) {
		t.Errorf("frame columns %v", names)
	}
	if ft, err := time.Parse(time.RFC3339, r.Frame.Col(cwnb.TimeColumn).Records()[0]); err != nil || !ft.Equal(t0) {
		t.Errorf("first time of the frame = %v, %v", ft, err)
	}

	// grouped by another field too: a long frame, one grid per group, keys from the query
	q.Query = "stats count(*) as n by ep, bin(2m)"
	r = load(t, c, q)
	if !slices.Equal(r.Keys, []string{"ep"}) || r.Rows() != 6 {
		t.Fatalf("keys %v, %d rows; want [ep] and 2 groups × 3 bins", r.Keys, r.Rows())
	}
	// by hand: /e0 gets events 0, 2, 4 (minutes 0, 1, 4), /e1 events 1, 3, 5 (minutes 0, 4, 4)
	if got := r.Floats("n"); !slices.Equal(got, []float64{2, 0, 1, 1, 0, 2}) {
		t.Errorf("n by ep = %v", got)
	}
	times, groups, values := r.Pivot("n")
	if len(times) != 3 || !slices.Equal(groups, []string{"/e0", "/e1"}) || !slices.Equal(values[1], []float64{1, 0, 2}) {
		t.Errorf("Pivot = %v %v %v", times, groups, values)
	}
}

// More rows than one query may return arrive whole: the window is split by time and merged,
// every event exactly once, in time order.
func TestSplitRaw(t *testing.T) {
	c := serve(t)
	t0 := time.Date(2026, 11, 19, 8, 0, 0, 0, time.UTC)
	msgs := make([]string, 2500)
	for i := range msgs {
		msgs[i] = fmt.Sprintf(`{"i":%d,"v":"%d"}`, i, i%7)
	}
	put(t, c, "/raw", t0, 1300*time.Millisecond, msgs)
	var progress strings.Builder
	r := load(t, c, logs.Query{Groups: []string{"/raw"}, Query: "fields @timestamp, i", Start: t0, End: t0.Add(2 * time.Hour)}, logs.WithMaxRows(1000), logs.WithProgress(&progress))
	if n := strings.Count(progress.String(), " rows\n"); n != r.Queries {
		t.Errorf("progress: %d lines for %d queries:\n%s", n, r.Queries, progress.String())
	}
	got := r.Floats("i")
	if len(got) != len(msgs) || r.Splits == 0 {
		t.Fatalf("%d rows in %d queries (%d splits), want %d", len(got), r.Queries, r.Splits, len(msgs))
	}
	for i, v := range got {
		if v != float64(i) {
			t.Fatalf("row %d: i = %v, want %d (each event once, oldest first)", i, v, i)
		}
	}
	if ts := r.Times(); !ts[1].Equal(t0.Add(1300 * time.Millisecond)) {
		t.Errorf("timestamp[1] = %v", ts[1])
	}
	// the stats of the halves add up to the whole: count by bin over split windows
	rs := load(t, c, logs.Query{Groups: []string{"/raw"}, Query: "stats count(*) as n by bin(1m)", Start: t0, End: t0.Add(2 * time.Hour)}, logs.WithMaxRows(30))
	var total float64
	for _, v := range rs.Floats("n") {
		total += v
	}
	if total != float64(len(msgs)) || rs.Splits == 0 {
		t.Errorf("split stats: total %v over %d splits, want %d", total, rs.Splits, len(msgs))
	}
	// a pct over the whole window cannot be split: a clear error instead of a wrong answer
	_, err := logs.Load(context.Background(), logs.Query{Groups: []string{"/raw"}, Query: "stats pct(i, 99) by v", Start: t0, End: t0.Add(2 * time.Hour)},
		logs.WithClient(c), logs.WithCacheDir("-"), logs.WithMaxRows(3))
	if !errors.Is(err, logs.ErrTooManyRows) || !strings.Contains(err.Error(), "narrow the window") {
		t.Errorf("unsplittable: %v, want ErrTooManyRows saying what to do", err)
	}
}

// A stats query is split at the start of one of its bins, whatever the bin: weeks start on
// Monday (not on multiples of 7 days from 1970-01-01, a Thursday), a 1500ms bin on every other
// whole second. The split answer is the unsplit one.
func TestSplitAtBinStarts(t *testing.T) {
	c := serve(t)
	t0 := time.Date(2026, 11, 7, 1, 0, 0, 0, time.UTC) // a Saturday: three weeks, Monday to Monday
	msgs := make([]string, 930)
	for i := range msgs {
		msgs[i] = fmt.Sprintf(`{"v":"%d"}`, i%7)
	}
	for day := 0; day*72 < len(msgs); day++ { // a batch spans at most 24 hours
		put(t, c, "/weeks", t0.Add(time.Duration(day)*24*time.Hour), 20*time.Minute, msgs[day*72:min(len(msgs), day*72+72)])
	}
	fine := make([]string, 400)
	for i := range fine {
		fine[i] = fmt.Sprintf(`{"v":"%d"}`, i%3)
	}
	t1 := time.Date(2026, 11, 19, 9, 0, 0, 0, time.UTC)
	put(t, c, "/fine", t1, 700*time.Millisecond, fine)
	// weekly bins lie on the grid of Mondays: a week without events is a 0 count, not missing
	wk := load(t, c, logs.Query{Groups: []string{"/weeks"}, Query: "stats count(*) as n by bin(1w)", Start: t0.AddDate(0, 0, -12), End: now})
	var mondays []string
	for _, tm := range wk.Times() {
		mondays = append(mondays, tm.Format("Mon 2006-01-02"))
	}
	if got := fmt.Sprint(mondays, wk.Floats("n")); got != "[Mon 2026-10-26 Mon 2026-11-02 Mon 2026-11-09 Mon 2026-11-16] [0 141 504 285]" { // 47 hours of Nov 2-8 at 3 an hour, a whole week, the rest of 930
		t.Errorf("weekly grid: %s", got)
	}
	for _, c1 := range []struct {
		group, query string
		from, to     time.Time
		maxRows      int
	}{
		{"/weeks", "stats count(*) as n by bin(1w), v", t0, now, 10},
		{"/fine", "stats count(*) as n by bin(1500ms), v", t1, t1.Add(5 * time.Minute), 40},
	} {
		q := logs.Query{Groups: []string{c1.group}, Query: c1.query, Start: c1.from, End: c1.to}
		whole := load(t, c, q)
		split := load(t, c, q, logs.WithMaxRows(c1.maxRows))
		if whole.Splits != 0 || split.Splits == 0 {
			t.Fatalf("%s: %d and %d splits, want none and some", c1.query, whole.Splits, split.Splits)
		}
		if !slices.Equal(whole.Floats("n"), split.Floats("n")) || !slices.Equal(whole.Texts("v"), split.Texts("v")) || whole.Rows() != split.Rows() {
			t.Errorf("%s: split in %d queries, the answer differs:\n%v\n%v", c1.query, split.Queries, split.Floats("n"), whole.Floats("n"))
		}
	}
}

func TestTypesWarningsCacheAndHostileText(t *testing.T) {
	c := serve(t)
	t0 := time.Date(2026, 11, 19, 9, 0, 0, 0, time.UTC)
	put(t, c, "/h", t0, time.Second, []string{
		`{"code":"200","msg":"</script><b>x</b>","who":"o'brien \"quoted\""}`,
		`{"code":"n/a","msg":"ok","who":"b"}`,
		`{"code":"404","msg":"ok","who":"c"}`,
	})
	dir := t.TempDir()
	q := logs.Query{Title: "hostile", Groups: []string{"/h"}, Query: "fields @timestamp, code, msg, who", Start: t0, End: t0.Add(time.Hour)}
	opts := []logs.Option{logs.WithClient(c), logs.WithCacheDir(dir), func(o *logs.Options) { o.Now = now }}
	r, err := logs.Load(context.Background(), q, opts...)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := r.Column("code")
	if code.Kind != logs.Text || !slices.ContainsFunc(r.Warnings, func(w cwnb.Warning) bool { return errors.Is(w, cwnb.ErrPartialData) }) || !strings.Contains(r.Warnings.String(), `"code" mixes numbers and text`) {
		t.Errorf("mixed column: kind %v, warnings %q", code.Kind, r.Warnings)
	}
	h := r.HTML()
	if strings.Contains(h, "</script>") || !strings.Contains(h, "&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;") || !strings.Contains(h, "o&#39;brien &#34;quoted&#34;") {
		t.Errorf("HTML does not escape log text: %s", h)
	}
	if got := r.Texts("msg")[0]; got != "</script><b>x</b>" {
		t.Errorf("frame text = %q, want the message as it is", got)
	}
	if r.Cached || r.Queries != 1 {
		t.Errorf("first load: cached %v, %d queries", r.Cached, r.Queries)
	}
	r2, err := logs.Load(context.Background(), q, opts...)
	if err != nil {
		t.Fatal(err)
	}
	if !r2.Cached || r2.Queries != 0 || !slices.Equal(r2.Texts("who"), r.Texts("who")) {
		t.Errorf("second load: cached %v, %d queries; want the cache", r2.Cached, r2.Queries)
	}
	// What a notebook saves is the same whether CloudWatch Logs or the cache answered.
	if r.Summary() != r2.Summary() || r.String() != r2.String() {
		t.Errorf("the display differs between a cold and a cached load:\n%s\n%s", r.String(), r2.String())
	}
	// offline: the cached window answers, another window is a clear error
	r3, err := logs.Load(context.Background(), q, append(opts, func(o *logs.Options) { o.Offline = true })...)
	if err != nil || !r3.Cached {
		t.Errorf("offline load of a cached window: %v", err)
	}
	q2 := q
	q2.End = q.End.Add(time.Minute)
	if _, err := logs.Load(context.Background(), q2, append(opts, func(o *logs.Options) { o.Offline = true })...); !errors.Is(err, cwnb.ErrOffline) {
		t.Errorf("offline miss: %v, want cwnb.ErrOffline", err)
	}
	if r.BytesScanned <= 0 || r.Cost != r.BytesScanned/1e9*logs.CostPerGB || !strings.Contains(r.Summary(), "est. $") {
		t.Errorf("cost: %v bytes, $%v; summary %q", r.BytesScanned, r.Cost, r.Summary())
	}
}

// The seed-style query of the issue over the api scenario, through the real SDK: per-minute
// request counts equal what the log holds, on a full grid.
func TestScenarioLoad(t *testing.T) {
	c := serve(t, "api")
	q := logs.Query{Groups: []string{scenario.APILogGroup},
		Query: "filter ispresent(Latency) | stats count(*) as n, avg(Latency), pct(Latency, 95), pct(Latency, 99) by bin(5m)"}.Window("2026-11-19T09:00:00Z", "1h")
	r := load(t, c, q)
	if r.Rows() != 12 || r.Period != 5*time.Minute {
		t.Fatalf("%d rows at %v, want 12 five-minute bins", r.Rows(), r.Period)
	}
	var n float64
	for _, v := range r.Floats("n") {
		n += v
	}
	if n != r.RecordsMatched || n < 100000 {
		t.Errorf("sum of counts %v, records matched %v", n, r.RecordsMatched)
	}
	p99 := r.Floats("pct(Latency, 99)")
	if p99[0] < 3000 || p99[2] > 1500 {
		t.Errorf("p99 of :00-:05 = %v, of :10-:15 = %v; want the backup's slow requests only at the top of the hour", p99[0], p99[2])
	}
}

// Cancelling a load stops its query on the service instead of leaving it running.
func TestCancelStopsQuery(t *testing.T) {
	c := serve(t, "api")
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	q := logs.Query{Groups: []string{scenario.APILogGroup}, Query: "stats count(*)", Start: now.Add(-72 * time.Hour), End: now.Add(-time.Hour)}
	_, err := logs.Load(ctx, q, logs.WithClient(c), logs.WithCacheDir("-"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Load: %v, want the context's deadline", err)
	}
	dq, err := c.DescribeQueries(context.Background(), &cloudwatchlogs.DescribeQueriesInput{})
	if err != nil || len(dq.Queries) != 1 || dq.Queries[0].Status != types.QueryStatusCancelled {
		t.Errorf("DescribeQueries = %+v, %v; want the query Cancelled", dq, err)
	}
}

// Log text that looks like markup stays text in a chart: a group key holding </script> does not
// end the chart's script.
func TestHostileGroupKeyInChart(t *testing.T) {
	c := serve(t)
	t0 := time.Date(2026, 11, 19, 9, 0, 0, 0, time.UTC)
	evil := `</script><img src=x onerror=alert(1)>"'`
	var msgs []string
	for i := range 20 {
		ep := "/ok"
		if i%2 == 0 {
			ep = evil
		}
		b, _ := json.Marshal(map[string]any{"ep": ep, "ms": i})
		msgs = append(msgs, string(b))
	}
	put(t, c, "/evil", t0, 30*time.Second, msgs)
	r := load(t, c, logs.Query{Groups: []string{"/evil"}, Query: "stats avg(ms) as avg by ep, bin(1m)", Start: t0, End: t0.Add(10 * time.Minute)})
	if _, groups, _ := r.Pivot("avg"); !slices.Contains(groups, evil) {
		t.Fatalf("groups %q, want the hostile key as it is", groups)
	}
	ch, err := r.Plot("avg by ep", "None", "avg")
	if err != nil {
		t.Fatal(err)
	}
	h, err := ch.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h, "<img src=x") || strings.Count(h, "</script>") != strings.Count(h, "<script") {
		t.Errorf("the group key escaped the chart's script:\n%s", h)
	}
}

// A damaged cache file is not an answer: the load goes to the service again and rewrites it.
func TestCorruptCacheRefetches(t *testing.T) {
	c := serve(t)
	t0 := time.Date(2026, 11, 19, 9, 0, 0, 0, time.UTC)
	put(t, c, "/c", t0, time.Second, []string{`{"a":1}`, `{"a":2}`})
	dir := t.TempDir()
	q := logs.Query{Groups: []string{"/c"}, Query: "stats sum(a) as s", Start: t0, End: t0.Add(time.Hour)}
	opts := []logs.Option{logs.WithClient(c), logs.WithCacheDir(dir), func(o *logs.Options) { o.Now = now }}
	if _, err := logs.Load(context.Background(), q, opts...); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.json.gz"))
	if len(files) != 1 {
		t.Fatalf("cache files %v", files)
	}
	if err := os.WriteFile(files[0], []byte("not gzip"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := logs.Load(context.Background(), q, opts...)
	if err != nil || r.Cached || r.Queries != 1 || r.Floats("s")[0] != 3 {
		t.Fatalf("after corruption: %v, cached %v, %d queries", err, r != nil && r.Cached, r.Queries)
	}
	if r2, err := logs.Load(context.Background(), q, opts...); err != nil || !r2.Cached {
		t.Errorf("the rewritten entry: %v", err)
	}
}

// A query the service holds Scheduled before it runs loads the same frame as one that runs at
// once: the poller waits through Scheduled as through Running.
func TestLoadWaitsThroughScheduled(t *testing.T) {
	frame := func(schedule time.Duration) (*logs.Result, time.Duration) {
		sc, _ := scenario.New("api", 1)
		groups := scenario.LogGroups(sc)
		_, url := localcwtest.Start(t, localcw.Options{Now: now, Scenarios: []scenario.Scenario{sc},
			Logs: func(m *localcw.Server) http.Handler {
				return locallogs.New(locallogs.Options{Now: now, Metrics: m, Groups: groups, Schedule: schedule})
			}})
		c := cloudwatchlogs.New(cloudwatchlogs.Options{
			Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", ""),
			BaseEndpoint: aws.String(url),
			HTTPClient:   &http.Client{Transport: localcw.ClientTransport(awshttp.NewBuildableClient().GetTransport())},
		})
		q := logs.Query{Groups: []string{scenario.APILogGroup}, Query: "stats count(*) as n by bin(1m)"}.Window("2026-11-19T09:00:00Z", "10m")
		start := time.Now()
		r := load(t, c, q)
		return r, time.Since(start)
	}
	held, took := frame(300 * time.Millisecond)
	if took < 300*time.Millisecond {
		t.Errorf("load took %v, less than the 300ms the query was scheduled", took)
	}
	at, _ := frame(-1)
	if held.Rows() != 10 || !slices.Equal(held.Floats("n"), at.Floats("n")) || held.RecordsMatched != at.RecordsMatched {
		t.Errorf("scheduled first: %d rows %v (%v matched); run at once: %v (%v matched)", held.Rows(), held.Floats("n"), held.RecordsMatched, at.Floats("n"), at.RecordsMatched)
	}
}
