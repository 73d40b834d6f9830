package alarm

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/cwnb/cwnb/cwnb/cwstat"
)

// State is an alarm state.
type State int

// The alarm states. The zero State is InsufficientData, the state of a new alarm.
const (
	InsufficientData State = iota
	OK
	Alarm
)

// String returns the CloudWatch name: "INSUFFICIENT_DATA", "OK" or "ALARM".
func (s State) String() string {
	switch s {
	case OK:
		return "OK"
	case Alarm:
		return "ALARM"
	case InsufficientData:
		return "INSUFFICIENT_DATA"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// ParseState parses "OK", "ALARM" or "INSUFFICIENT_DATA".
func ParseState(s string) (State, error) {
	switch s {
	case "OK":
		return OK, nil
	case "ALARM":
		return Alarm, nil
	case "INSUFFICIENT_DATA":
		return InsufficientData, nil
	}
	return 0, fmt.Errorf("alarm state %q is not one of OK, ALARM, INSUFFICIENT_DATA", s)
}

// TreatMissing is how an alarm treats missing data (TreatMissingData).
type TreatMissing int

// The TreatMissingData modes. The zero TreatMissing is Missing, CloudWatch's default.
const (
	// Missing: if every point of the evaluation range is missing the alarm goes to
	// INSUFFICIENT_DATA.
	Missing TreatMissing = iota
	// Ignore keeps the current state when the range is empty.
	Ignore
	// Breaching treats missing points as breaching.
	Breaching
	// NotBreaching treats missing points as good.
	NotBreaching
)

// String returns the CloudWatch spelling: "missing", "ignore", "breaching", "notBreaching".
func (m TreatMissing) String() string {
	switch m {
	case Missing:
		return "missing"
	case Ignore:
		return "ignore"
	case Breaching:
		return "breaching"
	case NotBreaching:
		return "notBreaching"
	}
	return fmt.Sprintf("TreatMissing(%d)", int(m))
}

// ParseMissing parses a TreatMissingData value; "" is the default, missing.
func ParseMissing(s string) (TreatMissing, error) {
	switch s {
	case "", "missing":
		return Missing, nil
	case "ignore":
		return Ignore, nil
	case "breaching":
		return Breaching, nil
	case "notBreaching":
		return NotBreaching, nil
	}
	return 0, fmt.Errorf("TreatMissingData %q is not one of missing, ignore, breaching, notBreaching", s)
}

// Comparison is an alarm's ComparisonOperator for a static threshold.
type Comparison int

// The static-threshold comparison operators.
const (
	GreaterOrEqual Comparison = iota + 1
	Greater
	Less
	LessOrEqual
)

var comparisonNames = [...]string{
	GreaterOrEqual: "GreaterThanOrEqualToThreshold",
	Greater:        "GreaterThanThreshold",
	Less:           "LessThanThreshold",
	LessOrEqual:    "LessThanOrEqualToThreshold",
}

var comparisonWords = [...]string{
	GreaterOrEqual: "greater than or equal to",
	Greater:        "greater than",
	Less:           "less than",
	LessOrEqual:    "less than or equal to",
}

// String returns the CloudWatch name, e.g. "GreaterThanThreshold".
func (c Comparison) String() string {
	if c >= GreaterOrEqual && c <= LessOrEqual {
		return comparisonNames[c]
	}
	return fmt.Sprintf("Comparison(%d)", int(c))
}

// ParseComparison parses a ComparisonOperator. The anomaly-band operators are refused: their
// threshold is a band, which this package does not model.
func ParseComparison(s string) (Comparison, error) {
	for c := GreaterOrEqual; c <= LessOrEqual; c++ {
		if comparisonNames[c] == s {
			return c, nil
		}
	}
	if strings.Contains(s, "Lower") || strings.Contains(s, "Upper") {
		return 0, fmt.Errorf("ComparisonOperator %q compares with an anomaly detection band, which cannot be replayed; use a static threshold operator such as GreaterThanThreshold", s)
	}
	return 0, fmt.Errorf("ComparisonOperator %q is not one of GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold", s)
}

// Breaches reports whether value v breaches threshold t. NaN never breaches.
func (c Comparison) Breaches(v, t float64) bool {
	switch c {
	case GreaterOrEqual:
		return v >= t
	case Greater:
		return v > t
	case Less:
		return v < t
	case LessOrEqual:
		return v <= t
	}
	return false
}

// Dimension is a name/value pair of a metric.
type Dimension struct{ Name, Value string }

// Query is one metric or expression of a metric-math alarm (a MetricDataQuery). Exactly one of
// Expression and MetricName is set; ReturnData marks the one the alarm watches.
type Query struct {
	ID         string
	Expression string
	Label      string
	Namespace  string
	MetricName string
	Dimensions []Dimension
	Stat       string
	Unit       string
	Period     time.Duration
	ReturnData bool
}

// Definition is a metric alarm, with the members of PutMetricAlarm and DescribeAlarms'
// MetricAlarm. Zero fields mean the documented default: DatapointsToAlarm 0 is
// EvaluationPeriods, TreatMissingData the zero Missing ("missing").
type Definition struct {
	Name        string
	Description string

	// The metric: Namespace, MetricName, Dimensions, Statistic (a basic statistic or an extended
	// one such as "p99" or "TM(10%:90%)") and Unit; or Metrics for a metric-math alarm.
	Namespace  string
	MetricName string
	Dimensions []Dimension
	Statistic  string
	Unit       string
	Metrics    []Query

	Period            time.Duration
	EvaluationPeriods int // N
	DatapointsToAlarm int // M; 0 means N
	Threshold         float64
	Comparison        Comparison
	TreatMissingData  TreatMissing
	// EvaluateLowSampleCountPercentile is "", "evaluate" or "ignore".
	EvaluateLowSampleCountPercentile string
	ActionsEnabled                   bool
	AlarmActions, OKActions          []string
	InsufficientDataActions          []string
}

// M returns DatapointsToAlarm, defaulting to EvaluationPeriods.
func (d *Definition) M() int {
	if d.DatapointsToAlarm > 0 {
		return d.DatapointsToAlarm
	}
	return d.EvaluationPeriods
}

// Treat returns the effective TreatMissingData: ignore for namespace AWS/DynamoDB, which
// CloudWatch always evaluates that way (User Guide, AlarmThatSendsEmail.md "DynamoDB alarms").
func (d *Definition) Treat() TreatMissing {
	if d.Namespace == "AWS/DynamoDB" {
		return Ignore
	}
	for _, q := range d.Metrics {
		if q.Namespace == "AWS/DynamoDB" {
			return Ignore
		}
	}
	return d.TreatMissingData
}

// Step returns the evaluation interval: 10 s for periods below a minute, else 1 minute.
func (d *Definition) Step() time.Duration {
	if d.Period < time.Minute {
		return 10 * time.Second
	}
	return time.Minute
}

// maxWindow is the limit of Period × EvaluationPeriods: 7 days, 1 day when Period is
// below an hour (PutMetricAlarm's Period documentation).
func maxWindow(period time.Duration) time.Duration {
	if period < time.Hour {
		return 24 * time.Hour
	}
	return 7 * 24 * time.Hour
}

// Validate checks the definition against the documented PutMetricAlarm constraints and returns
// an error naming the member and what to use instead.
func (d *Definition) Validate() error {
	p := d.Period
	switch {
	case p <= 0:
		return fmt.Errorf("alarm %q: Period %v must be positive; use 60s or a multiple of it", d.Name, p)
	case p%time.Second != 0 || (p < time.Minute && p != 10*time.Second && p != 20*time.Second && p != 30*time.Second) ||
		(p >= time.Minute && p%time.Minute != 0):
		return fmt.Errorf("alarm %q: Period %v is not 10s, 20s, 30s or a multiple of 60s", d.Name, p)
	}
	if d.EvaluationPeriods < 1 {
		return fmt.Errorf("alarm %q: EvaluationPeriods %d must be at least 1", d.Name, d.EvaluationPeriods)
	}
	if m := d.DatapointsToAlarm; m < 0 || m > d.EvaluationPeriods {
		return fmt.Errorf("alarm %q: DatapointsToAlarm %d must be between 1 and EvaluationPeriods (%d)", d.Name, m, d.EvaluationPeriods)
	}
	if w := p * time.Duration(d.EvaluationPeriods); w > maxWindow(p) {
		return fmt.Errorf("alarm %q: Period × EvaluationPeriods is %v, above the %v limit for a %v period; use fewer evaluation periods or a longer period",
			d.Name, w, maxWindow(p), p)
	}
	if d.Comparison < GreaterOrEqual || d.Comparison > LessOrEqual {
		return fmt.Errorf("alarm %q: ComparisonOperator is not set; use GreaterThanThreshold or another static operator", d.Name)
	}
	if math.IsNaN(d.Threshold) || math.IsInf(d.Threshold, 0) {
		return fmt.Errorf("alarm %q: Threshold %v is not a finite number", d.Name, d.Threshold)
	}
	switch d.EvaluateLowSampleCountPercentile {
	case "", "evaluate", "ignore":
	default:
		return fmt.Errorf("alarm %q: EvaluateLowSampleCountPercentile %q is not evaluate or ignore", d.Name, d.EvaluateLowSampleCountPercentile)
	}
	if len(d.Metrics) > 0 {
		if d.MetricName != "" || d.Statistic != "" {
			return fmt.Errorf("alarm %q: give either Metrics (metric math) or MetricName and Statistic, not both", d.Name)
		}
		ret := 0
		for _, q := range d.Metrics {
			if q.ReturnData {
				ret++
			}
		}
		if ret != 1 {
			return fmt.Errorf("alarm %q: exactly one of Metrics must have ReturnData true, %d do", d.Name, ret)
		}
		return nil
	}
	if d.MetricName == "" || d.Namespace == "" {
		return fmt.Errorf("alarm %q: Namespace and MetricName are required (or Metrics for a metric-math alarm)", d.Name)
	}
	if _, err := cwstat.Parse(d.Statistic); err != nil {
		return fmt.Errorf("alarm %q: Statistic: %w", d.Name, err)
	}
	return nil
}

// lowSampleLimit returns the fewest samples a percentile point needs to be significant, and
// whether the low-sample rule applies to the definition at all (a percentile statistic and
// EvaluateLowSampleCountPercentile "ignore").
func (d *Definition) lowSampleLimit() (float64, bool) {
	if d.EvaluateLowSampleCountPercentile != "ignore" {
		return 0, false
	}
	st, err := cwstat.Parse(d.Statistic)
	if err != nil || st.Kind != cwstat.Percentile {
		return 0, false
	}
	return LowSampleLimit(st.P), true
}

// LowSampleLimit returns the number of samples below which CloudWatch considers percentile p
// (0 < p < 100, as in p99) statistically insignificant: 10/(1−p/100) for p ≥ 50 (1,000 for
// p99), 10/(p/100) below.
//
// The result is rounded to 6 decimals, so that p99 gives exactly 1,000 rather than a float a hair
// away from it (which would misjudge a period of exactly 1,000 samples).
func LowSampleLimit(p float64) float64 {
	var x float64
	if p >= 50 {
		x = 1000 / (100 - p)
	} else {
		x = 1000 / p
	}
	return math.Round(x*1e6) / 1e6
}
