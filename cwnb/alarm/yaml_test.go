package alarm

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseYAML(t *testing.T) {
	src := `
title: ignored when alarms is present
alarms:
  - name: checkout-p99
    namespace: MyService/API
    metric: Latency
    dimensions: {Service: checkout}
    stat: p99
    period: 1m
    threshold: "> 1500"
    datapoints: 2 of 3
    treat_missing_data: notBreaching
    evaluate_low_sample_count_percentile: ignore
  - name: cpu
    namespace: AWS/EC2
    metric: CPUUtilization
    stat: Average
    period: 300
    threshold: 90
    comparison: GreaterThanOrEqualToThreshold
    evaluation_periods: 3
`
	defs, err := ParseYAML("inv.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(defs) != 2 {
		t.Fatalf("%d definitions", len(defs))
	}
	a, b := defs[0], defs[1]
	if a.Comparison != Greater || a.Threshold != 1500 || a.M() != 2 || a.EvaluationPeriods != 3 || a.Period != time.Minute ||
		a.TreatMissingData != NotBreaching || a.Dimensions[0] != (Dimension{"Service", "checkout"}) || !a.ActionsEnabled {
		t.Errorf("first: %+v", a)
	}
	if b.Comparison != GreaterOrEqual || b.Period != 5*time.Minute || b.M() != 3 {
		t.Errorf("second: %+v", b)
	}
}

func TestParseYAMLErrors(t *testing.T) {
	cases := []struct{ src, want string }{
		{"", "empty"},
		{"title: x", "no alarms: key"},
		{"alarms: 3", "must be a list"},
		{"- name: a\n  metric: M\n  namespace: N\n  stat: p99\n  period: 1m\n  threshold: 5\n", "has no comparison"},
		{"- name: a\n  metric: M\n  namespace: N\n  stat: p99\n  period: 1m\n  threshold: '> x'\n", "not a number"},
		{"- name: a\n  metric: M\n  namespace: N\n  stat: p99\n  period: 90s\n  threshold: '> 1'\n", "Period 1m30s"},
		{"- name: a\n  metirc: M\n", "metirc"},
		{"- name: a\n  metric: M\n  namespace: N\n  stat: p99\n  period: 1m\n  threshold: '> 1'\n  datapoints: two\n", "M of N"},
		{"- name: a\n  metric: M\n  namespace: N\n  stat: p99\n  period: 1m\n  threshold: '> 1'\n- name: a\n  metric: M\n  namespace: N\n  stat: p99\n  period: 1m\n  threshold: '> 1'\n", "already defined at line 1"},
	}
	for _, c := range cases {
		_, err := ParseYAML("f.yaml", []byte(c.src))
		if err == nil || !errors.Is(err, ErrYAML) && !strings.Contains(err.Error(), "f.yaml") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want it to contain %q", c.src, err, c.want)
		}
	}
}

func FuzzParseYAML(f *testing.F) {
	f.Add("- name: a\n  metric: M\n  namespace: N\n  stat: p99\n  period: 1m\n  threshold: '> 1'\n  datapoints: 2 of 3\n")
	f.Add("alarms: [{name: x}]")
	f.Add("alarms:\n  - {}\n")
	f.Fuzz(func(t *testing.T, src string) {
		defs, err := ParseYAML("fz.yaml", []byte(src))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fz.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for i := range defs {
			if err := defs[i].Validate(); err != nil {
				t.Fatalf("ParseYAML returned an invalid definition: %v", err)
			}
		}
	})
}
