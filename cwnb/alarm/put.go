package alarm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/format"
	"strconv"
	"strings"
	"time"
)

// isBasic reports whether stat goes in PutMetricAlarm's Statistic member (the five basic
// statistics) rather than ExtendedStatistic.
func isBasic(stat string) bool {
	switch stat {
	case "Average", "Sum", "Minimum", "Maximum", "SampleCount":
		return true
	}
	return false
}

type jsonDim struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

type jsonMetric struct {
	Namespace  string    `json:"Namespace"`
	MetricName string    `json:"MetricName"`
	Dimensions []jsonDim `json:"Dimensions,omitempty"`
}

type jsonMetricStat struct {
	Metric jsonMetric `json:"Metric"`
	Period int64      `json:"Period"`
	Stat   string     `json:"Stat"`
	Unit   string     `json:"Unit,omitempty"`
}

type jsonQuery struct {
	ID         string          `json:"Id"`
	Expression string          `json:"Expression,omitempty"`
	MetricStat *jsonMetricStat `json:"MetricStat,omitempty"`
	Label      string          `json:"Label,omitempty"`
	Period     int64           `json:"Period,omitempty"`
	ReturnData bool            `json:"ReturnData"`
}

type jsonPut struct {
	AlarmName                        string      `json:"AlarmName"`
	AlarmDescription                 string      `json:"AlarmDescription,omitempty"`
	ActionsEnabled                   bool        `json:"ActionsEnabled"`
	OKActions                        []string    `json:"OKActions,omitempty"`
	AlarmActions                     []string    `json:"AlarmActions,omitempty"`
	InsufficientDataActions          []string    `json:"InsufficientDataActions,omitempty"`
	Namespace                        string      `json:"Namespace,omitempty"`
	MetricName                       string      `json:"MetricName,omitempty"`
	Dimensions                       []jsonDim   `json:"Dimensions,omitempty"`
	Statistic                        string      `json:"Statistic,omitempty"`
	ExtendedStatistic                string      `json:"ExtendedStatistic,omitempty"`
	Unit                             string      `json:"Unit,omitempty"`
	Metrics                          []jsonQuery `json:"Metrics,omitempty"`
	Period                           int64       `json:"Period,omitempty"`
	EvaluationPeriods                int         `json:"EvaluationPeriods"`
	DatapointsToAlarm                int         `json:"DatapointsToAlarm"`
	Threshold                        float64     `json:"Threshold"`
	ComparisonOperator               string      `json:"ComparisonOperator"`
	TreatMissingData                 string      `json:"TreatMissingData"`
	EvaluateLowSampleCountPercentile string      `json:"EvaluateLowSampleCountPercentile,omitempty"`
}

func dimsJSON(ds []Dimension) []jsonDim {
	var out []jsonDim
	for _, d := range ds {
		out = append(out, jsonDim(d))
	}
	return out
}

func (d *Definition) jsonPut() jsonPut {
	p := jsonPut{AlarmName: d.Name, AlarmDescription: d.Description, ActionsEnabled: d.ActionsEnabled,
		OKActions: d.OKActions, AlarmActions: d.AlarmActions, InsufficientDataActions: d.InsufficientDataActions,
		Namespace: d.Namespace, MetricName: d.MetricName, Dimensions: dimsJSON(d.Dimensions), Unit: d.Unit,
		EvaluationPeriods: d.EvaluationPeriods, DatapointsToAlarm: d.M(), Threshold: d.Threshold,
		ComparisonOperator: d.Comparison.String(), TreatMissingData: d.TreatMissingData.String(),
		EvaluateLowSampleCountPercentile: d.EvaluateLowSampleCountPercentile}
	if isBasic(d.Statistic) {
		p.Statistic = d.Statistic
	} else {
		p.ExtendedStatistic = d.Statistic
	}
	if len(d.Metrics) == 0 {
		p.Period = int64(d.Period / time.Second)
	}
	for _, q := range d.Metrics {
		jq := jsonQuery{ID: q.ID, Expression: q.Expression, Label: q.Label, ReturnData: q.ReturnData}
		if q.MetricName != "" {
			per := q.Period
			if per == 0 {
				per = d.Period
			}
			jq.MetricStat = &jsonMetricStat{Metric: jsonMetric{q.Namespace, q.MetricName, dimsJSON(q.Dimensions)},
				Period: int64(per / time.Second), Stat: q.Stat, Unit: q.Unit}
		} else if q.Period > 0 {
			jq.Period = int64(q.Period / time.Second)
		}
		p.Metrics = append(p.Metrics, jq)
	}
	return p
}

// PutMetricAlarmJSON returns the PutMetricAlarm input as JSON, indented, ready for
// `aws cloudwatch put-metric-alarm --cli-input-json file://alarm.json`.
func (d *Definition) PutMetricAlarmJSON() string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d.jsonPut()); err != nil {
		panic("cwnb: encode PutMetricAlarm JSON: " + err.Error())
	}
	return strings.TrimSpace(b.String())
}

// PutMetricAlarmGo returns Go source for the aws-sdk-go-v2 call that creates the alarm:
// `client.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{...})`, gofmt-formatted.
func (d *Definition) PutMetricAlarmGo() string {
	p := d.jsonPut()
	var b strings.Builder
	q := strconv.Quote
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("_, err := client.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{\n")
	w("AlarmName: aws.String(%s),\n", q(p.AlarmName))
	if p.AlarmDescription != "" {
		w("AlarmDescription: aws.String(%s),\n", q(p.AlarmDescription))
	}
	w("ActionsEnabled: aws.Bool(%v),\n", p.ActionsEnabled)
	for _, a := range []struct {
		name string
		v    []string
	}{{"AlarmActions", p.AlarmActions}, {"OKActions", p.OKActions}, {"InsufficientDataActions", p.InsufficientDataActions}} {
		if len(a.v) > 0 {
			var qs []string
			for _, s := range a.v {
				qs = append(qs, q(s))
			}
			w("%s: []string{%s},\n", a.name, strings.Join(qs, ", "))
		}
	}
	dims := func(ds []jsonDim) string {
		var parts []string
		for _, x := range ds {
			parts = append(parts, fmt.Sprintf("{Name: aws.String(%s), Value: aws.String(%s)}", q(x.Name), q(x.Value)))
		}
		return "[]types.Dimension{" + strings.Join(parts, ", ") + "}"
	}
	if p.MetricName != "" {
		w("Namespace: aws.String(%s),\nMetricName: aws.String(%s),\n", q(p.Namespace), q(p.MetricName))
		if len(p.Dimensions) > 0 {
			w("Dimensions: %s,\n", dims(p.Dimensions))
		}
	}
	if p.Statistic != "" {
		w("Statistic: types.Statistic%s,\n", p.Statistic)
	}
	if p.ExtendedStatistic != "" {
		w("ExtendedStatistic: aws.String(%s),\n", q(p.ExtendedStatistic))
	}
	if p.Unit != "" {
		w("Unit: types.StandardUnit(%s),\n", q(p.Unit))
	}
	if len(p.Metrics) > 0 {
		w("Metrics: []types.MetricDataQuery{\n")
		for _, m := range p.Metrics {
			w("{Id: aws.String(%s), ReturnData: aws.Bool(%v)", q(m.ID), m.ReturnData)
			if m.Expression != "" {
				w(", Expression: aws.String(%s)", q(m.Expression))
			}
			if m.Label != "" {
				w(", Label: aws.String(%s)", q(m.Label))
			}
			if m.Period > 0 {
				w(", Period: aws.Int32(%d)", m.Period)
			}
			if ms := m.MetricStat; ms != nil {
				w(", MetricStat: &types.MetricStat{Metric: &types.Metric{Namespace: aws.String(%s), MetricName: aws.String(%s)",
					q(ms.Metric.Namespace), q(ms.Metric.MetricName))
				if len(ms.Metric.Dimensions) > 0 {
					w(", Dimensions: %s", dims(ms.Metric.Dimensions))
				}
				w("}, Period: aws.Int32(%d), Stat: aws.String(%s)", ms.Period, q(ms.Stat))
				if ms.Unit != "" {
					w(", Unit: types.StandardUnit(%s)", q(ms.Unit))
				}
				w("}")
			}
			w("},\n")
		}
		w("},\n")
	}
	if p.Period > 0 {
		w("Period: aws.Int32(%d),\n", p.Period)
	}
	w("EvaluationPeriods: aws.Int32(%d),\n", p.EvaluationPeriods)
	w("DatapointsToAlarm: aws.Int32(%d),\n", p.DatapointsToAlarm)
	w("Threshold: aws.Float64(%s),\n", FormatValue(p.Threshold))
	w("ComparisonOperator: types.ComparisonOperator%s,\n", p.ComparisonOperator)
	w("TreatMissingData: aws.String(%s),\n", q(p.TreatMissingData))
	if p.EvaluateLowSampleCountPercentile != "" {
		w("EvaluateLowSampleCountPercentile: aws.String(%s),\n", q(p.EvaluateLowSampleCountPercentile))
	}
	w("})\n")
	src, err := format.Source([]byte(b.String()))
	if err != nil {
		return b.String()
	}
	return string(src)
}
