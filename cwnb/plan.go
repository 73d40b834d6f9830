package cwnb

import (
	"fmt"
	"sort"
	"strings"
)

// closure returns need plus every query they reference, directly or not, in request order.
func closure(all []*unit, need []*unit) []*unit {
	byID := make(map[string]*unit, len(all))
	for _, u := range all {
		byID[u.id] = u
	}
	in := map[*unit]bool{}
	var add func(u *unit)
	add = func(u *unit) {
		if in[u] {
			return
		}
		in[u] = true
		for _, r := range u.refs {
			add(byID[r])
		}
	}
	for _, u := range need {
		add(u)
	}
	out := make([]*unit, 0, len(in))
	for _, u := range all {
		if in[u] {
			out = append(out, u)
		}
	}
	return out
}

// planBatches splits need (and what it references) into the fewest GetMetricData calls it can:
// at most max queries per call, at most one Metrics Insights query per call, and an expression in
// the same call as every query it references. Queries keep their request order inside a call.
// It packs connected groups of queries first-fit, largest first, which is optimal when the groups
// are single queries (the usual case): ceil(n/max) calls.
func planBatches(all []*unit, need []*unit, max int) ([][]*unit, error) {
	set := closure(all, need)
	if len(set) == 0 {
		return nil, nil
	}
	gs := connected(set)
	for _, g := range gs {
		if len(g.units) > max {
			return nil, invalidf("expression %s and the queries it references make %d queries; one GetMetricData call takes at most %d: split the expression", lastID(g.units), len(g.units), max)
		}
		if g.sql > 1 {
			var ids []string
			for _, u := range g.units {
				if u.kind == kindSQL {
					ids = append(ids, u.id)
				}
			}
			return nil, invalidf("Metrics Insights queries %s are combined by one expression, but CloudWatch takes one Metrics Insights query per call: combine them in a single SELECT", strings.Join(ids, ", "))
		}
	}
	sort.SliceStable(gs, func(i, j int) bool { return len(gs[i].units) > len(gs[j].units) })
	var bins []*group
	for _, g := range gs {
		placed := false
		for _, b := range bins {
			if len(b.units)+len(g.units) <= max && b.sql+g.sql <= 1 {
				b.units = append(b.units, g.units...)
				b.sql += g.sql
				placed = true
				break
			}
		}
		if !placed {
			bins = append(bins, &group{units: append([]*unit(nil), g.units...), sql: g.sql})
		}
	}
	out := make([][]*unit, len(bins))
	for i, b := range bins {
		sort.Slice(b.units, func(x, y int) bool { return b.units[x].order < b.units[y].order })
		out[i] = b.units
	}
	return out, nil
}

// group is a set of queries that must share a call, and how many Metrics Insights queries it
// holds.
type group struct {
	units []*unit
	sql   int
}

// connected splits set into the groups of queries linked by references (union-find), in order of
// their first query.
func connected(set []*unit) []*group {
	idx := make(map[string]int, len(set))
	for i, u := range set {
		idx[u.id] = i
	}
	parent := make([]int, len(set))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i, u := range set {
		for _, r := range u.refs {
			a, b := find(i), find(idx[r])
			if a != b {
				parent[max(a, b)] = min(a, b)
			}
		}
	}
	groups := map[int]*group{}
	var out []*group
	for i, u := range set {
		root := find(i)
		g := groups[root]
		if g == nil {
			g = &group{}
			groups[root] = g
			out = append(out, g)
		}
		g.units = append(g.units, u)
		if u.kind == kindSQL {
			g.sql++
		}
	}
	return out
}

func lastID(us []*unit) string {
	if len(us) == 0 {
		return ""
	}
	return us[len(us)-1].id
}

// defaultLabels gives every metric query without a Label one that is unique within the load:
// "Latency p99", then with dimension values ("Latency checkout p99") when two metrics share a
// name, then with the id; and every metric-math query without a Label a readable name made of
// the labels of what it uses (see mathLabel).
func defaultLabels(us []*unit) {
	count := map[string]int{}
	base := func(u *unit) string { return u.metric.Name + " " + u.stat }
	for _, u := range us {
		if u.kind == kindMetric && u.label == "" {
			count[base(u)]++
		}
	}
	used := map[string]bool{}
	for _, u := range us {
		if u.label != "" {
			used[u.label] = true
		}
	}
	for _, u := range us {
		if u.kind != kindMetric || u.label != "" {
			continue
		}
		l := base(u)
		if count[l] > 1 {
			var vals []string
			for _, n := range u.metric.Dims.names() {
				vals = append(vals, u.metric.Dims[n])
			}
			if len(vals) > 0 {
				l = u.metric.Name + " " + strings.Join(vals, " ") + " " + u.stat
			}
		}
		if used[l] {
			l = fmt.Sprintf("%s [%s]", l, u.id)
		}
		used[l] = true
		u.label = l
	}
	byID := make(map[string]*unit, len(us))
	for _, u := range us {
		byID[u.id] = u
	}
	for _, u := range us { // in request order: an expression may use one defined before it
		u.named = mathLabel(u, byID)
	}
}
