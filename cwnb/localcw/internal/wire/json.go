package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/fxamacker/cbor/v2"
)

// The awsJson1_0 protocol is what botocore (the AWS CLI, boto3) sends to CloudWatch: POST / with
// X-Amz-Target: GraniteServiceVersion20100801.<Op>, Content-Type application/x-amz-json-1.0,
// the same member names as CBOR, and timestamps as epoch seconds. It is served through the CBOR
// codec: JSON is turned into the equivalent CBOR data model (numbers that are integers become
// CBOR integers, so they decode into integer members; timestamps stay numbers, which decode
// into time.Time) and back.

// JSONTargetPrefix is the X-Amz-Target prefix of CloudWatch operations.
const JSONTargetPrefix = "GraniteServiceVersion20100801."

// DecodeJSON decodes an awsJson1_0 request body into v.
func DecodeJSON(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return fmt.Errorf("malformed JSON request body: %w", err)
	}
	if _, ok := generic.(map[string]any); !ok {
		return fmt.Errorf("malformed JSON request body: want an object")
	}
	b, err := encMode.Marshal(fromJSON(generic))
	if err != nil {
		return fmt.Errorf("malformed JSON request body: %w", err)
	}
	return Decode(b, v)
}

func fromJSON(v any) any {
	switch x := v.(type) {
	case json.Number:
		if n, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return n
		}
		f, _ := strconv.ParseFloat(string(x), 64)
		return f
	case map[string]any:
		for k, e := range x {
			x[k] = fromJSON(e)
		}
	case []any:
		for i, e := range x {
			x[i] = fromJSON(e)
		}
	}
	return v
}

// EncodeJSON encodes a response body for awsJson1_0: the CBOR encoding turned into JSON, with
// timestamps as epoch seconds.
func EncodeJSON(v any) ([]byte, error) {
	b, err := Encode(v)
	if err != nil {
		return nil, err
	}
	var generic any
	if err := decMode.Unmarshal(b, &generic); err != nil {
		return nil, err
	}
	return json.Marshal(toJSON(generic))
}

func toJSON(v any) any {
	switch x := v.(type) {
	case time.Time:
		return json.Number(strconv.FormatFloat(float64(x.UnixMilli())/1e3, 'f', -1, 64))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprint(k)] = toJSON(e)
		}
		return m
	case map[string]any:
		for k, e := range x {
			x[k] = toJSON(e)
		}
	case []any:
		for i, e := range x {
			x[i] = toJSON(e)
		}
	case cbor.Tag:
		return toJSON(x.Content)
	}
	return v
}

// ErrorBodyJSON encodes the JSON body of an awsJson1_0 error response.
func ErrorBodyJSON(shape, messageKey, message string) []byte {
	b, _ := json.Marshal(map[string]string{"__type": shape, messageKey: message})
	return b
}
