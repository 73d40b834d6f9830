package chart

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"math"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// pixelStats returns the variance of luminance and the share of non-white pixels.
func pixelStats(img image.Image) (variance, inked float64) {
	b := img.Bounds()
	var sum, sum2 float64
	n, ink := 0.0, 0.0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			l := (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bl)) / 65535
			sum += l
			sum2 += l * l
			n++
			if l < 0.97 {
				ink++
			}
		}
	}
	mean := sum / n
	return sum2/n - mean*mean, ink / n
}

var (
	builtOnce sync.Once
	built     map[string]*Chart
	builtErr  error
)

// allBuilders returns one chart of every builder (both mode, 640×360), built once per test binary:
// a Chart caches its render, so the tests that inspect bundles share the server-side renders.
func allBuilders(t *testing.T) map[string]*Chart {
	t.Helper()
	builtOnce.Do(func() { built, builtErr = buildAll(WithMode(Both), WithSize(640, 360)) })
	if builtErr != nil {
		t.Fatal(builtErr)
	}
	return built
}

func buildAll(optFns ...func(*Options)) (map[string]*Chart, error) {
	out := map[string]*Chart{}
	var firstErr error
	add := func(name string, c *Chart, err error) {
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("%s: %w", name, err)
		}
		out[name] = c
	}
	c, err := Line(demoTimeSeries(600), optFns...)
	add("line", c, err)
	c, err = Heatmap(demoMatrix(), optFns...)
	add("heatmap", c, err)
	c, err = Histogram(demoDistribution(500), optFns...)
	add("histogram", c, err)
	c, err = CDF(demoDistribution(500), optFns...)
	add("cdf", c, err)
	c, err = Bars(demoCategories(), optFns...)
	add("bars", c, err)
	c, err = SmallMultiples(demoMultiples(200), 0, optFns...)
	add("small_multiples", c, err)
	return out, firstErr
}

// TestBundlePNG decodes every chart's PNG: it has the expected size and is not blank, with text
// drawn (the title alone inks a visible share of the top band).
func TestBundlePNG(t *testing.T) {
	for name, c := range allBuilders(t) {
		t.Run(name, func(t *testing.T) {
			b, err := c.Bundle()
			if err != nil {
				t.Fatal(err)
			}
			raw, ok := b[MIMEPNG].([]byte)
			if !ok {
				t.Fatalf("image/png is %T, want []byte", b[MIMEPNG])
			}
			img, err := png.Decode(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			w, h := c.Size()
			wantW, wantH := int(math.Round(float64(w)*defaultPNGScale)), int(math.Round(float64(h)*defaultPNGScale))
			if got := img.Bounds().Size(); got.X != wantW || got.Y != wantH {
				t.Errorf("PNG is %v, want %dx%d", got, wantW, wantH)
			}
			variance, inked := pixelStats(img)
			if variance < 0.002 || inked < 0.01 {
				t.Errorf("PNG looks blank: luminance variance %.5f, inked share %.4f", variance, inked)
			}
			// The title band (top 30 CSS px) holds the question in dark bold text.
			top := img.(interface {
				SubImage(image.Rectangle) image.Image
			}).SubImage(image.Rect(0, 0, wantW, int(30*defaultPNGScale)))
			if _, ink := pixelStats(top); ink < 0.01 {
				t.Errorf("no text drawn in the title band (inked share %.4f)", ink)
			}
		})
	}
}

// TestHostileLabelIsText follows the hostile dimension value through every output: escaped in the
// SVG (so the PNG draws it as text), absent from the HTML except in escaped forms, and the HTML
// holds exactly the two script elements this package writes.
func TestHostileLabelIsText(t *testing.T) {
	for name, c := range allBuilders(t) {
		t.Run(name, func(t *testing.T) {
			h, err := c.HTML()
			if err != nil {
				t.Fatal(err)
			}
			svg, err := c.SVG()
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(svg, "<script") {
				t.Errorf("SVG contains a raw <script")
			}
			// Narrow labels are truncated or wrapped, so look for the start of the label only.
			if !strings.Contains(svg, "script&gt;") {
				t.Errorf("SVG does not draw the hostile label as escaped text")
			}
			if strings.Contains(h, "alert(1)</script>") || strings.Contains(h, "<script>alert") {
				t.Errorf("HTML contains the hostile label unescaped")
			}
			if n := strings.Count(h, "<script"); n != 2 {
				t.Errorf("HTML has %d <script elements, want 2 (option JSON and upgrade script)", n)
			}
			if n := strings.Count(h, "</script>"); n != 2 {
				t.Errorf("HTML has %d </script> end tags, want 2", n)
			}
			// The option JSON round-trips to the original strings.
			m := regexp.MustCompile(`<script type="application/json" class="cwnb-option">(.*?)</script>`).FindStringSubmatch(h)
			if m == nil {
				t.Fatal("no option JSON in the HTML")
			}
			var payload struct {
				Option map[string]any `json:"option"`
			}
			if err := json.Unmarshal([]byte(m[1]), &payload); err != nil {
				t.Fatal(err)
			}
			raw, _ := json.Marshal(payload.Option)
			if !strings.Contains(string(raw), `\u003c/script\u003e\u003cscript\u003ealert(1)`) {
				t.Errorf("the decoded option lost the hostile label")
			}
			// The alt text is escaped in the img alt attribute and kept verbatim in text/plain.
			if !strings.Contains(h, "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;") {
				t.Errorf("alt attribute does not carry the escaped label")
			}
			if !strings.Contains(c.Text(), hostile) {
				t.Errorf("text/plain should show the label as text: %q", c.Text())
			}
		})
	}
}

func TestBundleModes(t *testing.T) {
	tests := []struct {
		name      string
		mode      Mode
		env       string
		wantKeys  []string
		wantImg   bool
		wantJS    bool
		wantError bool
	}{
		{name: "default is both", mode: ModeDefault, wantKeys: []string{MIMEPNG, MIMEHTML, MIMEPlain}, wantImg: true, wantJS: true},
		{name: "env static", mode: ModeDefault, env: "static", wantKeys: []string{MIMEPNG, MIMEHTML, MIMEPlain}, wantImg: true},
		{name: "env interactive", mode: ModeDefault, env: "INTERACTIVE", wantKeys: []string{MIMEHTML, MIMEPlain}, wantJS: true},
		{name: "option beats env", mode: Static, env: "interactive", wantKeys: []string{MIMEPNG, MIMEHTML, MIMEPlain}, wantImg: true},
		{name: "bad env", mode: ModeDefault, env: "fancy", wantError: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvMode, tc.env)
			c, err := Bars(demoCategories(), WithMode(tc.mode))
			if tc.wantError {
				if err == nil {
					t.Fatal("want an error for a bad CWNB_CHARTS")
				}
				if !strings.Contains(err.Error(), EnvMode) {
					t.Errorf("error %q does not name %s", err, EnvMode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			b, err := c.Bundle()
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for k := range b {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			want := append([]string(nil), tc.wantKeys...)
			sort.Strings(want)
			if diff := cmp.Diff(want, keys); diff != "" {
				t.Errorf("bundle keys (-want +got):\n%s", diff)
			}
			h := b[MIMEHTML].(string)
			if got := strings.Contains(h, "<img"); got != tc.wantImg {
				t.Errorf("html has <img: %v, want %v", got, tc.wantImg)
			}
			if got := strings.Contains(h, "<script"); got != tc.wantJS {
				t.Errorf("html has <script: %v, want %v", got, tc.wantJS)
			}
			if tc.wantImg && !bytes.Equal(pngOf(t, h), b[MIMEPNG].([]byte)) {
				t.Errorf("the HTML picture is not the bundle's image/png")
			}
			// Bundle is cached and returns a copy.
			b2, _ := c.Bundle()
			delete(b2, MIMEHTML)
			if b3, _ := c.Bundle(); b3[MIMEHTML] == nil {
				t.Error("Bundle returned its internal map")
			}
		})
	}
}

func TestParseMode(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Mode
		err  bool
	}{{"", ModeDefault, false}, {"both", Both, false}, {" Static ", Static, false}, {"interactive", Interactive, false}, {"png", 0, true}} {
		got, err := ParseMode(tc.in)
		if (err != nil) != tc.err || (!tc.err && got != tc.want) {
			t.Errorf("ParseMode(%q) = %v, %v; want %v (error %v)", tc.in, got, err, tc.want, tc.err)
		}
		if !tc.err && tc.in != "" && got.String() != strings.ToLower(strings.TrimSpace(tc.in)) {
			t.Errorf("%v.String() = %q", got, got.String())
		}
	}
}

// TestBundleJSON checks that a bundle marshals the way nbformat wants: image/png as base64.
func TestBundleJSON(t *testing.T) {
	c, err := Bars(demoCategories(), WithMode(Both))
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Bundle()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]string
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	pngBytes, err := base64.StdEncoding.DecodeString(back[MIMEPNG])
	if err != nil || !bytes.HasPrefix(pngBytes, []byte("\x89PNG")) {
		t.Errorf("image/png does not marshal to base64 PNG (%v)", err)
	}
}

func TestLibraryScript(t *testing.T) {
	s := LibraryScript()
	if !strings.HasPrefix(s, "<script") || !strings.HasSuffix(s, "</script>") {
		t.Fatalf("not one script element: %q...", s[:40])
	}
	if n := strings.Count(strings.ToLower(s), "</script"); n != 1 {
		t.Errorf("LibraryScript has %d </script sequences, want exactly its own end tag", n)
	}
	// No end tag or comment opener that an HTML parser or a page tool could take for the page's.
	for _, bad := range []string{"</body", "</head", "</html", "<!--"} {
		if strings.Contains(strings.ToLower(s), bad) {
			t.Errorf("LibraryScript contains %q", bad)
		}
	}
	if n := strings.Count(echartsJS, "</body>"); n != 1 {
		t.Errorf("the vendored library has %d \"</body>\", want the 1 that LibraryScript rewrites; check the rewrite after updating echarts", n)
	}
	for _, want := range []string{"window.__cwnbEchartsInline=true", "(function(define,exports,module){", "}).call(window);", `version="5.6.0"`, "__cwnbCharts"} {
		if !strings.Contains(s, want) {
			t.Errorf("LibraryScript lacks %q", want)
		}
	}
	if !strings.Contains(LibraryNotice(), "Apache ECharts") {
		t.Error("NOTICE missing")
	}
}

// pngOf returns the PNG of the static image in a chart's HTML.
func pngOf(t *testing.T, h string) []byte {
	t.Helper()
	m := regexp.MustCompile(`src="data:image/png;base64,([^"]+)"`).FindStringSubmatch(h)
	if m == nil {
		t.Fatal("no data-URI PNG image in the HTML")
	}
	b, err := base64.StdEncoding.DecodeString(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return b
}
