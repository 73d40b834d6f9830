package metricmath

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxSearchLength is the longest search query CloudWatch accepts, in characters.
const MaxSearchLength = 1024

// SearchQuery is a parsed CloudWatch search query, the first argument of SEARCH:
// an optional metric schema {Namespace, DimensionName, ...} followed by search terms.
// It is immutable after parsing and safe for concurrent use.
type SearchQuery struct {
	// Text is the query as written.
	Text string
	// Schema is the metric schema in braces, or nil when the query has none.
	Schema *Schema
	// Stat and Period are the second and third arguments of the SEARCH call the query was
	// found in (Expr.Searches); Period is 0 when the call omits it (the query's period applies)
	// and both are zero for a query from ParseSearch.
	Stat   string
	Period time.Duration

	root sterm // nil: no search terms
}

// Schema is a metric schema: a metric matches when it is in Namespace and its dimension names
// are exactly Dims (in any order).
type Schema struct {
	Namespace string
	Dims      []string
}

// String returns the query as written.
func (q *SearchQuery) String() string { return q.Text }

// sterm is a node of a search term tree.
type sterm interface {
	match(m *metricView) bool
}

type andTerm struct{ l, r sterm }
type orTerm struct{ l, r sterm }
type notTerm struct{ x sterm }

// textTerm is a search term: partial (tokens) or exact (quoted), optionally restricted to a
// property: MetricName, Namespace, or a dimension name.
type textTerm struct {
	prop    string // "" = any property
	hasProp bool
	exact   bool
	text    string   // exact: the string; partial: the term as written
	atoms   []string // partial: the term's atoms
	fold    []bool   // partial: atom i is a whole word (matched case-insensitively)
	full    string   // partial: lower-cased letters and digits of the whole term
}

func (t *andTerm) match(m *metricView) bool { return t.l.match(m) && t.r.match(m) }
func (t *orTerm) match(m *metricView) bool  { return t.l.match(m) || t.r.match(m) }
func (t *notTerm) match(m *metricView) bool { return !t.x.match(m) }

func (t *textTerm) match(m *metricView) bool {
	if t.hasProp {
		switch t.prop {
		case "MetricName":
			return t.matchString(m, m.name)
		case "Namespace":
			return t.matchString(m, m.namespace)
		}
		v, ok := m.dims[t.prop]
		return ok && t.matchString(m, v)
	}
	if t.matchString(m, m.name) || t.matchString(m, m.namespace) {
		return true
	}
	for k, v := range m.dims {
		if t.matchString(m, k) || t.matchString(m, v) {
			return true
		}
	}
	return false
}

// matchString applies the term to one property value.
func (t *textTerm) matchString(m *metricView, s string) bool {
	if t.exact {
		return s == t.text
	}
	if equalFoldAlnum(s, t.full) {
		return true
	}
	// The atoms of the term must appear consecutively among the atoms of s. An atom that is a
	// whole word of the term (no camel-case or digit boundary inside the word) matches case-
	// insensitively; atoms of a composite word match case-sensitively, as CloudWatch documents
	// ("CustomCount" and "Count1" find CustomCount1, "customcount" and "count1" do not).
	sa := m.atomsOf(s)
	for i := 0; i+len(t.atoms) <= len(sa); i++ {
		ok := true
		for k, a := range t.atoms {
			b := sa[i+k]
			if t.fold[k] && !strings.EqualFold(a, b) || !t.fold[k] && a != b {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// equalFoldAlnum reports whether the letters and digits of s, lower-cased, spell lower: whether
// lower is the whole-name token of s.
func equalFoldAlnum(s, lower string) bool {
	j := 0
	for _, r := range s {
		if !isAlnum(r) {
			continue
		}
		l, size := utf8.DecodeRuneInString(lower[j:])
		if size == 0 || unicode.ToLower(r) != l {
			return false
		}
		j += size
	}
	return j == len(lower)
}

// tokens is how CloudWatch tokenizes a name for search: atoms split at non-alphanumeric
// delimiters, camel-case humps and letter/digit boundaries, plus the whole name lower-cased
// without delimiters.
type tokens struct {
	atoms []string
	full  string
}

func tokenize(s string) tokens {
	var full strings.Builder
	for _, r := range s {
		if isAlnum(r) {
			full.WriteRune(unicode.ToLower(r))
		}
	}
	return tokens{atoms: appendAtoms(nil, s), full: full.String()}
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// splitWords splits s at runs of non-alphanumeric characters.
func splitWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !isAlnum(r) })
}

// appendAtoms appends the atoms of s (substrings of s) to dst. Words are split at runs of
// non-alphanumeric characters; inside a word, atoms start at an upper-case letter that follows a
// lower-case one, at the last upper-case letter of a run that continues in lower case
// (SDBFailure: SDB, Failure), and where letters and digits meet (Project2: Project, 2).
func appendAtoms(dst []string, s string) []string {
	start := -1
	var prev rune
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isAlnum(r) {
			if start >= 0 {
				dst = append(dst, s[start:i])
				start = -1
			}
			i += size
			continue
		}
		if start < 0 {
			start, prev = i, r
			i += size
			continue
		}
		boundary := unicode.IsDigit(prev) != unicode.IsDigit(r) ||
			unicode.IsUpper(r) && unicode.IsLower(prev)
		if !boundary && unicode.IsUpper(r) && unicode.IsUpper(prev) {
			next, _ := utf8.DecodeRuneInString(s[i+size:])
			boundary = i+size < len(s) && unicode.IsLower(next)
		}
		if boundary {
			dst = append(dst, s[start:i])
			start = i
		}
		prev = r
		i += size
	}
	if start >= 0 {
		dst = append(dst, s[start:])
	}
	return dst
}

// metricView is a metric as seen by Match, with the atoms of its names computed once.
type metricView struct {
	namespace, name string
	dims            map[string]string
	cache           []cachedAtoms
	buf             []string // the atoms of every cached string, back to back
}

type cachedAtoms struct {
	s      string
	lo, hi int // the atoms are buf[lo:hi]
}

func (m *metricView) atomsOf(s string) []string {
	for _, c := range m.cache {
		if c.s == s {
			return m.buf[c.lo:c.hi]
		}
	}
	if m.cache == nil {
		m.cache, m.buf = make([]cachedAtoms, 0, 4), make([]string, 0, 16)
	}
	lo := len(m.buf)
	m.buf = appendAtoms(m.buf, s)
	m.cache = append(m.cache, cachedAtoms{s, lo, len(m.buf)})
	return m.buf[lo:len(m.buf):len(m.buf)]
}

// Match reports whether the metric (namespace, metric name, dimensions) is one the query finds:
// it has the schema's namespace and exactly the schema's dimension names, if the query has a
// schema, and it satisfies the search terms.
func (q *SearchQuery) Match(namespace, metricName string, dims map[string]string) bool {
	if q.Schema != nil {
		if namespace != q.Schema.Namespace || len(dims) != len(q.Schema.Dims) {
			return false
		}
		for _, d := range q.Schema.Dims {
			if _, ok := dims[d]; !ok {
				return false
			}
		}
	}
	if q.root == nil {
		return true
	}
	return q.root.match(&metricView{namespace: namespace, name: metricName, dims: dims})
}

// SearchLabel is the label cwnb gives a series found by SEARCH: the values of its dimensions,
// ordered by dimension name, then its metric name, separated by spaces; for example
// "i-0abc123 CPUUtilization". CloudWatch labels search results by their dimension values and
// metric name; the exact format it uses is not documented.
func SearchLabel(metricName string, dims map[string]string) string {
	names := make([]string, 0, len(dims))
	for k := range dims {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, 0, len(names)+1)
	for _, k := range names {
		parts = append(parts, dims[k])
	}
	return strings.Join(append(parts, metricName), " ")
}

// ParseSearch parses a search query, the first argument of SEARCH, such as
// `{AWS/EC2,InstanceId} MetricName="CPUUtilization" NOT i-0abc`. The supported syntax is listed in
// the package documentation; anything else is an error naming the offending text and the fix.
func ParseSearch(q string) (*SearchQuery, error) {
	if n := utf8.RuneCountInString(q); n > MaxSearchLength {
		return nil, &Error{Source: q, Pos: -1, End: -1, search: true, Msg: fmt.Sprintf("search query is %d characters long; CloudWatch allows at most %d (the 1,024-character limit of search expressions): shorten it or split it into several SEARCH queries", n, MaxSearchLength)}
	}
	sq, err := parseSearch(q)
	if err != nil {
		if e, ok := err.(*Error); ok {
			e.search = true
		}
		return nil, err
	}
	return sq, nil
}

func parseSearch(q string) (*SearchQuery, error) {
	toks, err := lexSearch(q)
	if err != nil {
		return nil, err
	}
	p := &searchParser{src: q, toks: toks}
	sq := &SearchQuery{Text: q}
	if p.peek().kind == stLBrace {
		if sq.Schema, err = p.parseSchema(); err != nil {
			return nil, err
		}
		if p.peek().kind == stComma {
			p.next()
		}
	}
	if p.peek().kind != stEOF {
		if sq.root, err = p.parseOr(); err != nil {
			return nil, err
		}
		if t := p.peek(); t.kind != stEOF {
			if t.kind == stRParen {
				return nil, errAt(q, t.pos, t.end, `")" has no matching "("; remove it or add the "("`)
			}
			if t.kind == stLBrace {
				return nil, errAt(q, t.pos, t.end, "the metric schema {Namespace,...} must come first in the search query")
			}
			return nil, errAt(q, t.pos, t.end, "unexpected %q; expected a search term, AND, OR, NOT or the end of the query", q[t.pos:t.end])
		}
	}
	if sq.Schema == nil && sq.root == nil {
		return nil, &Error{Source: q, Pos: -1, End: -1, Msg: `empty search query; give a schema such as {AWS/EC2,InstanceId}, search terms such as MetricName="CPUUtilization", or both`}
	}
	return sq, nil
}

type stKind int

const (
	stEOF    stKind = iota
	stWord          // a bare word (partial match)
	stQuoted        // "exact"
	stEq            // =
	stLParen
	stRParen
	stLBrace
	stRBrace
	stComma
	stAnd
	stOr
	stNot
)

type stok struct {
	kind     stKind
	text     string // word text, or the unescaped contents of a quoted string
	pos, end int
}

// lexSearch splits a search query into tokens. Words end at whitespace and at ( ) { } , = ".
func lexSearch(q string) ([]stok, error) {
	var toks []stok
	i := 0
	for i < len(q) {
		r, size := utf8.DecodeRuneInString(q[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case r == '(' || r == ')' || r == '{' || r == '}' || r == ',' || r == '=':
			k := map[rune]stKind{'(': stLParen, ')': stRParen, '{': stLBrace, '}': stRBrace, ',': stComma, '=': stEq}[r]
			toks = append(toks, stok{kind: k, text: string(r), pos: i, end: i + 1})
			i++
		case r == '"':
			var b strings.Builder
			j := i + 1
			closed := false
			for j < len(q) {
				c := q[j]
				if c == '\\' && j+1 < len(q) {
					b.WriteByte(q[j+1])
					j += 2
					continue
				}
				if c == '"' {
					closed = true
					j++
					break
				}
				b.WriteByte(c)
				j++
			}
			if !closed {
				return nil, errAt(q, i, len(q), `exact-match term is not closed; add the closing " (escape " \ ( ) inside it with a backslash)`)
			}
			toks = append(toks, stok{kind: stQuoted, text: b.String(), pos: i, end: j})
			i = j
		case r == '\'':
			return nil, errAt(q, i, i+1, `single quote inside a search query; quote exact-match terms with double quotes: "CPUUtilization"`)
		default:
			j := i
			for j < len(q) {
				r, size := utf8.DecodeRuneInString(q[j:])
				if unicode.IsSpace(r) || strings.ContainsRune(`(){},="'`, r) {
					break
				}
				j += size
			}
			w := q[i:j]
			kind := stWord
			switch w {
			case "AND":
				kind = stAnd
			case "OR":
				kind = stOr
			case "NOT":
				kind = stNot
			}
			toks = append(toks, stok{kind: kind, text: w, pos: i, end: j})
			i = j
		}
	}
	return append(toks, stok{kind: stEOF, pos: len(q), end: len(q)}), nil
}

type searchParser struct {
	src  string
	toks []stok
	i    int
}

func (p *searchParser) peek() stok { return p.toks[p.i] }
func (p *searchParser) next() stok {
	t := p.toks[p.i]
	if t.kind != stEOF {
		p.i++
	}
	return t
}

func (p *searchParser) parseSchema() (*Schema, error) {
	open := p.next()
	var names []string
	for {
		t := p.next()
		switch t.kind {
		case stWord, stQuoted, stAnd, stOr, stNot:
			names = append(names, t.text)
		case stRBrace:
			if len(names) == 0 {
				return nil, errAt(p.src, open.pos, t.end, "empty metric schema; write {Namespace} or {Namespace,DimensionName,...}")
			}
			return nil, errAt(p.src, t.pos, t.end, `"}" after ","; remove the trailing comma`)
		case stEOF:
			return nil, errAt(p.src, open.pos, open.end, `metric schema is not closed; add "}"`)
		default:
			return nil, errAt(p.src, t.pos, t.end, "unexpected %q in the metric schema; put names that contain spaces or punctuation in double quotes: {\"My Namespace\",\"Dim Name\"}", p.src[t.pos:t.end])
		}
		t = p.next()
		if t.kind == stRBrace {
			break
		}
		if t.kind != stComma {
			if t.kind == stEOF {
				return nil, errAt(p.src, open.pos, open.end, `metric schema is not closed; add "}"`)
			}
			return nil, errAt(p.src, t.pos, t.end, "unexpected %q in the metric schema; separate the namespace and dimension names with commas and quote names that contain spaces", p.src[t.pos:t.end])
		}
	}
	s := &Schema{Namespace: names[0], Dims: names[1:]}
	for i, d := range s.Dims {
		if slices.Contains(s.Dims[:i], d) {
			return nil, errAt(p.src, open.pos, open.end, "dimension %q appears twice in the metric schema; list each once", d)
		}
	}
	return s, nil
}

// Grammar, loosest first: or := and {OR and}; and := not {[AND] not}; not := NOT not | primary.
func (p *searchParser) parseOr() (sterm, error) {
	l, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	for p.peek().kind == stOr {
		p.next()
		r, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		l = &orTerm{l, r}
	}
	return l, nil
}

func (p *searchParser) parseAnd() (sterm, error) {
	l, err := p.parseNot()
	if err != nil {
		return nil, err
	}
	for {
		switch p.peek().kind {
		case stAnd:
			p.next()
		case stWord, stQuoted, stNot, stLParen:
		default:
			return l, nil
		}
		r, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		l = &andTerm{l, r}
	}
}

func (p *searchParser) parseNot() (sterm, error) {
	if p.peek().kind == stNot {
		p.next()
		x, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		return &notTerm{x}, nil
	}
	return p.parsePrimary()
}

func (p *searchParser) parsePrimary() (sterm, error) {
	t := p.next()
	switch t.kind {
	case stLParen:
		x, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		c := p.next()
		if c.kind != stRParen {
			if c.kind == stEOF {
				return nil, errAt(p.src, t.pos, t.end, `"(" is not closed; add ")"`)
			}
			return nil, errAt(p.src, c.pos, c.end, `unexpected %q; expected ")" to close the "(" at column %s`, p.src[c.pos:c.end], col(p.src, t.pos))
		}
		return x, nil
	case stWord, stQuoted:
		if p.peek().kind == stEq {
			eq := p.next()
			return p.parseProperty(t, eq)
		}
		return p.term(t, "", false)
	case stEOF:
		return nil, errAt(p.src, t.pos, t.end, "search query ends too early; expected a search term after the operator")
	case stLBrace:
		return nil, errAt(p.src, t.pos, t.end, "the metric schema {Namespace,...} must come first in the search query")
	case stEq:
		return nil, errAt(p.src, t.pos, t.end, `"=" needs a property name before it, such as MetricName="CPUUtilization"`)
	}
	return nil, errAt(p.src, t.pos, t.end, "unexpected %q; expected a search term", p.src[t.pos:t.end])
}

func (p *searchParser) parseProperty(name, eq stok) (sterm, error) {
	prop := name.text
	if strings.HasPrefix(prop, ":aws.") {
		return nil, &Error{Source: p.src, Pos: name.pos, End: name.end, Err: ErrUnsupported,
			Msg: fmt.Sprintf("%s is not supported by cwnb's search (cross-account observability); remove it", prop)}
	}
	v := p.next()
	if v.kind != stWord && v.kind != stQuoted {
		return nil, errAt(p.src, eq.pos, eq.end, `%s= needs a value: %s="value" for an exact match or %s=value for a partial match`, prop, prop, prop)
	}
	return p.term(v, prop, true)
}

func (p *searchParser) term(t stok, prop string, hasProp bool) (sterm, error) {
	tt := &textTerm{prop: prop, hasProp: hasProp, text: t.text}
	if t.kind == stQuoted {
		tt.exact = true
		return tt, nil
	}
	words := splitWords(t.text)
	if len(words) == 0 {
		return nil, errAt(p.src, t.pos, t.end, "search term %q has no letters or digits; quote it for an exact match: \"%s\"", t.text, t.text)
	}
	for _, w := range words {
		atoms := appendAtoms(nil, w)
		for _, a := range atoms {
			tt.atoms = append(tt.atoms, a)
			tt.fold = append(tt.fold, len(atoms) == 1)
		}
	}
	tt.full = tokenize(t.text).full
	return tt, nil
}
