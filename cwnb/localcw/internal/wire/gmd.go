package wire

import (
	"encoding/binary"
	"math"
)

// MarshalCBOR encodes the GetMetricData output by hand: a response can hold 100,800 datapoints
// or more, and the reflection encoder spends most of its time on timestamps. Timestamps are
// written as tag 1 around an integer for whole seconds and a float64 otherwise, values as
// float64, and every map and array with a definite length.
func (o *GetMetricDataOutput) MarshalCBOR() ([]byte, error) {
	n := 64
	for _, r := range o.MetricDataResults {
		n += 64 + len(r.Id) + len(r.Label) + 20*len(r.Values)
	}
	b := make([]byte, 0, n)
	fields := 1
	if o.NextToken != nil {
		fields++
	}
	if len(o.Messages) > 0 {
		fields++
	}
	b = appendHead(b, 5, uint64(fields))
	b = appendText(b, "MetricDataResults")
	b = appendHead(b, 4, uint64(len(o.MetricDataResults)))
	for i := range o.MetricDataResults {
		r := &o.MetricDataResults[i]
		fields := 5
		if len(r.Messages) > 0 {
			fields++
		}
		b = appendHead(b, 5, uint64(fields))
		b = appendText(b, "Id")
		b = appendText(b, r.Id)
		b = appendText(b, "Label")
		b = appendText(b, r.Label)
		b = appendText(b, "Timestamps")
		b = appendHead(b, 4, uint64(len(r.TimestampsMs)))
		for _, ms := range r.TimestampsMs {
			b = append(b, 0xc1) // tag 1: epoch-based date/time
			if ms%1000 == 0 {
				b = appendInt(b, ms/1000)
			} else {
				b = appendFloat(b, float64(ms)/1e3)
			}
		}
		b = appendText(b, "Values")
		b = appendHead(b, 4, uint64(len(r.Values)))
		for _, v := range r.Values {
			b = appendFloat(b, v)
		}
		b = appendText(b, "StatusCode")
		b = appendText(b, r.StatusCode)
		if len(r.Messages) > 0 {
			b = appendText(b, "Messages")
			b = appendMessages(b, r.Messages)
		}
	}
	if o.NextToken != nil {
		b = appendText(b, "NextToken")
		b = appendText(b, *o.NextToken)
	}
	if len(o.Messages) > 0 {
		b = appendText(b, "Messages")
		b = appendMessages(b, o.Messages)
	}
	return b, nil
}

func appendMessages(b []byte, ms []MessageData) []byte {
	b = appendHead(b, 4, uint64(len(ms)))
	for _, m := range ms {
		b = appendHead(b, 5, 2)
		b = appendText(b, "Code")
		b = appendText(b, m.Code)
		b = appendText(b, "Value")
		b = appendText(b, m.Value)
	}
	return b
}

// appendHead appends the head of a CBOR data item of major type major with argument n.
func appendHead(b []byte, major byte, n uint64) []byte {
	m := major << 5
	switch {
	case n < 24:
		return append(b, m|byte(n))
	case n <= math.MaxUint8:
		return append(b, m|24, byte(n))
	case n <= math.MaxUint16:
		return binary.BigEndian.AppendUint16(append(b, m|25), uint16(n))
	case n <= math.MaxUint32:
		return binary.BigEndian.AppendUint32(append(b, m|26), uint32(n))
	}
	return binary.BigEndian.AppendUint64(append(b, m|27), n)
}

func appendText(b []byte, s string) []byte {
	return append(appendHead(b, 3, uint64(len(s))), s...)
}

func appendInt(b []byte, n int64) []byte {
	if n >= 0 {
		return appendHead(b, 0, uint64(n))
	}
	return appendHead(b, 1, uint64(-1-n))
}

func appendFloat(b []byte, f float64) []byte {
	return binary.BigEndian.AppendUint64(append(b, 0xfb), math.Float64bits(f))
}
