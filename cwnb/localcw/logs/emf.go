package logs

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
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
	var get func(string) (string, bool)
	if members, valid, sure := splitRoot(s); sure {
		if !valid {
			return nil, nil
		}
		get = func(k string) (raw string, ok bool) {
			for _, m := range members { // the last of repeated members counts, as in encoding/json
				if m.key == k {
					raw, ok = m.raw, true
				}
			}
			return raw, ok
		}
	} else {
		// escapes or invalid UTF-8: encoding/json decodes the keys
		var root map[string]json.RawMessage
		if err := json.Unmarshal([]byte(s), &root); err != nil {
			return nil, nil
		}
		get = func(k string) (string, bool) {
			raw, ok := root[k]
			return string(raw), ok
		}
	}
	return extractEMF(get)
}

// extractEMF is ExtractEMF on a valid JSON object whose members get returns (raw JSON).
func extractEMF(get func(string) (string, bool)) ([]EMFDatum, error) {
	raw, ok := get("_aws")
	if !ok {
		return nil, nil
	}
	doc, err := decodeAWS(raw)
	if err != nil {
		return nil, fmt.Errorf("emf: _aws: %v", err)
	}
	if doc.Timestamp == nil {
		return nil, fmt.Errorf("emf: _aws.Timestamp is required (epoch milliseconds)")
	}
	t := time.UnixMilli(*doc.Timestamp).UTC()
	var out []EMFDatum
	parsed := map[string][]float64{} // a metric's values, read once for all dimension sets
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
				rv, ok := get(k)
				v, err := jsonString(rv)
				if !ok || err != nil || v == "" || len(v) > emfMaxNameLength {
					return nil, fmt.Errorf("emf: dimension %q needs a root member with a string value of 1 to 1024 characters", k)
				}
				dims[k] = v
			}
			for _, m := range d.Metrics {
				if m.Name == "" || len(m.Name) > emfMaxNameLength {
					return nil, fmt.Errorf("emf: a metric Name must be 1 to 1024 characters")
				}
				rv, ok := get(m.Name)
				if !ok {
					continue // declared but absent: nothing to publish
				}
				vals, seen := parsed[m.Name]
				if !seen {
					var err error
					if vals, err = emfValues(rv); err != nil {
						return nil, fmt.Errorf("emf: metric %q: value must be a number or an array of numbers", m.Name)
					}
					parsed[m.Name] = vals
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

// awsCache keeps the decoded _aws members of recent documents: a service repeats the same
// directives (and often the same timestamp) in document after document. Decoded documents are
// never modified, so they are shared.
var awsCache struct {
	sync.Mutex
	m map[string]*emfDoc
}

// awsCacheSize bounds awsCache; past it, the cache starts over.
const awsCacheSize = 256

// decodeAWS decodes the raw _aws member of a document.
func decodeAWS(raw string) (*emfDoc, error) {
	awsCache.Lock()
	doc, ok := awsCache.m[raw]
	awsCache.Unlock()
	if ok {
		return doc, nil
	}
	doc = &emfDoc{}
	if err := json.Unmarshal([]byte(raw), doc); err != nil {
		return nil, err
	}
	awsCache.Lock()
	if len(awsCache.m) >= awsCacheSize || awsCache.m == nil {
		awsCache.m = make(map[string]*emfDoc, awsCacheSize)
	}
	awsCache.m[strings.Clone(raw)] = doc
	awsCache.Unlock()
	return doc, nil
}

// jsonString decodes the raw JSON value of a dimension as encoding/json decodes it into a
// string: directly when it is a string without escapes.
func jsonString(raw string) (string, error) {
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' && strings.IndexByte(raw[1:len(raw)-1], '\\') < 0 {
		return raw[1 : len(raw)-1], nil
	}
	var v string
	err := json.Unmarshal([]byte(raw), &v)
	return v, err
}

// emfValues decodes a metric's raw JSON value (valid JSON) as encoding/json decodes it into a
// float64 or else a []float64 (null counts as 0 there). Numbers are read directly; a run of
// equal numbers is read once.
func emfValues(raw string) ([]float64, error) {
	if raw == "" {
		return nil, fmt.Errorf("empty")
	}
	if c := raw[0]; c == '-' || c >= '0' && c <= '9' {
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return nil, err
		}
		return []float64{f}, nil
	}
	if raw == "null" {
		return []float64{0}, nil
	}
	if raw[0] != '[' {
		return nil, fmt.Errorf("not a number")
	}
	vals := make([]float64, 0, strings.Count(raw, ",")+1)
	prev := ""
	i := jsonWS(raw, 1)
	if i < len(raw) && raw[i] == ']' {
		return vals, nil
	}
	for i < len(raw) {
		j := i
		for j < len(raw) && raw[j] != ',' && raw[j] != ']' && !isJSONSpace(raw[j]) {
			j++
		}
		el := raw[i:j]
		switch {
		case el == "null":
			vals = append(vals, 0)
		case el != "" && (el[0] == '-' || el[0] >= '0' && el[0] <= '9'):
			if el == prev {
				vals = append(vals, vals[len(vals)-1])
				break
			}
			f, err := strconv.ParseFloat(el, 64)
			if err != nil {
				return nil, err
			}
			vals = append(vals, f)
			prev = el
		default:
			return nil, fmt.Errorf("not a number: %q", el)
		}
		i = jsonWS(raw, j)
		if i >= len(raw) {
			break
		}
		if raw[i] == ']' {
			return vals, nil
		}
		i = jsonWS(raw, i+1) // the comma
	}
	return nil, fmt.Errorf("unterminated array")
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
