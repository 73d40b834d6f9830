package localcwtest_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
)

func TestStartServesOnLoopbackAndCleansUp(t *testing.T) {
	var url string
	t.Run("serve", func(t *testing.T) {
		now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
		var srv *localcw.Server
		srv, url = localcwtest.Start(t, localcw.Options{Now: now})
		if !strings.HasPrefix(url, "http://127.0.0.1:") {
			t.Errorf("URL %q is not on 127.0.0.1", url)
		}
		c := localcwtest.Client(t, url, func(o *cloudwatch.Options) { o.Retryer = aws.NopRetryer{} })
		_, err := c.PutMetricData(context.Background(), &cloudwatch.PutMetricDataInput{Namespace: aws.String("T"),
			MetricData: []types.MetricDatum{{MetricName: aws.String("M"), Value: aws.Float64(1), Timestamp: aws.Time(now.Add(-time.Minute))}}})
		if err != nil {
			t.Fatal(err)
		}
		if srv.Calls("PutMetricData") != 1 {
			t.Errorf("Calls = %d", srv.Calls("PutMetricData"))
		}
	})
	// The subtest's cleanup closed the server.
	resp, err := http.Post(url+"/", "application/cbor", nil)
	if err == nil {
		resp.Body.Close()
		t.Errorf("server still answers after cleanup")
	}
}
