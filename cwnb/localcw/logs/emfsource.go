package logs

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cwnb/cwnb/cwnb/localcw/scenario"
)

// SourceSetter is a metrics store that serves a metric from a generator, generated on demand
// for the window asked (*localcw.Server implements it). A generated log group whose Embedded
// Metric Format documents create metrics (scenario.LogGroup.EMF) serves them this way: every
// datum GetMetricData returns for them is extracted from the group's documents by ExtractEMF,
// the function PutLogEvents uses.
type SourceSetter interface {
	SetSource(namespace, name string, dims map[string]string, unit string, highRes bool,
		gen func(start, end time.Time, emit func(t time.Time, values, counts []float64)))
}

// emfSource extracts the metrics of a generated group's EMF documents, one minute at a time,
// and keeps each minute's result: a notebook reloads the same week several times.
type emfSource struct {
	gen  func(start, end time.Time, emit func(ms int64, stream string, message []byte) bool)
	logf func(format string, args ...any)
	name string

	mu      sync.Mutex
	minutes map[int64]map[string]emfValues // minute (Unix seconds) → metric key → its datum
}

// emfValues is one minute's samples of one metric: distinct values ascending, and how many
// times each was extracted.
type emfValues struct{ values, counts []float64 }

// emfCacheMinutes bounds the cache: five weeks of minutes.
const emfCacheMinutes = 5 * 7 * 24 * 60

// emfKey identifies a metric: namespace, name and dimensions (sorted).
func emfKey(namespace, name string, dims map[string]string) string {
	keys := make([]string, 0, len(dims))
	for k := range dims {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(namespace)
	b.WriteByte(0)
	b.WriteString(name)
	for _, k := range keys {
		b.WriteByte(0)
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(dims[k])
	}
	return b.String()
}

// serveEMF makes metrics serve the EMF metrics of the generated group g from its documents.
func serveEMF(metrics SourceSetter, g *scenario.LogGroup, logf func(string, ...any)) {
	src := &emfSource{gen: g.EMF, logf: logf, name: g.Name, minutes: map[int64]map[string]emfValues{}}
	for _, m := range g.EMFMetrics {
		dims := map[string]string{}
		for _, d := range m.Dims {
			dims[d.Name] = d.Value
		}
		key := emfKey(m.Namespace, m.Name, dims)
		metrics.SetSource(m.Namespace, m.Name, dims, m.Unit, m.Interval > 0 && m.Interval < time.Minute,
			func(start, end time.Time, emit func(t time.Time, values, counts []float64)) {
				src.generate(key, start, end, emit)
			})
	}
}

// generate emits the datums of metric key stamped in [start, end): one per minute, at most 150
// values each (more: several datums of that minute).
func (s *emfSource) generate(key string, start, end time.Time, emit func(t time.Time, values, counts []float64)) {
	sec := start.Unix()
	if start.Nanosecond() > 0 {
		sec++
	}
	sec = (sec + 59) / 60 * 60
	if sec < 0 {
		return // before 1970: nothing generated
	}
	for ; sec < end.Unix() || sec == end.Unix() && end.Nanosecond() > 0; sec += 60 {
		d, ok := s.minute(sec)[key]
		if !ok {
			continue
		}
		t := time.Unix(sec, 0).UTC()
		for i := 0; i < len(d.values); i += scenario.MaxValues {
			j := min(len(d.values), i+scenario.MaxValues)
			emit(t, d.values[i:j], d.counts[i:j])
		}
	}
}

// minute returns the metrics the documents of the minute at sec declare for that minute.
func (s *emfSource) minute(sec int64) map[string]emfValues {
	s.mu.Lock()
	m, ok := s.minutes[sec]
	s.mu.Unlock()
	if ok {
		return m
	}
	raw := map[string][]float64{}
	from := time.Unix(sec, 0)
	s.gen(from, from.Add(time.Minute), func(_ int64, _ string, msg []byte) bool {
		ds, err := ExtractEMF(string(msg))
		if err != nil {
			if s.logf != nil {
				s.logf("logs: %s: %v (event kept, no metrics)", s.name, err)
			}
			return true
		}
		for _, d := range ds {
			if d.Time.Unix()/60*60 != sec || d.Time.Before(from) {
				continue // a document stamped in another minute: not this minute's datum
			}
			k := emfKey(d.Namespace, d.Name, d.Dims)
			raw[k] = append(raw[k], d.Values...)
		}
		return true
	})
	m = make(map[string]emfValues, len(raw))
	for k, xs := range raw {
		slices.Sort(xs)
		var v emfValues
		for i, x := range xs {
			if i > 0 && x == xs[i-1] {
				v.counts[len(v.counts)-1]++
				continue
			}
			v.values = append(v.values, x)
			v.counts = append(v.counts, 1)
		}
		m[k] = v
	}
	s.mu.Lock()
	if len(s.minutes) >= emfCacheMinutes {
		clear(s.minutes)
	}
	s.minutes[sec] = m
	s.mu.Unlock()
	return m
}
