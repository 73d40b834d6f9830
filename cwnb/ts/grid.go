package ts

import (
	"fmt"
	"time"
)

// floorDiv returns ⌊a/b⌋ for b > 0 (Go's / truncates toward zero).
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && (a < 0) {
		q--
	}
	return q
}

// Floor returns the start of the bucket of the given period that holds t, buckets being aligned to
// offset + k·period since the Unix epoch (as CloudWatch aligns its periods):
//
//	Floor(t) = epoch + offset + ⌊(t − epoch − offset) / period⌋ · period
//
// Unlike time.Time.Truncate, which counts from year 1, Floor gives CloudWatch's grid for every
// period (for a 7-minute period the two differ). The result is in UTC. Floor panics if period ≤ 0.
// Times must lie within the range of UnixNano (years 1678 to 2262).
func Floor(t time.Time, period, offset time.Duration) time.Time {
	if period <= 0 {
		panic(fmt.Sprintf("cwnb: ts.Floor: period %v must be positive", period))
	}
	p := int64(period)
	off := int64(offset) % p
	b := floorDiv(t.UnixNano()-off, p)
	return time.Unix(0, b*p+off).UTC()
}

// Grid returns the starts of the epoch-aligned buckets of the given period that overlap
// [start, end): Floor(start), Floor(start)+period, ... while < end. It returns nil if end ≤ start
// and panics if period ≤ 0.
func Grid(start, end time.Time, period time.Duration) []time.Time {
	if period <= 0 {
		panic(fmt.Sprintf("cwnb: ts.Grid: period %v must be positive", period))
	}
	if !end.After(start) {
		return nil
	}
	g0 := Floor(start, period, 0).UnixNano()
	e := end.UnixNano()
	n := (e - g0 + int64(period) - 1) / int64(period)
	out := make([]time.Time, n)
	for i := range out {
		out[i] = time.Unix(0, g0+int64(i)*int64(period)).UTC()
	}
	return out
}

// isSorted reports whether t is ascending (equal times allowed).
func isSorted(t []time.Time) bool {
	for i := 1; i < len(t); i++ {
		if t[i].Before(t[i-1]) {
			return false
		}
	}
	return true
}

// checkLen returns an error when the times and values slices differ in length.
func checkLen(fn string, t []time.Time, v []float64) error {
	if len(t) != len(v) {
		return fmt.Errorf("ts.%s: %d times but %d values; pass one value per timestamp", fn, len(t), len(v))
	}
	return nil
}
