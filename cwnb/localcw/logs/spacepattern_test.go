package logs_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// Space-delimited filter patterns through FilterLogEvents, with the real SDK, on access lines.

// access lines in the common log format; the answers below are worked out by hand
var accessLines = []string{
	`127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534`, // 0
	`10.0.0.7 - - [10/Oct/2000:13:25:16 -0700] "GET /index.html HTTP/1.1" 404 310`,          // 1
	`10.0.0.8 - alice [10/Oct/2000:13:25:17 -0700] "POST /cart HTTP/1.1" 503 0`,             // 2
	`10.0.0.9 - bob [10/Oct/2000:13:25:18 -0700] "GET /about.html HTTP/1.1" 200 52000`,      // 3
	`10.0.0.9 - bob [10/Oct/2000:13:25:19 -0700] "GET /x HTTP/1.1" 410 12 extra`,            // 4: one field more
	`not an access line`, // 5
}

var spaceCases = []struct {
	pattern string
	want    []int // the indexes of accessLines that match
}{
	{`[ip, identity, user, timestamp, request, status, bytes]`, []int{0, 1, 2, 3}},
	{`[ip, identity, user, timestamp, request, status = 404, bytes]`, []int{1}},
	{`[ip, identity, user, timestamp, request, status = 4*, bytes]`, []int{1}},
	{`[ip, identity, user, timestamp, request, status >= 400, bytes]`, []int{1, 2}},
	{`[ip, identity, user, timestamp, request, status = 4* || status = 5*, bytes]`, []int{1, 2}},
	{`[ip, identity, user, timestamp, request = "GET *.html*", status, bytes > 1000]`, []int{3}},
	{`[ip, identity, user = -, ...]`, []int{1}},
	{`[ip = 10.0.0.9, ...]`, []int{3, 4}},
	{`[..., status = 200, bytes]`, []int{0, 3}},
	{`[..., status, bytes = 12, extra]`, []int{4}},
	{`[..., status, bytes, extra]`, []int{0, 1, 2, 3, 4, 5}}, // names alone: any line of three fields or more
	{`[ip, ..., bytes < 100 && bytes != 0]`, []int{}},
	{`[ip, ..., bytes < 100 && bytes != 310]`, []int{2}},
	{`[ip, identity, user != frank && user != -, ...]`, []int{2, 3, 4, 5}}, // 5: user "access"
	{`[ip, identity, user, timestamp = %13:25:1[67]%, ...]`, []int{1, 2}},
	{`[a, b, c, d]`, []int{5}},
	{`[..., line]`, []int{0, 1, 2, 3, 4, 5}},
	{`[..., ..., status = 503, ...]`, []int{2}},
}

func TestSpaceDelimitedPatterns(t *testing.T) {
	e := start(t)
	t0 := testNow.Add(-time.Hour)
	var evs []testEvent
	for i, l := range accessLines {
		evs = append(evs, testEvent{t: t0.Add(time.Duration(i) * time.Second), stream: "a", msg: l})
	}
	e.ingest(t, "/access", evs)
	c, ctx := e.client, context.Background()
	for _, sc := range spaceCases {
		out, err := c.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("/access"), FilterPattern: aws.String(sc.pattern),
			StartTime: aws.Int64(t0.UnixMilli())})
		if err != nil {
			t.Errorf("%s: %v", sc.pattern, err)
			continue
		}
		got := []int{}
		for _, ev := range out.Events {
			got = append(got, slices.Index(accessLines, aws.ToString(ev.Message)))
		}
		if !slices.Equal(got, sc.want) {
			t.Errorf("%s: lines %v, want %v", sc.pattern, got, sc.want)
		}
	}
	for _, bad := range []struct{ pattern, says string }{
		{`[ip, user`, "ends with ]"},
		{`[ip, , user]`, "empty column"},
		{`[ip, status > abc]`, "compares numbers"},
		{`[ip, status = "4*]`, "unterminated"},
		{`[ip, status = %4(%]`, "regular expression"},
		{`[ip, status = 4 && user = x]`, "its own column"},
		{`[ip, sta tus]`, "no comparison"},
		{`[ip, status = a b]`, "holds a space"},
		{`[i.p, status]`, "column name"},
	} {
		_, err := c.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("/access"), FilterPattern: aws.String(bad.pattern)})
		var ip *types.InvalidParameterException
		if !errorsAs(err, &ip) || !strings.Contains(err.Error(), bad.says) {
			t.Errorf("%s: %v, want InvalidParameterException saying %q", bad.pattern, err, bad.says)
		}
	}
}
