package localcw_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"

	"github.com/cwnb/cwnb/cwnb/localcw"
)

// FuzzRequest feeds arbitrary bodies to every operation: the server must never panic and must
// answer 200 or a clean 4xx with a CBOR error body. The seed corpus runs in go test.
func FuzzRequest(f *testing.F) {
	ops := []string{"PutMetricData", "ListMetrics", "GetMetricData", "GetMetricStatistics", "Nope"}
	tag := func(t time.Time) cbor.Tag { return cbor.Tag{Number: 1, Content: float64(t.UnixMilli()) / 1e3} }
	seeds := []any{
		map[string]any{"Namespace": "T", "MetricData": []any{map[string]any{"MetricName": "M", "Value": 1.0, "Timestamp": tag(now.Add(-time.Minute))}}},
		map[string]any{"Namespace": "T", "MetricData": []any{map[string]any{"MetricName": "M", "Values": []any{1.0, 2.0}, "Counts": []any{3.0, 4.0}}}},
		map[string]any{"Namespace": "T", "Dimensions": []any{map[string]any{"Name": "A"}}},
		map[string]any{"StartTime": tag(now.Add(-time.Hour)), "EndTime": tag(now), "MetricDataQueries": []any{
			map[string]any{"Id": "m", "MetricStat": map[string]any{"Metric": map[string]any{"Namespace": "T", "MetricName": "M"}, "Period": 60, "Stat": "p99"}},
			map[string]any{"Id": "e", "Expression": "SUM(METRICS())*2"},
		}},
		map[string]any{"StartTime": tag(time.Unix(0, 0)), "EndTime": tag(now.Add(1000 * time.Hour)), "MetricDataQueries": []any{
			map[string]any{"Id": "s", "Expression": "SEARCH('{T} M', 'Average', 1)"}}},
		map[string]any{"Namespace": "T", "MetricName": "M", "StartTime": tag(now.Add(-time.Hour)), "EndTime": tag(now), "Period": 60, "Statistics": []any{"Average"}, "ExtendedStatistics": []any{"p50"}},
		map[string]any{"NextToken": "Z21kMTp4OjE"},
		// Issue 11: a statistic set with Minimum = Maximum and another Sum, negative values, and
		// dynamic labels with LabelOptions.
		map[string]any{"Namespace": "T", "MetricData": []any{
			map[string]any{"MetricName": "M", "StatisticValues": map[string]any{"SampleCount": 3.0, "Sum": 100.0, "Minimum": 5.0, "Maximum": 5.0}},
			map[string]any{"MetricName": "M", "Values": []any{-5.0, 1.0}}}},
		map[string]any{"StartTime": tag(now.Add(-time.Hour)), "EndTime": tag(now), "LabelOptions": map[string]any{"Timezone": "-0130"},
			"MetricDataQueries": []any{map[string]any{"Id": "m", "Label": "${MAX} ${MAX_TIME} ${FIRST_TIME_RELATIVE} ${DATAPOINT_COUNT} ${",
				"MetricStat": map[string]any{"Metric": map[string]any{"Namespace": "T", "MetricName": "M"}, "Period": 60, "Stat": "PR(:2)"}}}},
	}
	for i, s := range seeds {
		b, err := cbor.Marshal(s)
		if err != nil {
			f.Fatal(err)
		}
		for j := range ops {
			f.Add(uint8(j), b)
		}
		f.Add(uint8(i), b[:len(b)/2])
	}
	f.Add(uint8(0), []byte{})
	f.Add(uint8(128), []byte(`{"Namespace":"T","MetricData":[{"MetricName":"M","Value":1}]}`))
	f.Add(uint8(130), []byte(`{"StartTime":1795129200,"EndTime":1795132800,"MetricDataQueries":[{"Id":"e","Expression":"SEARCH('T', 'p99', 60)"}]}`))
	f.Add(uint8(131), []byte(`{"Period": 1e400, "Statistics": [null]}`))
	f.Add(uint8(2), []byte{0xbf, 0xff})
	f.Add(uint8(2), []byte{0x9f, 0x9f, 0x9f, 0x9f})
	f.Add(uint8(1), []byte{0xc1, 0xfb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, op uint8, body []byte) {
		srv := localcw.New(localcw.Options{Now: now})
		req := httptest.NewRequest(http.MethodPost, opPath+ops[int(op)%len(ops)], bytes.NewReader(body))
		if op >= 128 { // the same bytes through the awsJson1_0 protocol of botocore
			req = httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
			req.Header.Set("X-Amz-Target", "GraniteServiceVersion20100801."+ops[int(op)%len(ops)])
		}
		rec := httptest.NewRecorder()
		began := time.Now()
		srv.ServeHTTP(rec, req)
		if d := time.Since(began); d > 3*time.Second {
			t.Fatalf("request took %v: body % x", d, body)
		}
		if rec.Code != 200 && (rec.Code < 400 || rec.Code >= 500) {
			t.Fatalf("status %d for body % x: %s", rec.Code, body, rec.Body.Bytes())
		}
		var m map[string]any
		if op >= 128 {
			if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
				t.Fatalf("response is not a JSON object: %v", err)
			}
		} else if err := cbor.Unmarshal(rec.Body.Bytes(), &m); err != nil {
			t.Fatalf("response is not a CBOR map: %v", err)
		}
		if rec.Code != 200 && m["__type"] == nil {
			t.Fatalf("error response without __type: %v", m)
		}
	})
}
