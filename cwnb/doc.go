// Package cwnb loads CloudWatch metrics into go-gota DataFrames for investigations in GoNB
// notebooks, through a disk cache that makes a re-run cost nothing.
//
// # In a notebook
//
// GoNB runs every cell as a new process: declarations carry over, values do not. Describe the
// metrics once, load in the cell that uses them:
//
//	import (
//		"fmt"
//		"time"
//
//		"github.com/cwnb/cwnb/cwnb"
//		"github.com/cwnb/cwnb/cwnb/ts"
//	)
//
//	var lat = cwnb.Metric{Namespace: "MyService/API", Name: "Latency",
//		Dims: cwnb.Dims{"Service": "checkout"}, Stats: []string{"Average", "p99"}}
//
//	%%
//	res := cwnb.MustLoad(lat.Window("2026-11-19T00:00:00Z", "24h"))
//	res.Display()   // the period, the frame's head and warnings (the same on every re-run)
//	backup := ts.Hourly(0, 5*time.Minute)
//	cwnb.Show(cwnb.Plot(res, cwnb.Mark(":00 backup", backup)))
//	cmp := cwnb.Must(res.Compare("Latency p99", backup, ts.CompareOptions{Stat: ts.Median}))
//	fmt.Println(cmp.Summary(":00-:05", "the rest"))
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
// from the window and CloudWatch's retention and reported; gaps stay NaN. Everything
// is validated before any call, and errors name the input and the fix.
//
// # Windows and the grid
//
// Absolute windows (Between, Metric.Window) suit versioned notebooks; relative
// windows (Last) end 3 minutes before now (Window.Delay). Start and End are aligned down to the
// period on the grid of multiples of the period since the Unix epoch; End is exclusive, so the
// result holds every complete period. A period finer than CloudWatch keeps for the window's age
// is coarsened to the finest available one with a warning (Options.StrictPeriod makes it an
// error instead): CloudWatch would otherwise return nothing at all.
//
// # Calls
//
// Queries are packed into the fewest GetMetricData calls: at most 500 queries per call, one
// Metrics Insights query per call, an expression in the same call as what it references; pages
// (NextToken, through the SDK's paginators, a repeated token refused) are merged per (Id, Label).
// A client-side rate limiter (Options.RateLimit, half the 50 TPS quota) paces the calls; the SDK
// retries throttling and 5xx with backoff; each call has a deadline (Options.CallTimeout) and so
// has the load (Options.Timeout). Before any call, a window in the future or past retention and a
// load estimated too big for memory are errors (ErrInvalid); an endpoint where nothing
// answers fails at once (ErrUnreachable) and so do missing credentials (ErrCredentials), each with
// what to do. A query that matched nothing is a warning (ErrNoMatch) that suggests the nearest
// existing names. Result.Calls, Retries, MetricsRequested and Cost ($0.01 per 1,000 metrics)
// report what a run did, and the progress line shows it; Display leaves it out, so that a notebook
// re-run on the same data saves the same output.
//
// # Frames
//
// Result.Frame() is the wide frame, built when first asked for (a load never builds it, so a
// cell that reads Series or Values, or analyses, does not pay for it): TimeColumn ("timestamp", RFC 3339 UTC strings, the start of
// each period, since gota has no time type) then one float column per series, one row per
// period, NaN where CloudWatch returned nothing unless Query.Fill says otherwise (ts.FillZero,
// ts.FillForward, ts.FillLinear, bounded by Query.MaxGap). The long frame (timestamp,
// region, id, label, namespace, metric, stat, dimension columns, value) for SEARCH results.
// Result.Times turns the timestamps back into []time.Time. Result.Series carries each
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
// fetches only its new tail and the still-open period is never stored as final. Writes hold a
// file lock while they merge what is on disk (concurrent loads never lose each other's updates)
// and are atomic (temporary file and rename); the directory carries a .gitignore for the
// temporary and lock files. Cache files are untrusted input: a damaged or crafted one is fetched
// again with a warning (ErrCorrupt), and offline it is an error that says corrupt. The location is
// Options.CacheDir, else $CWNB_CACHE, else $GONB_DIR/.cwnb (GoNB exports the notebook's directory
// as GONB_DIR and runs cells there), else ./.cwnb.
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
//     Resample returns an error saying why, and Reload fetches it at the coarser period.
//   - Fold and Fold2 group a column by minute of the hour, hour of the day, weekday or day ("every
//     hour, on the hour"); PlotFold and PlotHeatmap draw them.
//   - Split, Compare (bootstrap confidence intervals and a Mann-Whitney U test, with
//     Comparison.Summary in words), ChangePoints and Quality test and check.
//
// # Saying when
//
// One type, ts.When, says "when" everywhere: ts.Hourly(0, 5*time.Minute) is minutes :00-:05 of
// every hour, ts.Daily(2*time.Hour, 2*time.Hour+30*time.Minute) 02:00-02:30 of every day,
// ts.Weekdays() and When.On restrict to days, ts.Every takes any cycle that divides a day or is a
// week; ts.Span, ts.Before, ts.Since and ts.At are absolute. All are UTC. Split, Compare and
// PlotSplit group by a ts.When, and Mark draws one on a chart.
//
// # No silent wrong answers
//
// Every analysis that groups by time checks the data's period against the question. A When knows
// the coarsest period that resolves it (When.Resolution: 5m for :00-:05), a fold key too (1m for
// ts.MinuteOfHour). Over coarser data, a week loaded at its automatic 10-minute period for
// example, Fold, Fold2, Split, Compare and PlotSplit return an error wrapping ErrCoarsePeriod that
// names the period needed and how to get it (Period: time.Minute in the Query, or Reload), never
// a diluted number. Where a coarser period only loses detail, a Warning wrapping ErrCoarsePeriod
// says so: on a Comparison (a period straddling the boundary of an absolute window is left out of
// both groups), and in a chart's footer (a Mark finer than the data). Groups with few periods and
// fold keys without data are warned about too (Comparison.Warnings, Folded.Warnings,
// Heatmap.Warnings); a group with no period at all is an error wrapping ErrNoMatch. Must turns
// a (value, error) pair into the value or a panic, for notebook cells.
//
// # Charts
//
// Plot draws a result, PlotFold and PlotHeatmap a fold, PlotSplit the distributions of two
// groups; all take the same options: Title, Unit, ChartOptions, and for Plot also Columns, Mark,
// Threshold and Band (an option a chart cannot honour is an error). The unit comes from the
// column and the footer names only what the chart draws (queries, period, window) with any
// warning about the period; it is the same on every run over the same data. Show displays a chart
// in the notebook as one bundle: a static picture drawn by ECharts' own renderer that becomes
// interactive where JavaScript runs, and a PNG for GitHub's notebook view (see package chart).
// Marks of a recurring window are capped at ts.MaxOccurrences and refused when they recur faster
// than the data's period.
//
// # Also
//
// The cwnb command loads YAML investigation files (`cwnb get -file`); List runs ListMetrics into
// a frame. Slow loads show progress in place in the notebook, and
// on stderr when it is a terminal.
package cwnb
