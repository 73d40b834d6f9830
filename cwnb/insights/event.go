package insights

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// Field is a named value.
type Field struct {
	Name  string
	Value Value
}

// Event is one log event as a query sees it: the system fields and the fields discovered in its
// message (Discover).
type Event struct {
	Timestamp     int64  // @timestamp, Unix milliseconds
	IngestionTime int64  // @ingestionTime, Unix milliseconds
	Log           string // @log: "account-id:log-group-name"
	LogStream     string // @logStream
	Message       string // @message
	Ptr           string // @ptr: the opaque pointer GetLogRecord takes
	Fields        []Field
}

// Get returns the value of the field called name: a system field or a discovered one.
func (e *Event) Get(name string) Value {
	if len(name) > 1 && name[0] == '@' {
		switch name {
		case "@timestamp":
			return Millis(e.Timestamp)
		case "@message":
			return Str(e.Message)
		case "@logStream":
			return Str(e.LogStream)
		case "@log":
			return Str(e.Log)
		case "@ingestionTime":
			return Millis(e.IngestionTime)
		case "@ptr":
			return Str(e.Ptr)
		}
	}
	for i := range e.Fields {
		if e.Fields[i].Name == name {
			return e.Fields[i].Value
		}
	}
	return Value{}
}

// MaxDiscoveredFields is how many JSON fields Discover extracts from one event at most, as the
// service does.
const MaxDiscoveredFields = 1000

// Discover returns the fields the service discovers in a message: for a JSON object, every
// member with dot notation for nested objects and indexes for arrays ("a.b", "items.0.id"; a key
// starting with @ gets another @); for a Lambda platform line (lambda true) START, END and
// REPORT's @type, @requestId, @duration, @billedDuration, @memorySize, @maxMemoryUsed and
// @initDuration (memory in bytes, 1 MB = 1,000,000 bytes). JSON numbers are numbers, strings are
// strings, booleans and null are the strings "true", "false" and "null".
func Discover(message string, lambda bool) []Field {
	if lambda {
		if fs := lambdaFields(message); fs != nil {
			return fs
		}
	}
	s := strings.TrimSpace(message)
	if lambda {
		// Lambda prefixes application lines with a timestamp and request id; the first JSON
		// fragment counts.
		if i := strings.IndexByte(s, '{'); i > 0 {
			s = s[i:]
		}
	}
	if len(s) < 2 || s[0] != '{' {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		return nil
	}
	var out []Field
	flatten("", v, &out)
	return out
}

func flatten(prefix string, v any, out *[]Field) {
	if len(*out) >= MaxDiscoveredFields {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sortStrings(keys)
		for _, k := range keys {
			name := k
			if prefix != "" {
				name = prefix + "." + k
			} else if strings.HasPrefix(k, "@") {
				name = "@" + k
			}
			flatten(name, x[k], out)
		}
	case []any:
		for i, e := range x {
			flatten(prefix+"."+strconv.Itoa(i), e, out)
		}
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			*out = append(*out, Field{prefix, Str(string(x))})
			return
		}
		*out = append(*out, Field{prefix, Num(f)})
	case string:
		*out = append(*out, Field{prefix, Str(x)})
	case bool:
		*out = append(*out, Field{prefix, Str(strconv.FormatBool(x))})
	case nil:
		*out = append(*out, Field{prefix, Str("null")})
	}
}

func sortStrings(s []string) {
	// insertion sort: JSON objects in logs are small
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// lambdaFields parses Lambda's platform lines:
//
//	START RequestId: <id> Version: $LATEST
//	END RequestId: <id>
//	REPORT RequestId: <id>	Duration: 1.27 ms	Billed Duration: 2 ms	Memory Size: 1024 MB	Max Memory Used: 75 MB	Init Duration: 99.5 ms
func lambdaFields(msg string) []Field {
	var typ string
	switch {
	case strings.HasPrefix(msg, "START RequestId: "):
		typ = "START"
	case strings.HasPrefix(msg, "END RequestId: "):
		typ = "END"
	case strings.HasPrefix(msg, "REPORT RequestId: "):
		typ = "REPORT"
	default:
		return nil
	}
	rest := msg[len(typ)+len(" RequestId: "):]
	id := rest
	if i := strings.IndexAny(rest, " \t\n"); i >= 0 {
		id, rest = rest[:i], rest[i:]
	} else {
		rest = ""
	}
	out := []Field{{"@type", Str(typ)}, {"@requestId", Str(id)}}
	if typ != "REPORT" {
		return out
	}
	for _, part := range strings.FieldsFunc(rest, func(r rune) bool { return r == '\t' || r == '\n' }) {
		name, val, ok := strings.Cut(strings.TrimSpace(part), ": ")
		if !ok {
			continue
		}
		num, unit, _ := strings.Cut(strings.TrimSpace(val), " ")
		f, err := strconv.ParseFloat(num, 64)
		if err != nil {
			continue
		}
		if unit == "MB" {
			f *= 1000 * 1000
		}
		switch name {
		case "Duration":
			out = append(out, Field{"@duration", Num(f)})
		case "Billed Duration":
			out = append(out, Field{"@billedDuration", Num(f)})
		case "Memory Size":
			out = append(out, Field{"@memorySize", Num(f)})
		case "Max Memory Used":
			out = append(out, Field{"@maxMemoryUsed", Num(f)})
		case "Init Duration":
			out = append(out, Field{"@initDuration", Num(f)})
		}
	}
	return out
}

// isJSONObject reports whether b looks like one JSON object.
func isJSONObject(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) >= 2 && b[0] == '{' && b[len(b)-1] == '}'
}
