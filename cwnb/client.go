package cwnb

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"

	"github.com/cwnb/cwnb/cwnb/internal/fetch"
	"github.com/cwnb/cwnb/cwnb/internal/sdkhttp"
)

// API is the part of the CloudWatch client that cwnb uses. *cloudwatch.Client implements it.
type api interface {
	GetMetricData(ctx context.Context, in *cloudwatch.GetMetricDataInput, optFns ...func(*cloudwatch.Options)) (*cloudwatch.GetMetricDataOutput, error)
	ListMetrics(ctx context.Context, in *cloudwatch.ListMetricsInput, optFns ...func(*cloudwatch.Options)) (*cloudwatch.ListMetricsOutput, error)
}

var _ api = (*cloudwatch.Client)(nil)

// credentialsTimeout bounds the look-up of credentials when the loader makes its client (the
// SDK's chain may end at the EC2 instance metadata service, which is absent off EC2).
const credentialsTimeout = 10 * time.Second

// defaultRegion returns the loader's region: Options.Region, the environment, the profile's,
// or us-east-1.
func (l *loader) defaultRegion(ctx context.Context) (string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.region != "" {
		return l.region, nil
	}
	r := l.opts.Region
	if r == "" {
		r = os.Getenv("AWS_REGION")
	}
	if r == "" {
		r = os.Getenv("AWS_DEFAULT_REGION")
	}
	if r == "" {
		var fns []func(*config.LoadOptions) error
		if l.opts.Profile != "" {
			fns = append(fns, config.WithSharedConfigProfile(l.opts.Profile))
		}
		if cfg, err := config.LoadDefaultConfig(ctx, fns...); err == nil {
			r = cfg.Region
		}
	}
	if r == "" {
		r = "us-east-1"
	}
	l.region = r
	return r, nil
}

// client returns the client of region, making it on first use.
func (l *loader) client(ctx context.Context, region string) (api, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if c, ok := l.clients[region]; ok {
		return c, nil
	}
	var c api
	var err error
	switch {
	case l.opts.api != nil:
		c = l.opts.api
	case l.opts.Client != nil:
		c = l.opts.Client
	case l.opts.NewClient != nil:
		cc, err := l.opts.NewClient(ctx, region)
		if err != nil {
			return nil, fmt.Errorf("client for %s: %w", region, err)
		}
		if cc == nil {
			return nil, fmt.Errorf("client for %s: Options.NewClient returned no client and no error", region)
		}
		c = cc
	default:
		if c, err = l.newClient(ctx, region); err != nil {
			return nil, err
		}
	}
	l.clients[region] = c
	return c, nil
}

// newClient makes the SDK client of region from the shared configuration. Its credentials are
// looked up by checkCredentials before its first call, not here: a load the cache answers needs
// none.
func (l *loader) newClient(ctx context.Context, region string) (api, error) {
	fns := []func(*config.LoadOptions) error{
		config.WithRegion(region),
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = l.opts.MaxAttempts
				o.RateLimiter = ratelimit.None // the loader's own limiter paces requests
			})
		}),
	}
	if l.opts.Profile != "" {
		fns = append(fns, config.WithSharedConfigProfile(l.opts.Profile))
	}
	cfg, err := config.LoadDefaultConfig(ctx, fns...)
	if err != nil {
		return nil, fmt.Errorf("AWS configuration (profile %s): %w; check ~/.aws/config or set AWS_PROFILE", l.profileName(), err)
	}
	l.creds[region] = cfg.Credentials
	return cloudwatch.NewFromConfig(cfg, func(o *cloudwatch.Options) {
		// The SDK's transport as configured, minus a client-side race that drops keep-alive
		// connections to fast servers (see sdkhttp.Transport).
		o.HTTPClient = sdkhttp.Wrap(o.HTTPClient)
		if l.opts.Endpoint != "" {
			o.BaseEndpoint = aws.String(l.opts.Endpoint)
		}
	}), nil
}

// checkCredentials looks up, once, the credentials of the client the loader made for region, so
// that a missing or expired login is one short error before any call. Clients from
// Options.Client or Options.NewClient are the caller's: they are not checked.
func (l *loader) checkCredentials(ctx context.Context, region string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err, done := l.credsErr[region]; done {
		return err
	}
	p, ok := l.creds[region]
	if !ok {
		return nil
	}
	var err error
	if p == nil {
		err = l.credentialsError(region, errors.New("no credential provider"))
	} else {
		cctx, cancel := context.WithTimeout(ctx, credentialsTimeout)
		defer cancel()
		if _, rerr := p.Retrieve(cctx); rerr != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			err = l.credentialsError(region, rerr)
		}
	}
	l.credsErr[region] = err
	return err
}

// profileName names the profile the SDK reads, for messages.
func (l *loader) profileName() string {
	p := l.opts.Profile
	if p == "" {
		p = os.Getenv("AWS_PROFILE")
	}
	if p == "" {
		p = "default"
	}
	return fmt.Sprintf("%q", p)
}

// credentialsError says that no usable credentials were found and what to do.
func (l *loader) credentialsError(region string, err error) error {
	return errorf([]error{ErrCredentials, err}, "no usable AWS credentials for profile %s in %s (%v); log in (aws sso login, or export AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or set CWNB_OFFLINE=1 to re-run from the committed cache without calls",
		l.profileName(), region, fetch.RootCause(err))
}

// explain turns a failed call into the error the user reads: a short one with what to do for an
// unreachable endpoint or refused credentials, the call's own error (a *CallError) otherwise.
func (l *loader) explain(region string, c api, err error) error {
	switch fetch.Classify(err) {
	case fetch.ErrUnreachable:
		ep, cause := fetch.Unreached(err)
		if ep == "" {
			ep = l.endpointURL(c)
		}
		if endpointName(l.endpointURL(c)) == "aws" {
			return errorf([]error{ErrUnreachable, err}, "cannot reach CloudWatch in %s at %s (%v); check the network and the region, or set CWNB_OFFLINE=1 to re-run from the committed cache without calls",
				region, ep, cause)
		}
		return errorf([]error{ErrUnreachable, err}, "nothing answers at the CloudWatch endpoint %s (%v); start the local CloudWatch (`cwnb local`), or unset AWS_ENDPOINT_URL_CLOUDWATCH and AWS_ENDPOINT_URL (or the Endpoint option) to use AWS, or set CWNB_OFFLINE=1 to re-run from the committed cache",
			ep, cause)
	case fetch.ErrCredentials:
		return l.credentialsError(region, err)
	}
	return err
}

// endpointURL is the endpoint the loader talks to with c, "" for AWS's own.
func (l *loader) endpointURL(c api) string {
	if cc, ok := c.(*cloudwatch.Client); ok {
		if ep := cc.Options().BaseEndpoint; ep != nil {
			return *ep
		}
		return ""
	}
	if l.opts.Endpoint != "" {
		return l.opts.Endpoint
	}
	if e := os.Getenv("AWS_ENDPOINT_URL_CLOUDWATCH"); e != "" {
		return e
	}
	return os.Getenv("AWS_ENDPOINT_URL")
}

// endpointName is the cache directory of an endpoint URL: "aws", "local" for loopback, or the host.
func endpointName(raw string) string {
	if raw == "" {
		return "aws"
	}
	u, err := url.Parse(raw)
	host := raw
	if err == nil && u.Host != "" {
		host = u.Hostname()
	}
	if host == "localhost" {
		return "local"
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return "local"
	}
	if strings.HasSuffix(host, ".amazonaws.com") || strings.HasSuffix(host, ".amazonaws.com.cn") {
		return "aws"
	}
	return safeName(host)
}
