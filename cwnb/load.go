package cwnb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/smithy-go"
	"golang.org/x/sync/errgroup"
	"golang.org/x/time/rate"

	"github.com/cwnb/cwnb/cwnb/internal/parallel"
	"github.com/cwnb/cwnb/cwnb/internal/sdkhttp"
)

// API is the part of the CloudWatch client that cwnb uses. *cloudwatch.Client implements it.
type API interface {
	GetMetricData(ctx context.Context, in *cloudwatch.GetMetricDataInput, optFns ...func(*cloudwatch.Options)) (*cloudwatch.GetMetricDataOutput, error)
	ListMetrics(ctx context.Context, in *cloudwatch.ListMetricsInput, optFns ...func(*cloudwatch.Options)) (*cloudwatch.ListMetricsOutput, error)
}

var _ API = (*cloudwatch.Client)(nil)

// DefaultRateLimit is the default client-side limit on CloudWatch requests per second, half of
// GetMetricData's 50 TPS quota so that a notebook leaves room for dashboards and alarms.
const DefaultRateLimit = 25

// insightsRateLimit bounds calls holding a Metrics Insights query (quota: 10 TPS).
const insightsRateLimit = 5

// DefaultMaxAttempts is how many times the SDK tries a throttled or failed request.
const DefaultMaxAttempts = 8

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
	// CacheDir is the cache directory; "" means DefaultCacheDir() ($CWNB_CACHE, $GONB_DIR/.cwnb,
	// ./.cwnb).
	CacheDir string
	// NoCache disables the cache: every load is fetched and nothing is written.
	NoCache bool
	// Offline serves loads only from the cache and fails on a miss with an *OfflineError. It is
	// also turned on by the environment variable CWNB_OFFLINE=1.
	Offline bool
	// RateLimit is the most CloudWatch requests per second this loader sends; 0 means
	// DefaultRateLimit. Calls holding a Metrics Insights query are further held to 5 per second.
	RateLimit float64
	// MaxAttempts is how many times the SDK tries a request that was throttled or failed
	// transiently (with jittered exponential backoff); 0 means DefaultMaxAttempts. It applies to
	// clients the loader makes, not to one from NewClient.
	MaxAttempts int
	// Concurrency is how many calls may be in flight at once; 0 means 4.
	Concurrency int
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

// WithRateLimit sets Options.RateLimit, in requests per second.
func WithRateLimit(perSecond float64) func(*Options) {
	return func(o *Options) { o.RateLimit = perSecond }
}

// WithClient makes the loader use c in every region (for tests and custom clients).
func WithClient(c API) func(*Options) {
	return func(o *Options) {
		o.NewClient = func(context.Context, string) (API, error) { return c, nil }
	}
}

// Loader loads queries, through its cache, with a rate limiter shared by its calls. It is safe for
// concurrent use.
type Loader struct {
	opts    Options
	cache   *Cache
	limiter *rate.Limiter
	sqlLim  *rate.Limiter

	mu      sync.Mutex
	clients map[string]API
	region  string
}

// New returns a Loader. It makes no network call: clients are made on the first load that needs one.
func New(optFns ...func(*Options)) (*Loader, error) {
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}
	if os.Getenv("CWNB_OFFLINE") == "1" || strings.EqualFold(os.Getenv("CWNB_OFFLINE"), "true") {
		o.Offline = true
	}
	if o.RateLimit < 0 || math.IsNaN(o.RateLimit) {
		return nil, fmt.Errorf("cwnb: rate limit %v is not positive; use 0 for the default %d per second", o.RateLimit, DefaultRateLimit)
	}
	if o.RateLimit == 0 {
		o.RateLimit = DefaultRateLimit
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = DefaultMaxAttempts
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.Now == nil {
		o.Now = time.Now
		if s := os.Getenv("CWNB_NOW"); s != "" {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				return nil, fmt.Errorf("cwnb: CWNB_NOW=%q is not an RFC 3339 time; write it like 2026-11-20T00:00:00Z, or unset it", s)
			}
			o.Now = func() time.Time { return t }
		}
	}
	if o.Stderr == nil {
		o.Stderr = os.Stderr
	}
	burst := int(math.Max(1, math.Ceil(o.RateLimit)))
	return &Loader{
		opts:    o,
		cache:   NewCache(o.CacheDir),
		limiter: rate.NewLimiter(rate.Limit(o.RateLimit), burst),
		sqlLim:  rate.NewLimiter(rate.Limit(math.Min(o.RateLimit, insightsRateLimit)), 1),
		clients: map[string]API{},
	}, nil
}

// Cache returns the loader's cache.
func (l *Loader) Cache() *Cache { return l.cache }

// Load loads q with a new Loader configured by optFns. See Loader.Load.
func Load(ctx context.Context, q Query, optFns ...func(*Options)) (*Result, error) {
	l, err := New(optFns...)
	if err != nil {
		return nil, err
	}
	return l.Load(ctx, q)
}

// MustLoad is Load for a notebook cell: it panics with the error, which GoNB prints under the cell.
func MustLoad(q Query, optFns ...func(*Options)) *Result {
	r, err := Load(context.Background(), q, optFns...)
	if err != nil {
		panic("cwnb: " + err.Error())
	}
	return r
}

// errTooOld marks a window older than CloudWatch's longest retention.
var errTooOld = errors.New("older than retention")

// ErrOffline is wrapped by the error of an offline load that the cache cannot answer.
var ErrOffline = errors.New("offline and not in the cache")

// OfflineError lists what an offline load missed in the cache. It wraps ErrOffline.
type OfflineError struct {
	Dir     string
	Missing []string // "us-east-1 Latency p99 2026-11-19T00:00:00Z/2026-11-20T00:00:00Z"
}

// Error lists up to five missing queries and says how to fill the cache.
func (e *OfflineError) Error() string {
	const show = 5
	m := e.Missing
	more := ""
	if len(m) > show {
		more = fmt.Sprintf(" and %d more", len(m)-show)
		m = m[:show]
	}
	return fmt.Sprintf("offline (CWNB_OFFLINE or Options.Offline) and the cache %s lacks %s%s; load once online with the same query and window, or point CWNB_CACHE at a cache that has it",
		e.Dir, strings.Join(m, "; "), more)
}

// Unwrap returns ErrOffline.
func (e *OfflineError) Unwrap() error { return ErrOffline }

func (l *Loader) defaultRegion(ctx context.Context) (string, error) {
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

func (l *Loader) client(ctx context.Context, region string) (API, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if c, ok := l.clients[region]; ok {
		return c, nil
	}
	var c API
	if l.opts.NewClient != nil {
		var err error
		c, err = l.opts.NewClient(ctx, region)
		if err != nil {
			return nil, fmt.Errorf("client for %s: %w", region, err)
		}
	} else {
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
			return nil, fmt.Errorf("AWS configuration (profile %q): %w; check ~/.aws/config or set AWS_PROFILE", l.opts.Profile, err)
		}
		c = cloudwatch.NewFromConfig(cfg, func(o *cloudwatch.Options) {
			// The SDK's transport as configured, minus a client-side race that drops keep-alive
			// connections to fast servers (see sdkhttp.Transport).
			o.HTTPClient = sdkhttp.Wrap(o.HTTPClient)
			if l.opts.Endpoint != "" {
				o.BaseEndpoint = aws.String(l.opts.Endpoint)
			}
		})
	}
	l.clients[region] = c
	return c, nil
}

// endpointURL is the endpoint the loader talks to in region, "" for AWS's own.
func (l *Loader) endpointURL(c API) string {
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

// regionUnit is one visible query in one region.
type regionUnit struct {
	region string
	u      *unit
	key    cacheKey
	cached *entry // nil when there was nothing
	fetch  map[[2]int64]*fetched
	miss   [][2]int64
}

// fetched is what calls returned for one query over one interval.
type fetched struct {
	series   []*seriesData
	byLabel  map[string]*seriesData
	status   string
	messages []Message
	complete bool
}

func (f *fetched) add(label string, ts []time.Time, vs []float64) {
	s := f.byLabel[label]
	if s == nil {
		s = &seriesData{label: label}
		f.byLabel[label] = s
		f.series = append(f.series, s)
	}
	for i, t := range ts {
		if i >= len(vs) {
			break
		}
		s.times = append(s.times, t.Unix())
		s.values = append(s.values, vs[i])
	}
}

// job is one GetMetricData call, possibly paginated.
type job struct {
	region   string
	from, to int64
	units    []*unit
	ret      map[*unit]bool
	hasSQL   bool
}

// prepared is a load resolved against the clock and the cache: its queries with their periods,
// the aligned window, and what the cache holds.
type prepared struct {
	res      *Result
	us       []*unit
	byID     map[string]*unit
	rus      []*regionUnit
	clients  map[string]API
	start    time.Time
	end      time.Time
	adjusted bool // retention changed a period (coarsened it, or raised the automatic one)
}

// prepare validates q, resolves periods and the window, and looks the queries up in the cache.
// With young, periods are resolved as if the data were new (no retention adjustment): a window
// loaded when it was recent is then found in the cache at the period it was loaded at.
func (l *Loader) prepare(ctx context.Context, q Query, now time.Time, young bool) (*prepared, error) {
	us, err := q.units()
	if err != nil {
		return nil, err
	}
	defaultLabels(us)
	res := &Result{Query: q, Title: q.Title, loader: l}
	adjusted := false

	// Window and periods.
	start, end, err := q.Window.resolve(now)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	age := now.Sub(start)
	if _, ok := Retention(age); !ok && !young {
		return nil, fmt.Errorf("%w: %w: window starts %s, more than 455 days ago: CloudWatch keeps nothing that old; move the window (or load from a cache that holds it)",
			ErrInvalid, errTooOld, start.Format(time.RFC3339))
	}
	for _, u := range us {
		if u.kind == kindSQL && age > 14*24*time.Hour && !young {
			return nil, invalidf("expression %s is a Metrics Insights query, which reads only the last 2 weeks, and the window starts %s ago; move the window or use SEARCH", u.id, fmtDur(age.Round(time.Hour)))
		}
	}
	if young {
		age = 0
	}
	qp := q.Period
	if qp == 0 {
		qp = AutoPeriod(end.Sub(start), age)
		adjusted = adjusted || qp != AutoPeriod(end.Sub(start), 0)
		res.PeriodAuto = true
		res.Notes = append(res.Notes, warnf(ErrAutoPeriod, "period %s chosen automatically for a %s window starting %s ago (set Query.Period to choose)",
			fmtDur(qp), fmtDur(end.Sub(start).Round(time.Second)), fmtDur(age.Round(time.Minute))))
	}
	byID := map[string]*unit{}
	for _, u := range us {
		byID[u.id] = u
	}
	setPeriod := func(u *unit, p time.Duration) error {
		cp, changed := coarsen(p, age)
		if changed {
			adjusted = true
			if l.opts.StrictPeriod {
				return invalidf("%s: period %s is finer than CloudWatch keeps for data %s old (it keeps %s there); use %s or a later window",
					u.id, fmtDur(p), fmtDur(age.Round(time.Hour)), fmtDur(cp), fmtDur(cp))
			}
			res.Warnings = append(res.Warnings, warnf(ErrCoarsePeriod, "%s: period %s is finer than CloudWatch keeps for data %s old; loaded at %s instead",
				u.id, fmtDur(p), fmtDur(age.Round(time.Hour)), fmtDur(cp)))
		}
		u.period = cp
		return nil
	}
	for _, u := range us {
		if u.kind == kindMath {
			continue
		}
		p := u.period
		if p == 0 {
			p = qp
		}
		if err := setPeriod(u, p); err != nil {
			return nil, err
		}
	}
	var mathPeriod func(u *unit) time.Duration
	mathPeriod = func(u *unit) time.Duration {
		if u.kind != kindMath || u.period != 0 {
			return u.period
		}
		p := time.Duration(0)
		for _, r := range u.refs {
			p = max(p, mathPeriod(byID[r]))
		}
		if p == 0 {
			p = qp
		}
		u.period = p
		return p
	}
	for _, u := range us {
		if u.kind == kindMath {
			explicit := u.period
			u.period = 0
			if explicit != 0 {
				if err := setPeriod(u, explicit); err != nil {
					return nil, err
				}
			} else {
				mathPeriod(u)
			}
		}
	}
	grid, coarse := us[0].period, us[0].period
	for _, u := range us {
		grid = min(grid, u.period)
		coarse = max(coarse, u.period)
	}
	for _, u := range us {
		if u.period%grid != 0 {
			return nil, invalidf("%s has period %s, not a multiple of %s, the finest period of this load; give all queries periods that are multiples of each other", u.id, fmtDur(u.period), fmtDur(grid))
		}
	}
	start, end = alignDown(start, coarse), alignDown(end, coarse)
	if !end.After(start) {
		return nil, invalidf("window %s holds no complete %s period; widen it or use a shorter period", q.Window, fmtDur(coarse))
	}
	if n := int64(end.Sub(start) / grid); n > 10_000_000 {
		return nil, invalidf("window %s at %s is %d periods per series; use a longer period", q.Window, fmtDur(grid), n)
	}
	res.Period, res.Start, res.End = grid, start, end

	// Regions.
	regions := q.Regions
	if len(regions) == 0 {
		r, err := l.defaultRegion(ctx)
		if err != nil {
			return nil, err
		}
		regions = []string{r}
	}
	seenRegion := map[string]bool{}
	for _, r := range regions {
		if strings.TrimSpace(r) == "" {
			return nil, invalidf("region %q is empty; use a name such as us-east-1", r)
		}
		if seenRegion[r] {
			return nil, invalidf("region %s is listed twice", r)
		}
		seenRegion[r] = true
	}
	res.Regions = regions

	// Cache lookup.
	clients := map[string]API{}
	var rus []*regionUnit
	for _, region := range regions {
		epURL := l.opts.Endpoint
		if !l.opts.Offline {
			c, err := l.client(ctx, region)
			if err != nil {
				return nil, err
			}
			clients[region] = c
			epURL = l.endpointURL(c)
		} else if epURL == "" {
			epURL = l.endpointURL(nil)
		}
		ep := endpointName(epURL)
		res.Endpoint = ep
		var regionRUs []*regionUnit
		for _, u := range us {
			if !u.hidden {
				regionRUs = append(regionRUs, &regionUnit{region: region, u: u, key: l.keyFor(ep, region, u, byID), fetch: map[[2]int64]*fetched{}})
			}
		}
		// Read the files on every core: decoding is CPU work and a load may hold thousands of queries.
		type readResult struct {
			f    *cacheFile
			from string
			err  error
		}
		var paths []string
		byPath := map[string]*readResult{}
		for _, ru := range regionRUs {
			if _, ok := byPath[ru.key.path()]; !ok {
				byPath[ru.key.path()] = &readResult{}
				paths = append(paths, ru.key.path())
			}
		}
		if !l.opts.NoCache {
			first := map[string]cacheKey{}
			for _, ru := range regionRUs {
				if _, ok := first[ru.key.path()]; !ok {
					first[ru.key.path()] = ru.key
				}
			}
			parallel.For(len(paths), func(i int) {
				rd := byPath[paths[i]]
				rd.f, rd.from, rd.err = l.cache.readFile(first[paths[i]], l.opts.Offline)
			})
		}
		for _, p := range paths {
			if rd := byPath[p]; rd.err != nil {
				res.Warnings = append(res.Warnings, warnf(ErrCorrupt, "cache file %s is unreadable (%v); fetched again", p, rd.err))
				res.Cache.Corrupt++
			}
		}
		for _, ru := range regionRUs {
			if rd := byPath[ru.key.path()]; rd.f != nil {
				ru.cached = rd.f.get(ru.key.key)
				if ru.cached != nil && rd.from != ep {
					res.Notes = append(res.Notes, warnf(ErrEndpoint, "offline: served from the cache recorded against endpoint %q", rd.from))
				}
			}
			var covered [][2]int64
			if ru.cached != nil {
				covered = ru.cached.covered
			}
			ru.miss = missing(covered, start.Unix(), end.Unix())
			if len(ru.miss) == 0 {
				res.Cache.Hits++
			} else {
				res.Cache.Misses++
			}
			rus = append(rus, ru)
		}
	}
	return &prepared{res: res, us: us, byID: byID, rus: rus, clients: clients, start: start, end: end, adjusted: adjusted}, nil
}

// Load validates q, answers what it can from the cache, fetches the rest with the fewest
// GetMetricData calls, stores complete periods in the cache and returns the result.
func (l *Loader) Load(ctx context.Context, q Query) (*Result, error) {
	began := time.Now()
	now := l.opts.Now().UTC()
	p, err := l.prepare(ctx, q, now, false)
	if (errors.Is(err, errTooOld) || err == nil && p.adjusted) && !l.opts.NoCache {
		// The window has aged past the retention of the period it may have been loaded at: if
		// the cache holds it at that period, use it (a committed notebook re-renders unchanged).
		if y, yerr := l.prepare(ctx, q, now, true); yerr == nil && y.res.Cache.Misses == 0 && y.res.Cache.Corrupt == 0 {
			y.res.Notes = append(y.res.Notes, warnf(ErrCacheNote, "served from the cache at period %s; CloudWatch now keeps only coarser periods for data this old", fmtDur(y.res.Period)))
			p, err = y, nil
		}
	}
	if err != nil {
		return nil, err
	}
	res, us, rus, clients := p.res, p.us, p.rus, p.clients
	final := now.Add(-q.Window.delay())

	// What to fetch: visible queries grouped by region and missing interval.
	type groupKey struct {
		region string
		iv     [2]int64
	}
	need := map[groupKey][]*unit{}
	var order []groupKey
	var offMiss []string
	for _, ru := range rus {
		for _, iv := range ru.miss {
			k := groupKey{ru.region, iv}
			if _, ok := need[k]; !ok {
				order = append(order, k)
			}
			need[k] = append(need[k], ru.u)
			if l.opts.Offline {
				offMiss = append(offMiss, fmt.Sprintf("%s %s %s", ru.region, ru.u.describe(), Between(time.Unix(iv[0], 0), time.Unix(iv[1], 0))))
			}
		}
	}
	if len(offMiss) > 0 {
		return nil, &OfflineError{Dir: l.cache.Dir(), Missing: offMiss}
	}
	var jobs []*job
	for _, k := range order {
		batches, err := planBatches(us, need[k], MaxQueriesPerCall)
		if err != nil {
			return nil, err
		}
		wanted := map[*unit]bool{}
		for _, u := range need[k] {
			wanted[u] = true
		}
		for _, b := range batches {
			j := &job{region: k.region, from: k.iv[0], to: k.iv[1], units: b, ret: map[*unit]bool{}}
			for _, u := range b {
				j.ret[u] = wanted[u] && !u.hidden
				if u.kind == kindSQL {
					j.hasSQL = true
				}
			}
			jobs = append(jobs, j)
		}
	}

	// Fetch.
	if len(jobs) > 0 {
		prog := newProgress(l.opts, len(jobs))
		var mu sync.Mutex
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(l.opts.Concurrency)
		results := make([]map[string]*fetched, len(jobs))
		for i, j := range jobs {
			g.Go(func() error {
				out, calls, metrics, msgs, err := l.run(gctx, clients[j.region], j, prog)
				mu.Lock()
				defer mu.Unlock()
				res.Calls += calls
				res.MetricsRequested += metrics
				res.Messages = append(res.Messages, msgs...)
				results[i] = out
				return err
			})
		}
		err := g.Wait()
		prog.done(res.Calls)
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("load cancelled after %d calls: %w", res.Calls, ctx.Err())
			}
			return nil, err
		}
		type ruKey struct {
			region string
			u      *unit
		}
		byRU := make(map[ruKey]*regionUnit, len(rus))
		for _, ru := range rus {
			byRU[ruKey{ru.region, ru.u}] = ru
		}
		for i, j := range jobs {
			for _, u := range j.units {
				if !j.ret[u] {
					continue
				}
				f := results[i][u.id]
				if f == nil {
					// CloudWatch answers every query, with empty data if need be.
					f = &fetched{byLabel: map[string]*seriesData{}, status: "Complete", complete: true}
				}
				byRU[ruKey{j.region, u}].fetch[[2]int64{j.from, j.to}] = f
			}
		}
	}
	res.Cost = float64(res.MetricsRequested) * CostPerMetric

	// Store and assemble.
	if !l.opts.NoCache {
		groups := map[string][]*regionUnit{}
		var paths []string
		for _, ru := range rus {
			if len(ru.fetch) == 0 {
				continue
			}
			p := ru.key.path()
			if _, ok := groups[p]; !ok {
				paths = append(paths, p)
			}
			groups[p] = append(groups[p], ru)
		}
		warns := make([]Warnings, len(paths))
		parallel.For(len(paths), func(i int) { warns[i] = l.store(groups[paths[i]], final) })
		for _, w := range warns {
			res.Warnings = append(res.Warnings, w...)
		}
	}
	res.assemble(rus, len(res.Regions) > 1)
	res.Elapsed = time.Since(began)
	return res, nil
}

// CostPerMetric is what CloudWatch charges per metric requested by GetMetricData (us-east-1):
// $0.01 per 1,000 metrics, never in the free tier.
const CostPerMetric = 0.01 / 1000

// run performs one job: a GetMetricData call and its NextToken pages.
func (l *Loader) run(ctx context.Context, c API, j *job, prog *progress) (out map[string]*fetched, calls, metrics int, msgs []Message, err error) {
	in := &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(time.Unix(j.from, 0).UTC()),
		EndTime:   aws.Time(time.Unix(j.to, 0).UTC()),
		ScanBy:    types.ScanByTimestampAscending,
	}
	for _, u := range j.units {
		in.MetricDataQueries = append(in.MetricDataQueries, u.query(j.ret[u]))
		if u.kind == kindMetric {
			metrics++
		}
	}
	out = map[string]*fetched{}
	searchSeries := map[string]bool{}
	for {
		if err := l.limiter.Wait(ctx); err != nil {
			return out, calls, metrics, msgs, err
		}
		if j.hasSQL {
			if err := l.sqlLim.Wait(ctx); err != nil {
				return out, calls, metrics, msgs, err
			}
		}
		resp, err := c.GetMetricData(ctx, in)
		calls++
		prog.step()
		if err != nil {
			return out, calls, metrics, msgs, callError(j, err)
		}
		for _, m := range resp.Messages {
			msgs = append(msgs, Message{Region: j.region, Code: aws.ToString(m.Code), Value: aws.ToString(m.Value)})
		}
		for _, r := range resp.MetricDataResults {
			id := aws.ToString(r.Id)
			f := out[id]
			if f == nil {
				f = &fetched{byLabel: map[string]*seriesData{}}
				out[id] = f
			}
			label := aws.ToString(r.Label)
			f.add(label, r.Timestamps, r.Values)
			f.status = string(r.StatusCode)
			for _, m := range r.Messages {
				msg := Message{Region: j.region, ID: id, Code: aws.ToString(m.Code), Value: aws.ToString(m.Value)}
				if !containsMsg(f.messages, msg) {
					f.messages = append(f.messages, msg)
				}
			}
			if u := j.find(id); u != nil && (u.kind == kindSearch || u.kind == kindSQL) && !searchSeries[id+"\x00"+label] {
				searchSeries[id+"\x00"+label] = true
				metrics++
			}
		}
		if resp.NextToken == nil || *resp.NextToken == "" {
			break
		}
		in.NextToken = resp.NextToken
	}
	for _, f := range out {
		f.complete = f.status == string(types.StatusCodeComplete)
		for _, m := range f.messages {
			if truncating(m.Code) {
				f.complete = false
			}
		}
		for _, s := range f.series {
			sortSeries(s)
		}
	}
	return out, calls, metrics, msgs, nil
}

// truncating reports whether a per-query message code means the data was cut short
// (MaxMetricsExceeded, MaxQueryResultsExceeded, ...), so that it must not be cached as final.
// Informational codes such as MultipleUnits or ArithmeticError leave the data complete.
func truncating(code string) bool {
	return strings.Contains(code, "Exceeded") || strings.Contains(code, "Truncat") || strings.Contains(code, "Partial")
}

func (j *job) find(id string) *unit {
	for _, u := range j.units {
		if u.id == id {
			return u
		}
	}
	return nil
}

func containsMsg(ms []Message, m Message) bool {
	for _, x := range ms {
		if x == m {
			return true
		}
	}
	return false
}

func sortSeries(s *seriesData) {
	if sort.SliceIsSorted(s.times, func(a, b int) bool { return s.times[a] < s.times[b] }) {
		return
	}
	idx := make([]int, len(s.times))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return s.times[idx[a]] < s.times[idx[b]] })
	ts, vs := make([]int64, len(idx)), make([]float64, len(idx))
	for i, k := range idx {
		ts[i], vs[i] = s.times[k], s.values[k]
	}
	s.times, s.values = ts, vs
}

// CallError is the error of a GetMetricData call that failed after the SDK's retries.
type CallError struct {
	Region string
	IDs    []string // the query ids the call held
	Start  time.Time
	End    time.Time
	Err    error
}

// Error names the region, the queries and the window of the call, the AWS error, and a hint for
// throttling, access and parameter errors.
func (e *CallError) Error() string {
	ids := e.IDs
	more := ""
	if len(ids) > 4 {
		more = fmt.Sprintf(" and %d more", len(ids)-4)
		ids = ids[:4]
	}
	hint := ""
	var ae smithy.APIError
	if errors.As(e.Err, &ae) {
		switch ae.ErrorCode() {
		case "Throttling", "ThrottlingException", "LimitExceeded", "LimitExceededException":
			hint = "; CloudWatch is throttling: lower Options.RateLimit or raise Options.MaxAttempts"
		case "AccessDenied", "AccessDeniedException":
			hint = "; the credentials need cloudwatch:GetMetricData"
		case "ValidationError", "InvalidParameterValue", "InvalidParameterCombination", "MissingParameter", "MissingRequiredParameter":
			hint = "; CloudWatch rejected the query as written: check the names above"
		}
	}
	return fmt.Sprintf("GetMetricData in %s for %s%s over %s: %v%s", e.Region, strings.Join(ids, ", "), more,
		Between(e.Start, e.End), e.Err, hint)
}

// Unwrap returns the SDK error, for errors.As(err, &smithy.APIError).
func (e *CallError) Unwrap() error { return e.Err }

func callError(j *job, err error) error {
	ce := &CallError{Region: j.region, Start: time.Unix(j.from, 0).UTC(), End: time.Unix(j.to, 0).UTC(), Err: err}
	for _, u := range j.units {
		ce.IDs = append(ce.IDs, u.id)
	}
	return ce
}

// query builds the MetricDataQuery of u.
func (u *unit) query(ret bool) types.MetricDataQuery {
	q := types.MetricDataQuery{Id: aws.String(u.id), ReturnData: aws.Bool(ret)}
	if u.label != "" {
		q.Label = aws.String(u.label)
	}
	if u.acct != "" {
		q.AccountId = aws.String(u.acct)
	}
	switch u.kind {
	case kindMetric:
		m := u.metric
		cm := &types.Metric{Namespace: aws.String(m.Namespace), MetricName: aws.String(m.Name)}
		for _, n := range m.Dims.names() {
			cm.Dimensions = append(cm.Dimensions, types.Dimension{Name: aws.String(n), Value: aws.String(m.Dims[n])})
		}
		ms := &types.MetricStat{Metric: cm, Period: aws.Int32(int32(u.period / time.Second)), Stat: aws.String(u.stat)}
		if m.Unit != "" {
			ms.Unit = types.StandardUnit(m.Unit)
		}
		q.MetricStat = ms
	default:
		q.Expression = aws.String(u.expr)
		if u.kind == kindSearch || u.kind == kindSQL {
			q.Period = aws.Int32(int32(u.period / time.Second))
		}
	}
	return q
}

// describe names u for messages: "MyService/API Latency p99 {Service=checkout}" or "e1 = m1/m2".
func (u *unit) describe() string {
	if u.kind == kindMetric {
		s := u.metric.Namespace + " " + u.metric.Name + " " + u.stat
		if len(u.metric.Dims) > 0 {
			s += " {" + u.metric.Dims.String() + "}"
		}
		return s
	}
	return u.id + " = " + u.expr
}

// def is the canonical definition of u for cache keys.
func (u *unit) def() string {
	switch u.kind {
	case kindMetric:
		m := u.metric
		return fmt.Sprintf("metric|%q|%q|%q|%q|%q|%d|%q", m.Namespace, m.Name, m.Dims.String(), u.stat, m.Unit, u.period/time.Second, u.acct)
	}
	return fmt.Sprintf("%s|%q|%q|%q|%d|%q", u.kind, u.id, u.expr, u.label, u.period/time.Second, u.acct)
}

func (l *Loader) keyFor(endpoint, region string, u *unit, byID map[string]*unit) cacheKey {
	scope := fmt.Sprintf("cwnb-cache-v1\nregion=%q\naccount=%q\n", region, l.opts.Account)
	k := cacheKey{endpoint: endpoint, desc: u.describe(), period: u.period}
	if u.kind == kindMetric {
		// One file per namespace, metric, statistic and period; an entry per dimension set.
		m := u.metric
		k.fileKey = scope + fmt.Sprintf("metric|%q|%q|%q|%d", m.Namespace, m.Name, u.stat, u.period/time.Second)
		k.key = u.def()
		k.rel = fmt.Sprintf("%s/%s/%s.%s.%s.%s%s", safeName(region), safeName(m.Namespace), safeName(m.Name),
			statID(u.stat), fmtDur(u.period), shortHash(k.fileKey), cacheExt)
		return k
	}
	var b strings.Builder
	b.WriteString(scope + u.def() + "\n")
	var all []*unit
	for _, v := range byID {
		all = append(all, v)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].order < all[j].order })
	for _, r := range closure(all, []*unit{u}) {
		if r != u {
			fmt.Fprintf(&b, "ref %s\n", r.def())
		}
	}
	k.fileKey, k.key = b.String(), u.def()
	k.rel = fmt.Sprintf("%s/_expr/%s.%s.%s%s", safeName(region), u.id, fmtDur(u.period), shortHash(k.fileKey), cacheExt)
	return k
}

// store writes the complete periods just fetched for the queries of one cache file, merged with
// what the file holds now (another process may have written it meanwhile). It returns warnings.
func (l *Loader) store(group []*regionUnit, final time.Time) Warnings {
	k := group[0].key
	file, _, err := l.cache.readFile(k, false)
	if err != nil || file == nil {
		file = &cacheFile{fileKey: k.fileKey, period: int64(k.period / time.Second)}
	}
	var warns Warnings
	changed := false
	for _, ru := range group {
		// The period holding final is still open: periods starting before its start have ended.
		cut := alignDown(final, ru.u.period).Unix()
		e := &entry{key: ru.key.key, desc: ru.key.desc}
		if cur := file.get(ru.key.key); cur != nil {
			e = mergeEntries(e, cur)
		}
		if ru.cached != nil {
			e = mergeEntries(e, ru.cached)
		}
		added := false
		for iv, f := range ru.fetch {
			if !f.complete {
				warns = append(warns, warnf(ErrPartialData, "%s %s: status %s, not cached", ru.region, ru.u.id, f.status))
				continue
			}
			to := min(iv[1], cut)
			if to <= iv[0] {
				continue
			}
			part := &entry{covered: [][2]int64{{iv[0], to}}}
			for _, s := range f.series {
				ps := &seriesData{label: s.label}
				for i, t := range s.times {
					if t >= iv[0] && t < to {
						ps.times = append(ps.times, t)
						ps.values = append(ps.values, s.values[i])
					}
				}
				part.series = append(part.series, ps)
			}
			e = mergeEntries(e, part)
			added = true
		}
		if added {
			file.put(e)
			changed = true
		}
	}
	if changed {
		if err := l.cache.writeFile(k, file); err != nil {
			warns = append(warns, warnf(ErrCacheNote, "cache write failed (%v); the next load fetches again", err))
		}
	}
	return warns
}

// mergeEntries returns a ∪ b: covered ranges joined, and the points of b added to a's series
// (b wins where both hold a period).
func mergeEntries(a, b *entry) *entry {
	out := &entry{key: a.key, desc: a.desc, covered: append([][2]int64(nil), a.covered...)}
	for _, iv := range b.covered {
		out.covered = addInterval(out.covered, iv[0], iv[1])
	}
	idx := map[string]int{}
	for _, s := range a.series {
		idx[s.label] = len(out.series)
		out.series = append(out.series, s)
	}
	for _, s := range b.series {
		i, ok := idx[s.label]
		if !ok {
			idx[s.label] = len(out.series)
			out.series = append(out.series, s)
			continue
		}
		out.series[i] = mergeSeries(out.series[i], s)
	}
	return out
}

// mergeSeries merges two ascending series; b's value wins where both hold a timestamp.
func mergeSeries(a, b *seriesData) *seriesData {
	out := &seriesData{label: a.label, times: make([]int64, 0, len(a.times)+len(b.times)), values: make([]float64, 0, len(a.times)+len(b.times))}
	i, j := 0, 0
	for i < len(a.times) || j < len(b.times) {
		switch {
		case j >= len(b.times) || (i < len(a.times) && a.times[i] < b.times[j]):
			out.times, out.values = append(out.times, a.times[i]), append(out.values, a.values[i])
			i++
		case i >= len(a.times) || b.times[j] < a.times[i]:
			out.times, out.values = append(out.times, b.times[j]), append(out.values, b.values[j])
			j++
		default: // same timestamp
			out.times, out.values = append(out.times, b.times[j]), append(out.values, b.values[j])
			i++
			j++
		}
	}
	return out
}
