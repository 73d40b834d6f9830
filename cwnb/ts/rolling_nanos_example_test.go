package ts_test

import (
	"fmt"
	"time"

	"github.com/cwnb/cwnb/cwnb/ts"
)

func ExampleRollingNanos() {
	// Five points a minute apart on the compact axis, a 3-minute window.
	t, _ := ts.RegularNanos(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Minute, 5)
	v := []float64{1, 2, 3, 4, 5}
	r, _ := ts.RollingNanos(t, v, ts.RollingOptions{Window: 3 * time.Minute}, ts.Sum, ts.Mean)
	fmt.Println(r.Values[0], r.Values[1], r.Count, t.Time(4).Format(time.Kitchen))
	// Output: [1 3 6 9 12] [1 1.5 2 3 4] [1 2 3 3 3] 12:04AM
}

func ExampleNanosOf() {
	t := []time.Time{time.Date(2026, 1, 1, 0, 0, 1, 0, time.UTC)}
	ns := ts.NanosOf(t)
	fmt.Println(ns, ns.Times()[0].Equal(t[0]))
	// Output: [1767225601000000000] true
}
