package localcw_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/smithy-go"
)

// errorKind checks that err is of the SDK's typed error T (errors.As), as the SDK builds it from
// the __type of the CBOR error body.
type errorKind struct {
	name string
	is   func(error) bool
}

func typed[T error]() errorKind {
	var zero T
	return errorKind{fmt.Sprintf("%T", zero), func(err error) bool {
		var target T
		return errors.As(err, &target)
	}}
}

var (
	invalidValue       = typed[*types.InvalidParameterValueException]()
	invalidCombination = typed[*types.InvalidParameterCombinationException]()
	missingParameter   = typed[*types.MissingRequiredParameterException]()
	invalidNextToken   = typed[*types.InvalidNextToken]()
	// validation is the ValidationError GetMetricData answers for a request it cannot serve:
	// not a modeled shape, so a smithy.GenericAPIError with that code.
	validation = errorKind{"ValidationError", func(err error) bool {
		var ae smithy.APIError
		var gen *smithy.GenericAPIError
		return errors.As(err, &ae) && ae.ErrorCode() == "ValidationError" && errors.As(err, &gen)
	}}
)

func TestPutMetricDataValidation(t *testing.T) {
	_, c := start(t, noRetry, noValidation)
	datum := func(f func(*types.MetricDatum)) []types.MetricDatum {
		d := types.MetricDatum{MetricName: aws.String("Latency"), Value: aws.Float64(1)}
		f(&d)
		return []types.MetricDatum{d}
	}
	many := func(n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = float64(i)
		}
		return v
	}
	dims := func(n int) []types.Dimension {
		var ds []types.Dimension
		for i := range n {
			ds = append(ds, dim(fmt.Sprintf("D%d", i), "x"))
		}
		return ds
	}
	tests := []struct {
		name      string
		namespace string
		data      []types.MetricDatum
		want      errorKind
		code      string // the classic code, from X-Amzn-Query-Error
		message   string // a part of the message
	}{
		{"no namespace", "", datum(func(*types.MetricDatum) {}), missingParameter, "MissingParameter", "Namespace"},
		{"AWS namespace", "AWS/EC2", datum(func(*types.MetricDatum) {}), invalidValue, "InvalidParameterValue", "reserved"},
		{"no datums", "T", nil, missingParameter, "MissingParameter", "MetricData"},
		{"no metric name", "T", datum(func(d *types.MetricDatum) { d.MetricName = nil }), missingParameter, "MissingParameter", "MetricData.member.1.MetricName"},
		{"value with values", "T", datum(func(d *types.MetricDatum) { d.Values = []float64{1} }), invalidCombination, "InvalidParameterCombination", "mutually exclusive"},
		{"value with statistic set", "T", datum(func(d *types.MetricDatum) {
			d.StatisticValues = &types.StatisticSet{SampleCount: aws.Float64(1), Sum: aws.Float64(1), Minimum: aws.Float64(1), Maximum: aws.Float64(1)}
		}), invalidCombination, "InvalidParameterCombination", "StatisticValues"},
		{"no value at all", "T", datum(func(d *types.MetricDatum) { d.Value = nil }), invalidCombination, "InvalidParameterCombination", "At least one"},
		{"values counts mismatch", "T", datum(func(d *types.MetricDatum) { d.Value, d.Values, d.Counts = nil, []float64{1, 2}, []float64{1} }), invalidValue, "InvalidParameterValue", "same size"},
		{"151 values", "T", datum(func(d *types.MetricDatum) { d.Value, d.Values = nil, many(151) }), invalidValue, "InvalidParameterValue", "greater than 150"},
		{"31 dimensions", "T", datum(func(d *types.MetricDatum) { d.Dimensions = dims(31) }), invalidValue, "InvalidParameterValue", "greater than 30"},
		{"NaN value", "T", datum(func(d *types.MetricDatum) { d.Value = aws.Float64(math.NaN()) }), invalidValue, "InvalidParameterValue", "NaN"},
		{"Inf in values", "T", datum(func(d *types.MetricDatum) { d.Value, d.Values = nil, []float64{1, math.Inf(1)} }), invalidValue, "InvalidParameterValue", "Values.member.2"},
		{"too large", "T", datum(func(d *types.MetricDatum) { d.Value = aws.Float64(math.Ldexp(1, 361)) }), invalidValue, "InvalidParameterValue", "2^360"},
		{"older than two weeks", "T", datum(func(d *types.MetricDatum) { d.Timestamp = aws.Time(now.Add(-14*24*time.Hour - time.Minute)) }), invalidValue, "InvalidParameterValue", "The parameter MetricData.member.1.Timestamp must specify a time within the past two weeks"},
		{"over two hours ahead", "T", datum(func(d *types.MetricDatum) { d.Timestamp = aws.Time(now.Add(2*time.Hour + time.Minute)) }), invalidValue, "InvalidParameterValue", "two hours"},
		{"bad unit", "T", datum(func(d *types.MetricDatum) { d.Unit = "Furlongs" }), invalidValue, "InvalidParameterValue", "Furlongs"},
		{"bad storage resolution", "T", datum(func(d *types.MetricDatum) { d.StorageResolution = aws.Int32(30) }), invalidValue, "InvalidParameterValue", "StorageResolution"},
		{"incomplete statistic set", "T", datum(func(d *types.MetricDatum) {
			d.Value, d.StatisticValues = nil, &types.StatisticSet{SampleCount: aws.Float64(1), Sum: aws.Float64(1), Minimum: aws.Float64(1)}
		}), missingParameter, "MissingParameter", "StatisticValues.Maximum"},
		{"dimension without value", "T", datum(func(d *types.MetricDatum) { d.Dimensions = []types.Dimension{{Name: aws.String("A")}} }), missingParameter, "MissingParameter", "Dimensions.member.1.Value"},
		{"metric name too long", "T", datum(func(d *types.MetricDatum) { d.MetricName = aws.String(strings.Repeat("x", 256)) }), invalidValue, "InvalidParameterValue", "255"},
		{"dimension value too long", "T", datum(func(d *types.MetricDatum) { d.Dimensions = []types.Dimension{dim("A", strings.Repeat("v", 1025))} }), invalidValue, "InvalidParameterValue", "1024"},
		{"1001 datums", "T", func() []types.MetricDatum {
			var ds []types.MetricDatum
			for range 1001 {
				ds = append(ds, datum(func(*types.MetricDatum) {})...)
			}
			return ds
		}(), invalidValue, "InvalidParameterValue", "greater than 1000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &cloudwatch.PutMetricDataInput{MetricData: tt.data}
			if tt.namespace != "" {
				in.Namespace = aws.String(tt.namespace)
			}
			_, err := c.PutMetricData(context.Background(), in)
			checkErr(t, err, tt.want, tt.code, tt.message)
		})
	}
	// Boundaries that are accepted.
	ok := []types.MetricDatum{
		{MetricName: aws.String("A"), Values: many(150), Dimensions: dims(30), Timestamp: aws.Time(now.Add(-14*24*time.Hour + time.Minute))},
		{MetricName: aws.String("A"), Value: aws.Float64(0), Timestamp: aws.Time(now.Add(2*time.Hour - time.Minute)), StorageResolution: aws.Int32(1)},
	}
	if _, err := c.PutMetricData(context.Background(), &cloudwatch.PutMetricDataInput{Namespace: aws.String("T"), MetricData: ok}); err != nil {
		t.Errorf("datums at the limits were refused: %v", err)
	}
}

func checkErr(t *testing.T, err error, want errorKind, code, message string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %s", want.name)
	}
	if !want.is(err) {
		t.Fatalf("error %v (%T) is not a %s", err, err, want.name)
	}
	if got := apiCode(err); got != code {
		t.Errorf("ErrorCode() = %q, want %q", got, code)
	}
	if !strings.Contains(err.Error(), message) {
		t.Errorf("error %q does not mention %q", err, message)
	}
}

func TestGetMetricDataValidation(t *testing.T) {
	_, c := start(t, noRetry, noValidation)
	q := func(id string) types.MetricDataQuery {
		return types.MetricDataQuery{Id: aws.String(id), MetricStat: metricStat("T", "M", 60, "Average")}
	}
	base := func(f func(in *cloudwatch.GetMetricDataInput)) *cloudwatch.GetMetricDataInput {
		in := &cloudwatch.GetMetricDataInput{StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now), MetricDataQueries: []types.MetricDataQuery{q("m1")}}
		f(in)
		return in
	}
	tests := []struct {
		name    string
		in      *cloudwatch.GetMetricDataInput
		want    errorKind
		code    string
		message string
	}{
		{"501 queries", base(func(in *cloudwatch.GetMetricDataInput) {
			in.MetricDataQueries = nil
			for i := range 501 {
				in.MetricDataQueries = append(in.MetricDataQueries, q(fmt.Sprintf("m%d", i)))
			}
		}), validation, "ValidationError", "greater than 500"},
		// The service's own wording (telegraf#5420), then our hint.
		{"id with upper-case start", base(func(in *cloudwatch.GetMetricDataInput) { in.MetricDataQueries[0].Id = aws.String("M1") }), validation, "ValidationError",
			"The value M1 for parameter MetricDataQueries.member.1.Id is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$. An Id must start with a lowercase letter"},
		{"id with dash", base(func(in *cloudwatch.GetMetricDataInput) { in.MetricDataQueries[0].Id = aws.String("m-1") }), validation, "ValidationError", "m-1"},
		{"duplicate id", base(func(in *cloudwatch.GetMetricDataInput) { in.MetricDataQueries = append(in.MetricDataQueries, q("m1")) }), validation, "ValidationError", "unique"},
		{"start after end", base(func(in *cloudwatch.GetMetricDataInput) { in.StartTime = aws.Time(now.Add(time.Minute)) }), validation, "ValidationError", "StartTime must be less than"},
		{"no start", base(func(in *cloudwatch.GetMetricDataInput) { in.StartTime = nil }), missingParameter, "MissingParameter", "StartTime"},
		{"period 90", base(func(in *cloudwatch.GetMetricDataInput) { in.MetricDataQueries[0].MetricStat.Period = aws.Int32(90) }), validation, "ValidationError", "multiple of 60"},
		{"period 15", base(func(in *cloudwatch.GetMetricDataInput) { in.MetricDataQueries[0].MetricStat.Period = aws.Int32(15) }), validation, "ValidationError", "1, 5, 10, 20 or 30"},
		{"period 0", base(func(in *cloudwatch.GetMetricDataInput) { in.MetricDataQueries[0].MetricStat.Period = aws.Int32(0) }), validation, "ValidationError", "period"},
		{"bad statistic", base(func(in *cloudwatch.GetMetricDataInput) { in.MetricDataQueries[0].MetricStat.Stat = aws.String("Mean") }), validation, "ValidationError", "Mean"},
		// yace#385: "The value None for parameter MetricDataQueries.member.223.MetricStat.Stat is not a valid statistic."
		{"upper-case percentile", base(func(in *cloudwatch.GetMetricDataInput) { in.MetricDataQueries[0].MetricStat.Stat = aws.String("P99") }), validation, "ValidationError",
			"The value P99 for parameter MetricDataQueries.member.1.MetricStat.Stat is not a valid statistic. unknown statistic \"P99\": names are case-sensitive: use p99"},
		// beats#32687.
		{"start equals end", base(func(in *cloudwatch.GetMetricDataInput) { in.StartTime = aws.Time(now); in.EndTime = aws.Time(now) }), validation, "ValidationError", "The parameter StartTime must not equal parameter EndTime"},
		{"bad expression", base(func(in *cloudwatch.GetMetricDataInput) {
			in.MetricDataQueries = append(in.MetricDataQueries, types.MetricDataQuery{Id: aws.String("e1"), Expression: aws.String("m1 +")})
		}), validation, "ValidationError", "Error in expression e1"},
		{"unknown reference", base(func(in *cloudwatch.GetMetricDataInput) {
			in.MetricDataQueries = append(in.MetricDataQueries, types.MetricDataQuery{Id: aws.String("e1"), Expression: aws.String("m2 * 2")})
		}), validation, "ValidationError", "m2"},
		{"no statistic", base(func(in *cloudwatch.GetMetricDataInput) { in.MetricDataQueries[0].MetricStat.Stat = nil }), validation, "ValidationError", "Stat"},
		{"metric and expression", base(func(in *cloudwatch.GetMetricDataInput) { in.MetricDataQueries[0].Expression = aws.String("m1*2") }), validation, "ValidationError", "mutually exclusive"},
		{"neither metric nor expression", base(func(in *cloudwatch.GetMetricDataInput) { in.MetricDataQueries[0].MetricStat = nil }), validation, "ValidationError", "Exactly one"},
		{"nothing returned", base(func(in *cloudwatch.GetMetricDataInput) { in.MetricDataQueries[0].ReturnData = aws.Bool(false) }), validation, "ValidationError", "ReturnData"},
		{"bad ScanBy", base(func(in *cloudwatch.GetMetricDataInput) { in.ScanBy = "Sideways" }), validation, "ValidationError", "ScanBy"},
		{"bad unit", base(func(in *cloudwatch.GetMetricDataInput) { in.MetricDataQueries[0].MetricStat.Unit = "Parsecs" }), validation, "ValidationError", "Parsecs"},
		{"bad NextToken", base(func(in *cloudwatch.GetMetricDataInput) { in.NextToken = aws.String("garbage") }), invalidNextToken, "InvalidNextToken", "NextToken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.GetMetricData(context.Background(), tt.in)
			checkErr(t, err, tt.want, tt.code, tt.message)
		})
	}
}

func TestGetMetricStatisticsLimit(t *testing.T) {
	_, c := start(t, noRetry)
	_, err := c.GetMetricStatistics(context.Background(), &cloudwatch.GetMetricStatisticsInput{
		Namespace: aws.String("T"), MetricName: aws.String("M"), Period: aws.Int32(60),
		StartTime: aws.Time(now.Add(-25 * time.Hour)), EndTime: aws.Time(now), Statistics: []types.Statistic{types.StatisticAverage},
	})
	checkErr(t, err, invalidCombination, "InvalidParameterCombination", "You have requested up to 1500 datapoints, which exceeds the limit of 1440.")
}

func TestListMetricsBadToken(t *testing.T) {
	_, c := start(t, noRetry)
	_, err := c.ListMetrics(context.Background(), &cloudwatch.ListMetricsInput{NextToken: aws.String("nope")})
	checkErr(t, err, invalidNextToken, "InvalidNextToken", "NextToken")
}
