package main

import (
	"strings"
	"testing"
)

// FuzzGetRequest: any values of the time, period, dimension and statistic flags give a query or
// an error that names one of the flags given; never a panic.
func FuzzGetRequest(f *testing.F) {
	f.Add("", "", "2026-11-19", "2026-11-20", "Service=checkout", "p99")
	f.Add("24h", "1m", "", "", "", "")
	f.Add("999999999999d", "fast", "", "", "=", ",,")
	f.Add("", "90s", "2026-13-45", "2026-11-19T00:00:00Z", "a=b", "Average,p99")
	f.Add("-1h", "0s", "2026-11-20", "2026-11-19", "k", "TM(10%:90%)")
	f.Fuzz(func(t *testing.T, since, period, start, end, dim, stat string) {
		g := getRequest{Namespace: "A", Metric: "B", Since: since, Period: period, Start: start, End: end, Stats: stat, set: map[string]bool{}}
		if dim != "" {
			g.Dims = []string{dim}
		}
		q, err := g.query()
		if err != nil {
			if !strings.Contains(err.Error(), "-") {
				t.Fatalf("error %q names no flag", err)
			}
			return
		}
		if q.Window.Last <= 0 && !q.Window.End.After(q.Window.Start) {
			t.Fatalf("query with an empty window %+v from since %q start %q end %q", q.Window, since, start, end)
		}
		if q.Period < 0 {
			t.Fatalf("negative period %v from %q", q.Period, period)
		}
	})
}
