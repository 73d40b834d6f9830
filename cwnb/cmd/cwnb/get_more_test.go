package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
)

// localEnv starts a local CloudWatch on the wall clock, publishes value k+1 at minute k of the
// first n minutes of the hour before last for each Service dimension value, and points the
// environment at it. It returns the server and the hour's start.
func localEnv(t *testing.T, n int, services ...string) (*localcw.Server, time.Time) {
	t.Helper()
	now := time.Now().UTC()
	srv, url := localcwtest.Start(t, localcw.Options{Now: now})
	from := now.Add(-2 * time.Hour).Truncate(time.Hour)
	var data []types.MetricDatum
	for _, s := range services {
		for k := range n {
			data = append(data, types.MetricDatum{MetricName: aws.String("Latency"), Value: aws.Float64(float64(k + 1)),
				Timestamp:  aws.Time(from.Add(time.Duration(k) * time.Minute)),
				Dimensions: []types.Dimension{{Name: aws.String("Service"), Value: aws.String(s)}}})
		}
	}
	if _, err := localcwtest.Client(t, url).PutMetricData(context.Background(), &cloudwatch.PutMetricDataInput{
		Namespace: aws.String("MyService/API"), MetricData: data}); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"AWS_ENDPOINT_URL_CLOUDWATCH": url, "AWS_ACCESS_KEY_ID": "AKIDLOCAL",
		"AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "us-east-1", "AWS_CONFIG_FILE": "/nonexistent",
		"AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "CWNB_OFFLINE": "", "CWNB_CACHE": "", "GONB_DIR": ""} {
		t.Setenv(k, v)
	}
	return srv, from
}

// TestGetDefaultCacheIsUserCache: without -cache, `cwnb get` caches in the user's cache
// directory (os.UserCacheDir()/cwnb, here $XDG_CACHE_HOME/cwnb) and creates nothing in the
// directory it runs in; a second run, offline, answers from there.
func TestGetDefaultCacheIsUserCache(t *testing.T) {
	_, from := localEnv(t, 3, "checkout")
	userCache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", userCache)
	t.Setenv("HOME", t.TempDir())
	work := t.TempDir()
	t.Chdir(work)
	args := []string{"get", "-namespace", "MyService/API", "-metric", "Latency", "-dim", "Service=checkout", "-stat", "Maximum",
		"-period", "1m", "-start", from.Format(time.RFC3339), "-end", from.Add(3 * time.Minute).Format(time.RFC3339)}
	var stdout, stderr bytes.Buffer
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if des, _ := os.ReadDir(work); len(des) != 0 {
		t.Errorf("cwnb get created %v in the working directory", des)
	}
	var found []string
	filepath.WalkDir(filepath.Join(userCache, "cwnb"), func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".cwc") {
			found = append(found, p)
		}
		return nil
	})
	if len(found) != 1 {
		t.Errorf("cache files under $XDG_CACHE_HOME/cwnb: %v; want 1", found)
	}
	first := stdout.String()
	stdout.Reset()
	if code := run(append(args, "-offline"), &stdout, &stderr); code != 0 || stdout.String() != first {
		t.Errorf("offline from the user cache: exit %d, %q; want %q\n%s", code, stdout.String(), first, stderr.String())
	}
}

// TestGetCSVIsSpreadsheetSafe: through the command, a dimension value that is a formula comes out
// quoted in the CSV header and the long CSV's cells, raw in JSON; `cwnb get -h` says so.
func TestGetCSVIsSpreadsheetSafe(t *testing.T) {
	evil := `=HYPERLINK("http://evil.example","x")`
	_, from := localEnv(t, 1, evil)
	cache := t.TempDir()
	base := []string{"get", "-search", "{MyService/API,Service} Latency", "-stat", "Maximum", "-period", "1m",
		"-start", from.Format(time.RFC3339), "-end", from.Add(time.Minute).Format(time.RFC3339), "-cache", cache}
	out := func(format string) string {
		var stdout, stderr bytes.Buffer
		if code := run(append(base, "-format", format), &stdout, &stderr); code != 0 {
			t.Fatalf("-format %s: exit %d: %s", format, code, stderr.String())
		}
		return stdout.String()
	}
	wantCSV := "timestamp,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\") Latency\"\n" + from.Format(time.RFC3339) + ",1\n"
	if got := out("csv"); got != wantCSV {
		t.Errorf("csv:\n%s\nwant:\n%s", got, wantCSV)
	}
	if got := out("long"); !strings.Contains(got, ",\"'=HYPERLINK(") || strings.Contains(got, ",\"=HYPERLINK(") || strings.Contains(got, ",=") {
		t.Errorf("long CSV has an unquoted formula:\n%s", got)
	}
	var js struct {
		Series []struct{ Dimensions map[string]string }
	}
	if err := json.Unmarshal([]byte(out("json")), &js); err != nil || len(js.Series) != 1 || js.Series[0].Dimensions["Service"] != evil {
		t.Errorf("json: %v, %+v; want the raw value %q", err, js, evil)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"get", "-h"}, &stdout, &stderr); code != 0 || !strings.Contains(stderr.String(), "leading single quote") {
		t.Errorf("cwnb get -h (exit %d) does not document the CSV quoting:\n%s", code, stderr.String())
	}
}
