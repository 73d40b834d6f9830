package logs

import (
	"encoding/base64"
	"fmt"
	"iter"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/cwnb/cwnb/cwnb/insights"
)

// Query statuses (GetQueryResults status).
const (
	statusScheduled = "Scheduled"
	statusRunning   = "Running"
	statusComplete  = "Complete"
	statusFailed    = "Failed"
	statusCancelled = "Cancelled"
)

type query struct {
	id, text string
	groups   []string
	created  time.Time
	lo, hi   int64 // [lo, hi) ms
	limit    int

	// guarded by Server.mu
	status string
	res    *insights.Result
	stop   atomic.Bool
	done   chan struct{}
	// while running: the events and bytes read so far, and the rows and records matched at the
	// last snapshot (partial, guarded by Server.mu), which GetQueryResults returns as the
	// service does for a running query
	scanned, bytes atomic.Int64
	partial        *insights.Result
	// polled: a client asked for the results while the query was running, so a snapshot of its
	// partial results is wanted
	polled atomic.Bool
}

// A running query checks every snapshotCheck events whether to take a snapshot of its partial
// results: when a client has polled since the last one, at most every snapshotGap (a snapshot of
// a stats query computes every group's aggregates so far, not free over millions of values). A
// query that finishes within snapshotGap takes none, and one nobody polls takes none.
const (
	snapshotCheck = 16384
	snapshotGap   = 50 * time.Millisecond
)

type startQueryInput struct {
	LogGroupName        string   `json:"logGroupName"`
	LogGroupNames       []string `json:"logGroupNames"`
	LogGroupIdentifiers []string `json:"logGroupIdentifiers"`
	StartTime           *int64   `json:"startTime"`
	EndTime             *int64   `json:"endTime"`
	QueryString         string   `json:"queryString"`
	QueryLanguage       string   `json:"queryLanguage"`
	Limit               int      `json:"limit"`
}

// MaxQueryLimit is the largest StartQuery limit: rows a Logs Insights QL query may return.
const MaxQueryLimit = 100000

// toMillis reads a StartQuery time: epoch seconds as the API documents, or milliseconds as AWS's
// own CLI examples pass (a value above 10^11 is taken as milliseconds: 10^11 seconds is the
// year 5138).
func toMillis(v int64) int64 {
	if v > 1e11 {
		return v
	}
	return v * 1000
}

func (s *Server) startQuery(in *startQueryInput) (any, error) {
	if in.QueryLanguage != "" && in.QueryLanguage != "CWLI" {
		return nil, invalidParam("queryLanguage %q is not supported by the local CloudWatch Logs; use CWLI (Logs Insights QL)", in.QueryLanguage)
	}
	var names []string
	given := 0
	if in.LogGroupName != "" {
		names = append(names, in.LogGroupName)
		given++
	}
	if len(in.LogGroupNames) > 0 {
		names = append(names, in.LogGroupNames...)
		given++
	}
	if len(in.LogGroupIdentifiers) > 0 {
		names = append(names, in.LogGroupIdentifiers...)
		given++
	}
	switch {
	case given == 0:
		return nil, invalidParam("name the log groups to query: logGroupName, logGroupNames or logGroupIdentifiers")
	case given > 1:
		return nil, invalidParam("give only one of logGroupName, logGroupNames and logGroupIdentifiers")
	case len(names) > 50:
		return nil, invalidParam("%d log groups; a query reads at most 50", len(names))
	}
	var groups []*group
	for i, n := range names {
		g, err := s.group("", n)
		if err != nil {
			return nil, err
		}
		names[i] = g.name
		groups = append(groups, g)
	}
	if in.StartTime == nil || in.EndTime == nil {
		return nil, invalidParam("startTime and endTime are required (epoch seconds, both inclusive)")
	}
	lo, hi := toMillis(*in.StartTime), toMillis(*in.EndTime)
	if *in.EndTime <= 1e11 {
		hi += 999 // the whole end second is in the range
	}
	if lo > hi {
		return nil, invalidParam("endTime (%d) must not be before startTime (%d)", *in.EndTime, *in.StartTime)
	}
	if in.Limit < 0 || in.Limit > MaxQueryLimit {
		return nil, invalidParam("limit %d: use 1 to %d", in.Limit, MaxQueryLimit)
	}
	if strings.TrimSpace(in.QueryString) == "" {
		return nil, invalidParam("queryString is required")
	}
	q, err := insights.Parse(in.QueryString)
	if err != nil {
		return nil, malformedQuery(err)
	}
	s.mu.Lock()
	if s.running >= s.opts.MaxConcurrentQueries {
		s.mu.Unlock()
		return nil, limitExceeded("%d queries are running; the limit is %d concurrent queries per account", s.running, s.opts.MaxConcurrentQueries)
	}
	s.nextQ++
	qu := &query{
		id: fmt.Sprintf("%08x-0000-4000-8000-%012x", uint32(s.now().Unix()), s.nextQ), text: in.QueryString, groups: names,
		created: s.now(), lo: lo, hi: hi + 1, limit: in.Limit, status: statusScheduled, done: make(chan struct{}),
	}
	s.queries[qu.id] = qu
	s.qorder = append(s.qorder, qu)
	s.running++
	s.mu.Unlock()

	go s.run(qu, q, groups)
	return struct {
		QueryID string `json:"queryId"`
	}{qu.id}, nil
}

// run evaluates a query and records its result.
func (s *Server) run(qu *query, q *insights.Query, groups []*group) {
	defer close(qu.done)
	// Scheduled until the schedule has passed (StopQuery may cancel it meanwhile), then Running
	for wait := time.Now().Add(s.opts.Schedule); time.Now().Before(wait) && !qu.stop.Load(); {
		time.Sleep(min(time.Until(wait), 2*time.Millisecond))
	}
	s.mu.Lock()
	if qu.stop.Load() {
		qu.status = statusCancelled
		s.running--
		s.mu.Unlock()
		return
	}
	qu.status = statusRunning
	s.mu.Unlock()
	bounds := s.split(q, groups, qu.lo, qu.hi)
	parts := make([]iter.Seq[*insights.Event], len(bounds)-1)
	for k := range parts {
		seqs := make([]iter.Seq[*insights.Event], len(groups))
		for i, g := range groups {
			seqs[i] = s.scan(g, bounds[k], bounds[k+1])
		}
		all := mergeEvents(seqs)
		parts[k] = func(yield func(*insights.Event) bool) {
			// the counters GetQueryResults reports while running, published every 4,096 events
			// (not per event: the poller reads them from another core)
			n, bytes := int64(0), int64(0)
			defer func() {
				qu.scanned.Add(n % 4096)
				qu.bytes.Add(bytes)
			}()
			for ev := range all {
				if n++; n%4096 == 0 {
					qu.scanned.Add(4096)
					qu.bytes.Add(bytes)
					bytes = 0
					if qu.stop.Load() {
						return
					}
				}
				bytes += int64(len(ev.Message))
				if !yield(ev) {
					return
				}
			}
		}
	}
	last := time.Now()
	res, err := q.RunParts(parts, qu.limit, insights.Snapshots{
		Every: snapshotCheck,
		Due: func() bool {
			if !qu.polled.Load() || time.Since(last) < snapshotGap {
				return false
			}
			qu.polled.Store(false)
			return true
		},
		Take: func(rows [][]insights.ResultField, matched, scanned, bytes float64) {
			last = time.Now()
			s.mu.Lock()
			qu.partial = &insights.Result{Rows: rows, RecordsMatched: matched, RecordsScanned: scanned, BytesScanned: bytes}
			s.mu.Unlock()
		},
	})
	s.mu.Lock()
	defer s.mu.Unlock()
	s.running--
	switch {
	case qu.stop.Load():
		qu.status = statusCancelled
	case err != nil:
		qu.status = statusFailed
		if s.opts.Logf != nil {
			s.opts.Logf("logs: query %s failed: %v", qu.id, err)
		}
	default:
		qu.status = statusComplete
		qu.res = res
	}
}

// minSplit is how many stored events a query reads before it is worth splitting over cores.
const minSplit = 1 << 16

// split returns the bounds of the parts in which a query over [lo, hi) ms reads the events of
// groups: [lo, hi) itself, or, for a query insights.Query.RunParts reads concurrently (a stats by
// bin()), one part per core cut at the starts of bins, each with about as many events: by
// the count of the stored events, or by time when a group is generated on demand.
func (s *Server) split(q *insights.Query, groups []*group, lo, hi int64) []int64 {
	bounds := []int64{lo, hi}
	k := runtime.GOMAXPROCS(0)
	if _, ok := q.BinFloor(lo); !ok || k < 2 || hi-lo < 2 {
		return bounds
	}
	generated := slices.ContainsFunc(groups, func(g *group) bool { return g.gen != nil })
	s.mu.RLock()
	defer s.mu.RUnlock()
	// before returns the number of stored events in [lo, t)
	before := func(t int64) int {
		n := 0
		for _, g := range groups {
			first := sort.Search(len(g.events), func(i int) bool { return g.events[i].Timestamp >= lo })
			n += sort.Search(len(g.events), func(i int) bool { return g.events[i].Timestamp >= t }) - first
		}
		return n
	}
	total := before(hi)
	if !generated && total < minSplit {
		return bounds
	}
	cuts := []int64{lo}
	for i := 1; i < k; i++ {
		var t int64
		if generated {
			end := min(hi, s.now().UnixMilli()+1)
			t = lo + (end-lo)*int64(i)/int64(k)
		} else {
			want := total * i / k
			t = lo + int64(sort.Search(int(hi-lo), func(d int) bool { return before(lo+int64(d)) >= want }))
		}
		if start, _ := q.BinFloor(t); start > cuts[len(cuts)-1] && start < hi {
			cuts = append(cuts, start)
		}
	}
	return append(cuts, hi)
}

// Wait blocks until the query with id queryID has finished (for tests and benchmarks).
func (s *Server) Wait(queryID string) {
	s.mu.RLock()
	qu := s.queries[queryID]
	s.mu.RUnlock()
	if qu != nil {
		<-qu.done
	}
}

type getQueryResultsInput struct {
	QueryID   string `json:"queryId"`
	MaxItems  int    `json:"maxItems"`
	NextToken string `json:"nextToken"`
}

type resultField struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

type queryStatistics struct {
	RecordsMatched float64 `json:"recordsMatched"`
	RecordsScanned float64 `json:"recordsScanned"`
	BytesScanned   float64 `json:"bytesScanned"`
}

// PageSize is the most rows one GetQueryResults page carries.
const PageSize = 10000

func (s *Server) getQueryResults(in *getQueryResultsInput) (any, error) {
	s.mu.RLock()
	qu, ok := s.queries[in.QueryID]
	var status string
	var res, partial *insights.Result
	if ok {
		status, res, partial = qu.status, qu.res, qu.partial
	}
	s.mu.RUnlock()
	if !ok {
		return nil, notFound("Query does not exist: %q", in.QueryID)
	}
	size := PageSize
	if in.MaxItems != 0 {
		if in.MaxItems < 1 || in.MaxItems > PageSize {
			return nil, invalidParam("maxItems %d: use 1 to %d", in.MaxItems, PageSize)
		}
		size = in.MaxItems
	}
	out := struct {
		Results       [][]resultField `json:"results"`
		Statistics    queryStatistics `json:"statistics"`
		Status        string          `json:"status"`
		NextToken     string          `json:"nextToken,omitempty"`
		QueryLanguage string          `json:"queryLanguage"`
	}{Results: [][]resultField{}, Status: status, QueryLanguage: "CWLI"}
	if status == statusScheduled {
		// not started yet: no rows and nothing read
		return out, nil
	}
	if res == nil && status == statusRunning {
		qu.polled.Store(true) // the runner snapshots its partial results for the next poll
		// running: the rows of the last snapshot (none before the first) and the records read so far
		out.Statistics = queryStatistics{RecordsScanned: float64(qu.scanned.Load()), BytesScanned: float64(qu.bytes.Load())}
		if partial == nil {
			return out, nil
		}
		res = partial
		out.Statistics.RecordsMatched = partial.RecordsMatched
		// the counters are published every 4,096 events: never fewer than the snapshot read
		out.Statistics.RecordsScanned = max(out.Statistics.RecordsScanned, partial.RecordsScanned)
		out.Statistics.BytesScanned = max(out.Statistics.BytesScanned, partial.BytesScanned)
	}
	if res == nil {
		return out, nil
	}
	start, err := offsetToken(in.NextToken, len(res.Rows))
	if err != nil {
		return nil, err
	}
	end := min(start+size, len(res.Rows))
	for _, r := range res.Rows[start:end] {
		row := make([]resultField, len(r))
		for i, f := range r {
			row[i] = resultField{f.Field, f.Value}
		}
		out.Results = append(out.Results, row)
	}
	if end < len(res.Rows) {
		out.NextToken = strconv.Itoa(end)
	}
	if res != partial {
		out.Statistics = queryStatistics{res.RecordsMatched, res.RecordsScanned, res.BytesScanned}
	}
	return out, nil
}

type stopQueryInput struct {
	QueryID string `json:"queryId"`
}

func (s *Server) stopQuery(in *stopQueryInput) (any, error) {
	s.mu.RLock()
	qu, ok := s.queries[in.QueryID]
	running := ok && (qu.status == statusRunning || qu.status == statusScheduled)
	s.mu.RUnlock()
	if !ok {
		return nil, notFound("Query does not exist: %q", in.QueryID)
	}
	if !running {
		return nil, invalidParam("Query %s is not running; only a running query can be stopped", in.QueryID)
	}
	qu.stop.Store(true)
	<-qu.done
	return struct {
		Success bool `json:"success"`
	}{true}, nil
}

type describeQueriesInput struct {
	LogGroupName string `json:"logGroupName"`
	Status       string `json:"status"`
	MaxResults   int    `json:"maxResults"`
	NextToken    string `json:"nextToken"`
}

type queryInfo struct {
	QueryID       string `json:"queryId"`
	QueryString   string `json:"queryString"`
	Status        string `json:"status"`
	CreateTime    int64  `json:"createTime"`
	LogGroupName  string `json:"logGroupName"`
	QueryLanguage string `json:"queryLanguage"`
}

func (s *Server) describeQueries(in *describeQueriesInput) (any, error) {
	limit, err := pageLimit(in.MaxResults, 1000)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	var infos []queryInfo
	for i := len(s.qorder) - 1; i >= 0; i-- { // newest first
		qu := s.qorder[i]
		if in.Status != "" && qu.status != in.Status {
			continue
		}
		if in.LogGroupName != "" && !contains(qu.groups, in.LogGroupName) {
			continue
		}
		infos = append(infos, queryInfo{qu.id, qu.text, qu.status, qu.created.UnixMilli(), qu.groups[0], "CWLI"})
	}
	s.mu.RUnlock()
	start, err := offsetToken(in.NextToken, len(infos))
	if err != nil {
		return nil, err
	}
	end := min(start+limit, len(infos))
	out := struct {
		Queries   []queryInfo `json:"queries"`
		NextToken string      `json:"nextToken,omitempty"`
	}{Queries: append([]queryInfo{}, infos[start:end]...)}
	if end < len(infos) {
		out.NextToken = strconv.Itoa(end)
	}
	return out, nil
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

type getLogRecordInput struct {
	LogRecordPointer string `json:"logRecordPointer"`
}

func (s *Server) getLogRecord(in *getLogRecordInput) (any, error) {
	ev, err := s.record(in.LogRecordPointer)
	if err != nil {
		return nil, err
	}
	rec := map[string]string{
		"@timestamp":     strconv.FormatInt(ev.Timestamp, 10),
		"@ingestionTime": strconv.FormatInt(ev.IngestionTime, 10),
		"@log":           ev.Log,
		"@logStream":     ev.LogStream,
		"@message":       ev.Message,
	}
	for _, f := range ev.Fields {
		rec[f.Name] = f.Value.Text()
	}
	return struct {
		LogRecord map[string]string `json:"logRecord"`
	}{rec}, nil
}

// record finds the event a @ptr points to.
func (s *Server) record(ptr string) (*insights.Event, error) {
	bad := invalidParam("logRecordPointer %q is not a pointer this server returned; pass an @ptr value of a query result", ptr)
	b, err := base64.RawURLEncoding.DecodeString(ptr)
	if err != nil {
		return nil, bad
	}
	parts := strings.Split(string(b), "\x00")
	switch {
	case len(parts) == 3 && parts[0] == "s":
		id, err := strconv.ParseUint(parts[2], 10, 64)
		if err != nil {
			return nil, bad
		}
		s.mu.RLock()
		defer s.mu.RUnlock()
		if g, ok := s.groups[parts[1]]; ok {
			if ev, ok := g.byID[id]; ok {
				return ev, nil
			}
		}
	case len(parts) == 5 && parts[0] == "g":
		ms, err := strconv.ParseInt(parts[2], 10, 64)
		if err != nil {
			return nil, bad
		}
		s.mu.RLock()
		g, ok := s.groups[parts[1]]
		s.mu.RUnlock()
		if ok && g.gen != nil {
			for ev := range s.generated(g, ms, ms+1) {
				if generatedPtr(g.name, ev) == ptr {
					ev.Get("") // discover the fields
					return ev, nil
				}
			}
		}
	}
	return nil, notFound("The log record %q does not exist.", ptr)
}
