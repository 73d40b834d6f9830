package localcw_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/fxamacker/cbor/v2"

	"github.com/cwnb/cwnb/cwnb/localcw"
)

const opPath = "/service/GraniteServiceVersion20100801/operation/"

// post sends a raw CBOR body to the handler and decodes the response into a generic map.
func post(t *testing.T, srv http.Handler, op string, body []byte, header ...string) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, opPath+op, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/cbor")
	req.Header.Set("Smithy-Protocol", "rpc-v2-cbor")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	var m map[string]any
	if err := cbor.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("%s: response body is not a CBOR map: %v (% x)", op, err, rec.Body.Bytes())
	}
	return rec, m
}

// Indefinite-length maps and arrays as the SDK sends them, and definite ones as older SDKs did,
// timestamps as tagged floats and integers.
func TestDefiniteAndIndefiniteCBOR(t *testing.T) {
	srv := localcw.New(localcw.Options{Now: now})
	ts := float64(now.Add(-time.Minute).UnixMilli()) / 1e3
	// {"Namespace": "T", "MetricData": [{"MetricName": "M", "Value": 1.5, "Timestamp": 1(ts)}]}
	var indef bytes.Buffer
	indef.Write([]byte{0xbf})
	indef.Write(mustCBOR(t, "Namespace"))
	indef.Write(mustCBOR(t, "T"))
	indef.Write(mustCBOR(t, "MetricData"))
	indef.Write([]byte{0x9f, 0xbf})
	indef.Write(mustCBOR(t, "MetricName"))
	indef.Write([]byte{0x7f, 0x61, 'M', 0xff}) // an indefinite text string
	indef.Write(mustCBOR(t, "Value"))
	indef.Write(mustCBOR(t, 1.5))
	indef.Write(mustCBOR(t, "Timestamp"))
	indef.Write(mustCBOR(t, cbor.Tag{Number: 1, Content: ts}))
	indef.Write([]byte{0xff, 0xff, 0xff})
	if rec, m := post(t, srv, "PutMetricData", indef.Bytes()); rec.Code != 200 {
		t.Fatalf("indefinite body: status %d %v", rec.Code, m)
	}
	def := mustCBOR(t, map[string]any{"Namespace": "T", "MetricData": []any{
		map[string]any{"MetricName": "M", "Value": 2, "Timestamp": cbor.Tag{Number: 1, Content: now.Add(-time.Minute).Unix()}},
	}})
	if rec, m := post(t, srv, "PutMetricData", def); rec.Code != 200 {
		t.Fatalf("definite body: status %d %v", rec.Code, m)
	}
	rec, m := post(t, srv, "GetMetricData", mustCBOR(t, map[string]any{
		"StartTime": cbor.Tag{Number: 1, Content: float64(now.Add(-time.Hour).Unix())},
		"EndTime":   cbor.Tag{Number: 1, Content: now.Unix()},
		"MetricDataQueries": []any{map[string]any{"Id": "m", "MetricStat": map[string]any{
			"Metric": map[string]any{"Namespace": "T", "MetricName": "M"}, "Period": 60, "Stat": "Sum"}}},
	}))
	if rec.Code != 200 || rec.Header().Get("Smithy-Protocol") != "rpc-v2-cbor" || rec.Header().Get("Content-Type") != "application/cbor" {
		t.Fatalf("GetMetricData: status %d, headers %v", rec.Code, rec.Header())
	}
	// Timestamps must come back tagged (the SDK refuses untagged ones).
	var raw struct {
		MetricDataResults []struct {
			Timestamps []cbor.RawTag
			Values     []float64
		}
	}
	if err := cbor.Unmarshal(rec.Body.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	r := raw.MetricDataResults[0]
	if len(r.Timestamps) != 1 || r.Timestamps[0].Number != 1 || len(r.Values) != 1 || r.Values[0] != 3.5 {
		t.Fatalf("result %+v (%v), want one tag-1 timestamp with Sum 3.5", r, m)
	}
}

func mustCBOR(t *testing.T, v any) []byte {
	t.Helper()
	b, err := cbor.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestErrorResponseShape(t *testing.T) {
	srv := localcw.New(localcw.Options{Now: now})
	tests := []struct {
		name, op   string
		body       []byte
		status     int
		typ, query string
		messageKey string
	}{
		{"missing parameter", "PutMetricData", mustCBOR(t, map[string]any{}), 400, "MissingRequiredParameterException", "MissingParameter;Sender", "message"},
		{"invalid value", "PutMetricData", mustCBOR(t, map[string]any{"Namespace": "AWS/X", "MetricData": []any{}}), 400, "InvalidParameterValueException", "InvalidParameterValue;Sender", "message"},
		{"malformed CBOR", "GetMetricData", []byte{0xbf, 0x61}, 400, "SerializationException", "MalformedInput;Sender", "message"},
		{"unknown operation", "DescribeAnomalyDetectors", mustCBOR(t, map[string]any{}), 400, "UnknownOperationException", "UnknownOperation;Sender", "message"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, m := post(t, srv, tt.op, tt.body)
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
			if m["__type"] != tt.typ {
				t.Errorf("__type %v, want %s", m["__type"], tt.typ)
			}
			if msg, _ := m[tt.messageKey].(string); msg == "" {
				t.Errorf("body %v has no %q", m, tt.messageKey)
			}
			if got := rec.Header().Get("X-Amzn-Query-Error"); got != tt.query {
				t.Errorf("X-Amzn-Query-Error %q, want %q", got, tt.query)
			}
		})
	}
}

// TestGzipBodies checks that the bodies really arrive gzip-compressed: a client from
// cloudwatch.New compresses every PutMetricData; one from config.LoadDefaultConfig only above
// 10,240 bytes (aws-sdk-go-v2 service/cloudwatch api_op_PutMetricData.go, RequestCompression).
func TestGzipBodies(t *testing.T) {
	srv := localcw.New(localcw.Options{Now: now})
	var mu sync.Mutex
	var encodings []string
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/PutMetricData") {
			mu.Lock()
			encodings = append(encodings, r.Header.Get("Content-Encoding"))
			mu.Unlock()
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	small := minutely(1, "M", func(int) float64 { return 1 })
	big := minutely(600, "M", func(i int) float64 { return float64(i) })

	clients := []struct {
		name string
		c    *cloudwatch.Client
		want []string
	}{
		{"cloudwatch.New", newClient(hs.URL), []string{"gzip", "gzip"}},
		{"config.LoadDefaultConfig", configClient(t, hs.URL), []string{"", "gzip"}},
	}
	for _, cl := range clients {
		t.Run(cl.name, func(t *testing.T) {
			encodings = nil
			put(t, cl.c, "Test/Gzip", small)
			put(t, cl.c, "Test/Gzip", big)
			if strings.Join(encodings, ",") != strings.Join(cl.want, ",") {
				t.Errorf("Content-Encoding of small and big bodies: %q, want %q", encodings, cl.want)
			}
		})
	}
	out, err := newClient(hs.URL).GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(now.Add(-11 * time.Hour)), EndTime: aws.Time(now),
		MetricDataQueries: []types.MetricDataQuery{{Id: aws.String("m"), MetricStat: metricStat("Test/Gzip", "M", 11*3600, "SampleCount")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	// 2 clients × (1 + 600) datums; the windows of the two clients coincide.
	if v := out.MetricDataResults[0].Values; len(v) != 1 || v[0] != 2*601 {
		t.Errorf("SampleCount over 11 hours = %v, want [1202]: gzip bodies were lost", v)
	}
}

func newClient(url string) *cloudwatch.Client {
	return cloudwatch.New(cloudwatch.Options{Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: aws.AnonymousCredentials{}})
}
