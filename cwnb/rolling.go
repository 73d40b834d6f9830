package cwnb

import (
	"fmt"

	"github.com/cwnb/cwnb/cwnb/ts"
)

// nanos returns the start of every period of the grid on ts's compact time axis (Unix
// nanoseconds, ts.Nanos), one per frame row: Times without a time.Time per point.
func (r *Result) nanos() ts.Nanos {
	if r == nil || r.Period <= 0 {
		return nil
	}
	n := int(r.End.Sub(r.Start) / r.Period)
	g, err := ts.RegularNanos(r.Start, r.Period, max(n, 0))
	if err != nil { // unreachable: the period is positive and n is not negative
		return nil
	}
	return g
}

// Rolling computes time-based rolling aggregations of a column over the Result's grid, pandas'
// df[column].rolling("15min").mean() (see ts.Rolling for windows, closures and NaN). It runs on
// the grid's compact time axis (ts.RollingNanos), so the window arithmetic never reads a
// time.Time; the result's Times are the grid's period starts (Result.Times), one per frame row.
func (r *Result) Rolling(column string, opt ts.RollingOptions, aggs ...ts.Agg) (*ts.Aggregated, error) {
	if r == nil {
		return nil, errNoResult
	}
	s, err := r.series(column)
	if err != nil {
		return nil, err
	}
	out, err := ts.RollingNanos(r.nanos(), s.Values, opt, aggs...)
	if err != nil {
		return nil, fmt.Errorf("column %q: %w", column, err)
	}
	out.Times = r.Times()
	return out, nil
}
