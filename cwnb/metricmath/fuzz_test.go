package metricmath

import (
	"errors"
	"testing"
	"time"
)

// FuzzParse checks that Parse, and Eval of whatever parses, never panic and fail only with
// *Error. The seed corpus runs in every go test.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"m1", "m1/m2*100", "-2^2", "2^3^2", "SUM(METRICS())", "AVG([m1, m2])", "FILL(m1, REPEAT)",
		"FILL(METRICS(), LINEAR)", "RATE(m1)", "DIFF(m4)", "METRICS('m')", `METRICS("x")`,
		`SEARCH('{AWS/EC2,InstanceId} MetricName="CPUUtilization"', 'Average', 300)`,
		"IF(m1 > 1 AND m2 < 3, m1, 0)", "SORT(METRICS(), AVG, DESC, 2)", "SLICE(METRICS(), 1, 2)",
		"e1 * [m1, m2]", "m1 == m2 || m1 != 1", "TIME_SERIES(PERIOD(m1))", "LOG(m2 - 10)",
		"((m1)", "[m1,", "SUM(", "'abc", "\"", "1e", ".5", "m1 +* m2", "ANOMALY_DETECTION_BAND(m1)",
		"SELECT AVG(x) FROM y", "“m1”", "\x00", "m1\\", "FIRST([])", "IF(1)", "MINUTE(e1)",
		"SORT(METRICS(), 5, ASC)", "SORT(m1, AVG, m2)", "FILL(m1, 'x')", "SEARCH('a', 5)", "SLICE(m1, m2)",
		"PERIOD(METRICS())", "IF(m1, METRICS())", "METRICS(1)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %v is %T, want *Error", src, err, err)
			}
			_ = err.Error()
			return
		}
		_ = e.Refs()
		_ = e.Searches()
		env := baseEnv()
		env.Search = func(q *SearchQuery, stat string, period time.Duration) ([]Series, error) {
			var out []Series
			for _, m := range searchStore {
				if q.Match(m.ns, m.name, m.dims) {
					out = append(out, Series{Label: SearchLabel(m.name, m.dims), Values: []float64{1, 2, nan, 4, 5}})
				}
			}
			return out, nil
		}
		got, err := e.Eval(env)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("Eval(%q) error %v is %T, want *Error", src, err, err)
			}
			return
		}
		for _, s := range got {
			if len(s.Values) != len(env.Grid) {
				t.Fatalf("Eval(%q) returned %d values for a grid of %d", src, len(s.Values), len(env.Grid))
			}
		}
	})
}

// FuzzParseSearch checks that ParseSearch and Match never panic.
func FuzzParseSearch(f *testing.F) {
	for _, s := range []string{
		`{AWS/EC2,InstanceId} MetricName="CPUUtilization"`, `{MyNamespace}, "CustomCount1"`,
		`{"My Namespace", "Dimension@Name"}, "Custom:Name[Special_Characters"`, "NOT Namespace=AWS",
		`(EC2 OR EBS) AND MetricName=ReadOps`, `"Europe\\France Traffic\(Network\)"`, "couNT", "a)", "(a",
		"{", "}", "{a,}", `"`, `\`, "=", "a=", "NOT", "AND OR", ":aws.AccountId=1", "---", "\xff", "ǅx",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		sq, err := ParseSearch(q)
		if err != nil {
			_ = err.Error()
			return
		}
		for _, m := range searchStore {
			sq.Match(m.ns, m.name, m.dims)
		}
		sq.Match(q, q, map[string]string{q: q})
	})
}
