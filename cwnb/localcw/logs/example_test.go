package logs_test

import (
	"fmt"

	"github.com/cwnb/cwnb/cwnb/localcw/logs"
)

func ExampleExtractEMF() {
	ds, err := logs.ExtractEMF(`{"_aws":{"Timestamp":1795082400000,"CloudWatchMetrics":[{"Namespace":"Shop",
		"Dimensions":[["Service"]],"Metrics":[{"Name":"Latency","Unit":"Milliseconds"}]}]},
		"Service":"cart","Latency":[12,15]}`)
	if err != nil {
		panic(err)
	}
	for _, d := range ds {
		fmt.Println(d.Namespace, d.Name, d.Dims, d.Unit, d.Time, d.Values)
	}
	// Output:
	// Shop Latency map[Service:cart] Milliseconds 2026-11-19 10:00:00 +0000 UTC [12 15]
}
