package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
	"github.com/cwnb/cwnb/cwnb/localcw/scenario"
)

var now = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

// start serves the bench scenario (500 series, one datapoint a minute) with faults.
func start(t *testing.T, faults string) (*localcw.Server, string) {
	t.Helper()
	f, err := localcw.ParseFaults(faults)
	if err != nil {
		t.Fatal(err)
	}
	bench, err := scenario.New("bench", 1)
	if err != nil {
		t.Fatal(err)
	}
	return localcwtest.Start(t, localcw.Options{Now: now, Scenarios: []scenario.Scenario{bench}, Faults: f})
}

// input asks for n bench series' averages at 1 minute over the hour before now.
func input(n int) *cloudwatch.GetMetricDataInput {
	in := &cloudwatch.GetMetricDataInput{StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now), ScanBy: types.ScanByTimestampAscending}
	for i := 0; i < n; i++ {
		in.MetricDataQueries = append(in.MetricDataQueries, types.MetricDataQuery{
			Id: aws.String(fmt.Sprintf("m%d", i)),
			MetricStat: &types.MetricStat{Period: aws.Int32(60), Stat: aws.String("Average"), Metric: &types.Metric{
				Namespace: aws.String("Bench"), MetricName: aws.String("Latency"),
				Dimensions: []types.Dimension{{Name: aws.String("Series"), Value: aws.String(fmt.Sprintf("s%03d", i))}},
			}},
		})
	}
	return in
}

// TestPagesAreAllRead: with pages of 50 datapoints, 3 series x 60 minutes = 180 datapoints come
// in ceil(180/50) = 4 pages, and every datapoint arrives once.
func TestPagesAreAllRead(t *testing.T) {
	srv, url := start(t, "pagesize=50")
	var c Caller
	points, pages := 0, 0
	err := c.MetricData(context.Background(), localcwtest.Client(t, url), input(3), nil, func(o *cloudwatch.GetMetricDataOutput) error {
		pages++
		for _, r := range o.MetricDataResults {
			points += len(r.Values)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if points != 180 || pages != 4 || c.Calls() != 4 || srv.Calls("GetMetricData") != 4 {
		t.Errorf("%d points in %d pages, %d calls counted, server saw %d; want 180 in 4", points, pages, c.Calls(), srv.Calls("GetMetricData"))
	}
}

// TestRetriesAreCounted: under throttling the SDK retries; Retries counts exactly the requests
// beyond the calls (the server counts every request).
func TestRetriesAreCounted(t *testing.T) {
	srv, url := start(t, "throttle=0.5,seed=3")
	client := localcwtest.Client(t, url, func(o *cloudwatch.Options) {
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts, so.MaxBackoff, so.RateLimiter = 30, time.Millisecond, ratelimit.None
		})
	})
	var c Caller
	for i := 0; i < 10; i++ {
		if err := c.MetricData(context.Background(), client, input(1), nil, func(*cloudwatch.GetMetricDataOutput) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if c.Retries() == 0 || c.Calls()+c.Retries() != srv.Calls("GetMetricData") {
		t.Errorf("%d calls + %d retries, server saw %d requests", c.Calls(), c.Retries(), srv.Calls("GetMetricData"))
	}
}

// TestUnreachableFailsFast: a closed loopback port fails on the first attempt, well within a
// second, although the client would retry 8 times.
func TestUnreachableFailsFast(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	client := localcwtest.Client(t, url, func(o *cloudwatch.Options) { o.RetryMaxAttempts = 8 })
	var c Caller
	began := time.Now()
	err = c.MetricData(context.Background(), client, input(1), nil, func(*cloudwatch.GetMetricDataOutput) error { return nil })
	if took := time.Since(began); took > 2*time.Second {
		t.Errorf("took %v", took)
	}
	if !errors.Is(Classify(err), ErrUnreachable) || c.Retries() != 0 {
		t.Errorf("err %v (class %v), %d retries; want ErrUnreachable and no retry", err, Classify(err), c.Retries())
	}
}

// TestUnknownHostIsUnreachable: a name under .invalid (RFC 2606) never resolves.
func TestUnknownHostIsUnreachable(t *testing.T) {
	client := localcwtest.Client(t, "http://cwnb-test.invalid:4566")
	var c Caller
	err := c.MetricData(context.Background(), client, input(1), nil, func(*cloudwatch.GetMetricDataOutput) error { return nil })
	if !errors.Is(Classify(err), ErrUnreachable) || c.Retries() != 0 {
		t.Errorf("err %v, %d retries; want ErrUnreachable and no retry", err, c.Retries())
	}
}

// TestCallTimeout: against 3 s of injected latency a 200 ms call timeout ends the call (with
// its retries) quickly, with a TimeoutError.
func TestCallTimeout(t *testing.T) {
	_, url := start(t, "latency=3s")
	c := Caller{CallTimeout: 200 * time.Millisecond}
	began := time.Now()
	err := c.MetricData(context.Background(), localcwtest.Client(t, url), input(1), nil, func(*cloudwatch.GetMetricDataOutput) error { return nil })
	var te *TimeoutError
	if !errors.As(err, &te) || !errors.Is(err, ErrCallTimeout) || Classify(err) != ErrCallTimeout {
		t.Fatalf("err %v; want a TimeoutError", err)
	}
	if took := time.Since(began); took > 2*time.Second {
		t.Errorf("took %v", took)
	}
	if !strings.Contains(err.Error(), "200ms") {
		t.Errorf("error does not say the timeout: %v", err)
	}
}

// repeating answers every GetMetricData with the same NextToken: a narrow stand-in for a broken
// endpoint, which no real server here produces.
type repeating struct{ calls int }

func (r *repeating) GetMetricData(context.Context, *cloudwatch.GetMetricDataInput, ...func(*cloudwatch.Options)) (*cloudwatch.GetMetricDataOutput, error) {
	r.calls++
	return &cloudwatch.GetMetricDataOutput{NextToken: aws.String("again")}, nil
}

// TestRepeatedTokenStops: a token seen before ends the loop with ErrRepeatedToken after the
// second page.
func TestRepeatedTokenStops(t *testing.T) {
	var r repeating
	var c Caller
	err := c.MetricData(context.Background(), &r, input(1), nil, func(*cloudwatch.GetMetricDataOutput) error { return nil })
	if !errors.Is(err, ErrRepeatedToken) || r.calls != 2 {
		t.Errorf("err %v after %d calls; want ErrRepeatedToken after 2", err, r.calls)
	}
}

// TestListMetricsPages: with pages of 50 metrics, the bench scenario's 500 series of one metric
// come in 10 pages, each metric once.
func TestListMetricsPages(t *testing.T) {
	srv, url := start(t, "pagesize=50")
	var c Caller
	seen := map[string]bool{}
	err := c.ListMetrics(context.Background(), localcwtest.Client(t, url), &cloudwatch.ListMetricsInput{Namespace: aws.String("Bench"), MetricName: aws.String("Latency")},
		func(o *cloudwatch.ListMetricsOutput) error {
			for _, m := range o.Metrics {
				seen[aws.ToString(m.Dimensions[0].Value)] = true
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 500 || c.Calls() != 10 || srv.Calls("ListMetrics") != 10 {
		t.Errorf("%d metrics in %d calls (server %d); want 500 in 10", len(seen), c.Calls(), srv.Calls("ListMetrics"))
	}
}
