package logs

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"hash/fnv"
	"iter"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/cwnb/cwnb/cwnb/insights"
	"github.com/cwnb/cwnb/cwnb/localcw/scenario"
)

// group is one log group: ingested events (sorted by timestamp) and an optional generator.
type group struct {
	name    string
	created time.Time
	streams map[string]*stream
	events  []*insights.Event // ingested, ascending Timestamp, equal timestamps in arrival order
	byID    map[uint64]*insights.Event
	nextID  uint64
	gen     *scenario.LogGroup
	bytes   int64
	// retention is how many days events are kept (PutRetentionPolicy); 0: forever. Older
	// events are rejected as expired and no longer read.
	retention int
	// names interns the field names of ingested events: a query compares every event's names
	// with the ones it looks up, and one shared copy of each stays in cache where copies inside
	// every message would not.
	names map[string]string
}

// maxInterned bounds g.names: beyond it, names of new fields keep their own copies.
const maxInterned = 10000

// intern replaces the names of fs by their shared copies.
func (g *group) intern(fs []insights.Field) []insights.Field {
	if g.names == nil {
		g.names = map[string]string{}
	}
	for i := range fs {
		if c, ok := g.names[fs[i].Name]; ok {
			fs[i].Name = c
		} else if len(g.names) < maxInterned {
			c := strings.Clone(fs[i].Name)
			g.names[c] = c
			fs[i].Name = c
		}
	}
	return fs
}

type stream struct {
	name                          string
	created                       time.Time
	first, last, lastIngest, size int64
}

func newGroup(name string, created time.Time) *group {
	return &group{name: name, created: created, streams: map[string]*stream{}, byID: map[uint64]*insights.Event{}}
}

func (g *group) arn(account string) string {
	return "arn:aws:logs:us-east-1:" + account + ":log-group:" + g.name
}

func (g *group) lambda() bool { return strings.HasPrefix(g.name, "/aws/lambda/") }

var groupNameRE = regexp.MustCompile(`^[a-zA-Z0-9_\-/.#]{1,512}$`)

type createLogGroupInput struct {
	LogGroupName string `json:"logGroupName"`
}

func (s *Server) createLogGroup(in *createLogGroupInput) (any, error) {
	if !groupNameRE.MatchString(in.LogGroupName) {
		return nil, invalidParam("log group name %q: use 1 to 512 characters of a-z A-Z 0-9 _ - / . #", in.LogGroupName)
	}
	if strings.HasPrefix(in.LogGroupName, "aws/") {
		return nil, invalidParam("log group name %q: names starting with aws/ are reserved for AWS", in.LogGroupName)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.groups[in.LogGroupName]; ok {
		return nil, alreadyExists("The specified log group already exists")
	}
	s.groups[in.LogGroupName] = newGroup(in.LogGroupName, s.now())
	return struct{}{}, nil
}

func (s *Server) deleteLogGroup(in *createLogGroupInput) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.groups[in.LogGroupName]; !ok {
		return nil, notFound("The specified log group does not exist.")
	}
	delete(s.groups, in.LogGroupName)
	return struct{}{}, nil
}

type retentionInput struct {
	LogGroupName    string `json:"logGroupName"`
	RetentionInDays int    `json:"retentionInDays"`
}

// retentionDays are the values PutRetentionPolicy accepts.
var retentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// putRetentionPolicy keeps g's events for in.RetentionInDays days: older ones are no longer
// read, and PutLogEvents rejects them as expired.
func (s *Server) putRetentionPolicy(in *retentionInput) (any, error) {
	if !slices.Contains(retentionDays, in.RetentionInDays) {
		return nil, invalidParam("retentionInDays %d: use one of %v", in.RetentionInDays, retentionDays)
	}
	return s.setRetention(in.LogGroupName, in.RetentionInDays)
}

// deleteRetentionPolicy keeps g's events forever again.
func (s *Server) deleteRetentionPolicy(in *retentionInput) (any, error) {
	return s.setRetention(in.LogGroupName, 0)
}

func (s *Server) setRetention(name string, days int) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.groups[name]
	if !ok {
		return nil, notFound("The specified log group does not exist.")
	}
	g.retention = days
	return struct{}{}, nil
}

type createLogStreamInput struct {
	LogGroupName  string `json:"logGroupName"`
	LogStreamName string `json:"logStreamName"`
}

func (s *Server) createLogStream(in *createLogStreamInput) (any, error) {
	if n := utf8.RuneCountInString(in.LogStreamName); n < 1 || n > 512 || strings.ContainsAny(in.LogStreamName, ":*") {
		return nil, invalidParam("log stream name %q: use 1 to 512 characters without : or *", in.LogStreamName)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.groups[in.LogGroupName]
	if !ok {
		return nil, notFound("The specified log group does not exist.")
	}
	if _, ok := g.streams[in.LogStreamName]; ok {
		return nil, alreadyExists("The specified log stream already exists")
	}
	g.streams[in.LogStreamName] = &stream{name: in.LogStreamName, created: s.now()}
	return struct{}{}, nil
}

type inputLogEvent struct {
	Message   *string `json:"message"`
	Timestamp *int64  `json:"timestamp"`
}

type putLogEventsInput struct {
	LogGroupName  string          `json:"logGroupName"`
	LogStreamName string          `json:"logStreamName"`
	LogEvents     []inputLogEvent `json:"logEvents"`
	SequenceToken string          `json:"sequenceToken"`
}

type rejectedInfo struct {
	TooNewLogEventStartIndex *int `json:"tooNewLogEventStartIndex,omitempty"`
	TooOldLogEventEndIndex   *int `json:"tooOldLogEventEndIndex,omitempty"`
	ExpiredLogEventEndIndex  *int `json:"expiredLogEventEndIndex,omitempty"`
}

type putLogEventsOutput struct {
	NextSequenceToken     string        `json:"nextSequenceToken,omitempty"`
	RejectedLogEventsInfo *rejectedInfo `json:"rejectedLogEventsInfo,omitempty"`
}

// PutLogEvents limits (aws-sdk-go-v2/service/cloudwatchlogs api_op_PutLogEvents.go).
const (
	maxBatchBytes  = 1048576 // Σ UTF-8 message bytes + 26 per event
	maxBatchEvents = 10000
	maxEventBytes  = 1048576 - 26
	eventOverhead  = 26
	maxBatchSpan   = 24 * time.Hour
	maxFuture      = 2 * time.Hour
	maxPast        = 14 * 24 * time.Hour
)

func (s *Server) putLogEvents(in *putLogEventsInput) (any, error) {
	if len(in.LogEvents) == 0 {
		return nil, invalidParam("logEvents is empty: send 1 to %d events", maxBatchEvents)
	}
	if len(in.LogEvents) > maxBatchEvents {
		return nil, invalidParam("%d log events in one batch; the limit is %d", len(in.LogEvents), maxBatchEvents)
	}
	size := 0
	for i, e := range in.LogEvents {
		if e.Message == nil || e.Timestamp == nil {
			return nil, invalidParam("logEvents[%d] needs both message and timestamp", i)
		}
		if len(*e.Message) > maxEventBytes {
			return nil, invalidParam("logEvents[%d]: message of %d bytes; an event is at most %d bytes", i, len(*e.Message), maxEventBytes)
		}
		if i > 0 && *e.Timestamp < *in.LogEvents[i-1].Timestamp {
			return nil, invalidParam("Log events in a single PutLogEvents request must be in chronological order (logEvents[%d] is older than logEvents[%d]).", i, i-1)
		}
		size += len(*e.Message) + eventOverhead
	}
	if size > maxBatchBytes {
		return nil, invalidParam("batch of %d bytes (messages plus 26 bytes per event); the limit is %d", size, maxBatchBytes)
	}
	first, last := *in.LogEvents[0].Timestamp, *in.LogEvents[len(in.LogEvents)-1].Timestamp
	if time.Duration(last-first)*time.Millisecond > maxBatchSpan {
		return nil, invalidParam("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.")
	}
	now := s.now()
	nowMs := now.UnixMilli()
	tooOld := now.Add(-maxPast).UnixMilli()
	tooNew := now.Add(maxFuture).UnixMilli()
	var out putLogEventsOutput
	lo, hi := 0, len(in.LogEvents)
	for lo < hi && *in.LogEvents[lo].Timestamp < tooOld {
		lo++
	}
	for hi > lo && *in.LogEvents[hi-1].Timestamp > tooNew {
		hi--
	}
	if lo > 0 || hi < len(in.LogEvents) {
		out.RejectedLogEventsInfo = &rejectedInfo{}
		if lo > 0 {
			i := lo - 1
			out.RejectedLogEventsInfo.TooOldLogEventEndIndex = &i
		}
		if hi < len(in.LogEvents) {
			i := hi
			out.RejectedLogEventsInfo.TooNewLogEventStartIndex = &i
		}
	}

	s.mu.Lock()
	g, ok := s.groups[in.LogGroupName]
	if !ok {
		s.mu.Unlock()
		return nil, notFound("The specified log group does not exist.")
	}
	st, ok := g.streams[in.LogStreamName]
	if !ok {
		s.mu.Unlock()
		return nil, notFound("The specified log stream does not exist.")
	}
	if g.retention > 0 {
		// older than the group's retention: expired, after the too-old ones
		kept := now.AddDate(0, 0, -g.retention).UnixMilli()
		exp := lo
		for exp < hi && *in.LogEvents[exp].Timestamp < kept {
			exp++
		}
		if exp > lo {
			if out.RejectedLogEventsInfo == nil {
				out.RejectedLogEventsInfo = &rejectedInfo{}
			}
			i := exp - 1
			out.RejectedLogEventsInfo.ExpiredLogEventEndIndex = &i
			lo = exp
		}
	}
	logName := s.opts.Account + ":" + g.name
	lambda := g.lambda()
	added := make([]*insights.Event, 0, hi-lo)
	// The batch's events, and their fields, each in one slab, in time order: a query walks
	// them in that order, and memory read in sequence is read ahead.
	evs := make([]insights.Event, hi-lo)
	var fields []insights.Field
	for i, e := range in.LogEvents[lo:hi] {
		g.nextID++
		fs := g.intern(insights.Discover(*e.Message, lambda))
		if len(fs) > cap(fields)-len(fields) {
			fields = make([]insights.Field, 0, max(len(fs), 16*(hi-lo-i)))
		}
		start := len(fields)
		fields = append(fields, fs...)
		ev := &evs[i]
		*ev = insights.Event{
			Timestamp: *e.Timestamp, IngestionTime: nowMs, Log: logName, LogStream: st.name,
			Message: *e.Message, Ptr: storedPtr(g.name, g.nextID), Fields: fields[start:len(fields):len(fields)],
		}
		g.byID[g.nextID] = ev
		added = append(added, ev)
		if st.first == 0 || ev.Timestamp < st.first {
			st.first = ev.Timestamp
		}
		st.last = max(st.last, ev.Timestamp)
		st.size += int64(len(ev.Message))
		g.bytes += int64(len(ev.Message))
	}
	insights.IndexColumns(evs)
	st.lastIngest = nowMs
	g.insert(added)
	s.mu.Unlock()
	for _, ev := range added {
		s.extractEMF(ev)
	}
	return out, nil
}

// insert merges ascending events into g.events.
func (g *group) insert(evs []*insights.Event) {
	if len(evs) == 0 {
		return
	}
	n := len(g.events)
	if n == 0 || g.events[n-1].Timestamp <= evs[0].Timestamp {
		g.events = append(g.events, evs...)
		return
	}
	i := sort.Search(n, func(i int) bool { return g.events[i].Timestamp > evs[0].Timestamp })
	tail := slices.Clone(g.events[i:])
	g.events = g.events[:i]
	j, k := 0, 0
	for j < len(tail) && k < len(evs) {
		if tail[j].Timestamp <= evs[k].Timestamp {
			g.events = append(g.events, tail[j])
			j++
		} else {
			g.events = append(g.events, evs[k])
			k++
		}
	}
	g.events = append(g.events, tail[j:]...)
	g.events = append(g.events, evs[k:]...)
}

// Pointers: @ptr of an ingested event names its group and id; of a generated event, its group,
// millisecond and rank among the events of that millisecond.
func storedPtr(group string, id uint64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("s\x00" + group + "\x00" + strconv.FormatUint(id, 10)))
}

func generatedPtr(group string, ev *insights.Event) string {
	h := fnv.New64a()
	h.Write([]byte(ev.Message))
	return base64.RawURLEncoding.EncodeToString([]byte("g\x00" + group + "\x00" + strconv.FormatInt(ev.Timestamp, 10) + "\x00" +
		ev.LogStream + "\x00" + strconv.FormatUint(h.Sum64(), 16)))
}

// scan returns the events of g with timestamps in [lo, hi) ms, ascending: the ingested ones
// merged with the generated ones (never after now).
func (s *Server) scan(g *group, lo, hi int64) iter.Seq[*insights.Event] {
	s.mu.RLock()
	if g.retention > 0 {
		lo = max(lo, s.now().AddDate(0, 0, -g.retention).UnixMilli())
	}
	i := sort.Search(len(g.events), func(i int) bool { return g.events[i].Timestamp >= lo })
	j := sort.Search(len(g.events), func(i int) bool { return g.events[i].Timestamp >= hi })
	stored := slices.Clone(g.events[i:j])
	s.mu.RUnlock()
	if g.gen == nil {
		return slices.Values(stored)
	}
	hi = min(hi, s.now().UnixMilli()+1)
	gen := s.generated(g, lo, hi)
	if len(stored) == 0 {
		return gen
	}
	return mergeEvents([]iter.Seq[*insights.Event]{slices.Values(stored), gen})
}

// generated returns the generated events of g in [lo, hi) ms.
func (s *Server) generated(g *group, lo, hi int64) iter.Seq[*insights.Event] {
	logName := s.opts.Account + ":" + g.name
	lazy := insights.LazyJSON
	if g.lambda() {
		lazy = insights.LazyLambda
	}
	ptr := func(ev *insights.Event) string { return generatedPtr(g.name, ev) }
	return func(yield func(*insights.Event) bool) {
		if lo >= hi {
			return
		}
		// Events and their messages are carved out of slabs: a query reads millions of them, and
		// one allocation per thousand events instead of two per event keeps the collector quiet.
		// A slab lives as long as any event or string in it does; nothing in it is written twice.
		var evs []insights.Event
		var text []byte
		g.gen.Generate(time.UnixMilli(lo), time.UnixMilli(hi), func(ms int64, stream string, message []byte) bool {
			if len(evs) == 0 {
				evs = make([]insights.Event, 1024)
			}
			if len(message) > cap(text)-len(text) {
				text = make([]byte, 0, max(256<<10, len(message)))
			}
			var msg string
			if len(message) > 0 {
				start := len(text)
				text = append(text, message...)
				msg = unsafe.String(&text[start], len(message))
			}
			ev := &evs[0]
			evs = evs[1:]
			*ev = insights.Event{
				Timestamp: ms, IngestionTime: ms, Log: logName, LogStream: stream,
				Message: msg, PtrFunc: ptr, Lazy: lazy,
			}
			return yield(ev)
		})
	}
}

// mergeEvents merges ascending sequences into one ascending sequence (stable: on equal
// timestamps, earlier sequences first).
func mergeEvents(seqs []iter.Seq[*insights.Event]) iter.Seq[*insights.Event] {
	if len(seqs) == 1 {
		return seqs[0]
	}
	return func(yield func(*insights.Event) bool) {
		type head struct {
			ev   *insights.Event
			next func() (*insights.Event, bool)
		}
		var heads []*head
		for _, sq := range seqs {
			next, stop := iter.Pull(sq)
			defer stop()
			if ev, ok := next(); ok {
				heads = append(heads, &head{ev, next})
			}
		}
		for len(heads) > 0 {
			best := 0
			for i := 1; i < len(heads); i++ {
				if heads[i].ev.Timestamp < heads[best].ev.Timestamp {
					best = i
				}
			}
			h := heads[best]
			if !yield(h.ev) {
				return
			}
			if ev, ok := h.next(); ok {
				h.ev = ev
			} else {
				heads = slices.Delete(heads, best, best+1)
			}
		}
	}
}

type logGroupOut struct {
	LogGroupName    string `json:"logGroupName"`
	CreationTime    int64  `json:"creationTime"`
	Arn             string `json:"arn"`
	LogGroupArn     string `json:"logGroupArn"`
	StoredBytes     int64  `json:"storedBytes"`
	LogGroupClass   string `json:"logGroupClass"`
	MetricFilterCnt int    `json:"metricFilterCount"`
	RetentionInDays int    `json:"retentionInDays,omitempty"`
}

type describeLogGroupsInput struct {
	LogGroupNamePrefix  string `json:"logGroupNamePrefix"`
	LogGroupNamePattern string `json:"logGroupNamePattern"`
	Limit               int    `json:"limit"`
	NextToken           string `json:"nextToken"`
}

func (s *Server) describeLogGroups(in *describeLogGroupsInput) (any, error) {
	limit, err := pageLimit(in.Limit, 50)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	var names []string
	for n := range s.groups {
		if strings.HasPrefix(n, in.LogGroupNamePrefix) && strings.Contains(n, in.LogGroupNamePattern) {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	start, err := offsetToken(in.NextToken, len(names))
	if err != nil {
		s.mu.RUnlock()
		return nil, err
	}
	out := struct {
		LogGroups []logGroupOut `json:"logGroups"`
		NextToken string        `json:"nextToken,omitempty"`
	}{LogGroups: []logGroupOut{}}
	end := min(start+limit, len(names))
	for _, n := range names[start:end] {
		g := s.groups[n]
		arn := g.arn(s.opts.Account)
		out.LogGroups = append(out.LogGroups, logGroupOut{n, g.created.UnixMilli(), arn + ":*", arn, g.bytes, "STANDARD", 0, g.retention})
	}
	s.mu.RUnlock()
	if end < len(names) {
		out.NextToken = strconv.Itoa(end)
	}
	return out, nil
}

func pageLimit(limit, def int) (int, error) {
	switch {
	case limit == 0:
		return def, nil
	case limit < 1 || limit > def:
		return 0, invalidParam("limit %d: use 1 to %d", limit, def)
	}
	return limit, nil
}

func offsetToken(tok string, n int) (int, error) {
	if tok == "" {
		return 0, nil
	}
	i, err := strconv.Atoi(tok)
	if err != nil || i < 0 || i > n {
		return 0, invalidParam("The specified nextToken is invalid: %q; pass the token of the previous response", tok)
	}
	return i, nil
}

type describeLogStreamsInput struct {
	LogGroupName        string `json:"logGroupName"`
	LogGroupIdentifier  string `json:"logGroupIdentifier"`
	LogStreamNamePrefix string `json:"logStreamNamePrefix"`
	OrderBy             string `json:"orderBy"`
	Descending          bool   `json:"descending"`
	Limit               int    `json:"limit"`
	NextToken           string `json:"nextToken"`
}

type logStreamOut struct {
	LogStreamName       string `json:"logStreamName"`
	CreationTime        int64  `json:"creationTime"`
	FirstEventTimestamp int64  `json:"firstEventTimestamp,omitempty"`
	LastEventTimestamp  int64  `json:"lastEventTimestamp,omitempty"`
	LastIngestionTime   int64  `json:"lastIngestionTime,omitempty"`
	Arn                 string `json:"arn"`
	StoredBytes         int64  `json:"storedBytes"`
}

func (s *Server) group(name, identifier string) (*group, error) {
	if name == "" {
		name = identifier
		if i := strings.Index(name, ":log-group:"); i >= 0 {
			name = strings.TrimSuffix(name[i+len(":log-group:"):], ":*")
		}
	}
	if name == "" {
		return nil, invalidParam("logGroupName is required")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	g, ok := s.groups[name]
	if !ok {
		return nil, notFound("The specified log group does not exist: %q.", name)
	}
	return g, nil
}

func (s *Server) describeLogStreams(in *describeLogStreamsInput) (any, error) {
	limit, err := pageLimit(in.Limit, 50)
	if err != nil {
		return nil, err
	}
	g, err := s.group(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	if in.OrderBy == "LastEventTime" && in.LogStreamNamePrefix != "" {
		return nil, invalidParam("Cannot order by LastEventTime with a logStreamNamePrefix.")
	}
	s.mu.RLock()
	var sts []*stream
	for _, st := range g.streams {
		if strings.HasPrefix(st.name, in.LogStreamNamePrefix) {
			sts = append(sts, st)
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(sts, func(a, b *stream) int {
		if in.OrderBy == "LastEventTime" {
			return cmp.Or(cmp.Compare(a.last, b.last), cmp.Compare(a.name, b.name))
		}
		return cmp.Compare(a.name, b.name)
	})
	if in.Descending {
		slices.Reverse(sts)
	}
	start, err := offsetToken(in.NextToken, len(sts))
	if err != nil {
		return nil, err
	}
	end := min(start+limit, len(sts))
	out := struct {
		LogStreams []logStreamOut `json:"logStreams"`
		NextToken  string         `json:"nextToken,omitempty"`
	}{LogStreams: []logStreamOut{}}
	for _, st := range sts[start:end] {
		out.LogStreams = append(out.LogStreams, logStreamOut{st.name, st.created.UnixMilli(), st.first, st.last, st.lastIngest,
			g.arn(s.opts.Account) + ":log-stream:" + st.name, st.size})
	}
	if end < len(sts) {
		out.NextToken = strconv.Itoa(end)
	}
	return out, nil
}

type outputLogEvent struct {
	Timestamp     int64  `json:"timestamp"`
	Message       string `json:"message"`
	IngestionTime int64  `json:"ingestionTime"`
}

type getLogEventsInput struct {
	LogGroupName       string `json:"logGroupName"`
	LogGroupIdentifier string `json:"logGroupIdentifier"`
	LogStreamName      string `json:"logStreamName"`
	StartTime          *int64 `json:"startTime"`
	EndTime            *int64 `json:"endTime"`
	Limit              int    `json:"limit"`
	StartFromHead      bool   `json:"startFromHead"`
	NextToken          string `json:"nextToken"`
}

// window returns [lo, hi) ms for optional start and end times; a generated group without a
// start is read over the day before now (its history is unbounded).
func (s *Server) window(g *group, start, end *int64) (int64, int64) {
	lo, hi := int64(0), s.now().Add(maxFuture).UnixMilli()
	if g.gen != nil {
		lo = s.now().Add(-24 * time.Hour).UnixMilli()
	}
	if start != nil {
		lo = *start
	}
	if end != nil {
		hi = *end
	}
	return lo, hi
}

func (s *Server) getLogEvents(in *getLogEventsInput) (any, error) {
	limit, err := pageLimit(in.Limit, 10000)
	if err != nil {
		return nil, err
	}
	g, err := s.group(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	_, ok := g.streams[in.LogStreamName]
	s.mu.RUnlock()
	if !ok {
		return nil, notFound("The specified log stream does not exist.")
	}
	lo, hi := s.window(g, in.StartTime, in.EndTime)
	var evs []*insights.Event
	for ev := range s.scan(g, lo, hi) {
		if ev.LogStream == in.LogStreamName {
			evs = append(evs, ev)
		}
	}
	// Tokens: f/<index> reads forward from index, b/<index> backward up to index.
	from, to := 0, len(evs)
	switch {
	case strings.HasPrefix(in.NextToken, "f/"):
		i, err := strconv.Atoi(in.NextToken[2:])
		if err != nil || i < 0 || i > len(evs) {
			return nil, invalidParam("The specified nextToken is invalid: %q", in.NextToken)
		}
		from, to = i, min(i+limit, len(evs))
	case strings.HasPrefix(in.NextToken, "b/"):
		i, err := strconv.Atoi(in.NextToken[2:])
		if err != nil || i < 0 || i > len(evs) {
			return nil, invalidParam("The specified nextToken is invalid: %q", in.NextToken)
		}
		from, to = max(0, i-limit), i
	case in.NextToken != "":
		return nil, invalidParam("The specified nextToken is invalid: %q", in.NextToken)
	case in.StartFromHead:
		to = min(limit, len(evs))
	default:
		from = max(0, len(evs)-limit)
	}
	out := struct {
		Events            []outputLogEvent `json:"events"`
		NextForwardToken  string           `json:"nextForwardToken"`
		NextBackwardToken string           `json:"nextBackwardToken"`
	}{Events: []outputLogEvent{}, NextForwardToken: "f/" + strconv.Itoa(to), NextBackwardToken: "b/" + strconv.Itoa(from)}
	for _, ev := range evs[from:to] {
		out.Events = append(out.Events, outputLogEvent{ev.Timestamp, ev.Message, ev.IngestionTime})
	}
	return out, nil
}

type filterLogEventsInput struct {
	LogGroupName        string   `json:"logGroupName"`
	LogGroupIdentifier  string   `json:"logGroupIdentifier"`
	LogStreamNames      []string `json:"logStreamNames"`
	LogStreamNamePrefix string   `json:"logStreamNamePrefix"`
	StartTime           *int64   `json:"startTime"`
	EndTime             *int64   `json:"endTime"`
	FilterPattern       string   `json:"filterPattern"`
	Limit               int      `json:"limit"`
	NextToken           string   `json:"nextToken"`
}

type filteredEvent struct {
	EventID       string `json:"eventId"`
	LogStreamName string `json:"logStreamName"`
	Timestamp     int64  `json:"timestamp"`
	Message       string `json:"message"`
	IngestionTime int64  `json:"ingestionTime"`
}

func (s *Server) filterLogEvents(in *filterLogEventsInput) (any, error) {
	limit, err := pageLimit(in.Limit, 10000)
	if err != nil {
		return nil, err
	}
	g, err := s.group(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	if len(in.LogStreamNames) > 0 && in.LogStreamNamePrefix != "" {
		return nil, invalidParam("logStreamNames and logStreamNamePrefix cannot both be given")
	}
	match, err := compilePattern(in.FilterPattern)
	if err != nil {
		return nil, err
	}
	lo, hi := s.window(g, in.StartTime, in.EndTime)
	skip, err := offsetToken(in.NextToken, 1<<62)
	if err != nil {
		return nil, err
	}
	out := struct {
		Events    []filteredEvent `json:"events"`
		NextToken string          `json:"nextToken,omitempty"`
	}{Events: []filteredEvent{}}
	n := 0
	for ev := range s.scan(g, lo, hi) {
		if len(in.LogStreamNames) > 0 && !slices.Contains(in.LogStreamNames, ev.LogStream) ||
			!strings.HasPrefix(ev.LogStream, in.LogStreamNamePrefix) || !match(ev) {
			continue
		}
		n++
		if n <= skip {
			continue
		}
		if len(out.Events) == limit {
			out.NextToken = strconv.Itoa(n - 1)
			break
		}
		out.Events = append(out.Events, filteredEvent{fmt.Sprintf("%d%016x", ev.Timestamp, n), ev.LogStream, ev.Timestamp, ev.Message, ev.IngestionTime})
	}
	return out, nil
}
