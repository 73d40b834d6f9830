package cwnb

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/cwnb/cwnb/cwnb/internal/cachedir"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unsafe"
)

// diskCache is the on-disk cache of loaded series. A file holds, for one endpoint, region and account,
// the queries of one namespace, metric name, statistic and period (an entry per set of
// dimensions, unit and source account), or one expression with what it references: for each, the
// datapoints of every complete period fetched so far and the time ranges they cover. Grouping
// keeps a 1,000-series load to a handful of files, which is kind to git and to file systems.
//
// Layout: Dir/<endpoint>/<region>/<namespace>/<metric>.<stat>.<period>.<hash>.cwc for a metric,
// Dir/<endpoint>/<region>/_expr/<id>.<period>.<hash>.cwc for an expression and
// Dir/<endpoint>/<region>/_list/<hash>.cwl (JSON) for a List result. <endpoint> is
// "aws" for AWS's own endpoints, "local" for any loopback endpoint (the local CloudWatch on
// whatever port) and the host name otherwise. <hash> digests the query definition, region,
// account and period, never credentials. Paths relative to Dir are the keys that Entries and
// Clear take prefixes of, for example "local/us-east-1/MyService_API".
//
// File format (version 2): "CWNB" and a little-endian uint32 version; a uint32 length and a JSON
// header (the file's key and period; per entry its query key, description, covered ranges, and
// per series its label, its length and, for a series on the file's period grid, its start),
// padded with spaces so that the datapoints start at a multiple of 8 bytes; then the datapoints
// of each series of each entry, little-endian: a series on a grid is only its values (float64,
// NaN where a period has no datapoint), one per period from its start, sharing the grid's
// timestamps instead of carrying its own; any other series is its timestamps (int64 Unix
// seconds) then its values. Last, a CRC-32C of all the preceding bytes. The writer puts a series
// on the grid when that is no bigger: it spans the entry's covered ranges, so a load of the same
// window reads its columns straight out of the file's bytes, with no per-value decoding. Files
// of version 1 (every series with its timestamps) read as written by an older cwnb: fetched again
// online, an error saying to load once online when offline (both wrap ErrCorrupt).
//
// A cache file is untrusted input (it is committed to git): every length in it is checked against
// the file's size before anything is allocated. A file that fails any check is corrupt: an online
// load fetches its queries again, replaces the file and says so in Result.Warnings (wrapping
// ErrCorrupt); an offline load fails with an error that names the file and says it is corrupt.
//
// Writes hold an exclusive lock (flock on "<file>.lock") while they read what is on disk, merge
// and write: concurrent loads, in one process or many, never lose each other's updates. The data
// goes to a temporary file ".tmp-<file>-*" in the same directory, renamed over the file, so
// readers (which take no lock) never see a partial file; temporary files left by killed processes
// are removed by the next write. The cache directory carries a .gitignore for the temporary and
// lock files.
type diskCache struct {
	dir string
}

// cacheFormatVersion is the version of the cache file format.
const cacheFormatVersion = 2

const cacheExt = ".cwc"

var cacheMagic = []byte("CWNB")

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// ErrCorrupt is wrapped by the error reading a damaged cache file.
var ErrCorrupt = errors.New("corrupt cache file")

// errOldCacheFormat is wrapped, beside ErrCorrupt, by the error reading a cache file written by
// a cwnb with another cacheFormatVersion. An online load fetches its queries again and rewrites
// the file (a note says so); an offline load fails, saying to load once online.
var errOldCacheFormat = errors.New("cache file in another format")

// newDiskCache returns the cache in dir; "" means cachedir.Default(). The directory is created when
// the first entry is written.
func newDiskCache(dir string) *diskCache {
	if dir == "" {
		dir = cachedir.Default()
	}
	return &diskCache{dir: dir}
}

// Dir returns the cache's directory.
func (c *diskCache) Dir() string { return c.dir }

// cacheEntry describes one query held in the cache (or a cached listing, or an unreadable file).
type cacheEntry struct {
	Path     string // the file holding it, relative to the cache directory, with forward slashes
	Bytes    int64  // the file's size
	Modified time.Time
	Query    string        // what the entry holds: "MyService/API Latency p99 Service=checkout"
	Period   time.Duration //
	Covered  []Window      // complete periods held, as absolute windows
	Series   int           // number of series (several for SEARCH)
	Points   int           // datapoints held
	Err      error         // not nil when the file is corrupt
}

// Entries lists the queries held in the files whose path starts with prefix ("" for all), sorted
// by path. A damaged file is listed once, with Err set.
func (c *diskCache) Entries(prefix string) ([]cacheEntry, error) {
	var out []cacheEntry
	err := c.walk(prefix, func(rel, full string, info fs.FileInfo) error {
		ce := cacheEntry{Path: rel, Bytes: info.Size(), Modified: info.ModTime().UTC()}
		data, err := os.ReadFile(full)
		if err == nil && strings.HasSuffix(rel, listExt) {
			var lc listCacheFile
			if err = json.Unmarshal(data, &lc); err == nil {
				ce.Query = lc.Key
				ce.Series = len(lc.Metrics)
			} else {
				err = fmt.Errorf("%w: listing: %v", ErrCorrupt, err)
			}
		} else if err == nil {
			var h *fileHeader
			h, _, err = decodeHeader(data)
			if err == nil {
				for _, he := range h.Entries {
					e := ce
					e.Query = he.Desc
					e.Period = time.Duration(h.Period) * time.Second
					for _, iv := range he.Covered {
						e.Covered = append(e.Covered, Between(time.Unix(iv[0], 0), time.Unix(iv[1], 0)))
					}
					e.Series = len(he.Series)
					for _, s := range he.Series {
						if s.Start != nil {
							e.Points += s.Points
						} else {
							e.Points += s.N
						}
					}
					out = append(out, e)
				}
				return nil
			}
		}
		ce.Err = err
		out = append(out, ce)
		return nil
	})
	return out, err
}

// Size returns the number of cache files and their total size in bytes.
func (c *diskCache) Size() (files int, bytes int64, err error) {
	err = c.walk("", func(rel, full string, info fs.FileInfo) error {
		files++
		bytes += info.Size()
		return nil
	})
	return files, bytes, err
}

// Clear removes the cache files whose path starts with prefix ("" removes them all) and returns
// how many it removed. It also removes temporary files more than ten minutes old that a killed
// process left behind. Files that are not cache files are left alone, lock files included:
// removing one that another process holds would break its lock (the cache's .gitignore keeps
// them out of git).
func (c *diskCache) Clear(prefix string) (removed int, err error) {
	err = c.walk(prefix, func(rel, full string, info fs.FileInfo) error {
		if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		removed++
		return nil
	})
	if err != nil {
		return removed, err
	}
	prefix = filepath.ToSlash(prefix)
	old := time.Now().Add(-10 * time.Minute)
	err = filepath.WalkDir(c.dir, func(full string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasPrefix(d.Name(), ".tmp-") {
			return nil
		}
		rel, _ := filepath.Rel(c.dir, full)
		if info, ierr := d.Info(); ierr == nil && info.ModTime().Before(old) && strings.HasPrefix(filepath.ToSlash(rel), prefix) {
			os.Remove(full)
		}
		return nil
	})
	return removed, err
}

func (c *diskCache) walk(prefix string, fn func(rel, full string, info fs.FileInfo) error) error {
	prefix = filepath.ToSlash(prefix)
	err := filepath.WalkDir(c.dir, func(full string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() || !(strings.HasSuffix(d.Name(), cacheExt) || strings.HasSuffix(d.Name(), listExt)) {
			return nil
		}
		rel, err := filepath.Rel(c.dir, full)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if !strings.HasPrefix(rel, prefix) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		return fn(rel, full, info)
	})
	return err
}

// seriesData is the datapoints of one (query id, label) pair, ascending in time: either points
// (times and values) or values on a grid (start, step; NaN where a period has no datapoint).
type seriesData struct {
	label  string
	times  []int64 // points: Unix seconds, period starts; nil on a grid
	start  int64   // grid: the time of values[0], Unix seconds
	step   int64   // grid: seconds from one value to the next; 0 for points
	values []float64
}

// points returns the datapoints of s as timestamps and values: a grid's NaN periods left out.
func (s *seriesData) points() ([]int64, []float64) {
	if s.step == 0 {
		return s.times, s.values
	}
	n := 0
	for _, v := range s.values {
		if !math.IsNaN(v) {
			n++
		}
	}
	ts, vs := make([]int64, 0, n), make([]float64, 0, n)
	for i, v := range s.values {
		if !math.IsNaN(v) {
			ts, vs = append(ts, s.start+int64(i)*s.step), append(vs, v)
		}
	}
	return ts, vs
}

// count returns how many datapoints s holds.
func (s *seriesData) count() int {
	if s.step == 0 {
		return len(s.times)
	}
	n := 0
	for _, v := range s.values {
		if !math.IsNaN(v) {
			n++
		}
	}
	return n
}

// onGrid returns s on the grid of period seconds that spans covered, when that takes no more
// bytes than its points (8 per period against 16 per datapoint) and every datapoint lies on it;
// otherwise s itself.
func onGrid(s *seriesData, covered [][2]int64, period int64) *seriesData {
	if s.step != 0 || len(s.times) == 0 || len(covered) == 0 || period <= 0 {
		return s
	}
	lo, hi := covered[0][0], covered[len(covered)-1][1]
	n := (hi - lo + period - 1) / period
	if n > 2*int64(len(s.times)) {
		return s
	}
	for _, t := range s.times {
		if t < lo || t >= hi || (t-lo)%period != 0 {
			return s
		}
	}
	g := &seriesData{label: s.label, start: lo, step: period, values: make([]float64, n)}
	for i := range g.values {
		g.values[i] = math.NaN()
	}
	for i, t := range s.times {
		g.values[(t-lo)/period] = s.values[i]
	}
	return g
}

// entry is one query's data in a cache file.
type entry struct {
	key     string // canonical query definition
	desc    string // for people: "MyService/API Latency p99 {Service=checkout}"
	covered [][2]int64
	series  []*seriesData
}

// cacheFile is the content of one file: the entries of queries that share a namespace, metric
// name, statistic and period (they differ in dimensions, unit or account), or one expression.
type cacheFile struct {
	fileKey string
	period  int64
	entries []*entry
	idx     map[string]int // entry index by key, built on first use
}

func (f *cacheFile) index() {
	if f.idx == nil {
		f.idx = make(map[string]int, len(f.entries))
		for i, e := range f.entries {
			f.idx[e.key] = i
		}
	}
}

func (f *cacheFile) get(key string) *entry {
	f.index()
	if i, ok := f.idx[key]; ok {
		return f.entries[i]
	}
	return nil
}

// put replaces or adds e.
func (f *cacheFile) put(e *entry) {
	f.index()
	if i, ok := f.idx[e.key]; ok {
		f.entries[i] = e
		return
	}
	f.idx[e.key] = len(f.entries)
	f.entries = append(f.entries, e)
}

type headerSeries struct {
	Label string `json:"label"`
	N     int    `json:"n"`               // points, or values on the grid
	Start *int64 `json:"start,omitempty"` // set for a series on the file's period grid
	// Points is, for a series on the grid, how many of its N values are datapoints (not NaN):
	// what Entries lists without reading them.
	Points int `json:"points,omitempty"`
}

type headerEntry struct {
	Key     string         `json:"key"`
	Desc    string         `json:"desc"`
	Covered [][2]int64     `json:"covered"`
	Series  []headerSeries `json:"series"`
}

type fileHeader struct {
	FileKey string        `json:"file_key"`
	Period  int64         `json:"period_s"`
	Entries []headerEntry `json:"entries"`
}

// cacheKey locates one query's entry. The endpoint is only the top directory, kept out of the
// hashes, so that offline mode can use an entry recorded against another endpoint.
type cacheKey struct {
	endpoint string
	rel      string // file path below the endpoint directory
	fileKey  string // canonical description of the file's group, hashed into rel
	key      string // canonical description of the query
	desc     string
	period   time.Duration
	pth      string // path(), when made once for the queries of a file
}

func (k cacheKey) path() string {
	if k.pth != "" {
		return k.pth
	}
	return k.endpoint + "/" + k.rel
}

func encodeFile(f *cacheFile) ([]byte, error) {
	h := fileHeader{FileKey: f.fileKey, Period: f.period}
	words := 0
	series := make([][]*seriesData, len(f.entries))
	for k, e := range f.entries {
		he := headerEntry{Key: e.key, Desc: e.desc, Covered: e.covered}
		for _, s := range e.series {
			if s.step != 0 && s.step != f.period {
				ts, vs := s.points()
				s = &seriesData{label: s.label, times: ts, values: vs}
			}
			s = onGrid(s, e.covered, f.period)
			series[k] = append(series[k], s)
			hs := headerSeries{Label: s.label, N: len(s.values)}
			words += len(s.values)
			if s.step != 0 {
				hs.Start, hs.Points = &s.start, s.count()
			} else {
				words += len(s.times)
			}
			he.Series = append(he.Series, hs)
		}
		h.Entries = append(h.Entries, he)
	}
	hj, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	// Pad the header with spaces (JSON whitespace) so that the datapoints start 8-aligned.
	pad := (8 - (12+len(hj))%8) % 8
	buf := make([]byte, 0, 12+len(hj)+pad+8*words+4)
	buf = append(buf, cacheMagic...)
	buf = binary.LittleEndian.AppendUint32(buf, cacheFormatVersion)
	buf = binary.LittleEndian.AppendUint32(buf, uint32(len(hj)+pad))
	buf = append(buf, hj...)
	buf = append(buf, "       "[:pad]...)
	for _, ss := range series {
		for _, s := range ss {
			for _, t := range s.times {
				buf = binary.LittleEndian.AppendUint64(buf, uint64(t))
			}
			for _, v := range s.values {
				buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
			}
		}
	}
	buf = binary.LittleEndian.AppendUint32(buf, crc32.Checksum(buf, crcTable))
	return buf, nil
}

// decodeHeader checks the frame of a cache file (magic, version, checksum, header length) and its
// header against the file's size, and returns the header and the datapoint bytes. A cache file is
// untrusted input (it is committed to git and may come from anyone's pull request): every length
// is bounded by the bytes actually present before anything is allocated from it.
func decodeHeader(data []byte) (*fileHeader, []byte, error) {
	if len(data) < 16 || !bytes.Equal(data[:4], cacheMagic) {
		return nil, nil, fmt.Errorf("%w: not a cwnb cache file", ErrCorrupt)
	}
	if v := binary.LittleEndian.Uint32(data[4:]); v != cacheFormatVersion {
		kinds := []error{ErrCorrupt, errOldCacheFormat}
		if v < cacheFormatVersion {
			return nil, nil, errorf(kinds, "written by an older cwnb (cache format %d; this one reads %d)", v, cacheFormatVersion)
		}
		return nil, nil, errorf(kinds, "written by a newer cwnb (cache format %d; this one reads %d); update cwnb", v, cacheFormatVersion)
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if crc32.Checksum(body, crcTable) != sum {
		return nil, nil, fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	}
	// Compare in uint64: the header length is a uint32 and must not wrap an int on any platform.
	hl := uint64(binary.LittleEndian.Uint32(data[8:]))
	if hl > uint64(len(body)-12) {
		return nil, nil, fmt.Errorf("%w: header length %d beyond the file (%d bytes)", ErrCorrupt, hl, len(data))
	}
	var h fileHeader
	if err := json.Unmarshal(body[12:12+hl], &h); err != nil {
		return nil, nil, fmt.Errorf("%w: header: %v", ErrCorrupt, err)
	}
	rest := body[12+hl:]
	if err := h.check(len(rest)); err != nil {
		return nil, nil, err
	}
	return &h, rest, nil
}

// maxGridSpan bounds, in seconds, the time a series on a grid spans (about 35 years): with it,
// no start and length in a header can overflow an int64 when turned into times.
const maxGridSpan = 1 << 30

// check validates a decoded header against the n bytes of datapoints that follow it: a positive
// period, each entry once with sorted disjoint covered ranges, each series once per entry, and
// series lengths that add up to exactly n/8 words (a point takes two, a value on the grid one).
// A length is compared with the words still unclaimed before it is added or multiplied, so no
// crafted length (negative, or n + 2^60, whose byte size wraps to the real byte count) gets
// past it.
func (h *fileHeader) check(n int) error {
	if h.Period <= 0 || h.Period > maxGridSpan {
		return fmt.Errorf("%w: period %ds is not positive or beyond %d s", ErrCorrupt, h.Period, maxGridSpan)
	}
	if n%8 != 0 {
		return fmt.Errorf("%w: %d bytes of datapoints is not a whole number of 8-byte words", ErrCorrupt, n)
	}
	left := n / 8 // words not yet claimed by a series
	keys := make(map[string]bool, len(h.Entries))
	for _, he := range h.Entries {
		if keys[he.Key] {
			return fmt.Errorf("%w: entry %q appears twice", ErrCorrupt, he.Desc)
		}
		keys[he.Key] = true
		for i, iv := range he.Covered {
			if iv[0] >= iv[1] || i > 0 && iv[0] < he.Covered[i-1][1] {
				return fmt.Errorf("%w: entry %q: covered ranges are not sorted and disjoint", ErrCorrupt, he.Desc)
			}
		}
		labels := make(map[string]bool, len(he.Series))
		for _, s := range he.Series {
			if labels[s.Label] {
				return fmt.Errorf("%w: entry %q: series %q appears twice", ErrCorrupt, he.Desc, s.Label)
			}
			labels[s.Label] = true
			if s.Start != nil {
				if s.N < 0 || s.N > left {
					return fmt.Errorf("%w: entry %q: series %q claims %d values; only %d remain in the file", ErrCorrupt, he.Desc, s.Label, s.N, left)
				}
				if s.Points < 0 || s.Points > s.N {
					return fmt.Errorf("%w: entry %q: series %q claims %d datapoints in %d values", ErrCorrupt, he.Desc, s.Label, s.Points, s.N)
				}
				if *s.Start < -maxGridSpan<<20 || *s.Start > maxGridSpan<<20 || int64(s.N) > maxGridSpan/h.Period {
					return fmt.Errorf("%w: entry %q: series %q: grid from %d for %d periods is out of range", ErrCorrupt, he.Desc, s.Label, *s.Start, s.N)
				}
				left -= s.N
				continue
			}
			if s.N < 0 || s.N > left/2 {
				return fmt.Errorf("%w: entry %q: series %q claims %d points; only %d remain in the file", ErrCorrupt, he.Desc, s.Label, s.N, left/2)
			}
			left -= 2 * s.N
		}
	}
	if left != 0 {
		return fmt.Errorf("%w: %d bytes in the file that no series claims", ErrCorrupt, 8*left)
	}
	return nil
}

// decodeFile decodes a whole cache file whose header must carry fileKey (see decodeWords).
func decodeFile(data []byte, fileKey string) (*cacheFile, error) {
	words := make([]float64, (len(data)+7)/8)
	buf := wordBytes(words)[:len(data)]
	copy(buf, data)
	return decodeWords(words, buf, fileKey)
}

// wordBytes returns the memory of w as bytes.
func wordBytes(w []float64) []byte {
	if len(w) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(w))), 8*len(w))
}

// littleEndian is whether this machine stores numbers as the cache files do.
var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// decodeWords decodes the cache file in buf, whose header must carry fileKey; buf is the first
// len(buf) bytes of words' memory. Besides the checks of decodeHeader, each series' timestamps
// must be strictly ascending. The values of every series are slices of words: no value is
// decoded on a little-endian machine when the datapoints start 8-aligned, as a writer puts them
// (on another machine, or for a file that does not, they are converted into one new array).
func decodeWords(words []float64, buf []byte, fileKey string) (*cacheFile, error) {
	h, rest, err := decodeHeader(buf)
	if err != nil {
		return nil, err
	}
	if h.FileKey != fileKey {
		return nil, fmt.Errorf("%w: holds other queries (hash collision or renamed file)", ErrCorrupt)
	}
	off := len(buf) - 4 - len(rest) // where the datapoints start
	var block []float64
	switch {
	case off%8 == 0 && littleEndian:
		block = words[off/8 : off/8+len(rest)/8]
	case off%8 == 0: // decode in place: each word is read whole before it is written
		block = words[off/8 : off/8+len(rest)/8]
		for i := range block {
			block[i] = math.Float64frombits(binary.LittleEndian.Uint64(rest[8*i:]))
		}
	default:
		block = make([]float64, len(rest)/8)
		for i := range block {
			block[i] = math.Float64frombits(binary.LittleEndian.Uint64(rest[8*i:]))
		}
	}
	f := &cacheFile{fileKey: h.FileKey, period: h.Period, entries: make([]*entry, 0, len(h.Entries))}
	at := 0
	for _, he := range h.Entries {
		e := &entry{key: he.Key, desc: he.Desc, covered: he.Covered, series: make([]*seriesData, 0, len(he.Series))}
		for _, hs := range he.Series {
			// hs.N is bounded by the words in the file (check), so nothing here outgrows it.
			s := &seriesData{label: hs.Label}
			if hs.Start != nil {
				s.start, s.step = *hs.Start, h.Period
				s.values = block[at : at+hs.N : at+hs.N]
				at += hs.N
				e.series = append(e.series, s)
				continue
			}
			s.times = make([]int64, hs.N)
			for i := range s.times {
				s.times[i] = int64(math.Float64bits(block[at+i]))
				if i > 0 && s.times[i] <= s.times[i-1] {
					return nil, fmt.Errorf("%w: entry %q: series %q: timestamps are not ascending", ErrCorrupt, he.Desc, hs.Label)
				}
			}
			at += hs.N
			s.values = block[at : at+hs.N : at+hs.N]
			at += hs.N
			e.series = append(e.series, s)
		}
		f.entries = append(f.entries, e)
	}
	return f, nil
}

// readCacheFile decodes the cache file at path (see decodeWords), read straight into the
// memory its series' values then live in.
func readCacheFile(path, fileKey string) (*cacheFile, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	if size < 16 || size > maxCacheFile {
		return nil, fmt.Errorf("%w: %d bytes is not the size of a cwnb cache file", ErrCorrupt, size)
	}
	words := make([]float64, (size+7)/8)
	buf := wordBytes(words)[:size]
	if _, err := io.ReadFull(fh, buf); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return decodeWords(words, buf, fileKey)
}

// maxCacheFile is the largest cache file read (16 GiB): beyond it, a file is not one cwnb wrote.
const maxCacheFile = 16 << 30

// readFile returns the file of k, nil if there is none. A damaged file returns an error wrapping
// ErrCorrupt that names the file. With anyEndpoint, the same file under another endpoint
// directory is used when k's own is missing (offline mode); from names the endpoint it came from.
// If every such file is damaged, the first damage is the error: offline, a corrupt file must be
// reported as corrupt, not as missing.
func (c *diskCache) readFile(k cacheKey, anyEndpoint bool) (f *cacheFile, from string, err error) {
	full := filepath.Join(c.dir, filepath.FromSlash(k.path()))
	f, err = readCacheFile(full, k.fileKey)
	if err == nil {
		return f, k.endpoint, nil
	}
	if errors.Is(err, ErrCorrupt) {
		return nil, k.endpoint, &corruptFileError{path: full, err: err}
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, "", err
	}
	if !anyEndpoint {
		return nil, "", nil
	}
	matches, _ := filepath.Glob(filepath.Join(c.dir, "*", filepath.FromSlash(k.rel)))
	sort.Strings(matches)
	var first error
	for _, m := range matches {
		f, err := readCacheFile(m, k.fileKey)
		if err == nil {
			rel, _ := filepath.Rel(c.dir, m)
			return f, strings.SplitN(filepath.ToSlash(rel), "/", 2)[0], nil
		}
		if errors.Is(err, ErrCorrupt) {
			err = &corruptFileError{path: m, err: err}
		}
		if first == nil {
			first = err
		}
	}
	return nil, "", first
}

// corruptFileError is a damaged cache file: its path and what is wrong (wrapping ErrCorrupt).
type corruptFileError struct {
	path string
	err  error
}

func (e *corruptFileError) Error() string { return e.path + ": " + e.err.Error() }
func (e *corruptFileError) Unwrap() error { return e.err }

// offlineReadError is the error of an offline load whose cache file (rel, below dir) cannot be
// read: for a damaged file it says corrupt, not missing, names the file and says what to do. It
// wraps ErrOffline and the read error (ErrCorrupt for a damaged file).
func offlineReadError(dir, rel string, err error) error {
	var cf *corruptFileError
	if errors.As(err, &cf) && errors.Is(err, errOldCacheFormat) {
		return errorf([]error{ErrOffline, cf}, "offline (CWNB_OFFLINE or Options.Offline), and the cache file %s was %s; load once online to fetch it again in this format",
			cf.path, errText(cf))
	}
	if errors.As(err, &cf) {
		return &offlineCorruptError{cf}
	}
	return fmt.Errorf("%w: cache file %s in %s: %w", ErrOffline, rel, dir, err)
}

// filePath is the path of the cache file (rel, below dir) that a read error is about.
func filePath(dir, rel string, err error) string {
	var cf *corruptFileError
	if errors.As(err, &cf) {
		return cf.path
	}
	return filepath.Join(dir, filepath.FromSlash(rel))
}

// errText is the text of a cache read error after its sentinel's: "written by an older cwnb
// (cache format 1; this one reads 2)".
func errText(err error) string {
	var cf *corruptFileError
	if errors.As(err, &cf) {
		err = cf.err
	}
	return strings.TrimPrefix(err.Error(), ErrCorrupt.Error()+": ")
}

type offlineCorruptError struct{ cf *corruptFileError }

func (e *offlineCorruptError) Error() string {
	return fmt.Sprintf("offline (CWNB_OFFLINE or Options.Offline), and the cache file %s is corrupt (%v); "+
		"restore it (git checkout -- %s) or delete it and load once online to fetch it again",
		e.cf.path, strings.TrimPrefix(e.cf.err.Error(), ErrCorrupt.Error()+": "), e.cf.path)
}

func (e *offlineCorruptError) Unwrap() []error { return []error{ErrOffline, e.cf} }

// writeFile stores f, merged with what the file holds on disk now, under the file's lock: the
// read-merge-write is atomic across processes (flock on "<file>.lock"), so concurrent loads into
// one file never lose each other's entries or ranges (where both hold a period, f wins). The data
// goes to a temporary file ".tmp-<file>-*" in the same directory, renamed over the file: readers
// never see a partial file. Temporary files that killed processes left behind are removed here.
// A damaged file on disk is replaced.
func (c *diskCache) writeFile(k cacheKey, f *cacheFile) error {
	full := filepath.Join(c.dir, filepath.FromSlash(k.path()))
	dir, base := filepath.Dir(full), filepath.Base(full)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cache directory: %w", err)
	}
	c.writeGitignore()
	unlock, err := lockFile(full + lockExt)
	if err != nil {
		return fmt.Errorf("cache: lock %s: %w", full, err)
	}
	defer unlock()
	if data, err := os.ReadFile(full); err == nil {
		if disk, err := decodeFile(data, k.fileKey); err == nil {
			f = unionFiles(disk, f)
		}
	}
	removeStaleTemps(dir, base)
	data, err := encodeFile(f)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, tmpPrefix+base+"-*")
	if err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("cache: write %s: %v", tmp.Name(), errors.Join(werr, cerr))
	}
	if err := os.Rename(tmp.Name(), full); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("cache: %w", err)
	}
	return nil
}

const (
	tmpPrefix = ".tmp-" // temporary files: ".tmp-<cache file name>-<random>"
	lockExt   = ".lock" // lock files: "<cache file name>.lock"
	// staleAge is how old a temporary file of unknown origin must be to be removed.
	staleAge = 10 * time.Minute
)

// gitignore is written at the top of a cache directory that has none: the cache is meant to be
// committed, its temporary and lock files are not. The patterns name only cwnb's own files, in
// case the cache directory is a project's root.
const gitignore = "# written by cwnb: the cache files are meant to be committed, not these\n" + tmpPrefix + "*\n*" + cacheExt + lockExt + "\n"

// writeGitignore writes the cache directory's .gitignore unless there is one.
func (c *diskCache) writeGitignore() {
	p := filepath.Join(c.dir, ".gitignore")
	if _, err := os.Stat(p); err == nil {
		return
	}
	if f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644); err == nil {
		f.WriteString(gitignore)
		f.Close()
	}
}

// removeStaleTemps removes the temporary files in dir that no live writer owns. The caller holds
// the lock of base, so a temporary file of base is a leftover of a writer that died. A temporary
// file of another cache file is a leftover when that file's lock is free; one whose name says
// nothing (an older cwnb) when it is older than staleAge.
func removeStaleTemps(dir, base string) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, de := range des {
		name := de.Name()
		rest, ok := strings.CutPrefix(name, tmpPrefix)
		if !ok || de.IsDir() {
			continue
		}
		full := filepath.Join(dir, name)
		owner := ""
		if i := strings.LastIndexByte(rest, '-'); i > 0 && strings.HasSuffix(rest[:i], cacheExt) {
			owner = rest[:i]
		}
		switch {
		case owner == base:
			os.Remove(full)
		case owner != "":
			if unlock, ok := tryLockFile(filepath.Join(dir, owner+lockExt)); ok {
				os.Remove(full)
				unlock()
			}
		default:
			if info, err := de.Info(); err == nil && time.Since(info.ModTime()) > staleAge {
				os.Remove(full)
			}
		}
	}
}

// unionFiles returns the entries of disk and f together; where both hold an entry, their ranges
// and series are joined and f's values win for a period both hold.
func unionFiles(disk, f *cacheFile) *cacheFile {
	out := &cacheFile{fileKey: f.fileKey, period: f.period}
	for _, e := range disk.entries {
		out.put(e)
	}
	for _, e := range f.entries {
		if old := out.get(e.key); old != nil {
			e = unionEntry(old, e)
		}
		out.put(e)
	}
	return out
}

// unionEntry returns a ∪ b as mergeEntries does (b's value winning where both hold a period),
// described as b is: b is the newer write.
func unionEntry(a, b *entry) *entry {
	out := mergeEntries(a, b)
	out.key, out.desc = b.key, b.desc
	return out
}

// safeName makes s usable as one path element: letters, digits, '-', '.', '_' kept, the rest '_'.
func safeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	out := strings.Trim(b.String(), ".")
	if out == "" {
		out = "_"
	}
	if len(out) > 80 {
		out = out[:80]
	}
	return out
}

func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}

// intervals: sorted disjoint [from, to) pairs of Unix seconds.

// addInterval returns ivs with [from, to) added, merged with what it touches.
func addInterval(ivs [][2]int64, from, to int64) [][2]int64 {
	if to <= from {
		return ivs
	}
	out := make([][2]int64, 0, len(ivs)+1)
	placed := false
	for _, iv := range ivs {
		switch {
		case iv[1] < from:
			out = append(out, iv)
		case iv[0] > to:
			if !placed {
				out = append(out, [2]int64{from, to})
				placed = true
			}
			out = append(out, iv)
		default:
			from = min(from, iv[0])
			to = max(to, iv[1])
		}
	}
	if !placed {
		out = append(out, [2]int64{from, to})
	}
	return out
}

// missing returns the parts of [from, to) that ivs do not cover.
func missing(ivs [][2]int64, from, to int64) [][2]int64 {
	var out [][2]int64
	cur := from
	for _, iv := range ivs {
		if iv[1] <= cur {
			continue
		}
		if iv[0] >= to {
			break
		}
		if iv[0] > cur {
			out = append(out, [2]int64{cur, min(iv[0], to)})
		}
		cur = max(cur, iv[1])
		if cur >= to {
			break
		}
	}
	if cur < to {
		out = append(out, [2]int64{cur, to})
	}
	return out
}
