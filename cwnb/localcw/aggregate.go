package localcw

import (
	"slices"
	"time"

	"github.com/cwnb/cwnb/cwnb/cwstat"
	"github.com/cwnb/cwnb/cwnb/localcw/internal/store"
)

// grid is the period grid of one query: buckets [start+k·period, start+(k+1)·period) for the
// samples in [start, end). start is the rounded StartTime (see roundStart).
type grid struct {
	start, end time.Time
	period     time.Duration
}

// points is one computed time series: ascending bucket starts (Unix ms) and their values.
type points struct {
	t []int64
	v []float64
}

// aggregation is the answer to aggregate: one series per requested statistic, and the units
// of the datums that went in.
type aggregation struct {
	series []points
	units  []string
}

// aggregate computes stats over the datums of sr in g, keeping only datums of unit when unit is
// not empty. Standard-resolution datums, and high-resolution datums older than hiResCutoff, are
// stored at minute resolution as CloudWatch does: their timestamps are cut to the minute. Buckets
// with no datum are omitted, as are buckets where a statistic has no value (a percentile over
// negative values or statistic sets).
func aggregate(sr *store.Series, g grid, unit string, stats []cwstat.Stat, hiResCutoff time.Time, scanFrom time.Time) aggregation {
	agg := aggregation{series: make([]points, len(stats))}
	if sr == nil {
		return agg
	}
	periodMs := g.period.Milliseconds()
	startMs := g.start.UnixMilli()
	// Room for every bucket of the window (capped: a sparse series over a long window should not
	// reserve its whole grid).
	if n := g.end.Sub(g.start) / g.period; n > 0 {
		for i := range agg.series {
			agg.series[i].t = make([]int64, 0, min(n+1, 1<<14))
			agg.series[i].v = make([]float64, 0, min(n+1, 1<<14))
		}
	}
	cutoffMs := hiResCutoff.UnixMilli()
	var (
		b     cwstat.Bucket
		cur   int64 = -1
		out         = make([]float64, len(stats))
		ok          = make([]bool, len(stats))
		count int
	)
	flush := func() {
		if count == 0 {
			return
		}
		b.ComputeAll(stats, out, ok)
		ts := startMs + cur*periodMs
		for i := range stats {
			if ok[i] {
				agg.series[i].t = append(agg.series[i].t, ts)
				agg.series[i].v = append(agg.series[i].v, out[i])
			}
		}
		b.Reset()
		count = 0
	}
	from := g.start
	if scanFrom.After(from) {
		from = scanFrom
	}
	endMs := g.end.UnixMilli()
	// A standard-resolution datum published at 10:00:45 is stored at 10:00: scan a minute past
	// the end and compare the stored timestamp with it.
	sr.Scan(from, g.end.Add(time.Minute), func(d *store.Datum) {
		if unit != "" && d.Unit != unit {
			return
		}
		t := d.T
		if !d.HighRes || t < cutoffMs {
			t -= mod(t, 60_000)
		}
		if t < startMs || t >= endMs {
			return
		}
		if !slices.Contains(agg.units, d.Unit) {
			agg.units = append(agg.units, d.Unit)
		}
		idx := (t - startMs) / periodMs
		if idx != cur {
			flush()
			cur = idx
		}
		count++
		switch d.Kind {
		case store.Single:
			b.Add(d.Value, 1)
		case store.Distribution:
			if d.Counts == nil {
				for _, v := range d.Values {
					b.Add(v, 1)
				}
			} else {
				for i, v := range d.Values {
					b.Add(v, d.Counts[i])
				}
			}
		case store.Set:
			b.AddSet(cwstat.Set{SampleCount: d.Count, Sum: d.Sum, Minimum: d.Min, Maximum: d.Max})
		}
	})
	flush()
	slices.Sort(agg.units)
	return agg
}

// mod is the non-negative remainder of a / b.
func mod(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

// floorTime rounds t down to a multiple of step since the Unix epoch.
func floorTime(t time.Time, step time.Duration) time.Time {
	ms := t.UnixMilli()
	return time.UnixMilli(ms - mod(ms, step.Milliseconds())).UTC()
}

// Retention and rounding thresholds of CloudWatch (FACTS.md; GetMetricData API reference).
const (
	day              = 24 * time.Hour
	hiResRetention   = 3 * time.Hour
	minuteRetention  = 15 * day
	fiveMinRetention = 63 * day
	hourRetention    = 455 * day
)

// roundStart rounds a StartTime down as GetMetricData does: to the period's division of a
// minute for 1/5/10/20/30 s periods, otherwise to the minute when the start is less than 15 days
// old, to 5 minutes up to 63 days, and to the hour beyond.
func roundStart(start, now time.Time, period time.Duration) time.Time {
	age := now.Sub(start)
	switch {
	case period < time.Minute:
		return floorTime(start, period)
	case age < minuteRetention:
		return floorTime(start, time.Minute)
	case age < fiveMinRetention:
		return floorTime(start, 5*time.Minute)
	default:
		return floorTime(start, time.Hour)
	}
}

// periodRetained reports whether data at period is still kept for a start this old. When it is
// not, CloudWatch returns an empty result, not an error: high-resolution periods for 3 hours,
// multiples of 60 s for 15 days, of 300 s for 63 days, of 3600 s beyond.
func periodRetained(start, now time.Time, period time.Duration) bool {
	age := now.Sub(start)
	switch {
	case age > fiveMinRetention:
		return period%time.Hour == 0
	case age > minuteRetention:
		return period%(5*time.Minute) == 0
	case age > hiResRetention:
		return period%time.Minute == 0
	}
	return true
}

// validPeriod reports whether seconds is a period GetMetricData accepts.
func validPeriod(seconds int64) bool {
	switch seconds {
	case 1, 5, 10, 20, 30:
		return true
	}
	return seconds >= 60 && seconds%60 == 0
}
