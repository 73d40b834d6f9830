package ts

import (
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
