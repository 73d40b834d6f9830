package localcw_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cwnb/cwnb/cwnb/localcw"
)

// postJSON sends an awsJson1_0 request as botocore (the AWS CLI, boto3) does.
func postJSON(t *testing.T, srv http.Handler, op, body string) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	req.Header.Set("X-Amz-Target", "GraniteServiceVersion20100801."+op)
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amzn-Query-Mode", "true")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("%s: response is not a JSON object: %v: %s", op, err, rec.Body.String())
	}
	return rec, m
}

func TestAWSJSONProtocol(t *testing.T) {
	srv := localcw.New(localcw.Options{Now: now})
	ts := float64(now.Unix() - 90)
	body, _ := json.Marshal(map[string]any{"Namespace": "T", "MetricData": []any{
		map[string]any{"MetricName": "M", "Timestamp": ts, "Values": []any{1, 2.5}, "Counts": []any{2, 1}, "StorageResolution": 60},
	}})
	if rec, m := postJSON(t, srv, "PutMetricData", string(body)); rec.Code != 200 {
		t.Fatalf("PutMetricData: %d %v", rec.Code, m)
	}
	q, _ := json.Marshal(map[string]any{"StartTime": now.Unix() - 3600, "EndTime": now.Unix(), "MetricDataQueries": []any{
		map[string]any{"Id": "m", "MetricStat": map[string]any{"Metric": map[string]any{"Namespace": "T", "MetricName": "M"}, "Period": 60, "Stat": "Sum"}},
	}})
	rec, m := postJSON(t, srv, "GetMetricData", string(q))
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/x-amz-json-1.0" {
		t.Fatalf("GetMetricData: %d %v %v", rec.Code, rec.Header(), m)
	}
	r := m["MetricDataResults"].([]any)[0].(map[string]any)
	wantT := float64(now.Unix() - 120)
	if ts := r["Timestamps"].([]any); len(ts) != 1 || ts[0].(float64) != wantT {
		t.Errorf("Timestamps %v, want [%v] (epoch seconds)", ts, wantT)
	}
	if vs := r["Values"].([]any); len(vs) != 1 || vs[0].(float64) != 4.5 {
		t.Errorf("Values %v, want [4.5]", vs)
	}

	rec, m = postJSON(t, srv, "PutMetricData", `{"MetricData": []}`)
	if rec.Code != 400 || m["__type"] != "MissingRequiredParameterException" || m["message"] == nil ||
		rec.Header().Get("X-Amzn-Query-Error") != "MissingParameter;Sender" {
		t.Errorf("error: %d %v %v", rec.Code, rec.Header(), m)
	}
	if rec, m := postJSON(t, srv, "GetMetricData", `{"StartTime": "yesterday"`); rec.Code != 400 || m["__type"] == nil {
		t.Errorf("malformed JSON: %d %v", rec.Code, m)
	}
}
