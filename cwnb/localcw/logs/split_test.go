package logs

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/cwnb/cwnb/cwnb/insights"
)

// A stats by bin() over many stored events is read in one part per core, cut at the starts of
// bins, each with about as many events; other queries, and small ones, in one part.
func TestSplit(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	now := time.Date(2026, 11, 20, 0, 30, 0, 0, time.UTC)
	s := New(Options{Now: now})
	s.createLogGroup(&createLogGroupInput{LogGroupName: "/g"})
	s.createLogStream(&createLogStreamInput{LogGroupName: "/g", LogStreamName: "s"})
	// 100,000 events over 10 hours, three quarters of them in the last two
	t0 := now.Add(-24 * time.Hour).UnixMilli()
	var ts []int64
	for i := range 25000 {
		ts = append(ts, t0+int64(i)*(8*3600000/25000))
	}
	for i := range 75000 {
		ts = append(ts, t0+8*3600000+int64(i)*(2*3600000/75000))
	}
	for lo := 0; lo < len(ts); lo += 10000 {
		in := &putLogEventsInput{LogGroupName: "/g", LogStreamName: "s"}
		for _, ms := range ts[lo : lo+10000] {
			msg, ms := fmt.Sprintf(`{"latency":%d}`, ms%997), ms
			in.LogEvents = append(in.LogEvents, inputLogEvent{&msg, &ms})
		}
		if _, err := s.putLogEvents(in); err != nil {
			t.Fatal(err)
		}
	}
	g := []*group{s.groups["/g"]}
	lo, hi := t0, t0+10*3600000
	count := func(a, b int64) (n int) {
		for _, ms := range ts {
			if ms >= a && ms < b {
				n++
			}
		}
		return n
	}
	for _, c := range []struct {
		q     string
		parts int
	}{
		{"stats pct(latency, 99) by bin(1m)", 4},
		{"filter latency > 3 | stats count(*) by bin(5m), latency", 4},
		{"stats pct(latency, 99)", 1},
		{"fields latency", 1},
		{"sort latency | stats count(*) by bin(1m)", 1},
	} {
		q, err := insights.Parse(c.q)
		if err != nil {
			t.Fatal(err)
		}
		b := s.split(q, g, lo, hi)
		if len(b) != c.parts+1 || b[0] != lo || b[len(b)-1] != hi {
			t.Errorf("%s: bounds %v, want %d parts of [%d, %d)", c.q, b, c.parts, lo, hi)
			continue
		}
		for k := 1; k < len(b)-1; k++ {
			if start, _ := q.BinFloor(b[k]); start != b[k] || b[k] <= b[k-1] {
				t.Errorf("%s: part %d starts at %d, not at a bin's start after the last part's", c.q, k, b[k])
			}
		}
		for k := 0; c.parts > 1 && k < len(b)-1; k++ {
			// a quarter each, give or take the events of one 5-minute bin (3,125)
			if n := count(b[k], b[k+1]); n < 25000-3200 || n > 25000+3200 {
				t.Errorf("%s: part %d holds %d events, want about 25,000", c.q, k, n)
			}
		}
	}
	// few events: one part
	q, _ := insights.Parse("stats count(*) by bin(1m)")
	if b := s.split(q, g, lo, lo+3600000); len(b) != 2 {
		t.Errorf("an hour of 3,125 events: bounds %v, want one part", b)
	}
}
