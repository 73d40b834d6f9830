package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
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

// craftLength rewrites the cache file at path so that its first series claims n points more
// than it holds, with a recomputed CRC-32C: the attack of issue 15 on a committed cache. The
// layout (magic, version, header length, JSON header, points, CRC-32C) is cwnb's cache format 1.
func craftLength(t *testing.T, path string, extra int64) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	hl := binary.LittleEndian.Uint32(data[8:])
	var h map[string]any
	d := json.NewDecoder(bytes.NewReader(data[12 : 12+hl]))
	d.UseNumber()
	if err := d.Decode(&h); err != nil {
		t.Fatal(err)
	}
	s := h["entries"].([]any)[0].(map[string]any)["series"].([]any)[0].(map[string]any)
	n, _ := s["n"].(json.Number).Int64()
	s["n"] = n + extra
	hj, _ := json.Marshal(h)
	out := append([]byte(nil), data[:8]...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(hj)))
	out = append(out, hj...)
	out = append(out, data[12+hl:len(data)-4]...)
	out = binary.LittleEndian.AppendUint32(out, crc32.Checksum(out, crc32.MakeTable(crc32.Castagnoli)))
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestGetCraftedCache: a cache file whose series length is n + 2^60 (16 times which wraps to
// the real byte count) made `cwnb get -offline` and the online run panic. Now offline exits 1
// saying the file is corrupt (not missing) and what to do; online fetches again, warns, and
// writes a good file that the next offline run reads.
func TestGetCraftedCache(t *testing.T) {
	_, from := localEnv(t, 3, "checkout")
	cache := t.TempDir()
	args := []string{"get", "-namespace", "MyService/API", "-metric", "Latency", "-dim", "Service=checkout", "-stat", "Maximum",
		"-period", "1m", "-start", from.Format(time.RFC3339), "-end", from.Add(3 * time.Minute).Format(time.RFC3339), "-cache", cache}
	var stdout, stderr bytes.Buffer
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	want := stdout.String()
	var path string
	filepath.WalkDir(cache, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".cwc") {
			path = p
		}
		return nil
	})
	craftLength(t, path, 1<<60)

	stdout.Reset()
	stderr.Reset()
	code := run(append(args, "-offline"), &stdout, &stderr)
	t.Logf("offline: %s", stderr.String())
	if code != 1 || stdout.Len() != 0 {
		t.Errorf("offline: exit %d, stdout %q; want 1 and nothing", code, stdout.String())
	}
	for _, w := range []string{"corrupt", path, "git checkout", "load once online"} {
		if !strings.Contains(stderr.String(), w) {
			t.Errorf("offline stderr %q does not say %q", stderr.String(), w)
		}
	}
	if strings.Contains(stderr.String(), "lacks") || strings.Contains(stderr.String(), "panic") {
		t.Errorf("offline stderr %q: want corrupt, not missing, and no panic", stderr.String())
	}

	stdout.Reset()
	stderr.Reset()
	code = run(args, &stdout, &stderr)
	t.Logf("online: %s", stderr.String())
	if code != 0 || stdout.String() != want || !strings.Contains(stderr.String(), "warning: ") ||
		!strings.Contains(stderr.String(), "fetched again") {
		t.Errorf("online: exit %d, stdout %q, stderr %q; want the data and a warning that it was fetched again", code, stdout.String(), stderr.String())
	}
	stdout.Reset()
	stderr.Reset()
	if code := run(append(args, "-offline"), &stdout, &stderr); code != 0 || stdout.String() != want {
		t.Errorf("offline after the repair: exit %d, %q, %s", code, stdout.String(), stderr.String())
	}
}

// TestGetMaxAttempts: -max-attempts reaches the SDK's retryer: against a server that throttles
// every request, `cwnb get -max-attempts 2` makes exactly two GetMetricData attempts and fails
// with the throttling error.
func TestGetMaxAttempts(t *testing.T) {
	srv, url := localcwtest.Start(t, localcw.Options{Now: time.Now().UTC(), Faults: localcw.Faults{Throttle: 1}})
	for k, v := range map[string]string{"AWS_ENDPOINT_URL_CLOUDWATCH": url, "AWS_ACCESS_KEY_ID": "AKIDLOCAL",
		"AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "us-east-1", "AWS_CONFIG_FILE": "/nonexistent",
		"AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "CWNB_OFFLINE": ""} {
		t.Setenv(k, v)
	}
	var stdout, stderr bytes.Buffer
	code := run([]string{"get", "-namespace", "A", "-metric", "B", "-since", "1h", "-period", "1m", "-no-cache",
		"-max-attempts", "2", "-rate-limit", "100"}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "Rate exceeded") || !strings.Contains(stderr.String(), "-rate-limit N lowers") {
		t.Errorf("exit %d, stderr %q; want 1, the throttling error and the flags that address it", code, stderr.String())
	}
	if n := srv.Calls("GetMetricData"); n != 2 {
		t.Errorf("%d GetMetricData attempts, want 2", n)
	}
}

// TestGetNoCacheOfflineEnv: -no-cache under CWNB_OFFLINE=1 could answer nothing: an error that
// names both.
func TestGetNoCacheOfflineEnv(t *testing.T) {
	t.Setenv("CWNB_OFFLINE", "1")
	var stdout, stderr bytes.Buffer
	code := run([]string{"get", "-namespace", "A", "-metric", "B", "-since", "1h", "-no-cache"}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "CWNB_OFFLINE=1 answers only from the cache and -no-cache") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

// TestGetCallTimeout: -call-timeout reaches the loader: against a server that answers every
// request only after 2 s, `cwnb get -call-timeout 300ms` fails with the timeout and names the
// flags that bound it (issue 15, item 7). Bad values are refused before any call.
func TestGetCallTimeout(t *testing.T) {
	srv, url := localcwtest.Start(t, localcw.Options{Now: time.Now().UTC(), Faults: localcw.Faults{Latency: 2 * time.Second}})
	for k, v := range map[string]string{"AWS_ENDPOINT_URL_CLOUDWATCH": url, "AWS_ACCESS_KEY_ID": "AKIDLOCAL",
		"AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "us-east-1", "AWS_CONFIG_FILE": "/nonexistent",
		"AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "CWNB_OFFLINE": ""} {
		t.Setenv(k, v)
	}
	base := []string{"get", "-namespace", "A", "-metric", "B", "-since", "1h", "-period", "1m", "-no-cache"}
	var stdout, stderr bytes.Buffer
	code := run(append(base, "-call-timeout", "300ms", "-max-attempts", "1"), &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "-call-timeout bounds one call") {
		t.Errorf("exit %d, stderr %q; want 1 and the timeout naming -call-timeout", code, stderr.String())
	}
	if n := srv.Calls("GetMetricData"); n > 1 {
		t.Errorf("%d GetMetricData attempts with -max-attempts 1", n)
	}
	for _, bad := range [][]string{{"-call-timeout", "0s"}, {"-timeout", "-1m"}} {
		stderr.Reset()
		if code := run(append(append([]string{}, base...), bad...), &stdout, &stderr); code == 0 || !strings.Contains(stderr.String(), bad[0]+" ") {
			t.Errorf("%v: exit %d, stderr %q; want an error naming %s", bad, code, stderr.String(), bad[0])
		}
	}
}
