package cwnb

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/cwnb/cwnb/cwnb/internal/suggest"
)

// warnEmpty warns, for every visible query that returned no datapoint at all, that it matched
// nothing, and names the query. For a metric it says whether the metric exists and, when listing
// is allowed (Options.NoSuggest unset), suggests the nearest existing names.
func (l *loader) warnEmpty(ctx context.Context, p *prepared) {
	res := p.res
	empty := map[string]bool{}
	seen := map[string]bool{}
	for _, s := range res.Series {
		key := s.Region + "\x00" + s.ID
		if !seen[key] {
			seen[key], empty[key] = true, true
		}
		if !allNaN(s.Values) {
			empty[key] = false
		}
	}
	for _, ru := range p.rus {
		key := ru.region + "\x00" + ru.u.id
		if seen[key] && !empty[key] {
			continue
		}
		if w, ok := l.noMatch(ctx, p, ru); ok {
			res.Warnings = append(res.Warnings, w)
		}
	}
	res.Warnings = res.Warnings.dedupe()
}

// noMatch is the warning for a query that returned nothing in the window.
func (l *loader) noMatch(ctx context.Context, p *prepared, ru *regionUnit) (Warning, bool) {
	u, window := ru.u, Between(p.start, p.end)
	switch u.kind {
	case kindMetric:
		return warnf(ErrNoMatch, "%s %s returned no datapoint in %s; %s", ru.region, u.describe(), window, l.suggest(ctx, ru.region, u.metric)), true
	case kindSearch:
		return warnf(ErrNoMatch, "%s SEARCH %s = %s matched no metric with data in %s; %s", ru.region, u.id, u.expr, window, l.suggestSearch(ctx, ru.region, u.expr)), true
	case kindSQL:
		return warnf(ErrNoMatch, "%s Metrics Insights query %s = %s matched no metric with data in %s; check its namespace, names and terms (List shows what exists)", ru.region, u.id, u.expr, window), true
	}
	var metrics []string
	for _, r := range closure(p.us, []*unit{u}) {
		if r.kind == kindMetric {
			metrics = append(metrics, r.id)
		}
	}
	if len(metrics) == 0 {
		return Warning{}, false
	}
	return warnf(ErrNoMatch, "%s %s returned no datapoint in %s; look at the warnings about what it uses (%s)", ru.region, u.describe(), window, strings.Join(metrics, ", ")), true
}

// suggest says whether m exists in region and, if not, which existing names are nearest, from
// ListMetrics (free, and cached like List). It lists nothing with Options.NoSuggest, and only
// what the listing cache holds offline.
func (l *loader) suggest(ctx context.Context, region string, m *Metric) string {
	const check = "check the namespace, metric name and dimensions, and the window"
	if l.opts.NoSuggest {
		return check
	}
	failed := false
	list := func(f Filter) []Metric {
		if failed {
			return nil
		}
		f.Regions = []string{region}
		ls, err := l.list(ctx, f, true)
		if err != nil {
			failed = true // offline without the listing, or ListMetrics refused: suggest nothing
			return nil
		}
		return ls.Metrics
	}
	same := list(Filter{Namespace: m.Namespace, Metric: m.Name})
	if failed {
		return check
	}
	if len(same) > 0 {
		for _, c := range same {
			if c.Dims.text() == m.Dims.text() {
				return "the metric exists but has no data in this window (CloudWatch omits periods without datapoints); check the window, the statistic and the unit"
			}
		}
		return fmt.Sprintf("no %s %s has dimensions {%s}; did you mean {%s}?", m.Namespace, m.Name, m.Dims.text(), suggest.Nearest(m.Dims.text(), dimSets(same)))
	}
	if inNS := list(Filter{Namespace: m.Namespace}); len(inNS) > 0 {
		return fmt.Sprintf("namespace %s has no metric %s; did you mean %s?", m.Namespace, m.Name, suggest.Nearest(m.Name, metricNames(inNS)))
	}
	if named := list(Filter{Metric: m.Name}); len(named) > 0 {
		return fmt.Sprintf("no namespace %s holds metric %s; did you mean %s?", m.Namespace, m.Name, suggest.Nearest(m.Namespace, namespaces(named)))
	}
	if failed {
		return check
	}
	return fmt.Sprintf("no metric in %s has namespace %s or name %s; %s", region, m.Namespace, m.Name, check)
}

// suggestSearch says, for a SEARCH that matched nothing, whether the namespace of its schema
// holds any metric and, if not, which namespace holds the metric names among its terms.
func (l *loader) suggestSearch(ctx context.Context, region, expr string) string {
	const check = "check its namespace, dimension names and terms (List shows what exists)"
	args := searchArgs(expr)
	if l.opts.NoSuggest || len(args) != 1 {
		return check
	}
	ns, _, ok := searchSchema(args[0][0])
	if !ok {
		return check
	}
	list := func(f Filter) ([]Metric, bool) {
		f.Regions = []string{region}
		ls, err := l.list(ctx, f, true)
		if err != nil {
			return nil, false
		}
		return ls.Metrics, true
	}
	inNS, ok := list(Filter{Namespace: ns})
	switch {
	case !ok:
		return check
	case len(inNS) > 0:
		return fmt.Sprintf("namespace %s has metrics, but none with exactly the schema's dimensions and the terms; check them (List shows what exists)", ns)
	}
	var found []Metric
	for _, term := range searchTerms(args[0][0]) {
		ms, ok := list(Filter{Metric: term})
		if !ok {
			return check
		}
		found = append(found, ms...)
	}
	if len(found) == 0 {
		return fmt.Sprintf("namespace %s holds no metric; %s", ns, check)
	}
	return fmt.Sprintf("namespace %s holds no metric; did you mean %s?", ns, suggest.Nearest(ns, namespaces(found)))
}

// searchTerms returns the bare words of a search text after its schema that may be metric
// names: no quotes, property filters (Name=...), operators or wildcards.
func searchTerms(text string) []string {
	if i := strings.IndexByte(text, '}'); i >= 0 {
		text = text[i+1:]
	}
	var out []string
	for _, w := range strings.Fields(text) {
		switch {
		case w == "AND" || w == "OR" || w == "NOT", strings.ContainsAny(w, `"'=:*()`):
			continue
		}
		out = append(out, w)
	}
	return out
}

func dimSets(ms []Metric) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Dims.text()
	}
	return out
}

func metricNames(ms []Metric) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Name
	}
	return out
}

func namespaces(ms []Metric) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Namespace
	}
	return out
}

func allNaN(v []float64) bool {
	for _, x := range v {
		if !math.IsNaN(x) {
			return false
		}
	}
	return true
}
