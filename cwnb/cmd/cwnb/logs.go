package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/cwnb/cwnb/cwnb/internal/sdkhttp"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/cwnb/cwnb/cwnb/logs"
)

func init() {
	register("logs", "run a CloudWatch Logs Insights query and print its rows (CSV or JSON)", runLogs)
}

// multiFlag collects a repeatable flag; each value may hold several comma-separated items.
type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, ",") }

func (m *multiFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*m = append(*m, s)
		}
	}
	return nil
}

// runLogs parses the flags of `cwnb logs`, loads the query's rows and writes them.
func runLogs(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("logs", stderr)
	var groups multiFlag
	fs.Var(&groups, "group", "log group `name` (repeatable or comma-separated; at most 50)")
	query := fs.String("query", "", "Logs Insights `query`, e.g. 'stats count(*), pct(latency, 99) by bin(5m)'")
	since := fs.String("since", "", "relative window: the last `duration` (1h, 24h, 7d), ending now")
	start := fs.String("start", "", "window start, RFC 3339 (with -end)")
	end := fs.String("end", "", "window end, RFC 3339, exclusive")
	format := fs.String("format", "csv", "output: csv or json")
	maxRows := fs.Int("max-rows", 0, "rows one query may return before the window is split (default 100000, the service's maximum)")
	cacheDir := fs.String("cache", "", "cache `dir` (default the cwnb cache dir + /logs)")
	noCache := fs.Bool("no-cache", false, "neither read nor write the cache")
	profile := fs.String("profile", "", "AWS shared-config profile")
	region := fs.String("region", "", "AWS region (default from the AWS config)")
	endpoint := fs.String("endpoint", "", "CloudWatch Logs endpoint URL (default: AWS_ENDPOINT_URL_CLOUDWATCH_LOGS, then AWS)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: cwnb logs -group G -query Q (-since D | -start T -end T) [-format csv|json]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Runs a Logs Insights query and prints its rows as typed CSV or JSON: a stats ... by bin()")
		fmt.Fprintln(stderr, "on its full time grid, larger answers split by time and merged. The summary (records")
		fmt.Fprintln(stderr, "scanned, cost, warnings) goes to stderr.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, false); err != nil {
		return err
	}
	if len(groups) == 0 {
		return fmt.Errorf("-group is required: name the log group(s) to query")
	}
	if strings.TrimSpace(*query) == "" {
		return fmt.Errorf("-query is required, e.g. -query 'fields @timestamp, @message | limit 20'")
	}
	if *format != "csv" && *format != "json" {
		return fmt.Errorf("-format %q: use csv or json", *format)
	}
	q := logs.Query{Groups: groups, Query: *query}
	switch {
	case *since != "" && (*start != "" || *end != ""):
		return fmt.Errorf("give either -since or -start and -end, not both")
	case *since != "":
		d, err := parseSince(*since)
		if err != nil {
			return fmt.Errorf("-since %q: %v", *since, err)
		}
		q.End = time.Now().UTC().Truncate(time.Second)
		q.Start = q.End.Add(-d)
	case *start != "" && *end != "":
		var err error
		if q.Start, err = time.Parse(time.RFC3339, *start); err != nil {
			return fmt.Errorf("-start %q: not an RFC 3339 time; write e.g. 2026-11-19T00:00:00Z", *start)
		}
		if q.End, err = time.Parse(time.RFC3339, *end); err != nil {
			return fmt.Errorf("-end %q: not an RFC 3339 time; write e.g. 2026-11-20T00:00:00Z", *end)
		}
	default:
		return fmt.Errorf("give the window: -since 1h, or -start and -end (RFC 3339)")
	}
	lopts := []logs.Option{logs.WithProgress(stderr)} // one line per query, beside the summary
	if *maxRows != 0 {
		lopts = append(lopts, logs.WithMaxRows(*maxRows))
	}
	switch {
	case *noCache:
		lopts = append(lopts, logs.WithCacheDir("-"))
	case *cacheDir != "":
		lopts = append(lopts, logs.WithCacheDir(*cacheDir))
	}
	if *profile != "" || *region != "" || *endpoint != "" {
		var cfgOpts []func(*config.LoadOptions) error
		if *profile != "" {
			cfgOpts = append(cfgOpts, config.WithSharedConfigProfile(*profile))
		}
		if *region != "" {
			cfgOpts = append(cfgOpts, config.WithRegion(*region))
		}
		cfg, err := config.LoadDefaultConfig(ctx, cfgOpts...)
		if err != nil {
			return fmt.Errorf("AWS configuration: %w", err)
		}
		if cfg.Region == "" {
			cfg.Region = "us-east-1"
		}
		cfg.HTTPClient = sdkhttp.Wrap(cfg.HTTPClient)
		client := cloudwatchlogs.NewFromConfig(cfg, func(o *cloudwatchlogs.Options) {
			if *endpoint != "" {
				o.BaseEndpoint = aws.String(*endpoint)
			}
		})
		lopts = append(lopts, logs.WithClient(client))
	}
	res, err := logs.Load(ctx, q, lopts...)
	if err != nil {
		return err
	}
	fmt.Fprintln(stderr, res.Summary())
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, "warning: "+w.Text)
	}
	if *format == "json" {
		return writeLogsJSON(stdout, res)
	}
	w := csv.NewWriter(stdout)
	var header []string
	cols := make([][]string, len(res.Columns))
	for i := range res.Columns {
		header = append(header, res.Columns[i].Name)
		cols[i] = res.Texts(res.Columns[i].Name)
	}
	w.Write(header)
	for r := range res.Rows() {
		row := make([]string, len(cols))
		for i := range cols {
			row[i] = cols[i][r]
		}
		w.Write(row)
	}
	w.Flush()
	return w.Error()
}

// parseSince reads a duration, with d for days.
func parseSince(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		if _, err := fmt.Sscanf(days, "%d", &n); err != nil || n <= 0 {
			return 0, fmt.Errorf("write a positive duration such as 1h, 30m or 7d")
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("write a positive duration such as 1h, 30m or 7d")
	}
	return d, nil
}

// writeLogsJSON writes one JSON object per row: numbers as numbers (null when absent), times as
// RFC 3339 strings, text as strings.
func writeLogsJSON(w io.Writer, res *logs.Result) error {
	rows := make([]map[string]any, res.Rows())
	for i := range rows {
		rows[i] = map[string]any{}
	}
	for _, c := range res.Columns {
		switch c.Kind {
		case logs.Number:
			for i, v := range c.Floats {
				if math.IsNaN(v) {
					rows[i][c.Name] = nil
				} else {
					rows[i][c.Name] = v
				}
			}
		default:
			for i, v := range res.Texts(c.Name) {
				rows[i][c.Name] = v
			}
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rows)
}
