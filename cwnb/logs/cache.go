package logs

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"github.com/cwnb/cwnb/cwnb/internal/cachedir"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// cache keeps the rows of complete windows as gzipped JSON files, one per (endpoint, query,
// window), under <dir>/<endpoint>/. A file that does not decode is ignored and rewritten.
type cache struct{ dir string }

func openCache(dir string) *cache {
	switch dir {
	case "-":
		return nil
	case "":
		dir = filepath.Join(cachedir.Default(), "logs")
	}
	return &cache{dir: dir}
}

// cacheFormat is the version of the cache files; a file of another version is ignored.
const cacheFormat = 1

type cacheFile struct {
	Format int        `json:"format"`
	Query  string     `json:"query"`
	Result *rawResult `json:"result"`
}

func cacheKey(endpoint string, q Query, maxRows int) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%d", strings.Join(q.Groups, "\x01"), q.Query,
		q.Start.UTC().Format(time.RFC3339), q.End.UTC().Format(time.RFC3339), maxRows)
	safe := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' {
			return r
		}
		return '_'
	}, endpoint)
	return filepath.Join(safe, hex.EncodeToString(h.Sum(nil))[:24]+".json.gz")
}

func (c *cache) get(key string) *rawResult {
	file, err := os.Open(filepath.Join(c.dir, key))
	if err != nil {
		return nil
	}
	defer file.Close()
	zr, err := gzip.NewReader(file)
	if err != nil {
		return nil
	}
	var f cacheFile
	if json.NewDecoder(zr).Decode(&f) != nil || f.Format != cacheFormat || f.Result == nil {
		return nil
	}
	f.Result.Queries, f.Result.Splits = 0, 0 // no query was sent for this result
	return f.Result
}

// getAnyEndpoint finds key's entry recorded against any endpoint (for offline re-runs of a
// notebook whose cache was made against another endpoint).
func (c *cache) getAnyEndpoint(key string) *rawResult {
	matches, _ := filepath.Glob(filepath.Join(c.dir, "*", filepath.Base(key)))
	for _, m := range matches {
		rel, err := filepath.Rel(c.dir, m)
		if err == nil {
			if r := c.get(rel); r != nil {
				return r
			}
		}
	}
	return nil
}

func (c *cache) put(key string, r *rawResult) error {
	path := filepath.Join(c.dir, key)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(cacheFile{Format: cacheFormat, Result: r}); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
