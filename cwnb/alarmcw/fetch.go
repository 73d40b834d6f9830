package alarmcw

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/cwnb/cwnb/cwnb/alarm"
	"github.com/cwnb/cwnb/cwnb/cwstat"
)

// FetchStats says what a Fetch cost.
type FetchStats struct {
	// Calls is the number of GetMetricData calls (pages included); Metrics the number of metrics
	// requested over all calls, which is what CloudWatch bills ($0.01 per 1,000).
	Calls, Metrics int
	// Cached is set when the data came from the cache.
	Cached bool
}

// Cost returns the estimated GetMetricData cost in US dollars (us-east-1 price).
func (s FetchStats) Cost() float64 { return float64(s.Metrics) * 0.01 / 1000 }

// String reports the calls and the cost of fetching the data, the same whether this run made
// them or the cache answered (Cached says which), so that a notebook printing it saves the same
// output on every run over the same data.
func (s FetchStats) String() string {
	return fmt.Sprintf("%d GetMetricData calls, %d metrics requested, ~$%.5f (a re-run reads the cache)", s.Calls, s.Metrics, s.Cost())
}

// fetched is the cacheable answer of a Fetch.
type fetched struct {
	Series []*alarm.Series
	Stats  FetchStats
}

// Fetch returns, for each definition, the data a replay over [from, to) needs: its statistic
// over buckets of its Period starting at every evaluation step, from early enough that the first
// evaluation sees a full evaluation range (opt.Range, default alarm.DefaultRange). Definitions
// that watch the same metric with the same period share one call per phase: there are exactly
// Period/step phases (5 for a 5-minute alarm), each one GetMetricData call holding every
// statistic (and SampleCount where the low-sample percentile rule needs it), paged if the
// answer is large. Metric-math definitions get their own calls. The values are CloudWatch's own,
// so percentiles are exact.
func Fetch(ctx context.Context, defs []alarm.Definition, from, to time.Time, opt alarm.Options, optFns ...func(*Options)) ([]*alarm.Series, FetchStats, error) {
	o, err := options(ctx, optFns)
	if err != nil {
		return nil, FetchStats{}, err
	}
	if len(defs) == 0 {
		return nil, FetchStats{}, fmt.Errorf("alarmcw: Fetch needs at least one definition")
	}
	if !to.After(from) {
		return nil, FetchStats{}, fmt.Errorf("alarmcw: window [%s, %s) is empty; end must be after start", from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	for i := range defs {
		if err := defs[i].Validate(); err != nil {
			return nil, FetchStats{}, err
		}
		if p := defs[i].Period; p == 20*time.Second || p == 30*time.Second {
			return nil, FetchStats{}, fmt.Errorf("alarmcw: alarm %q has a %v period: CloudWatch evaluates it every 10 s on buckets that end on every 10-second mark, but GetMetricData rounds a high-resolution StartTime to the period, so those buckets cannot be fetched and the replay would be wrong; replay it at 10s or 60s instead", defs[i].Name, p)
		}
	}
	type keyT struct {
		Defs     []alarm.Definition
		From, To time.Time
		Range    int
	}
	f, err := cached(o, cacheKey("fetch", keyT{defs, from.UTC(), to.UTC(), opt.Range}), !to.After(o.Now()), func() (fetched, error) {
		return fetch(ctx, o.Client, defs, from, to, opt)
	})
	if err != nil {
		return nil, FetchStats{}, err
	}
	return f.Series, f.Stats, nil
}

// MustFetch is Fetch for a notebook cell: it panics with the error.
func MustFetch(defs []alarm.Definition, from, to time.Time, opt alarm.Options, optFns ...func(*Options)) ([]*alarm.Series, FetchStats) {
	s, st, err := Fetch(context.Background(), defs, from, to, opt, optFns...)
	if err != nil {
		panic(err)
	}
	return s, st
}

// group is the definitions fetched together: one metric, one period, several statistics.
type group struct {
	period  time.Duration
	queries []types.MetricDataQuery
	// ids maps a query Id to the definitions (and whether it is the sample count) it feeds.
	feeds map[string][]feed
	start time.Time
}

type feed struct {
	def     int
	samples bool
}

func metricKey(d *alarm.Definition) string {
	k := d.Namespace + "\x00" + d.MetricName + "\x00" + d.Unit + "\x00" + d.Period.String()
	for _, x := range d.Dimensions {
		k += "\x00" + x.Name + "=" + x.Value
	}
	return k
}

func needsSamples(d *alarm.Definition) bool {
	if d.EvaluateLowSampleCountPercentile != "ignore" {
		return false
	}
	st, err := cwstat.Parse(d.Statistic)
	return err == nil && st.Kind == cwstat.Percentile
}

func fetch(ctx context.Context, c API, defs []alarm.Definition, from, to time.Time, opt alarm.Options) (fetched, error) {
	var out fetched
	out.Series = make([]*alarm.Series, len(defs))
	var groups []*group
	byKey := map[string]*group{}
	for i := range defs {
		d := &defs[i]
		r := opt.Range
		if r == 0 {
			r = alarm.DefaultRange(d.EvaluationPeriods)
		}
		r = max(r, d.EvaluationPeriods)
		start := from.Add(-time.Duration(r+1) * d.Period).Add(-opt.Latency)
		var g *group
		if len(d.Metrics) == 0 {
			g = byKey[metricKey(d)]
		}
		if g == nil {
			g = &group{period: d.Period, feeds: map[string][]feed{}, start: start}
			groups = append(groups, g)
			if len(d.Metrics) == 0 {
				byKey[metricKey(d)] = g
			}
		}
		if start.Before(g.start) {
			g.start = start
		}
		if len(d.Metrics) > 0 {
			for _, q := range d.Metrics {
				mq := types.MetricDataQuery{Id: aws.String(q.ID), ReturnData: aws.Bool(q.ReturnData)}
				if q.Expression != "" {
					mq.Expression = aws.String(q.Expression)
				}
				if q.Label != "" {
					mq.Label = aws.String(q.Label)
				}
				if q.MetricName != "" {
					per := q.Period
					if per == 0 {
						per = d.Period
					}
					mq.MetricStat = &types.MetricStat{Metric: &types.Metric{Namespace: aws.String(q.Namespace), MetricName: aws.String(q.MetricName), Dimensions: sdkDims(q.Dimensions)},
						Period: aws.Int32(int32(per / time.Second)), Stat: aws.String(q.Stat)}
					if q.Unit != "" {
						mq.MetricStat.Unit = types.StandardUnit(q.Unit)
					}
				} else if q.Period > 0 {
					mq.Period = aws.Int32(int32(q.Period / time.Second))
				}
				g.queries = append(g.queries, mq)
				if q.ReturnData {
					g.feeds[q.ID] = append(g.feeds[q.ID], feed{def: i})
				}
			}
			continue
		}
		add := func(stat string, samples bool) {
			for id, fs := range g.feeds {
				if fs[0].samples == samples && queryStat(g, id) == stat {
					g.feeds[id] = append(g.feeds[id], feed{def: i, samples: samples})
					return
				}
			}
			id := "q" + strconv.Itoa(len(g.queries))
			ms := &types.MetricStat{Metric: &types.Metric{Namespace: aws.String(d.Namespace), MetricName: aws.String(d.MetricName), Dimensions: sdkDims(d.Dimensions)},
				Period: aws.Int32(int32(d.Period / time.Second)), Stat: aws.String(stat)}
			if d.Unit != "" {
				ms.Unit = types.StandardUnit(d.Unit)
			}
			g.queries = append(g.queries, types.MetricDataQuery{Id: aws.String(id), MetricStat: ms, ReturnData: aws.Bool(true)})
			g.feeds[id] = append(g.feeds[id], feed{def: i, samples: samples})
		}
		add(d.Statistic, false)
		if needsSamples(d) {
			add("SampleCount", true)
		}
	}
	for _, g := range groups {
		if len(g.queries) > 500 {
			return out, fmt.Errorf("alarmcw: %d queries in one GetMetricData call; fetch fewer statistics of one metric at a time (at most 500)", len(g.queries))
		}
		step := time.Minute
		if g.period < time.Minute {
			step = 10 * time.Second
		}
		start := floor(g.start, step)
		n := int((to.Sub(start) + step - 1) / step)
		series := map[feed]*alarm.Series{}
		get := func(f feed) *alarm.Series {
			if s, ok := series[feed{def: f.def}]; ok {
				return s
			}
			s := &alarm.Series{Start: start, Step: step, Period: g.period, Values: nans(n)}
			series[feed{def: f.def}] = s
			return s
		}
		for ph := 0; ph < int(g.period/step); ph++ {
			st := start.Add(time.Duration(ph) * step)
			p := cloudwatch.NewGetMetricDataPaginator(c, &cloudwatch.GetMetricDataInput{MetricDataQueries: g.queries,
				StartTime: aws.Time(st), EndTime: aws.Time(to), ScanBy: types.ScanByTimestampAscending})
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				if err != nil {
					return out, fmt.Errorf("alarmcw: GetMetricData: %w", err)
				}
				out.Stats.Calls++
				out.Stats.Metrics += len(g.queries)
				for _, r := range page.MetricDataResults {
					for _, f := range g.feeds[aws.ToString(r.Id)] {
						s := get(f)
						dst := s.Values
						if f.samples {
							if s.Samples == nil {
								s.Samples = make([]float64, n)
							}
							dst = s.Samples
						}
						for j, t := range r.Timestamps {
							k := int(t.Sub(start) / step)
							if k >= 0 && k < n && t.Sub(start)%step == 0 {
								dst[k] = r.Values[j]
							}
						}
					}
				}
			}
		}
		for f, s := range series {
			out.Series[f.def] = s
		}
		for _, fs := range g.feeds {
			for _, f := range fs {
				if out.Series[f.def] == nil {
					out.Series[f.def] = get(f)
				}
			}
		}
	}
	return out, nil
}

func queryStat(g *group, id string) string {
	for _, q := range g.queries {
		if aws.ToString(q.Id) == id && q.MetricStat != nil {
			return aws.ToString(q.MetricStat.Stat)
		}
	}
	return ""
}

func sdkDims(ds []alarm.Dimension) []types.Dimension {
	var out []types.Dimension
	for _, x := range ds {
		out = append(out, types.Dimension{Name: aws.String(x.Name), Value: aws.String(x.Value)})
	}
	return out
}

func nans(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = math.NaN()
	}
	return v
}

func floor(t time.Time, step time.Duration) time.Time {
	ns := t.UnixNano()
	r := ns % int64(step)
	if r < 0 {
		r += int64(step)
	}
	return time.Unix(0, ns-r).UTC()
}

// jsonSeries is alarm.Series with NaN written as null, for the cache.
type jsonSeries struct {
	Start   time.Time
	Step    time.Duration
	Period  time.Duration
	Values  []*float64
	Samples []*float64 `json:",omitempty"`
}

func toNullable(v []float64) []*float64 {
	if v == nil {
		return nil
	}
	out := make([]*float64, len(v))
	for i, x := range v {
		if !math.IsNaN(x) {
			out[i] = &v[i]
		}
	}
	return out
}

func fromNullable(v []*float64) []float64 {
	if v == nil {
		return nil
	}
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.NaN()
		if x != nil {
			out[i] = *x
		}
	}
	return out
}

// MarshalJSON writes the series with NaN as null. Candidates that watch the same metric,
// statistic and period (a grid of thresholds x M of N) share their data: each distinct series is
// written once and the definitions refer to it by index, so a grid of 64 candidates caches 2
// series, not 64.
func (f fetched) MarshalJSON() ([]byte, error) {
	var js struct {
		Data   []jsonSeries
		Series []int
		Stats  FetchStats
	}
	js.Stats = f.Stats
	seen := map[string]int{}
	for _, s := range f.Series {
		one := jsonSeries{s.Start, s.Step, s.Period, toNullable(s.Values), toNullable(s.Samples)}
		b, err := json.Marshal(one)
		if err != nil {
			return nil, err
		}
		i, ok := seen[string(b)]
		if !ok {
			i = len(js.Data)
			seen[string(b)] = i
			js.Data = append(js.Data, one)
		}
		js.Series = append(js.Series, i)
	}
	return json.Marshal(js)
}

// UnmarshalJSON reads what MarshalJSON wrote; a cached answer reports Stats.Cached. Each
// definition gets its own copy, so that a caller changing one series changes no other.
func (f *fetched) UnmarshalJSON(b []byte) error {
	var js struct {
		Data   []jsonSeries
		Series []int
		Stats  FetchStats
	}
	if err := json.Unmarshal(b, &js); err != nil {
		return err
	}
	f.Stats = js.Stats
	f.Stats.Cached = true
	f.Series = nil
	for _, i := range js.Series {
		if i < 0 || i >= len(js.Data) {
			return fmt.Errorf("alarmcw: cached fetch refers to series %d of %d", i, len(js.Data))
		}
		s := js.Data[i]
		f.Series = append(f.Series, &alarm.Series{Start: s.Start, Step: s.Step, Period: s.Period, Values: fromNullable(s.Values), Samples: fromNullable(s.Samples)})
	}
	return nil
}
