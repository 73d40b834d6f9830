package insights

import "testing"

// BenchmarkLookupJSON reads one member of an api request line (an EMF document).
func BenchmarkLookupJSON(b *testing.B) {
	msg := `{"Service":"checkout","Endpoint":"/cart","requestId":"3f2a9c1e-0b4d-4e8f-9a7b-6c5d4e3f2a1b","status":200,"Latency":123.456,` +
		`"RequestCount":1,"5XXError":0,"customer":"c-07","shard":"s3",` +
		`"_aws":{"Timestamp":1795082400123,"CloudWatchMetrics":[{"Namespace":"MyService/API","Dimensions":[["Endpoint","Service"],["Service"]],` +
		`"Metrics":[{"Name":"Latency","Unit":"Milliseconds"},{"Name":"RequestCount","Unit":"Count"},{"Name":"5XXError","Unit":"Count"}]}]}}`
	b.ReportAllocs()
	for b.Loop() {
		if v, ok := lookupJSON(msg, "Latency"); !ok || v.F != 123.456 {
			b.Fatal(v, ok)
		}
	}
}
