package scenario

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// DemoNow is the instant the demo pins the local CloudWatch clock to (`cwnb local -now`):
// 2026-11-20T00:00:00Z. The notebooks look at the 24 hours and the 7 days before it.
var DemoNow = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

// LambdaBadDeploy is the instant of the bad deploy of the orders-api function in the lambda
// scenario: 2026-11-19T13:37:00Z, within the 24 hours before DemoNow. From this minute on,
// orders-api fails about 8% of its invocations instead of about 0.5%.
var LambdaBadDeploy = time.Date(2026, 11, 19, 13, 37, 0, 0, time.UTC)

// Dim is one CloudWatch dimension: a name and its value.
type Dim struct{ Name, Value string }

// Metric identifies one generated series and describes how it is published.
type Metric struct {
	Namespace, Name string
	Dims            []Dim         // sorted by Name
	Unit            string        // CloudWatch unit name: "Milliseconds", "Count", "Percent", "Bytes", ...
	Interval        time.Duration // publishing interval: one datum per Interval, on the epoch grid
}

// String formats m as "Namespace Name {Dim=Value,...}", for messages and test names.
func (m Metric) String() string {
	var b strings.Builder
	b.WriteString(m.Namespace)
	b.WriteByte(' ')
	b.WriteString(m.Name)
	b.WriteString(" {")
	for i, d := range m.Dims {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(d.Name)
		b.WriteByte('=')
		b.WriteString(d.Value)
	}
	b.WriteByte('}')
	return b.String()
}

// Scenario is a deterministic synthetic data set: every datum is a pure function of the
// scenario, its seed, the metric and the timestamp, so any window of any length can be
// generated on demand and any two overlapping windows agree. A Scenario is safe for
// concurrent use by several goroutines.
type Scenario interface {
	// Name returns the name the scenario was created with (one of Names()).
	Name() string
	// Metrics returns the series the scenario publishes. The slice is a fresh copy.
	Metrics() []Metric
	// Generate calls emit, in ascending time, for every datum of Metrics()[m] whose timestamp is in
	// [start, end). values/counts are reused after emit returns (copy if you keep them). A datum is
	// exactly what one PutMetricData MetricDatum with Values+Counts (≤150 values) would carry.
	// Generate panics if m is out of range.
	Generate(m int, start, end time.Time, emit func(t time.Time, values, counts []float64))
}

// MaxValues is the largest number of values in one datum, as PutMetricData allows.
const MaxValues = 150

var registry = map[string]func(seed int64) Scenario{
	"api":    newAPI,
	"ec2":    newEC2,
	"lambda": newLambda,
	"bench":  newBench,
}

// Names returns the names New accepts, sorted.
func Names() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// New returns the scenario called name, with its random variation drawn from seed. The
// same (name, seed) always yields the same data; the story (when and what happens) does
// not depend on the seed, only the noise does.
func New(name string, seed int64) (Scenario, error) {
	mk, ok := registry[name]
	if !ok {
		return nil, fmt.Errorf("unknown scenario %q; use one of %s", name, strings.Join(Names(), ", "))
	}
	return mk(seed), nil
}

// datum is the reusable buffer one Generate call fills for each timestamp.
type datum struct {
	values, counts []float64
	bins           [gridBins]float64 // per-bin sample counts of the latency histogram
	scratch        [gridBins]float64 // one shape's counts before they join bins
	extra          []float64         // values outside the bins (slow requests, cold starts)
}

// datumPool recycles datum buffers between Generate calls: a server answering one request
// calls Generate once per series, hundreds of times.
var datumPool = sync.Pool{New: func() any { return newDatum() }}

func newDatum() *datum {
	return &datum{values: make([]float64, 0, MaxValues), counts: make([]float64, 0, MaxValues)}
}

func (d *datum) reset() {
	d.values = d.values[:0]
	d.counts = d.counts[:0]
}

func (d *datum) add(v, c float64) {
	d.values = append(d.values, v)
	d.counts = append(d.counts, c)
}

// series is one generated metric: gen fills d for the datum stamped sec (Unix seconds) and
// reports whether there is a datum at all (false: nothing was published then).
type series struct {
	metric Metric
	gen    func(sec int64, d *datum) bool
}

// set is the Scenario implementation shared by every scenario: a name and its series.
type set struct {
	name   string
	series []series
	lambda map[string]*function // the lambda scenario's functions by name (their log lines)
}

func (s *set) Name() string { return s.name }

func (s *set) Metrics() []Metric {
	out := make([]Metric, len(s.series))
	for i, se := range s.series {
		out[i] = se.metric
		out[i].Dims = append([]Dim(nil), se.metric.Dims...)
	}
	return out
}

func (s *set) Generate(m int, start, end time.Time, emit func(t time.Time, values, counts []float64)) {
	if m < 0 || m >= len(s.series) {
		panic(fmt.Sprintf("cwnb: scenario %s: metric index %d out of range [0,%d)", s.name, m, len(s.series)))
	}
	se := &s.series[m]
	step := int64(se.metric.Interval / time.Second)
	// First grid timestamp at or after start: ceil(start / step) * step, on the epoch grid.
	sec := start.Unix()
	if start.Nanosecond() > 0 {
		sec++
	}
	sec = ceilDiv(sec, step) * step
	d := datumPool.Get().(*datum)
	defer datumPool.Put(d)
	for ; ; sec += step {
		t := time.Unix(sec, 0).UTC()
		if !t.Before(end) {
			return
		}
		d.reset()
		if se.gen(sec, d) {
			emit(t, d.values, d.counts)
		}
	}
}

// floorDiv returns ⌊a/b⌋ for b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// ceilDiv returns ⌈a/b⌉ for b > 0.
func ceilDiv(a, b int64) int64 { return -floorDiv(-a, b) }

// floorMod returns a mod b in [0, b) for b > 0.
func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// hourOfDay returns the UTC hour of sec as a fraction in [0, 24).
func hourOfDay(sec int64) float64 { return float64(floorMod(sec, 86400)) / 3600 }

// minuteOfHour returns the minute of the hour of sec, 0..59.
func minuteOfHour(sec int64) int64 { return floorMod(sec, 3600) / 60 }
