package cwnb

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"golang.org/x/time/rate"
)

// maxQueriesPerCall is CloudWatch's limit of queries in one GetMetricData call.
const maxQueriesPerCall = 500

// costPerMetric is what CloudWatch charges per metric requested by GetMetricData (us-east-1):
// $0.01 per 1,000 metrics, never in the free tier.
const costPerMetric = 0.01 / 1000

// Loader loads queries, through its cache, with a rate limiter shared by its calls. It is safe for
// concurrent use.
type loader struct {
	opts    Options
	cache   *diskCache
	limiter *rate.Limiter
	sqlLim  *rate.Limiter

	mu       sync.Mutex
	clients  map[string]api
	creds    map[string]aws.CredentialsProvider // of the clients the loader made, by region
	credsErr map[string]error                   // checkCredentials' verdict, by region
	region   string
}

// New returns a Loader configured by optFns, or an error naming an option whose value is wrong.
// It makes no network call: clients are made on the first load that needs one.
func newLoader(optFns ...func(*Options)) (*loader, error) {
	o, err := resolveOptions(optFns)
	if err != nil {
		return nil, err
	}
	burst := int(math.Max(1, math.Ceil(o.RateLimit)))
	return &loader{
		opts:     o,
		cache:    newDiskCache(o.CacheDir),
		limiter:  rate.NewLimiter(rate.Limit(o.RateLimit), burst),
		sqlLim:   rate.NewLimiter(rate.Limit(math.Min(o.RateLimit, insightsRateLimit)), 1),
		clients:  map[string]api{},
		creds:    map[string]aws.CredentialsProvider{},
		credsErr: map[string]error{},
	}, nil
}

// Cache returns the loader's cache.
func (l *loader) Cache() *diskCache { return l.cache }

// Load loads q with a new Loader configured by optFns. See Loader.Load.
func Load(ctx context.Context, q Query, optFns ...func(*Options)) (*Result, error) {
	l, err := newLoader(optFns...)
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

// ErrOffline is wrapped by the error of an offline load that the cache cannot answer.
var ErrOffline = errors.New("offline and not in the cache")

// offlineError lists what an offline load missed in the cache. It wraps ErrOffline.
type offlineError struct {
	Dir     string
	Missing []string // "us-east-1 Latency p99 2026-11-19T00:00:00Z/2026-11-20T00:00:00Z"
}

// Error lists up to five missing queries and says how to fill the cache.
func (e *offlineError) Error() string {
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
func (e *offlineError) Unwrap() error { return ErrOffline }

// Load validates q, answers what it can from the cache, fetches the rest with the fewest
// GetMetricData calls, stores complete periods in the cache and returns the result. Nothing is
// asked of CloudWatch for a query that cannot be answered: a window in the future or past
// retention, or a load too big for memory, is an error first. A load takes at most
// Options.Timeout, and each call at most Options.CallTimeout.
func (l *loader) Load(ctx context.Context, q Query) (*Result, error) {
	if l == nil {
		return nil, errors.New("cwnb: Load on a nil *Loader; make one with cwnb.New")
	}
	if ctx == nil {
		return nil, errors.New("cwnb: Load with a nil context; pass context.Background()")
	}
	began := time.Now()
	ctx, cancel := context.WithTimeoutCause(ctx, l.opts.Timeout, errorf([]error{ErrTimeout}, "the load took longer than its timeout of %v; raise Options.Timeout, or load fewer series or a shorter window", l.opts.Timeout))
	defer cancel()
	now := l.opts.Now().UTC()
	p, err := l.plan(ctx, q, now)
	if err != nil {
		return nil, err
	}
	jobs, err := l.jobs(p)
	if err != nil {
		return nil, err
	}
	res := p.res
	prog := newProgress(l.opts, len(jobs), res.Cache.Hits)
	if len(jobs) > 0 {
		if err := l.fetchAll(ctx, p, jobs, prog); err != nil {
			prog.done(float64(res.MetricsRequested)*costPerMetric, "")
			return nil, l.stopped(ctx, res, err)
		}
	}
	res.Cost = float64(res.MetricsRequested) * costPerMetric
	res.Warnings = append(res.Warnings, l.storeAll(p, now.Add(-q.Window.delay()))...)
	res.assemble(p.rus, len(res.Regions) > 1)
	l.warnEmpty(ctx, p)
	res.Elapsed = time.Since(began)
	prog.done(res.Cost, res.loadedLine())
	return res, nil
}

// plan prepares q; when the window has aged past the retention of the period it may have been
// loaded at, and the cache holds it at that period, it plans to serve it from there (a
// committed notebook re-renders unchanged).
func (l *loader) plan(ctx context.Context, q Query, now time.Time) (*prepared, error) {
	p, err := l.prepare(ctx, q, now, false)
	if (errors.Is(err, errTooOld) || err == nil && p.adjusted) && !l.opts.NoCache {
		if y, yerr := l.prepare(ctx, q, now, true); yerr == nil && y.res.Cache.Misses == 0 && y.res.Cache.Corrupt == 0 {
			y.res.Notes = append(y.res.Notes, warnf(errCacheNote, "served from the cache at period %s; CloudWatch now keeps only coarser periods for data this old", fmtDur(y.res.Period)))
			return y, nil
		}
	}
	return p, err
}

// stopped is the error of a load whose calls failed: the cause of a cancelled or timed-out
// context, or the calls' own error.
func (l *loader) stopped(ctx context.Context, res *Result, err error) error {
	if ctx.Err() == nil {
		return err
	}
	cause := context.Cause(ctx)
	if errors.Is(cause, ErrTimeout) {
		return fmt.Errorf("load stopped after %s: %w", plural(res.Calls, "call"), cause)
	}
	return fmt.Errorf("load cancelled after %s: %w", plural(res.Calls, "call"), ctx.Err())
}

// plural says "1 call", "2 calls".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
