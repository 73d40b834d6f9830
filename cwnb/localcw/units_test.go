package localcw_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/google/go-cmp/cmp"
)

func TestUnitsAndLabels(t *testing.T) {
	_, c := start(t)
	at := aws.Time(now.Add(-10 * time.Minute))
	put(t, c, "Test/Units", []types.MetricDatum{
		{MetricName: aws.String("Size"), Value: aws.Float64(1), Unit: types.StandardUnitKilobytes, Timestamp: at},
		{MetricName: aws.String("Size"), Value: aws.Float64(2048), Unit: types.StandardUnitBytes, Timestamp: at},
		{MetricName: aws.String("Size"), Value: aws.Float64(5), Timestamp: at},
	})
	ms := func(stat, unit string, period int32) *types.MetricStat {
		m := metricStat("Test/Units", "Size", period, stat)
		m.Unit = types.StandardUnit(unit)
		return m
	}
	out, err := c.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now),
		MetricDataQueries: []types.MetricDataQuery{
			{Id: aws.String("all"), MetricStat: ms("Sum", "", 60)},
			{Id: aws.String("kb"), MetricStat: ms("Sum", "Kilobytes", 60)},
			{Id: aws.String("none"), MetricStat: ms("Sum", "None", 60)},
			{Id: aws.String("max"), MetricStat: ms("Maximum", "", 300)},
			{Id: aws.String("named"), MetricStat: ms("Sum", "Bytes", 60), Label: aws.String("bytes only")},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	type res struct {
		Label    string
		Values   []float64
		Messages []string
	}
	got := map[string]res{}
	for _, r := range out.MetricDataResults {
		var msgs []string
		for _, m := range r.Messages {
			msgs = append(msgs, aws.ToString(m.Code))
		}
		got[aws.ToString(r.Id)] = res{aws.ToString(r.Label), r.Values, msgs}
	}
	want := map[string]res{
		// Queries differ in statistic and period, so default labels carry both.
		"all":   {"Size Sum 60", []float64{2054}, []string{"MultipleUnits"}},
		"kb":    {"Size Sum 60", []float64{1}, nil},
		"none":  {"Size Sum 60", []float64{5}, nil},
		"max":   {"Size Maximum 300", []float64{2048}, []string{"MultipleUnits"}},
		"named": {"bytes only", []float64{2048}, nil},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, r := range out.MetricDataResults {
		for _, m := range r.Messages {
			if !strings.Contains(aws.ToString(m.Value), "Bytes, Kilobytes, None") {
				t.Errorf("MultipleUnits message %q does not list the units", aws.ToString(m.Value))
			}
		}
	}
}

func TestGetMetricStatistics(t *testing.T) {
	_, c := start(t)
	base := now.Add(-time.Hour)
	var ds []types.MetricDatum
	for m := range 10 {
		ds = append(ds, types.MetricDatum{MetricName: aws.String("Latency"), Dimensions: []types.Dimension{dim("Api", "get")},
			Timestamp: aws.Time(base.Add(time.Duration(m) * time.Minute)), Unit: types.StandardUnitMilliseconds,
			Values: []float64{100, 200, 300, 4000}, Counts: []float64{50, 30, 19, 1}})
	}
	put(t, c, "Test/GMS", ds)
	out, err := c.GetMetricStatistics(context.Background(), &cloudwatch.GetMetricStatisticsInput{
		Namespace: aws.String("Test/GMS"), MetricName: aws.String("Latency"), Dimensions: []types.Dimension{dim("Api", "get")},
		StartTime: aws.Time(base), EndTime: aws.Time(base.Add(10 * time.Minute)), Period: aws.Int32(300),
		Statistics:         []types.Statistic{types.StatisticSampleCount, types.StatisticAverage, types.StatisticMaximum},
		ExtendedStatistics: []string{"p99", "p50"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.Label) != "Latency" || len(out.Datapoints) != 2 {
		t.Fatalf("label %q, %d datapoints, want Latency and 2", aws.ToString(out.Label), len(out.Datapoints))
	}
	for i, dp := range out.Datapoints {
		if !aws.ToTime(dp.Timestamp).Equal(base.Add(time.Duration(i) * 5 * time.Minute)) {
			t.Errorf("datapoint %d at %v", i, aws.ToTime(dp.Timestamp))
		}
		avg := (50*100 + 30*200 + 19*300 + 4000) / 100.0
		if aws.ToFloat64(dp.SampleCount) != 500 || aws.ToFloat64(dp.Average) != avg || aws.ToFloat64(dp.Maximum) != 4000 || dp.Sum != nil {
			t.Errorf("datapoint %d: %+v", i, dp)
		}
		if dp.ExtendedStatistics["p99"] != 300 || dp.ExtendedStatistics["p50"] != 100 || dp.Unit != types.StandardUnitMilliseconds {
			t.Errorf("datapoint %d: extended %v, unit %s", i, dp.ExtendedStatistics, dp.Unit)
		}
	}
}

// Statistic sets give percentiles only when they are raw values in disguise (Minimum = Maximum),
// and no rank statistic exists for a period holding a negative value (FACTS.md, Statistics).
func TestPercentilesOnlyWhereCloudWatchHasThem(t *testing.T) {
	_, c := start(t)
	minute := func(m int) *time.Time { return aws.Time(now.Add(-time.Hour + time.Duration(m)*time.Minute)) }
	set := func(n, sum, lo, hi float64) *types.StatisticSet {
		return &types.StatisticSet{SampleCount: aws.Float64(n), Sum: aws.Float64(sum), Minimum: aws.Float64(lo), Maximum: aws.Float64(hi)}
	}
	put(t, c, "Test/Sets", []types.MetricDatum{
		{MetricName: aws.String("M"), Timestamp: minute(0), StatisticValues: set(4, 40, 10, 10)},     // raw: 10 ×4
		{MetricName: aws.String("M"), Timestamp: minute(1), StatisticValues: set(4, 40, 5, 15)},      // a real set
		{MetricName: aws.String("M"), Timestamp: minute(2), Values: []float64{-1, 3, 5}},             // a negative value
		{MetricName: aws.String("M"), Timestamp: minute(3), Values: []float64{1, 3, 5}, Counts: nil}, // plain values
	})
	get := func(stat string) []float64 {
		_, vs := query(t, c, metricStat("Test/Sets", "M", 60, stat), now.Add(-time.Hour), now)
		return vs
	}
	if diff := cmp.Diff([]float64{10, 10, 7.0 / 3, 3}, get("Average")); diff != "" {
		t.Errorf("Average (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]float64{10, 3}, get("p50")); diff != "" {
		t.Errorf("p50 exists for minutes 0 and 3 only (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]float64{10, 3}, get("IQM")); diff != "" {
		t.Errorf("IQM (-want +got):\n%s", diff)
	}
}
