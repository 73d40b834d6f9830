package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
	locallogs "github.com/cwnb/cwnb/cwnb/localcw/logs"
	"github.com/cwnb/cwnb/cwnb/localcw/scenario"
)

func TestLogsCommand(t *testing.T) {
	now := time.Date(2026, 11, 20, 0, 30, 0, 0, time.UTC)
	sc, _ := scenario.New("lambda", 1)
	_, url := localcwtest.Start(t, localcw.Options{Now: now, Scenarios: []scenario.Scenario{sc},
		Logs: func(m *localcw.Server) http.Handler {
			// queries are Scheduled for 200ms first, as on the service: the command waits them out
			return locallogs.New(locallogs.Options{Now: now, Metrics: m, Groups: scenario.LogGroups(sc), Schedule: 200 * time.Millisecond})
		}})
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", url)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDLOCAL")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	t.Setenv("CWNB_NOW", now.Format(time.RFC3339))

	args := []string{"logs", "-group", "/aws/lambda/orders-api", "-no-cache", "-start", "2026-11-19T13:35:00Z", "-end", "2026-11-19T13:40:00Z",
		"-query", `filter @message like "ERROR" | stats count(*) as errors by bin(1m)`}
	var out, errOut bytes.Buffer
	if code := run(args, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	recs, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// one row per minute of the window, the header first; the bad deploy at 13:37 raises errors
	if len(recs) != 6 || strings.Join(recs[0], ",") != "timestamp,errors" || recs[1][0] != "2026-11-19T13:35:00Z" {
		t.Fatalf("csv = %v", recs)
	}
	if !strings.Contains(errOut.String(), "records scanned") || !strings.Contains(errOut.String(), "est. $") {
		t.Errorf("stderr summary = %q", errOut.String())
	}
	out.Reset()
	args = append(args[:len(args)-1], `filter @type = "REPORT" | stats count(*) as n by bin(1m)`, "-format", "json")
	if code := run(args, &out, &errOut); code != 0 {
		t.Fatalf("json: exit %d: %s", code, errOut.String())
	}
	var rows []map[string]any
	if err := json.Unmarshal(out.Bytes(), &rows); err != nil || len(rows) != 5 {
		t.Fatalf("json = %s (%v)", out.String(), err)
	}
	if _, ok := rows[0]["n"].(float64); !ok {
		t.Errorf("json n is %T, want a number", rows[0]["n"])
	}
	for _, bad := range [][]string{
		{"logs", "-query", "fields @message", "-since", "1h"},
		{"logs", "-group", "g", "-since", "1h"},
		{"logs", "-group", "g", "-query", "fields @message"},
		{"logs", "-group", "g", "-query", "fields @message", "-since", "yesterday"},
		{"logs", "-group", "g", "-query", "fields @message", "-since", "1h", "-format", "xml"},
	} {
		errOut.Reset()
		if code := run(bad, &out, &errOut); code == 0 || !strings.Contains(errOut.String(), "cwnb logs:") {
			t.Errorf("%v: exit %d, stderr %q; want a clear error", bad[1:], code, errOut.String())
		}
	}
}

// `cwnb local -scenario api,lambda` answers the seed-style query to the real SDK and to
// botocore with the service's result shape, and prints the Logs endpoint.
func TestLocalServesLogsInsights(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	portFile := filepath.Join(dir, "port")
	var out, errOut syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- commands["local"].run(ctx, []string{"-addr", "127.0.0.1:0", "-port-file", portFile, "-scenario", "api,lambda", "-now", "2026-11-20T00:30:00Z"}, &out, &errOut)
	}()
	t.Cleanup(func() { cancel(); <-done })
	var port string
	for i := 0; i < 300 && port == ""; i++ {
		b, _ := os.ReadFile(portFile)
		port = strings.TrimSpace(string(b))
		time.Sleep(10 * time.Millisecond)
	}
	if port == "" {
		t.Fatalf("cwnb local did not start: %s", errOut.String())
	}
	url := "http://127.0.0.1:" + port
	if !strings.Contains(out.String(), "export AWS_ENDPOINT_URL_CLOUDWATCH_LOGS="+url+"\n") {
		t.Errorf("banner lacks the Logs endpoint:\n%s", out.String())
	}
	const query = `fields @timestamp, @duration | filter @type = "REPORT" | stats avg(@duration), pct(@duration, 95), pct(@duration, 99) by bin(5m)`
	start, end := time.Date(2026, 11, 19, 13, 30, 0, 0, time.UTC), time.Date(2026, 11, 19, 13, 44, 59, 0, time.UTC)
	c := cloudwatchlogs.New(cloudwatchlogs.Options{Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", "")})
	sq, err := c.StartQuery(context.Background(), &cloudwatchlogs.StartQueryInput{LogGroupName: aws.String("/aws/lambda/orders-api"),
		QueryString: aws.String(query), StartTime: aws.Int64(start.Unix()), EndTime: aws.Int64(end.Unix())})
	if err != nil {
		t.Fatal(err)
	}
	var res *cloudwatchlogs.GetQueryResultsOutput
	for {
		if res, err = c.GetQueryResults(context.Background(), &cloudwatchlogs.GetQueryResultsInput{QueryId: sq.QueryId}); err != nil {
			t.Fatal(err)
		}
		if res.Status != types.QueryStatusScheduled && res.Status != types.QueryStatusRunning {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	var goRows [][]string
	for _, r := range res.Results {
		var row []string
		for _, f := range r {
			row = append(row, aws.ToString(f.Field)+"="+aws.ToString(f.Value))
		}
		goRows = append(goRows, row)
	}
	if res.Status != types.QueryStatusComplete || len(goRows) != 3 || !strings.HasPrefix(goRows[0][0], "bin(5m)=2026-11-19 13:30:00.000") ||
		!strings.HasPrefix(goRows[0][1], "avg(@duration)=") || !strings.HasPrefix(goRows[0][3], "pct(@duration, 99)=") {
		t.Fatalf("SDK: %s %v", res.Status, goRows)
	}
	py, err := exec.LookPath("python3")
	if err != nil || exec.Command(py, "-c", "import boto3").Run() != nil {
		t.Skip("python3 with boto3 not available: botocore half skipped")
	}
	script := `
import boto3, json, sys, time
c = boto3.client("logs", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
q = c.start_query(logGroupName="/aws/lambda/orders-api", startTime=int(sys.argv[2]), endTime=int(sys.argv[3]), queryString=sys.argv[4])["queryId"]
while True:
    r = c.get_query_results(queryId=q)
    if r["status"] not in ("Scheduled", "Running"):
        break
    time.sleep(0.01)
print(json.dumps([[f["field"] + "=" + f["value"] for f in row] for row in r["results"]]))
`
	cmd := exec.Command(py, "-c", script, url, strconv.FormatInt(start.Unix(), 10), strconv.FormatInt(end.Unix(), 10), query)
	cmd.Env = append(os.Environ(), "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true")
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("botocore: %v\n%s", err, b)
	}
	var pyRows [][]string
	if err := json.Unmarshal(b, &pyRows); err != nil {
		t.Fatalf("botocore output %s: %v", b, err)
	}
	if fmt.Sprint(pyRows) != fmt.Sprint(goRows) {
		t.Errorf("botocore rows %v\nSDK rows      %v", pyRows, goRows)
	}
}

// syncBuffer is a bytes.Buffer safe for a writer goroutine and a reading test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
