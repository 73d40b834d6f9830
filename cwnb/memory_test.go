package cwnb

import (
	"bufio"
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
	"github.com/cwnb/cwnb/cwnb/localcw/scenario"
)

// TestBytesPerCell measures what a loaded result keeps on the heap per series and period, and
// the bytes allocated on the way, against the constant the memory check uses: the constant must
// cover what the result keeps and not exceed what the load allocates in all.
func TestBytesPerCell(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 288,000 datapoints")
	}
	bench, _ := scenario.New("bench", 1)
	_, url := localcwtest.Start(t, localcw.Options{Now: testNow, Scenarios: []scenario.Scenario{bench}})
	var ms []Metric
	for i := 0; i < 200; i++ {
		ms = append(ms, Metric{Namespace: "Bench", Name: "Latency", Dims: Dims{"Series": fmt.Sprintf("s%03d", i)}})
	}
	q := Query{Metrics: ms, Window: Between(testNow.Add(-25*time.Hour), testNow.Add(-time.Hour)), Period: time.Minute}
	l := testLoader(t, url, t.TempDir(), testNow, func(o *Options) { o.NoSuggest = true })
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res, err := l.Load(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	cells := float64(len(res.Series) * res.Frame().Nrow())
	kept := float64(after.HeapAlloc-before.HeapAlloc) / cells
	allocated := float64(after.TotalAlloc-before.TotalAlloc) / cells
	runtime.KeepAlive(res)
	t.Logf("%.0f cells: %.1f bytes kept and %.1f allocated per cell; the check assumes %d", cells, kept, allocated, bytesPerCell)
	if kept > bytesPerCell || allocated < bytesPerCell {
		t.Errorf("bytesPerCell %d is outside [%.0f kept, %.0f allocated]", bytesPerCell, kept, allocated)
	}
}

func TestParseMemAvailable(t *testing.T) {
	for in, want := range map[string]int64{
		"MemTotal:       24000000 kB\nMemFree:  100 kB\nMemAvailable:   20000000 kB\n": 20000000 * 1024,
		"MemTotal: 1 kB\n":        -1,
		"MemAvailable: lots kB\n": -1,
		"MemAvailable: 5 MB\n":    -1,
	} {
		got, ok := parseMemAvailable(bufio.NewScanner(strings.NewReader(in)))
		if (want < 0) == ok || ok && got != want {
			t.Errorf("%q: %d %v, want %d", in, got, ok, want)
		}
	}
}

// FuzzParseMemAvailable: any meminfo text gives a size or not ok, never a panic or a negative
// size.
func FuzzParseMemAvailable(f *testing.F) {
	f.Add("MemAvailable:   20000000 kB\n")
	f.Add("MemAvailable: -5 kB\n")
	f.Add("MemAvailable:\n")
	f.Add("MemAvailable: 99999999999999999999 kB\n")
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := parseMemAvailable(bufio.NewScanner(strings.NewReader(s)))
		if ok && n < 0 {
			t.Errorf("%q: %d", s, n)
		}
	})
}
