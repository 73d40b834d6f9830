package localcw_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

// Clients publishing and querying at the same time (run with -race).
func TestConcurrentClients(t *testing.T) {
	srv, c := start(t)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for w := range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range 5 {
				_, err := c.PutMetricData(context.Background(), &cloudwatch.PutMetricDataInput{Namespace: aws.String("Test/Conc"),
					MetricData: []types.MetricDatum{{MetricName: aws.String("M"), Value: aws.Float64(1), Timestamp: aws.Time(now.Add(-time.Duration(i+1) * time.Minute)),
						Dimensions: []types.Dimension{dim("W", fmt.Sprint(w))}}}})
				if err != nil {
					errs <- err
				}
			}
		}()
		go func() {
			defer wg.Done()
			for range 5 {
				_, err := c.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now),
					MetricDataQueries: []types.MetricDataQuery{{Id: aws.String("s"), Expression: aws.String(`SEARCH('{Test/Conc,W} M', 'Sum', 60)`)}}})
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	all, _ := getAll(t, c, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(now.Add(-time.Hour)), EndTime: aws.Time(now),
		MetricDataQueries: []types.MetricDataQuery{{Id: aws.String("s"), Expression: aws.String(`SUM(SEARCH('{Test/Conc,W} M', 'Sum', 60))`)}}})
	if r := all["s/s"]; len(r.Values) != 5 || r.Values[0] != 4 {
		t.Errorf("after the writers: %v, want 5 minutes of 4", r.Values)
	}
	if srv.Calls("PutMetricData") != 20 || srv.Calls("GetMetricData") != 21 {
		t.Errorf("Calls: %d puts, %d gets", srv.Calls("PutMetricData"), srv.Calls("GetMetricData"))
	}
}
