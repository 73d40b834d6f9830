package cwnb

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
	"github.com/cwnb/cwnb/cwnb/localcw/scenario"
)

// cpuTime is the CPU time (user + system) this process has used: on a shared machine it measures
// the work of a benchmark better than the wall clock does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchQuery is 1,000 series (500 bench latency metrics × Average and p99) over 24 h at 1 min:
// 1,440,000 datapoints.
func benchQuery() Query {
	var ms []Metric
	for i := 0; i < 500; i++ {
		ms = append(ms, Metric{Namespace: "Bench", Name: "Latency", Dims: Dims{"Series": fmt.Sprintf("s%03d", i)}, Stats: []string{"Average", "p99"}})
	}
	return Query{Metrics: ms, Window: Between(testNow.Add(-25*time.Hour), testNow.Add(-time.Hour)), Period: time.Minute}
}

// BenchmarkLoad1000x24h loads 1,000 series × 24 h at 1 min from the local CloudWatch, gota frame
// included. cold: a new server (no response cache) and an empty disk cache each iteration;
// cached: the disk cache holds everything and no call is made.
// Targets on the 2-core machine: cold ≤ 2 s, cached ≤ 100 ms, 0 calls on a re-run.
func BenchmarkLoad1000x24h(b *testing.B) {
	bench, err := scenario.New("bench", 1)
	if err != nil {
		b.Fatal(err)
	}
	q := benchQuery()
	b.Run("cold", func(b *testing.B) {
		b.ReportAllocs()
		var cpu time.Duration
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			_, url := localcwtest.Start(b, localcw.Options{Now: testNow, Scenarios: []scenario.Scenario{bench}})
			l := testLoader(b, url, b.TempDir(), testNow)
			b.StartTimer()
			c0 := cpuTime()
			res, err := l.Load(context.Background(), q)
			cpu += cpuTime() - c0
			if err != nil {
				b.Fatal(err)
			}
			if len(res.Series) != 1000 || res.Frame.Nrow() != 1440 {
				b.Fatalf("%d series × %d rows", len(res.Series), res.Frame.Nrow())
			}
			b.ReportMetric(float64(res.Calls), "calls/op")
		}
		// CPU of the whole process: the local CloudWatch's work is included.
		b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
	})
	b.Run("cached", func(b *testing.B) {
		srv, url := localcwtest.Start(b, localcw.Options{Now: testNow, Scenarios: []scenario.Scenario{bench}})
		dir := b.TempDir()
		if _, err := testLoader(b, url, dir, testNow).Load(context.Background(), q); err != nil {
			b.Fatal(err)
		}
		before := srv.Calls("GetMetricData")
		b.ReportAllocs()
		b.ResetTimer()
		c0 := cpuTime()
		for i := 0; i < b.N; i++ {
			res, err := testLoader(b, url, dir, testNow).Load(context.Background(), q)
			if err != nil {
				b.Fatal(err)
			}
			if res.Calls != 0 || len(res.Series) != 1000 || res.Frame.Nrow() != 1440 {
				b.Fatalf("calls %d, %d series × %d rows", res.Calls, len(res.Series), res.Frame.Nrow())
			}
		}
		b.StopTimer()
		b.ReportMetric(float64((cpuTime()-c0).Milliseconds())/float64(b.N), "cpu-ms/op")
		if n := srv.Calls("GetMetricData") - before; n != 0 {
			b.Fatalf("cached loads made %d calls", n)
		}
		b.ReportMetric(0, "calls/op")
	})
}
