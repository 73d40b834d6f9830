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
	"github.com/google/go-cmp/cmp/cmpopts"
)

// minutely publishes one value per minute for n minutes before now into metric name.
func minutely(n int, name string, value func(i int) float64) []types.MetricDatum {
	var ds []types.MetricDatum
	for i := range n {
		ds = append(ds, types.MetricDatum{MetricName: aws.String(name), Value: aws.Float64(value(i)),
			Timestamp: aws.Time(now.Add(-time.Duration(n-i) * time.Minute))})
	}
	return ds
}

func TestPaginationPastDefaultMaxDatapoints(t *testing.T) {
	srv, c := start(t)
	const perSeries = 20_000 // minutes, under two weeks
	var ds []types.MetricDatum
	for s := range 6 {
		ds = append(ds, minutely(perSeries, fmt.Sprintf("M%d", s), func(i int) float64 { return float64(s*perSeries + i) })...)
	}
	put(t, c, "Test/Paging", ds)

	in := &cloudwatch.GetMetricDataInput{StartTime: aws.Time(now.Add(-perSeries * time.Minute)), EndTime: aws.Time(now), ScanBy: types.ScanByTimestampAscending}
	for s := range 6 {
		in.MetricDataQueries = append(in.MetricDataQueries, types.MetricDataQuery{Id: aws.String(fmt.Sprintf("m%d", s)), MetricStat: metricStat("Test/Paging", fmt.Sprintf("M%d", s), 60, "Sum")})
	}
	first, err := c.GetMetricData(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range first.MetricDataResults {
		n += len(r.Values)
	}
	if n != 100_800 {
		t.Errorf("first page holds %d datapoints, want the default MaxDatapoints 100,800", n)
	}
	if first.NextToken == nil {
		t.Fatal("first page has no NextToken")
	}
	if last := first.MetricDataResults[len(first.MetricDataResults)-1]; last.StatusCode != types.StatusCodePartialData {
		t.Errorf("the cut result has StatusCode %s, want PartialData", last.StatusCode)
	}

	before := srv.Calls("GetMetricData")
	all, pages := getAll(t, c, in)
	if pages != 2 || srv.Calls("GetMetricData")-before != 2 {
		t.Errorf("paginator made %d pages (%d calls), want 2", pages, srv.Calls("GetMetricData")-before)
	}
	for s := range 6 {
		r := all[fmt.Sprintf("m%d/M%d", s, s)]
		if len(r.Values) != perSeries {
			t.Fatalf("m%d: %d values after paging, want %d", s, len(r.Values), perSeries)
		}
		for i, v := range r.Values {
			if want := float64(s*perSeries + i); v != want {
				t.Fatalf("m%d value %d = %v, want %v", s, i, v, want)
			}
			if want := now.Add(-time.Duration(perSeries-i) * time.Minute); !r.Timestamps[i].Equal(want) {
				t.Fatalf("m%d timestamp %d = %v, want %v", s, i, r.Timestamps[i], want)
			}
		}
		if r.StatusCode != types.StatusCodeComplete {
			t.Errorf("m%d: last StatusCode %s, want Complete", s, r.StatusCode)
		}
	}
}

func TestScanByAndSmallPages(t *testing.T) {
	_, c := start(t)
	put(t, c, "Test/Scan", minutely(30, "A", func(i int) float64 { return float64(i) }))
	put(t, c, "Test/Scan", minutely(20, "B", func(i int) float64 { return float64(100 + i) }))
	queries := []types.MetricDataQuery{
		{Id: aws.String("a"), MetricStat: metricStat("Test/Scan", "A", 60, "Maximum")},
		{Id: aws.String("b"), MetricStat: metricStat("Test/Scan", "B", 60, "Maximum")},
		{Id: aws.String("empty"), MetricStat: metricStat("Test/Scan", "Nothing", 60, "Maximum")},
	}
	for _, scan := range []types.ScanBy{"", types.ScanByTimestampDescending, types.ScanByTimestampAscending} {
		name := string(scan)
		if name == "" {
			name = "default"
		}
		t.Run(name, func(t *testing.T) {
			in := &cloudwatch.GetMetricDataInput{StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now), ScanBy: scan, MetricDataQueries: queries}
			whole, err := c.GetMetricData(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			if whole.NextToken != nil {
				t.Fatalf("50 datapoints came with a NextToken")
			}
			a := whole.MetricDataResults[0]
			ascending := scan == types.ScanByTimestampAscending
			if got := slices.IsSortedFunc(a.Timestamps, func(x, y time.Time) int { return x.Compare(y) }); got != ascending {
				t.Errorf("timestamps ascending = %v, want %v (ScanBy %q; the default is TimestampDescending)", got, ascending, scan)
			}
			if e := whole.MetricDataResults[2]; aws.ToString(e.Id) != "empty" || len(e.Values) != 0 || e.StatusCode != types.StatusCodeComplete {
				t.Errorf("a query with no data: %+v, want an empty Complete result", e)
			}
			// The same answer in pages of 7 datapoints through the SDK paginator.
			paged := *in
			paged.MaxDatapoints = aws.Int32(7)
			all, pages := getAll(t, c, &paged)
			if pages != 8 { // 50 datapoints / 7
				t.Errorf("%d pages, want 8", pages)
			}
			for _, w := range whole.MetricDataResults {
				got := all[aws.ToString(w.Id)+"/"+aws.ToString(w.Label)]
				if diff := cmp.Diff(w.Values, got.Values, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("%s values differ between one page and pages of 7 (-one +paged):\n%s", aws.ToString(w.Id), diff)
				}
				if diff := cmp.Diff(w.Timestamps, got.Timestamps, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("%s timestamps differ (-one +paged):\n%s", aws.ToString(w.Id), diff)
				}
			}
		})
	}
}

// A repeated request sees data published since the previous one; the pages of one request
// stay a consistent snapshot.
func TestRepeatedRequestSeesNewData(t *testing.T) {
	_, c := start(t)
	put(t, c, "Test/Fresh", minutely(10, "M", func(int) float64 { return 1 }))
	in := &cloudwatch.GetMetricDataInput{StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now), MaxDatapoints: aws.Int32(6),
		MetricDataQueries: []types.MetricDataQuery{{Id: aws.String("m"), MetricStat: metricStat("Test/Fresh", "M", 60, "Sum")}}}
	first, err := c.GetMetricData(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	// Publishing between pages does not change the pages that follow.
	put(t, c, "Test/Fresh", minutely(20, "M", func(int) float64 { return 1 }))
	next := *in
	next.NextToken = first.NextToken
	second, err := c.GetMetricData(context.Background(), &next)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(first.MetricDataResults[0].Values) + len(second.MetricDataResults[0].Values); n != 10 || second.NextToken != nil {
		t.Errorf("pages hold %d datapoints (NextToken %v), want the 10 of the snapshot", n, second.NextToken)
	}
	// The same request again sees the 20 minutes now published.
	all, _ := getAll(t, c, in)
	if n := len(all["m/M"].Values); n != 20 {
		t.Errorf("repeated request: %d datapoints, want 20", n)
	}
}

// The same metric and statistic asked twice share their computation; both come back right in
// either order.
func TestDuplicateQueriesBothScanOrders(t *testing.T) {
	_, c := start(t)
	put(t, c, "Test/Dup", minutely(5, "M", func(i int) float64 { return float64(i) }))
	for _, scan := range []types.ScanBy{types.ScanByTimestampDescending, types.ScanByTimestampAscending} {
		out, err := c.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now), ScanBy: scan,
			MetricDataQueries: []types.MetricDataQuery{
				{Id: aws.String("a"), MetricStat: metricStat("Test/Dup", "M", 60, "Sum")},
				{Id: aws.String("b"), MetricStat: metricStat("Test/Dup", "M", 60, "Sum")},
			}})
		if err != nil {
			t.Fatal(err)
		}
		want := []float64{4, 3, 2, 1, 0}
		if scan == types.ScanByTimestampAscending {
			want = []float64{0, 1, 2, 3, 4}
		}
		for _, r := range out.MetricDataResults {
			if diff := cmp.Diff(want, r.Values); diff != "" {
				t.Errorf("%s %s (-want +got):\n%s", scan, aws.ToString(r.Id), diff)
			}
		}
	}
}

// Metric math results are not paginated (FACTS.md): they come on the first page, truncated to
// what fits, while metric results continue through NextToken.
func TestExpressionsAreTruncatedNotPaginated(t *testing.T) {
	_, c := start(t)
	put(t, c, "Test/Trunc", minutely(30, "A", func(i int) float64 { return float64(i) }))
	put(t, c, "Test/Trunc", minutely(20, "B", func(i int) float64 { return float64(i) }))
	in := &cloudwatch.GetMetricDataInput{StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now), MaxDatapoints: aws.Int32(40),
		MetricDataQueries: []types.MetricDataQuery{
			{Id: aws.String("a"), MetricStat: metricStat("Test/Trunc", "A", 60, "Sum")},
			{Id: aws.String("e"), Expression: aws.String("a*2")},
			{Id: aws.String("b"), MetricStat: metricStat("Test/Trunc", "B", 60, "Sum")},
		}}
	first, err := c.GetMetricData(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range first.MetricDataResults {
		n += len(r.Values)
	}
	if n != 40 || first.NextToken == nil {
		t.Fatalf("first page: %d datapoints, NextToken %v; want 40 and a token", n, first.NextToken)
	}
	all, pages := getAll(t, c, in)
	if pages != 2 {
		t.Errorf("%d pages, want 2", pages)
	}
	type got struct {
		N      int
		Status types.StatusCode
	}
	res := map[string]got{}
	for k, r := range all {
		res[k] = got{len(r.Values), r.StatusCode}
	}
	want := map[string]got{"a/A": {30, types.StatusCodeComplete}, "e/e": {10, types.StatusCodePartialData}, "b/B": {20, types.StatusCodeComplete}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
