package metricmath_test

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/cwnb/cwnb/cwnb/metricmath"
)

func ExampleParse() {
	e, err := metricmath.Parse("100 * errors / requests")
	fmt.Println(e, err)

	_, err = metricmath.Parse("ANOMALY_DETECTION_BAND(m1)")
	fmt.Println(errors.Is(err, metricmath.ErrUnsupported))

	_, err = metricmath.Parse("sum(m1)")
	fmt.Println(err)
	// Output:
	// 100 * errors / requests <nil>
	// true
	// metric math "sum(m1)", column 1 (sum): function names are upper case; write SUM(...)
}

func ExampleExpr_Refs() {
	e, _ := metricmath.Parse("FILL(errors, 0) / SUM([requests, retries]) * 100 + errors")
	fmt.Println(e.Refs())
	// Output: [errors requests retries]
}

func ExampleExpr_Searches() {
	e, _ := metricmath.Parse(`SUM(SEARCH('{AWS/Lambda,FunctionName} MetricName="Errors"', 'Sum', 300))`)
	for _, q := range e.Searches() {
		fmt.Println(q.Schema.Namespace, q.Schema.Dims, q.Stat, q.Period)
	}
	// Output: AWS/Lambda [FunctionName] Sum 5m0s
}

func ExampleExpr_Eval() {
	nan := math.NaN()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	data := map[string][]metricmath.Series{
		"errors":   {{Label: "Errors", Values: []float64{1, nan, 3, 0}}},
		"requests": {{Label: "Requests", Values: []float64{100, 50, 0, 200}}},
	}
	env := &metricmath.Env{
		Grid:   []time.Time{start, start.Add(time.Minute), start.Add(2 * time.Minute), start.Add(3 * time.Minute)},
		Period: time.Minute,
		Lookup: func(id string) ([]metricmath.Series, bool) {
			s, ok := data[id]
			return s, ok
		},
		Metrics: func() []string { return []string{"errors", "requests"} },
	}
	for _, expr := range []string{"100 * errors / requests", "100 * FILL(errors, 0) / requests", "METRICS() * 2"} {
		e, _ := metricmath.Parse(expr)
		res, _ := e.Eval(env)
		for _, s := range res {
			fmt.Printf("%s: %q %v %v\n", expr, s.Label, s.Values, s.Messages)
		}
	}
	// Output:
	// 100 * errors / requests: "" [1 0 NaN 0] [{ArithmeticError One or more data-points have been dropped due to non-numeric values (NaN, -Infinite, +Infinite)}]
	// 100 * FILL(errors, 0) / requests: "" [1 0 NaN 0] [{ArithmeticError One or more data-points have been dropped due to non-numeric values (NaN, -Infinite, +Infinite)}]
	// METRICS() * 2: "Errors" [2 NaN 6 0] []
	// METRICS() * 2: "Requests" [200 100 0 400] []
}

func ExampleParseSearch() {
	q, err := metricmath.ParseSearch(`{AWS/EC2,InstanceId} MetricName="CPUUtilization" NOT i-0bad`)
	fmt.Println(q.Schema.Namespace, q.Schema.Dims, err)

	_, err = metricmath.ParseSearch(`{AWS/EC2,InstanceId MetricName="CPUUtilization"`)
	fmt.Println(err)
	// Output:
	// AWS/EC2 [InstanceId] <nil>
	// search query "{AWS/EC2,InstanceId MetricName=\"CPUUtilization\"", column 21 (MetricName): unexpected "MetricName" in the metric schema; separate the namespace and dimension names with commas and quote names that contain spaces
}

func ExampleSearchQuery_Match() {
	q, _ := metricmath.ParseSearch(`{AWS/EC2,InstanceId} MetricName="CPUUtilization" NOT i-0bad`)
	fmt.Println(q.Match("AWS/EC2", "CPUUtilization", map[string]string{"InstanceId": "i-0abc"}))
	fmt.Println(q.Match("AWS/EC2", "CPUUtilization", map[string]string{"InstanceId": "i-0bad"}))
	fmt.Println(q.Match("AWS/EC2", "CPUUtilization", map[string]string{"InstanceId": "i-0abc", "InstanceType": "t3.micro"}))

	// Partial matches use CloudWatch's tokens: Network-Errors-2 has network, errors and 2.
	p, _ := metricmath.ParseSearch("network/errors")
	fmt.Println(p.Match("MyApp", "Network-Errors-2", nil))
	// Output:
	// true
	// false
	// false
	// true
}

func ExampleSearchLabel() {
	fmt.Println(metricmath.SearchLabel("Latency", map[string]string{"Service": "api", "Endpoint": "/login"}))
	// Output: /login api Latency
}

func ExampleExpr_ReturnsArray() {
	isSearch := func(id string) bool { return id == "cpus" } // cpus is a SEARCH expression
	for _, src := range []string{"m1 * 2", "METRICS() / 100", "cpus * 2", "MAX(cpus)"} {
		e, _ := metricmath.Parse(src)
		fmt.Println(src, e.ReturnsArray(isSearch))
	}
	// Output:
	// m1 * 2 false
	// METRICS() / 100 true
	// cpus * 2 true
	// MAX(cpus) false
}

func ExampleSupportedFunctions() {
	fmt.Println(metricmath.SupportedFunctions()[:5])
	// Output: [ABS AVG CEIL DATAPOINT_COUNT DATE]
}
