package localcw_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/fxamacker/cbor/v2"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
	"github.com/cwnb/cwnb/cwnb/localcw/scenario"
)

// BenchmarkGetMetricData asks, through the real SDK client over loopback, for one day at
// 1 minute of a statistic for 500 series of the bench scenario in one call (720,000
// datapoints, followed over its pages with the SDK paginator). Target: under 1 s for p99.
func BenchmarkGetMetricData(b *testing.B) {
	sc, err := scenario.New("bench", 1)
	if err != nil {
		b.Fatal(err)
	}
	metrics := sc.Metrics()
	if len(metrics) < 500 {
		b.Fatalf("bench scenario has %d series, want at least 500", len(metrics))
	}
	for _, stat := range []string{"p99", "Average"} {
		b.Run(fmt.Sprintf("500series_1day_1min_%s", stat), func(b *testing.B) {
			_, url := localcwtest.Start(b, localcw.Options{Now: now, Scenarios: []scenario.Scenario{sc}})
			c := localcwtest.Client(b, url)
			in := &cloudwatch.GetMetricDataInput{StartTime: aws.Time(now.Add(-24 * time.Hour)), EndTime: aws.Time(now), MaxDatapoints: aws.Int32(1_000_000)}
			for i, m := range metrics[:500] {
				var dims []types.Dimension
				for _, d := range m.Dims {
					dims = append(dims, dim(d.Name, d.Value))
				}
				in.MetricDataQueries = append(in.MetricDataQueries, types.MetricDataQuery{
					Id: aws.String(fmt.Sprintf("m%d", i)), MetricStat: metricStat(m.Namespace, m.Name, 60, stat, dims...)})
			}
			b.ReportAllocs()
			b.ResetTimer()
			defer reportCPU(b)()
			for i := range b.N {
				// A different EndTime each iteration defeats the server's page cache.
				in.EndTime = aws.Time(now.Add(-time.Duration(i%50) * time.Millisecond))
				all, _ := getAll(b, c, in)
				n := 0
				for _, r := range all {
					n += len(r.Values)
				}
				if n < 500*1400 {
					b.Fatalf("%d datapoints, want about 720,000", n)
				}
			}
		})
	}
}

// BenchmarkPutMetricData publishes calls of 1,000 datums of 20 Values+Counts each through the
// real SDK client (gzip bodies).
func BenchmarkPutMetricData(b *testing.B) {
	_, url := localcwtest.Start(b, localcw.Options{})
	c := localcwtest.Client(b, url)
	vals, counts := make([]float64, 20), make([]float64, 20)
	for i := range vals {
		vals[i], counts[i] = float64(100+i*10), float64(1+i%3)
	}
	datums := make([]types.MetricDatum, 1000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		ts := time.Now().Add(-time.Duration(i%600) * time.Second)
		for j := range datums {
			datums[j] = types.MetricDatum{MetricName: aws.String("Latency"), Timestamp: aws.Time(ts),
				Dimensions: []types.Dimension{dim("Host", fmt.Sprintf("h%d", j%50))}, Values: vals, Counts: counts}
		}
		if _, err := c.PutMetricData(context.Background(), &cloudwatch.PutMetricDataInput{Namespace: aws.String("Bench"), MetricData: datums}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(datums))/b.Elapsed().Seconds(), "datums/s")
}

// BenchmarkServeGetMetricData is BenchmarkGetMetricData without the SDK client: the server's own
// cost (decode, generate, aggregate, encode) for 500 series × 1 day at 1 minute.
func BenchmarkServeGetMetricData(b *testing.B) {
	sc, err := scenario.New("bench", 1)
	if err != nil {
		b.Fatal(err)
	}
	for _, stat := range []string{"p99", "Average"} {
		b.Run(fmt.Sprintf("500series_1day_1min_%s", stat), func(b *testing.B) {
			srv := localcw.New(localcw.Options{Now: now, Scenarios: []scenario.Scenario{sc}})
			var queries []any
			for i, m := range sc.Metrics()[:500] {
				var dims []any
				for _, d := range m.Dims {
					dims = append(dims, map[string]any{"Name": d.Name, "Value": d.Value})
				}
				queries = append(queries, map[string]any{"Id": fmt.Sprintf("m%d", i), "MetricStat": map[string]any{
					"Metric": map[string]any{"Namespace": m.Namespace, "MetricName": m.Name, "Dimensions": dims}, "Period": 60, "Stat": stat}})
			}
			b.ReportAllocs()
			b.ResetTimer()
			defer reportCPU(b)()
			for i := range b.N {
				body := cborBody(b, map[string]any{
					"StartTime":         cbor.Tag{Number: 1, Content: now.Add(-24 * time.Hour).Unix()},
					"EndTime":           cbor.Tag{Number: 1, Content: float64(now.UnixMilli()-int64(i%50)) / 1e3},
					"MetricDataQueries": queries, "MaxDatapoints": 1_000_000,
				})
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, opPath+"GetMetricData", bytes.NewReader(body)))
				if rec.Code != 200 || rec.Body.Len() < 500*1400*15 {
					b.Fatalf("status %d, %d bytes", rec.Code, rec.Body.Len())
				}
			}
		})
	}
}

func cborBody(tb testing.TB, v any) []byte {
	b, err := cbor.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// BenchmarkServePutMetricData is the server's side of PutMetricData alone: decode, validate and
// store 1,000 datums of 20 Values+Counts per call, each call a second later than the previous
// one, over 50 metrics.
func BenchmarkServePutMetricData(b *testing.B) {
	srv := localcw.New(localcw.Options{Now: now})
	vals, counts := make([]any, 20), make([]any, 20)
	for i := range vals {
		vals[i], counts[i] = float64(100+i*10), float64(1+i%3)
	}
	bodies := make([][]byte, 64)
	for k := range bodies {
		var datums []any
		for j := range 1000 {
			ts := now.Add(-13 * 24 * time.Hour).Add(time.Duration(k)*time.Second + time.Duration(j)*time.Microsecond)
			datums = append(datums, map[string]any{"MetricName": "Latency", "Values": vals, "Counts": counts,
				"Timestamp":  cbor.Tag{Number: 1, Content: float64(ts.UnixMilli()) / 1e3},
				"Dimensions": []any{map[string]any{"Name": "Host", "Value": fmt.Sprintf("h%d", j%50)}}})
		}
		bodies[k] = cborBody(b, map[string]any{"Namespace": "Bench", "MetricData": datums})
	}
	b.SetBytes(int64(len(bodies[0])))
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, opPath+"PutMetricData", bytes.NewReader(bodies[i%len(bodies)])))
		if rec.Code != 200 {
			b.Fatalf("status %d: %s", rec.Code, rec.Body.Bytes())
		}
	}
	b.ReportMetric(float64(b.N*1000)/b.Elapsed().Seconds(), "datums/s")
}

// reportCPU reports the process CPU time (user + system, all goroutines: server and client) per
// operation, which, unlike ns/op, does not grow when other processes share the machine. Call
// it after ResetTimer and defer the function it returns.
func reportCPU(b *testing.B) func() {
	before := cpuTime()
	return func() {
		b.ReportMetric(float64((cpuTime()-before).Milliseconds())/float64(b.N), "cpu-ms/op")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
