package logs

import (
	"testing"

	"github.com/cwnb/cwnb/cwnb/insights"
)

func FuzzExtractEMF(f *testing.F) {
	for _, s := range []string{
		`{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[["A"]],"Metrics":[{"Name":"M"}]}]},"A":"x","M":[1,2]}`,
		`{"_aws":{"CloudWatchMetrics":[]}}`, `{"_aws":1}`, `not json`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, msg string) {
		ds, err := ExtractEMF(msg)
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
	for _, s := range []string{"", "ERROR", "?a ?b -c", `"quoted phrase"`, `{ $.a = "x" }`, `{ $.n > 3 && $.m != 1 }`, `{ $.a = * }`, "[a, b]"} {
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
