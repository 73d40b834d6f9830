package logs_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/cwnb/cwnb/cwnb/localcw"
	locallogs "github.com/cwnb/cwnb/cwnb/localcw/logs"
	"github.com/cwnb/cwnb/cwnb/localcw/scenario"
	"github.com/cwnb/cwnb/cwnb/logs"
)

// localAPI serves the local CloudWatch with the api scenario's request log and returns a client
// for it and a function that stops it; a notebook gets the same from `cwnb local`.
func localAPI() (*cloudwatchlogs.Client, func()) {
	now := time.Date(2026, 11, 20, 0, 30, 0, 0, time.UTC)
	sc, _ := scenario.New("api", 1)
	srv := localcw.New(localcw.Options{Now: now, Scenarios: []scenario.Scenario{sc}, Logs: func(m *localcw.Server) http.Handler {
		return locallogs.New(locallogs.Options{Now: now, Metrics: m, Groups: scenario.LogGroups(sc)})
	}})
	hs := httptest.NewServer(srv)
	client := cloudwatchlogs.New(cloudwatchlogs.Options{Region: "us-east-1", BaseEndpoint: aws.String(hs.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", "")})
	return client, hs.Close
}

// A stats by bin() comes back as a typed frame on the full grid of the bin.
func ExampleLoad() {
	client, stop := localAPI()
	defer stop()
	q := logs.Query{Groups: []string{"/myservice/api"},
		Query: "filter ispresent(Latency) | stats count(*) as requests, pct(Latency, 99) as p99 by bin(5m)"}.Window("2026-11-19T10:00:00Z", "15m")
	res, err := logs.Load(context.Background(), q, logs.WithClient(client), logs.WithCacheDir("-"))
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Frame.Names(), res.Period, res.Queries, "query")
	for i, t := range res.Times() {
		fmt.Printf("%s %6.0f requests, p99 %4.0f ms\n", t.Format("15:04"), res.Floats("requests")[i], res.Floats("p99")[i])
	}
	// Output:
	// [timestamp requests p99] 5m0s 1 query
	// 10:00   9640 requests, p99 3358 ms
	// 10:05   9679 requests, p99  504 ms
	// 10:10   9779 requests, p99  507 ms
}

// Grouped by a field and a bin, the result is a long frame; Pivot gives one series per group.
func ExampleResult_Pivot() {
	client, stop := localAPI()
	defer stop()
	q := logs.Query{Groups: []string{"/myservice/api"},
		Query: "filter Latency > 3000 | stats count(*) as slow by shard, bin(5m)"}.Window("2026-11-19T10:00:00Z", "15m")
	res := logs.MustLoad(q, logs.WithClient(client), logs.WithCacheDir("-"))
	times, groups, values := res.Pivot("slow")
	fmt.Println(res.Keys, len(times), "bins")
	for i, g := range groups {
		fmt.Println(g, values[i])
	}
	// Output:
	// [shard] 3 bins
	// s2 [133 0 0]
}

// Window sets an absolute window from an RFC 3339 start and a length.
func ExampleQuery_Window() {
	q := logs.Query{Groups: []string{"/myservice/api"}, Query: "stats count(*) by bin(1h)"}.Window("2026-11-19T00:00:00Z", "24h")
	fmt.Println(q.Start, q.End)
	// Output:
	// 2026-11-19 00:00:00 +0000 UTC 2026-11-20 00:00:00 +0000 UTC
}
