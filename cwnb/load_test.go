package cwnb

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
	"github.com/cwnb/cwnb/cwnb/localcw/scenario"
)

// testNow is the pinned clock of the local CloudWatch and of the loaders in these tests.
var testNow = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

// fastRetry makes the SDK retry throttling quickly and often, without its client-side retry quota.
func fastRetry(o *cloudwatch.Options) {
	o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
		so.MaxAttempts = 25
		so.MaxBackoff = 20 * time.Millisecond
		so.RateLimiter = ratelimit.None
	})
}

// testLoader returns a loader on the local CloudWatch at url with its cache in dir.
func testLoader(t testing.TB, url, dir string, now time.Time, extra ...func(*Options)) *loader {
	t.Helper()
	return testLoaderWith(t, url, dir, now, nil, extra...)
}

// testLoaderWith is testLoader with more client options.
func testLoaderWith(t testing.TB, url, dir string, now time.Time, clientOpt func(*cloudwatch.Options), extra ...func(*Options)) *loader {
	t.Helper()
	copts := []func(*cloudwatch.Options){fastRetry}
	if clientOpt != nil {
		copts = append(copts, clientOpt)
	}
	c := localcwtest.Client(t, url, copts...)
	fns := append([]func(*Options){withAPI(c), withCacheDir(dir), func(o *Options) {
		o.Now = func() time.Time { return now }
		o.Region = "us-east-1"
		o.NoProgress = true
		o.RateLimit = 1000
	}}, extra...)
	l, err := newLoader(fns...)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// putRamp publishes, for every minute k of [from, from+n min) not in gaps, the values
// (k+1)·1, (k+1)·2, ..., (k+1)·100 (count 1 each) to MyService/API Latency {Service=checkout}.
func putRamp(t *testing.T, url string, from time.Time, n int, gaps map[int]bool) {
	t.Helper()
	c := localcwtest.Client(t, url)
	var datums []types.MetricDatum
	for k := 0; k < n; k++ {
		if gaps[k] {
			continue
		}
		vals := make([]float64, 100)
		counts := make([]float64, 100)
		for i := range vals {
			vals[i] = float64(k+1) * float64(i+1)
			counts[i] = 1
		}
		datums = append(datums, types.MetricDatum{
			MetricName: aws.String("Latency"),
			Dimensions: []types.Dimension{{Name: aws.String("Service"), Value: aws.String("checkout")}},
			Timestamp:  aws.Time(from.Add(time.Duration(k) * time.Minute)),
			Values:     vals, Counts: counts, Unit: types.StandardUnitMilliseconds,
		})
	}
	_, err := c.PutMetricData(context.Background(), &cloudwatch.PutMetricDataInput{Namespace: aws.String("MyService/API"), MetricData: datums})
	if err != nil {
		t.Fatalf("PutMetricData: %v", err)
	}
}

var checkout = Metric{Namespace: "MyService/API", Name: "Latency", Dims: Dims{"Service": "checkout"}}

// TestLoadStatistics checks every statistic on the 1-minute grid against values computed here
// from the published samples, and that unpublished minutes are NaN.
// Definitions: AWS CloudWatch User Guide, "Statistics definitions" (percentiles; TM, WM, TC, TS
// with lower bound exclusive and upper bound inclusive; PR; IQM = TM(25%:75%)).
func TestLoadStatistics(t *testing.T) {
	srv, url := localcwtest.Start(t, localcw.Options{Now: testNow})
	from := testNow.Add(-10 * time.Hour)
	gaps := map[int]bool{3: true, 7: true}
	putRamp(t, url, from, 10, gaps)
	m := checkout
	m.Stats = []string{"Average", "Sum", "Minimum", "Maximum", "SampleCount", "p90", "TM(10%:90%)", "IQM", "WM(10%:90%)", "TC(10%:90%)", "TS(10%:90%)", "PR(:50)"}
	l := testLoader(t, url, t.TempDir(), testNow)
	res, err := l.Load(context.Background(), Query{Metrics: []Metric{m}, Window: Between(from, from.Add(10*time.Minute)), Period: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.Calls("GetMetricData"); got != 1 {
		t.Errorf("GetMetricData calls = %d, want 1", got)
	}
	// expected for minute k with samples s·1..s·100, s = k+1.
	expect := func(stat string, s float64) float64 {
		switch stat {
		case "Average":
			return 50.5 * s
		case "Sum":
			return 5050 * s
		case "Minimum":
			return s
		case "Maximum":
			return 100 * s
		case "SampleCount":
			return 100
		case "p90":
			return 90 * s
		case "TM(10%:90%)", "IQM":
			return 50.5 * s // mean of 11..90, and of 26..75
		case "WM(10%:90%)":
			return (10*10 + 4040 + 10*90) / 100.0 * s // 1..10 → 10, 91..100 → 90
		case "TC(10%:90%)":
			return 80
		case "TS(10%:90%)":
			return 4040 * s
		case "PR(:50)":
			return math.Floor(50 / s) // percent of the 100 samples ≤ 50
		}
		t.Fatalf("no expectation for %s", stat)
		return 0
	}
	if len(res.Series) != len(m.Stats) {
		t.Fatalf("%d series, want %d: %v", len(res.Series), len(m.Stats), res.Columns())
	}
	for i, stat := range m.Stats {
		s := res.Series[i]
		want := make([]float64, 10)
		for k := range want {
			want[k] = expect(stat, float64(k+1))
			if gaps[k] {
				want[k] = math.NaN()
			}
		}
		// Percentile-based statistics are approximate in CloudWatch: 1.5% tolerance.
		opt := cmpopts.EquateApprox(1e-12, 0)
		if stat != "Average" && stat != "Sum" && stat != "Minimum" && stat != "Maximum" && stat != "SampleCount" {
			opt = cmpopts.EquateApprox(0.015, 0)
		}
		if diff := cmp.Diff(want, s.Values, opt, cmpopts.EquateNaNs()); diff != "" {
			t.Errorf("%s (column %q) (-want +got):\n%s", stat, s.Column, diff)
		}
		if s.Stat == "" || s.Namespace != "MyService/API" || s.Metric != "Latency" || s.Dims["Service"] != "checkout" {
			t.Errorf("series %d metadata = %+v", i, s)
		}
	}
	// The frame holds the same numbers and RFC 3339 timestamps.
	times, err := frameTimes(res.Frame())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(res.Times(), times); diff != "" {
		t.Errorf("Times(frame) differs from Result.Times (-want +got):\n%s", diff)
	}
	if got := res.Frame().Col(res.Series[0].Column).Float(); !cmp.Equal(got, res.Series[0].Values, cmpopts.EquateNaNs()) {
		t.Errorf("frame column = %v, want %v", got, res.Series[0].Values)
	}
	if res.MetricsRequested != len(m.Stats) || math.Abs(res.Cost-float64(len(m.Stats))*0.01/1000) > 1e-15 {
		t.Errorf("metrics %d cost %v, want %d and $%v", res.MetricsRequested, res.Cost, len(m.Stats), float64(len(m.Stats))*1e-5)
	}
}

// TestLoadCacheRerun: a second process (a new Loader) on the same cache makes no call and
// returns the same values; offline on an empty cache fails naming what is missing.
func TestLoadCacheRerun(t *testing.T) {
	srv, url := localcwtest.Start(t, localcw.Options{Now: testNow})
	from := testNow.Add(-5 * time.Hour)
	putRamp(t, url, from, 30, map[int]bool{5: true})
	dir := t.TempDir()
	q := checkout.Window(from.Format(time.RFC3339), "30m")
	q.Metrics[0].Stats = []string{"Average", "p99"}
	q.Period = time.Minute
	first, err := testLoader(t, url, dir, testNow).Load(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	calls := srv.Calls("GetMetricData")
	second, err := testLoader(t, url, dir, testNow).Load(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.Calls("GetMetricData") - calls; got != 0 || second.Calls != 0 {
		t.Errorf("re-run made %d calls (result says %d), want 0", got, second.Calls)
	}
	if second.Cache.Hits != 2 || second.Cost != 0 {
		t.Errorf("re-run cache %+v cost %v, want 2 hits and no cost", second.Cache, second.Cost)
	}
	for i := range first.Series {
		if diff := cmp.Diff(first.Series[i].Values, second.Series[i].Values, cmpopts.EquateNaNs()); diff != "" {
			t.Errorf("%s from cache differs (-fetched +cached):\n%s", first.Series[i].Column, diff)
		}
	}
	// Offline, same cache: served. Offline, empty cache: an error naming the metric.
	off, err := testLoader(t, url, dir, testNow, withOffline(true)).Load(context.Background(), q)
	if err != nil || off.Calls != 0 {
		t.Fatalf("offline from a full cache: %v (calls %v)", err, off)
	}
	// Offline on a machine with no endpoint configured and no credentials: the entries recorded
	// against the local CloudWatch still answer, and the result says it shows local data: its
	// output is the same as online.
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH", "")
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	bare, err := Load(context.Background(), q, withCacheDir(dir), withOffline(true), withRegion("us-east-1"), func(o *Options) { o.Now = func() time.Time { return testNow } })
	if err != nil || bare.Endpoint != "local" || bare.String() != first.String() {
		t.Fatalf("offline without an endpoint: %v\n%v\nvs online\n%v", err, bare, first)
	}
	if diff := cmp.Diff(first.Series[1].Values, bare.Series[1].Values, cmpopts.EquateNaNs()); diff != "" {
		t.Errorf("offline values differ:\n%s", diff)
	}
	_, err = testLoader(t, url, t.TempDir(), testNow, withOffline(true)).Load(context.Background(), q)
	var oe *offlineError
	if !errors.Is(err, ErrOffline) || !errors.As(err, &oe) || !strings.Contains(err.Error(), "Latency p99") {
		t.Errorf("offline miss error = %v, want an *offlineError naming Latency p99", err)
	}
	t.Setenv("CWNB_OFFLINE", "1")
	_, err = testLoader(t, url, t.TempDir(), testNow).Load(context.Background(), q)
	if !errors.Is(err, ErrOffline) {
		t.Errorf("CWNB_OFFLINE=1 miss error = %v, want ErrOffline", err)
	}
}

// TestLoadCorruptEntry: a damaged cache file is detected, fetched again with a warning, and
// rewritten.
func TestLoadCorruptEntry(t *testing.T) {
	srv, url := localcwtest.Start(t, localcw.Options{Now: testNow})
	from := testNow.Add(-5 * time.Hour)
	putRamp(t, url, from, 20, nil)
	dir := t.TempDir()
	q := checkout.Window(from.Format(time.RFC3339), "20m")
	first, err := testLoader(t, url, dir, testNow).Load(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := newDiskCache(dir).Entries("")
	if err != nil || len(entries) != 1 {
		t.Fatalf("entries = %v, %v; want 1", entries, err)
	}
	for name, damage := range map[string]func([]byte) []byte{
		"flipped byte": func(b []byte) []byte { b[len(b)/2] ^= 0xff; return b },
		"truncated":    func(b []byte) []byte { return b[:len(b)-9] },
		"not cwnb":     func([]byte) []byte { return []byte("hello") },
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, entries[0].Path)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, damage(b), 0o644); err != nil {
				t.Fatal(err)
			}
			calls := srv.Calls("GetMetricData")
			res, err := testLoader(t, url, dir, testNow).Load(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			if srv.Calls("GetMetricData") != calls+1 || res.Cache.Corrupt != 1 {
				t.Errorf("calls +%d, corrupt %d; want 1 and 1", srv.Calls("GetMetricData")-calls, res.Cache.Corrupt)
			}
			if !strings.Contains(res.Warnings.String(), "fetched again") {
				t.Errorf("warnings %q do not mention the refetch", res.Warnings)
			}
			if diff := cmp.Diff(first.Series[0].Values, res.Series[0].Values, cmpopts.EquateNaNs()); diff != "" {
				t.Errorf("refetched values differ:\n%s", diff)
			}
			again, err := testLoader(t, url, dir, testNow).Load(context.Background(), q)
			if err != nil || again.Calls != 0 {
				t.Errorf("after the repair: err %v, calls %d; want 0 calls", err, again.Calls)
			}
		})
	}
}

// TestLoadBatchingAndPages: 1,500 queries take 3 calls; 200 queries over a day at 1 minute
// (288,000 datapoints) take ceil(288,000/100,800) = 3 pages of one call, merged per (Id, Label).
// Limits: CloudWatch API reference, GetMetricData (500 queries; MaxDatapoints default 100,800).
func TestLoadBatchingAndPages(t *testing.T) {
	bench, err := scenario.New("bench", 1)
	if err != nil {
		t.Fatal(err)
	}
	// Each subtest has its own server, so that its call count holds only its own requests.
	start := func(t *testing.T) (*localcw.Server, string) {
		return localcwtest.Start(t, localcw.Options{Now: testNow, Scenarios: []scenario.Scenario{bench}})
	}
	series := func(n int, stats ...string) []Metric {
		var ms []Metric
		for i := 0; i < n; i++ {
			ms = append(ms, Metric{Namespace: "Bench", Name: "Latency", Dims: Dims{"Series": fmt.Sprintf("s%03d", i)}, Stats: stats})
		}
		return ms
	}
	t.Run("split", func(t *testing.T) {
		srv, url := start(t)
		before := srv.Calls("GetMetricData")
		q := Query{Metrics: series(500, "Average", "p99", "Sum"), Window: Between(testNow.Add(-2*time.Hour), testNow.Add(-time.Hour)), Period: time.Minute}
		res, err := testLoader(t, url, t.TempDir(), testNow).Load(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if got := srv.Calls("GetMetricData") - before; got != 3 || res.Calls != 3 {
			t.Errorf("calls = %d (result %d), want ceil(1500/500) = 3", got, res.Calls)
		}
		if len(res.Series) != 1500 || res.MetricsRequested != 1500 {
			t.Errorf("%d series, %d metrics; want 1500", len(res.Series), res.MetricsRequested)
		}
		for _, s := range res.Series {
			if n := countNaN(s.Values); n != 0 {
				t.Fatalf("%s has %d NaN of 60", s.Column, n)
			}
		}
	})
	t.Run("pages", func(t *testing.T) {
		srv, url := start(t)
		before := srv.Calls("GetMetricData")
		q := Query{Metrics: series(200, "Average"), Window: Between(testNow.Add(-25*time.Hour), testNow.Add(-time.Hour)), Period: time.Minute}
		res, err := testLoader(t, url, t.TempDir(), testNow).Load(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if got := srv.Calls("GetMetricData") - before; got != 3 || res.Calls != 3 {
			t.Errorf("calls = %d (result %d), want 3 pages", got, res.Calls)
		}
		if res.Partial {
			t.Errorf("merged pages still partial: %v", res.Warnings)
		}
		for _, s := range res.Series {
			if n := countNaN(s.Values); n != 0 || len(s.Values) != 1440 {
				t.Fatalf("%s: %d values, %d NaN; want 1440 and 0", s.Column, len(s.Values), n)
			}
		}
	})
}

func countNaN(v []float64) int {
	n := 0
	for _, x := range v {
		if math.IsNaN(x) {
			n++
		}
	}
	return n
}

// TestLoadRelativeTail: a relative window loaded again later fetches only the new tail, and the
// still-open period is not cached as final.
func TestLoadRelativeTail(t *testing.T) {
	api, err := scenario.New("api", 1)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	m := Metric{Namespace: "MyService/API", Name: "Latency", Dims: Dims{"Service": "checkout"}, Stats: []string{"Average"}}
	scen := api.Metrics()
	found := false
	for _, sm := range scen {
		if sm.Name == "Latency" && len(sm.Dims) > 0 {
			m.Dims = Dims{}
			for _, d := range sm.Dims {
				m.Dims[d.Name] = d.Value
			}
			found = true
			break
		}
	}
	if !found {
		t.Skip("api scenario has no Latency metric")
	}
	q := Query{Metrics: []Metric{m}, Window: Last(time.Hour), Period: time.Minute}
	t0 := testNow.Add(-30 * time.Second)
	srv1, url1 := localcwtest.Start(t, localcw.Options{Now: t0, Scenarios: []scenario.Scenario{api}})
	r1, err := testLoader(t, url1, dir, t0).Load(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if srv1.Calls("GetMetricData") != 1 {
		t.Fatalf("first load: %d calls", srv1.Calls("GetMetricData"))
	}
	// Ten minutes later, on a server whose clock moved too.
	t1 := t0.Add(10 * time.Minute)
	srv2, url2 := localcwtest.Start(t, localcw.Options{Now: t1, Scenarios: []scenario.Scenario{api}})
	r2, err := testLoader(t, url2, dir, t1).Load(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if srv2.Calls("GetMetricData") != 1 {
		t.Errorf("tail load: %d calls, want 1", srv2.Calls("GetMetricData"))
	}
	if !r2.Start.Equal(r1.Start.Add(10 * time.Minute)) {
		t.Errorf("window moved from %v to %v, want +10m", r1.Start, r2.Start)
	}
	fresh, err := testLoader(t, url2, t.TempDir(), t1).Load(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fresh.Series[0].Values, r2.Series[0].Values, cmpopts.EquateNaNs()); diff != "" {
		t.Errorf("cache+tail differs from a fresh load (-fresh +got):\n%s", diff)
	}
	entries, _ := newDiskCache(dir).Entries("")
	if len(entries) != 1 {
		t.Fatalf("entries %v", entries)
	}
	final := alignDown(t1.Add(-defaultDelay), time.Minute)
	if cov := entries[0].Covered; len(cov) != 1 || !cov[0].End.Equal(final) {
		t.Errorf("covered %v, want up to %v (the open period is not final)", cov, final)
	}
}

// TestLoadThrottlingStorm: with half the requests throttled, the SDK's retries and the loader
// still return complete data.
func TestLoadThrottlingStorm(t *testing.T) {
	faults, err := localcw.ParseFaults("throttle=0.5,5xx=0.1,seed=7")
	if err != nil {
		t.Fatal(err)
	}
	bench, _ := scenario.New("bench", 1)
	srv, url := localcwtest.Start(t, localcw.Options{Now: testNow, Scenarios: []scenario.Scenario{bench}, Faults: faults})
	var ms []Metric
	for i := 0; i < 300; i++ {
		ms = append(ms, Metric{Namespace: "Bench", Name: "Latency", Dims: Dims{"Series": fmt.Sprintf("s%03d", i)}, Stats: []string{"Average", "p99"}})
	}
	q := Query{Metrics: ms, Window: Between(testNow.Add(-2*time.Hour), testNow.Add(-time.Hour)), Period: 5 * time.Minute}
	res, err := testLoader(t, url, t.TempDir(), testNow).Load(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if res.Calls != 2 {
		t.Errorf("result counts %d calls, want 2 (SDK retries are not calls)", res.Calls)
	}
	if srv.Calls("GetMetricData") <= 2 {
		t.Errorf("server saw %d requests; the storm should have forced retries", srv.Calls("GetMetricData"))
	}
	for _, s := range res.Series {
		if countNaN(s.Values) != 0 {
			t.Fatalf("%s has gaps after the storm", s.Column)
		}
	}
}

// TestLoadCancel: a cancelled context stops the load with the context's error.
func TestLoadCancel(t *testing.T) {
	faults, _ := localcw.ParseFaults("latency=500ms")
	_, url := localcwtest.Start(t, localcw.Options{Now: testNow, Faults: faults})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := testLoader(t, url, t.TempDir(), testNow).Load(ctx, checkout.Window(testNow.Add(-time.Hour).Format(time.RFC3339), "10m"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
}

// TestLoadTwoProcesses: two processes load the same query into the same cache at once; the
// entry is valid afterwards and a third load makes no call.
func TestLoadTwoProcesses(t *testing.T) {
	if url := os.Getenv("CWNB_TEST_CHILD_URL"); url != "" {
		t.Skip("child mode runs TestHelperChildLoad only")
	}
	srv, url := localcwtest.Start(t, localcw.Options{Now: testNow})
	from := testNow.Add(-5 * time.Hour)
	putRamp(t, url, from, 60, nil)
	dir := t.TempDir()
	var cmds []*exec.Cmd
	for i := 0; i < 2; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperChildLoad$", "-test.count=1")
		cmd.Env = append(os.Environ(), "CWNB_TEST_CHILD_URL="+url, "CWNB_TEST_CHILD_DIR="+dir, "CWNB_TEST_CHILD_FROM="+from.Format(time.RFC3339))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("child: %v", err)
		}
	}
	// Each child makes one call, or none if the other one's entry was already there.
	if got := srv.Calls("GetMetricData"); got < 1 || got > 2 {
		t.Errorf("children made %d calls, want 1 or 2", got)
	}
	entries, err := newDiskCache(dir).Entries("")
	if err != nil || len(entries) != 2 {
		t.Fatalf("entries %v %v", entries, err)
	}
	for _, e := range entries {
		if e.Err != nil {
			t.Errorf("%s: %v", e.Path, e.Err)
		}
	}
	res, err := testLoader(t, url, dir, testNow).Load(context.Background(), childQuery(from))
	if err != nil || res.Calls != 0 {
		t.Errorf("third load: %v, %d calls; want 0", err, res.Calls)
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, "*", "*", "*", ".tmp-*")); len(matches) > 0 {
		t.Errorf("temporary files left: %v", matches)
	}
}

func childQuery(from time.Time) Query {
	m := checkout
	m.Stats = []string{"Average", "p99"}
	return Query{Metrics: []Metric{m}, Window: Between(from, from.Add(time.Hour)), Period: time.Minute}
}

// TestHelperChildLoad is the child process of TestLoadTwoProcesses.
func TestHelperChildLoad(t *testing.T) {
	url := os.Getenv("CWNB_TEST_CHILD_URL")
	if url == "" {
		t.Skip("run by TestLoadTwoProcesses")
	}
	from, _ := time.Parse(time.RFC3339, os.Getenv("CWNB_TEST_CHILD_FROM"))
	if _, err := testLoader(t, url, os.Getenv("CWNB_TEST_CHILD_DIR"), testNow).Load(context.Background(), childQuery(from)); err != nil {
		t.Fatal(err)
	}
}
