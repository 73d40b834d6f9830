// Package wire is the codec layer of the local CloudWatch: it turns Smithy RPC v2 CBOR request
// bodies into plain Go structs and plain Go structs into CBOR response and error bodies, exactly as
// github.com/aws/aws-sdk-go-v2/service/cloudwatch v1.75.x (smithy-go's rpcv2 protocol) sends and
// expects them.
//
// Member names are the PascalCase names of the service model (schemas/schemas.go in the SDK).
// Requests may use definite or indefinite lengths; timestamps are CBOR tag 1 around an integer or a
// float of epoch seconds and are rounded to the millisecond. Responses tag every timestamp (tag 1,
// an integer for whole seconds) and write integer members as CBOR integers, which the SDK requires.
package wire

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	"github.com/fxamacker/cbor/v2"
)

// PathPrefix is the path prefix of every operation; the operation name follows it.
const PathPrefix = "/service/GraniteServiceVersion20100801/operation/"

// MaxBodyBytes bounds a request body after decompression. The real service accepts 1 MB for
// PutMetricData; a little headroom keeps a client's envelope from tripping it.
const MaxBodyBytes = 2 << 20

// ErrBodyTooLarge reports a request body above MaxBodyBytes.
var ErrBodyTooLarge = errors.New("request body is larger than 2 MiB")

var (
	decMode cbor.DecMode
	encMode cbor.EncMode
)

func init() {
	var err error
	decMode, err = cbor.DecOptions{
		DupMapKey:         cbor.DupMapKeyQuiet,
		TimeTag:           cbor.DecTagOptional,
		MaxNestedLevels:   16,
		MaxArrayElements:  200_000,
		MaxMapPairs:       10_000,
		IndefLength:       cbor.IndefLengthAllowed,
		DefaultMapType:    reflect.TypeOf(map[string]any(nil)),
		FieldNameMatching: cbor.FieldNameMatchingPreferCaseSensitive,
	}.DecMode()
	if err != nil {
		panic("cwnb: cbor decoder options: " + err.Error())
	}
	encMode, err = cbor.EncOptions{
		Time:       cbor.TimeUnixDynamic,
		TimeTag:    cbor.EncTagRequired,
		NaNConvert: cbor.NaNConvertNone,
		InfConvert: cbor.InfConvertNone,
	}.EncMode()
	if err != nil {
		panic("cwnb: cbor encoder options: " + err.Error())
	}
}

// ReadBody reads a request body, gunzipping it when contentEncoding says gzip, and bounds its size.
func ReadBody(r io.Reader, contentEncoding string) ([]byte, error) {
	for _, enc := range strings.Split(contentEncoding, ",") {
		switch strings.TrimSpace(strings.ToLower(enc)) {
		case "", "identity":
		case "gzip":
			zr, err := gzip.NewReader(r)
			if err != nil {
				return nil, fmt.Errorf("gzip request body: %w", err)
			}
			defer zr.Close()
			r = zr
		default:
			return nil, fmt.Errorf("unsupported Content-Encoding %q; send identity or gzip", enc)
		}
	}
	b, err := io.ReadAll(io.LimitReader(r, MaxBodyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read request body: %w", err)
	}
	if len(b) > MaxBodyBytes {
		return nil, ErrBodyTooLarge
	}
	return b, nil
}

// Decode decodes a CBOR request body into v (a pointer to one of the *Input types). An empty body
// is an input with no members. Timestamps are rounded to the millisecond afterwards by the
// Input types' Normalize methods, which Decode calls.
func Decode(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if err := decMode.Unmarshal(body, v); err != nil {
		return fmt.Errorf("malformed CBOR request body: %w", err)
	}
	if n, ok := v.(interface{ normalize() }); ok {
		n.normalize()
	}
	return nil
}

// Encode encodes a response body.
func Encode(v any) ([]byte, error) {
	if m, ok := v.(cbor.Marshaler); ok {
		return m.MarshalCBOR() // no copy through the generic encoder's buffer
	}
	return encMode.Marshal(v)
}

// ErrorBody encodes the CBOR body of an error response: `__type` is the shape name and the
// message goes under messageKey ("message" or "Message", as the shape's model says).
func ErrorBody(shape, messageKey, message string) []byte {
	b, err := encMode.Marshal(map[string]string{"__type": shape, messageKey: message})
	if err != nil {
		panic("cwnb: encode error body: " + err.Error())
	}
	return b
}

// ms rounds a decoded timestamp to the millisecond (the SDK cuts to milliseconds before sending a
// float, which the float may not hold exactly) and puts it in UTC.
func ms(t *time.Time) {
	if t != nil && !t.IsZero() {
		*t = t.Round(time.Millisecond).UTC()
	}
}
