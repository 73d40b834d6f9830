package scenario_test

import (
	"fmt"
	"time"

	"github.com/cwnb/cwnb/cwnb/localcw/scenario"
)

func ExampleNames() {
	fmt.Println(scenario.Names())
	// Output: [api bench ec2 lambda]
}

func ExampleNew() {
	s, err := scenario.New("api", 1)
	if err != nil {
		panic(err)
	}
	for _, m := range s.Metrics() {
		fmt.Println(m, m.Unit, m.Interval)
	}
	_, err = scenario.New("apj", 1)
	fmt.Println(err)
	// Output:
	// MyService/API Latency {Endpoint=/cart,Service=checkout} Milliseconds 1m0s
	// MyService/API Latency {Endpoint=/items,Service=checkout} Milliseconds 1m0s
	// MyService/API Latency {Endpoint=/pay,Service=checkout} Milliseconds 1m0s
	// MyService/API Latency {Service=checkout} Milliseconds 1m0s
	// MyService/API RequestCount {Endpoint=/cart,Service=checkout} Count 1m0s
	// MyService/API RequestCount {Endpoint=/items,Service=checkout} Count 1m0s
	// MyService/API RequestCount {Endpoint=/pay,Service=checkout} Count 1m0s
	// MyService/API RequestCount {Service=checkout} Count 1m0s
	// MyService/API 5XXError {Endpoint=/cart,Service=checkout} Count 1m0s
	// MyService/API 5XXError {Endpoint=/items,Service=checkout} Count 1m0s
	// MyService/API 5XXError {Endpoint=/pay,Service=checkout} Count 1m0s
	// MyService/API 5XXError {Service=checkout} Count 1m0s
	// unknown scenario "apj"; use one of api, bench, ec2, lambda
}

// Generate yields one histogram datum a minute: distinct latencies and how many requests
// had each. At 10:00 the hourly backup makes a few requests take over 3 s.
func ExampleScenario_Generate() {
	s, _ := scenario.New("api", 1)
	start := time.Date(2026, 11, 19, 9, 58, 0, 0, time.UTC)
	s.Generate(3, start, start.Add(4*time.Minute), func(t time.Time, values, counts []float64) {
		n, sum, slow := 0.0, 0.0, 0.0
		for i, v := range values {
			n += counts[i]
			sum += v * counts[i]
			if v > 3000 {
				slow += counts[i]
			}
		}
		fmt.Printf("%s %2d values, %4.0f requests, average %3.0f ms, %2.0f over 3 s\n",
			t.Format("15:04"), len(values), n, sum/n, slow)
	})
	// Output:
	// 09:58 32 values, 1925 requests, average 192 ms,  0 over 3 s
	// 09:59 32 values, 1888 requests, average 195 ms,  0 over 3 s
	// 10:00 57 values, 1929 requests, average 249 ms, 26 over 3 s
	// 10:01 59 values, 1915 requests, average 246 ms, 26 over 3 s
}
