package cwnb

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
)

// cacheNow is the pinned clock of the local CloudWatch and the loaders of the cache tests.
var cacheNow = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

// envLoader loads with fixed options through the package's Load.
type envLoader struct{ opts []func(*Options) }

func (l envLoader) Load(ctx context.Context, q Query) (*Result, error) {
	return Load(ctx, q, l.opts...)
}

// cacheLoader returns a loader on the local CloudWatch at url with its cache in dir. The endpoint
// and dummy credentials come from the environment, as in a notebook pointed at `cwnb local`, so
// the loader builds its own real SDK client. Call it outside goroutines (it sets the environment).
func cacheLoader(t testing.TB, url, dir string, extra ...func(*Options)) envLoader {
	t.Helper()
	for k, v := range map[string]string{"AWS_ENDPOINT_URL_CLOUDWATCH": url, "AWS_ACCESS_KEY_ID": "AKIDLOCAL",
		"AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "us-east-1", "AWS_PROFILE": "", "AWS_CONFIG_FILE": "/nonexistent",
		"AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_EC2_METADATA_DISABLED": "true",
		"CWNB_OFFLINE": "", "CWNB_CACHE": "", "CWNB_NOW": ""} {
		t.Setenv(k, v)
	}
	return envLoader{append([]func(*Options){withCacheDir(dir), withRegion("us-east-1"),
		func(o *Options) {
			o.Now = func() time.Time { return cacheNow }
			o.Stderr = io.Discard
		}}, extra...)}
}

// putServices publishes value k+1 at minute k of [from, from+n min) for each service to
// MyService/API Latency {Service=<service>}.
func putServices(t *testing.T, url string, from time.Time, n int, services ...string) {
	t.Helper()
	var data []types.MetricDatum
	for _, s := range services {
		for k := 0; k < n; k++ {
			data = append(data, types.MetricDatum{MetricName: aws.String("Latency"), Value: aws.Float64(float64(k + 1)),
				Timestamp:  aws.Time(from.Add(time.Duration(k) * time.Minute)),
				Dimensions: []types.Dimension{{Name: aws.String("Service"), Value: aws.String(s)}}})
		}
	}
	_, err := localcwtest.Client(t, url).PutMetricData(context.Background(), &cloudwatch.PutMetricDataInput{
		Namespace: aws.String("MyService/API"), MetricData: data})
	if err != nil {
		t.Fatal(err)
	}
}

func serviceQuery(service string, from time.Time, length string) Query {
	return Metric{Namespace: "MyService/API", Name: "Latency", Dims: Dims{"Service": service}, Stats: []string{"Maximum"},
		Period: time.Minute}.Window(from.Format(time.RFC3339), length)
}

// reframe rebuilds a cache file around a header changed by mutate, with the datapoint bytes
// unchanged and a recomputed CRC-32C: what an attacker who edits a committed cache file can do.
func reframe(t testing.TB, data []byte, mutate func(h map[string]any)) []byte {
	t.Helper()
	hl := binary.LittleEndian.Uint32(data[8:])
	var h map[string]any
	d := json.NewDecoder(bytes.NewReader(data[12 : 12+hl]))
	d.UseNumber()
	if err := d.Decode(&h); err != nil {
		t.Fatal(err)
	}
	mutate(h)
	hj, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	out := append([]byte(nil), data[:8]...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(hj)))
	out = append(out, hj...)
	out = append(out, data[12+hl:len(data)-4]...)
	return binary.LittleEndian.AppendUint32(out, crc32.Checksum(out, crcTable))
}

// setGrid makes the first series of the first entry of a header a series on the grid of n
// values from start.
func setGrid(n, start json.Number) func(map[string]any) {
	return func(h map[string]any) {
		s := h["entries"].([]any)[0].(map[string]any)["series"].([]any)[0].(map[string]any)
		s["n"], s["start"] = n, start
	}
}

// setN sets the length of the first series of the first entry of a header.
func setN(n json.Number) func(map[string]any) {
	return func(h map[string]any) {
		s := h["entries"].([]any)[0].(map[string]any)["series"].([]any)[0].(map[string]any)
		s["n"] = n
	}
}

// twoPointFile is a valid cache file with one entry of one series of two points (32 bytes:
// over ten periods, points are smaller than a grid).
func twoPointFile(t testing.TB) []byte {
	t.Helper()
	data, err := encodeFile(&cacheFile{fileKey: "k", period: 60, entries: []*entry{
		{key: "q", desc: "d", covered: [][2]int64{{0, 600}}, series: []*seriesData{{label: "x", times: []int64{0, 60}, values: []float64{1, 2}}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestDecodeCraftedLengths: lengths that do not fit the file are corrupt, with no allocation
// from them. 2 + 2^60 points take 16·(2 + 2^60) = 32 + 2^64 bytes, which wraps to the 32 bytes
// present in int64 arithmetic: the check that used to multiply first accepted it and make()
// panicked.
func TestDecodeCraftedLengths(t *testing.T) {
	good := twoPointFile(t)
	if _, err := decodeFile(good, "k"); err != nil {
		t.Fatalf("the valid file: %v", err)
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"n + 2^60 wraps", reframe(t, good, setN(json.Number(fmt.Sprint(2+(1<<60))))), "claims 1152921504606846978 points; only 2 remain in the file"},
		{"n + 2^62", reframe(t, good, setN(json.Number(fmt.Sprint(2+(1<<62))))), "claims"},
		{"negative", reframe(t, good, setN("-1")), "claims -1 points"},
		{"too long", reframe(t, good, setN("3")), "claims 3 points"},
		{"too short", reframe(t, good, setN("1")), "16 bytes in the file that no series claims"},
		{"grid too long", reframe(t, good, setGrid("5", "0")), "claims 5 values; only 4 remain"},
		{"grid n + 2^61", reframe(t, good, setGrid(json.Number(fmt.Sprint(4+(1<<61))), "0")), "claims"},
		{"grid negative", reframe(t, good, setGrid("-1", "0")), "claims -1 values"},
		{"grid start far", reframe(t, good, setGrid("4", "9223372036854775807")), "out of range"},
		{"grid points beyond n", reframe(t, good, func(h map[string]any) {
			setGrid("4", "0")(h)
			h["entries"].([]any)[0].(map[string]any)["series"].([]any)[0].(map[string]any)["points"] = 5
		}), "claims 5 datapoints in 4 values"},
		{"max int", reframe(t, good, setN("9223372036854775807")), "claims"},
		{"second series wraps", reframe(t, good, func(h map[string]any) {
			e := h["entries"].([]any)[0].(map[string]any)
			e["series"] = append(e["series"].([]any), map[string]any{"label": "y", "n": json.Number(fmt.Sprint(1 << 60))})
		}), `series "y" claims`},
		{"duplicate series", reframe(t, good, func(h map[string]any) {
			e := h["entries"].([]any)[0].(map[string]any)
			e["series"] = []any{map[string]any{"label": "x", "n": 1}, map[string]any{"label": "x", "n": 1}}
		}), `series "x" appears twice`},
		{"duplicate entry", reframe(t, good, func(h map[string]any) {
			e := h["entries"].([]any)[0].(map[string]any)
			h["entries"] = []any{e, map[string]any{"key": "q", "desc": "d2"}}
		}), `entry "d2" appears twice`},
		{"unsorted ranges", reframe(t, good, func(h map[string]any) {
			h["entries"].([]any)[0].(map[string]any)["covered"] = []any{[]any{120, 180}, []any{0, 60}}
		}), "not sorted and disjoint"},
		{"empty range", reframe(t, good, func(h map[string]any) {
			h["entries"].([]any)[0].(map[string]any)["covered"] = []any{[]any{60, 60}}
		}), "not sorted and disjoint"},
		{"zero period", reframe(t, good, func(h map[string]any) { h["period_s"] = 0 }), "period 0s is not positive"},
		{"header length beyond the file", func() []byte {
			b := append([]byte(nil), good...)
			binary.LittleEndian.PutUint32(b[8:], 0xffffffff)
			return binary.LittleEndian.AppendUint32(b[:len(b)-4], crc32.Checksum(b[:len(b)-4], crcTable))
		}(), "header length 4294967295 beyond the file"},
		{"timestamps not ascending", func() []byte {
			b := append([]byte(nil), good...)
			n := len(b) - 4 - 32
			binary.LittleEndian.PutUint64(b[n+8:], 0) // second timestamp = first
			return binary.LittleEndian.AppendUint32(b[:len(b)-4], crc32.Checksum(b[:len(b)-4], crcTable))
		}(), "timestamps are not ascending"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeFile(tc.data, "k")
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("decodeFile = %v; want ErrCorrupt saying %q", err, tc.want)
			}
			if _, _, err := decodeHeader(tc.data); !errors.Is(err, ErrCorrupt) && !strings.Contains(tc.name, "timestamps") {
				t.Errorf("decodeHeader (used by Entries) = %v; want ErrCorrupt", err)
			}
		})
	}
}

// TestLoadCraftedCacheFile: a committed cache file with a crafted series length, through the
// real SDK against the local CloudWatch. Online, the load fetches again, warns with ErrCorrupt
// naming the file, and replaces the file; offline, the load fails with an error that says
// corrupt (not "lacks"), names the file and says what to do.
func TestLoadCraftedCacheFile(t *testing.T) {
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
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	crafted := reframe(t, good, setN(json.Number(fmt.Sprint(10+(1<<60)))))

	t.Run("offline", func(t *testing.T) {
		os.WriteFile(path, crafted, 0o644)
		_, err := cacheLoader(t, url, dir, withOffline(true)).Load(context.Background(), q)
		if !errors.Is(err, ErrCorrupt) || !errors.Is(err, ErrOffline) {
			t.Fatalf("offline load = %v; want an error wrapping ErrCorrupt and ErrOffline", err)
		}
		for _, want := range []string{path, "corrupt", "claims", "git checkout", "load once online"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("offline error %q does not say %q", err, want)
			}
		}
		if strings.Contains(err.Error(), "lacks") {
			t.Errorf("offline error %q reports the corrupt file as missing", err)
		}
		if b, _ := os.ReadFile(path); !bytes.Equal(b, crafted) {
			t.Errorf("the offline load changed the file")
		}
	})
	t.Run("online", func(t *testing.T) {
		os.WriteFile(path, crafted, 0o644)
		calls := srv.Calls("GetMetricData")
		res, err := cacheLoader(t, url, dir).Load(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if srv.Calls("GetMetricData") != calls+1 {
			t.Errorf("%d calls, want 1 (fetched again)", srv.Calls("GetMetricData")-calls)
		}
		var corrupt []Warning
		for _, w := range res.Warnings {
			if errors.Is(w, ErrCorrupt) {
				corrupt = append(corrupt, w)
			}
		}
		if len(corrupt) != 1 || !strings.Contains(corrupt[0].Text, path) || !strings.Contains(corrupt[0].Text, "fetched again") {
			t.Errorf("warnings %q; want one wrapping ErrCorrupt that names %s and says fetched again", res.Warnings, path)
		}
		if fmt.Sprint(res.Series[0].Values) != fmt.Sprint(first.Series[0].Values) {
			t.Errorf("values %v, want %v", res.Series[0].Values, first.Series[0].Values)
		}
		// Replaced: the file decodes again, and an offline load answers from it.
		b, _ := os.ReadFile(path)
		if _, _, err := decodeHeader(b); err != nil {
			t.Errorf("file not replaced: %v", err)
		}
		off, err := cacheLoader(t, url, dir, withOffline(true)).Load(context.Background(), q)
		if err != nil || fmt.Sprint(off.Series[0].Values) != fmt.Sprint(first.Series[0].Values) {
			t.Errorf("offline after the repair: %v, %v", err, off)
		}
	})
}

// TestCacheWriteMergesUnderLock: two writers that read the same file before either writes (two
// Cache values, as two processes would) both keep their entry: the second write merges what the
// first put on disk.
func TestCacheWriteMergesUnderLock(t *testing.T) {
	dir := t.TempDir()
	k := cacheKey{endpoint: "local", rel: "us-east-1/ns/m.Maximum.1m.x.cwc", fileKey: "file", period: time.Minute}
	a, b := newDiskCache(dir), newDiskCache(dir)
	fa, _, err := a.readFile(k, false)
	if err != nil || fa != nil {
		t.Fatalf("read = %v, %v; want no file", fa, err)
	}
	if fb, _, _ := b.readFile(k, false); fb != nil {
		t.Fatal("b sees a file")
	}
	mk := func(key string, t0 int64) *cacheFile {
		return &cacheFile{fileKey: "file", period: 60, entries: []*entry{{key: key, desc: key,
			covered: [][2]int64{{t0, t0 + 120}}, series: []*seriesData{{label: key, times: []int64{t0, t0 + 60}, values: []float64{1, 2}}}}}}
	}
	if err := a.writeFile(k, mk("a", 0)); err != nil {
		t.Fatal(err)
	}
	if err := b.writeFile(k, mk("b", 600)); err != nil {
		t.Fatal(err)
	}
	// b again, a later window of the same entry: joined with its earlier range.
	if err := b.writeFile(k, mk("b", 1200)); err != nil {
		t.Fatal(err)
	}
	got, _, err := newDiskCache(dir).readFile(k, false)
	if err != nil {
		t.Fatal(err)
	}
	if e := got.get("a"); e == nil || fmt.Sprint(e.covered) != "[[0 120]]" {
		t.Errorf("entry a = %+v; want it kept with [0, 120)", e)
	}
	if e := got.get("b"); e == nil || fmt.Sprint(e.covered) != "[[600 720] [1200 1320]]" || fmt.Sprint(e.series[0].times) != "[600 660 1200 1260]" {
		t.Errorf("entry b = %+v; want both windows", e)
	}
	gi, err := os.ReadFile(filepath.Join(dir, ".gitignore"))
	if err != nil || !strings.Contains(string(gi), ".tmp-*") || !strings.Contains(string(gi), "\n*.cwc.lock\n") {
		t.Errorf(".gitignore = %q, %v; want it to ignore .tmp-* and *.cwc.lock", gi, err)
	}
}

// TestConcurrentLoadsKeepEveryUpdate: eight loaders (each its own Cache value, as eight
// processes or notebook cells) load different services into the same cache file at once, twice
// over different windows; an offline load then finds every service and both windows.
func TestConcurrentLoadsKeepEveryUpdate(t *testing.T) {
	_, url := localcwtest.Start(t, localcw.Options{Now: cacheNow})
	from := cacheNow.Add(-5 * time.Hour)
	var services []string
	for i := range 8 {
		services = append(services, fmt.Sprintf("svc%d", i))
	}
	putServices(t, url, from, 20, services...)
	dir := t.TempDir()
	for _, w := range []time.Time{from, from.Add(10 * time.Minute)} {
		var wg sync.WaitGroup
		errs := make(chan error, len(services))
		for _, s := range services {
			l := cacheLoader(t, url, dir) // each Load makes its own loader and Cache value
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := l.Load(context.Background(), serviceQuery(s, w, "10m"))
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	entries, err := newDiskCache(dir).Entries("")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]bool{}
	for _, e := range entries {
		files[e.Path] = true
	}
	if len(files) != 1 || len(entries) != len(services) {
		t.Fatalf("%d files, %d entries; want 1 file holding %d entries", len(files), len(entries), len(services))
	}
	for _, s := range services {
		res, err := cacheLoader(t, url, dir, withOffline(true)).Load(context.Background(), serviceQuery(s, from, "20m"))
		if err != nil {
			t.Errorf("offline %s: %v", s, err)
			continue
		}
		if got := fmt.Sprint(res.Series[0].Values); got != "[1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20]" {
			t.Errorf("offline %s = %s", s, got)
		}
	}
}

// TestStaleTempFilesRemoved: temporary files that killed writers left behind (of this cache
// file, of another whose lock is free, and an old one of unknown origin) are removed by the next
// write; a fresh one of unknown origin is kept.
func TestStaleTempFilesRemoved(t *testing.T) {
	dir := t.TempDir()
	c := newDiskCache(dir)
	k := cacheKey{endpoint: "local", rel: "r/m.cwc", fileKey: "file", period: time.Minute}
	other := cacheKey{endpoint: "local", rel: "r/other.cwc", fileKey: "other", period: time.Minute}
	f := &cacheFile{fileKey: "file", period: 60}
	if err := c.writeFile(other, &cacheFile{fileKey: "other", period: 60}); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "local", "r")
	stale := []string{".tmp-m.cwc-123", ".tmp-other.cwc-456", ".tmp-789"}
	for _, n := range append(stale, ".tmp-fresh") {
		if err := os.WriteFile(filepath.Join(sub, n), make([]byte, 1000), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-time.Hour)
	os.Chtimes(filepath.Join(sub, ".tmp-789"), old, old)
	if err := c.writeFile(k, f); err != nil {
		t.Fatal(err)
	}
	for _, n := range stale {
		if _, err := os.Stat(filepath.Join(sub, n)); err == nil {
			t.Errorf("%s was not removed", n)
		}
	}
	if _, err := os.Stat(filepath.Join(sub, ".tmp-fresh")); err != nil {
		t.Errorf("a fresh temporary file of unknown origin was removed")
	}
	// A temporary file of a file whose writer holds the lock is kept.
	unlock, err := lockFile(filepath.Join(sub, "other.cwc"+lockExt))
	if err != nil {
		t.Fatal(err)
	}
	live := filepath.Join(sub, ".tmp-other.cwc-999")
	os.WriteFile(live, nil, 0o644)
	if err := c.writeFile(k, f); err != nil {
		t.Fatal(err)
	}
	unlock()
	if _, err := os.Stat(live); err != nil {
		t.Errorf("the temporary file of a live writer was removed")
	}
}

// FuzzCacheFile: any bytes as a whole cache file on disk give, through readFile and Entries (the
// paths a load and `cwnb get` take), a file or an error wrapping ErrCorrupt that names the file,
// never a panic and never an allocation beyond the file's size. Seeded with crafted lengths.
func FuzzCacheFile(f *testing.F) {
	good := twoPointFile(f)
	f.Add(good)
	for _, n := range []string{fmt.Sprint(2 + (1 << 60)), fmt.Sprint(2 + (1 << 62)), "-1", "3", "9223372036854775807", "1e300"} {
		f.Add(reframe(f, good, setN(json.Number(n))))
	}
	f.Add(reframe(f, good, func(h map[string]any) { h["entries"] = nil }))
	f.Add([]byte("CWNB\x01\x00\x00\x00\xff\xff\xff\xff"))
	v1 := append([]byte(nil), good...) // the same bytes claiming format 1
	binary.LittleEndian.PutUint32(v1[4:], 1)
	f.Add(binary.LittleEndian.AppendUint32(v1[:len(v1)-4], crc32.Checksum(v1[:len(v1)-4], crcTable)))
	f.Add(reframe(f, good, setGrid("4", "0")))
	k := cacheKey{endpoint: "local", rel: "r/m.cwc", fileKey: "k", period: time.Minute}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, "local", "r", "m.cwc")
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		c := newDiskCache(dir)
		cf, _, readErr := c.readFile(k, true)
		if readErr != nil {
			if !errors.Is(readErr, ErrCorrupt) || !strings.Contains(readErr.Error(), path) {
				t.Fatalf("readFile error %v does not wrap ErrCorrupt and name %s", readErr, path)
			}
		} else {
			words := 0
			for _, e := range cf.entries {
				for _, s := range e.series {
					words += len(s.times) + len(s.values)
				}
			}
			if 8*words > len(data) {
				t.Fatalf("%d words decoded from %d bytes", words, len(data))
			}
		}
		entries, err := c.Entries("")
		if err != nil || len(entries) == 0 {
			t.Fatalf("Entries = %v, %v; want the file listed", entries, err)
		}
		// Entries checks the frame and the header; readFile also the file key and the timestamps.
		if entries[0].Err != nil && readErr == nil {
			t.Fatalf("Entries error %v, but readFile decoded the file", entries[0].Err)
		}
		if entries[0].Err != nil && !errors.Is(entries[0].Err, ErrCorrupt) {
			t.Fatalf("Entries error %v does not wrap ErrCorrupt", entries[0].Err)
		}
	})
}

// TestCacheWriterProcess is the child of TestCacheWritersInProcesses: it adds its entries to one
// cache file, one read-merge-write each, as a load's store does.
func TestCacheWriterProcess(t *testing.T) {
	spec := os.Getenv("CWNB_TEST_CACHE_WRITER")
	if spec == "" {
		t.Skip("helper process of TestCacheWritersInProcesses")
	}
	dir, id, _ := strings.Cut(spec, "|")
	c := newDiskCache(dir)
	k := cacheKey{endpoint: "local", rel: "r/shared.cwc", fileKey: "shared", period: time.Minute}
	for i := range 15 {
		f, _, err := c.readFile(k, false)
		if err != nil {
			t.Fatal(err)
		}
		if f == nil {
			f = &cacheFile{fileKey: "shared", period: 60}
		}
		key := fmt.Sprintf("%s-%d", id, i)
		f.put(&entry{key: key, desc: key, covered: [][2]int64{{0, 60}},
			series: []*seriesData{{label: key, times: []int64{0}, values: []float64{float64(i)}}}})
		if err := c.writeFile(k, f); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCacheWritersInProcesses: four processes add 15 entries each to one cache file at the same
// time; the file ends with all 60 (without the lock and the merge, the last writer won).
func TestCacheWritersInProcesses(t *testing.T) {
	dir := t.TempDir()
	const procs = 4
	cmds := make([]*exec.Cmd, procs)
	outs := make([]bytes.Buffer, procs)
	for p := range procs {
		cmds[p] = exec.Command(os.Args[0], "-test.run=^TestCacheWriterProcess$", "-test.count=1")
		cmds[p].Env = append(os.Environ(), fmt.Sprintf("CWNB_TEST_CACHE_WRITER=%s|p%d", dir, p))
		cmds[p].Stdout, cmds[p].Stderr = &outs[p], &outs[p]
		if err := cmds[p].Start(); err != nil {
			t.Fatal(err)
		}
	}
	for p, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("writer %d: %v\n%s", p, err, outs[p].String())
		}
	}
	f, _, err := newDiskCache(dir).readFile(cacheKey{endpoint: "local", rel: "r/shared.cwc", fileKey: "shared"}, false)
	if err != nil || f == nil {
		t.Fatalf("read: %v", err)
	}
	if len(f.entries) != procs*15 {
		t.Errorf("%d entries, want %d: concurrent writers lost updates", len(f.entries), procs*15)
	}
	tmps, _ := filepath.Glob(filepath.Join(dir, "local", "r", ".tmp-*"))
	if len(tmps) != 0 {
		t.Errorf("temporary files left: %v", tmps)
	}
}

// TestCommittedCachesDecode: the caches committed beside the demo notebooks pass every check of
// the hardened decoder (a check too strict would make `CWNB_OFFLINE=1` re-runs fail), and the
// committed .gitignore is the one a write would create.
func TestCommittedCachesDecode(t *testing.T) {
	root := filepath.Join("..", "notebooks", ".cwnb")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("no committed cache at %s", root)
	}
	c := newDiskCache(root)
	entries, err := c.Entries("")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Err != nil {
			t.Errorf("%s: %v", e.Path, e.Err)
			continue
		}
		if !strings.HasSuffix(e.Path, cacheExt) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, e.Path))
		if err != nil {
			t.Fatal(err)
		}
		h, _, err := decodeHeader(data)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := decodeFile(data, h.FileKey); err != nil {
			t.Errorf("%s: %v", e.Path, err)
		}
		n++
	}
	if n == 0 {
		t.Errorf("no cache file under %s", root)
	}
	if b, err := os.ReadFile(filepath.Join(root, ".gitignore")); err != nil || string(b) != gitignore {
		t.Errorf("%s/.gitignore = %q, %v; want %q", root, b, err, gitignore)
	}
}

// BenchmarkCacheWrite measures one locked read-merge-write of a cache file holding n entries of
// a day at 1 minute each, the file already on disk (the usual case: a load adds to it).
func BenchmarkCacheWrite(b *testing.B) {
	for _, n := range []int{10, 200} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			c := newDiskCache(b.TempDir())
			k := cacheKey{endpoint: "local", rel: "r/m.cwc", fileKey: "file", period: time.Minute}
			f := &cacheFile{fileKey: "file", period: 60}
			for i := range n {
				s := &seriesData{label: "x"}
				for m := range 1440 {
					s.times = append(s.times, int64(60*m))
					s.values = append(s.values, float64(m))
				}
				f.put(&entry{key: fmt.Sprint(i), desc: "d", covered: [][2]int64{{0, 86400}}, series: []*seriesData{s}})
			}
			if err := c.writeFile(k, f); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if err := c.writeFile(k, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestCacheKilledWriterProcess is the child of TestKilledWriterLeavesNoLockOrTemp: it takes the
// lock of a cache file, starts its temporary file as writeFile does, says so, and waits to be
// killed.
func TestCacheKilledWriterProcess(t *testing.T) {
	dir := os.Getenv("CWNB_TEST_KILLED_WRITER")
	if dir == "" {
		t.Skip("helper process of TestKilledWriterLeavesNoLockOrTemp")
	}
	sub := filepath.Join(dir, "local", "r")
	os.MkdirAll(sub, 0o755)
	if _, err := lockFile(filepath.Join(sub, "m.cwc"+lockExt)); err != nil {
		t.Fatal(err)
	}
	tmp, err := os.CreateTemp(sub, tmpPrefix+"m.cwc-*")
	if err != nil {
		t.Fatal(err)
	}
	tmp.Write(make([]byte, 1<<20))
	fmt.Println("locked")
	time.Sleep(time.Minute)
}

// TestKilledWriterLeavesNoLockOrTemp: a writer killed with SIGKILL while it holds the lock and a
// half-written temporary file neither blocks the next write (the kernel drops its lock) nor
// leaves the temporary file behind (the next write removes it).
func TestKilledWriterLeavesNoLockOrTemp(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCacheKilledWriterProcess$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "CWNB_TEST_KILLED_WRITER="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() && sc.Text() != "locked" {
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	tmps, _ := filepath.Glob(filepath.Join(dir, "local", "r", tmpPrefix+"*"))
	if len(tmps) != 1 {
		t.Fatalf("the killed writer left %v; want its one temporary file", tmps)
	}
	done := make(chan error, 1)
	go func() {
		done <- newDiskCache(dir).writeFile(cacheKey{endpoint: "local", rel: "r/m.cwc", fileKey: "file"}, &cacheFile{fileKey: "file", period: 60})
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the next write waits for the lock of the killed writer")
	}
	if tmps, _ := filepath.Glob(filepath.Join(dir, "local", "r", tmpPrefix+"*")); len(tmps) != 0 {
		t.Errorf("temporary files left after the next write: %v", tmps)
	}
}

// TestCacheEntriesSizeClear: what the removed examples of the (now internal) cache showed:
// Entries lists each query with its period, covered window and points, Size counts the files,
// Clear removes by prefix and the next load fetches only what was removed.
func TestCacheEntriesSizeClear(t *testing.T) {
	srv, url := localcwtest.Start(t, localcw.Options{Now: cacheNow})
	from := cacheNow.Add(-5 * time.Hour)
	putServices(t, url, from, 10, "checkout")
	dir := t.TempDir()
	q := Metric{Namespace: "MyService/API", Name: "Latency", Dims: Dims{"Service": "checkout"}, Stats: []string{"Average", "Maximum"},
		Period: time.Minute}.Window(from.Format(time.RFC3339), "10m")
	if _, err := cacheLoader(t, url, dir).Load(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	c := newDiskCache(dir)
	if c.Dir() != dir {
		t.Errorf("Dir = %s, want %s", c.Dir(), dir)
	}
	entries, err := c.Entries("local/us-east-1/MyService_API/")
	if err != nil || len(entries) != 2 {
		t.Fatalf("Entries = %v, %v; want 2", entries, err)
	}
	for _, e := range entries {
		if e.Period != time.Minute || e.Points != 10 || e.Series != 1 || e.Err != nil || len(e.Covered) != 1 ||
			!e.Covered[0].Start.Equal(from) || !e.Covered[0].End.Equal(from.Add(10*time.Minute)) {
			t.Errorf("entry %+v", e)
		}
	}
	if n, bytes, err := c.Size(); n != 2 || bytes <= 0 || err != nil {
		t.Errorf("Size = %d, %d, %v; want 2 files", n, bytes, err)
	}
	removed, err := c.Clear("local/us-east-1/MyService_API/Latency.max")
	if removed != 1 || err != nil {
		t.Errorf("Clear = %d, %v; want 1", removed, err)
	}
	calls := srv.Calls("GetMetricData")
	res, err := cacheLoader(t, url, dir).Load(context.Background(), q)
	if err != nil || res.Cache.Hits != 1 || res.Cache.Misses != 1 || srv.Calls("GetMetricData") != calls+1 {
		t.Errorf("after Clear: %v, hits %d misses %d, %d calls; want 1, 1, 1", err, res.Cache.Hits, res.Cache.Misses, srv.Calls("GetMetricData")-calls)
	}
}
