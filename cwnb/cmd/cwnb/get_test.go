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

// TestGet runs `cwnb get` in-process against the local CloudWatch through the environment
// (AWS_ENDPOINT_URL_CLOUDWATCH, read by the SDK itself), and checks the CSV and JSON outputs,
// the cache on a re-run, offline mode and bad flags.
func TestGet(t *testing.T) {
	now := time.Now().UTC()
	srv, url := localcwtest.Start(t, localcw.Options{Now: now})
	from := now.Add(-2 * time.Hour).Truncate(time.Hour)
	c := localcwtest.Client(t, url)
	var data []types.MetricDatum
	for k := 0; k < 5; k++ {
		if k == 2 {
			continue // a gap: an empty cell
		}
		data = append(data, types.MetricDatum{MetricName: aws.String("Latency"), Value: aws.Float64(float64(100 * (k + 1))),
			Timestamp:  aws.Time(from.Add(time.Duration(k) * time.Minute)),
			Dimensions: []types.Dimension{{Name: aws.String("Service"), Value: aws.String("checkout")}}})
	}
	if _, err := c.PutMetricData(context.Background(), &cloudwatch.PutMetricDataInput{Namespace: aws.String("MyService/API"), MetricData: data}); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH", url)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDLOCAL")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	t.Setenv("CWNB_OFFLINE", "")
	cache := t.TempDir()
	args := []string{"get", "-namespace", "MyService/API", "-metric", "Latency", "-dim", "Service=checkout",
		"-stat", "Average,Maximum", "-period", "1m", "-start", from.Format(time.RFC3339),
		"-end", from.Add(5 * time.Minute).Format(time.RFC3339), "-cache", cache}
	var stdout, stderr bytes.Buffer
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	ts := func(k int) string { return from.Add(time.Duration(k) * time.Minute).Format(time.RFC3339) }
	want := "timestamp,Latency Average,Latency Maximum\n" +
		ts(0) + ",100,100\n" + ts(1) + ",200,200\n" + ts(2) + ",,\n" + ts(3) + ",400,400\n" + ts(4) + ",500,500\n"
	if stdout.String() != want {
		t.Errorf("csv:\n%s\nwant:\n%s", stdout.String(), want)
	}
	if srv.Calls("GetMetricData") != 1 {
		t.Errorf("%d calls, want 1", srv.Calls("GetMetricData"))
	}

	// Again, as JSON, offline: from the cache, no call.
	stdout.Reset()
	if code := run(append(append([]string(nil), args...), "-format", "json", "-offline"), &stdout, &stderr); code != 0 {
		t.Fatalf("offline exit %d: %s", code, stderr.String())
	}
	var out struct {
		Calls  int
		Series []struct {
			Column string
			Stat   string
			Values []*float64
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("json: %v\n%s", err, stdout.String())
	}
	if out.Calls != 0 || len(out.Series) != 2 || out.Series[1].Stat != "Maximum" || out.Series[0].Values[2] != nil || *out.Series[0].Values[4] != 500 {
		t.Errorf("json = %+v", out)
	}
	if srv.Calls("GetMetricData") != 1 {
		t.Errorf("offline run called CloudWatch")
	}

	// An investigation file, as the long CSV, from the cache.
	file := filepath.Join(t.TempDir(), "inv.yaml")
	os.WriteFile(file, []byte("title: latency\nwindow: {start: "+from.Format(time.RFC3339)+", length: 2m}\nperiod: 1m\n"+
		"metrics:\n  - {namespace: MyService/API, name: Latency, stats: [Average, Maximum], dimensions: {Service: checkout}}\n"), 0o644)
	stdout.Reset()
	if code := run([]string{"get", "-file", file, "-format", "long", "-cache", cache}, &stdout, &stderr); code != 0 {
		t.Fatalf("-file exit %d: %s", code, stderr.String())
	}
	wantLong := "timestamp,region,id,label,namespace,metric,stat,Service,value\n" +
		ts(0) + ",us-east-1,m1_avg,Latency Average,MyService/API,Latency,Average,checkout,100\n" +
		ts(1) + ",us-east-1,m1_avg,Latency Average,MyService/API,Latency,Average,checkout,200\n" +
		ts(0) + ",us-east-1,m1_max,Latency Maximum,MyService/API,Latency,Maximum,checkout,100\n" +
		ts(1) + ",us-east-1,m1_max,Latency Maximum,MyService/API,Latency,Maximum,checkout,200\n"
	if stdout.String() != wantLong || srv.Calls("GetMetricData") != 1 {
		t.Errorf("-file long CSV (%d calls):\n%s\nwant:\n%s", srv.Calls("GetMetricData"), stdout.String(), wantLong)
	}
	// A SEARCH from the flags.
	stdout.Reset()
	if code := run([]string{"get", "-search", "{MyService/API,Service} Latency", "-stat", "Maximum", "-period", "1m",
		"-start", from.Format(time.RFC3339), "-end", from.Add(2 * time.Minute).Format(time.RFC3339), "-cache", cache}, &stdout, &stderr); code != 0 {
		t.Fatalf("-search exit %d: %s", code, stderr.String())
	}
	if want := "timestamp,checkout Latency\n" + ts(0) + ",100\n" + ts(1) + ",200\n"; stdout.String() != want {
		t.Errorf("-search CSV:\n%s\nwant:\n%s", stdout.String(), want)
	}

	bad := []struct {
		name string
		args []string
		want string
	}{
		{"bad dim", []string{"get", "-namespace", "A", "-metric", "B", "-dim", "Service", "-since", "1h"}, "write it as Name=Value"},
		{"bad stat", []string{"get", "-namespace", "A", "-metric", "B", "-stat", "p99x", "-since", "1h"}, `statistic "p99x"`},
		{"no window", []string{"get", "-namespace", "A", "-metric", "B"}, "no window"},
		{"both windows", []string{"get", "-namespace", "A", "-metric", "B", "-since", "1h", "-start", "2026-11-19T00:00:00Z"}, "-since makes a relative window"},
		{"bad period", []string{"get", "-namespace", "A", "-metric", "B", "-since", "1h", "-period", "90s"}, "not a multiple of 60s"},
		{"nothing", []string{"get", "-since", "1h"}, "nothing to load"},
		{"bad format", []string{"get", "-namespace", "A", "-metric", "B", "-since", "1h", "-format", "xml"}, "use csv, json or long"},
		{"offline miss", []string{"get", "-namespace", "A", "-metric", "B", "-since", "1h", "-offline", "-cache", t.TempDir()}, "offline"},
		{"missing file", []string{"get", "-file", "/nonexistent.yaml"}, "investigation file"},
		// Issue 15 item 5: every combination that cannot be honoured is an error, and time
		// errors name the flag that was wrong.
		{"file with stat", []string{"get", "-file", file, "-stat", "p99"}, "-file gives the metrics, so -stat would be ignored"},
		{"file with dim and unit", []string{"get", "-file", file, "-dim", "Service=x", "-unit", "Seconds"}, "-dim, -unit would be ignored"},
		{"file with namespace", []string{"get", "-file", file, "-namespace", "A"}, "-namespace would be ignored"},
		{"file with label", []string{"get", "-file", file, "-label", "x"}, "-label would be ignored"},
		{"file with expr", []string{"get", "-file", file, "-expr", "m1*2"}, "-expr would be ignored"},
		{"file with empty stat", []string{"get", "-file", file, "-stat", ""}, "-stat would be ignored"},
		{"bad end date", []string{"get", "-namespace", "A", "-metric", "B", "-start", "2026-11-19", "-end", "2026-13-45"}, `-end "2026-13-45": not a valid RFC 3339 time`},
		{"bad start", []string{"get", "-namespace", "A", "-metric", "B", "-start", "yesterday", "-end", "2026-11-19"}, `-start "yesterday"`},
		{"end before start", []string{"get", "-namespace", "A", "-metric", "B", "-start", "2026-11-19", "-end", "2026-11-18"}, "-end 2026-11-18 is not after -start"},
		{"bad since", []string{"get", "-namespace", "A", "-metric", "B", "-since", "yesterday"}, `-since "yesterday": not a duration`},
		{"huge since", []string{"get", "-namespace", "A", "-metric", "B", "-since", "999999999999d"}, `-since "999999999999d": not a duration`},
		{"bad period syntax", []string{"get", "-namespace", "A", "-metric", "B", "-since", "1h", "-period", "fast"}, `-period "fast"`},
		{"unit without metric", []string{"get", "-expr", "1", "-unit", "Seconds", "-since", "1h"}, "-dim, -unit and -label describe a metric"},
		{"label without metric", []string{"get", "-search", "{A,B} C", "-label", "x", "-since", "1h"}, "describe a metric"},
		{"stat with expr only", []string{"get", "-expr", "1", "-stat", "p99", "-since", "1h"}, "-stat describes a metric or a -search"},
		{"search with two stats", []string{"get", "-search", "{A,B} C", "-stat", "p99,Average", "-since", "1h"}, "a -search uses one statistic"},
		{"offline and no-cache", []string{"get", "-namespace", "A", "-metric", "B", "-since", "1h", "-offline", "-no-cache"}, "drop one"},
		{"cache and no-cache", []string{"get", "-namespace", "A", "-metric", "B", "-since", "1h", "-cache", "x", "-no-cache"}, "-cache x would be ignored"},
		{"rate limit NaN", []string{"get", "-namespace", "A", "-metric", "B", "-since", "1h", "-rate-limit", "NaN"}, "-rate-limit NaN: give requests per second above 0"},
		{"rate limit Inf", []string{"get", "-namespace", "A", "-metric", "B", "-since", "1h", "-rate-limit", "Inf"}, "-rate-limit +Inf"},
		{"rate limit zero", []string{"get", "-namespace", "A", "-metric", "B", "-since", "1h", "-rate-limit", "0"}, "-rate-limit 0"},
		{"max attempts zero", []string{"get", "-namespace", "A", "-metric", "B", "-since", "1h", "-max-attempts", "0"}, "-max-attempts 0: give a count"},
		{"empty region", []string{"get", "-namespace", "A", "-metric", "B", "-since", "1h", "-region", ","}, "-region is empty"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			var o, e bytes.Buffer
			if code := run(tc.args, &o, &e); code == 0 || !strings.Contains(e.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want non-zero and %q", code, e.String(), tc.want)
			}
			if o.Len() != 0 {
				t.Errorf("stdout not empty on error: %q", o.String())
			}
		})
	}
}
