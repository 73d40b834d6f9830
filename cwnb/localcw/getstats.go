package localcw

import (
	"cmp"
	"slices"
	"time"

	"github.com/cwnb/cwnb/cwnb/cwstat"
	"github.com/cwnb/cwnb/cwnb/localcw/internal/store"
	"github.com/cwnb/cwnb/cwnb/localcw/internal/wire"
)

// maxStatisticsPoints is GetMetricStatistics' datapoint limit per call.
const maxStatisticsPoints = 1440

var basicStatistics = []string{"SampleCount", "Average", "Sum", "Minimum", "Maximum"}

func (s *Server) getMetricStatistics(in *wire.GetMetricStatisticsInput) (*wire.GetMetricStatisticsOutput, error) {
	switch {
	case in.Namespace == "":
		return nil, missingParameter("Namespace")
	case in.MetricName == "":
		return nil, missingParameter("MetricName")
	case in.StartTime == nil || in.StartTime.IsZero():
		return nil, missingParameter("StartTime")
	case in.EndTime == nil || in.EndTime.IsZero():
		return nil, missingParameter("EndTime")
	case in.Period == nil:
		return nil, missingParameter("Period")
	}
	if err := checkDimensions(in.Dimensions, "Dimensions"); err != nil {
		return nil, err
	}
	if !validPeriod(*in.Period) {
		return nil, badPeriod(*in.Period, "Period")
	}
	if err := checkUnit(in.Unit, "Unit"); err != nil {
		return nil, err
	}
	start, end := *in.StartTime, *in.EndTime
	if !start.Before(end) {
		return nil, invalidValue("The parameter StartTime must be less than the parameter EndTime (StartTime %s, EndTime %s).", start.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	if len(in.Statistics) == 0 && len(in.ExtendedStatistics) == 0 {
		return nil, missingParameter("Statistics or ExtendedStatistics")
	}
	if len(in.Statistics) > 5 {
		return nil, invalidValue("The collection Statistics must not have a size greater than 5.")
	}
	if len(in.ExtendedStatistics) > 10 {
		return nil, invalidValue("The collection ExtendedStatistics must not have a size greater than 10.")
	}
	var stats []cwstat.Stat
	for i, name := range in.Statistics {
		if !slices.Contains(basicStatistics, name) {
			// The service's wording (cloud-custodian#9137), then where the statistic goes.
			return nil, invalidValue("The parameter Statistics.member.%d must be a value in the set [SampleCount, Average, Sum, Minimum, Maximum]. %q is not one; other statistics go in ExtendedStatistics.", i+1, name)
		}
		st, err := cwstat.Parse(name)
		if err != nil {
			return nil, invalidValue("The value %s for parameter Statistics.member.%d is invalid: %v", name, i+1, err)
		}
		stats = append(stats, st)
	}
	for i, name := range in.ExtendedStatistics {
		st, err := cwstat.Parse(name)
		if err != nil || slices.Contains(basicStatistics, name) {
			return nil, invalidValue("The value %s for parameter ExtendedStatistics.member.%d is invalid; use a percentile such as p99 or a trimmed statistic such as TM(10%%:90%%).", name, i+1)
		}
		stats = append(stats, st)
	}
	now := s.now()
	period := time.Duration(*in.Period) * time.Second
	g := grid{start: roundStart(start, now, period), end: end, period: period}
	span := g.end.Sub(g.start)
	n := span / period
	if span%period != 0 {
		n++
	}
	if n > maxStatisticsPoints {
		return nil, invalidCombination("You have requested up to %d datapoints, which exceeds the limit of %d. You may reduce the datapoints requested by increasing Period, or decreasing the time range.", n, maxStatisticsPoints)
	}
	out := &wire.GetMetricStatisticsOutput{Label: in.MetricName, Datapoints: []wire.Datapoint{}}
	if !periodRetained(start, now, period) {
		return out, nil
	}
	sr := s.store.Get(store.Metric{Namespace: in.Namespace, Name: in.MetricName, Dims: dims(in.Dimensions)})
	hiResCutoff, scanFrom := now.Add(-hiResRetention), now.Add(-hourRetention)
	agg := aggregate(sr, g, in.Unit, stats, hiResCutoff, scanFrom)
	// CloudWatch aggregates data published in different units separately: without a Unit, a
	// period holding two units gives one datapoint per unit (User Guide, CloudWatch concepts,
	// Units).
	perUnit := []aggregation{agg}
	units := []string{in.Unit}
	if in.Unit == "" && len(agg.units) > 1 {
		perUnit, units = perUnit[:0], agg.units
		for _, u := range units {
			perUnit = append(perUnit, aggregate(sr, g, u, stats, hiResCutoff, scanFrom))
		}
	} else if in.Unit == "" && len(agg.units) == 1 {
		units[0] = agg.units[0]
	}
	type key struct {
		t    int64
		unit int
	}
	byKey := map[key]*wire.Datapoint{}
	var order []key
	for u, agg := range perUnit {
		unit := units[u]
		if unit == "" {
			unit = "None"
		}
		for i, st := range stats {
			name := ""
			if i >= len(in.Statistics) {
				name = in.ExtendedStatistics[i-len(in.Statistics)]
			}
			p := agg.series[i]
			for k, t := range p.t {
				dp := byKey[key{t, u}]
				if dp == nil {
					dp = &wire.Datapoint{Timestamp: time.UnixMilli(t).UTC(), Unit: unit}
					byKey[key{t, u}] = dp
					order = append(order, key{t, u})
				}
				v := p.v[k]
				switch {
				case name != "":
					if dp.ExtendedStatistics == nil {
						dp.ExtendedStatistics = map[string]float64{}
					}
					dp.ExtendedStatistics[name] = v
				case st.Kind == cwstat.SampleCount:
					dp.SampleCount = &v
				case st.Kind == cwstat.Average:
					dp.Average = &v
				case st.Kind == cwstat.Sum:
					dp.Sum = &v
				case st.Kind == cwstat.Minimum:
					dp.Minimum = &v
				case st.Kind == cwstat.Maximum:
					dp.Maximum = &v
				}
			}
		}
	}
	slices.SortFunc(order, func(a, b key) int {
		if a.t != b.t {
			return cmp.Compare(a.t, b.t)
		}
		return cmp.Compare(a.unit, b.unit)
	})
	for _, k := range order {
		out.Datapoints = append(out.Datapoints, *byKey[k])
	}
	s.datapoints.Add(int64(len(order)))
	return out, nil
}
