package insights_test

import (
	"fmt"
	"iter"
	"slices"
	"time"

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

func ExampleDiscover() {
	for _, f := range insights.Discover(`{"path":"/a","ms":120,"user":{"id":"u-7"},"tags":["x"]}`, false) {
		fmt.Println(f.Name, f.Value.Text())
	}
	// Output:
	// path /a
	// ms 120
	// user.id u-7
	// tags.0 x
}

func ExampleIndexColumns() {
	msgs := []string{`{"ms":120,"path":"/a"}`, `{"ms":"n/a"}`, `{"ms":80}`}
	evs := make([]insights.Event, len(msgs))
	for i, m := range msgs {
		evs[i] = insights.Event{Timestamp: 1795082400000 + int64(i), Message: m, Fields: insights.Discover(m, false)}
	}
	insights.IndexColumns(evs) // ms and path now read from columns: numbers, and coded strings
	for i := range evs {
		fmt.Printf("%s %q\n", evs[i].Get("ms").Text(), evs[i].Get("path").Text())
	}
	// Output:
	// 120 "/a"
	// n/a ""
	// 80 ""
}

func ExampleQuery_Shape() {
	q, err := insights.Parse("filter status >= 500 | stats count(*) as errors, pct(ms, 99) by path, bin(5m)")
	if err != nil {
		panic(err)
	}
	sh := q.Shape()
	fmt.Println(sh.By, sh.Bin, sh.BinPeriod, sh.Aggregates, sh.CountLike, sh.Splittable)
	// Output:
	// [path bin(5m)] bin(5m) 5m0s [errors pct(ms, 99)] [true false] true
}

func ExampleQuery_BinFloor() {
	q, err := insights.Parse("stats count(*) by bin(1w)")
	if err != nil {
		panic(err)
	}
	thursday := time.Date(2026, 11, 19, 10, 30, 0, 0, time.UTC)
	start, ok := q.BinFloor(thursday.UnixMilli())
	fmt.Println(time.UnixMilli(start).UTC().Format("Mon 2006-01-02 15:04"), ok)
	raw, _ := insights.Parse("fields @message")
	_, rawOK := raw.BinFloor(thursday.UnixMilli())
	fmt.Println(ok, rawOK)
	// Output:
	// Mon 2026-11-16 00:00 true
	// true false
}

func ExampleQuery_RunParts() {
	// a day of events, one a minute, in two parts cut at the start of an hour: a stats by bin()
	// reads them concurrently, and answers as Run would
	t0 := time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC).UnixMilli()
	var events []*insights.Event
	for i := range 24 * 60 {
		msg := fmt.Sprintf(`{"ms":%d}`, i%97)
		events = append(events, &insights.Event{Timestamp: t0 + int64(i)*60000, Message: msg, Fields: insights.Discover(msg, false)})
	}
	q, err := insights.Parse("stats max(ms) as worst by bin(6h)")
	if err != nil {
		panic(err)
	}
	cut, _ := q.BinFloor(t0 + 13*3600000) // 12:00
	i := slices.IndexFunc(events, func(e *insights.Event) bool { return e.Timestamp >= cut })
	res, err := q.RunParts([]iter.Seq[*insights.Event]{slices.Values(events[:i]), slices.Values(events[i:])}, 0, insights.Snapshots{})
	if err != nil {
		panic(err)
	}
	for _, row := range res.Rows {
		fmt.Println(row)
	}
	// Output:
	// [{bin(6h) 2026-11-19 00:00:00.000} {worst 96}]
	// [{bin(6h) 2026-11-19 06:00:00.000} {worst 96}]
	// [{bin(6h) 2026-11-19 12:00:00.000} {worst 96}]
	// [{bin(6h) 2026-11-19 18:00:00.000} {worst 96}]
}

func ExampleQuery_RunPartial() {
	var events []*insights.Event
	for i := range 1000 {
		msg := fmt.Sprintf(`{"ms":%d}`, i)
		events = append(events, &insights.Event{Timestamp: 1795082400000 + int64(i), Message: msg, Fields: insights.Discover(msg, false)})
	}
	q, err := insights.Parse("filter ms >= 500 | stats count(*) as n")
	if err != nil {
		panic(err)
	}
	// a snapshot every 400 events read, as a running query's partial results
	res, err := q.RunPartial(slices.Values(events), 0, insights.Snapshots{Every: 400,
		Take: func(rows [][]insights.ResultField, matched, scanned, bytes float64) {
			fmt.Println("after", scanned, "events:", rows)
		}})
	if err != nil {
		panic(err)
	}
	fmt.Println("done:", res.Rows)
	// Output:
	// after 400 events: []
	// after 800 events: [[{n 300}]]
	// done: [[{n 500}]]
}
