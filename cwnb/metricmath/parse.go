package metricmath

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Expr is a parsed metric math expression. It is immutable and safe for concurrent use.
type Expr struct {
	src      string
	root     node
	refs     []string
	searches []*SearchQuery
}

// node is an element of the syntax tree.
type node interface{ span() (pos, end int) }

type numNode struct {
	v        float64
	pos, end int
}
type strNode struct {
	s        string
	pos, end int
}
type idNode struct {
	id       string
	pos, end int
}
type kwNode struct { // an upper-case keyword argument: REPEAT, LINEAR, ASC, DESC, SUM ...
	kw       string
	pos, end int
}
type unaryNode struct {
	op       string
	x        node
	pos, end int
}
type binNode struct {
	op       string
	l, r     node
	pos, end int // the operator token
}
type arrNode struct {
	elems    []node
	pos, end int
}
type callNode struct {
	fn       *funcSpec
	args     []node
	search   *SearchQuery // SEARCH only
	pos, end int          // the function name
}

func (n *numNode) span() (int, int)   { return n.pos, n.end }
func (n *strNode) span() (int, int)   { return n.pos, n.end }
func (n *idNode) span() (int, int)    { return n.pos, n.end }
func (n *kwNode) span() (int, int)    { return n.pos, n.end }
func (n *unaryNode) span() (int, int) { return n.pos, n.end }
func (n *binNode) span() (int, int)   { return n.pos, n.end }
func (n *arrNode) span() (int, int)   { return n.pos, n.end }
func (n *callNode) span() (int, int)  { return n.pos, n.end }

// MaxExpressionLength is the longest expression Parse accepts, in characters. GetMetricData
// limits MetricDataQuery.Expression to 2,048 characters.
const MaxExpressionLength = 2048

// Parse parses a CloudWatch metric math expression such as "m1/m2*100", "SUM(METRICS())" or
// "FILL(m1, REPEAT)". The grammar and the supported functions are listed in the package
// documentation. Errors are *Error values that name the offending token, its column and the fix;
// a CloudWatch function that cwnb does not implement is an error wrapping ErrUnsupported.
func Parse(src string) (*Expr, error) {
	if n := len([]rune(src)); n > MaxExpressionLength {
		return nil, &Error{Source: src, Pos: -1, End: -1, Msg: fmt.Sprintf("expression is %d characters long; CloudWatch allows at most %d", n, MaxExpressionLength)}
	}
	if strings.TrimSpace(src) == "" {
		return nil, &Error{Source: src, Pos: -1, End: -1, Msg: "expression is empty; write one such as m1/m2*100"}
	}
	if t := strings.TrimSpace(src); len(t) > 7 && strings.EqualFold(t[:7], "SELECT ") {
		return nil, &Error{Source: src, Pos: -1, End: -1, Err: ErrUnsupported,
			Msg: "Metrics Insights queries (SELECT ...) are not supported by cwnb's metric math; use SEARCH or metric queries"}
	}
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks}
	root, err := p.parseExpr(0)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.unexpected(t, "an operator or the end of the expression")
	}
	if err := p.strayKeyword(root); err != nil {
		return nil, err
	}
	e := &Expr{src: src, root: root}
	walk(root, func(n node) {
		switch n := n.(type) {
		case *idNode:
			if !slices.Contains(e.refs, n.id) {
				e.refs = append(e.refs, n.id)
			}
		case *callNode:
			if n.search != nil {
				e.searches = append(e.searches, n.search)
			}
		}
	})
	return e, nil
}

// String returns the expression as given to Parse.
func (e *Expr) String() string { return e.src }

// Refs returns the query ids the expression references, each once, in order of first appearance.
// Ids reached only through METRICS() are not included: they are the request's metric queries.
func (e *Expr) Refs() []string { return slices.Clone(e.refs) }

// Searches returns the SEARCH calls in the expression, in order of appearance, with their Stat
// and Period set from the call's second and third arguments. The queries are copies: changing
// them does not change the expression.
func (e *Expr) Searches() []*SearchQuery {
	out := make([]*SearchQuery, len(e.searches))
	for i, q := range e.searches {
		c := *q
		if q.Schema != nil {
			c.Schema = &Schema{Namespace: q.Schema.Namespace, Dims: slices.Clone(q.Schema.Dims)}
		}
		out[i] = &c
	}
	return out
}

// ReturnsArray reports whether the expression returns an array of time series (METRICS(),
// SEARCH(...), SORT(...), [m1, m2]*2 ...) rather than a single time series, whatever the number
// of series it holds when evaluated. isArray tells the same of the ids it references (nil: none
// is an array); the local CloudWatch uses it to implement Env.IsArray.
func (e *Expr) ReturnsArray(isArray func(id string) bool) bool {
	return staticKind(e.root, isArray) == kArray
}

// staticKind infers the kind of value a node evaluates to, without data.
func staticKind(n node, isArray func(string) bool) kind {
	switch n := n.(type) {
	case *numNode:
		return kScalar
	case *strNode:
		return kString
	case *kwNode:
		return kKeyword
	case *idNode:
		if isArray != nil && isArray(n.id) {
			return kArray
		}
		return kSeries
	case *unaryNode:
		return staticKind(n.x, isArray)
	case *arrNode:
		return kArray
	case *binNode:
		l, r := staticKind(n.l, isArray), staticKind(n.r, isArray)
		switch {
		case l == kArray || r == kArray:
			return kArray
		case l == kSeries || r == kSeries:
			return kSeries
		}
		return kScalar
	case *callNode:
		arg := func(i int) kind { return staticKind(n.args[i], isArray) }
		switch n.fn.name {
		case "METRICS", "SEARCH", "REMOVE_EMPTY", "SORT", "SLICE":
			return kArray
		case "METRIC_COUNT", "PERIOD":
			return kScalar
		case "SUM", "AVG", "MIN", "MAX", "DATAPOINT_COUNT":
			if arg(0) == kArray {
				return kSeries
			}
			return kScalar
		case "ABS", "CEIL", "FLOOR", "LOG", "LOG10", "FILL", "RATE", "DIFF", "DIFF_TIME", "RUNNING_SUM":
			return arg(0)
		case "IF":
			for i := range n.args {
				if arg(i) != kScalar {
					return kSeries
				}
			}
			return kScalar
		}
		return kSeries // TIME_SERIES, FIRST, LAST, MINUTE ... EPOCH
	}
	return kSeries
}

func walk(n node, f func(node)) {
	f(n)
	switch n := n.(type) {
	case *unaryNode:
		walk(n.x, f)
	case *binNode:
		walk(n.l, f)
		walk(n.r, f)
	case *arrNode:
		for _, c := range n.elems {
			walk(c, f)
		}
	case *callNode:
		for _, c := range n.args {
			walk(c, f)
		}
	}
}

type parser struct {
	src  string
	toks []token
	i    int
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *parser) unexpected(t token, want string) *Error {
	if t.kind == tokEOF {
		return errAt(p.src, t.pos, t.end, "expression ends too early; expected %s", want)
	}
	return errAt(p.src, t.pos, t.end, "unexpected %s; expected %s", t.describe(), want)
}

// Binary operator precedence, lowest first. ^ is right-associative and binds tighter than
// unary minus, so -2^2 is -4 as in mathematics.
var binPrec = map[string]int{
	"OR": 1, "||": 1,
	"AND": 2, "&&": 2,
	"==": 3, "!=": 3, "<": 3, "<=": 3, ">": 3, ">=": 3,
	"+": 4, "-": 4,
	"*": 5, "/": 5,
	"^": 7,
}

const unaryPrec = 6

// parseExpr parses an expression whose binary operators bind tighter than minPrec.
func (p *parser) parseExpr(minPrec int) (node, error) {
	var left node
	t := p.peek()
	if t.kind == tokOp && (t.text == "-" || t.text == "+") {
		p.next()
		x, err := p.parseExpr(unaryPrec)
		if err != nil {
			return nil, err
		}
		if t.text == "+" {
			left = x
		} else {
			left = &unaryNode{op: "-", x: x, pos: t.pos, end: t.end}
		}
	} else {
		var err error
		if left, err = p.parsePrimary(); err != nil {
			return nil, err
		}
	}
	for {
		t := p.peek()
		if t.kind != tokOp {
			return left, nil
		}
		prec := binPrec[t.text]
		if prec <= minPrec {
			return left, nil
		}
		p.next()
		next := prec
		if t.text == "^" {
			next = prec - 1 // right-associative
		}
		right, err := p.parseExpr(next)
		if err != nil {
			return nil, err
		}
		left = &binNode{op: normOp(t.text), l: left, r: right, pos: t.pos, end: t.end}
	}
}

func normOp(op string) string {
	switch op {
	case "AND":
		return "&&"
	case "OR":
		return "||"
	}
	return op
}

func (p *parser) parsePrimary() (node, error) {
	t := p.next()
	switch t.kind {
	case tokNumber:
		return &numNode{v: t.num, pos: t.pos, end: t.end}, nil
	case tokString:
		return &strNode{s: t.text, pos: t.pos, end: t.end}, nil
	case tokID:
		if p.peek().kind == tokLParen {
			up := strings.ToUpper(t.text)
			if _, ok := funcs[up]; ok {
				return nil, errAt(p.src, t.pos, t.end, "function names are upper case; write %s(...)", up)
			}
			return nil, errAt(p.src, t.pos, t.end, "%q is an id, not a function; %s", t.text, supportedList())
		}
		return &idNode{id: t.text, pos: t.pos, end: t.end}, nil
	case tokName:
		if p.peek().kind == tokLParen {
			return p.parseCall(t)
		}
		return &kwNode{kw: t.text, pos: t.pos, end: t.end}, nil
	case tokLParen:
		x, err := p.parseExpr(0)
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tokRParen {
			return nil, p.unexpected(c, `")" to close the "(" at column `+col(p.src, t.pos))
		}
		return x, nil
	case tokLBrack:
		arr := &arrNode{pos: t.pos}
		if p.peek().kind == tokRBrack {
			c := p.next()
			return nil, errAt(p.src, t.pos, c.end, "empty array; list ids inside, like [m1, m2]")
		}
		for {
			x, err := p.parseExpr(0)
			if err != nil {
				return nil, err
			}
			arr.elems = append(arr.elems, x)
			c := p.next()
			if c.kind == tokRBrack {
				arr.end = c.end
				return arr, nil
			}
			if c.kind != tokComma {
				return nil, p.unexpected(c, `"," or "]" to close the "[" at column `+col(p.src, t.pos))
			}
		}
	}
	return nil, p.unexpected(t, "a number, an id such as m1, a function call, \"(\" or \"[\"")
}

func col(src string, pos int) string {
	return fmt.Sprint(len([]rune(src[:pos])) + 1)
}

func (p *parser) parseCall(name token) (node, error) {
	fn, ok := funcs[name.text]
	if !ok {
		if _, known := unsupportedFuncs[name.text]; known {
			return nil, &Error{Source: p.src, Pos: name.pos, End: name.end, Err: ErrUnsupported,
				Msg: fmt.Sprintf("function %s is not supported by cwnb's metric math: it is a documented CloudWatch function that the local evaluation does not compute; %s", name.text, supportedList())}
		}
		if _, ok := funcs[strings.ToUpper(name.text)]; ok {
			return nil, errAt(p.src, name.pos, name.end, "function names are upper case; write %s(...)", strings.ToUpper(name.text))
		}
		return nil, errAt(p.src, name.pos, name.end, "unknown function %s; %s", name.text, supportedList())
	}
	p.next() // (
	call := &callNode{fn: fn, pos: name.pos, end: name.end}
	if p.peek().kind == tokRParen {
		p.next()
	} else {
		for {
			x, err := p.parseExpr(0)
			if err != nil {
				return nil, err
			}
			call.args = append(call.args, x)
			c := p.next()
			if c.kind == tokRParen {
				break
			}
			if c.kind != tokComma {
				return nil, p.unexpected(c, fmt.Sprintf(`"," or ")" to close %s(`, fn.name))
			}
		}
	}
	if len(call.args) < fn.minArgs || len(call.args) > fn.maxArgs {
		return nil, errAt(p.src, name.pos, name.end, "%s takes %s; usage: %s", fn.name, argCount(fn.minArgs, fn.maxArgs), fn.usage)
	}
	for i, a := range call.args {
		if err := p.checkArg(fn, i, a); err != nil {
			return nil, err
		}
	}
	if fn.name == "SEARCH" {
		q, err := p.searchCall(call)
		if err != nil {
			return nil, err
		}
		call.search = q
	}
	return call, nil
}

func argCount(lo, hi int) string {
	switch {
	case lo == hi && lo == 0:
		return "no arguments"
	case lo == hi && lo == 1:
		return "1 argument"
	case lo == hi:
		return fmt.Sprintf("%d arguments", lo)
	default:
		return fmt.Sprintf("%d to %d arguments", lo, hi)
	}
}

// checkArg enforces the parse-time rules of an argument: keywords only where the function takes
// them, strings only where it takes them.
func (p *parser) checkArg(fn *funcSpec, i int, a node) error {
	kws := fn.keywords[i]
	switch a := a.(type) {
	case *idNode:
		if up := strings.ToUpper(a.id); slices.Contains(kws, up) {
			return errAt(p.src, a.pos, a.end, "keywords are upper case; write %s", up)
		}
	case *kwNode:
		if slices.Contains(kws, a.kw) {
			return nil
		}
		if len(kws) > 0 {
			return errAt(p.src, a.pos, a.end, "%s is not valid here; argument %d of %s is one of %s; usage: %s", a.kw, i+1, fn.name, strings.Join(kws, ", "), fn.usage)
		}
		if _, ok := funcs[a.kw]; ok {
			return errAt(p.src, a.pos, a.end, "function %s needs parentheses: %s(...)", a.kw, a.kw)
		}
		return errAt(p.src, a.pos, a.end, "unknown name %s; ids start with a lower-case letter (m1), functions take parentheses (SUM(m1))", a.kw)
	case *strNode:
		if fn.strArgs&(1<<i) != 0 {
			return nil
		}
		return errAt(p.src, a.pos, a.end, "a string is not valid as argument %d of %s; usage: %s", i+1, fn.name, fn.usage)
	}
	if len(kws) > 0 && fn.kwOrValue&(1<<i) == 0 {
		s, e := a.span()
		return errAt(p.src, s, e, "argument %d of %s must be one of %s; usage: %s", i+1, fn.name, strings.Join(kws, ", "), fn.usage)
	}
	if fn.strArgs&(1<<i) != 0 && fn.name != "SEARCH" {
		// METRICS takes only a string; anything else is a mistake.
		s, e := a.span()
		return errAt(p.src, s, e, "argument %d of %s must be a quoted string; usage: %s", i+1, fn.name, fn.usage)
	}
	if fn.name == "SEARCH" && i < 2 {
		s, e := a.span()
		return errAt(p.src, s, e, "argument %d of SEARCH must be a quoted string; usage: %s", i+1, fn.usage)
	}
	return nil
}

// strayKeyword rejects an upper-case name that is not a direct argument of a function (those
// are checked by checkArg): "M1 * 2", "SUM + m1".
func (p *parser) strayKeyword(n node) error {
	var err error
	var visit func(n node, isArg bool)
	visit = func(n node, isArg bool) {
		if err != nil {
			return
		}
		switch n := n.(type) {
		case *kwNode:
			if isArg {
				return
			}
			if _, ok := funcs[n.kw]; ok {
				err = errAt(p.src, n.pos, n.end, "function %s needs parentheses: %s(...)", n.kw, n.kw)
				return
			}
			err = errAt(p.src, n.pos, n.end, "unknown name %s; ids start with a lower-case letter (m1), functions take parentheses (SUM(m1))", n.kw)
		case *unaryNode:
			visit(n.x, false)
		case *binNode:
			visit(n.l, false)
			visit(n.r, false)
		case *arrNode:
			for _, c := range n.elems {
				visit(c, false)
			}
		case *callNode:
			for _, c := range n.args {
				visit(c, true)
			}
		}
	}
	visit(n, false)
	return err
}

// searchCall validates SEARCH('query', 'Stat'[, period]) and parses the query.
func (p *parser) searchCall(call *callNode) (*SearchQuery, error) {
	qs := call.args[0].(*strNode)
	q, err := ParseSearch(qs.s)
	if err != nil {
		// Report the search error against the whole expression, at the query string.
		if se, ok := err.(*Error); ok {
			return nil, &Error{Source: p.src, Pos: qs.pos, End: qs.end, Msg: "in the SEARCH query: " + se.msgWithColumn(), Err: se.Err}
		}
		return nil, err
	}
	st := call.args[1].(*strNode)
	if strings.TrimSpace(st.s) == "" {
		return nil, errAt(p.src, st.pos, st.end, "SEARCH needs a statistic as its second argument, such as 'Average' or 'p99'")
	}
	q.Stat = st.s
	if len(call.args) == 3 {
		n, ok := call.args[2].(*numNode)
		if !ok {
			s, e := call.args[2].span()
			return nil, errAt(p.src, s, e, "the period of SEARCH must be a number of seconds, such as 60 or 300")
		}
		if n.v <= 0 || n.v != math.Trunc(n.v) || n.v > 1e9 {
			return nil, errAt(p.src, n.pos, n.end, "the period of SEARCH must be a positive whole number of seconds, such as 60 or 300")
		}
		q.Period = secondsToDuration(n.v)
	}
	return q, nil
}

func (e *Error) msgWithColumn() string {
	if e.Pos < 0 || e.Pos > len(e.Source) {
		return e.Msg
	}
	return fmt.Sprintf("column %d: %s", len([]rune(e.Source[:e.Pos]))+1, e.Msg)
}
