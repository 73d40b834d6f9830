package alarmcw_test

import (
	"fmt"
	"time"

	"github.com/cwnb/cwnb/cwnb/alarm"
	"github.com/cwnb/cwnb/cwnb/alarmcw"
	"github.com/cwnb/cwnb/cwnb/ts"
)

// Rank back-tested candidates in a table, best first. The 600 threshold sits below the quiet
// data's 620 (headroom under 1): after the 02:00 incident minute :05 reads 620, so its 3-of-3
// alarm stays in ALARM one minute past the incident and its grace minute.
func ExampleTable() {
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
	scores, err := alarm.BacktestAll(alarm.Grid(base, []float64{600, 1200}, [][2]int{{1, 1}, {3, 3}}), s, incidents, from, to, alarm.BacktestOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Print(alarmcw.Table(scores, 3))
	// Output:
	// candidate                              caught  detect false/week ALARM outside flaps headroom
	// p99 > 1200 (1 of 1 × 1m0s)                5/5    1m0s        0.0            0s     0    ×1.94
	// p99 > 1200 (3 of 3 × 1m0s)                5/5    3m0s        0.0            0s     0    ×1.94
	// p99 > 600 (3 of 3 × 1m0s)                 5/5    3m0s        0.0          1m0s     0    ×0.97
	// … and 1 more
}
