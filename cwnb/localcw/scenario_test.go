package localcw_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/google/go-cmp/cmp"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
	"github.com/cwnb/cwnb/cwnb/localcw/scenario"
)

// TestScenarioServedAsPublished publishes a scenario's datums to a second server with
// PutMetricData and checks that both servers give the same GetMetricData answers.
func TestScenarioServedAsPublished(t *testing.T) {
	sc, err := scenario.New("api", 7)
	if err != nil {
		t.Fatal(err)
	}
	_, genURL := localcwtest.Start(t, localcw.Options{Now: now, Scenarios: []scenario.Scenario{sc}})
	_, pubURL := localcwtest.Start(t, localcw.Options{Now: now})
	gen, pub := localcwtest.Client(t, genURL), localcwtest.Client(t, pubURL)

	metrics := sc.Metrics()
	if len(metrics) < 3 {
		t.Fatalf("scenario api has %d metrics", len(metrics))
	}
	start, end := now.Add(-150*time.Minute), now
	for m, mt := range metrics {
		var ds []types.MetricDatum
		var dims []types.Dimension
		for _, d := range mt.Dims {
			dims = append(dims, dim(d.Name, d.Value))
		}
		sc.Generate(m, start, end, func(ts time.Time, values, counts []float64) {
			d := types.MetricDatum{MetricName: aws.String(mt.Name), Dimensions: dims, Timestamp: aws.Time(ts),
				Values: slices.Clone(values), Counts: slices.Clone(counts), Unit: types.StandardUnit(mt.Unit)}
			if mt.Interval < time.Minute {
				d.StorageResolution = aws.Int32(1)
			}
			ds = append(ds, d)
		})
		if len(ds) == 0 {
			t.Fatalf("%s generated no datum in %v..%v", mt, start, end)
		}
		put(t, pub, mt.Namespace, ds)
	}

	// Every metric, several statistics, two periods; the window starts off the minute to
	// exercise StartTime rounding too.
	stats := []string{"Average", "Sum", "SampleCount", "Maximum", "p99", "p50", "TM(10%:90%)", "IQM", "PR(:300)"}
	for _, period := range []int32{60, 300} {
		in := &cloudwatch.GetMetricDataInput{StartTime: aws.Time(start.Add(17 * time.Second)), EndTime: aws.Time(end)}
		for m, mt := range metrics {
			var dims []types.Dimension
			for _, d := range mt.Dims {
				dims = append(dims, dim(d.Name, d.Value))
			}
			for s, st := range stats {
				in.MetricDataQueries = append(in.MetricDataQueries, types.MetricDataQuery{
					Id: aws.String(fmt.Sprintf("m%d_%d", m, s)), MetricStat: metricStat(mt.Namespace, mt.Name, period, st, dims...)})
			}
		}
		want, _ := getAll(t, pub, in)
		got, _ := getAll(t, gen, in)
		if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) }),
			cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".noSmithyDocumentSerde" }, cmp.Ignore())); diff != "" {
			t.Errorf("period %d: scenario answers differ from published ones (-published +scenario):\n%s", period, diff)
		}
		n := 0
		for _, r := range got {
			n += len(r.Values)
		}
		if n == 0 {
			t.Fatalf("period %d: no datapoint at all", period)
		}
	}
}

func TestListMetrics(t *testing.T) {
	sc, err := scenario.New("api", 1)
	if err != nil {
		t.Fatal(err)
	}
	srv, url := localcwtest.Start(t, localcw.Options{Now: now, Scenarios: []scenario.Scenario{sc}, Faults: localcw.Faults{PageSize: 7}})
	c := localcwtest.Client(t, url)
	var ds []types.MetricDatum
	for i := range 20 {
		ds = append(ds, types.MetricDatum{MetricName: aws.String("Load"), Value: aws.Float64(1), Timestamp: aws.Time(now.Add(-time.Hour)),
			Dimensions: []types.Dimension{dim("Host", fmt.Sprintf("h%02d", i)), dim("Az", []string{"a", "b"}[i%2])}})
	}
	ds = append(ds, types.MetricDatum{MetricName: aws.String("Other"), Value: aws.Float64(1), Timestamp: aws.Time(now.Add(-4 * time.Hour))})
	put(t, c, "Test/List", ds)

	list := func(in *cloudwatch.ListMetricsInput) []string {
		var out []string
		p := cloudwatch.NewListMetricsPaginator(c, in)
		for p.HasMorePages() {
			page, err := p.NextPage(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Metrics) > 7 {
				t.Fatalf("page of %d metrics with pagesize=7", len(page.Metrics))
			}
			for _, m := range page.Metrics {
				s := aws.ToString(m.Namespace) + " " + aws.ToString(m.MetricName)
				for _, d := range m.Dimensions {
					s += " " + aws.ToString(d.Name) + "=" + aws.ToString(d.Value)
				}
				out = append(out, s)
			}
		}
		return out
	}
	all := list(&cloudwatch.ListMetricsInput{Namespace: aws.String("Test/List")})
	if len(all) != 21 {
		t.Errorf("%d metrics in Test/List, want 21: %v", len(all), all)
	}
	if got := list(&cloudwatch.ListMetricsInput{Namespace: aws.String("Test/List"), Dimensions: []types.DimensionFilter{{Name: aws.String("Az"), Value: aws.String("b")}}}); len(got) != 10 {
		t.Errorf("Az=b: %d metrics, want 10", len(got))
	}
	if got := list(&cloudwatch.ListMetricsInput{MetricName: aws.String("Load"), Dimensions: []types.DimensionFilter{{Name: aws.String("Host")}}}); len(got) != 20 {
		t.Errorf("any Host: %d metrics, want 20", len(got))
	}
	if got := list(&cloudwatch.ListMetricsInput{Namespace: aws.String("Test/List"), RecentlyActive: types.RecentlyActivePt3h}); len(got) != 20 {
		t.Errorf("RecentlyActive: %d metrics, want the 20 published an hour ago", len(got))
	}
	var scenarioNS []string
	for _, m := range sc.Metrics() {
		scenarioNS = append(scenarioNS, m.Namespace)
	}
	if got := list(&cloudwatch.ListMetricsInput{Namespace: aws.String(scenarioNS[0])}); len(got) == 0 {
		t.Errorf("scenario metrics of %s are not listed", scenarioNS[0])
	}
	if srv.Calls("ListMetrics") < 4 {
		t.Errorf("Calls(ListMetrics) = %d", srv.Calls("ListMetrics"))
	}
}
