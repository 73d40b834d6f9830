package insights_test

import (
	"fmt"
	"slices"

	"github.com/cwnb/cwnb/cwnb/insights"
)

func ExampleParse() {
	_, err := insights.Parse("fields @message\n| stats median(latency) by bin(5m)")
	fmt.Println(err)
	// Output:
	// function "median" is not supported by the local Logs Insights (for a median, write pct(field, 50)) at line 2, column 9
}

func ExampleQuery_Run() {
	var events []*insights.Event
	for i, msg := range []string{`{"path":"/a","ms":120}`, `{"path":"/b","ms":80}`, `{"path":"/a","ms":300}`} {
		events = append(events, &insights.Event{Timestamp: 1795082400000 + int64(i)*40000, Message: msg, Fields: insights.Discover(msg, false)})
	}
	q, err := insights.Parse("stats count(*) as n, max(ms) by path, bin(1m)")
	if err != nil {
		panic(err)
	}
	res, err := q.Run(slices.Values(events), 0)
	if err != nil {
		panic(err)
	}
	for _, row := range res.Rows {
		fmt.Println(row)
	}
	// Output:
	// [{path /a} {bin(1m) 2026-11-19 10:00:00.000} {n 1} {max(ms) 120}]
	// [{path /a} {bin(1m) 2026-11-19 10:01:00.000} {n 1} {max(ms) 300}]
	// [{path /b} {bin(1m) 2026-11-19 10:00:00.000} {n 1} {max(ms) 80}]
}

func ExampleNearestRank() {
	// p99 of 1..200 by nearest rank: the value at rank ceil(0.99 × 200) = 198
	xs := make([]float64, 200)
	for i := range xs {
		xs[i] = float64(200 - i)
	}
	fmt.Println(insights.NearestRank(xs, 99), insights.NearestRank(xs, 50), insights.NearestRank(xs, 0))
	// Output:
	// 198 100 1
}
