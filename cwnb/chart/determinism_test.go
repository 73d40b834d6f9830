package chart

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestOutputsAreDeterministic builds the same charts twice, from scratch, and checks that every
// byte of what a notebook saves is the same: ids come from the content, not from crypto/rand, and
// nothing depends on the time or the run. A different chart gets a different id.
func TestOutputsAreDeterministic(t *testing.T) {
	builds := map[string]func() (*Chart, error){
		"line":      func() (*Chart, error) { return Line(demoTimeSeries(3000), WithMode(Both)) },
		"bars":      func() (*Chart, error) { return Bars(demoCategories(), WithMode(Both)) },
		"heatmap":   func() (*Chart, error) { return Heatmap(demoMatrix(), WithMode(Interactive)) },
		"histogram": func() (*Chart, error) { return Histogram(demoDistribution(400), WithMode(Static)) },
	}
	ids := map[string]string{}
	for name, build := range builds {
		t.Run(name, func(t *testing.T) {
			var saved [2][]byte
			for run := range saved {
				c, err := build()
				if err != nil {
					t.Fatal(err)
				}
				outs, err := c.Outputs()
				if err != nil {
					t.Fatal(err)
				}
				b, err := c.Bundle()
				if err != nil {
					t.Fatal(err)
				}
				// What nbformat stores: the bundles as JSON (image/png as base64).
				raw, err := json.Marshal(map[string]any{"outputs": outs, "bundle": b})
				if err != nil {
					t.Fatal(err)
				}
				saved[run] = raw
				time.Sleep(2 * time.Millisecond)
			}
			if !bytes.Equal(saved[0], saved[1]) {
				i := 0
				for i < len(saved[0]) && i < len(saved[1]) && saved[0][i] == saved[1][i] {
					i++
				}
				t.Fatalf("two renders of the same chart differ at byte %d: %.80q vs %.80q", i, saved[0][i:], saved[1][i:])
			}
			m := regexp.MustCompile(`cwnb-chart-[0-9a-f]{16}`).Find(saved[0])
			if m == nil && name != "histogram" {
				t.Fatal("no chart id in the outputs")
			}
			ids[name] = string(m)
		})
	}
	seen := map[string]string{}
	for name, id := range ids {
		if id == "" {
			continue
		}
		if other, dup := seen[id]; dup {
			t.Errorf("charts %s and %s share the id %s", name, other, id)
		}
		seen[id] = name
	}
}

// TestOutputsStoreThePictureOnce checks the notebook form of each mode: Both stores the PNG once
// (in image/png) and its text/html names it by a piece of its base64 that occurs once in it.
func TestOutputsStoreThePictureOnce(t *testing.T) {
	for _, tc := range []struct {
		mode  Mode
		mimes [][]string
	}{
		{Both, [][]string{{MIMEPNG, MIMEPlain}, {MIMEHTML}}},
		{Static, [][]string{{MIMEPNG, MIMEPlain}}},
		{Interactive, [][]string{{MIMEHTML, MIMEPlain}}},
	} {
		t.Run(tc.mode.String(), func(t *testing.T) {
			c, err := Line(demoTimeSeries(500), WithMode(tc.mode))
			if err != nil {
				t.Fatal(err)
			}
			outs, err := c.Outputs()
			if err != nil {
				t.Fatal(err)
			}
			if len(outs) != len(tc.mimes) {
				t.Fatalf("%d outputs, want %d", len(outs), len(tc.mimes))
			}
			pngs := 0
			for i, o := range outs {
				if len(o) != len(tc.mimes[i]) {
					t.Errorf("output %d has %d types, want %v", i, len(o), tc.mimes[i])
				}
				for _, m := range tc.mimes[i] {
					if o[m] == nil {
						t.Errorf("output %d lacks %s", i, m)
					}
				}
				if _, ok := o[MIMEPNG]; ok {
					pngs++
				}
				if h, ok := o[MIMEHTML].(string); ok && strings.Contains(h, "data:image/png") {
					t.Errorf("output %d's text/html repeats the picture", i)
				}
			}
			if tc.mode != Both {
				return
			}
			b64 := base64.StdEncoding.EncodeToString(outs[0][MIMEPNG].([]byte))
			ref := regexp.MustCompile(`data-cwnb-image="([^"]+)"`).FindStringSubmatch(outs[1][MIMEHTML].(string))
			if ref == nil || len(ref[1]) < 16 || strings.Count(b64, ref[1]) != 1 {
				t.Errorf("data-cwnb-image %v does not name one place in the picture's base64", ref)
			}
		})
	}
}

// TestPackSeries unpacks the live payload's time series the way the upgrade script does and
// compares them with the option the static image was drawn from.
func TestPackSeries(t *testing.T) {
	for name, n := range map[string]int{"irregular (downsampled)": 3000, "regular": 500} {
		t.Run(name, func(t *testing.T) { testPackSeries(t, n) })
	}
}

func testPackSeries(t *testing.T, n int) {
	c, err := Line(demoTimeSeries(n), WithMode(Both))
	if err != nil {
		t.Fatal(err)
	}
	packedJSON, err := marshalSafe(c.livePayload(), false)
	if err != nil {
		t.Fatal(err)
	}
	plainJSON, err := marshalSafe(map[string]any{"option": c.option, "meta": c.meta}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(packedJSON)*2 > len(plainJSON) {
		t.Errorf("packed payload %d bytes, plain %d: want at most half", len(packedJSON), len(plainJSON))
	}
	var p struct {
		Option struct {
			Series []struct {
				Data json.RawMessage `json:"data"`
			} `json:"series"`
		} `json:"option"`
	}
	if err := json.Unmarshal(packedJSON, &p); err != nil {
		t.Fatal(err)
	}
	orig := c.option["series"].([]any)
	packedSeries := 0
	for k, s := range p.Option.Series {
		var pk struct {
			Packed int        `json:"cwnbPacked"`
			G      float64    `json:"g"`
			D      float64    `json:"d"`
			T      []float64  `json:"t"`
			V      []*float64 `json:"v"`
		}
		if json.Unmarshal(s.Data, &pk) != nil || pk.Packed != 1 {
			continue
		}
		packedSeries++
		want := orig[k].(map[string]any)["data"].([]any)
		if (len(pk.T) != len(want) && (len(pk.T) != 1 || pk.D == 0)) || len(pk.V) != len(want) {
			t.Fatalf("series %d: %d times, %d values, want %d", k, len(pk.T), len(pk.V), len(want))
		}
		var acc float64
		for i, row := range want {
			pair := row.([]any)
			if i < len(pk.T) {
				acc += pk.T[i]
			} else {
				acc += pk.D
			}
			if got := acc * pk.G; got != pair[0].(float64) {
				t.Fatalf("series %d point %d: time %v, want %v", k, i, got, pair[0])
			}
			switch v := pair[1].(type) {
			case nil:
				if pk.V[i] != nil {
					t.Errorf("series %d point %d: gap became %v", k, i, *pk.V[i])
				}
			case float64:
				if pk.V[i] == nil || math.Abs(*pk.V[i]-v) > 1e-4*math.Abs(v) {
					t.Errorf("series %d point %d: %v, want %v to 5 digits", k, i, pk.V[i], v)
				}
			}
		}
	}
	if packedSeries == 0 {
		t.Fatal("no series was packed")
	}
}
