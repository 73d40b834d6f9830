package scenario

import (
	"testing"
	"time"
)

// BenchmarkGenerate generates one day at 1-minute resolution for every series of a
// scenario: for bench, the 500 series × 1 day the local CloudWatch's GetMetricData
// benchmark asks for. ns/datum is the cost of one datum.
func BenchmarkGenerate(b *testing.B) {
	for _, name := range []string{"bench", "api", "ec2", "lambda"} {
		b.Run(name+"/1d", func(b *testing.B) {
			s, err := New(name, 1)
			if err != nil {
				b.Skip(err)
			}
			n := len(s.Metrics())
			end := DemoNow
			start := end.Add(-24 * time.Hour)
			b.ReportAllocs()
			datums, values := 0, 0
			emit := func(t time.Time, v, c []float64) {
				datums++
				values += len(v)
			}
			cpu0 := cpuTime()
			for b.Loop() {
				for m := range n {
					s.Generate(m, start, end, emit)
				}
			}
			cpu := cpuTime() - cpu0
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(datums), "ns/datum")
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(datums), "cpu-ns/datum")
			b.ReportMetric(cpu.Seconds()*1000/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(values)/float64(datums), "values/datum")
		})
	}
}
