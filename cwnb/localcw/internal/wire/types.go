package wire

import "time"

// The request and response shapes below carry the member names of the CloudWatch model
// (aws-sdk-go-v2/service/cloudwatch/schemas). Pointers mark members whose absence matters.

// Dimension is a name/value pair of a metric.
type Dimension struct {
	Name  string `cbor:"Name"`
	Value string `cbor:"Value"`
}

// DimensionFilter filters ListMetrics by a dimension name and, optionally, its value.
type DimensionFilter struct {
	Name  string  `cbor:"Name"`
	Value *string `cbor:"Value,omitempty"`
}

// Metric identifies a metric.
type Metric struct {
	Namespace  string      `cbor:"Namespace,omitempty"`
	MetricName string      `cbor:"MetricName,omitempty"`
	Dimensions []Dimension `cbor:"Dimensions"`
}

// StatisticSet is a pre-aggregated datum.
type StatisticSet struct {
	SampleCount *float64 `cbor:"SampleCount"`
	Sum         *float64 `cbor:"Sum"`
	Minimum     *float64 `cbor:"Minimum"`
	Maximum     *float64 `cbor:"Maximum"`
}

// MetricDatum is one datum of PutMetricData.
type MetricDatum struct {
	MetricName        string        `cbor:"MetricName"`
	Dimensions        []Dimension   `cbor:"Dimensions"`
	Timestamp         *time.Time    `cbor:"Timestamp"`
	Value             *float64      `cbor:"Value"`
	StatisticValues   *StatisticSet `cbor:"StatisticValues"`
	Values            []float64     `cbor:"Values"`
	Counts            []float64     `cbor:"Counts"`
	Unit              string        `cbor:"Unit"`
	StorageResolution *int64        `cbor:"StorageResolution"`
}

// EntityMetricData is a group of datums attached to an entity (the entity is ignored here).
type EntityMetricData struct {
	MetricData []MetricDatum `cbor:"MetricData"`
}

// PutMetricDataInput is the input of PutMetricData.
type PutMetricDataInput struct {
	Namespace        string             `cbor:"Namespace"`
	MetricData       []MetricDatum      `cbor:"MetricData"`
	EntityMetricData []EntityMetricData `cbor:"EntityMetricData"`
}

func (in *PutMetricDataInput) normalize() {
	for i := range in.MetricData {
		ms(in.MetricData[i].Timestamp)
	}
	for i := range in.EntityMetricData {
		for j := range in.EntityMetricData[i].MetricData {
			ms(in.EntityMetricData[i].MetricData[j].Timestamp)
		}
	}
}

// Empty is the output of an operation with no output members.
type Empty struct{}

// ListMetricsInput is the input of ListMetrics.
type ListMetricsInput struct {
	Namespace             string            `cbor:"Namespace"`
	MetricName            string            `cbor:"MetricName"`
	Dimensions            []DimensionFilter `cbor:"Dimensions"`
	NextToken             *string           `cbor:"NextToken"`
	RecentlyActive        string            `cbor:"RecentlyActive"`
	IncludeLinkedAccounts *bool             `cbor:"IncludeLinkedAccounts"`
	OwningAccount         *string           `cbor:"OwningAccount"`
}

// ListMetricsOutput is the output of ListMetrics.
type ListMetricsOutput struct {
	Metrics   []Metric `cbor:"Metrics"`
	NextToken *string  `cbor:"NextToken,omitempty"`
}

// MetricStat is a metric, a period and a statistic.
type MetricStat struct {
	Metric *Metric `cbor:"Metric"`
	Period *int64  `cbor:"Period"`
	Stat   string  `cbor:"Stat"`
	Unit   string  `cbor:"Unit"`
}

// MetricDataQuery is one query of GetMetricData.
type MetricDataQuery struct {
	Id         string      `cbor:"Id"`
	MetricStat *MetricStat `cbor:"MetricStat"`
	Expression *string     `cbor:"Expression"`
	Label      *string     `cbor:"Label"`
	ReturnData *bool       `cbor:"ReturnData"`
	Period     *int64      `cbor:"Period"`
	AccountId  *string     `cbor:"AccountId"`
}

// LabelOptions holds the time zone of dynamic labels.
type LabelOptions struct {
	Timezone string `cbor:"Timezone"`
}

// GetMetricDataInput is the input of GetMetricData.
type GetMetricDataInput struct {
	MetricDataQueries []MetricDataQuery `cbor:"MetricDataQueries"`
	StartTime         *time.Time        `cbor:"StartTime"`
	EndTime           *time.Time        `cbor:"EndTime"`
	NextToken         *string           `cbor:"NextToken"`
	ScanBy            string            `cbor:"ScanBy"`
	MaxDatapoints     *int64            `cbor:"MaxDatapoints"`
	LabelOptions      *LabelOptions     `cbor:"LabelOptions"`
}

func (in *GetMetricDataInput) normalize() {
	ms(in.StartTime)
	ms(in.EndTime)
}

// MessageData is a warning attached to a GetMetricData result or response.
type MessageData struct {
	Code  string `cbor:"Code,omitempty"`
	Value string `cbor:"Value,omitempty"`
}

// MetricDataResult is the answer to one query (or one series of a SEARCH). It is encoded by
// GetMetricDataOutput.MarshalCBOR; TimestampsMs go on the wire as the Timestamps member.
type MetricDataResult struct {
	Id           string
	Label        string
	TimestampsMs []int64 // Unix milliseconds
	Values       []float64
	StatusCode   string
	Messages     []MessageData
}

// GetMetricDataOutput is the output of GetMetricData.
type GetMetricDataOutput struct {
	MetricDataResults []MetricDataResult `cbor:"MetricDataResults"`
	NextToken         *string            `cbor:"NextToken,omitempty"`
	Messages          []MessageData      `cbor:"Messages,omitempty"`
}

// GetMetricStatisticsInput is the input of GetMetricStatistics.
type GetMetricStatisticsInput struct {
	Namespace          string      `cbor:"Namespace"`
	MetricName         string      `cbor:"MetricName"`
	Dimensions         []Dimension `cbor:"Dimensions"`
	StartTime          *time.Time  `cbor:"StartTime"`
	EndTime            *time.Time  `cbor:"EndTime"`
	Period             *int64      `cbor:"Period"`
	Statistics         []string    `cbor:"Statistics"`
	ExtendedStatistics []string    `cbor:"ExtendedStatistics"`
	Unit               string      `cbor:"Unit"`
}

func (in *GetMetricStatisticsInput) normalize() {
	ms(in.StartTime)
	ms(in.EndTime)
}

// Datapoint is one period of GetMetricStatistics.
type Datapoint struct {
	Timestamp          time.Time          `cbor:"Timestamp"`
	SampleCount        *float64           `cbor:"SampleCount,omitempty"`
	Average            *float64           `cbor:"Average,omitempty"`
	Sum                *float64           `cbor:"Sum,omitempty"`
	Minimum            *float64           `cbor:"Minimum,omitempty"`
	Maximum            *float64           `cbor:"Maximum,omitempty"`
	Unit               string             `cbor:"Unit,omitempty"`
	ExtendedStatistics map[string]float64 `cbor:"ExtendedStatistics,omitempty"`
}

// GetMetricStatisticsOutput is the output of GetMetricStatistics.
type GetMetricStatisticsOutput struct {
	Label      string      `cbor:"Label"`
	Datapoints []Datapoint `cbor:"Datapoints"`
}
