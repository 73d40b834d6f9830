package cwnb

import (
	"errors"
	"fmt"
	"github.com/cwnb/cwnb/cwnb/internal/cachedir"
	"strings"
)

// Sentinels that a Warning wraps, so that code can branch on what went wrong with
// errors.Is(w, cwnb.ErrPartialData) instead of matching text.
var (
	// ErrCoarsePeriod: the data was loaded, or an analysis ran, at a coarser period than asked or
	// needed (detail is lost), or the period was chosen automatically (a note).
	ErrCoarsePeriod = errors.New("coarser period")
	// ErrPartialData: some series are incomplete (a status other than Complete, or a limit hit),
	// or CloudWatch flagged them with a message (MultipleUnits, ArithmeticError,
	// MaxMetricsExceeded ...).
	ErrPartialData = errors.New("partial data")
	// ErrNoMatch: a query matched no metric, or a series came back empty.
	ErrNoMatch = errors.New("nothing matched")
)

// Warning is one thing the user of a result should act on (Result.Warnings) or know
// (Result.Notes). It prints as its text and wraps a sentinel (Kind) for errors.Is and errors.As.
type Warning struct {
	Kind error  // the sentinel this warning is an instance of; never nil
	Text string // the sentence shown to the user
}

// warnf builds a Warning of kind from a format.
func warnf(kind error, format string, args ...any) Warning {
	return Warning{Kind: kind, Text: fmt.Sprintf(format, args...)}
}

// Error returns the text, so a Warning can travel as an error and prints as its text.
func (w Warning) Error() string { return w.Text }

// Unwrap returns the sentinel.
func (w Warning) Unwrap() error { return w.Kind }

// Warnings is a list of warnings or notes, in the order they were found.
type Warnings []Warning

// String returns the texts, one per line.
func (ws Warnings) String() string {
	s := make([]string, len(ws))
	for i, w := range ws {
		s[i] = w.Text
	}
	return strings.Join(s, "\n")
}

// has reports whether any warning wraps target (errors.Is).
func (ws Warnings) has(target error) bool {
	for _, w := range ws {
		if errors.Is(w, target) {
			return true
		}
	}
	return false
}

// Texts returns the texts.
func (ws Warnings) texts() []string {
	s := make([]string, len(ws))
	for i, w := range ws {
		s[i] = w.Text
	}
	return s
}

// dedupe drops repeated warnings (same text), keeping the first.
func (ws Warnings) dedupe() Warnings {
	seen := map[string]bool{}
	out := ws[:0]
	for _, w := range ws {
		if !seen[w.Text] {
			seen[w.Text] = true
			out = append(out, w)
		}
	}
	return out
}

// errCacheNote is the kind of a warning about how the cache stored a result (a write that
// failed: the next load fetches again). A damaged cache file wraps ErrCorrupt instead.
var errCacheNote = cachedir.ErrNote
