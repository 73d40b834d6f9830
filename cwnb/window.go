package cwnb

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DefaultDelay is the ingestion delay of a relative window: "the last 24h" ends DefaultDelay before
// now, because CloudWatch may still be receiving datapoints for the latest minutes. It is also how
// long after a period's end its value counts as final for the cache.
const defaultDelay = 3 * time.Minute

// MaxAutoPoints is the largest number of periods per series that the automatic period allows:
// a day loads at 1m, two days at 5m, a week at 10m.
const maxAutoPoints = 1440

// Window is the time range of a load: absolute (Start and End, the right choice for a versioned
// notebook) or relative (Last, ending Delay before now). Start is inclusive and End exclusive, as
// in CloudWatch; both are aligned down to the period on the grid of multiples of the period since
// the Unix epoch, so the result holds every complete period [t, t+period) with t+period ≤ End.
type Window struct {
	Start, End time.Time
	// Last, when not zero, makes the window relative: [now-Delay-Last, now-Delay).
	Last time.Duration
	// Delay is the ingestion delay of a relative window; zero means DefaultDelay and a negative
	// value none.
	Delay time.Duration

	err error
}

// Between returns the absolute window [start, end).
func Between(start, end time.Time) Window {
	return Window{Start: start.UTC(), End: end.UTC()}
}

// Last returns the relative window of the last d, ending DefaultDelay before now.
func Last(d time.Duration) Window {
	return Window{Last: d}
}

// ParseWindow parses start (RFC 3339, or a date "2026-11-19" meaning midnight UTC) and length: a
// duration ("24h", "90m", "7d", "1w") or an RFC 3339 end time.
func parseWindow(start, length string) (Window, error) {
	s, err := parseTime(start)
	if err != nil {
		return Window{}, fmt.Errorf("window start %q: %w", start, err)
	}
	if e, err := parseTime(length); err == nil {
		if !e.After(s) {
			return Window{}, fmt.Errorf("window end %s is not after its start %s; swap them", e.Format(time.RFC3339), s.Format(time.RFC3339))
		}
		return Between(s, e), nil
	}
	d, err := parseLength(length)
	if err != nil {
		return Window{}, fmt.Errorf("window length %q: %w", length, err)
	}
	return Between(s, s.Add(d)), nil
}

func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("not an RFC 3339 time; write it like 2026-11-19T00:00:00Z")
}

// parseLength parses a positive duration, also accepting whole days ("7d") and weeks ("2w").
func parseLength(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var d time.Duration
	var err error
	if n, ok := strings.CutSuffix(s, "d"); ok {
		var k int
		k, err = strconv.Atoi(n)
		d = time.Duration(k) * 24 * time.Hour
	} else if n, ok := strings.CutSuffix(s, "w"); ok {
		var k int
		k, err = strconv.Atoi(n)
		d = time.Duration(k) * 7 * 24 * time.Hour
	} else {
		d, err = time.ParseDuration(s)
	}
	if err != nil {
		return 0, fmt.Errorf("not a duration; write it like 24h, 90m or 7d")
	}
	if d <= 0 {
		return 0, fmt.Errorf("not positive; write it like 24h, 90m or 7d")
	}
	return d, nil
}

// String describes the window: "2026-11-19T00:00:00Z/2026-11-20T00:00:00Z" or "last 24h".
func (w Window) String() string {
	if w.Last != 0 {
		return "last " + fmtDur(w.Last)
	}
	return w.Start.UTC().Format(time.RFC3339) + "/" + w.End.UTC().Format(time.RFC3339)
}

// alignDown returns the start of the period holding t on the epoch grid. Periods are whole seconds.
func alignDown(t time.Time, p time.Duration) time.Time {
	ps := int64(p / time.Second)
	if ps <= 0 {
		return t.UTC()
	}
	s := t.Unix()
	r := s % ps
	if r < 0 {
		r += ps
	}
	return time.Unix(s-r, 0).UTC()
}

// Retention returns the finest period CloudWatch still holds for data that is age old: under 3 h
// high-resolution data (1 s), under 15 days 1 minute, under 63 days 5 minutes, under 455 days
// 1 hour. ok is false beyond 455 days, where CloudWatch keeps nothing.
func retention(age time.Duration) (period time.Duration, ok bool) {
	const day = 24 * time.Hour
	switch {
	case age < 3*time.Hour:
		return time.Second, true
	case age < 15*day:
		return time.Minute, true
	case age < 63*day:
		return 5 * time.Minute, true
	case age < 455*day:
		return time.Hour, true
	}
	return 0, false
}

// autoPeriods are the periods AutoPeriod chooses from.
var autoPeriods = []time.Duration{time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute,
	time.Hour, 6 * time.Hour, 24 * time.Hour}

// AutoPeriod returns the period used when a Query has none: the smallest of 1m, 5m, 10m, 15m, 1h,
// 6h and 1d that CloudWatch's retention allows for data as old as the window's start (age) and
// that gives at most MaxAutoPoints periods over length.
func autoPeriod(length, age time.Duration) time.Duration {
	min, _ := retention(age)
	for _, p := range autoPeriods {
		if p < min {
			continue
		}
		if (length+p-1)/p <= maxAutoPoints {
			return p
		}
	}
	return autoPeriods[len(autoPeriods)-1]
}

// coarsen returns the period to request for an explicit period p whose data is age old: p itself
// when retention allows it, otherwise the smallest multiple of the retention period ≥ p.
func coarsen(p, age time.Duration) (time.Duration, bool) {
	min, _ := retention(age)
	if min <= time.Second {
		return p, false
	}
	if p%min == 0 {
		return p, false
	}
	return (p + min - 1) / min * min, true
}

// span is a window resolved against now and the periods of a load.
type span struct {
	start, end time.Time // aligned: start inclusive, end exclusive, multiples of the grid period
	grid       time.Duration
	relative   bool
	final      time.Time // periods ending at or before final are complete (now - delay)
}

// resolve turns w into absolute times, given now.
func (w Window) resolve(now time.Time) (start, end time.Time, err error) {
	if w.err != nil {
		return start, end, w.err
	}
	if w.Last < 0 {
		return start, end, fmt.Errorf("window Last %v is negative; use a positive duration such as 24h", w.Last)
	}
	if w.Last > 0 {
		if !w.Start.IsZero() || !w.End.IsZero() {
			return start, end, fmt.Errorf("window has both Last and Start/End; use one (Last for a relative window, Start/End for an absolute one)")
		}
		end = now.Add(-w.delay())
		return end.Add(-w.Last).UTC(), end.UTC(), nil
	}
	if w.Start.IsZero() || w.End.IsZero() {
		return start, end, fmt.Errorf("window is not set; use cwnb.Between(start, end), cwnb.Last(24*time.Hour) or Metric.Window(\"2026-11-19T00:00:00Z\", \"24h\")")
	}
	if !w.End.After(w.Start) {
		return start, end, fmt.Errorf("window end %s is not after its start %s; swap them", w.End.UTC().Format(time.RFC3339), w.Start.UTC().Format(time.RFC3339))
	}
	return w.Start.UTC(), w.End.UTC(), nil
}

func (w Window) delay() time.Duration {
	switch {
	case w.Delay < 0:
		return 0
	case w.Delay == 0:
		return defaultDelay
	}
	return w.Delay
}
