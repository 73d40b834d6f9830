package cwnb

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
)

// GetMetricData answers a request it cannot serve with ValidationError (issue 11, item 5), as
// the real service does; CallError gives that error the same hint as the query-era codes.
func TestCallErrorHintForValidationError(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	_, url := localcwtest.Start(t, localcw.Options{Now: now})
	client := localcwtest.Client(t, url, func(o *cloudwatch.Options) { o.Retryer = aws.NopRetryer{} })
	_, err := client.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now),
		MetricDataQueries: []types.MetricDataQuery{{Id: aws.String("M1"), MetricStat: &types.MetricStat{
			Metric: &types.Metric{Namespace: aws.String("T"), MetricName: aws.String("M")}, Period: aws.Int32(60), Stat: aws.String("Sum")}}},
	})
	if err == nil {
		t.Fatal("GetMetricData with Id M1 succeeded")
	}
	ce := &callErr{Region: "us-east-1", IDs: []string{"M1"}, Start: now.Add(-time.Hour), End: now, Err: err}
	msg := ce.Error()
	for _, want := range []string{"ValidationError", "is not matching the expected pattern", "CloudWatch rejected the query as written"} {
		if !strings.Contains(msg, want) {
			t.Errorf("CallError %q does not contain %q", msg, want)
		}
	}
}
