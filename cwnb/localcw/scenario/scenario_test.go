package scenario

import (
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// point is one emitted datum, copied.
type point struct {
	T              time.Time
	Values, Counts []float64
}

// collect generates metric m of s over [start, end) and copies every datum.
func collect(s Scenario, m int, start, end time.Time) []point {
	var out []point
	s.Generate(m, start, end, func(t time.Time, v, c []float64) {
		out = append(out, point{t, slices.Clone(v), slices.Clone(c)})
	})
	return out
}

// samePoints reports whether a and b hold the same datums (exact float equality: the
// generator must be bit-for-bit deterministic). Cheaper than cmp.Diff, which the callers
// use only to show a difference.
func samePoints(a, b []point) bool {
	return slices.EqualFunc(a, b, func(p, q point) bool {
		return p.T.Equal(q.T) && slices.Equal(p.Values, q.Values) && slices.Equal(p.Counts, q.Counts)
	})
}

func mustNew(t testing.TB, name string, seed int64) Scenario {
	t.Helper()
	s, err := New(name, seed)
	if err != nil {
		t.Fatalf("New(%q, %d): %v", name, seed, err)
	}
	return s
}

func TestNames(t *testing.T) {
	want := []string{"api", "bench", "ec2", "lambda"}
	if diff := cmp.Diff(want, Names()); diff != "" {
		t.Errorf("Names() mismatch (-want +got):\n%s", diff)
	}
	for _, n := range Names() {
		if got := mustNew(t, n, 1).Name(); got != n {
			t.Errorf("New(%q).Name() = %q", n, got)
		}
	}
}

func TestNewUnknown(t *testing.T) {
	for _, name := range []string{"", "API", "nope", "api,ec2"} {
		s, err := New(name, 1)
		if err == nil {
			t.Errorf("New(%q) = %v, want an error", name, s)
			continue
		}
		msg := err.Error()
		for _, want := range append(Names(), name) {
			if !strings.Contains(msg, want) {
				t.Errorf("New(%q) error %q does not mention %q", name, msg, want)
			}
		}
	}
}

func TestMetrics(t *testing.T) {
	units := map[string]bool{"Milliseconds": true, "Count": true, "Percent": true, "Bytes": true}
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			s := mustNew(t, name, 1)
			ms := s.Metrics()
			if len(ms) == 0 {
				t.Fatal("no metrics")
			}
			seen := map[string]bool{}
			for _, m := range ms {
				id := m.String()
				if seen[id] {
					t.Errorf("metric %s listed twice", id)
				}
				seen[id] = true
				if !units[m.Unit] {
					t.Errorf("%s: unit %q is not one the scenarios use", id, m.Unit)
				}
				if m.Interval != time.Minute {
					t.Errorf("%s: interval %v, want 1m", id, m.Interval)
				}
				if !slices.IsSortedFunc(m.Dims, func(a, b Dim) int { return strings.Compare(a.Name, b.Name) }) {
					t.Errorf("%s: dimensions not sorted by name", id)
				}
				if m.Namespace == "" || m.Name == "" || len(m.Dims) == 0 {
					t.Errorf("%s: empty namespace, name or dimensions", id)
				}
			}
			// Metrics returns a copy: changing it must not change the scenario.
			ms[0].Name = "changed"
			ms[0].Dims[0].Value = "changed"
			if again := s.Metrics(); again[0].Name == "changed" || again[0].Dims[0].Value == "changed" {
				t.Error("Metrics() exposes the scenario's own slices")
			}
		})
	}
}

func TestMetricString(t *testing.T) {
	m := Metric{Namespace: "MyService/API", Name: "Latency", Dims: []Dim{{"Endpoint", "/pay"}, {"Service", "checkout"}}}
	if got, want := m.String(), "MyService/API Latency {Endpoint=/pay,Service=checkout}"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

// TestDeterminism: the same window twice, another scenario value with the same seed, and
// windows that overlap must all agree datum for datum; another seed must not.
func TestDeterminism(t *testing.T) {
	end := DemoNow
	start := end.Add(-3 * time.Hour)
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			a, b := mustNew(t, name, 7), mustNew(t, name, 7)
			other := mustNew(t, name, 8)
			n := len(a.Metrics())
			differs := false
			for m := range n {
				if name == "bench" && m%50 != 0 {
					continue // 10 of the 500 series are enough here
				}
				whole := collect(a, m, start, end)
				if again := collect(a, m, start, end); !samePoints(whole, again) {
					t.Fatalf("%s: second run differs:\n%s", a.Metrics()[m], cmp.Diff(whole, again))
				}
				if again := collect(b, m, start, end); !samePoints(whole, again) {
					t.Fatalf("%s: second scenario value differs:\n%s", a.Metrics()[m], cmp.Diff(whole, again))
				}
				// Two overlapping windows with odd, off-grid edges: their union is the whole.
				mid1 := start.Add(67*time.Minute + 13*time.Second)
				mid2 := start.Add(101*time.Minute + 500*time.Millisecond)
				left := collect(a, m, start, mid2)
				right := collect(a, m, mid1, end)
				for _, p := range right {
					if p.T.Before(mid2) {
						i := slices.IndexFunc(left, func(q point) bool { return q.T.Equal(p.T) })
						if i < 0 {
							t.Fatalf("%s: %v in the right window only", a.Metrics()[m], p.T)
						}
						if !samePoints(left[i:i+1], []point{p}) {
							t.Fatalf("%s: overlapping windows disagree at %v:\n%s", a.Metrics()[m], p.T, cmp.Diff(left[i], p))
						}
					}
				}
				var union []point
				union = append(union, left...)
				for _, p := range right {
					if !p.T.Before(mid2) {
						union = append(union, p)
					}
				}
				if !samePoints(whole, union) {
					t.Fatalf("%s: split windows differ from the whole:\n%s", a.Metrics()[m], cmp.Diff(whole, union))
				}
				if !samePoints(whole, collect(other, m, start, end)) {
					differs = true
				}
			}
			if !differs {
				t.Error("seed 8 gives the same data as seed 7")
			}
		})
	}
}

// TestWindowEdges checks which timestamps a window yields: minute-grid timestamps in
// [start, end), whatever the window's alignment, and nothing for an empty window.
func TestWindowEdges(t *testing.T) {
	s := mustNew(t, "api", 1) // metric 0 publishes every minute
	base := DemoNow
	tests := []struct {
		name       string
		start, end time.Time
		want       []time.Time
	}{
		{"aligned", base, base.Add(3 * time.Minute), []time.Time{base, base.Add(time.Minute), base.Add(2 * time.Minute)}},
		{"end exclusive", base, base.Add(time.Minute), []time.Time{base}},
		{"start inclusive off by a nanosecond", base.Add(time.Nanosecond), base.Add(2*time.Minute + time.Nanosecond),
			[]time.Time{base.Add(time.Minute), base.Add(2 * time.Minute)}},
		{"sub-minute window", base.Add(10 * time.Second), base.Add(50 * time.Second), nil},
		{"empty", base, base, nil},
		{"reversed", base.Add(time.Hour), base, nil},
		{"non-UTC location", base.In(time.FixedZone("X", 5*3600+1800)), base.Add(time.Minute), []time.Time{base}},
		{"before 1970", time.Date(1969, 12, 31, 23, 58, 30, 0, time.UTC), time.Date(1970, 1, 1, 0, 0, 0, 1, time.UTC),
			[]time.Time{time.Date(1969, 12, 31, 23, 59, 0, 0, time.UTC), time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []time.Time
			s.Generate(0, tt.start, tt.end, func(ts time.Time, _, _ []float64) { got = append(got, ts) })
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("timestamps mismatch (-want +got):\n%s", diff)
			}
			for _, ts := range got {
				if ts.Location() != time.UTC {
					t.Errorf("timestamp %v not in UTC", ts)
				}
			}
		})
	}
}

// TestValid checks every datum of every scenario over two days (the bench scenario over
// two hours) against PutMetricData's rules: 1..150 values, finite, counts > 0 and whole,
// no negative values, timestamps ascending on the minute grid inside the window.
func TestValid(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			s := mustNew(t, name, 3)
			end := DemoNow
			start := end.Add(-48 * time.Hour)
			if name == "bench" {
				start = end.Add(-2 * time.Hour)
			}
			for m, metric := range s.Metrics() {
				var last time.Time
				datums := 0
				s.Generate(m, start, end, func(ts time.Time, v, c []float64) {
					datums++
					bad := func(format string, args ...any) {
						t.Helper()
						t.Fatalf("%s at %v: "+format, append([]any{metric, ts}, args...)...)
					}
					if ts.Before(start) || !ts.Before(end) || ts.Unix()%60 != 0 || ts.Nanosecond() != 0 {
						bad("timestamp outside [%v, %v) or off the minute grid", start, end)
					}
					if !last.IsZero() && !ts.After(last) {
						bad("not after the previous timestamp %v", last)
					}
					last = ts
					if len(v) == 0 || len(v) > MaxValues || len(v) != len(c) {
						bad("%d values and %d counts", len(v), len(c))
					}
					// Histogram datums of api and bench come sorted (doc.go promises it; the
					// server's sort then costs nothing), which also proves the values distinct.
					for i := 1; metric.Name == "Latency" && i < len(v); i++ {
						if !(v[i-1] < v[i]) {
							bad("values not strictly ascending: %v", v)
						}
					}
					for i := range v {
						if math.IsNaN(v[i]) || math.IsInf(v[i], 0) || v[i] < 0 {
							bad("value %v", v[i])
						}
						if !(c[i] > 0) || c[i] != math.Trunc(c[i]) || math.IsInf(c[i], 0) {
							bad("count %v", c[i])
						}
					}
				})
				if datums == 0 {
					t.Errorf("%s: no datum in %v..%v", metric, start, end)
				}
			}
		})
	}
}

// TestConcurrent generates the same series from several goroutines at once (run with
// -race): the results must agree with a sequential run.
func TestConcurrent(t *testing.T) {
	s := mustNew(t, "api", 4)
	start, end := DemoNow.Add(-2*time.Hour), DemoNow
	want := make([][]point, len(s.Metrics()))
	for m := range want {
		want[m] = collect(s, m, start, end)
	}
	errs := make(chan string, 4*len(want))
	var wg sync.WaitGroup
	for range 4 {
		for m := range want {
			wg.Go(func() {
				if got := collect(s, m, start, end); !samePoints(want[m], got) {
					errs <- s.Metrics()[m].String()
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("%s: concurrent run differs from the sequential one", e)
	}
}

func TestGenerateBadIndex(t *testing.T) {
	s := mustNew(t, "ec2", 1)
	for _, m := range []int{-1, len(s.Metrics())} {
		func() {
			defer func() {
				r := recover()
				msg, _ := r.(string)
				if !strings.HasPrefix(msg, "cwnb: ") || !strings.Contains(msg, "out of range") {
					t.Errorf("Generate(%d) panic = %v, want a cwnb: out of range panic", m, r)
				}
			}()
			s.Generate(m, DemoNow, DemoNow.Add(time.Minute), func(time.Time, []float64, []float64) {})
		}()
	}
}

// TestHistogramCounts checks the bin-count rounding directly: for every n the counts sum
// to exactly n, are whole and non-negative, and emit (the fast path) gives the same counts
// as counts (the roll-up path).
func TestHistogramCounts(t *testing.T) {
	shapes := map[string]*shape{"narrow": lognormal(850, 0.35), "api": lognormal(175, 0.45), "wide": lognormal(40, 1.2)}
	for name, sh := range shapes {
		t.Run(name, func(t *testing.T) {
			d := &datum{values: make([]float64, 0, MaxValues), counts: make([]float64, 0, MaxValues)}
			for _, n := range []int{0, 1, 2, 10, 20, 23, 24, 25, 30, 50, 63, 64, 65, 100, 333, 1000, 5000, 100000} {
				for key := uint64(0); key < 20; key++ {
					r := rng{at(key, int64(n))}
					cs := slices.Clone(sh.counts(d, n, &r))
					sum := 0.0
					for _, c := range cs {
						if c < 0 || c != math.Trunc(c) {
							t.Fatalf("n=%d: count %v", n, c)
						}
						sum += c
					}
					if sum != float64(n) {
						t.Fatalf("n=%d: counts sum to %v", n, sum)
					}
					d.reset()
					r = rng{at(key, int64(n))}
					jt := newJitter(key)
					sh.emit(d, n, &r, &jt, 1)
					var want []float64
					for _, c := range cs {
						if c > 0 {
							want = append(want, c)
						}
					}
					if diff := cmp.Diff(want, d.counts, cmpopts.EquateEmpty()); diff != "" {
						t.Fatalf("n=%d key=%d: emit and counts disagree:\n%s", n, key, diff)
					}
					if !slices.IsSorted(d.values) {
						t.Fatalf("n=%d: emit values not ascending", n)
					}
				}
			}
		})
	}
}

// TestLognormalShape checks the binned distribution against the log-normal it stands for:
// median and p99 of a large sample within a bin width (10%).
func TestLognormalShape(t *testing.T) {
	const median, sigma = 175.0, 0.45
	sh := lognormal(median, sigma)
	d := &datum{values: make([]float64, 0, MaxValues), counts: make([]float64, 0, MaxValues)}
	r := rng{1}
	jt := newJitter(2)
	sh.emit(d, 1_000_000, &r, &jt, 1)
	for _, tc := range []struct {
		p    float64
		want float64
	}{
		{0.5, median},
		{0.99, median * math.Exp(2.3263*sigma)},
		{0.05, median * math.Exp(-1.6449*sigma)},
	} {
		got := weightedPercentile(d.values, d.counts, tc.p*100)
		if math.Abs(got/tc.want-1) > 0.10 {
			t.Errorf("p%v = %.1f, want %.1f ± 10%%", tc.p*100, got, tc.want)
		}
	}
}
