package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/cwnb/cwnb/cwnb/internal/export"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/aws/smithy-go"

	"github.com/cwnb/cwnb/cwnb"
	"github.com/cwnb/cwnb/cwnb/ts"
)

func init() {
	register("get", "load CloudWatch metrics and write them to stdout (CSV or JSON)", runGet)
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// getRequest is what `cwnb get` asks for, as strings from its flags. query turns it into a
// cwnb.Query, checking every flag and every combination of flags.
type getRequest struct {
	Namespace string
	Metric    string
	Dims      []string // "Name=Value"
	Stats     string   // "Average,p99"; "" is Average
	Unit      string
	Label     string
	Period    string // "1m"; "" is automatic
	Start     string // RFC 3339 or a date
	End       string // RFC 3339 or a date, exclusive
	Since     string // "24h": a relative window instead of Start/End
	Exprs     []string
	Searches  []string // a SEARCH text ("{AWS/EC2,InstanceId} CPUUtilization") or a full SEARCH(...)
	File      string   // an investigation YAML file, instead of the metric flags
	Regions   []string
	Fill      string // nan, zero, ffill, linear
	Format    string // csv (default), json, long (CSV of the long frame)

	set map[string]bool // the flags given on the command line
}

// metricFlags describe metrics; an investigation file (-file) gives its own, so none of them can
// be honoured together with -file.
var metricFlags = []string{"namespace", "metric", "dim", "stat", "unit", "label", "expr", "search"}

// query builds the Query g describes.
func (g getRequest) query() (cwnb.Query, error) {
	if g.File != "" {
		var given []string
		for _, f := range metricFlags {
			if g.set[f] {
				given = append(given, "-"+f)
			}
		}
		if len(given) > 0 {
			return cwnb.Query{}, fmt.Errorf("-file gives the metrics, so %s would be ignored; drop %s or drop -file",
				strings.Join(given, ", "), strings.Join(given, ", "))
		}
		v, err := export.Investigation(g.File)
		if err != nil {
			return cwnb.Query{}, err
		}
		q := v.(cwnb.Query)
		if len(g.Regions) > 0 {
			q.Regions = g.Regions
		}
		return q, g.applyCommon(&q, true)
	}
	var q cwnb.Query
	stats := splitList(g.Stats)
	switch {
	case g.Metric != "" || g.Namespace != "":
		if g.Metric == "" || g.Namespace == "" {
			return q, fmt.Errorf("-namespace and -metric go together; give both (for example -namespace AWS/EC2 -metric CPUUtilization)")
		}
		m := cwnb.Metric{Namespace: g.Namespace, Name: g.Metric, Unit: g.Unit, Label: g.Label, Stats: stats}
		if len(g.Dims) > 0 {
			m.Dims = cwnb.Dims{}
		}
		for _, kv := range g.Dims {
			k, v, ok := strings.Cut(kv, "=")
			if !ok || k == "" || v == "" {
				return q, fmt.Errorf("-dim %q: write it as Name=Value, for example -dim InstanceId=i-0abc", kv)
			}
			if _, dup := m.Dims[k]; dup {
				return q, fmt.Errorf("-dim %s is given twice; give each dimension once", k)
			}
			m.Dims[k] = v
		}
		q.Metrics = append(q.Metrics, m)
	case len(g.Dims) > 0 || g.Unit != "" || g.Label != "":
		return q, fmt.Errorf("-dim, -unit and -label describe a metric; add -namespace and -metric (for a SEARCH, put dimensions in its text)")
	case g.Stats != "" && len(g.Searches) == 0:
		return q, fmt.Errorf("-stat describes a metric or a -search; add -namespace and -metric (an -expr takes no statistic)")
	}
	if len(g.Searches) > 0 && len(stats) > 1 {
		return q, fmt.Errorf("-stat %s: a -search uses one statistic; give one, or run once per statistic", g.Stats)
	}
	for i, e := range g.Exprs {
		q.Expressions = append(q.Expressions, cwnb.Expression{ID: fmt.Sprintf("e%d", i+1), Expr: e})
	}
	for i, s := range g.Searches {
		expr := s
		if !strings.HasPrefix(strings.ToUpper(strings.TrimSpace(s)), "SEARCH(") {
			stat := "Average"
			if len(stats) > 0 {
				stat = stats[0]
			}
			expr = fmt.Sprintf("SEARCH('%s', '%s')", strings.ReplaceAll(s, "'", "\\'"), stat)
		}
		q.Expressions = append(q.Expressions, cwnb.Expression{ID: fmt.Sprintf("s%d", i+1), Expr: expr})
	}
	if len(q.Metrics) == 0 && len(q.Expressions) == 0 {
		return q, fmt.Errorf("nothing to load; give -namespace and -metric, -expr, -search or -file")
	}
	q.Regions = g.Regions
	return q, g.applyCommon(&q, false)
}

// applyCommon sets the window, period and fill from g. With fromFile, flags override the file
// only when given. The period's CloudWatch rules (multiples of 60s, or 1/5/10/20/30s) are checked
// by the loader, which names the period.
func (g getRequest) applyCommon(q *cwnb.Query, fromFile bool) error {
	if g.Period != "" {
		p, err := parseLength(g.Period)
		if err != nil {
			return fmt.Errorf("-period %q: %v", g.Period, err)
		}
		q.Period = p
	}
	if g.Fill != "" {
		f, err := parseFill(g.Fill)
		if err != nil {
			return fmt.Errorf("-fill: %v", err)
		}
		q.Fill = f
	}
	switch {
	case g.Since != "" && (g.Start != "" || g.End != ""):
		return fmt.Errorf("-since makes a relative window; drop -start/-end, or drop -since")
	case g.Since != "":
		d, err := parseLength(g.Since)
		if err != nil {
			return fmt.Errorf("-since %q: %v", g.Since, err)
		}
		q.Window = cwnb.Last(d)
	case g.Start != "" || g.End != "":
		if g.Start == "" || g.End == "" {
			return fmt.Errorf("-start and -end go together (RFC 3339, for example -start 2026-11-19T00:00:00Z -end 2026-11-20T00:00:00Z), or use -since 24h")
		}
		start, err := parseTime("-start", g.Start)
		if err != nil {
			return err
		}
		end, err := parseTime("-end", g.End)
		if err != nil {
			return err
		}
		if !end.After(start) {
			return fmt.Errorf("-end %s is not after -start %s; swap them", g.End, g.Start)
		}
		q.Window = cwnb.Between(start, end)
	case !fromFile:
		return fmt.Errorf("no window; give -start and -end (RFC 3339) or -since 24h")
	}
	return nil
}

// parseTime parses the value of flag name: RFC 3339, or a date meaning midnight UTC.
func parseTime(name, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%s %q: not a valid RFC 3339 time or date; write it like 2026-11-19T00:00:00Z or 2026-11-19", name, s)
}

// parseLength parses a positive duration: a Go duration (90m, 24h) or whole days (7d) or weeks (2w).
func parseLength(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var d time.Duration
	var err error
	if n, ok := strings.CutSuffix(s, "d"); ok {
		d, err = wholeUnits(n, 24*time.Hour)
	} else if n, ok := strings.CutSuffix(s, "w"); ok {
		d, err = wholeUnits(n, 7*24*time.Hour)
	} else {
		d, err = time.ParseDuration(s)
	}
	if err != nil {
		return 0, fmt.Errorf("not a duration; write it like 24h, 90m or 7d")
	}
	if d <= 0 {
		return 0, fmt.Errorf("not positive; write it like 24h, 90m or 7d")
	}
	return d, nil
}

// wholeUnits parses a count of unit, refusing what overflows a Duration.
func wholeUnits(n string, unit time.Duration) (time.Duration, error) {
	k, err := strconv.ParseInt(n, 10, 64)
	if err != nil || k > int64(1<<63-1)/int64(unit) {
		return 0, errors.New("bad count")
	}
	return time.Duration(k) * unit, nil
}

// withFlagHints adds to a load error the flags of this command that address it: the loader's
// hints name its Options, which a command-line user sets through flags.
func withFlagHints(err error) error {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "Throttling", "ThrottlingException", "RequestLimitExceeded":
			return fmt.Errorf("%w (cwnb get: -rate-limit N lowers the request rate, -max-attempts N raises the tries)", err)
		}
	}
	if errors.Is(err, cwnb.ErrTimeout) {
		return fmt.Errorf("%w (cwnb get: -call-timeout bounds one call, -timeout the whole load)", err)
	}
	return err
}

// envOffline reports whether CWNB_OFFLINE turns offline mode on, as the loader reads it.
func envOffline() bool {
	v := os.Getenv("CWNB_OFFLINE")
	return v == "1" || strings.EqualFold(v, "true")
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// defaultCLICacheDir is the cache of `cwnb get` when -cache is not given: $CWNB_CACHE, else
// "cwnb" in the user's cache directory (os.UserCacheDir: $XDG_CACHE_HOME or ~/.cache on Linux,
// ~/Library/Caches on macOS). Unlike a notebook's cache, it does not depend on the directory the
// command runs in.
func defaultCLICacheDir() (string, error) {
	if d := os.Getenv("CWNB_CACHE"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no user cache directory (%v); give -cache DIR or -no-cache", err)
	}
	return filepath.Join(d, "cwnb"), nil
}

const getUsage = `usage: cwnb get [flags]

Loads CloudWatch metrics (through the cache) and writes them to stdout:
  -format csv   the wide frame: a timestamp column, one column per series, an empty cell where a
                period has no data
  -format long  CSV, one row per datapoint with its region, id, label, namespace, metric, stat and
                dimensions
  -format json  everything, with the window, period, calls, cost and warnings

CSV output is safe to open in a spreadsheet: a text cell or header that starts with =, +, -, @, a
tab or a carriage return (a dimension value such as =HYPERLINK(...) that anyone who can publish a
metric controls) is written with a leading single quote, so it shows as text and is never
evaluated as a formula. Numbers stay numbers (-5 is -5). -format json keeps every value raw.

Warnings go to stderr. The cache is -cache DIR, else $CWNB_CACHE, else cwnb in the user's cache
directory (not the working directory). With -file, the YAML file gives the metrics; -period,
-start/-end/-since, -fill and -region override it, and the metric flags are refused.

flags:
`

// runGet parses the flags of `cwnb get`, loads and writes the frame.
func runGet(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("get", stderr)
	var g getRequest
	var dims, exprs, searches, regions listFlag
	var profile, endpoint, cacheDir string
	var offline, noCache bool
	var rateLimit float64
	var maxAttempts int
	fs.StringVar(&g.Namespace, "namespace", "", "metric namespace, e.g. AWS/EC2")
	fs.StringVar(&g.Metric, "metric", "", "metric name, e.g. CPUUtilization")
	fs.Var(&dims, "dim", "dimension `Name=Value` (repeatable)")
	fs.StringVar(&g.Stats, "stat", "", "statistics, comma-separated: Average,p99,TM(10%:90%),IQM (default Average); exactly one with -search")
	fs.StringVar(&g.Unit, "unit", "", "unit filter of the metric, e.g. Milliseconds")
	fs.StringVar(&g.Label, "label", "", "label of the metric's columns")
	fs.StringVar(&g.Period, "period", "", "period, e.g. 1m, 5m, 1h (default: automatic from the window)")
	fs.StringVar(&g.Start, "start", "", "window start, RFC 3339 or a date (with -end)")
	fs.StringVar(&g.End, "end", "", "window end, RFC 3339 or a date, exclusive")
	fs.StringVar(&g.Since, "since", "", "relative window: the last `duration` (24h, 7d), ending 3m before now")
	fs.Var(&exprs, "expr", "metric math over the metric's id m1 (or m1_avg, m1_p99 with several stats), repeatable")
	fs.Var(&searches, "search", "SEARCH text, e.g. '{AWS/EC2,InstanceId} CPUUtilization' (uses the -stat), repeatable")
	fs.StringVar(&g.File, "file", "", "investigation YAML `file` instead of the metric flags")
	fs.Var(&regions, "region", "AWS region (repeatable: one frame, columns per region); default from the AWS config")
	fs.StringVar(&profile, "profile", "", "AWS shared-config profile")
	fs.StringVar(&endpoint, "endpoint", "", "CloudWatch endpoint URL (default: AWS_ENDPOINT_URL_CLOUDWATCH, AWS_ENDPOINT_URL, then AWS)")
	fs.StringVar(&g.Fill, "fill", "", "missing periods: nan (empty cell), zero, ffill, linear")
	fs.StringVar(&g.Format, "format", "csv", "output: csv (wide), long (CSV, one row per datapoint) or json")
	fs.StringVar(&cacheDir, "cache", "", "cache `dir` (default $CWNB_CACHE, else cwnb in the user's cache directory)")
	fs.BoolVar(&offline, "offline", false, "answer only from the cache (also CWNB_OFFLINE=1)")
	fs.BoolVar(&noCache, "no-cache", false, "neither read nor write the cache")
	fs.Float64Var(&rateLimit, "rate-limit", 0, "most CloudWatch requests per second (default: the loader's, half the 50 TPS quota)")
	fs.IntVar(&maxAttempts, "max-attempts", 0, "tries of a throttled or failed request, with backoff (default: the loader's)")
	var callTimeout, timeout time.Duration
	fs.DurationVar(&callTimeout, "call-timeout", 0, "most time one CloudWatch call may take, its retries included (default 2m)")
	fs.DurationVar(&timeout, "timeout", 0, "most time the whole load may take (default 15m)")
	fs.Usage = func() {
		fmt.Fprint(stderr, getUsage)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, false); err != nil {
		return err
	}
	g.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { g.set[f.Name] = true })
	g.Dims, g.Exprs, g.Searches = dims, exprs, searches
	for _, r := range regions {
		g.Regions = append(g.Regions, splitList(r)...)
	}
	if g.set["region"] && len(g.Regions) == 0 {
		return fmt.Errorf("-region is empty; give a region such as us-east-1, or drop -region")
	}
	switch g.Format {
	case "csv", "json", "long":
	default:
		return fmt.Errorf("-format %q: use csv, json or long", g.Format)
	}
	if g.set["rate-limit"] && !(rateLimit > 0 && rateLimit <= 1e6) {
		return fmt.Errorf("-rate-limit %v: give requests per second above 0, e.g. -rate-limit 10", rateLimit)
	}
	if g.set["max-attempts"] && (maxAttempts < 1 || maxAttempts > 100) {
		return fmt.Errorf("-max-attempts %d: give a count from 1 (no retry) to 100", maxAttempts)
	}
	if g.set["call-timeout"] && callTimeout <= 0 {
		return fmt.Errorf("-call-timeout %v: give a positive duration such as 30s", callTimeout)
	}
	if g.set["timeout"] && timeout <= 0 {
		return fmt.Errorf("-timeout %v: give a positive duration such as 5m", timeout)
	}
	switch {
	case noCache && offline:
		return fmt.Errorf("-offline answers only from the cache and -no-cache turns it off; drop one")
	case noCache && envOffline():
		return fmt.Errorf("CWNB_OFFLINE=%s answers only from the cache and -no-cache turns it off; drop -no-cache or unset CWNB_OFFLINE", os.Getenv("CWNB_OFFLINE"))
	case noCache && cacheDir != "":
		return fmt.Errorf("-no-cache turns the cache off, so -cache %s would be ignored; drop one", cacheDir)
	}
	q, err := g.query()
	if err != nil {
		return err
	}
	if cacheDir == "" && !noCache {
		if cacheDir, err = defaultCLICacheDir(); err != nil {
			return err
		}
	}
	res, err := cwnb.Load(ctx, q, func(o *cwnb.Options) {
		o.Profile, o.Endpoint, o.CacheDir = profile, endpoint, cacheDir
		o.Offline = o.Offline || offline
		o.NoCache = noCache
		o.Stderr = stderr
		o.RateLimit, o.MaxAttempts = rateLimit, maxAttempts
		o.CallTimeout, o.Timeout = callTimeout, timeout
	})
	if err != nil {
		return withFlagHints(err)
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, "warning:", w.Text)
	}
	switch g.Format {
	case "long":
		return export.LongCSV(res, stdout)
	case "json":
		return export.JSON(res, stdout)
	}
	return res.WriteCSV(stdout)
}

// parseFill parses -fill: "nan" (or "none"), "zero", "ffill" (or "forward") and "linear", the fill
// policies cwnb.Query.Fill accepts.
func parseFill(s string) (ts.FillPolicy, error) {
	switch s {
	case "nan", "none", "NaN":
		return ts.FillNaN, nil
	case "zero", "0":
		return ts.FillZero, nil
	case "ffill", "forward":
		return ts.FillForward, nil
	case "linear":
		return ts.FillLinear, nil
	}
	return 0, fmt.Errorf("fill %q is unknown; use nan, zero, ffill or linear", s)
}
