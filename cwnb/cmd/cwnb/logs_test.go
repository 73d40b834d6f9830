package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

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
			return locallogs.New(locallogs.Options{Now: now, Metrics: m, Groups: scenario.LogGroups(sc)})
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
