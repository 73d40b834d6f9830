package scenario

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"time"
)

// LogGroup is a log group a scenario writes: its request or platform log lines, generated on
// demand like the metrics, from the same per-minute samples, so that the logs and the metrics
// tell the same story to the last request.
type LogGroup struct {
	Name    string
	Streams []string
	// Generate calls emit for every event with a timestamp in [start, end), in ascending
	// timestamp order (events of a millisecond in a fixed order), until emit returns false.
	// The message buffer is reused after emit returns.
	Generate func(start, end time.Time, emit func(ms int64, stream string, message []byte) bool)
	// EMF, when not nil, is Generate restricted to the group's Embedded Metric Format
	// documents (the same events, byte for byte, in the same order): a server turns them into
	// metrics without producing every other line.
	EMF func(start, end time.Time, emit func(ms int64, stream string, message []byte) bool)
	// EMFMetrics are the metrics the EMF documents create: a server that extracts them serves
	// these from the documents rather than from the scenario's own generator.
	EMFMetrics []Metric
}

// APILogGroup is the log group of the api scenario's request log.
const APILogGroup = "/myservice/api"

// LambdaLogGroupPrefix is the prefix of the lambda scenario's log groups (one per function).
const LambdaLogGroupPrefix = "/aws/lambda/"

// LogGroups returns the log groups scenario sc writes, or nil when it writes none.
//
// api writes /myservice/api: one JSON line per request with the request's fields {"Service",
// "Endpoint", "requestId", "status", "Latency" (ms), "RequestCount" (1), "5XXError" (0 or 1),
// "customer", "shard"}; and, as a service using an EMF client library does, at the end of
// every minute its metrics flush: per endpoint, Embedded Metric Format documents whose
// "Latency" is an array of the latencies of that minute's requests (at most 100 per document,
// the specification's limit), declared for the dimension sets {Endpoint, Service} and
// {Service}, stamped (_aws.Timestamp) at the start of the minute; then one document per
// endpoint ({Endpoint, Service}) and one for the service ({Service}) with the minute's
// "RequestCount" and "5XXError" counts. Extracting them gives exactly the samples of the
// scenario's MyService/API Latency, RequestCount and 5XXError metrics (EMFMetrics): a server
// serves those metrics from the documents. Plus the backup job's own lines at :00 and :05 of
// every hour ({"job":"backup", "event":"start"|"done", "shard":"s2"}). The backup locks shard
// s2: the requests it makes slow are requests of s2's customers.
//
// One document per request would be the other faithful design, but a week of it is 20 million
// documents to extract; a minute's flush of arrays carries the same samples in about a
// hundredth of the documents.
//
// lambda writes /aws/lambda/<function>: START, END and REPORT lines per invocation with the
// durations of the AWS/Lambda Duration metric, and an ERROR line for each of the minute's
// Errors (after the bad deploy: "TypeError: Cannot read properties of undefined"). A cold
// start's REPORT line carries its "Init Duration" (Insights' @initDuration), part of its Duration.
func LogGroups(sc Scenario) []LogGroup {
	switch sc.Name() {
	case "api":
		return []LogGroup{apiLogs(sc)}
	case "lambda":
		var out []LogGroup
		for _, fn := range []string{"orders-api", "thumbnailer"} {
			out = append(out, lambdaLogs(sc, fn))
		}
		return out
	}
	return nil
}

// logMetricIndex returns the index of the metric called name with dimension dim=value.
func logMetricIndex(sc Scenario, name, dim, value string) int {
	for i, m := range sc.Metrics() {
		if m.Name == name && len(m.Dims) > 0 {
			for _, d := range m.Dims {
				if d.Name == dim && d.Value == value {
					return i
				}
			}
		}
	}
	panic("cwnb: scenario " + sc.Name() + " has no metric " + name + " " + dim + "=" + value)
}

// minuteSamples returns the samples of metric m in the minute at sec, expanded: one value per
// request.
func minuteSamples(sc Scenario, m int, sec int64, out []float64) []float64 {
	t := time.Unix(sec, 0)
	sc.Generate(m, t, t.Add(time.Minute), func(_ time.Time, values, counts []float64) {
		for i, v := range values {
			c := 1.0
			if counts != nil {
				c = counts[i]
			}
			for range int(math.Round(c)) {
				out = append(out, v)
			}
		}
	})
	return out
}

func minuteValue(sc Scenario, m int, sec int64) float64 {
	var s float64
	t := time.Unix(sec, 0)
	sc.Generate(m, t, t.Add(time.Minute), func(_ time.Time, values, _ []float64) {
		for _, v := range values {
			s += v
		}
	})
	return s
}

// apiCustomers are the api's customers; customer i lives on shard s(i mod 4).
const apiCustomers = 40

// request is one generated request of a minute.
type request struct {
	ep      int
	latency float64
	status  int
	cust    int
}

func apiLogs(sc Scenario) LogGroup {
	eps := apiEndpoints[:]
	lat := make([]int, len(eps))
	errs := make([]int, len(eps))
	// the counts the minute's flush documents carry: RequestCount and 5XXError of each
	// endpoint, then of the service (dimension Service only)
	var counts [2][len(apiEndpoints) + 1]int
	for i, e := range eps {
		lat[i] = logMetricIndex(sc, "Latency", "Endpoint", e)
		errs[i] = logMetricIndex(sc, "5XXError", "Endpoint", e)
		counts[0][i] = logMetricIndex(sc, "RequestCount", "Endpoint", e)
		counts[1][i] = errs[i]
	}
	for i, m := range sc.Metrics() {
		if len(m.Dims) == 1 && m.Name == "RequestCount" {
			counts[0][len(eps)] = i
		} else if len(m.Dims) == 1 && m.Name == "5XXError" {
			counts[1][len(eps)] = i
		}
	}
	kShuffle := keyOf(0, "apilogs", "shuffle")
	kCust := keyOf(0, "apilogs", "customer")
	streams := []string{"checkout-1", "checkout-2", "checkout-3", "backup"}
	// gen emits the group's events; with emfOnly, only the minutes' EMF flush documents.
	gen := func(start, end time.Time, emfOnly bool, emit func(ms int64, stream string, message []byte) bool) {
		var reqs []request
		var vals []float64
		var buf []byte
		var num [len("-1.2345678901234567e-308")]byte
		var lats [3][]float64
		lo, hi := start.UnixMilli(), end.UnixMilli()
		for sec := floorDiv(start.Unix(), 60) * 60; sec*1000 < hi; sec += 60 {
			reqs = reqs[:0]
			for i := range eps {
				vals = minuteSamples(sc, lat[i], sec, vals[:0])
				lats[i] = append(lats[i][:0], vals...) // for the minute's flush
				first := len(reqs)
				for _, v := range vals {
					reqs = append(reqs, request{ep: i, latency: v, status: 200})
				}
				// the minute's 5XX: spread over the endpoint's requests
				n := len(reqs) - first
				k := int(math.Round(minuteValue(sc, errs[i], sec)))
				r := rng{at(kShuffle^uint64(i+1), sec)}
				for j := 0; j < k && n > 0; j++ {
					reqs[first+int(r.float()*float64(n))].status = 500 + 3*int(r.float()*2) // 500 or 503
				}
			}
			// a deterministic shuffle, then timestamps spread over the minute in that order
			r := rng{at(kShuffle, sec)}
			for i := len(reqs) - 1; i > 0; i-- {
				j := int(r.float() * float64(i+1))
				reqs[i], reqs[j] = reqs[j], reqs[i]
			}
			for i := range reqs {
				if emfOnly {
					break // customers are not in the metrics
				}
				u := unit(kCust, sec*100000+int64(i))
				c := int(float64(apiCustomers) * u * u) // a few big customers
				if reqs[i].latency >= slowMin {
					c = 2 + 4*int(u*float64(apiCustomers/4)) // the backup blocks shard s2
				}
				reqs[i].cust = c
			}
			base := sec * 1000
			if backupAt := minuteOfHour(sec); !emfOnly && (backupAt == 0 || backupAt == backupMinutes) {
				ev := "start"
				if backupAt == backupMinutes {
					ev = "done"
				}
				if base >= lo && base < hi {
					buf = append(buf[:0], `{"job":"backup","event":"`...)
					buf = append(buf, ev...)
					buf = append(buf, `","shard":"s2","level":"info"}`...)
					if !emit(base, "backup", buf) {
						return
					}
				}
			}
			n := int64(len(reqs))
			for i, q := range reqs {
				if emfOnly {
					break
				}
				ms := base + (int64(i)*60000+30000)/n
				if ms < lo || ms >= hi {
					continue
				}
				buf = append(buf[:0], `{"Service":"checkout","Endpoint":"`...)
				buf = append(buf, eps[q.ep]...)
				buf = append(buf, `","requestId":"`...)
				buf = appendID(buf, at(kShuffle, sec*100000+int64(i)))
				buf = append(buf, `","status":`...)
				buf = strconv.AppendInt(buf, int64(q.status), 10)
				buf = append(buf, `,"Latency":`...)
				buf = strconv.AppendFloat(buf, q.latency, 'f', -1, 64)
				if q.status >= 500 {
					buf = append(buf, `,"RequestCount":1,"5XXError":1`...)
				} else {
					buf = append(buf, `,"RequestCount":1,"5XXError":0`...)
				}
				buf = append(buf, `,"customer":"c-`...)
				buf = append(buf, byte('0'+q.cust/10), byte('0'+q.cust%10))
				buf = append(buf, `","shard":"s`...)
				buf = append(buf, byte('0'+q.cust%4))
				buf = append(buf, `"}`...)
				if !emit(ms, streams[i%3], buf) {
					return
				}
			}
			// The minute's metric flush, at its last millisecond: per endpoint, the latencies
			// of its requests (as a histogram-keeping client holds them: equal values
			// together), 100 to a document.
			if ms := base + 59999; ms >= lo && ms < hi {
				for ep, ls := range lats {
					for len(ls) > 0 {
						chunk := ls[:min(len(ls), apiEMFValues)]
						ls = ls[len(chunk):]
						buf = append(buf[:0], `{"Service":"checkout","Endpoint":"`...)
						buf = append(buf, eps[ep]...)
						buf = append(buf, `","Latency":[`...)
						text := num[:0]
						for j, v := range chunk {
							if j > 0 {
								buf = append(buf, ',')
							}
							if j == 0 || v != chunk[j-1] {
								text = strconv.AppendFloat(num[:0], v, 'f', -1, 64)
							}
							buf = append(buf, text...)
						}
						buf = append(buf, `],"_aws":{"Timestamp":`...)
						buf = strconv.AppendInt(buf, base, 10)
						buf = append(buf, apiEMFDirective...)
						buf = append(buf, '}')
						if !emit(ms, streams[ep], buf) {
							return
						}
					}
				}
				// then the minute's request and 5XX counts: one document per endpoint and
				// one for the service, each count the minute's one sample
				for j := range len(eps) + 1 {
					buf = append(buf[:0], `{"Service":"checkout",`...)
					if j < len(eps) {
						buf = append(buf, `"Endpoint":"`...)
						buf = append(buf, eps[j]...)
						buf = append(buf, `",`...)
					}
					buf = append(buf, `"RequestCount":`...)
					buf = strconv.AppendFloat(buf, minuteValue(sc, counts[0][j], sec), 'f', -1, 64)
					buf = append(buf, `,"5XXError":`...)
					buf = strconv.AppendFloat(buf, minuteValue(sc, counts[1][j], sec), 'f', -1, 64)
					buf = append(buf, `,"_aws":{"Timestamp":`...)
					buf = strconv.AppendInt(buf, base, 10)
					if j < len(eps) {
						buf = append(buf, apiEMFCountsDirective...)
					} else {
						buf = append(buf, apiEMFServiceCountsDirective...)
					}
					buf = append(buf, '}')
					if !emit(ms, streams[j%3], buf) {
						return
					}
				}
			}
		}
	}
	var emf []Metric
	for _, m := range sc.Metrics() {
		if m.Name == "Latency" || m.Name == "RequestCount" || m.Name == "5XXError" {
			emf = append(emf, m)
		}
	}
	return LogGroup{Name: APILogGroup, Streams: streams,
		Generate: func(start, end time.Time, emit func(ms int64, stream string, message []byte) bool) {
			gen(start, end, false, emit)
		},
		EMF: func(start, end time.Time, emit func(ms int64, stream string, message []byte) bool) {
			gen(start, end, true, emit)
		},
		EMFMetrics: emf}
}

// apiEMFValues is how many latencies one flush document carries at most (the EMF limit).
const apiEMFValues = 100

// apiEMFDirective is the metric directive of the api's flush documents, after their timestamp.
const apiEMFDirective = `,"CloudWatchMetrics":[{"Namespace":"` + apiNamespace + `","Dimensions":[["Endpoint","Service"],["Service"]],` +
	`"Metrics":[{"Name":"Latency","Unit":"Milliseconds"}]}]}`

// apiEndpoints are the api's endpoints, in the order of its metrics.
var apiEndpoints = [...]string{"/cart", "/items", "/pay"}

// apiEMFCountsDirective and apiEMFServiceCountsDirective are the metric directives of the api's
// per-endpoint and service-wide count documents.
const (
	apiEMFCountsDirective = `,"CloudWatchMetrics":[{"Namespace":"` + apiNamespace + `","Dimensions":[["Endpoint","Service"]],` +
		`"Metrics":[{"Name":"RequestCount","Unit":"Count"},{"Name":"5XXError","Unit":"Count"}]}]}`
	apiEMFServiceCountsDirective = `,"CloudWatchMetrics":[{"Namespace":"` + apiNamespace + `","Dimensions":[["Service"]],` +
		`"Metrics":[{"Name":"RequestCount","Unit":"Count"},{"Name":"5XXError","Unit":"Count"}]}]}`
)

const hexDigits = "0123456789abcdef"

// appendID appends a request id in UUID form drawn from k.
func appendID(buf []byte, k uint64) []byte {
	k2 := mix64(k)
	for i := range 32 {
		if i == 8 || i == 12 || i == 16 || i == 20 {
			buf = append(buf, '-')
		}
		w := k
		if i >= 16 {
			w = k2
		}
		buf = append(buf, hexDigits[(w>>(4*(i%16)))&15])
	}
	return buf
}

func lambdaLogs(sc Scenario, fn string) LogGroup {
	dur := logMetricIndex(sc, "Duration", "FunctionName", fn)
	errs := logMetricIndex(sc, "Errors", "FunctionName", fn)
	k := keyOf(0, "lambdalogs", fn)
	var f *function // for its cold starts: their REPORT lines carry Init Duration
	if st, ok := sc.(*set); ok {
		f = st.lambda[fn]
	}
	streams := make([]string, 4)
	for i := range streams {
		streams[i] = "2026/11/19/[$LATEST]" + string(appendID(nil, at(k, int64(i)))[:32])
	}
	// line is one log line of an invocation; lines of different invocations interleave, and
	// an invocation may end in the next minute, so they are merged by time across minutes.
	type line struct {
		ms, sec int64 // time; the minute the invocation started in
		kind    int   // 0 START, 1 ERROR, 2 END, 3 REPORT
		inv     int   // invocation index within its minute
		dur     float64
		init    float64 // a cold start's init duration; 0: warm
	}
	gen := func(start, end time.Time, emit func(ms int64, stream string, message []byte) bool) {
		var vals []float64
		var buf []byte
		var failed []bool
		var inits []float64
		var colds []coldInvocation
		var lines, carry []line
		lo, hi := start.UnixMilli(), end.UnixMilli()
		out := func(l line) bool {
			if l.ms < lo || l.ms >= hi {
				return true
			}
			id := appendID(nil, at(k, l.sec*100000+int64(l.inv)))
			buf = buf[:0]
			switch l.kind {
			case 0:
				buf = append(buf, "START RequestId: "...)
				buf = append(buf, id...)
				buf = append(buf, " Version: $LATEST"...)
			case 1:
				buf = time.UnixMilli(l.ms).UTC().AppendFormat(buf, "2006-01-02T15:04:05.000Z")
				buf = append(buf, '\t')
				buf = append(buf, id...)
				if fn == "orders-api" && l.sec >= LambdaBadDeploy.Unix() {
					buf = append(buf, "\tERROR\tInvoke Error \t{\"errorType\":\"TypeError\",\"errorMessage\":\"Cannot read properties of undefined (reading 'total')\"}"...)
				} else {
					buf = append(buf, "\tERROR\tInvoke Error \t{\"errorType\":\"TimeoutError\",\"errorMessage\":\"upstream timed out\"}"...)
				}
			case 2:
				buf = append(buf, "END RequestId: "...)
				buf = append(buf, id...)
			case 3:
				buf = append(buf, "REPORT RequestId: "...)
				buf = append(buf, id...)
				buf = append(buf, "\tDuration: "...)
				buf = strconv.AppendFloat(buf, math.Round(l.dur*100)/100, 'f', 2, 64)
				buf = append(buf, " ms\tBilled Duration: "...)
				buf = strconv.AppendInt(buf, int64(math.Ceil(l.dur)), 10)
				buf = append(buf, " ms\tMemory Size: 512 MB\tMax Memory Used: "...)
				buf = strconv.AppendInt(buf, 80+int64(l.inv%40), 10)
				buf = append(buf, " MB\t"...)
				if l.init > 0 {
					buf = append(buf, "Init Duration: "...)
					buf = strconv.AppendFloat(buf, math.Round(l.init*100)/100, 'f', 2, 64)
					buf = append(buf, " ms\t"...)
				}
			}
			return emit(l.ms, streams[l.inv%len(streams)], buf)
		}
		// from the minute before: its invocations may end in this window (durations < 1 min)
		for sec := floorDiv(start.Unix(), 60)*60 - 60; sec*1000 < hi; sec += 60 {
			vals = minuteSamples(sc, dur, sec, vals[:0])
			n := len(vals)
			r := rng{at(k, sec)}
			for i := n - 1; i > 0; i-- {
				j := int(r.float() * float64(i+1))
				vals[i], vals[j] = vals[j], vals[i]
			}
			failed = append(failed[:0], make([]bool, n)...)
			for e := int(math.Round(minuteValue(sc, errs, sec))); e > 0 && n > 0; e-- {
				failed[int(r.float()*float64(n))] = true
			}
			// the cold starts are the invocations with a cold start's duration (the Duration
			// metric holds them as exact values)
			inits = append(inits[:0], make([]float64, n)...)
			if f != nil {
				colds = f.coldsAt(sec, colds[:0])
				for _, c := range colds {
					for i, d := range vals {
						if d == c.total && inits[i] == 0 {
							inits[i] = c.init
							break
						}
					}
				}
			}
			base := sec * 1000
			lines = append(lines[:0], carry...)
			for i, d := range vals {
				t0 := base + int64(i)*60000/int64(n)
				t1 := t0 + int64(d)
				lines = append(lines, line{t0, sec, 0, i, d, 0})
				if failed[i] {
					lines = append(lines, line{t1, sec, 1, i, d, 0})
				}
				lines = append(lines, line{t1, sec, 2, i, d, 0}, line{t1, sec, 3, i, d, inits[i]})
			}
			slices.SortFunc(lines, func(a, b line) int {
				return cmp.Or(cmp.Compare(a.ms, b.ms), cmp.Compare(a.sec, b.sec), cmp.Compare(a.inv, b.inv), cmp.Compare(a.kind, b.kind))
			})
			carry = carry[:0]
			for _, l := range lines {
				if l.ms >= base+60000 {
					carry = append(carry, l)
					continue
				}
				if !out(l) {
					return
				}
			}
		}
		for _, l := range carry {
			if !out(l) {
				return
			}
		}
	}
	return LogGroup{Name: LambdaLogGroupPrefix + fn, Streams: streams, Generate: gen}
}
