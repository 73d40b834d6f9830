package localcw_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
)

var allStats = []string{"Average", "Sum", "Minimum", "Maximum", "SampleCount", "p50", "p90", "p99",
	"p99.9", "TM(10%:90%)", "IQM", "tm99", "TC(10%:90%)", "TS(10%:90%)", "WM(10%:90%)",
	"TM(150:1000)", "TC(150:1000)", "TS(150:1000)", "PR(150:1000)"}

// published is a test data set: the datums sent and, per datum, its samples and minute.
type published struct {
	datums  []types.MetricDatum
	samples map[int64][]sample // by Unix second of the minute the datum is stored at
}

// latencyData publishes three hours of latency-like samples starting at base, as Value,
// Values+Counts and StatisticValues (Minimum = Maximum, which CloudWatch turns into raw values),
// with gaps: no data in minutes 20-29 and 95.
func latencyData(base time.Time, ds ...types.Dimension) published {
	rng := rand.New(rand.NewPCG(1, 2))
	p := published{samples: map[int64][]sample{}}
	for m := range 180 {
		if (m >= 20 && m < 30) || m == 95 {
			continue
		}
		minute := base.Add(time.Duration(m) * time.Minute)
		key := minute.Unix()
		lat := func() float64 {
			v := 150 + rng.Float64()*100
			if rng.IntN(50) == 0 {
				v = 2000 + rng.Float64()*2000
			}
			return float64(int(v*10)) / 10
		}
		// A single Value.
		v := lat()
		p.datums = append(p.datums, types.MetricDatum{MetricName: aws.String("Latency"), Dimensions: ds,
			Timestamp: aws.Time(minute.Add(3 * time.Second)), Value: aws.Float64(v), Unit: types.StandardUnitMilliseconds})
		p.samples[key] = append(p.samples[key], sample{v, 1})
		// Values with Counts.
		var vals, counts []float64
		for range 1 + rng.IntN(40) {
			x, c := lat(), float64(1+rng.IntN(5))
			vals, counts = append(vals, x), append(counts, c)
			p.samples[key] = append(p.samples[key], sample{x, c})
		}
		p.datums = append(p.datums, types.MetricDatum{MetricName: aws.String("Latency"), Dimensions: ds,
			Timestamp: aws.Time(minute.Add(31*time.Second + 250*time.Millisecond)), Values: vals, Counts: counts, Unit: types.StandardUnitMilliseconds})
		// A statistic set of identical values.
		if m%3 == 0 {
			x := lat()
			p.datums = append(p.datums, types.MetricDatum{MetricName: aws.String("Latency"), Dimensions: ds,
				Timestamp: aws.Time(minute.Add(59 * time.Second)), Unit: types.StandardUnitMilliseconds,
				StatisticValues: &types.StatisticSet{SampleCount: aws.Float64(4), Sum: aws.Float64(4 * x), Minimum: aws.Float64(x), Maximum: aws.Float64(x)}})
			p.samples[key] = append(p.samples[key], sample{x, 4})
		}
	}
	return p
}

// expected computes stat over the published samples on the grid [start, end) by period.
func (p published) expected(stat string, start, end time.Time, period time.Duration) ([]time.Time, []float64) {
	buckets := map[int64][]sample{}
	for sec, ss := range p.samples {
		t := time.Unix(sec, 0)
		if t.Before(start) || !t.Before(end) {
			continue
		}
		b := start.Add(t.Sub(start) / period * period).Unix()
		buckets[b] = append(buckets[b], ss...)
	}
	var ts []time.Time
	var vs []float64
	for t := start; t.Before(end); t = t.Add(period) {
		ss, ok := buckets[t.Unix()]
		if !ok {
			continue
		}
		if v, ok := refStat(stat, ss); ok {
			ts = append(ts, t.UTC())
			vs = append(vs, v)
		}
	}
	return ts, vs
}

func TestRoundTripEveryStatistic(t *testing.T) {
	base := now.Add(-5 * time.Hour).Truncate(time.Hour)
	data := latencyData(base, dim("Service", "checkout"))
	srv, url := localcwtest.Start(t, localcw.Options{Now: now})
	clients := map[string]*cloudwatch.Client{
		"cloudwatch.New":           localcwtest.Client(t, url),
		"config.LoadDefaultConfig": configClient(t, url),
	}
	put(t, clients["cloudwatch.New"], "Test/RoundTrip", data.datums)

	for cname, c := range clients {
		for _, period := range []time.Duration{time.Minute, 5 * time.Minute} {
			t.Run(fmt.Sprintf("%s/%v", cname, period), func(t *testing.T) {
				start, end := base, base.Add(3*time.Hour)
				in := &cloudwatch.GetMetricDataInput{StartTime: aws.Time(start), EndTime: aws.Time(end), ScanBy: types.ScanByTimestampAscending}
				for i, st := range allStats {
					in.MetricDataQueries = append(in.MetricDataQueries, types.MetricDataQuery{
						Id:         aws.String(fmt.Sprintf("q%d", i)),
						MetricStat: metricStat("Test/RoundTrip", "Latency", int32(period/time.Second), st, dim("Service", "checkout")),
					})
				}
				out, err := c.GetMetricData(context.Background(), in)
				if err != nil {
					t.Fatal(err)
				}
				if len(out.MetricDataResults) != len(allStats) {
					t.Fatalf("got %d results, want %d", len(out.MetricDataResults), len(allStats))
				}
				for i, st := range allStats {
					r := out.MetricDataResults[i]
					if got, want := aws.ToString(r.Id), fmt.Sprintf("q%d", i); got != want {
						t.Fatalf("result %d has Id %s, want %s", i, got, want)
					}
					if r.StatusCode != types.StatusCodeComplete {
						t.Errorf("%s: StatusCode %s, want Complete", st, r.StatusCode)
					}
					wantT, wantV := data.expected(st, start, end, period)
					if len(wantT) == 0 {
						t.Fatalf("%s: the reference has no datapoint; the test data is wrong", st)
					}
					if diff := cmp.Diff(wantT, r.Timestamps); diff != "" {
						t.Errorf("%s timestamps (-want +got):\n%s", st, diff)
					}
					if diff := cmp.Diff(wantV, r.Values, cmpopts.EquateApprox(1e-12, 1e-9)); diff != "" {
						t.Errorf("%s values (-want +got):\n%s", st, diff)
					}
				}
			})
		}
	}
	// 4 calls; the SDK may retry one after a transport error on a loaded machine.
	if got := srv.Calls("GetMetricData"); got < 4 || got > 6 {
		t.Errorf("Calls(GetMetricData) = %d, want 4", got)
	}
}
