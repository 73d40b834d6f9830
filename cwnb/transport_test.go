package cwnb

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
	"github.com/cwnb/cwnb/cwnb/localcw/scenario"
)

// TestDefaultClientKeepsConnectionsToAFastServer loads through the loader's own SDK client (the
// one LoadDefaultConfig builds, as in a notebook) with retries off: a connection dropped by the
// SDK's request-body race (see package sdkhttp) would surface as an error, and a retried request
// as a server call more than the result counts.
func TestDefaultClientKeepsConnectionsToAFastServer(t *testing.T) {
	bench, err := scenario.New("bench", 1)
	if err != nil {
		t.Fatal(err)
	}
	srv, url := localcwtest.Start(t, localcw.Options{Now: testNow, Scenarios: []scenario.Scenario{bench}, Faults: localcw.Faults{PageSize: 10_000}})
	t.Setenv("AWS_ACCESS_KEY_ID", "local")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "local")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	l, err := newLoader(func(o *Options) {
		o.Endpoint = url
		o.NoCache = true
		o.MaxAttempts = 1
		o.Concurrency = 1
		o.RateLimit = 1000
		o.Now = func() time.Time { return testNow }
		o.NoProgress = true
	})
	if err != nil {
		t.Fatal(err)
	}
	var ms []Metric
	for i := range 200 {
		ms = append(ms, Metric{Namespace: "Bench", Name: "Latency", Dims: Dims{"Series": fmt.Sprintf("s%03d", i)}})
	}
	q := Query{Metrics: ms, Window: Between(testNow.Add(-24*time.Hour), testNow), Period: time.Minute}
	calls := 0
	for round := range 6 {
		r, err := l.Load(context.Background(), q)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		calls += r.Calls
	}
	if got := srv.Calls("GetMetricData"); got != calls || calls != 6*29 {
		t.Errorf("the server answered %d GetMetricData requests, the loader counted %d; want both %d (29 pages of 10,000 points, 6 rounds)", got, calls, 6*29)
	}
}
