package alarm_test

import (
	"fmt"
	"math"
	"time"

	"github.com/cwnb/cwnb/cwnb/alarm"
	"github.com/cwnb/cwnb/cwnb/ts"
)

// A row of the documented missing-data table: N = 3, M = 2, evaluation range "0 - X - -"
// (oldest first). With fewer than N real points, missing ones are filled as TreatMissingData says.
func ExampleDefinition_Decide() {
	nan := math.NaN()
	points := []float64{0, nan, 2, nan, nan} // 0 good, X = 2 breaches the threshold 1, - missing
	for _, tmd := range []alarm.TreatMissing{alarm.Missing, alarm.Ignore, alarm.Breaching, alarm.NotBreaching} {
		d := alarm.Definition{Name: "doc", Namespace: "NS", MetricName: "M", Statistic: "Average", Period: 5 * time.Minute,
			EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 1, Comparison: alarm.Greater, TreatMissingData: tmd}
		fmt.Printf("%-12s %v\n", tmd, d.Decide(points, nil, alarm.OK).State)
	}
	// Output:
	// missing      OK
	// ignore       OK
	// breaching    ALARM
	// notBreaching OK
}

// Replay a 2-of-3 one-minute alarm over data with a 5-minute spike: it fires at the second
// breaching minute and clears once two of the last three minutes are fine again.
func ExampleReplay() {
	t0 := time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)
	values := make([]float64, 20)
	for i := range values {
		values[i] = 500
		if i >= 10 && i < 15 {
			values[i] = 3000
		}
	}
	d := &alarm.Definition{Name: "p99", Namespace: "MyService/API", MetricName: "Latency", Statistic: "p99",
		Period: time.Minute, EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 1000, Comparison: alarm.Greater}
	s := &alarm.Series{Start: t0, Step: time.Minute, Period: time.Minute, Values: values}
	tl, err := alarm.Replay(d, s, t0.Add(5*time.Minute), t0.Add(20*time.Minute), alarm.Options{})
	if err != nil {
		panic(err)
	}
	for _, c := range tl.Changes {
		fmt.Println(c.Time.Format("15:04"), c.From, "->", c.To)
	}
	// Output:
	// 00:05 INSUFFICIENT_DATA -> OK
	// 00:12 OK -> ALARM
	// 00:17 ALARM -> OK
}

func ExampleParseRule() {
	r, err := alarm.ParseRule(`ALARM("checkout-latency-p99") AND NOT OK(db-cpu)`)
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Alarms())
	fmt.Println(r.Eval(map[string]alarm.State{"checkout-latency-p99": alarm.Alarm, "db-cpu": alarm.InsufficientData}))
	_, err = alarm.ParseRule(`alarm(x)`)
	fmt.Println(err)
	// Output:
	// [checkout-latency-p99 db-cpu]
	// true
	// alarm rule "alarm(x)": at offset 0: "alarm" must be written in capitals: ALARM
}

// Back-test a grid of candidates against an hourly incident and pick the best.
func ExamplePick() {
	t0 := time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)
	values := make([]float64, 6*60)
	for i := range values {
		values[i] = 500 + float64(i%7)*20 // quiet: 500-620
		if i%60 < 5 {
			values[i] = 3000 // :00-:05 every hour
		}
	}
	s := &alarm.Series{Start: t0, Step: time.Minute, Period: time.Minute, Values: values}
	from, to := t0.Add(time.Hour), t0.Add(6*time.Hour)
	incidents, err := alarm.Incidents("tail", ts.Hourly(0, 5*time.Minute), from, to)
	if err != nil {
		panic(err)
	}
	base := alarm.Definition{Name: "p99", Namespace: "MyService/API", MetricName: "Latency", Statistic: "p99",
		Period: time.Minute, Comparison: alarm.Greater}
	scores, err := alarm.BacktestAll(alarm.Grid(base, []float64{600, 1200, 2500}, [][2]int{{1, 1}, {2, 3}}), s, incidents, from, to, alarm.BacktestOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Println(alarm.Pick(scores))
	// Output:
	// p99 > 1200 (1 of 1 × 1m0s): caught 5/5 incidents, median time to detect 1m0s, 0 false pages (0.0/week), 0s in ALARM outside incidents, 0 flaps
}

func ExampleDefinition_PutMetricAlarmJSON() {
	d := alarm.Definition{Name: "checkout-p99", Namespace: "MyService/API", MetricName: "Latency",
		Dimensions: []alarm.Dimension{{Name: "Service", Value: "checkout"}}, Statistic: "p99", Period: time.Minute,
		EvaluationPeriods: 1, Threshold: 1500, Comparison: alarm.Greater, EvaluateLowSampleCountPercentile: "ignore"}
	fmt.Println(d.PutMetricAlarmJSON())
	// Output:
	// {
	//   "AlarmName": "checkout-p99",
	//   "ActionsEnabled": false,
	//   "Namespace": "MyService/API",
	//   "MetricName": "Latency",
	//   "Dimensions": [
	//     {
	//       "Name": "Service",
	//       "Value": "checkout"
	//     }
	//   ],
	//   "ExtendedStatistic": "p99",
	//   "Period": 60,
	//   "EvaluationPeriods": 1,
	//   "DatapointsToAlarm": 1,
	//   "Threshold": 1500,
	//   "ComparisonOperator": "GreaterThanThreshold",
	//   "TreatMissingData": "missing",
	//   "EvaluateLowSampleCountPercentile": "ignore"
	// }
}
