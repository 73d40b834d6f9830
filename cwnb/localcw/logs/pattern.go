package logs

import (
	"strconv"
	"strings"

	"github.com/cwnb/cwnb/cwnb/insights"
)

// compilePattern compiles a FilterLogEvents filter pattern (the filter-pattern syntax, not Logs
// Insights): "" matches everything; terms must all appear ("ERROR timeout", "quoted phrase"),
// -term must not, and with ?terms at least one of them must ("?ERROR ?WARN"); a JSON pattern
// { $.field op value } with op one of = != < <= > >= (value a "string", a number, or * for
// "present"), several joined by && or by || (not both); a space-delimited pattern
// [name, name op value, ..., name] (compileSpacePattern).
func compilePattern(p string) (func(*insights.Event) bool, error) {
	p = strings.TrimSpace(p)
	switch {
	case p == "":
		return func(*insights.Event) bool { return true }, nil
	case strings.HasPrefix(p, "{"):
		return compileJSONPattern(p)
	case strings.HasPrefix(p, "["):
		return compileSpacePattern(p)
	}
	var all, none, any []string
	for rest := p; rest != ""; {
		rest = strings.TrimLeft(rest, " ")
		if rest == "" {
			break
		}
		prefix := byte(0)
		if rest[0] == '-' || rest[0] == '?' {
			prefix, rest = rest[0], rest[1:]
		}
		var term string
		if strings.HasPrefix(rest, `"`) {
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 {
				return nil, invalidParam("filter pattern %q: unterminated quoted term", p)
			}
			term, rest = rest[1:end+1], rest[end+2:]
		} else {
			end := strings.IndexByte(rest, ' ')
			if end < 0 {
				end = len(rest)
			}
			term, rest = rest[:end], rest[end:]
		}
		switch prefix {
		case '-':
			none = append(none, term)
		case '?':
			any = append(any, term)
		default:
			all = append(all, term)
		}
	}
	return func(ev *insights.Event) bool {
		for _, t := range all {
			if !strings.Contains(ev.Message, t) {
				return false
			}
		}
		for _, t := range none {
			if strings.Contains(ev.Message, t) {
				return false
			}
		}
		if len(any) == 0 {
			return true
		}
		for _, t := range any {
			if strings.Contains(ev.Message, t) {
				return true
			}
		}
		return false
	}, nil
}

func compileJSONPattern(p string) (func(*insights.Event) bool, error) {
	body := strings.TrimSpace(p)
	if !strings.HasSuffix(body, "}") {
		return nil, invalidParam("filter pattern %q: a JSON pattern ends with }", p)
	}
	body = strings.TrimSpace(body[1 : len(body)-1])
	join := "&&"
	if strings.Contains(body, "||") {
		if strings.Contains(body, "&&") {
			return nil, invalidParam("filter pattern %q: mixing && and || is not supported by the local CloudWatch Logs", p)
		}
		join = "||"
	}
	type cond struct {
		field, op string
		val       insights.Value
		present   bool
	}
	var conds []cond
	for _, part := range strings.Split(body, join) {
		part = strings.TrimSpace(part)
		if !strings.HasPrefix(part, "$.") {
			return nil, invalidParam("filter pattern %q: each condition is $.field op value", p)
		}
		var c cond
		for _, op := range []string{"!=", "<=", ">=", "=", "<", ">"} {
			if i := strings.Index(part, op); i > 0 {
				c.field, c.op = strings.TrimSpace(part[2:i]), op
				v := strings.TrimSpace(part[i+len(op):])
				switch {
				case v == "*":
					c.present = true
				case strings.HasPrefix(v, `"`) && strings.HasSuffix(v, `"`) && len(v) >= 2:
					c.val = insights.Str(v[1 : len(v)-1])
				default:
					f, err := strconv.ParseFloat(v, 64)
					if err != nil {
						c.val = insights.Str(v)
					} else {
						c.val = insights.Num(f)
					}
				}
				break
			}
		}
		if c.op == "" {
			return nil, invalidParam("filter pattern %q: no comparison in %q", p, part)
		}
		conds = append(conds, c)
	}
	test := func(ev *insights.Event, c cond) bool {
		v := ev.Get(c.field)
		if v.K == insights.Null {
			return false
		}
		if c.present {
			return c.op == "="
		}
		a, b := v.Text(), c.val.Text()
		if c.val.K == insights.Number {
			x, err := strconv.ParseFloat(a, 64)
			if err != nil {
				return c.op == "!="
			}
			y := c.val.F
			switch c.op {
			case "=":
				return x == y
			case "!=":
				return x != y
			case "<":
				return x < y
			case "<=":
				return x <= y
			case ">":
				return x > y
			}
			return x >= y
		}
		switch c.op {
		case "=":
			return a == b
		case "!=":
			return a != b
		}
		return false
	}
	return func(ev *insights.Event) bool {
		for _, c := range conds {
			ok := test(ev, c)
			if join == "||" && ok {
				return true
			}
			if join == "&&" && !ok {
				return false
			}
		}
		return join == "&&"
	}, nil
}
