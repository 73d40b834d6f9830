// Package logs is a local CloudWatch Logs: log groups, streams and events, Logs Insights
// queries answered by the cwnb/insights engine, and Embedded Metric Format (EMF) extraction
// into a local CloudWatch metrics store. It speaks awsJson1_1 (POST /, X-Amz-Target:
// Logs_20140328.<Operation>), the protocol of aws-sdk-go-v2/service/cloudwatchlogs and of
// botocore (the AWS CLI, boto3).
//
// Operations: CreateLogGroup, CreateLogStream, DeleteLogGroup, PutRetentionPolicy,
// DeleteRetentionPolicy, PutLogEvents, DescribeLogGroups, DescribeLogStreams, GetLogEvents,
// FilterLogEvents, StartQuery, GetQueryResults, StopQuery, GetLogRecord and DescribeQueries. Anything else is an
// UnknownOperationException; a query outside the engine's subset is a
// MalformedQueryException that names the command or function and its position.
//
// Queries run in the background: GetQueryResults says Scheduled (no rows) for Options.Schedule
// after StartQuery, then Running, with the records read so far and partial rows (a snapshot the
// query takes when a client has polled, at most every 50 ms), until Complete.
//
// Scenario log groups (scenario.LogGroups) are served as if ingested: generated on demand for the
// window a query asks, never after the server clock. The metrics a group's Embedded Metric
// Format documents declare (the api scenario's Latency) are served, when Options.Metrics is a
// SourceSetter, from those documents through ExtractEMF, as PutLogEvents would create them.
package logs

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cwnb/cwnb/cwnb/localcw/scenario"
)

// TargetPrefix is the X-Amz-Target prefix of CloudWatch Logs operations.
const TargetPrefix = "Logs_20140328."

// Publisher receives the metrics that EMF log events declare; *localcw.Server implements it.
type Publisher interface {
	PublishValues(namespace, name string, dims map[string]string, unit string, highRes bool, t time.Time, values []float64) error
}

// Options configures a Server. The zero value is an empty Logs on the wall clock.
type Options struct {
	// Now pins the server clock (ingestion times, the PutLogEvents acceptance window, scenario
	// data). Zero: the wall clock.
	Now time.Time
	// Account is the account id in @log and ARNs; "" is 123456789012.
	Account string
	// Metrics, when set, receives the metrics of EMF log events.
	Metrics Publisher
	// Groups are generated log groups (scenario.LogGroups), served as if ingested.
	Groups []scenario.LogGroup
	// MaxConcurrentQueries caps queries running at once (LimitExceededException beyond); 0 is
	// 100, the service's quota.
	MaxConcurrentQueries int
	// Schedule is how long a query stays Scheduled after StartQuery before it starts to run
	// (GetQueryResults says Scheduled, with no rows, as the service does while a query waits
	// for capacity); 0 is DefaultSchedule, negative: queries run at once.
	Schedule time.Duration
	// Logf, when set, receives one line per failed request and per rejected EMF document.
	Logf func(format string, args ...any)
	// WarmEMF, when positive, starts extracting in the background the metrics of the generated
	// groups' EMF documents of that long before the clock, newest first (the service extracts
	// them as they are ingested), so that the first loads of those metrics find them ready;
	// on half the cores. Done, when closed, stops it.
	WarmEMF time.Duration
	Done    <-chan struct{}
}

// DefaultSchedule is how long a query stays Scheduled when Options.Schedule is 0: short, so that
// a client's first poll after StartQuery sees Scheduled, as it often does on the service.
const DefaultSchedule = 10 * time.Millisecond

// Server is a local CloudWatch Logs; it is an http.Handler, safe for concurrent use.
type Server struct {
	opts     Options
	requests atomic.Uint64

	mu      sync.RWMutex
	groups  map[string]*group
	queries map[string]*query
	qorder  []*query
	running int
	nextQ   uint64
}

// New returns a server configured by opts.
func New(opts Options) *Server {
	if opts.Account == "" {
		opts.Account = "123456789012"
	}
	if opts.MaxConcurrentQueries <= 0 {
		opts.MaxConcurrentQueries = 100
	}
	if opts.Schedule == 0 {
		opts.Schedule = DefaultSchedule
	}
	s := &Server{opts: opts, groups: map[string]*group{}, queries: map[string]*query{}}
	for _, g := range opts.Groups {
		gr := newGroup(g.Name, s.now().Add(-30*24*time.Hour))
		gen := g
		gr.gen = &gen
		for _, st := range g.Streams {
			gr.streams[st] = &stream{name: st, created: gr.created}
		}
		s.groups[g.Name] = gr
		if ss, ok := opts.Metrics.(SourceSetter); ok && g.EMF != nil && len(g.EMFMetrics) > 0 {
			src := serveEMF(ss, &gen, s.now, opts.Logf)
			if opts.WarmEMF > 0 {
				go src.warm(s.now().Add(-opts.WarmEMF), s.now(), opts.Done)
			}
		}
	}
	return s
}

func (s *Server) now() time.Time {
	if !s.opts.Now.IsZero() {
		return s.opts.Now.UTC()
	}
	return time.Now().UTC()
}

// apiError is an error as CloudWatch Logs reports it: the shape name (__type), HTTP status and
// message.
type apiError struct {
	Type    string
	Status  int
	Message string
}

func (e *apiError) Error() string { return e.Type + ": " + e.Message }

func invalidParam(format string, args ...any) *apiError {
	return &apiError{"InvalidParameterException", http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) *apiError {
	return &apiError{"ResourceNotFoundException", http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

func alreadyExists(format string, args ...any) *apiError {
	return &apiError{"ResourceAlreadyExistsException", http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

func malformedQuery(err error) *apiError {
	return &apiError{"MalformedQueryException", http.StatusBadRequest, err.Error()}
}

func limitExceeded(format string, args ...any) *apiError {
	return &apiError{"LimitExceededException", http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// maxBody is the largest request body read: PutLogEvents batches are at most 1 MiB of
// messages, which JSON escaping can grow.
const maxBody = 8 << 20

// ServeHTTP serves one CloudWatch Logs request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Amzn-RequestId", fmt.Sprintf("10ca1c10-0000-4000-9000-%012x", s.requests.Add(1)))
	target := r.Header.Get("X-Amz-Target")
	op, ok := strings.CutPrefix(target, TargetPrefix)
	if r.Method != http.MethodPost || !ok || op == "" {
		s.writeError(w, op, &apiError{"UnknownOperationException", http.StatusBadRequest,
			"not a CloudWatch Logs request: want POST / with X-Amz-Target: " + TargetPrefix + "<Operation> (awsJson1_1)"})
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		s.writeError(w, op, invalidParam("request body unreadable or larger than %d bytes", maxBody))
		return
	}
	out, err := s.dispatch(op, body)
	if err != nil {
		var ae *apiError
		if !errors.As(err, &ae) {
			ae = &apiError{"ServiceUnavailableException", http.StatusInternalServerError, err.Error()}
		}
		s.writeError(w, op, ae)
		return
	}
	b, err := json.Marshal(out)
	if err != nil {
		s.writeError(w, op, &apiError{"ServiceUnavailableException", http.StatusInternalServerError, "encode response: " + err.Error()})
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

// decode decodes a request body; unknown members are ignored as the service does.
func decode(body []byte, v any) error {
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return &apiError{"SerializationException", http.StatusBadRequest, "malformed JSON request body: " + err.Error()}
	}
	return nil
}

func handle[In any, Out any](body []byte, fn func(*In) (Out, error)) (any, error) {
	var in In
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	return fn(&in)
}

func (s *Server) dispatch(op string, body []byte) (any, error) {
	switch op {
	case "CreateLogGroup":
		return handle(body, s.createLogGroup)
	case "DeleteLogGroup":
		return handle(body, s.deleteLogGroup)
	case "PutRetentionPolicy":
		return handle(body, s.putRetentionPolicy)
	case "DeleteRetentionPolicy":
		return handle(body, s.deleteRetentionPolicy)
	case "CreateLogStream":
		return handle(body, s.createLogStream)
	case "PutLogEvents":
		return handle(body, s.putLogEvents)
	case "DescribeLogGroups":
		return handle(body, s.describeLogGroups)
	case "DescribeLogStreams":
		return handle(body, s.describeLogStreams)
	case "GetLogEvents":
		return handle(body, s.getLogEvents)
	case "FilterLogEvents":
		return handle(body, s.filterLogEvents)
	case "StartQuery":
		return handle(body, s.startQuery)
	case "GetQueryResults":
		return handle(body, s.getQueryResults)
	case "StopQuery":
		return handle(body, s.stopQuery)
	case "GetLogRecord":
		return handle(body, s.getLogRecord)
	case "DescribeQueries":
		return handle(body, s.describeQueries)
	}
	return nil, &apiError{"UnknownOperationException", http.StatusBadRequest,
		fmt.Sprintf("operation %q is not supported by the local CloudWatch Logs", op)}
}

// writeError is the one place that writes an error response: {"__type", "message"} with the
// status, which both the SDK and botocore decode into the typed error.
func (s *Server) writeError(w http.ResponseWriter, op string, e *apiError) {
	if s.opts.Logf != nil {
		s.opts.Logf("logs %s: %d %s: %s", op, e.Status, e.Type, e.Message)
	}
	b, _ := json.Marshal(map[string]string{"__type": e.Type, "message": e.Message})
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-ErrorType", e.Type)
	w.WriteHeader(e.Status)
	w.Write(b)
}
