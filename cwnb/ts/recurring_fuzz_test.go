package ts

import (
	"testing"
	"time"
)

// FuzzWhen builds recurring windows from arbitrary numbers: building never panics, and a valid
// window keeps its promises: its resolution divides the cycle, data at a period dividing the
// resolution never straddles, every occurrence lies in the window, and Occurrences respects its cap.
func FuzzWhen(f *testing.F) {
	f.Add(int64(3600), int64(0), int64(300), uint8(0), int64(0))          // Hourly(0, 5m) in seconds
	f.Add(int64(3600), int64(3300), int64(300), uint8(0), int64(12345))   // :55-:05
	f.Add(int64(86400), int64(82800), int64(3600), uint8(1<<5), int64(7)) // Fridays 23:00-01:00
	f.Add(int64(1), int64(0), int64(1), uint8(0), int64(0))               // a one-second cycle
	f.Add(int64(604800), int64(0), int64(172800), uint8(0), int64(-99))   // a week
	f.Add(int64(0), int64(0), int64(0), uint8(0), int64(0))               // nothing
	f.Fuzz(func(t *testing.T, cycle, from, to int64, days uint8, at int64) {
		w := Every(time.Duration(cycle)*time.Second, time.Duration(from)*time.Second, time.Duration(to)*time.Second)
		if days != 0 {
			var ds []time.Weekday
			for d := time.Sunday; d <= time.Saturday; d++ {
				if days&(1<<d) != 0 {
					ds = append(ds, d)
				}
			}
			w = w.On(ds...)
		}
		_ = w.String()
		if w.Err() != nil {
			return
		}
		res := w.Resolution()
		if res <= 0 || w.Cycle()%res != 0 {
			t.Fatalf("%s: resolution %v does not divide the cycle %v", w, res, w.Cycle())
		}
		base := time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC).Add(time.Duration(at%(14*86400)) * time.Second)
		// A period of the resolution on CloudWatch's grid (multiples since the Unix epoch).
		start := time.Unix(0, base.UnixNano()-base.UnixNano()%int64(res)).UTC()
		if w.Straddles(start, res) {
			t.Fatalf("%s: a period of its resolution %v aligned at %s straddles", w, res, start)
		}
		starts, ends, err := w.Occurrences(base, base.Add(24*time.Hour))
		if err != nil {
			if w.Cycle() > 24*time.Hour/MaxOccurrences {
				t.Fatalf("%s: %v", w, err)
			}
			return
		}
		if len(starts) > MaxOccurrences {
			t.Fatalf("%s: %d occurrences, over the cap", w, len(starts))
		}
		for i := range starts {
			if !ends[i].After(starts[i]) || !w.Contains(starts[i]) || !w.Contains(ends[i].Add(-time.Nanosecond)) {
				t.Fatalf("%s: occurrence %s-%s is not in the window", w, starts[i], ends[i])
			}
		}
	})
}
