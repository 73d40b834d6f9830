package metricmath

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// tokKind classifies a lexical token of a metric math expression.
type tokKind int

const (
	tokEOF    tokKind = iota
	tokNumber         // 12, 1.5, .5, 1e3
	tokID             // m1, errors_5xx: a query id, [a-z][A-Za-z0-9_]*
	tokName           // SUM, REPEAT: an upper-case name (function or keyword)
	tokString         // 'text' or "text"
	tokOp             // + - * / ^ == != < <= > >= && || AND OR
	tokLParen
	tokRParen
	tokLBrack
	tokRBrack
	tokComma
)

type token struct {
	kind tokKind
	text string  // the source text (for strings: the decoded value)
	num  float64 // tokNumber only
	pos  int     // byte offset in the source
	end  int     // byte offset just past the token
}

func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "end of expression"
	case tokString:
		return strconv.Quote(t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

// lex splits src into tokens. Errors carry the position of the offending character.
func lex(src string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			j := i
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.') {
				j++
			}
			if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
				k := j + 1
				if k < len(src) && (src[k] == '+' || src[k] == '-') {
					k++
				}
				if k < len(src) && src[k] >= '0' && src[k] <= '9' {
					for k < len(src) && src[k] >= '0' && src[k] <= '9' {
						k++
					}
					j = k
				}
			}
			text := src[i:j]
			v, err := strconv.ParseFloat(text, 64)
			if err != nil {
				return nil, errAt(src, i, j, "%q is not a number; write numbers like 5, 0.25 or 1e3", text)
			}
			if j < len(src) && isIdentChar(src[j]) {
				k := j
				for k < len(src) && isIdentChar(src[k]) {
					k++
				}
				return nil, errAt(src, i, k, "%q is neither a number nor an id; ids start with a lower-case letter, like m1", src[i:k])
			}
			toks = append(toks, token{kind: tokNumber, text: text, num: v, pos: i, end: j})
			i = j
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_':
			j := i
			for j < len(src) && isIdentChar(src[j]) {
				j++
			}
			text := src[i:j]
			switch {
			case text == "AND" || text == "OR":
				toks = append(toks, token{kind: tokOp, text: text, pos: i, end: j})
			case c >= 'a' && c <= 'z':
				toks = append(toks, token{kind: tokID, text: text, pos: i, end: j})
			case c == '_':
				return nil, errAt(src, i, j, "%q is not a valid id; ids match [a-z][A-Za-z0-9_]* (start with a lower-case letter)", text)
			default:
				toks = append(toks, token{kind: tokName, text: text, pos: i, end: j})
			}
			i = j
		case c == '\'' || c == '"':
			s, j, err := lexString(src, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tokString, text: s, pos: i, end: j})
			i = j
		case singleCharTokens[c] != 0:
			toks = append(toks, token{kind: singleCharTokens[c], text: string(c), pos: i, end: i + 1})
			i++
		case c == '<' || c == '>':
			if i+1 < len(src) && src[i+1] == '=' {
				toks = append(toks, token{kind: tokOp, text: src[i : i+2], pos: i, end: i + 2})
				i += 2
			} else {
				toks = append(toks, token{kind: tokOp, text: string(c), pos: i, end: i + 1})
				i++
			}
		case c == '=' || c == '!':
			if i+1 < len(src) && src[i+1] == '=' {
				toks = append(toks, token{kind: tokOp, text: src[i : i+2], pos: i, end: i + 2})
				i += 2
				continue
			}
			if c == '=' {
				return nil, errAt(src, i, i+1, `"=" is not an operator; compare with "=="`)
			}
			return nil, errAt(src, i, i+1, `"!" is not an operator; use "!=" to compare`)
		case c == '&' || c == '|':
			if i+1 < len(src) && src[i+1] == c {
				toks = append(toks, token{kind: tokOp, text: src[i : i+2], pos: i, end: i + 2})
				i += 2
				continue
			}
			return nil, errAt(src, i, i+1, "%q is not an operator; use %q (or %s)", string(c), string([]byte{c, c}), map[byte]string{'&': "AND", '|': "OR"}[c])
		default:
			r, size := utf8.DecodeRuneInString(src[i:])
			if r == '“' || r == '”' || r == '‘' || r == '’' {
				return nil, errAt(src, i, i+size, "typographic quote %q; write strings with straight quotes ' or \"", string(r))
			}
			return nil, errAt(src, i, i+size, "unexpected character %q; expressions use ids, numbers, strings, + - * / ^, comparisons, ( ) [ ] and ,", string(r))
		}
	}
	toks = append(toks, token{kind: tokEOF, pos: len(src), end: len(src)})
	return toks, nil
}

func isIdentChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// lexString reads a quoted string starting at src[i] (a ' or "). A backslash escapes the next
// character, so a search query can carry the \" \\ \( \) escapes of exact-match terms: the
// escape is kept in the value only when it escapes something other than the enclosing quote.
func lexString(src string, i int) (string, int, error) {
	q := src[i]
	var b strings.Builder
	j := i + 1
	for j < len(src) {
		c := src[j]
		if c == '\\' && j+1 < len(src) {
			if src[j+1] == q {
				b.WriteByte(q)
			} else {
				b.WriteByte('\\')
				b.WriteByte(src[j+1])
			}
			j += 2
			continue
		}
		if c == q {
			return b.String(), j + 1, nil
		}
		b.WriteByte(c)
		j++
	}
	return "", 0, errAt(src, i, len(src), "string starting here is not closed; add the closing %c", q)
}

// singleCharTokens are the tokens that are one character long whatever follows them.
var singleCharTokens = [256]tokKind{
	'(': tokLParen, ')': tokRParen, '[': tokLBrack, ']': tokRBrack, ',': tokComma,
	'+': tokOp, '-': tokOp, '*': tokOp, '/': tokOp, '^': tokOp,
}
