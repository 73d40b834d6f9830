package cwnb

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"
)

// Defaults of the Options a loader runs with when a field is zero; the command's flags show them.
const (
	// DefaultRateLimit is the default Options.RateLimit in requests per second: half of
	// GetMetricData's 50 TPS quota, so that a notebook leaves room for dashboards and alarms.
	DefaultRateLimit = 25
	// DefaultMaxAttempts is the default Options.MaxAttempts: tries of a throttled or failed request.
	DefaultMaxAttempts = 8
	// DefaultCallTimeout is the default Options.CallTimeout: one call, its retries included.
	DefaultCallTimeout = 2 * time.Minute
	// DefaultTimeout is the default Options.Timeout: a whole load.
	DefaultTimeout = 15 * time.Minute
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
	// loader makes, not to one from NewClient or WithClient.
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
	// Progress says where progress of a slow load is shown; the zero value ProgressAuto shows it
	// in the notebook under GoNB and on Stderr when that is a terminal (never under CI).
	Progress ProgressMode
	// Stderr receives terminal progress; nil means os.Stderr.
	Stderr io.Writer
	// NewClient makes the CloudWatch client of a region; nil uses config.LoadDefaultConfig with
	// Region, Profile, Endpoint and MaxAttempts.
	NewClient func(ctx context.Context, region string) (API, error)

	errs []string // invalid values given to With* options, reported by New
}

// WithRegion sets Options.Region.
func WithRegion(region string) func(*Options) { return func(o *Options) { o.Region = region } }

// WithProfile sets Options.Profile.
func WithProfile(profile string) func(*Options) { return func(o *Options) { o.Profile = profile } }

// WithEndpoint sets Options.Endpoint.
func WithEndpoint(url string) func(*Options) { return func(o *Options) { o.Endpoint = url } }

// WithCacheDir sets Options.CacheDir.
func WithCacheDir(dir string) func(*Options) { return func(o *Options) { o.CacheDir = dir } }

// WithOffline sets Options.Offline.
func WithOffline(offline bool) func(*Options) { return func(o *Options) { o.Offline = offline } }

// WithRateLimit sets Options.RateLimit, in requests per second: a positive, finite number.
func WithRateLimit(perSecond float64) func(*Options) {
	return func(o *Options) {
		if !(perSecond > 0) || math.IsInf(perSecond, 0) {
			o.errs = append(o.errs, fmt.Sprintf("WithRateLimit(%v): the rate must be a positive number of requests per second, such as %d", perSecond, DefaultRateLimit))
			return
		}
		o.RateLimit = perSecond
	}
}

// WithCallTimeout sets Options.CallTimeout: how long one CloudWatch call, with its retries, may
// take (positive).
func WithCallTimeout(d time.Duration) func(*Options) {
	return func(o *Options) {
		if d <= 0 {
			o.errs = append(o.errs, fmt.Sprintf("WithCallTimeout(%v): the timeout must be positive, such as %v", d, DefaultCallTimeout))
			return
		}
		o.CallTimeout = d
	}
}

// WithTimeout sets Options.Timeout: how long a whole load may take (positive).
func WithTimeout(d time.Duration) func(*Options) {
	return func(o *Options) {
		if d <= 0 {
			o.errs = append(o.errs, fmt.Sprintf("WithTimeout(%v): the timeout must be positive, such as %v", d, DefaultTimeout))
			return
		}
		o.Timeout = d
	}
}

// WithMemoryLimit sets Options.MemoryLimit in bytes; a negative value turns the check off.
func WithMemoryLimit(bytes int64) func(*Options) {
	return func(o *Options) {
		if bytes == 0 {
			o.errs = append(o.errs, "WithMemoryLimit(0): give a number of bytes, or -1 for no limit")
			return
		}
		o.MemoryLimit = bytes
	}
}

// WithSuggest turns the suggestions for a query that matched nothing on (the default) or off.
func WithSuggest(on bool) func(*Options) { return func(o *Options) { o.NoSuggest = !on } }

// WithClient makes the loader use c in every region (for tests and custom clients).
func WithClient(c API) func(*Options) {
	return func(o *Options) {
		if c == nil {
			o.errs = append(o.errs, "WithClient(nil): give a client, such as cloudwatch.NewFromConfig(cfg)")
			return
		}
		o.NewClient = func(context.Context, string) (API, error) { return c, nil }
	}
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
		return fmt.Errorf("cwnb: rate limit %v is not a positive number; use 0 for the default %d per second", o.RateLimit, DefaultRateLimit)
	case o.CallTimeout < 0:
		return fmt.Errorf("cwnb: call timeout %v is negative; use 0 for the default %v", o.CallTimeout, DefaultCallTimeout)
	case o.Timeout < 0:
		return fmt.Errorf("cwnb: timeout %v is negative; use 0 for the default %v", o.Timeout, DefaultTimeout)
	case o.MaxAttempts < 0:
		return fmt.Errorf("cwnb: max attempts %d is negative; use 0 for the default %d", o.MaxAttempts, DefaultMaxAttempts)
	case o.Concurrency < 0:
		return fmt.Errorf("cwnb: concurrency %d is negative; use 0 for the default %d", o.Concurrency, defaultConcurrency)
	case o.Progress < ProgressAuto || o.Progress > ProgressStderr:
		return fmt.Errorf("cwnb: progress mode %v is unknown; use ProgressAuto, ProgressOff or ProgressStderr", o.Progress)
	}
	return nil
}

// defaults fills in the zero fields.
func (o *Options) defaults() {
	if o.RateLimit == 0 {
		o.RateLimit = DefaultRateLimit
	}
	if o.MaxAttempts == 0 {
		o.MaxAttempts = DefaultMaxAttempts
	}
	if o.Concurrency == 0 {
		o.Concurrency = defaultConcurrency
	}
	if o.CallTimeout == 0 {
		o.CallTimeout = DefaultCallTimeout
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Stderr == nil {
		o.Stderr = os.Stderr
	}
}
