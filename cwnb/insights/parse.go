package insights

import (
	"regexp"
	"strconv"
	"strings"
)

// expr is a parsed expression.
type expr interface{ position() int }

type (
	litExpr struct {
		pos int
		v   Value
	}
	fieldExpr struct {
		pos  int
		name string
	}
	starExpr  struct{ pos int } // the * of count(*)
	unaryExpr struct {
		pos int
		op  string // "-" or "not"
		x   expr
	}
	binaryExpr struct {
		pos  int
		op   string
		l, r expr
	}
	callExpr struct {
		pos  int
		name string // lower case
		args []expr
		text string // source text, e.g. "pct(@duration, 99)"
	}
	inExpr struct {
		pos  int
		x    expr
		list []expr
		neg  bool
	}
	matchExpr struct { // like / not like / =~
		pos int
		x   expr
		sub string         // like "substring" (re == nil)
		re  *regexp.Regexp // like /re/, =~ /re/, =~ "re"
		neg bool
	}
	durationExpr struct { // 5m: only as an argument of bin, datefloor, dateceil
		pos  int
		text string
	}
)

func (e *litExpr) position() int      { return e.pos }
func (e *fieldExpr) position() int    { return e.pos }
func (e *starExpr) position() int     { return e.pos }
func (e *unaryExpr) position() int    { return e.pos }
func (e *binaryExpr) position() int   { return e.pos }
func (e *callExpr) position() int     { return e.pos }
func (e *inExpr) position() int       { return e.pos }
func (e *matchExpr) position() int    { return e.pos }
func (e *durationExpr) position() int { return e.pos }

// namedExpr is an expression with the name its column gets: its alias, or its source text.
type namedExpr struct {
	e    expr
	name string
}

// command is one stage of the pipeline.
type command interface{ cmdName() string }

type (
	fieldsCmd  struct{ items []namedExpr }
	displayCmd struct{ items []namedExpr }
	filterCmd  struct{ cond expr }
	statsCmd   struct{ aggs, by []namedExpr }
	sortCmd    struct{ keys []sortKey }
	limitCmd   struct{ n int }
	parseCmd   struct {
		src   expr
		re    *regexp.Regexp
		names []string // capture i+1 → names[i]
	}
	dedupCmd struct{ fields []expr }
)

type sortKey struct {
	e    expr
	desc bool
}

func (*fieldsCmd) cmdName() string  { return "fields" }
func (*displayCmd) cmdName() string { return "display" }
func (*filterCmd) cmdName() string  { return "filter" }
func (*statsCmd) cmdName() string   { return "stats" }
func (*sortCmd) cmdName() string    { return "sort" }
func (*limitCmd) cmdName() string   { return "limit" }
func (*parseCmd) cmdName() string   { return "parse" }
func (*dedupCmd) cmdName() string   { return "dedup" }

// Query is a parsed Logs Insights query.
type Query struct {
	src  string
	cmds []command
}

// String returns the query text.
func (q *Query) String() string { return q.src }

// unsupportedCommands are Logs Insights commands outside the subset: rejected by name instead
// of being ignored (which would give a different answer silently).
var unsupportedCommands = map[string]bool{
	"unnest": true, "lookup": true, "join": true, "source": true, "addtotals": true, "pattern": true,
	"diff": true, "anomaly": true, "unmask": true, "filterindex": true, "sortsfirst": true, "sortslast": true,
}

// MaxQueryLength is the longest query text Parse accepts (the service's limit is 10,000
// characters).
const MaxQueryLength = 10000

// Parse parses a Logs Insights query. A syntax error, or a command or function outside the
// supported subset, is an *Error that names it and gives its position.
func Parse(src string) (*Query, error) {
	if len(src) > MaxQueryLength {
		return nil, &Error{Line: 1, Col: 1, Msg: "query is " + strconv.Itoa(len(src)) + " characters long; the limit is 10000"}
	}
	p := &parser{lx: lexer{src: src}}
	if err := p.advance(); err != nil {
		return nil, err
	}
	q := &Query{src: src}
	for {
		if p.tok.kind == tEOF {
			if len(q.cmds) == 0 {
				return nil, errAt(src, p.tok.pos, "empty query: write at least one command, e.g. fields @timestamp, @message")
			}
			if _, err := q.compile(); err != nil {
				return nil, err
			}
			return q, nil
		}
		c, err := p.command()
		if err != nil {
			return nil, err
		}
		q.cmds = append(q.cmds, c)
		switch {
		case p.tok.kind == tEOF:
		case p.is("|"):
			if err := p.advance(); err != nil {
				return nil, err
			}
			if p.tok.kind == tEOF {
				return nil, errAt(src, p.tok.pos, "a command must follow |")
			}
		default:
			return nil, errAt(src, p.tok.pos, "unexpected %q: commands are separated by |", p.tokText())
		}
	}
}

type parser struct {
	lx      lexer
	tok     token
	prevEnd int // end of the last token consumed
}

func (p *parser) advance() error {
	p.prevEnd = p.tok.end
	t, err := p.lx.next()
	if err != nil {
		return err
	}
	p.tok = t
	return nil
}

func (p *parser) err(format string, args ...any) error {
	return errAt(p.lx.src, p.tok.pos, format, args...)
}

func (p *parser) tokText() string {
	if p.tok.kind == tEOF {
		return "end of query"
	}
	return p.lx.src[p.tok.pos:p.tok.end]
}

// is reports whether the current token is the operator op.
func (p *parser) is(op string) bool { return p.tok.kind == tOp && p.tok.text == op }

// isWord reports whether the current token is the unquoted keyword w (any case).
func (p *parser) isWord(w string) bool {
	return p.tok.kind == tIdent && !p.tok.quoted && strings.EqualFold(p.tok.text, w)
}

func (p *parser) expect(op string) error {
	if !p.is(op) {
		return p.err("expected %q, found %q", op, p.tokText())
	}
	return p.advance()
}

func (p *parser) command() (command, error) {
	if p.tok.kind != tIdent || p.tok.quoted {
		return nil, p.err("expected a command (fields, display, filter, stats, sort, limit, parse, dedup), found %q", p.tokText())
	}
	name := strings.ToLower(p.tok.text)
	switch name {
	case "fields", "display", "filter", "stats", "sort", "limit", "parse", "dedup":
	default:
		if unsupportedCommands[name] {
			return nil, p.err("command %q is not supported by the local Logs Insights; supported: fields, display, filter, stats, sort, limit, parse, dedup", p.tok.text)
		}
		return nil, p.err("unknown command %q; supported: fields, display, filter, stats, sort, limit, parse, dedup", p.tok.text)
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	switch name {
	case "fields":
		items, err := p.namedList(false)
		return &fieldsCmd{items}, err
	case "display":
		items, err := p.namedList(false)
		return &displayCmd{items}, err
	case "filter":
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		return &filterCmd{e}, nil
	case "stats":
		return p.stats()
	case "sort":
		var keys []sortKey
		for {
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			k := sortKey{e: e}
			if p.isWord("desc") {
				k.desc = true
				if err := p.advance(); err != nil {
					return nil, err
				}
			} else if p.isWord("asc") {
				if err := p.advance(); err != nil {
					return nil, err
				}
			}
			keys = append(keys, k)
			if !p.is(",") {
				return &sortCmd{keys}, nil
			}
			if err := p.advance(); err != nil {
				return nil, err
			}
		}
	case "limit":
		if p.isWord("any") {
			if err := p.advance(); err != nil {
				return nil, err
			}
		}
		if p.tok.kind != tNumber {
			return nil, p.err("limit needs a whole number of rows, found %q", p.tokText())
		}
		n, err := strconv.Atoi(p.tok.text)
		if err != nil || n < 1 || n > 100000 {
			return nil, p.err("limit %s: write a whole number from 1 to 100000", p.tok.text)
		}
		return &limitCmd{n}, p.advance()
	case "parse":
		return p.parse()
	case "dedup":
		var fs []expr
		for {
			if p.tok.kind != tIdent {
				return nil, p.err("dedup takes field names, found %q", p.tokText())
			}
			fs = append(fs, &fieldExpr{p.tok.pos, p.tok.text})
			if err := p.advance(); err != nil {
				return nil, err
			}
			if !p.is(",") {
				return &dedupCmd{fs}, nil
			}
			if err := p.advance(); err != nil {
				return nil, err
			}
		}
	}
	return nil, p.err("unreachable")
}

// namedList parses "expr [as name], ...".
func (p *parser) namedList(agg bool) ([]namedExpr, error) {
	var out []namedExpr
	for {
		start := p.tok.pos
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		name := strings.TrimSpace(p.lx.src[start:p.prevEnd])
		if f, ok := e.(*fieldExpr); ok {
			name = f.name
		}
		if p.isWord("as") {
			if err := p.advance(); err != nil {
				return nil, err
			}
			if p.tok.kind != tIdent {
				return nil, p.err("expected a name after as, found %q", p.tokText())
			}
			name = p.tok.text
			if err := p.advance(); err != nil {
				return nil, err
			}
		}
		out = append(out, namedExpr{e, name})
		if !p.is(",") {
			return out, nil
		}
		if err := p.advance(); err != nil {
			return nil, err
		}
	}
}

func (p *parser) stats() (command, error) {
	aggs, err := p.namedList(true)
	if err != nil {
		return nil, err
	}
	c := &statsCmd{aggs: aggs}
	if p.isWord("by") {
		if err := p.advance(); err != nil {
			return nil, err
		}
		if c.by, err = p.namedList(false); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (p *parser) parse() (command, error) {
	src, err := p.primary()
	if err != nil {
		return nil, err
	}
	c := &parseCmd{src: src}
	switch {
	case p.tok.kind == tString:
		glob := p.tok.text
		if err := p.advance(); err != nil {
			return nil, err
		}
		var re strings.Builder
		parts := strings.Split(glob, "*")
		for i, part := range parts {
			re.WriteString(regexp.QuoteMeta(part))
			if i < len(parts)-1 {
				if i == len(parts)-2 && parts[len(parts)-1] == "" {
					re.WriteString("(.*)")
				} else {
					re.WriteString("(.*?)")
				}
			}
		}
		n := len(parts) - 1
		if n == 0 {
			return nil, p.err("parse pattern %q has no * to capture", glob)
		}
		var err error
		if c.re, err = regexp.Compile(re.String()); err != nil {
			return nil, p.err("parse pattern %q: %v", glob, err)
		}
		if !p.isWord("as") {
			return nil, p.err("parse with a glob pattern needs as and %d field names", n)
		}
		if err := p.advance(); err != nil {
			return nil, err
		}
		for {
			if p.tok.kind != tIdent {
				return nil, p.err("expected a field name, found %q", p.tokText())
			}
			c.names = append(c.names, p.tok.text)
			if err := p.advance(); err != nil {
				return nil, err
			}
			if !p.is(",") {
				break
			}
			if err := p.advance(); err != nil {
				return nil, err
			}
		}
		if len(c.names) != n {
			return nil, p.err("parse pattern %q has %d * but %d names follow as", glob, n, len(c.names))
		}
	case p.is("/"):
		t, err := p.lx.regex(p.tok.pos)
		if err != nil {
			return nil, err
		}
		re, err := compileRegex(t.text)
		if err != nil {
			return nil, p.err("parse regex: %v", err)
		}
		c.re = re
		for i, n := range re.SubexpNames() {
			if i == 0 {
				continue
			}
			c.names = append(c.names, n) // unnamed groups: "" (not extracted)
		}
		named := false
		for _, n := range c.names {
			named = named || n != ""
		}
		if !named {
			return nil, p.err("parse regex needs named groups, e.g. /(?<user>\\S+)/")
		}
		p.tok = t
		if err := p.advance(); err != nil {
			return nil, err
		}
	default:
		return nil, p.err("parse needs a \"glob * pattern\" or a /(?<name>regex)/, found %q", p.tokText())
	}
	return c, nil
}

// compileRegex compiles a query regex (RE2 syntax, like the service's Hyperscan a subset
// without backreferences or lookaround; (?<name>...) groups and (?i) are accepted).
func compileRegex(s string) (*regexp.Regexp, error) {
	return regexp.Compile(s)
}

// Expressions, lowest precedence first: or, and, not, comparison (= != < <= > >= like =~ in),
// + -, * / %, unary -, ^.
func (p *parser) expr() (expr, error) { return p.or() }

func (p *parser) or() (expr, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.isWord("or") {
		pos := p.tok.pos
		if err := p.advance(); err != nil {
			return nil, err
		}
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{pos, "or", l, r}
	}
	return l, nil
}

func (p *parser) and() (expr, error) {
	l, err := p.not()
	if err != nil {
		return nil, err
	}
	for p.isWord("and") {
		pos := p.tok.pos
		if err := p.advance(); err != nil {
			return nil, err
		}
		r, err := p.not()
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{pos, "and", l, r}
	}
	return l, nil
}

func (p *parser) not() (expr, error) {
	if p.isWord("not") {
		pos := p.tok.pos
		if err := p.advance(); err != nil {
			return nil, err
		}
		x, err := p.not()
		if err != nil {
			return nil, err
		}
		return &unaryExpr{pos, "not", x}, nil
	}
	return p.comparison()
}

func (p *parser) comparison() (expr, error) {
	l, err := p.additive()
	if err != nil {
		return nil, err
	}
	pos := p.tok.pos
	neg := false
	if p.isWord("not") {
		neg = true
		if err := p.advance(); err != nil {
			return nil, err
		}
		if !p.isWord("like") && !p.isWord("in") {
			return nil, p.err("expected like or in after not, found %q", p.tokText())
		}
	}
	switch {
	case p.isWord("like") || p.is("=~"):
		regexOnly := p.is("=~")
		if err := p.advance(); err != nil {
			return nil, err
		}
		m := &matchExpr{pos: pos, x: l, neg: neg}
		switch {
		case p.is("/"):
			t, err := p.lx.regex(p.tok.pos)
			if err != nil {
				return nil, err
			}
			if m.re, err = compileRegex(t.text); err != nil {
				return nil, p.err("regex: %v", err)
			}
			p.tok = t
		case p.tok.kind == tString:
			if regexOnly {
				if m.re, err = compileRegex(p.tok.text); err != nil {
					return nil, p.err("regex: %v", err)
				}
			} else {
				m.sub = p.tok.text
			}
		default:
			return nil, p.err("like and =~ need a \"string\" or a /regex/, found %q", p.tokText())
		}
		return m, p.advance()
	case p.isWord("in"):
		if err := p.advance(); err != nil {
			return nil, err
		}
		if !p.is("[") {
			return nil, p.err("in needs a [list], found %q", p.tokText())
		}
		if err := p.advance(); err != nil {
			return nil, err
		}
		in := &inExpr{pos: pos, x: l, neg: neg}
		for !p.is("]") {
			e, err := p.additive()
			if err != nil {
				return nil, err
			}
			in.list = append(in.list, e)
			if p.is(",") {
				if err := p.advance(); err != nil {
					return nil, err
				}
			} else if !p.is("]") {
				return nil, p.err("expected , or ] in the list, found %q", p.tokText())
			}
		}
		return in, p.advance()
	}
	if p.tok.kind == tOp {
		switch op := p.tok.text; op {
		case "=", "!=", "<", "<=", ">", ">=":
			if err := p.advance(); err != nil {
				return nil, err
			}
			r, err := p.additive()
			if err != nil {
				return nil, err
			}
			return &binaryExpr{pos, op, l, r}, nil
		}
	}
	return l, nil
}

func (p *parser) additive() (expr, error) {
	l, err := p.multiplicative()
	if err != nil {
		return nil, err
	}
	for p.is("+") || p.is("-") {
		op, pos := p.tok.text, p.tok.pos
		if err := p.advance(); err != nil {
			return nil, err
		}
		r, err := p.multiplicative()
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{pos, op, l, r}
	}
	return l, nil
}

func (p *parser) multiplicative() (expr, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.is("*") || p.is("/") || p.is("%") {
		op, pos := p.tok.text, p.tok.pos
		if err := p.advance(); err != nil {
			return nil, err
		}
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{pos, op, l, r}
	}
	return l, nil
}

func (p *parser) unary() (expr, error) {
	if p.is("-") {
		pos := p.tok.pos
		if err := p.advance(); err != nil {
			return nil, err
		}
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &unaryExpr{pos, "-", x}, nil
	}
	return p.power()
}

func (p *parser) power() (expr, error) {
	l, err := p.primary()
	if err != nil {
		return nil, err
	}
	if p.is("^") {
		pos := p.tok.pos
		if err := p.advance(); err != nil {
			return nil, err
		}
		r, err := p.unary() // right-associative
		if err != nil {
			return nil, err
		}
		return &binaryExpr{pos, "^", l, r}, nil
	}
	return l, nil
}

func (p *parser) primary() (expr, error) {
	t := p.tok
	switch t.kind {
	case tNumber:
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return nil, p.err("bad number %q", t.text)
		}
		return &litExpr{t.pos, Num(f)}, p.advance()
	case tString:
		return &litExpr{t.pos, Str(t.text)}, p.advance()
	case tDuration:
		return &durationExpr{t.pos, t.text}, p.advance()
	case tIdent:
		if err := p.advance(); err != nil {
			return nil, err
		}
		if t.quoted || !p.is("(") || p.tok.pos != t.end && strings.TrimSpace(p.lx.src[t.end:p.tok.pos]) != "" {
			if !t.quoted && isKeyword(t.text) {
				return nil, errAt(p.lx.src, t.pos, "unexpected keyword %q", t.text)
			}
			return &fieldExpr{t.pos, t.text}, nil
		}
		// a function call
		c := &callExpr{pos: t.pos, name: strings.ToLower(t.text)}
		if err := p.advance(); err != nil {
			return nil, err
		}
		for !p.is(")") {
			if p.is("*") {
				c.args = append(c.args, &starExpr{p.tok.pos})
				if err := p.advance(); err != nil {
					return nil, err
				}
			} else {
				e, err := p.expr()
				if err != nil {
					return nil, err
				}
				c.args = append(c.args, e)
			}
			if p.is(",") {
				if err := p.advance(); err != nil {
					return nil, err
				}
			} else if !p.is(")") {
				return nil, p.err("expected , or ) in the arguments of %s, found %q", t.text, p.tokText())
			}
		}
		c.text = p.lx.src[t.pos:p.tok.end]
		return c, p.advance()
	case tOp:
		if t.text == "(" {
			if err := p.advance(); err != nil {
				return nil, err
			}
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			if !p.is(")") {
				return nil, p.err("expected ), found %q", p.tokText())
			}
			return e, p.advance()
		}
	}
	return nil, p.err("expected a field, value or function, found %q", p.tokText())
}

func isKeyword(s string) bool {
	switch strings.ToLower(s) {
	case "and", "or", "not", "like", "in", "as", "by", "asc", "desc":
		return true
	}
	return false
}
