package cwnb

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/cwnb/cwnb/cwnb/cwstat"
	"github.com/cwnb/cwnb/cwnb/ts"
)

// The calendar keys of Fold and Fold2, re-exported from package ts so that a notebook needs only
// this package for the common case.
const (
	MinuteOfHour = ts.MinuteOfHour
	HourOfDay    = ts.HourOfDay
	DayOfWeek    = ts.DayOfWeek
	Day          = ts.Day
)

// ErrNoColumn reports a column name that the result does not hold.
var ErrNoColumn = errors.New("no such column")

// series returns the column's metadata and values, or an error that lists the columns.
func (r *Result) series(column string) (*Series, error) {
	if s, ok := r.Lookup(column); ok {
		return s, nil
	}
	return nil, fmt.Errorf("%w %q; the result has %s", ErrNoColumn, column, quoteList(r.Columns()))
}

// Values returns a copy of the column's values, one per Result.Times entry, NaN where CloudWatch
// returned no datapoint. A name that is no column is a mistake in the cell, not an empty
// series: Values panics with an error wrapping ErrNoColumn that lists the columns (Lookup asks
// without panicking).
func (r *Result) Values(column string) []float64 {
	s, err := r.series(column)
	if err != nil {
		panic(fmt.Errorf("cwnb: Values: %w", err))
	}
	return append([]float64(nil), s.Values...)
}

// Describe summarises a column like pandas' describe: count, mean, std, min, p50, p90, p95, p99,
// p99.9 and max over its periods, NaN skipped and counted.
func (r *Result) Describe(column string) (ts.Summary, error) {
	s, err := r.series(column)
	if err != nil {
		return ts.Summary{}, err
	}
	return ts.Describe(s.Values), nil
}

// Fold groups a column by a calendar key in UTC (MinuteOfHour finds "every hour, on the hour") and
// returns the count, mean and the quantiles qs of the column's values per key. Use ts.Fold for
// another time zone.
func (r *Result) Fold(column string, by ts.FoldBy, qs ...float64) (*ts.Folded, error) {
	s, err := r.series(column)
	if err != nil {
		return nil, err
	}
	return ts.Fold(r.Times(), s.Values, by, time.UTC, qs...)
}

// Fold2 groups a column by two calendar keys in UTC (for example MinuteOfHour × Day) and
// aggregates each cell with agg; the result feeds PlotHeatmap.
func (r *Result) Fold2(column string, rows, cols ts.FoldBy, agg ts.Agg) (*ts.Heatmap, error) {
	s, err := r.series(column)
	if err != nil {
		return nil, err
	}
	return ts.Fold2(r.Times(), s.Values, rows, cols, time.UTC, agg)
}

// Minutes returns a predicate true for times whose minute of the hour, in UTC, is in [from, to):
// Minutes(0, 5) selects ":00-:05" of every hour. to may be smaller than from to wrap the hour.
func Minutes(from, to int) func(time.Time) bool {
	if from < 0 || from > 59 || to < 0 || to > 60 {
		panic(fmt.Sprintf("cwnb: Minutes(%d, %d): minutes must be within 0..60", from, to))
	}
	return func(t time.Time) bool {
		m := t.UTC().Minute()
		if from <= to {
			return m >= from && m < to
		}
		return m >= from || m < to
	}
}

// Before returns a predicate true for times before t: the "before a deploy" group.
func Before(t time.Time) func(time.Time) bool {
	return func(u time.Time) bool { return u.Before(t) }
}

// Split partitions a column's values by a predicate on their period's start time: in holds the
// values for which in(t) is true, out the others. NaN (missing periods) are left out of both.
func (r *Result) Split(column string, in func(time.Time) bool) (inside, outside []float64, err error) {
	s, err := r.series(column)
	if err != nil {
		return nil, nil, err
	}
	for i, t := range r.Times() {
		v := s.Values[i]
		if math.IsNaN(v) {
			continue
		}
		if in(t) {
			inside = append(inside, v)
		} else {
			outside = append(outside, v)
		}
	}
	return inside, outside, nil
}

// Compare tests whether a column differs between the periods selected by in and the others
// (minutes :00-:05 against the rest, or before against after a deploy): the statistic opt.Stat
// of each group (the mean by default), their difference and ratio with seeded bootstrap
// confidence intervals, and a Mann-Whitney U test. Comparison.Summary words the answer.
func (r *Result) Compare(column string, in func(time.Time) bool, opt ts.CompareOptions) (*ts.Comparison, error) {
	a, b, err := r.Split(column, in)
	if err != nil {
		return nil, err
	}
	c, err := ts.Compare(a, b, opt)
	if err != nil {
		return nil, fmt.Errorf("column %q: %w", column, err)
	}
	return c, nil
}

// ChangePoints finds where the mean level of a column shifts (binary segmentation; see
// ts.ChangePoints), for example when a deploy raised an error rate.
func (r *Result) ChangePoints(column string, opt ts.ChangePointOptions) ([]ts.ChangePoint, error) {
	s, err := r.series(column)
	if err != nil {
		return nil, err
	}
	return ts.ChangePoints(r.Times(), s.Values, opt)
}

// Quality reports, per column, how complete the data is: expected and present periods, density,
// the longest gap and the publishing period the timestamps suggest; Status says whether the load
// was partial.
func (r *Result) Quality() ([]ColumnQuality, error) {
	times := r.Times()
	out := make([]ColumnQuality, 0, len(r.Series))
	for i := range r.Series {
		s := &r.Series[i]
		var t []time.Time
		var v []float64
		for j, x := range s.Values {
			if !math.IsNaN(x) {
				t = append(t, times[j])
				v = append(v, x)
			}
		}
		q, err := ts.Quality(t, v, ts.QualityOptions{Period: r.Period, Start: r.Start, End: r.End})
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", s.Column, err)
		}
		out = append(out, ColumnQuality{Column: s.Column, Status: s.Status, Partial: s.Status != "" && s.Status != "Complete" && s.Status != "Cached", Report: q})
	}
	return out, nil
}

// ColumnQuality is the data quality of one column of a result.
type ColumnQuality struct {
	Column  string
	Status  string // the load's StatusCode for the column
	Partial bool   // the load did not complete for this column
	Report  *ts.QualityReport
}

// RefetchError reports a column that cannot be re-aggregated from its finer periods and must be
// loaded again at the coarser period: a percentile, IQM or a percentage-bound trimmed statistic.
// Result.Reload does the re-fetch.
type RefetchError struct {
	Column string
	Stat   string
	From   time.Duration // the loaded period
	To     time.Duration // the period asked for
	Err    error         // wraps ts.ErrNotRollable or ts.ErrNeedsWeights
}

func (e *RefetchError) Error() string {
	if errors.Is(e.Err, ts.ErrNeedsWeights) {
		return fmt.Sprintf("column %q (%s) cannot be resampled from %s to %s: %v; add \"SampleCount\" to the metric's Stats, or call Reload(ctx, %s) to fetch %s at %s",
			e.Column, e.Stat, Duration(e.From), Duration(e.To), e.Err, goDuration(e.To), e.Stat, Duration(e.To))
	}
	return fmt.Sprintf("column %q (%s) cannot be resampled from %s to %s: the %s of a %s period lies somewhere between the smallest and the largest %s %s, nothing more precise; call Reload(ctx, %s) to fetch %s from CloudWatch at %s",
		e.Column, e.Stat, Duration(e.From), Duration(e.To), e.Stat, Duration(e.To), Duration(e.From), e.Stat, goDuration(e.To), e.Stat, Duration(e.To))
}

func (e *RefetchError) Unwrap() error { return e.Err }

// Resample re-aggregates the result to a coarser period the way CloudWatch would have computed it:
// Sum and SampleCount add, Minimum and Maximum combine, Average is weighted by the SampleCount of
// the same metric (which must be loaded alongside), absolute-bound TC/TS add and TM/PR/WM are
// weighted. Percentiles, IQM and percentage-bound statistics cannot be derived from finer periods:
// for those Resample returns a *RefetchError that says why; Reload fetches them at the coarser
// period instead. columns selects the columns to keep (all when empty).
//
// Expression columns (metric math, SEARCH, SQL) are resampled by the statistic they carry (a
// SEARCH's statistic argument); math of unknown statistic is refused like a percentile.
func (r *Result) Resample(period time.Duration, columns ...string) (*Result, error) {
	if period <= r.Period || period%r.Period != 0 {
		return nil, fmt.Errorf("resample period %v must be a multiple of the loaded period %v and larger; for a finer period, Reload at it", period, r.Period)
	}
	sel, err := r.selectColumns(columns)
	if err != nil {
		return nil, err
	}
	times := r.Times()
	out := r.derived()
	out.Period = period
	// Only whole coarse periods: a bucket that the loaded window covers in part would be labelled
	// as if it were complete.
	out.Start = ts.Floor(r.Start.Add(period-1), period, 0)
	out.End = ts.Floor(r.End, period, 0)
	if !out.End.After(out.Start) {
		return nil, fmt.Errorf("resample period %v is longer than the loaded window %v (%v); load a longer window", period, r.End.Sub(r.Start), r.Start.Format(time.RFC3339))
	}
	grid := ts.Grid(out.Start, out.End, period)
	for _, s := range sel {
		rule, weights, err := r.rollupRule(s)
		if err != nil {
			return nil, &RefetchError{Column: s.Column, Stat: s.Stat, From: r.Period, To: period, Err: err}
		}
		rolled, err := ts.Rollup(times, s.Values, rule, ts.RollupOptions{
			ResampleOptions: ts.ResampleOptions{Period: period}, Stat: s.Stat, From: r.Period, Weights: weights})
		if err != nil {
			return nil, &RefetchError{Column: s.Column, Stat: s.Stat, From: r.Period, To: period, Err: err}
		}
		ns := *s
		ns.Period = period
		ns.Values, err = ts.Upsample(rolled.Times, rolled.Values, grid, ts.Fill{})
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", s.Column, err)
		}
		out.Series = append(out.Series, ns)
	}
	out.Notes = append(out.Notes, warnf(ErrCoarsePeriod, "resampled from %s to %s by each statistic's rule (no CloudWatch call)", Duration(r.Period), Duration(period)))
	out.rebuild(grid)
	return out, nil
}

// rollupRule maps a column's statistic to the rule and weights of ts.Rollup.
func (r *Result) rollupRule(s *Series) (ts.Rule, []float64, error) {
	if s.Stat == "" {
		return ts.RuleRefuse, nil, fmt.Errorf("%w: the column is metric math without a statistic", ts.ErrNotRollable)
	}
	st, err := cwstat.Parse(s.Stat)
	if err != nil {
		return ts.RuleRefuse, nil, fmt.Errorf("%w: statistic %q: %v", ts.ErrNotRollable, s.Stat, err)
	}
	var rule ts.Rule
	switch st.Rollup() {
	case cwstat.RollupSum:
		rule = ts.RuleSum
	case cwstat.RollupMin:
		rule = ts.RuleMin
	case cwstat.RollupMax:
		rule = ts.RuleMax
	case cwstat.RollupWeightedMean:
		rule = ts.RuleWeightedMean
	default:
		return ts.RuleRefuse, nil, fmt.Errorf("%w: %s", ts.ErrNotRollable, s.Stat)
	}
	if rule != ts.RuleWeightedMean {
		return rule, nil, nil
	}
	// A weighted mean needs its weight statistic (SampleCount, or TC for absolute TM) of the same
	// metric, region, account and period.
	w, _ := st.Weight()
	want := w.String()
	for i := range r.Series {
		o := &r.Series[i]
		if o.Stat == want && o.Kind == s.Kind && o.Namespace == s.Namespace && o.Metric == s.Metric &&
			o.Region == s.Region && o.AccountID == s.AccountID && o.Period == s.Period && sameDims(o.Dims, s.Dims) {
			return rule, o.Values, nil
		}
	}
	return rule, nil, fmt.Errorf("%w: %s is weighted by %s, which is not loaded", ts.ErrNeedsWeights, s.Stat, want)
}

// Reload loads the result's query again at another period, for statistics that Resample cannot
// derive (percentiles, IQM). It goes through the loader that made r (the same client, cache and
// options) unless optFns are given, which configure a new loader as in Load. Like any load it is
// served from the cache when it can.
func (r *Result) Reload(ctx context.Context, period time.Duration, optFns ...func(*Options)) (*Result, error) {
	q := r.Query
	q.Period = period
	q.Metrics = append([]Metric(nil), q.Metrics...)
	for i := range q.Metrics {
		q.Metrics[i].Period = 0
	}
	q.Expressions = append([]Expression(nil), q.Expressions...)
	for i := range q.Expressions {
		q.Expressions[i].Period = 0
	}
	if l := r.Loader(); l != nil && len(optFns) == 0 {
		return l.Load(ctx, q)
	}
	return Load(ctx, q, optFns...)
}

func sameDims(a, b Dims) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

// selectColumns returns the named series, or all of them when names is empty.
func (r *Result) selectColumns(names []string) ([]*Series, error) {
	var out []*Series
	if len(names) == 0 {
		for i := range r.Series {
			out = append(out, &r.Series[i])
		}
		return out, nil
	}
	for _, n := range names {
		s, err := r.series(n)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// derived starts a result computed from r: the same query and provenance, no series yet, and no
// calls of its own (the calls were made by r's load).
func (r *Result) derived() *Result {
	out := &Result{
		Title:      r.Title,
		Query:      r.Query,
		Period:     r.Period,
		PeriodAuto: r.PeriodAuto,
		Start:      r.Start,
		End:        r.End,
		Regions:    r.Regions,
		Endpoint:   r.Endpoint,
		Cache:      r.Cache,
		Messages:   r.Messages,
		Warnings:   append(Warnings(nil), r.Warnings...),
		Notes:      append(Warnings(nil), r.Notes...),
		Partial:    r.Partial,
	}
	out.Calls, out.MetricsRequested, out.Cost = r.Calls, r.MetricsRequested, r.Cost
	return out
}

// rebuild makes the wide frame of a derived result whose series hold one value per grid time.
func (r *Result) rebuild(grid []time.Time) {
	if len(grid) > 0 {
		r.Start = grid[0]
		r.End = grid[len(grid)-1].Add(r.Period)
	}
	r.Frame = r.Wide(r.Query.Fill, r.Query.MaxGap)
}

// goDuration writes d as Go source: time.Hour, 5*time.Minute.
func goDuration(d time.Duration) string {
	for _, u := range []struct {
		d    time.Duration
		name string
	}{{time.Hour, "time.Hour"}, {time.Minute, "time.Minute"}, {time.Second, "time.Second"}} {
		if d%u.d == 0 {
			if d == u.d {
				return u.name
			}
			return fmt.Sprintf("%d*%s", d/u.d, u.name)
		}
	}
	return fmt.Sprintf("time.Duration(%d)", int64(d))
}
