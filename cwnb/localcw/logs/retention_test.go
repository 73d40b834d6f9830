package logs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// A retention policy hides the events older than it from every read, and PutLogEvents rejects
// them as expired (expiredLogEventEndIndex), as the service does.
func TestRetention(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	// 30 events, one an hour, from 40 hours ago: 16 of them within the last day
	var evs []testEvent
	for i := range 30 {
		evs = append(evs, testEvent{t: testNow.Add(time.Duration(i-40) * time.Hour), stream: "a", msg: `{"i":1}`})
	}
	e.ingest(t, "/kept", evs[:20]) // spans 19 hours: one batch
	count := func() string {
		rows, _ := e.query(t, []string{"/kept"}, testNow.Add(-7*24*time.Hour), testNow, "stats count(*) as n", 0)
		return aws.ToString(rows[0][0].Value)
	}
	if n := count(); n != "20" {
		t.Fatalf("before a retention policy: %s events, want 20", n)
	}
	if _, err := e.client.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String("/kept"), RetentionInDays: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	// events 0 to 19 are 40 to 21 hours old: 4 of them at most a day old
	if n := count(); n != "4" {
		t.Errorf("with 1 day of retention: %s events, want the 4 of the last 24 hours", n)
	}
	g, err := e.client.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/kept")})
	if err != nil || len(g.LogGroups) != 1 || aws.ToInt32(g.LogGroups[0].RetentionInDays) != 1 {
		t.Errorf("DescribeLogGroups: %+v, %v; want retentionInDays 1", g, err)
	}
	// a batch from 30 to 11 hours ago: the first 6 (30 to 25 hours old) expired, the 14 from
	// exactly a day old on kept
	var batch []types.InputLogEvent
	for h := 30; h >= 11; h-- {
		batch = append(batch, types.InputLogEvent{Message: aws.String(`{"i":2}`), Timestamp: aws.Int64(testNow.Add(-time.Duration(h) * time.Hour).UnixMilli())})
	}
	out, err := e.client.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("/kept"), LogStreamName: aws.String("a"), LogEvents: batch})
	if err != nil {
		t.Fatal(err)
	}
	if r := out.RejectedLogEventsInfo; r == nil || aws.ToInt32(r.ExpiredLogEventEndIndex) != 5 || r.TooOldLogEventEndIndex != nil || r.TooNewLogEventStartIndex != nil {
		t.Errorf("rejected: %+v, want expiredLogEventEndIndex 5 only", r)
	}
	if n := count(); n != "18" {
		t.Errorf("after the batch: %s events, want 4 + 14", n)
	}
	if _, err := e.client.DeleteRetentionPolicy(ctx, &cloudwatchlogs.DeleteRetentionPolicyInput{LogGroupName: aws.String("/kept")}); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != "34" {
		t.Errorf("without the policy again: %s events, want 20 + 14 (expired events were never stored)", n)
	}
	var ip *types.InvalidParameterException
	_, err = e.client.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String("/kept"), RetentionInDays: aws.Int32(2)})
	if !errorsAs(err, &ip) || !strings.Contains(err.Error(), "1 3 5 7 14") {
		t.Errorf("2 days: %v, want InvalidParameterException listing the allowed values", err)
	}
	var nf *types.ResourceNotFoundException
	_, err = e.client.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String("/none"), RetentionInDays: aws.Int32(7)})
	if !errorsAs(err, &nf) {
		t.Errorf("unknown group: %v, want ResourceNotFoundException", err)
	}
}
