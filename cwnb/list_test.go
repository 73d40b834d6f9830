package cwnb

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/google/go-cmp/cmp"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
)

// TestList lists metrics into a frame with filters, answers a re-run from the cache, and fails
// offline on a listing it never saw.
func TestList(t *testing.T) {
	srv, url := localcwtest.Start(t, localcw.Options{Now: testNow})
	c := localcwtest.Client(t, url)
	var data []types.MetricDatum
	for _, d := range [][2]string{{"Service", "checkout"}, {"Service", "cart"}, {"Host", "web-1"}} {
		data = append(data, types.MetricDatum{MetricName: aws.String("Latency"), Value: aws.Float64(1),
			Timestamp:  aws.Time(testNow.Add(-time.Hour)),
			Dimensions: []types.Dimension{{Name: aws.String(d[0]), Value: aws.String(d[1])}}})
	}
	data = append(data, types.MetricDatum{MetricName: aws.String("Errors"), Value: aws.Float64(1), Timestamp: aws.Time(testNow.Add(-time.Hour)),
		Dimensions: []types.Dimension{{Name: aws.String("Service"), Value: aws.String("checkout")}}})
	if _, err := c.PutMetricData(context.Background(), &cloudwatch.PutMetricDataInput{Namespace: aws.String("MyService/API"), MetricData: data}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	opts := []func(*Options){withAPI(c), withCacheDir(dir), withRegion("us-east-1"), func(o *Options) { o.Now = func() time.Time { return testNow } }}
	f := Filter{Namespace: "MyService/API", Metric: "Latency", Dims: Dims{"Service": ""}}
	ls, err := List(context.Background(), f, opts...)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"region", "namespace", "metric", "Service"},
		{"us-east-1", "MyService/API", "Latency", "cart"},
		{"us-east-1", "MyService/API", "Latency", "checkout"},
	}
	if diff := cmp.Diff(want, ls.Frame.Records()); diff != "" {
		t.Errorf("frame (-want +got):\n%s", diff)
	}
	if len(ls.Metrics) != 2 || ls.Metrics[1].Dims["Service"] != "checkout" || ls.Calls != 1 || ls.Cached {
		t.Errorf("listing = %+v", ls)
	}
	calls := srv.Calls("ListMetrics")
	again, err := List(context.Background(), f, opts...)
	if err != nil || !again.Cached || again.Calls != 0 || srv.Calls("ListMetrics") != calls {
		t.Errorf("re-run: %v, cached %v, calls %d", err, again.Cached, srv.Calls("ListMetrics")-calls)
	}
	all, err := List(context.Background(), Filter{Namespace: "MyService/API"}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	if got := all.Frame.Names(); !cmp.Equal(got, []string{"region", "namespace", "metric", "Host", "Service"}) {
		t.Errorf("columns %v", got)
	}
	if n := all.Frame.Nrow(); n != 4 {
		t.Errorf("%d rows, want 4", n)
	}
	_, err = List(context.Background(), Filter{Namespace: "Other"}, append(opts, withOffline(true))...)
	if !errors.Is(err, ErrOffline) {
		t.Errorf("offline miss: %v", err)
	}
}
