package insights

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Field is a named value.
type Field struct {
	Name  string
	Value Value
}

// Event is one log event as a query sees it: the system fields and the fields discovered in its
// message (Discover).
type Event struct {
	Timestamp int64 // @timestamp, Unix milliseconds
	// cols, when set (IndexColumns), holds the event's fields at row: a query reads
	// them there, next to the timestamp, rather than from Fields spread over memory.
	cols *Columns
	row  int

	IngestionTime int64  // @ingestionTime, Unix milliseconds
	Log           string // @log: "account-id:log-group-name"
	LogStream     string // @logStream
	Message       string // @message
	Ptr           string // @ptr: the opaque pointer GetLogRecord takes; "" calls PtrFunc
	Fields        []Field
	// PtrFunc, when Ptr is "", makes the pointer of a result row (so that a producer of
	// millions of events pays only for the rows returned).
	PtrFunc func(*Event) string
	// Lazy, when not Eager, defers discovery: Fields are discovered from Message at the first
	// lookup of a non-system field (an event must then be read by one goroutine at a time).
	Lazy Discovery

	lastName string // the last field found by lookupJSON, and its value
	lastVal  Value
}

// Discovery says when an Event's fields are discovered.
type Discovery uint8

// The discovery modes of an Event.
const (
	Eager      Discovery = iota // Fields are final
	LazyJSON                    // Fields = Discover(Message, false) at first use
	LazyLambda                  // Fields = Discover(Message, true) at first use
)

// ptr returns the event's @ptr.
func (e *Event) ptr() string {
	if e.Ptr == "" && e.PtrFunc != nil {
		e.Ptr = e.PtrFunc(e)
	}
	return e.Ptr
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
			return Str(e.ptr())
		}
	}
	if c := e.cols; c != nil {
		if k := c.index(name); k >= 0 {
			if v, ok := c.cols[k].at(e.row); ok {
				return v
			}
		}
	}
	if e.Lazy == LazyJSON && e.Fields == nil && name != "" && name[0] != '@' && !strings.Contains(name, ".") {
		// one top-level field: find it without discovering (and allocating) all of them
		if name == e.lastName {
			return e.lastVal
		}
		if v, sure := lookupJSON(e.Message, name); sure {
			e.lastName, e.lastVal = name, v
			return v
		}
	}
	if e.Lazy != Eager {
		e.Fields = Discover(e.Message, e.Lazy == LazyLambda)
		e.Lazy = Eager
	}
	for i := range e.Fields {
		if e.Fields[i].Name == name {
			return e.Fields[i].Value
		}
	}
	return Value{}
}

// Columns holds the fields of a block of events column by column: for a query that reads one
// field of each of a million stored events, a column is a few bytes an event, read in sequence,
// where the events' Fields are hundreds spread over memory.
type Columns struct {
	cols []column
}

// column is one field of a block: its numbers and its strings (dictionary-coded).
type column struct {
	name string
	num  []float64 // the field's number at each row, NaN where it is not one; nil: none
	code []uint16  // 1 + the index in text of the field's string at each row, 0 where it is not one; nil: none
	text []string
	// whole: every value of the field in the block is in num or code, so a row with neither
	// lacks the field
	whole bool
}

// at returns the field's value at row; ok is false when Fields must decide.
func (c *column) at(row int) (v Value, ok bool) {
	if c.num != nil {
		if f := c.num[row]; f == f {
			return Num(f), true
		}
	}
	if c.code != nil {
		if k := c.code[row]; k != 0 {
			return Str(c.text[k-1]), true
		}
	}
	return Value{}, c.whole
}

// index returns the column of the field called name, -1 if none.
func (c *Columns) index(name string) int {
	for k := range c.cols {
		if c.cols[k].name == name {
			return k
		}
	}
	return -1
}

// columnCursor reads one field of events that are mostly in the same Columns block: the
// field's column is looked up once a block, not once an event.
type columnCursor struct {
	cols *Columns
	k    int // the field's column in cols, -1 if none
}

// get returns ev.Get(name), for the same name at every call (a nil cursor: ev.Get).
func (c *columnCursor) get(ev *Event, name string) Value {
	if c != nil && ev.cols != nil {
		if ev.cols != c.cols {
			c.cols, c.k = ev.cols, ev.cols.index(name)
		}
		if c.k >= 0 {
			if v, ok := c.cols.cols[c.k].at(ev.row); ok {
				return v
			}
		}
	}
	return ev.Get(name)
}

// maxColumns is how many fields IndexColumns puts in columns; others stay in Fields only.
const maxColumns = 32

// maxText is how many distinct strings a text column of a block holds at most: a field with
// more (an id) stays in Fields, where its column would save no reading.
const maxText = 4096

// IndexColumns puts the fields of evs (whose Fields are final: Eager) into columns that the
// events then read from: numbers, and strings of fields with few distinct values. It must be
// called before the events are shared.
func IndexColumns(evs []Event) {
	c := &Columns{}
	dicts := map[int]map[string]uint16{} // column -> string -> code
	for i := range evs {
		fs := evs[i].Fields
		for j, f := range fs {
			if slices.ContainsFunc(fs[:j], func(g Field) bool { return g.Name == f.Name }) {
				continue // a repeated name: the first counts
			}
			k := c.index(f.Name)
			if k < 0 {
				if len(c.cols) == maxColumns {
					continue
				}
				k = len(c.cols)
				c.cols = append(c.cols, column{name: f.Name, whole: true})
			}
			col := &c.cols[k]
			switch {
			case f.Value == Num(f.Value.F):
				if col.num == nil {
					col.num = make([]float64, len(evs))
					for r := range col.num {
						col.num[r] = math.NaN()
					}
				}
				col.num[i] = f.Value.F
			case f.Value == Str(f.Value.S) && col.whole || f.Value == Str(f.Value.S) && col.code != nil:
				d := dicts[k]
				if d == nil {
					d = map[string]uint16{}
					dicts[k] = d
					col.code = make([]uint16, len(evs))
				}
				code, ok := d[f.Value.S]
				if !ok {
					if len(col.text) == maxText {
						col.code, col.text, col.whole = nil, nil, false // too many: Fields decide
						dicts[k] = nil
						continue
					}
					col.text = append(col.text, f.Value.S)
					code = uint16(len(col.text))
					d[f.Value.S] = code
				}
				col.code[i] = code
			default:
				col.whole = false // a value of another kind, or text past the dictionary: Fields decide
			}
		}
	}
	if len(c.cols) == 0 {
		return
	}
	for i := range evs {
		if evs[i].Lazy == Eager {
			evs[i].cols, evs[i].row = c, i
		}
	}
}

// MaxDiscoveredFields is how many JSON fields Discover extracts from one event at most, as the
// service does.
const MaxDiscoveredFields = 1000

// Discover returns the fields the service discovers in a message: for a JSON object, every
// member with dot notation for nested objects and indexes for arrays ("a.b", "items.0.id"; a key
// starting with @ gets another @); for a Lambda platform line (lambda true) START, END and
// REPORT's @type, @requestId, @duration, @billedDuration, @memorySize, @maxMemoryUsed and
// @initDuration (memory in bytes, 1 MB = 1,000,000 bytes). JSON numbers are numbers, strings are
// strings, booleans and null are the strings "true", "false" and "null". Of a member repeated in
// one object the first occurrence counts (the last, as encoding/json reads it, in a message
// whose strings hold escapes: the rare case a fast path leaves to encoding/json).
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
	if out, ok := scanJSON(s); ok {
		return out
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		return nil
	}
	var out []Field
	flatten("", true, v, &out)
	return out
}

func flatten(prefix string, top bool, v any, out *[]Field) {
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
			if !top {
				name = prefix + "." + k
			} else if strings.HasPrefix(k, "@") {
				name = "@" + k
			}
			flatten(name, false, x[k], out)
		}
	case []any:
		for i, e := range x {
			flatten(prefix+"."+strconv.Itoa(i), false, e, out)
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

// scanJSON is the fast path of Discover: one pass over an object without escapes in its
// strings, the fields in document order. ok is false when the slow path must decide (an escape,
// a syntax error, more than MaxDiscoveredFields fields).
func scanJSON(s string) (out []Field, ok bool) {
	if !utf8.ValidString(s) {
		return nil, false // encoding/json replaces invalid bytes: let it
	}
	sc := jsonScanner{s: s, out: make([]Field, 0, 8)}
	if !sc.value("", true) {
		return nil, false
	}
	sc.ws()
	if sc.i != len(s) || len(sc.out) > MaxDiscoveredFields {
		return nil, false
	}
	return dedupFields(sc.out), true
}

// dedupFields keeps the first of fields with the same name (a repeated member: the first one
// counts, as lookupJSON, which stops at it, reads it; encoding/json would keep the last).
func dedupFields(fs []Field) []Field {
	dup := false
	for i := 1; i < len(fs) && !dup; i++ {
		for j := range i {
			if fs[j].Name == fs[i].Name {
				dup = true
				break
			}
		}
	}
	if !dup {
		return fs
	}
	seen := map[string]bool{}
	out := fs[:0]
	for _, f := range fs {
		if !seen[f.Name] {
			seen[f.Name] = true
			out = append(out, f)
		}
	}
	return out
}

type jsonScanner struct {
	s   string
	i   int
	out []Field
}

func (sc *jsonScanner) ws() {
	for sc.i < len(sc.s) {
		switch sc.s[sc.i] {
		case ' ', '\t', '\n', '\r':
			sc.i++
		default:
			return
		}
	}
}

// str reads a string without escapes.
func (sc *jsonScanner) str() (string, bool) {
	if sc.i >= len(sc.s) || sc.s[sc.i] != '"' {
		return "", false
	}
	// one pass for the closing quote and an escape: the strings of log fields are short, and
	// two IndexByte calls per string cost more than the loop
	s := sc.s
	for j := sc.i + 1; j < len(s); j++ {
		switch s[j] {
		case '"':
			v := s[sc.i+1 : j]
			sc.i = j + 1
			return v, true
		case '\\':
			return "", false
		}
	}
	return "", false
}

func (sc *jsonScanner) value(name string, top bool) bool {
	sc.ws()
	if sc.i >= len(sc.s) {
		return false
	}
	switch c := sc.s[sc.i]; {
	case c == '{':
		sc.i++
		sc.ws()
		if sc.i < len(sc.s) && sc.s[sc.i] == '}' {
			sc.i++
			return true
		}
		for {
			sc.ws()
			k, ok := sc.str()
			if !ok {
				return false
			}
			sc.ws()
			if sc.i >= len(sc.s) || sc.s[sc.i] != ':' {
				return false
			}
			sc.i++
			child := k
			if !top {
				child = name + "." + k
			} else if strings.HasPrefix(k, "@") {
				child = "@" + k
			}
			if !sc.value(child, false) {
				return false
			}
			sc.ws()
			if sc.i >= len(sc.s) {
				return false
			}
			if sc.s[sc.i] == '}' {
				sc.i++
				return true
			}
			if sc.s[sc.i] != ',' {
				return false
			}
			sc.i++
		}
	case top:
		return false
	case c == '[':
		sc.i++
		sc.ws()
		if sc.i < len(sc.s) && sc.s[sc.i] == ']' {
			sc.i++
			return true
		}
		for n := 0; ; n++ {
			if !sc.value(name+"."+strconv.Itoa(n), false) {
				return false
			}
			sc.ws()
			if sc.i >= len(sc.s) {
				return false
			}
			if sc.s[sc.i] == ']' {
				sc.i++
				return true
			}
			if sc.s[sc.i] != ',' {
				return false
			}
			sc.i++
		}
	case c == '"':
		v, ok := sc.str()
		if !ok {
			return false
		}
		sc.out = append(sc.out, Field{name, Str(v)})
		return true
	case c == '-' || c >= '0' && c <= '9':
		j := sc.i
		for j < len(sc.s) && (sc.s[j] >= '0' && sc.s[j] <= '9' || sc.s[j] == '.' || sc.s[j] == 'e' || sc.s[j] == 'E' || sc.s[j] == '-' || sc.s[j] == '+') {
			j++
		}
		f, err := strconv.ParseFloat(sc.s[sc.i:j], 64)
		if err != nil {
			return false
		}
		sc.i = j
		sc.out = append(sc.out, Field{name, Num(f)})
		return true
	}
	for _, lit := range []string{"true", "false", "null"} {
		if strings.HasPrefix(sc.s[sc.i:], lit) {
			sc.i += len(lit)
			sc.out = append(sc.out, Field{name, Str(lit)})
			return true
		}
	}
	return false
}

// lookupJSON finds the top-level member name of a JSON object message without building the
// others. sure is false when Discover must decide: not a flat-scannable object, an escape in a
// string, or a scalar member of that name after an object or array of that name. A member that
// is an object or an array is discovered flattened (name.x, name.0): alone, it is no field
// called name (Null, sure).
func lookupJSON(msg, name string) (v Value, sure bool) {
	if !utf8.ValidString(msg) {
		return Value{}, false
	}
	sc := jsonScanner{s: msg}
	skipped := false
	sc.ws()
	if sc.i >= len(msg) || msg[sc.i] != '{' {
		return Value{}, false
	}
	sc.i++
	sc.ws()
	if sc.i < len(msg) && msg[sc.i] == '}' {
		return Value{}, true
	}
	for {
		sc.ws()
		k, ok := sc.str()
		if !ok {
			return Value{}, false
		}
		sc.ws()
		if sc.i >= len(msg) || msg[sc.i] != ':' {
			return Value{}, false
		}
		sc.i++
		sc.ws()
		if sc.i >= len(msg) {
			return Value{}, false
		}
		if k == name && msg[sc.i] != '{' && msg[sc.i] != '[' {
			if skipped {
				return Value{}, false // after an object or array of that name: Discover decides
			}
			// the first occurrence counts (the rest of the message is not checked)
			switch c := msg[sc.i]; {
			case c == '"':
				s, ok := sc.str()
				return Str(s), ok
			case c == '-' || c >= '0' && c <= '9':
				j := sc.i
				for j < len(msg) && (msg[j] >= '0' && msg[j] <= '9' || msg[j] == '.' || msg[j] == 'e' || msg[j] == 'E' || msg[j] == '-' || msg[j] == '+') {
					j++
				}
				f, err := strconv.ParseFloat(msg[sc.i:j], 64)
				return Num(f), err == nil
			}
			sc.out = sc.out[:0]
			if !sc.value(name, false) || len(sc.out) != 1 {
				return Value{}, false
			}
			return sc.out[0].Value, true
		} else {
			// An object or an array of that name is discovered flattened (name.x, name.0): no
			// field is called name itself, unless a later member of that name is a scalar.
			skipped = skipped || k == name
			if !sc.skip() {
				return Value{}, false
			}
		}
		sc.ws()
		if sc.i >= len(msg) {
			return Value{}, false
		}
		if msg[sc.i] == '}' {
			sc.i++
			sc.ws()
			if sc.i != len(msg) {
				return Value{}, false
			}
			return v, true // Null when not found
		}
		if msg[sc.i] != ',' {
			return Value{}, false
		}
		sc.i++
	}
}

// skip moves past one value.
func (sc *jsonScanner) skip() bool {
	if sc.i >= len(sc.s) {
		return false
	}
	switch c := sc.s[sc.i]; {
	case c == '"':
		_, ok := sc.str()
		return ok
	case c == '{' || c == '[':
		depth := 0
		for sc.i < len(sc.s) {
			switch sc.s[sc.i] {
			case '"':
				if _, ok := sc.str(); !ok {
					return false
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					sc.i++
					return true
				}
			}
			sc.i++
		}
		return false
	}
	j := sc.i
	for j < len(sc.s) && sc.s[j] != ',' && sc.s[j] != '}' && sc.s[j] != ' ' && sc.s[j] != '\n' && sc.s[j] != '\t' && sc.s[j] != '\r' {
		j++
	}
	if j == sc.i {
		return false
	}
	sc.i = j
	return true
}
