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
