package localcw

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/cwnb/cwnb/cwnb/cwstat"
	"github.com/cwnb/cwnb/cwnb/internal/parallel"
	"github.com/cwnb/cwnb/cwnb/localcw/internal/store"
	"github.com/cwnb/cwnb/cwnb/localcw/internal/wire"
	"github.com/cwnb/cwnb/cwnb/metricmath"
)

// maxSearchSeries is the number of series one SEARCH returns at most.
const maxSearchSeries = 500

// mathExpr is a parsed metric math expression with its resolved references.
type mathExpr struct {
	expr *metricmath.Expr
	refs []*query
}

// parseExpressions parses the expression queries, resolves their references, checks the
// statistics and periods of their SEARCH calls, refuses cycles and gives every expression a
// period: its own Period, else the largest period among the queries it references, else the
// period of its SEARCH calls.
func parseExpressions(qs []*query, byID map[string]*query) error {
	for _, q := range qs {
		if q.metric != nil {
			continue
		}
		e, err := metricmath.Parse(q.expr)
		if err != nil {
			return invalidValue("Error in expression %s (%s.Expression): %v", q.id, q.param(), err)
		}
		q.math = &mathExpr{expr: e}
		for _, id := range e.Refs() {
			ref, ok := byID[id]
			if !ok {
				return invalidValue("Error in expression %s: Unrecognized metric identifier %s; it must be the Id of another query of this request.", q.id, id)
			}
			if ref == q {
				return invalidValue("Error in expression %s: the expression references itself.", q.id)
			}
			q.math.refs = append(q.math.refs, ref)
		}
		for _, sq := range e.Searches() {
			if _, err := cwstat.Parse(sq.Stat); err != nil {
				return invalidValue("Error in expression %s: SEARCH statistic %q is invalid: %v", q.id, sq.Stat, err)
			}
			if sq.Period != 0 && (sq.Period%time.Second != 0 || !validPeriod(int64(sq.Period/time.Second))) {
				return badPeriod(int64(sq.Period/time.Second), "the period of SEARCH in "+q.param()+".Expression")
			}
		}
	}
	// Cycles, then periods (references first).
	state := map[*query]int{} // 1 visiting, 2 done
	var visit func(q *query) error
	visit = func(q *query) error {
		switch state[q] {
		case 1:
			return invalidValue("Error in expression %s: circular reference; an expression cannot depend on itself through other expressions.", q.id)
		case 2:
			return nil
		}
		state[q] = 1
		if q.math != nil {
			var p time.Duration
			for _, ref := range q.math.refs {
				if err := visit(ref); err != nil {
					return err
				}
				p = max(p, ref.period)
			}
			if q.period == 0 {
				q.period = p
			}
			if q.period == 0 {
				for _, sq := range q.math.expr.Searches() {
					q.period = max(q.period, sq.Period)
				}
			}
			if q.period == 0 {
				// METRICS() only: the largest metric period of the request.
				for _, o := range qs {
					if o.metric != nil {
						q.period = max(q.period, o.period)
					}
				}
			}
			if q.period == 0 {
				return missingParameter(q.param() + ".Period (the expression references no metric query; give the SEARCH a period or set Period)")
			}
		}
		state[q] = 2
		return nil
	}
	for _, q := range qs {
		if err := visit(q); err != nil {
			return err
		}
	}
	return nil
}

// evaluated is the answer to one expression: series on its grid.
type evaluated struct {
	grid   []time.Time
	series []metricmath.Series
}

// evalExpressions evaluates every expression query of r (references first) and returns the
// results of those with ReturnData.
func (s *Server) evalExpressions(r *request, computed map[*query]*computedSeries, now time.Time, messages *[]wire.MessageData) (map[*query][]result, error) {
	done := map[*query]*evaluated{}
	var metricIDs []string
	for _, q := range r.queries {
		if q.metric != nil {
			metricIDs = append(metricIDs, q.id)
		}
	}
	byID := map[string]*query{}
	for _, q := range r.queries {
		byID[q.id] = q
	}
	hiResCutoff, scanFrom := now.Add(-hiResRetention), now.Add(-hourRetention)
	truncated := false
	// searched describes the series SEARCH found, by label, for dynamic labels.
	searched := map[string]labelInfo{}

	// isArray tells metricmath which ids stand for an array of series (a SEARCH, METRICS() or an
	// expression over one) before any data is seen, so that SUM(e1) over a SEARCH that happens to
	// match a single metric still sums across series rather than collapsing to one number.
	// References were checked for cycles by validate.
	var isArray func(id string) bool
	isArray = func(id string) bool {
		ref := byID[id]
		return ref != nil && ref.math != nil && ref.math.expr.ReturnsArray(isArray)
	}
	periodOf := func(id string) (time.Duration, bool) {
		ref := byID[id]
		if ref == nil {
			return 0, false
		}
		return ref.period, true
	}

	var eval func(q *query) (*evaluated, error)
	eval = func(q *query) (*evaluated, error) {
		if ev := done[q]; ev != nil {
			return ev, nil
		}
		g := grid{start: roundStart(r.start, now, q.period), end: r.end, period: q.period}.clip(now)
		if !periodRetained(r.start, now, q.period) {
			g.end = g.start // too old for this period: an empty result, as for metric queries
		}
		times := g.times()
		var lookupErr error
		env := &metricmath.Env{
			Grid:     times,
			Period:   q.period,
			Metrics:  func() []string { return metricIDs },
			IsArray:  isArray,
			PeriodOf: periodOf,
			Lookup: func(id string) ([]metricmath.Series, bool) {
				ref := byID[id]
				if ref == nil {
					return nil, false
				}
				if ref.metric != nil {
					cs := computed[ref]
					return []metricmath.Series{{Label: ref.label, Values: dense(g, cs.p)}}, true
				}
				ev, err := eval(ref)
				if err != nil {
					lookupErr = err
					return nil, false
				}
				out := make([]metricmath.Series, len(ev.series))
				for i, se := range ev.series {
					out[i] = metricmath.Series{Label: se.Label, Values: regrid(ev.grid, se.Values, g)}
				}
				return out, true
			},
			Search: func(sq *metricmath.SearchQuery, stat string, period time.Duration) ([]metricmath.Series, error) {
				st, err := cwstat.Parse(stat)
				if err != nil {
					return nil, fmt.Errorf("statistic %q: %v", stat, err)
				}
				if period == 0 {
					period = q.period
				}
				var matched []*store.Series
				for _, sr := range s.store.All() {
					dm := make(map[string]string, len(sr.Metric.Dims))
					for _, d := range sr.Metric.Dims {
						dm[d.Name] = d.Value
					}
					if sq.Match(sr.Metric.Namespace, sr.Metric.Name, dm) {
						if len(matched) == maxSearchSeries {
							truncated = true
							break
						}
						matched = append(matched, sr)
					}
				}
				sg := grid{start: roundStart(r.start, now, period), end: r.end, period: period}
				out := make([]metricmath.Series, len(matched))
				retained := periodRetained(r.start, now, period)
				parallel.For(len(matched), func(i int) {
					if r.context().Err() != nil {
						return // the client has gone
					}
					sr := matched[i]
					dm := make(map[string]string, len(sr.Metric.Dims))
					for _, d := range sr.Metric.Dims {
						dm[d.Name] = d.Value
					}
					var p points
					if retained {
						p = aggregate(sr, sg, "", []cwstat.Stat{st}, hiResCutoff, scanFrom).series[0]
					}
					out[i] = metricmath.Series{Label: metricmath.SearchLabel(sr.Metric.Name, dm), Values: dense(g, p)}
				})
				for i, sr := range matched {
					searched[out[i].Label] = labelInfo{metric: &sr.Metric, stat: stat, period: period, label: out[i].Label}
				}
				return out, nil
			},
		}
		series, err := q.math.expr.Eval(env)
		if lookupErr != nil {
			return nil, lookupErr
		}
		if err != nil {
			var ae *apiError
			if errors.As(err, &ae) {
				return nil, ae
			}
			return nil, invalidValue("Error in expression %s: %v", q.id, err)
		}
		ev := &evaluated{grid: times, series: series}
		done[q] = ev
		return ev, nil
	}

	out := map[*query][]result{}
	for _, q := range r.queries {
		if q.math == nil || !q.returnData {
			continue
		}
		ev, err := eval(q)
		if err != nil {
			return nil, err
		}
		for _, se := range ev.series {
			res := result{id: q.id, expr: true}
			info := labelInfo{period: q.period, label: se.Label}
			if found, ok := searched[se.Label]; ok {
				info = found
			}
			if info.label == "" {
				info.label = q.defaultLabel
			}
			switch {
			case q.hasLabel && strings.Contains(q.label, "${"):
				res.label = expandLabel(q.label, info)
			case len(ev.series) == 1:
				res.label = q.label
			case q.hasLabel && se.Label != "":
				res.label = q.label + " " + se.Label
			case se.Label != "":
				res.label = se.Label
			default:
				res.label = q.label
			}
			for i, v := range se.Values {
				if !math.IsNaN(v) {
					res.t = append(res.t, ev.grid[i].UnixMilli())
					res.v = append(res.v, v)
				}
			}
			for _, m := range se.Messages {
				res.messages = append(res.messages, wire.MessageData{Code: m.Code, Value: m.Value})
			}
			out[q] = append(out[q], res)
		}
	}
	if truncated {
		*messages = append(*messages, wire.MessageData{Code: "MaxQueryResultsExceeded",
			Value: fmt.Sprintf("A SEARCH matched more than %d metrics; only the first %d are returned. Narrow the search.", maxSearchSeries, maxSearchSeries)})
	}
	return out, nil
}

// clip limits an expression's grid to where data can exist, keeping its alignment: not before
// the retention horizon (455 days), not after the latest accepted timestamp (now + 2 h). It
// bounds the work of an expression over an absurd time range.
func (g grid) clip(now time.Time) grid {
	if lo := now.Add(-hourRetention); g.start.Before(lo) {
		g.start = g.start.Add(lo.Sub(g.start) / g.period * g.period)
	}
	if hi := now.Add(maxFutureSkew + g.period); g.end.After(hi) {
		g.end = hi
	}
	if g.end.Before(g.start) {
		g.end = g.start
	}
	return g
}

// times lists the bucket starts of g.
func (g grid) times() []time.Time {
	var ts []time.Time
	for t := g.start; t.Before(g.end); t = t.Add(g.period) {
		ts = append(ts, t)
	}
	return ts
}

// dense spreads sparse points onto g's buckets, NaN where there is none. Points not on a bucket
// start of g (another period) are dropped.
func dense(g grid, p points) []float64 {
	n := int((g.end.Sub(g.start) + g.period - 1) / g.period)
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
	}
	start, step := g.start.UnixMilli(), g.period.Milliseconds()
	for k, t := range p.t {
		if d := t - start; d >= 0 && d%step == 0 && d/step < int64(n) {
			out[d/step] = p.v[k]
		}
	}
	return out
}

// regrid moves values on times onto g.
func regrid(times []time.Time, values []float64, g grid) []float64 {
	p := points{}
	for i, t := range times {
		if !math.IsNaN(values[i]) {
			p.t = append(p.t, t.UnixMilli())
			p.v = append(p.v, values[i])
		}
	}
	return dense(g, p)
}
