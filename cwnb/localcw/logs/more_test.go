package logs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
	"github.com/cwnb/cwnb/cwnb/localcw/logs"
	"github.com/cwnb/cwnb/cwnb/localcw/scenario"
)

// More than one page and more than the default 10,000 rows: the limit parameter raises the cap
// to 100,000, GetQueryResults pages by 10,000 with nextToken.
func TestPaginationAndLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests 25,000 events")
	}
	e := start(t)
	t0 := testNow.Add(-3 * time.Hour)
	evs := make([]testEvent, 25000)
	for i := range evs {
		evs[i] = testEvent{t: t0.Add(time.Duration(i) * 400 * time.Millisecond), stream: []string{"a", "b"}[i%2], msg: fmt.Sprintf(`{"i":%d}`, i)}
	}
	e.ingest(t, "/big", evs)
	g := []string{"/big"}
	rows, _ := e.query(t, g, t0, testNow, "fields i", 0)
	if len(rows) != 10000 {
		t.Errorf("no limit: %d rows, want the default 10000", len(rows))
	}
	rows, out := e.query(t, g, t0, testNow, "fields i", 25000)
	if len(rows) != 25000 || out.Statistics.RecordsMatched != 25000 {
		t.Fatalf("limit 25000: %d rows (matched %v), want 25000", len(rows), out.Statistics.RecordsMatched)
	}
	// newest first, every event exactly once
	m, _ := plain(rows)
	for i, r := range m {
		if r["i"] != strconv.Itoa(len(evs)-1-i) {
			t.Fatalf("row %d: i = %s, want %d", i, r["i"], len(evs)-1-i)
		}
	}
	rows, _ = e.query(t, g, t0, testNow, "fields i | limit 12345", 0)
	if len(rows) != 12345 {
		t.Errorf("query limit 12345: %d rows", len(rows))
	}
	// both ends inclusive, in seconds: [t0+10s, t0+19s] holds the events of 10 whole seconds
	rows, _ = e.query(t, g, t0.Add(10*time.Second), t0.Add(19*time.Second), "stats count(*) as n", 0)
	if m, _ := plain(rows); m[0]["n"] != "25" {
		t.Errorf("10 inclusive seconds: %v events, want 25 (one every 400 ms)", m[0]["n"])
	}
}

// An EMF document put through PutLogEvents becomes metrics that GetMetricData returns from the
// same local CloudWatch, and stays queryable as a log event.
func TestEMFRoundTrip(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	g, s := aws.String("/emf"), aws.String("s")
	e.client.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: g})
	e.client.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: g, LogStreamName: s})
	ts := testNow.Add(-10 * time.Minute).Truncate(time.Minute)
	doc := func(ms int64, latency string, service string) string {
		return fmt.Sprintf(`{"_aws":{"Timestamp":%d,"CloudWatchMetrics":[{"Namespace":"Shop","Dimensions":[["Service"],["Service","Op"]],`+
			`"Metrics":[{"Name":"Latency","Unit":"Milliseconds"},{"Name":"Hits","Unit":"Count"}]}]},`+
			`"Service":%q,"Op":"buy","Latency":%s,"Hits":1,"note":"</script>\"quoted\""}`, ms, service, latency)
	}
	msgs := []string{
		doc(ts.UnixMilli(), "[10, 20, 30]", "cart"),
		doc(ts.Add(20*time.Second).UnixMilli(), "40", "cart"),
		`{"_aws":{"CloudWatchMetrics":[]},"Latency":1}`, // no Timestamp: kept, no metrics
	}
	var evs []types.InputLogEvent
	for i, m := range msgs {
		evs = append(evs, types.InputLogEvent{Message: aws.String(m), Timestamp: aws.Int64(ts.Add(time.Duration(i) * 20 * time.Second).UnixMilli())})
	}
	if _, err := e.client.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: g, LogStreamName: s, LogEvents: evs}); err != nil {
		t.Fatal(err)
	}
	cw := localcwtest.Client(t, e.url)
	q := func(id, stat string, dims ...cwtypes.Dimension) cwtypes.MetricDataQuery {
		name := "Latency"
		if strings.HasPrefix(id, "h") {
			name = "Hits"
		}
		return cwtypes.MetricDataQuery{Id: aws.String(id), MetricStat: &cwtypes.MetricStat{
			Metric: &cwtypes.Metric{Namespace: aws.String("Shop"), MetricName: aws.String(name), Dimensions: dims},
			Period: aws.Int32(60), Stat: aws.String(stat)}}
	}
	svc := cwtypes.Dimension{Name: aws.String("Service"), Value: aws.String("cart")}
	op := cwtypes.Dimension{Name: aws.String("Op"), Value: aws.String("buy")}
	out, err := cw.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(ts.Add(-time.Minute)), EndTime: aws.Time(ts.Add(2 * time.Minute)),
		MetricDataQueries: []cwtypes.MetricDataQuery{q("sum", "Sum", svc), q("cnt", "SampleCount", svc, op), q("max", "Maximum", svc), q("hits", "Sum", svc, op)}})
	if err != nil {
		t.Fatal(err)
	}
	// by hand: values 10, 20, 30 and 40 in the minute at ts, for both dimension sets; Hits 1+1
	want := map[string]float64{"sum": 100, "cnt": 4, "max": 40, "hits": 2}
	for _, r := range out.MetricDataResults {
		id := aws.ToString(r.Id)
		if len(r.Values) != 1 || r.Values[0] != want[id] || !r.Timestamps[0].Equal(ts) {
			t.Errorf("%s: %v at %v, want %v at %v", id, r.Values, r.Timestamps, want[id], ts)
		}
	}
	rows, _ := e.query(t, []string{"/emf"}, ts.Add(-time.Minute), testNow, "fields note, Service | sort @timestamp asc", 0)
	m, _ := plain(rows)
	if len(m) != 3 || m[0]["note"] != `</script>"quoted"` || m[0]["Service"] != "cart" {
		t.Errorf("EMF events as log rows: %v", m)
	}
}

// The api scenario's request log and its metrics come from the same requests: per minute, the
// log's request and 5XX counts equal RequestCount and 5XXError, and its latencies are the
// Latency metric's samples (so the maximum agrees exactly).
func TestScenarioLogsAgreeWithMetrics(t *testing.T) {
	e := start(t, "api")
	ctx := context.Background()
	from := time.Date(2026, 11, 19, 9, 58, 0, 0, time.UTC)
	to := from.Add(5 * time.Minute)
	rows, _ := e.query(t, []string{"/myservice/api"}, from, to.Add(-time.Second),
		`filter ispresent(requestId) | stats count(*) as n, sum(status >= 500) as errs, max(Latency) as mx by bin(1m)`, 0)
	m, _ := plain(rows)
	cw := localcwtest.Client(t, e.url)
	svc := cwtypes.Dimension{Name: aws.String("Service"), Value: aws.String("checkout")}
	mq := func(id, name, stat string) cwtypes.MetricDataQuery {
		return cwtypes.MetricDataQuery{Id: aws.String(id), MetricStat: &cwtypes.MetricStat{
			Metric: &cwtypes.Metric{Namespace: aws.String("MyService/API"), MetricName: aws.String(name), Dimensions: []cwtypes.Dimension{svc}},
			Period: aws.Int32(60), Stat: aws.String(stat)}}
	}
	out, err := cw.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(from), EndTime: aws.Time(to), ScanBy: cwtypes.ScanByTimestampAscending,
		MetricDataQueries: []cwtypes.MetricDataQuery{mq("n", "RequestCount", "Sum"), mq("errs", "5XXError", "Sum"), mq("mx", "Latency", "Maximum")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 5 {
		t.Fatalf("%d minutes from the logs, want 5", len(m))
	}
	for _, r := range out.MetricDataResults {
		id := aws.ToString(r.Id)
		if len(r.Values) != 5 {
			t.Fatalf("%s: %d values", id, len(r.Values))
		}
		for i, v := range r.Values {
			approx(t, fmt.Sprintf("%s at %v", id, r.Timestamps[i]), m[i][id], v)
		}
	}
	// the backup's own lines at :00 and :05
	rows, _ = e.query(t, []string{"/myservice/api"}, from, to.Add(3*time.Minute), `filter job = "backup" | fields @timestamp, event`, 0)
	bm, _ := plain(rows)
	if len(bm) != 2 || bm[0]["event"] != "done" || bm[1]["event"] != "start" || bm[1]["@timestamp"] != "2026-11-19 10:00:00.000" {
		t.Errorf("backup lines: %v", bm)
	}
}

// botocore (the Python SDK the AWS CLI and boto3 use) is a client no one here wrote: it must
// ingest, query and read results with the service's shapes.
func TestBotocore(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not on PATH: botocore check skipped")
	}
	if err := exec.Command(py, "-c", "import boto3").Run(); err != nil {
		t.Skip("boto3 not importable by python3: botocore check skipped")
	}
	e := start(t, "api")
	script := `
import boto3, json, sys, time
url, now = sys.argv[1], int(sys.argv[2])
c = boto3.client("logs", endpoint_url=url, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
c.create_log_group(logGroupName="/py")
c.create_log_stream(logGroupName="/py", logStreamName="s")
c.put_log_events(logGroupName="/py", logStreamName="s", logEvents=[
    {"timestamp": (now - 600 + i) * 1000, "message": json.dumps({"latency": i * 10, "path": "/x" if i % 2 else "/y"})} for i in range(20)])
out = {}
for name, group, q, start, end in [
    ("own", "/py", "stats count(*) as n, avg(latency) as a, pct(latency, 50) by path", now - 3600, now),
    ("api", "/myservice/api", "stats count(*) as n, pct(Latency, 99) as p99 by bin(1m)", 1795082400, 1795082519),
]:
    qid = c.start_query(logGroupName=group, startTime=start, endTime=end, queryString=q)["queryId"]
    while True:
        r = c.get_query_results(queryId=qid)
        if r["status"] not in ("Running", "Scheduled"):
            break
        time.sleep(0.01)
    out[name] = {"status": r["status"], "results": r["results"], "stats": r["statistics"]}
try:
    c.start_query(logGroupName="/py", startTime=now - 60, endTime=now, queryString="stats median(latency)")
    out["err"] = "no error"
except c.exceptions.MalformedQueryException as ex:
    out["err"] = "MalformedQueryException: " + str(ex)
print(json.dumps(out))
`
	f := filepath.Join(t.TempDir(), "q.py")
	os.WriteFile(f, []byte(script), 0o644)
	cmd := exec.Command(py, f, e.url, strconv.FormatInt(testNow.Unix(), 10))
	cmd.Env = append(os.Environ(), "AWS_EC2_METADATA_DISABLED=true", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("botocore: %v\n%s", err, b)
	}
	var out map[string]json.RawMessage
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("botocore output: %v\n%s", err, b)
	}
	type res struct {
		Status  string
		Results [][]struct{ Field, Value string }
	}
	var own res
	json.Unmarshal(out["own"], &own)
	// by hand: /x has latencies 10, 30, ..., 190 (mean 100, median rank 5 = 90), /y 0, 20, ..., 180 (mean 90, rank 5 = 80)
	want := [][]string{{"path", "/x", "n", "10", "a", "100", "pct(latency, 50)", "90"}, {"path", "/y", "n", "10", "a", "90", "pct(latency, 50)", "80"}}
	if own.Status != "Complete" || len(own.Results) != 2 {
		t.Fatalf("botocore own query: %s", out["own"])
	}
	for i, r := range own.Results {
		var got []string
		for _, f := range r {
			got = append(got, f.Field, f.Value)
		}
		if !slices.Equal(got, want[i]) {
			t.Errorf("botocore row %d = %v, want %v", i, got, want[i])
		}
	}
	// the api scenario through botocore equals the same query through the Go SDK
	var api res
	json.Unmarshal(out["api"], &api)
	rows, _ := e.query(t, []string{"/myservice/api"}, time.Unix(1795082400, 0), time.Unix(1795082519, 0), "stats count(*) as n, pct(Latency, 99) as p99 by bin(1m)", 0)
	if len(rows) != 2 || len(api.Results) != 2 {
		t.Fatalf("api rows: go %d, botocore %d; want 2", len(rows), len(api.Results))
	}
	for i := range rows {
		for j, f := range rows[i] {
			if api.Results[i][j].Field != aws.ToString(f.Field) || api.Results[i][j].Value != aws.ToString(f.Value) {
				t.Errorf("row %d field %d: botocore %v, Go SDK %s=%s", i, j, api.Results[i][j], aws.ToString(f.Field), aws.ToString(f.Value))
			}
		}
	}
	var perr string
	json.Unmarshal(out["err"], &perr)
	if !strings.HasPrefix(perr, "MalformedQueryException") || !strings.Contains(perr, "median") {
		t.Errorf("botocore bad query: %s", perr)
	}
	_ = math.Abs
}

// Scenario log groups are listed like ingested ones, and the @ptr of a generated event reads
// the event back.
func TestScenarioGroupsAndPointers(t *testing.T) {
	e := start(t, "api", "lambda")
	ctx := context.Background()
	lg, err := e.client.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/aws/lambda/")})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range lg.LogGroups {
		names = append(names, aws.ToString(g.LogGroupName))
	}
	if !slices.Equal(names, []string{"/aws/lambda/orders-api", "/aws/lambda/thumbnailer"}) {
		t.Errorf("DescribeLogGroups = %v", names)
	}
	ls, err := e.client.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("/myservice/api")})
	if err != nil || len(ls.LogStreams) != 4 {
		t.Fatalf("DescribeLogStreams = %+v, %v", ls, err)
	}
	from := time.Date(2026, 11, 19, 13, 37, 0, 0, time.UTC)
	rows, _ := e.query(t, []string{"/aws/lambda/orders-api"}, from, from.Add(59*time.Second),
		`filter @type = "REPORT" | fields @requestId, @duration, @maxMemoryUsed | limit 3`, 0)
	m, _ := plain(rows)
	if len(m) != 3 {
		t.Fatalf("%d REPORT rows", len(m))
	}
	rec, err := e.client.GetLogRecord(ctx, &cloudwatchlogs.GetLogRecordInput{LogRecordPointer: aws.String(m[0]["@ptr"])})
	if err != nil {
		t.Fatal(err)
	}
	msg := rec.LogRecord["@message"]
	if !strings.HasPrefix(msg, "REPORT RequestId: "+m[0]["@requestId"]) || !strings.Contains(msg, "Duration: "+m[0]["@duration"]+" ms") ||
		rec.LogRecord["@duration"] != m[0]["@duration"] || rec.LogRecord["@type"] != "REPORT" {
		t.Errorf("GetLogRecord = %v, want the REPORT line of %v", rec.LogRecord, m[0])
	}
	// the bad deploy: errors jump at 13:37
	rows, _ = e.query(t, []string{"/aws/lambda/orders-api"}, from.Add(-10*time.Minute), from.Add(10*time.Minute-time.Second),
		`filter @message like /ERROR/ | stats count(*) as errors by bin(10m)`, 0)
	m, _ = plain(rows)
	if len(m) != 3 {
		t.Fatalf("bins %v, want 13:20, 13:30 and 13:40", m)
	}
	before, _ := strconv.Atoi(m[0]["errors"]) // 13:27-13:30: before the deploy
	after, _ := strconv.Atoi(m[2]["errors"])  // 13:40-13:47: after it
	if after < 5*before {
		t.Errorf("errors before/after the deploy: %v", m)
	}
}

// A running query can be stopped (success, then status Cancelled), and beyond the concurrency
// quota StartQuery is a LimitExceededException.
func TestStopAndConcurrencyLimit(t *testing.T) {
	sc, _ := scenario.New("api", 1)
	srv := logs.New(logs.Options{Now: testNow, Groups: scenario.LogGroups(sc), MaxConcurrentQueries: 1})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	c := logsClient(hs.URL)
	ctx := context.Background()
	long := &cloudwatchlogs.StartQueryInput{LogGroupName: aws.String(scenario.APILogGroup), QueryString: aws.String("stats count(*)"),
		StartTime: aws.Int64(testNow.Add(-72 * time.Hour).Unix()), EndTime: aws.Int64(testNow.Unix())} // about 9 million events
	sq, err := c.StartQuery(ctx, long)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.StartQuery(ctx, long)
	var le *types.LimitExceededException
	if !errorsAs(err, &le) {
		t.Errorf("second concurrent query: %v, want LimitExceededException", err)
	}
	r, err := c.GetQueryResults(ctx, &cloudwatchlogs.GetQueryResultsInput{QueryId: sq.QueryId})
	if err != nil || (r.Status != types.QueryStatusScheduled && r.Status != types.QueryStatusRunning) || len(r.Results) != 0 {
		t.Fatalf("while running: %v %v", r, err)
	}
	for r.Status == types.QueryStatusScheduled {
		time.Sleep(5 * time.Millisecond)
		if r, err = c.GetQueryResults(ctx, &cloudwatchlogs.GetQueryResultsInput{QueryId: sq.QueryId}); err != nil {
			t.Fatal(err)
		}
	}
	// a running query reports the records read so far, and after a snapshot partial rows: the
	// count(*) of the events read until then
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		r, err = c.GetQueryResults(ctx, &cloudwatchlogs.GetQueryResultsInput{QueryId: sq.QueryId})
		if err != nil || r.Status != types.QueryStatusRunning {
			t.Fatalf("while running: %v %v", r, err)
		}
		if r.Statistics == nil || (r.Statistics.RecordsScanned > 0) != (r.Statistics.BytesScanned > 0) {
			t.Fatalf("a running query reports the records read so far: %+v", r.Statistics)
		}
		if len(r.Results) > 0 {
			n, _ := strconv.ParseFloat(aws.ToString(r.Results[0][0].Value), 64)
			if n <= 0 || n != r.Statistics.RecordsMatched || n > r.Statistics.RecordsScanned {
				t.Errorf("partial count(*) %v with statistics %+v", n, r.Statistics)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no partial results after 20 s")
		}
	}
	st, err := c.StopQuery(ctx, &cloudwatchlogs.StopQueryInput{QueryId: sq.QueryId})
	if err != nil || !st.Success {
		t.Fatalf("StopQuery: %v %v", st, err)
	}
	r, err = c.GetQueryResults(ctx, &cloudwatchlogs.GetQueryResultsInput{QueryId: sq.QueryId})
	if err != nil || r.Status != types.QueryStatusCancelled {
		t.Errorf("after StopQuery: status %v, %v; want Cancelled", r.Status, err)
	}
	sq, err = c.StartQuery(ctx, long)
	if err != nil {
		t.Fatalf("after the stop a query may start again: %v", err)
	}
	c.StopQuery(ctx, &cloudwatchlogs.StopQueryInput{QueryId: sq.QueryId}) // do not leave it running
}

// A query is Scheduled for Options.Schedule after StartQuery (no rows, nothing read; it counts
// against the concurrency quota and can be stopped), then Running, then Complete with the
// same rows as when it runs at once.
func TestScheduledBeforeRunning(t *testing.T) {
	sc, _ := scenario.New("api", 1)
	srv := logs.New(logs.Options{Now: testNow, Groups: scenario.LogGroups(sc), Schedule: 400 * time.Millisecond, MaxConcurrentQueries: 1})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	c := logsClient(hs.URL)
	ctx := context.Background()
	in := &cloudwatchlogs.StartQueryInput{LogGroupName: aws.String(scenario.APILogGroup), QueryString: aws.String("stats count(*)"),
		StartTime: aws.Int64(testNow.Add(-10 * time.Minute).Unix()), EndTime: aws.Int64(testNow.Unix())}
	started := time.Now()
	sq, err := c.StartQuery(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.GetQueryResults(ctx, &cloudwatchlogs.GetQueryResultsInput{QueryId: sq.QueryId})
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(started) < 400*time.Millisecond {
		if r.Status != types.QueryStatusScheduled || len(r.Results) != 0 || r.Statistics == nil || r.Statistics.RecordsScanned != 0 {
			t.Fatalf("first poll: status %s, %d rows, %+v; want Scheduled, no rows, nothing read", r.Status, len(r.Results), r.Statistics)
		}
		dq, err := c.DescribeQueries(ctx, &cloudwatchlogs.DescribeQueriesInput{Status: types.QueryStatusScheduled})
		if err != nil || len(dq.Queries) != 1 {
			t.Errorf("DescribeQueries status Scheduled: %v %v", dq, err)
		}
		if _, err = c.StartQuery(ctx, in); !errorsAs(err, new(*types.LimitExceededException)) {
			t.Errorf("a second query while the first is scheduled: %v, want LimitExceededException", err)
		}
	}
	statuses := []types.QueryStatus{r.Status}
	for deadline := time.Now().Add(30 * time.Second); r.Status == types.QueryStatusScheduled || r.Status == types.QueryStatusRunning; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("still not complete after 30 s")
		}
		if r, err = c.GetQueryResults(ctx, &cloudwatchlogs.GetQueryResultsInput{QueryId: sq.QueryId}); err != nil {
			t.Fatal(err)
		}
		if statuses[len(statuses)-1] != r.Status {
			statuses = append(statuses, r.Status)
		}
	}
	if time.Since(started) < 400*time.Millisecond {
		t.Errorf("complete %v after StartQuery, before the 400ms schedule", time.Since(started))
	}
	// never back to Scheduled once running, and ends Complete
	if statuses[0] == types.QueryStatusScheduled {
		statuses = statuses[1:]
	}
	for _, st := range statuses[:len(statuses)-1] {
		if st != types.QueryStatusRunning {
			t.Errorf("statuses after Scheduled: %v", statuses)
		}
	}
	if r.Status != types.QueryStatusComplete || len(r.Results) != 1 {
		t.Fatalf("final: %s %v", r.Status, r.Results)
	}
	// the same count as a server whose queries run at once
	now := logs.New(logs.Options{Now: testNow, Groups: scenario.LogGroups(sc), Schedule: -1})
	hs2 := httptest.NewServer(now)
	t.Cleanup(hs2.Close)
	c2 := logsClient(hs2.URL)
	sq2, err := c2.StartQuery(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	now.Wait(*sq2.QueryId)
	r2, err := c2.GetQueryResults(ctx, &cloudwatchlogs.GetQueryResultsInput{QueryId: sq2.QueryId})
	if err != nil || r2.Status != types.QueryStatusComplete || aws.ToString(r2.Results[0][0].Value) != aws.ToString(r.Results[0][0].Value) {
		t.Errorf("unscheduled: %v %v, scheduled count %s", r2, err, aws.ToString(r.Results[0][0].Value))
	}

	// a scheduled query can be stopped: Cancelled, and the quota is free again
	sq, err = c.StartQuery(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.StopQuery(ctx, &cloudwatchlogs.StopQueryInput{QueryId: sq.QueryId})
	if err != nil || !st.Success {
		t.Fatalf("StopQuery of a scheduled query: %v %v", st, err)
	}
	if r, err = c.GetQueryResults(ctx, &cloudwatchlogs.GetQueryResultsInput{QueryId: sq.QueryId}); err != nil || r.Status != types.QueryStatusCancelled || len(r.Results) != 0 {
		t.Errorf("after StopQuery while scheduled: %v %v; want Cancelled, no rows", r, err)
	}
	sq, err = c.StartQuery(ctx, in)
	if err != nil {
		t.Fatalf("after stopping a scheduled query another may start: %v", err)
	}
	c.StopQuery(ctx, &cloudwatchlogs.StopQueryInput{QueryId: sq.QueryId})
}
