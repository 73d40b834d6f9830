package cwnb

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/cwnb/cwnb/cwnb/cwstat"
	"github.com/cwnb/cwnb/cwnb/ts"
)

// ErrNoColumn reports a column name that the result does not hold.
var ErrNoColumn = errors.New("no such column")

// series returns the column's metadata and values, or an error that lists the columns.
func (r *Result) series(column string) (*Series, error) {
	if s, ok := r.lookup(column); ok {
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

// Folded is a seasonal fold of one column of a result (Result.Fold): the ts.Folded of its values
// with the warnings found while folding (empty groups) and the column's unit and provenance, which
// PlotFold puts on the chart.
type Folded struct {
	*ts.Folded
	Warnings Warnings
	src      source
}

// Heatmap is a two-key fold of one column (Result.Fold2): the ts.Heatmap with its warnings and
// provenance, for PlotHeatmap.
type Heatmap struct {
	*ts.Heatmap
	Warnings Warnings
	src      source
}

// source is what a chart of a derived value needs from its result: the column's unit and the
// provenance footer of that column only.
type source struct {
	column, unit, footer string
}

func (r *Result) sourceOf(s *Series) source {
	return source{column: s.Column, unit: columnUnit(s), footer: r.footer([]*Series{s})}
}

// Fold groups a column by a calendar key in UTC (ts.MinuteOfHour finds "every hour, on the hour") and
// returns the count, mean and the quantiles qs of the column's values per key. The data must
// resolve the key: a minute-of-hour fold needs a period that divides a minute, an hour-of-day fold
// one that divides an hour; over coarser data (a week loaded at its automatic 10-minute period)
// Fold returns an error wrapping ErrCoarsePeriod that says which Period to load. Keys without data
// are listed in Warnings. Use ts.Fold for another time zone.
func (r *Result) Fold(column string, by ts.FoldBy, qs ...float64) (*Folded, error) {
	s, err := r.foldable(column, by)
	if err != nil {
		return nil, err
	}
	f, err := ts.Fold(r.Times(), s.Values, by, time.UTC, qs...)
	if err != nil {
		return nil, fmt.Errorf("column %q: %w", column, err)
	}
	out := &Folded{Folded: f, src: r.sourceOf(s)}
	var empty []string
	for i, n := range f.Count {
		if n == 0 {
			empty = append(empty, f.Labels[i])
		}
	}
	if len(empty) > 0 {
		out.Warnings = append(out.Warnings, warnf(ErrPartialData, "%d of %d %s groups of %q have no data (%s)", len(empty), len(f.Keys), by, column, listSome(empty, 6)))
	}
	return out, nil
}

// Fold2 groups a column by two calendar keys in UTC (for example ts.Day × ts.MinuteOfHour) and
// aggregates each cell with agg; the result feeds PlotHeatmap. The data must resolve both keys,
// as in Fold.
func (r *Result) Fold2(column string, rows, cols ts.FoldBy, agg ts.Agg) (*Heatmap, error) {
	if _, err := r.foldable(column, rows); err != nil {
		return nil, err
	}
	s, err := r.foldable(column, cols)
	if err != nil {
		return nil, err
	}
	h, err := ts.Fold2(r.Times(), s.Values, rows, cols, time.UTC, agg)
	if err != nil {
		return nil, fmt.Errorf("column %q: %w", column, err)
	}
	out := &Heatmap{Heatmap: h, src: r.sourceOf(s)}
	empty, cells := 0, 0
	for _, row := range h.Values {
		for _, v := range row {
			cells++
			if math.IsNaN(v) {
				empty++
			}
		}
	}
	if empty > 0 {
		out.Warnings = append(out.Warnings, warnf(ErrPartialData, "%d of %d cells of the %s × %s heatmap of %q have no data", empty, cells, rows, cols, column))
	}
	return out, nil
}

// foldable returns the column if its period resolves the fold key.
func (r *Result) foldable(column string, by ts.FoldBy) (*Series, error) {
	if r == nil {
		return nil, errNoResult
	}
	s, err := r.series(column)
	if err != nil {
		return nil, err
	}
	if err := r.checkPeriod(s, "a "+by.String()+" fold", by.Resolution()); err != nil {
		return nil, err
	}
	return s, nil
}

// Split partitions a column's values by a time selection, period by period: inside holds the
// values of the periods that lie in the window, outside the others. NaN (missing periods) are left
// out of both. A recurring window must be resolved by the data (ts.Hourly(0, 5*time.Minute) needs a
// period that divides 5 minutes): over coarser data Split returns an error wrapping
// ErrCoarsePeriod that says which Period to load. A period that straddles a boundary of an
// absolute window (Before(14:07) over 5-minute data) belongs to neither group and is left out;
// Compare warns about it. An empty group is an error that names the window.
func (r *Result) Split(column string, in ts.When) (inside, outside []float64, err error) {
	g, err := r.split(column, in)
	if err != nil {
		return nil, nil, err
	}
	return g.in, g.out, nil
}

// groups are the two sides of a split, with what the split had to leave out.
type groups struct {
	s        *Series
	in, out  []float64
	warnings Warnings
}

func (r *Result) split(column string, in ts.When) (*groups, error) {
	if r == nil {
		return nil, errNoResult
	}
	s, err := r.series(column)
	if err != nil {
		return nil, err
	}
	if err := in.Err(); err != nil {
		return nil, fmt.Errorf("column %q: %w", column, err)
	}
	if in.Recurring() {
		if err := r.checkPeriod(s, "the window "+in.String(), in.Resolution()); err != nil {
			return nil, err
		}
	}
	p := r.periodOf(s)
	if p <= 0 {
		return nil, fmt.Errorf("column %q has no period (%v); split a result made by Load", column, p)
	}
	g := &groups{s: s}
	exact := in.Resolution()%p == 0
	straddled := 0
	for i, t := range r.Times() {
		v := s.Values[i]
		if math.IsNaN(v) {
			continue
		}
		switch {
		case !exact && in.Straddles(t, p):
			straddled++
		case in.Contains(t):
			g.in = append(g.in, v)
		default:
			g.out = append(g.out, v)
		}
	}
	if straddled > 0 {
		g.warnings = append(g.warnings, warnf(ErrCoarsePeriod, "%s of %q: %d period(s) of %s hold times on both sides of the boundary and are left out of both groups; put the boundary on the %s grid, or load at a period that divides %s",
			in, column, straddled, periodString(p), periodString(p), periodString(in.Resolution())))
	}
	window := fmt.Sprintf("%s to %s", r.Start.UTC().Format("2006-01-02 15:04"), r.End.UTC().Format("2006-01-02 15:04 UTC"))
	switch {
	case len(g.in) == 0:
		return nil, fmt.Errorf("%w: no period of column %q with data lies in %s (the result spans %s); check the window or load a longer one", ErrNoMatch, column, in, window)
	case len(g.out) == 0:
		return nil, fmt.Errorf("%w: every period of column %q with data lies in %s (the result spans %s), so there is nothing to compare it with", ErrNoMatch, column, in, window)
	}
	return g, nil
}

// minPeriodsPerGroup is the number of periods per group below which Compare warns that its
// intervals rest on too few values.
const minPeriodsPerGroup = 10

// Comparison is the answer of Result.Compare: the ts.Comparison of the two groups, what the
// comparison had to leave out or could not support (Warnings), and a Summary in words.
type Comparison struct {
	*ts.Comparison
	Warnings Warnings
	in       ts.When
}

// Compare tests whether a column differs between the periods in a window and the others (minutes
// :00-:05 against the rest of the hour, or before against after a deploy): the statistic opt.Stat
// of each group (the mean by default), their difference and ratio with seeded bootstrap
// confidence intervals, and a Mann-Whitney U test. The groups are those of Split, with its period
// checks: a recurring window finer than the data is an error, never a diluted ratio. Groups with
// fewer than 10 periods, and periods left out at a boundary, are warned about.
func (r *Result) Compare(column string, in ts.When, opt ts.CompareOptions) (*Comparison, error) {
	g, err := r.split(column, in)
	if err != nil {
		return nil, err
	}
	c, err := ts.Compare(g.in, g.out, opt)
	if err != nil {
		return nil, fmt.Errorf("column %q, %s against %s: %w", column, in, in.Complement(), err)
	}
	out := &Comparison{Comparison: c, Warnings: g.warnings, in: in}
	if c.NA < minPeriodsPerGroup || c.NB < minPeriodsPerGroup {
		out.Warnings = append(out.Warnings, warnf(ErrPartialData, "only %d and %d periods of %q in the two groups (%s, %s): the intervals are wide and the test weak; load a longer window or a finer period",
			c.NA, c.NB, column, in, in.Complement()))
	}
	return out, nil
}

// Summary words the comparison in one sentence, like ts.Comparison.Summary, with every number
// printed with enough digits to differ from its interval's ends ("6.81x (95% CI 6.79-6.83)",
// never "6.8-6.8"), followed by the warnings, one per line. Empty names default to the window
// ("every hour :00-:05") and its complement ("the rest").
func (c *Comparison) Summary(inName, outName string) string {
	if c == nil || c.Comparison == nil {
		return "no comparison"
	}
	if inName == "" {
		inName = c.in.String()
	}
	if outName == "" {
		outName = c.in.Complement()
	}
	var b strings.Builder
	pct := fmt.Sprintf("%s%% CI", fmtDistinct(c.Level * 100)[0])
	name := c.Stat.String()
	switch {
	case c.A > 0 && c.B > 0 && c.RatioLo <= 1 && c.RatioHi >= 1:
		n := fmtDistinct(c.Ratio, c.RatioLo, c.RatioHi)
		fmt.Fprintf(&b, "%s is about the same %s as %s (ratio %s, %s %s-%s)", name, inName, outName, n[0], pct, n[1], n[2])
	case c.A > 0 && c.B > 0 && c.Ratio >= 1:
		n := fmtDistinct(c.Ratio, c.RatioLo, c.RatioHi)
		fmt.Fprintf(&b, "%s is %sx higher %s than %s (%s %s-%s)", name, n[0], inName, outName, pct, n[1], n[2])
	case c.A > 0 && c.B > 0:
		n := fmtDistinct(1/c.Ratio, 1/c.RatioHi, 1/c.RatioLo)
		fmt.Fprintf(&b, "%s is %sx lower %s than %s (%s %s-%s)", name, n[0], inName, outName, pct, n[1], n[2])
	default:
		word := "higher"
		d, lo, hi := c.Diff, c.DiffLo, c.DiffHi
		if d < 0 {
			word, d, lo, hi = "lower", -d, -hi, -lo
		}
		n := fmtDistinct(d, lo, hi)
		fmt.Fprintf(&b, "%s is %s %s %s than %s (%s %s to %s)", name, n[0], word, inName, outName, pct, n[1], n[2])
	}
	fmt.Fprintf(&b, ", Mann-Whitney %s", ts.FormatP(c.MannWhitney.P))
	for _, w := range c.Warnings {
		b.WriteString("\nwarning: " + w.Text)
	}
	return b.String()
}

// fmtDistinct prints numbers with three significant digits, or as many more (up to eight) as it
// takes for numbers that differ to print differently.
func fmtDistinct(xs ...float64) []string {
	out := make([]string, len(xs))
	for digits := 3; digits <= 8; digits++ {
		for i, x := range xs {
			out[i] = fmtSig(x, digits)
		}
		clash := false
		for i := range xs {
			for j := i + 1; j < len(xs); j++ {
				if xs[i] != xs[j] && out[i] == out[j] {
					clash = true
				}
			}
		}
		if !clash {
			break
		}
	}
	return out
}

// fmtSig prints x with the given significant digits, without an exponent between 1e-4 and 1e6
// and without trailing zeros after the point.
func fmtSig(x float64, digits int) string {
	ax := math.Abs(x)
	if math.IsNaN(x) || math.IsInf(x, 0) || ax == 0 {
		return fmt.Sprint(x)
	}
	if ax < 1e-4 || ax >= 1e6 {
		return strconv.FormatFloat(x, 'g', digits, 64)
	}
	dec := digits - 1 - int(math.Floor(math.Log10(ax)))
	if dec < 0 {
		dec = 0
	}
	s := strconv.FormatFloat(x, 'f', dec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// listSome lists up to n names and says how many more there are.
func listSome(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:n], ", ") + fmt.Sprintf(" and %d more", len(names)-n)
}

// ChangePoints finds where the mean level of a column shifts (binary segmentation; see
// ts.ChangePoints), for example when a deploy raised an error rate.
func (r *Result) ChangePoints(column string, opt ts.ChangePointOptions) ([]ts.ChangePoint, error) {
	if r == nil {
		return nil, errNoResult
	}
	s, err := r.series(column)
	if err != nil {
		return nil, err
	}
	return ts.ChangePoints(r.Times(), s.Values, opt)
}

// Quality reports how complete a column's data are: expected and present periods at the column's
// period, density, the longest gap and the publishing period the timestamps suggest. Whether the
// load itself completed is the column's Series.Status and Result.Partial.
func (r *Result) Quality(column string) (*ts.QualityReport, error) {
	if r == nil {
		return nil, errNoResult
	}
	s, err := r.series(column)
	if err != nil {
		return nil, err
	}
	var t []time.Time
	var v []float64
	for j, tm := range r.Times() {
		if x := s.Values[j]; !math.IsNaN(x) {
			t = append(t, tm)
			v = append(v, x)
		}
	}
	q, err := ts.Quality(t, v, ts.QualityOptions{Period: r.periodOf(s), Start: r.Start, End: r.End})
	if err != nil {
		return nil, fmt.Errorf("column %q: %w", column, err)
	}
	return q, nil
}

// refetchError reports a column that cannot be re-aggregated from its finer periods and must be
// loaded again at the coarser period: a percentile, IQM or a percentage-bound trimmed statistic.
// Result.Reload does the re-fetch.
type refetchError struct {
	Column string
	Stat   string
	From   time.Duration // the loaded period
	To     time.Duration // the period asked for
	Err    error         // wraps ts.ErrNotRollable or ts.ErrNeedsWeights
}

func (e *refetchError) Error() string {
	if errors.Is(e.Err, ts.ErrNeedsWeights) {
		return fmt.Sprintf("column %q (%s) cannot be resampled from %s to %s: %v; add \"SampleCount\" to the metric's Stats, or call Reload(ctx, %s) to fetch %s at %s",
			e.Column, e.Stat, periodString(e.From), periodString(e.To), e.Err, goDuration(e.To), e.Stat, periodString(e.To))
	}
	return fmt.Sprintf("column %q (%s) cannot be resampled from %s to %s: the %s of a %s period lies somewhere between the smallest and the largest %s %s, nothing more precise; call Reload(ctx, %s) to fetch %s from CloudWatch at %s",
		e.Column, e.Stat, periodString(e.From), periodString(e.To), e.Stat, periodString(e.To), periodString(e.From), e.Stat, goDuration(e.To), e.Stat, periodString(e.To))
}

func (e *refetchError) Unwrap() error { return e.Err }

// Resample re-aggregates the result to a coarser period the way CloudWatch would have computed it:
// Sum and SampleCount add, Minimum and Maximum combine, Average is weighted by the SampleCount of
// the same metric (which must be loaded alongside), absolute-bound TC/TS add and TM/PR/WM are
// weighted. Percentiles, IQM and percentage-bound statistics cannot be derived from finer periods:
// for those Resample returns a *refetchError that says why; Reload fetches them at the coarser
// period instead. columns selects the columns to keep (all when empty).
//
// Expression columns (metric math, SEARCH, SQL) are resampled by the statistic they carry (a
// SEARCH's statistic argument); math of unknown statistic is refused like a percentile.
func (r *Result) Resample(period time.Duration, columns ...string) (*Result, error) {
	if r == nil {
		return nil, errNoResult
	}
	if r.Period <= 0 {
		return nil, fmt.Errorf("the result has no period (%v); resample a result made by Load", r.Period)
	}
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
			return nil, &refetchError{Column: s.Column, Stat: s.Stat, From: r.Period, To: period, Err: err}
		}
		rolled, err := ts.Rollup(times, s.Values, rule, ts.RollupOptions{
			ResampleOptions: ts.ResampleOptions{Period: period}, Stat: s.Stat, From: r.Period, Weights: weights})
		if err != nil {
			return nil, &refetchError{Column: s.Column, Stat: s.Stat, From: r.Period, To: period, Err: err}
		}
		ns := *s
		ns.Period = period
		ns.Values, err = ts.Upsample(rolled.Times, rolled.Values, grid, ts.Fill{})
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", s.Column, err)
		}
		out.Series = append(out.Series, ns)
	}
	out.Notes = append(out.Notes, warnf(ErrCoarsePeriod, "resampled from %s to %s by each statistic's rule (no CloudWatch call)", periodString(r.Period), periodString(period)))
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
	if r == nil {
		return nil, errNoResult
	}
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
	if l := r.loader; l != nil && len(optFns) == 0 {
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

// rebuild sets the window of a derived result whose series hold one value per grid time; Frame
// builds its wide frame when asked.
func (r *Result) rebuild(grid []time.Time) {
	if len(grid) > 0 {
		r.Start = grid[0]
		r.End = grid[len(grid)-1].Add(r.Period)
	}
	r.frame = &lazyFrame{}
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
