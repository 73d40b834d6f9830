package ts

import (
	"fmt"
	"time"
)

// Nanos is a compact time axis: one Unix time in nanoseconds per point, 8 bytes and no pointer
// (a time.Time takes 24 bytes and holds a location pointer the garbage collector scans). It covers
// the years 1678 to 2262. The functions that take Nanos (RollingNanos) give the same results as
// their time.Time forms on the same instants; convert at the edges with NanosOf and Times.
type Nanos []int64

// NanosOf converts times to a compact axis (UnixNano of each).
func NanosOf(t []time.Time) Nanos {
	out := make(Nanos, len(t))
	for i := range t {
		out[i] = t[i].UnixNano()
	}
	return out
}

// RegularNanos returns the axis of a regular series: n points from start, step apart (a CloudWatch
// Result on one period is start + i·period). It returns an error, naming the input, if step is not
// positive or n is negative.
func RegularNanos(start time.Time, step time.Duration, n int) (Nanos, error) {
	if step <= 0 {
		return nil, fmt.Errorf("ts.RegularNanos: step %v must be positive, e.g. time.Minute", step)
	}
	if n < 0 {
		return nil, fmt.Errorf("ts.RegularNanos: %d points is negative", n)
	}
	out := make(Nanos, n)
	t0, s := start.UnixNano(), int64(step)
	for i := range out {
		out[i] = t0 + int64(i)*s
	}
	return out, nil
}

// Time returns point i as a time.Time in UTC.
func (t Nanos) Time(i int) time.Time { return time.Unix(0, t[i]).UTC() }

// Times converts the axis back to time.Time values in UTC, for the API edges that need them.
func (t Nanos) Times() []time.Time {
	out := make([]time.Time, len(t))
	for i, ns := range t {
		out[i] = time.Unix(0, ns).UTC()
	}
	return out
}
