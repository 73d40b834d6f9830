package localcw_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/cwnb/cwnb/cwnb/localcw"
)

// A local CloudWatch on loopback, a real SDK client, three latencies published and their p50 and
// maximum read back.
func ExampleNew() {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	hs := httptest.NewServer(localcw.New(localcw.Options{Now: now}))
	defer hs.Close()
	client := cloudwatch.New(cloudwatch.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(hs.URL),
		Credentials:  aws.AnonymousCredentials{},
	})
	ctx := context.Background()
	_, err := client.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{
		Namespace: aws.String("MyService"),
		MetricData: []types.MetricDatum{{
			MetricName: aws.String("Latency"),
			Timestamp:  aws.Time(now.Add(-5 * time.Minute)),
			Values:     []float64{120, 180, 3100},
			Counts:     []float64{60, 39, 1},
			Unit:       types.StandardUnitMilliseconds,
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := client.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(now.Add(-time.Hour)),
		EndTime:   aws.Time(now),
		MetricDataQueries: []types.MetricDataQuery{
			{Id: aws.String("p50"), MetricStat: &types.MetricStat{Metric: &types.Metric{Namespace: aws.String("MyService"), MetricName: aws.String("Latency")}, Period: aws.Int32(300), Stat: aws.String("p50")}},
			{Id: aws.String("max"), MetricStat: &types.MetricStat{Metric: &types.Metric{Namespace: aws.String("MyService"), MetricName: aws.String("Latency")}, Period: aws.Int32(300), Stat: aws.String("Maximum")}},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range out.MetricDataResults {
		fmt.Println(aws.ToString(r.Label), r.Timestamps[0].Format(time.TimeOnly), r.Values[0])
	}
	// Output:
	// Latency p50 11:55:00 120
	// Latency Maximum 11:55:00 3100
}

func ExampleParseFaults() {
	f, err := localcw.ParseFaults("throttle=0.3,rate=20,5xx=0.05,latency=20ms,pagesize=50")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.Throttle, f.Rate, f.Error5xx, f.Latency, f.PageSize)
	_, err = localcw.ParseFaults("throttle=2")
	fmt.Println(err)
	// Output:
	// 0.3 20 0.05 20ms 50
	// fault throttle=2: want a probability between 0 and 1, e.g. throttle=0.1
}

func ExampleBanner() {
	fmt.Print(localcw.Banner("http://127.0.0.1:4582", localcw.Options{Now: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}))
	// Output:
	// # local CloudWatch (aws-sdk-go-v2 over RPC v2 CBOR; AWS CLI and boto3 over awsJson1_0)
	// # listening on http://127.0.0.1:4582
	// # clock pinned to 2026-11-20T00:00:00Z
	// export AWS_ENDPOINT_URL_CLOUDWATCH=http://127.0.0.1:4582
	// export AWS_ACCESS_KEY_ID=local
	// export AWS_SECRET_ACCESS_KEY=local
	// export AWS_REGION=us-east-1
	// export AWS_DEFAULT_REGION=us-east-1
	// export CWNB_NOW=2026-11-20T00:00:00Z
}

// An SDK client of the local CloudWatch sends its requests through ClientTransport, so that its
// keep-alive connection survives a fast server's answers; here it pages through GetMetricData.
func ExampleClientTransport() {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	hs := httptest.NewServer(localcw.New(localcw.Options{Now: now, Faults: localcw.Faults{PageSize: 1000}}))
	defer hs.Close()
	client := cloudwatch.New(cloudwatch.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(hs.URL),
		Credentials:  aws.AnonymousCredentials{},
		HTTPClient:   &http.Client{Transport: localcw.ClientTransport(nil)},
	})
	ctx := context.Background()
	var data []types.MetricDatum
	for i := range 1000 {
		data = append(data, types.MetricDatum{MetricName: aws.String("Requests"), Value: aws.Float64(float64(i)),
			Timestamp: aws.Time(now.Add(-time.Duration(1000-i) * time.Minute))})
	}
	if _, err := client.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("MyService"), MetricData: data}); err != nil {
		fmt.Println(err)
		return
	}
	in := &cloudwatch.GetMetricDataInput{StartTime: aws.Time(now.Add(-1000 * time.Minute)), EndTime: aws.Time(now)}
	for i := range 5 {
		in.MetricDataQueries = append(in.MetricDataQueries, types.MetricDataQuery{Id: aws.String(fmt.Sprintf("q%d", i)),
			MetricStat: &types.MetricStat{Metric: &types.Metric{Namespace: aws.String("MyService"), MetricName: aws.String("Requests")}, Period: aws.Int32(60), Stat: aws.String("Sum")}})
	}
	pages, points := 0, 0
	for p := cloudwatch.NewGetMetricDataPaginator(client, in); p.HasMorePages(); pages++ {
		out, err := p.NextPage(ctx)
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, r := range out.MetricDataResults {
			points += len(r.Values)
		}
	}
	fmt.Println(pages, "pages,", points, "datapoints")
	// Output:
	// 5 pages, 5000 datapoints
}
