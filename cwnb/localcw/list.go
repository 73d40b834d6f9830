package localcw

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/cwnb/cwnb/cwnb/localcw/internal/store"
	"github.com/cwnb/cwnb/cwnb/localcw/internal/wire"
)

// listPageSize is ListMetrics' page size (CloudWatch API reference).
const listPageSize = 500

const listTokenPrefix = "lm1:"

func (s *Server) listMetrics(in *wire.ListMetricsInput) (*wire.ListMetricsOutput, error) {
	if len(in.Dimensions) > 10 {
		return nil, invalidValue("The collection Dimensions must not have a size greater than 10.")
	}
	for i, f := range in.Dimensions {
		if f.Name == "" {
			return nil, missingParameter(fmt.Sprintf("Dimensions.member.%d.Name", i+1))
		}
	}
	recent := false
	switch in.RecentlyActive {
	case "":
	case "PT3H":
		recent = true
	default:
		return nil, invalidValue("The value %s for parameter RecentlyActive is invalid; the only valid value is PT3H.", in.RecentlyActive)
	}
	after := ""
	if in.NextToken != nil {
		raw, err := base64.RawURLEncoding.DecodeString(*in.NextToken)
		if err != nil || !strings.HasPrefix(string(raw), listTokenPrefix) {
			return nil, invalidNextToken("The NextToken %q is invalid; pass the NextToken of the previous ListMetrics response unchanged.", *in.NextToken)
		}
		after = strings.TrimPrefix(string(raw), listTokenPrefix)
	}
	pageSize := listPageSize
	if s.opts.Faults.PageSize > 0 {
		pageSize = min(pageSize, s.opts.Faults.PageSize)
	}
	now := s.now()
	// CloudWatch lists a metric while it has data from the last two weeks (three hours with
	// RecentlyActive=PT3H). Generated metrics always have recent data.
	horizon := now.Add(-maxPastAge)
	if recent {
		horizon = now.Add(-hiResRetention)
	}
	out := &wire.ListMetricsOutput{Metrics: []wire.Metric{}}
	for _, sr := range s.store.All() {
		if after != "" && sr.Key() <= after {
			continue
		}
		if !matchesList(sr.Metric, in) {
			continue
		}
		if !sr.Generated() {
			newest, ok := sr.Newest()
			if !ok || newest < horizon.UnixMilli() {
				continue
			}
		}
		if len(out.Metrics) == pageSize {
			tok := base64.RawURLEncoding.EncodeToString([]byte(listTokenPrefix + lastKey(out)))
			out.NextToken = &tok
			break
		}
		out.Metrics = append(out.Metrics, toWireMetric(sr.Metric))
	}
	return out, nil
}

func lastKey(out *wire.ListMetricsOutput) string {
	m := out.Metrics[len(out.Metrics)-1]
	return store.Metric{Namespace: m.Namespace, Name: m.MetricName, Dims: dims(m.Dimensions)}.Canonical().Key()
}

func toWireMetric(m store.Metric) wire.Metric {
	ds := make([]wire.Dimension, len(m.Dims))
	for i, d := range m.Dims {
		ds[i] = wire.Dimension{Name: d.Name, Value: d.Value}
	}
	return wire.Metric{Namespace: m.Namespace, MetricName: m.Name, Dimensions: ds}
}

func matchesList(m store.Metric, in *wire.ListMetricsInput) bool {
	if in.Namespace != "" && m.Namespace != in.Namespace {
		return false
	}
	if in.MetricName != "" && m.Name != in.MetricName {
		return false
	}
	for _, f := range in.Dimensions {
		found := false
		for _, d := range m.Dims {
			if d.Name == f.Name && (f.Value == nil || d.Value == *f.Value) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
