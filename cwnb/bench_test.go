package cwnb

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
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

// benchStats are the 20 statistics that turn the bench scenario's 500 metrics into 10,000
// series.
var benchStats = []string{"Average", "p99", "Sum", "Minimum", "Maximum", "SampleCount", "p10", "p25", "p50", "p75",
	"p90", "p95", "p99.9", "tm90", "tm99", "IQM", "wm90", "tc90", "ts90", "p99.99"}

// benchQueryN is n series (the 500 bench latency metrics × n/500 statistics) over 24 h at 1
// min: n × 1,440 datapoints. n is a multiple of 500, at most 10,000.
func benchQueryN(n int) Query {
	var ms []Metric
	stats := benchStats[:n/500]
	for i := 0; i < 500; i++ {
		ms = append(ms, Metric{Namespace: "Bench", Name: "Latency", Dims: Dims{"Series": fmt.Sprintf("s%03d", i)}, Stats: stats})
	}
	return Query{Metrics: ms, Window: Between(testNow.Add(-25*time.Hour), testNow.Add(-time.Hour)), Period: time.Minute}
}

// benchQuery is 1,000 series (500 bench latency metrics × Average and p99) over 24 h at 1 min:
// 1,440,000 datapoints.
func benchQuery() Query { return benchQueryN(1000) }

// BenchmarkLoad1000x24h loads 1,000 series × 24 h at 1 min from the local CloudWatch. cold: a
// new server (no response cache) and an empty disk cache each iteration; cached: the disk cache
// holds everything and no call is made. The gota frame is not built (Result.Frame builds it when
// a cell asks; BenchmarkFrame1000x24h measures that).
// Targets on the 2-core machine: cold ≤ 2 s, cached ≤ 40 ms, 0 calls on a re-run.
func BenchmarkLoad1000x24h(b *testing.B) {
	benchLoad(b, 1000, false)
}

// BenchmarkLoad10000x24h is BenchmarkLoad1000x24h for 10,000 series (500 metrics × 20
// statistics, 14.4 million datapoints). cold runs at the default rate limit (25 requests/s)
// and reports its calls against the minimum (20 calls of 500 queries, 8 pages each: 160) and
// its time against the rate limit's floor (a burst of 25, then 135 calls at 25/s: 5.4 s).
// cached also reports,
// from a new process loading from the same cache (as every GoNB cell is), that process's
// load time, peak RSS and heap reserved. Targets: cached ≤ 300 ms and ≤ 300 MB peak; cold at
// the minimum calls, ≤ 1.5 × the floor.
func BenchmarkLoad10000x24h(b *testing.B) {
	benchLoad(b, 10000, true)
}

func benchLoad(b *testing.B, n int, defaultRate bool) {
	bench, err := scenario.New("bench", 1)
	if err != nil {
		b.Fatal(err)
	}
	q := benchQueryN(n)
	rows := 1440
	pages := (500*rows + 100_800 - 1) / 100_800 // pages of one full 500-query call
	minCalls := n / 500 * pages
	var rateOpt []func(*Options)
	if defaultRate {
		rateOpt = append(rateOpt, func(o *Options) { o.RateLimit = 0 }) // the default, 25/s
	}
	b.Run("cold", func(b *testing.B) {
		b.ReportAllocs()
		var cpu time.Duration
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			_, url := localcwtest.Start(b, localcw.Options{Now: testNow, Scenarios: []scenario.Scenario{bench}})
			l := testLoader(b, url, b.TempDir(), testNow, rateOpt...)
			runtime.GC()
			b.StartTimer()
			c0 := cpuTime()
			t0 := time.Now()
			res, err := l.Load(context.Background(), q)
			el := time.Since(t0)
			cpu += cpuTime() - c0
			if err != nil {
				b.Fatal(err)
			}
			if len(res.Series) != n || res.rows() != rows {
				b.Fatalf("%d series × %d rows", len(res.Series), res.rows())
			}
			b.ReportMetric(float64(res.Calls), "calls/op")
			b.ReportMetric(float64(minCalls), "min-calls")
			if defaultRate {
				// The limiter lets a burst of one second's calls go at once, then paces the rest.
				rate := l.opts.RateLimit // the default, as New resolved it
				floor := time.Duration(max(float64(res.Calls)-math.Ceil(rate), 0) / rate * float64(time.Second))
				b.ReportMetric(el.Seconds()/floor.Seconds(), "x-rate-floor")
			}
		}
		// CPU of the whole process: the local CloudWatch's work is included.
		b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
	})
	b.Run("cached", func(b *testing.B) {
		srv, url := localcwtest.Start(b, localcw.Options{Now: testNow, Scenarios: []scenario.Scenario{bench}})
		dir := b.TempDir()
		if d := os.Getenv("CWNB_BENCH_KEEP"); d != "" { // keep the cache, to profile TestCachedLoadProcess on it
			dir = d
		}
		if _, err := testLoader(b, url, dir, testNow).Load(context.Background(), q); err != nil {
			b.Fatal(err)
		}
		before := srv.Calls("GetMetricData")
		runtime.GC()
		b.ReportAllocs()
		b.ResetTimer()
		c0 := cpuTime()
		for i := 0; i < b.N; i++ {
			res, err := testLoader(b, url, dir, testNow).Load(context.Background(), q)
			if err != nil {
				b.Fatal(err)
			}
			if res.Calls != 0 || len(res.Series) != n || res.rows() != rows {
				b.Fatalf("calls %d, %d series × %d rows", res.Calls, len(res.Series), res.rows())
			}
		}
		b.StopTimer()
		b.ReportMetric(float64((cpuTime()-c0).Milliseconds())/float64(b.N), "cpu-ms/op")
		if n := srv.Calls("GetMetricData") - before; n != 0 {
			b.Fatalf("cached loads made %d calls", n)
		}
		b.ReportMetric(0, "calls/op")
		// Let this process's garbage collector and scavenger finish first: on 2 cores they would
		// otherwise run beside the child and be measured as its time.
		debug.FreeOSMemory()
		pk, err := peakChild(dir, n)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(pk["ms"], "proc-ms")
		b.ReportMetric(pk["rss_mb"], "peak-rss-MB")
		b.ReportMetric(pk["heapsys_mb"], "heapsys-MB")
	})
}

// BenchmarkFrame1000x24h builds the gota frame of a cached 1,000 × 24 h load: what a cell pays
// when it asks for Result.Frame.
func BenchmarkFrame1000x24h(b *testing.B) {
	bench, err := scenario.New("bench", 1)
	if err != nil {
		b.Fatal(err)
	}
	_, url := localcwtest.Start(b, localcw.Options{Now: testNow, Scenarios: []scenario.Scenario{bench}})
	res, err := testLoader(b, url, b.TempDir(), testNow).Load(context.Background(), benchQuery())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res.frame = nil
		if df := res.Frame(); df.Nrow() != 1440 || df.Ncol() != 1001 {
			b.Fatalf("frame %d × %d", df.Nrow(), df.Ncol())
		}
	}
}

// peakChild runs TestCachedLoadProcess in a new process on the cache in dir and returns what it
// measured: ms (the load), rss_mb (the process's peak resident memory) and heapsys_mb (the heap
// the Go runtime reserved).
func peakChild(dir string, n int) (map[string]float64, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestCachedLoadProcess$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "CWNB_BENCH_CACHE="+dir, "CWNB_BENCH_SERIES="+strconv.Itoa(n))
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("child load: %v\n%s", err, out)
	}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, "CACHEDLOAD "); ok {
			m := map[string]float64{}
			for _, kv := range strings.Fields(rest) {
				k, v, _ := strings.Cut(kv, "=")
				f, err := strconv.ParseFloat(v, 64)
				if err != nil {
					return nil, fmt.Errorf("child line %q: %v", line, err)
				}
				m[k] = f
			}
			return m, nil
		}
	}
	return nil, fmt.Errorf("child printed no measurement:\n%s", out)
}

// TestCachedLoadProcess is the child of the cached load benchmarks: with CWNB_BENCH_CACHE set,
// it loads CWNB_BENCH_SERIES bench series offline from that cache, as a notebook cell's new
// process does, and prints the load's time, the peak RSS and the heap reserved. Without it, it
// is skipped.
func TestCachedLoadProcess(t *testing.T) {
	dir := os.Getenv("CWNB_BENCH_CACHE")
	if dir == "" {
		t.Skip("run by BenchmarkLoad*x24h/cached in a new process")
	}
	n, err := strconv.Atoi(os.Getenv("CWNB_BENCH_SERIES"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := newLoader(withCacheDir(dir), withOffline(true), withRegion("us-east-1"), func(o *Options) {
		o.Now = func() time.Time { return testNow }
		o.NoProgress = true
	})
	if err != nil {
		t.Fatal(err)
	}
	q := benchQueryN(n)
	if p := os.Getenv("CWNB_BENCH_CPUPROFILE"); p != "" { // to see where a new process's load goes
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	t0 := time.Now()
	res, err := l.Load(context.Background(), q)
	el := time.Since(t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Series) != n || res.rows() != 1440 {
		t.Fatalf("%d series × %d rows", len(res.Series), res.rows())
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	hwm, err := peakRSS()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("CACHEDLOAD ms=%.1f rss_mb=%.1f heapsys_mb=%.1f\n", float64(el.Microseconds())/1000, float64(hwm)/(1<<20), float64(ms.HeapSys)/(1<<20))
	runtime.KeepAlive(res)
}

// peakRSS returns the peak resident memory of this process in bytes: VmHWM of
// /proc/self/status. (getrusage's ru_maxrss will not do: Linux carries it across execve from
// the parent that forked the process, the benchmark holding the local CloudWatch's data.)
func peakRSS() (int64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/self/status")
}
