package localcw_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestMetricMathAndSearch(t *testing.T) {
	_, c := start(t, noRetry)
	// Requests per host: host a has 10 per minute, b 20 per minute; b misses minute 2.
	var ds []types.MetricDatum
	for i := range 5 {
		ts := aws.Time(now.Add(-time.Duration(5-i) * time.Minute))
		ds = append(ds, types.MetricDatum{MetricName: aws.String("Requests"), Dimensions: []types.Dimension{dim("Host", "a")}, Timestamp: ts, Value: aws.Float64(10)})
		if i != 2 {
			ds = append(ds, types.MetricDatum{MetricName: aws.String("Requests"), Dimensions: []types.Dimension{dim("Host", "b")}, Timestamp: ts, Value: aws.Float64(20)})
		}
		ds = append(ds, types.MetricDatum{MetricName: aws.String("Errors"), Dimensions: []types.Dimension{dim("Host", "a")}, Timestamp: ts, Value: aws.Float64(float64(i))})
	}
	put(t, c, "Test/Math", ds)
	t0 := now.Add(-5 * time.Minute)
	minutes := func(idx ...int) []time.Time {
		var out []time.Time
		for _, i := range idx {
			out = append(out, t0.Add(time.Duration(i)*time.Minute))
		}
		return out
	}
	type series struct {
		Label  string
		Times  []time.Time
		Values []float64
	}
	hostA := metricStat("Test/Math", "Requests", 60, "Sum", dim("Host", "a"))
	hostB := metricStat("Test/Math", "Requests", 60, "Sum", dim("Host", "b"))
	errA := metricStat("Test/Math", "Errors", 60, "Sum", dim("Host", "a"))
	hidden := func(id string, ms *types.MetricStat) types.MetricDataQuery {
		return types.MetricDataQuery{Id: aws.String(id), MetricStat: ms, ReturnData: aws.Bool(false)}
	}
	expr := func(id, e string) types.MetricDataQuery {
		return types.MetricDataQuery{Id: aws.String(id), Expression: aws.String(e)}
	}
	tests := []struct {
		name    string
		queries []types.MetricDataQuery
		want    map[string][]series // by Id
	}{
		{"scalar times series", []types.MetricDataQuery{hidden("m1", hostA), expr("e1", "m1*2")},
			map[string][]series{"e1": {{"e1", minutes(0, 1, 2, 3, 4), []float64{20, 20, 20, 20, 20}}}}},
		{"series plus series, missing counts as 0", []types.MetricDataQuery{hidden("m1", hostA), hidden("m2", hostB), expr("total", "m1+m2")},
			map[string][]series{"total": {{"total", minutes(0, 1, 2, 3, 4), []float64{30, 30, 10, 30, 30}}}}},
		{"error rate in percent", []types.MetricDataQuery{hidden("req", hostA), hidden("err", errA), {Id: aws.String("rate"), Expression: aws.String("100*err/req"), Label: aws.String("error rate")}},
			map[string][]series{"rate": {{"error rate", minutes(0, 1, 2, 3, 4), []float64{0, 10, 20, 30, 40}}}}},
		{"SUM of METRICS", []types.MetricDataQuery{hidden("m1", hostA), hidden("m2", hostB), expr("s", "SUM(METRICS())")},
			map[string][]series{"s": {{"s", minutes(0, 1, 2, 3, 4), []float64{30, 30, 10, 30, 30}}}}},
		{"SEARCH returns one result per series", []types.MetricDataQuery{expr("hosts", `SEARCH('{Test/Math,Host} MetricName="Requests"', 'Sum', 60)`)},
			map[string][]series{"hosts": {
				{"a Requests", minutes(0, 1, 2, 3, 4), []float64{10, 10, 10, 10, 10}},
				{"b Requests", minutes(0, 1, 3, 4), []float64{20, 20, 20, 20}},
			}}},
		{"SEARCH with a dynamic label", []types.MetricDataQuery{{Id: aws.String("hosts"), Label: aws.String("host ${PROP('Dim.Host')} ${PROP('Stat')}"),
			Expression: aws.String(`SEARCH('{Test/Math,Host} MetricName="Requests"', 'Sum', 60)`)}},
			map[string][]series{"hosts": {
				{"host a Sum", minutes(0, 1, 2, 3, 4), []float64{10, 10, 10, 10, 10}},
				{"host b Sum", minutes(0, 1, 3, 4), []float64{20, 20, 20, 20}},
			}}},
		{"metric with a dynamic label", []types.MetricDataQuery{{Id: aws.String("m1"), MetricStat: hostA, Label: aws.String("${PROP('Namespace')}/${PROP('MetricName')} on ${PROP('Dim.Host')} every ${PROP('Period')}s (${LABEL}) ${PROP('Dim.Nope')}")}},
			map[string][]series{"m1": {{"Test/Math/Requests on a every 60s (Requests) ${PROP('Dim.Nope')}", minutes(0, 1, 2, 3, 4), []float64{10, 10, 10, 10, 10}}}}},
		// A SEARCH is an array even when it matches one metric: SUM adds across series, per
		// timestamp, instead of collapsing the only series to one number.
		{"SUM of a SEARCH that matches one metric", []types.MetricDataQuery{
			{Id: aws.String("e1"), Expression: aws.String(`SEARCH('{Test/Math,Host} MetricName="Errors"', 'Sum', 60)`), ReturnData: aws.Bool(false)},
			expr("s", "SUM(e1)")},
			map[string][]series{"s": {{"s", minutes(0, 1, 2, 3, 4), []float64{0, 1, 2, 3, 4}}}}},
		// PERIOD(m) is m's own period, not the expression's (the largest of its inputs, here 5 min).
		{"PERIOD of the 1-minute input of a 5-minute expression", []types.MetricDataQuery{
			hidden("m1", hostA), {Id: aws.String("m5"), MetricStat: metricStat("Test/Math", "Requests", 300, "Sum", dim("Host", "a")), ReturnData: aws.Bool(false)},
			expr("p", "m5*0 + PERIOD(m1)")},
			map[string][]series{"p": {{"p", minutes(0), []float64{60}}}}},
		{"FILL over a gap", []types.MetricDataQuery{hidden("m2", hostB), expr("f", "FILL(m2, 0)")},
			map[string][]series{"f": {{"f", minutes(0, 1, 2, 3, 4), []float64{20, 20, 0, 20, 20}}}}},
		{"metric and expression side by side", []types.MetricDataQuery{{Id: aws.String("m1"), MetricStat: hostA}, expr("e1", "m1/10")},
			map[string][]series{
				"m1": {{"Requests", minutes(0, 1, 2, 3, 4), []float64{10, 10, 10, 10, 10}}},
				"e1": {{"e1", minutes(0, 1, 2, 3, 4), []float64{1, 1, 1, 1, 1}}},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := c.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
				StartTime: aws.Time(t0), EndTime: aws.Time(now), ScanBy: types.ScanByTimestampAscending, MetricDataQueries: tt.queries,
			})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][]series{}
			for _, r := range out.MetricDataResults {
				got[aws.ToString(r.Id)] = append(got[aws.ToString(r.Id)], series{aws.ToString(r.Label), r.Timestamps, r.Values})
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
				t.Errorf("results (-want +got):\n%s", diff)
			}
		})
	}

	bad := []struct {
		name, expr, message string
	}{
		{"unknown reference", "m1 + m9", "m9"},
		{"unsupported function", "ANOMALY_DETECTION_BAND(m1)", "ANOMALY_DETECTION_BAND"},
		{"syntax error", "m1 +* 2", "m1 +* 2"},
		{"bad SEARCH statistic", `SEARCH('{Test/Math,Host}', 'Mean', 60)`, "Mean"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
				StartTime: aws.Time(t0), EndTime: aws.Time(now),
				MetricDataQueries: []types.MetricDataQuery{hidden("m1", hostA), expr("e1", tt.expr)},
			})
			checkErr(t, err, validation, "ValidationError", tt.message)
		})
	}

	t.Run("circular references", func(t *testing.T) {
		_, err := c.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
			StartTime: aws.Time(t0), EndTime: aws.Time(now),
			MetricDataQueries: []types.MetricDataQuery{hidden("m1", hostA), expr("e1", "e2+m1"), expr("e2", "e1*2")},
		})
		checkErr(t, err, validation, "ValidationError", "circular")
	})

	t.Run("expression over expression", func(t *testing.T) {
		out, err := c.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
			StartTime: aws.Time(t0), EndTime: aws.Time(now), ScanBy: types.ScanByTimestampAscending,
			MetricDataQueries: []types.MetricDataQuery{hidden("m1", hostA),
				{Id: aws.String("e1"), Expression: aws.String("m1*2"), ReturnData: aws.Bool(false)}, expr("e2", "e1+1")},
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.MetricDataResults) != 1 || cmp.Diff([]float64{21, 21, 21, 21, 21}, out.MetricDataResults[0].Values) != "" {
			t.Errorf("results %+v, want e2 only with 21s", out.MetricDataResults)
		}
	})

	t.Run("division by zero is an ArithmeticError message", func(t *testing.T) {
		out, err := c.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
			StartTime: aws.Time(t0), EndTime: aws.Time(now), ScanBy: types.ScanByTimestampAscending,
			MetricDataQueries: []types.MetricDataQuery{hidden("m1", hostA), hidden("err", errA), expr("e1", "m1/err")},
		})
		if err != nil {
			t.Fatal(err)
		}
		r := out.MetricDataResults[0]
		if len(r.Values) != 4 || math.IsInf(r.Values[0], 0) {
			t.Errorf("values %v, want the 4 finite ones", r.Values)
		}
		if len(r.Messages) == 0 || aws.ToString(r.Messages[0].Code) != "ArithmeticError" {
			t.Errorf("messages %+v, want ArithmeticError", r.Messages)
		}
	})
}
