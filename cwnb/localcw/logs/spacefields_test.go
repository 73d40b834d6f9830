package logs

import (
	"slices"
	"testing"
)

// A message's space-delimited fields: runs of spaces separate them; "quoted" and [bracketed]
// text is one field without its delimiters; a quote inside a field, or one never closed, is text.
func TestSpaceFields(t *testing.T) {
	got := spaceFields(`a  "b c" [d e] f"g "h`)
	if want := []string{"a", "b c", "d e", `f"g`, `"h`}; !slices.Equal(got, want) {
		t.Errorf("spaceFields = %q, want %q", got, want)
	}
}
