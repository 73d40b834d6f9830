package logs

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/cwnb/cwnb/cwnb/insights"
)

// EMF limits (Embedded Metric Format specification).
const (
	emfMaxMetrics    = 100  // per directive
	emfMaxDims       = 30   // per dimension set
	emfMaxValues     = 100  // per metric array
	emfMaxNameLength = 1024 // namespace, metric name, dimension value
)

// emfDoc is the _aws member of an EMF document.
type emfDoc struct {
	Timestamp         *int64 `json:"Timestamp"`
	CloudWatchMetrics []struct {
		Namespace  string     `json:"Namespace"`
		Dimensions [][]string `json:"Dimensions"`
		Metrics    []struct {
			Name              string `json:"Name"`
			Unit              string `json:"Unit"`
			StorageResolution int    `json:"StorageResolution"`
		} `json:"Metrics"`
	} `json:"CloudWatchMetrics"`
}

// EMFDatum is one metric datum an EMF document declares: every dimension set of a directive
// times every metric of it.
type EMFDatum struct {
	Namespace, Name string
	Dims            map[string]string
	Unit            string
	HighRes         bool
	Time            time.Time
	Values          []float64
}

// ExtractEMF returns the metric data an Embedded Metric Format document declares, or nil and no
// error when message is not an EMF document (no _aws member). A document that breaks the
// specification (no Timestamp, a missing dimension value, too many metrics or dimensions, a
// value that is not a number or an array of up to 100 numbers) is an error: the service then
// stores the event but creates no metrics from it.
func ExtractEMF(message string) ([]EMFDatum, error) {
	s := strings.TrimSpace(message)
	if !strings.HasPrefix(s, "{") || !strings.Contains(s, `"_aws"`) {
		return nil, nil
	}
	var root map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s), &root); err != nil {
		return nil, nil
	}
	raw, ok := root["_aws"]
	if !ok {
		return nil, nil
	}
	var doc emfDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("emf: _aws: %v", err)
	}
	if doc.Timestamp == nil {
		return nil, fmt.Errorf("emf: _aws.Timestamp is required (epoch milliseconds)")
	}
	t := time.UnixMilli(*doc.Timestamp).UTC()
	var out []EMFDatum
	for di, d := range doc.CloudWatchMetrics {
		if d.Namespace == "" || len(d.Namespace) > emfMaxNameLength {
			return nil, fmt.Errorf("emf: CloudWatchMetrics[%d].Namespace must be 1 to 1024 characters", di)
		}
		if len(d.Metrics) > emfMaxMetrics {
			return nil, fmt.Errorf("emf: CloudWatchMetrics[%d] has %d metrics; the limit is %d", di, len(d.Metrics), emfMaxMetrics)
		}
		sets := d.Dimensions
		if len(sets) == 0 {
			sets = [][]string{{}}
		}
		for si, set := range sets {
			if len(set) > emfMaxDims {
				return nil, fmt.Errorf("emf: CloudWatchMetrics[%d].Dimensions[%d] has %d dimensions; the limit is %d", di, si, len(set), emfMaxDims)
			}
			dims := map[string]string{}
			for _, k := range set {
				var v string
				if err := json.Unmarshal(root[k], &v); err != nil || v == "" || len(v) > emfMaxNameLength {
					return nil, fmt.Errorf("emf: dimension %q needs a root member with a string value of 1 to 1024 characters", k)
				}
				dims[k] = v
			}
			for _, m := range d.Metrics {
				if m.Name == "" || len(m.Name) > emfMaxNameLength {
					return nil, fmt.Errorf("emf: a metric Name must be 1 to 1024 characters")
				}
				rv, ok := root[m.Name]
				if !ok {
					continue // declared but absent: nothing to publish
				}
				var vals []float64
				var one float64
				if err := json.Unmarshal(rv, &one); err == nil {
					vals = []float64{one}
				} else if err := json.Unmarshal(rv, &vals); err != nil {
					return nil, fmt.Errorf("emf: metric %q: value must be a number or an array of numbers", m.Name)
				}
				if len(vals) == 0 {
					continue
				}
				if len(vals) > emfMaxValues {
					return nil, fmt.Errorf("emf: metric %q has %d values; the limit is %d", m.Name, len(vals), emfMaxValues)
				}
				switch m.StorageResolution {
				case 0, 1, 60:
				default:
					return nil, fmt.Errorf("emf: metric %q: StorageResolution must be 1 or 60", m.Name)
				}
				out = append(out, EMFDatum{d.Namespace, m.Name, dims, m.Unit, m.StorageResolution == 1, t, vals})
			}
		}
	}
	return out, nil
}

// extractEMF publishes the metrics of an ingested EMF event.
func (s *Server) extractEMF(ev *insights.Event) {
	if s.opts.Metrics == nil {
		return
	}
	ds, err := ExtractEMF(ev.Message)
	if err != nil {
		if s.opts.Logf != nil {
			s.opts.Logf("logs: %s: %v (event kept, no metrics)", ev.Log, err)
		}
		return
	}
	for _, d := range ds {
		if err := s.opts.Metrics.PublishValues(d.Namespace, d.Name, d.Dims, d.Unit, d.HighRes, d.Time, d.Values); err != nil && s.opts.Logf != nil {
			s.opts.Logf("logs: %s: emf: %v", ev.Log, err)
		}
	}
}
