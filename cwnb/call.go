package cwnb

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/smithy-go"
	"golang.org/x/sync/errgroup"

	"github.com/cwnb/cwnb/cwnb/internal/fetch"
)

// regionUnit is one visible query in one region.
type regionUnit struct {
	region string
	u      *unit
	key    cacheKey
	cached *entry // nil when there was nothing
	fetch  map[[2]int64]*fetched
	miss   [][2]int64
	// alias: the load uses at least half of cached's file, so its columns may be slices of the
	// file's memory (keeping the rest of the file alive costs less than copying).
	alias bool
}

// fetched is what calls returned for one query over one interval.
type fetched struct {
	series   []*seriesData
	byLabel  map[string]*seriesData
	status   string
	messages []message
	complete bool
}

func (f *fetched) add(label string, ts []time.Time, vs []float64) {
	s := f.byLabel[label]
	if s == nil {
		s = &seriesData{label: label}
		f.byLabel[label] = s
		f.series = append(f.series, s)
	}
	for i, t := range ts {
		if i >= len(vs) {
			break
		}
		s.times = append(s.times, t.Unix())
		s.values = append(s.values, vs[i])
	}
}

// job is one GetMetricData call, possibly paginated.
type job struct {
	region   string
	from, to int64
	units    []*unit
	ret      map[*unit]bool
	hasSQL   bool
}

// jobs plans the calls that fetch what the cache lacks: visible queries grouped by region and
// missing interval, split into batches. Offline, a miss is an *offlineError.
func (l *loader) jobs(p *prepared) ([]*job, error) {
	type groupKey struct {
		region string
		iv     [2]int64
	}
	need := map[groupKey][]*unit{}
	var order []groupKey
	var offMiss []string
	for _, ru := range p.rus {
		for _, iv := range ru.miss {
			k := groupKey{ru.region, iv}
			if _, ok := need[k]; !ok {
				order = append(order, k)
			}
			need[k] = append(need[k], ru.u)
			if l.opts.Offline {
				offMiss = append(offMiss, fmt.Sprintf("%s %s %s", ru.region, ru.u.describe(), Between(time.Unix(iv[0], 0), time.Unix(iv[1], 0))))
			}
		}
	}
	if len(offMiss) > 0 {
		return nil, &offlineError{Dir: l.cache.Dir(), Missing: offMiss}
	}
	var jobs []*job
	for _, k := range order {
		batches, err := planBatches(p.us, need[k], maxQueriesPerCall)
		if err != nil {
			return nil, err
		}
		wanted := map[*unit]bool{}
		for _, u := range need[k] {
			wanted[u] = true
		}
		for _, b := range batches {
			j := &job{region: k.region, from: k.iv[0], to: k.iv[1], units: b, ret: map[*unit]bool{}}
			for _, u := range b {
				j.ret[u] = wanted[u] && !u.hidden
				j.hasSQL = j.hasSQL || u.kind == kindSQL
			}
			jobs = append(jobs, j)
		}
	}
	return jobs, nil
}

// fetchAll runs the jobs, at most Options.Concurrency at once, and files what they returned
// under each query and interval. It counts calls, retries and metrics into the result.
func (l *loader) fetchAll(ctx context.Context, p *prepared, jobs []*job, prog *progress) error {
	res := p.res
	for _, j := range jobs {
		if err := l.checkCredentials(ctx, j.region); err != nil {
			return err
		}
	}
	caller := &fetch.Caller{Limiter: l.limiter, CallTimeout: l.opts.CallTimeout, OnCall: prog.step}
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(l.opts.Concurrency)
	results := make([]map[string]*fetched, len(jobs))
	for i, j := range jobs {
		g.Go(func() error {
			out, metrics, msgs, err := l.run(gctx, caller, p.clients[j.region], j)
			mu.Lock()
			defer mu.Unlock()
			res.MetricsRequested += metrics
			res.Messages = append(res.Messages, msgs...)
			results[i] = out
			return err
		})
	}
	err := g.Wait()
	res.Calls, res.Retries = caller.Calls(), caller.Retries()
	prog.retries(res.Retries)
	if err != nil {
		return err
	}
	type ruKey struct {
		region string
		u      *unit
	}
	byRU := make(map[ruKey]*regionUnit, len(p.rus))
	for _, ru := range p.rus {
		byRU[ruKey{ru.region, ru.u}] = ru
	}
	for i, j := range jobs {
		for _, u := range j.units {
			if !j.ret[u] {
				continue
			}
			f := results[i][u.id]
			if f == nil {
				// CloudWatch answers every query, with empty data if need be.
				f = &fetched{byLabel: map[string]*seriesData{}, status: "Complete", complete: true}
			}
			byRU[ruKey{j.region, u}].fetch[[2]int64{j.from, j.to}] = f
		}
	}
	return nil
}

// run performs one job: a GetMetricData call and its NextToken pages, merged per (Id, Label).
func (l *loader) run(ctx context.Context, caller *fetch.Caller, c api, j *job) (out map[string]*fetched, metrics int, msgs []message, err error) {
	in := &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(time.Unix(j.from, 0).UTC()),
		EndTime:   aws.Time(time.Unix(j.to, 0).UTC()),
		ScanBy:    types.ScanByTimestampAscending,
	}
	for _, u := range j.units {
		in.MetricDataQueries = append(in.MetricDataQueries, u.query(j.ret[u]))
		if u.kind == kindMetric {
			metrics++
		}
	}
	out = map[string]*fetched{}
	searchSeries := map[string]bool{}
	extra := l.sqlLim
	if !j.hasSQL {
		extra = nil
	}
	err = caller.MetricData(ctx, c, in, extra, func(resp *cloudwatch.GetMetricDataOutput) error {
		for _, m := range resp.Messages {
			msgs = append(msgs, message{Region: j.region, Code: aws.ToString(m.Code), Value: aws.ToString(m.Value)})
		}
		for _, r := range resp.MetricDataResults {
			id, label := aws.ToString(r.Id), aws.ToString(r.Label)
			f := out[id]
			if f == nil {
				f = &fetched{byLabel: map[string]*seriesData{}}
				out[id] = f
			}
			f.add(label, r.Timestamps, r.Values)
			f.status = string(r.StatusCode)
			for _, m := range r.Messages {
				msg := message{Region: j.region, ID: id, Code: aws.ToString(m.Code), Value: aws.ToString(m.Value)}
				if !containsMsg(f.messages, msg) {
					f.messages = append(f.messages, msg)
				}
			}
			if u := j.find(id); u != nil && (u.kind == kindSearch || u.kind == kindSQL) && !searchSeries[id+"\x00"+label] {
				searchSeries[id+"\x00"+label] = true
				metrics++
			}
		}
		return nil
	})
	if err != nil {
		if ctx.Err() != nil {
			return out, metrics, msgs, err
		}
		if e := l.explain(j.region, c, err); e != err {
			return out, metrics, msgs, e
		}
		return out, metrics, msgs, callError(j, err)
	}
	for _, f := range out {
		f.finish()
	}
	return out, metrics, msgs, nil
}

// finish marks f complete or not and sorts its series by time.
func (f *fetched) finish() {
	f.complete = f.status == string(types.StatusCodeComplete)
	for _, m := range f.messages {
		if truncating(m.Code) {
			f.complete = false
		}
	}
	for _, s := range f.series {
		sortSeries(s)
	}
}

// truncating reports whether a per-query message code means the data was cut short
// (MaxMetricsExceeded, MaxQueryResultsExceeded, ...), so that it must not be cached as final.
// Informational codes such as MultipleUnits or ArithmeticError leave the data complete.
func truncating(code string) bool {
	return strings.Contains(code, "Exceeded") || strings.Contains(code, "Truncat") || strings.Contains(code, "Partial")
}

func (j *job) find(id string) *unit {
	for _, u := range j.units {
		if u.id == id {
			return u
		}
	}
	return nil
}

func containsMsg(ms []message, m message) bool {
	for _, x := range ms {
		if x == m {
			return true
		}
	}
	return false
}

func sortSeries(s *seriesData) {
	if sort.SliceIsSorted(s.times, func(a, b int) bool { return s.times[a] < s.times[b] }) {
		return
	}
	idx := make([]int, len(s.times))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return s.times[idx[a]] < s.times[idx[b]] })
	ts, vs := make([]int64, len(idx)), make([]float64, len(idx))
	for i, k := range idx {
		ts[i], vs[i] = s.times[k], s.values[k]
	}
	s.times, s.values = ts, vs
}

// CallError is the error of a GetMetricData call that failed after the SDK's retries.
type callErr struct {
	Region string
	IDs    []string // the query ids the call held
	Start  time.Time
	End    time.Time
	Err    error
}

// Error names the region, the queries and the window of the call, the AWS error, and a hint for
// throttling, access, parameter and timeout errors that names the option to change.
func (e *callErr) Error() string {
	ids := e.IDs
	more := ""
	if len(ids) > 4 {
		more = fmt.Sprintf(" and %d more", len(ids)-4)
		ids = ids[:4]
	}
	hint := ""
	var ae smithy.APIError
	switch {
	case errors.Is(e.Err, ErrTimeout):
		hint = "; CloudWatch or the endpoint is slow: raise Options.CallTimeout, or load fewer series or a shorter window"
	case errors.As(e.Err, &ae):
		switch ae.ErrorCode() {
		case "Throttling", "ThrottlingException", "LimitExceeded", "LimitExceededException":
			hint = "; CloudWatch is throttling: lower Options.RateLimit, or raise Options.MaxAttempts"
		case "AccessDenied", "AccessDeniedException":
			hint = "; the credentials need cloudwatch:GetMetricData"
		case "InvalidParameterValue", "InvalidParameterCombination", "MissingParameter", "MissingRequiredParameter", "ValidationError":
			hint = "; CloudWatch rejected the query as written: check the names above"
		}
	}
	return fmt.Sprintf("GetMetricData in %s for %s%s over %s: %v%s", e.Region, strings.Join(ids, ", "), more,
		Between(e.Start, e.End), e.Err, hint)
}

// Unwrap returns the SDK error, for errors.As(err, &smithy.APIError).
func (e *callErr) Unwrap() error { return e.Err }

func callError(j *job, err error) error {
	ce := &callErr{Region: j.region, Start: time.Unix(j.from, 0).UTC(), End: time.Unix(j.to, 0).UTC(), Err: err}
	for _, u := range j.units {
		ce.IDs = append(ce.IDs, u.id)
	}
	return ce
}

// query builds the MetricDataQuery of u.
func (u *unit) query(ret bool) types.MetricDataQuery {
	q := types.MetricDataQuery{Id: aws.String(u.id), ReturnData: aws.Bool(ret)}
	if u.label != "" {
		q.Label = aws.String(u.label)
	}
	if u.acct != "" {
		q.AccountId = aws.String(u.acct)
	}
	switch u.kind {
	case kindMetric:
		m := u.metric
		cm := &types.Metric{Namespace: aws.String(m.Namespace), MetricName: aws.String(m.Name)}
		for _, n := range m.Dims.names() {
			cm.Dimensions = append(cm.Dimensions, types.Dimension{Name: aws.String(n), Value: aws.String(m.Dims[n])})
		}
		ms := &types.MetricStat{Metric: cm, Period: aws.Int32(int32(u.period / time.Second)), Stat: aws.String(u.stat)}
		if m.Unit != "" {
			ms.Unit = types.StandardUnit(m.Unit)
		}
		q.MetricStat = ms
	default:
		q.Expression = aws.String(u.expr)
		if u.kind == kindSearch || u.kind == kindSQL {
			q.Period = aws.Int32(int32(u.period / time.Second))
		}
	}
	return q
}
