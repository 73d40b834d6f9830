package wire

import "time"

// The alarm operations: PutMetricAlarm, PutCompositeAlarm, DescribeAlarms, DeleteAlarms,
// SetAlarmState and DescribeAlarmHistory, with the member names of the CloudWatch model
// (aws-sdk-go-v2/service/cloudwatch/schemas).

// PutMetricAlarmInput is the input of PutMetricAlarm.
type PutMetricAlarmInput struct {
	AlarmName                        *string           `cbor:"AlarmName"`
	AlarmDescription                 *string           `cbor:"AlarmDescription"`
	ActionsEnabled                   *bool             `cbor:"ActionsEnabled"`
	AlarmActions                     []string          `cbor:"AlarmActions"`
	OKActions                        []string          `cbor:"OKActions"`
	InsufficientDataActions          []string          `cbor:"InsufficientDataActions"`
	Namespace                        *string           `cbor:"Namespace"`
	MetricName                       *string           `cbor:"MetricName"`
	Dimensions                       []Dimension       `cbor:"Dimensions"`
	Statistic                        *string           `cbor:"Statistic"`
	ExtendedStatistic                *string           `cbor:"ExtendedStatistic"`
	Unit                             *string           `cbor:"Unit"`
	Metrics                          []MetricDataQuery `cbor:"Metrics"`
	Period                           *int64            `cbor:"Period"`
	EvaluationPeriods                *int64            `cbor:"EvaluationPeriods"`
	DatapointsToAlarm                *int64            `cbor:"DatapointsToAlarm"`
	Threshold                        *float64          `cbor:"Threshold"`
	ThresholdMetricId                *string           `cbor:"ThresholdMetricId"`
	ComparisonOperator               *string           `cbor:"ComparisonOperator"`
	TreatMissingData                 *string           `cbor:"TreatMissingData"`
	EvaluateLowSampleCountPercentile *string           `cbor:"EvaluateLowSampleCountPercentile"`
	// Members the local CloudWatch does not evaluate; decoded only to refuse them clearly.
	EvaluationWindow    any `cbor:"EvaluationWindow"`
	WarmUpConfiguration any `cbor:"WarmUpConfiguration"`
	EvaluationCriteria  any `cbor:"EvaluationCriteria"`
}

// PutCompositeAlarmInput is the input of PutCompositeAlarm.
type PutCompositeAlarmInput struct {
	AlarmName               *string  `cbor:"AlarmName"`
	AlarmRule               *string  `cbor:"AlarmRule"`
	AlarmDescription        *string  `cbor:"AlarmDescription"`
	ActionsEnabled          *bool    `cbor:"ActionsEnabled"`
	AlarmActions            []string `cbor:"AlarmActions"`
	OKActions               []string `cbor:"OKActions"`
	InsufficientDataActions []string `cbor:"InsufficientDataActions"`
}

// DescribeAlarmsInput is the input of DescribeAlarms.
type DescribeAlarmsInput struct {
	AlarmNames          []string `cbor:"AlarmNames"`
	AlarmNamePrefix     *string  `cbor:"AlarmNamePrefix"`
	AlarmTypes          []string `cbor:"AlarmTypes"`
	ActionPrefix        *string  `cbor:"ActionPrefix"`
	ChildrenOfAlarmName *string  `cbor:"ChildrenOfAlarmName"`
	ParentsOfAlarmName  *string  `cbor:"ParentsOfAlarmName"`
	StateValue          *string  `cbor:"StateValue"`
	MaxRecords          *int64   `cbor:"MaxRecords"`
	NextToken           *string  `cbor:"NextToken"`
}

// MetricAlarm is one metric alarm of DescribeAlarms.
type MetricAlarm struct {
	AlarmName                          string            `cbor:"AlarmName"`
	AlarmArn                           string            `cbor:"AlarmArn"`
	AlarmDescription                   *string           `cbor:"AlarmDescription,omitempty"`
	AlarmConfigurationUpdatedTimestamp time.Time         `cbor:"AlarmConfigurationUpdatedTimestamp"`
	ActionsEnabled                     bool              `cbor:"ActionsEnabled"`
	OKActions                          []string          `cbor:"OKActions"`
	AlarmActions                       []string          `cbor:"AlarmActions"`
	InsufficientDataActions            []string          `cbor:"InsufficientDataActions"`
	StateValue                         string            `cbor:"StateValue"`
	StateReason                        string            `cbor:"StateReason"`
	StateReasonData                    *string           `cbor:"StateReasonData,omitempty"`
	StateUpdatedTimestamp              time.Time         `cbor:"StateUpdatedTimestamp"`
	StateTransitionedTimestamp         time.Time         `cbor:"StateTransitionedTimestamp"`
	MetricName                         *string           `cbor:"MetricName,omitempty"`
	Namespace                          *string           `cbor:"Namespace,omitempty"`
	Statistic                          *string           `cbor:"Statistic,omitempty"`
	ExtendedStatistic                  *string           `cbor:"ExtendedStatistic,omitempty"`
	Dimensions                         []Dimension       `cbor:"Dimensions"`
	Period                             *int64            `cbor:"Period,omitempty"`
	Unit                               *string           `cbor:"Unit,omitempty"`
	EvaluationPeriods                  int64             `cbor:"EvaluationPeriods"`
	DatapointsToAlarm                  *int64            `cbor:"DatapointsToAlarm,omitempty"`
	Threshold                          float64           `cbor:"Threshold"`
	ComparisonOperator                 string            `cbor:"ComparisonOperator"`
	TreatMissingData                   *string           `cbor:"TreatMissingData,omitempty"`
	EvaluateLowSampleCountPercentile   *string           `cbor:"EvaluateLowSampleCountPercentile,omitempty"`
	Metrics                            []MetricDataQuery `cbor:"Metrics,omitempty"`
}

// CompositeAlarm is one composite alarm of DescribeAlarms.
type CompositeAlarm struct {
	AlarmName                          string    `cbor:"AlarmName"`
	AlarmArn                           string    `cbor:"AlarmArn"`
	AlarmDescription                   *string   `cbor:"AlarmDescription,omitempty"`
	AlarmRule                          string    `cbor:"AlarmRule"`
	AlarmConfigurationUpdatedTimestamp time.Time `cbor:"AlarmConfigurationUpdatedTimestamp"`
	ActionsEnabled                     bool      `cbor:"ActionsEnabled"`
	OKActions                          []string  `cbor:"OKActions"`
	AlarmActions                       []string  `cbor:"AlarmActions"`
	InsufficientDataActions            []string  `cbor:"InsufficientDataActions"`
	StateValue                         string    `cbor:"StateValue"`
	StateReason                        string    `cbor:"StateReason"`
	StateReasonData                    *string   `cbor:"StateReasonData,omitempty"`
	StateUpdatedTimestamp              time.Time `cbor:"StateUpdatedTimestamp"`
	StateTransitionedTimestamp         time.Time `cbor:"StateTransitionedTimestamp"`
}

// DescribeAlarmsOutput is the output of DescribeAlarms.
type DescribeAlarmsOutput struct {
	MetricAlarms    []MetricAlarm    `cbor:"MetricAlarms"`
	CompositeAlarms []CompositeAlarm `cbor:"CompositeAlarms"`
	NextToken       *string          `cbor:"NextToken,omitempty"`
}

// DeleteAlarmsInput is the input of DeleteAlarms.
type DeleteAlarmsInput struct {
	AlarmNames []string `cbor:"AlarmNames"`
}

// SetAlarmStateInput is the input of SetAlarmState.
type SetAlarmStateInput struct {
	AlarmName       *string `cbor:"AlarmName"`
	StateValue      *string `cbor:"StateValue"`
	StateReason     *string `cbor:"StateReason"`
	StateReasonData *string `cbor:"StateReasonData"`
}

// DescribeAlarmHistoryInput is the input of DescribeAlarmHistory.
type DescribeAlarmHistoryInput struct {
	AlarmName       *string    `cbor:"AlarmName"`
	AlarmTypes      []string   `cbor:"AlarmTypes"`
	HistoryItemType *string    `cbor:"HistoryItemType"`
	StartDate       *time.Time `cbor:"StartDate"`
	EndDate         *time.Time `cbor:"EndDate"`
	MaxRecords      *int64     `cbor:"MaxRecords"`
	NextToken       *string    `cbor:"NextToken"`
	ScanBy          *string    `cbor:"ScanBy"`
}

func (in *DescribeAlarmHistoryInput) normalize() {
	ms(in.StartDate)
	ms(in.EndDate)
}

// AlarmHistoryItem is one item of DescribeAlarmHistory.
type AlarmHistoryItem struct {
	AlarmName       string    `cbor:"AlarmName"`
	AlarmType       string    `cbor:"AlarmType"`
	Timestamp       time.Time `cbor:"Timestamp"`
	HistoryItemType string    `cbor:"HistoryItemType"`
	HistorySummary  string    `cbor:"HistorySummary"`
	HistoryData     string    `cbor:"HistoryData"`
}

// DescribeAlarmHistoryOutput is the output of DescribeAlarmHistory.
type DescribeAlarmHistoryOutput struct {
	AlarmHistoryItems []AlarmHistoryItem `cbor:"AlarmHistoryItems"`
	NextToken         *string            `cbor:"NextToken,omitempty"`
}
