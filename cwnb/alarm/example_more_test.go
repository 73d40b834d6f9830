package alarm_test

import (
	"fmt"
	"time"

	"github.com/cwnb/cwnb/cwnb/alarm"
	"github.com/cwnb/cwnb/cwnb/ts"
)

func ExampleParseYAML() {
	defs, err := alarm.ParseYAML("investigation.yaml", []byte(`
alarms:
  - name: checkout-p99
    namespace: MyService/API
    metric: Latency
    dimensions: {Service: checkout}
    stat: p99
    period: 1m
    threshold: "> 1500"
    datapoints: 2 of 3
    treat_missing_data: notBreaching
`))
	if err != nil {
		panic(err)
	}
	fmt.Println(defs[0].Name, defs[0].Label(), defs[0].TreatMissingData)
	_, err = alarm.ParseYAML("investigation.yaml", []byte("- name: x\n  treshold: 5\n"))
	fmt.Println(err != nil)
	// Output:
	// checkout-p99 p99 > 1500 (2 of 3 × 1m0s) notBreaching
	// true
}

func ExampleIncidents() {
	from := time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)
	inc, err := alarm.Incidents("backup", ts.Hourly(0, 5*time.Minute), from, from.Add(3*time.Hour))
	if err != nil {
		panic(err)
	}
	for _, i := range inc {
		fmt.Println(i.Name, i.Start.Format("15:04"), i.End.Format("15:04"))
	}
	// Output:
	// backup 00:00 00:05
	// backup 01:00 01:05
	// backup 02:00 02:05
}

// A composite alarm replayed over its children's timelines.
func ExampleComposite() {
	t0 := time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)
	a := &alarm.Timeline{Name: "latency", Start: t0, Step: time.Minute, States: []alarm.State{alarm.OK, alarm.Alarm, alarm.Alarm, alarm.Alarm, alarm.OK}}
	b := &alarm.Timeline{Name: "errors", Start: t0, Step: time.Minute, States: []alarm.State{alarm.OK, alarm.OK, alarm.Alarm, alarm.OK, alarm.OK}}
	rule, err := alarm.ParseRule(`ALARM(latency) AND ALARM(errors)`)
	if err != nil {
		panic(err)
	}
	tl, err := alarm.Composite("page", rule, map[string]*alarm.Timeline{"latency": a, "errors": b})
	if err != nil {
		panic(err)
	}
	for _, c := range tl.Changes {
		fmt.Println(c.Time.Format("15:04"), c.To)
	}
	// Output:
	// 00:00 OK
	// 00:02 ALARM
	// 00:03 OK
}

func ExampleLowSampleLimit() {
	fmt.Println(alarm.LowSampleLimit(99), alarm.LowSampleLimit(99.9), alarm.LowSampleLimit(10))
	// Output: 1000 10000 100
}

func ExampleDefinition_PutMetricAlarmGo() {
	d := alarm.Definition{Name: "cpu", Namespace: "AWS/EC2", MetricName: "CPUUtilization", Statistic: "Average",
		Period: 5 * time.Minute, EvaluationPeriods: 3, Threshold: 90, Comparison: alarm.GreaterOrEqual}
	fmt.Print(d.PutMetricAlarmGo())
	// Output:
	// _, err := client.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{
	// 	AlarmName:          aws.String("cpu"),
	// 	ActionsEnabled:     aws.Bool(false),
	// 	Namespace:          aws.String("AWS/EC2"),
	// 	MetricName:         aws.String("CPUUtilization"),
	// 	Statistic:          types.StatisticAverage,
	// 	Period:             aws.Int32(300),
	// 	EvaluationPeriods:  aws.Int32(3),
	// 	DatapointsToAlarm:  aws.Int32(3),
	// 	Threshold:          aws.Float64(90.0),
	// 	ComparisonOperator: types.ComparisonOperatorGreaterThanOrEqualToThreshold,
	// 	TreatMissingData:   aws.String("missing"),
	// })
}
