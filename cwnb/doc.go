// Package cwnb loads CloudWatch metrics into go-gota DataFrames for investigations in GoNB
// notebooks, through a disk cache that makes a re-run cost nothing.
//
// # In a notebook
//
// GoNB runs every cell as a new process: declarations carry over, values do not. Describe the
// metrics once, load in the cell that uses them:
//
//	import "github.com/cwnb/cwnb/cwnb"
//
//	var lat = cwnb.Metric{Namespace: "MyService/API", Name: "Latency",
//		Dims: cwnb.Dims{"Service": "checkout"}, Stats: []string{"Average", "p99"}}
//
//	%%
//	res := cwnb.MustLoad(lat.Window("2026-11-19T00:00:00Z", "24h"))
//	res.Display()   // the frame's head, the period, calls, cost and warnings
//
// The first run calls GetMetricData; every later run, in any process, answers from the cache in
// .cwnb/ beside the notebook with zero calls. Commit that directory with the notebook and it
// re-renders on a machine without AWS credentials, in offline mode (CWNB_OFFLINE=1).
//
// # Describing a load
//
// A Query holds Metrics (namespace, name, dimensions, one or several statistics: Average, Sum,
// Minimum, Maximum, SampleCount, pNN.NN, TM/WM/TC/TS with percent or absolute bounds, PR, IQM),
// Expressions (metric math over the other queries' ids, SEARCH, Metrics Insights SELECT), a
// Window, a Period and a Fill policy. Zero fields mean documented defaults: the period is chosen
// from the window and CloudWatch's retention (AutoPeriod) and reported; gaps stay NaN. Everything
// is validated before any call, and errors name the input and the fix.
//
// # Windows and the grid
//
// Absolute windows (Between, ParseWindow, Metric.Window) suit versioned notebooks; relative
// windows (Last, Metric.Last) end DefaultDelay before now. Start and End are aligned down to the
// period on the grid of multiples of the period since the Unix epoch; End is exclusive, so the
// result holds every complete period. A period finer than CloudWatch keeps for the window's age
// is coarsened to the finest available one with a warning (Options.StrictPeriod makes it an
// error instead): CloudWatch would otherwise return nothing at all.
//
// # Calls
//
// Queries are packed into the fewest GetMetricData calls: at most 500 queries per call, one
// Metrics Insights query per call, an expression in the same call as what it references; pages
// (NextToken) are merged per (Id, Label). A client-side rate limiter (DefaultRateLimit, below the
// 50 TPS quota) paces the calls; the SDK retries throttling with backoff; the context cancels.
// Result.Calls, MetricsRequested and Cost (CostPerMetric, $0.01 per 1,000 metrics) report them.
//
// # Frames
//
// Result.Frame is the wide frame: TimeColumn ("timestamp", RFC 3339 UTC strings, the start of
// each period, since gota has no time type) then one float column per series, one row per
// period, NaN where CloudWatch returned nothing unless Query.Fill says otherwise (FillZero,
// FillForward, FillLinear, bounded by Query.MaxGap). Result.Long is the long frame (timestamp,
// region, id, label, namespace, metric, stat, dimension columns, value) for SEARCH results.
// Result.Times and Times turn the timestamps back into []time.Time. Result.Series carries each
// column's metadata: id, label, region, namespace, metric, dimensions, statistic, unit, period,
// status and messages, plus its raw values.
//
// # AWS configuration
//
// Clients come from config.LoadDefaultConfig: environment, shared profiles, SSO, assume-role.
// Options.Region and Options.Profile select; the SDK itself reads AWS_ENDPOINT_URL_CLOUDWATCH or
// AWS_ENDPOINT_URL, so the same notebook runs against AWS or the local CloudWatch unchanged.
// Query.Regions loads the same queries from several regions into one frame; Metric.AccountID
// reads a source account of cross-account observability.
//
// # Cache
//
// See Cache for the layout and file format. A file holds the queries of one namespace, metric,
// statistic and period (an entry per dimension set), keyed by endpoint, region, account, query
// definition and period, never by credentials: a 1,000-series load makes a handful of files.
// Entries hold the datapoints of complete periods and the ranges they cover, so a relative window
// fetches only its new tail and the still-open period is never stored as final. Writes are atomic
// (temporary file and rename) and merge what another process wrote; a damaged file is detected by
// its checksum and fetched again with a warning. The location is Options.CacheDir, else
// $CWNB_CACHE, else $GONB_DIR/.cwnb (GoNB exports the notebook's directory as GONB_DIR and runs
// cells there), else ./.cwnb. Cache.Size, Cache.Entries and Cache.Clear inspect and prune it.
//
// A committed cache keeps a notebook reproducible: offline mode (Options.Offline or
// CWNB_OFFLINE=1) answers only from it, also from entries recorded against another endpoint (a
// cache made against the local CloudWatch renders on a machine pointed at nothing), and a window
// that has aged past CloudWatch's retention is still served from the cache at the period it was
// loaded at. CWNB_NOW (RFC 3339) pins the loader's clock, to match a local CloudWatch started with
// a fixed time.
//
// # Analysing a result
//
// The verbs of an investigation work on a Result's columns, computing with package ts on plain
// slices (gota only holds the frames):
//
//   - Resample re-aggregates to a coarser period by each column's statistic: Sum and SampleCount
//     add, Minimum and Maximum combine, Average is weighted by the SampleCount loaded beside it.
//     A percentile, IQM or percentage-bound statistic cannot be derived from finer periods, so
//     Resample returns a *RefetchError saying why, and Reload fetches it at the coarser period.
//   - Fold and Fold2 group a column by minute of the hour, hour of the day, weekday or day ("every
//     hour, on the hour"); PlotFold and PlotHeatmap draw them.
//   - Split, Compare (bootstrap confidence intervals and a Mann-Whitney U test, with
//     Comparison.Summary in words), ChangePoints and Quality test and check. Minutes(0, 5) and
//     Before(t) select the groups.
//
// # Charts
//
// Plot draws a result (Columns, Every for recurring spans such as a :00 backup, Events, Threshold,
// Band), with units on the axes and the load's provenance in the footer; PlotSplit draws two
// groups' distributions. Show displays a chart in the notebook as one bundle: a static picture
// drawn by ECharts' own renderer that becomes interactive where JavaScript runs, and a PNG for
// GitHub's notebook view (see package chart).
//
// # Also
//
// ReadInvestigation and LoadFile read YAML investigation files; List runs ListMetrics into a
// frame; Get is the `cwnb get` command. Slow loads show progress in place in the notebook, and
// on stderr when it is a terminal.
package cwnb
