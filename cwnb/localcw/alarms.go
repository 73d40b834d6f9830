package localcw

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cwnb/cwnb/cwnb/alarm"
	"github.com/cwnb/cwnb/cwnb/cwstat"
	"github.com/cwnb/cwnb/cwnb/localcw/internal/store"
	"github.com/cwnb/cwnb/cwnb/localcw/internal/wire"
	"github.com/cwnb/cwnb/cwnb/localcw/scenario"
)

// The alarm operations of the local CloudWatch: PutMetricAlarm, PutCompositeAlarm,
// DescribeAlarms, DeleteAlarms, SetAlarmState and DescribeAlarmHistory.
//
// The server evaluates its alarms on its own clock with package alarm, the same evaluator the
// notebooks back-test with: every minute (every 10 s for periods under a minute), over its own
// data, fetched as a back-test fetches it (one GetMetricData computation per Period/step phase).
// Evaluation is lazy: every alarm operation first brings every alarm up to the current minute,
// so a server on the wall clock behaves as if it evaluated in the background, and a server with
// a pinned clock (Options.Now) is deterministic. The alarms of the scenarios (scenario.Alarms)
// are created two weeks before the server clock, so they arrive with two weeks of history.

// historyRetention is how long alarm history is kept: "CloudWatch preserves alarm history for
// two weeks" (User Guide, AlarmThatSendsEmail.md).
const historyRetention = 14 * 24 * time.Hour

// accountID is the account of the local CloudWatch's ARNs.
const accountID = "123456789012"

// alarmBook holds the alarms and their history.
type alarmBook struct {
	once sync.Once
	mu   sync.Mutex

	metric    map[string]*metricAlarm
	composite map[string]*compositeAlarm
	order     []string // creation order of composites (a composite's children exist before it)
	history   []historyItem
	seq       int64
}

type alarmStatus struct {
	state        alarm.State
	reason       string
	reasonData   string
	updated      time.Time
	transitioned time.Time
	configured   time.Time
}

type metricAlarm struct {
	def alarm.Definition
	in  wire.PutMetricAlarmInput
	alarmStatus
	evaluated time.Time // the last evaluation time done; zero: none yet
}

type compositeAlarm struct {
	name string
	rule *alarm.Rule
	in   wire.PutCompositeAlarmInput
	alarmStatus
}

type historyItem struct {
	seq  int64
	item wire.AlarmHistoryItem
}

const arnPrefix = "arn:aws:cloudwatch:us-east-1:" + accountID + ":alarm:"

func arn(name string) string { return arnPrefix + name }

// childName returns the alarm name a composite rule refers to, by name or by ARN.
func childName(ref string) string { return strings.TrimPrefix(ref, arnPrefix) }

func resourceNotFound(format string, args ...any) *apiError {
	return &apiError{"ResourceNotFound", "ResourceNotFound", http.StatusNotFound, fmt.Sprintf(format, args...)}
}

func invalidFormat(format string, args ...any) *apiError {
	return &apiError{"InvalidFormatFault", "InvalidFormat", http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// alarmOps lists the operations dispatchAlarm serves.
var alarmOps = []string{"PutMetricAlarm", "PutCompositeAlarm", "DescribeAlarms", "DeleteAlarms", "SetAlarmState", "DescribeAlarmHistory"}

// dispatchAlarm decodes and runs an alarm operation; ok is false for other operations.
func (s *Server) dispatchAlarm(op string, body []byte, decode func([]byte, any) error) (out any, err error, ok bool) {
	if !slices.Contains(alarmOps, op) {
		return nil, nil, false
	}
	b := s.alarmBook()
	b.mu.Lock()
	defer b.mu.Unlock()
	now := s.now()
	b.prune(now)
	switch op {
	case "PutMetricAlarm":
		var in wire.PutMetricAlarmInput
		if err := decode(body, &in); err != nil {
			return nil, malformed(err), true
		}
		s.advanceAlarms(now)
		out, err = s.putMetricAlarm(&in, now)
		s.advanceAlarms(now)
	case "PutCompositeAlarm":
		var in wire.PutCompositeAlarmInput
		if err := decode(body, &in); err != nil {
			return nil, malformed(err), true
		}
		s.advanceAlarms(now)
		out, err = s.putCompositeAlarm(&in, now)
	case "DescribeAlarms":
		var in wire.DescribeAlarmsInput
		if err := decode(body, &in); err != nil {
			return nil, malformed(err), true
		}
		s.advanceAlarms(now)
		out, err = s.describeAlarms(&in)
	case "DeleteAlarms":
		var in wire.DeleteAlarmsInput
		if err := decode(body, &in); err != nil {
			return nil, malformed(err), true
		}
		s.advanceAlarms(now)
		out, err = s.deleteAlarms(&in, now)
	case "SetAlarmState":
		var in wire.SetAlarmStateInput
		if err := decode(body, &in); err != nil {
			return nil, malformed(err), true
		}
		s.advanceAlarms(now)
		out, err = s.setAlarmState(&in, now)
	case "DescribeAlarmHistory":
		var in wire.DescribeAlarmHistoryInput
		if err := decode(body, &in); err != nil {
			return nil, malformed(err), true
		}
		s.advanceAlarms(now)
		out, err = s.describeAlarmHistory(&in, now)
	}
	return out, err, true
}

// alarmBook returns the server's alarms, creating the scenarios' alarms on first use.
func (s *Server) alarmBook() *alarmBook {
	b := &s.alarms
	b.once.Do(func() {
		b.metric = map[string]*metricAlarm{}
		b.composite = map[string]*compositeAlarm{}
		now := s.now()
		created := now.Add(-historyRetention)
		for _, sc := range s.opts.Scenarios {
			for _, a := range scenario.Alarms(sc.Name()) {
				var err error
				if a.Rule != "" {
					_, err = s.putCompositeAlarm(&wire.PutCompositeAlarmInput{AlarmName: &a.Definition.Name,
						AlarmRule: &a.Rule, AlarmDescription: &a.Definition.Description}, created)
				} else {
					in := putInput(&a.Definition)
					_, err = s.putMetricAlarm(&in, created)
				}
				if err != nil && s.opts.Logf != nil {
					s.opts.Logf("scenario %s: alarm %q: %v", sc.Name(), a.Definition.Name, err)
				}
			}
		}
		// Evaluate them all together, so that composites follow their children's transitions.
		s.advanceAlarms(now)
	})
	return b
}

// prune drops history older than two weeks.
func (b *alarmBook) prune(now time.Time) {
	cut := now.Add(-historyRetention)
	i := 0
	for i < len(b.history) && b.history[i].item.Timestamp.Before(cut) {
		i++
	}
	if i > 0 {
		b.history = slices.Delete(b.history, 0, i)
	}
}

func (b *alarmBook) add(it wire.AlarmHistoryItem) {
	b.seq++
	h := historyItem{seq: b.seq, item: it}
	// Keep the history in time order (evaluations of several alarms interleave).
	i := len(b.history)
	for i > 0 && b.history[i-1].item.Timestamp.After(it.Timestamp) {
		i--
	}
	b.history = slices.Insert(b.history, i, h)
}

// putInput converts a definition to the wire input of PutMetricAlarm (used for the
// scenarios' alarms, which go through the same validation as a client's).
func putInput(d *alarm.Definition) wire.PutMetricAlarmInput {
	str := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	i64 := func(n int64) *int64 { return &n }
	in := wire.PutMetricAlarmInput{
		AlarmName: str(d.Name), AlarmDescription: str(d.Description), ActionsEnabled: &d.ActionsEnabled,
		AlarmActions: d.AlarmActions, OKActions: d.OKActions, InsufficientDataActions: d.InsufficientDataActions,
		Namespace: str(d.Namespace), MetricName: str(d.MetricName), Unit: str(d.Unit),
		EvaluationPeriods: i64(int64(d.EvaluationPeriods)), Threshold: &d.Threshold,
		ComparisonOperator: str(d.Comparison.String()), TreatMissingData: str(d.TreatMissingData.String()),
		EvaluateLowSampleCountPercentile: str(d.EvaluateLowSampleCountPercentile),
	}
	if d.DatapointsToAlarm > 0 {
		in.DatapointsToAlarm = i64(int64(d.DatapointsToAlarm))
	}
	for _, x := range d.Dimensions {
		in.Dimensions = append(in.Dimensions, wire.Dimension{Name: x.Name, Value: x.Value})
	}
	switch d.Statistic {
	case "":
	case "Average", "Sum", "Minimum", "Maximum", "SampleCount":
		in.Statistic = str(d.Statistic)
	default:
		in.ExtendedStatistic = str(d.Statistic)
	}
	if len(d.Metrics) == 0 {
		in.Period = i64(int64(d.Period / time.Second))
	}
	for _, q := range d.Metrics {
		rd := q.ReturnData
		mq := wire.MetricDataQuery{Id: q.ID, Expression: str(q.Expression), Label: str(q.Label), ReturnData: &rd}
		if q.MetricName != "" {
			per := q.Period
			if per == 0 {
				per = d.Period
			}
			m := &wire.Metric{Namespace: q.Namespace, MetricName: q.MetricName}
			for _, x := range q.Dimensions {
				m.Dimensions = append(m.Dimensions, wire.Dimension{Name: x.Name, Value: x.Value})
			}
			mq.MetricStat = &wire.MetricStat{Metric: m, Period: i64(int64(per / time.Second)), Stat: q.Stat, Unit: q.Unit}
		} else if q.Period > 0 {
			mq.Period = i64(int64(q.Period / time.Second))
		}
		in.Metrics = append(in.Metrics, mq)
	}
	return in
}

// definition validates a PutMetricAlarm input as the service does and turns it into an alarm
// definition.
func definition(in *wire.PutMetricAlarmInput) (alarm.Definition, error) {
	var d alarm.Definition
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	d.Name = deref(in.AlarmName)
	if d.Name == "" {
		return d, missingParameter("AlarmName")
	}
	if len(d.Name) > 255 {
		return d, invalidValue("The value for parameter AlarmName is longer than 255 characters.")
	}
	d.Description = deref(in.AlarmDescription)
	if in.EvaluationPeriods == nil {
		return d, missingParameter("EvaluationPeriods")
	}
	if in.ComparisonOperator == nil {
		return d, missingParameter("ComparisonOperator")
	}
	var err error
	if d.Comparison, err = alarm.ParseComparison(*in.ComparisonOperator); err != nil {
		if strings.Contains(*in.ComparisonOperator, "Threshold") && (strings.Contains(*in.ComparisonOperator, "Lower") || strings.Contains(*in.ComparisonOperator, "Upper")) {
			return d, invalidValue("The local CloudWatch does not evaluate anomaly detection alarms (%s); use a static threshold operator.", *in.ComparisonOperator)
		}
		return d, invalidValue("The value %s for parameter ComparisonOperator is invalid; use GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold or LessThanOrEqualToThreshold.", *in.ComparisonOperator)
	}
	for _, m := range []struct {
		v    any
		name string
	}{{in.EvaluationWindow, "EvaluationWindow"}, {in.WarmUpConfiguration, "WarmUpConfiguration"}, {in.EvaluationCriteria, "EvaluationCriteria"}} {
		if m.v != nil {
			return d, invalidValue("The local CloudWatch does not evaluate %s (wall-clock windows, warm-up and PromQL alarms are not emulated); remove it.", m.name)
		}
	}
	if in.ThresholdMetricId != nil {
		if in.Threshold != nil {
			return d, validationError("Threshold and ThresholdMetricId cannot both be set")
		}
		return d, invalidValue("The local CloudWatch does not evaluate anomaly detection alarms (ThresholdMetricId); set Threshold instead.")
	}
	if in.Threshold == nil {
		return d, validationError("Threshold must be set for a static threshold alarm")
	}
	d.Threshold = *in.Threshold
	if d.TreatMissingData, err = alarm.ParseMissing(deref(in.TreatMissingData)); err != nil {
		return d, invalidValue("The value %s for parameter TreatMissingData is invalid; use missing, ignore, breaching or notBreaching.", deref(in.TreatMissingData))
	}
	d.EvaluateLowSampleCountPercentile = deref(in.EvaluateLowSampleCountPercentile)
	if v := d.EvaluateLowSampleCountPercentile; v != "" && v != "evaluate" && v != "ignore" {
		return d, invalidValue("The value %s for parameter EvaluateLowSampleCountPercentile is invalid; use evaluate or ignore.", v)
	}
	if *in.EvaluationPeriods < 1 {
		return d, invalidValue("The value %d for parameter EvaluationPeriods is invalid: it must be at least 1.", *in.EvaluationPeriods)
	}
	d.EvaluationPeriods = int(min(*in.EvaluationPeriods, math.MaxInt32))
	if in.DatapointsToAlarm != nil {
		if *in.DatapointsToAlarm < 1 {
			return d, invalidValue("The value %d for parameter DatapointsToAlarm is invalid: it must be at least 1.", *in.DatapointsToAlarm)
		}
		if *in.DatapointsToAlarm > *in.EvaluationPeriods {
			return d, validationError("DatapointsToAlarm must be less than or equal to EvaluationPeriods")
		}
		d.DatapointsToAlarm = int(*in.DatapointsToAlarm)
	}
	if in.ActionsEnabled != nil {
		d.ActionsEnabled = *in.ActionsEnabled
	} else {
		d.ActionsEnabled = true
	}
	d.AlarmActions, d.OKActions, d.InsufficientDataActions = in.AlarmActions, in.OKActions, in.InsufficientDataActions
	var period int64
	if len(in.Metrics) > 0 {
		for _, m := range []struct {
			set  bool
			name string
		}{{in.MetricName != nil, "MetricName"}, {in.Namespace != nil, "Namespace"}, {in.Statistic != nil, "Statistic"},
			{in.ExtendedStatistic != nil, "ExtendedStatistic"}, {len(in.Dimensions) > 0, "Dimensions"}, {in.Period != nil, "Period"},
			{in.Unit != nil, "Unit"}} {
			if m.set {
				return d, validationError("%s should not be set if list of Metrics is set.", m.name)
			}
		}
		if len(in.Metrics) > 10 {
			return d, validationError("The list of Metrics may hold at most 10 metrics; an alarm's math expression can use up to 10 metrics.")
		}
		ret := 0
		for _, q := range in.Metrics {
			if q.ReturnData == nil || *q.ReturnData {
				ret++
			}
		}
		if ret != 1 {
			return d, validationError("Exactly one element of the metrics list should return data.")
		}
		// The queries must be a valid GetMetricData request.
		if _, err := parseQueries(&wire.GetMetricDataInput{MetricDataQueries: in.Metrics}); err != nil {
			return d, err
		}
		for _, q := range in.Metrics {
			p := int64(0)
			if q.MetricStat != nil && q.MetricStat.Period != nil {
				p = *q.MetricStat.Period
			} else if q.Period != nil {
				p = *q.Period
			}
			if p == 0 {
				continue
			}
			if period != 0 && p != period {
				return d, validationError("All metrics in an alarm's list of Metrics must have the same period (found %d and %d seconds).", period, p)
			}
			period = p
		}
		if period == 0 {
			return d, validationError("The list of Metrics must include a metric with a period.")
		}
		for _, q := range in.Metrics {
			aq := alarm.Query{ID: q.Id, Expression: deref(q.Expression), Label: deref(q.Label), ReturnData: q.ReturnData == nil || *q.ReturnData}
			if ms := q.MetricStat; ms != nil && ms.Metric != nil {
				aq.Namespace, aq.MetricName, aq.Stat, aq.Unit = ms.Metric.Namespace, ms.Metric.MetricName, ms.Stat, ms.Unit
				for _, x := range ms.Metric.Dimensions {
					aq.Dimensions = append(aq.Dimensions, alarm.Dimension{Name: x.Name, Value: x.Value})
				}
				if ms.Period != nil {
					aq.Period = time.Duration(*ms.Period) * time.Second
				}
			} else if q.Period != nil {
				aq.Period = time.Duration(*q.Period) * time.Second
			}
			d.Metrics = append(d.Metrics, aq)
		}
	} else {
		if in.MetricName == nil || *in.MetricName == "" {
			return d, validationError("MetricName must not be null")
		}
		if in.Namespace == nil || *in.Namespace == "" {
			return d, validationError("Namespace must not be null")
		}
		if in.Period == nil {
			return d, validationError("Period must not be null")
		}
		switch {
		case in.Statistic != nil && in.ExtendedStatistic != nil:
			return d, invalidCombination("The parameters Statistic and ExtendedStatistic are mutually exclusive and you have specified both.")
		case in.Statistic != nil:
			switch *in.Statistic {
			case "Average", "Sum", "Minimum", "Maximum", "SampleCount":
			default:
				return d, invalidValue("The value %s for parameter Statistic is invalid; use Average, Sum, Minimum, Maximum or SampleCount, or ExtendedStatistic for %s.", *in.Statistic, *in.Statistic)
			}
			d.Statistic = *in.Statistic
		case in.ExtendedStatistic != nil:
			d.Statistic = *in.ExtendedStatistic
		default:
			return d, invalidCombination("Exactly one of the parameters Statistic and ExtendedStatistic must be specified.")
		}
		d.Namespace, d.MetricName, d.Unit = *in.Namespace, *in.MetricName, deref(in.Unit)
		if err := checkDimensions(in.Dimensions, "Dimensions"); err != nil {
			return d, err
		}
		for _, x := range in.Dimensions {
			d.Dimensions = append(d.Dimensions, alarm.Dimension{Name: x.Name, Value: x.Value})
		}
		period = *in.Period
	}
	if period != 10 && period != 20 && period != 30 && (period < 60 || period%60 != 0) {
		return d, invalidValue("The value %d for parameter Period is invalid: valid values are 10, 20, 30, and any multiple of 60.", period)
	}
	d.Period = time.Duration(period) * time.Second
	limit := int64(86400)
	if period >= 3600 {
		limit = 604800
	}
	if period*int64(d.EvaluationPeriods) > limit {
		return d, validationError("The product of Period (%d) and EvaluationPeriods (%d) is %d seconds, above the limit of %d seconds (%s) for a period %s 3600 seconds.",
			period, d.EvaluationPeriods, period*int64(d.EvaluationPeriods), limit, map[bool]string{true: "7 days", false: "1 day"}[limit > 86400],
			map[bool]string{true: "of at least", false: "under"}[period >= 3600])
	}
	if err := d.Validate(); err != nil {
		return d, invalidValue("%v", err)
	}
	return d, nil
}

// putMetricAlarm creates or updates a metric alarm at time created; the caller evaluates it.
func (s *Server) putMetricAlarm(in *wire.PutMetricAlarmInput, created time.Time) (any, error) {
	b := &s.alarms
	d, err := definition(in)
	if err != nil {
		return nil, err
	}
	if _, ok := b.composite[d.Name]; ok {
		return nil, validationError("An alarm named %s already exists as a composite alarm; delete it first or choose another name.", d.Name)
	}
	a, update := b.metric[d.Name]
	if !update {
		a = &metricAlarm{alarmStatus: alarmStatus{state: alarm.InsufficientData, reason: "Unchecked: Initial alarm creation",
			updated: created, transitioned: created}}
		b.metric[d.Name] = a
	} else {
		// An update keeps the state and evaluates the new definition from now on.
		a.evaluated = floorTime(created, d.Step())
	}
	a.def, a.in = d, *in
	a.configured = created
	typ, key := "Create", "createdAlarm"
	summary := fmt.Sprintf("Alarm %q created", d.Name)
	if update {
		typ, key, summary = "Update", "updatedAlarm", fmt.Sprintf("Alarm %q updated", d.Name)
	}
	data, _ := json.Marshal(map[string]any{"version": "1.0", "type": typ, key: alarmConfigJSON(&d)})
	b.add(wire.AlarmHistoryItem{AlarmName: d.Name, AlarmType: "MetricAlarm", Timestamp: created,
		HistoryItemType: "ConfigurationUpdate", HistorySummary: summary, HistoryData: string(data)})
	if !update {
		a.evaluated = floorTime(created, d.Step()).Add(-d.Step())
	}
	return wire.Empty{}, nil
}

// alarmConfigJSON is the alarm as a ConfigurationUpdate's HistoryData shows it.
func alarmConfigJSON(d *alarm.Definition) map[string]any {
	m := map[string]any{
		"alarmName": d.Name, "alarmArn": arn(d.Name), "actionsEnabled": d.ActionsEnabled,
		"evaluationPeriods": d.EvaluationPeriods, "datapointsToAlarm": d.M(), "threshold": d.Threshold,
		"comparisonOperator": d.Comparison.String(), "treatMissingData": d.TreatMissingData.String(),
		"period": int64(d.Period / time.Second),
	}
	if d.MetricName != "" {
		m["namespace"], m["metricName"] = d.Namespace, d.MetricName
		dims := []map[string]string{}
		for _, x := range d.Dimensions {
			dims = append(dims, map[string]string{"name": x.Name, "value": x.Value})
		}
		m["dimensions"] = dims
		if isBasicStat(d.Statistic) {
			m["statistic"] = strings.ToUpper(d.Statistic[:1]) + d.Statistic[1:]
		} else {
			m["extendedStatistic"] = d.Statistic
		}
	}
	if d.Description != "" {
		m["alarmDescription"] = d.Description
	}
	if d.EvaluateLowSampleCountPercentile != "" {
		m["evaluateLowSampleCountPercentile"] = d.EvaluateLowSampleCountPercentile
	}
	return m
}

func isBasicStat(s string) bool {
	switch s {
	case "Average", "Sum", "Minimum", "Maximum", "SampleCount":
		return true
	}
	return false
}

func (s *Server) putCompositeAlarm(in *wire.PutCompositeAlarmInput, now time.Time) (any, error) {
	b := &s.alarms
	if in.AlarmName == nil || *in.AlarmName == "" {
		return nil, missingParameter("AlarmName")
	}
	if in.AlarmRule == nil || *in.AlarmRule == "" {
		return nil, missingParameter("AlarmRule")
	}
	name := *in.AlarmName
	rule, err := alarm.ParseRule(*in.AlarmRule)
	if err != nil {
		return nil, invalidValue("The value for parameter AlarmRule is invalid: %v", err)
	}
	if _, ok := b.metric[name]; ok {
		return nil, validationError("An alarm named %s already exists as a metric alarm; delete it first or choose another name.", name)
	}
	for _, c := range rule.Alarms() {
		c = childName(c)
		if c == name {
			return nil, invalidValue("The AlarmRule of %s refers to the alarm itself; a composite alarm cannot be its own child.", name)
		}
		_, m := b.metric[c]
		_, k := b.composite[c]
		if !m && !k {
			return nil, invalidValue("The AlarmRule refers to the alarm %s, which does not exist; create it first.", c)
		}
	}
	a, update := b.composite[name]
	if !update {
		a = &compositeAlarm{name: name, alarmStatus: alarmStatus{state: alarm.InsufficientData,
			reason: "Unchecked: Initial alarm creation", updated: now, transitioned: now}}
		b.composite[name] = a
		b.order = append(b.order, name)
	}
	a.rule, a.in, a.configured = rule, *in, now
	typ, key := "Create", "createdAlarm"
	summary := fmt.Sprintf("Alarm %q created", name)
	if update {
		typ, key, summary = "Update", "updatedAlarm", fmt.Sprintf("Alarm %q updated", name)
	}
	data, _ := json.Marshal(map[string]any{"version": "1.0", "type": typ, key: map[string]any{"alarmName": name, "alarmArn": arn(name), "alarmRule": *in.AlarmRule}})
	b.add(wire.AlarmHistoryItem{AlarmName: name, AlarmType: "CompositeAlarm", Timestamp: now,
		HistoryItemType: "ConfigurationUpdate", HistorySummary: summary, HistoryData: string(data)})
	s.evalComposite(a, now)
	return wire.Empty{}, nil
}

// stateAt returns an alarm's state at time t given its state before this round and the
// transitions of this round.
func stateAt(before alarm.State, changes []alarm.Change, t time.Time) alarm.State {
	st := before
	for _, c := range changes {
		if c.Time.After(t) {
			break
		}
		st = c.To
	}
	return st
}

// advanceAlarms evaluates every alarm at every step from its last evaluation up to now.
func (s *Server) advanceAlarms(now time.Time) {
	b := &s.alarms
	changes := map[string][]alarm.Change{}
	before := map[string]alarm.State{}
	for name, a := range b.metric {
		before[name] = a.state
		cs, err := s.evaluateMetricAlarm(a, now)
		if err != nil {
			if s.opts.Logf != nil {
				s.opts.Logf("evaluate alarm %q: %v", name, err)
			}
			continue
		}
		changes[name] = cs
	}
	for _, name := range b.order {
		a := b.composite[name]
		if a == nil {
			continue
		}
		before[name] = a.state
		changes[name] = s.evalCompositeRound(a, before, changes)
	}
}

// evalCompositeRound evaluates a composite at every transition of its children in this round.
func (s *Server) evalCompositeRound(a *compositeAlarm, before map[string]alarm.State, changes map[string][]alarm.Change) []alarm.Change {
	var times []time.Time
	for _, c := range a.rule.Alarms() {
		for _, ch := range changes[childName(c)] {
			times = append(times, ch.Time)
		}
	}
	slices.SortFunc(times, func(x, y time.Time) int { return x.Compare(y) })
	times = slices.CompactFunc(times, func(x, y time.Time) bool { return x.Equal(y) })
	var out []alarm.Change
	for _, t := range times {
		states := map[string]alarm.State{}
		for _, c := range a.rule.Alarms() {
			n := childName(c)
			st, ok := before[n]
			if !ok {
				st = s.currentState(n)
			}
			states[c] = stateAt(st, changes[n], t)
		}
		if ch, ok := s.setComposite(a, states, t); ok {
			out = append(out, ch)
		}
	}
	return out
}

func (s *Server) currentState(name string) alarm.State {
	b := &s.alarms
	if a, ok := b.metric[name]; ok {
		return a.state
	}
	if a, ok := b.composite[name]; ok {
		return a.state
	}
	return alarm.InsufficientData
}

// evalComposite evaluates a composite with its children's current states.
func (s *Server) evalComposite(a *compositeAlarm, now time.Time) {
	states := map[string]alarm.State{}
	for _, c := range a.rule.Alarms() {
		states[c] = s.currentState(childName(c))
	}
	s.setComposite(a, states, now)
}

func (s *Server) setComposite(a *compositeAlarm, states map[string]alarm.State, t time.Time) (alarm.Change, bool) {
	st := alarm.OK
	if a.rule.Eval(states) {
		st = alarm.Alarm
	}
	a.updated = t
	if st == a.state {
		return alarm.Change{}, false
	}
	type trig struct {
		Arn   string         `json:"arn"`
		State map[string]any `json:"state"`
	}
	triggering := []trig{}
	var parts []string
	for _, c := range a.rule.Alarms() {
		n := childName(c)
		parts = append(parts, fmt.Sprintf("%s is %s", n, states[c]))
		if states[c] == alarm.Alarm {
			triggering = append(triggering, trig{arn(n), map[string]any{"value": states[c].String(), "timestamp": historyTime(t)}})
		}
	}
	reason := fmt.Sprintf("The alarm rule %s evaluated to %s: %s.", a.rule, strings.ToUpper(strconv.FormatBool(st == alarm.Alarm)), strings.Join(parts, ", "))
	rd, _ := json.Marshal(map[string]any{"triggeringAlarms": triggering})
	ch := alarm.Change{Time: t, From: a.state, To: st, Reason: reason}
	s.recordTransition(a.name, "CompositeAlarm", &a.alarmStatus, ch, string(rd))
	return ch, true
}

// historyTime formats a time as the service does in HistoryData: 2014-04-09T18:59:06.419+0000.
func historyTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000+0000") }

// stateReasonData is the JSON of a metric alarm's stateReasonData.
type stateReasonData struct {
	Version             string           `json:"version"`
	QueryDate           string           `json:"queryDate"`
	StartDate           string           `json:"startDate,omitempty"`
	Statistic           string           `json:"statistic,omitempty"`
	Unit                string           `json:"unit,omitempty"`
	Period              int64            `json:"period"`
	RecentDatapoints    []float64        `json:"recentDatapoints"`
	Threshold           float64          `json:"threshold"`
	EvaluatedDatapoints []evaluatedPoint `json:"evaluatedDatapoints,omitempty"`
}

type evaluatedPoint struct {
	Timestamp string   `json:"timestamp"`
	Value     *float64 `json:"value,omitempty"`
}

// recordTransition applies a state change to an alarm and adds its StateUpdate history item.
func (s *Server) recordTransition(name, typ string, st *alarmStatus, ch alarm.Change, reasonData string) {
	b := &s.alarms
	type stateJSON struct {
		StateValue      string          `json:"stateValue"`
		StateReason     string          `json:"stateReason"`
		StateReasonData json.RawMessage `json:"stateReasonData,omitempty"`
	}
	type dataJSON struct {
		Version  string    `json:"version"`
		OldState stateJSON `json:"oldState"`
		NewState stateJSON `json:"newState"`
	}
	hd := dataJSON{Version: "1.0", OldState: stateJSON{StateValue: st.state.String(), StateReason: st.reason},
		NewState: stateJSON{StateValue: ch.To.String(), StateReason: ch.Reason}}
	if reasonData != "" && json.Valid([]byte(reasonData)) {
		hd.NewState.StateReasonData = json.RawMessage(reasonData)
	}
	data, _ := json.Marshal(hd)
	b.add(wire.AlarmHistoryItem{AlarmName: name, AlarmType: typ, Timestamp: ch.Time, HistoryItemType: "StateUpdate",
		HistorySummary: fmt.Sprintf("Alarm updated from %s to %s", st.state, ch.To), HistoryData: string(data)})
	st.state, st.reason, st.reasonData = ch.To, ch.Reason, reasonData
	st.updated, st.transitioned = ch.Time, ch.Time
}

// evaluateMetricAlarm replays a metric alarm from its last evaluation to now, records its
// transitions and returns them.
func (s *Server) evaluateMetricAlarm(a *metricAlarm, now time.Time) ([]alarm.Change, error) {
	d := &a.def
	step := d.Step()
	from := a.evaluated.Add(step)
	to := floorTime(now, step).Add(step) // evaluations at from, …, floor(now)
	if !from.Before(to) {
		return nil, nil
	}
	r := alarm.DefaultRange(d.EvaluationPeriods)
	series, err := s.alarmSeries(d, from.Add(-time.Duration(r+1)*d.Period), to)
	if err != nil {
		return nil, err
	}
	tl, err := alarm.Replay(d, series, from, to, alarm.Options{Initial: a.state})
	if err != nil {
		return nil, err
	}
	a.evaluated = to.Add(-step)
	a.updated = a.evaluated
	for _, ch := range tl.Changes {
		rd := stateReasonData{Version: "1.0", QueryDate: historyTime(ch.Time), Statistic: d.Statistic, Unit: d.Unit,
			Period: int64(d.Period / time.Second), Threshold: d.Threshold, RecentDatapoints: []float64{}}
		for i, p := range ch.Points {
			ep := evaluatedPoint{}
			if !ch.PointTimes[i].IsZero() {
				ep.Timestamp = historyTime(ch.PointTimes[i])
				if rd.StartDate == "" {
					rd.StartDate = ep.Timestamp
				}
			}
			if !math.IsNaN(p) {
				v := p
				ep.Value = &v
				rd.RecentDatapoints = append(rd.RecentDatapoints, p)
			}
			if ep.Timestamp != "" {
				rd.EvaluatedDatapoints = append(rd.EvaluatedDatapoints, ep)
			}
		}
		// The service lists evaluated datapoints newest first.
		slices.Reverse(rd.EvaluatedDatapoints)
		js, _ := json.Marshal(rd)
		s.recordTransition(d.Name, "MetricAlarm", &a.alarmStatus, ch, string(js))
	}
	return tl.Changes, nil
}

// alarmSeries fetches the alarm's statistic for every bucket start on the evaluation step in
// [start, end): one GetMetricData computation per phase, as a back-test does through the API.
func (s *Server) alarmSeries(d *alarm.Definition, start, end time.Time) (*alarm.Series, error) {
	step := d.Step()
	start = floorTime(start, step)
	n := int(end.Sub(start) / step)
	ser := &alarm.Series{Start: start, Step: step, Period: d.Period, Values: make([]float64, n)}
	for i := range ser.Values {
		ser.Values[i] = math.NaN()
	}
	_, needSamples := lowSample(d)
	if needSamples {
		ser.Samples = make([]float64, n)
	}
	if d.Period < time.Minute && len(d.Metrics) == 0 {
		// GetMetricData rounds a high-resolution StartTime to the period, so its phases cannot
		// give the buckets that end on the other 10-second marks; the server aggregates them
		// from its store directly, exactly as GetMetricData would on an unrounded grid.
		return s.hiResSeries(d, ser, start, end)
	}
	qs := alarmQueries(d, needSamples)
	phases := int(d.Period / step)
	for ph := range phases {
		st := start.Add(time.Duration(ph) * step)
		in := &wire.GetMetricDataInput{MetricDataQueries: qs, StartTime: &st, EndTime: &end, ScanBy: "TimestampAscending"}
		r, err := s.parseGetMetricData(in)
		if err != nil {
			return nil, err
		}
		results, _, err := s.compute(r)
		if err != nil {
			return nil, err
		}
		for _, res := range results {
			dst := ser.Values
			if res.id == "samples" {
				dst = ser.Samples
			}
			for j, tms := range res.t {
				i := int(time.UnixMilli(tms).Sub(start) / step)
				if i >= 0 && i < n {
					dst[i] = res.v[j]
				}
			}
		}
	}
	return ser, nil
}

// hiResSeries fills ser for a metric alarm with a period under a minute: one aggregation per
// 10-second phase, each on a grid of the alarm's period starting at that phase.
func (s *Server) hiResSeries(d *alarm.Definition, ser *alarm.Series, start, end time.Time) (*alarm.Series, error) {
	st, err := cwstat.Parse(d.Statistic)
	if err != nil {
		return nil, err
	}
	m := store.Metric{Namespace: d.Namespace, Name: d.MetricName}
	for _, x := range d.Dimensions {
		m.Dims = append(m.Dims, store.Dim{Name: x.Name, Value: x.Value})
	}
	sr := s.store.Get(m)
	if sr == nil {
		return ser, nil
	}
	stats := []cwstat.Stat{st}
	if ser.Samples != nil {
		stats = append(stats, cwstat.Stat{Kind: cwstat.SampleCount})
	}
	now := s.now()
	for ph := range int(d.Period / ser.Step) {
		g := grid{start: start.Add(time.Duration(ph) * ser.Step), end: end, period: d.Period}
		agg := aggregate(sr, g, d.Unit, stats, now.Add(-hiResRetention), now.Add(-hourRetention))
		for k, p := range agg.series {
			dst := ser.Values
			if k == 1 {
				dst = ser.Samples
			}
			for j, tms := range p.t {
				if i := int(time.UnixMilli(tms).Sub(start) / ser.Step); i >= 0 && i < len(dst) {
					dst[i] = p.v[j]
				}
			}
		}
	}
	return ser, nil
}

func lowSample(d *alarm.Definition) (float64, bool) {
	if d.EvaluateLowSampleCountPercentile != "ignore" || !strings.HasPrefix(d.Statistic, "p") {
		return 0, false
	}
	p, err := strconv.ParseFloat(d.Statistic[1:], 64)
	if err != nil {
		return 0, false
	}
	return alarm.LowSampleLimit(p), true
}

// alarmQueries returns the GetMetricData queries that fetch an alarm's data: its metric and
// statistic (Id "value"), or its math queries as given, plus the SampleCount (Id "samples")
// when samples is set.
func alarmQueries(d *alarm.Definition, samples bool) []wire.MetricDataQuery {
	t := true
	per := int64(d.Period / time.Second)
	if len(d.Metrics) > 0 {
		in := putInput(d)
		return in.Metrics
	}
	m := &wire.Metric{Namespace: d.Namespace, MetricName: d.MetricName}
	for _, x := range d.Dimensions {
		m.Dimensions = append(m.Dimensions, wire.Dimension{Name: x.Name, Value: x.Value})
	}
	qs := []wire.MetricDataQuery{{Id: "value", ReturnData: &t, MetricStat: &wire.MetricStat{Metric: m, Period: &per, Stat: d.Statistic, Unit: d.Unit}}}
	if samples {
		qs = append(qs, wire.MetricDataQuery{Id: "samples", ReturnData: &t, MetricStat: &wire.MetricStat{Metric: m, Period: &per, Stat: "SampleCount", Unit: d.Unit}})
	}
	return qs
}

func (s *Server) setAlarmState(in *wire.SetAlarmStateInput, now time.Time) (any, error) {
	b := &s.alarms
	if in.AlarmName == nil || *in.AlarmName == "" {
		return nil, missingParameter("AlarmName")
	}
	if in.StateValue == nil {
		return nil, missingParameter("StateValue")
	}
	if in.StateReason == nil {
		return nil, missingParameter("StateReason")
	}
	st, err := alarm.ParseState(*in.StateValue)
	if err != nil {
		return nil, invalidValue("The value %s for parameter StateValue is invalid; use OK, ALARM or INSUFFICIENT_DATA.", *in.StateValue)
	}
	rd := ""
	if in.StateReasonData != nil {
		rd = *in.StateReasonData
		if !json.Valid([]byte(rd)) {
			return nil, invalidFormat("StateReasonData is not valid JSON; send a JSON object or leave it out.")
		}
	}
	var status *alarmStatus
	typ := "MetricAlarm"
	if a, ok := b.metric[*in.AlarmName]; ok {
		status = &a.alarmStatus
	} else if c, ok := b.composite[*in.AlarmName]; ok {
		status, typ = &c.alarmStatus, "CompositeAlarm"
	} else {
		return nil, resourceNotFound("Alarm %s not found", *in.AlarmName)
	}
	if status.state == st {
		status.updated = now
		return wire.Empty{}, nil
	}
	s.recordTransition(*in.AlarmName, typ, status, alarm.Change{Time: now, From: status.state, To: st, Reason: *in.StateReason}, rd)
	return wire.Empty{}, nil
}

func (s *Server) deleteAlarms(in *wire.DeleteAlarmsInput, now time.Time) (any, error) {
	b := &s.alarms
	if len(in.AlarmNames) == 0 {
		return nil, missingParameter("AlarmNames")
	}
	if len(in.AlarmNames) > 100 {
		return nil, invalidValue("The collection AlarmNames must not have a size greater than 100.")
	}
	for _, n := range in.AlarmNames {
		_, m := b.metric[n]
		_, c := b.composite[n]
		if !m && !c {
			return nil, resourceNotFound("Alarm %s does not exist; no alarm was deleted.", n)
		}
	}
	for _, n := range in.AlarmNames {
		typ := "MetricAlarm"
		if _, ok := b.composite[n]; ok {
			typ = "CompositeAlarm"
			delete(b.composite, n)
			b.order = slices.DeleteFunc(b.order, func(x string) bool { return x == n })
		} else {
			delete(b.metric, n)
		}
		data, _ := json.Marshal(map[string]any{"version": "1.0", "type": "Delete", "deletedAlarm": map[string]any{"alarmName": n, "alarmArn": arn(n)}})
		b.add(wire.AlarmHistoryItem{AlarmName: n, AlarmType: typ, Timestamp: now, HistoryItemType: "ConfigurationUpdate",
			HistorySummary: fmt.Sprintf("Alarm %q deleted", n), HistoryData: string(data)})
	}
	return wire.Empty{}, nil
}

// listToken encodes an offset for DescribeAlarms and DescribeAlarmHistory, bound to the request.
func listToken(kind, key string, offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%s:%s:%d", kind, key, offset)))
}

func parseListToken(tok, kind, key string) (int, error) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	parts := strings.SplitN(string(raw), ":", 3)
	if err != nil || len(parts) != 3 || parts[0] != kind {
		return 0, invalidNextToken("The NextToken %q is invalid; pass the NextToken of the previous response unchanged.", tok)
	}
	if parts[1] != key {
		return 0, invalidNextToken("The NextToken was issued for a different request; repeat the same filters with it.")
	}
	n, err := strconv.Atoi(parts[2])
	if err != nil || n < 0 {
		return 0, invalidNextToken("The NextToken %q is invalid; pass the NextToken of the previous response unchanged.", tok)
	}
	return n, nil
}

func maxRecords(p *int64, def int64) (int, error) {
	if p == nil {
		return int(def), nil
	}
	if *p < 1 || *p > 100 {
		return 0, invalidValue("The value %d for parameter MaxRecords is invalid: it must be between 1 and 100.", *p)
	}
	return int(*p), nil
}

func (s *Server) describeAlarms(in *wire.DescribeAlarmsInput) (any, error) {
	b := &s.alarms
	if len(in.AlarmNames) > 0 && in.AlarmNamePrefix != nil {
		return nil, invalidCombination("The parameters AlarmNames and AlarmNamePrefix are mutually exclusive and you have specified both.")
	}
	if len(in.AlarmNames) > 100 {
		return nil, invalidValue("The collection AlarmNames must not have a size greater than 100.")
	}
	limit, err := maxRecords(in.MaxRecords, 50)
	if err != nil {
		return nil, err
	}
	wantMetric, wantComposite := true, false
	if len(in.AlarmTypes) > 0 {
		wantMetric, wantComposite = false, false
		for _, t := range in.AlarmTypes {
			switch t {
			case "MetricAlarm":
				wantMetric = true
			case "CompositeAlarm":
				wantComposite = true
			default:
				return nil, invalidValue("The value %s for parameter AlarmTypes is invalid; use MetricAlarm or CompositeAlarm.", t)
			}
		}
	}
	var state alarm.State
	if in.StateValue != nil {
		if state, err = alarm.ParseState(*in.StateValue); err != nil {
			return nil, invalidValue("The value %s for parameter StateValue is invalid; use OK, ALARM or INSUFFICIENT_DATA.", *in.StateValue)
		}
	}
	children, parents := map[string]bool{}, map[string]bool{}
	if in.ChildrenOfAlarmName != nil {
		c, ok := b.composite[*in.ChildrenOfAlarmName]
		if ok {
			for _, n := range c.rule.Alarms() {
				children[childName(n)] = true
			}
		}
	}
	if in.ParentsOfAlarmName != nil {
		for n, c := range b.composite {
			if slices.ContainsFunc(c.rule.Alarms(), func(r string) bool { return childName(r) == *in.ParentsOfAlarmName }) {
				parents[n] = true
			}
		}
	}
	keep := func(name string, st alarm.State, actions []string) bool {
		switch {
		case len(in.AlarmNames) > 0 && !slices.Contains(in.AlarmNames, name):
			return false
		case in.AlarmNamePrefix != nil && !strings.HasPrefix(name, *in.AlarmNamePrefix):
			return false
		case in.StateValue != nil && st != state:
			return false
		case in.ChildrenOfAlarmName != nil && !children[name]:
			return false
		case in.ParentsOfAlarmName != nil && !parents[name]:
			return false
		case in.ActionPrefix != nil && !slices.ContainsFunc(actions, func(a string) bool { return strings.HasPrefix(a, *in.ActionPrefix) }):
			return false
		}
		return true
	}
	type entry struct {
		name string
		m    *metricAlarm
		c    *compositeAlarm
	}
	var all []entry
	if wantMetric {
		for n, a := range b.metric {
			if keep(n, a.state, slices.Concat(a.def.AlarmActions, a.def.OKActions, a.def.InsufficientDataActions)) {
				all = append(all, entry{name: n, m: a})
			}
		}
	}
	if wantComposite {
		for n, c := range b.composite {
			if keep(n, c.state, slices.Concat(c.in.AlarmActions, c.in.OKActions, c.in.InsufficientDataActions)) {
				all = append(all, entry{name: n, c: c})
			}
		}
	}
	slices.SortFunc(all, func(x, y entry) int { return cmp.Compare(x.name, y.name) })
	key, _ := json.Marshal(in.AlarmNames)
	reqKey := fmt.Sprintf("%x", fnv(string(key)+deref(in.AlarmNamePrefix)+fmt.Sprint(in.AlarmTypes)+deref(in.StateValue)+deref(in.ActionPrefix)+deref(in.ChildrenOfAlarmName)+deref(in.ParentsOfAlarmName)))
	off := 0
	if in.NextToken != nil {
		if off, err = parseListToken(*in.NextToken, "da", reqKey); err != nil {
			return nil, err
		}
	}
	out := &wire.DescribeAlarmsOutput{MetricAlarms: []wire.MetricAlarm{}, CompositeAlarms: []wire.CompositeAlarm{}}
	end := min(off+limit, len(all))
	for _, e := range all[min(off, len(all)):end] {
		if e.m != nil {
			out.MetricAlarms = append(out.MetricAlarms, metricAlarmOut(e.m))
		} else {
			out.CompositeAlarms = append(out.CompositeAlarms, compositeAlarmOut(e.c))
		}
	}
	if end < len(all) {
		t := listToken("da", reqKey, end)
		out.NextToken = &t
	}
	return out, nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func fnv(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func metricAlarmOut(a *metricAlarm) wire.MetricAlarm {
	d := &a.def
	in := &a.in
	out := wire.MetricAlarm{
		AlarmName: d.Name, AlarmArn: arn(d.Name), AlarmDescription: in.AlarmDescription,
		AlarmConfigurationUpdatedTimestamp: a.configured, ActionsEnabled: d.ActionsEnabled,
		OKActions: orEmpty(d.OKActions), AlarmActions: orEmpty(d.AlarmActions), InsufficientDataActions: orEmpty(d.InsufficientDataActions),
		StateValue: a.state.String(), StateReason: a.reason, StateUpdatedTimestamp: a.updated, StateTransitionedTimestamp: a.transitioned,
		MetricName: in.MetricName, Namespace: in.Namespace, Statistic: in.Statistic, ExtendedStatistic: in.ExtendedStatistic,
		Dimensions: in.Dimensions, Period: in.Period, Unit: in.Unit, EvaluationPeriods: int64(d.EvaluationPeriods),
		DatapointsToAlarm: in.DatapointsToAlarm, Threshold: d.Threshold, ComparisonOperator: d.Comparison.String(),
		TreatMissingData: in.TreatMissingData, EvaluateLowSampleCountPercentile: in.EvaluateLowSampleCountPercentile,
		Metrics: in.Metrics,
	}
	if out.Dimensions == nil {
		out.Dimensions = []wire.Dimension{}
	}
	if a.reasonData != "" {
		rd := a.reasonData
		out.StateReasonData = &rd
	}
	return out
}

func compositeAlarmOut(c *compositeAlarm) wire.CompositeAlarm {
	in := &c.in
	out := wire.CompositeAlarm{
		AlarmName: c.name, AlarmArn: arn(c.name), AlarmDescription: in.AlarmDescription, AlarmRule: c.rule.String(),
		AlarmConfigurationUpdatedTimestamp: c.configured, ActionsEnabled: in.ActionsEnabled == nil || *in.ActionsEnabled,
		OKActions: orEmpty(in.OKActions), AlarmActions: orEmpty(in.AlarmActions), InsufficientDataActions: orEmpty(in.InsufficientDataActions),
		StateValue: c.state.String(), StateReason: c.reason, StateUpdatedTimestamp: c.updated, StateTransitionedTimestamp: c.transitioned,
	}
	if c.reasonData != "" {
		rd := c.reasonData
		out.StateReasonData = &rd
	}
	return out
}

func (s *Server) describeAlarmHistory(in *wire.DescribeAlarmHistoryInput, now time.Time) (any, error) {
	b := &s.alarms
	limit, err := maxRecords(in.MaxRecords, 100)
	if err != nil {
		return nil, err
	}
	types := map[string]bool{"MetricAlarm": true}
	if len(in.AlarmTypes) > 0 {
		types = map[string]bool{}
		for _, t := range in.AlarmTypes {
			if t != "MetricAlarm" && t != "CompositeAlarm" {
				return nil, invalidValue("The value %s for parameter AlarmTypes is invalid; use MetricAlarm or CompositeAlarm.", t)
			}
			types[t] = true
		}
	}
	if t := deref(in.HistoryItemType); t != "" {
		switch t {
		case "ConfigurationUpdate", "StateUpdate", "Action", "AlarmContributorStateUpdate", "AlarmContributorAction":
		default:
			return nil, invalidValue("The value %s for parameter HistoryItemType is invalid; use ConfigurationUpdate, StateUpdate or Action.", t)
		}
	}
	asc := false
	switch deref(in.ScanBy) {
	case "", "TimestampDescending":
	case "TimestampAscending":
		asc = true
	default:
		return nil, invalidValue("The value %s for parameter ScanBy is invalid; use TimestampDescending or TimestampAscending.", deref(in.ScanBy))
	}
	if in.StartDate != nil && in.EndDate != nil && in.EndDate.Before(*in.StartDate) {
		return nil, invalidValue("The parameter StartDate must be before the parameter EndDate.")
	}
	var items []wire.AlarmHistoryItem
	for _, h := range b.history {
		it := h.item
		switch {
		case in.AlarmName != nil && *in.AlarmName != it.AlarmName:
		case !types[it.AlarmType]:
		case in.HistoryItemType != nil && *in.HistoryItemType != it.HistoryItemType:
		case in.StartDate != nil && it.Timestamp.Before(*in.StartDate):
		case in.EndDate != nil && it.Timestamp.After(*in.EndDate):
		default:
			items = append(items, it)
		}
	}
	if !asc {
		slices.Reverse(items)
	}
	var sd, ed string
	if in.StartDate != nil {
		sd = in.StartDate.String()
	}
	if in.EndDate != nil {
		ed = in.EndDate.String()
	}
	reqKey := fmt.Sprintf("%x", fnv(deref(in.AlarmName)+fmt.Sprint(in.AlarmTypes)+deref(in.HistoryItemType)+sd+ed+deref(in.ScanBy)))
	off := 0
	if in.NextToken != nil {
		if off, err = parseListToken(*in.NextToken, "dah", reqKey); err != nil {
			return nil, err
		}
	}
	end := min(off+limit, len(items))
	out := &wire.DescribeAlarmHistoryOutput{AlarmHistoryItems: slices.Clone(items[min(off, len(items)):end])}
	if out.AlarmHistoryItems == nil {
		out.AlarmHistoryItems = []wire.AlarmHistoryItem{}
	}
	if end < len(items) {
		t := listToken("dah", reqKey, end)
		out.NextToken = &t
	}
	return out, nil
}
