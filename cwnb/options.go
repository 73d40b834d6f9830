package cwnb

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
)

// Defaults of the Options a loader runs with when a field is zero; the command's flags show them.
const (
	// DefaultRateLimit is the default Options.RateLimit in requests per second: half of
	// GetMetricData's 50 TPS quota, so that a notebook leaves room for dashboards and alarms.
	defaultRateLimit = 25
	// DefaultMaxAttempts is the default Options.MaxAttempts: tries of a throttled or failed request.
	defaultMaxAttempts = 8
	// DefaultCallTimeout is the default Options.CallTimeout: one call, its retries included.
	defaultCallTimeout = 2 * time.Minute
	// DefaultTimeout is the default Options.Timeout: a whole load.
	defaultTimeout = 15 * time.Minute
)

// insightsRateLimit bounds calls holding a Metrics Insights query (quota: 10 TPS).
const insightsRateLimit = 5

// defaultConcurrency is how many calls a load has in flight at once.
const defaultConcurrency = 4

// Options configures a Loader. Zero fields mean the documented defaults.
type Options struct {
	// Region is the AWS region; "" uses AWS_REGION, AWS_DEFAULT_REGION, the profile's region, then
	// us-east-1.
	Region string
	// Profile is the shared-config profile; "" uses AWS_PROFILE or "default". Credentials come
	// from the SDK's default chain: environment, shared files, SSO, assume-role, IMDS.
	Profile string
	// Endpoint overrides the CloudWatch endpoint URL. "" lets the SDK read
	// AWS_ENDPOINT_URL_CLOUDWATCH or AWS_ENDPOINT_URL (so that the same notebook runs against AWS
	// or the local CloudWatch unchanged).
	Endpoint string
	// Account names the account whose data the cache holds. "" is fine unless several accounts
	// are read through the same endpoint and region: then set it so their entries differ.
	Account string
	// CacheDir is the cache directory; "" means $CWNB_CACHE, else .cwnb beside the notebook
	// ($GONB_DIR), else ./.cwnb.
	CacheDir string
	// NoCache disables the cache: every load is fetched and nothing is written.
	NoCache bool
	// Offline serves loads only from the cache and fails on a miss with an error wrapping
	// ErrOffline that lists what the cache lacks. CWNB_OFFLINE=1 turns it on too.
	Offline bool
	// RateLimit is the most CloudWatch requests per second this loader sends; 0 means
	// DefaultRateLimit. Calls holding a Metrics Insights query are further held to 5 per second.
	RateLimit float64
	// MaxAttempts is how many times the SDK tries a request that was throttled or failed
	// transiently (with jittered exponential backoff); 0 means DefaultMaxAttempts. It applies to clients the
	// loader makes, not to Client or one from NewClient.
	MaxAttempts int
	// Concurrency is how many calls may be in flight at once; 0 means 4.
	Concurrency int
	// CallTimeout bounds one CloudWatch call, the SDK's retries included; 0 means
	// DefaultCallTimeout (2 minutes).
	CallTimeout time.Duration
	// Timeout bounds a whole load, suggestions included; 0 means DefaultTimeout (15 minutes).
	Timeout time.Duration
	// MemoryLimit is the most memory, in bytes, that a load may be estimated to need; 0 means the
	// memory available now (MemAvailable in /proc/meminfo; no limit where it cannot be read) and
	// a negative value no limit.
	MemoryLimit int64
	// NoSuggest turns off the names suggested for a query that matched nothing (they come from
	// ListMetrics, which is free, and its cached listings). Offline loads use only the cache.
	NoSuggest bool
	// StrictPeriod makes a period finer than CloudWatch keeps for the window's age an error.
	// By default the loader coarsens it to the finest period available and adds a warning.
	StrictPeriod bool
	// Now returns the current time; nil means the time in CWNB_NOW (RFC 3339) if set, else
	// time.Now. Relative windows, retention and the completeness of the latest periods are judged
	// against it: pin it to the clock of a local CloudWatch started with a fixed time.
	Now func() time.Time
	// NoProgress turns off the progress of a slow load. By default it is shown in the notebook
	// under GoNB, and on os.Stderr when that is a terminal (never under CI).
	NoProgress bool
	// Stderr, if set, receives the progress of every slow load, one line per update.
	Stderr io.Writer
	// Client is the CloudWatch client of every region; nil makes one per region with
	// config.LoadDefaultConfig from Region, Profile, Endpoint and MaxAttempts.
	Client *cloudwatch.Client
	// NewClient, if set (and Client is nil), makes the CloudWatch client of a region.
	NewClient func(ctx context.Context, region string) (*cloudwatch.Client, error)

	api  api      // a client given by this package's tests, which may stand in for the SDK
	errs []string // invalid values given to options, reported by New
}

// resolve applies optFns and the environment and fills in the defaults, or says which value is
// wrong.
func resolveOptions(optFns []func(*Options)) (Options, error) {
	var o Options
	for _, fn := range optFns {
		if fn == nil {
			return o, fmt.Errorf("cwnb: an option is nil; drop it or pass a With... function")
		}
		fn(&o)
	}
	if len(o.errs) > 0 {
		return o, fmt.Errorf("cwnb: %s", strings.Join(o.errs, "; "))
	}
	if v := os.Getenv("CWNB_OFFLINE"); v == "1" || strings.EqualFold(v, "true") {
		o.Offline = true
	}
	if err := o.check(); err != nil {
		return o, err
	}
	o.defaults()
	if o.Now == nil {
		o.Now = time.Now
		if s := os.Getenv("CWNB_NOW"); s != "" {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				return o, fmt.Errorf("cwnb: CWNB_NOW=%q is not an RFC 3339 time; write it like 2026-11-20T00:00:00Z, or unset it", s)
			}
			o.Now = func() time.Time { return t }
		}
	}
	return o, nil
}

// check refuses values set directly in the struct that no default can mend.
func (o *Options) check() error {
	switch {
	case o.RateLimit < 0 || math.IsNaN(o.RateLimit) || math.IsInf(o.RateLimit, 0):
		return fmt.Errorf("cwnb: rate limit %v is not a positive number; use 0 for the default %d per second", o.RateLimit, defaultRateLimit)
	case o.CallTimeout < 0:
		return fmt.Errorf("cwnb: call timeout %v is negative; use 0 for the default %v", o.CallTimeout, defaultCallTimeout)
	case o.Timeout < 0:
		return fmt.Errorf("cwnb: timeout %v is negative; use 0 for the default %v", o.Timeout, defaultTimeout)
	case o.MaxAttempts < 0:
		return fmt.Errorf("cwnb: max attempts %d is negative; use 0 for the default %d", o.MaxAttempts, defaultMaxAttempts)
	case o.Concurrency < 0:
		return fmt.Errorf("cwnb: concurrency %d is negative; use 0 for the default %d", o.Concurrency, defaultConcurrency)
	}
	return nil
}

// defaults fills in the zero fields.
func (o *Options) defaults() {
	if o.RateLimit == 0 {
		o.RateLimit = defaultRateLimit
	}
	if o.MaxAttempts == 0 {
		o.MaxAttempts = defaultMaxAttempts
	}
	if o.Concurrency == 0 {
		o.Concurrency = defaultConcurrency
	}
	if o.CallTimeout == 0 {
		o.CallTimeout = defaultCallTimeout
	}
	if o.Timeout == 0 {
		o.Timeout = defaultTimeout
	}
}

// withAPI makes the loader use c in every region: for this package's tests, which may pass a
// stand-in for the SDK.
func withAPI(c api) func(*Options) {
	return func(o *Options) {
		if c == nil {
			o.errs = append(o.errs, "no client given")
			return
		}
		o.api = c
	}
}
