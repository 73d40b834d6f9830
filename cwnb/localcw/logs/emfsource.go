package logs

import (
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
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

// emfSource extracts the metrics of a generated group's EMF documents, an hour at a time (the
// hours a request needs in parallel), and keeps each hour's result: a notebook reloads the
// same week several times.
type emfSource struct {
	gen   func(start, end time.Time, emit func(ms int64, stream string, message []byte) bool)
	logf  func(format string, args ...any)
	name  string
	until func() time.Time // the server clock: no hour after it is extracted ahead

	mu    sync.Mutex
	hours map[int64]*emfHour // by the hour's start, Unix seconds
}

// emfHour is the metrics the documents of one hour declare, by minute of the hour and metric
// key; once computes it.
type emfHour struct {
	once    sync.Once
	minutes [60]map[string]emfSamples
}

// emfSamples is one minute's samples of one metric: distinct values ascending, and how many
// times each was extracted.
type emfSamples struct{ values, counts []float64 }

// emfCacheHours bounds the cache: five weeks.
const emfCacheHours = 5 * 7 * 24

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
func serveEMF(metrics SourceSetter, g *scenario.LogGroup, now func() time.Time, logf func(string, ...any)) *emfSource {
	src := &emfSource{gen: g.EMF, logf: logf, name: g.Name, until: now, hours: map[int64]*emfHour{}}
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
	return src
}

// warm extracts the hours of [from, to), newest first, on half the cores, until done is closed.
func (s *emfSource) warm(from, to time.Time, done <-chan struct{}) {
	var hours []time.Time
	for h := to.Truncate(time.Hour); !h.Before(from.Truncate(time.Hour)); h = h.Add(-time.Hour) {
		hours = append(hours, h)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)/2) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(hours); i = int(next.Add(1) - 1) {
				select {
				case <-done:
					return
				default:
				}
				s.hour(hours[i])
			}
		}()
	}
	wg.Wait()
}

// generate emits the datums of metric key stamped in [start, end): one per minute, at most 150
// values each (more: several datums of that minute).
func (s *emfSource) generate(key string, start, end time.Time, emit func(t time.Time, values, counts []float64)) {
	first := start.Truncate(time.Minute)
	if first.Before(start) {
		first = first.Add(time.Minute)
	}
	if !first.Before(end) {
		return
	}
	// the hours of the window, extracted in parallel
	var hours []time.Time
	for h := first.Truncate(time.Hour); h.Before(end); h = h.Add(time.Hour) {
		hours = append(hours, h)
	}
	got := make([]*emfHour, len(hours))
	missing := false
	s.mu.Lock()
	for i, h := range hours {
		got[i] = s.hours[h.Unix()]
		missing = missing || got[i] == nil
	}
	s.mu.Unlock()
	if missing {
		// Extract the whole UTC days of the window (up to the window's end): a caller walking
		// through time in small windows (an alarm's evaluations) then has its next hours
		// ready, extracted on every core.
		todo := slices.Clone(hours)
		day := hours[0].Truncate(24 * time.Hour)
		for h := day; h.Before(hours[0]); h = h.Add(time.Hour) {
			todo = append(todo, h)
		}
		if last := hours[len(hours)-1]; s.until != nil {
			for h := last.Add(time.Hour); h.Before(last.Truncate(24*time.Hour).Add(24*time.Hour)) && h.Before(s.until()); h = h.Add(time.Hour) {
				todo = append(todo, h)
			}
		}
		var next atomic.Int64
		var wg sync.WaitGroup
		for range min(len(todo), runtime.GOMAXPROCS(0)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := int(next.Add(1) - 1); i < len(todo); i = int(next.Add(1) - 1) {
					s.hour(todo[i])
				}
			}()
		}
		wg.Wait()
	}
	// through hour for every hour, found or not: an hour another request is extracting is in
	// the map before it is filled, and hour waits for it
	for i, h := range hours {
		got[i] = s.hour(h)
	}
	for t := first; t.Before(end); t = t.Add(time.Minute) {
		h := got[int(t.Sub(hours[0])/time.Hour)]
		d, ok := h.minutes[t.Minute()][key]
		if !ok {
			continue
		}
		for i := 0; i < len(d.values); i += scenario.MaxValues {
			j := min(len(d.values), i+scenario.MaxValues)
			emit(t.UTC(), d.values[i:j], d.counts[i:j])
		}
	}
}

// hour returns the metrics of the hour starting at h, extracting them on first use.
func (s *emfSource) hour(h time.Time) *emfHour {
	s.mu.Lock()
	hr, ok := s.hours[h.Unix()]
	if !ok {
		if len(s.hours) >= emfCacheHours {
			clear(s.hours)
		}
		hr = &emfHour{}
		s.hours[h.Unix()] = hr
	}
	s.mu.Unlock()
	hr.once.Do(func() {
		var raw [60]map[string][]float64
		s.gen(h, h.Add(time.Hour), func(_ int64, _ string, msg []byte) bool {
			ds, err := ExtractEMF(string(msg))
			if err != nil {
				if s.logf != nil {
					s.logf("logs: %s: %v (event kept, no metrics)", s.name, err)
				}
				return true
			}
			for _, d := range ds {
				if d.Time.Before(h) || !d.Time.Before(h.Add(time.Hour)) {
					continue // stamped in another hour: not served (the api's documents never are)
				}
				m := d.Time.Minute()
				if raw[m] == nil {
					raw[m] = map[string][]float64{}
				}
				k := emfKey(d.Namespace, d.Name, d.Dims)
				raw[m][k] = append(raw[m][k], d.Values...)
			}
			return true
		})
		for m, byKey := range raw {
			hr.minutes[m] = make(map[string]emfSamples, len(byKey))
			for k, xs := range byKey {
				slices.Sort(xs)
				var v emfSamples
				for i, x := range xs {
					if i > 0 && x == xs[i-1] {
						v.counts[len(v.counts)-1]++
						continue
					}
					v.values = append(v.values, x)
					v.counts = append(v.counts, 1)
				}
				hr.minutes[m][k] = v
			}
		}
	})
	return hr
}
