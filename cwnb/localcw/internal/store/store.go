// Package store is the storage layer of the local CloudWatch: published datums per metric
// identity (namespace, metric name, dimensions sorted by name), and generated sources (scenarios)
// that produce datums on demand and are read exactly like published ones.
//
// The store knows nothing of the wire protocol or of statistics: it keeps datums and hands them
// back in ascending time order.
package store

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Dim is one dimension of a metric.
type Dim struct{ Name, Value string }

// Metric identifies a metric: two metrics with the same namespace, name and dimension set are the
// same metric, whatever the order the dimensions were given in.
type Metric struct {
	Namespace, Name string
	Dims            []Dim // sorted by Name, then Value
}

// Canonical returns m with its dimensions sorted (a copy; m is not modified).
func (m Metric) Canonical() Metric {
	dims := slices.Clone(m.Dims)
	slices.SortFunc(dims, func(a, b Dim) int {
		if c := cmp.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return cmp.Compare(a.Value, b.Value)
	})
	m.Dims = dims
	return m
}

// Key is a string that identifies a canonical metric.
func (m Metric) Key() string {
	var b strings.Builder
	b.WriteString(m.Namespace)
	b.WriteByte(0)
	b.WriteString(m.Name)
	for _, d := range m.Dims {
		b.WriteByte(0)
		b.WriteString(d.Name)
		b.WriteByte(1)
		b.WriteString(d.Value)
	}
	return b.String()
}

// Kind says which members of a Datum hold its samples.
type Kind uint8

// The three forms of a PutMetricData datum.
const (
	Single       Kind = iota // Value
	Distribution             // Values with Counts (nil Counts: every count 1)
	Set                      // SampleCount, Sum, Minimum, Maximum
)

// Datum is one stored datum.
type Datum struct {
	T       int64 // Unix milliseconds
	Kind    Kind
	HighRes bool // StorageResolution 1: keeps its second; otherwise stored at minute resolution
	Value   float64
	Values  []float64
	Counts  []float64
	Count   float64
	Sum     float64
	Min     float64
	Max     float64
	Unit    string // "None" when the publisher gave none
}

// GenerateFunc produces the datums of a generated metric whose timestamps lie in [start, end), in
// ascending time. values and counts may be reused after emit returns.
type GenerateFunc func(start, end time.Time, emit func(t time.Time, values, counts []float64))

type source struct {
	gen     GenerateFunc
	unit    string
	highRes bool
}

// Series is the data of one metric.
type Series struct {
	Metric Metric
	key    string

	mu      sync.RWMutex
	data    []Datum // ascending T; equal T keep publishing order
	sources []source
}

// Store holds every series. It is safe for concurrent use.
type Store struct {
	mu     sync.RWMutex
	series map[string]*Series
	sorted []*Series // by key; nil when a series was added since
}

// New returns an empty store.
func New() *Store {
	return &Store{series: map[string]*Series{}}
}

func (s *Store) getOrAdd(m Metric) *Series {
	m = m.Canonical()
	key := m.Key()
	s.mu.RLock()
	sr := s.series[key]
	s.mu.RUnlock()
	if sr != nil {
		return sr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if sr = s.series[key]; sr == nil {
		sr = &Series{Metric: m, key: key}
		s.series[key] = sr
		s.sorted = nil
	}
	return sr
}

// Put stores datums of metric m. The datums' slices are kept: the caller must not reuse them.
// Datums may come in any order; the series stays sorted by time, datums with equal timestamps
// in publishing order. Put costs O(len(ds) log len(ds)) plus, when ds reach back before the
// newest stored datum, one linear merge.
func (s *Store) Put(m Metric, ds []Datum) {
	if len(ds) == 0 {
		return
	}
	byTime := func(a, b Datum) int { return cmp.Compare(a.T, b.T) }
	if !slices.IsSortedFunc(ds, byTime) {
		ds = slices.Clone(ds)
		slices.SortStableFunc(ds, byTime)
	}
	sr := s.getOrAdd(m)
	sr.mu.Lock()
	defer sr.mu.Unlock()
	n := len(sr.data)
	if n == 0 || sr.data[n-1].T <= ds[0].T {
		sr.data = append(sr.data, ds...)
		return
	}
	// Merge: the stored datums from the first one after ds[0] on are interleaved with ds.
	i := sort.Search(n, func(i int) bool { return sr.data[i].T > ds[0].T })
	tail := slices.Clone(sr.data[i:])
	sr.data = sr.data[:i]
	j, k := 0, 0
	for j < len(tail) && k < len(ds) {
		if tail[j].T <= ds[k].T {
			sr.data = append(sr.data, tail[j])
			j++
		} else {
			sr.data = append(sr.data, ds[k])
			k++
		}
	}
	sr.data = append(sr.data, tail[j:]...)
	sr.data = append(sr.data, ds[k:]...)
}

// AddSource attaches a generated source to metric m: its datums carry unit and are high
// resolution when highRes is true.
func (s *Store) AddSource(m Metric, unit string, highRes bool, gen GenerateFunc) {
	if unit == "" {
		unit = "None"
	}
	sr := s.getOrAdd(m)
	sr.mu.Lock()
	defer sr.mu.Unlock()
	sr.sources = append(sr.sources, source{gen: gen, unit: unit, highRes: highRes})
}

// SetSource makes gen the only generated source of metric m, replacing any added before (a
// scenario's own generator, when another service produces the metric from its data).
func (s *Store) SetSource(m Metric, unit string, highRes bool, gen GenerateFunc) {
	if unit == "" {
		unit = "None"
	}
	sr := s.getOrAdd(m)
	sr.mu.Lock()
	defer sr.mu.Unlock()
	sr.sources = []source{{gen: gen, unit: unit, highRes: highRes}}
}

// Get returns the series of metric m, or nil.
func (s *Store) Get(m Metric) *Series {
	key := m.Canonical().Key()
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.series[key]
}

// All returns every series, sorted by namespace, metric name and dimensions.
func (s *Store) All() []*Series {
	s.mu.RLock()
	out := s.sorted
	s.mu.RUnlock()
	if out != nil {
		return out
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sorted == nil {
		all := make([]*Series, 0, len(s.series))
		for _, sr := range s.series {
			all = append(all, sr)
		}
		sort.Slice(all, func(i, j int) bool { return all[i].key < all[j].key })
		s.sorted = all
	}
	return s.sorted
}

// Key returns the series' metric key (see Metric.Key).
func (sr *Series) Key() string { return sr.key }

// Generated reports whether the series has a generated source.
func (sr *Series) Generated() bool {
	sr.mu.RLock()
	defer sr.mu.RUnlock()
	return len(sr.sources) > 0
}

// Newest returns the timestamp of the newest published datum (Unix ms) and whether there is one.
func (sr *Series) Newest() (int64, bool) {
	sr.mu.RLock()
	defer sr.mu.RUnlock()
	if len(sr.data) == 0 {
		return 0, false
	}
	return sr.data[len(sr.data)-1].T, true
}

// Scan calls fn for every datum with a timestamp in [start, end), in ascending time. fn must not
// keep d or its slices after it returns.
func (sr *Series) Scan(start, end time.Time, fn func(d *Datum)) {
	if !start.Before(end) {
		return
	}
	lo, hi := start.UnixMilli(), end.UnixMilli()
	sr.mu.RLock()
	defer sr.mu.RUnlock()
	i := sort.Search(len(sr.data), func(i int) bool { return sr.data[i].T >= lo })
	j := sort.Search(len(sr.data), func(i int) bool { return sr.data[i].T >= hi })
	published := sr.data[i:j]
	if len(sr.sources) == 0 {
		for k := range published {
			fn(&published[k])
		}
		return
	}
	if len(sr.sources) == 1 && len(published) == 0 {
		src := sr.sources[0]
		var d Datum
		src.gen(start, end, func(t time.Time, values, counts []float64) {
			d = Datum{T: t.UnixMilli(), Kind: Distribution, HighRes: src.highRes, Values: values, Counts: counts, Unit: src.unit}
			if d.T >= lo && d.T < hi {
				fn(&d)
			}
		})
		return
	}
	// Several sources: copy, merge by time, then hand out.
	all := slices.Clone(published)
	for _, src := range sr.sources {
		src.gen(start, end, func(t time.Time, values, counts []float64) {
			ms := t.UnixMilli()
			if ms < lo || ms >= hi {
				return
			}
			all = append(all, Datum{T: ms, Kind: Distribution, HighRes: src.highRes,
				Values: slices.Clone(values), Counts: slices.Clone(counts), Unit: src.unit})
		})
	}
	slices.SortStableFunc(all, func(a, b Datum) int { return cmp.Compare(a.T, b.T) })
	for k := range all {
		fn(&all[k])
	}
}
