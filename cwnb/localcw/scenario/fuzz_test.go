package scenario

import (
	"testing"
	"time"
)

// FuzzGenerateWindow asks for arbitrary windows (any alignment, any length up to a day,
// any seed and series) and checks that every datum is on the grid inside the window and
// identical to the datum a one-minute window at its timestamp gives: window independence.
func FuzzGenerateWindow(f *testing.F) {
	f.Add(int64(1), uint16(0), int64(0), int64(3600e9))
	f.Add(int64(-5), uint16(7), int64(59_999_999_999), int64(61e9))
	f.Add(int64(42), uint16(3), int64(-86400e9), int64(1))
	f.Add(int64(0), uint16(65535), int64(123456789), int64(86400e9))
	names := Names()
	f.Fuzz(func(t *testing.T, seed int64, pick uint16, offset, length int64) {
		s := mustNew(t, names[int(pick)%len(names)], seed)
		ms := s.Metrics()
		m := int(pick/4) % len(ms)
		offset %= 30 * 24 * int64(time.Hour)
		length %= 24 * int64(time.Hour)
		start := DemoNow.Add(time.Duration(offset))
		end := start.Add(time.Duration(length))
		var last time.Time
		s.Generate(m, start, end, func(ts time.Time, v, c []float64) {
			if ts.Before(start) || !ts.Before(end) || ts.Unix()%60 != 0 || ts.Nanosecond() != 0 {
				t.Fatalf("%s: timestamp %v outside [%v, %v) or off the grid", ms[m], ts, start, end)
			}
			if !last.IsZero() && !ts.After(last) {
				t.Fatalf("%s: %v after %v", ms[m], ts, last)
			}
			last = ts
			if ts.Unix()%97 != 0 { // spot-check a sample of the datums
				return
			}
			one := collect(s, m, ts, ts.Add(time.Minute))
			if len(one) != 1 || !samePoints(one, []point{{ts, v, c}}) {
				t.Fatalf("%s at %v: window [%v, %v) gives %v %v, a one-minute window %v", ms[m], ts, start, end, v, c, one)
			}
		})
	})
}
