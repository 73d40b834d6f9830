package localcw

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/smithy-go"
)

var httpNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// serveHTTP serves s through s.HTTPServer(t) on a free 127.0.0.1 port until the test ends. The
// returned channel receives once per request when its handler has returned.
func serveHTTP(tb testing.TB, s *Server, t Timeouts) (url string, handled <-chan struct{}) {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	hs := s.HTTPServer(t)
	done := make(chan struct{}, 100)
	inner := hs.Handler
	hs.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inner.ServeHTTP(w, r)
		done <- struct{}{}
	})
	go hs.Serve(ln)
	tb.Cleanup(func() { hs.Close() })
	return "http://" + ln.Addr().String(), done
}

// sdkClient is a real aws-sdk-go-v2 client for url with retries off.
func sdkClient(url string) *cloudwatch.Client {
	return cloudwatch.New(cloudwatch.Options{Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""), Retryer: aws.NopRetryer{}})
}

// TestSlowClientsAreCutOff: a client that trickles its body, or its headers, a byte at a time
// is disconnected by the read timeouts, long before it would finish.
func TestSlowClientsAreCutOff(t *testing.T) {
	url, _ := serveHTTP(t, New(Options{Now: httpNow}), Timeouts{ReadHeader: 300 * time.Millisecond, Read: 500 * time.Millisecond})
	addr := strings.TrimPrefix(url, "http://")
	head := "POST /service/GraniteServiceVersion20100801/operation/ListMetrics HTTP/1.1\r\nHost: x\r\n" +
		"Content-Type: application/cbor\r\nContent-Length: 1000\r\n\r\n"
	for name, trickle := range map[string]string{
		"body":    head + strings.Repeat("\xa0", 1000), // headers at once, then the body slowly
		"headers": head,                                // the headers themselves slowly
	} {
		t.Run(name, func(t *testing.T) {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			start := 0
			if name == "body" {
				if _, err := io.WriteString(conn, head); err != nil {
					t.Fatal(err)
				}
				start = len(head)
			}
			// One byte every 20 ms: the whole request would take 20 s or more.
			stop := make(chan struct{})
			defer close(stop)
			go func() {
				for i := start; i < len(trickle); i++ {
					select {
					case <-stop:
						return
					case <-time.After(20 * time.Millisecond):
					}
					if _, err := conn.Write([]byte{trickle[i]}); err != nil {
						return
					}
				}
			}()
			conn.SetReadDeadline(time.Now().Add(10 * time.Second))
			_, err = io.ReadAll(conn)
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatalf("the server still held the trickling connection after 10 s")
			}
		})
	}
}

// TestCancelledRequestStopsComputing: a GetMetricData over 200 series whose client goes away
// while the server computes stops: the server aggregates none of the series after the
// cancellation (counted, not timed) and its handler returns.
func TestCancelledRequestStopsComputing(t *testing.T) {
	s := New(Options{Now: httpNow})
	started := make(chan struct{})
	var once sync.Once
	s.aggregateHook = func(ctx context.Context) {
		once.Do(func() { close(started) })
		select { // every worker waits here until the client has gone
		case <-ctx.Done():
		case <-time.After(20 * time.Second):
		}
	}
	url, handled := serveHTTP(t, s, Timeouts{})
	c := sdkClient(url)
	const n = 200
	var data []types.MetricDatum
	var queries []types.MetricDataQuery
	for i := range n {
		name := fmt.Sprintf("M%d", i)
		data = append(data, types.MetricDatum{MetricName: aws.String(name), Value: aws.Float64(1), Timestamp: aws.Time(httpNow.Add(-time.Hour))})
		queries = append(queries, types.MetricDataQuery{Id: aws.String(fmt.Sprintf("m%d", i)), MetricStat: &types.MetricStat{
			Metric: &types.Metric{Namespace: aws.String("T"), MetricName: aws.String(name)}, Period: aws.Int32(60), Stat: aws.String("p99")}})
	}
	if _, err := c.PutMetricData(context.Background(), &cloudwatch.PutMetricDataInput{Namespace: aws.String("T"), MetricData: data}); err != nil {
		t.Fatal(err)
	}
	<-handled
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-started; cancel() }()
	_, err := c.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{MetricDataQueries: queries,
		StartTime: aws.Time(httpNow.Add(-2 * time.Hour)), EndTime: aws.Time(httpNow)})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("GetMetricData = %v, want the client's cancellation", err)
	}
	select {
	case <-handled:
	case <-time.After(10 * time.Second):
		t.Fatal("the handler did not return after the client went away")
	}
	if got := s.aggregated.Load(); got != 0 {
		t.Errorf("the server aggregated %d of %d series after the client went away, want 0", got, n)
	}
	// The same request, not cancelled, computes every series: the counter counts.
	s.aggregateHook = nil
	if _, err := c.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{MetricDataQueries: queries,
		StartTime: aws.Time(httpNow.Add(-2 * time.Hour)), EndTime: aws.Time(httpNow)}); err != nil {
		t.Fatal(err)
	}
	if got := s.aggregated.Load(); got != n {
		t.Errorf("aggregated %d series, want %d", got, n)
	}
}

// TestWorkCap: a GetMetricData that spans more datapoints than the cap fails before any
// computation with a ValidationError naming the count in GetMetricStatistics' words. The default cap refuses the 500 series x 454 days at 1 h
// (500 x 10,896 = 5,448,000 > 5,040,000).
func TestWorkCap(t *testing.T) {
	span := 454 * 24 * time.Hour
	tests := []struct {
		name      string
		cap       int
		queries   int
		period    int32
		span      time.Duration
		wantCount string
	}{
		{"default cap, 500 series x 454 days at 1h", 0, 500, 3600, span, "the limit of 5040000"},
		{"small cap", 1000, 2, 60, 24 * time.Hour, "up to 1440 datapoints"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := New(Options{Now: httpNow, MaxRequestDatapoints: tc.cap})
			url, _ := serveHTTP(t, s, Timeouts{})
			var qs []types.MetricDataQuery
			for i := range tc.queries {
				qs = append(qs, types.MetricDataQuery{Id: aws.String(fmt.Sprintf("m%d", i)), MetricStat: &types.MetricStat{
					Metric: &types.Metric{Namespace: aws.String("T"), MetricName: aws.String(fmt.Sprintf("M%d", i))},
					Period: aws.Int32(tc.period), Stat: aws.String("p99")}})
			}
			_, err := sdkClient(url).GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{MetricDataQueries: qs,
				StartTime: aws.Time(httpNow.Add(-tc.span)), EndTime: aws.Time(httpNow)})
			var ae smithy.APIError
			if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationError" || !strings.Contains(ae.ErrorMessage(), tc.wantCount) ||
				!strings.Contains(ae.ErrorMessage(), "increasing Period") {
				t.Fatalf("GetMetricData = %v; want ValidationError naming %s and what to change", err, tc.wantCount)
			}
			if s.aggregated.Load() != 0 {
				t.Errorf("computed %d series before refusing", s.aggregated.Load())
			}
		})
	}
	// Just under the cap is served.
	s := New(Options{Now: httpNow, MaxRequestDatapoints: 1440})
	url, _ := serveHTTP(t, s, Timeouts{})
	_, err := sdkClient(url).GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
		MetricDataQueries: []types.MetricDataQuery{{Id: aws.String("m"), MetricStat: &types.MetricStat{
			Metric: &types.Metric{Namespace: aws.String("T"), MetricName: aws.String("M")}, Period: aws.Int32(60), Stat: aws.String("Average")}}},
		StartTime: aws.Time(httpNow.Add(-24 * time.Hour)), EndTime: aws.Time(httpNow)})
	if err != nil {
		t.Errorf("1,440 datapoints under a cap of 1,440: %v", err)
	}
}

// TestRemoteWarning: beyond loopback (-allow-remote), the banner says there is no
// authentication; on loopback it says nothing.
func TestRemoteWarning(t *testing.T) {
	for addr, want := range map[string]bool{"0.0.0.0:4582": true, "192.168.1.5:4582": true, "[::]:4582": true,
		"127.0.0.1:4582": false, "[::1]:4582": false} {
		got := remoteWarning(addr)
		if (got != "") != want || want && !strings.Contains(got, "NO AUTHENTICATION") {
			t.Errorf("remoteWarning(%s) = %q", addr, got)
		}
	}
}

// TestWriteTimeoutStopsComputing: a computation that outlives the write timeout (no answer
// could be written any more) stops: the request context ends at the write deadline.
func TestWriteTimeoutStopsComputing(t *testing.T) {
	s := New(Options{Now: httpNow})
	var deadline atomic.Bool
	s.aggregateHook = func(ctx context.Context) {
		select { // a computation that would take 20 s
		case <-ctx.Done():
			deadline.Store(errors.Is(ctx.Err(), context.DeadlineExceeded))
		case <-time.After(20 * time.Second):
		}
	}
	url, handled := serveHTTP(t, s, Timeouts{Write: 300 * time.Millisecond})
	if _, err := sdkClient(url).PutMetricData(context.Background(), &cloudwatch.PutMetricDataInput{Namespace: aws.String("T"),
		MetricData: []types.MetricDatum{{MetricName: aws.String("M"), Value: aws.Float64(1), Timestamp: aws.Time(httpNow.Add(-time.Minute))}}}); err != nil {
		t.Fatal(err)
	}
	<-handled
	_, err := sdkClient(url).GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
		MetricDataQueries: []types.MetricDataQuery{{Id: aws.String("m"), MetricStat: &types.MetricStat{
			Metric: &types.Metric{Namespace: aws.String("T"), MetricName: aws.String("M")}, Period: aws.Int32(60), Stat: aws.String("p99")}}},
		StartTime: aws.Time(httpNow.Add(-time.Hour)), EndTime: aws.Time(httpNow)})
	if err == nil {
		t.Errorf("GetMetricData answered after its write timeout")
	}
	select {
	case <-handled:
	case <-time.After(10 * time.Second):
		t.Fatal("the handler still runs long after the write timeout")
	}
	if !deadline.Load() || s.aggregated.Load() != 0 {
		t.Errorf("deadline seen %v, %d series aggregated; want the deadline and 0", deadline.Load(), s.aggregated.Load())
	}
}
