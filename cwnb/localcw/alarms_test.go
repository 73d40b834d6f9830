package localcw_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/cwnb/cwnb/cwnb/alarm"
	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
	"github.com/cwnb/cwnb/cwnb/localcw/scenario"
)

// historyData is the part of a StateUpdate's HistoryData the tests read.
type historyData struct {
	Version  string
	OldState struct{ StateValue, StateReason string }
	NewState struct {
		StateValue, StateReason string
		StateReasonData         struct {
			QueryDate, StartDate string
			Period               int
			RecentDatapoints     []float64
			Threshold            float64
		}
	}
}

func allHistory(t *testing.T, c *cloudwatch.Client, in *cloudwatch.DescribeAlarmHistoryInput) []types.AlarmHistoryItem {
	t.Helper()
	var out []types.AlarmHistoryItem
	p := cloudwatch.NewDescribeAlarmHistoryPaginator(c, in)
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatalf("DescribeAlarmHistory: %v", err)
		}
		out = append(out, page.AlarmHistoryItems...)
	}
	return out
}

// TestPutMetricAlarmEvaluates puts data, creates an alarm and reads the state and history the
// server's evaluation gave it, through the real SDK.
func TestPutMetricAlarmEvaluates(t *testing.T) {
	_, c := start(t)
	ctx := context.Background()
	// Maximum per minute: 5 at now-3m, 50 at now-2m, 70 at now-1m.
	var data []types.MetricDatum
	for i, v := range []float64{5, 50, 70} {
		data = append(data, types.MetricDatum{MetricName: aws.String("Depth"), Value: aws.Float64(v),
			Timestamp: aws.Time(now.Add(time.Duration(i-3) * time.Minute))})
	}
	if _, err := c.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("Q"), MetricData: data}); err != nil {
		t.Fatal(err)
	}
	_, err := c.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{
		AlarmName: aws.String("depth"), Namespace: aws.String("Q"), MetricName: aws.String("Depth"),
		Statistic: types.StatisticMaximum, Period: aws.Int32(60), EvaluationPeriods: aws.Int32(3), DatapointsToAlarm: aws.Int32(2),
		Threshold: aws.Float64(40), ComparisonOperator: types.ComparisonOperatorGreaterThanThreshold,
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"depth"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.MetricAlarms) != 1 {
		t.Fatalf("DescribeAlarms: %d metric alarms", len(out.MetricAlarms))
	}
	a := out.MetricAlarms[0]
	// Evaluated at now: the last 3 buckets are 5, 50, 70; 2 breach 40 → ALARM.
	if a.StateValue != types.StateValueAlarm || aws.ToInt32(a.EvaluationPeriods) != 3 || aws.ToInt32(a.DatapointsToAlarm) != 2 ||
		a.Statistic != types.StatisticMaximum || aws.ToFloat64(a.Threshold) != 40 {
		t.Fatalf("alarm %+v", a)
	}
	wantReason := "Threshold Crossed: 2 out of the last 3 datapoints [70.0 (20/11/26 11:59:00), 50.0 (20/11/26 11:58:00), 5.0 (20/11/26 11:57:00)] were greater than the threshold (40.0) (minimum 2 datapoint for OK -> ALARM transition)."
	if aws.ToString(a.StateReason) != wantReason {
		t.Errorf("StateReason\n got %s\nwant %s", aws.ToString(a.StateReason), wantReason)
	}
	if !aws.ToTime(a.StateTransitionedTimestamp).Equal(now) {
		t.Errorf("StateTransitionedTimestamp %v, want %v", a.StateTransitionedTimestamp, now)
	}
	items := allHistory(t, c, &cloudwatch.DescribeAlarmHistoryInput{AlarmName: aws.String("depth"), ScanBy: types.ScanByTimestampAscending})
	if len(items) != 2 || items[0].HistoryItemType != types.HistoryItemTypeConfigurationUpdate || items[1].HistoryItemType != types.HistoryItemTypeStateUpdate {
		t.Fatalf("history %+v", items)
	}
	if s := aws.ToString(items[1].HistorySummary); s != "Alarm updated from INSUFFICIENT_DATA to ALARM" {
		t.Errorf("summary %q", s)
	}
	var hd historyData
	if err := json.Unmarshal([]byte(aws.ToString(items[1].HistoryData)), &hd); err != nil {
		t.Fatal(err)
	}
	rd := hd.NewState.StateReasonData
	if hd.NewState.StateValue != "ALARM" || hd.OldState.StateValue != "INSUFFICIENT_DATA" || rd.Period != 60 || rd.Threshold != 40 ||
		rd.StartDate != "2026-11-20T11:57:00.000+0000" || rd.QueryDate != "2026-11-20T12:00:00.000+0000" ||
		len(rd.RecentDatapoints) != 3 || rd.RecentDatapoints[0] != 5 || rd.RecentDatapoints[2] != 70 {
		t.Errorf("HistoryData %s", aws.ToString(items[1].HistoryData))
	}

	// SetAlarmState, then the history has the manual transition with its reason.
	if _, err := c.SetAlarmState(ctx, &cloudwatch.SetAlarmStateInput{AlarmName: aws.String("depth"), StateValue: types.StateValueOk,
		StateReason: aws.String("testing </script> reasons")}); err != nil {
		t.Fatal(err)
	}
	items = allHistory(t, c, &cloudwatch.DescribeAlarmHistoryInput{AlarmName: aws.String("depth"), HistoryItemType: types.HistoryItemTypeStateUpdate})
	if len(items) != 2 || !strings.Contains(aws.ToString(items[0].HistoryData), `"stateReason":"testing \u003c/script\u003e reasons"`) {
		t.Fatalf("after SetAlarmState, newest first: %+v", items)
	}
	// DeleteAlarms keeps the history.
	if _, err := c.DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: []string{"depth"}}); err != nil {
		t.Fatal(err)
	}
	out, _ = c.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{})
	if len(out.MetricAlarms) != 0 {
		t.Errorf("deleted alarm still described")
	}
	if items = allHistory(t, c, &cloudwatch.DescribeAlarmHistoryInput{AlarmName: aws.String("depth")}); len(items) != 4 {
		t.Errorf("history after delete: %d items, want 4 (create, 2 state updates, delete)", len(items))
	}
}

func TestAlarmErrors(t *testing.T) {
	_, c := start(t, noRetry)
	ctx := context.Background()
	base := func() *cloudwatch.PutMetricAlarmInput {
		return &cloudwatch.PutMetricAlarmInput{AlarmName: aws.String("x"), Namespace: aws.String("Q"), MetricName: aws.String("M"),
			Statistic: types.StatisticAverage, Period: aws.Int32(60), EvaluationPeriods: aws.Int32(3), Threshold: aws.Float64(1),
			ComparisonOperator: types.ComparisonOperatorGreaterThanThreshold}
	}
	cases := []struct {
		name     string
		mod      func(*cloudwatch.PutMetricAlarmInput)
		code, in string
	}{
		{"M > N", func(in *cloudwatch.PutMetricAlarmInput) { in.DatapointsToAlarm = aws.Int32(4) }, "ValidationError", "DatapointsToAlarm must be less than or equal to EvaluationPeriods"},
		{"period x N over a day", func(in *cloudwatch.PutMetricAlarmInput) { in.EvaluationPeriods = aws.Int32(1441) }, "ValidationError", "86400"},
		{"hourly period x N over a week", func(in *cloudwatch.PutMetricAlarmInput) {
			in.Period = aws.Int32(3600)
			in.EvaluationPeriods = aws.Int32(169)
		}, "ValidationError", "604800"},
		{"period 90", func(in *cloudwatch.PutMetricAlarmInput) { in.Period = aws.Int32(90) }, "InvalidParameterValue", "any multiple of 60"},
		{"both stats", func(in *cloudwatch.PutMetricAlarmInput) { in.ExtendedStatistic = aws.String("p99") }, "InvalidParameterCombination", "mutually exclusive"},
		{"metrics and statistic", func(in *cloudwatch.PutMetricAlarmInput) {
			in.MetricName, in.Namespace, in.Period = nil, nil, nil
			in.Metrics = []types.MetricDataQuery{{Id: aws.String("m"), MetricStat: metricStat("Q", "M", 60, "Sum")}}
		}, "ValidationError", "Statistic should not be set if list of Metrics is set."},
		{"two return data", func(in *cloudwatch.PutMetricAlarmInput) {
			in.MetricName, in.Namespace, in.Period, in.Statistic = nil, nil, nil, ""
			in.Metrics = []types.MetricDataQuery{{Id: aws.String("m"), MetricStat: metricStat("Q", "M", 60, "Sum")},
				{Id: aws.String("e"), Expression: aws.String("m*2")}}
		}, "ValidationError", "Exactly one element of the metrics list should return data."},
		{"bad TreatMissingData", func(in *cloudwatch.PutMetricAlarmInput) { in.TreatMissingData = aws.String("zero") }, "InvalidParameterValue", "TreatMissingData"},
		{"wall-clock window", func(in *cloudwatch.PutMetricAlarmInput) {
			in.EvaluationWindow = &types.EvaluationWindowMemberWallClockWindow{Value: types.WallClockWindow{Timezone: aws.String("UTC")}}
		}, "InvalidParameterValue", "EvaluationWindow"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := base()
			tc.mod(in)
			_, err := c.PutMetricAlarm(ctx, in)
			if apiCode(err) != tc.code || err == nil || !strings.Contains(err.Error(), tc.in) {
				t.Fatalf("error %v (code %q), want %s containing %q", err, apiCode(err), tc.code, tc.in)
			}
		})
	}
	_, err := c.SetAlarmState(ctx, &cloudwatch.SetAlarmStateInput{AlarmName: aws.String("nope"), StateValue: types.StateValueAlarm, StateReason: aws.String("r")})
	if apiCode(err) != "ResourceNotFound" {
		t.Errorf("SetAlarmState on a missing alarm: %v", err)
	}
	if _, err := c.PutMetricAlarm(ctx, base()); err != nil {
		t.Fatal(err)
	}
	_, err = c.SetAlarmState(ctx, &cloudwatch.SetAlarmStateInput{AlarmName: aws.String("x"), StateValue: types.StateValueAlarm, StateReason: aws.String("r"), StateReasonData: aws.String("{not json")})
	if apiCode(err) != "InvalidFormat" {
		t.Errorf("SetAlarmState with bad StateReasonData: %v", err)
	}
	for _, rule := range []string{`ALARM(x) AND`, `ALARM(missing)`, `alarm(x)`} {
		_, err = c.PutCompositeAlarm(ctx, &cloudwatch.PutCompositeAlarmInput{AlarmName: aws.String("c"), AlarmRule: aws.String(rule)})
		if apiCode(err) != "InvalidParameterValue" {
			t.Errorf("rule %q: %v", rule, err)
		}
	}
	_, err = c.DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: []string{"x", "nope"}})
	if apiCode(err) != "ResourceNotFound" {
		t.Errorf("DeleteAlarms with a missing name: %v", err)
	}
	if out, _ := c.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{}); len(out.MetricAlarms) != 1 {
		t.Errorf("a failed DeleteAlarms deleted something")
	}
}

// TestScenarioAlarmsHistory checks the scenarios' alarms against the stories: the average alarm
// never fires, the p99 alarm pages at every backup, the Lambda error-rate alarm fires at the
// deploy, and the composite follows its children.
func TestScenarioAlarmsHistory(t *testing.T) {
	if testing.Short() {
		t.Skip("two weeks of scenario data")
	}
	var scs []scenario.Scenario
	for _, n := range []string{"api", "lambda"} {
		sc, err := scenario.New(n, 1)
		if err != nil {
			t.Fatal(err)
		}
		scs = append(scs, sc)
	}
	demoNow := scenario.DemoNow
	_, url := localcwtest.Start(t, localcw.Options{Now: demoNow, Scenarios: scs})
	c := localcwtest.Client(t, url)
	ctx := context.Background()
	out, err := c.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmTypes: []types.AlarmType{types.AlarmTypeMetricAlarm, types.AlarmTypeCompositeAlarm}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.MetricAlarms) != 3 || len(out.CompositeAlarms) != 1 {
		t.Fatalf("%d metric and %d composite alarms, want 3 and 1", len(out.MetricAlarms), len(out.CompositeAlarms))
	}
	states := map[string]types.StateValue{}
	for _, a := range out.MetricAlarms {
		states[aws.ToString(a.AlarmName)] = a.StateValue
	}
	// At 2026-11-20 00:00 the backup starts; the evaluation at 00:00 sees minute 23:59 (fine).
	if states["checkout-latency-average"] != types.StateValueOk || states["checkout-latency-p99"] != types.StateValueOk ||
		states["orders-api-error-rate"] != types.StateValueAlarm {
		t.Errorf("states %v", states)
	}

	avg := allHistory(t, c, &cloudwatch.DescribeAlarmHistoryInput{AlarmName: aws.String("checkout-latency-average"), HistoryItemType: types.HistoryItemTypeStateUpdate})
	if len(avg) != 1 || !strings.Contains(aws.ToString(avg[0].HistorySummary), "INSUFFICIENT_DATA to OK") {
		t.Errorf("average alarm: %d state updates, want 1 (INSUFFICIENT_DATA to OK): %+v", len(avg), avg)
	}

	p99 := allHistory(t, c, &cloudwatch.DescribeAlarmHistoryInput{AlarmName: aws.String("checkout-latency-p99"),
		HistoryItemType: types.HistoryItemTypeStateUpdate, ScanBy: types.ScanByTimestampAscending})
	var toAlarm, toOK int
	for _, it := range p99 {
		var hd historyData
		if err := json.Unmarshal([]byte(aws.ToString(it.HistoryData)), &hd); err != nil {
			t.Fatal(err)
		}
		ts := aws.ToTime(it.Timestamp)
		switch hd.NewState.StateValue {
		case "ALARM":
			toAlarm++
			// The minute :00 bucket is evaluated at :01.
			if ts.Minute() != 1 || hd.NewState.StateReasonData.RecentDatapoints[0] <= 1000 {
				t.Fatalf("ALARM at %v with %v", ts, hd.NewState.StateReasonData.RecentDatapoints)
			}
		case "OK":
			if hd.OldState.StateValue == "ALARM" {
				toOK++
				if ts.Minute() != 6 {
					t.Fatalf("OK at %v", ts)
				}
			}
		}
	}
	// Created 14 days before 00:00: 14×24 backups, the one at 00:00 not yet seen.
	if toAlarm != 14*24-1 && toAlarm != 14*24 || toOK != toAlarm {
		t.Errorf("p99 alarm: %d ALARM and %d OK transitions, want %d each", toAlarm, toOK, 14*24)
	}
	// The recent datapoint of one page is the p99 GetMetricData gives for that minute.
	last := p99[len(p99)-2]
	var hd historyData
	json.Unmarshal([]byte(aws.ToString(last.HistoryData)), &hd)
	bucket := aws.ToTime(last.Timestamp).Add(-time.Minute)
	gmd, err := c.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(bucket), EndTime: aws.Time(bucket.Add(time.Minute)),
		MetricDataQueries: []types.MetricDataQuery{{Id: aws.String("p"), MetricStat: metricStat("MyService/API", "Latency", 60, "p99", dim("Service", "checkout"))}}})
	if err != nil {
		t.Fatal(err)
	}
	if v := gmd.MetricDataResults[0].Values; len(v) != 1 || math.Abs(v[0]-hd.NewState.StateReasonData.RecentDatapoints[0]) > 1e-9 {
		t.Errorf("recentDatapoints %v, GetMetricData %v", hd.NewState.StateReasonData.RecentDatapoints, v)
	}

	lam := allHistory(t, c, &cloudwatch.DescribeAlarmHistoryInput{AlarmName: aws.String("orders-api-error-rate"), HistoryItemType: types.HistoryItemTypeStateUpdate})
	var fired []time.Time
	for _, it := range lam {
		if strings.HasSuffix(aws.ToString(it.HistorySummary), "to ALARM") {
			fired = append(fired, aws.ToTime(it.Timestamp))
		}
	}
	if want := scenario.LambdaBadDeploy.Add(time.Minute); len(fired) != 1 || !fired[0].Equal(want) {
		t.Errorf("error-rate alarm fired at %v, want once at %v", fired, want)
	}

	comp := allHistory(t, c, &cloudwatch.DescribeAlarmHistoryInput{AlarmName: aws.String("checkout-page"), AlarmTypes: []types.AlarmType{types.AlarmTypeCompositeAlarm}})
	for _, it := range comp {
		if strings.HasSuffix(aws.ToString(it.HistorySummary), "to ALARM") {
			t.Errorf("composite fired: %+v", it)
		}
	}
	if len(comp) < 2 {
		t.Errorf("composite history %+v", comp)
	}
	// Without AlarmTypes only metric alarms' history is returned.
	if got := allHistory(t, c, &cloudwatch.DescribeAlarmHistoryInput{AlarmName: aws.String("checkout-page")}); len(got) != 0 {
		t.Errorf("composite history without AlarmTypes: %d items", len(got))
	}
}

// TestAlarmsBoto3 drives the alarm operations with boto3 (awsJson1_0), a client no one here
// wrote, and creates an alarm from the JSON cwnb/alarm prints for PutMetricAlarm.
func TestAlarmsBoto3(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not on PATH; the boto3 check needs it")
	}
	if exec.Command(py, "-c", "import boto3").Run() != nil {
		t.Skip("boto3 is not installed for python3")
	}
	_, url := localcwtest.Start(t, localcw.Options{Now: now})
	d := alarm.Definition{Name: "from-json", Namespace: "Q", MetricName: "Latency", Dimensions: []alarm.Dimension{{Name: "Service", Value: "checkout"}},
		Statistic: "p99", Period: 5 * time.Minute, EvaluationPeriods: 5, DatapointsToAlarm: 3, Threshold: 1500,
		Comparison: alarm.GreaterOrEqual, TreatMissingData: alarm.NotBreaching, EvaluateLowSampleCountPercentile: "ignore"}
	dir := t.TempDir()
	js := filepath.Join(dir, "alarm.json")
	os.WriteFile(js, []byte(d.PutMetricAlarmJSON()), 0o644)
	script := `
import json, sys, boto3
c = boto3.client("cloudwatch", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
c.put_metric_alarm(**json.load(open(sys.argv[2])))
a = c.describe_alarms(AlarmNames=["from-json"])["MetricAlarms"][0]
h = c.describe_alarm_history(AlarmName="from-json")["AlarmHistoryItems"]
print(json.dumps({"ext": a["ExtendedStatistic"], "m": a["DatapointsToAlarm"], "n": a["EvaluationPeriods"], "period": a["Period"],
  "tmd": a["TreatMissingData"], "state": a["StateValue"], "dims": a["Dimensions"], "items": [i["HistoryItemType"] for i in h]}))
`
	out, err := exec.Command(py, "-c", script, url, js).CombinedOutput()
	if err != nil {
		t.Fatalf("boto3: %v\n%s", err, out)
	}
	var got struct {
		Ext, Tmd, State string
		M, N, Period    int
		Dims            []map[string]string
		Items           []string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	// No data and notBreaching: OK.
	if got.Ext != "p99" || got.M != 3 || got.N != 5 || got.Period != 300 || got.Tmd != "notBreaching" || got.State != "OK" ||
		len(got.Dims) != 1 || got.Dims[0]["Value"] != "checkout" || len(got.Items) != 2 {
		t.Errorf("boto3 saw %+v", got)
	}
}

// TestDescribeAlarmsFilters pages through DescribeAlarms and checks its filters.
func TestDescribeAlarmsFilters(t *testing.T) {
	_, c := start(t)
	ctx := context.Background()
	for i := range 7 {
		_, err := c.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{AlarmName: aws.String(fmt.Sprintf("web-%d", i)), Namespace: aws.String("Q"),
			MetricName: aws.String("M"), Statistic: types.StatisticAverage, Period: aws.Int32(60), EvaluationPeriods: aws.Int32(1),
			Threshold: aws.Float64(1), ComparisonOperator: types.ComparisonOperatorGreaterThanThreshold, TreatMissingData: aws.String("breaching"),
			AlarmActions: []string{fmt.Sprintf("arn:aws:sns:us-east-1:123456789012:team-%d", i%2)}})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.PutCompositeAlarm(ctx, &cloudwatch.PutCompositeAlarmInput{AlarmName: aws.String("both"),
		AlarmRule: aws.String(`ALARM("web-1") AND ALARM(web-2)`)}); err != nil {
		t.Fatal(err)
	}
	var names []string
	p := cloudwatch.NewDescribeAlarmsPaginator(c, &cloudwatch.DescribeAlarmsInput{MaxRecords: aws.Int32(3),
		AlarmTypes: []types.AlarmType{types.AlarmTypeMetricAlarm, types.AlarmTypeCompositeAlarm}})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, a := range out.MetricAlarms {
			names = append(names, aws.ToString(a.AlarmName))
		}
		for _, a := range out.CompositeAlarms {
			names = append(names, aws.ToString(a.AlarmName)+"("+aws.ToString(a.AlarmRule)+")")
			if a.StateValue != types.StateValueAlarm {
				t.Errorf("composite state %v, want ALARM (children breach missing data)", a.StateValue)
			}
		}
	}
	// Pages hold the alarms in name order; each page lists its metric alarms, then its composites.
	want := `[web-0 web-1 both(ALARM("web-1") AND ALARM(web-2)) web-2 web-3 web-4 web-5 web-6]`
	if got := fmt.Sprint(names); got != want || pages != 3 {
		t.Errorf("%d pages: %s, want 3 pages: %s", pages, got, want)
	}
	count := func(in *cloudwatch.DescribeAlarmsInput) int {
		out, err := c.DescribeAlarms(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return len(out.MetricAlarms) + len(out.CompositeAlarms)
	}
	both := []types.AlarmType{types.AlarmTypeMetricAlarm, types.AlarmTypeCompositeAlarm}
	for _, tc := range []struct {
		name string
		in   *cloudwatch.DescribeAlarmsInput
		want int
	}{
		{"metric alarms by default", &cloudwatch.DescribeAlarmsInput{}, 7},
		{"prefix", &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: aws.String("web-"), AlarmTypes: both}, 7},
		{"state", &cloudwatch.DescribeAlarmsInput{StateValue: types.StateValueOk}, 0},
		{"action prefix", &cloudwatch.DescribeAlarmsInput{ActionPrefix: aws.String("arn:aws:sns:us-east-1:123456789012:team-1")}, 3},
		{"children", &cloudwatch.DescribeAlarmsInput{ChildrenOfAlarmName: aws.String("both"), AlarmTypes: both}, 2},
		{"parents", &cloudwatch.DescribeAlarmsInput{ParentsOfAlarmName: aws.String("web-2"), AlarmTypes: both}, 1},
	} {
		if got := count(tc.in); got != tc.want {
			t.Errorf("%s: %d alarms, want %d", tc.name, got, tc.want)
		}
	}
	_, err := c.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"web-1"}, AlarmNamePrefix: aws.String("w")})
	if apiCode(err) != "InvalidParameterCombination" {
		t.Errorf("names and prefix: %v", err)
	}
}

// TestTrimmedMeanAlarm evaluates a trimmed-mean alarm (ExtendedStatistic tm90, the short form)
// and checks its recent datapoint against GetMetricData's TM for the same bucket.
func TestTrimmedMeanAlarm(t *testing.T) {
	_, c := start(t)
	ctx := context.Background()
	var vals, counts []float64
	for v := 1; v <= 10; v++ {
		vals, counts = append(vals, float64(v)), append(counts, 1)
	}
	vals, counts = append(vals, 1000), append(counts, 1) // an outlier the trimmed mean drops
	if _, err := c.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{Namespace: aws.String("Q"), MetricData: []types.MetricDatum{{
		MetricName: aws.String("Lat"), Values: vals, Counts: counts, Timestamp: aws.Time(now.Add(-time.Minute))}}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		threshold float64
		want      types.StateValue
	}{{"tm-low", 5, types.StateValueAlarm}, {"tm-high", 50, types.StateValueOk}} {
		if _, err := c.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{AlarmName: aws.String(tc.name), Namespace: aws.String("Q"),
			MetricName: aws.String("Lat"), ExtendedStatistic: aws.String("tm90"), Period: aws.Int32(60), EvaluationPeriods: aws.Int32(1),
			Threshold: aws.Float64(tc.threshold), ComparisonOperator: types.ComparisonOperatorGreaterThanThreshold}); err != nil {
			t.Fatal(err)
		}
		out, err := c.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{tc.name}})
		if err != nil || len(out.MetricAlarms) != 1 {
			t.Fatal(err)
		}
		a := out.MetricAlarms[0]
		if a.StateValue != tc.want || aws.ToString(a.ExtendedStatistic) != "tm90" {
			t.Errorf("%s: state %v (%s), want %v", tc.name, a.StateValue, aws.ToString(a.StateReason), tc.want)
		}
		var rd struct{ RecentDatapoints []float64 }
		json.Unmarshal([]byte(aws.ToString(a.StateReasonData)), &rd)
		gmd, err := c.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(now.Add(-time.Minute)), EndTime: aws.Time(now),
			MetricDataQueries: []types.MetricDataQuery{{Id: aws.String("m"), MetricStat: metricStat("Q", "Lat", 60, "TM(:90%)")}}})
		if err != nil {
			t.Fatal(err)
		}
		if v := gmd.MetricDataResults[0].Values; len(v) != 1 || len(rd.RecentDatapoints) != 1 || v[0] != rd.RecentDatapoints[0] || v[0] > 10 {
			t.Errorf("%s: recentDatapoints %v, GetMetricData TM(:90%%) %v", tc.name, rd.RecentDatapoints, v)
		}
	}
}

// TestAlarmsConcurrent runs alarm operations from several goroutines at once (run with -race).
func TestAlarmsConcurrent(t *testing.T) {
	sc, err := scenario.New("api", 1)
	if err != nil {
		t.Fatal(err)
	}
	_, url := localcwtest.Start(t, localcw.Options{Now: scenario.DemoNow, Scenarios: []scenario.Scenario{sc}})
	c := localcwtest.Client(t, url)
	ctx := context.Background()
	errs := make(chan error, 16)
	for g := range 8 {
		go func() {
			var err error
			switch g % 4 {
			case 0:
				_, err = c.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{})
			case 1:
				_, err = c.DescribeAlarmHistory(ctx, &cloudwatch.DescribeAlarmHistoryInput{AlarmName: aws.String("checkout-latency-p99")})
			case 2:
				_, err = c.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{AlarmName: aws.String(fmt.Sprintf("c%d", g)), Namespace: aws.String("MyService/API"),
					MetricName: aws.String("Latency"), ExtendedStatistic: aws.String("p99"), Period: aws.Int32(60), EvaluationPeriods: aws.Int32(1),
					Threshold: aws.Float64(1000), ComparisonOperator: types.ComparisonOperatorGreaterThanThreshold,
					Dimensions: []types.Dimension{dim("Service", "checkout")}})
			case 3:
				_, err = c.SetAlarmState(ctx, &cloudwatch.SetAlarmStateInput{AlarmName: aws.String("checkout-latency-average"),
					StateValue: types.StateValueAlarm, StateReason: aws.String("drill")})
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	out, err := c.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: aws.String("c")})
	if err != nil {
		t.Fatal(err)
	}
	// checkout-latency-average, checkout-latency-p99, c2 and c6.
	if len(out.MetricAlarms) != 4 {
		t.Errorf("%d alarms with prefix c, want 4", len(out.MetricAlarms))
	}
}
