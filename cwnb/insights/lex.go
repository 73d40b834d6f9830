package insights

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// tokKind is the kind of a token.
type tokKind uint8

const (
	tEOF tokKind = iota
	tIdent
	tString
	tNumber
	tDuration // a number with a unit: 5m, 1h, 100ms
	tOp       // operators and punctuation: = != < <= > >= =~ + - * / % ^ , ( ) [ ] |
)

type token struct {
	kind   tokKind
	text   string // identifier (unquoted), string contents (unescaped), number or operator text
	pos    int    // byte offset of the token's first character
	end    int    // byte offset after the token
	quoted bool   // a `backticked` identifier
}

// Error is a query the engine does not accept: a syntax error, or a command or function outside
// the supported subset. Line and Col (1-based, in characters) locate it in the query.
type Error struct {
	Line, Col int
	Msg       string
}

// Error returns "msg at line L, column C".
func (e *Error) Error() string { return fmt.Sprintf("%s at line %d, column %d", e.Msg, e.Line, e.Col) }

func errAt(src string, pos int, format string, args ...any) *Error {
	if pos > len(src) {
		pos = len(src)
	}
	line := 1 + strings.Count(src[:pos], "\n")
	col := 1 + utf8.RuneCountInString(src[strings.LastIndexByte(src[:pos], '\n')+1:pos])
	return &Error{Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// lexer turns a query into tokens on demand; the parser asks for a regex where one may start.
type lexer struct {
	src string
	pos int
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '@' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isIdentChar(c byte) bool {
	return isIdentStart(c) || c == '.' || c >= '0' && c <= '9'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// skip skips white space and # comments.
func (l *lexer) skip() {
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			l.pos++
		case c == '#':
			for l.pos < len(l.src) && l.src[l.pos] != '\n' {
				l.pos++
			}
		default:
			return
		}
	}
}

// next returns the next token.
func (l *lexer) next() (token, error) {
	l.skip()
	start := l.pos
	if l.pos >= len(l.src) {
		return token{kind: tEOF, pos: start, end: start}, nil
	}
	c := l.src[l.pos]
	switch {
	case isIdentStart(c):
		for l.pos < len(l.src) && isIdentChar(l.src[l.pos]) {
			l.pos++
		}
		return token{kind: tIdent, text: l.src[start:l.pos], pos: start, end: l.pos}, nil
	case c == '`':
		i := strings.IndexByte(l.src[l.pos+1:], '`')
		if i < 0 {
			return token{}, errAt(l.src, start, "unterminated `quoted` field name")
		}
		l.pos += i + 2
		return token{kind: tIdent, text: l.src[start+1 : l.pos-1], pos: start, end: l.pos, quoted: true}, nil
	case isDigit(c) || c == '.' && l.pos+1 < len(l.src) && isDigit(l.src[l.pos+1]):
		for l.pos < len(l.src) && (isDigit(l.src[l.pos]) || l.src[l.pos] == '.') {
			l.pos++
		}
		if l.pos < len(l.src) && (l.src[l.pos] == 'e' || l.src[l.pos] == 'E') && l.pos+1 < len(l.src) &&
			(isDigit(l.src[l.pos+1]) || (l.src[l.pos+1] == '-' || l.src[l.pos+1] == '+') && l.pos+2 < len(l.src) && isDigit(l.src[l.pos+2])) {
			l.pos += 2
			for l.pos < len(l.src) && isDigit(l.src[l.pos]) {
				l.pos++
			}
		}
		if l.pos < len(l.src) && (l.src[l.pos] >= 'a' && l.src[l.pos] <= 'z' || l.src[l.pos] >= 'A' && l.src[l.pos] <= 'Z') {
			for l.pos < len(l.src) && (l.src[l.pos] >= 'a' && l.src[l.pos] <= 'z' || l.src[l.pos] >= 'A' && l.src[l.pos] <= 'Z') {
				l.pos++
			}
			return token{kind: tDuration, text: l.src[start:l.pos], pos: start, end: l.pos}, nil
		}
		return token{kind: tNumber, text: l.src[start:l.pos], pos: start, end: l.pos}, nil
	case c == '"' || c == '\'':
		var b strings.Builder
		l.pos++
		for l.pos < len(l.src) {
			d := l.src[l.pos]
			if d == '\\' && l.pos+1 < len(l.src) {
				switch e := l.src[l.pos+1]; e {
				case 'n':
					b.WriteByte('\n')
				case 't':
					b.WriteByte('\t')
				default:
					b.WriteByte(e)
				}
				l.pos += 2
				continue
			}
			if d == c {
				l.pos++
				return token{kind: tString, text: b.String(), pos: start, end: l.pos}, nil
			}
			b.WriteByte(d)
			l.pos++
		}
		return token{}, errAt(l.src, start, "unterminated string")
	}
	for _, op := range []string{"!=", "<=", ">=", "=~", "==", "=", "<", ">", "+", "-", "*", "/", "%", "^", ",", "(", ")", "[", "]", "|"} {
		if strings.HasPrefix(l.src[l.pos:], op) {
			l.pos += len(op)
			if op == "==" {
				op = "="
			}
			return token{kind: tOp, text: op, pos: start, end: l.pos}, nil
		}
	}
	r, _ := utf8.DecodeRuneInString(l.src[l.pos:])
	return token{}, errAt(l.src, start, "unexpected character %q", r)
}

// regex scans a /regex/ literal starting at pos (the opening slash); a backslash escapes the
// next character (\/ is a slash).
func (l *lexer) regex(pos int) (token, error) {
	i := pos + 1
	var b strings.Builder
	for i < len(l.src) {
		c := l.src[i]
		if c == '\\' && i+1 < len(l.src) {
			if l.src[i+1] == '/' {
				b.WriteByte('/')
			} else {
				b.WriteString(l.src[i : i+2])
			}
			i += 2
			continue
		}
		if c == '/' {
			l.pos = i + 1
			return token{kind: tString, text: b.String(), pos: pos, end: l.pos}, nil
		}
		b.WriteByte(c)
		i++
	}
	return token{}, errAt(l.src, pos, "unterminated /regex/")
}
