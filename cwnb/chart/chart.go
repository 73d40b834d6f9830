package chart

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"image/color"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
)

// Mode selects what a chart's display bundle carries.
type Mode int

const (
	// ModeDefault takes the mode from the CWNB_CHARTS environment variable, or Both when it is
	// unset.
	ModeDefault Mode = iota
	// Both renders a static image that a script upgrades to the interactive chart when ECharts is
	// available, plus image/png and text/plain.
	Both
	// Static renders the image only: text/html holds the image and no script, plus image/png and
	// text/plain. No JavaScript runs anywhere.
	Static
	// Interactive skips the server-side render: text/html holds the interactive chart only (with
	// the alt text until ECharts loads), plus text/plain. There is no image/png.
	Interactive
)

// EnvMode is the environment variable read when Options.Mode is ModeDefault: "both", "static" or
// "interactive".
const EnvMode = "CWNB_CHARTS"

// String returns the name ParseMode accepts.
func (m Mode) String() string {
	switch m {
	case ModeDefault:
		return "default"
	case Both:
		return "both"
	case Static:
		return "static"
	case Interactive:
		return "interactive"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// ParseMode reads a mode name: "both", "static" or "interactive" (case-insensitive); "" is
// ModeDefault.
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return ModeDefault, nil
	case "both":
		return Both, nil
	case "static":
		return Static, nil
	case "interactive":
		return Interactive, nil
	}
	return ModeDefault, fmt.Errorf("chart: unknown chart mode %q; use both, static or interactive", s)
}

// resolveMode turns ModeDefault into a concrete mode using the environment.
func resolveMode(m Mode) (Mode, error) {
	if m != ModeDefault {
		if m < Both || m > Interactive {
			return m, fmt.Errorf("chart: invalid Options.Mode %d; use chart.Both, chart.Static or chart.Interactive", int(m))
		}
		return m, nil
	}
	env, err := ParseMode(os.Getenv(EnvMode))
	if err != nil {
		return m, fmt.Errorf("chart: environment variable %s=%q is not a chart mode; use both, static or interactive", EnvMode, os.Getenv(EnvMode))
	}
	if env == ModeDefault {
		return Both, nil
	}
	return env, nil
}

// Downsampler names the method that thins a series to Options.MaxPoints points.
type Downsampler int

const (
	// LTTB is Largest-Triangle-Three-Buckets (Steinarsson 2013): it keeps the shape of the line,
	// spikes included, with one point per bucket.
	LTTB Downsampler = iota
	// MinMax keeps the minimum and the maximum of every bucket (two points per bucket), which
	// preserves every extreme exactly.
	MinMax
	// NoDownsampling plots every point.
	NoDownsampling
)

// String returns the method's name as it appears on a chart.
func (d Downsampler) String() string {
	switch d {
	case LTTB:
		return "LTTB"
	case MinMax:
		return "min/max"
	case NoDownsampling:
		return "none"
	}
	return fmt.Sprintf("Downsampler(%d)", int(d))
}

// Options are the rendering settings shared by every builder. Zero fields mean the documented
// default; builders take them as functional options (func(*Options)), as the AWS SDK does.
type Options struct {
	// Width and Height are the chart's size in CSS pixels. Zero: 900 × 420 (small multiples grow
	// taller with the number of rows).
	Width, Height int
	// Mode selects the bundle's content; ModeDefault reads CWNB_CHARTS, then falls back to Both.
	Mode Mode
	// MaxPoints is the most points a time series keeps. Zero: 2,000. Negative: no limit.
	MaxPoints int
	// Downsample is the method used above MaxPoints. Zero: LTTB.
	Downsample Downsampler
	// PNGScale is the pixel density of image/png. Zero: 1.5 (sharp on GitHub, still small).
	PNGScale float64
}

// WithSize sets the chart's size in CSS pixels.
func WithSize(width, height int) func(*Options) {
	return func(o *Options) { o.Width, o.Height = width, height }
}

// WithMode sets the display mode.
func WithMode(m Mode) func(*Options) { return func(o *Options) { o.Mode = m } }

// WithPNGScale sets the pixel density of image/png (1 = one pixel per CSS pixel).
func WithPNGScale(scale float64) func(*Options) { return func(o *Options) { o.PNGScale = scale } }

// WithMaxPoints sets the per-series point budget (negative: no downsampling) and the method.
func WithMaxPoints(n int, method Downsampler) func(*Options) {
	return func(o *Options) { o.MaxPoints, o.Downsample = n, method }
}

const (
	defaultWidth     = 900
	defaultHeight    = 420
	defaultMaxPoints = 2000
	defaultPNGScale  = 1.5
	maxPixels        = 4000
)

func buildOptions(optFns []func(*Options)) (Options, error) {
	var o Options
	for _, f := range optFns {
		if f != nil {
			f(&o)
		}
	}
	if o.Width == 0 {
		o.Width = defaultWidth
	}
	if o.Height == 0 {
		o.Height = defaultHeight
	}
	if o.Width < 100 || o.Height < 80 || o.Width > maxPixels || o.Height > maxPixels {
		return o, fmt.Errorf("chart: size %d×%d is out of range; use a width of 100..%d and a height of 80..%d pixels", o.Width, o.Height, maxPixels, maxPixels)
	}
	if o.MaxPoints == 0 {
		o.MaxPoints = defaultMaxPoints
	}
	if o.MaxPoints > 0 && o.MaxPoints < 10 {
		return o, fmt.Errorf("chart: MaxPoints %d is too small to draw a line; use at least 10, or a negative value for no limit", o.MaxPoints)
	}
	if o.Downsample < LTTB || o.Downsample > NoDownsampling {
		return o, fmt.Errorf("chart: unknown Downsample method %d; use chart.LTTB, chart.MinMax or chart.NoDownsampling", int(o.Downsample))
	}
	if o.PNGScale == 0 {
		o.PNGScale = defaultPNGScale
	}
	if o.PNGScale < 0.25 || o.PNGScale > 4 {
		return o, fmt.Errorf("chart: PNGScale %g is out of range; use 0.25..4", o.PNGScale)
	}
	if px := float64(o.Width) * float64(o.Height) * o.PNGScale * o.PNGScale; px > maxPNGPixels {
		return o, fmt.Errorf("chart: a %d×%d chart at PNGScale %g makes a %.0f-megapixel PNG; use a smaller size or PNGScale (at most %d megapixels)", o.Width, o.Height, o.PNGScale, px/1e6, maxPNGPixels/1_000_000)
	}
	if _, err := resolveMode(o.Mode); err != nil {
		return o, err
	}
	return o, nil
}

// Chart is a built chart: an ECharts option plus what is needed to render it everywhere. Build one
// with Line, Heatmap, Histogram, CDF, Bars, SmallMultiples or FromEcharts. A Chart renders lazily
// and caches its render; it is safe for concurrent use.
type Chart struct {
	title  string
	footer string
	alt    string         // text/plain: title, series summary, footer
	option map[string]any // the ECharts option, escaped at serialisation
	meta   map[string]any // what the upgrade script's tooltip needs (units, band pairs)
	opts   Options
	// slider is the height the zoom slider takes at the bottom of a single grid; the static
	// render drops the slider (an image cannot zoom, and it is half of the SSR time) and gives
	// the room back to the plot.
	slider int

	once   sync.Once
	bundle map[string]any
	err    error

	outOnce sync.Once
	outputs []map[string]any
	outErr  error
}

// Title returns the chart's title, the question it answers.
func (c *Chart) Title() string { return c.title }

// Text returns the chart's alt text: the title, one line per series, and the footer. It is the
// bundle's text/plain.
func (c *Chart) Text() string { return c.alt }

// Size returns the chart's width and height in CSS pixels.
func (c *Chart) Size() (width, height int) { return c.opts.Width, c.opts.Height }

// OptionJSON returns the ECharts option as indented JSON, with <, > and & escaped as \u003c,
// \u003e and \u0026 so that it is safe inside a <script> element. Golden tests compare it.
func (c *Chart) OptionJSON() ([]byte, error) {
	return marshalSafe(c.option, true)
}

// marshalSafe encodes v as JSON that is safe to embed in HTML and JavaScript: encoding/json
// escapes <, >, & and U+2028/U+2029, so no data string can close a <script> element or a
// JavaScript string.
func marshalSafe(v any, indent bool) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if indent {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("chart: encoding the chart option: %w", err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// SVG renders the chart with ECharts' server-side renderer (in goja) and returns the SVG document.
// Text from data is escaped by ECharts as SVG text content.
func (c *Chart) SVG() (string, error) {
	js, err := marshalSafe(c.staticOption(), false)
	if err != nil {
		return "", err
	}
	return renderSVG(string(js), c.opts.Width, c.opts.Height)
}

// staticOption is the option for the server-side render: the same chart without the zoom
// controls, which a picture cannot use.
func (c *Chart) staticOption() map[string]any {
	if _, ok := c.option["dataZoom"]; !ok {
		return c.option
	}
	o := make(map[string]any, len(c.option))
	for k, v := range c.option {
		o[k] = v
	}
	delete(o, "dataZoom")
	if g, ok := o["grid"].(map[string]any); ok && c.slider > 0 {
		g2 := make(map[string]any, len(g))
		for k, v := range g {
			g2[k] = v
		}
		if b, ok := g2["bottom"].(int); ok {
			g2["bottom"] = b - c.slider
		}
		o["grid"] = g2
	}
	return o
}

// PNG renders the chart to a PNG of Width×PNGScale by Height×PNGScale pixels.
func (c *Chart) PNG() ([]byte, error) {
	svg, err := c.SVG()
	if err != nil {
		return nil, err
	}
	return svgToPNG(svg, c.opts.PNGScale)
}

func svgToPNG(svg string, scale float64) ([]byte, error) {
	img, paints, err := rasterizeSVGColors(svg, scale, color.White)
	if err != nil {
		return nil, err
	}
	return encodePNG(quantize(img, paints))
}

// MIME types of a display bundle.
const (
	MIMEHTML  = "text/html"
	MIMEPNG   = "image/png"
	MIMEPlain = "text/plain"
)

// Bundle renders the chart into a Jupyter display bundle, a map from MIME type to content:
//
//   - "text/html" (string): the static picture (the PNG as a data URI) and a script that upgrades
//     it to the interactive ECharts chart when ECharts is on the page or can be loaded;
//   - "image/png" ([]byte, the raw PNG; encoding/json writes it as the base64 string nbformat
//     wants), which GitHub's notebook view shows;
//   - "text/plain" (string): the alt text.
//
// The mode (Options.Mode, or CWNB_CHARTS) drops what it excludes: Static has no script,
// Interactive has no image. The render happens once; later calls return the same map.
func (c *Chart) Bundle() (map[string]any, error) {
	c.once.Do(func() { c.bundle, c.err = c.render() })
	if c.err != nil {
		return nil, c.err
	}
	out := make(map[string]any, len(c.bundle))
	for k, v := range c.bundle {
		out[k] = v
	}
	return out, nil
}

func (c *Chart) render() (map[string]any, error) {
	mode, err := resolveMode(c.opts.Mode)
	if err != nil {
		return nil, err
	}
	b := map[string]any{MIMEPlain: c.alt}
	var png []byte
	if mode != Interactive {
		if png, err = c.PNG(); err != nil {
			return nil, err
		}
		b[MIMEPNG] = png
	}
	h, err := c.html(mode, png, true)
	if err != nil {
		return nil, err
	}
	b[MIMEHTML] = h
	return b, nil
}

// Outputs returns the display bundles that show the chart in a notebook, in order; Display sends
// them. Each picture is stored once:
//
//   - Both: {image/png, text/plain} — the picture GitHub, JupyterLab (trusted or not) and
//     nbconvert show — then {text/html}, the interactive chart without the picture: where its
//     script runs and ECharts loads, it draws the chart and hides the picture before it; where no
//     script runs (GitHub, untrusted notebooks) it is an empty element.
//   - Static: {image/png, text/plain}.
//   - Interactive: {text/html, text/plain}, the live chart with the alt text until it draws.
//
// Bundle, by contrast, is one self-contained bundle whose text/html embeds the picture, for pages
// that hold charts outside a notebook (Page).
func (c *Chart) Outputs() ([]map[string]any, error) {
	c.outOnce.Do(func() { c.outputs, c.outErr = c.renderOutputs() })
	if c.outErr != nil {
		return nil, c.outErr
	}
	out := make([]map[string]any, len(c.outputs))
	for i, m := range c.outputs {
		out[i] = make(map[string]any, len(m))
		for k, v := range m {
			out[i][k] = v
		}
	}
	return out, nil
}

func (c *Chart) renderOutputs() ([]map[string]any, error) {
	b, err := c.Bundle()
	if err != nil {
		return nil, err
	}
	mode, _ := resolveMode(c.opts.Mode)
	png, _ := b[MIMEPNG].([]byte)
	switch mode {
	case Static:
		return []map[string]any{{MIMEPNG: png, MIMEPlain: c.alt}}, nil
	case Interactive:
		return []map[string]any{{MIMEHTML: b[MIMEHTML], MIMEPlain: c.alt}}, nil
	}
	live, err := c.html(mode, png, false)
	if err != nil {
		return nil, err
	}
	return []map[string]any{{MIMEPNG: png, MIMEPlain: c.alt}, {MIMEHTML: live}}, nil
}

// HTML returns the bundle's text/html.
func (c *Chart) HTML() (string, error) {
	b, err := c.Bundle()
	if err != nil {
		return "", err
	}
	return b[MIMEHTML].(string), nil
}

// contentID derives a chart's element id from what the chart shows: the same chart rendered
// twice, in any process, gets the same id, so re-running a notebook on the same data leaves its
// saved outputs byte-identical. Two identical charts on one page share an id; nothing relies on
// ids being unique (each upgrade script finds its chart through its own parent element).
func contentID(parts ...[]byte) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:", len(p))
		h.Write(p)
	}
	return "cwnb-chart-" + hex.EncodeToString(h.Sum(nil)[:8])
}

// html builds the text/html of one chart. Structure:
//
//	<div class="cwnb-chart" id=ID data-cwnb-state="static|pending|interactive" data-width data-height>
//	  <img class="cwnb-static" src="data:image/png;base64,..." alt="...">       (embed, Both, Static)
//	  <script type="application/json" class="cwnb-option">{...}</script>        (Both, Interactive)
//	  <script>upgrade script</script>                                           (Both, Interactive)
//	</div>
//
// With embed false and a PNG (the notebook form, see Outputs), the picture is not repeated:
// the div names it with data-cwnb-image, a piece of the PNG's base64 that the upgrade script
// finds in the image output displayed just before, which it hides once the live chart is drawn.
//
// Every data string reaches the page either inside base64 (the image), html.EscapeString (alt
// text, attributes) or JSON with <, >, & escaped (the option), so none can end an element early.
//
// The picture is the image/png itself, not the SVG: HTML sanitizers (GitHub's notebook view,
// JupyterLab for untrusted notebooks) keep data:image/png images but may drop SVG ones, and the
// picture is then the same everywhere.
func (c *Chart) html(mode Mode, png []byte, embed bool) (string, error) {
	w, h := c.opts.Width, c.opts.Height
	var js []byte
	if mode != Static {
		var err error
		if js, err = marshalSafe(c.livePayload(), false); err != nil {
			return "", err
		}
	}
	id := contentID([]byte(mode.String()), []byte(fmt.Sprint(w, h)), js, png)
	var b strings.Builder
	state := "static"
	if mode != Static {
		state = "pending"
	}
	b64 := ""
	if png != nil {
		b64 = base64.StdEncoding.EncodeToString(png)
	}
	ref := ""
	if png != nil && !embed {
		ref = fmt.Sprintf(` data-cwnb-image="%s"`, imageRef(b64))
	}
	fmt.Fprintf(&b, `<div class="cwnb-chart" id="%s" data-cwnb-state="%s" data-width="%d" data-height="%d"%s%s style="position:relative;width:%dpx;max-width:100%%;">`,
		id, state, w, h, ref, kernelAttr(), w)
	alt := html.EscapeString(c.alt)
	switch {
	case png != nil && embed:
		fmt.Fprintf(&b, `<img class="cwnb-static" width="%d" height="%d" style="display:block;max-width:100%%;height:auto;" alt="%s" src="data:image/png;base64,%s">`,
			w, h, alt, b64)
	case png == nil:
		fmt.Fprintf(&b, `<pre class="cwnb-static cwnb-alt" style="height:%dpx;margin:0;overflow:auto;white-space:pre-wrap;">%s</pre>`, h, alt)
	}
	if mode != Static {
		idJSON, _ := marshalSafe(id, false)
		b.WriteString(`<script type="application/json" class="cwnb-option">`)
		b.Write(js)
		b.WriteString(`</script><script>`)
		if png != nil && !embed {
			// The notebook form: a loader, and the runtime once per page (RuntimeJS).
			b.WriteString(loaderJSTemplate)
			b.Write(idJSON)
			b.WriteString(`);</script>`)
		} else {
			b.WriteString(upgradeJS())
			b.WriteString(`(`)
			b.Write(idJSON)
			b.WriteString(`);</script>`)
		}
	}
	b.WriteString(`</div>`)
	return b.String(), nil
}

// imageRef is the piece of a PNG's base64 by which a chart's HTML names its picture in the
// preceding output: 32 characters from the middle, past the header and palette that charts share.
func imageRef(b64 string) string {
	const n = 32
	if len(b64) <= n {
		return b64
	}
	i := (len(b64)/2 - n/2) &^ 3
	return b64[i : i+n]
}

// EnvKernel is the environment variable through which the "Go (cwnb)" kernel tells charts its
// name (cwnb/kernelspec sets it): a live notebook's chart loads ECharts from that kernel's spec
// directory, which the Jupyter server serves at <base>/kernelspecs/<name>/echarts.min.js, so no
// CDN is needed. Unset, charts assume the name "cwnb".
const EnvKernel = "CWNB_KERNEL"

// kernelAttr is the data-cwnb-kernel attribute naming the kernel whose spec directory serves
// ECharts, or "" for the default kernel name.
func kernelAttr() string {
	k := os.Getenv(EnvKernel)
	if k == "" || k == "cwnb" {
		return ""
	}
	return ` data-cwnb-kernel="` + html.EscapeString(k) + `"`
}

// cleanFloat turns NaN and ±Inf into nil (JSON null, a gap for ECharts) and rounds a value to 7
// significant digits: far below a pixel or a tooltip's digits, and it shortens the option JSON
// (200.79866733317462 → 200.7987) that every chart carries in its HTML.
func cleanFloat(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 7, 64), 64)
	if err != nil {
		return v
	}
	return r
}
