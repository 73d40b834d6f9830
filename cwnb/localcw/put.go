package localcw

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cwnb/cwnb/cwnb/localcw/internal/store"
	"github.com/cwnb/cwnb/cwnb/localcw/internal/wire"
)

// PutMetricData limits (CloudWatch API reference, PutMetricData).
const (
	maxDatums        = 1000
	maxValues        = 150
	maxDimensions    = 30
	maxPastAge       = 14 * day
	maxFutureSkew    = 2 * time.Hour
	maxMagnitudeLog2 = 360
	minMagnitudeLog2 = -260
)

// finiteInRange reports whether CloudWatch accepts v as a value.
func finiteInRange(v float64) bool {
	a := math.Abs(v)
	return a <= maxMagnitude && (a >= minMagnitude || a == 0)
}

var (
	maxMagnitude = math.Ldexp(1, maxMagnitudeLog2)
	minMagnitude = math.Ldexp(1, minMagnitudeLog2)
)

// standardUnits are the units the model accepts (types.StandardUnit).
var standardUnits = []string{"Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
	"Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits",
	"Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second",
	"Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
	"Terabits/Second", "Count/Second", "None"}

func checkUnit(unit, param string) error {
	if unit == "" || slices.Contains(standardUnits, unit) {
		return nil
	}
	return invalidValue("The value %s for parameter %s is invalid. Valid units: %s.", unit, param, strings.Join(standardUnits, ", "))
}

// checkValue rejects what CloudWatch rejects: NaN, ±Inf, and magnitudes above 2^360 or
// (except 0) below 2^-260.
func checkValue(v float64, param string) error {
	if finiteInRange(v) {
		return nil
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return invalidValue("The value %v for parameter %s is invalid.", v, param)
	}
	if a := math.Abs(v); a > math.Ldexp(1, maxMagnitudeLog2) || (a != 0 && a < math.Ldexp(1, minMagnitudeLog2)) {
		return invalidValue("The value %v for parameter %s is invalid: values must lie within -2^360..2^360 and, except 0, outside -2^-260..2^-260.", v, param)
	}
	return nil
}

func (s *Server) putMetricData(in *wire.PutMetricDataInput) (*wire.Empty, error) {
	if in.Namespace == "" {
		return nil, missingParameter("Namespace")
	}
	if err := checkLength(in.Namespace, "Namespace", 255); err != nil {
		return nil, err
	}
	if strings.HasPrefix(in.Namespace, "AWS/") {
		return nil, invalidValue("The value %s for parameter Namespace is invalid: namespaces starting with \"AWS/\" are reserved for AWS services; publish to your own namespace.", in.Namespace)
	}
	type group struct {
		param  string
		datums []wire.MetricDatum
	}
	groups := []group{{"MetricData", in.MetricData}}
	for i, e := range in.EntityMetricData {
		groups = append(groups, group{fmt.Sprintf("EntityMetricData.member.%d.MetricData", i+1), e.MetricData})
	}
	total := 0
	for _, g := range groups {
		total += len(g.datums)
		if len(g.datums) > maxDatums {
			return nil, invalidValue("The collection %s must not have a size greater than %d.", g.param, maxDatums)
		}
	}
	if total == 0 {
		return nil, missingParameter("MetricData")
	}
	if total > maxDatums {
		return nil, invalidValue("The collection MetricData must not have a size greater than %d: this request holds %d datums in MetricData and EntityMetricData.", maxDatums, total)
	}

	now := s.now()
	type put struct {
		m store.Metric
		d store.Datum
	}
	puts := make([]put, 0, total)
	for _, g := range groups {
		for i := range g.datums {
			p, err := datum(&g.datums[i], g.param+".member."+strconv.Itoa(i+1), now)
			if err != nil {
				return nil, err
			}
			puts = append(puts, put{store.Metric{Namespace: in.Namespace, Name: g.datums[i].MetricName, Dims: dims(g.datums[i].Dimensions)}, p})
		}
	}
	// Validation passed for every datum: store them all (the call is all or nothing), one batch
	// per metric.
	batches := map[string]int{}
	type batch struct {
		m  store.Metric
		ds []store.Datum
	}
	var order []*batch
	for _, p := range puts {
		key := p.m.Canonical().Key()
		i, ok := batches[key]
		if !ok {
			i = len(order)
			batches[key] = i
			order = append(order, &batch{m: p.m})
		}
		order[i].ds = append(order[i].ds, p.d)
	}
	for _, b := range order {
		s.store.Put(b.m, b.ds)
	}
	return &wire.Empty{}, nil
}

func dims(ds []wire.Dimension) []store.Dim {
	out := make([]store.Dim, len(ds))
	for i, d := range ds {
		out[i] = store.Dim{Name: d.Name, Value: d.Value}
	}
	return out
}

// datum validates one MetricDatum (param is its parameter path, "MetricData.member.3") and
// converts it.
func datum(md *wire.MetricDatum, param string, now time.Time) (store.Datum, error) {
	var d store.Datum
	if md.MetricName == "" {
		return d, missingParameter(param + ".MetricName")
	}
	if err := checkLength(md.MetricName, param+".MetricName", 255); err != nil {
		return d, err
	}
	if err := checkDimensions(md.Dimensions, param+".Dimensions"); err != nil {
		return d, err
	}
	hasValues := md.Values != nil
	switch {
	case md.Value != nil && hasValues:
		return d, invalidCombination("The parameters %[1]s.Value and %[1]s.Values are mutually exclusive and you have specified both.", param)
	case md.Value != nil && md.StatisticValues != nil:
		return d, invalidCombination("The parameters %[1]s.Value and %[1]s.StatisticValues are mutually exclusive and you have specified both.", param)
	case hasValues && md.StatisticValues != nil:
		return d, invalidCombination("The parameters %[1]s.Values and %[1]s.StatisticValues are mutually exclusive and you have specified both.", param)
	case md.Value == nil && !hasValues && md.StatisticValues == nil:
		return d, invalidCombination("At least one of the parameters %[1]s.Value, %[1]s.StatisticValues or %[1]s.Values must be specified.", param)
	case md.Counts != nil && !hasValues:
		return d, invalidCombination("The parameter %[1]s.Counts requires %[1]s.Values.", param)
	}
	switch {
	case md.Value != nil:
		if err := checkValue(*md.Value, param+".Value"); err != nil {
			return d, err
		}
		d.Kind, d.Value = store.Single, *md.Value
	case hasValues:
		if len(md.Values) > maxValues {
			return d, invalidValue("The collection %s.Values must not have a size greater than %d.", param, maxValues)
		}
		if md.Counts != nil && len(md.Counts) != len(md.Values) {
			return d, invalidValue("The parameters %[1]s.Values and %[1]s.Counts must be of the same size (%[2]d values, %[3]d counts).", param, len(md.Values), len(md.Counts))
		}
		for j, v := range md.Values {
			if !finiteInRange(v) {
				return d, checkValue(v, fmt.Sprintf("%s.Values.member.%d", param, j+1))
			}
		}
		for j, c := range md.Counts {
			if math.IsNaN(c) || math.IsInf(c, 0) || c < 0 {
				return d, invalidValue("The value %v for parameter %s.Counts.member.%d is invalid: counts must be finite and not negative.", c, param, j+1)
			}
		}
		d.Kind, d.Values, d.Counts = store.Distribution, md.Values, md.Counts
	default:
		sv := md.StatisticValues
		for _, f := range []struct {
			name string
			v    *float64
		}{{"SampleCount", sv.SampleCount}, {"Sum", sv.Sum}, {"Minimum", sv.Minimum}, {"Maximum", sv.Maximum}} {
			if f.v == nil {
				return d, missingParameter(param + ".StatisticValues." + f.name)
			}
			if err := checkValue(*f.v, param+".StatisticValues."+f.name); err != nil {
				return d, err
			}
		}
		if *sv.SampleCount <= 0 {
			return d, invalidValue("The value %v for parameter %s.StatisticValues.SampleCount is invalid: it must be above 0.", *sv.SampleCount, param)
		}
		if *sv.Minimum > *sv.Maximum {
			return d, invalidValue("The parameter %[1]s.StatisticValues.Minimum (%[2]v) must not be greater than %[1]s.StatisticValues.Maximum (%[3]v).", param, *sv.Minimum, *sv.Maximum)
		}
		d.Kind, d.Count, d.Sum, d.Min, d.Max = store.Set, *sv.SampleCount, *sv.Sum, *sv.Minimum, *sv.Maximum
	}
	if err := checkUnit(md.Unit, param+".Unit"); err != nil {
		return d, err
	}
	d.Unit = md.Unit
	if d.Unit == "" {
		d.Unit = "None"
	}
	if md.StorageResolution != nil {
		switch *md.StorageResolution {
		case 1:
			d.HighRes = true
		case 60:
		default:
			return d, invalidValue("The value %d for parameter %s.StorageResolution is invalid: use 1 (high resolution) or 60 (standard).", *md.StorageResolution, param)
		}
	}
	t := now
	if md.Timestamp != nil && !md.Timestamp.IsZero() {
		t = *md.Timestamp
	}
	if t.Before(now.Add(-maxPastAge)) {
		// The service's wording (cloud-custodian#2559), then the times compared.
		return d, invalidValue("The parameter %s.Timestamp must specify a time within the past two weeks (got %s, server time %s).", param, t.Format(time.RFC3339), now.Format(time.RFC3339))
	}
	if t.After(now.Add(maxFutureSkew)) {
		return d, invalidValue("The parameter %s.Timestamp must specify a time no more than two hours in the future (got %s, server time %s).", param, t.Format(time.RFC3339), now.Format(time.RFC3339))
	}
	d.T = t.UnixMilli()
	return d, nil
}

// checkDimensions validates a metric's dimensions: at most 30, names and values present,
// names unique.
func checkDimensions(ds []wire.Dimension, param string) error {
	if len(ds) > maxDimensions {
		return invalidValue("The collection %s must not have a size greater than %d.", param, maxDimensions)
	}
	for j, dm := range ds {
		if dm.Name == "" {
			return missingParameter(fmt.Sprintf("%s.member.%d.Name", param, j+1))
		}
		if dm.Value == "" {
			return missingParameter(fmt.Sprintf("%s.member.%d.Value", param, j+1))
		}
		if len(dm.Name) > 255 {
			if err := checkLength(dm.Name, fmt.Sprintf("%s.member.%d.Name", param, j+1), 255); err != nil {
				return err
			}
		}
		if len(dm.Value) > 1024 {
			if err := checkLength(dm.Value, fmt.Sprintf("%s.member.%d.Value", param, j+1), 1024); err != nil {
				return err
			}
		}
		for k := range j {
			if ds[k].Name == dm.Name {
				return invalidValue("The dimension name %s appears twice in %s; each name may appear once.", dm.Name, param)
			}
		}
	}
	return nil
}

// checkLength enforces the model's length limit of a name (in characters).
func checkLength(v, param string, limit int) error {
	if n := utf8.RuneCountInString(v); n > limit {
		return invalidValue("The parameter %s must be no longer than %d characters (got %d).", param, limit, n)
	}
	return nil
}
