package cwnb

import (
	"testing"
)

// FuzzDecodeFile: any bytes given to the cache decoder give a file or an error wrapping
// ErrCorrupt, never a panic; a decoded file encodes back to the same bytes.
func FuzzDecodeFile(f *testing.F) {
	good, err := encodeFile(&cacheFile{fileKey: "k", period: 60, entries: []*entry{
		{key: "q", desc: "d", covered: [][2]int64{{0, 120}}, series: []*seriesData{{label: "x", times: []int64{0, 60}, values: []float64{1, 2}}}},
	}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)            // a series on the grid
	f.Add(twoPointFile(f)) // a series of points
	f.Add([]byte("CWNB"))
	f.Add([]byte{})
	f.Add(good[:len(good)-1])
	f.Fuzz(func(t *testing.T, data []byte) {
		cf, err := decodeFile(data, "k")
		if err != nil {
			return
		}
		again, err := encodeFile(cf)
		if err != nil {
			t.Fatal(err)
		}
		back, err := decodeFile(again, "k")
		if err != nil || len(back.entries) != len(cf.entries) {
			t.Fatalf("re-encoded file does not decode: %v", err)
		}
	})
}

// FuzzParseInvestigation: any YAML gives an investigation or an error, never a panic.
func FuzzParseInvestigation(f *testing.F) {
	f.Add([]byte(tailYAML))
	f.Add([]byte("window: {last: 24h}\nmetrics:\n  - {namespace: A, name: B, stat: p99}\n"))
	f.Add([]byte("window:\n  start: 2026-11-19\n  end: 2026-11-18\n"))
	f.Add([]byte("metrics: [1, 2]\nwindow: [x]\n"))
	f.Add([]byte("- a\n- b\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, err := parseInvestigation("f.yaml", data)
		if err == nil && len(inv.Query.Metrics) == 0 && len(inv.Query.Expressions) == 0 {
			t.Fatal("accepted a file with nothing to load")
		}
	})
}
