package cwnb

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cwnb/cwnb/cwnb/alarm"
	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
)

const tailYAML = `title: Is the average hiding our tail?
question: Does p99 jump at the top of the hour?
region: us-east-1
window:
  start: 2026-11-19T00:00:00Z
  length: 24h
period: 1m
fill: nan
metrics:
  - id: lat
    namespace: MyService/API
    name: Latency
    stats: [Average, p99]
    dimensions: {Service: checkout}
    unit: Milliseconds
  - namespace: MyService/API
    metric: Requests
    statistic: Sum
    dims:
      - {Name: Service, Value: checkout}
expressions:
  - id: ratio
    expression: lat_p99 / lat_avg
    label: p99 over average
    unit: ratio
`

func TestParseInvestigation(t *testing.T) {
	inv, err := parseInvestigation("tail.yaml", []byte(tailYAML))
	if err != nil {
		t.Fatal(err)
	}
	want := Query{
		Title:   "Is the average hiding our tail?",
		Regions: []string{"us-east-1"},
		Window:  Between(date("2026-11-19T00:00:00Z"), date("2026-11-20T00:00:00Z")),
		Period:  time.Minute,
		Metrics: []Metric{
			{ID: "lat", Namespace: "MyService/API", Name: "Latency", Stats: []string{"Average", "p99"}, Dims: Dims{"Service": "checkout"}, Unit: "Milliseconds"},
			{Namespace: "MyService/API", Name: "Requests", Stats: []string{"Sum"}, Dims: Dims{"Service": "checkout"}},
		},
		Expressions: []Expression{{ID: "ratio", Expr: "lat_p99 / lat_avg", Label: "p99 over average", Unit: "ratio"}},
	}
	if diff := cmp.Diff(want, inv.Query, cmp.AllowUnexported(Query{}, Window{})); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}
	if inv.Question != "Does p99 jump at the top of the hour?" {
		t.Errorf("question %q", inv.Question)
	}
}

// TestParseInvestigationErrors: every malformed file names the line to fix.
func TestParseInvestigationErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"syntax", "title: [unclosed\nwindow: x\n", "line"},
		{"unknown top key", "title: x\nwindwo: {last: 24h}\n", "tail.yaml:2: unknown key \"windwo\""},
		{"unknown metric key", "window: {last: 24h}\nmetrics:\n  - namespace: A\n    name: B\n    statstic: p99\n", "tail.yaml:5: unknown key \"statstic\""},
		{"bad statistic", "window: {last: 24h}\nmetrics:\n  - namespace: A\n    name: B\n    stat: p999x\n", "tail.yaml:5: "},
		{"bad period", "window: {last: 24h}\nperiod: 90s\nmetrics:\n  - {namespace: A, name: B}\n", "tail.yaml:2: period 1m30s is not a multiple of 60s"},
		{"no namespace", "window: {last: 24h}\nmetrics:\n  - name: B\n", "tail.yaml:3: metric 1 has no namespace"},
		{"bad window", "window:\n  start: 2026-11-19T00:00:00Z\n  length: forever\nmetrics:\n  - {namespace: A, name: B}\n", "tail.yaml:3: window length \"forever\""},
		{"inverted window", "window:\n  start: 2026-11-19T00:00:00Z\n  end: 2026-11-18T00:00:00Z\nmetrics:\n  - {namespace: A, name: B}\n", "tail.yaml:3: window end"},
		{"no window", "metrics:\n  - {namespace: A, name: B}\n", "tail.yaml:1: no window"},
		{"unknown reference", "window: {last: 24h}\nmetrics:\n  - {id: a, namespace: A, name: B}\nexpressions:\n  - expression: a / b\n", "tail.yaml:5: expression refers to \"b\""},
		{"bad math", "window: {last: 24h}\nmetrics:\n  - {id: a, namespace: A, name: B}\nexpressions:\n  - expression: a +* 2\n", "tail.yaml:5: expression \"a +* 2\""},
		{"duplicate id", "window: {last: 24h}\nmetrics:\n  - {id: a, namespace: A, name: B}\n  - {id: a, namespace: A, name: C}\n", "tail.yaml:4: id \"a\" is used twice"},
		{"metrics not a list", "window: {last: 24h}\nmetrics: {namespace: A}\n", "tail.yaml:2: metrics must be a list"},
		{"dimension without value", "window: {last: 24h}\nmetrics:\n  - namespace: A\n    name: B\n    dimensions: {Service: }\n", "tail.yaml:5: dimension Service"},
		{"empty", "", "is empty"},
		{"duplicate dimension", "window: {last: 24h}\nmetrics:\n  - namespace: A\n    name: B\n    dimensions:\n      Service: a\n      Service: b\n", "tail.yaml:7: dimension Service appears twice"},
		{"duplicate dimension in list form", "window: {last: 24h}\nmetrics:\n  - namespace: A\n    name: B\n    dimensions:\n      - {Name: S, Value: a}\n      - {Name: S, Value: b}\n", "tail.yaml:7: dimension S appears twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseInvestigation("tail.yaml", []byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("err does not wrap ErrInvalid")
			}
		})
	}
}

// TestLoadFile loads an investigation file from the local CloudWatch.
func TestLoadFile(t *testing.T) {
	srv, url := localcwtest.Start(t, localcw.Options{Now: testNow})
	from := testNow.Add(-5 * time.Hour)
	putRamp(t, url, from, 10, nil)
	path := filepath.Join(t.TempDir(), "inv.yaml")
	os.WriteFile(path, []byte(`title: ramp
window: {start: `+from.Format(time.RFC3339)+`, length: 10m}
period: 1m
metrics:
  - {namespace: MyService/API, name: Latency, stats: "Maximum, SampleCount", dimensions: {Service: checkout}}
`), 0o644)
	c := localcwtest.Client(t, url)
	inv, err := readInvestigation(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Load(context.Background(), inv.Query, withAPI(c), withCacheDir(t.TempDir()), withRegion("us-east-1"), func(o *Options) { o.Now = func() time.Time { return testNow } })
	if err != nil {
		t.Fatal(err)
	}
	if res.Title != "ramp" || len(res.Series) != 2 || srv.Calls("GetMetricData") != 1 {
		t.Fatalf("title %q, %d series, %d calls", res.Title, len(res.Series), srv.Calls("GetMetricData"))
	}
	if got := res.Series[0].Values[9]; got != 1000 {
		t.Errorf("Maximum of minute 9 = %v, want 1000", got)
	}
}

// TestInvestigationAlarms: an investigation file can carry the alarms it tunes (issue 13): the
// alarms: key is read by package alarm's reader, the same definitions either way, and a bad alarm
// is an error naming its line.
func TestInvestigationAlarms(t *testing.T) {
	file := tailYAML + `alarms:
  - name: checkout-p99
    namespace: MyService/API
    metric: Latency
    dimensions: {Service: checkout}
    stat: p99
    period: 1m
    threshold: "> 1500"
    datapoints: 2 of 3
    treat_missing_data: notBreaching
`
	inv, err := parseInvestigation("tail.yaml", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	direct, err := alarm.ParseYAML("tail.yaml", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Alarms) != 1 || !cmp.Equal(inv.Alarms, direct) {
		t.Fatalf("alarms %+v, alarm.ParseYAML %+v", inv.Alarms, direct)
	}
	a := inv.Alarms[0]
	if a.Name != "checkout-p99" || a.Statistic != "p99" || a.Threshold != 1500 || a.EvaluationPeriods != 3 || a.DatapointsToAlarm != 2 || a.Period != time.Minute {
		t.Errorf("alarm %+v", a)
	}
	if len(inv.Query.Metrics) != 2 {
		t.Errorf("the metrics were lost: %+v", inv.Query.Metrics)
	}
	bad := strings.Replace(file, `threshold: "> 1500"`, `threshold: "> lots"`, 1)
	if _, err := parseInvestigation("tail.yaml", []byte(bad)); !errors.Is(err, ErrInvalid) || !errors.Is(err, alarm.ErrYAML) || !strings.Contains(err.Error(), "tail.yaml:") {
		t.Errorf("a bad alarm threshold: err = %v, want an error naming the file and line", err)
	}
}
