package localcw

import (
	"fmt"
	"math"
	"time"

	"github.com/cwnb/cwnb/cwnb/localcw/internal/store"
)

// PublishValues stores values of one metric at time t, as one PutMetricData datum with Values
// would: the way another local service (the local Logs extracting Embedded Metric Format)
// publishes metrics into this server's store. unit "" is None; highRes is StorageResolution 1.
// Values must be finite; at most 150 of them, as PutMetricData allows.
func (s *Server) PublishValues(namespace, name string, dims map[string]string, unit string, highRes bool, t time.Time, values []float64) error {
	if namespace == "" || name == "" {
		return fmt.Errorf("publish: namespace and metric name are required")
	}
	if len(values) == 0 || len(values) > 150 {
		return fmt.Errorf("publish %s/%s: %d values; send 1 to 150", namespace, name, len(values))
	}
	if len(dims) > maxDimensions {
		return fmt.Errorf("publish %s/%s: %d dimensions; at most %d", namespace, name, len(dims), maxDimensions)
	}
	for _, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("publish %s/%s: value %v is not finite", namespace, name, v)
		}
	}
	if err := checkUnit(unit, "Unit"); err != nil {
		return fmt.Errorf("publish %s/%s: %w", namespace, name, err)
	}
	if unit == "" {
		unit = "None"
	}
	ds := make([]store.Dim, 0, len(dims))
	for k, v := range dims {
		ds = append(ds, store.Dim{Name: k, Value: v})
	}
	s.store.Put(store.Metric{Namespace: namespace, Name: name, Dims: ds}, []store.Datum{{
		T: t.UnixMilli(), Kind: store.Distribution, HighRes: highRes,
		Values: append([]float64(nil), values...), Unit: unit,
	}})
	return nil
}

// SetSource serves metric namespace/name with dimensions dims from gen, generated on demand for
// the window a request asks and never after the server clock, as scenario data is; gen
// replaces any generated source the metric had (the local Logs uses it to serve a scenario's
// metrics from the Embedded Metric Format documents of its log). unit "" is None.
func (s *Server) SetSource(namespace, name string, dims map[string]string, unit string, highRes bool, gen func(start, end time.Time, emit func(t time.Time, values, counts []float64))) {
	ds := make([]store.Dim, 0, len(dims))
	for k, v := range dims {
		ds = append(ds, store.Dim{Name: k, Value: v})
	}
	s.store.SetSource(store.Metric{Namespace: namespace, Name: name, Dims: ds}, unit, highRes,
		func(start, end time.Time, emit func(t time.Time, values, counts []float64)) {
			if now := s.now(); end.After(now) {
				end = now
			}
			if start.Before(end) {
				gen(start, end, emit)
			}
		})
}
