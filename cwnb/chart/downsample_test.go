package chart

import (
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// spiky is the p99 story at one-minute resolution: ~420 with a 5-minute spike past 3 s at the top
// of every hour, plus one lone single-minute spike at index lone.
func spiky(n, lone int) (x, y []float64) {
	x, y = make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = float64(i) * 60000
		y[i] = 420 + 30*math.Sin(float64(i)/11)
		if i%60 < 5 {
			y[i] = 3200 + float64(i%60)
		}
	}
	y[lone] = 9000
	return x, y
}

func TestDownsampleKeepsSpikes(t *testing.T) {
	const n, lone = 10080, 4321
	x, y := spiky(n, lone)
	for _, method := range []Downsampler{LTTB, MinMax} {
		t.Run(method.String(), func(t *testing.T) {
			idx := downsample(x, y, 2000, method)
			if len(idx) > 2000+2 || len(idx) < 1500 {
				t.Fatalf("kept %d points, want about 2000", len(idx))
			}
			for i := 1; i < len(idx); i++ {
				if idx[i] <= idx[i-1] {
					t.Fatalf("indices not ascending at %d: %d after %d", i, idx[i], idx[i-1])
				}
			}
			kept := map[int]bool{}
			for _, i := range idx {
				kept[i] = true
			}
			if !kept[lone] {
				t.Errorf("the lone 9000 spike at index %d was dropped", lone)
			}
			// Every hourly spike (168 of them) keeps at least one point above 3 s.
			for h := 0; h < n/60; h++ {
				found := false
				for i := h * 60; i < h*60+5; i++ {
					if kept[i] {
						found = true
					}
				}
				if !found {
					t.Errorf("the :00 spike of hour %d has no point left", h)
					break
				}
			}
			if !kept[0] || !kept[n-1] {
				t.Error("first or last point dropped")
			}
		})
	}
}

func TestDownsampleGaps(t *testing.T) {
	x, y := spiky(5000, 100)
	for i := 2000; i < 2100; i++ {
		y[i] = math.NaN()
	}
	idx := downsample(x, y, 500, LTTB)
	nan := 0
	for _, i := range idx {
		if math.IsNaN(y[i]) {
			nan++
			if i != 2000 {
				t.Errorf("gap marker at %d, want 2000 (the first missing point)", i)
			}
		}
	}
	if nan != 1 {
		t.Errorf("kept %d NaN points, want 1 gap marker so the line breaks", nan)
	}
}

func TestDownsampleSmall(t *testing.T) {
	x := []float64{0, 1, 2, 3}
	y := []float64{1, math.NaN(), 3, 4}
	for _, tc := range []struct {
		name   string
		n      int
		method Downsampler
	}{{"under budget", 10, LTTB}, {"no limit", -1, LTTB}, {"method none", 2, NoDownsampling}} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff([]int{0, 1, 2, 3}, downsample(x, y, tc.n, tc.method)); diff != "" {
				t.Error(diff)
			}
		})
	}
}

func TestEnvelopeNeverNarrows(t *testing.T) {
	const n = 3000
	x, lo, hi := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = float64(i)
		lo[i] = 100 + float64(i%7)
		hi[i] = 400 + float64(i%13)
	}
	hi[1234] = 5000
	lo[2222] = 1
	lo[10], hi[10] = math.NaN(), math.NaN()
	bx, blo, bhi := envelope(x, lo, hi, 300)
	if len(bx) != 300 {
		t.Fatalf("got %d buckets, want 300", len(bx))
	}
	maxHi, minLo := 0.0, math.Inf(1)
	for i := range bx {
		maxHi = math.Max(maxHi, bhi[i])
		minLo = math.Min(minLo, blo[i])
	}
	if maxHi != 5000 || minLo != 1 {
		t.Errorf("envelope lost the extremes: max upper %v (want 5000), min lower %v (want 1)", maxHi, minLo)
	}
}

func TestLineSaysDownsampled(t *testing.T) {
	ts := demoTimeSeries(10080)
	c, err := Line(ts, WithMaxPoints(2000, LTTB))
	if err != nil {
		t.Fatal(err)
	}
	titles := c.option["title"].([]any)
	sub := titles[0].(map[string]any)["subtext"].(string)
	// 3 series of 10,080 points each; the band is thinned to buckets.
	if want := "downsampled 30,240 → "; !strings.HasPrefix(sub, want) || !strings.Contains(sub, "(LTTB)") || !strings.Contains(sub, "bands in 600 min/max buckets") {
		t.Errorf("subtitle %q does not say what was downsampled", sub)
	}
	c2, err := Line(demoTimeSeries(300))
	if err != nil {
		t.Fatal(err)
	}
	if sub := c2.option["title"].([]any)[0].(map[string]any)["subtext"].(string); sub != "times in UTC" {
		t.Errorf("a chart within budget says %q", sub)
	}
}
