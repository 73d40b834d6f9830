package scenario

import (
	"fmt"
	"time"
)

// benchSeries is how many series the bench scenario publishes.
const benchSeries = 500

// newBench builds the bench scenario: benchSeries latency series shaped like the api
// scenario's (same hourly backup story), each with its own median, request rate and noise.
func newBench(seed int64) Scenario {
	const scope = "bench"
	set := &set{name: "bench"}
	eps := make([]endpoint, benchSeries)
	for i := range eps {
		name := fmt.Sprintf("s%03d", i)
		// Spread medians over 140..260 ms and rates over 450..950 requests a minute.
		f := float64(i) / benchSeries
		eps[i] = newEndpoint(seed, scope, name, 450+500*f, 140+120*unit(keyOf(seed, scope, name), 0), 0.45)
	}
	svc := newService(seed, scope)
	for i := range eps {
		m := Metric{Namespace: "Bench", Name: "Latency", Dims: []Dim{{"Series", eps[i].name}},
			Unit: "Milliseconds", Interval: time.Minute}
		set.series = append(set.series, series{m,
			func(sec int64, d *datum) bool { return svc.latency(eps[i:i+1], sec, d) }})
	}
	return set
}
