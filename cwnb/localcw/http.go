package localcw

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// Timeouts bound how long one connection may hold the server, so that slow or stalled clients
// (a body trickled a byte at a time, a response never read) cannot pin connections and memory.
type Timeouts struct {
	// ReadHeader is the time allowed to read a request's headers.
	ReadHeader time.Duration
	// Read is the time allowed to read a whole request, headers and body.
	Read time.Duration
	// Write is the time allowed from the end of the request's headers to the end of the
	// response. The request's context ends then too, so a computation that could no longer be
	// answered stops.
	Write time.Duration
	// Idle is how long a keep-alive connection may wait for its next request.
	Idle time.Duration
}

// DefaultTimeouts are the timeouts of Run (`cwnb local`): generous for a 1 MB PutMetricData or a
// GetMetricData at the work cap (Options.MaxRequestDatapoints) on a loaded machine, short
// enough that a stalled client lets go within minutes.
var DefaultTimeouts = Timeouts{ReadHeader: 10 * time.Second, Read: time.Minute, Write: 5 * time.Minute, Idle: 2 * time.Minute}

// HTTPServer returns an http.Server that serves s with the timeouts t (a zero field takes its
// value from DefaultTimeouts). Request contexts end when the client goes away or at the write
// timeout; GetMetricData stops computing then.
func (s *Server) HTTPServer(t Timeouts) *http.Server {
	def := DefaultTimeouts
	pick := func(v, d time.Duration) time.Duration {
		if v > 0 {
			return v
		}
		return d
	}
	t = Timeouts{pick(t.ReadHeader, def.ReadHeader), pick(t.Read, def.Read), pick(t.Write, def.Write), pick(t.Idle, def.Idle)}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), t.Write)
		defer cancel()
		s.ServeHTTP(w, r.WithContext(ctx))
	})
	return &http.Server{Handler: h, ReadHeaderTimeout: t.ReadHeader, ReadTimeout: t.Read, WriteTimeout: t.Write,
		IdleTimeout: t.Idle, MaxHeaderBytes: 64 << 10}
}

// checkWork refuses a GetMetricData whose metric queries span more datapoints than
// Options.MaxRequestDatapoints, before any computation, with the message CloudWatch gives when
// GetMetricStatistics exceeds its limit (GetMetricData reports it as a ValidationError, as it
// does every request it cannot serve as written). SEARCH expressions are bounded by their 500
// series and by the request context instead.
func (s *Server) checkWork(r *request) error {
	limit := s.opts.MaxRequestDatapoints
	if limit == 0 {
		limit = DefaultMaxRequestDatapoints
	}
	if limit < 0 {
		return nil
	}
	span := r.end.Sub(r.start)
	total := int64(0)
	for _, q := range r.queries {
		if q.metric == nil || q.period <= 0 {
			continue
		}
		total += int64((span + q.period - 1) / q.period)
		if total > int64(limit) {
			break
		}
	}
	if total > int64(limit) {
		return invalidCombination("You have requested up to %d datapoints or more, which exceeds the limit of %d that this local CloudWatch computes for one request. You may reduce the datapoints requested by increasing Period, decreasing the time range, or asking for fewer metrics per call.",
			total, limit)
	}
	return nil
}

// requestCanceled is the answer to a request whose context ended: the client went away (no one
// reads it) or the write timeout passed.
func requestCanceled(ctx context.Context) *apiError {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &apiError{"ServiceUnavailable", "ServiceUnavailable", http.StatusServiceUnavailable,
			"The request took longer than the local CloudWatch's write timeout; ask for fewer datapoints per call."}
	}
	return &apiError{"RequestCanceled", "RequestCanceled", 499, "The client closed the connection before the answer was ready."}
}
