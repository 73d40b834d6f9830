package scenario

import (
	"fmt"
	"math"
	"sort"
	"testing"
	"time"
)

// The stories the notebooks tell, checked on the generated datums with an independent,
// deliberately simple weighted percentile (nearest rank) rather than the package's code.

// weightedPercentile returns the nearest-rank p-th percentile (0 < p ≤ 100) of values, each
// value counted counts[i] times: the smallest value whose cumulative count reaches
// ⌈p/100 × N⌉.
func weightedPercentile(values, counts []float64, p float64) float64 {
	idx := make([]int, len(values))
	total := 0.0
	for i := range idx {
		idx[i] = i
		total += counts[i]
	}
	sort.Slice(idx, func(a, b int) bool { return values[idx[a]] < values[idx[b]] })
	rank := math.Ceil(p / 100 * total)
	acc := 0.0
	for _, i := range idx {
		acc += counts[i]
		if acc >= rank {
			return values[i]
		}
	}
	return math.NaN()
}

// bucket is the samples published into one period.
type bucket struct {
	start          time.Time
	values, counts []float64
}

func (b *bucket) n() float64 {
	s := 0.0
	for _, c := range b.counts {
		s += c
	}
	return s
}

func (b *bucket) sum() float64 {
	s := 0.0
	for i, v := range b.values {
		s += v * b.counts[i]
	}
	return s
}

func (b *bucket) avg() float64 { return b.sum() / b.n() }

func (b *bucket) p(p float64) float64 { return weightedPercentile(b.values, b.counts, p) }

// buckets generates metric m over [start, end) and groups its samples into periods.
func buckets(s Scenario, m int, start, end time.Time, period time.Duration) []*bucket {
	var out []*bucket
	s.Generate(m, start, end, func(t time.Time, v, c []float64) {
		bs := time.Unix(t.Unix()-t.Unix()%int64(period/time.Second), 0).UTC()
		if len(out) == 0 || !out[len(out)-1].start.Equal(bs) {
			out = append(out, &bucket{start: bs})
		}
		b := out[len(out)-1]
		b.values = append(b.values, v...)
		b.counts = append(b.counts, c...)
	})
	return out
}

// metricIndex returns the index of the metric with this name and dimension values.
func metricIndex(t testing.TB, s Scenario, name string, dims ...Dim) int {
	t.Helper()
	for i, m := range s.Metrics() {
		if m.Name != name || len(m.Dims) != len(dims) {
			continue
		}
		match := true
		for j := range dims {
			if m.Dims[j] != dims[j] {
				match = false
			}
		}
		if match {
			return i
		}
	}
	t.Fatalf("%s has no metric %s %v", s.Name(), name, dims)
	return -1
}

func apiLatencyIndexes(t testing.TB, s Scenario) map[string]int {
	out := map[string]int{}
	for i, m := range s.Metrics() {
		if m.Name == "Latency" {
			out[m.String()] = i
		}
	}
	if len(out) != 4 {
		t.Fatalf("api has %d Latency series, want 3 endpoints and the service roll-up", len(out))
	}
	return out
}

// TestAPIStory: average latency stays near 200 ms while p99 passes 3 s during minutes
// :00-:04 of every hour, and stays under 1 s otherwise; at 1-minute and 5-minute periods.
func TestAPIStory(t *testing.T) {
	windows := []struct {
		seed int64
		days int
	}{{1, 7}, {2, 1}, {12345, 1}, {-7, 1}}
	for _, w := range windows {
		s := mustNew(t, "api", w.seed)
		end := DemoNow
		start := end.Add(-time.Duration(w.days) * 24 * time.Hour)
		for name, m := range apiLatencyIndexes(t, s) {
			t.Run(fmt.Sprintf("seed=%d/%s", w.seed, name), func(t *testing.T) {
				day := &bucket{}
				for _, period := range []time.Duration{time.Minute, 5 * time.Minute} {
					bs := buckets(s, m, start, end, period)
					if want := int(end.Sub(start) / period); len(bs) != want {
						t.Fatalf("%v periods: %d buckets, want %d", period, len(bs), want)
					}
					for _, b := range bs {
						p99 := b.p(99)
						if inBackup(b.start.Unix()) {
							if p99 <= 3000 {
								t.Errorf("%v period at %v (backup): p99 %.0f ms, want > 3000", period, b.start, p99)
							}
						} else if p99 >= 1000 || p99 < 300 {
							t.Errorf("%v period at %v: p99 %.0f ms, want 300..1000", period, b.start, p99)
						}
						if period == 5*time.Minute {
							if n := b.n(); n < 1000 {
								t.Errorf("5-minute period at %v has %v samples, want ≥ 1000 for a significant p99", b.start, n)
							}
							day.values = append(day.values, b.values...)
							day.counts = append(day.counts, b.counts...)
						}
					}
				}
				avg := day.avg()
				if avg < 170 || avg > 230 {
					t.Errorf("average over the window %.1f ms, want 200 ± 15%%", avg)
				}
				// The average looks innocent: every hourly average within ±10% of the window's.
				for _, b := range buckets(s, m, start, end, time.Hour) {
					if a := b.avg(); math.Abs(a/avg-1) > 0.10 {
						t.Errorf("hour %v: average %.1f ms, more than 10%% from %.1f", b.start, a, avg)
					}
				}
			})
		}
	}
}

// TestAPIConsistency: RequestCount equals the number of Latency samples, the service
// roll-up is exactly the union of the endpoints' samples, and 5XX errors rise during the
// backup.
func TestAPIConsistency(t *testing.T) {
	s := mustNew(t, "api", 5)
	end := DemoNow
	start := end.Add(-6 * time.Hour)
	endpoints := []string{"/cart", "/items", "/pay"}
	svc := Dim{"Service", "checkout"}
	rollup := collect(s, metricIndex(t, s, "Latency", svc), start, end)
	totalReq := collect(s, metricIndex(t, s, "RequestCount", svc), start, end)
	totalErr := collect(s, metricIndex(t, s, "5XXError", svc), start, end)
	union := make([]map[float64]float64, len(rollup))
	for i := range union {
		union[i] = map[float64]float64{}
	}
	sumReq := make([]float64, len(rollup))
	sumErr := make([]float64, len(rollup))
	var errBackup, reqBackup, errOther, reqOther float64
	for _, ep := range endpoints {
		e := Dim{"Endpoint", ep}
		lat := collect(s, metricIndex(t, s, "Latency", e, svc), start, end)
		req := collect(s, metricIndex(t, s, "RequestCount", e, svc), start, end)
		errs := collect(s, metricIndex(t, s, "5XXError", e, svc), start, end)
		if len(lat) != len(rollup) || len(req) != len(rollup) || len(errs) != len(rollup) {
			t.Fatalf("%s: %d/%d/%d datums, roll-up %d", ep, len(lat), len(req), len(errs), len(rollup))
		}
		for i := range lat {
			n := 0.0
			for j, v := range lat[i].Values {
				n += lat[i].Counts[j]
				union[i][v] += lat[i].Counts[j]
			}
			if len(req[i].Values) != 1 || req[i].Values[0] != n {
				t.Fatalf("%s at %v: RequestCount %v, Latency has %v samples", ep, lat[i].T, req[i].Values, n)
			}
			sumReq[i] += n
			sumErr[i] += errs[i].Values[0]
			if errs[i].Values[0] > n {
				t.Fatalf("%s at %v: %v errors out of %v requests", ep, lat[i].T, errs[i].Values[0], n)
			}
			if inBackup(lat[i].T.Unix()) {
				errBackup += errs[i].Values[0]
				reqBackup += n
			} else {
				errOther += errs[i].Values[0]
				reqOther += n
			}
		}
	}
	for i, p := range rollup {
		got := map[float64]float64{}
		for j, v := range p.Values {
			got[v] += p.Counts[j]
		}
		if len(got) != len(union[i]) {
			t.Fatalf("roll-up at %v: %d distinct values, endpoints %d", p.T, len(got), len(union[i]))
		}
		for v, c := range union[i] {
			if got[v] != c {
				t.Fatalf("roll-up at %v: value %v counted %v times, endpoints %v", p.T, v, got[v], c)
			}
		}
		if totalReq[i].Values[0] != sumReq[i] || totalErr[i].Values[0] != sumErr[i] {
			t.Fatalf("roll-up at %v: %v requests and %v errors, endpoints %v and %v", p.T,
				totalReq[i].Values[0], totalErr[i].Values[0], sumReq[i], sumErr[i])
		}
	}
	rb, ro := errBackup/reqBackup, errOther/reqOther
	if !(rb > 2*ro) || ro > 0.005 || rb > 0.02 {
		t.Errorf("5XX rate %.3f%% during the backup, %.3f%% otherwise: want small, and at least doubled by the backup", rb*100, ro*100)
	}
}

// TestEC2Story: the busy hours show on the web fleet, one instance is hot all day and three
// are idle.
func TestEC2Story(t *testing.T) {
	s := mustNew(t, "ec2", 11)
	end := DemoNow
	start := end.Add(-48 * time.Hour)
	hot, idle, web := 0, 0, 0
	for i := range ec2Instances {
		id := ec2InstanceID(i)
		cpu := collect(s, metricIndex(t, s, "CPUUtilization", Dim{"InstanceId", id}), start, end)
		in := collect(s, metricIndex(t, s, "NetworkIn", Dim{"InstanceId", id}), start, end)
		out := collect(s, metricIndex(t, s, "NetworkOut", Dim{"InstanceId", id}), start, end)
		if len(cpu) != 48*60 || len(in) != len(cpu) || len(out) != len(cpu) {
			t.Fatalf("%s: %d/%d/%d datums, want one a minute", id, len(cpu), len(in), len(out))
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		var night, busyH, nn, nb float64
		for j, p := range cpu {
			v := p.Values[0]
			lo, hi = min(lo, v), max(hi, v)
			switch h := p.T.Hour(); {
			case h >= 2 && h < 8:
				night += v
				nn++
			case h >= 15 && h < 21:
				busyH += v
				nb++
			}
			if in[j].Values[0] <= 0 || out[j].Values[0] <= 0 {
				t.Fatalf("%s at %v: network %v in, %v out", id, p.T, in[j].Values, out[j].Values)
			}
		}
		night, busyH = night/nn, busyH/nb
		switch {
		case lo >= 70 && hi <= 95:
			hot++
			if id != "i-0a1b2c3d4e5f60003" {
				t.Errorf("hot instance %s, want i-0a1b2c3d4e5f60003", id)
			}
		case hi < 5:
			idle++
		case busyH > 2*night && busyH > 40:
			web++
		case id != "i-0a1b2c3d4e5f60009": // the batch instance: steady, neither
			t.Errorf("%s: CPU %.1f..%.1f, night %.1f, busy hours %.1f: fits no role", id, lo, hi, night, busyH)
		}
	}
	if hot != 1 || idle != 3 || web != 7 {
		t.Errorf("%d hot, %d idle, %d busy-hours instances; want 1, 3, 7", hot, idle, web)
	}
}

// TestLambdaStory: the orders-api error rate jumps from ~0.5% to ~8% at LambdaBadDeploy,
// the deploy starts every environment cold, the thumbnailer runs in bursts that start cold
// and get throttled at its reserved concurrency, and the counts agree with each other.
func TestLambdaStory(t *testing.T) {
	s := mustNew(t, "lambda", 21)
	end := DemoNow
	start := end.Add(-7 * 24 * time.Hour)
	fn := func(name string) Dim { return Dim{"FunctionName", name} }
	sumBetween := func(ps []point, from, to time.Time) float64 {
		s := 0.0
		for _, p := range ps {
			if !p.T.Before(from) && p.T.Before(to) {
				for i, v := range p.Values {
					s += v * p.Counts[i]
				}
			}
		}
		return s
	}
	for _, name := range []string{"orders-api", "thumbnailer"} {
		inv := collect(s, metricIndex(t, s, "Invocations", fn(name)), start, end)
		dur := collect(s, metricIndex(t, s, "Duration", fn(name)), start, end)
		errs := collect(s, metricIndex(t, s, "Errors", fn(name)), start, end)
		conc := collect(s, metricIndex(t, s, "ConcurrentExecutions", fn(name)), start, end)
		if len(inv) == 0 || len(inv) != len(dur) || len(inv) != len(errs) || len(inv) != len(conc) {
			t.Fatalf("%s: %d/%d/%d/%d datums", name, len(inv), len(dur), len(errs), len(conc))
		}
		for i := range inv {
			n := 0.0
			for _, c := range dur[i].Counts {
				n += c
			}
			if !inv[i].T.Equal(dur[i].T) || inv[i].Values[0] != n || errs[i].Values[0] > n {
				t.Fatalf("%s at %v: %v invocations, %v durations, %v errors", name, inv[i].T, inv[i].Values[0], n, errs[i].Values[0])
			}
		}
		if name == "orders-api" {
			if len(inv) != 7*24*60 {
				t.Errorf("orders-api: %d minutes with invocations, want every minute", len(inv))
			}
			before := sumBetween(errs, start, LambdaBadDeploy) / sumBetween(inv, start, LambdaBadDeploy)
			after := sumBetween(errs, LambdaBadDeploy, end) / sumBetween(inv, LambdaBadDeploy, end)
			if before < 0.003 || before > 0.008 || after < 0.06 || after > 0.10 {
				t.Errorf("orders-api error rate %.2f%% before the deploy, %.2f%% after; want ~0.5%% and ~8%%", before*100, after*100)
			}
			// The deploy minute starts every environment cold: as many durations above any
			// warm one as there are concurrent executions.
			i := len(inv) - int(end.Sub(LambdaBadDeploy)/time.Minute)
			if !dur[i].T.Equal(LambdaBadDeploy) {
				t.Fatalf("datum %d is at %v, want the deploy minute", i, dur[i].T)
			}
			slow := 0.0
			for j, v := range dur[i].Values {
				if v >= 250 {
					slow += dur[i].Counts[j]
				}
			}
			if slow < conc[i].Values[0] {
				t.Errorf("deploy minute: %v cold-start durations, %v concurrent executions", slow, conc[i].Values[0])
			}
			continue
		}
		// thumbnailer: bursts with idle gaps (no datums), each burst's first minute all cold.
		f := newFunction(21, name)
		f.bursty, f.rate, f.reserved, f.warm = true, 1000, 10, lognormal(850, 0.35)
		f.meanSec = f.warm.mean() / 1000
		bursts := 0
		for i, p := range inv {
			if i > 0 && p.T.Sub(inv[i-1].T) > keepWarm*time.Minute {
				bursts++
				if c, cs := conc[i].Values[0], f.coldStarts(p.T.Unix()); float64(cs) != math.Min(c, p.Values[0]) {
					t.Errorf("burst at %v: %d cold starts, %v concurrent executions", p.T, cs, c)
				}
			}
			if conc[i].Values[0] > 10 {
				t.Errorf("%v: %v concurrent executions above the reserved 10", p.T, conc[i].Values[0])
			}
		}
		if bursts < 7*10 {
			t.Errorf("thumbnailer: %d bursts after idle gaps in 7 days, want at least 10 a day", bursts)
		}
		thr := collect(s, metricIndex(t, s, "Throttles", fn(name)), start, end)
		if sumBetween(thr, start, end) == 0 {
			t.Error("thumbnailer never throttled")
		}
	}
}

// TestBenchStory: 500 series s000..s499 with the api latency story.
func TestBenchStory(t *testing.T) {
	s := mustNew(t, "bench", 1)
	ms := s.Metrics()
	if len(ms) != 500 {
		t.Fatalf("%d bench series, want 500", len(ms))
	}
	for i, m := range ms {
		if want := fmt.Sprintf("Bench Latency {Series=s%03d}", i); m.String() != want {
			t.Fatalf("series %d is %s, want %s", i, m, want)
		}
	}
	end := DemoNow
	start := end.Add(-3 * time.Hour)
	for _, m := range []int{0, 123, 499} {
		for _, b := range buckets(s, m, start, end, 5*time.Minute) {
			p99 := b.p(99)
			if top := inBackup(b.start.Unix()); top && p99 <= 3000 || !top && p99 >= 1000 {
				t.Errorf("%s at %v: p99 %.0f ms", ms[m], b.start, p99)
			}
		}
	}
}
