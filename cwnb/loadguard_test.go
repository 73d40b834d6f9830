package cwnb

import (
	"context"
	"errors"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/fxamacker/cbor/v2"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
)

// noAWSEnv empties every environment variable through which the SDK could find credentials, a
// profile or an endpoint, and points HOME at an empty directory: a machine with no AWS set-up.
func noAWSEnv(t *testing.T) {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CONFIG_FILE", home+"/no-config")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", home+"/no-credentials")
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
		"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_CLOUDWATCH", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "CWNB_OFFLINE", "CWNB_NOW"} {
		t.Setenv(k, "")
	}
}

// closedPort returns the URL of a loopback port where nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	return url
}

// TestStoppedServerFailsFast: with nothing listening at the endpoint, the loader's own client
// (8 attempts by default) fails in well under 5 s with the endpoint and what to do.
func TestStoppedServerFailsFast(t *testing.T) {
	noAWSEnv(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "local")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "local")
	url := closedPort(t)
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH", url)
	began := time.Now()
	_, err := Load(context.Background(), checkout.Window("2026-11-19T10:00:00Z", "10m"),
		withRegion("us-east-1"), withCacheDir(t.TempDir()), func(o *Options) { o.Now = func() time.Time { return testNow } })
	if took := time.Since(began); took > 5*time.Second {
		t.Errorf("took %v, want < 5s", took)
	}
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("err = %v; want ErrUnreachable", err)
	}
	for _, want := range []string{url, "cwnb local", "AWS_ENDPOINT_URL_CLOUDWATCH", "connection refused"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if strings.Contains(err.Error(), "exceeded maximum number of attempts") {
		t.Errorf("the SDK retried: %v", err)
	}
}

// TestNoCredentials: with no credentials anywhere, a load fails at once, before any call, with
// one short error naming the profile and region and pointing at CWNB_OFFLINE=1.
func TestNoCredentials(t *testing.T) {
	noAWSEnv(t)
	began := time.Now()
	_, err := Load(context.Background(), checkout.Window("2026-11-19T10:00:00Z", "10m"),
		withRegion("eu-west-1"), withCacheDir(t.TempDir()), func(o *Options) { o.Now = func() time.Time { return testNow } })
	if took := time.Since(began); took > 5*time.Second {
		t.Errorf("took %v", took)
	}
	if !errors.Is(err, ErrCredentials) {
		t.Fatalf("err = %v; want ErrCredentials", err)
	}
	msg := err.Error()
	for _, want := range []string{`profile "default"`, "eu-west-1", "CWNB_OFFLINE=1"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q: %v", want, msg)
		}
	}
	if strings.Count(msg, "\n") > 0 || len(msg) > 600 {
		t.Errorf("error is not one short line (%d bytes): %v", len(msg), msg)
	}
}

// TestWindowOutsideWhatCloudWatchKeeps: a window in the future, or entirely past retention, is
// refused with ErrInvalid before any call (the server sees none).
func TestWindowOutsideWhatCloudWatchKeeps(t *testing.T) {
	srv, url := localcwtest.Start(t, localcw.Options{Now: testNow})
	for name, w := range map[string]Window{
		"future":     Between(time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 6, 0, 0, 0, 0, time.UTC)),
		"starts now": Between(testNow, testNow.Add(time.Hour)),
		"too old":    Between(testNow.Add(-500*24*time.Hour), testNow.Add(-499*24*time.Hour)),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := testLoader(t, url, t.TempDir(), testNow).Load(context.Background(), checkout.over(w))
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v; want ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), w.String()) || !strings.Contains(err.Error(), "move the window") {
				t.Errorf("error does not name the window and what to do: %v", err)
			}
		})
	}
	if n := srv.Calls("GetMetricData") + srv.Calls("ListMetrics"); n != 0 {
		t.Errorf("the server saw %d calls", n)
	}
}

// TestNothingMatched: a typo in the namespace, the metric name or a dimension loads no data; the
// result says so with ErrNoMatch, names the query and suggests the existing name. Without
// suggestions it makes no ListMetrics call.
func TestNothingMatched(t *testing.T) {
	srv, url := localcwtest.Start(t, localcw.Options{Now: testNow})
	from := testNow.Add(-10 * time.Hour)
	putRamp(t, url, from, 10, nil)
	w := Between(from, from.Add(10*time.Minute))
	for _, tc := range []struct {
		name string
		m    Metric
		want string
	}{
		{"namespace", Metric{Namespace: "MyService/APi", Name: "Latency", Dims: Dims{"Service": "checkout"}}, "did you mean MyService/API?"},
		{"metric", Metric{Namespace: "MyService/API", Name: "Latncy", Dims: Dims{"Service": "checkout"}}, "did you mean Latency?"},
		{"dimension", Metric{Namespace: "MyService/API", Name: "Latency", Dims: Dims{"Service": "chekout"}}, "did you mean {Service=checkout}?"},
		{"no data in window", checkout, "exists but has no data in this window"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ww := w
			if tc.name == "no data in window" {
				ww = Between(from.Add(-time.Hour), from.Add(-50*time.Minute))
			}
			res, err := testLoader(t, url, t.TempDir(), testNow).Load(context.Background(), Query{Metrics: []Metric{tc.m}, Window: ww, Period: time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Warnings.has(ErrNoMatch) {
				t.Fatalf("no ErrNoMatch warning: %q", res.Warnings)
			}
			text := res.Warnings.String()
			if !strings.Contains(text, tc.want) || !strings.Contains(text, tc.m.Namespace+" "+tc.m.Name) {
				t.Errorf("warning %q lacks %q or the query", text, tc.want)
			}
			if !strings.Contains(res.String(), "warning: ") {
				t.Errorf("String does not show the warning:\n%s", res)
			}
		})
	}
	t.Run("no suggestions", func(t *testing.T) {
		before := srv.Calls("ListMetrics")
		m := Metric{Namespace: "MyService/APi", Name: "Latency"}
		res, err := testLoader(t, url, t.TempDir(), testNow, func(o *Options) { o.NoSuggest = true }).Load(context.Background(), Query{Metrics: []Metric{m}, Window: w, Period: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Warnings.has(ErrNoMatch) || strings.Contains(res.Warnings.String(), "did you mean") || srv.Calls("ListMetrics") != before {
			t.Errorf("warnings %q after %d ListMetrics calls", res.Warnings, srv.Calls("ListMetrics")-before)
		}
	})
	t.Run("search", func(t *testing.T) {
		q := Query{Expressions: []Expression{{ID: "s", Expr: `SEARCH('{MyService/APi,Service} Latency', 'Average')`}}, Window: w, Period: time.Minute}
		res, err := testLoader(t, url, t.TempDir(), testNow).Load(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Warnings.has(ErrNoMatch) || !strings.Contains(res.Warnings.String(), "namespace MyService/APi holds no metric; did you mean MyService/API?") {
			t.Errorf("warnings %q", res.Warnings)
		}
	})
	t.Run("data", func(t *testing.T) {
		res, err := testLoader(t, url, t.TempDir(), testNow).Load(context.Background(), checkout.over(w))
		if err != nil || res.Warnings.has(ErrNoMatch) {
			t.Errorf("err %v, warnings %q", err, res.Warnings)
		}
	})
}

// TestTimeouts: against 3 s of injected latency, a 200 ms call timeout or a 300 ms load timeout
// ends the load quickly with ErrTimeout and an error that names the option to change.
func TestTimeouts(t *testing.T) {
	faults, _ := localcw.ParseFaults("latency=3s")
	_, url := localcwtest.Start(t, localcw.Options{Now: testNow, Faults: faults})
	for name, tc := range map[string]struct {
		opt  func(*Options)
		want string
	}{
		"call": {func(o *Options) { o.CallTimeout = 200 * time.Millisecond }, "Options.CallTimeout"},
		"load": {func(o *Options) { o.Timeout = 300 * time.Millisecond }, "Options.Timeout"},
	} {
		t.Run(name, func(t *testing.T) {
			began := time.Now()
			_, err := testLoader(t, url, t.TempDir(), testNow, tc.opt, func(o *Options) { o.NoSuggest = true }).Load(context.Background(), checkout.Window("2026-11-19T10:00:00Z", "10m"))
			if took := time.Since(began); took > 2500*time.Millisecond {
				t.Errorf("took %v", took)
			}
			if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v; want ErrTimeout naming %s", err, tc.want)
			}
		})
	}
}

// TestRetriesInResult: under throttling, Result.Retries is every request the server saw beyond
// the calls.
func TestRetriesInResult(t *testing.T) {
	faults, _ := localcw.ParseFaults("throttle=0.5,seed=11")
	srv, url := localcwtest.Start(t, localcw.Options{Now: testNow, Faults: faults})
	putRamp(t, url, testNow.Add(-10*time.Hour), 10, nil)
	before := srv.Calls("GetMetricData")
	var ms []Metric
	for _, s := range []string{"Average", "p99", "Sum", "Maximum"} {
		m := checkout
		m.ID, m.Stats = "m"+strings.ToLower(s), []string{s}
		ms = append(ms, m)
	}
	l := testLoader(t, url, t.TempDir(), testNow, func(o *Options) { o.NoSuggest = true })
	res, err := l.Load(context.Background(), Query{Metrics: ms, Window: Between(testNow.Add(-10*time.Hour), testNow.Add(-9*time.Hour)), Period: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.Calls("GetMetricData") - before; res.Calls+res.Retries != got {
		t.Errorf("%d calls + %d retries, server saw %d", res.Calls, res.Retries, got)
	}
}

// TestOptionsAreChecked: every option refuses a value it cannot use, at New or Load; a nil
// context, a nil loader and an empty query are errors, not panics.
func TestOptionsAreChecked(t *testing.T) {
	for name, opt := range map[string]func(*Options){
		"rate +Inf":    func(o *Options) { o.RateLimit = math.Inf(1) },
		"rate NaN":     func(o *Options) { o.RateLimit = math.NaN() },
		"rate -1":      func(o *Options) { o.RateLimit = -1 },
		"call timeout": func(o *Options) { o.CallTimeout = -time.Second },
		"timeout":      func(o *Options) { o.Timeout = -time.Second },
		"client":       withAPI(nil),
		"attempts":     func(o *Options) { o.MaxAttempts = -1 },
		"nil option":   nil,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := newLoader(opt); err == nil {
				t.Errorf("New accepted it")
			}
			if _, err := Load(context.Background(), checkout.last("1h"), opt); err == nil || !strings.HasPrefix(err.Error(), "cwnb: ") {
				t.Errorf("Load: %v", err)
			}
		})
	}
	var nilCtx context.Context
	l, err := newLoader(withOffline(true), withCacheDir(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Load(nilCtx, checkout.last("1h")); err == nil || !strings.Contains(err.Error(), "context.Background()") {
		t.Errorf("nil context: %v", err)
	}
	var nl *loader
	if _, err := nl.Load(context.Background(), checkout.last("1h")); err == nil {
		t.Errorf("nil loader: no error")
	}
	if _, err := l.Load(context.Background(), Query{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("zero query: %v", err)
	}
}

// TestMemoryLimit: a load estimated above the limit is refused before any call, with the
// estimate and a longer period to use; under the limit it loads.
func TestMemoryLimit(t *testing.T) {
	srv, url := localcwtest.Start(t, localcw.Options{Now: testNow})
	q := Query{Metrics: []Metric{checkout}, Window: Between(testNow.Add(-24*time.Hour), testNow.Add(-time.Hour)), Period: time.Minute}
	// 1 series × 1,380 minutes × 68 bytes = 93,840 bytes.
	_, err := testLoader(t, url, t.TempDir(), testNow, func(o *Options) { o.MemoryLimit = 90_000 }).Load(context.Background(), q)
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v; want ErrInvalid", err)
	}
	for _, want := range []string{"93.8 kB", "90.0 kB", "Query.Period: 5m", "Options.MemoryLimit"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if srv.Calls("GetMetricData") != 0 {
		t.Errorf("a call was made")
	}
	if _, err := testLoader(t, url, t.TempDir(), testNow, func(o *Options) { o.MemoryLimit = 100_000 }, func(o *Options) { o.NoSuggest = true }).Load(context.Background(), q); err != nil {
		t.Errorf("under the limit: %v", err)
	}
}

// TestDisplayIsDeterministic: what a notebook saves (String, HTML) is byte-identical whether the
// load was cold, served by the cache, or made under throttling with retries; what the runs did
// differs and stays out of it.
func TestDisplayIsDeterministic(t *testing.T) {
	from := testNow.Add(-10 * time.Hour)
	q := Query{Title: "ramp", Metrics: []Metric{{Namespace: "MyService/API", Name: "Latency", Dims: Dims{"Service": "checkout"}, Stats: []string{"Average", "p99"}}},
		Expressions: []Expression{{ID: "s", Expr: `SEARCH('{MyService/API,Service} Latency', 'Maximum')`}}, Window: Between(from, from.Add(10*time.Minute)), Period: time.Minute}
	_, url := localcwtest.Start(t, localcw.Options{Now: testNow})
	putRamp(t, url, from, 10, map[int]bool{4: true})
	dir := t.TempDir()
	cold, err := testLoader(t, url, dir, testNow).Load(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	cached, err := testLoader(t, url, dir, testNow).Load(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	faults, _ := localcw.ParseFaults("throttle=0.5,seed=5")
	_, url2 := localcwtest.Start(t, localcw.Options{Now: testNow, Faults: faults})
	putRamp(t, url2, from, 10, map[int]bool{4: true})
	retried, err := testLoader(t, url2, t.TempDir(), testNow).Load(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if cold.Calls == 0 || cached.Calls != 0 || cached.Cache.Hits == 0 || retried.Retries == 0 {
		t.Fatalf("the runs did not differ: calls %d/%d, hits %d, retries %d", cold.Calls, cached.Calls, cached.Cache.Hits, retried.Retries)
	}
	for _, r := range []*Result{cached, retried} {
		if r.String() != cold.String() || r.html() != cold.html() {
			t.Errorf("output differs from the cold run's:\n%s\nvs\n%s", r, cold)
		}
	}
	// 2 metrics and 1 SEARCH series: 3 metrics at $0.01 per 1,000.
	if !strings.Contains(cold.summary(), "est. $0.00003 per uncached load") || strings.Contains(cold.String(), "calls") {
		t.Errorf("summary %q", cold.summary())
	}
}

// TestColumnNames: the loader names columns by the rule of Result.Columns, metric math without a
// Label gets a readable name and "%" for a ratio times 100, and an unknown column is an error that
// lists the columns.
func TestColumnNames(t *testing.T) {
	_, url := localcwtest.Start(t, localcw.Options{Now: testNow})
	from := testNow.Add(-10 * time.Hour)
	putRamp(t, url, from, 10, nil)
	cart := Metric{ID: "cart", Namespace: "MyService/API", Name: "Latency", Dims: Dims{"Service": "cart"}, Stats: []string{"Sum"}}
	co := Metric{ID: "co", Namespace: "MyService/API", Name: "Latency", Dims: Dims{"Service": "checkout"}, Stats: []string{"Sum", "p99"}}
	named := Metric{ID: "named", Namespace: "MyService/API", Name: "Latency", Dims: Dims{"Service": "checkout"}, Stats: []string{"Maximum"}, Label: "worst"}
	q := Query{Metrics: []Metric{cart, co, named}, Expressions: []Expression{
		{ID: "share", Expr: "co_sum / (co_sum + cart) * 100"},
		{ID: "pct", Expr: "cart / co_sum * 100"},
		{ID: "x", Expr: "co_p99 / named", Label: "p99 over max", Unit: "ratio"},
	}, Window: Between(from, from.Add(10*time.Minute)), Period: time.Minute}
	res, err := testLoader(t, url, t.TempDir(), testNow, func(o *Options) { o.NoSuggest = true }).Load(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Latency cart Sum", "Latency checkout Sum", "Latency p99", "worst",
		"Latency checkout Sum / (Latency checkout Sum + Latency cart Sum) * 100", "Latency cart Sum / Latency checkout Sum * 100", "p99 over max"}
	if got := res.Columns(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("columns\n%q\nwant\n%q", got, want)
	}
	units := map[string]string{}
	for _, s := range res.Series {
		units[s.ID] = s.Unit
	}
	if units["share"] != "" || units["pct"] != "%" || units["x"] != "ratio" {
		t.Errorf("units %v; want share none (not a plain ratio), pct %%, x ratio", units)
	}
	_, ok := res.lookup("Duration p99")
	defer func() {
		err, _ := recover().(error)
		if !errors.Is(err, ErrNoColumn) || !strings.Contains(err.Error(), `"Latency p99"`) || ok {
			t.Errorf("Values of an unknown column: %v", err)
		}
	}()
	res.Values("Duration p99")
}

// TestExpiredCredentials: an endpoint that refuses the request's credentials (the answer
// CloudWatch gives an expired session token, written here in the Smithy RPC v2 CBOR error form
// the SDK decodes) gives the short credentials error, after one request.
func TestExpiredCredentials(t *testing.T) {
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests++
		body, _ := cbor.Marshal(map[string]string{"__type": "com.amazon.coral.service#ExpiredTokenException", "message": "The security token included in the request is expired"})
		w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
		w.Header().Set("Content-Type", "application/cbor")
		w.WriteHeader(http.StatusBadRequest)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	l := testLoader(t, srv.URL, t.TempDir(), testNow, withProfile("prod"))
	_, err := l.Load(context.Background(), checkout.Window("2026-11-19T10:00:00Z", "10m"))
	if !errors.Is(err, ErrCredentials) {
		t.Fatalf("err = %v; want ErrCredentials", err)
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ExpiredTokenException" {
		t.Errorf("the SDK's error is not kept: %v", err)
	}
	if !strings.Contains(err.Error(), `profile "prod"`) || !strings.Contains(err.Error(), "CWNB_OFFLINE=1") || requests != 1 {
		t.Errorf("after %d requests: %v", requests, err)
	}
}

// TestCachedLoadNeedsNoCredentials: credentials are looked up before the first call, not when
// the client is made, so a load the cache answers works on a machine without them.
func TestCachedLoadNeedsNoCredentials(t *testing.T) {
	noAWSEnv(t)
	_, url := localcwtest.Start(t, localcw.Options{Now: testNow})
	putRamp(t, url, testNow.Add(-10*time.Hour), 10, nil)
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH", url)
	dir := t.TempDir()
	q := checkout.Window(testNow.Add(-10*time.Hour).Format(time.RFC3339), "10m")
	opts := []func(*Options){withRegion("us-east-1"), withCacheDir(dir), func(o *Options) { o.Now = func() time.Time { return testNow } }}
	t.Setenv("AWS_ACCESS_KEY_ID", "local")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "local")
	first, err := Load(context.Background(), q, opts...)
	if err != nil || first.Calls != 1 {
		t.Fatalf("with credentials: %v", err)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	again, err := Load(context.Background(), q, opts...)
	if err != nil || again.Calls != 0 || again.String() != first.String() {
		t.Fatalf("from the cache without credentials: %v", err)
	}
	wider := checkout.Window(testNow.Add(-11*time.Hour).Format(time.RFC3339), "2h")
	if _, err := Load(context.Background(), wider, opts...); !errors.Is(err, ErrCredentials) {
		t.Errorf("a load that needs a call: %v, want ErrCredentials", err)
	}
}
