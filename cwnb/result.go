package cwnb

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cwnb/cwnb/cwnb/internal/parallel"
	"github.com/cwnb/cwnb/cwnb/ts"
	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// TimeColumn is the name of the timestamp column of every frame cwnb builds. gota has no time
// type, so timestamps live in it as strings in RFC 3339, UTC, whole seconds
// ("2026-11-19T00:05:00Z"): readable in a printed frame and in CSV, sortable as text, and
// turned back into []time.Time by Result.Times or Times(df). Each is the start of its period.
const TimeColumn = "timestamp"

// TimeLayout is the layout of TimeColumn's strings.
const timeLayout = "2006-01-02T15:04:05Z"

// parseFill parses "nan" (or "none", ""), "zero", "ffill" (or "forward") and "linear", the fill
// policies Query.Fill accepts, for an investigation file's fill field.
func parseFill(s string) (ts.FillPolicy, error) {
	switch s {
	case "", "nan", "none", "NaN":
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

// fillValues returns a copy of v with its NaN gaps filled by f. maxGap bounds ts.FillForward (at
// most maxGap values repeated into a gap) and ts.FillLinear (gaps of at most maxGap values are
// interpolated, longer ones stay NaN); maxGap ≤ 0 means no bound.
func fillValues(v []float64, f ts.FillPolicy, maxGap int) []float64 {
	out := append([]float64(nil), v...)
	if maxGap <= 0 {
		maxGap = len(v) + 1
	}
	switch f {
	case ts.FillZero:
		for i, x := range out {
			if math.IsNaN(x) {
				out[i] = 0
			}
		}
	case ts.FillForward:
		last, run := math.NaN(), 0
		for i, x := range out {
			if !math.IsNaN(x) {
				last, run = x, 0
				continue
			}
			run++
			if run <= maxGap {
				out[i] = last
			}
		}
	case ts.FillLinear:
		prev := -1
		for i, x := range v {
			if math.IsNaN(x) {
				continue
			}
			if prev >= 0 && i-prev > 1 && i-prev-1 <= maxGap {
				a, b := v[prev], x
				for k := prev + 1; k < i; k++ {
					out[k] = a + (b-a)*float64(k-prev)/float64(i-prev)
				}
			}
			prev = i
		}
	}
	return out
}

// Message is a message CloudWatch returned: for the whole call (ID "") or for one query.
// Codes include MaxMetricsExceeded, MaxQueryResultsExceeded, MultipleUnits and ArithmeticError.
type message struct {
	Region string
	ID     string
	Code   string
	Value  string
}

// String returns "id: Code: Value" (without the id for a call-level message).
func (m message) String() string {
	s := m.Code + ": " + m.Value
	if m.ID != "" {
		s = m.ID + ": " + s
	}
	return s
}

// Series is one column of a result: its data and where it came from. A query gives one series
// per region; a SEARCH or Metrics Insights query gives one per metric it found.
type Series struct {
	Column     string // the column's name in the wide frame
	ID         string // query id
	Label      string // CloudWatch's label
	Region     string
	Kind       string // "metric", "math", "search" or "sql"
	Namespace  string // metric queries
	Metric     string // metric queries
	Dims       Dims   // metric queries
	Stat       string // canonical statistic ("Average", "p99", "TM(10%:90%)"); for SEARCH its statistic argument
	Unit       string // Metric.Unit or Expression.Unit, "%" for a ratio times 100; "" when unknown
	Period     time.Duration
	AccountID  string
	Expression string    // expression queries
	Status     string    // StatusCode of the last call: Complete, PartialData, InternalError, Forbidden; "Cached" when all came from the cache
	Messages   []message // per-query messages
	Cached     bool      // every period came from the cache
	Values     []float64 // one per Result.Times(); NaN where CloudWatch returned no datapoint (never filled)
}

// CacheStats counts the result's queries answered by the cache.
type cacheStats struct {
	Hits    int // queries whose whole window came from the cache
	Misses  int // queries that needed at least one call
	Corrupt int // entries found damaged and fetched again
}

// Result is a load: the wide frame and everything about how it was made.
type Result struct {
	Title string
	Query Query
	// Series holds the data, one column of the wide frame each (Frame builds the frame).
	Series     []Series
	Period     time.Duration // the grid's period (the finest period of the load)
	PeriodAuto bool          // Period was chosen automatically
	Start, End time.Time     // the aligned window: Start inclusive, End exclusive
	Regions    []string
	Endpoint   string // "aws", "local" or a host: the cache's name for the endpoint

	// What this run did. Display, String and HTML leave these out, so that a notebook saved
	// after a re-run on the same data does not change; the progress line shows them.
	Calls            int     // GetMetricData requests sent, pages included (0 when all came from the cache)
	Retries          int     // requests the SDK sent again after throttling or a transient failure
	MetricsRequested int     // metrics the calls requested, SEARCH results included
	Cost             float64 // estimated dollars of this run: MetricsRequested × $0.01 / 1,000
	Cache            cacheStats
	Messages         []message // call-level messages
	Warnings         Warnings  // things to act on: coarsened periods, partial data, corrupt cache entries
	Notes            Warnings  // things to know: the automatic period, endpoint fallbacks
	Partial          bool      // some series are incomplete (status not Complete, or messages)
	Elapsed          time.Duration

	loader *loader    // the loader that made the result
	frame  *lazyFrame // the wide frame, built by the first call of Frame
}

// lazyFrame is a wide frame built once, when first asked for.
type lazyFrame struct {
	once sync.Once
	df   dataframe.DataFrame
}

// Frame returns the wide frame: TimeColumn, then one float column per series (named as
// Columns says), one row per period from Start to End, filled according to Query.Fill. It is
// built on the first call, not by the load: a cell that reads Series, Values, Times or an
// analysis never pays for it. gota keeps its own copy of every value (each boxed with a NaN
// flag, 16 bytes), so the first call costs about as much memory as the values themselves.
// Later calls return the same frame. Frame is safe to call from several goroutines.
func (r *Result) Frame() dataframe.DataFrame {
	if r.frame == nil { // a Result built by hand: build the frame every time
		return r.wide(r.Query.Fill, r.Query.MaxGap)
	}
	r.frame.once.Do(func() { r.frame.df = r.wide(r.Query.Fill, r.Query.MaxGap) })
	return r.frame.df
}

// Times returns the start of every period of the grid, one per frame row.
func (r *Result) Times() []time.Time {
	if r.Period <= 0 {
		return nil
	}
	n := int(r.End.Sub(r.Start) / r.Period)
	out := make([]time.Time, n)
	for i := range out {
		out[i] = r.Start.Add(time.Duration(i) * r.Period)
	}
	return out
}

// Lookup returns the series of the named wide-frame column, and false when no column has that
// name (Columns lists them).
func (r *Result) lookup(column string) (*Series, bool) {
	for i := range r.Series {
		if r.Series[i].Column == column {
			return &r.Series[i], true
		}
	}
	return nil, false
}

// Columns returns the names of the series columns of the wide frame, in order. One rule names
// them, in the frame, in CSV and JSON (cwnb get), in charts and in every accessor that takes a
// column:
//
//   - a metric: its Label, or Name and statistic ("Latency p99"); with a Label and several Stats,
//     Label and statistic ("checkout p99"). When two metrics would get the same default name,
//     their dimension values go between name and statistic ("Latency checkout p99");
//   - metric math: its Label, or its expression with each id replaced by that query's name
//     ("Errors Sum / Invocations Sum * 100");
//   - SEARCH and Metrics Insights: one column per series found, named by CloudWatch's label (for a
//     SEARCH without a Label: its schema's dimension values, then the metric name,
//     "i-0abc CPUUtilization");
//   - with several regions, the region in parentheses ("Latency p99 (eu-west-1)");
//   - a name already taken gets the query id in brackets ("Latency p99 [m2]").
//
// A column given to an accessor that is not one of these is an error wrapping ErrNoColumn that
// lists them.
func (r *Result) Columns() []string {
	out := make([]string, len(r.Series))
	for i, s := range r.Series {
		out[i] = s.Column
	}
	return out
}

// Times returns the timestamps of a frame's TimeColumn.
func frameTimes(df dataframe.DataFrame) ([]time.Time, error) {
	if df.Err != nil {
		return nil, df.Err
	}
	found := false
	for _, n := range df.Names() {
		if n == TimeColumn {
			found = true
		}
	}
	if !found {
		return nil, fmt.Errorf("frame has no %q column; build it with cwnb (Result.Frame, Result.Long)", TimeColumn)
	}
	recs := df.Col(TimeColumn).Records()
	out := make([]time.Time, len(recs))
	for i, s := range recs {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return nil, fmt.Errorf("row %d of %q: %q is not RFC 3339", i, TimeColumn, s)
		}
		out[i] = t.UTC()
	}
	return out, nil
}

// timeStrings formats ts for TimeColumn.
func timeStrings(ts []time.Time) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.UTC().Format(timeLayout)
	}
	return out
}

// Wide builds the wide frame again with another fill policy (maxGap 0: no bound).
func (r *Result) wide(f ts.FillPolicy, maxGap time.Duration) dataframe.DataFrame {
	gap := 0
	if maxGap > 0 && r.Period > 0 {
		gap = int(maxGap / r.Period)
	}
	cols := make([]series.Series, len(r.Series)+1)
	cols[0] = series.New(timeStrings(r.Times()), series.String, TimeColumn)
	// gota boxes every element it stores: build the columns on every core.
	parallel.For(len(r.Series), func(i int) {
		v := r.Series[i].Values
		if f != ts.FillNaN {
			v = fillValues(v, f, gap)
		}
		cols[i+1] = floatColumn(v, r.Series[i].Column)
	})
	return dataframe.New(cols...)
}

// filled returns the values of s as the wide frame holds them: Query.Fill applied (a copy), or
// s.Values themselves without a fill.
func (r *Result) filled(s *Series) []float64 {
	if r.Query.Fill == ts.FillNaN {
		return s.Values
	}
	gap := 0
	if r.Query.MaxGap > 0 && r.Period > 0 {
		gap = int(r.Query.MaxGap / r.Period)
	}
	return fillValues(s.Values, r.Query.Fill, gap)
}

// Long returns the long frame: one row per datapoint (missing periods are left out) with columns
// timestamp, region, id, label, namespace, metric, stat, one column per dimension name found in
// any series (empty where a series lacks it), and value. It suits SEARCH results with many
// series and grouping by a dimension.
func (r *Result) long() dataframe.DataFrame {
	dims := r.dimNames()
	times := timeStrings(r.Times())
	var ts, region, id, label, ns, metric, stat []string
	dv := make([][]string, len(dims))
	var val []float64
	for _, s := range r.Series {
		for i, v := range s.Values {
			if math.IsNaN(v) {
				continue
			}
			ts = append(ts, times[i])
			region = append(region, s.Region)
			id = append(id, s.ID)
			label = append(label, s.Label)
			ns = append(ns, s.Namespace)
			metric = append(metric, s.Metric)
			stat = append(stat, s.Stat)
			for k, d := range dims {
				dv[k] = append(dv[k], s.Dims[d])
			}
			val = append(val, v)
		}
	}
	cols := []series.Series{
		series.New(ts, series.String, TimeColumn),
		series.New(region, series.String, "region"),
		series.New(id, series.String, "id"),
		series.New(label, series.String, "label"),
		series.New(ns, series.String, "namespace"),
		series.New(metric, series.String, "metric"),
		series.New(stat, series.String, "stat"),
	}
	for k, d := range dims {
		cols = append(cols, series.New(dv[k], series.String, longDimColumn(d)))
	}
	cols = append(cols, series.New(val, series.Float, "value"))
	return dataframe.New(cols...)
}

// dimNames returns the dimension names of every series, sorted.
func (r *Result) dimNames() []string {
	set := map[string]bool{}
	for _, s := range r.Series {
		for k := range s.Dims {
			set[k] = true
		}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// longDimColumn names a dimension's column in the long frame: its name, prefixed with "dim_" when
// it collides with a fixed column.
func longDimColumn(d string) string {
	switch d {
	case TimeColumn, "region", "id", "label", "namespace", "metric", "stat", "value":
		return "dim_" + d
	}
	return d
}

// assemble puts the cached and fetched datapoints of every query on the grid; Frame builds the
// frame when asked.
func (r *Result) assemble(rus []*regionUnit, multiRegion bool) {
	regionIdx := map[string]int{}
	for i, reg := range r.Regions {
		regionIdx[reg] = i
	}
	sort.SliceStable(rus, func(i, j int) bool {
		if rus[i].u.order != rus[j].u.order {
			return rus[i].u.order < rus[j].u.order
		}
		return regionIdx[rus[i].region] < regionIdx[rus[j].region]
	})
	used := map[string]bool{TimeColumn: true}
	for _, ru := range rus {
		g := r.gather(ru)
		for _, a := range g.accs {
			s := seriesOf(ru, a, g)
			s.Column = columnName(s.Label, ru, multiRegion, used)
			for _, m := range g.msgs {
				r.Warnings = append(r.Warnings, warnf(ErrPartialData, "%s %s", ru.region, m))
			}
			if g.status != "Complete" && g.status != "Cached" {
				r.Warnings = append(r.Warnings, warnf(ErrPartialData, "%s %s (%s): status %s; the data may be incomplete and was not cached", ru.region, ru.u.id, a.label, g.status))
			}
			r.Series = append(r.Series, s)
		}
	}
	for _, m := range r.Messages {
		r.Warnings = append(r.Warnings, warnf(ErrPartialData, "%s %s", m.Region, m))
	}
	r.Warnings = r.Warnings.dedupe()
	r.Notes = r.Notes.dedupe()
	r.frame = &lazyFrame{}
}

// acc is one series of a query on the grid.
type acc struct {
	label  string
	values []float64
}

// gathered is what one query in one region holds on the grid: its series, and the status and
// messages of the calls that fetched it.
type gathered struct {
	accs   []*acc
	status string // "Cached" when nothing was fetched
	msgs   []message
}

// gather puts the cached and fetched datapoints of ru on the grid, one series per label: in
// request order, SEARCH and SQL results sorted by label.
func (r *Result) gather(ru *regionUnit) *gathered {
	n := int(r.End.Sub(r.Start) / r.Period)
	start, end := r.Start.Unix(), r.End.Unix()
	step := int64(r.Period / time.Second)
	g := &gathered{status: "Cached"}
	byLabel := map[string]*acc{}
	get := func(label string) *acc {
		a := byLabel[label]
		if a == nil {
			a = &acc{label: label, values: make([]float64, n)}
			for i := range a.values {
				a.values[i] = math.NaN()
			}
			byLabel[label] = a
			g.accs = append(g.accs, a)
		}
		return a
	}
	put := func(a *acc, s *seriesData, lo, hi int64) {
		lo, hi = max(lo, start), min(hi, end)
		if s.step == step && (s.start-start)%step == 0 {
			// A grid aligned with the result's: one copy.
			from := max(lo, s.start)
			from = start + (from-start+step-1)/step*step
			to := min(hi, s.start+int64(len(s.values))*step)
			if from < to {
				copy(a.values[(from-start)/step:(to-start+step-1)/step], s.values[(from-s.start)/step:])
			}
			return
		}
		if s.step != 0 {
			for i, v := range s.values {
				if t := s.start + int64(i)*s.step; t >= lo && t < hi && (t-start)%step == 0 {
					a.values[(t-start)/step] = v
				}
			}
			return
		}
		for i, t := range s.times {
			if t < lo || t >= hi || (t-start)%step != 0 {
				continue
			}
			a.values[(t-start)/step] = s.values[i]
		}
	}
	if ru.cached != nil {
		for _, s := range ru.cached.series {
			// Wholly from the cache, on the result's grid and spanning the window: the column is
			// the cache file's memory itself.
			if ru.alias && len(ru.fetch) == 0 && len(ru.miss) == 0 && s.step == step && s.start <= start &&
				(start-s.start)%step == 0 && s.start+int64(len(s.values))*step >= end {
				o := int((start - s.start) / step)
				a := &acc{label: s.label, values: s.values[o : o+n : o+n]}
				byLabel[s.label] = a
				g.accs = append(g.accs, a)
				continue
			}
			a := get(s.label)
			for _, iv := range ru.cached.covered {
				put(a, s, iv[0], iv[1])
			}
		}
	}
	ivs := make([][2]int64, 0, len(ru.fetch))
	for iv := range ru.fetch {
		ivs = append(ivs, iv)
	}
	sort.Slice(ivs, func(i, j int) bool { return ivs[i][0] < ivs[j][0] })
	for _, iv := range ivs {
		f := ru.fetch[iv]
		g.status = f.status
		g.msgs = append(g.msgs, f.messages...)
		if !f.complete {
			r.Partial = true
		}
		for _, s := range f.series {
			put(get(s.label), s, iv[0], iv[1])
		}
	}
	u := ru.u
	if len(g.accs) == 0 && u.kind != kindSearch && u.kind != kindSQL {
		get(u.label) // a metric or math query with no data still has its (all-NaN) column
	}
	if u.kind == kindSearch || u.kind == kindSQL {
		sort.SliceStable(g.accs, func(i, j int) bool { return g.accs[i].label < g.accs[j].label })
	}
	if u.named != "" && len(g.accs) == 1 {
		g.accs[0].label = u.named // metric math without a Label: a readable name, not an id
	}
	return g
}

// seriesOf describes one series of ru.
func seriesOf(ru *regionUnit, a *acc, g *gathered) Series {
	u := ru.u
	s := Series{ID: u.id, Label: a.label, Region: ru.region, Kind: u.kind.String(), Period: u.period, Unit: u.unit,
		AccountID: u.acct, Status: g.status, Messages: g.msgs, Cached: len(ru.fetch) == 0, Values: a.values}
	if u.kind == kindMetric {
		s.Namespace, s.Metric, s.Dims, s.Stat = u.metric.Namespace, u.metric.Name, u.metric.Dims, u.stat
		return s
	}
	s.Expression = u.expr
	if u.kind == kindSearch {
		if args := searchArgs(u.expr); len(args) > 0 {
			s.Stat = args[0][1]
			s.Namespace, s.Metric, s.Dims = searchMeta(args[0][0], a.label)
		}
	}
	return s
}

// columnName names a series' column by the rule of Result.Columns: its label (the query id when
// it has none), the region in parentheses when the load spans regions, and the query id in
// brackets when the name is taken already.
func columnName(label string, ru *regionUnit, multiRegion bool, used map[string]bool) string {
	col := label
	if col == "" {
		col = ru.u.id
	}
	if multiRegion {
		col += " (" + ru.region + ")"
	}
	base := col
	for k := 2; used[col]; k++ {
		col = fmt.Sprintf("%s [%s]", base, ru.u.id)
		if k > 2 {
			col = fmt.Sprintf("%s [%s %d]", base, ru.u.id, k)
		}
	}
	used[col] = true
	return col
}

// searchMeta recovers the namespace, metric name and dimensions of a SEARCH result from the
// search's schema ({Namespace,Dim1,Dim2}) and the series label, when the label has the form
// CloudWatch's default takes: the dimension values in dimension-name order, then the metric
// name, separated by spaces. Anything it cannot recover stays empty.
func searchMeta(text, label string) (namespace, metric string, dims Dims) {
	ns, names, ok := searchSchema(text)
	if !ok {
		return "", "", nil
	}
	f := strings.Fields(label)
	if len(f) != len(names)+1 {
		return ns, "", nil
	}
	for _, x := range f {
		if strings.HasPrefix(x, "${") {
			return ns, "", nil // a property CloudWatch did not fill in
		}
	}
	dims = Dims{}
	for i, n := range names {
		dims[n] = f[i]
	}
	return ns, f[len(f)-1], dims
}
