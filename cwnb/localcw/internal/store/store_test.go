package store

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestMetricIdentityIgnoresDimensionOrder(t *testing.T) {
	a := Metric{Namespace: "N", Name: "M", Dims: []Dim{{"B", "2"}, {"A", "1"}}}
	b := Metric{Namespace: "N", Name: "M", Dims: []Dim{{"A", "1"}, {"B", "2"}}}
	if a.Canonical().Key() != b.Canonical().Key() {
		t.Errorf("keys differ for the same dimension set")
	}
	if a.Dims[0].Name != "B" {
		t.Errorf("Canonical modified its receiver's dimensions")
	}
	c := Metric{Namespace: "N", Name: "M", Dims: []Dim{{"A", "1B\x012"}}}
	if c.Canonical().Key() == a.Canonical().Key() {
		t.Errorf("distinct metrics share a key")
	}
	s := New()
	s.Put(a, []Datum{{T: 1, Value: 1}})
	s.Put(b, []Datum{{T: 2, Value: 2}})
	if n := len(s.All()); n != 1 {
		t.Errorf("%d series, want 1", n)
	}
	if s.Get(b) == nil || s.Get(Metric{Namespace: "N", Name: "M"}) != nil {
		t.Errorf("Get by identity is wrong")
	}
}

func collect(sr *Series, start, end time.Time) []int64 {
	var ts []int64
	sr.Scan(start, end, func(d *Datum) { ts = append(ts, d.T) })
	return ts
}

func TestScanOrderAndRange(t *testing.T) {
	s := New()
	m := Metric{Namespace: "N", Name: "M"}
	s.Put(m, []Datum{{T: 5000}, {T: 1000}, {T: 3000}})
	s.Put(m, []Datum{{T: 2000}, {T: 3000, Value: 9}})
	sr := s.Get(m)
	ms := func(n int64) time.Time { return time.UnixMilli(n) }
	if diff := cmp.Diff([]int64{1000, 2000, 3000, 3000, 5000}, collect(sr, ms(0), ms(10000))); diff != "" {
		t.Errorf("full scan (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int64{2000, 3000, 3000}, collect(sr, ms(2000), ms(5000))); diff != "" {
		t.Errorf("[2000, 5000) (-want +got):\n%s", diff)
	}
	var vals []float64
	sr.Scan(ms(3000), ms(3001), func(d *Datum) { vals = append(vals, d.Value) })
	if diff := cmp.Diff([]float64{0, 9}, vals); diff != "" {
		t.Errorf("equal timestamps keep publishing order (-want +got):\n%s", diff)
	}
	if got := collect(sr, ms(5000), ms(5000)); got != nil {
		t.Errorf("empty range gave %v", got)
	}
}

func TestScanMergesGeneratedAndPublished(t *testing.T) {
	s := New()
	m := Metric{Namespace: "N", Name: "M"}
	var asked [2]time.Time
	s.AddSource(m, "Count", false, func(start, end time.Time, emit func(time.Time, []float64, []float64)) {
		asked = [2]time.Time{start, end}
		buf := []float64{0}
		for t := start.Truncate(time.Minute); t.Before(end); t = t.Add(time.Minute) {
			buf[0] = float64(t.Unix())
			emit(t, buf, nil) // the buffer is reused: Scan must copy when it merges
		}
	})
	base := time.Unix(600, 0)
	if diff := cmp.Diff([]int64{600000, 660000, 720000}, collect(s.Get(m), base, base.Add(3*time.Minute))); diff != "" {
		t.Errorf("generated only (-want +got):\n%s", diff)
	}
	if !asked[0].Equal(base) || !asked[1].Equal(base.Add(3*time.Minute)) {
		t.Errorf("generator asked for %v", asked)
	}
	s.Put(m, []Datum{{T: 630000, Kind: Single, Value: -1, Unit: "Count"}})
	var got []float64
	s.Get(m).Scan(base, base.Add(3*time.Minute), func(d *Datum) {
		if d.Kind == Single {
			got = append(got, d.Value)
		} else {
			got = append(got, d.Values[0])
		}
	})
	if diff := cmp.Diff([]float64{600, -1, 660, 720}, got); diff != "" {
		t.Errorf("merged (-want +got):\n%s", diff)
	}
	if !s.Get(m).Generated() {
		t.Errorf("Generated() = false")
	}
}

func TestPutMergesOutOfOrderBatches(t *testing.T) {
	s := New()
	m := Metric{Namespace: "N", Name: "M"}
	s.Put(m, []Datum{{T: 10, Value: 1}, {T: 30, Value: 2}, {T: 50, Value: 3}})
	s.Put(m, []Datum{{T: 40, Value: 4}, {T: 30, Value: 5}, {T: 5, Value: 6}, {T: 60, Value: 7}})
	var got []float64
	s.Get(m).Scan(time.UnixMilli(0), time.UnixMilli(100), func(d *Datum) { got = append(got, d.Value) })
	if diff := cmp.Diff([]float64{6, 1, 2, 5, 4, 3, 7}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
