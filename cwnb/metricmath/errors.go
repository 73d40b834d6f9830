package metricmath

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// ErrUnsupported is wrapped by errors for CloudWatch features that cwnb's metric math does not
// implement (functions such as ANOMALY_DETECTION_BAND, cross-account search). Such an expression
// is rejected rather than answered wrongly; test for it with errors.Is.
var ErrUnsupported = errors.New("not supported by cwnb's metric math")

// Error is a problem with an expression or search query: a syntax error, an unknown or
// unsupported function, an argument of the wrong type, or a reference that cannot be resolved.
// Pos and End delimit the offending text in Source (byte offsets); both are -1 when the problem
// concerns the whole expression.
type Error struct {
	Source string // the expression or search query as given
	Pos    int    // byte offset of the offending token, or -1
	End    int    // byte offset just past it, or -1
	Msg    string // what is wrong and how to fix it
	Err    error  // wrapped cause, such as ErrUnsupported; may be nil

	search bool // Source is a search query, not a metric math expression
}

// Error formats the problem with the column (1-based, in characters) and the offending text.
func (e *Error) Error() string {
	what := "metric math"
	if e.search {
		what = "search query"
	}
	if e.Pos < 0 || e.Pos > len(e.Source) {
		return fmt.Sprintf("%s %q: %s", what, excerpt(e.Source, 0), e.Msg)
	}
	col := utf8.RuneCountInString(e.Source[:e.Pos]) + 1
	src := excerpt(e.Source, e.Pos)
	if e.End > e.Pos && e.End <= len(e.Source) {
		return fmt.Sprintf("%s %q, column %d (%s): %s", what, src, col, excerpt(e.Source[e.Pos:e.End], 0), e.Msg)
	}
	return fmt.Sprintf("%s %q, column %d: %s", what, src, col, e.Msg)
}

// excerptLen is the length, in bytes, above which error messages quote only part of the source.
const excerptLen = 100

// excerpt returns s, or for a long s the part around byte offset pos, marked with "...".
func excerpt(s string, pos int) string {
	if len(s) <= excerptLen {
		return s
	}
	lo := max(0, pos-excerptLen/2)
	hi := min(len(s), lo+excerptLen)
	lo = max(0, hi-excerptLen)
	for lo > 0 && !utf8.RuneStart(s[lo]) {
		lo--
	}
	for hi < len(s) && !utf8.RuneStart(s[hi]) {
		hi++
	}
	out := s[lo:hi]
	if lo > 0 {
		out = "..." + out
	}
	if hi < len(s) {
		out += "..."
	}
	return out
}

// Unwrap returns the wrapped cause.
func (e *Error) Unwrap() error { return e.Err }

func errAt(src string, pos, end int, format string, args ...any) *Error {
	return &Error{Source: src, Pos: pos, End: end, Msg: fmt.Sprintf(format, args...)}
}
