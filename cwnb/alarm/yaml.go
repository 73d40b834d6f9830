package alarm

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// ErrYAML is wrapped by every error about the content of an alarms YAML file.
var ErrYAML = errors.New("bad alarm definition")

// yamlAlarm is one alarm as written in YAML.
type yamlAlarm struct {
	Name        string            `yaml:"name"`
	Description string            `yaml:"description"`
	Namespace   string            `yaml:"namespace"`
	Metric      string            `yaml:"metric"`
	Dimensions  map[string]string `yaml:"dimensions"`
	Stat        string            `yaml:"stat"`
	Unit        string            `yaml:"unit"`
	Period      string            `yaml:"period"`
	Threshold   string            `yaml:"threshold"`
	Comparison  string            `yaml:"comparison"`
	Datapoints  string            `yaml:"datapoints"`
	// EvaluationPeriods and DatapointsToAlarm are the long form of Datapoints.
	EvaluationPeriods int      `yaml:"evaluation_periods"`
	DatapointsToAlarm int      `yaml:"datapoints_to_alarm"`
	TreatMissingData  string   `yaml:"treat_missing_data"`
	LowSample         string   `yaml:"evaluate_low_sample_count_percentile"`
	ActionsEnabled    *bool    `yaml:"actions_enabled"`
	AlarmActions      []string `yaml:"alarm_actions"`
	OKActions         []string `yaml:"ok_actions"`
}

// ParseYAML reads alarm definitions from YAML, as a list or under a top-level "alarms" key (so
// that they can live in an investigation file). name labels errors (a file name). Example:
//
//	alarms:
//	  - name: checkout-p99
//	    namespace: MyService/API
//	    metric: Latency
//	    dimensions: {Service: checkout}
//	    stat: p99
//	    period: 1m
//	    threshold: "> 1500"        # or threshold: 1500 with comparison: GreaterThanThreshold
//	    datapoints: 2 of 3         # or evaluation_periods: 3 and datapoints_to_alarm: 2
//	    treat_missing_data: notBreaching
//	    evaluate_low_sample_count_percentile: ignore
//
// Comparisons are >, >=, <, <= or the CloudWatch names. An unknown key or a bad value is an
// error naming the file, the line and the alarm; other top-level keys are ignored when "alarms"
// is present.
func ParseYAML(name string, data []byte) ([]Definition, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", name, ErrYAML, err)
	}
	if len(root.Content) == 0 {
		return nil, fmt.Errorf("%s: %w: the file is empty; write a list of alarms or an alarms: key", name, ErrYAML)
	}
	list := root.Content[0]
	if list.Kind == yaml.MappingNode {
		var found *yaml.Node
		for i := 0; i+1 < len(list.Content); i += 2 {
			if list.Content[i].Value == "alarms" {
				found = list.Content[i+1]
			}
		}
		if found == nil {
			return nil, fmt.Errorf("%s:%d: %w: no alarms: key; list the alarms under alarms:", name, list.Line, ErrYAML)
		}
		list = found
	}
	if list.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s:%d: %w: alarms must be a list (each item starting with -)", name, list.Line, ErrYAML)
	}
	var out []Definition
	seen := map[string]int{}
	for _, n := range list.Content {
		d, err := parseYAMLAlarm(n)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w: %v", name, n.Line, ErrYAML, err)
		}
		if prev, dup := seen[d.Name]; dup {
			return nil, fmt.Errorf("%s:%d: %w: alarm %q is already defined at line %d; names must be unique", name, n.Line, ErrYAML, d.Name, prev)
		}
		seen[d.Name] = n.Line
		out = append(out, d)
	}
	return out, nil
}

func parseYAMLAlarm(n *yaml.Node) (Definition, error) {
	var d Definition
	if n.Kind != yaml.MappingNode {
		return d, fmt.Errorf("an alarm must be a mapping of keys (name:, metric:, ...)")
	}
	// Decode strictly: an unknown key is a typo.
	b, err := yaml.Marshal(n)
	if err != nil {
		return d, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var y yamlAlarm
	if err := dec.Decode(&y); err != nil {
		return d, fmt.Errorf("%v (keys: name, description, namespace, metric, dimensions, stat, unit, period, threshold, comparison, datapoints, evaluation_periods, datapoints_to_alarm, treat_missing_data, evaluate_low_sample_count_percentile, actions_enabled, alarm_actions, ok_actions)", err)
	}
	if y.Name == "" {
		return d, fmt.Errorf("the alarm has no name:")
	}
	d = Definition{Name: y.Name, Description: y.Description, Namespace: y.Namespace, MetricName: y.Metric, Statistic: y.Stat,
		Unit: y.Unit, AlarmActions: y.AlarmActions, OKActions: y.OKActions, EvaluateLowSampleCountPercentile: y.LowSample,
		ActionsEnabled: y.ActionsEnabled == nil || *y.ActionsEnabled}
	keys := make([]string, 0, len(y.Dimensions))
	for k := range y.Dimensions {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		d.Dimensions = append(d.Dimensions, Dimension{Name: k, Value: y.Dimensions[k]})
	}
	if d.Period, err = parseDuration(y.Period); err != nil {
		return d, fmt.Errorf("alarm %q: period %q: %v", y.Name, y.Period, err)
	}
	th := strings.TrimSpace(y.Threshold)
	for _, op := range []struct {
		sym string
		c   Comparison
	}{{">=", GreaterOrEqual}, {"<=", LessOrEqual}, {">", Greater}, {"<", Less}} {
		if rest, ok := strings.CutPrefix(th, op.sym); ok {
			if y.Comparison != "" {
				return d, fmt.Errorf("alarm %q: threshold %q has an operator and comparison: is set too; keep one", y.Name, y.Threshold)
			}
			d.Comparison, th = op.c, strings.TrimSpace(rest)
			break
		}
	}
	if y.Comparison != "" {
		if d.Comparison, err = ParseComparison(y.Comparison); err != nil {
			return d, fmt.Errorf("alarm %q: %v", y.Name, err)
		}
	}
	if d.Comparison == 0 {
		return d, fmt.Errorf("alarm %q: threshold %q has no comparison; write it like \"> 1500\" or set comparison: GreaterThanThreshold", y.Name, y.Threshold)
	}
	if d.Threshold, err = strconv.ParseFloat(th, 64); err != nil {
		return d, fmt.Errorf("alarm %q: threshold %q is not a number", y.Name, y.Threshold)
	}
	switch {
	case y.Datapoints != "":
		if y.EvaluationPeriods != 0 || y.DatapointsToAlarm != 0 {
			return d, fmt.Errorf("alarm %q: give datapoints: %q or evaluation_periods/datapoints_to_alarm, not both", y.Name, y.Datapoints)
		}
		m, n, ok := strings.Cut(y.Datapoints, " of ")
		mi, err1 := strconv.Atoi(strings.TrimSpace(m))
		ni, err2 := strconv.Atoi(strings.TrimSpace(n))
		if !ok || err1 != nil || err2 != nil {
			return d, fmt.Errorf("alarm %q: datapoints %q is not \"M of N\" (e.g. \"2 of 3\")", y.Name, y.Datapoints)
		}
		d.DatapointsToAlarm, d.EvaluationPeriods = mi, ni
	default:
		d.EvaluationPeriods, d.DatapointsToAlarm = y.EvaluationPeriods, y.DatapointsToAlarm
		if d.EvaluationPeriods == 0 {
			d.EvaluationPeriods = 1
		}
	}
	if d.TreatMissingData, err = ParseMissing(y.TreatMissingData); err != nil {
		return d, fmt.Errorf("alarm %q: %v", y.Name, err)
	}
	if err := d.Validate(); err != nil {
		return d, err
	}
	return d, nil
}

// parseDuration reads a Go duration ("1m", "300s") or a whole number of seconds ("300").
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("missing; write it like 1m or 5m")
	}
	if n, err := strconv.Atoi(s); err == nil {
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("not a duration; write it like 1m, 5m or 300 (seconds)")
	}
	return d, nil
}
