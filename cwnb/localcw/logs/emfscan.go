package logs

import "unicode/utf8"

// emfMember is one member of a document's root object: its key and its raw JSON value.
type emfMember struct{ key, raw string }

// maxScanDepth is the nesting splitRoot validates itself; deeper documents go to encoding/json.
const maxScanDepth = 100

// splitRoot returns the members of the JSON object s and whether s is valid JSON (RFC 8259, as
// encoding/json checks it). sure is false when encoding/json must decide: s holds a backslash
// (keys would need unescaping), invalid UTF-8 or deeper nesting than maxScanDepth.
func splitRoot(s string) (members []emfMember, valid, sure bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			return nil, false, false
		}
	}
	if !utf8.ValidString(s) {
		return nil, false, false
	}
	sc := jsonCheck{s: s}
	i := jsonWS(s, 0)
	if i >= len(s) || s[i] != '{' {
		return nil, false, true
	}
	i = jsonWS(s, i+1)
	if i < len(s) && s[i] == '}' {
		i++
	} else {
		for {
			k0 := i
			k1, ok := sc.str(i)
			if !ok {
				return nil, false, !sc.deep
			}
			i = jsonWS(s, k1)
			if i >= len(s) || s[i] != ':' {
				return nil, false, true
			}
			i = jsonWS(s, i+1)
			v0 := i
			v1, ok := sc.value(i, 1)
			if !ok {
				return nil, false, !sc.deep
			}
			members = append(members, emfMember{s[k0+1 : k1-1], s[v0:v1]})
			i = jsonWS(s, v1)
			if i >= len(s) {
				return nil, false, true
			}
			if s[i] == '}' {
				i++
				break
			}
			if s[i] != ',' {
				return nil, false, true
			}
			i = jsonWS(s, i+1)
		}
	}
	if jsonWS(s, i) != len(s) {
		return nil, false, true
	}
	return members, true, true
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// jsonWS returns the index of the first non-whitespace byte of s at or after i.
func jsonWS(s string, i int) int {
	for i < len(s) && isJSONSpace(s[i]) {
		i++
	}
	return i
}

// jsonCheck validates JSON values of a string without backslashes.
type jsonCheck struct {
	s    string
	deep bool // nesting beyond maxScanDepth was met
}

// str returns the end of the string at i (no escapes: the caller checked).
func (c *jsonCheck) str(i int) (int, bool) {
	s := c.s
	if i >= len(s) || s[i] != '"' {
		return 0, false
	}
	for j := i + 1; j < len(s); j++ {
		switch b := s[j]; {
		case b == '"':
			return j + 1, true
		case b < 0x20:
			return 0, false
		}
	}
	return 0, false
}

// value returns the end of the value at i.
func (c *jsonCheck) value(i, depth int) (int, bool) {
	s := c.s
	if i >= len(s) {
		return 0, false
	}
	switch b := s[i]; {
	case b == '"':
		return c.str(i)
	case b == '-' || b >= '0' && b <= '9':
		return number(s, i)
	case b == 't':
		return literal(s, i, "true")
	case b == 'f':
		return literal(s, i, "false")
	case b == 'n':
		return literal(s, i, "null")
	case b == '[' || b == '{':
		if depth >= maxScanDepth {
			c.deep = true
			return 0, false
		}
		closer := byte(']')
		if b == '{' {
			closer = '}'
		}
		i = jsonWS(s, i+1)
		if i < len(s) && s[i] == closer {
			return i + 1, true
		}
		for {
			if b == '{' {
				k, ok := c.str(i)
				if !ok {
					return 0, false
				}
				i = jsonWS(s, k)
				if i >= len(s) || s[i] != ':' {
					return 0, false
				}
				i = jsonWS(s, i+1)
			}
			end, ok := c.value(i, depth+1)
			if !ok {
				return 0, false
			}
			i = jsonWS(s, end)
			if i >= len(s) {
				return 0, false
			}
			if s[i] == closer {
				return i + 1, true
			}
			if s[i] != ',' {
				return 0, false
			}
			i = jsonWS(s, i+1)
		}
	}
	return 0, false
}

func literal(s string, i int, lit string) (int, bool) {
	if len(s)-i >= len(lit) && s[i:i+len(lit)] == lit {
		return i + len(lit), true
	}
	return 0, false
}

// number returns the end of the JSON number at i: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func number(s string, i int) (int, bool) {
	digits := func(i int) int {
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i
	}
	if s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		i = digits(i)
	default:
		return 0, false
	}
	if i < len(s) && s[i] == '.' {
		j := digits(i + 1)
		if j == i+1 {
			return 0, false
		}
		i = j
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := digits(i)
		if j == i {
			return 0, false
		}
		i = j
	}
	return i, true
}
