package scenario

import (
	"time"

	"github.com/cwnb/cwnb/cwnb/alarm"
)

// Alarm is an alarm a scenario defines: a metric alarm (Definition), or a composite alarm when
// Rule is set (then only Definition.Name and Definition.Description are used).
type Alarm struct {
	Definition alarm.Definition
	Rule       string
}

// Alarms returns the alarms of the scenario named name (nil for a scenario without alarms). The
// local CloudWatch creates them two weeks before its clock and evaluates them over the
// scenario's data, so they come with a realistic history:
//
//   - api: "checkout-latency-average" watches the checkout service's 1-minute Average latency
//     above 300 ms for 3 of 3 minutes. The backup at :00-:05 lifts the average only to
//     240-265 ms, so it never fires: the alarm that missed the hourly tail.
//     "checkout-latency-p99" watches the 1-minute p99 above 1,000 ms, 1 of 1: it pages on every
//     backup, 24 times a day. "checkout-page" is the composite ALARM(checkout-latency-p99) AND
//     ALARM(checkout-latency-average), which therefore never fires either.
//   - ec2: "web-hot-cpu" watches instance i-0a1b2c3d4e5f60003's 5-minute Average
//     CPUUtilization above 90% for 3 of 3, which it touches now and then in the busy hours.
//   - lambda: "orders-api-error-rate" is a metric-math alarm on 100·Errors/Invocations of
//     orders-api above 5% for 1 of 1 minute: it fires at the bad deploy (LambdaBadDeploy) and
//     stays in ALARM.
func Alarms(name string) []Alarm {
	switch name {
	case "api":
		checkout := []alarm.Dimension{{Name: "Service", Value: "checkout"}}
		return []Alarm{
			{Definition: alarm.Definition{Name: "checkout-latency-average", Description: "Checkout latency (average) above 300 ms",
				Namespace: "MyService/API", MetricName: "Latency", Dimensions: checkout, Statistic: "Average", Unit: "Milliseconds",
				Period: time.Minute, EvaluationPeriods: 3, Threshold: 300, Comparison: alarm.Greater,
				TreatMissingData: alarm.Missing, ActionsEnabled: true}},
			{Definition: alarm.Definition{Name: "checkout-latency-p99", Description: "Checkout p99 latency above 1 s",
				Namespace: "MyService/API", MetricName: "Latency", Dimensions: checkout, Statistic: "p99", Unit: "Milliseconds",
				Period: time.Minute, EvaluationPeriods: 1, Threshold: 1000, Comparison: alarm.Greater,
				ActionsEnabled: true}},
			{Definition: alarm.Definition{Name: "checkout-page", Description: "Page when both checkout latency alarms fire"},
				Rule: `ALARM("checkout-latency-p99") AND ALARM("checkout-latency-average")`},
		}
	case "ec2":
		return []Alarm{
			{Definition: alarm.Definition{Name: "web-hot-cpu", Description: "CPU of i-0a1b2c3d4e5f60003 above 90%",
				Namespace: "AWS/EC2", MetricName: "CPUUtilization", Dimensions: []alarm.Dimension{{Name: "InstanceId", Value: ec2InstanceID(2)}},
				Statistic: "Average", Unit: "Percent", Period: 5 * time.Minute, EvaluationPeriods: 3, Threshold: 90,
				Comparison: alarm.Greater, ActionsEnabled: true}},
		}
	case "lambda":
		fn := []alarm.Dimension{{Name: "FunctionName", Value: "orders-api"}}
		return []Alarm{
			{Definition: alarm.Definition{Name: "orders-api-error-rate", Description: "orders-api error rate above 5%",
				Metrics: []alarm.Query{
					{ID: "errors", Namespace: "AWS/Lambda", MetricName: "Errors", Dimensions: fn, Stat: "Sum", Period: time.Minute},
					{ID: "invocations", Namespace: "AWS/Lambda", MetricName: "Invocations", Dimensions: fn, Stat: "Sum", Period: time.Minute},
					{ID: "rate", Expression: "100 * errors / invocations", Label: "Error rate (%)", ReturnData: true},
				},
				Period: time.Minute, EvaluationPeriods: 1, Threshold: 5, Comparison: alarm.Greater,
				TreatMissingData: alarm.NotBreaching, ActionsEnabled: true}},
		}
	}
	return nil
}
