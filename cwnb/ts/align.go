package ts

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Series is a time series: Values[i] was observed at Times[i].
type Series struct {
	Times  []time.Time
	Values []float64
}

// Align puts several series, possibly published at different periods, on one grid of the given
// period (epoch-aligned, from the first to the last bucket holding data in any series). Each
// series is first resampled with agg (finer series are aggregated: use Mean for gauges, Sum for
// counts), then its missing grid points are filled with fill (coarser series: FillForward with
// Limit = coarse/fine − 1 repeats each value over the finer buckets it covers). values[k] is
// series[k] on grid. The series' times need not be sorted and may repeat: each series is
// resampled as Resample does (a stable sort of a copy), and the inputs are not modified.
func Align(period time.Duration, agg Agg, fill Fill, series ...Series) (grid []time.Time, values [][]float64, err error) {
	if period <= 0 {
		return nil, nil, fmt.Errorf("ts.Align: period %v must be positive", period)
	}
	if len(series) == 0 {
		return nil, nil, errors.New("ts.Align: no series; pass at least one")
	}
	opt := ResampleOptions{Period: period}
	rs := make([]*Aggregated, len(series))
	var lo, hi int64 = math.MaxInt64, math.MinInt64
	for k, s := range series {
		r, err := Resample(s.Times, s.Values, opt, agg)
		if err != nil {
			return nil, nil, fmt.Errorf("ts.Align: series %d: %w", k, err)
		}
		rs[k] = r
		if n := len(r.Times); n > 0 {
			lo = min(lo, r.Times[0].UnixNano())
			hi = max(hi, r.Times[n-1].UnixNano())
		}
	}
	if lo > hi {
		values = make([][]float64, len(series))
		return nil, values, nil
	}
	grid = Grid(time.Unix(0, lo), time.Unix(0, hi+1), period)
	values = make([][]float64, len(series))
	for k, r := range rs {
		values[k], err = Upsample(r.Times, r.Values[0], grid, fill)
		if err != nil {
			return nil, nil, err
		}
	}
	return grid, values, nil
}

// Direction is the side an as-of join looks for a match on.
type Direction int

// The as-of directions, as pandas.merge_asof.
const (
	AsOfBackward Direction = iota // the last right time ≤ the left time (the default)
	AsOfForward                   // the first right time ≥ the left time
	AsOfNearest                   // the closer of the two; a tie goes to AsOfBackward, as pandas
)

// String returns pandas' name ("backward", "forward", "nearest").
func (d Direction) String() string {
	switch d {
	case AsOfBackward:
		return "backward"
	case AsOfForward:
		return "forward"
	case AsOfNearest:
		return "nearest"
	}
	return fmt.Sprintf("Direction(%d)", int(d))
}

// AsOf matches every left time with a right time, pandas.merge_asof(left, right, direction,
// tolerance, allow_exact_matches=True): idx[i] is the index in right of left[i]'s match, or −1
// when there is none within tolerance (0 = no tolerance). Among equal right times, AsOfBackward takes
// the last and AsOfForward the first. Both slices must be ascending (repeats allowed); unsorted
// times are an error, as in pandas. Use Take to fetch the values.
func AsOf(left, right []time.Time, dir Direction, tolerance time.Duration) ([]int, error) {
	if !isSorted(left) || !isSorted(right) {
		return nil, errors.New("ts.AsOf: times are not ascending; sort both series by time first")
	}
	if tolerance < 0 {
		return nil, fmt.Errorf("ts.AsOf: tolerance %v is negative; use 0 for none", tolerance)
	}
	rn := make([]int64, len(right))
	for i := range right {
		rn[i] = right[i].UnixNano()
	}
	idx := make([]int, len(left))
	j := 0 // rn[:j] ≤ current left time
	k := 0 // rn[:k] < current left time
	for i := range left {
		ln := left[i].UnixNano()
		for j < len(rn) && rn[j] <= ln {
			j++
		}
		for k < len(rn) && rn[k] < ln {
			k++
		}
		b, f := j-1, k // backward match (last ≤), forward match (first ≥)
		if f >= len(rn) {
			f = -1
		}
		m := -1
		switch dir {
		case AsOfBackward:
			m = b
		case AsOfForward:
			m = f
		case AsOfNearest:
			switch {
			case b < 0:
				m = f
			case f < 0:
				m = b
			case ln-rn[b] <= rn[f]-ln:
				m = b
			default:
				m = f
			}
		}
		if m >= 0 && tolerance > 0 {
			d := ln - rn[m]
			if d < 0 {
				d = -d
			}
			if d > int64(tolerance) {
				m = -1
			}
		}
		idx[i] = m
	}
	return idx, nil
}

// Take returns v[idx[i]] for every i, NaN where idx[i] < 0.
func Take(v []float64, idx []int) []float64 {
	out := make([]float64, len(idx))
	for i, j := range idx {
		if j < 0 {
			out[i] = math.NaN()
		} else {
			out[i] = v[j]
		}
	}
	return out
}

// Shift returns v moved n places later (n < 0: earlier), NaN where nothing moved in, as pandas'
// Series.shift(n).
func Shift(v []float64, n int) []float64 {
	out := make([]float64, len(v))
	for i := range out {
		j := i - n
		if j >= 0 && j < len(v) {
			out[i] = v[j]
		} else {
			out[i] = math.NaN()
		}
	}
	return out
}

// Diff returns v[i] − v[i−n] (NaN where i−n is outside v or either value is NaN), as pandas'
// Series.diff(n).
func Diff(v []float64, n int) []float64 {
	out := Shift(v, n)
	for i := range out {
		out[i] = v[i] - out[i]
	}
	return out
}

// PctChange returns v[i]/v[i−n] − 1, as pandas' Series.pct_change(periods=n, fill_method=None):
// NaN stays NaN (pandas 1.x's default fill_method="pad" would first forward-fill it; fill
// explicitly with Upsample if you want that). A change from 0 gives ±Inf (or NaN for 0 → 0).
func PctChange(v []float64, n int) []float64 {
	out := Shift(v, n)
	for i := range out {
		out[i] = v[i]/out[i] - 1
	}
	return out
}

// Rate returns the change per second between consecutive points, (v[i] − v[i−1]) /
// (t[i] − t[i−1]) in seconds, NaN for the first point, a NaN neighbour or a zero time step.
// It does not treat counter resets specially. Repeated times give NaN (a zero step); times
// must be ascending (a step backwards is an error: sort the series by time first).
func Rate(t []time.Time, v []float64) ([]float64, error) {
	if err := checkLen("Rate", t, v); err != nil {
		return nil, err
	}
	if !isSorted(t) {
		return nil, errors.New("ts.Rate: times are not ascending; sort the series by time first")
	}
	out := make([]float64, len(v))
	for i := range out {
		if i == 0 {
			out[i] = math.NaN()
			continue
		}
		dt := t[i].Sub(t[i-1]).Seconds()
		if dt == 0 {
			out[i] = math.NaN()
			continue
		}
		out[i] = (v[i] - v[i-1]) / dt
	}
	return out, nil
}
