package cwnb

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/cwnb/cwnb/cwnb/internal/parallel"
)

// describe names u for messages: "MyService/API Latency p99 {Service=checkout}" or "e1 = m1/m2".
func (u *unit) describe() string {
	if u.kind == kindMetric {
		s := u.metric.Namespace + " " + u.metric.Name + " " + u.stat
		if len(u.metric.Dims) > 0 {
			s += " {" + u.metric.Dims.text() + "}"
		}
		return s
	}
	return u.id + " = " + u.expr
}

// def is the canonical definition of u for cache keys.
func (u *unit) def() string {
	switch u.kind {
	case kindMetric:
		m := u.metric
		return fmt.Sprintf("metric|%q|%q|%q|%q|%q|%d|%q", m.Namespace, m.Name, m.Dims.text(), u.stat, m.Unit, u.period/time.Second, u.acct)
	}
	return fmt.Sprintf("%s|%q|%q|%q|%d|%q", u.kind, u.id, u.expr, u.label, u.period/time.Second, u.acct)
}

// keysFor sets the cache key of every query of rus, all in region at endpoint. The metric
// queries of one file (namespace, name, statistic, period) share its file key and path, made
// once; the rest is made on every core: a load may hold 10,000 queries.
func (l *loader) keysFor(endpoint, region string, rus []*regionUnit, byID map[string]*unit) {
	type file struct {
		namespace, name, stat string
		period                time.Duration
	}
	fileOf := func(u *unit) file { return file{u.metric.Namespace, u.metric.Name, u.stat, u.period} }
	files := map[file]cacheKey{}
	for _, ru := range rus {
		if ru.u.kind == kindMetric {
			if _, ok := files[fileOf(ru.u)]; !ok {
				k := l.keyFor(endpoint, region, ru.u, byID)
				k.pth = k.path()
				files[fileOf(ru.u)] = k
			}
		}
	}
	parallel.For(len(rus), func(i int) {
		u := rus[i].u
		if u.kind != kindMetric {
			rus[i].key = l.keyFor(endpoint, region, u, byID)
			return
		}
		k := files[fileOf(u)]
		k.key, k.desc = u.def(), u.describe()
		rus[i].key = k
	})
}

func (l *loader) keyFor(endpoint, region string, u *unit, byID map[string]*unit) cacheKey {
	scope := fmt.Sprintf("cwnb-cache-v1\nregion=%q\naccount=%q\n", region, l.opts.Account)
	k := cacheKey{endpoint: endpoint, desc: u.describe(), period: u.period}
	if u.kind == kindMetric {
		// One file per namespace, metric, statistic and period; an entry per dimension set.
		m := u.metric
		k.fileKey = scope + fmt.Sprintf("metric|%q|%q|%q|%d", m.Namespace, m.Name, u.stat, u.period/time.Second)
		k.key = u.def()
		k.rel = fmt.Sprintf("%s/%s/%s.%s.%s.%s%s", safeName(region), safeName(m.Namespace), safeName(m.Name),
			statID(u.stat), fmtDur(u.period), shortHash(k.fileKey), cacheExt)
		return k
	}
	var b strings.Builder
	b.WriteString(scope + u.def() + "\n")
	var all []*unit
	for _, v := range byID {
		all = append(all, v)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].order < all[j].order })
	for _, r := range closure(all, []*unit{u}) {
		if r != u {
			fmt.Fprintf(&b, "ref %s\n", r.def())
		}
	}
	k.fileKey, k.key = b.String(), u.def()
	k.rel = fmt.Sprintf("%s/_expr/%s.%s.%s%s", safeName(region), u.id, fmtDur(u.period), shortHash(k.fileKey), cacheExt)
	return k
}

// store writes the complete periods just fetched for the queries of one cache file, merged with
// what the file holds now (another process may have written it meanwhile). It returns warnings.
func (l *loader) store(group []*regionUnit, final time.Time) Warnings {
	k := group[0].key
	file, _, err := l.cache.readFile(k, false)
	if err != nil || file == nil {
		file = &cacheFile{fileKey: k.fileKey, period: int64(k.period / time.Second)}
	}
	var warns Warnings
	changed := false
	for _, ru := range group {
		// The period holding final is still open: periods starting before its start have ended.
		cut := alignDown(final, ru.u.period).Unix()
		e := &entry{key: ru.key.key, desc: ru.key.desc}
		if cur := file.get(ru.key.key); cur != nil {
			e = mergeEntries(e, cur)
		}
		if ru.cached != nil {
			e = mergeEntries(e, ru.cached)
		}
		added := false
		for iv, f := range ru.fetch {
			if !f.complete {
				warns = append(warns, warnf(ErrPartialData, "%s %s: status %s, not cached", ru.region, ru.u.id, f.status))
				continue
			}
			to := min(iv[1], cut)
			if to <= iv[0] {
				continue
			}
			part := &entry{covered: [][2]int64{{iv[0], to}}}
			for _, s := range f.series {
				ps := &seriesData{label: s.label}
				for i, t := range s.times {
					if t >= iv[0] && t < to {
						ps.times = append(ps.times, t)
						ps.values = append(ps.values, s.values[i])
					}
				}
				part.series = append(part.series, ps)
			}
			e = mergeEntries(e, part)
			added = true
		}
		if added {
			file.put(e)
			changed = true
		}
	}
	if changed {
		if err := l.cache.writeFile(k, file); err != nil {
			warns = append(warns, warnf(errCacheNote, "cache write failed (%v); the next load fetches again", err))
		}
	}
	return warns
}

// mergeEntries returns a ∪ b: covered ranges joined, and the points of b added to a's series
// (b wins where both hold a period).
func mergeEntries(a, b *entry) *entry {
	out := &entry{key: a.key, desc: a.desc, covered: append([][2]int64(nil), a.covered...)}
	for _, iv := range b.covered {
		out.covered = addInterval(out.covered, iv[0], iv[1])
	}
	idx := map[string]int{}
	for _, s := range a.series {
		idx[s.label] = len(out.series)
		out.series = append(out.series, s)
	}
	for _, s := range b.series {
		i, ok := idx[s.label]
		if !ok {
			idx[s.label] = len(out.series)
			out.series = append(out.series, s)
			continue
		}
		out.series[i] = mergeSeries(out.series[i], s)
	}
	return out
}

// mergeSeries merges two ascending series into points; b's value wins where both hold a
// timestamp.
func mergeSeries(a, b *seriesData) *seriesData {
	at, av := a.points()
	bt, bv := b.points()
	out := &seriesData{label: a.label, times: make([]int64, 0, len(at)+len(bt)), values: make([]float64, 0, len(at)+len(bt))}
	i, j := 0, 0
	for i < len(at) || j < len(bt) {
		switch {
		case j >= len(bt) || (i < len(at) && at[i] < bt[j]):
			out.times, out.values = append(out.times, at[i]), append(out.values, av[i])
			i++
		case i >= len(at) || bt[j] < at[i]:
			out.times, out.values = append(out.times, bt[j]), append(out.values, bv[j])
			j++
		default: // same timestamp
			out.times, out.values = append(out.times, bt[j]), append(out.values, bv[j])
			i++
			j++
		}
	}
	return out
}

// storeAll writes what was fetched into the cache, one file at a time per group of queries that
// share it, files in parallel, and returns the warnings of failed writes.
func (l *loader) storeAll(p *prepared, final time.Time) Warnings {
	if l.opts.NoCache {
		return nil
	}
	groups := map[string][]*regionUnit{}
	var paths []string
	for _, ru := range p.rus {
		if len(ru.fetch) == 0 {
			continue
		}
		path := ru.key.path()
		if _, ok := groups[path]; !ok {
			paths = append(paths, path)
		}
		groups[path] = append(groups[path], ru)
	}
	warns := make([]Warnings, len(paths))
	parallel.For(len(paths), func(i int) { warns[i] = l.store(groups[paths[i]], final) })
	var out Warnings
	for _, w := range warns {
		out = append(out, w...)
	}
	return out
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
