package logs

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cwnb/cwnb/cwnb/insights"
)

func FuzzExtractEMF(f *testing.F) {
	for _, s := range []string{
		`{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[["A"]],"Metrics":[{"Name":"M"}]}]},"A":"x","M":[1,2]}`,
		`{"_aws":{"CloudWatchMetrics":[]}}`, `{"_aws":1}`, `not json`,
		`{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[["A"],[]],"Metrics":[{"Name":"M"},{"Name":"K"}]}]},"A":"x\u0041","M":[1.5, 1.5 ,null,-2e3],"K":null}`,
		`{"A":"x","A":"y","M":7,"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[["A"]],"Metrics":[{"Name":"M"}]}]}} `,
		`{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Metrics":[{"Name":"M"}]}]},"M":[01]}`,
		`{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Metrics":[{"Name":"M"}]}]},"M":[1e999]}`,
		`{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Metrics":[{"Name":"M"}]}]},"M":["1"]}`,
		`{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Metrics":[{"Name":"M"}]}]},"M":[[1]],"x":[{"a":[true,false]}]}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, msg string) {
		ds, err := ExtractEMF(msg)
		// the scanner's fast path decides as encoding/json does
		ref, refErr := extractEMFReference(msg)
		if (err == nil) != (refErr == nil) || !reflect.DeepEqual(ds, ref) {
			t.Fatalf("ExtractEMF(%q) = %+v, %v; encoding/json: %+v, %v", msg, ds, err, ref, refErr)
		}
		if err != nil && ds != nil {
			t.Fatalf("error %v with data %v", err, ds)
		}
		for _, d := range ds {
			if len(d.Values) == 0 || len(d.Values) > emfMaxValues || len(d.Dims) > emfMaxDims {
				t.Fatalf("datum out of the spec's limits: %+v", d)
			}
		}
	})
}

func FuzzFilterPattern(f *testing.F) {
	for _, s := range []string{"", "ERROR", "?a ?b -c", `"quoted phrase"`, `{ $.a = "x" }`, `{ $.n > 3 && $.m != 1 }`, `{ $.a = * }`, "[a, b]",
		`[ip, ..., status = 4* || status = 5*, bytes > 100 && bytes != 3]`, `[..., x = %a+%, ..., y = "q*r"]`} {
		f.Add(s, `{"a":"x","n":5,"m":2} ERROR`)
	}
	f.Fuzz(func(t *testing.T, pattern, msg string) {
		match, err := compilePattern(pattern)
		if err != nil {
			return
		}
		match(&insights.Event{Message: msg, Fields: insights.Discover(msg, false)})
	})
}

// extractEMFReference is ExtractEMF as first written, all with encoding/json: the oracle the
// fuzz target holds the fast scanner to.
func extractEMFReference(message string) ([]EMFDatum, error) {
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
