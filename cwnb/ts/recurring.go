package ts

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// When says "when": a window that recurs on the UTC calendar (minutes :00-:05 of every hour,
// 02:00-02:30 of every day, weekdays) or an absolute one ([start, end), before a deploy, since a
// deploy, one instant). It is the one vocabulary of time selections: Split and Compare group by
// it, folds and charts check it against the data's period, and charts draw it as highlights.
//
// A When is a value built by Every, Hourly, Daily, Weekdays, Span, Before, Since or At. A
// constructor given bad arguments returns a When that carries the error (Err), so that the
// analysis using it reports the mistake instead of the constructor panicking in a notebook cell;
// the zero When is invalid.
//
// Recurring windows are measured in UTC from Monday 00:00 (Every(time.Hour, ...) from each hour,
// Every(24*time.Hour, ...) from each midnight).
type When struct {
	kind     whenKind
	cycle    time.Duration // recurring: the cycle, which divides a day or is a week
	from, to time.Duration // recurring: [from, to) within each cycle; to < from wraps
	days     uint8         // recurring: bit d set = the occurrences starting on weekday d; 0 = every day
	start    time.Time     // absolute: inclusive start; zero = unbounded
	end      time.Time     // absolute: exclusive end; zero = unbounded
	err      error
}

type whenKind uint8

const (
	whenInvalid whenKind = iota
	whenRecurring
	whenSpan // [start, end), either side possibly unbounded
	whenAt   // the instant start: selects nothing, drawn as a line
)

// MaxOccurrences is the most occurrences of a recurring window that Occurrences generates (for
// chart highlights): a week of an hourly window is 168, a day of a 1-minute one 1,440.
const MaxOccurrences = 10000

// ErrWhen is wrapped by the errors of a badly built When (Err) and of Occurrences.
var ErrWhen = errors.New("ts: invalid time selection")

const (
	day  = 24 * time.Hour
	week = 7 * day
)

// monday is the origin of recurring windows: Monday 1970-01-05 00:00 UTC.
var monday = time.Date(1970, 1, 5, 0, 0, 0, 0, time.UTC)

// Every returns the window [from, to) of every cycle: Every(time.Hour, 0, 5*time.Minute) is
// minutes :00-:05 of every hour; Every(24*time.Hour, 2*time.Hour, 2*time.Hour+30*time.Minute)
// is 02:00-02:30 every day (UTC). to smaller than from wraps the cycle (Every(time.Hour,
// 55*time.Minute, 5*time.Minute) is :55-:05). The cycle must divide a day or be a week and be
// at least a second, and 0 ≤ from < cycle, 0 ≤ to ≤ cycle, from ≠ to.
func Every(cycle, from, to time.Duration) When {
	w := When{kind: whenRecurring, cycle: cycle, from: from, to: to}
	switch {
	case cycle < time.Second:
		w.err = fmt.Errorf("%w: cycle %v is under a second; write durations with their unit, such as time.Hour or 5*time.Minute (a bare number is nanoseconds)", ErrWhen, cycle)
	case day%cycle != 0 && cycle != week:
		w.err = fmt.Errorf("%w: cycle %v neither divides a day nor is a week; use time.Hour, 24*time.Hour, 7*24*time.Hour or a divisor of a day", ErrWhen, cycle)
	case from < 0 || from >= cycle || to < 0 || to > cycle:
		w.err = fmt.Errorf("%w: window %v-%v is not within the cycle of %v; want 0 ≤ from < %v and 0 ≤ to ≤ %v", ErrWhen, from, to, cycle, cycle, cycle)
	case from == to:
		w.err = fmt.Errorf("%w: window %v-%v is empty; to must differ from from", ErrWhen, from, to)
	}
	return w
}

// Hourly returns minutes [from, to) of every hour: Hourly(0, 5*time.Minute) is ":00-:05".
func Hourly(from, to time.Duration) When { return Every(time.Hour, from, to) }

// Daily returns the times of day [from, to) of every day, in UTC: Daily(2*time.Hour,
// 2*time.Hour+30*time.Minute) is "02:00-02:30". to smaller than from wraps midnight.
func Daily(from, to time.Duration) When { return Every(day, from, to) }

// Weekdays returns every Monday to Friday, all day (UTC).
func Weekdays() When {
	return Daily(0, day).On(time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday)
}

// On restricts a recurring window of a day or shorter to the occurrences that start on the given
// weekdays (UTC): Daily(9*time.Hour, 17*time.Hour).On(time.Saturday, time.Sunday).
func (w When) On(days ...time.Weekday) When {
	if w.err != nil {
		return w
	}
	if w.kind != whenRecurring || w.cycle > day {
		w.err = fmt.Errorf("%w: On applies to a window that recurs daily or more often, not to %s", ErrWhen, w)
		return w
	}
	if len(days) == 0 {
		w.err = fmt.Errorf("%w: On needs at least one weekday", ErrWhen)
		return w
	}
	var mask uint8
	for _, d := range days {
		if d < time.Sunday || d > time.Saturday {
			w.err = fmt.Errorf("%w: weekday %d is not a time.Weekday", ErrWhen, int(d))
			return w
		}
		mask |= 1 << d
	}
	if w.days != 0 {
		mask &= w.days
	}
	w.days = mask
	return w
}

// Span returns the absolute window [start, end).
func Span(start, end time.Time) When {
	w := When{kind: whenSpan, start: start.UTC(), end: end.UTC()}
	if start.IsZero() || end.IsZero() || !end.After(start) {
		w.err = fmt.Errorf("%w: span %s/%s: want a start before the end", ErrWhen, fmtTime(start), fmtTime(end))
	}
	return w
}

// Before returns every time before t: the "before the deploy" group.
func Before(t time.Time) When {
	w := When{kind: whenSpan, end: t.UTC()}
	if t.IsZero() {
		w.err = fmt.Errorf("%w: Before of the zero time; pass the moment that divides the groups", ErrWhen)
	}
	return w
}

// Since returns every time from t on (t included): the "after the deploy" group.
func Since(t time.Time) When {
	w := When{kind: whenSpan, start: t.UTC()}
	if t.IsZero() {
		w.err = fmt.Errorf("%w: Since of the zero time; pass the moment that divides the groups", ErrWhen)
	}
	return w
}

// At returns the instant t: it selects no period, and a chart draws it as a vertical line (a
// deploy, a change point).
func At(t time.Time) When {
	w := When{kind: whenAt, start: t.UTC(), end: t.UTC()}
	if t.IsZero() {
		w.err = fmt.Errorf("%w: At of the zero time", ErrWhen)
	}
	return w
}

// Err returns why the When is invalid, or nil.
func (w When) Err() error {
	if w.kind == whenInvalid && w.err == nil {
		return fmt.Errorf("%w: the zero When selects nothing; build one with Hourly, Daily, Every, Span, Before or Since", ErrWhen)
	}
	return w.err
}

// Recurring reports whether the window recurs (Every, Hourly, Daily, Weekdays) rather than being
// absolute (Span, Before, Since, At).
func (w When) Recurring() bool { return w.kind == whenRecurring }

// Cycle returns how often a recurring window repeats (time.Hour for Hourly), and 0 for an
// absolute one.
func (w When) Cycle() time.Duration {
	if w.kind != whenRecurring {
		return 0
	}
	return w.cycle
}

// Contains reports whether t lies in the window. It is false for every t when the When is invalid
// or an instant (At).
func (w When) Contains(t time.Time) bool {
	if w.err != nil {
		return false
	}
	switch w.kind {
	case whenRecurring:
		_, ok := w.occurrence(t)
		return ok
	case whenSpan:
		return (w.start.IsZero() || !t.Before(w.start)) && (w.end.IsZero() || t.Before(w.end))
	}
	return false
}

// occurrence returns the start of the occurrence holding t and whether there is one.
func (w When) occurrence(t time.Time) (time.Time, bool) {
	ph := time.Duration(mod(t.Sub(monday), w.cycle))
	var into time.Duration
	if w.from < w.to {
		if ph < w.from || ph >= w.to {
			return time.Time{}, false
		}
		into = ph - w.from
	} else {
		if ph < w.from && ph >= w.to {
			return time.Time{}, false
		}
		into = time.Duration(mod(ph-w.from, w.cycle))
	}
	s := t.Add(-into)
	if w.days != 0 && w.days&(1<<s.UTC().Weekday()) == 0 {
		return time.Time{}, false
	}
	return s, true
}

// mod is d modulo m in [0, m), also for negative d (times before 1970-01-05).
func mod(d, m time.Duration) time.Duration {
	r := d % m
	if r < 0 {
		r += m
	}
	return r
}

// Resolution returns the coarsest period at which data resolves the window: every boundary of the
// window falls on a multiple of it (since the Unix epoch, as CloudWatch's periods). Data whose
// period divides it fall entirely inside or outside the window, period by period; data at a
// coarser or non-dividing period mix both sides in one value. Hourly(0, 5*time.Minute) needs 5m
// (so 1m or 5m data); Before(14:07) needs 1m. An unbounded or invalid window returns a week.
func (w When) Resolution() time.Duration {
	// The boundaries, measured from the Unix epoch (a Thursday; the Monday origin is 4 days later):
	// monday + k·cycle + from and + to for a recurring window, start and end for an absolute one.
	g := int64(week)
	add := func(d time.Duration) { g = gcdInt(g, int64(mod(d, week))) }
	epoch := time.Unix(0, 0).UTC()
	switch {
	case w.err != nil:
	case w.kind == whenRecurring:
		add(w.cycle)
		add(monday.Sub(epoch) + w.from)
		add(monday.Sub(epoch) + w.to)
	default:
		if !w.start.IsZero() {
			add(w.start.Sub(epoch))
		}
		if !w.end.IsZero() {
			add(w.end.Sub(epoch))
		}
	}
	if g <= 0 {
		return week
	}
	return time.Duration(g)
}

// Straddles reports whether the period [start, start+period) holds times both inside and outside
// the window: such a period's value mixes the two groups. It never does when period divides
// Resolution and start is a multiple of period.
func (w When) Straddles(start time.Time, period time.Duration) bool {
	if w.err != nil || period <= 0 || w.kind == whenAt {
		return false
	}
	end := start.Add(period)
	in := w.Contains(start)
	if w.kind == whenSpan {
		for _, b := range []time.Time{w.start, w.end} {
			if !b.IsZero() && b.After(start) && b.Before(end) && w.Contains(b) != in {
				return true
			}
		}
		return false
	}
	// Membership only changes where an occurrence starts or ends (phases from and to of each
	// cycle): look at those inside the period.
	if period/w.cycle > MaxOccurrences {
		return !(w.from == 0 && w.to == w.cycle && w.days == 0)
	}
	base := start.Add(-mod(start.Sub(monday), w.cycle))
	for c := base; c.Before(end); c = c.Add(w.cycle) {
		for _, s := range []time.Duration{w.from, w.to} {
			b := c.Add(s)
			if b.After(start) && b.Before(end) && w.Contains(b) != in {
				return true
			}
		}
	}
	return false
}

// Occurrences returns the occurrences of the window that overlap [from, to), clipped to it, as
// start and end times: one per cycle for a recurring window, the window itself for an absolute
// one (unbounded sides clipped to [from, to)), and the instant (start = end) for At. It refuses,
// before generating anything, more than MaxOccurrences occurrences.
func (w When) Occurrences(from, to time.Time) (starts, ends []time.Time, err error) {
	if err := w.Err(); err != nil {
		return nil, nil, err
	}
	if !to.After(from) {
		return nil, nil, nil
	}
	switch w.kind {
	case whenAt:
		if !w.start.Before(from) && w.start.Before(to) {
			return []time.Time{w.start}, []time.Time{w.start}, nil
		}
		return nil, nil, nil
	case whenSpan:
		s, e := w.start, w.end
		if s.IsZero() || s.Before(from) {
			s = from
		}
		if e.IsZero() || e.After(to) {
			e = to
		}
		if !e.After(s) {
			return nil, nil, nil
		}
		return []time.Time{s}, []time.Time{e}, nil
	}
	if n := to.Sub(from)/w.cycle + 2; n > MaxOccurrences {
		return nil, nil, fmt.Errorf("%w: %s occurs about %d times in %s/%s, more than the %d a chart can show; use a shorter window or a longer cycle",
			ErrWhen, w, n, fmtTime(from), fmtTime(to), MaxOccurrences)
	}
	length := mod(w.to-w.from, w.cycle)
	if length == 0 {
		length = w.cycle
	}
	// The first occurrence that can overlap from starts at most one cycle before it.
	c := from.Add(-mod(from.Sub(monday), w.cycle)).Add(-w.cycle)
	for ; c.Before(to); c = c.Add(w.cycle) {
		s := c.Add(w.from)
		e := s.Add(length)
		if !e.After(from) || !s.Before(to) {
			continue
		}
		if w.days != 0 && w.days&(1<<s.UTC().Weekday()) == 0 {
			continue
		}
		if s.Before(from) {
			s = from
		}
		if e.After(to) {
			e = to
		}
		starts, ends = append(starts, s), append(ends, e)
	}
	return starts, ends, nil
}

// Complement names the periods outside the window, for the second group of a comparison: "since
// 14:07" for Before(14:07), "before ..." for Since, "the rest" for a recurring window.
func (w When) Complement() string {
	if w.err != nil || w.kind != whenSpan {
		return "the rest"
	}
	switch {
	case w.start.IsZero():
		return "since " + fmtTime(w.end)
	case w.end.IsZero():
		return "before " + fmtTime(w.start)
	}
	return "outside " + fmtTime(w.start) + "/" + fmtTime(w.end)
}

// String describes the window: "every hour :00-:05", "every day 02:00-02:30", "weekdays",
// "every day 09:00-17:00 on Sat,Sun", "before 2026-11-19T14:07Z", "2026-11-19T09:00Z/2026-11-19T12:00Z".
func (w When) String() string {
	if w.kind == whenInvalid {
		return "invalid When"
	}
	switch w.kind {
	case whenSpan:
		switch {
		case w.start.IsZero():
			return "before " + fmtTime(w.end)
		case w.end.IsZero():
			return "since " + fmtTime(w.start)
		}
		return fmtTime(w.start) + "/" + fmtTime(w.end)
	case whenAt:
		return "at " + fmtTime(w.start)
	}
	if w.from == 0 && w.to == w.cycle && w.cycle == day && w.days == weekdayMask {
		return "weekdays"
	}
	var s string
	switch w.cycle {
	case time.Hour:
		s = fmt.Sprintf("every hour :%s-:%s", minSec(w.from), minSec(w.to))
	case day:
		s = fmt.Sprintf("every day %s-%s", clock(w.from), clock(w.to))
	case week:
		s = fmt.Sprintf("every week %s-%s", weekClock(w.from), weekClock(w.to))
	default:
		s = fmt.Sprintf("every %s, %s-%s into it", shortDur(w.cycle), shortDur(w.from), shortDur(w.to))
	}
	if w.days != 0 {
		var names []string
		for d := time.Sunday; d <= time.Saturday; d++ {
			if w.days&(1<<d) != 0 {
				names = append(names, d.String()[:3])
			}
		}
		s += " on " + strings.Join(names, ",")
	}
	return s
}

const weekdayMask = 1<<time.Monday | 1<<time.Tuesday | 1<<time.Wednesday | 1<<time.Thursday | 1<<time.Friday

// minSec writes an offset into an hour: "05", or "05:30" with seconds.
func minSec(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%02d", d/time.Minute)
	}
	return fmt.Sprintf("%02d:%02d", d/time.Minute, d%time.Minute/time.Second)
}

// clock writes an offset into a day: "02:30", "24:00" for the end of the day.
func clock(d time.Duration) string {
	s := fmt.Sprintf("%02d:%02d", d/time.Hour, d%time.Hour/time.Minute)
	if d%time.Minute != 0 {
		s += fmt.Sprintf(":%02d", d%time.Minute/time.Second)
	}
	return s
}

// weekClock writes an offset into a week from Monday: "Mon 02:00".
func weekClock(d time.Duration) string {
	return weekdays[int(d/day)%7] + " " + clock(d%day)
}

// shortDur writes d without zero units: "15m", "1h30m", "0s".
func shortDur(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// fmtTime writes t in RFC 3339 UTC, without seconds when they are zero.
func fmtTime(t time.Time) string {
	t = t.UTC()
	if t.Second() == 0 && t.Nanosecond() == 0 {
		return t.Format("2006-01-02T15:04Z")
	}
	return t.Format(time.RFC3339Nano)
}

// Resolution returns the coarsest period at which data resolves the key: every key's boundary
// falls on a multiple of it. A minute-of-hour fold needs data at a period that divides a minute;
// hour-of-day and hour-of-week one that divides an hour; day-of-week and day one that divides a
// day.
func (f FoldBy) Resolution() time.Duration {
	switch f {
	case MinuteOfHour, MinuteOfDay:
		return time.Minute
	case HourOfDay, HourOfWeek:
		return time.Hour
	}
	return day
}

func gcdInt(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
