package logs_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
	"github.com/cwnb/cwnb/cwnb/localcw/logs"
	"github.com/cwnb/cwnb/cwnb/localcw/scenario"
)

// latencyQuery is a GetMetricData query of MyService/API Latency (Service=checkout, and
// Endpoint=ep when not "") at period seconds.
func latencyQuery(id, ep, stat string, period int32) cwtypes.MetricDataQuery {
	dims := []cwtypes.Dimension{{Name: aws.String("Service"), Value: aws.String("checkout")}}
	if ep != "" {
		dims = append(dims, cwtypes.Dimension{Name: aws.String("Endpoint"), Value: aws.String(ep)})
	}
	return cwtypes.MetricDataQuery{Id: aws.String(id), MetricStat: &cwtypes.MetricStat{
		Metric: &cwtypes.Metric{Namespace: aws.String("MyService/API"), MetricName: aws.String("Latency"), Dimensions: dims},
		Period: aws.Int32(period), Stat: aws.String(stat)}}
}

// getAll runs GetMetricData over every page and returns each query's values by id.
func getAll(t *testing.T, cw *cloudwatch.Client, from, to time.Time, qs []cwtypes.MetricDataQuery) (map[string][]float64, map[string][]time.Time) {
	t.Helper()
	vals, times := map[string][]float64{}, map[string][]time.Time{}
	in := &cloudwatch.GetMetricDataInput{StartTime: aws.Time(from), EndTime: aws.Time(to), ScanBy: cwtypes.ScanByTimestampAscending, MetricDataQueries: qs}
	for {
		out, err := cw.GetMetricData(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range out.MetricDataResults {
			id := aws.ToString(r.Id)
			vals[id] = append(vals[id], r.Values...)
			times[id] = append(times[id], r.Timestamps...)
		}
		if out.NextToken == nil {
			return vals, times
		}
		in.NextToken = out.NextToken
	}
}

// The api scenario's Latency metrics come from its log's EMF documents: what GetMetricData
// returns for them equals, statistic by statistic, what the raw samples of the scenario's own
// generator give (computed here by hand: expanded, sorted, nearest rank), for both dimension
// sets, in a backup minute and an ordinary one.
func TestScenarioLatencyComesFromEMF(t *testing.T) {
	e := start(t, "api")
	sc, _ := scenario.New("api", 1)
	cw := localcwtest.Client(t, e.url)
	for _, minute := range []time.Time{time.Date(2026, 11, 19, 11, 0, 0, 0, time.UTC), time.Date(2026, 11, 19, 11, 17, 0, 0, time.UTC)} {
		for _, ep := range []string{"", "/cart", "/pay"} {
			// the scenario's own samples of the minute
			idx := -1
			for i, m := range sc.Metrics() {
				if m.Name == "Latency" && len(m.Dims) == map[bool]int{true: 1, false: 2}[ep == ""] && (ep == "" || m.Dims[0].Value == ep) {
					idx = i
				}
			}
			var xs []float64
			sc.Generate(idx, minute, minute.Add(time.Minute), func(_ time.Time, values, counts []float64) {
				for i, v := range values {
					for range int(counts[i]) {
						xs = append(xs, v)
					}
				}
			})
			slices.Sort(xs)
			sum := 0.0
			for _, x := range xs {
				sum += x
			}
			want := map[string]float64{"SampleCount": float64(len(xs)), "Sum": sum, "Minimum": xs[0], "Maximum": xs[len(xs)-1],
				"p99": xs[int(math.Ceil(0.99*float64(len(xs))))-1], "p50": xs[int(math.Ceil(0.5*float64(len(xs))))-1]}
			var qs []cwtypes.MetricDataQuery
			for stat := range want {
				qs = append(qs, latencyQuery(strings.ToLower(stat), ep, stat, 60))
			}
			got, _ := getAll(t, cw, minute, minute.Add(time.Minute), qs)
			for stat, w := range want {
				g := got[strings.ToLower(stat)]
				if len(g) != 1 || math.Abs(g[0]-w) > 1e-9*math.Max(1, w) {
					t.Errorf("%v %q %s: GetMetricData %v, scenario samples %v", minute, ep, stat, g, w)
				}
			}
		}
	}
	// the flush documents' Latency is an array (fields Latency.0, Latency.1, ...): a query for
	// the requests' Latency does not see them
	rows, _ := e.query(t, []string{scenario.APILogGroup}, time.Date(2026, 11, 19, 11, 0, 0, 0, time.UTC), time.Date(2026, 11, 19, 11, 4, 59, 0, time.UTC),
		`stats sum(ispresent(Latency)) as lat, sum(ispresent(requestId)) as req, sum(ispresent(Latency.0)) as docs, count(*) as n`, 0)
	m, _ := plain(rows)
	if len(m) != 1 || m[0]["lat"] != m[0]["req"] || m[0]["docs"] == "0" {
		t.Errorf("requests and flush documents: %v", m)
	}
	// and the documents are EMF as the specification has it: at most 100 values, stamped at the
	// minute they flush
	n := 0
	scenario.LogGroups(sc)[0].EMF(time.Date(2026, 11, 19, 11, 0, 0, 0, time.UTC), time.Date(2026, 11, 19, 11, 2, 0, 0, time.UTC), func(ms int64, _ string, msg []byte) bool {
		ds, err := logs.ExtractEMF(string(msg))
		if err != nil || len(ds) != 2 || len(ds[0].Values) > 100 || ds[0].Time.UnixMilli() != ms-59999 {
			t.Fatalf("flush document at %d: %v %+v", ms, err, ds)
		}
		n++
		return true
	})
	if n < 40 {
		t.Errorf("%d flush documents in two minutes, want about 20 a minute", n)
	}
	// EMF is Generate restricted to the EMF documents, byte for byte
	var all, only []string
	w0, w1 := time.Date(2026, 11, 19, 11, 3, 0, 0, time.UTC), time.Date(2026, 11, 19, 11, 6, 0, 0, time.UTC)
	lg := scenario.LogGroups(sc)[0]
	lg.Generate(w0, w1, func(ms int64, st string, msg []byte) bool {
		if strings.Contains(string(msg), `"_aws"`) {
			all = append(all, fmt.Sprint(ms, st, string(msg)))
		}
		return true
	})
	lg.EMF(w0, w1, func(ms int64, st string, msg []byte) bool {
		only = append(only, fmt.Sprint(ms, st, string(msg)))
		return true
	})
	if len(all) == 0 || !slices.Equal(all, only) {
		t.Errorf("EMF gave %d documents, Generate %d EMF documents; equal %v", len(only), len(all), slices.Equal(all, only))
	}
}

// The story the notebooks tell survives the route through EMF: over the demo week at 1-minute
// periods, the p99 in minutes :00-:05 is about 3.4 s against about 0.5 s otherwise, the average
// about 200 ms, and every minute's p99 and average equal those of a local CloudWatch serving
// the scenario's own generator (no Logs). Also reports how long the first and second week loads
// take (the first extracts a week of documents).
func TestScenarioStoryThroughEMF(t *testing.T) {
	if testing.Short() {
		t.Skip("a week of 1-minute data: skipped in -short")
	}
	e := start(t, "api")
	sc, _ := scenario.New("api", 1)
	_, direct := localcwtest.Start(t, localcw.Options{Now: testNow, Scenarios: []scenario.Scenario{sc}})
	from, to := time.Date(2026, 11, 13, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	qs := []cwtypes.MetricDataQuery{latencyQuery("p99", "", "p99", 60), latencyQuery("avg", "", "Average", 60)}
	t0 := time.Now()
	got, times := getAll(t, localcwtest.Client(t, e.url), from, to, qs)
	first := time.Since(t0)
	t0 = time.Now()
	getAll(t, localcwtest.Client(t, e.url), from, to, qs)
	t.Logf("a week of 1-minute p99 and Average through EMF: first load %v, second %v", first.Round(time.Millisecond), time.Since(t0).Round(time.Millisecond))
	t0 = time.Now()
	want, _ := getAll(t, localcwtest.Client(t, direct), from, to, qs)
	t.Logf("the same from the scenario's own generator: %v", time.Since(t0).Round(time.Millisecond))
	for _, id := range []string{"p99", "avg"} {
		if len(got[id]) != 7*24*60 || !slices.Equal(got[id], want[id]) {
			t.Fatalf("%s: %d minutes through EMF, %d direct; equal %v", id, len(got[id]), len(want[id]), slices.Equal(got[id], want[id]))
		}
	}
	var in, out []float64
	for i, tm := range times["p99"] {
		if tm.Minute() < 5 {
			in = append(in, got["p99"][i])
		} else {
			out = append(out, got["p99"][i])
		}
	}
	median := func(x []float64) float64 { x = slices.Clone(x); slices.Sort(x); return x[len(x)/2] }
	mean := 0.0
	for _, v := range got["avg"] {
		mean += v / float64(len(got["avg"]))
	}
	t.Logf("median 1-minute p99: %.0f ms at :00-:05, %.0f ms otherwise; mean of minute averages %.0f ms", median(in), median(out), mean)
	if m := median(in); m < 3300 || m > 3450 {
		t.Errorf("median p99 at :00-:05 = %.0f ms, the story says about 3363", m)
	}
	if m := median(out); m < 470 || m > 520 {
		t.Errorf("median p99 otherwise = %.0f ms, the story says about 494", m)
	}
	if mean < 190 || mean > 210 {
		t.Errorf("mean of minute averages = %.0f ms, the story says about 199", mean)
	}
}

// The slow-requests notebook's check: per minute, pct(Latency, 99) from the request log equals
// the p99 GetMetricData returns for the metrics extracted from the EMF documents (both nearest
// rank over the same requests).
func TestLogsPctEqualsEMFMetricP99(t *testing.T) {
	e := start(t, "api")
	from := time.Date(2026, 11, 19, 9, 55, 0, 0, time.UTC)
	to := from.Add(15 * time.Minute)
	rows, _ := e.query(t, []string{scenario.APILogGroup}, from, to.Add(-time.Second), "filter ispresent(Latency) | stats pct(Latency, 99) as p99 by bin(1m)", 0)
	m, _ := plain(rows)
	got, _ := getAll(t, localcwtest.Client(t, e.url), from, to, []cwtypes.MetricDataQuery{latencyQuery("p99", "", "p99", 60)})
	if len(m) != 15 || len(got["p99"]) != 15 {
		t.Fatalf("%d minutes from the logs, %d from the metrics", len(m), len(got["p99"]))
	}
	for i, v := range got["p99"] {
		approx(t, fmt.Sprintf("minute %d", i), m[i]["p99"], v)
	}
}

// The api scenario's RequestCount and 5XXError come from the log's EMF flush documents too:
// through the SDK, every statistic of every minute, per endpoint and service-wide, equals a
// local CloudWatch serving the scenario's own generator (no Logs), and each minute's
// RequestCount and 5XXError sums equal the requests and the 5XX the request log holds.
func TestScenarioCountsComeFromEMF(t *testing.T) {
	e := start(t, "api")
	sc, _ := scenario.New("api", 1)
	_, direct := localcwtest.Start(t, localcw.Options{Now: testNow, Scenarios: []scenario.Scenario{sc}})
	from, to := time.Date(2026, 11, 19, 10, 50, 0, 0, time.UTC), time.Date(2026, 11, 19, 11, 10, 0, 0, time.UTC)
	var qs []cwtypes.MetricDataQuery
	for _, name := range []string{"RequestCount", "5XXError"} {
		for i, ep := range []string{"", "/cart", "/items", "/pay"} {
			for _, stat := range []string{"Sum", "SampleCount", "Average", "Minimum", "Maximum"} {
				q := latencyQuery(fmt.Sprintf("%s_%d_%s", map[string]string{"RequestCount": "r", "5XXError": "e"}[name], i, strings.ToLower(stat)), ep, stat, 60)
				q.MetricStat.Metric.MetricName = aws.String(name)
				qs = append(qs, q)
			}
		}
	}
	// GetMetricData takes at most 500 queries; 40 here
	got, _ := getAll(t, localcwtest.Client(t, e.url), from, to, qs)
	want, _ := getAll(t, localcwtest.Client(t, direct), from, to, qs)
	for _, q := range qs {
		id := aws.ToString(q.Id)
		if len(got[id]) != 20 || !slices.Equal(got[id], want[id]) {
			t.Fatalf("%s: through EMF %v, direct %v", id, got[id], want[id])
		}
	}
	// the request log agrees, counted by Insights per minute and endpoint
	rows, _ := e.query(t, []string{scenario.APILogGroup}, from, to.Add(-time.Second),
		`filter ispresent(requestId) | stats count(*) as n, sum(status >= 500) as errors by bin(1m), Endpoint`, 0)
	m, _ := plain(rows)
	if len(m) != 60 {
		t.Fatalf("%d minute-endpoint rows, want 60", len(m))
	}
	for _, r := range m {
		i := map[string]int{"/cart": 1, "/items": 2, "/pay": 3}[r["Endpoint"]]
		tm, err := time.Parse("2006-01-02 15:04:05.000", r["bin(1m)"])
		if err != nil || i == 0 {
			t.Fatalf("row %v: %v", r, err)
		}
		k := int(tm.Sub(from) / time.Minute)
		if n := fmt.Sprint(got[fmt.Sprintf("r_%d_sum", i)][k]); n != r["n"] {
			t.Errorf("%v %s: RequestCount %s, the log has %s requests", tm, r["Endpoint"], n, r["n"])
		}
		if n := fmt.Sprint(got[fmt.Sprintf("e_%d_sum", i)][k]); n != r["errors"] {
			t.Errorf("%v %s: 5XXError %s, the log has %s", tm, r["Endpoint"], n, r["errors"])
		}
	}
}
