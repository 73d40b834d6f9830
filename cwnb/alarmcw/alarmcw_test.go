package alarmcw_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/cwnb/cwnb/cwnb"
	"github.com/cwnb/cwnb/cwnb/alarm"
	"github.com/cwnb/cwnb/cwnb/alarmcw"
	"github.com/cwnb/cwnb/cwnb/chart"
	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
	"github.com/cwnb/cwnb/cwnb/localcw/scenario"
)

func startScenarios(t *testing.T, names ...string) (*localcw.Server, *cloudwatch.Client, func(*alarmcw.Options)) {
	t.Helper()
	var scs []scenario.Scenario
	for _, n := range names {
		sc, err := scenario.New(n, 1)
		if err != nil {
			t.Fatal(err)
		}
		scs = append(scs, sc)
	}
	srv, url := localcwtest.Start(t, localcw.Options{Now: scenario.DemoNow, Scenarios: scs})
	c := localcwtest.Client(t, url)
	dir := t.TempDir()
	return srv, c, func(o *alarmcw.Options) {
		o.Client, o.CacheDir = c, dir
		o.Now = func() time.Time { return scenario.DemoNow }
	}
}

// TestReplayAgreesWithServerHistory replays the scenario alarms from data fetched through the
// SDK and compares the replay with the history the server's own evaluation wrote: they must agree
// on every minute (same evaluator, same data), which checks the fetch phases and the history
// reader end to end.
func TestReplayAgreesWithServerHistory(t *testing.T) {
	_, _, opt := startScenarios(t, "api", "ec2", "lambda")
	ctx := context.Background()
	from, to := scenario.DemoNow.Add(-7*24*time.Hour), scenario.DemoNow
	for _, name := range []string{"checkout-latency-p99", "checkout-latency-average", "web-hot-cpu", "orders-api-error-rate"} {
		t.Run(name, func(t *testing.T) {
			d, err := alarmcw.Describe(ctx, name, opt)
			if err != nil {
				t.Fatal(err)
			}
			h, err := alarmcw.LoadHistory(ctx, name, from, to, opt)
			if err != nil {
				t.Fatal(err)
			}
			series, stats, err := alarmcw.Fetch(ctx, []alarm.Definition{*d}, from, to, alarm.Options{}, opt)
			if err != nil {
				t.Fatal(err)
			}
			if want := int(d.Period / time.Minute); stats.Calls != want {
				t.Errorf("%d GetMetricData calls, want %d (one per phase)", stats.Calls, want)
			}
			st, ok := h.StateAt(from)
			if !ok {
				t.Fatalf("history says nothing at %v: %+v", from, h.Intervals[:min(3, len(h.Intervals))])
			}
			tl, err := alarm.Replay(d, series[0], from, to, alarm.Options{Initial: st})
			if err != nil {
				t.Fatal(err)
			}
			ag := alarmcw.Compare(tl, h)
			if ag.Steps != len(tl.States) || ag.Same != ag.Steps || ag.Matched != ag.Real || ag.Replayed != ag.Real {
				t.Errorf("%v", ag)
			}
			t.Logf("%s: %s; %v", name, h.Summary(), ag)
		})
	}
}

func TestFetchBatchesCandidates(t *testing.T) {
	srv, _, opt := startScenarios(t, "api")
	from, to := scenario.DemoNow.Add(-24*time.Hour), scenario.DemoNow
	base := alarm.Definition{Name: "cand", Namespace: "MyService/API", MetricName: "Latency",
		Dimensions: []alarm.Dimension{{Name: "Service", Value: "checkout"}}, Statistic: "p99", Unit: "Milliseconds",
		Period: 5 * time.Minute, EvaluationPeriods: 1, Threshold: 1000, Comparison: alarm.Greater, EvaluateLowSampleCountPercentile: "ignore"}
	grid := alarm.Grid(base, []float64{800, 1000, 1500, 2000}, [][2]int{{1, 1}, {2, 3}, {3, 3}})
	p95 := base
	p95.Statistic = "p95"
	grid = append(grid, p95)
	before := srv.Calls("GetMetricData")
	series, stats, err := alarmcw.Fetch(context.Background(), grid, from, to, alarm.Options{}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.Calls("GetMetricData") - before; got != 5 || stats.Calls != 5 {
		t.Errorf("%d calls (stats %d), want 5: one per phase of a 5-minute period, all candidates batched", got, stats.Calls)
	}
	// 3 queries per call: p99, its SampleCount, p95.
	if stats.Metrics != 15 {
		t.Errorf("%d metrics requested, want 15", stats.Metrics)
	}
	// A sliding 5-minute bucket ending at 00:04 (starting 23:59 the day before) has the p99
	// GetMetricData gives for that exact window.
	s := series[0]
	at := scenario.DemoNow.Add(-time.Hour - time.Minute)
	i := int(at.Sub(s.Start) / s.Step)
	var o alarmcw.Options
	opt(&o)
	out, err := o.Client.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{StartTime: aws.Time(at), EndTime: aws.Time(at.Add(5 * time.Minute)),
		MetricDataQueries: []types.MetricDataQuery{{Id: aws.String("p"), MetricStat: &types.MetricStat{Period: aws.Int32(300), Stat: aws.String("p99"),
			Metric: &types.Metric{Namespace: aws.String("MyService/API"), MetricName: aws.String("Latency"),
				Dimensions: []types.Dimension{{Name: aws.String("Service"), Value: aws.String("checkout")}}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if v := out.MetricDataResults[0].Values; len(v) != 1 || math.Abs(v[0]-s.Values[i]) > 1e-9 || s.Samples == nil || s.Samples[i] < 1000 {
		t.Errorf("bucket at %v: fetched %v (samples %v), GetMetricData %v", at, s.Values[i], s.Samples, v)
	}
	// The second Fetch of a closed window comes from the cache.
	before = srv.Calls("GetMetricData")
	again, stats, err := alarmcw.Fetch(context.Background(), grid, from, to, alarm.Options{}, opt)
	if err != nil || !stats.Cached || srv.Calls("GetMetricData") != before {
		t.Errorf("second fetch: %v %v, calls %d", stats, err, srv.Calls("GetMetricData")-before)
	}
	if len(again) != len(series) || math.IsNaN(again[0].Values[i]) || again[0].Values[i] != s.Values[i] {
		t.Errorf("cached series differs")
	}
	for k := range series {
		if !sameSeries(series[k], again[k]) {
			t.Errorf("definition %d: the cached series differs from the fetched one", k)
		}
	}
	// Candidates of one metric, statistic and period share their data: the cache file holds each
	// distinct series once, not once per candidate.
	distinct := map[string]bool{}
	for _, x := range series {
		distinct[fmt.Sprint(x.Start, x.Step, x.Period, x.Values, x.Samples)] = true
	}
	files, _ := filepath.Glob(filepath.Join(o.CacheDir, "alarms", "*", "fetch-*.json.gz"))
	if len(files) != 1 {
		t.Fatalf("cache files %v, want one fetch entry", files)
	}
	f, err := os.Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("cache entry is not gzip: %v", err)
	}
	var onDisk struct{ Data []json.RawMessage }
	if err := json.NewDecoder(zr).Decode(&onDisk); err != nil {
		t.Fatal(err)
	}
	if len(onDisk.Data) != len(distinct) || len(distinct) >= len(series) {
		t.Errorf("cache holds %d series for %d definitions with %d distinct series", len(onDisk.Data), len(series), len(distinct))
	}
}

func sameSeries(a, b *alarm.Series) bool {
	eq := func(x, y []float64) bool {
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if x[i] != y[i] && !(math.IsNaN(x[i]) && math.IsNaN(y[i])) {
				return false
			}
		}
		return true
	}
	return a.Start.Equal(b.Start) && a.Step == b.Step && a.Period == b.Period && eq(a.Values, b.Values) && eq(a.Samples, b.Samples)
}

func TestPlotHistoryEscapesReasons(t *testing.T) {
	t0 := scenario.DemoNow.Add(-time.Hour)
	s := &alarm.Series{Start: t0, Step: time.Minute, Period: time.Minute, Values: make([]float64, 60)}
	for i := range s.Values {
		s.Values[i] = float64(i)
	}
	s.Values[7] = math.NaN()
	h := &alarmcw.History{Name: "a</script><b>", From: t0, To: t0.Add(time.Hour), Intervals: []alarm.Interval{
		{Start: t0, End: t0.Add(10 * time.Minute), State: alarm.OK},
		{Start: t0.Add(10 * time.Minute), End: t0.Add(20 * time.Minute), State: alarm.Alarm, Reason: `Threshold Crossed: </script><script>alert(1)</script>`},
	}, Config: []alarmcw.ConfigChange{{Time: t0.Add(5 * time.Minute), Summary: `Alarm "a" updated`}}}
	c, err := alarmcw.PlotHistory(alarmcw.HistoryChart{Title: "t", Data: s, Name: "p99", Unit: "Milliseconds", Threshold: 30,
		Histories: []*alarmcw.History{h}, Marks: []alarmcw.Mark{{Time: t0.Add(30 * time.Minute), Name: "deploy"}}}, chartStatic)
	if err != nil {
		t.Fatal(err)
	}
	js, err := c.OptionJSON()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(js), "</script>") || !strings.Contains(string(js), `\u003c/script\u003e\u003cscript\u003ealert(1)`) {
		t.Errorf("reason not escaped in the option:\n%s", js)
	}
	html, err := c.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(html, "<script>alert(1)") {
		t.Errorf("reason reached the HTML unescaped")
	}
	if !strings.Contains(c.Text(), "1 ALARM intervals") || !strings.Contains(c.Text(), "deploy") {
		t.Errorf("alt text %q", c.Text())
	}
}

// TestPlotHistoryLanes checks that replayed timelines get lanes above the data and that the y
// axis makes room for them and starts at 0 for positive data.
func TestPlotHistoryLanes(t *testing.T) {
	t0 := scenario.DemoNow.Add(-time.Hour)
	s := &alarm.Series{Start: t0, Step: time.Minute, Period: time.Minute, Values: make([]float64, 60)}
	for i := range s.Values {
		s.Values[i] = 100
	}
	tl := &alarm.Timeline{Name: "cand", Start: t0, Step: time.Minute, States: make([]alarm.State, 60)}
	for i := 10; i < 20; i++ {
		tl.States[i] = alarm.Alarm
	}
	c, err := alarmcw.PlotHistory(alarmcw.HistoryChart{Title: "lanes", Data: s, Threshold: 150, Replays: []*alarm.Timeline{tl}}, chartStatic)
	if err != nil {
		t.Fatal(err)
	}
	js, _ := c.OptionJSON()
	// The lane of the first replay spans 1.04-1.11 × the top (150, the threshold).
	for _, want := range []string{`"yAxis": 156`, `"yAxis": 166.5`, `"max": 169.83`, `"min": 0`} {
		if !strings.Contains(string(js), want) {
			t.Errorf("option lacks %s:\n%s", want, js)
		}
	}
}

// TestHistoryEventsOnLineChart draws the Lambda error-rate alarm's history on a plain chart.Line
// with the deploy: one ALARM span starting the minute after the deploy.
func TestHistoryEventsOnLineChart(t *testing.T) {
	_, _, opt := startScenarios(t, "lambda")
	from, to := scenario.DemoNow.Add(-24*time.Hour), scenario.DemoNow
	h, err := alarmcw.LoadHistory(context.Background(), "orders-api-error-rate", from, to, opt)
	if err != nil {
		t.Fatal(err)
	}
	ev := h.Events()
	if len(ev) != 1 || !ev[0].Start.Equal(scenario.LambdaBadDeploy.Add(time.Minute)) || !ev[0].End.Equal(to) ||
		!strings.Contains(ev[0].Name, "Threshold Crossed: 1 out of the last 1 datapoints") {
		t.Fatalf("events %+v", ev)
	}
	times := []time.Time{from, scenario.LambdaBadDeploy, to.Add(-time.Minute)}
	c, err := chart.Line(chart.TimeSeries{Title: "error rate", Times: times, Series: []chart.Series{{Name: "x", Values: []float64{1, 2, 3}}},
		Events: append(ev, chart.Event{Name: "deploy", Start: scenario.LambdaBadDeploy})}, chartStatic)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.Text(), "deploy") {
		t.Errorf("alt text %q", c.Text())
	}
}

// TestOfflineFromCache re-runs the verbs with no client and CWNB_OFFLINE semantics: everything a
// notebook read before comes from the cache, and a miss says what to do.
func TestOfflineFromCache(t *testing.T) {
	// Recorded against a local CloudWatch in us-east-1 (the cache's directory names the source).
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH", "http://127.0.0.1:4582")
	t.Setenv("AWS_REGION", "us-east-1")
	srv, _, opt := startScenarios(t, "api")
	ctx := context.Background()
	from, to := scenario.DemoNow.Add(-2*time.Hour), scenario.DemoNow
	d, err := alarmcw.Describe(ctx, "checkout-latency-p99", opt)
	if err != nil {
		t.Fatal(err)
	}
	h, err := alarmcw.LoadHistory(ctx, d.Name, from, to, opt)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := alarmcw.Fetch(ctx, []alarm.Definition{*d}, from, to, alarm.Options{}, opt); err != nil {
		t.Fatal(err)
	}
	calls := srv.Calls("DescribeAlarms") + srv.Calls("DescribeAlarmHistory") + srv.Calls("GetMetricData")
	offline := func(o *alarmcw.Options) { opt(o); o.Client, o.Offline = nil, true }
	d2, err := alarmcw.Describe(ctx, "checkout-latency-p99", offline)
	if err != nil || d2.Threshold != d.Threshold {
		t.Fatalf("offline Describe: %v %v", d2, err)
	}
	h2, err := alarmcw.LoadHistory(ctx, d.Name, from, to, offline)
	if err != nil || len(h2.Changes) != len(h.Changes) {
		t.Fatalf("offline history: %v", err)
	}
	_, st, err := alarmcw.Fetch(ctx, []alarm.Definition{*d}, from, to, alarm.Options{}, offline)
	if err != nil || !st.Cached {
		t.Fatalf("offline fetch: %v %v", st, err)
	}
	if now := srv.Calls("DescribeAlarms") + srv.Calls("DescribeAlarmHistory") + srv.Calls("GetMetricData"); now != calls {
		t.Errorf("offline verbs made %d calls", now-calls)
	}
	// A reader re-running a committed notebook has no endpoint and no region: what was recorded
	// against the local CloudWatch still serves.
	for _, k := range []string{"AWS_ENDPOINT_URL_CLOUDWATCH", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_DEFAULT_REGION"} {
		t.Setenv(k, "")
	}
	if d3, err := alarmcw.Describe(ctx, "checkout-latency-p99", offline); err != nil || d3.Threshold != d.Threshold {
		t.Fatalf("offline Describe with no endpoint: %v %v", d3, err)
	}
	if _, st, err := alarmcw.Fetch(ctx, []alarm.Definition{*d}, from, to, alarm.Options{}, offline); err != nil || !st.Cached {
		t.Fatalf("offline fetch with no endpoint: %v %v", st, err)
	}
	_, err = alarmcw.Describe(ctx, "never-read", offline)
	if !errors.Is(err, alarmcw.ErrOffline) || !strings.Contains(err.Error(), "unset CWNB_OFFLINE") {
		t.Errorf("offline miss: %v", err)
	}
}

// TestHistoryMarksOnPlot draws the p99 alarm's history on cwnb.Plot of the metric loaded by the
// facade: the ALARM spans arrive on the chart.
func TestHistoryMarksOnPlot(t *testing.T) {
	_, c, opt := startScenarios(t, "api")
	from, to := scenario.DemoNow.Add(-3*time.Hour), scenario.DemoNow
	h, err := alarmcw.LoadHistory(context.Background(), "checkout-latency-p99", from, to, opt)
	if err != nil {
		t.Fatal(err)
	}
	q := cwnb.Query{Metrics: []cwnb.Metric{{Namespace: "MyService/API", Name: "Latency", Dims: cwnb.Dims{"Service": "checkout"},
		Stats: []string{"p99"}}}, Window: cwnb.Between(from, to), Period: time.Minute}
	res, err := cwnb.Load(context.Background(), q, func(o *cwnb.Options) { o.Client = c }, func(o *cwnb.Options) { o.CacheDir = t.TempDir() },
		func(o *cwnb.Options) { o.Now = func() time.Time { return scenario.DemoNow } })
	if err != nil {
		t.Fatal(err)
	}
	marks := h.Marks()
	if len(marks) != 3 {
		t.Fatalf("%d marks, want 3 ALARM spans", len(marks))
	}
	ch, err := cwnb.Plot(res, append(marks, cwnb.ChartOptions(chartStatic))...)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(ch.Text(), "checkout-latency-p99 ALARM: Threshold Crossed"); n == 0 {
		t.Errorf("chart text lacks the ALARM spans:\n%s", ch.Text())
	}
}
