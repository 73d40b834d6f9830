// Package cachedir holds what the metric loader (package cwnb) and the logs loader (cwnb/logs)
// share about their disk caches: where the cache lives by default and the kind of a warning
// about a cache write.
package cachedir

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// Default returns where the cache lives when no directory is given: $CWNB_CACHE if set;
// otherwise ".cwnb" in the notebook's directory, which GoNB exports as $GONB_DIR (a cell's
// process runs in the kernel's working directory, the notebook's directory, and GONB_DIR follows
// %cd); otherwise ".cwnb" in the working directory. Committed next to the notebook, it lets the
// notebook re-render without AWS.
func Default() string {
	if d := os.Getenv("CWNB_CACHE"); d != "" {
		return d
	}
	if d := os.Getenv(protocol.GONB_DIR_ENV); d != "" {
		return filepath.Join(d, ".cwnb")
	}
	return ".cwnb"
}

// ErrNote is the kind of a warning about how a cache stored a result (a write that failed: the
// next load fetches again). A damaged cache file wraps cwnb.ErrCorrupt instead.
var ErrNote = errors.New("cache")
