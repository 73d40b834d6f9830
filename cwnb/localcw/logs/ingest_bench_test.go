//go:build unix

package logs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"
)

// BenchmarkIngest is PutLogEvents on the server alone: a pre-encoded batch of 10,000 JSON events
// through ServeHTTP (decode, validate, discover fields, store, EMF check), no client or network.
func BenchmarkIngest(b *testing.B) {
	now := time.Date(2026, 11, 20, 0, 30, 0, 0, time.UTC)
	s := New(Options{Now: now})
	s.createLogGroup(&createLogGroupInput{LogGroupName: "/b"})
	s.createLogStream(&createLogStreamInput{LogGroupName: "/b", LogStreamName: "s"})
	const size = 10000
	t0 := now.Add(-13 * 24 * time.Hour).UnixMilli()
	var bodies [][]byte
	n := 0
	body := func() []byte {
		type ev struct {
			Message   string `json:"message"`
			Timestamp int64  `json:"timestamp"`
		}
		in := struct {
			G  string `json:"logGroupName"`
			S  string `json:"logStreamName"`
			Ev []ev   `json:"logEvents"`
		}{G: "/b", S: "s"}
		for range size {
			in.Ev = append(in.Ev, ev{fmt.Sprintf(`{"endpoint":"/cart","status":200,"latency":%d.5,"customer":"c-%02d"}`, n%997, n%40), t0 + int64(n)})
			n++
		}
		b, _ := json.Marshal(in)
		return b
	}
	b.ReportAllocs()
	var cpu time.Duration
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		if i == len(bodies) {
			bodies = append(bodies, body())
		}
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(bodies[i]))
		req.Header.Set("X-Amz-Target", TargetPrefix+"PutLogEvents")
		w := httptest.NewRecorder()
		c0 := processCPU()
		b.StartTimer()
		s.ServeHTTP(w, req)
		b.StopTimer()
		cpu += processCPU() - c0
		b.StartTimer()
		if w.Code != 200 {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
	b.ReportMetric(float64(size)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(size)*float64(b.N)/cpu.Seconds(), "events/cpu-s")
}

// processCPU is the process's user+system CPU time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
