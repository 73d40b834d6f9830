package logs_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
	"github.com/cwnb/cwnb/cwnb/localcw/logs"
	"github.com/cwnb/cwnb/cwnb/localcw/scenario"
)

// testNow is the pinned clock of the tests.
var testNow = time.Date(2026, 11, 20, 0, 30, 0, 0, time.UTC)

type env struct {
	url     string
	metrics *localcw.Server
	logs    *logs.Server
	client  *cloudwatchlogs.Client
}

// start serves a local CloudWatch with Logs on the same listener (as `cwnb local` does), with
// the log groups of the named scenarios.
func start(t testing.TB, scenarios ...string) *env {
	t.Helper()
	e := &env{}
	opts := localcw.Options{Now: testNow}
	var groups []scenario.LogGroup
	for _, n := range scenarios {
		sc, err := scenario.New(n, 1)
		if err != nil {
			t.Fatal(err)
		}
		opts.Scenarios = append(opts.Scenarios, sc)
		groups = append(groups, scenario.LogGroups(sc)...)
	}
	opts.Logs = func(m *localcw.Server) http.Handler {
		e.logs = logs.New(logs.Options{Now: testNow, Metrics: m, Groups: groups})
		return e.logs
	}
	e.metrics, e.url = localcwtest.Start(t, opts)
	e.client = logsClient(e.url)
	return e
}

func logsClient(url string) *cloudwatchlogs.Client {
	return cloudwatchlogs.New(cloudwatchlogs.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDLOCAL", "local-secret", ""),
		BaseEndpoint: aws.String(url),
		HTTPClient:   &http.Client{Transport: localcw.ClientTransport(awshttp.NewBuildableClient().GetTransport())},
		Retryer:      aws.NopRetryer{},
	})
}

// query runs a query to completion through the SDK and returns every row (all pages) and the
// final response.
func (e *env) query(t testing.TB, groups []string, start, end time.Time, q string, limit int32) ([][]types.ResultField, *cloudwatchlogs.GetQueryResultsOutput) {
	t.Helper()
	ctx := context.Background()
	in := &cloudwatchlogs.StartQueryInput{LogGroupNames: groups, StartTime: aws.Int64(start.Unix()), EndTime: aws.Int64(end.Unix()), QueryString: aws.String(q)}
	if limit > 0 {
		in.Limit = aws.Int32(limit)
	}
	sq, err := e.client.StartQuery(ctx, in)
	if err != nil {
		t.Fatalf("StartQuery %q: %v", q, err)
	}
	var rows [][]types.ResultField
	var out *cloudwatchlogs.GetQueryResultsOutput
	var token *string
	for deadline := time.Now().Add(30 * time.Second); ; {
		out, err = e.client.GetQueryResults(ctx, &cloudwatchlogs.GetQueryResultsInput{QueryId: sq.QueryId, NextToken: token})
		if err != nil {
			t.Fatalf("GetQueryResults: %v", err)
		}
		if out.Status == types.QueryStatusRunning || out.Status == types.QueryStatusScheduled {
			if time.Now().After(deadline) {
				t.Fatalf("query %q still running after 30 s", q)
			}
			time.Sleep(5 * time.Millisecond)
			continue
		}
		if out.Status != types.QueryStatusComplete {
			t.Fatalf("query %q: status %s", q, out.Status)
		}
		rows = append(rows, out.Results...)
		if out.NextToken == nil {
			return rows, out
		}
		token = out.NextToken
	}
}

// plain turns SDK rows into field→value maps, with the field order of each row.
func plain(rows [][]types.ResultField) (out []map[string]string, order [][]string) {
	for _, r := range rows {
		m := map[string]string{}
		var o []string
		for _, f := range r {
			m[aws.ToString(f.Field)] = aws.ToString(f.Value)
			o = append(o, aws.ToString(f.Field))
		}
		out = append(out, m)
		order = append(order, o)
	}
	return out, order
}

// apiErrorCode returns the error code of an API error ("" if err is not one).
func apiErrorCode(err error) string {
	var ae interface{ ErrorCode() string }
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}
