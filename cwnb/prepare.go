package cwnb

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cwnb/cwnb/cwnb/internal/parallel"
)

// retentionLimit is the age past which CloudWatch keeps nothing.
const retentionLimit = 455 * 24 * time.Hour

// errTooOld marks a window older than CloudWatch's longest retention.
var errTooOld = errors.New("older than retention")

// prepared is a load resolved against the clock and the cache: its queries with their periods,
// the aligned window, and what the cache holds.
type prepared struct {
	res      *Result
	us       []*unit
	byID     map[string]*unit
	rus      []*regionUnit
	clients  map[string]api
	start    time.Time
	end      time.Time
	adjusted bool // retention changed a period (coarsened it, or raised the automatic one)
}

// prepare validates q, resolves periods and the window, checks the load's size, and looks the
// queries up in the cache. With young, periods are resolved as if the data were new (no
// retention adjustment): a window loaded when it was recent is then found in the cache at the
// period it was loaded at.
func (l *loader) prepare(ctx context.Context, q Query, now time.Time, young bool) (*prepared, error) {
	us, err := q.units()
	if err != nil {
		return nil, err
	}
	defaultLabels(us)
	p := &prepared{res: &Result{Query: q, Title: q.Title, loader: l}, us: us, byID: map[string]*unit{}}
	for _, u := range us {
		p.byID[u.id] = u
	}
	start, end, err := q.Window.resolve(now)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	age, err := checkWindow(q.Window, us, start, end, now, young)
	if err != nil {
		return nil, err
	}
	if err := l.resolvePeriods(p, q, start, end, age); err != nil {
		return nil, err
	}
	if err := l.resolveRegions(ctx, p, q); err != nil {
		return nil, err
	}
	if err := l.checkMemory(p); err != nil {
		return nil, err
	}
	for _, region := range p.res.Regions {
		if err := l.lookup(ctx, p, region); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// checkWindow refuses a window in the future or past retention, before any call, and returns
// the age of its start (0 with young).
func checkWindow(w Window, us []*unit, start, end, now time.Time, young bool) (time.Duration, error) {
	clock := "the loader's clock; CWNB_NOW or Options.Now pins it"
	if !start.Before(now) {
		return 0, errorf([]error{ErrInvalid}, "window %s starts at or after now (%s, %s): CloudWatch has no data there yet; move the window before now",
			w, now.Format(time.RFC3339), clock)
	}
	age := now.Sub(start)
	if age > retentionLimit && !young {
		oldest := now.Add(-retentionLimit).Truncate(time.Hour).Add(time.Hour)
		if now.Sub(end) >= retentionLimit {
			return 0, errorf([]error{ErrInvalid, errTooOld}, "window %s ends more than 455 days before now (%s, %s): CloudWatch keeps nothing that old; move the window after %s, or load it from a cache that holds it",
				w, now.Format(time.RFC3339), clock, oldest.Format(time.RFC3339))
		}
		return 0, errorf([]error{ErrInvalid, errTooOld}, "window %s starts more than 455 days before now (%s): CloudWatch keeps nothing that old; start it at %s or later",
			w, now.Format(time.RFC3339), oldest.Format(time.RFC3339))
	}
	for _, u := range us {
		if u.kind == kindSQL && age > 14*24*time.Hour && !young {
			return 0, invalidf("expression %s is a Metrics Insights query, which reads only the last 2 weeks, and the window starts %s ago; move the window or use SEARCH", u.id, fmtDur(age.Round(time.Hour)))
		}
	}
	if young {
		return 0, nil
	}
	return age, nil
}

// resolvePeriods gives every query its period (the query's, the load's, or the automatic one,
// coarsened to what CloudWatch keeps at the window's age) and aligns the window to them.
func (l *loader) resolvePeriods(p *prepared, q Query, start, end time.Time, age time.Duration) error {
	res := p.res
	qp := q.Period
	if qp == 0 {
		qp = autoPeriod(end.Sub(start), age)
		p.adjusted = p.adjusted || qp != autoPeriod(end.Sub(start), 0)
		res.PeriodAuto = true
		res.Notes = append(res.Notes, warnf(ErrCoarsePeriod, "period %s chosen automatically for a %s window%s (set Query.Period to choose)",
			fmtDur(qp), fmtDur(end.Sub(start).Round(time.Second)), retainedText(age)))
	}
	setPeriod := func(u *unit, per time.Duration) error {
		cp, changed := coarsen(per, age)
		if changed {
			p.adjusted = true
			if l.opts.StrictPeriod {
				return invalidf("%s: period %s is finer than CloudWatch keeps for data %s (it keeps %s there); use %s or a later window",
					u.id, fmtDur(per), ageText(age), fmtDur(cp), fmtDur(cp))
			}
			res.Warnings = append(res.Warnings, warnf(ErrCoarsePeriod, "%s: period %s is finer than CloudWatch keeps for data %s; loaded at %s instead",
				u.id, fmtDur(per), ageText(age), fmtDur(cp)))
		}
		u.period = cp
		return nil
	}
	for _, u := range p.us {
		if u.kind == kindMath {
			continue
		}
		per := u.period
		if per == 0 {
			per = qp
		}
		if err := setPeriod(u, per); err != nil {
			return err
		}
	}
	if err := mathPeriods(p, qp, setPeriod); err != nil {
		return err
	}
	return alignWindow(p, q, start, end)
}

// mathPeriods gives each metric-math query its explicit period, or the coarsest period of what it
// references.
func mathPeriods(p *prepared, qp time.Duration, setPeriod func(*unit, time.Duration) error) error {
	var derive func(u *unit) time.Duration
	derive = func(u *unit) time.Duration {
		if u.kind != kindMath || u.period != 0 {
			return u.period
		}
		per := time.Duration(0)
		for _, r := range u.refs {
			per = max(per, derive(p.byID[r]))
		}
		if per == 0 {
			per = qp
		}
		u.period = per
		return per
	}
	for _, u := range p.us {
		if u.kind != kindMath {
			continue
		}
		explicit := u.period
		u.period = 0
		if explicit != 0 {
			if err := setPeriod(u, explicit); err != nil {
				return err
			}
		} else {
			derive(u)
		}
	}
	return nil
}

// alignWindow checks that the periods fit one grid and aligns the window to the coarsest.
func alignWindow(p *prepared, q Query, start, end time.Time) error {
	grid, coarse := p.us[0].period, p.us[0].period
	for _, u := range p.us {
		grid = min(grid, u.period)
		coarse = max(coarse, u.period)
	}
	for _, u := range p.us {
		if u.period%grid != 0 {
			return invalidf("%s has period %s, not a multiple of %s, the finest period of this load; give all queries periods that are multiples of each other", u.id, fmtDur(u.period), fmtDur(grid))
		}
	}
	start, end = alignDown(start, coarse), alignDown(end, coarse)
	if !end.After(start) {
		return invalidf("window %s holds no complete %s period; widen it or use a shorter period", q.Window, fmtDur(coarse))
	}
	if n := int64(end.Sub(start) / grid); n > 10_000_000 {
		return invalidf("window %s at %s is %d periods per series; use a longer period", q.Window, fmtDur(grid), n)
	}
	p.res.Period, p.res.Start, p.res.End = grid, start, end
	p.start, p.end = start, end
	return nil
}

// resolveRegions sets the load's regions: the query's, or the loader's.
func (l *loader) resolveRegions(ctx context.Context, p *prepared, q Query) error {
	regions := q.Regions
	if len(regions) == 0 {
		r, err := l.defaultRegion(ctx)
		if err != nil {
			return err
		}
		regions = []string{r}
	}
	seen := map[string]bool{}
	for _, r := range regions {
		if strings.TrimSpace(r) == "" {
			return invalidf("region %q is empty; use a name such as us-east-1", r)
		}
		if seen[r] {
			return invalidf("region %s is listed twice", r)
		}
		seen[r] = true
	}
	p.res.Regions = regions
	p.clients = map[string]api{}
	return nil
}

// lookup makes region's client (online) and finds what the cache holds for each visible query.
func (l *loader) lookup(ctx context.Context, p *prepared, region string) error {
	res := p.res
	epURL := l.opts.Endpoint
	if !l.opts.Offline {
		c, err := l.client(ctx, region)
		if err != nil {
			return err
		}
		p.clients[region] = c
		epURL = l.endpointURL(c)
	} else if epURL == "" {
		epURL = l.endpointURL(nil)
	}
	ep := endpointName(epURL)
	res.Endpoint = ep
	var rus []*regionUnit
	for _, u := range p.us {
		if !u.hidden {
			rus = append(rus, &regionUnit{region: region, u: u, fetch: map[[2]int64]*fetched{}})
		}
	}
	l.keysFor(ep, region, rus, p.byID)
	files := l.readFiles(rus)
	from := map[string]bool{}
	used := map[*cacheFile]int{}
	for _, ru := range rus {
		if rd := files[ru.key.path()]; rd != nil && rd.f != nil {
			if ru.cached = rd.f.get(ru.key.key); ru.cached != nil {
				from[rd.from] = true
				used[rd.f]++
			}
		}
		var covered [][2]int64
		if ru.cached != nil {
			covered = ru.cached.covered
		}
		ru.miss = missing(covered, p.start.Unix(), p.end.Unix())
		if len(ru.miss) == 0 {
			res.Cache.Hits++
		} else {
			res.Cache.Misses++
		}
		p.rus = append(p.rus, ru)
	}
	for _, ru := range rus {
		if rd := files[ru.key.path()]; ru.cached != nil && rd != nil {
			ru.alias = 2*used[rd.f] >= len(rd.f.entries)
		}
	}
	// Offline, the cache of another endpoint may answer (a notebook recorded against the local
	// CloudWatch, re-run with no endpoint set): the result says where its data was recorded, so
	// that its output is the same as online.
	if names := sortedKeys(from); len(names) == 1 {
		res.Endpoint = names[0]
	} else if len(names) > 1 {
		res.Notes = append(res.Notes, warnf(ErrOffline, "offline: served from the caches recorded against endpoints %s", strings.Join(names, ", ")))
	}
	for _, path := range sortedKeys(files) {
		if rd := files[path]; rd.err != nil {
			if l.opts.Offline {
				return offlineReadError(l.cache.Dir(), path, rd.err)
			}
			if errors.Is(rd.err, errOldCacheFormat) {
				res.Notes = append(res.Notes, warnf(ErrCorrupt, "cache file %s was %s; fetched again and rewritten", filePath(l.cache.Dir(), path, rd.err), errText(rd.err)))
				continue
			}
			res.Warnings = append(res.Warnings, warnf(ErrCorrupt, "cache file %s is unreadable (%v); fetched again", path, rd.err))
			res.Cache.Corrupt++
		}
	}
	return nil
}

// readResult is one cache file read.
type readResult struct {
	f    *cacheFile
	from string
	err  error
}

// readFiles reads the cache files of rus, on every core: decoding is CPU work and a load may
// hold thousands of queries. Nothing is read without a cache.
func (l *loader) readFiles(rus []*regionUnit) map[string]*readResult {
	out := map[string]*readResult{}
	if l.opts.NoCache {
		return out
	}
	var paths []string
	first := map[string]cacheKey{}
	for _, ru := range rus {
		if _, ok := first[ru.key.path()]; !ok {
			first[ru.key.path()] = ru.key
			paths = append(paths, ru.key.path())
		}
	}
	rds := make([]readResult, len(paths))
	parallel.For(len(paths), func(i int) {
		rds[i].f, rds[i].from, rds[i].err = l.cache.readFile(first[paths[i]], l.opts.Offline)
	})
	for i, path := range paths {
		out[path] = &rds[i]
	}
	return out
}

// ageText names the retention band of data age old, not the age itself, so that messages about
// a fixed window stay the same from one day to the next: "older than 15 days".
func ageText(age time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case age >= 63*day:
		return "older than 63 days"
	case age >= 15*day:
		return "older than 15 days"
	case age >= 3*time.Hour:
		return "older than 3 hours"
	}
	return "younger than 3 hours"
}

// retainedText explains an automatic period that retention raised: "" for data young enough to
// have every period, else " of data older than 15 days, which CloudWatch keeps at 5m".
func retainedText(age time.Duration) string {
	per, _ := retention(age)
	if per <= time.Minute {
		return ""
	}
	return fmt.Sprintf(" of data %s, which CloudWatch keeps at %s", ageText(age), fmtDur(per))
}
