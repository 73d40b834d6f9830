package localcw

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cwnb/cwnb/cwnb/cwstat"
	"github.com/cwnb/cwnb/cwnb/internal/parallel"
	"github.com/cwnb/cwnb/cwnb/localcw/internal/store"
	"github.com/cwnb/cwnb/cwnb/localcw/internal/wire"
)

// GetMetricData limits (CloudWatch API reference, GetMetricData).
const (
	maxQueries          = 500
	defaultMaxDatapoint = 100_800
	maxExpressionLen    = 2048
	maxLabelLen         = 1024
)

// idPatternText is the Id pattern as the service spells it in its messages.
const idPatternText = `^[a-z][a-zA-Z0-9_]*$`

var idPattern = regexp.MustCompile(idPatternText)

// query is one validated MetricDataQuery.
type query struct {
	index        int // 1-based position in the request, for parameter names
	id           string
	label        string // as given, dynamic parts expanded for metric queries; else the default
	hasLabel     bool
	defaultLabel string
	returnData   bool
	period       time.Duration // 0 for an expression without Period

	// A metric query.
	metric   *store.Metric
	stat     cwstat.Stat
	statName string // as the caller spelled it
	unit     string

	// An expression query.
	expr string
	math *mathExpr
}

func (q *query) param() string { return fmt.Sprintf("MetricDataQueries.member.%d", q.index) }

// result is one series of the answer, before paging.
type result struct {
	id, label string
	expr      bool    // an expression's result: not paginated, truncated
	t         []int64 // Unix ms, in the order served (ScanBy)
	v         []float64
	messages  []wire.MessageData
}

// parseQueries validates the queries of a GetMetricData request.
func parseQueries(in *wire.GetMetricDataInput) ([]*query, error) {
	if len(in.MetricDataQueries) == 0 {
		return nil, missingParameter("MetricDataQueries")
	}
	if len(in.MetricDataQueries) > maxQueries {
		return nil, invalidValue("The collection MetricDataQueries must not have a size greater than %d (got %d); split the queries over several calls.", maxQueries, len(in.MetricDataQueries))
	}
	qs := make([]*query, len(in.MetricDataQueries))
	byID := map[string]*query{}
	for i := range in.MetricDataQueries {
		mq := &in.MetricDataQueries[i]
		q := &query{index: i + 1, id: mq.Id, returnData: mq.ReturnData == nil || *mq.ReturnData}
		qs[i] = q
		if mq.Id == "" {
			return nil, missingParameter(q.param() + ".Id")
		}
		if !idPattern.MatchString(mq.Id) {
			return nil, validationError("The value %s for parameter %s.Id is not matching the expected pattern %s. An Id must start with a lowercase letter and contain only letters, digits and underscores.", mq.Id, q.param(), idPatternText)
		}
		if len(mq.Id) > 255 {
			return nil, invalidValue("The value for parameter %s.Id is longer than 255 characters.", q.param())
		}
		if prev, dup := byID[mq.Id]; dup {
			return nil, invalidValue("The values for parameter Id in MetricDataQueries must be unique: %s is used by %s and %s.", mq.Id, prev.param(), q.param())
		}
		byID[mq.Id] = q
		if mq.Label != nil {
			if len(*mq.Label) > maxLabelLen {
				return nil, invalidValue("The value for parameter %s.Label is longer than %d characters.", q.param(), maxLabelLen)
			}
			q.label, q.hasLabel = *mq.Label, true
		}
		if mq.AccountId != nil && *mq.AccountId != "" {
			return nil, invalidValue("The parameter %s.AccountId is not supported by the local CloudWatch (no cross-account observability); remove it.", q.param())
		}
		switch {
		case mq.MetricStat != nil && mq.Expression != nil:
			return nil, invalidCombination("The parameters %[1]s.MetricStat and %[1]s.Expression are mutually exclusive and you have specified both.", q.param())
		case mq.MetricStat == nil && mq.Expression == nil:
			return nil, invalidCombination("Exactly one of the parameters %[1]s.MetricStat and %[1]s.Expression must be specified.", q.param())
		case mq.MetricStat != nil:
			if err := parseMetricStat(q, mq); err != nil {
				return nil, err
			}
		default:
			q.expr = *mq.Expression
			if q.expr == "" {
				return nil, missingParameter(q.param() + ".Expression")
			}
			if len(q.expr) > maxExpressionLen {
				return nil, invalidValue("The value for parameter %s.Expression is longer than %d characters.", q.param(), maxExpressionLen)
			}
			if mq.Period != nil {
				if !validPeriod(*mq.Period) {
					return nil, badPeriod(*mq.Period, q.param()+".Period")
				}
				q.period = time.Duration(*mq.Period) * time.Second
			}
		}
	}
	if !slices.ContainsFunc(qs, func(q *query) bool { return q.returnData }) {
		return nil, invalidValue("No query in MetricDataQueries has ReturnData set to true; set it on the queries whose results you want.")
	}
	if err := parseExpressions(qs, byID); err != nil {
		return nil, err
	}
	return qs, nil
}

func badPeriod(p int64, param string) error {
	return invalidValue("The value %d for parameter %s is invalid: the period must be 1, 5, 10, 20 or 30 seconds (high-resolution metrics) or a multiple of 60 seconds.", p, param)
}

func parseMetricStat(q *query, mq *wire.MetricDataQuery) error {
	ms := mq.MetricStat
	p := q.param() + ".MetricStat"
	if ms.Metric == nil {
		return missingParameter(p + ".Metric")
	}
	if ms.Metric.Namespace == "" {
		return missingParameter(p + ".Metric.Namespace")
	}
	if ms.Metric.MetricName == "" {
		return missingParameter(p + ".Metric.MetricName")
	}
	if err := checkDimensions(ms.Metric.Dimensions, p+".Metric.Dimensions"); err != nil {
		return err
	}
	if ms.Period == nil {
		return missingParameter(p + ".Period")
	}
	if !validPeriod(*ms.Period) {
		return badPeriod(*ms.Period, p+".Period")
	}
	if mq.Period != nil && *mq.Period != *ms.Period {
		return invalidCombination("The parameter %s.Period applies to expressions only; set the period of a metric in %s.Period.", q.param(), p)
	}
	if ms.Stat == "" {
		return missingParameter(p + ".Stat")
	}
	st, err := cwstat.Parse(ms.Stat)
	if err != nil {
		return validationError("The value %s for parameter %s.Stat is not a valid statistic. %v", ms.Stat, p, err)
	}
	if err := checkUnit(ms.Unit, p+".Unit"); err != nil {
		return err
	}
	m := store.Metric{Namespace: ms.Metric.Namespace, Name: ms.Metric.MetricName, Dims: dims(ms.Metric.Dimensions)}.Canonical()
	q.metric, q.stat, q.statName, q.unit = &m, st, ms.Stat, ms.Unit
	q.period = time.Duration(*ms.Period) * time.Second
	return nil
}

// defaultLabels gives each metric query without a Label CloudWatch's default: the metric name,
// followed by the statistic and/or the period when the metric queries of the call differ in them.
func defaultLabels(qs []*query) {
	stats, periods := map[string]bool{}, map[time.Duration]bool{}
	for _, q := range qs {
		if q.metric != nil {
			stats[q.statName] = true
			periods[q.period] = true
		}
	}
	for _, q := range qs {
		def := q.id
		if q.metric != nil {
			def = q.metric.Name
			if len(stats) > 1 {
				def += " " + q.statName
			}
			if len(periods) > 1 {
				def += " " + strconv.FormatInt(int64(q.period/time.Second), 10)
			}
		}
		q.defaultLabel = def
		if !q.hasLabel {
			q.label = def
		} else if q.metric != nil {
			q.label = expandLabel(q.label, labelInfo{metric: q.metric, stat: q.statName, period: q.period, label: def})
		}
	}
}

// request is a validated GetMetricData request.
type request struct {
	ctx        context.Context // done when the client has gone: computing stops
	queries    []*query
	start, end time.Time
	ascending  bool
	max        int
	offset     int
	hash       string
	tz         int // LabelOptions.Timezone, minutes east of UTC
}

// parseGetMetricData validates a request whose StartTime and EndTime are set.
// context returns the request's context. A request the server builds itself (alarm evaluation)
// has none and runs to completion.
func (r *request) context() context.Context {
	if r.ctx == nil {
		return context.Background()
	}
	return r.ctx
}

func (s *Server) parseGetMetricData(in *wire.GetMetricDataInput) (*request, error) {
	r := &request{}
	r.start, r.end = *in.StartTime, *in.EndTime
	if r.start.Equal(r.end) {
		return nil, validationError("The parameter StartTime must not equal parameter EndTime (both %s); widen the window.", r.start.Format(time.RFC3339))
	}
	if !r.start.Before(r.end) {
		return nil, invalidValue("The parameter StartTime must be less than the parameter EndTime (StartTime %s, EndTime %s).", r.start.Format(time.RFC3339), r.end.Format(time.RFC3339))
	}
	switch in.ScanBy {
	case "", "TimestampDescending":
	case "TimestampAscending":
		r.ascending = true
	default:
		return nil, invalidValue("The value %s for parameter ScanBy is invalid; use TimestampDescending or TimestampAscending.", in.ScanBy)
	}
	r.max = defaultMaxDatapoint
	if in.MaxDatapoints != nil {
		if *in.MaxDatapoints <= 0 {
			return nil, invalidValue("The value %d for parameter MaxDatapoints is invalid: it must be at least 1.", *in.MaxDatapoints)
		}
		r.max = int(min(*in.MaxDatapoints, 1<<31-1))
	}
	if s.opts.Faults.PageSize > 0 {
		r.max = min(r.max, s.opts.Faults.PageSize)
	}
	if in.LabelOptions != nil && in.LabelOptions.Timezone != "" {
		tz, err := parseTimezone(in.LabelOptions.Timezone)
		if err != nil {
			return nil, invalidValue("The value %s for parameter LabelOptions.Timezone is invalid: use +HHMM or -HHMM, e.g. -0500.", in.LabelOptions.Timezone)
		}
		r.tz = tz
	}
	qs, err := parseQueries(in)
	if err != nil {
		return nil, err
	}
	defaultLabels(qs)
	r.queries = qs

	// The page cache and the NextToken are keyed by everything but NextToken and MaxDatapoints.
	key := *in
	key.NextToken, key.MaxDatapoints = nil, nil
	b, err := wire.Encode(&key)
	if err != nil {
		return nil, internalFault("hash request: %v", err)
	}
	sum := sha256.Sum256(b)
	r.hash = hex.EncodeToString(sum[:12])
	if in.NextToken != nil {
		r.offset, err = parsePageToken(*in.NextToken, r.hash)
		if err != nil {
			return nil, err
		}
	}
	return r, nil
}

// parseTimezone parses LabelOptions.Timezone, +HHMM or -HHMM, into minutes east of UTC.
func parseTimezone(tz string) (int, error) {
	if len(tz) != 5 || (tz[0] != '+' && tz[0] != '-') {
		return 0, fmt.Errorf("bad timezone")
	}
	hh, err1 := strconv.Atoi(tz[1:3])
	mm, err2 := strconv.Atoi(tz[3:5])
	if err1 != nil || err2 != nil || hh > 23 || mm > 59 {
		return 0, fmt.Errorf("bad timezone")
	}
	if tz[0] == '-' {
		return -(hh*60 + mm), nil
	}
	return hh*60 + mm, nil
}

const pageTokenPrefix = "gmd1:"

func pageToken(hash string, offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%s%s:%d", pageTokenPrefix, hash, offset)))
}

func parsePageToken(tok, hash string) (int, error) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	rest, ok := strings.CutPrefix(string(raw), pageTokenPrefix)
	h, off, ok2 := strings.Cut(rest, ":")
	n, err2 := strconv.Atoi(off)
	if err != nil || !ok || !ok2 || err2 != nil || n < 0 {
		return 0, invalidNextToken("The NextToken %q is invalid; pass the NextToken of the previous GetMetricData response unchanged.", tok)
	}
	if h != hash {
		return 0, invalidNextToken("The NextToken was issued for a different request; send it with the same MetricDataQueries, StartTime, EndTime and ScanBy as the call that returned it.")
	}
	return n, nil
}

func (s *Server) getMetricData(ctx context.Context, in *wire.GetMetricDataInput) (*wire.GetMetricDataOutput, error) {
	// A missing top-level member is MissingParameter, as for the other operations; anything
	// else wrong with the request is ValidationError (asValidation).
	if in.StartTime == nil || in.StartTime.IsZero() {
		return nil, missingParameter("StartTime")
	}
	if in.EndTime == nil || in.EndTime.IsZero() {
		return nil, missingParameter("EndTime")
	}
	if len(in.MetricDataQueries) == 0 {
		return nil, missingParameter("MetricDataQueries")
	}
	r, err := s.parseGetMetricData(in)
	if err != nil {
		return nil, asValidation(err)
	}
	r.ctx = ctx
	// A first page is always computed afresh (data may have been published since); the pages
	// that follow a NextToken come from the snapshot the first page took, so that they are
	// consistent with it and cost nothing to compute.
	var results []result
	var messages []wire.MessageData
	ok := false
	if in.NextToken != nil {
		results, messages, ok = s.pages.get(r.hash)
	}
	if !ok {
		if err := s.checkWork(r); err != nil {
			return nil, asValidation(err)
		}
		results, messages, err = s.compute(r)
		if err != nil {
			return nil, asValidation(err)
		}
		s.pages.put(r.hash, results, messages)
	}
	return s.page(r, results, messages), nil
}

// compute answers every query of r in full.
func (s *Server) compute(r *request) ([]result, []wire.MessageData, error) {
	now := s.now()
	hiResCutoff := now.Add(-hiResRetention)
	scanFrom := now.Add(-hourRetention)

	type groupKey struct {
		series string
		period time.Duration
		unit   string
		start  int64
	}
	type group struct {
		sr      *store.Series
		g       grid
		unit    string
		stats   []cwstat.Stat
		members []*query
	}
	computed := map[*query]*computedSeries{}
	groups := map[groupKey]*group{}
	var order []*group
	for _, q := range r.queries {
		if q.metric == nil {
			continue
		}
		g := grid{start: roundStart(r.start, now, q.period), end: r.end, period: q.period}
		if !periodRetained(r.start, now, q.period) {
			computed[q] = &computedSeries{}
			continue
		}
		sr := s.store.Get(*q.metric)
		if sr == nil {
			computed[q] = &computedSeries{}
			continue
		}
		k := groupKey{sr.Key(), q.period, q.unit, g.start.UnixMilli()}
		gr := groups[k]
		if gr == nil {
			gr = &group{sr: sr, g: g, unit: q.unit}
			groups[k] = gr
			order = append(order, gr)
		}
		if !slices.Contains(gr.stats, q.stat) {
			gr.stats = append(gr.stats, q.stat)
		}
		gr.members = append(gr.members, q)
	}
	// Aggregate the groups on all cores: each reads one series.
	aggs := make([]aggregation, len(order))
	ctx := r.context()
	parallel.For(len(order), func(i int) {
		if s.aggregateHook != nil {
			s.aggregateHook(ctx)
		}
		if ctx.Err() != nil {
			return // the client has gone: skip the rest
		}
		gr := order[i]
		aggs[i] = aggregate(gr.sr, gr.g, gr.unit, gr.stats, hiResCutoff, scanFrom)
		s.aggregated.Add(1)
	})
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	for i, gr := range order {
		for _, q := range gr.members {
			j := slices.Index(gr.stats, q.stat)
			cs := &computedSeries{p: aggs[i].series[j]}
			if q.unit == "" && len(aggs[i].units) > 1 {
				cs.messages = append(cs.messages, wire.MessageData{Code: "MultipleUnits",
					Value: "Multiple units returned: " + strings.Join(aggs[i].units, ", ") + "; set MetricStat.Unit to select one."})
			}
			computed[q] = cs
		}
	}

	var messages []wire.MessageData
	mathResults, err := s.evalExpressions(r, computed, now, &messages)
	if err != nil {
		return nil, nil, err
	}

	var results []result
	for _, q := range r.queries {
		if !q.returnData {
			continue
		}
		if q.metric != nil {
			cs := computed[q]
			results = append(results, result{id: q.id, label: q.label, t: cs.p.t, v: cs.p.v, messages: cs.messages})
			continue
		}
		results = append(results, mathResults[q]...)
	}
	// Dynamic label values (${MAX}, ${LAST_TIME}, ...) are computed from each whole result, in
	// ascending time order, before paging and ScanBy.
	for i := range results {
		results[i].label = expandStats(results[i].label, results[i].t, results[i].v, r.tz, now)
	}
	if !r.ascending {
		// Reverse in place, once per series: results that share a series (the same metric and
		// statistic asked twice) share the reversed one.
		reversed := map[*int64]bool{}
		for i := range results {
			t, v := results[i].t, results[i].v
			if len(t) == 0 || reversed[&t[0]] {
				continue
			}
			reversed[&t[0]] = true
			slices.Reverse(t)
			slices.Reverse(v)
		}
	}
	return results, messages, nil
}

// computedSeries is the answer to one metric query on its grid.
type computedSeries struct {
	p        points
	messages []wire.MessageData
}

// page cuts the full results into the page that starts at r.offset. A page holds at most
// r.max datapoints over all its results, in result order. Metric results continue on the next
// page: a result cut by the page end has StatusCode PartialData and the response a NextToken
// whose offset counts metric datapoints only. Expression results are not paginated, as in
// CloudWatch: they come on the first page only, truncated to the datapoints that fit (StatusCode
// PartialData when cut), and never hold a NextToken back.
func (s *Server) page(r *request, results []result, messages []wire.MessageData) *wire.GetMetricDataOutput {
	out := &wire.GetMetricDataOutput{MetricDataResults: []wire.MetricDataResult{}}
	metricTotal := 0
	for _, res := range results {
		if !res.expr {
			metricTotal += len(res.t)
		}
	}
	first := r.offset == 0
	if first {
		out.Messages = messages
	}
	cursor := min(r.offset, metricTotal) // position in the metric datapoint sequence
	budget := r.max
	pos, served := 0, 0
	add := func(res *result, from, to int, cut bool) {
		mr := wire.MetricDataResult{Id: res.id, Label: res.label,
			TimestampsMs: res.t[from:to], Values: res.v[from:to], StatusCode: "Complete"}
		if from == 0 { // messages come once, with the first chunk of the result
			mr.Messages = res.messages
		}
		if cut {
			mr.StatusCode = "PartialData"
		}
		served += to - from
		out.MetricDataResults = append(out.MetricDataResults, mr)
	}
	for i := range results {
		res := &results[i]
		n := len(res.t)
		if res.expr {
			if first {
				k := min(n, budget)
				budget -= k
				add(res, 0, k, k < n)
			}
			continue
		}
		switch a := max(cursor, pos); {
		case n == 0:
			if pos >= cursor && cursor == pos && (budget > 0 || pos == metricTotal) {
				add(res, 0, 0, false)
			}
		case a < pos+n && budget > 0:
			b := min(pos+n, a+budget)
			budget -= b - a
			cursor = b
			add(res, a-pos, b-pos, b < pos+n)
		}
		pos += n
	}
	if cursor < metricTotal {
		tok := pageToken(r.hash, cursor)
		out.NextToken = &tok
	}
	s.datapoints.Add(int64(served))
	return out
}

// pageCache keeps the full answers of recent requests so that following NextToken pages costs
// no recomputation and stays consistent while the clock moves.
type pageCache struct {
	mu      sync.Mutex
	entries []pageEntry
}

type pageEntry struct {
	hash     string
	results  []result
	messages []wire.MessageData
	at       time.Time
}

const (
	pageCacheSize = 8
	pageCacheTTL  = 10 * time.Minute
)

func (c *pageCache) get(hash string) ([]result, []wire.MessageData, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.entries {
		if e.hash == hash && time.Since(e.at) < pageCacheTTL {
			return e.results, e.messages, true
		}
	}
	return nil, nil, false
}

func (c *pageCache) put(hash string, results []result, messages []wire.MessageData) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = slices.DeleteFunc(c.entries, func(e pageEntry) bool { return e.hash == hash })
	if len(c.entries) >= pageCacheSize {
		c.entries = c.entries[1:]
	}
	c.entries = append(c.entries, pageEntry{hash, results, messages, time.Now()})
}
