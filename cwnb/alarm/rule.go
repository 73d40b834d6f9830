package alarm

import (
	"fmt"
	"strings"
	"time"
)

// Rule is a parsed composite alarm rule (AlarmRule): ALARM(name), OK(name),
// INSUFFICIENT_DATA(name), TRUE, FALSE, combined with AND, OR, NOT and parentheses. NOT binds
// tightest, then AND, then OR.
type Rule struct {
	src  string
	root node
}

type node struct {
	op       string // "state", "const", "not", "and", "or"
	state    State
	alarm    string
	value    bool
	children []node
}

// String returns the rule as written.
func (r *Rule) String() string { return r.src }

// Alarms returns the names of the alarms the rule refers to, in order of first mention.
func (r *Rule) Alarms() []string {
	var out []string
	seen := map[string]bool{}
	var walk func(n *node)
	walk = func(n *node) {
		if n.op == "state" && !seen[n.alarm] {
			seen[n.alarm] = true
			out = append(out, n.alarm)
		}
		for i := range n.children {
			walk(&n.children[i])
		}
	}
	walk(&r.root)
	return out
}

// Eval evaluates the rule with the given child states; an alarm missing from states is
// INSUFFICIENT_DATA.
func (r *Rule) Eval(states map[string]State) bool { return r.root.eval(states) }

func (n *node) eval(states map[string]State) bool {
	switch n.op {
	case "state":
		return states[n.alarm] == n.state
	case "const":
		return n.value
	case "not":
		return !n.children[0].eval(states)
	case "and":
		for i := range n.children {
			if !n.children[i].eval(states) {
				return false
			}
		}
		return true
	case "or":
		for i := range n.children {
			if n.children[i].eval(states) {
				return true
			}
		}
		return false
	}
	return false
}

// RuleError is a syntax error in an AlarmRule, with the byte offset where it was found.
type RuleError struct {
	Rule   string
	Offset int
	Msg    string
}

// Error returns the message with the rule and a caret under the offset.
func (e *RuleError) Error() string {
	return fmt.Sprintf("alarm rule %q: at offset %d: %s", e.Rule, e.Offset, e.Msg)
}

// MaxRuleLength is the longest AlarmRule PutCompositeAlarm accepts.
const MaxRuleLength = 10240

// ParseRule parses a composite alarm rule such as
// `ALARM("api-p99") AND NOT OK(db-cpu) OR FALSE`. Alarm names may be quoted (needed for names with
// spaces or parentheses) or bare.
func ParseRule(s string) (*Rule, error) {
	if len(s) > MaxRuleLength {
		return nil, &RuleError{s, MaxRuleLength, fmt.Sprintf("the rule is %d characters; the limit is %d", len(s), MaxRuleLength)}
	}
	p := &ruleParser{src: s}
	p.next()
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tEOF {
		return nil, p.errorf("unexpected %s after a complete rule; join rules with AND or OR", p.tok)
	}
	return &Rule{src: s, root: n}, nil
}

type tokKind int

const (
	tEOF tokKind = iota
	tWord
	tString
	tLParen
	tRParen
	tComma
	tBad
)

type ruleToken struct {
	kind tokKind
	text string
	off  int
}

func (t ruleToken) String() string {
	switch t.kind {
	case tEOF:
		return "end of rule"
	case tString:
		return fmt.Sprintf("%q", t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

type ruleParser struct {
	src   string
	pos   int
	tok   ruleToken
	depth int
}

func (p *ruleParser) errorf(format string, args ...any) error {
	return &RuleError{p.src, p.tok.off, fmt.Sprintf(format, args...)}
}

func (p *ruleParser) next() {
	s := p.src
	for p.pos < len(s) && strings.IndexByte(" \t\r\n", s[p.pos]) >= 0 {
		p.pos++
	}
	start := p.pos
	if p.pos >= len(s) {
		p.tok = ruleToken{tEOF, "", start}
		return
	}
	switch c := s[p.pos]; c {
	case '(':
		p.pos++
		p.tok = ruleToken{tLParen, "(", start}
	case ')':
		p.pos++
		p.tok = ruleToken{tRParen, ")", start}
	case ',':
		p.pos++
		p.tok = ruleToken{tComma, ",", start}
	case '"':
		end := strings.IndexByte(s[p.pos+1:], '"')
		if end < 0 {
			p.pos = len(s)
			p.tok = ruleToken{tBad, "unterminated quoted name", start}
			return
		}
		p.tok = ruleToken{tString, s[p.pos+1 : p.pos+1+end], start}
		p.pos += end + 2
	default:
		for p.pos < len(s) && strings.IndexByte(" \t\r\n(),\"", s[p.pos]) < 0 {
			p.pos++
		}
		p.tok = ruleToken{tWord, s[start:p.pos], start}
	}
}

func (p *ruleParser) or() (node, error) { return p.chain("OR", "or", p.and) }

func (p *ruleParser) and() (node, error) { return p.chain("AND", "and", p.unary) }

// chain parses operands joined by the keyword word into one node of op (a lone operand is
// returned as it is).
func (p *ruleParser) chain(word, op string, operand func() (node, error)) (node, error) {
	first, err := operand()
	if err != nil {
		return node{}, err
	}
	n := node{op: op, children: []node{first}}
	for p.tok.kind == tWord && p.tok.text == word {
		p.next()
		c, err := operand()
		if err != nil {
			return node{}, err
		}
		n.children = append(n.children, c)
	}
	if len(n.children) == 1 {
		return first, nil
	}
	return n, nil
}

func (p *ruleParser) unary() (node, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > 100 {
		return node{}, p.errorf("the rule nests more than 100 levels deep; simplify it")
	}
	t := p.tok
	switch t.kind {
	case tBad:
		return node{}, p.errorf("%s; close the name with \"", t.text)
	case tEOF:
		return node{}, p.errorf("the rule ends where ALARM(...), OK(...), INSUFFICIENT_DATA(...), TRUE, FALSE, NOT or ( was expected")
	case tLParen:
		p.next()
		n, err := p.or()
		if err != nil {
			return node{}, err
		}
		if p.tok.kind != tRParen {
			return node{}, p.errorf("expected ) to close the ( at offset %d, found %s", t.off, p.tok)
		}
		p.next()
		return n, nil
	case tWord:
		switch t.text {
		case "NOT":
			p.next()
			c, err := p.unary()
			if err != nil {
				return node{}, err
			}
			return node{op: "not", children: []node{c}}, nil
		case "TRUE", "FALSE":
			p.next()
			return node{op: "const", value: t.text == "TRUE"}, nil
		case "ALARM", "OK", "INSUFFICIENT_DATA":
			st, _ := ParseState(t.text)
			p.next()
			if p.tok.kind != tLParen {
				return node{}, p.errorf("%s must be followed by (alarm name), found %s", t.text, p.tok)
			}
			p.next()
			var name string
			switch p.tok.kind {
			case tString, tWord:
				name = p.tok.text
			default:
				return node{}, p.errorf("%s( must be followed by an alarm name, found %s", t.text, p.tok)
			}
			if name == "" {
				return node{}, p.errorf("the alarm name in %s() is empty", t.text)
			}
			p.next()
			if p.tok.kind != tRParen {
				return node{}, p.errorf("expected ) after the alarm name %q, found %s; quote names that contain spaces", name, p.tok)
			}
			p.next()
			return node{op: "state", state: st, alarm: name}, nil
		case "AND", "OR":
			return node{}, p.errorf("%s needs a condition on its left", t.text)
		}
		if up := strings.ToUpper(t.text); up != t.text && (up == "ALARM" || up == "OK" || up == "AND" || up == "OR" || up == "NOT" || up == "TRUE" || up == "FALSE" || up == "INSUFFICIENT_DATA") {
			return node{}, p.errorf("%q must be written in capitals: %s", t.text, up)
		}
		return node{}, p.errorf("unknown word %q; a rule is made of ALARM(name), OK(name), INSUFFICIENT_DATA(name), TRUE, FALSE, AND, OR, NOT and parentheses", t.text)
	}
	return node{}, p.errorf("unexpected %s", t)
}

// Composite replays a composite alarm over the timelines of its children, which must share one
// evaluation grid (Start, Step and length). The composite is ALARM while the rule holds and OK
// otherwise; it is evaluated at every step, so it changes at its children's transitions.
func Composite(name string, rule *Rule, children map[string]*Timeline) (*Timeline, error) {
	var ref *Timeline
	for _, a := range rule.Alarms() {
		c, ok := children[a]
		if !ok {
			return nil, fmt.Errorf("composite alarm %q: rule refers to alarm %q, which has no timeline; replay it first", name, a)
		}
		if ref == nil {
			ref = c
			continue
		}
		if !c.Start.Equal(ref.Start) || c.Step != ref.Step || len(c.States) != len(ref.States) {
			return nil, fmt.Errorf("composite alarm %q: timelines of %q and %q are on different grids; replay children over the same window", name, ref.Name, c.Name)
		}
	}
	if ref == nil {
		return nil, fmt.Errorf("composite alarm %q: rule %q refers to no alarm; it would never change", name, rule)
	}
	tl := &Timeline{Name: name, Start: ref.Start, Step: ref.Step, States: make([]State, len(ref.States))}
	states := map[string]State{}
	cur := InsufficientData
	for i := range tl.States {
		for _, a := range rule.Alarms() {
			states[a] = children[a].States[i]
		}
		st := OK
		if rule.Eval(states) {
			st = Alarm
		}
		if st != cur {
			tl.Changes = append(tl.Changes, Change{Time: tl.Start.Add(time.Duration(i) * tl.Step), From: cur, To: st,
				Reason: compositeReason(rule, states, st)})
			cur = st
		}
		tl.States[i] = st
	}
	return tl, nil
}

func compositeReason(rule *Rule, states map[string]State, st State) string {
	var parts []string
	for _, a := range rule.Alarms() {
		parts = append(parts, fmt.Sprintf("%s is %v", a, states[a]))
	}
	return fmt.Sprintf("composite rule is %v: %s", st == Alarm, strings.Join(parts, ", "))
}
