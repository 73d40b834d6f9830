package ts

import (
	"fmt"
	"time"
)

// QualityOptions configures Quality. The zero value infers the period and uses the data's span.
type QualityOptions struct {
	Period     time.Duration // the expected period; 0 means the inferred one
	Start, End time.Time     // the range asked for; zero means the first and last data buckets
}

// QualityReport describes the completeness of one series.
type QualityReport struct {
	Period          time.Duration // the period buckets were counted in (given or inferred)
	InferredPeriod  time.Duration // the most common step between consecutive distinct timestamps (ties: the shorter)
	StepGCD         time.Duration // the greatest common divisor of those steps (the finest grid the data lies on)
	Start, End      time.Time     // the bucket range checked, [Start, End)
	Expected        int           // buckets in [Start, End)
	Present         int           // buckets holding at least one number
	Density         float64       // Present / Expected (NaN when nothing is expected)
	Gaps            int           // runs of empty buckets
	LongestGap      time.Duration // the longest run of empty buckets, as a duration
	LongestGapStart time.Time     // where it starts
	NaN             int           // NaN values
	Duplicates      int           // values sharing a timestamp with an earlier value
	Outside         int           // values outside [Start, End)
	// Flags is left for the caller: the loader appends partial-data flags ("PartialData",
	// API messages) from the query that produced the series.
	Flags []string
}

// Quality reports how complete the series (t, v) is: which of the expected buckets of the period
// hold data, the gaps, and the publishing period the timestamps suggest. CloudWatch omits empty
// periods, so a sparse series is normal for sparse metrics but a warning for a steady one.
// t need not be sorted (a stably sorted copy is used); repeated times are counted in Duplicates.
func Quality(t []time.Time, v []float64, opt QualityOptions) (*QualityReport, error) {
	if err := checkLen("Quality", t, v); err != nil {
		return nil, err
	}
	if opt.Period < 0 {
		return nil, fmt.Errorf("ts.Quality: period %v is negative; use 0 to infer it", opt.Period)
	}
	if !isSorted(t) {
		t, v = sortByTime(t, v)
	}
	q := &QualityReport{}
	steps := map[int64]int{}
	var g int64
	for i := 1; i < len(t); i++ {
		d := t[i].Sub(t[i-1])
		if d == 0 {
			q.Duplicates++
			continue
		}
		steps[int64(d)]++
		g = gcd(g, int64(d))
	}
	var mode int64
	for d, c := range steps {
		if c > steps[mode] || (c == steps[mode] && d < mode) {
			mode = d
		}
	}
	q.InferredPeriod, q.StepGCD = time.Duration(mode), time.Duration(g)
	for _, x := range v {
		if x != x {
			q.NaN++
		}
	}
	q.Period = opt.Period
	if q.Period == 0 {
		q.Period = q.InferredPeriod
	}
	if q.Period == 0 {
		// One timestamp or none: nothing to infer from.
		q.Period = time.Minute
	}
	p := int64(q.Period)
	q.Start, q.End = opt.Start, opt.End
	if q.Start.IsZero() && len(t) > 0 {
		q.Start = t[0]
	}
	if q.End.IsZero() && len(t) > 0 {
		q.End = Floor(t[len(t)-1], q.Period, 0).Add(q.Period)
	}
	if q.Start.IsZero() || !q.End.After(q.Start) {
		q.Density = nan()
		return q, nil
	}
	q.Start = Floor(q.Start, q.Period, 0).UTC()
	q.End = q.End.UTC()
	s0, e := q.Start.UnixNano(), q.End.UnixNano()
	q.Expected = int((e - s0 + p - 1) / p)
	present := make([]bool, q.Expected)
	for i := range t {
		ns := t[i].UnixNano()
		if ns < s0 || ns >= e {
			q.Outside++
			continue
		}
		if x := v[i]; x == x {
			present[(ns-s0)/p] = true
		}
	}
	run := 0
	for j := 0; j <= len(present); j++ {
		if j < len(present) && !present[j] {
			run++
			continue
		}
		if j < len(present) {
			q.Present++
		}
		if run > 0 {
			q.Gaps++
			if d := time.Duration(run) * q.Period; d > q.LongestGap {
				q.LongestGap = d
				q.LongestGapStart = time.Unix(0, s0+int64(j-run)*p).UTC()
			}
		}
		run = 0
	}
	q.Density = float64(q.Present) / float64(q.Expected)
	return q, nil
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
