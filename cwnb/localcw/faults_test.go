package localcw_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/google/go-cmp/cmp"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
)

func TestParseFaults(t *testing.T) {
	tests := []struct {
		spec    string
		want    localcw.Faults
		wantErr bool
	}{
		{"", localcw.Faults{}, false},
		{"none", localcw.Faults{}, false},
		{"throttle=0.3,rate=20,5xx=0.05,latency=20ms,pagesize=50", localcw.Faults{Throttle: 0.3, Rate: 20, Error5xx: 0.05, Latency: 20 * time.Millisecond, PageSize: 50}, false},
		{" burst=5 , seed=42 ", localcw.Faults{Burst: 5, Seed: 42}, false},
		{"throttle=1.5", localcw.Faults{}, true},
		{"throttle", localcw.Faults{}, true},
		{"rate=0", localcw.Faults{}, true},
		{"latency=fast", localcw.Faults{}, true},
		{"pagesize=-1", localcw.Faults{}, true},
		{"explode=1", localcw.Faults{}, true},
		// Issue 15 item 5: NaN passed every range check and silently turned the fault off.
		{"throttle=NaN", localcw.Faults{}, true},
		{"5xx=nan", localcw.Faults{}, true},
		{"throttle=-0.1", localcw.Faults{}, true},
		{"5xx=1.01", localcw.Faults{}, true},
		{"rate=NaN", localcw.Faults{}, true},
		{"rate=Inf", localcw.Faults{}, true},
		{"rate=1e400", localcw.Faults{}, true},
		{"rate=-3", localcw.Faults{}, true},
		{"latency=-1s", localcw.Faults{}, true},
		{"burst=0", localcw.Faults{}, true},
		{"seed=-1", localcw.Faults{}, true},
		{"throttle=0.1,throttle=0.2", localcw.Faults{}, true},
		{"throttle=1,5xx=0", localcw.Faults{Throttle: 1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			got, err := localcw.ParseFaults(tt.spec)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseFaults(%q) error = %v, want error %v", tt.spec, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseFaults(%q) (-want +got):\n%s", tt.spec, diff)
			}
			if err == nil {
				again, err := localcw.ParseFaults(got.String())
				if err != nil || again != got {
					t.Errorf("ParseFaults(%q.String() = %q) = %+v, %v; want the same faults", tt.spec, got.String(), again, err)
				}
			}
		})
	}
}

// fastRetries keeps the SDK's standard retryer (which retries throttling and 5xx) but with
// tiny backoff delays and more attempts, so fault tests stay fast.
func fastRetries(attempts int) func(*cloudwatch.Options) {
	return func(o *cloudwatch.Options) {
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = attempts
			so.MaxBackoff = time.Millisecond
			so.RateLimiter = noRateLimit{}
		})
	}
}

// noRateLimit disables the client-side retry token bucket, which would otherwise stop retrying
// after a burst of injected faults.
type noRateLimit struct{}

func (noRateLimit) GetToken(context.Context, uint) (func() error, error) {
	return func() error { return nil }, nil
}
func (noRateLimit) AddTokens(uint) error { return nil }

func faultServer(t *testing.T, spec string, optFns ...func(*cloudwatch.Options)) (*localcw.Server, *cloudwatch.Client) {
	t.Helper()
	f, err := localcw.ParseFaults(spec)
	if err != nil {
		t.Fatal(err)
	}
	srv, url := localcwtest.Start(t, localcw.Options{Now: now, Faults: f})
	return srv, localcwtest.Client(t, url, optFns...)
}

func listOnce(c *cloudwatch.Client) error {
	_, err := c.ListMetrics(context.Background(), &cloudwatch.ListMetricsInput{})
	return err
}

func TestThrottlingIsRetriedBySDK(t *testing.T) {
	srv, c := faultServer(t, "throttle=0.5,seed=3", fastRetries(20))
	for range 20 {
		if err := listOnce(c); err != nil {
			t.Fatalf("ListMetrics failed despite retries: %v", err)
		}
	}
	if calls := srv.Calls("ListMetrics"); calls <= 20 {
		t.Errorf("%d requests for 20 calls: the injected throttling did not happen", calls)
	}

	_, bare := faultServer(t, "throttle=1", noRetry)
	err := listOnce(bare)
	if got := apiCode(err); got != "Throttling" {
		t.Fatalf("error %v has code %q, want Throttling", err, got)
	}
	if !strings.Contains(err.Error(), "Rate exceeded") {
		t.Errorf("error %q does not say Rate exceeded", err)
	}
	var re *smithyhttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != http.StatusBadRequest {
		t.Errorf("throttling status: %v, want 400", err)
	}
	var rid interface{ ServiceRequestID() string }
	if !errors.As(err, &rid) || rid.ServiceRequestID() == "" {
		t.Errorf("error %v carries no request id", err)
	}
	if !retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err).Bool() {
		t.Errorf("the SDK does not classify %v as throttling", err)
	}
}

func TestServerErrorsAreRetriedBySDK(t *testing.T) {
	srv, c := faultServer(t, "5xx=0.5,seed=9", fastRetries(20))
	for range 20 {
		if err := listOnce(c); err != nil {
			t.Fatalf("ListMetrics failed despite retries: %v", err)
		}
	}
	if calls := srv.Calls("ListMetrics"); calls <= 20 {
		t.Errorf("%d requests for 20 calls: the injected 5xx did not happen", calls)
	}
	// Without retries the SDK surfaces an InternalServiceFault ("Message" member) or a 503.
	_, bare := faultServer(t, "5xx=1,seed=1", noRetry)
	sawFault := false
	for range 10 {
		err := listOnce(bare)
		var fault *types.InternalServiceFault
		var re *smithyhttp.ResponseError
		switch {
		case errors.As(err, &fault):
			sawFault = true
			if fault.ErrorMessage() == "" {
				t.Errorf("InternalServiceFault without message: the body's Message key was not decoded")
			}
		case errors.As(err, &re) && re.HTTPStatusCode() == http.StatusServiceUnavailable:
		default:
			t.Fatalf("error %v (%T), want InternalServiceFault or 503", err, err)
		}
	}
	if !sawFault {
		t.Errorf("10 injected 5xx and no InternalServiceFault")
	}
}

func TestRateLimit(t *testing.T) {
	srv, c := faultServer(t, "rate=1,burst=2", noRetry)
	var throttled int
	for range 5 {
		if err := listOnce(c); apiCode(err) == "Throttling" {
			throttled++
		} else if err != nil {
			t.Fatal(err)
		}
	}
	if throttled < 2 {
		t.Errorf("%d of 5 back-to-back calls throttled at 1 request/s with burst 2, want at least 2", throttled)
	}
	if srv.Calls("ListMetrics") != 5 {
		t.Errorf("Calls = %d, want 5 (throttled requests count)", srv.Calls("ListMetrics"))
	}
}

func TestPageSizeFaultCutsResponses(t *testing.T) {
	srv, c := faultServer(t, "pagesize=4")
	put(t, c, "Test/Pages", minutely(10, "M", func(i int) float64 { return float64(i) }))
	in := &cloudwatch.GetMetricDataInput{StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now),
		MetricDataQueries: []types.MetricDataQuery{{Id: aws.String("m"), MetricStat: metricStat("Test/Pages", "M", 60, "Sum")}}}
	all, pages := getAll(t, c, in)
	if pages != 3 || len(all["m/M"].Values) != 10 {
		t.Errorf("%d pages and %d values, want 3 pages of at most 4 and 10 values", pages, len(all["m/M"].Values))
	}
	if srv.Datapoints() != 10 {
		t.Errorf("Datapoints() = %d, want 10", srv.Datapoints())
	}
}

func TestLatencyFault(t *testing.T) {
	_, c := faultServer(t, "latency=30ms")
	start := time.Now()
	if err := listOnce(c); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("call took %v with 30ms injected latency", d)
	}
}
