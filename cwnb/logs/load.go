package logs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/cwnb/cwnb/cwnb/internal/cachedir"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/cwnb/cwnb/cwnb"
	"github.com/cwnb/cwnb/cwnb/insights"
	"github.com/cwnb/cwnb/cwnb/internal/sdkhttp"
)

// API is the part of the CloudWatch Logs client the loader uses.
type API interface {
	StartQuery(ctx context.Context, in *cloudwatchlogs.StartQueryInput, optFns ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.StartQueryOutput, error)
	GetQueryResults(ctx context.Context, in *cloudwatchlogs.GetQueryResultsInput, optFns ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.GetQueryResultsOutput, error)
	StopQuery(ctx context.Context, in *cloudwatchlogs.StopQueryInput, optFns ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.StopQueryOutput, error)
}

var _ API = (*cloudwatchlogs.Client)(nil)

// Query is a Logs Insights query over log groups and a time window.
type Query struct {
	Title  string
	Groups []string  // log group names (at most 50)
	Query  string    // Logs Insights QL
	Start  time.Time // inclusive
	End    time.Time // exclusive; the service's window has whole seconds: [Start, End-1s] inclusive
}

// Window returns q over [start, start+d): start is RFC 3339, d a Go duration ("24h").
func (q Query) Window(start, d string) Query {
	t, err := time.Parse(time.RFC3339, start)
	if err != nil {
		panic(fmt.Sprintf("cwnb: logs window start %q is not RFC 3339, e.g. 2026-11-19T00:00:00Z", start))
	}
	dur, err := time.ParseDuration(d)
	if err != nil || dur <= 0 {
		panic(fmt.Sprintf("cwnb: logs window length %q is not a positive Go duration such as 24h", d))
	}
	q.Start, q.End = t.UTC(), t.UTC().Add(dur)
	return q
}

// Options configure Load. The zero value is the documented default of every field.
type Options struct {
	// Client is the CloudWatch Logs client; nil: one from the SDK's default configuration (the
	// endpoint from AWS_ENDPOINT_URL_CLOUDWATCH_LOGS when set).
	Client API
	// CacheDir holds complete windows' results; "" is the cwnb cache directory ($CWNB_CACHE, else .cwnb next to the notebook) + /logs; "-" turns
	// the cache off.
	CacheDir string
	// MaxRows is the most rows one query is asked for (StartQuery limit) before the loader
	// splits its window; 0 is 100,000, the service's maximum.
	MaxRows int
	// Poll is the first wait between GetQueryResults polls, doubling up to 2 s; 0 is 100 ms.
	Poll time.Duration
	// Timeout bounds one query's run; the loader then stops it. 0 is 15 minutes.
	Timeout time.Duration
	// Progress receives one line per finished query; nil: none. (In a GoNB notebook a running
	// query also shows its state in the cell, cleared when the load ends.)
	Progress io.Writer
	// Now is the clock that decides whether a window is complete (cacheable); zero: CWNB_NOW if
	// set, else the wall clock.
	Now time.Time
	// Offline answers only from the cache (also CWNB_OFFLINE=1), from entries recorded against
	// any endpoint; a miss is an error wrapping cwnb.ErrOffline.
	Offline bool
}

// Option adjusts Options.
type Option func(*Options)

// WithClient sets Options.Client.
func WithClient(c API) Option { return func(o *Options) { o.Client = c } }

// WithCacheDir sets Options.CacheDir ("-": no cache).
func WithCacheDir(dir string) Option { return func(o *Options) { o.CacheDir = dir } }

// WithMaxRows sets Options.MaxRows.
func WithMaxRows(n int) Option { return func(o *Options) { o.MaxRows = n } }

// WithProgress sets Options.Progress.
func WithProgress(w io.Writer) Option { return func(o *Options) { o.Progress = w } }

// CostPerGB is the Logs Insights price per GB scanned (us-east-1).
const CostPerGB = 0.005

// ErrTooManyRows reports a query whose answer is larger than one query may return and that
// cannot be split by time without changing its answer.
var ErrTooManyRows = errors.New("too many rows for one query")

// credentialsTimeout bounds the look-up of credentials (an EC2 metadata endpoint that does not
// answer would otherwise hold a load for a minute).
const credentialsTimeout = 5 * time.Second

// ErrQueryFailed reports a query that ended Failed, Cancelled, Timeout or Unknown.
var ErrQueryFailed = errors.New("logs insights query did not complete")

// Load runs q and returns its rows as a typed frame. A result larger than MaxRows is split by
// time and merged when the query allows it (Shape.Splittable); otherwise the error wraps
// ErrTooManyRows and says how to narrow the query. Complete windows are cached.
func Load(ctx context.Context, q Query, opts ...Option) (*Result, error) {
	var o Options
	for _, f := range opts {
		f(&o)
	}
	if strings.TrimSpace(q.Query) == "" {
		return nil, fmt.Errorf("logs query: Query.Query is empty; write a Logs Insights query, e.g. fields @timestamp, @message | limit 20")
	}
	if len(q.Groups) == 0 || len(q.Groups) > 50 {
		return nil, fmt.Errorf("logs query: %d log groups; name 1 to 50 in Query.Groups", len(q.Groups))
	}
	if q.Start.IsZero() || !q.End.After(q.Start.Add(time.Second-1)) {
		return nil, fmt.Errorf("logs query: window %s to %s is empty; set Start before End (at least one second)", q.Start.Format(time.RFC3339), q.End.Format(time.RFC3339))
	}
	q.Start, q.End = q.Start.UTC().Truncate(time.Second), q.End.UTC().Truncate(time.Second)
	if o.MaxRows <= 0 || o.MaxRows > 100000 {
		o.MaxRows = 100000
	}
	if o.Poll <= 0 {
		o.Poll = 100 * time.Millisecond
	}
	if o.Timeout <= 0 {
		o.Timeout = 15 * time.Minute
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
		if s := os.Getenv("CWNB_NOW"); s != "" {
			if t, err := time.Parse(time.RFC3339, s); err == nil {
				now = t
			} else {
				return nil, fmt.Errorf("logs: CWNB_NOW=%q is not an RFC 3339 time; write it like 2026-11-20T00:00:00Z, or unset it", s)
			}
		}
	}
	start := time.Now()
	res := &Result{Title: q.Title, Query: q}
	// The shape (group keys, bins, whether a split is safe) comes from parsing the query with
	// the local engine. A query outside its subset still goes to the service, which judges it;
	// its rows are then typed but neither gridded nor split.
	var shape insights.Shape
	parsed, err := insights.Parse(q.Query)
	if err == nil {
		shape = parsed.Shape()
	} else {
		shape = insights.Shape{Sorted: true}
		res.Warnings = append(res.Warnings, cwnb.Warning{Kind: cwnb.ErrPartialData,
			Text: "cwnb does not know the shape of this query (" + err.Error() + "): its rows are not put on a time grid, and a result of MaxRows rows is an error instead of being split"})
	}
	res.Shape = shape
	progress := newProgress(o.Progress)
	defer progress.done()
	c := openCache(o.CacheDir)
	key := cacheKey(endpointName(), q, o.MaxRows)
	// a window that ended 5 minutes ago is complete: late events are rare after that
	complete := !q.End.After(now.Add(-5 * time.Minute))
	offline := o.Offline || os.Getenv("CWNB_OFFLINE") == "1" || strings.EqualFold(os.Getenv("CWNB_OFFLINE"), "true")
	var raw *rawResult
	if c != nil && (complete || offline) {
		raw = c.get(key)
		if raw == nil && offline {
			raw = c.getAnyEndpoint(key)
		}
		if raw != nil {
			res.Cached = true
		}
	}
	if raw == nil && offline {
		return nil, fmt.Errorf("logs: offline (CWNB_OFFLINE or Options.Offline) and the cache has no result for %q over %s/%s: %w; load once online with the same query and window, or point CWNB_CACHE at a cache that has it",
			q.Query, q.Start.Format(time.RFC3339), q.End.Format(time.RFC3339), cwnb.ErrOffline)
	}
	if raw == nil {
		if o.Client == nil {
			cl, err := defaultClient(ctx)
			if err != nil {
				return nil, err
			}
			o.Client = cl
		}
		f := &fetcher{o: o, q: q, parsed: parsed, shape: shape, progress: progress}
		raw = &rawResult{}
		err := f.fetch(ctx, q.Start.Unix(), q.End.Unix()-1, raw)
		if err != nil {
			return nil, err
		}
		if c != nil && complete {
			if err := c.put(key, raw); err != nil {
				res.Warnings = append(res.Warnings, cwnb.Warning{Kind: cachedir.ErrNote, Text: "could not cache the result: " + err.Error()})
			}
		}
	}
	res.Queries, res.Splits = raw.Queries, raw.Splits
	res.RecordsMatched, res.RecordsScanned, res.BytesScanned = raw.Matched, raw.Scanned, raw.Bytes
	res.Cost = raw.Bytes / 1e9 * CostPerGB
	res.build(raw.Rows)
	if w, ok := nothingMatched(q, raw); ok {
		res.Warnings = append(res.Warnings, w)
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// nothingMatched says, for a query that matched no event, where it looked and what to check:
// an empty result is never shown without a word.
func nothingMatched(q Query, raw *rawResult) (cwnb.Warning, bool) {
	if raw.Matched > 0 || len(raw.Rows) > 0 {
		return cwnb.Warning{}, false
	}
	where := fmt.Sprintf("%s from %s to %s", strings.Join(q.Groups, ", "), q.Start.UTC().Format(time.RFC3339), q.End.UTC().Format(time.RFC3339))
	if raw.Scanned == 0 {
		return cwnb.Warning{Kind: cwnb.ErrNoMatch, Text: "no log events in " + where + "; check the log groups and the window"}, true
	}
	return cwnb.Warning{Kind: cwnb.ErrNoMatch, Text: fmt.Sprintf("the query matched none of the %.0f events in %s; check the filter's values and the field names (they are case-sensitive)", raw.Scanned, where)}, true
}

// MustLoad is Load with a background context that panics on error, for notebook cells.
func MustLoad(q Query, opts ...Option) *Result {
	r, err := Load(context.Background(), q, opts...)
	if err != nil {
		panic(err)
	}
	return r
}

func endpointName() string {
	if u := os.Getenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"); u != "" {
		if strings.Contains(u, "127.0.0.1") || strings.Contains(u, "localhost") {
			return "local"
		}
		return u
	}
	return "aws"
}

// defaultClient makes the SDK client from the shared configuration, once its credentials are
// found: a missing or expired login is one short error before any call.
func defaultClient(ctx context.Context) (*cloudwatchlogs.Client, error) {
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRetryer(retryer))
	if err != nil {
		return nil, fmt.Errorf("logs: AWS configuration: %w; check AWS_PROFILE and ~/.aws/config", err)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Credentials == nil {
		return nil, credentialsError(errors.New("no credential provider"))
	}
	cctx, cancel := context.WithTimeout(ctx, credentialsTimeout)
	defer cancel()
	if _, err := cfg.Credentials.Retrieve(cctx); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, credentialsError(err)
	}
	cfg.HTTPClient = sdkhttp.Wrap(cfg.HTTPClient)
	return cloudwatchlogs.NewFromConfig(cfg), nil
}

// rawResult is what the queries returned: rows of (field, value) pairs, and their statistics.
type rawResult struct {
	Rows                    [][][2]string `json:"rows"`
	Matched, Scanned, Bytes float64
	Queries, Splits         int
}

type fetcher struct {
	o        Options
	q        Query
	parsed   *insights.Query // nil when the local engine cannot parse q
	shape    insights.Shape
	progress *progress
}

// fetch runs the query over [lo, hi] (epoch seconds, both inclusive), splitting the window in
// two when the answer may be truncated and the query allows it.
func (f *fetcher) fetch(ctx context.Context, lo, hi int64, out *rawResult) error {
	rows, err := f.run(ctx, lo, hi, out)
	if err != nil {
		return err
	}
	if len(rows) < f.o.MaxRows || f.shape.Limit > 0 && f.shape.Limit <= f.o.MaxRows {
		out.Rows = append(out.Rows, rows...)
		return nil
	}
	window := fmt.Sprintf("%s to %s", time.Unix(lo, 0).UTC().Format(time.RFC3339), time.Unix(hi+1, 0).UTC().Format(time.RFC3339))
	if !f.shape.Splittable {
		why := "its answer depends on all rows at once (a sort, dedup, limit, or stats that are not by a fixed bin())"
		return fmt.Errorf("logs query over %s returned %d rows, the most one query returns, and %s, so splitting the window would change it: %w; narrow the window, add a filter, or add limit N",
			window, len(rows), why, ErrTooManyRows)
	}
	mid := lo + (hi-lo+1)/2
	if f.shape.Stats {
		// at the start of a bin (weeks start on Monday; a 1500ms bin on every other whole
		// second), so that no bin has rows in both halves: the one in the middle, else the last
		if mid = f.binStart(mid); mid <= lo {
			mid = f.binStart(hi)
		}
	}
	if mid <= lo || mid > hi {
		return fmt.Errorf("logs query over %s returned %d rows and the window cannot be split further: %w; add a filter or a limit", window, len(rows), ErrTooManyRows)
	}
	out.Splits++
	// newest first for raw rows: the later half first
	first, second := [2]int64{mid, hi}, [2]int64{lo, mid - 1}
	if f.shape.Stats {
		first, second = second, first
	}
	if err := f.fetch(ctx, first[0], first[1], out); err != nil {
		return err
	}
	return f.fetch(ctx, second[0], second[1], out)
}

// binStart returns the start of the latest bin of the query's stats that starts on a whole
// second at or before sec (epoch seconds: StartQuery takes seconds).
func (f *fetcher) binStart(sec int64) int64 {
	ms, _ := f.parsed.BinFloor(sec * 1000)
	for ms%1000 != 0 {
		ms, _ = f.parsed.BinFloor(ms - 1)
	}
	return ms / 1000
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// run runs one query to completion: poll with backoff, page through the results, stop it on
// cancel or timeout.
func (f *fetcher) run(ctx context.Context, lo, hi int64, out *rawResult) ([][][2]string, error) {
	sq, err := f.o.Client.StartQuery(ctx, &cloudwatchlogs.StartQueryInput{
		LogGroupNames: f.q.Groups, QueryString: aws.String(f.q.Query),
		StartTime: aws.Int64(lo), EndTime: aws.Int64(hi), Limit: aws.Int32(int32(f.o.MaxRows)),
	})
	if err != nil {
		return nil, f.explain(ctx, "StartQuery", err)
	}
	out.Queries++
	id := sq.QueryId
	stop := func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		f.o.Client.StopQuery(sctx, &cloudwatchlogs.StopQueryInput{QueryId: id})
	}
	deadline := time.Now().Add(f.o.Timeout)
	wait := f.o.Poll
	window := time.Unix(lo, 0).UTC().Format(time.RFC3339) + " .. " + time.Unix(hi+1, 0).UTC().Format(time.RFC3339)
	var rows [][][2]string
	var token *string
	for {
		r, err := f.o.Client.GetQueryResults(ctx, &cloudwatchlogs.GetQueryResultsInput{QueryId: id, NextToken: token})
		if err != nil {
			if ctx.Err() != nil {
				stop()
			}
			return nil, f.explain(ctx, "GetQueryResults", err)
		}
		switch r.Status {
		case types.QueryStatusScheduled, types.QueryStatusRunning:
			if time.Now().After(deadline) {
				stop()
				return nil, fmt.Errorf("logs query ran longer than %s and was stopped: %w; narrow the window or raise the timeout", f.o.Timeout, ErrQueryFailed)
			}
			var scanned float64
			if r.Statistics != nil {
				scanned = r.Statistics.RecordsScanned
			}
			f.progress.running(window, out.Queries, scanned)
			select {
			case <-ctx.Done():
				stop()
				return nil, ctx.Err()
			case <-time.After(wait):
			}
			wait = min(2*wait, 2*time.Second)
			continue
		case types.QueryStatusComplete:
		default:
			return nil, fmt.Errorf("logs query ended %s: %w", r.Status, ErrQueryFailed)
		}
		for _, row := range r.Results {
			pairs := make([][2]string, 0, len(row))
			for _, fv := range row {
				if f := aws.ToString(fv.Field); f != "@ptr" { // opaque, and not part of a frame
					pairs = append(pairs, [2]string{f, aws.ToString(fv.Value)})
				}
			}
			rows = append(rows, pairs)
		}
		if token == nil && r.Statistics != nil {
			out.Matched += r.Statistics.RecordsMatched
			out.Scanned += r.Statistics.RecordsScanned
			out.Bytes += r.Statistics.BytesScanned
		}
		if r.NextToken == nil {
			f.progress.finished(window, len(rows))
			return rows, nil
		}
		token = r.NextToken
	}
}
