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

	"github.com/cwnb/cwnb/cwnb"
	"github.com/cwnb/cwnb/cwnb/localcw"
)

// slowCloudWatch starts a local CloudWatch that answers every request after latency, and returns
// the options that point a loader at it and a function that stops it.
func slowCloudWatch(latency time.Duration) ([]func(*cwnb.Options), func()) {
	srv := httptest.NewServer(localcw.New(localcw.Options{Now: exampleNow, Faults: localcw.Faults{Latency: latency}}))
	client := cloudwatch.New(cloudwatch.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")})
	dir, _ := os.MkdirTemp("", "cwnb-example-")
	return []func(*cwnb.Options){withClient(client), func(o *cwnb.Options) { o.CacheDir = dir }, func(o *cwnb.Options) { o.Region = "us-east-1" },
			func(o *cwnb.Options) { o.Now = func() time.Time { return exampleNow } }},
		func() { srv.Close(); os.RemoveAll(dir) }
}

// A call that CloudWatch does not answer within the call timeout ends the load with ErrTimeout
// and an error that names the option.
func ExampleOptions_callTimeout() {
	opts, stop := slowCloudWatch(time.Second)
	defer stop()
	_, err := cwnb.Load(context.Background(), lat.Window("2026-11-19T10:00:00Z", "10m"), append(opts, func(o *cwnb.Options) { o.CallTimeout = 50 * time.Millisecond })...)
	fmt.Println(errors.Is(err, cwnb.ErrTimeout))
	_, err = cwnb.Load(context.Background(), lat.Window("2026-11-19T10:00:00Z", "10m"), func(o *cwnb.Options) { o.CallTimeout = -time.Second })
	fmt.Println(err)
	// Output:
	// true
	// cwnb: call timeout -1s is negative; use 0 for the default 2m0s
}

// The whole load, every call and page included, ends at its timeout.
func ExampleOptions_timeout() {
	opts, stop := slowCloudWatch(time.Second)
	defer stop()
	_, err := cwnb.Load(context.Background(), lat.Window("2026-11-19T10:00:00Z", "10m"), append(opts, func(o *cwnb.Options) { o.Timeout = 50 * time.Millisecond })...)
	fmt.Println(errors.Is(err, cwnb.ErrTimeout))
	fmt.Println(strings.SplitN(err.Error(), ": ", 2)[1]) // after "load stopped after 1 call"
	// Output:
	// true
	// the load took longer than its timeout of 50ms; raise Options.Timeout, or load fewer series or a shorter window
}

// A load estimated to need more memory than allowed is refused before any call, with the
// estimate and what to change.
func ExampleOptions_memoryLimit() {
	opts, stop := localCloudWatch()
	defer stop()
	_, err := cwnb.Load(context.Background(), lat.Window("2026-11-19T00:00:00Z", "24h"), append(opts, func(o *cwnb.Options) { o.MemoryLimit = 100_000 })...)
	fmt.Println(errors.Is(err, cwnb.ErrInvalid))
	fmt.Println(err)
	// Output:
	// true
	// the load is too big: 2 series × 1440 periods of 1m need about 195.8 kB, more than Options.MemoryLimit (100.0 kB); use a longer period (Query.Period: 5m), fewer series or a shorter window, or raise Options.MemoryLimit
}

// A query that matches nothing (here a typo in the namespace) loads, with a warning that says
// so and names the nearest existing namespace, found by ListMetrics. Options.NoSuggest skips
// the look-up.
func ExampleOptions_noSuggest() {
	opts, stop := localCloudWatch()
	defer stop()
	typo := cwnb.Metric{Namespace: "MyService/APi", Name: "Latency", Dims: cwnb.Dims{"Service": "checkout"}}
	res := cwnb.MustLoad(typo.Window("2026-11-19T10:00:00Z", "5m"), opts...)
	fmt.Println(errors.Is(res.Warnings[0], cwnb.ErrNoMatch))
	fmt.Println(res.Warnings)
	res = cwnb.MustLoad(typo.Window("2026-11-19T10:00:00Z", "5m"), append(opts, func(o *cwnb.Options) { o.NoSuggest = true })...)
	fmt.Println(res.Warnings)
	// Output:
	// true
	// us-east-1 MyService/APi Latency Average {Service=checkout} returned no datapoint in 2026-11-19T10:00:00Z/2026-11-19T10:05:00Z; no namespace MyService/APi holds metric Latency; did you mean MyService/API?
	// us-east-1 MyService/APi Latency Average {Service=checkout} returned no datapoint in 2026-11-19T10:00:00Z/2026-11-19T10:05:00Z; check the namespace, metric name and dimensions, and the window
}
