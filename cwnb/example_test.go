package cwnb_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

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
	opts = []func(*cwnb.Options){withClient(client), func(o *cwnb.Options) { o.CacheDir = dir }, func(o *cwnb.Options) { o.Region = "us-east-1" }, func(o *cwnb.Options) {
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

// Offline, a load the cache cannot answer fails and says what is missing.
func ExampleOptions_offline() {
	dir, _ := os.MkdirTemp("", "cwnb-empty-")
	defer os.RemoveAll(dir)
	_, err := cwnb.Load(context.Background(), lat.Window("2026-11-19T10:00:00Z", "10m"),
		func(o *cwnb.Options) { o.Offline = true }, func(o *cwnb.Options) { o.CacheDir = dir }, func(o *cwnb.Options) { o.Region = "us-east-1" }, func(o *cwnb.Options) { o.Endpoint = "http://127.0.0.1:4582" })
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

func ExampleQuery_window() {
	q := cwnb.Query{Metrics: []cwnb.Metric{lat}, Window: cwnb.Last(6 * time.Hour)}
	fmt.Println(len(q.Metrics), q.Window)
	// Output:
	// 1 last 6h
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

func ExampleResult_Times() {
	opts, stop := localCloudWatch()
	defer stop()

	res := cwnb.MustLoad(lat.Window("2026-11-19T10:00:00Z", "3m"), opts...)
	fmt.Println(res.Times())
	// Output:
	// [2026-11-19 10:00:00 +0000 UTC 2026-11-19 10:01:00 +0000 UTC 2026-11-19 10:02:00 +0000 UTC]
}

func ExampleResult_Columns() {
	opts, stop := localCloudWatch()
	defer stop()

	res := cwnb.MustLoad(lat.Window("2026-11-19T10:00:00Z", "2m"), opts...)
	fmt.Println(res.Columns(), res.Frame().Names())
	// Output:
	// [Latency Average Latency p99] [timestamp Latency Average Latency p99]
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
	// Latency map[Service:checkout]
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

func ExampleOptions() {
	var o cwnb.Options
	for _, fn := range []func(*cwnb.Options){
		func(o *cwnb.Options) { o.Region = "eu-west-1" }, func(o *cwnb.Options) { o.Profile = "prod-readonly" }, func(o *cwnb.Options) { o.Endpoint = "http://127.0.0.1:4582" },
		func(o *cwnb.Options) { o.CacheDir = "notebooks/.cwnb" }, func(o *cwnb.Options) { o.RateLimit = 10 }, func(o *cwnb.Options) { o.Offline = true },
	} {
		fn(&o)
	}
	fmt.Println(o.Region, o.Profile, o.Endpoint, o.CacheDir, o.RateLimit, o.Offline)
	// Output:
	// eu-west-1 prod-readonly http://127.0.0.1:4582 notebooks/.cwnb 10 true
}

// An offline load that the cache cannot answer fails with an error wrapping ErrOffline that
// lists what the cache lacks.
func ExampleOptions_offlineMiss() {
	dir, _ := os.MkdirTemp("", "cwnb-empty-")
	defer os.RemoveAll(dir)
	_, err := cwnb.Load(context.Background(), lat.Window("2026-11-19T10:00:00Z", "10m"),
		func(o *cwnb.Options) { o.Offline = true }, func(o *cwnb.Options) { o.CacheDir = dir }, func(o *cwnb.Options) { o.Region = "us-east-1" })
	fmt.Println(errors.Is(err, cwnb.ErrOffline))
	fmt.Println(strings.Contains(err.Error(), "lacks us-east-1 MyService/API Latency Average {Service=checkout} 2026-11-19T10:00:00Z/2026-11-19T10:10:00Z"))
	// Output:
	// true
	// true
}

func ExampleWindow_String() {
	w := cwnb.Between(time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC))
	fmt.Println(w, cwnb.Last(90*time.Minute))
	// Output:
	// 2026-11-19T00:00:00Z/2026-11-20T00:00:00Z last 90m
}

// withClient points a loader at client in every region.
func withClient(client *cloudwatch.Client) func(*cwnb.Options) {
	return func(o *cwnb.Options) { o.Client = client }
}
