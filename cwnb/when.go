package cwnb

import (
	"errors"
	"fmt"
	"time"
)

// Must returns v, or panics with err: fold := cwnb.Must(res.Fold("Latency p99",
// ts.MinuteOfHour)) spares a cell the if-err-panic lines. A notebook cell that panics fails
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
