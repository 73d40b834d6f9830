package localcw

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cwnb/cwnb/cwnb/localcw/internal/store"
)

// dynamicLabel matches the ${...} parts of a dynamic label.
var dynamicLabel = regexp.MustCompile(`\$\{([^}]*)\}`)

// labelInfo is what a dynamic label of a series can refer to.
type labelInfo struct {
	metric *store.Metric // nil when the series is not one metric
	stat   string
	period time.Duration
	label  string // the default label, for ${LABEL}
}

// expandLabel expands the dynamic parts of label CloudWatch documents for metric properties:
// ${LABEL}, ${PROP('MetricName')}, ${PROP('Namespace')}, ${PROP('Dim.<name>')}, ${PROP('Stat')}
// and ${PROP('Period')}. Other ${...} parts, and properties the series does not have, are left
// as written.
func expandLabel(label string, info labelInfo) string {
	if !strings.Contains(label, "${") {
		return label
	}
	return dynamicLabel.ReplaceAllStringFunc(label, func(part string) string {
		inner := strings.TrimSpace(part[2 : len(part)-1])
		if inner == "LABEL" {
			return info.label
		}
		prop, ok := strings.CutPrefix(inner, "PROP(")
		if !ok || !strings.HasSuffix(prop, ")") {
			return part
		}
		prop = strings.Trim(strings.TrimSpace(strings.TrimSuffix(prop, ")")), `'"`)
		switch {
		case prop == "Stat" && info.stat != "":
			return info.stat
		case prop == "Period" && info.period > 0:
			return strconv.FormatInt(int64(info.period/time.Second), 10)
		case info.metric == nil:
			return part
		case prop == "MetricName":
			return info.metric.Name
		case prop == "Namespace":
			return info.metric.Namespace
		case strings.HasPrefix(prop, "Dim."):
			for _, d := range info.metric.Dims {
				if d.Name == prop[len("Dim."):] {
					return d.Value
				}
			}
		}
		return part
	})
}

// labelStats are the dynamic label values computed from a series' datapoints
// (graph-dynamic-labels.html): the statistics of the values, and the times of the oldest,
// newest, smallest and largest datapoints, with their distance from now. "The time range
// currently shown" is the request's whole answer: every datapoint of the result, whatever page
// it is served on.
var labelStats = map[string]bool{
	"AVG": true, "DATAPOINT_COUNT": true, "FIRST": true, "LAST": true, "MAX": true, "MIN": true, "SUM": true,
	"FIRST_LAST_RANGE": true, "MIN_MAX_RANGE": true, "FIRST_LAST_TIME_RANGE": true,
	"FIRST_TIME": true, "LAST_TIME": true, "MIN_TIME": true, "MAX_TIME": true,
	"FIRST_TIME_RELATIVE": true, "LAST_TIME_RELATIVE": true, "MIN_TIME_RELATIVE": true, "MAX_TIME_RELATIVE": true,
}

// expandStats expands the value parts of a dynamic label over the datapoints t (Unix ms,
// ascending) and v of its series: ${AVG}, ${SUM}, ${MIN}, ${MAX}, ${FIRST}, ${LAST} and
// ${DATAPOINT_COUNT}; ${MIN_MAX_RANGE} (MAX − MIN) and ${FIRST_LAST_RANGE} (LAST − FIRST);
// ${FIRST_TIME}, ${LAST_TIME}, ${MIN_TIME} and ${MAX_TIME}, the timestamp of that datapoint
// (the first one on ties) in RFC 3339 at the offset of LabelOptions.Timezone (tz, minutes east
// of UTC); their _RELATIVE forms, the distance from now to that timestamp; and
// ${FIRST_LAST_TIME_RANGE}, the time between the oldest and newest datapoints. Durations read
// like "1d 2h 3m 4s" (zero units left out, "0s" for none). Numbers are written in the shortest
// form that reads back as the same float64. Over a series with no datapoints ${DATAPOINT_COUNT}
// is 0 and the others are left as written, as are parts this server does not know.
func expandStats(label string, t []int64, v []float64, tz int, now time.Time) string {
	if !strings.Contains(label, "${") {
		return label
	}
	return dynamicLabel.ReplaceAllStringFunc(label, func(part string) string {
		name := strings.TrimSpace(part[2 : len(part)-1])
		if !labelStats[name] {
			return part
		}
		if name == "DATAPOINT_COUNT" {
			return strconv.Itoa(len(v))
		}
		if len(v) == 0 {
			return part
		}
		first, last, lo, hi := 0, len(v)-1, 0, 0
		var sum float64
		for i, x := range v {
			sum += x
			if x < v[lo] {
				lo = i
			}
			if x > v[hi] {
				hi = i
			}
		}
		num := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
		zone := time.FixedZone("", tz*60)
		at := func(i int) string { return time.UnixMilli(t[i]).In(zone).Format(time.RFC3339) }
		ago := func(i int) string { return humanDuration(now.Sub(time.UnixMilli(t[i]))) }
		switch name {
		case "AVG":
			return num(sum / float64(len(v)))
		case "SUM":
			return num(sum)
		case "MIN":
			return num(v[lo])
		case "MAX":
			return num(v[hi])
		case "FIRST":
			return num(v[first])
		case "LAST":
			return num(v[last])
		case "MIN_MAX_RANGE":
			return num(v[hi] - v[lo])
		case "FIRST_LAST_RANGE":
			return num(v[last] - v[first])
		case "FIRST_TIME":
			return at(first)
		case "LAST_TIME":
			return at(last)
		case "MIN_TIME":
			return at(lo)
		case "MAX_TIME":
			return at(hi)
		case "FIRST_TIME_RELATIVE":
			return ago(first)
		case "LAST_TIME_RELATIVE":
			return ago(last)
		case "MIN_TIME_RELATIVE":
			return ago(lo)
		case "MAX_TIME_RELATIVE":
			return ago(hi)
		case "FIRST_LAST_TIME_RANGE":
			return humanDuration(time.Duration(t[last]-t[first]) * time.Millisecond)
		}
		return part
	})
}

// humanDuration writes |d| in days, hours, minutes and seconds, leaving out zero units:
// "1d 2h 3m 4s", "5m", "0s". Fractions of a second are dropped.
func humanDuration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	secs := int64(d / time.Second)
	if secs == 0 {
		return "0s"
	}
	var parts []string
	for _, u := range []struct {
		n    int64
		name string
	}{{86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}} {
		if k := secs / u.n; k > 0 {
			parts = append(parts, strconv.FormatInt(k, 10)+u.name)
			secs -= k * u.n
		}
	}
	return strings.Join(parts, " ")
}
