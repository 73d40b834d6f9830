package ts

import (
	"fmt"
	"time"
)

// Split divides the values of (t, v) into those whose time satisfies in and the others, keeping
// their order and NaN: the two groups for Compare ("minutes :00-:05" against "the rest").
// Each value is judged by its own time alone, so t may be in any order and repeat.
func Split(t []time.Time, v []float64, in func(time.Time) bool) (yes, no []float64, err error) {
	if err := checkLen("Split", t, v); err != nil {
		return nil, nil, err
	}
	for i, x := range v {
		if in(t[i]) {
			yes = append(yes, x)
		} else {
			no = append(no, x)
		}
	}
	return yes, no, nil
}

// MinutesOfHour returns a predicate for Split that holds for times whose minute of the hour, in
// loc, lies in [from, to) (0 ≤ from < to ≤ 60): MinutesOfHour(0, 5, time.UTC) is ":00-:05".
// It panics on an empty or out-of-range interval or a nil location.
func MinutesOfHour(from, to int, loc *time.Location) func(time.Time) bool {
	if from < 0 || to > 60 || from >= to || loc == nil {
		panic(fmt.Sprintf("cwnb: ts.MinutesOfHour(%d, %d, %v): want 0 ≤ from < to ≤ 60 and a location", from, to, loc))
	}
	return func(t time.Time) bool {
		m := t.In(loc).Minute()
		return m >= from && m < to
	}
}

// Between returns a predicate for Split that holds for times in [start, end): a window such as
// "after the deploy".
func Between(start, end time.Time) func(time.Time) bool {
	return func(t time.Time) bool { return !t.Before(start) && t.Before(end) }
}
