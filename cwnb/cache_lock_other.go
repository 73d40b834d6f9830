//go:build !unix

package cwnb

// lockFile is a no-op where flock does not exist: concurrent writers in several processes may
// then lose each other's updates (every file on disk stays complete and correct).
func lockFile(path string) (unlock func(), err error) { return func() {}, nil }

// tryLockFile never reports a free lock here, so temporary files of other cache files are kept.
func tryLockFile(path string) (unlock func(), ok bool) { return nil, false }
