package localcw_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
	"github.com/cwnb/cwnb/cwnb/localcw/scenario"
)

// query returns the timestamps and values of one metric query.
func query(t *testing.T, c *cloudwatch.Client, ms *types.MetricStat, start, end time.Time) ([]time.Time, []float64) {
	t.Helper()
	out, err := c.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(start), EndTime: aws.Time(end), ScanBy: types.ScanByTimestampAscending,
		MetricDataQueries: []types.MetricDataQuery{{Id: aws.String("q"), MetricStat: ms}},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := out.MetricDataResults[0]
	if r.StatusCode != types.StatusCodeComplete {
		t.Errorf("StatusCode %s", r.StatusCode)
	}
	return r.Timestamps, r.Values
}

// The rules come from the GetMetricData API reference (StartTime, Period) and FACTS.md.
func TestResolutionRetentionAndRounding(t *testing.T) {
	_, c := start(t)
	at := func(d time.Duration) *time.Time { return aws.Time(now.Add(d)) }
	put(t, c, "Test/Ret", []types.MetricDatum{
		// High resolution, an hour ago: kept at the second.
		{MetricName: aws.String("Hi"), Value: aws.Float64(1), Timestamp: at(-time.Hour + 5*time.Second), StorageResolution: aws.Int32(1)},
		{MetricName: aws.String("Hi"), Value: aws.Float64(2), Timestamp: at(-time.Hour + 15*time.Second), StorageResolution: aws.Int32(1)},
		{MetricName: aws.String("Hi"), Value: aws.Float64(3), Timestamp: at(-time.Hour + 25*time.Second), StorageResolution: aws.Int32(1)},
		// Standard resolution: stored at the minute whatever its seconds.
		{MetricName: aws.String("Std"), Value: aws.Float64(1), Timestamp: at(-time.Hour + 5*time.Second)},
		{MetricName: aws.String("Std"), Value: aws.Float64(2), Timestamp: at(-time.Hour + 45*time.Second)},
		// High resolution but older than 3 hours: only minute data is left.
		{MetricName: aws.String("OldHi"), Value: aws.Float64(1), Timestamp: at(-5*time.Hour + 5*time.Second), StorageResolution: aws.Int32(1)},
		{MetricName: aws.String("OldHi"), Value: aws.Float64(2), Timestamp: at(-5*time.Hour + 35*time.Second), StorageResolution: aws.Int32(1)},
		// Ten days old.
		{MetricName: aws.String("Old"), Value: aws.Float64(7), Timestamp: at(-10*24*time.Hour + 30*time.Second)},
	})
	hour := now.Add(-time.Hour)
	type series struct {
		T []time.Time
		V []float64
	}
	tests := []struct {
		name       string
		metric     string
		period     int32
		start, end time.Time
		want       series
	}{
		{"high resolution at 10 s", "Hi", 10, hour, now, series{[]time.Time{hour, hour.Add(10 * time.Second), hour.Add(20 * time.Second)}, []float64{1, 2, 3}}},
		{"high resolution at 60 s", "Hi", 60, hour, now, series{[]time.Time{hour}, []float64{6}}},
		{"10 s start rounded to the 10 s division", "Hi", 10, hour.Add(12 * time.Second), now, series{[]time.Time{hour.Add(10 * time.Second), hour.Add(20 * time.Second)}, []float64{2, 3}}},
		{"standard resolution at 10 s is minute data", "Std", 10, hour, now, series{[]time.Time{hour}, []float64{3}}},
		{"high resolution older than 3 h at 10 s is empty", "OldHi", 10, now.Add(-5 * time.Hour), now, series{}},
		{"high resolution older than 3 h at 60 s", "OldHi", 60, now.Add(-5 * time.Hour), now, series{[]time.Time{now.Add(-5 * time.Hour)}, []float64{3}}},
		{"start rounded down to the minute, buckets from there", "Std", 300, hour.Add(-3*time.Minute + 17*time.Second), now, series{[]time.Time{hour.Add(-3 * time.Minute)}, []float64{3}}},
		{"end is exclusive", "Std", 60, now.Add(-2 * time.Hour), hour, series{}},
		{"standard data is compared with the end at its minute", "Std", 60, hour, hour.Add(30 * time.Second), series{[]time.Time{hour}, []float64{3}}},
		{"ten days old at 60 s", "Old", 60, now.Add(-10 * 24 * time.Hour), now.Add(-10*24*time.Hour + time.Hour), series{[]time.Time{now.Add(-10 * 24 * time.Hour)}, []float64{7}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, vs := query(t, c, metricStat("Test/Ret", tt.metric, tt.period, "Sum"), tt.start, tt.end)
			if diff := cmp.Diff(tt.want, series{ts, vs}, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// Old windows from a scenario (which has data at any age): the period must match the age of the
// StartTime, or the result is empty (not an error); the StartTime is rounded to 5 minutes
// beyond 15 days and to the hour beyond 63 days.
func TestRetentionByAge(t *testing.T) {
	sc, err := scenario.New("api", 1)
	if err != nil {
		t.Fatal(err)
	}
	_, url := localcwtest.Start(t, localcw.Options{Now: now, Scenarios: []scenario.Scenario{sc}})
	c := localcwtest.Client(t, url)
	m := sc.Metrics()[0]
	var dims []types.Dimension
	for _, d := range m.Dims {
		dims = append(dims, dim(d.Name, d.Value))
	}
	day := 24 * time.Hour
	tests := []struct {
		name       string
		age        time.Duration // of the StartTime, plus 2m17s to see the rounding
		period     int32
		wantPoints bool
		wantFirst  time.Time
	}{
		{"20 days at 60 s is empty", 20 * day, 60, false, time.Time{}},
		{"20 days at 300 s", 20 * day, 300, true, now.Add(-20 * day).Add(-5 * time.Minute)},
		{"70 days at 300 s is empty", 70 * day, 300, false, time.Time{}},
		{"70 days at 3600 s", 70 * day, 3600, true, now.Add(-70 * day).Add(-time.Hour)},
		{"500 days is gone", 500 * day, 3600, false, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := now.Add(-tt.age).Add(-2*time.Minute - 17*time.Second)
			ts, _ := query(t, c, metricStat(m.Namespace, m.Name, tt.period, "SampleCount", dims...), start, start.Add(6*time.Hour))
			if (len(ts) > 0) != tt.wantPoints {
				t.Fatalf("%d datapoints, want some: %v", len(ts), tt.wantPoints)
			}
			if tt.wantPoints && !ts[0].Equal(tt.wantFirst) {
				t.Errorf("first datapoint at %v, want %v (the rounded StartTime)", ts[0], tt.wantFirst)
			}
		})
	}
}

// With no Options.Now the server runs on the wall clock: a datum without Timestamp is stamped
// now, and a timestamp 3 hours ahead of the wall clock is refused.
func TestWallClock(t *testing.T) {
	_, url := localcwtest.Start(t, localcw.Options{})
	c := localcwtest.Client(t, url, noRetry)
	if _, err := c.PutMetricData(context.Background(), &cloudwatch.PutMetricDataInput{Namespace: aws.String("Test/Wall"),
		MetricData: []types.MetricDatum{{MetricName: aws.String("M"), Value: aws.Float64(42)}}}); err != nil {
		t.Fatal(err)
	}
	wall := time.Now()
	_, vs := query(t, c, metricStat("Test/Wall", "M", 60, "Maximum"), wall.Add(-10*time.Minute), wall.Add(time.Minute))
	if len(vs) != 1 || vs[0] != 42 {
		t.Errorf("values %v, want [42]", vs)
	}
	_, err := c.PutMetricData(context.Background(), &cloudwatch.PutMetricDataInput{Namespace: aws.String("Test/Wall"),
		MetricData: []types.MetricDatum{{MetricName: aws.String("M"), Value: aws.Float64(1), Timestamp: aws.Time(wall.Add(3 * time.Hour))}}})
	checkErr(t, err, invalidValue, "InvalidParameterValue", "two hours")
}
