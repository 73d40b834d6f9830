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
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Issue 11: the documented behaviours the local CloudWatch used to get wrong, one test per item,
// through the real aws-sdk-go-v2 client. Expected values are worked out by hand from the
// published samples; testdata/parity.py checks the same items through botocore.

// minuteAgo returns the start of the minute k minutes into the last hour before now.
func minuteAgo(k int) *time.Time { return aws.Time(now.Add(-time.Hour + time.Duration(k)*time.Minute)) }

func set(n, sum, lo, hi float64) *types.StatisticSet {
	return &types.StatisticSet{SampleCount: aws.Float64(n), Sum: aws.Float64(sum), Minimum: aws.Float64(lo), Maximum: aws.Float64(hi)}
}

// statsByMinute runs one metric query per statistic over the last hour and returns, per
// statistic, the values by minute index (minutes with no value are absent).
func statsByMinute(t *testing.T, c *cloudwatch.Client, ns, name string, stats ...string) map[string]map[int]float64 {
	t.Helper()
	var qs []types.MetricDataQuery
	for i, st := range stats {
		qs = append(qs, types.MetricDataQuery{Id: aws.String("q" + string(rune('a'+i))), MetricStat: metricStat(ns, name, 60, st)})
	}
	out, err := c.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now), MetricDataQueries: qs,
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]map[int]float64{}
	for i, r := range out.MetricDataResults {
		m := map[int]float64{}
		for k, ts := range r.Timestamps {
			m[int(ts.Sub(now.Add(-time.Hour))/time.Minute)] = r.Values[k]
		}
		got[stats[i]] = m
	}
	return got
}

// Item 1 (User Guide, CloudWatch concepts, Units): data published in two units is aggregated
// separately; GetMetricStatistics without a Unit returns one datapoint per unit.
func TestParityStatisticsPerUnit(t *testing.T) {
	_, c := start(t)
	put(t, c, "Parity/Units", []types.MetricDatum{
		{MetricName: aws.String("Latency"), Timestamp: minuteAgo(10), Value: aws.Float64(10), Unit: types.StandardUnitSeconds},
		{MetricName: aws.String("Latency"), Timestamp: minuteAgo(10), Value: aws.Float64(20), Unit: types.StandardUnitMilliseconds},
		{MetricName: aws.String("Latency"), Timestamp: minuteAgo(11), Value: aws.Float64(30), Unit: types.StandardUnitSeconds},
	})
	get := func(unit types.StandardUnit) []types.Datapoint {
		out, err := c.GetMetricStatistics(context.Background(), &cloudwatch.GetMetricStatisticsInput{
			Namespace: aws.String("Parity/Units"), MetricName: aws.String("Latency"), Unit: unit,
			StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now), Period: aws.Int32(60),
			Statistics: []types.Statistic{types.StatisticSum, types.StatisticSampleCount},
		})
		if err != nil {
			t.Fatal(err)
		}
		return out.Datapoints
	}
	type dp struct {
		Minute           int
		Unit             types.StandardUnit
		Sum, SampleCount float64
	}
	flat := func(dps []types.Datapoint) []dp {
		var out []dp
		for _, d := range dps {
			out = append(out, dp{int(aws.ToTime(d.Timestamp).Sub(now.Add(-time.Hour)) / time.Minute), d.Unit, aws.ToFloat64(d.Sum), aws.ToFloat64(d.SampleCount)})
		}
		return out
	}
	sorted := cmpopts.SortSlices(func(a, b dp) bool { return a.Minute < b.Minute || a.Minute == b.Minute && a.Unit < b.Unit })
	want := []dp{{10, "Milliseconds", 20, 1}, {10, "Seconds", 10, 1}, {11, "Seconds", 30, 1}}
	if diff := cmp.Diff(want, flat(get("")), sorted); diff != "" {
		t.Errorf("no Unit: one datapoint per unit (-want +got):\n%s", diff)
	}
	want = []dp{{10, "Seconds", 10, 1}, {11, "Seconds", 30, 1}}
	if diff := cmp.Diff(want, flat(get(types.StandardUnitSeconds)), sorted); diff != "" {
		t.Errorf("Unit Seconds (-want +got):\n%s", diff)
	}
}

// Items 2-4 (Statistics-definitions.html): a set is raw values only when Min = Max and
// Sum = Min × SampleCount; every statistic but the basic five needs raw data points and is not
// available when a value is negative.
func TestParityStatisticSetsAndNegatives(t *testing.T) {
	_, c := start(t)
	put(t, c, "Parity/Sets", []types.MetricDatum{
		// Minute 0: Min = Max but Sum ≠ Min × SampleCount: a set, Sum 100.
		{MetricName: aws.String("M"), Timestamp: minuteAgo(0), StatisticValues: set(3, 100, 5, 5)},
		// Minute 1: Min = Max and Sum = Min × SampleCount: raw values 5, 5, 5.
		{MetricName: aws.String("M"), Timestamp: minuteAgo(1), StatisticValues: set(3, 15, 5, 5)},
		// Minute 2: a set alone; minute 3: a set with raw values; minute 4: raw values only.
		{MetricName: aws.String("M"), Timestamp: minuteAgo(2), StatisticValues: set(4, 30, 5, 10)},
		{MetricName: aws.String("M"), Timestamp: minuteAgo(3), StatisticValues: set(4, 30, 5, 10)},
		{MetricName: aws.String("M"), Timestamp: minuteAgo(3), Values: []float64{1, 2, 3}},
		{MetricName: aws.String("M"), Timestamp: minuteAgo(4), Values: []float64{1, 2, 3, 4}},
		// Minute 5: a negative value.
		{MetricName: aws.String("M"), Timestamp: minuteAgo(5), Values: []float64{-5, 1, 2, 3}},
	})
	got := statsByMinute(t, c, "Parity/Sets", "M",
		"Sum", "Average", "SampleCount", "Minimum", "p50", "IQM", "TM(10%:90%)", "WM(0:2)", "TC(0:10)", "TS(0:10)", "PR(:2)", "TM(0:10)")
	want := map[string]map[int]float64{
		"Sum":         {0: 100, 1: 15, 2: 30, 3: 36, 4: 10, 5: 1},
		"Average":     {0: 100.0 / 3, 1: 5, 2: 7.5, 3: 36.0 / 7, 4: 2.5, 5: 0.25},
		"SampleCount": {0: 3, 1: 3, 2: 4, 3: 7, 4: 4, 5: 4},
		"Minimum":     {0: 5, 1: 5, 2: 5, 3: 1, 4: 1, 5: -5},
		// Only minutes 1 and 4 hold raw, non-negative values. Over 1 2 3 4: p50 = 2 (inverted
		// CDF), IQM = mean of ranks (1, 3] = 2.5, TM(10%:90%) keeps ranks (0.4, 3.6] =
		// (0.6·1 + 2 + 3 + 0.6·4)/3.2, WM(0:2) = (1+2+2+2)/4, TC(0:10) = 4, TS(0:10) = 10,
		// PR(:2) = 50, TM(0:10) = 2.5.
		"p50":         {1: 5, 4: 2},
		"IQM":         {1: 5, 4: 2.5},
		"TM(10%:90%)": {1: 5, 4: (0.6 + 2 + 3 + 2.4) / 3.2},
		"WM(0:2)":     {1: 2, 4: 7.0 / 4},
		"TC(0:10)":    {1: 3, 4: 4},
		"TS(0:10)":    {1: 15, 4: 10},
		"PR(:2)":      {1: 0, 4: 50},
		"TM(0:10)":    {1: 5, 4: 2.5},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(1e-12, 1e-12)); diff != "" {
		t.Errorf("statistics by minute (-want +got):\n%s", diff)
	}
}

// Item 7 and the missing-value rules of MIN, MAX and AVG over an array (using-metric-math.html):
// MIN and MAX take the lowest and highest value among the series at each timestamp; AVG of an
// array treats missing values as 0; STDDEV is evaluated; DB_PERF_INSIGHTS is named as a
// documented function this server does not evaluate.
func TestParityMetricMath(t *testing.T) {
	_, c := start(t, noRetry)
	put(t, c, "Parity/Math", []types.MetricDatum{
		{MetricName: aws.String("A"), Timestamp: minuteAgo(0), Value: aws.Float64(1)},
		{MetricName: aws.String("A"), Timestamp: minuteAgo(1), Value: aws.Float64(2)},
		{MetricName: aws.String("A"), Timestamp: minuteAgo(3), Value: aws.Float64(4)},
		{MetricName: aws.String("A"), Timestamp: minuteAgo(4), Value: aws.Float64(5)},
		{MetricName: aws.String("B"), Timestamp: minuteAgo(0), Value: aws.Float64(10)},
		{MetricName: aws.String("B"), Timestamp: minuteAgo(3), Value: aws.Float64(0)},
		{MetricName: aws.String("B"), Timestamp: minuteAgo(4), Value: aws.Float64(20)},
	})
	hidden := func(id, name string) types.MetricDataQuery {
		return types.MetricDataQuery{Id: aws.String(id), MetricStat: metricStat("Parity/Math", name, 60, "Sum"), ReturnData: aws.Bool(false)}
	}
	expr := func(id, e string) types.MetricDataQuery {
		return types.MetricDataQuery{Id: aws.String(id), Expression: aws.String(e)}
	}
	out, err := c.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now.Add(-time.Hour + 5*time.Minute)), ScanBy: types.ScanByTimestampAscending,
		MetricDataQueries: []types.MetricDataQuery{hidden("a", "A"), hidden("b", "B"),
			expr("mn", "MIN([a, b])"), expr("mx", "MAX([a, b])"), expr("av", "AVG([a, b])"),
			expr("sd", "STDDEV([a, b])"), expr("sd1", "a*0 + STDDEV(a)")},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]map[int]float64{}
	for _, r := range out.MetricDataResults {
		m := map[int]float64{}
		for k, ts := range r.Timestamps {
			m[int(ts.Sub(now.Add(-time.Hour))/time.Minute)] = r.Values[k]
		}
		got[aws.ToString(r.Id)] = m
	}
	// a = 1 2 - 4 5, b = 10 - - 0 20 (minute 2 has neither).
	s := 1.5811388300841898 // population standard deviation of 1 2 4 5: √(10/4)
	want := map[string]map[int]float64{
		"mn":  {0: 1, 1: 2, 3: 0, 4: 5},
		"mx":  {0: 10, 1: 2, 3: 4, 4: 20},
		"av":  {0: 5.5, 1: 1, 3: 2, 4: 12.5},
		"sd":  {0: 4.5, 1: 0, 3: 2, 4: 7.5},
		"sd1": {0: s, 1: s, 3: s, 4: s},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(1e-12, 0)); diff != "" {
		t.Errorf("metric math (-want +got):\n%s", diff)
	}
	_, err = c.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now),
		MetricDataQueries: []types.MetricDataQuery{hidden("a", "A"), expr("e1", "DB_PERF_INSIGHTS('RDS', 'db-ABC', 'db.load.avg')")},
	})
	checkErr(t, err, validation, "ValidationError", "function DB_PERF_INSIGHTS is not supported by cwnb's metric math: it is a documented CloudWatch function")
}

// Item 8 (graph-dynamic-labels.html, GetMetricData LabelOptions): value and time variables of a
// dynamic label are expanded from the whole result, time variants at the offset of
// LabelOptions.Timezone.
func TestParityDynamicLabels(t *testing.T) {
	_, c := start(t)
	put(t, c, "Parity/Labels", []types.MetricDatum{
		{MetricName: aws.String("L"), Timestamp: minuteAgo(0), Value: aws.Float64(3)},
		{MetricName: aws.String("L"), Timestamp: minuteAgo(1), Value: aws.Float64(9)},
		{MetricName: aws.String("L"), Timestamp: minuteAgo(2), Value: aws.Float64(1)},
		{MetricName: aws.String("L"), Timestamp: minuteAgo(3), Value: aws.Float64(4)},
	})
	label := "max ${MAX} at ${MAX_TIME}, min ${MIN} at ${MIN_TIME}, avg ${AVG}, sum ${SUM}, first ${FIRST} at ${FIRST_TIME}, " +
		"last ${LAST} at ${LAST_TIME}, n ${DATAPOINT_COUNT}, ranges ${MIN_MAX_RANGE} ${FIRST_LAST_RANGE} ${FIRST_LAST_TIME_RANGE}, " +
		"ago ${FIRST_TIME_RELATIVE} ${LAST_TIME_RELATIVE}, ${PROP('MetricName')} ${NOPE}"
	in := &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now),
		LabelOptions:  &types.LabelOptions{Timezone: aws.String("-0130")},
		MaxDatapoints: aws.Int32(3), // two pages: the label comes from the whole result on both
		MetricDataQueries: []types.MetricDataQuery{{Id: aws.String("l"), Label: aws.String(label),
			MetricStat: metricStat("Parity/Labels", "L", 60, "Maximum")}},
	}
	// now - 1h is 11:00 UTC, 09:30 at -01:30.
	want := "max 9 at 2026-11-20T09:31:00-01:30, min 1 at 2026-11-20T09:32:00-01:30, avg 4.25, sum 17, " +
		"first 3 at 2026-11-20T09:30:00-01:30, last 4 at 2026-11-20T09:33:00-01:30, n 4, ranges 8 1 3m, " +
		"ago 1h 57m, L ${NOPE}"
	p := cloudwatch.NewGetMetricDataPaginator(c, in)
	pages := 0
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, r := range page.MetricDataResults {
			if got := aws.ToString(r.Label); got != want {
				t.Errorf("page %d label\n got %q\nwant %q", pages, got, want)
			}
		}
	}
	if pages != 2 {
		t.Errorf("%d pages, want 2", pages)
	}
	// Without LabelOptions, times are in UTC.
	in.LabelOptions, in.MaxDatapoints = nil, nil
	in.MetricDataQueries[0].Label = aws.String("${MAX_TIME}")
	out, err := c.GetMetricData(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(out.MetricDataResults[0].Label); got != "2026-11-20T11:01:00Z" {
		t.Errorf("label %q, want 2026-11-20T11:01:00Z", got)
	}
}

// Item 6: numbers in GetMetricStatistics' limit message are written without separators, as the
// service writes them ("up to 86400 datapoints, which exceeds the limit of 1440").
func TestParityLimitMessage(t *testing.T) {
	_, c := start(t, noRetry)
	_, err := c.GetMetricStatistics(context.Background(), &cloudwatch.GetMetricStatisticsInput{
		Namespace: aws.String("T"), MetricName: aws.String("M"), Period: aws.Int32(1),
		StartTime: aws.Time(now.Add(-24 * time.Hour)), EndTime: aws.Time(now), Statistics: []types.Statistic{types.StatisticSum},
	})
	checkErr(t, err, invalidCombination, "InvalidParameterCombination", "You have requested up to 86400 datapoints, which exceeds the limit of 1440.")
	if strings.Contains(err.Error(), "1,440") {
		t.Errorf("message %q has a thousands separator", err)
	}
}

// Item 5 for GetMetricStatistics: a statistic outside the basic five in Statistics is
// InvalidParameterValue in the service's wording ("The parameter Statistics.member.1 must be a
// value in the set [SampleCount, Average, Sum, Minimum, Maximum].", cloud-custodian#9137).
func TestParityStatisticsEnumMessage(t *testing.T) {
	_, c := start(t, noRetry)
	_, err := c.GetMetricStatistics(context.Background(), &cloudwatch.GetMetricStatisticsInput{
		Namespace: aws.String("T"), MetricName: aws.String("M"), Period: aws.Int32(60),
		StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now), Statistics: []types.Statistic{"p99"},
	})
	checkErr(t, err, invalidValue, "InvalidParameterValue",
		`The parameter Statistics.member.1 must be a value in the set [SampleCount, Average, Sum, Minimum, Maximum]. "p99" is not one; other statistics go in ExtendedStatistics.`)
}
