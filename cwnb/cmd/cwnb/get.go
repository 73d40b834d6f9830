package main

import (
	"context"
	"io"
	"strings"

	"github.com/cwnb/cwnb/cwnb"
)

func init() {
	register("get", "load CloudWatch metrics and write them to stdout (CSV or JSON)", runGet)
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// runGet parses the flags of `cwnb get` and calls cwnb.Get.
func runGet(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("get", stderr)
	var g cwnb.GetRequest
	var dims, exprs, searches, regions listFlag
	var profile, endpoint, cacheDir string
	var offline, noCache bool
	fs.StringVar(&g.Namespace, "namespace", "", "metric namespace, e.g. AWS/EC2")
	fs.StringVar(&g.Metric, "metric", "", "metric name, e.g. CPUUtilization")
	fs.Var(&dims, "dim", "dimension `Name=Value` (repeatable)")
	fs.StringVar(&g.Stats, "stat", "", "statistics, comma-separated: Average,p99,TM(10%:90%),IQM (default Average)")
	fs.StringVar(&g.Unit, "unit", "", "unit filter, e.g. Milliseconds")
	fs.StringVar(&g.Label, "label", "", "label of the metric's columns")
	fs.StringVar(&g.Period, "period", "", "period, e.g. 1m, 5m, 1h (default: automatic from the window)")
	fs.StringVar(&g.Start, "start", "", "window start, RFC 3339 (with -end)")
	fs.StringVar(&g.End, "end", "", "window end, RFC 3339, exclusive")
	fs.StringVar(&g.Since, "since", "", "relative window: the last `duration` (24h, 7d), ending 3m before now")
	fs.Var(&exprs, "expr", "metric math over the metric's id m1 (or m1_avg, m1_p99 with several stats), repeatable")
	fs.Var(&searches, "search", "SEARCH text, e.g. '{AWS/EC2,InstanceId} CPUUtilization' (uses the first -stat), repeatable")
	fs.StringVar(&g.File, "file", "", "investigation YAML `file` instead of the metric flags")
	fs.Var(&regions, "region", "AWS region (repeatable: one frame, columns per region); default from the AWS config")
	fs.StringVar(&profile, "profile", "", "AWS shared-config profile")
	fs.StringVar(&endpoint, "endpoint", "", "CloudWatch endpoint URL (default: AWS_ENDPOINT_URL_CLOUDWATCH, AWS_ENDPOINT_URL, then AWS)")
	fs.StringVar(&g.Fill, "fill", "", "missing periods: nan (empty cell), zero, ffill, linear")
	fs.StringVar(&g.Format, "format", "csv", "output: csv (wide), long (CSV, one row per datapoint) or json")
	fs.StringVar(&cacheDir, "cache", "", "cache `dir` (default $CWNB_CACHE or ./.cwnb)")
	fs.BoolVar(&offline, "offline", false, "answer only from the cache (also CWNB_OFFLINE=1)")
	fs.BoolVar(&noCache, "no-cache", false, "neither read nor write the cache")
	if err := parseFlags(fs, args, false); err != nil {
		return err
	}
	g.Dims, g.Exprs, g.Searches = dims, exprs, searches
	for _, r := range regions {
		for _, p := range strings.Split(r, ",") {
			if p = strings.TrimSpace(p); p != "" {
				g.Regions = append(g.Regions, p)
			}
		}
	}
	_, err := cwnb.Get(ctx, stdout, stderr, g, func(o *cwnb.Options) {
		o.Profile, o.Endpoint, o.CacheDir = profile, endpoint, cacheDir
		o.Offline = o.Offline || offline
		o.NoCache = noCache
		o.Stderr = stderr
	})
	return err
}
