package localcw_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/smithy-go"

	"github.com/cwnb/cwnb/cwnb/localcw"
)

// ExampleServer_HTTPServer serves a local CloudWatch with the timeouts and the work cap of
// `cwnb local`, and shows the error of a request over the cap.
func ExampleServer_HTTPServer() {
	srv := localcw.New(localcw.Options{Now: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), MaxRequestDatapoints: 1000})
	hs := srv.HTTPServer(localcw.Timeouts{}) // zero fields: DefaultTimeouts
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	go hs.Serve(ln)
	defer hs.Close()
	fmt.Println(hs.ReadHeaderTimeout, hs.ReadTimeout, hs.WriteTimeout, hs.IdleTimeout)

	c := cloudwatch.New(cloudwatch.Options{Region: "us-east-1", BaseEndpoint: aws.String("http://" + ln.Addr().String()),
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""), Retryer: aws.NopRetryer{}})
	_, err := c.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
		MetricDataQueries: []types.MetricDataQuery{{Id: aws.String("m"), MetricStat: &types.MetricStat{
			Metric: &types.Metric{Namespace: aws.String("T"), MetricName: aws.String("M")}, Period: aws.Int32(60), Stat: aws.String("p99")}}},
		StartTime: aws.Time(time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)), EndTime: aws.Time(time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC))})
	var ae smithy.APIError
	if errors.As(err, &ae) {
		fmt.Println(ae.ErrorCode())
		fmt.Println(ae.ErrorMessage())
	}
	// Output:
	// 10s 1m0s 5m0s 2m0s
	// ValidationError
	// You have requested up to 1440 datapoints or more, which exceeds the limit of 1000 that this local CloudWatch computes for one request. You may reduce the datapoints requested by increasing Period, decreasing the time range, or asking for fewer metrics per call.
}

// ExampleFaults_Validate: a probability must lie between 0 and 1; NaN does not.
func ExampleFaults_Validate() {
	fmt.Println(localcw.Faults{Throttle: 0.3}.Validate())
	_, err := localcw.ParseFaults("throttle=NaN")
	fmt.Println(err)
	// Output:
	// <nil>
	// fault throttle=NaN: want a probability between 0 and 1, e.g. throttle=0.1
}
