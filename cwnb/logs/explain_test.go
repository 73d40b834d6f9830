package logs_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/cwnb/cwnb/cwnb"
	"github.com/cwnb/cwnb/cwnb/logs"
)

// The mistakes a new user makes first get errors that say what to do: no local CloudWatch
// running, no credentials, a mistyped log group.
func TestErrorsSayWhatToDo(t *testing.T) {
	q := logs.Query{Groups: []string{"/raw"}, Query: "stats count(*) by bin(5m)", Start: now.Add(-time.Hour), End: now}
	noCache := []logs.Option{logs.WithCacheDir("-"), func(o *logs.Options) { o.Now = now; o.Poll = time.Millisecond }}
	t.Setenv("AWS_ACCESS_KEY_ID", "AKID")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("CWNB_OFFLINE", "")
	home := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(home, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(home, "credentials"))

	// nothing listening: a port that was just free
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", closed)
	_, err = logs.Load(context.Background(), q, noCache...)
	if !errors.Is(err, cwnb.ErrUnreachable) || !strings.Contains(err.Error(), closed) || !strings.Contains(err.Error(), "cwnb local") ||
		!strings.Contains(err.Error(), "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS") {
		t.Errorf("no server: %v; want ErrUnreachable naming %s, `cwnb local` and AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", err, closed)
	}

	// no credentials anywhere
	os.Unsetenv("AWS_ACCESS_KEY_ID")
	os.Unsetenv("AWS_SECRET_ACCESS_KEY")
	_, err = logs.Load(context.Background(), q, noCache...)
	if !errors.Is(err, cwnb.ErrCredentials) || !strings.Contains(err.Error(), "CWNB_OFFLINE=1") || !strings.Contains(err.Error(), "aws sso login") {
		t.Errorf("no credentials: %v; want ErrCredentials saying how to log in or run offline", err)
	}

	// a mistyped group: the nearest existing names
	c := serve(t)
	put(t, c, "/raw", now.Add(-30*time.Minute), time.Second, []string{`{"a":1}`})
	put(t, c, "/myservice/api", now.Add(-30*time.Minute), time.Second, []string{`{"a":1}`})
	q.Groups = []string{"/myservice/apx", "/raw"}
	_, err = logs.Load(context.Background(), q, append(noCache, logs.WithClient(c))...)
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) || !strings.Contains(err.Error(), `"/myservice/apx" (did you mean /myservice/api?)`) || strings.Contains(err.Error(), `"/raw"`) {
		t.Errorf("mistyped group: %v; want the service's ResourceNotFoundException, and the nearest name for /myservice/apx only", err)
	}
}

// A query that matched nothing says so, and where it looked, instead of an empty frame alone.
func TestNothingMatchedIsSaid(t *testing.T) {
	c := serve(t)
	t0 := now.Add(-30 * time.Minute)
	put(t, c, "/quiet", t0, time.Second, []string{`{"ep":"/a","ms":5}`, `{"ep":"/b","ms":7}`})
	for _, tc := range []struct{ query, says string }{
		{`filter ep = "/nope" | stats count(*) as n by bin(5m)`, "matched none of the 2 events in /quiet"},
		{`filter Ep = "/a"`, "field names (they are case-sensitive)"},
	} {
		r := load(t, c, logs.Query{Groups: []string{"/quiet"}, Query: tc.query, Start: t0.Add(-time.Minute), End: now})
		if r.Rows() != 0 || len(r.Warnings) != 1 || !errors.Is(r.Warnings[0], cwnb.ErrNoMatch) || !strings.Contains(r.Warnings[0].Text, tc.says) {
			t.Errorf("%s: %d rows, warnings %v; want none and a warning saying %q", tc.query, r.Rows(), r.Warnings, tc.says)
		}
	}
	r := load(t, c, logs.Query{Groups: []string{"/quiet"}, Query: "fields ep", Start: now.Add(-3 * time.Hour), End: now.Add(-2 * time.Hour)})
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0].Text, "no log events in /quiet") {
		t.Errorf("an empty window: warnings %v", r.Warnings)
	}
	r = load(t, c, logs.Query{Groups: []string{"/quiet"}, Query: `filter ep = "/a" | stats count(*) as n`, Start: t0.Add(-time.Minute), End: now})
	if len(r.Warnings) != 0 || r.Rows() != 1 {
		t.Errorf("a query that matched: %d rows, warnings %v", r.Rows(), r.Warnings)
	}
}
