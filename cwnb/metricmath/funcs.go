package metricmath

import (
	"sort"
	"strings"
	"time"
)

// funcSpec describes a supported function.
type funcSpec struct {
	name             string
	minArgs, maxArgs int
	usage            string
	keywords         map[int][]string // argument index -> keywords accepted there (and required, unless in kwOrValue)
	kwOrValue        uint             // bit i set: argument i is a keyword or a value
	strArgs          uint             // bit i set: argument i is (or may be) a string literal
	eval             func(ev *evaluator, c *callNode) (value, error)
}

var funcs map[string]*funcSpec

// unsupportedFuncs are CloudWatch metric math functions (and Metrics Insights' SELECT) that
// CloudWatch documents and cwnb does not evaluate: it rejects them with ErrUnsupported, naming
// them as documented functions rather than unknown ones.
var unsupportedFuncs = map[string]struct{}{
	"ANOMALY_DETECTION_BAND": {},
	"DB_PERF_INSIGHTS":       {},
	"INSIGHT_RULE_METRIC":    {},
	"SERVICE_QUOTA":          {},
	"LAMBDA":                 {},
	"SELECT":                 {},
	"MIN_TIMESTAMP":          {},
}

func init() {
	list := []*funcSpec{
		{name: "ABS", minArgs: 1, maxArgs: 1, usage: "ABS(m1) or ABS(METRICS())", eval: pointwise(absF)},
		{name: "CEIL", minArgs: 1, maxArgs: 1, usage: "CEIL(m1) or CEIL(METRICS())", eval: pointwise(ceilF)},
		{name: "FLOOR", minArgs: 1, maxArgs: 1, usage: "FLOOR(m1) or FLOOR(METRICS())", eval: pointwise(floorF)},
		{name: "LOG", minArgs: 1, maxArgs: 1, usage: "LOG(m1) or LOG(METRICS())", eval: pointwise(logF)},
		{name: "LOG10", minArgs: 1, maxArgs: 1, usage: "LOG10(m1) or LOG10(METRICS())", eval: pointwise(log10F)},
		{name: "SUM", minArgs: 1, maxArgs: 1, usage: "SUM(m1) (a number) or SUM([m1, m2]) (a time series)", eval: aggregate(aggSum)},
		{name: "AVG", minArgs: 1, maxArgs: 1, usage: "AVG(m1) (a number) or AVG([m1, m2]) (a time series)", eval: aggregate(aggAvg)},
		{name: "MIN", minArgs: 1, maxArgs: 1, usage: "MIN(m1) (a number) or MIN([m1, m2]) (a time series)", eval: aggregate(aggMin)},
		{name: "MAX", minArgs: 1, maxArgs: 1, usage: "MAX(m1) (a number) or MAX([m1, m2]) (a time series)", eval: aggregate(aggMax)},
		{name: "STDDEV", minArgs: 1, maxArgs: 1, usage: "STDDEV(m1) (a number) or STDDEV([m1, m2]) (a time series)", eval: aggregate(aggStddev)},
		{name: "DATAPOINT_COUNT", minArgs: 1, maxArgs: 1, usage: "DATAPOINT_COUNT(m1) (a number) or DATAPOINT_COUNT(METRICS()) (a time series)", eval: aggregate(aggCount)},
		{name: "METRIC_COUNT", minArgs: 1, maxArgs: 1, usage: "METRIC_COUNT(METRICS())", eval: evalMetricCount},
		{name: "FILL", minArgs: 2, maxArgs: 2, usage: "FILL(m1, 0), FILL(m1, m2), FILL(m1, REPEAT) or FILL(METRICS(), LINEAR)",
			keywords: map[int][]string{1: {"REPEAT", "LINEAR"}}, kwOrValue: 1 << 1, eval: evalFill},
		{name: "RATE", minArgs: 1, maxArgs: 1, usage: "RATE(m1) or RATE(METRICS())", eval: sequential(seqRate)},
		{name: "DIFF", minArgs: 1, maxArgs: 1, usage: "DIFF(m1) or DIFF(METRICS())", eval: sequential(seqDiff)},
		{name: "DIFF_TIME", minArgs: 1, maxArgs: 1, usage: "DIFF_TIME(m1) or DIFF_TIME(METRICS())", eval: sequential(seqDiffTime)},
		{name: "RUNNING_SUM", minArgs: 1, maxArgs: 1, usage: "RUNNING_SUM(m1) or RUNNING_SUM([m1, m2])", eval: sequential(seqRunningSum)},
		{name: "METRICS", minArgs: 0, maxArgs: 1, usage: "METRICS() or METRICS('errors')", strArgs: 1, eval: evalMetrics},
		{name: "SEARCH", minArgs: 2, maxArgs: 3, usage: `SEARCH('{AWS/EC2,InstanceId} MetricName="CPUUtilization"', 'Average', 300)`, strArgs: 3, eval: evalSearch},
		{name: "PERIOD", minArgs: 1, maxArgs: 1, usage: "PERIOD(m1), where m1 is a metric query", eval: evalPeriod},
		{name: "TIME_SERIES", minArgs: 1, maxArgs: 1, usage: "TIME_SERIES(10) or TIME_SERIES(MAX(m1))", eval: evalTimeSeries},
		{name: "REMOVE_EMPTY", minArgs: 1, maxArgs: 1, usage: "REMOVE_EMPTY(METRICS())", eval: evalRemoveEmpty},
		{name: "FIRST", minArgs: 1, maxArgs: 1, usage: "FIRST(SORT(METRICS(), AVG, DESC))", eval: evalFirstLast(true)},
		{name: "LAST", minArgs: 1, maxArgs: 1, usage: "LAST(SORT(METRICS(), AVG, DESC))", eval: evalFirstLast(false)},
		{name: "SORT", minArgs: 3, maxArgs: 4, usage: "SORT(METRICS(), AVG, DESC) or SORT(METRICS(), MAX, ASC, 5)",
			keywords: map[int][]string{1: {"AVG", "MIN", "MAX", "SUM"}, 2: {"ASC", "DESC"}}, eval: evalSort},
		{name: "SLICE", minArgs: 2, maxArgs: 3, usage: "SLICE(SORT(METRICS(), SUM, DESC), 0, 10) or SLICE(METRICS(), 5)", eval: evalSlice},
		{name: "IF", minArgs: 2, maxArgs: 3, usage: "IF(m1 > 100, m1) or IF(m1, m2, m3)", eval: evalIf},
		{name: "MINUTE", minArgs: 1, maxArgs: 1, usage: "MINUTE(m1)", eval: timeFunc(func(t time.Time) float64 { return float64(t.Minute()) })},
		{name: "HOUR", minArgs: 1, maxArgs: 1, usage: "HOUR(m1)", eval: timeFunc(func(t time.Time) float64 { return float64(t.Hour()) })},
		{name: "DAY", minArgs: 1, maxArgs: 1, usage: "DAY(m1) (1 = Monday ... 7 = Sunday)", eval: timeFunc(isoWeekday)},
		{name: "DATE", minArgs: 1, maxArgs: 1, usage: "DATE(m1) (day of the month, 1..31)", eval: timeFunc(func(t time.Time) float64 { return float64(t.Day()) })},
		{name: "MONTH", minArgs: 1, maxArgs: 1, usage: "MONTH(m1) (1 = January ... 12)", eval: timeFunc(func(t time.Time) float64 { return float64(t.Month()) })},
		{name: "YEAR", minArgs: 1, maxArgs: 1, usage: "YEAR(m1)", eval: timeFunc(func(t time.Time) float64 { return float64(t.Year()) })},
		{name: "EPOCH", minArgs: 1, maxArgs: 1, usage: "EPOCH(m1) (seconds since 1970-01-01)", eval: timeFunc(func(t time.Time) float64 { return float64(t.Unix()) })},
	}
	funcs = make(map[string]*funcSpec, len(list))
	for _, f := range list {
		funcs[f.name] = f
	}
}

func isoWeekday(t time.Time) float64 {
	d := t.Weekday()
	if d == time.Sunday {
		return 7
	}
	return float64(d)
}

// SupportedFunctions returns the names of the metric math functions cwnb evaluates, sorted.
func SupportedFunctions() []string {
	names := make([]string, 0, len(funcs))
	for n := range funcs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func supportedList() string {
	return "supported: " + strings.Join(SupportedFunctions(), ", ")
}
