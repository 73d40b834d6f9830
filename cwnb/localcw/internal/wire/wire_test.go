package wire

import (
	"bytes"
	"compress/gzip"
	"math"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/google/go-cmp/cmp"
)

func TestReadBody(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("hello"))
	zw.Close()
	tests := []struct {
		name, encoding string
		body           []byte
		want           string
		wantErr        bool
	}{
		{"identity", "", []byte("hello"), "hello", false},
		{"gzip", "gzip", gz.Bytes(), "hello", false},
		{"gzip upper case", "GZIP", gz.Bytes(), "hello", false},
		{"not gzip", "gzip", []byte("hello"), "", true},
		{"unknown encoding", "br", []byte("hello"), "", true},
		{"too large", "", make([]byte, MaxBodyBytes+1), "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadBody(bytes.NewReader(tt.body), tt.encoding)
			if (err != nil) != tt.wantErr || (err == nil && string(got) != tt.want) {
				t.Errorf("ReadBody = %q, %v; want %q, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// The SDK sends a float64 of epoch seconds cut to milliseconds, which the float cannot always
// hold exactly: Decode rounds to the millisecond.
func TestDecodeRoundsTimestamps(t *testing.T) {
	want := time.Date(2026, 11, 20, 11, 59, 59, 123_000_000, time.UTC)
	sec := float64(want.UnixMilli()) / 1e3
	for _, v := range []float64{sec, math.Nextafter(sec, 0), math.Nextafter(sec, math.Inf(1))} {
		b, _ := cbor.Marshal(map[string]any{"StartTime": cbor.Tag{Number: 1, Content: v}, "EndTime": cbor.Tag{Number: 1, Content: int64(1)}})
		var in GetMetricDataInput
		if err := Decode(b, &in); err != nil {
			t.Fatal(err)
		}
		if !in.StartTime.Equal(want) || in.StartTime.Location() != time.UTC {
			t.Errorf("StartTime %v, want %v", in.StartTime, want)
		}
		if !in.EndTime.Equal(time.Unix(1, 0)) {
			t.Errorf("EndTime %v", in.EndTime)
		}
	}
}

// The hand-written GetMetricData encoder gives what a generic CBOR decoder reads as the
// model's shape.
func TestGetMetricDataEncoding(t *testing.T) {
	tok := "next"
	out := &GetMetricDataOutput{
		MetricDataResults: []MetricDataResult{
			{Id: "m1", Label: "Latency", TimestampsMs: []int64{1_795_132_800_000, 1_795_132_800_500, -1000}, Values: []float64{1.5, 0, -2}, StatusCode: "PartialData",
				Messages: []MessageData{{Code: "MultipleUnits", Value: "x"}}},
			{Id: "e", Label: "", TimestampsMs: nil, Values: nil, StatusCode: "Complete"},
		},
		NextToken: &tok,
		Messages:  []MessageData{{Code: "MaxQueryResultsExceeded", Value: "y"}},
	}
	b, err := out.MarshalCBOR()
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := cbor.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"MetricDataResults": []any{
			map[any]any{"Id": "m1", "Label": "Latency",
				"Timestamps": []any{time.Unix(1_795_132_800, 0), time.UnixMilli(1_795_132_800_500), time.Unix(-1, 0)},
				"Values":     []any{1.5, 0.0, -2.0}, "StatusCode": "PartialData",
				"Messages": []any{map[any]any{"Code": "MultipleUnits", "Value": "x"}}},
			map[any]any{"Id": "e", "Label": "", "Timestamps": []any{}, "Values": []any{}, "StatusCode": "Complete"},
		},
		"NextToken": "next",
		"Messages":  []any{map[any]any{"Code": "MaxQueryResultsExceeded", "Value": "y"}},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
