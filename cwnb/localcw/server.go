package localcw

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cwnb/cwnb/cwnb/localcw/internal/store"
	"github.com/cwnb/cwnb/cwnb/localcw/internal/wire"
	"github.com/cwnb/cwnb/cwnb/localcw/scenario"
)

// Options configures a Server. The zero value is a server on the wall clock with no data and no
// faults.
type Options struct {
	// Now pins the server clock: retention, timestamp validation and scenario data are relative to
	// it. Zero: the wall clock.
	Now time.Time
	// Scenarios are served as if their datums had been published: generated on demand for the
	// window asked, never after the server clock.
	Scenarios []scenario.Scenario
	// Faults configures opt-in fault injection; the zero value injects none.
	Faults Faults
	// Logf, when set, receives one line per failed request (400s and 500s).
	Logf func(format string, args ...any)
	// MaxRequestDatapoints caps the work of one GetMetricData request: the datapoints its metric
	// queries span (window / period, summed over the queries) when the answer must be computed.
	// Above it the request fails with ValidationError (GetMetricData's code for a request it
	// cannot serve) in the words GetMetricStatistics uses above 1,440: the count and what to
	// change. 0 means DefaultMaxRequestDatapoints; a negative value, no cap.
	MaxRequestDatapoints int
}

// DefaultMaxRequestDatapoints is the default Options.MaxRequestDatapoints: 50 full pages of
// 100,800 datapoints, far above what one notebook load asks and far below a request (500 series
// of 454 days at 1h, 5.4 million datapoints of p99) that would keep a core busy for minutes.
const DefaultMaxRequestDatapoints = 50 * defaultMaxDatapoint

// Server is a local CloudWatch metrics service. It is an http.Handler speaking the Smithy RPC v2
// CBOR protocol of aws-sdk-go-v2/service/cloudwatch, and awsJson1_0 for botocore (the AWS CLI,
// boto3). It is safe for concurrent use.
type Server struct {
	opts   Options
	store  *store.Store
	faults *injector

	mu    sync.Mutex
	calls map[string]int

	datapoints atomic.Int64
	requests   atomic.Uint64
	pages      pageCache
	alarms     alarmBook // alarms.go

	// aggregated counts the series aggregations GetMetricData ran (one per metric, statistic
	// set and period): how much work a request did, for tests of cancellation.
	aggregated atomic.Int64
	// aggregateHook, when set (tests), runs before each aggregation with the request context.
	aggregateHook func(ctx context.Context)
}

// New returns a server configured by opts.
func New(opts Options) *Server {
	s := &Server{
		opts:   opts,
		store:  store.New(),
		faults: newInjector(opts.Faults),
		calls:  map[string]int{},
	}
	for _, sc := range opts.Scenarios {
		s.addScenario(sc)
	}
	return s
}

// addScenario attaches every metric of sc to the store as a generated source.
func (s *Server) addScenario(sc scenario.Scenario) {
	for i, m := range sc.Metrics() {
		ds := make([]store.Dim, len(m.Dims))
		for j, d := range m.Dims {
			ds[j] = store.Dim{Name: d.Name, Value: d.Value}
		}
		idx := i
		s.store.AddSource(store.Metric{Namespace: m.Namespace, Name: m.Name, Dims: ds}, m.Unit,
			m.Interval > 0 && m.Interval < time.Minute,
			func(start, end time.Time, emit func(t time.Time, values, counts []float64)) {
				// Data after "now" has not been published yet.
				if now := s.now(); end.After(now) {
					end = now
				}
				if start.Before(end) {
					sc.Generate(idx, start, end, emit)
				}
			})
	}
}

// requestID returns a unique id for a response, in the UUID shape CloudWatch uses; the SDK
// reports it in errors and in middleware.GetRequestIDMetadata.
func (s *Server) requestID() string {
	n := s.requests.Add(1)
	return fmt.Sprintf("10ca1c10-0000-4000-8000-%012x", n)
}

// now is the server clock.
func (s *Server) now() time.Time {
	if !s.opts.Now.IsZero() {
		return s.opts.Now.UTC()
	}
	return time.Now().UTC()
}

// Calls returns how many requests the server received for operation op ("GetMetricData",
// "PutMetricData", ...), including requests that failed or were faulted.
func (s *Server) Calls(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[op]
}

// Datapoints returns how many datapoints GetMetricData and GetMetricStatistics responses carried
// so far.
func (s *Server) Datapoints() int64 { return s.datapoints.Load() }

// protocol is the wire protocol of a request.
type protocol int

const (
	rpcv2CBOR protocol = iota // aws-sdk-go-v2: POST /service/.../operation/<Op>
	awsJSON10                 // botocore (AWS CLI, boto3): POST / with X-Amz-Target
)

// route finds the operation and protocol of a request.
func route(r *http.Request) (string, protocol, bool) {
	if r.Method != http.MethodPost {
		return "", rpcv2CBOR, false
	}
	if op, ok := strings.CutPrefix(r.URL.Path, wire.PathPrefix); ok {
		return op, rpcv2CBOR, op != "" && !strings.Contains(op, "/")
	}
	if target := r.Header.Get("X-Amz-Target"); target != "" && r.URL.Path == "/" {
		op, ok := strings.CutPrefix(target, wire.JSONTargetPrefix)
		return op, awsJSON10, ok && op != ""
	}
	return "", rpcv2CBOR, false
}

// ServeHTTP serves one CloudWatch request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Amzn-RequestId", s.requestID())
	op, proto, ok := route(r)
	if !ok {
		s.writeError(w, r, proto, op, &apiError{"UnknownOperationException", "UnknownOperation", http.StatusNotFound,
			"not a CloudWatch request: want POST " + wire.PathPrefix + "<Operation> (Smithy RPC v2 CBOR) or POST / with X-Amz-Target: " + wire.JSONTargetPrefix + "<Operation> (awsJson1_0)"})
		return
	}
	s.mu.Lock()
	s.calls[op]++
	s.mu.Unlock()

	if aerr := s.faults.before(r.Context()); aerr != nil {
		s.writeError(w, r, proto, op, aerr)
		return
	}
	body, err := wire.ReadBody(r.Body, r.Header.Get("Content-Encoding"))
	if errors.Is(err, wire.ErrBodyTooLarge) {
		s.writeError(w, r, proto, op, tooLarge())
		return
	}
	if err != nil {
		s.writeError(w, r, proto, op, malformed(err))
		return
	}
	decode := wire.Decode
	if proto == awsJSON10 {
		decode = wire.DecodeJSON
	}
	out, err := s.dispatch(r.Context(), op, body, decode)
	if err != nil && r.Context().Err() != nil {
		// The client went away (nothing reads the answer) or the write deadline passed.
		s.writeError(w, r, proto, op, requestCanceled(r.Context()))
		return
	}
	if err != nil {
		s.writeError(w, r, proto, op, asAPIError(err))
		return
	}
	var b []byte
	h := w.Header()
	if proto == awsJSON10 {
		b, err = wire.EncodeJSON(out)
		h.Set("Content-Type", "application/x-amz-json-1.0")
	} else {
		b, err = wire.Encode(out)
		h.Set("Smithy-Protocol", "rpc-v2-cbor")
		h.Set("Content-Type", "application/cbor")
	}
	if err != nil {
		s.writeError(w, r, proto, op, internalFault("encode response: %v", err))
		return
	}
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

// dispatch decodes the input of op, runs its handler and returns the output to encode. Long
// computations stop when ctx is done.
func (s *Server) dispatch(ctx context.Context, op string, body []byte, decode func([]byte, any) error) (any, error) {
	if out, err, ok := s.dispatchAlarm(op, body, decode); ok {
		return out, err
	}
	switch op {
	case "PutMetricData":
		var in wire.PutMetricDataInput
		if err := decode(body, &in); err != nil {
			return nil, malformed(err)
		}
		return s.putMetricData(&in)
	case "ListMetrics":
		var in wire.ListMetricsInput
		if err := decode(body, &in); err != nil {
			return nil, malformed(err)
		}
		return s.listMetrics(&in)
	case "GetMetricData":
		var in wire.GetMetricDataInput
		if err := decode(body, &in); err != nil {
			return nil, malformed(err)
		}
		return s.getMetricData(ctx, &in)
	case "GetMetricStatistics":
		var in wire.GetMetricStatisticsInput
		if err := decode(body, &in); err != nil {
			return nil, malformed(err)
		}
		return s.getMetricStatistics(&in)
	}
	return nil, unknownOperation(op)
}

// writeError is the one place that turns an apiError into the error response the SDK decodes
// into a typed error: a CBOR map with __type and the message under the shape's message key, the
// HTTP status, and X-Amzn-Query-Error with the classic code.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, proto protocol, op string, e *apiError) {
	if s.opts.Logf != nil {
		s.opts.Logf("%s %s: %d %s: %s", r.Method, op, e.Status, e.Code, e.Message)
	}
	h := w.Header()
	h.Set("X-Amzn-Query-Error", e.Code+";"+e.fault())
	if proto == awsJSON10 {
		h.Set("Content-Type", "application/x-amz-json-1.0")
		w.WriteHeader(e.Status)
		w.Write(wire.ErrorBodyJSON(e.Shape, e.messageKey(), e.Message))
		return
	}
	h.Set("Smithy-Protocol", "rpc-v2-cbor")
	h.Set("Content-Type", "application/cbor")
	w.WriteHeader(e.Status)
	w.Write(wire.ErrorBody(e.Shape, e.messageKey(), e.Message))
}
