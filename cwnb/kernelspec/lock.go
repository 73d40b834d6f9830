package kernelspec

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// staleLock is the age after which a lock file left by a killed process is ignored.
const staleLock = 10 * time.Minute

// lockDir takes an exclusive lock on dir (a lock file created with O_EXCL, portable and good
// enough between a few cooperating processes: tests of two packages building the tools into the
// same bin directory at once) and returns the function that releases it.
func lockDir(ctx context.Context, dir string) (func(), error) {
	if err := os.MkdirAll(dir, 0o755); err != nil && !errors.Is(err, os.ErrPermission) {
		return nil, err
	}
	path := filepath.Join(dir, ".cwnb-tools.lock")
	for {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprintf(f, "%d\n", os.Getpid())
			f.Close()
			return func() { os.Remove(path) }, nil
		}
		if errors.Is(err, os.ErrPermission) {
			// A read-only bin directory (tools installed system-wide): nothing will be built
			// there, so there is nothing to serialize.
			return func() {}, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("lock %s: %w", dir, err)
		}
		if fi, err := os.Stat(path); err == nil && time.Since(fi.ModTime()) > staleLock {
			os.Remove(path)
			continue
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for %s (another cwnb is building the kernel tools; remove the file if none is): %w", path, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}
