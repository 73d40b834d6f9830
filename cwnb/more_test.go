package cwnb

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/time/rate"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
)

// TestLoadRegions loads one query from two regions (two local CloudWatch servers) into one
// frame: columns carry the region, the long frame has a region column, and each region has its
// own cache entries.
func TestLoadRegions(t *testing.T) {
	from := testNow.Add(-5 * time.Hour)
	_, urlA := localcwtest.Start(t, localcw.Options{Now: testNow})
	_, urlB := localcwtest.Start(t, localcw.Options{Now: testNow})
	putRamp(t, urlA, from, 3, nil)
	putRamp(t, urlB, from, 3, map[int]bool{0: true})
	urls := map[string]string{"us-east-1": urlA, "eu-west-1": urlB}
	dir := t.TempDir()
	l, err := newLoader(withCacheDir(dir), func(o *Options) {
		o.Now = func() time.Time { return testNow }
		o.NewClient = func(ctx context.Context, region string) (*cloudwatch.Client, error) {
			return localcwtest.Client(t, urls[region], func(co *cloudwatch.Options) { co.Region = region }), nil
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	m := checkout
	m.Stats = []string{"Maximum"}
	q := m.Window(from.Format(time.RFC3339), "3m")
	q.Regions = []string{"us-east-1", "eu-west-1"}
	res, err := l.Load(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(res.Columns(), "|"); got != "Latency Maximum (us-east-1)|Latency Maximum (eu-west-1)" {
		t.Errorf("columns %q", got)
	}
	if got := res.Frame().Col("Latency Maximum (eu-west-1)").Float(); got[1] != 200 || got[0] == got[0] {
		t.Errorf("eu-west-1 values %v, want [NaN 200 300]", got)
	}
	long := res.long()
	if n := long.Nrow(); n != 5 {
		t.Errorf("long frame has %d rows, want 3+2", n)
	}
	if got := long.Col("region").Records(); got[0] != "us-east-1" || got[4] != "eu-west-1" {
		t.Errorf("region column %v", got)
	}
	if n, _, _ := l.Cache().Size(); n != 2 {
		t.Errorf("%d cache entries, want one per region", n)
	}
}

// TestLoadMessages: a per-query message (MultipleUnits, from data published in two units) reaches
// the series and the warnings; informational messages do not stop caching.
func TestLoadMessages(t *testing.T) {
	srv, url := localcwtest.Start(t, localcw.Options{Now: testNow})
	c := localcwtest.Client(t, url)
	from := testNow.Add(-2 * time.Hour)
	var data []types.MetricDatum
	for k, unit := range []types.StandardUnit{types.StandardUnitMilliseconds, types.StandardUnitSeconds} {
		data = append(data, types.MetricDatum{MetricName: aws.String("Latency"), Value: aws.Float64(1), Unit: unit,
			Timestamp: aws.Time(from.Add(time.Duration(k) * time.Minute))})
	}
	if _, err := c.PutMetricData(context.Background(), &cloudwatch.PutMetricDataInput{Namespace: aws.String("Mixed"), MetricData: data}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	q := Metric{Namespace: "Mixed", Name: "Latency"}.Window(from.Format(time.RFC3339), "2m")
	res, err := testLoader(t, url, dir, testNow).Load(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Series[0].Messages) == 0 || res.Series[0].Messages[0].Code != "MultipleUnits" {
		t.Fatalf("series messages %v, want MultipleUnits", res.Series[0].Messages)
	}
	if !strings.Contains(res.Warnings.String(), "MultipleUnits") {
		t.Errorf("warnings %q lack MultipleUnits", res.Warnings)
	}
	if !strings.Contains(res.String(), "MultipleUnits") || !strings.Contains(res.html(), "MultipleUnits") {
		t.Error("the message is not printed with the result")
	}
	calls := srv.Calls("GetMetricData")
	if again, err := testLoader(t, url, dir, testNow).Load(context.Background(), q); err != nil || again.Calls != 0 {
		t.Errorf("re-run: %v, %d calls", err, srv.Calls("GetMetricData")-calls)
	}
}

// stubAPI answers GetMetricData from a fixed list of pages (a test double for the one case the
// local CloudWatch cannot produce: a result still PartialData after the last page).
type stubAPI struct {
	pages []*cloudwatch.GetMetricDataOutput
	calls int
}

func (s *stubAPI) GetMetricData(ctx context.Context, in *cloudwatch.GetMetricDataInput, _ ...func(*cloudwatch.Options)) (*cloudwatch.GetMetricDataOutput, error) {
	p := s.pages[s.calls]
	s.calls++
	return p, nil
}

func (s *stubAPI) ListMetrics(context.Context, *cloudwatch.ListMetricsInput, ...func(*cloudwatch.Options)) (*cloudwatch.ListMetricsOutput, error) {
	return &cloudwatch.ListMetricsOutput{}, nil
}

// TestLoadPartialData: a result left PartialData with a MaxQueryResultsExceeded message marks the
// result partial, warns, and is not cached; pages are merged per (Id, Label).
func TestLoadPartialData(t *testing.T) {
	from := testNow.Add(-2 * time.Hour)
	ts := func(k int) time.Time { return from.Add(time.Duration(k) * time.Minute) }
	stub := &stubAPI{pages: []*cloudwatch.GetMetricDataOutput{
		{MetricDataResults: []types.MetricDataResult{
			{Id: aws.String("m1"), Label: aws.String("Latency Average"), Timestamps: []time.Time{ts(0)}, Values: []float64{1}, StatusCode: types.StatusCodePartialData},
		}, NextToken: aws.String("p2")},
		{MetricDataResults: []types.MetricDataResult{
			{Id: aws.String("m1"), Label: aws.String("Latency Average"), Timestamps: []time.Time{ts(2)}, Values: []float64{3}, StatusCode: types.StatusCodePartialData,
				Messages: []types.MessageData{{Code: aws.String("MaxQueryResultsExceeded"), Value: aws.String("cut")}}},
		}, Messages: []types.MessageData{{Code: aws.String("Note"), Value: aws.String("call-level")}}},
	}}
	dir := t.TempDir()
	l, _ := newLoader(withAPI(stub), withCacheDir(dir), func(o *Options) { o.Now = func() time.Time { return testNow }; o.Region = "us-east-1" })
	res, err := l.Load(context.Background(), checkout.Window(from.Format(time.RFC3339), "3m"))
	if err != nil {
		t.Fatal(err)
	}
	if stub.calls != 2 || res.Calls != 2 {
		t.Errorf("calls %d/%d, want 2 pages", stub.calls, res.Calls)
	}
	v := res.Series[0].Values
	if v[0] != 1 || v[1] == v[1] || v[2] != 3 {
		t.Errorf("merged values %v, want [1 NaN 3]", v)
	}
	w := res.Warnings.String()
	if !res.Partial || res.Series[0].Status != "PartialData" || !strings.Contains(w, "MaxQueryResultsExceeded") || !strings.Contains(w, "call-level") {
		t.Errorf("partial %v status %q warnings %q", res.Partial, res.Series[0].Status, w)
	}
	if n, _, _ := l.Cache().Size(); n != 0 {
		t.Errorf("partial data was cached (%d entries)", n)
	}
}

// TestProgressStderr: a slow load reports progress on Stderr when asked to.
func TestProgressStderr(t *testing.T) {
	old := progressDelay
	progressDelay = 0
	t.Cleanup(func() { progressDelay = old })
	faults, _ := localcw.ParseFaults("latency=250ms")
	_, url := localcwtest.Start(t, localcw.Options{Now: testNow, Faults: faults})
	var buf bytes.Buffer
	l := testLoader(t, url, t.TempDir(), testNow, func(o *Options) { o.NoProgress = false; o.Stderr = &buf })
	if _, err := l.Load(context.Background(), checkout.Window(testNow.Add(-time.Hour).Format(time.RFC3339), "10m")); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "cwnb: loaded: 1 calls, 0 retries, 0 queries from the cache") {
		t.Errorf("stderr %q lacks the final progress line", buf.String())
	}
	// NoProgress is silent.
	buf.Reset()
	l = testLoader(t, url, t.TempDir(), testNow, func(o *Options) { o.NoProgress = true; o.Stderr = &buf })
	l.Load(context.Background(), checkout.Window(testNow.Add(-time.Hour).Format(time.RFC3339), "10m"))
	if buf.Len() != 0 {
		t.Errorf("auto progress wrote to a non-terminal: %q", buf.String())
	}
}

func TestRateLimitOption(t *testing.T) {
	l, _ := newLoader()
	if l.limiter.Limit() != rate.Limit(defaultRateLimit) || defaultRateLimit >= 50 {
		t.Errorf("default limit %v", l.limiter.Limit())
	}
	l, _ = newLoader(func(o *Options) { o.RateLimit = 3 })
	if l.limiter.Limit() != 3 || l.sqlLim.Limit() != 3 {
		t.Errorf("limit %v / %v, want 3", l.limiter.Limit(), l.sqlLim.Limit())
	}
	if _, err := newLoader(func(o *Options) { o.RateLimit = -1 }); err == nil {
		t.Error("negative rate limit accepted")
	}
}

// TestLoadExpressions: metric math over hidden and visible metrics, and SEARCH with a wildcard,
// evaluated by the local CloudWatch, in one call; the SEARCH series carry their dimensions into
// the long frame.
func TestLoadExpressions(t *testing.T) {
	srv, url := localcwtest.Start(t, localcw.Options{Now: testNow})
	from := testNow.Add(-3 * time.Hour)
	putRamp(t, url, from, 4, map[int]bool{2: true}) // checkout
	c := localcwtest.Client(t, url)
	var data []types.MetricDatum
	for k := 0; k < 4; k++ {
		data = append(data, types.MetricDatum{MetricName: aws.String("Latency"), Value: aws.Float64(7),
			Timestamp:  aws.Time(from.Add(time.Duration(k) * time.Minute)),
			Dimensions: []types.Dimension{{Name: aws.String("Service"), Value: aws.String("cart")}}})
	}
	if _, err := c.PutMetricData(context.Background(), &cloudwatch.PutMetricDataInput{Namespace: aws.String("MyService/API"), MetricData: data}); err != nil {
		t.Fatal(err)
	}
	m := checkout
	m.ID, m.Stats, m.Hidden = "lat", []string{"Maximum", "Minimum"}, true
	q := Query{
		Metrics: []Metric{m},
		Expressions: []Expression{
			{ID: "spread", Expr: "lat_max - lat_min", Label: "spread"},
			{ID: "svc", Expr: "SEARCH('{MyService/API,Service} Latency', 'Maximum')"},
		},
		Window: Between(from, from.Add(4*time.Minute)), Period: time.Minute,
	}
	res, err := testLoader(t, url, t.TempDir(), testNow).Load(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if srv.Calls("GetMetricData") != 1 {
		t.Errorf("%d calls, want 1", srv.Calls("GetMetricData"))
	}
	if got := strings.Join(res.Columns(), "|"); got != "spread|cart Latency|checkout Latency" {
		t.Fatalf("columns %q", got)
	}
	// Minute k of the ramp holds (k+1)·1 .. (k+1)·100: max - min = 99(k+1).
	spread, _ := res.lookup("spread")
	if v := spread.Values; v[0] != 99 || v[1] != 198 || v[2] == v[2] || v[3] != 396 {
		t.Errorf("spread %v, want [99 198 NaN 396]", v)
	}
	cart, _ := res.lookup("cart Latency")
	if cart.Values[0] != 7 || cart.Dims["Service"] != "cart" || cart.Namespace != "MyService/API" || cart.Metric != "Latency" || cart.Stat != "Maximum" {
		t.Errorf("cart series %+v", cart)
	}
	long := res.long()
	if got := long.Col("Service").Records(); got[len(got)-1] != "checkout" {
		t.Errorf("long Service column %v", got)
	}
}

// TestLoadAgedWindow: a window cached at 1 minute while recent is served from the cache at 1
// minute after it has aged past 15 days (when CloudWatch would only return 5 minutes), online and
// offline, so that a committed notebook re-renders unchanged; without the cache it is coarsened.
func TestLoadAgedWindow(t *testing.T) {
	srv, url := localcwtest.Start(t, localcw.Options{Now: testNow})
	from := testNow.Add(-5 * time.Hour)
	putRamp(t, url, from, 10, nil)
	dir := t.TempDir()
	q := checkout.Window(from.Format(time.RFC3339), "10m")
	q.Period = time.Minute
	first, err := testLoader(t, url, dir, testNow).Load(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	later := testNow.Add(20 * 24 * time.Hour)
	for _, offline := range []bool{false, true} {
		calls := srv.Calls("GetMetricData")
		res, err := testLoader(t, url, dir, later, withOffline(offline)).Load(context.Background(), q)
		if err != nil {
			t.Fatalf("offline=%v: %v", offline, err)
		}
		if res.Period != time.Minute || srv.Calls("GetMetricData") != calls || len(res.Warnings) != 0 {
			t.Errorf("offline=%v: period %v, %d calls, warnings %q; want 1m from the cache", offline, res.Period, srv.Calls("GetMetricData")-calls, res.Warnings)
		}
		if !strings.Contains(res.Notes.String(), "served from the cache at period 1m") {
			t.Errorf("notes %q", res.Notes)
		}
		if !cmp.Equal(first.Series[0].Values, res.Series[0].Values) {
			t.Errorf("values %v, want %v", res.Series[0].Values, first.Series[0].Values)
		}
	}
	res, err := testLoader(t, url, t.TempDir(), later).Load(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if res.Period != 5*time.Minute || !strings.Contains(res.Warnings.String(), "loaded at 5m instead") {
		t.Errorf("empty cache: period %v, warnings %q; want coarsened to 5m", res.Period, res.Warnings)
	}
	strict := testLoader(t, url, t.TempDir(), later, func(o *Options) { o.StrictPeriod = true })
	if _, err := strict.Load(context.Background(), q); err == nil || !strings.Contains(err.Error(), "finer than CloudWatch keeps") {
		t.Errorf("strict: %v", err)
	}
}

// TestLoadBeyondRetention: a window older than CloudWatch keeps anything is still served from a
// cache that holds it; without one it is an error. CWNB_NOW pins the loader's clock.
func TestLoadBeyondRetention(t *testing.T) {
	_, url := localcwtest.Start(t, localcw.Options{Now: testNow})
	from := testNow.Add(-5 * time.Hour)
	putRamp(t, url, from, 10, nil)
	dir := t.TempDir()
	q := checkout.Window(from.Format(time.RFC3339), "10m")
	t.Setenv("CWNB_NOW", testNow.Format(time.RFC3339))
	c := localcwtest.Client(t, url)
	if _, err := Load(context.Background(), q, withAPI(c), withCacheDir(dir)); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CWNB_NOW", testNow.AddDate(2, 0, 0).Format(time.RFC3339))
	res, err := Load(context.Background(), q, withAPI(c), withCacheDir(dir), withOffline(true))
	if err != nil || res.Period != time.Minute || res.Calls != 0 {
		t.Fatalf("two years later from the cache: %v", err)
	}
	if _, err := Load(context.Background(), q, withAPI(c), withCacheDir(t.TempDir())); err == nil || !strings.Contains(err.Error(), "455 days") {
		t.Errorf("without a cache: %v, want the retention error", err)
	}
	t.Setenv("CWNB_NOW", "tomorrow")
	if _, err := newLoader(); err == nil || !strings.Contains(err.Error(), "CWNB_NOW") {
		t.Errorf("bad CWNB_NOW: %v", err)
	}
}

// TestLoadMixedPeriods: a 1-minute and a 5-minute query share the 1-minute grid.
func TestLoadMixedPeriods(t *testing.T) {
	_, url := localcwtest.Start(t, localcw.Options{Now: testNow})
	from := testNow.Add(-3 * time.Hour)
	putRamp(t, url, from, 10, nil)
	fine, coarse := checkout, checkout
	fine.ID, fine.Stats = "fine", []string{"Maximum"}
	coarse.ID, coarse.Stats, coarse.Period, coarse.Label = "coarse", []string{"Maximum"}, 5*time.Minute, "max 5m"
	q := Query{Metrics: []Metric{fine, coarse}, Window: Between(from, from.Add(10*time.Minute)), Period: time.Minute}
	res, err := testLoader(t, url, t.TempDir(), testNow).Load(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := res.lookup("max 5m")
	want := []float64{500, nan, nan, nan, nan, 1000, nan, nan, nan, nan}
	if res.Period != time.Minute || len(c.Values) != 10 || !cmp.Equal(want, c.Values, cmpopts.EquateNaNs()) || c.Period != 5*time.Minute {
		t.Errorf("grid %v, coarse series %v (period %v), want %v", res.Period, c.Values, c.Period, want)
	}
	q.Metrics[0].Period, q.Metrics[1].Period = 2*time.Minute, 3*time.Minute
	if _, err := testLoader(t, url, t.TempDir(), testNow).Load(context.Background(), q); err == nil || !strings.Contains(err.Error(), "not a multiple of 2m") {
		t.Errorf("2m with 3m: %v, want a multiple error", err)
	}
}

var nan = math.NaN()
