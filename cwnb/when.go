package cwnb

import (
	"errors"
	"fmt"
	"time"

	"github.com/cwnb/cwnb/cwnb/ts"
)

// When says "when" for Split, Compare, PlotSplit and chart marks: a window that recurs on the UTC
// calendar (Hourly, Daily, Weekdays, Every) or an absolute one (Span, Before, Since, At). It is
// ts.When; see there for the rules. Every analysis checks it against the data's period: a
// recurring window finer than the data (minutes :00-:05 over 10-minute data) is an error that
// says which period to load, never a number.
type When = ts.When

// Hourly is minutes [from, to) of every hour, UTC: Hourly(0, 5*time.Minute) is ":00-:05".
func Hourly(from, to time.Duration) When { return ts.Hourly(from, to) }

// Daily is the times of day [from, to) of every day, UTC: Daily(2*time.Hour,
// 2*time.Hour+30*time.Minute) is "02:00-02:30"; When.On restricts it to weekdays.
func Daily(from, to time.Duration) When { return ts.Daily(from, to) }

// Weekdays is Monday to Friday, all day, UTC.
func Weekdays() When { return ts.Weekdays() }

// Every is the window [from, to) of every cycle, for cycles other than an hour or a day:
// Every(15*time.Minute, 0, time.Minute). The cycle divides a day or is a week.
func Every(cycle, from, to time.Duration) When { return ts.Every(cycle, from, to) }

// Span is the absolute window [start, end).
func Span(start, end time.Time) When { return ts.Span(start, end) }

// Before is every time before t: the "before the deploy" group.
func Before(t time.Time) When { return ts.Before(t) }

// Since is every time from t on: the "after the deploy" group.
func Since(t time.Time) When { return ts.Since(t) }

// At is the instant t, for a chart mark such as a deploy or a change point.
func At(t time.Time) When { return ts.At(t) }

// Must returns v, or panics with err: fold := cwnb.Must(res.Fold("Latency p99",
// cwnb.MinuteOfHour)) spares a cell the if-err-panic lines. A notebook cell that panics fails
// visibly with the error, which is what a notebook wants; code that handles errors should not
// use it.
func Must[T any](v T, err error) T {
	if err != nil {
		panic("cwnb: " + err.Error())
	}
	return v
}

var errNoResult = errors.New("no result (nil); load one with cwnb.Load or cwnb.MustLoad")

// periodOf is the period of a column's values.
func (r *Result) periodOf(s *Series) time.Duration {
	if s.Period > 0 {
		return s.Period
	}
	return r.Period
}

// checkPeriod returns nil when data of the column at its period resolves need (a fold key's or a
// window's Resolution: the period divides it), and otherwise an error wrapping ErrCoarsePeriod
// that says which period is needed and how to load it.
func (r *Result) checkPeriod(s *Series, what string, need time.Duration) error {
	p := r.periodOf(s)
	if p > 0 && need%p == 0 {
		return nil
	}
	e := &periodError{column: s.Column, what: what, have: p, need: need, auto: r.PeriodAuto, window: r.End.Sub(r.Start)}
	for _, w := range r.Warnings {
		if errors.Is(w, ErrCoarsePeriod) {
			e.coarsened = w.Text
			break
		}
	}
	return e
}

// periodError says that data are too coarse (or on a grid that does not meet the boundaries)
// for a question: it wraps ErrCoarsePeriod.
type periodError struct {
	column     string
	what       string
	have, need time.Duration
	auto       bool
	window     time.Duration
	coarsened  string // the loader's warning when it coarsened the period asked for
}

func (e *periodError) Error() string {
	auto := ""
	if e.auto {
		auto = fmt.Sprintf(" (the automatic period for a %s window)", periodString(e.window))
	}
	fix := time.Minute
	if e.need < time.Minute {
		fix = e.need
		for _, p := range []time.Duration{30 * time.Second, 10 * time.Second, 5 * time.Second, time.Second} {
			if e.need%p == 0 {
				fix = p
				break
			}
		}
	}
	if e.coarsened != "" {
		// The query asked for a fine period, but CloudWatch no longer keeps it for this window.
		return fmt.Sprintf("column %q is at a period of %s (%s), but %s needs data at a period that divides %s, or each value would mix periods inside and outside it; load a window that CloudWatch still keeps at %s (1m data: the last 15 days; against a local CloudWatch, start it with -now inside the window), then ask again",
			e.column, periodString(e.have), e.coarsened, e.what, periodString(e.need), periodString(fix))
	}
	return fmt.Sprintf("column %q is at a period of %s%s, but %s needs data at a period that divides %s, or each value would mix periods inside and outside it; load it with Period: %s in the Query (or call res.Reload(ctx, %s)), then ask again",
		e.column, periodString(e.have), auto, e.what, periodString(e.need), goDuration(fix), goDuration(fix))
}

func (e *periodError) Unwrap() error { return ErrCoarsePeriod }
