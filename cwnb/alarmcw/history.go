package alarmcw

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/cwnb/cwnb/cwnb"
	"github.com/cwnb/cwnb/cwnb/alarm"
	"github.com/cwnb/cwnb/cwnb/chart"
	"github.com/cwnb/cwnb/cwnb/ts"
)

// Definition converts a metric alarm from DescribeAlarms into a definition the back-tester
// replays. Anomaly-detection alarms (ThresholdMetricId) are refused with an error saying so.
func Definition(a types.MetricAlarm) (alarm.Definition, error) {
	name := aws.ToString(a.AlarmName)
	d := alarm.Definition{Name: name, Description: aws.ToString(a.AlarmDescription),
		Namespace: aws.ToString(a.Namespace), MetricName: aws.ToString(a.MetricName), Unit: string(a.Unit),
		Period: time.Duration(aws.ToInt32(a.Period)) * time.Second, EvaluationPeriods: int(aws.ToInt32(a.EvaluationPeriods)),
		DatapointsToAlarm: int(aws.ToInt32(a.DatapointsToAlarm)), Threshold: aws.ToFloat64(a.Threshold),
		EvaluateLowSampleCountPercentile: aws.ToString(a.EvaluateLowSampleCountPercentile),
		ActionsEnabled:                   aws.ToBool(a.ActionsEnabled), AlarmActions: a.AlarmActions, OKActions: a.OKActions,
		InsufficientDataActions: a.InsufficientDataActions}
	if a.ThresholdMetricId != nil {
		return d, fmt.Errorf("alarm %q compares with an anomaly detection band (ThresholdMetricId %s), which cannot be replayed", name, *a.ThresholdMetricId)
	}
	var err error
	if d.Comparison, err = alarm.ParseComparison(string(a.ComparisonOperator)); err != nil {
		return d, fmt.Errorf("alarm %q: %w", name, err)
	}
	if d.TreatMissingData, err = alarm.ParseMissing(aws.ToString(a.TreatMissingData)); err != nil {
		return d, fmt.Errorf("alarm %q: %w", name, err)
	}
	d.Statistic = string(a.Statistic)
	if a.ExtendedStatistic != nil {
		d.Statistic = *a.ExtendedStatistic
	}
	for _, x := range a.Dimensions {
		d.Dimensions = append(d.Dimensions, alarm.Dimension{Name: aws.ToString(x.Name), Value: aws.ToString(x.Value)})
	}
	for _, q := range a.Metrics {
		aq := alarm.Query{ID: aws.ToString(q.Id), Expression: aws.ToString(q.Expression), Label: aws.ToString(q.Label),
			ReturnData: q.ReturnData == nil || *q.ReturnData}
		if q.Period != nil {
			aq.Period = time.Duration(*q.Period) * time.Second
		}
		if ms := q.MetricStat; ms != nil && ms.Metric != nil {
			aq.Namespace, aq.MetricName, aq.Stat, aq.Unit = aws.ToString(ms.Metric.Namespace), aws.ToString(ms.Metric.MetricName), aws.ToString(ms.Stat), string(ms.Unit)
			aq.Period = time.Duration(aws.ToInt32(ms.Period)) * time.Second
			for _, x := range ms.Metric.Dimensions {
				aq.Dimensions = append(aq.Dimensions, alarm.Dimension{Name: aws.ToString(x.Name), Value: aws.ToString(x.Value)})
			}
			if d.Period == 0 {
				d.Period = aq.Period
			}
		}
		d.Metrics = append(d.Metrics, aq)
	}
	if err := d.Validate(); err != nil {
		return d, err
	}
	return d, nil
}

// Describe returns the definition of the metric alarm named name.
func Describe(ctx context.Context, name string, optFns ...func(*Options)) (*alarm.Definition, error) {
	o, err := options(ctx, optFns)
	if err != nil {
		return nil, err
	}
	a, err := cached(o, cacheKey("describe", name), false, func() (types.MetricAlarm, error) {
		out, err := o.Client.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{name},
			AlarmTypes: []types.AlarmType{types.AlarmTypeMetricAlarm, types.AlarmTypeCompositeAlarm}})
		if err != nil {
			return types.MetricAlarm{}, fmt.Errorf("alarmcw: DescribeAlarms %q: %w", name, err)
		}
		if len(out.MetricAlarms) == 0 {
			if len(out.CompositeAlarms) > 0 {
				return types.MetricAlarm{}, fmt.Errorf("alarmcw: %q is a composite alarm; replay its children and combine them with alarm.Composite", name)
			}
			return types.MetricAlarm{}, fmt.Errorf("alarmcw: no alarm named %q; list them with aws cloudwatch describe-alarms", name)
		}
		return out.MetricAlarms[0], nil
	})
	if err != nil {
		return nil, err
	}
	d, err := Definition(a)
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// ConfigChange is a ConfigurationUpdate of an alarm (created, updated, deleted).
type ConfigChange struct {
	Time    time.Time
	Summary string
	// Data is the service's HistoryData JSON.
	Data string
}

// History is an alarm's history over a window: its state intervals, transitions (with the
// service's reasons and recent datapoints) and configuration changes.
type History struct {
	Name     string
	From, To time.Time
	// Intervals cover [From, To) where the history says the state; the state before the first
	// transition in the window is the old state of that transition.
	Intervals []alarm.Interval
	Changes   []alarm.Change
	Config    []ConfigChange
}

// historyItem is a cacheable AlarmHistoryItem.
type historyItem struct {
	Time      time.Time
	Type      string
	Summary   string
	Data      string
	AlarmType string
}

// LoadHistory reads the history of the alarm named name and returns it over [from, to). It reads
// every item up to to (CloudWatch keeps two weeks), so the state at from is known.
func LoadHistory(ctx context.Context, name string, from, to time.Time, optFns ...func(*Options)) (*History, error) {
	o, err := options(ctx, optFns)
	if err != nil {
		return nil, err
	}
	if !to.After(from) {
		return nil, fmt.Errorf("alarmcw: history window [%s, %s) is empty; end must be after start", from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	final := !to.After(o.Now())
	items, err := cached(o, cacheKey("history", []any{name, to.UTC()}), final, func() ([]historyItem, error) {
		var out []historyItem
		p := cloudwatch.NewDescribeAlarmHistoryPaginator(o.Client, &cloudwatch.DescribeAlarmHistoryInput{AlarmName: aws.String(name),
			EndDate: aws.Time(to), ScanBy: types.ScanByTimestampAscending, MaxRecords: aws.Int32(100),
			AlarmTypes: []types.AlarmType{types.AlarmTypeMetricAlarm, types.AlarmTypeCompositeAlarm}})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, fmt.Errorf("alarmcw: DescribeAlarmHistory %q: %w", name, err)
			}
			for _, it := range page.AlarmHistoryItems {
				out = append(out, historyItem{Time: aws.ToTime(it.Timestamp).UTC(), Type: string(it.HistoryItemType),
					Summary: aws.ToString(it.HistorySummary), Data: aws.ToString(it.HistoryData), AlarmType: string(it.AlarmType)})
			}
		}
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	return buildHistory(name, from, to, items)
}

// stateData is the part of a StateUpdate's HistoryData read here.
type stateData struct {
	OldState struct {
		StateValue, StateReason string
	} `json:"oldState"`
	NewState struct {
		StateValue      string `json:"stateValue"`
		StateReason     string `json:"stateReason"`
		StateReasonData struct {
			RecentDatapoints []float64 `json:"recentDatapoints"`
		} `json:"stateReasonData"`
	} `json:"newState"`
}

func buildHistory(name string, from, to time.Time, items []historyItem) (*History, error) {
	slices.SortStableFunc(items, func(a, b historyItem) int { return a.Time.Compare(b.Time) })
	h := &History{Name: name, From: from, To: to}
	have := false
	var cur alarm.State
	var curStart time.Time
	var curReason string
	for _, it := range items {
		if it.Time.After(to) || it.Time.Equal(to) {
			break
		}
		switch it.Type {
		case "ConfigurationUpdate":
			if !it.Time.Before(from) {
				h.Config = append(h.Config, ConfigChange{Time: it.Time, Summary: it.Summary, Data: it.Data})
			}
		case "StateUpdate":
			var sd stateData
			if err := json.Unmarshal([]byte(it.Data), &sd); err != nil {
				return nil, fmt.Errorf("alarmcw: alarm %q: HistoryData at %s is not the service's JSON: %v", name, it.Time.Format(time.RFC3339), err)
			}
			oldS, err1 := alarm.ParseState(sd.OldState.StateValue)
			newS, err2 := alarm.ParseState(sd.NewState.StateValue)
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("alarmcw: alarm %q: HistoryData at %s has states %q → %q", name, it.Time.Format(time.RFC3339), sd.OldState.StateValue, sd.NewState.StateValue)
			}
			if !it.Time.Before(from) {
				h.Changes = append(h.Changes, alarm.Change{Time: it.Time, From: oldS, To: newS, Reason: sd.NewState.StateReason,
					Points: sd.NewState.StateReasonData.RecentDatapoints})
				start := curStart
				if !have {
					cur, start, curReason = oldS, from, sd.OldState.StateReason
				}
				if start.Before(from) {
					start = from
				}
				if it.Time.After(start) {
					h.Intervals = append(h.Intervals, alarm.Interval{Start: start, End: it.Time, State: cur, Reason: curReason})
				}
			}
			have, cur, curStart, curReason = true, newS, it.Time, sd.NewState.StateReason
		}
	}
	if have {
		start := curStart
		if start.Before(from) {
			start = from
		}
		h.Intervals = append(h.Intervals, alarm.Interval{Start: start, End: to, State: cur, Reason: curReason})
	}
	return h, nil
}

// MustLoadHistory is LoadHistory for a notebook cell: it panics with the error.
func MustLoadHistory(name string, from, to time.Time, optFns ...func(*Options)) *History {
	h, err := LoadHistory(context.Background(), name, from, to, optFns...)
	if err != nil {
		panic(err)
	}
	return h
}

// MustDescribe is Describe for a notebook cell: it panics with the error.
func MustDescribe(name string, optFns ...func(*Options)) *alarm.Definition {
	d, err := Describe(context.Background(), name, optFns...)
	if err != nil {
		panic(err)
	}
	return d
}

// StateAt returns the state the history gives at t, and false where it says nothing.
func (h *History) StateAt(t time.Time) (alarm.State, bool) {
	for _, iv := range h.Intervals {
		if !t.Before(iv.Start) && t.Before(iv.End) {
			return iv.State, true
		}
	}
	return 0, false
}

// AlarmTime returns the time spent in ALARM and the number of transitions into ALARM.
func (h *History) AlarmTime() (time.Duration, int) {
	var d time.Duration
	for _, iv := range h.Intervals {
		if iv.State == alarm.Alarm {
			d += iv.End.Sub(iv.Start)
		}
	}
	n := 0
	for _, c := range h.Changes {
		if c.To == alarm.Alarm {
			n++
		}
	}
	return d, n
}

// Summary describes the history in one sentence.
func (h *History) Summary() string {
	d, n := h.AlarmTime()
	return fmt.Sprintf("%s from %s to %s: %d transitions into ALARM, %v in ALARM, %d configuration changes",
		h.Name, h.From.UTC().Format("2006-01-02 15:04"), h.To.UTC().Format("2006-01-02 15:04"), n, d, len(h.Config))
}

// Agreement is how well a replay matches an alarm's real history.
type Agreement struct {
	// Steps is the number of replayed steps the history covers; Same how many agree on the state.
	Steps, Same int
	// Real and Replayed count transitions into ALARM in the window; Matched counts real ones with
	// a replayed one within one step.
	Real, Replayed, Matched int
}

// Fraction returns Same/Steps.
func (a Agreement) Fraction() float64 {
	if a.Steps == 0 {
		return 0
	}
	return float64(a.Same) / float64(a.Steps)
}

// String reports the agreement in one line.
func (a Agreement) String() string {
	return fmt.Sprintf("replay agrees with the real history on %.2f%% of %d steps; %d of %d real ALARM transitions replayed within one step (%d replayed)",
		100*a.Fraction(), a.Steps, a.Matched, a.Real, a.Replayed)
}

// Compare measures how well a replayed timeline matches the real history.
func Compare(tl *alarm.Timeline, h *History) Agreement {
	var ag Agreement
	for i, st := range tl.States {
		t := tl.Start.Add(time.Duration(i) * tl.Step)
		if real, ok := h.StateAt(t); ok {
			ag.Steps++
			if real == st {
				ag.Same++
			}
		}
	}
	var replayed []time.Time
	for _, c := range tl.Changes {
		if c.To == alarm.Alarm && !c.Time.Before(h.From) && c.Time.Before(h.To) {
			replayed = append(replayed, c.Time)
		}
	}
	ag.Replayed = len(replayed)
	for _, c := range h.Changes {
		if c.To != alarm.Alarm {
			continue
		}
		ag.Real++
		for _, r := range replayed {
			if d := r.Sub(c.Time); d <= tl.Step && d >= -tl.Step {
				ag.Matched++
				break
			}
		}
	}
	return ag
}

// Events returns the history as chart events for any time chart (chart.TimeSeries.Events; Marks
// gives the same as cwnb.Plot options): each ALARM interval as a shaded span named "ALARM: <reason>", and
// each configuration change as a line named by its summary. PlotHistory draws the same with the
// reasons in tooltips.
func (h *History) Events() []chart.Event {
	var out []chart.Event
	for _, iv := range h.Intervals {
		if iv.State == alarm.Alarm {
			name := h.Name + " ALARM"
			if iv.Reason != "" {
				name += ": " + iv.Reason
			}
			out = append(out, chart.Event{Name: name, Start: iv.Start, End: iv.End})
		}
	}
	for _, c := range h.Config {
		out = append(out, chart.Event{Name: c.Summary, Start: c.Time})
	}
	slices.SortStableFunc(out, func(a, b chart.Event) int { return a.Start.Compare(b.Start) })
	return out
}

// Marks returns the history as cwnb.Plot options, to draw it on a chart of the alarm's metric (or
// any other over the same window): each ALARM interval as a marked span named "<alarm> ALARM:
// <reason>", each configuration change as a marked instant named by its summary.
func (h *History) Marks() []cwnb.PlotOption {
	var out []cwnb.PlotOption
	for _, e := range h.Events() {
		if e.End.IsZero() {
			out = append(out, cwnb.Mark(e.Name, ts.At(e.Start)))
		} else {
			out = append(out, cwnb.Mark(e.Name, ts.Span(e.Start, e.End)))
		}
	}
	return out
}
