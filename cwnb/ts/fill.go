package ts

import (
	"fmt"
	"math"
	"time"
)

// FillPolicy names how Upsample and Align give a value to a grid point that holds no observation.
type FillPolicy int

// The fill policies. Filling is always opt-in: FillNaN, the zero value, leaves missing points NaN.
const (
	FillNaN      FillPolicy = iota // leave NaN (CloudWatch omits empty periods: a gap is not a zero)
	FillZero                       // 0, for counters where "no datapoint" really means none happened
	FillForward                    // the last observation at or before the point (pandas ffill/pad)
	FillBackward                   // the first observation at or after the point (pandas bfill)
	FillLinear                     // linear in time between the observations around the point
)

// String returns the policy's name ("nan", "zero", "ffill", "bfill", "linear").
func (p FillPolicy) String() string {
	switch p {
	case FillNaN:
		return "nan"
	case FillZero:
		return "zero"
	case FillForward:
		return "ffill"
	case FillBackward:
		return "bfill"
	case FillLinear:
		return "linear"
	}
	return fmt.Sprintf("FillPolicy(%d)", int(p))
}

// Fill is a fill policy with its limits. The zero value fills nothing.
type Fill struct {
	Policy FillPolicy
	// Limit, for FillForward and FillBackward, is the most grid points one observation may fill
	// besides a point it falls on exactly (pandas reindex(method=..., limit=...)); 0 = no limit.
	Limit int
	// MaxGap, for FillLinear, is the longest time between two observations that is still
	// interpolated; points inside a longer gap stay NaN. 0 = no limit.
	MaxGap time.Duration
}

// Upsample returns the values of the series (t, v) on grid (ascending), pandas'
// s.reindex(grid, method=...) / interpolate(method="time"). A grid point equal to an observation's
// time takes its value (the last one if times repeat); the others follow f. NaN observations
// count as missing. Points before the first or after the last observation stay NaN for
// FillForward/FillBackward/FillLinear respectively where nothing precedes or follows them.
// t need not be sorted (a stably sorted copy is used, so among repeated times the last in input
// order wins); grid must be ascending.
func Upsample(t []time.Time, v []float64, grid []time.Time, f Fill) ([]float64, error) {
	if err := checkLen("Upsample", t, v); err != nil {
		return nil, err
	}
	if !isSorted(grid) {
		return nil, fmt.Errorf("ts.Upsample: grid is not ascending; build it with ts.Grid")
	}
	if f.Limit < 0 || f.MaxGap < 0 {
		return nil, fmt.Errorf("ts.Upsample: negative limit %d or max gap %v; use 0 for no limit", f.Limit, f.MaxGap)
	}
	if !isSorted(t) {
		t, v = sortByTime(t, v)
	}
	// Keep the observations with a number, as Unix nanoseconds.
	ot := make([]int64, 0, len(t))
	ov := make([]float64, 0, len(v))
	for i, x := range v {
		if x == x {
			ns := t[i].UnixNano()
			if n := len(ot); n > 0 && ot[n-1] == ns {
				ov[n-1] = x // repeated time: the last observation wins
				continue
			}
			ot = append(ot, ns)
			ov = append(ov, x)
		}
	}
	out := make([]float64, len(grid))
	j := 0 // ot[:j] ≤ current grid point
	filled := 0
	last := -1 // observation that filled[...] counts for
	for i, g := range grid {
		gn := g.UnixNano()
		for j < len(ot) && ot[j] <= gn {
			j++
		}
		// ot[j-1] ≤ gn < ot[j]
		if j > 0 && ot[j-1] == gn {
			out[i] = ov[j-1]
			continue
		}
		out[i] = math.NaN()
		switch f.Policy {
		case FillZero:
			out[i] = 0
		case FillForward:
			if j > 0 {
				if last != j-1 {
					last, filled = j-1, 0
				}
				if f.Limit == 0 || filled < f.Limit {
					out[i] = ov[j-1]
					filled++
				}
			}
		case FillLinear:
			if j > 0 && j < len(ot) && (f.MaxGap == 0 || ot[j]-ot[j-1] <= int64(f.MaxGap)) {
				frac := float64(gn-ot[j-1]) / float64(ot[j]-ot[j-1])
				out[i] = ov[j-1] + (ov[j]-ov[j-1])*frac
			}
		}
	}
	if f.Policy == FillBackward {
		j := len(ot) - 1 // ot[j+1:] > current grid point
		last, filled := -1, 0
		for i := len(grid) - 1; i >= 0; i-- {
			gn := grid[i].UnixNano()
			for j >= 0 && ot[j] >= gn {
				j--
			}
			// ot[j] < gn ≤ ot[j+1]
			k := j + 1
			if k < len(ot) && ot[k] == gn {
				continue
			}
			if k < len(ot) {
				if last != k {
					last, filled = k, 0
				}
				if f.Limit == 0 || filled < f.Limit {
					out[i] = ov[k]
					filled++
				}
			}
		}
	}
	return out, nil
}
