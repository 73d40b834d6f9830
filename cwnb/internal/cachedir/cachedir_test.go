package cachedir

import (
	"path/filepath"
	"testing"
)

func TestDefault(t *testing.T) {
	t.Setenv("CWNB_CACHE", "")
	t.Setenv("GONB_DIR", "")
	if got := Default(); got != ".cwnb" {
		t.Errorf("default = %q", got)
	}
	t.Setenv("GONB_DIR", "/nb")
	if got := Default(); got != filepath.Join("/nb", ".cwnb") {
		t.Errorf("under GoNB = %q", got)
	}
	t.Setenv("CWNB_CACHE", "/tmp/c")
	if got := Default(); got != "/tmp/c" {
		t.Errorf("CWNB_CACHE = %q", got)
	}
}
