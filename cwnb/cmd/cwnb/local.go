package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/logs"
	"github.com/cwnb/cwnb/cwnb/localcw/scenario"
)

func init() {
	register("local", "serve a local CloudWatch (metrics, CBOR) for the SDK and the notebooks", runLocal)
}

// runLocal parses the flags of `cwnb local` and serves until ctx is cancelled (SIGINT, SIGTERM).
func runLocal(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("local", stderr)
	addr := fs.String("addr", localcw.DefaultAddr, "listen `host:port`; loopback only unless -allow-remote; port 0 picks a free port")
	allowRemote := fs.Bool("allow-remote", false, "allow a non-loopback -addr (the server has no authentication)")
	scenarios := fs.String("scenario", "", "comma-separated `names` of synthetic data sets to serve: "+strings.Join(scenario.Names(), ", "))
	seed := fs.Int64("seed", 1, "seed of the scenarios")
	now := fs.String("now", "", "pin the server clock to this RFC 3339 `time` (retention and scenario data follow it); default: the wall clock")
	faults := fs.String("faults", "", "opt-in fault `spec`, e.g. throttle=0.3,rate=20,5xx=0.05,latency=20ms,pagesize=50,seed=7")
	portFile := fs.String("port-file", "", "write the port to this `file` once listening (for -addr 127.0.0.1:0); removed on exit")
	verbose := fs.Bool("v", false, "log every failed request to stderr")
	maxPoints := fs.Int("max-request-datapoints", localcw.DefaultMaxRequestDatapoints,
		"refuse a GetMetricData whose metric queries span more `datapoints` (ValidationError); -1: no cap")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: cwnb local [flags]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Serves CloudWatch metrics (PutMetricData, ListMetrics, GetMetricData, GetMetricStatistics)")
		fmt.Fprintln(stderr, "over the Smithy RPC v2 CBOR protocol of aws-sdk-go-v2 (and awsJson1_0 for the AWS CLI and boto3),")
		fmt.Fprintln(stderr, "and CloudWatch Logs (log groups, PutLogEvents, Logs Insights queries, EMF) on the same port,")
		fmt.Fprintln(stderr, "and prints the export lines that point an SDK, the AWS CLI or boto3 at it. Stop it with Ctrl-C.")
		fmt.Fprintln(stderr, "It has no authentication: it listens on loopback unless -allow-remote. Connections have read,")
		fmt.Fprintln(stderr, "write and idle timeouts, and a request whose client goes away stops computing.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, false); err != nil {
		return err
	}

	opts := localcw.Options{}
	if *now != "" {
		t, err := time.Parse(time.RFC3339, *now)
		if err != nil {
			return fmt.Errorf("-now %q: not an RFC 3339 time; write e.g. 2026-11-20T00:00:00Z", *now)
		}
		opts.Now = t.UTC()
	}
	for _, name := range strings.Split(*scenarios, ",") {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		sc, err := scenario.New(name, *seed)
		if err != nil {
			return fmt.Errorf("-scenario: %w", err)
		}
		opts.Scenarios = append(opts.Scenarios, sc)
	}
	f, err := localcw.ParseFaults(*faults)
	if err != nil {
		return fmt.Errorf("-faults: %w", err)
	}
	opts.Faults = f
	switch {
	case *maxPoints == -1:
	case *maxPoints < 1:
		return fmt.Errorf("-max-request-datapoints %d: give a positive count, or -1 for no cap", *maxPoints)
	}
	opts.MaxRequestDatapoints = *maxPoints
	if *verbose {
		opts.Logf = func(format string, args ...any) { fmt.Fprintf(stderr, format+"\n", args...) }
	}
	// CloudWatch Logs on the same listener (X-Amz-Target Logs_20140328.*), with the scenarios'
	// log groups; EMF log events publish metrics into this server.
	var groups []scenario.LogGroup
	for _, sc := range opts.Scenarios {
		groups = append(groups, scenario.LogGroups(sc)...)
	}
	// EMF metrics (the api scenario's Latency) are extracted from their log documents in the
	// background from the start, for the 15 days alarms and notebooks look back.
	logsOpts := logs.Options{Now: opts.Now, Groups: groups, Logf: opts.Logf, WarmEMF: 15 * 24 * time.Hour, Done: ctx.Done()}
	opts.Logs = func(m *localcw.Server) http.Handler {
		logsOpts.Metrics = m
		return logs.New(logsOpts)
	}
	return localcw.Run(ctx, localcw.RunConfig{Addr: *addr, AllowRemote: *allowRemote, PortFile: *portFile, Options: opts}, stdout)
}
