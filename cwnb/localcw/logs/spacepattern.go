package logs

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/cwnb/cwnb/cwnb/insights"
)

// A space-delimited filter pattern, [ip, user, ..., status = 5*, bytes > 1000], reads a message
// as fields separated by spaces (text between double quotes, or between [ and ], is one field,
// without them) and lines them up with its columns: each names one field, "..." stands for any
// number of them. A column may hold conditions on its field, joined by && and || (&& binds
// first): = and != compare text with a "quoted" or bare value in which * matches any run of
// characters, or with %regex%, or numbers when the value is a number; <, <=, >, >= compare
// numbers (a field that is not a number fails them). An event matches when its fields line up
// with the columns and every condition holds.
type spacePattern struct {
	cols []spaceColumn
}

type spaceColumn struct {
	name     string
	ellipsis bool
	// any of these groups of conditions, each of which must all hold (nil: no condition)
	anyOf [][]spaceCond
}

type spaceCond struct {
	op    string // = != < <= > >=
	num   float64
	isNum bool
	glob  []string       // the value split at *, for a text comparison
	re    *regexp.Regexp // a %regex% value
}

// compileSpacePattern compiles p, which starts with "[".
func compileSpacePattern(p string) (func(*insights.Event) bool, error) {
	body := strings.TrimSpace(p)
	if !strings.HasSuffix(body, "]") {
		return nil, invalidParam("filter pattern %q: a space-delimited pattern ends with ]", p)
	}
	body = body[1 : len(body)-1]
	parts, err := splitTop(body, ",")
	if err != nil {
		return nil, invalidParam("filter pattern %q: %v", p, err)
	}
	sp := &spacePattern{}
	for _, part := range parts {
		part = strings.TrimSpace(part)
		if part == "" {
			return nil, invalidParam("filter pattern %q: an empty column; name every column, or write ... for any number of them", p)
		}
		if part == "..." {
			sp.cols = append(sp.cols, spaceColumn{ellipsis: true})
			continue
		}
		col, err := parseSpaceColumn(part)
		if err != nil {
			return nil, invalidParam("filter pattern %q: column %q: %v", p, part, err)
		}
		sp.cols = append(sp.cols, col)
	}
	return func(ev *insights.Event) bool { return sp.match(spaceFields(ev.Message)) }, nil
}

// splitTop splits s at sep where sep is outside double quotes and %regex%.
func splitTop(s, sep string) ([]string, error) {
	var out []string
	start, quote, regex := 0, false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quote:
			if c == '\\' {
				i++
			} else if c == '"' {
				quote = false
			}
		case regex:
			if c == '%' {
				regex = false
			}
		case c == '"':
			quote = true
		case c == '%':
			regex = true
		case strings.HasPrefix(s[i:], sep):
			out = append(out, s[start:i])
			start = i + len(sep)
			i += len(sep) - 1
		}
	}
	if quote {
		return nil, errors.New("an unterminated \"quoted value\"")
	}
	if regex {
		return nil, errors.New("an unterminated %regex%")
	}
	return append(out, s[start:]), nil
}

// parseSpaceColumn parses "name" or "name op value [&& name op value] [|| ...]".
func parseSpaceColumn(s string) (spaceColumn, error) {
	name := s
	if i := strings.IndexAny(s, " =!<>"); i >= 0 {
		name = s[:i]
	}
	if !validColumn(name) {
		return spaceColumn{}, errors.New("a column name is letters, digits, _ and -")
	}
	col := spaceColumn{name: name}
	if strings.TrimSpace(s[len(name):]) == "" {
		return col, nil
	}
	alts, err := splitTop(s, "||")
	if err != nil {
		return col, err
	}
	for _, alt := range alts {
		conds, err := splitTop(alt, "&&")
		if err != nil {
			return col, err
		}
		var group []spaceCond
		for _, c := range conds {
			sc, err := parseSpaceCond(strings.TrimSpace(c), name)
			if err != nil {
				return col, err
			}
			group = append(group, sc)
		}
		col.anyOf = append(col.anyOf, group)
	}
	return col, nil
}

func validColumn(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		if !(c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// parseSpaceCond parses "name op value" for the column called col.
func parseSpaceCond(s, col string) (spaceCond, error) {
	if !strings.HasPrefix(s, col) {
		return spaceCond{}, errors.New("each condition is about its own column: " + col + " op value")
	}
	rest := strings.TrimSpace(s[len(col):])
	var c spaceCond
	for _, op := range []string{"!=", "<=", ">=", "=", "<", ">"} {
		if strings.HasPrefix(rest, op) {
			c.op, rest = op, strings.TrimSpace(rest[len(op):])
			break
		}
	}
	if c.op == "" {
		return c, errors.New("no comparison in " + strconv.Quote(s) + "; use = != < <= > >=")
	}
	if rest == "" {
		return c, errors.New("no value after " + c.op)
	}
	switch {
	case rest[0] == '"':
		v, err := strconv.Unquote(rest)
		if err != nil {
			return c, errors.New("the quoted value " + rest + " is not a \"string\"")
		}
		c.glob = strings.Split(v, "*")
	case rest[0] == '%':
		if len(rest) < 2 || rest[len(rest)-1] != '%' {
			return c, errors.New("a regular expression is written %regex%")
		}
		re, err := regexp.Compile(rest[1 : len(rest)-1])
		if err != nil {
			return c, errors.New("the regular expression " + rest + ": " + err.Error())
		}
		c.re = re
	default:
		if strings.ContainsAny(rest, " \t") {
			return c, errors.New("the value " + strconv.Quote(rest) + " holds a space; quote it")
		}
		if f, err := strconv.ParseFloat(rest, 64); err == nil {
			c.num, c.isNum = f, true
		} else {
			c.glob = strings.Split(rest, "*")
		}
	}
	if !c.isNum && c.op != "=" && c.op != "!=" {
		return c, errors.New(c.op + " compares numbers; " + rest + " is not one")
	}
	return c, nil
}

// spaceFields splits a message into its space-delimited fields.
func spaceFields(msg string) []string {
	var out []string
	for i := 0; i < len(msg); {
		switch msg[i] {
		case ' ', '\t':
			i++
			continue
		case '"', '[':
			end := byte('"')
			if msg[i] == '[' {
				end = ']'
			}
			if j := strings.IndexByte(msg[i+1:], end); j >= 0 {
				out = append(out, msg[i+1:i+1+j])
				i += j + 2
				continue
			}
		}
		j := strings.IndexAny(msg[i:], " \t")
		if j < 0 {
			j = len(msg) - i
		}
		out = append(out, msg[i:i+j])
		i += j
	}
	return out
}

// match reports whether fields line up with the columns.
func (sp *spacePattern) match(fields []string) bool {
	// failed[c*(n+1)+f]: columns c... cannot line up with fields f... (ellipses would otherwise
	// try the same pairs again and again)
	n := len(fields)
	failed := make([]bool, (len(sp.cols)+1)*(n+1))
	var at func(c, f int) bool
	at = func(c, f int) bool {
		for ; c < len(sp.cols); c++ {
			if failed[c*(n+1)+f] {
				return false
			}
			col := &sp.cols[c]
			if col.ellipsis {
				for skip := f; skip <= n; skip++ {
					if at(c+1, skip) {
						return true
					}
				}
				failed[c*(n+1)+f] = true
				return false
			}
			if f == n || !col.holds(fields[f]) {
				return false
			}
			f++
		}
		return f == n
	}
	return at(0, 0)
}

func (col *spaceColumn) holds(v string) bool {
	if col.anyOf == nil {
		return true
	}
	for _, group := range col.anyOf {
		all := true
		for i := range group {
			if !group[i].holds(v) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

func (c *spaceCond) holds(v string) bool {
	if c.isNum {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return c.op == "!="
		}
		switch c.op {
		case "=":
			return x == c.num
		case "!=":
			return x != c.num
		case "<":
			return x < c.num
		case "<=":
			return x <= c.num
		case ">":
			return x > c.num
		}
		return x >= c.num
	}
	var eq bool
	if c.re != nil {
		eq = c.re.MatchString(v)
	} else {
		eq = globMatch(c.glob, v)
	}
	return eq == (c.op == "=")
}

// globMatch reports whether v is parts joined by any runs of characters (a value split at *).
func globMatch(parts []string, v string) bool {
	if len(parts) == 1 {
		return v == parts[0]
	}
	if !strings.HasPrefix(v, parts[0]) {
		return false
	}
	v = v[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(v, p)
		if i < 0 {
			return false
		}
		v = v[i+len(p):]
	}
	return len(v) >= len(last) && strings.HasSuffix(v, last)
}
