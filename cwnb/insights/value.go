package insights

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Kind is the type of a Value.
type Kind uint8

// The kinds of values a query computes with.
const (
	Null   Kind = iota // absent: the field does not exist in the event
	String             // text
	Number             // float64
	Time               // a instant, in Unix milliseconds (held in the float)
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case String:
		return "string"
	case Number:
		return "number"
	case Time:
		return "time"
	}
	return "null"
}

// Value is one field value: null, a string, a number or a time. The zero Value is null.
type Value struct {
	K Kind
	S string  // String
	F float64 // Number; Unix milliseconds for Time
}

// Str returns a string value.
func Str(s string) Value { return Value{K: String, S: s} }

// Num returns a number value.
func Num(f float64) Value { return Value{K: Number, F: f} }

// Millis returns a time value at Unix milliseconds ms.
func Millis(ms int64) Value { return Value{K: Time, F: float64(ms)} }

// TimeFormat is the layout of times in query results: UTC with milliseconds, as the service
// returns @timestamp and bin() values.
const TimeFormat = "2006-01-02 15:04:05.000"

// Text returns the value as the service returns it in results: numbers in the shortest decimal
// form that reads back exactly ("42", "0.5"), times in TimeFormat, null as "".
func (v Value) Text() string {
	switch v.K {
	case String:
		return v.S
	case Number:
		return formatNumber(v.F)
	case Time:
		return time.UnixMilli(int64(v.F)).UTC().Format(TimeFormat)
	}
	return ""
}

func formatNumber(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// num returns the value as a number: numbers and times as they are, strings that parse as a
// number (as discovered and parsed fields are text) as that number.
func (v Value) num() (float64, bool) {
	switch v.K {
	case Number, Time:
		return v.F, true
	case String:
		s := strings.TrimSpace(v.S)
		if s == "" {
			return 0, false
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, false
		}
		return f, true
	}
	return 0, false
}

// truthy is the boolean reading of a value: booleans are numbers 1 and 0; a null is false.
func (v Value) truthy() bool {
	switch v.K {
	case Number, Time:
		return v.F != 0
	case String:
		return v.S != "" && v.S != "false"
	}
	return false
}

func boolValue(b bool) Value {
	if b {
		return Num(1)
	}
	return Num(0)
}

// compare orders a and b: numerically when both read as numbers, as text otherwise. ok is false
// when either is null (a comparison with a missing field is false).
func compare(a, b Value) (int, bool) {
	if a.K == Null || b.K == Null {
		return 0, false
	}
	if a.K == String && b.K == String {
		return strings.Compare(a.S, b.S), true
	}
	x, okx := a.num()
	y, oky := b.num()
	if okx && oky {
		switch {
		case x < y:
			return -1, true
		case x > y:
			return 1, true
		}
		return 0, true
	}
	return strings.Compare(a.Text(), b.Text()), true
}
