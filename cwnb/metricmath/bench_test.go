package metricmath

import (
	"fmt"
	"math"
	"testing"
)

// benchEnv has n metric queries m0..m{n-1} of points values each (every 7th missing).
func benchEnv(n, points int) *Env {
	ids := make([]string, n)
	data := make(map[string][]Series, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("m%d", i)
		v := make([]float64, points)
		for j := range v {
			v[j] = float64(i*points + j)
			if (i+j)%7 == 0 {
				v[j] = math.NaN()
			}
		}
		data[ids[i]] = []Series{{Label: ids[i], Values: v}}
	}
	return testEnv(points, ids, data)
}

// BenchmarkEval: 500 series x 1 day at 1 minute, the size of a full GetMetricData request.
func BenchmarkEval(b *testing.B) {
	env := benchEnv(500, 1440)
	for _, expr := range []string{"m0/m1*100", "SUM(METRICS())", "AVG(METRICS())", "METRICS()*2", "FILL(METRICS(), LINEAR)", "RATE(METRICS())", "SORT(METRICS(), MAX, DESC, 10)"} {
		e, err := Parse(expr)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(expr, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.Eval(env); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	src := `100 * SUM(METRICS("errors")) / SUM(METRICS("requests")) + FILL(SEARCH('{AWS/EC2,InstanceId} MetricName="CPUUtilization" NOT i-0bad', 'p99', 300), REPEAT)`
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatch: one query against 10,000 metrics, the way a server scans its store.
func BenchmarkMatch(b *testing.B) {
	type m struct {
		ns, name string
		dims     map[string]string
	}
	ms := make([]m, 10000)
	for i := range ms {
		ms[i] = m{"AWS/EC2", []string{"CPUUtilization", "NetworkIn", "NetworkPacketsOut", "DiskReadOps"}[i%4],
			map[string]string{"InstanceId": fmt.Sprintf("i-%017x", i)}}
	}
	for _, query := range []string{`{AWS/EC2,InstanceId} MetricName="CPUUtilization"`, `{AWS/EC2,InstanceId} network packets NOT i-0000000000000001`, `CPUUtilization OR DiskReadOps`} {
		q, err := ParseSearch(query)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(query, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, x := range ms {
					q.Match(x.ns, x.name, x.dims)
				}
			}
		})
	}
}
