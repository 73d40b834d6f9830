package cwnb_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/smithy-go"

	"github.com/cwnb/cwnb/cwnb"
	"github.com/cwnb/cwnb/cwnb/localcw"
)

// exampleNow is the pinned clock of the examples' local CloudWatch.
var exampleNow = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

// localCloudWatch starts a local CloudWatch on loopback holding MyService/API Latency
// {Service=checkout} for 2026-11-19 10:00-10:10: in minute k the 100 samples (k+1)·1 ... (k+1)·100,
// except minute 3, which has none. It returns the options that point a loader at it (with a
// fresh cache directory) and a function that stops it.
func localCloudWatch() (opts []func(*cwnb.Options), stop func()) {
	srv := httptest.NewServer(localcw.New(localcw.Options{Now: exampleNow}))
	client := cloudwatch.New(cloudwatch.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		BaseEndpoint: aws.String(srv.URL),
	})
	var data []types.MetricDatum
	for k := 0; k < 10; k++ {
		if k == 3 {
			continue
		}
		vals, counts := make([]float64, 100), make([]float64, 100)
		for i := range vals {
			vals[i], counts[i] = float64((k+1)*(i+1)), 1
		}
		data = append(data, types.MetricDatum{MetricName: aws.String("Latency"), Values: vals, Counts: counts,
			Timestamp:  aws.Time(time.Date(2026, 11, 19, 10, k, 0, 0, time.UTC)),
			Dimensions: []types.Dimension{{Name: aws.String("Service"), Value: aws.String("checkout")}},
			Unit:       types.StandardUnitMilliseconds})
	}
	_, err := client.PutMetricData(context.Background(), &cloudwatch.PutMetricDataInput{Namespace: aws.String("MyService/API"), MetricData: data})
	if err != nil {
		panic(err)
	}
	dir, err := os.MkdirTemp("", "cwnb-example-")
	if err != nil {
		panic(err)
	}
	opts = []func(*cwnb.Options){cwnb.WithClient(client), cwnb.WithCacheDir(dir), cwnb.WithRegion("us-east-1"), func(o *cwnb.Options) {
		o.Now = func() time.Time { return exampleNow }
	}}
	return opts, func() { srv.Close(); os.RemoveAll(dir) }
}

var lat = cwnb.Metric{Namespace: "MyService/API", Name: "Latency", Dims: cwnb.Dims{"Service": "checkout"}, Stats: []string{"Average", "p99"}}

// The notebook cell: describe, load, display. Outside GoNB, Display prints the text form.
func Example() {
	opts, stop := localCloudWatch()
	defer stop()

	res := cwnb.MustLoad(lat.Window("2026-11-19T10:00:00Z", "5m"), opts...)
	res.Display()
	// Output:
	// 2026-11-19T10:00:00Z/2026-11-19T10:05:00Z · period 1m (auto) · 5 rows × 2 series · us-east-1 @ local · est. $0.00002 per uncached load
	// note: period 1m chosen automatically for a 5m window (set Query.Period to choose)
	//              timestamp  Latency Average  Latency p99
	//   2026-11-19T10:00:00Z             50.5           99
	//   2026-11-19T10:01:00Z              101          198
	//   2026-11-19T10:02:00Z            151.5          297
	//   2026-11-19T10:03:00Z              NaN          NaN
	//   2026-11-19T10:04:00Z            252.5          495
}

func ExampleLoad() {
	opts, stop := localCloudWatch()
	defer stop()

	q := cwnb.Query{
		Metrics: []cwnb.Metric{{ID: "lat", Namespace: "MyService/API", Name: "Latency",
			Dims: cwnb.Dims{"Service": "checkout"}, Stats: []string{"Maximum", "SampleCount"}}},
		Window: cwnb.Between(time.Date(2026, 11, 19, 10, 0, 0, 0, time.UTC), time.Date(2026, 11, 19, 10, 5, 0, 0, time.UTC)),
		Period: time.Minute,
	}
	res, err := cwnb.Load(context.Background(), q, opts...)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range res.Series {
		fmt.Println(s.ID, s.Stat, s.Values)
	}
	fmt.Println("calls:", res.Calls, "cost: $", res.Cost)
	// Output:
	// lat_max Maximum [100 200 300 NaN 500]
	// lat_n SampleCount [100 100 100 NaN 100]
	// calls: 1 cost: $ 2e-05
}

func ExampleMustLoad() {
	opts, stop := localCloudWatch()
	defer stop()

	res := cwnb.MustLoad(lat.Window("2026-11-19T10:00:00Z", "2m"), opts...)
	fmt.Println(res.Columns())
	// Output:
	// [Latency Average Latency p99]
}

// A second load of the same query, even from another process, is answered by the cache.
func ExampleLoader_Load() {
	opts, stop := localCloudWatch()
	defer stop()

	q := lat.Window("2026-11-19T10:00:00Z", "10m")
	for run := 1; run <= 2; run++ {
		l, _ := cwnb.New(opts...) // a new loader, as a new notebook cell would make
		res, err := l.Load(context.Background(), q)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("run %d: %d calls, cache %d hit %d miss\n", run, res.Calls, res.Cache.Hits, res.Cache.Misses)
	}
	// Output:
	// run 1: 1 calls, cache 0 hit 2 miss
	// run 2: 0 calls, cache 2 hit 0 miss
}

func ExampleNew() {
	l, err := cwnb.New(cwnb.WithRegion("eu-west-1"), cwnb.WithCacheDir("/tmp/cwnb-cache"), cwnb.WithRateLimit(10))
	fmt.Println(err, l.Cache().Dir())
	// Output:
	// <nil> /tmp/cwnb-cache
}

// Offline, a load the cache cannot answer fails and says what is missing.
func ExampleWithOffline() {
	dir, _ := os.MkdirTemp("", "cwnb-empty-")
	defer os.RemoveAll(dir)
	_, err := cwnb.Load(context.Background(), lat.Window("2026-11-19T10:00:00Z", "10m"),
		cwnb.WithOffline(true), cwnb.WithCacheDir(dir), cwnb.WithRegion("us-east-1"), cwnb.WithEndpoint("http://127.0.0.1:4582"))
	fmt.Println(strings.Replace(err.Error(), dir, "DIR", 1))
	// Output:
	// offline (CWNB_OFFLINE or Options.Offline) and the cache DIR lacks us-east-1 MyService/API Latency Average {Service=checkout} 2026-11-19T10:00:00Z/2026-11-19T10:10:00Z; us-east-1 MyService/API Latency p99 {Service=checkout} 2026-11-19T10:00:00Z/2026-11-19T10:10:00Z; load once online with the same query and window, or point CWNB_CACHE at a cache that has it
}

func ExampleMetric_Window() {
	q := lat.Window("2026-11-19T00:00:00Z", "24h")
	fmt.Println(q.Window)
	// Output:
	// 2026-11-19T00:00:00Z/2026-11-20T00:00:00Z
}

func ExampleMetric_Last() {
	q := lat.Last("7d")
	fmt.Println(q.Window, q.Window.Delay == 0)
	// Output:
	// last 7d true
}

func ExampleMetric_Over() {
	q := lat.Over(cwnb.Last(6 * time.Hour))
	fmt.Println(len(q.Metrics), q.Window)
	// Output:
	// 1 last 6h
}

func ExampleQuery_With() {
	errs := cwnb.Metric{ID: "errs", Namespace: "MyService/API", Name: "Errors", Stats: []string{"Sum"}}
	q := lat.Window("2026-11-19T00:00:00Z", "24h").With(errs, cwnb.Expression{ID: "rate", Expr: "errs / 60"})
	fmt.Println(len(q.Metrics), len(q.Expressions))
	// Output:
	// 2 1
}

func ExampleQuery_Over() {
	q := cwnb.Query{Metrics: []cwnb.Metric{lat}}.Over(cwnb.Last(time.Hour))
	fmt.Println(q.Window)
	// Output:
	// last 1h
}

func ExampleParseWindow() {
	w, err := cwnb.ParseWindow("2026-11-19T00:00:00Z", "2026-11-19T06:00:00Z")
	fmt.Println(w, err)
	_, err = cwnb.ParseWindow("2026-11-19T06:00:00Z", "2026-11-19T00:00:00Z")
	fmt.Println(err)
	// Output:
	// 2026-11-19T00:00:00Z/2026-11-19T06:00:00Z <nil>
	// window end 2026-11-19T00:00:00Z is not after its start 2026-11-19T06:00:00Z; swap them
}

func ExampleBetween() {
	start := time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)
	fmt.Println(cwnb.Between(start, start.Add(24*time.Hour)))
	// Output:
	// 2026-11-19T00:00:00Z/2026-11-20T00:00:00Z
}

func ExampleLast() {
	w := cwnb.Last(24 * time.Hour)
	w.Delay = 10 * time.Minute // CloudWatch may still be ingesting the last minutes
	fmt.Println(w)
	// Output:
	// last 1d
}

func ExampleAutoPeriod() {
	day := 24 * time.Hour
	fmt.Println(cwnb.AutoPeriod(day, day), cwnb.AutoPeriod(7*day, 7*day), cwnb.AutoPeriod(day, 30*day))
	// Output:
	// 1m0s 10m0s 5m0s
}

func ExampleRetention() {
	for _, age := range []time.Duration{time.Hour, 10 * 24 * time.Hour, 30 * 24 * time.Hour, 100 * 24 * time.Hour, 500 * 24 * time.Hour} {
		p, ok := cwnb.Retention(age)
		fmt.Println(age, p, ok)
	}
	// Output:
	// 1h0m0s 1s true
	// 240h0m0s 1m0s true
	// 720h0m0s 5m0s true
	// 2400h0m0s 1h0m0s true
	// 12000h0m0s 0s false
}

func ExampleParseFill() {
	f, err := cwnb.ParseFill("ffill")
	fmt.Println(f, err)
	_, err = cwnb.ParseFill("bfill")
	fmt.Println(err)
	// Output:
	// ffill <nil>
	// fill "bfill" is unknown; use nan, zero, ffill or linear
}

func ExampleFill_String() {
	fmt.Println(cwnb.FillNaN, cwnb.FillZero, cwnb.FillForward, cwnb.FillLinear)
	// Output:
	// nan zero ffill linear
}

func ExampleDims_String() {
	fmt.Println(cwnb.Dims{"Service": "checkout", "Env": "prod"})
	// Output:
	// Env=prod,Service=checkout
}

func ExampleResult_Times() {
	opts, stop := localCloudWatch()
	defer stop()

	res := cwnb.MustLoad(lat.Window("2026-11-19T10:00:00Z", "3m"), opts...)
	fmt.Println(res.Times())
	// Output:
	// [2026-11-19 10:00:00 +0000 UTC 2026-11-19 10:01:00 +0000 UTC 2026-11-19 10:02:00 +0000 UTC]
}

// The frame's timestamp column holds RFC 3339 strings; Times parses them back.
func ExampleTimes() {
	opts, stop := localCloudWatch()
	defer stop()

	res := cwnb.MustLoad(lat.Window("2026-11-19T10:00:00Z", "2m"), opts...)
	fmt.Println(res.Frame().Col(cwnb.TimeColumn).Records())
	ts, err := cwnb.Times(res.Frame())
	fmt.Println(ts[1].Minute(), err)
	// Output:
	// [2026-11-19T10:00:00Z 2026-11-19T10:01:00Z]
	// 1 <nil>
}

func ExampleResult_Lookup() {
	opts, stop := localCloudWatch()
	defer stop()

	res := cwnb.MustLoad(lat.Window("2026-11-19T10:00:00Z", "2m"), opts...)
	s, ok := res.Lookup("Latency p99")
	fmt.Println(ok, s.Stat, s.Namespace, s.Metric, s.Dims, s.Period, s.Values)
	// Output:
	// true p99 MyService/API Latency Service=checkout 1m0s [99 198]
}

func ExampleResult_Columns() {
	opts, stop := localCloudWatch()
	defer stop()

	res := cwnb.MustLoad(lat.Window("2026-11-19T10:00:00Z", "2m"), opts...)
	fmt.Println(res.Columns(), res.Frame().Names())
	// Output:
	// [Latency Average Latency p99] [timestamp Latency Average Latency p99]
}

func ExampleResult_Wide() {
	opts, stop := localCloudWatch()
	defer stop()

	m := lat
	m.Stats = []string{"Maximum"}
	res := cwnb.MustLoad(m.Window("2026-11-19T10:02:00Z", "3m"), opts...)
	fmt.Println(res.Frame().Col("Latency Maximum").Float())
	fmt.Println(res.Wide(cwnb.FillLinear, 5*time.Minute).Col("Latency Maximum").Float())
	// Output:
	// [300 NaN 500]
	// [300 400 500]
}

func ExampleResult_Long() {
	opts, stop := localCloudWatch()
	defer stop()

	res := cwnb.MustLoad(lat.Window("2026-11-19T10:02:00Z", "2m"), opts...)
	for _, rec := range res.Long().Records() {
		fmt.Println(strings.Join(rec, ","))
	}
	// Output:
	// timestamp,region,id,label,namespace,metric,stat,Service,value
	// 2026-11-19T10:02:00Z,us-east-1,m1_avg,Latency Average,MyService/API,Latency,Average,checkout,151.500000
	// 2026-11-19T10:02:00Z,us-east-1,m1_p99,Latency p99,MyService/API,Latency,p99,checkout,297.000000
}

func ExampleResult_WriteCSV() {
	opts, stop := localCloudWatch()
	defer stop()

	res := cwnb.MustLoad(lat.Window("2026-11-19T10:02:00Z", "3m"), opts...)
	res.WriteCSV(os.Stdout)
	// Output:
	// timestamp,Latency Average,Latency p99
	// 2026-11-19T10:02:00Z,151.5,297
	// 2026-11-19T10:03:00Z,,
	// 2026-11-19T10:04:00Z,252.5,495
}

func ExampleResult_WriteLongCSV() {
	opts, stop := localCloudWatch()
	defer stop()

	m := lat
	m.Stats = nil // Average
	res := cwnb.MustLoad(m.Window("2026-11-19T10:03:00Z", "2m"), opts...)
	res.WriteLongCSV(os.Stdout)
	// Output:
	// timestamp,region,id,label,namespace,metric,stat,Service,value
	// 2026-11-19T10:04:00Z,us-east-1,m1,Latency Average,MyService/API,Latency,Average,checkout,252.5
}

func ExampleResult_WriteJSON() {
	opts, stop := localCloudWatch()
	defer stop()

	m := lat
	m.Stats = []string{"Minimum"}
	q := m.Window("2026-11-19T10:02:00Z", "2m")
	q.Period = time.Minute
	res := cwnb.MustLoad(q, opts...)
	res.WriteJSON(os.Stdout)
	// Output:
	// {
	//   "start": "2026-11-19T10:02:00Z",
	//   "end": "2026-11-19T10:04:00Z",
	//   "period": "1m",
	//   "period_auto": false,
	//   "calls": 1,
	//   "metrics_requested": 1,
	//   "estimated_cost_usd": 0.00001,
	//   "warnings": [],
	//   "timestamps": [
	//     "2026-11-19T10:02:00Z",
	//     "2026-11-19T10:03:00Z"
	//   ],
	//   "series": [
	//     {
	//       "column": "Latency Minimum",
	//       "id": "m1",
	//       "label": "Latency Minimum",
	//       "region": "us-east-1",
	//       "kind": "metric",
	//       "namespace": "MyService/API",
	//       "metric": "Latency",
	//       "dimensions": {
	//         "Service": "checkout"
	//       },
	//       "stat": "Minimum",
	//       "period": "1m",
	//       "status": "Complete",
	//       "values": [
	//         3,
	//         null
	//       ]
	//     }
	//   ]
	// }
}

func ExampleResult_Loader() {
	opts, stop := localCloudWatch()
	defer stop()

	q := lat.Window("2026-11-19T10:00:00Z", "10m")
	q.Period = time.Minute
	res := cwnb.MustLoad(q, opts...)
	// A p99 per 5 minutes cannot be computed from p99s per minute: ask CloudWatch again, with the
	// same client and cache.
	q.Period = 5 * time.Minute
	coarse, err := res.Loader().Load(context.Background(), q)
	if err != nil {
		fmt.Println(err)
		return
	}
	p99, _ := coarse.Lookup("Latency p99")
	fmt.Println(coarse.Period, p99.Values, coarse.Calls)
	// Output:
	// 5m0s [480 950] 1
}

func ExampleResult_Summary() {
	opts, stop := localCloudWatch()
	defer stop()

	q := lat.Window("2026-11-19T10:00:00Z", "10m")
	q.Period = 5 * time.Minute
	fmt.Println(cwnb.MustLoad(q, opts...).Summary())
	// Output:
	// 2026-11-19T10:00:00Z/2026-11-19T10:10:00Z · period 5m · 2 rows × 2 series · us-east-1 @ local · est. $0.00002 per uncached load
}

func ExampleResult_String() {
	opts, stop := localCloudWatch()
	defer stop()

	q := lat.Window("2026-11-19T10:00:00Z", "10m")
	q.Title = "Is the average hiding our tail?"
	q.Period = 5 * time.Minute
	fmt.Print(cwnb.MustLoad(q, opts...))
	// Output:
	// Is the average hiding our tail?
	// 2026-11-19T10:00:00Z/2026-11-19T10:10:00Z · period 5m · 2 rows × 2 series · us-east-1 @ local · est. $0.00002 per uncached load
	//              timestamp  Latency Average  Latency p99
	//   2026-11-19T10:00:00Z          138.875          480
	//   2026-11-19T10:05:00Z              404          950
}

func ExampleResult_HTML() {
	opts, stop := localCloudWatch()
	defer stop()

	q := lat.Window("2026-11-19T10:00:00Z", "10m")
	q.Title = "<b>tail</b>"
	h := cwnb.MustLoad(q, opts...).HTML()
	fmt.Println(strings.Contains(h, "&lt;b&gt;tail&lt;/b&gt;"), strings.Contains(h, "<table"))
	// Output:
	// true true
}

func ExampleResult_Display() {
	opts, stop := localCloudWatch()
	defer stop()

	q := lat.Window("2026-11-19T10:00:00Z", "2m")
	q.Period = time.Minute
	cwnb.MustLoad(q, opts...).Display()
	// Output:
	// 2026-11-19T10:00:00Z/2026-11-19T10:02:00Z · period 1m · 2 rows × 2 series · us-east-1 @ local · est. $0.00002 per uncached load
	//              timestamp  Latency Average  Latency p99
	//   2026-11-19T10:00:00Z             50.5           99
	//   2026-11-19T10:01:00Z              101          198
}

func ExampleList() {
	opts, stop := localCloudWatch()
	defer stop()

	ls, err := cwnb.List(context.Background(), cwnb.Filter{Namespace: "MyService/API"}, opts...)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ls.Frame.Records())
	fmt.Println(ls.Metrics[0].Name, ls.Metrics[0].Dims)
	// Output:
	// [[region namespace metric Service] [us-east-1 MyService/API Latency checkout]]
	// Latency Service=checkout
}

func ExampleLoader_List() {
	opts, stop := localCloudWatch()
	defer stop()

	l, _ := cwnb.New(opts...)
	for i := 0; i < 2; i++ {
		ls, _ := l.List(context.Background(), cwnb.Filter{Metric: "Latency", Dims: cwnb.Dims{"Service": ""}})
		fmt.Println(ls.Frame.Nrow(), "metrics, calls:", ls.Calls, "cached:", ls.Cached)
	}
	// Output:
	// 1 metrics, calls: 1 cached: false
	// 1 metrics, calls: 0 cached: true
}

const exampleYAML = `title: Is the average hiding our tail?
window: {start: 2026-11-19T10:00:00Z, length: 10m}
period: 5m
metrics:
  - id: lat
    namespace: MyService/API
    name: Latency
    stats: [Average, p99]
    dimensions: {Service: checkout}
`

func ExampleReadInvestigation() {
	dir, _ := os.MkdirTemp("", "cwnb-inv-")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "tail.yaml")
	os.WriteFile(path, []byte(exampleYAML), 0o644)
	inv, err := cwnb.ReadInvestigation(path)
	fmt.Println(len(inv.Query.Metrics), inv.Query.Metrics[0].Stats, err)
	// Output:
	// 1 [Average p99] <nil>
}

func ExampleLoadFile() {
	opts, stop := localCloudWatch()
	defer stop()
	dir, _ := os.MkdirTemp("", "cwnb-inv-")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "tail.yaml")
	os.WriteFile(path, []byte(exampleYAML), 0o644)

	res, err := cwnb.LoadFile(context.Background(), path, opts...)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Title)
	fmt.Println(res.Columns(), res.Series[1].Values)
	// Output:
	// Is the average hiding our tail?
	// [Latency Average Latency p99] [480 950]
}

func ExampleNewCache() {
	opts, stop := localCloudWatch()
	defer stop()
	l, _ := cwnb.New(opts...)
	l.Load(context.Background(), lat.Window("2026-11-19T10:00:00Z", "10m"))

	c := cwnb.NewCache(l.Cache().Dir())
	entries, _ := c.Entries("local/us-east-1/MyService_API/")
	for _, e := range entries {
		fmt.Println(e.Query, e.Period, e.Covered, e.Points)
	}
	// Output:
	// MyService/API Latency Average {Service=checkout} 1m0s [2026-11-19T10:00:00Z/2026-11-19T10:10:00Z] 9
	// MyService/API Latency p99 {Service=checkout} 1m0s [2026-11-19T10:00:00Z/2026-11-19T10:10:00Z] 9
}

func ExampleCache_Entries() {
	opts, stop := localCloudWatch()
	defer stop()
	l, _ := cwnb.New(opts...)
	l.Load(context.Background(), lat.Window("2026-11-19T10:00:00Z", "10m"))

	entries, _ := l.Cache().Entries("")
	for _, e := range entries {
		fmt.Println(strings.Join(strings.Split(e.Path, "/")[:3], "/"), e.Series, e.Err)
	}
	// Output:
	// local/us-east-1/MyService_API 1 <nil>
	// local/us-east-1/MyService_API 1 <nil>
}

func ExampleCache_Size() {
	opts, stop := localCloudWatch()
	defer stop()
	l, _ := cwnb.New(opts...)
	l.Load(context.Background(), lat.Window("2026-11-19T10:00:00Z", "10m"))

	n, bytes, err := l.Cache().Size()
	fmt.Println(n, bytes > 0, err)
	// Output:
	// 2 true <nil>
}

func ExampleCache_Clear() {
	opts, stop := localCloudWatch()
	defer stop()
	l, _ := cwnb.New(opts...)
	l.Load(context.Background(), lat.Window("2026-11-19T10:00:00Z", "10m"))

	removed, err := l.Cache().Clear("local/us-east-1/MyService_API/Latency.p99")
	fmt.Println(removed, err)
	res, _ := l.Load(context.Background(), lat.Window("2026-11-19T10:00:00Z", "10m"))
	fmt.Println(res.Cache.Hits, res.Cache.Misses, res.Calls)
	// Output:
	// 1 <nil>
	// 1 1 1
}

func ExampleDefaultCacheDir() {
	os.Setenv("CWNB_CACHE", "/srv/notebooks/.cwnb")
	defer os.Unsetenv("CWNB_CACHE")
	fmt.Println(cwnb.DefaultCacheDir())
	// Output:
	// /srv/notebooks/.cwnb
}

func ExampleProgressMode_String() {
	fmt.Println(cwnb.ProgressAuto, cwnb.ProgressOff, cwnb.ProgressStderr)
	// Output:
	// auto off stderr
}

func ExampleWithRegion() {
	var o cwnb.Options
	for _, fn := range []func(*cwnb.Options){
		cwnb.WithRegion("eu-west-1"), cwnb.WithProfile("prod-readonly"), cwnb.WithEndpoint("http://127.0.0.1:4582"),
		cwnb.WithCacheDir("notebooks/.cwnb"), cwnb.WithRateLimit(10), cwnb.WithOffline(true),
	} {
		fn(&o)
	}
	fmt.Println(o.Region, o.Profile, o.Endpoint, o.CacheDir, o.RateLimit, o.Offline)
	// Output:
	// eu-west-1 prod-readonly http://127.0.0.1:4582 notebooks/.cwnb 10 true
}

func ExampleWithProfile() {
	var o cwnb.Options
	cwnb.WithProfile("sso-observability")(&o)
	fmt.Println(o.Profile)
	// Output:
	// sso-observability
}

// The endpoint usually comes from AWS_ENDPOINT_URL_CLOUDWATCH, read by the SDK itself.
func ExampleWithEndpoint() {
	var o cwnb.Options
	cwnb.WithEndpoint("http://127.0.0.1:4582")(&o)
	fmt.Println(o.Endpoint)
	// Output:
	// http://127.0.0.1:4582
}

func ExampleWithCacheDir() {
	l, _ := cwnb.New(cwnb.WithCacheDir("investigations/.cwnb"))
	fmt.Println(l.Cache().Dir())
	// Output:
	// investigations/.cwnb
}

func ExampleWithRateLimit() {
	var o cwnb.Options
	cwnb.WithRateLimit(5)(&o)
	fmt.Println(o.RateLimit)
	_, err := cwnb.New(cwnb.WithRateLimit(math.Inf(1)))
	fmt.Println(err)
	// Output:
	// 5
	// cwnb: WithRateLimit(+Inf): the rate must be a positive number of requests per second, such as 25
}

// WithClient plugs in any client: here a real SDK client for a local CloudWatch.
func ExampleWithClient() {
	srv := httptest.NewServer(localcw.New(localcw.Options{Now: exampleNow}))
	defer srv.Close()
	client := cloudwatch.New(cloudwatch.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")})
	dir, _ := os.MkdirTemp("", "cwnb-example-")
	defer os.RemoveAll(dir)
	res, err := cwnb.Load(context.Background(), lat.Window("2026-11-19T10:00:00Z", "2m"),
		cwnb.WithClient(client), cwnb.WithCacheDir(dir), cwnb.WithRegion("us-east-1"), func(o *cwnb.Options) { o.Now = func() time.Time { return exampleNow } })
	fmt.Println(err, res.Endpoint, res.Calls, res.Series[0].Values)
	// Output:
	// <nil> local 1 [NaN NaN]
}

func ExampleCache_Dir() {
	fmt.Println(cwnb.NewCache("/tmp/nb/.cwnb").Dir())
	// Output:
	// /tmp/nb/.cwnb
}

func ExampleLoader_Cache() {
	l, _ := cwnb.New(cwnb.WithCacheDir("/tmp/nb/.cwnb"))
	n, _, err := l.Cache().Size()
	fmt.Println(l.Cache().Dir(), n, err)
	// Output:
	// /tmp/nb/.cwnb 0 <nil>
}

// A call that fails after the SDK's retries comes back as a *CallError naming the region and
// queries; the AWS error inside is classified with errors.As, never by its text.
func ExampleCallError() {
	faults, _ := localcw.ParseFaults("throttle=1")
	srv := httptest.NewServer(localcw.New(localcw.Options{Now: exampleNow, Faults: faults}))
	defer srv.Close()
	client := cloudwatch.New(cloudwatch.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")})
	dir, _ := os.MkdirTemp("", "cwnb-example-")
	defer os.RemoveAll(dir)
	_, err := cwnb.Load(context.Background(), lat.Window("2026-11-19T10:00:00Z", "2m"),
		cwnb.WithClient(client), cwnb.WithCacheDir(dir), cwnb.WithRegion("us-east-1"), func(o *cwnb.Options) { o.Now = func() time.Time { return exampleNow } })
	var ce *cwnb.CallError
	var ae smithy.APIError
	fmt.Println(errors.As(err, &ce), ce.Region, ce.IDs, errors.As(err, &ae), ae.ErrorCode())
	fmt.Println(strings.Contains(err.Error(), "lower the request rate with WithRateLimit"))
	// Output:
	// true us-east-1 [m1_avg m1_p99] true Throttling
	// true
}

func ExampleCallError_Error() {
	e := &cwnb.CallError{Region: "eu-west-1", IDs: []string{"a", "b"}, Start: exampleNow.Add(-time.Hour), End: exampleNow, Err: errors.New("connection refused")}
	fmt.Println(e)
	fmt.Println(errors.Unwrap(e))
	// Output:
	// GetMetricData in eu-west-1 for a, b over 2026-11-19T23:00:00Z/2026-11-20T00:00:00Z: connection refused
	// connection refused
}

// An offline load that the cache cannot answer fails with an error wrapping ErrOffline that
// lists what the cache lacks.
func ExampleWithOffline_miss() {
	dir, _ := os.MkdirTemp("", "cwnb-empty-")
	defer os.RemoveAll(dir)
	_, err := cwnb.Load(context.Background(), lat.Window("2026-11-19T10:00:00Z", "10m"),
		cwnb.WithOffline(true), cwnb.WithCacheDir(dir), cwnb.WithRegion("us-east-1"))
	fmt.Println(errors.Is(err, cwnb.ErrOffline))
	fmt.Println(strings.Contains(err.Error(), "lacks us-east-1 MyService/API Latency Average {Service=checkout} 2026-11-19T10:00:00Z/2026-11-19T10:10:00Z"))
	// Output:
	// true
	// true
}

func ExampleMessage_String() {
	m := cwnb.Message{Region: "us-east-1", ID: "m1", Code: "MultipleUnits", Value: "Multiple units returned"}
	fmt.Println(m)
	// Output:
	// m1: MultipleUnits: Multiple units returned
}

func ExampleWindow_String() {
	w, _ := cwnb.ParseWindow("2026-11-19", "1d")
	fmt.Println(w, cwnb.Last(90*time.Minute))
	// Output:
	// 2026-11-19T00:00:00Z/2026-11-20T00:00:00Z last 90m
}
