package chart

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/srwiley/oksvg"
	"github.com/srwiley/rasterx"
	"golang.org/x/image/colornames"
	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/f64"
	"golang.org/x/image/math/fixed"
)

// This file rasterises the SVG that ECharts' SSR writes. It is not a general SVG renderer: it
// understands what ECharts emits (path, rect, circle, ellipse, line, polyline, polygon and text
// elements, groups with transforms, opacity and rectangular clip paths, colours as hex, rgb(),
// rgba() or names), which is enough for every chart this package builds. Shapes go through
// rasterx; text, which oksvg ignores, is drawn with the Go fonts.

// maxPNGPixels bounds the PNG (and the memory of its RGBA canvas, 4 bytes a pixel).
const maxPNGPixels = 36_000_000

// svgNode is one element of the parsed SVG tree.
type svgNode struct {
	name     string
	attrs    map[string]string
	children []*svgNode
	text     strings.Builder
}

func parseSVG(r io.Reader) (*svgNode, error) {
	dec := xml.NewDecoder(r)
	dec.Strict = false
	var root *svgNode
	var stack []*svgNode
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("chart: parsing the rendered SVG: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &svgNode{name: t.Name.Local, attrs: make(map[string]string, len(t.Attr))}
			for _, a := range t.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else if root == nil {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		}
	}
	if root == nil || root.name != "svg" {
		return nil, fmt.Errorf("chart: the rendered document is not an SVG")
	}
	return root, nil
}

// paint is the inherited presentation state.
type paint struct {
	m           rasterx.Matrix2D
	clip        image.Rectangle // in device pixels; empty = whole image
	opacity     float64
	fill        string
	fillOp      float64
	stroke      string
	strokeOp    float64
	strokeWidth float64
	dash        []float64
	dashOffset  float64
	lineCap     string
	lineJoin    string
	miter       float64
	fontSize    float64
	fontWeight  string
	anchor      string
	baseline    string
}

type rasterizer struct {
	img     *image.RGBA
	colors  map[color.NRGBA]bool // every paint used, for the PNG palette
	scanner *rasterx.ScannerGV
	clips   map[string]image.Rectangle // clipPath id → its bounding box in user space (before the node transform)
	clipDef map[string]*svgNode
	scale   float64
}

// rasterizeSVG draws an ECharts SSR SVG on a background colour, scaled by scale.
func rasterizeSVG(svg string, scale float64, background color.Color) (*image.RGBA, error) {
	img, _, err := rasterizeSVGColors(svg, scale, background)
	return img, err
}

// rasterizeSVGColors is rasterizeSVG that also returns every paint it used.
func rasterizeSVGColors(svg string, scale float64, background color.Color) (*image.RGBA, []color.NRGBA, error) {
	root, err := parseSVG(strings.NewReader(svg))
	if err != nil {
		return nil, nil, err
	}
	w, errW := strconv.ParseFloat(root.attrs["width"], 64)
	h, errH := strconv.ParseFloat(root.attrs["height"], 64)
	if errW != nil || errH != nil || w <= 0 || h <= 0 {
		return nil, nil, fmt.Errorf("chart: the rendered SVG has no usable width/height (%q × %q)", root.attrs["width"], root.attrs["height"])
	}
	if scale <= 0 {
		scale = 1
	}
	pw, ph := int(math.Round(w*scale)), int(math.Round(h*scale))
	if pw < 1 || ph < 1 || pw > 20000 || ph > 20000 || pw*ph > maxPNGPixels {
		return nil, nil, fmt.Errorf("chart: a %d×%d pixel PNG is too large; use a smaller size or PNGScale (at most %d pixels)", pw, ph, maxPNGPixels)
	}
	img := image.NewRGBA(image.Rect(0, 0, pw, ph))
	xdraw.Draw(img, img.Bounds(), image.NewUniform(background), image.Point{}, xdraw.Src)
	r := &rasterizer{
		img:     img,
		scanner: rasterx.NewScannerGV(pw, ph, img, img.Bounds()),
		clipDef: map[string]*svgNode{},
		colors:  map[color.NRGBA]bool{},
		scale:   scale,
	}
	r.collectClipPaths(root)
	base := paint{
		m:        rasterx.Identity.Scale(scale, scale),
		opacity:  1,
		fill:     "black",
		fillOp:   1,
		strokeOp: 1, strokeWidth: 1,
		miter:    4,
		fontSize: 12,
		anchor:   "start",
		baseline: "alphabetic",
	}
	r.drawChildren(root, base)
	bg := color.NRGBAModel.Convert(background).(color.NRGBA)
	used := []color.NRGBA{bg}
	for c := range r.colors {
		used = append(used, c)
	}
	return img, used, nil
}

func (r *rasterizer) collectClipPaths(n *svgNode) {
	if n.name == "clipPath" && n.attrs["id"] != "" {
		r.clipDef[n.attrs["id"]] = n
	}
	for _, c := range n.children {
		r.collectClipPaths(c)
	}
}

func (r *rasterizer) drawChildren(n *svgNode, p paint) {
	for _, c := range n.children {
		r.drawNode(c, p)
	}
}

func (r *rasterizer) drawNode(n *svgNode, parent paint) {
	switch n.name {
	case "defs", "clipPath", "style", "title", "desc", "linearGradient", "radialGradient", "pattern", "mask", "image":
		return
	}
	p := r.applyAttrs(n, parent)
	if p.opacity <= 0 {
		return
	}
	switch n.name {
	case "g", "svg", "a":
		r.drawChildren(n, p)
	case "path":
		r.drawPath(n.attrs["d"], p)
	case "rect":
		x, y := num(n.attrs["x"]), num(n.attrs["y"])
		w, h := num(n.attrs["width"]), num(n.attrs["height"])
		if w > 0 && h > 0 {
			r.drawPath(fmt.Sprintf("M%g %gL%g %gL%g %gL%g %gZ", x, y, x+w, y, x+w, y+h, x, y+h), p)
		}
	case "circle":
		cx, cy, rr := num(n.attrs["cx"]), num(n.attrs["cy"]), num(n.attrs["r"])
		if rr > 0 {
			r.drawPath(ellipsePath(cx, cy, rr, rr), p)
		}
	case "ellipse":
		cx, cy, rx, ry := num(n.attrs["cx"]), num(n.attrs["cy"]), num(n.attrs["rx"]), num(n.attrs["ry"])
		if rx > 0 && ry > 0 {
			r.drawPath(ellipsePath(cx, cy, rx, ry), p)
		}
	case "line":
		p.fill = "none"
		r.drawPath(fmt.Sprintf("M%g %gL%g %g", num(n.attrs["x1"]), num(n.attrs["y1"]), num(n.attrs["x2"]), num(n.attrs["y2"])), p)
	case "polyline", "polygon":
		pts := strings.FieldsFunc(n.attrs["points"], func(r rune) bool { return r == ' ' || r == ',' || r == '\n' || r == '\t' })
		if len(pts) >= 4 {
			var b strings.Builder
			for i := 0; i+1 < len(pts); i += 2 {
				if i == 0 {
					b.WriteString("M")
				} else {
					b.WriteString("L")
				}
				b.WriteString(pts[i] + " " + pts[i+1])
			}
			if n.name == "polygon" {
				b.WriteString("Z")
			}
			r.drawPath(b.String(), p)
		}
	case "text":
		r.drawText(n, p)
	}
}

func ellipsePath(cx, cy, rx, ry float64) string {
	return fmt.Sprintf("M%g %gA%g %g 0 1 0 %g %gA%g %g 0 1 0 %g %gZ", cx-rx, cy, rx, ry, cx+rx, cy, rx, ry, cx-rx, cy)
}

func num(s string) float64 {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "px"))
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0
	}
	return v
}

// applyAttrs returns the paint state of n: its parent's, overridden by n's attributes and style.
func (r *rasterizer) applyAttrs(n *svgNode, p paint) paint {
	p.dash = append([]float64(nil), p.dash...)
	props := make(map[string]string, len(n.attrs)+4)
	for k, v := range n.attrs {
		props[k] = v
	}
	for _, decl := range strings.Split(n.attrs["style"], ";") {
		k, v, ok := strings.Cut(decl, ":")
		if ok {
			props[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	if v, ok := props["transform"]; ok {
		p.m = p.m.Mult(parseTransform(v))
	}
	if v, ok := props["clip-path"]; ok {
		if id, ok := strings.CutPrefix(strings.TrimSpace(v), "url(#"); ok {
			id = strings.TrimSuffix(id, ")")
			if def := r.clipDef[id]; def != nil {
				if rect, ok := r.clipRect(def, p.m); ok {
					if p.clip.Empty() {
						p.clip = rect
					} else {
						p.clip = p.clip.Intersect(rect)
						if p.clip.Empty() {
							p.opacity = 0
						}
					}
				}
			}
		}
	}
	if v, ok := props["opacity"]; ok {
		p.opacity *= clamp01(num(v))
	}
	if v, ok := props["fill"]; ok {
		p.fill = v
	}
	if v, ok := props["fill-opacity"]; ok {
		p.fillOp = clamp01(num(v))
	}
	if v, ok := props["stroke"]; ok {
		p.stroke = v
	}
	if v, ok := props["stroke-opacity"]; ok {
		p.strokeOp = clamp01(num(v))
	}
	if v, ok := props["stroke-width"]; ok {
		p.strokeWidth = num(v)
	}
	if v, ok := props["stroke-dasharray"]; ok {
		p.dash = nil
		if v != "none" {
			for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
				p.dash = append(p.dash, num(f))
			}
		}
	}
	if v, ok := props["stroke-dashoffset"]; ok {
		p.dashOffset = num(v)
	}
	if v, ok := props["stroke-linecap"]; ok {
		p.lineCap = v
	}
	if v, ok := props["stroke-linejoin"]; ok {
		p.lineJoin = v
	}
	if v, ok := props["stroke-miterlimit"]; ok {
		p.miter = num(v)
	}
	if v, ok := props["font"]; ok {
		// ECharts writes the shorthand "normal normal 12px sans-serif" or "bold 18px sans-serif".
		for _, f := range strings.Fields(v) {
			switch {
			case strings.HasSuffix(f, "px"):
				p.fontSize = num(f)
			case f == "bold" || f == "bolder" || f == "600" || f == "700" || f == "800" || f == "900":
				p.fontWeight = "bold"
			}
		}
	}
	if v, ok := props["font-size"]; ok {
		p.fontSize = num(v)
	}
	if v, ok := props["font-weight"]; ok {
		p.fontWeight = v
	}
	if v, ok := props["text-anchor"]; ok {
		p.anchor = v
	}
	if v, ok := props["dominant-baseline"]; ok {
		p.baseline = v
	}
	return p
}

func clamp01(v float64) float64 { return math.Max(0, math.Min(1, v)) }

// parseTransform reads an SVG transform list: matrix, translate, scale, rotate, skewX, skewY.
func parseTransform(s string) rasterx.Matrix2D {
	m := rasterx.Identity
	for {
		s = strings.TrimLeft(s, " ,\t\n")
		open := strings.IndexByte(s, '(')
		if open < 0 {
			return m
		}
		closeIdx := strings.IndexByte(s[open:], ')')
		if closeIdx < 0 {
			return m
		}
		name := strings.TrimSpace(s[:open])
		var a []float64
		for _, f := range strings.FieldsFunc(s[open+1:open+closeIdx], func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
			a = append(a, num(f))
		}
		s = s[open+closeIdx+1:]
		arg := func(i int, def float64) float64 {
			if i < len(a) {
				return a[i]
			}
			return def
		}
		switch name {
		case "matrix":
			if len(a) == 6 {
				m = m.Mult(rasterx.Matrix2D{A: a[0], B: a[1], C: a[2], D: a[3], E: a[4], F: a[5]})
			}
		case "translate":
			m = m.Translate(arg(0, 0), arg(1, 0))
		case "scale":
			m = m.Scale(arg(0, 1), arg(1, arg(0, 1)))
		case "rotate":
			cx, cy := arg(1, 0), arg(2, 0)
			m = m.Translate(cx, cy).Rotate(arg(0, 0)*math.Pi/180).Translate(-cx, -cy)
		case "skewX":
			m = m.SkewX(arg(0, 0) * math.Pi / 180)
		case "skewY":
			m = m.SkewY(arg(0, 0) * math.Pi / 180)
		}
	}
}

// clipRect returns the device-space bounding box of a clipPath's shapes. ECharts clips series to
// their grid with a rectangle, so a bounding box is exact for what this package draws.
func (r *rasterizer) clipRect(def *svgNode, m rasterx.Matrix2D) (image.Rectangle, bool) {
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	var visit func(n *svgNode, m rasterx.Matrix2D)
	visit = func(n *svgNode, m rasterx.Matrix2D) {
		if t, ok := n.attrs["transform"]; ok {
			m = m.Mult(parseTransform(t))
		}
		var pts [][2]float64
		switch n.name {
		case "rect":
			x, y, w, h := num(n.attrs["x"]), num(n.attrs["y"]), num(n.attrs["width"]), num(n.attrs["height"])
			pts = [][2]float64{{x, y}, {x + w, y}, {x, y + h}, {x + w, y + h}}
		case "path":
			var pc oksvg.PathCursor
			if err := pc.CompilePath(n.attrs["d"]); err == nil {
				pts = pathPoints(pc.Path)
			}
		}
		for _, pt := range pts {
			x, y := m.Transform(pt[0], pt[1])
			minX, minY = math.Min(minX, x), math.Min(minY, y)
			maxX, maxY = math.Max(maxX, x), math.Max(maxY, y)
		}
		for _, c := range n.children {
			visit(c, m)
		}
	}
	visit(def, m)
	if math.IsInf(minX, 0) {
		return image.Rectangle{}, false
	}
	return image.Rect(int(math.Floor(minX)), int(math.Floor(minY)), int(math.Ceil(maxX)), int(math.Ceil(maxY))), true
}

// pathPoints returns every point of a rasterx path, control points included (a conservative hull).
func pathPoints(p rasterx.Path) [][2]float64 {
	var pts [][2]float64
	for i := 0; i < len(p); {
		cmd := rasterx.PathCommand(p[i])
		n := 0
		switch cmd {
		case rasterx.PathMoveTo, rasterx.PathLineTo:
			n = 1
		case rasterx.PathQuadTo:
			n = 2
		case rasterx.PathCubicTo:
			n = 3
		case rasterx.PathClose:
			i++
			continue
		default:
			return pts
		}
		for k := 0; k < n; k++ {
			j := i + 1 + 2*k
			if j+1 >= len(p) {
				return pts
			}
			pts = append(pts, [2]float64{float64(p[j]) / 64, float64(p[j+1]) / 64})
		}
		i += 1 + 2*n
	}
	return pts
}

func (r *rasterizer) drawPath(d string, p paint) {
	if strings.TrimSpace(d) == "" {
		return
	}
	var pc oksvg.PathCursor
	if err := pc.CompilePath(d); err != nil || len(pc.Path) == 0 {
		return
	}
	pts := pathPoints(pc.Path)
	if len(pts) == 0 {
		return
	}
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, pt := range pts {
		x, y := p.m.Transform(pt[0], pt[1])
		minX, minY = math.Min(minX, x), math.Min(minY, y)
		maxX, maxY = math.Max(maxX, x), math.Max(maxY, y)
	}
	lineScale := math.Sqrt(math.Abs(p.m.A*p.m.D - p.m.B*p.m.C))
	if fc, ok := parseColor(p.fill); ok {
		fc = withAlpha(fc, p.fillOp*p.opacity)
		r.colors[fc] = true
		if fc.A > 0 {
			r.rasterize(pc.Path, p, fc, false, 0, minX, minY, maxX, maxY)
		}
	}
	if sc, ok := parseColor(p.stroke); ok && p.strokeWidth > 0 {
		sc = withAlpha(sc, p.strokeOp*p.opacity)
		r.colors[sc] = true
		if sc.A > 0 {
			r.rasterize(pc.Path, p, sc, true, p.strokeWidth*lineScale, minX, minY, maxX, maxY)
		}
	}
}

// rasterize fills or strokes path into the part of the image it can touch, so that small shapes
// cost little: the vector rasterizer composites its whole area on every draw.
func (r *rasterizer) rasterize(path rasterx.Path, p paint, c color.NRGBA, stroke bool, width, minX, minY, maxX, maxY float64) {
	pad := 2.0
	if stroke {
		pad += width * 2
	}
	box := image.Rect(int(math.Floor(minX-pad)), int(math.Floor(minY-pad)), int(math.Ceil(maxX+pad)), int(math.Ceil(maxY+pad)))
	box = box.Intersect(r.img.Bounds())
	if !p.clip.Empty() {
		box = box.Intersect(p.clip)
	}
	if box.Empty() {
		return
	}
	sub := r.img.SubImage(box).(*image.RGBA)
	s := r.scanner
	s.SetBounds(box.Dx(), box.Dy())
	s.Dest = sub
	s.Targ = sub.Bounds()
	s.Clear()
	s.SetColor(c)
	m := rasterx.Identity.Translate(-float64(box.Min.X), -float64(box.Min.Y)).Mult(p.m)
	if stroke {
		d := rasterx.NewDasher(box.Dx(), box.Dy(), s)
		capFn := rasterx.ButtCap
		switch p.lineCap {
		case "round":
			capFn = rasterx.RoundCap
		case "square":
			capFn = rasterx.SquareCap
		}
		join := rasterx.Miter
		switch p.lineJoin {
		case "round":
			join = rasterx.Round
		case "bevel":
			join = rasterx.Bevel
		}
		ls := math.Sqrt(math.Abs(p.m.A*p.m.D - p.m.B*p.m.C))
		var dash []float64
		for _, v := range p.dash {
			dash = append(dash, v*ls)
		}
		if len(dash) > 0 && allZero(dash) {
			dash = nil
		}
		d.SetStroke(fixed.Int26_6(width*64), fixed.Int26_6(p.miter*64), capFn, capFn, rasterx.RoundGap, join, dash, p.dashOffset*ls)
		path.AddTo(&rasterx.MatrixAdder{Adder: d, M: m})
		d.Draw()
	} else {
		f := rasterx.NewFiller(box.Dx(), box.Dy(), s)
		path.AddTo(&rasterx.MatrixAdder{Adder: f, M: m})
		f.Draw()
	}
}

func allZero(v []float64) bool {
	for _, x := range v {
		if x != 0 {
			return false
		}
	}
	return true
}

func withAlpha(c color.NRGBA, a float64) color.NRGBA {
	c.A = uint8(math.Round(float64(c.A) * clamp01(a)))
	return c
}

// parseColor reads an SVG/CSS colour; ok is false for "none", "transparent", url() paints and junk.
func parseColor(s string) (color.NRGBA, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case s == "" || s == "none" || s == "transparent" || strings.HasPrefix(s, "url("):
		return color.NRGBA{}, false
	case strings.HasPrefix(s, "#"):
		h := s[1:]
		if len(h) == 3 || len(h) == 4 {
			var b strings.Builder
			for _, ch := range h {
				b.WriteRune(ch)
				b.WriteRune(ch)
			}
			h = b.String()
		}
		if len(h) != 6 && len(h) != 8 {
			return color.NRGBA{}, false
		}
		v, err := strconv.ParseUint(h, 16, 32)
		if err != nil {
			return color.NRGBA{}, false
		}
		if len(h) == 6 {
			return color.NRGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}, true
		}
		return color.NRGBA{uint8(v >> 24), uint8(v >> 16), uint8(v >> 8), uint8(v)}, true
	case strings.HasPrefix(s, "rgb"):
		open, end := strings.IndexByte(s, '('), strings.IndexByte(s, ')')
		if open < 0 || end < open {
			return color.NRGBA{}, false
		}
		parts := strings.FieldsFunc(s[open+1:end], func(r rune) bool { return r == ',' || r == ' ' || r == '/' })
		if len(parts) < 3 {
			return color.NRGBA{}, false
		}
		var c [3]uint8
		for i := 0; i < 3; i++ {
			v := parts[i]
			f := num(strings.TrimSuffix(v, "%"))
			if strings.HasSuffix(v, "%") {
				f = f * 255 / 100
			}
			c[i] = uint8(math.Round(math.Max(0, math.Min(255, f))))
		}
		a := 1.0
		if len(parts) > 3 {
			v := parts[3]
			a = num(strings.TrimSuffix(v, "%"))
			if strings.HasSuffix(v, "%") {
				a /= 100
			}
		}
		return color.NRGBA{c[0], c[1], c[2], uint8(math.Round(clamp01(a) * 255))}, true
	default:
		if c, ok := colornames.Map[s]; ok {
			return color.NRGBA{c.R, c.G, c.B, c.A}, true
		}
		return color.NRGBA{}, false
	}
}

var (
	fontsOnce   sync.Once
	fontRegular *opentype.Font
	fontBold    *opentype.Font
	fontsErr    error
	faceCacheMu sync.Mutex
	faceCache   = map[faceKey]font.Face{}
)

type faceKey struct {
	bold bool
	size float64
}

func face(bold bool, size float64) (font.Face, error) {
	fontsOnce.Do(func() {
		fontRegular, fontsErr = opentype.Parse(goregular.TTF)
		if fontsErr == nil {
			fontBold, fontsErr = opentype.Parse(gobold.TTF)
		}
	})
	if fontsErr != nil {
		return nil, fontsErr
	}
	size = math.Round(size*4) / 4
	faceCacheMu.Lock()
	defer faceCacheMu.Unlock()
	k := faceKey{bold, size}
	if f, ok := faceCache[k]; ok {
		return f, nil
	}
	src := fontRegular
	if bold {
		src = fontBold
	}
	f, err := opentype.NewFace(src, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, err
	}
	faceCache[k] = f
	return f, nil
}

// drawText draws a <text> element with the Go fonts. Position, anchor and baseline follow SVG;
// a transform with rotation or shear is applied by drawing the text upright and then transforming
// the bitmap.
func (r *rasterizer) drawText(n *svgNode, p paint) {
	txt := collectText(n)
	if strings.TrimSpace(txt) == "" {
		return
	}
	fc, ok := parseColor(p.fill)
	if !ok {
		return
	}
	fc = withAlpha(fc, p.fillOp*p.opacity)
	r.colors[fc] = true
	if fc.A == 0 || p.fontSize <= 0 {
		return
	}
	bold := p.fontWeight == "bold" || p.fontWeight == "bolder" || num(p.fontWeight) >= 600
	x, y := num(n.attrs["x"]), num(n.attrs["y"])
	m := p.m
	// The device scale of the text: for a similarity transform, sqrt(|det|).
	s := math.Sqrt(math.Abs(m.A*m.D - m.B*m.C))
	if s == 0 {
		return
	}
	f, err := face(bold, p.fontSize*s)
	if err != nil {
		return
	}
	width := float64(font.MeasureString(f, txt)) / 64
	met := f.Metrics()
	ascent, descent := float64(met.Ascent)/64, float64(met.Descent)/64
	// Offsets in device pixels from the anchor point to the left end of the baseline.
	dx := 0.0
	switch p.anchor {
	case "middle":
		dx = -width / 2
	case "end":
		dx = -width
	}
	dy := 0.0
	switch p.baseline {
	case "central", "middle":
		dy = (ascent - descent) / 2
	case "hanging", "text-before-edge", "text-top":
		dy = ascent
	case "text-after-edge", "text-bottom", "ideographic":
		dy = -descent
	}
	rotated := math.Abs(m.B) > 1e-9 || math.Abs(m.C) > 1e-9 || m.A < 0 || m.D < 0
	clip := r.img.Bounds()
	if !p.clip.Empty() {
		clip = clip.Intersect(p.clip)
	}
	dst := r.img.SubImage(clip).(*image.RGBA)
	if !rotated {
		ox, oy := m.Transform(x, y)
		d := font.Drawer{Dst: dst, Src: image.NewUniform(fc), Face: f,
			Dot: fixed.Point26_6{X: fixed.Int26_6(math.Round((ox + dx) * 64)), Y: fixed.Int26_6(math.Round((oy + dy) * 64))}}
		d.DrawString(txt)
		return
	}
	// Draw upright into a scratch image, then map it with the element's rotation.
	pad := 2
	tw, th := int(math.Ceil(width))+2*pad, int(math.Ceil(ascent+descent))+2*pad
	scratch := image.NewRGBA(image.Rect(0, 0, tw, th))
	d := font.Drawer{Dst: scratch, Src: image.NewUniform(fc), Face: f,
		Dot: fixed.Point26_6{X: fixed.I(pad), Y: fixed.Int26_6(math.Round((float64(pad) + ascent) * 64))}}
	d.DrawString(txt)
	// scratch pixel (u, v) ↔ local text coords: x + (u - pad + dx)/s, y + (v - pad - ascent + dy)/s.
	local := rasterx.Identity.Translate(x, y).Scale(1/s, 1/s).Translate(dx-float64(pad), dy-float64(pad)-ascent)
	t := m.Mult(local)
	xdraw.BiLinear.Transform(dst, f64.Aff3{t.A, t.C, t.E, t.B, t.D, t.F}, scratch, scratch.Bounds(), xdraw.Over, nil)
}

func collectText(n *svgNode) string {
	var b strings.Builder
	b.WriteString(n.text.String())
	for _, c := range n.children {
		if c.name == "tspan" {
			b.WriteString(collectText(c))
		}
	}
	return b.String()
}

// quantize maps an opaque chart image to at most 256 colours: first every paint the chart used,
// blended over the background as it appears (so no line, text or band changes colour), then the
// most frequent remaining colours (anti-aliasing shades); other pixels take the nearest. A chart
// has few colours, so this is visually lossless and makes the PNG about 40% smaller.
func quantize(img *image.RGBA, paints []color.NRGBA) *image.Paletted {
	bg := color.NRGBA{255, 255, 255, 255}
	if len(paints) > 0 {
		bg = paints[0]
	}
	key := func(r, g, b uint8) uint32 { return uint32(r)<<16 | uint32(g)<<8 | uint32(b) }
	inPal := map[uint32]bool{}
	var pal color.Palette
	add := func(r, g, b uint8) {
		k := key(r, g, b)
		if !inPal[k] && len(pal) < 256 {
			inPal[k] = true
			pal = append(pal, color.RGBA{r, g, b, 255})
		}
	}
	blend := func(c, b uint8, a float64) uint8 { return uint8(math.Round(float64(c)*a + float64(b)*(1-a))) }
	// Deterministic order: sort the paints.
	sorted := append([]color.NRGBA(nil), paints...)
	sort.Slice(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		return key(a.R, a.G, a.B)<<8|uint32(a.A) < key(b.R, b.G, b.B)<<8|uint32(b.A)
	})
	add(bg.R, bg.G, bg.B)
	for _, c := range sorted {
		if c.A == 0 {
			continue
		}
		a := float64(c.A) / 255
		add(blend(c.R, bg.R, a), blend(c.G, bg.G, a), blend(c.B, bg.B, a))
	}
	p := img.Pix
	counts := map[uint32]int{}
	for i := 0; i+3 < len(p); i += 4 {
		counts[key(p[i], p[i+1], p[i+2])]++
	}
	type kc struct {
		k uint32
		n int
	}
	rest := make([]kc, 0, len(counts))
	for k, n := range counts {
		if !inPal[k] {
			rest = append(rest, kc{k, n})
		}
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i].n > rest[j].n || (rest[i].n == rest[j].n && rest[i].k < rest[j].k) })
	for _, e := range rest {
		if len(pal) >= 256 {
			break
		}
		add(uint8(e.k>>16), uint8(e.k>>8), uint8(e.k))
	}
	out := image.NewPaletted(img.Bounds(), pal)
	index := make(map[uint32]uint8, len(counts))
	w := img.Bounds().Dx()
	for y := 0; y < img.Bounds().Dy(); y++ {
		row := p[y*img.Stride : y*img.Stride+4*w]
		dst := out.Pix[y*out.Stride : y*out.Stride+w]
		for x := 0; x < w; x++ {
			r, g, b := row[4*x], row[4*x+1], row[4*x+2]
			k := key(r, g, b)
			i, ok := index[k]
			if !ok {
				i = uint8(pal.Index(color.RGBA{r, g, b, 255}))
				index[k] = i
			}
			dst[x] = i
		}
	}
	return out
}

// encodePNG encodes img with the fastest zlib level that still compresses charts well.
func encodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.DefaultCompression} // a quarter smaller than BestSpeed for ~20 ms more: the PNG is what a notebook stores
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("chart: encoding PNG: %w", err)
	}
	return buf.Bytes(), nil
}

var cssFontSize = regexp.MustCompile(`(\d+(?:\.\d+)?)px`)

// measureText returns the width in CSS pixels of text in a CSS font ("bold 17px sans-serif",
// "normal normal 12px sans-serif") as drawText will draw it: Go Regular or Go Bold at that size.
// Multi-line text measures its widest line.
func measureText(text, cssFont string) float64 {
	size := 12.0
	if m := cssFontSize.FindStringSubmatch(cssFont); m != nil {
		if v, err := strconv.ParseFloat(m[1], 64); err == nil && v > 0 {
			size = v
		}
	}
	bold := false
	for _, f := range strings.Fields(cssFont) {
		if f == "bold" || f == "bolder" || f == "600" || f == "700" || f == "800" || f == "900" {
			bold = true
		}
	}
	if text == "国" {
		// zrender takes a line's height to be the width of this ideograph (one em), which the Go
		// fonts lack; answer the em so that wrapped lines do not overlap.
		return size
	}
	f, err := face(bold, size)
	if err != nil {
		return float64(len(text)) * size * 0.6
	}
	w := 0.0
	for _, line := range strings.Split(text, "\n") {
		w = math.Max(w, float64(font.MeasureString(f, line))/64)
	}
	return w
}
