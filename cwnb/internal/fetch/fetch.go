// Package fetch sends the loader's read calls to CloudWatch: GetMetricData and ListMetrics with
// every page, through the SDK's paginators. Each page waits for the rate limiters, runs under its
// own deadline, and has its retries counted; a NextToken that comes back twice is an error, not
// an endless loop; and a failure is classified (endpoint unreachable, credentials rejected, call
// timed out) so that the caller can say what to do.
//
// A connection refused or an unknown host is not retried: the endpoint is not there, and retrying
// for a minute only hides that. Throttling and 5xx responses keep the SDK's patient retries.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"golang.org/x/time/rate"
)

// API is the part of the CloudWatch client that fetch calls. *cloudwatch.Client implements it.
type API interface {
	cloudwatch.GetMetricDataAPIClient
	cloudwatch.ListMetricsAPIClient
}

var _ API = (*cloudwatch.Client)(nil)

// Sentinels that Classify returns and the errors of Caller wrap.
var (
	// ErrUnreachable: nothing answers at the endpoint (connection refused, unknown host).
	ErrUnreachable = errors.New("endpoint unreachable")
	// ErrCredentials: the credentials are missing, expired or rejected.
	ErrCredentials = errors.New("credentials")
	// ErrCallTimeout: one call (with its retries) took longer than Caller.CallTimeout.
	ErrCallTimeout = errors.New("call timed out")
	// ErrRepeatedToken: CloudWatch returned a NextToken it had already returned.
	ErrRepeatedToken = errors.New("repeated NextToken")
)

// Caller sends calls for one load. Its zero value sends calls without pacing or deadline. It is
// safe for concurrent use.
type Caller struct {
	// Limiter paces every call; nil means no pacing.
	Limiter *rate.Limiter
	// CallTimeout bounds one call, its retries included; 0 means no bound.
	CallTimeout time.Duration
	// OnCall, if not nil, is called after every call (for progress).
	OnCall func()

	calls   atomic.Int64
	retries atomic.Int64
}

// Calls returns the calls sent so far (pages count one each; retries do not).
func (c *Caller) Calls() int { return int(c.calls.Load()) }

// Retries returns how many times the SDK retried a call so far.
func (c *Caller) Retries() int { return int(c.retries.Load()) }

// MetricData sends in and every following page, calling page with each response in order.
// extra, if not nil, paces these calls further (Metrics Insights queries have a lower quota).
func (c *Caller) MetricData(ctx context.Context, api cloudwatch.GetMetricDataAPIClient, in *cloudwatch.GetMetricDataInput,
	extra *rate.Limiter, page func(*cloudwatch.GetMetricDataOutput) error) error {
	p := cloudwatch.NewGetMetricDataPaginator(api, in)
	return run(ctx, c, p, extra, func(o *cloudwatch.GetMetricDataOutput) *string { return o.NextToken }, page)
}

// ListMetrics sends in and every following page, calling page with each response in order.
func (c *Caller) ListMetrics(ctx context.Context, api cloudwatch.ListMetricsAPIClient, in *cloudwatch.ListMetricsInput,
	page func(*cloudwatch.ListMetricsOutput) error) error {
	p := cloudwatch.NewListMetricsPaginator(api, in)
	return run(ctx, c, p, nil, func(o *cloudwatch.ListMetricsOutput) *string { return o.NextToken }, page)
}

// pager is what the SDK's paginators have in common.
type pager[T any] interface {
	HasMorePages() bool
	NextPage(ctx context.Context, optFns ...func(*cloudwatch.Options)) (T, error)
}

// run drives p to its last page.
func run[T any](ctx context.Context, c *Caller, p pager[T], extra *rate.Limiter, token func(T) *string, page func(T) error) error {
	seen := map[string]bool{}
	for p.HasMorePages() {
		out, err := callPage(ctx, c, p, extra)
		if err != nil {
			return err
		}
		if err := page(out); err != nil {
			return err
		}
		if t := token(out); t != nil && *t != "" {
			if seen[*t] {
				return fmt.Errorf("%w: CloudWatch returned the page token %.20q a second time after %d pages; stopped rather than loop (the endpoint is misbehaving: retry later or report it)",
					ErrRepeatedToken, *t, len(seen)+1)
			}
			seen[*t] = true
		}
	}
	return nil
}

// callPage sends one page: it waits for the limiters, bounds the call by CallTimeout, counts it
// and its retries, and classifies its error.
func callPage[T any](ctx context.Context, c *Caller, p pager[T], extra *rate.Limiter) (T, error) {
	var zero T
	for _, l := range []*rate.Limiter{c.Limiter, extra} {
		if l == nil {
			continue
		}
		if err := l.Wait(ctx); err != nil {
			return zero, err
		}
	}
	cctx := ctx
	if c.CallTimeout > 0 {
		var cancel context.CancelFunc
		cctx, cancel = context.WithTimeout(ctx, c.CallTimeout)
		defer cancel()
	}
	out, err := p.NextPage(cctx, c.options)
	c.calls.Add(1)
	if c.OnCall != nil {
		c.OnCall()
	}
	if err != nil {
		if ctx.Err() == nil && errors.Is(cctx.Err(), context.DeadlineExceeded) {
			return zero, &TimeoutError{After: c.CallTimeout, Err: err}
		}
		return zero, err
	}
	return out, nil
}

// TimeoutError is the error of a call that took longer than Caller.CallTimeout. It wraps
// ErrCallTimeout and the SDK's error.
type TimeoutError struct {
	After time.Duration
	Err   error
}

// Error says how long the call waited; the SDK's error (a cancelled request) stays in Unwrap.
func (e *TimeoutError) Error() string {
	return fmt.Sprintf("no answer within the call timeout of %v", e.After)
}

// Unwrap returns ErrCallTimeout and the SDK's error.
func (e *TimeoutError) Unwrap() []error { return []error{ErrCallTimeout, e.Err} }

// options adjusts one call's client options: its retryer counts retries and does not retry an
// unreachable endpoint.
func (c *Caller) options(o *cloudwatch.Options) {
	if o.Retryer != nil {
		o.Retryer = &retryer{Retryer: o.Retryer, n: &c.retries}
	}
}
