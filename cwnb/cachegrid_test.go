package cwnb

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
)

// rampAverage is the Average that putRamp publishes for minute k: the mean of (k+1)·1 …
// (k+1)·100, that is 50.5·(k+1).
func rampAverage(k int) float64 { return 50.5 * float64(k+1) }

// TestCachedWindows: once a window is cached (on the grid, as format 2 stores it), loads of the
// same window, of windows inside it, and of a window reaching past it give, minute by minute,
// the Average putRamp published (computed here, not by the loader), NaN where nothing was
// published; only the part past the cache is fetched.
func TestCachedWindows(t *testing.T) {
	srv, url := localcwtest.Start(t, localcw.Options{Now: testNow})
	from := testNow.Add(-6 * time.Hour)
	gaps := map[int]bool{0: true, 7: true, 8: true, 119: true}
	putRamp(t, url, from, 180, gaps)
	dir := t.TempDir()
	q := func(start time.Time, minutes int) Query {
		m := checkout
		m.Stats = []string{"Average"}
		return Query{Metrics: []Metric{m}, Window: Between(start, start.Add(time.Duration(minutes)*time.Minute)), Period: time.Minute}
	}
	want := func(startMin, minutes int) []float64 {
		out := make([]float64, minutes)
		for i := range out {
			k := startMin + i
			if k < 0 || k >= 180 || gaps[k] {
				out[i] = math.NaN()
			} else {
				out[i] = rampAverage(k)
			}
		}
		return out
	}
	if _, err := testLoader(t, url, dir, testNow).Load(context.Background(), q(from, 120)); err != nil {
		t.Fatal(err)
	}
	// The cached series is on the grid: 120 values for 116 datapoints.
	entries, err := newDiskCache(dir).Entries("")
	if err != nil || len(entries) != 1 || entries[0].Points != 116 {
		t.Fatalf("entries %+v, %v; want one with 116 datapoints", entries, err)
	}
	data, err := os.ReadFile(filepath.Join(dir, entries[0].Path))
	if err != nil {
		t.Fatal(err)
	}
	h, _, err := decodeHeader(data)
	if err != nil || h.Entries[0].Series[0].Start == nil || h.Entries[0].Series[0].N != 120 {
		t.Fatalf("header %+v, %v; want the series on the grid, 120 values", h, err)
	}
	for _, tc := range []struct {
		name          string
		startMin, len int
		calls         int
	}{
		{"same window", 0, 120, 0},
		{"inside", 5, 30, 0},
		{"last minute", 119, 1, 0},
		{"reaching past the cache", 100, 60, 1},
		{"now all cached", 0, 160, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := srv.Calls("GetMetricData")
			res, err := testLoader(t, url, dir, testNow).Load(context.Background(), q(from.Add(time.Duration(tc.startMin)*time.Minute), tc.len))
			if err != nil {
				t.Fatal(err)
			}
			if got := srv.Calls("GetMetricData") - calls; got != tc.calls {
				t.Errorf("%d calls, want %d", got, tc.calls)
			}
			if diff := cmp.Diff(want(tc.startMin, tc.len), res.Series[0].Values, cmpopts.EquateNaNs()); diff != "" {
				t.Errorf("values (-published +loaded):\n%s", diff)
			}
			if n := len(res.Series[0].Values); cap(res.Series[0].Values) != n {
				t.Errorf("values have capacity %d beyond their %d: an append would write into the cache's memory", cap(res.Series[0].Values), n)
			}
		})
	}
	// Each load reads its own copy of the file: changing one result's values changes no other.
	a, err := testLoader(t, url, dir, testNow).Load(context.Background(), q(from, 120))
	if err != nil {
		t.Fatal(err)
	}
	a.Series[0].Values[1] = -1
	b, err := testLoader(t, url, dir, testNow).Load(context.Background(), q(from, 120))
	if err != nil {
		t.Fatal(err)
	}
	if b.Series[0].Values[1] != rampAverage(1) {
		t.Errorf("a second load sees %v at minute 1 after the first result was changed; want %v", b.Series[0].Values[1], rampAverage(1))
	}
}

// TestFrameLazy: a load does not build the gota frame; Frame builds it on the first call, with
// exactly the series' values, and returns the same frame after.
func TestFrameLazy(t *testing.T) {
	_, url := localcwtest.Start(t, localcw.Options{Now: testNow})
	from := testNow.Add(-3 * time.Hour)
	putRamp(t, url, from, 30, map[int]bool{3: true})
	q := checkout.Window(from.Format(time.RFC3339), "30m")
	q.Metrics[0].Stats = []string{"Average", "Maximum"}
	q.Period = time.Minute
	res, err := testLoader(t, url, t.TempDir(), testNow).Load(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if res.frame == nil || res.frame.df.Ncol() != 0 {
		t.Fatalf("the load built the frame (%d columns) before any cell asked", res.frame.df.Ncol())
	}
	df := res.Frame()
	if r, c := df.Dims(); r != 30 || c != 3 {
		t.Fatalf("frame %d × %d, want 30 × 3", r, c)
	}
	for i, s := range res.Series {
		if diff := cmp.Diff(s.Values, df.Col(s.Column).Float(), cmpopts.EquateNaNs()); diff != "" {
			t.Errorf("column %d %q (-values +frame):\n%s", i, s.Column, diff)
		}
	}
	if got := df.Col("Latency Maximum").Float()[4]; got != 500 { // minute 4: (4+1)·100
		t.Errorf("Maximum at minute 4 = %v, want 500", got)
	}
	if again := res.Frame(); again.Col(TimeColumn).Records()[0] != df.Col(TimeColumn).Records()[0] || res.frame.df.Ncol() != 3 {
		t.Errorf("second Frame call differs")
	}
}

// encodeV1 writes f in cache format 1, independently of encodeFile: every series as its
// timestamps and values, the header not padded.
func encodeV1(t *testing.T, f *cacheFile) []byte {
	t.Helper()
	type hs struct {
		Label string `json:"label"`
		N     int    `json:"n"`
	}
	type he struct {
		Key     string     `json:"key"`
		Desc    string     `json:"desc"`
		Covered [][2]int64 `json:"covered"`
		Series  []hs       `json:"series"`
	}
	h := struct {
		FileKey string `json:"file_key"`
		Period  int64  `json:"period_s"`
		Entries []he   `json:"entries"`
	}{FileKey: f.fileKey, Period: f.period}
	var body []byte
	for _, e := range f.entries {
		x := he{Key: e.key, Desc: e.desc, Covered: e.covered}
		for _, s := range e.series {
			ts, vs := s.points()
			x.Series = append(x.Series, hs{s.label, len(ts)})
			for _, v := range ts {
				body = binary.LittleEndian.AppendUint64(body, uint64(v))
			}
			for _, v := range vs {
				body = binary.LittleEndian.AppendUint64(body, math.Float64bits(v))
			}
		}
		h.Entries = append(h.Entries, x)
	}
	hj, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	out := append([]byte("CWNB"), 1, 0, 0, 0)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(hj)))
	out = append(append(out, hj...), body...)
	return binary.LittleEndian.AppendUint32(out, crc32.Checksum(out, crcTable))
}

// TestLoadOldCacheFormat: a cache file of format 1 (what cwnb wrote before shared time axes),
// through the real SDK against the local CloudWatch. Offline, the load fails with an error that
// names the file, says it is from an older cwnb and to load once online, and leaves the file as
// it is; online, the load fetches it again with a note and rewrites the file in format 2.
func TestLoadOldCacheFormat(t *testing.T) {
	srv, url := localcwtest.Start(t, localcw.Options{Now: cacheNow})
	from := cacheNow.Add(-5 * time.Hour)
	putServices(t, url, from, 10, "checkout")
	dir := t.TempDir()
	q := serviceQuery("checkout", from, "10m")
	first, err := cacheLoader(t, url, dir).Load(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := newDiskCache(dir).Entries("")
	if err != nil || len(entries) != 1 {
		t.Fatalf("entries = %v, %v; want 1", entries, err)
	}
	path := filepath.Join(dir, entries[0].Path)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h, _, err := decodeHeader(data)
	if err != nil {
		t.Fatal(err)
	}
	f, err := decodeFile(data, h.FileKey)
	if err != nil {
		t.Fatal(err)
	}
	old := encodeV1(t, f)

	t.Run("offline", func(t *testing.T) {
		os.WriteFile(path, old, 0o644)
		_, err := cacheLoader(t, url, dir, withOffline(true)).Load(context.Background(), q)
		if !errors.Is(err, ErrCorrupt) || !errors.Is(err, errOldCacheFormat) || !errors.Is(err, ErrOffline) {
			t.Fatalf("offline load = %v; want an error wrapping ErrCorrupt (of the older format) and ErrOffline", err)
		}
		for _, want := range []string{path, "older cwnb", "cache format 1", "load once online"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("offline error %q does not say %q", err, want)
			}
		}
		for _, wrong := range []string{"corrupt", "lacks", "git checkout"} {
			if strings.Contains(err.Error(), wrong) {
				t.Errorf("offline error %q says %q of a file in an older format", err, wrong)
			}
		}
		if b, _ := os.ReadFile(path); !bytes.Equal(b, old) {
			t.Errorf("the offline load changed the file")
		}
	})
	t.Run("online", func(t *testing.T) {
		os.WriteFile(path, old, 0o644)
		calls := srv.Calls("GetMetricData")
		res, err := cacheLoader(t, url, dir).Load(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if srv.Calls("GetMetricData") != calls+1 {
			t.Errorf("%d calls, want 1 (fetched again)", srv.Calls("GetMetricData")-calls)
		}
		var notes []Warning
		for _, w := range res.Notes {
			if errors.Is(w, ErrCorrupt) {
				notes = append(notes, w)
			}
		}
		if len(notes) != 1 || !strings.Contains(notes[0].Text, path) || !strings.Contains(notes[0].Text, "older cwnb") || !strings.Contains(notes[0].Text, "fetched again") {
			t.Errorf("notes %q; want one wrapping ErrCorrupt that names %s, says older cwnb and fetched again", res.Notes, path)
		}
		for _, w := range res.Warnings {
			if errors.Is(w, ErrCorrupt) {
				t.Errorf("warning %q: a file in an older format is a note (nothing to act on), not a warning", w)
			}
		}
		if res.Cache.Corrupt != 0 {
			t.Errorf("Cache.Corrupt = %d; a file in an older format is not damaged", res.Cache.Corrupt)
		}
		if diff := cmp.Diff(first.Series[0].Values, res.Series[0].Values, cmpopts.EquateNaNs()); diff != "" {
			t.Errorf("values (-first +refetched):\n%s", diff)
		}
		b, _ := os.ReadFile(path)
		if len(b) < 8 || binary.LittleEndian.Uint32(b[4:]) != cacheFormatVersion {
			t.Errorf("file not rewritten in format %d", cacheFormatVersion)
		}
		off, err := cacheLoader(t, url, dir, withOffline(true)).Load(context.Background(), q)
		if err != nil || !cmp.Equal(first.Series[0].Values, off.Series[0].Values, cmpopts.EquateNaNs()) {
			t.Errorf("offline after the rewrite: %v, %v", err, off)
		}
	})
}

// BenchmarkReadCacheFile reads a cache file of 500 entries of a day at 1 minute, as one
// statistic of the 10,000-series load is stored: the series on the grid (read straight into
// their columns) or, for comparison, as points (what format 1 stored for every series).
func BenchmarkReadCacheFile(b *testing.B) {
	for _, layout := range []string{"grid", "points"} {
		b.Run(layout, func(b *testing.B) {
			dir := b.TempDir()
			path := filepath.Join(dir, "m.cwc")
			f := &cacheFile{fileKey: "file", period: 60}
			for i := range 500 {
				s := &seriesData{label: "Latency p99"}
				for m := range 1440 {
					s.times = append(s.times, int64(60*m))
					s.values = append(s.values, float64(m%97))
				}
				covered := [][2]int64{{0, 86400}}
				if layout == "points" {
					covered = [][2]int64{{0, 86400}, {10 * 86400, 10*86400 + 60}} // too sparse for a grid
				}
				f.put(&entry{key: strings.Repeat("k", 100) + string(rune('a'+i%26)) + string(rune(i)), desc: "Bench Latency p99 {Series=s000}", covered: covered, series: []*seriesData{s}})
			}
			data, err := encodeFile(f)
			if err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(path, data, 0o644); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				got, err := readCacheFile(path, "file")
				if err != nil || len(got.entries) != 500 {
					b.Fatalf("%v, %v", got, err)
				}
			}
		})
	}
}

// TestKeysForMatchesKeyFor: the keys made once per file (keysFor) are exactly those keyFor makes
// for each query alone, so caches written before still answer.
func TestKeysForMatchesKeyFor(t *testing.T) {
	q := benchQueryN(1500)
	q.Metrics = append(q.Metrics, Metric{ID: "err", Namespace: "MyService/API", Name: "Errors", Dims: Dims{"Service": "checkout"}, Stats: []string{"Sum"}, Period: 5 * time.Minute})
	q.Expressions = []Expression{{ID: "rate", Expr: "err * 2"}}
	l, err := newLoader(withOffline(true), withCacheDir(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	p, err := l.prepare(context.Background(), q, testNow, false)
	if err != nil {
		t.Fatal(err)
	}
	var rus []*regionUnit
	for _, u := range p.us {
		rus = append(rus, &regionUnit{u: u})
	}
	l.keysFor("local", "eu-west-1", rus, p.byID)
	files := map[string]bool{}
	for _, ru := range rus {
		want := l.keyFor("local", "eu-west-1", ru.u, p.byID)
		got := ru.key
		if got.pth != "" && got.pth != want.path() {
			t.Errorf("%s: path %q, want %q", ru.u.id, got.pth, want.path())
		}
		got.pth = ""
		if got != want {
			t.Errorf("%s: key\n%+v\nwant\n%+v", ru.u.id, got, want)
		}
		files[got.path()] = true
	}
	if len(files) != 5 { // 3 statistics of Bench Latency, Errors Sum, the expression
		t.Errorf("%d files, want 5", len(files))
	}
}

// TestDecodeUnaligned: a file whose datapoints do not start 8-aligned (a writer that did not
// pad its header) decodes to the same series as the padded one, grid and points alike.
func TestDecodeUnaligned(t *testing.T) {
	f := &cacheFile{fileKey: "k", period: 60, entries: []*entry{
		{key: "grid", desc: "g", covered: [][2]int64{{0, 240}}, series: []*seriesData{{label: "x", times: []int64{0, 60, 180}, values: []float64{1, 2, 4}}}},
		{key: "points", desc: "p", covered: [][2]int64{{0, 6000}}, series: []*seriesData{{label: "y", times: []int64{60, 600}, values: []float64{-1, math.Inf(1)}}}},
	}}
	padded, err := encodeFile(f)
	if err != nil {
		t.Fatal(err)
	}
	var unaligned []byte
	for extra := 0; extra < 8; extra++ { // a header of another length: one of these is unaligned
		unaligned = reframe(t, padded, func(h map[string]any) { h["pad"] = strings.Repeat("x", extra) })
		if (12+binary.LittleEndian.Uint32(unaligned[8:]))%8 != 0 {
			break
		}
	}
	if (12+binary.LittleEndian.Uint32(unaligned[8:]))%8 == 0 {
		t.Fatal("could not make an unaligned file")
	}
	a, err := decodeFile(padded, "k")
	if err != nil {
		t.Fatal(err)
	}
	b, err := decodeFile(unaligned, "k")
	if err != nil {
		t.Fatal(err)
	}
	opts := []cmp.Option{cmp.AllowUnexported(cacheFile{}, entry{}, seriesData{}), cmpopts.EquateNaNs(), cmpopts.IgnoreFields(cacheFile{}, "idx")}
	if diff := cmp.Diff(a, b, opts...); diff != "" {
		t.Errorf("unaligned decode differs (-padded +unaligned):\n%s", diff)
	}
	if diff := cmp.Diff(asPoints(f), asPoints(b), opts...); diff != "" {
		t.Errorf("datapoints differ (-written +read):\n%s", diff)
	}
	if a.entries[0].series[0].step != 60 || a.entries[1].series[0].step != 0 {
		t.Errorf("layouts: grid step %d, points step %d; want 60 and 0", a.entries[0].series[0].step, a.entries[1].series[0].step)
	}
}
