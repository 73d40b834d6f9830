package chart

import (
	"fmt"
	"html"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// textBox is a <text> element of an SVG that ECharts' server-side renderer wrote, with the box
// it covers on the picture.
type textBox struct {
	text           string
	x0, y0, x1, y1 float64
}

func (b textBox) String() string {
	return fmt.Sprintf("%q [%.0f,%.0f]-[%.0f,%.0f]", b.text, b.x0, b.y0, b.x1, b.y1)
}

var (
	svgTextRE    = regexp.MustCompile(`<text([^>]*)>([^<]*)</text>`)
	svgAttrRE    = regexp.MustCompile(`([a-z-]+)="([^"]*)"`)
	translateRE  = regexp.MustCompile(`translate\(([-\d.e]+)[ ,]+([-\d.e]+)\)`)
	matrixRE     = regexp.MustCompile(`matrix\(([-\d.e]+),([-\d.e]+),([-\d.e]+),([-\d.e]+),([-\d.e]+),([-\d.e]+)\)`)
	fontSizeRE   = regexp.MustCompile(`(\d+(?:\.\d+)?)px`)
	fontWeightRE = regexp.MustCompile(`bold`)
)

// svgTextBoxes returns the box of every text of an SVG: the position from its transform and x/y
// attributes, its anchor and baseline, and its width measured in the font the renderer measured
// it with (measureText). Rotated texts get their rotated box.
func svgTextBoxes(t *testing.T, svg string) []textBox {
	t.Helper()
	var out []textBox
	for _, m := range svgTextRE.FindAllStringSubmatch(svg, -1) {
		text := html.UnescapeString(m[2])
		if strings.TrimSpace(text) == "" {
			continue
		}
		attrs := map[string]string{}
		for _, a := range svgAttrRE.FindAllStringSubmatch(m[1], -1) {
			attrs[a[1]] = a[2]
		}
		size := 12.0
		if f := fontSizeRE.FindStringSubmatch(attrs["style"]); f != nil {
			size, _ = strconv.ParseFloat(f[1], 64)
		}
		font := fmt.Sprintf("%gpx sans-serif", size)
		if fontWeightRE.MatchString(attrs["style"]) {
			font = "bold " + font
		}
		w := measureText(text, font)
		x, _ := strconv.ParseFloat(attrs["x"], 64)
		y, _ := strconv.ParseFloat(attrs["y"], 64)
		var x0 float64
		switch attrs["text-anchor"] {
		case "middle":
			x0 = x - w/2
		case "end":
			x0 = x - w
		default:
			x0 = x
		}
		var y0 float64
		switch attrs["dominant-baseline"] {
		case "central", "middle":
			y0 = y - size/2
		case "hanging", "text-before-edge":
			y0 = y
		default: // alphabetic
			y0 = y - size*0.8
		}
		// Local box corners, then the transform.
		a, b, c, d, e, f := 1.0, 0.0, 0.0, 1.0, 0.0, 0.0
		tr := attrs["transform"]
		if mm := matrixRE.FindStringSubmatch(tr); mm != nil {
			v := make([]float64, 6)
			for i := range v {
				v[i], _ = strconv.ParseFloat(mm[i+1], 64)
			}
			a, b, c, d, e, f = v[0], v[1], v[2], v[3], v[4], v[5]
		} else if tm := translateRE.FindStringSubmatch(tr); tm != nil {
			e, _ = strconv.ParseFloat(tm[1], 64)
			f, _ = strconv.ParseFloat(tm[2], 64)
		}
		bx := textBox{text: text, x0: math.Inf(1), y0: math.Inf(1), x1: math.Inf(-1), y1: math.Inf(-1)}
		for _, p := range [][2]float64{{x0, y0}, {x0 + w, y0}, {x0, y0 + size}, {x0 + w, y0 + size}} {
			px, py := a*p[0]+c*p[1]+e, b*p[0]+d*p[1]+f
			bx.x0, bx.x1 = math.Min(bx.x0, px), math.Max(bx.x1, px)
			bx.y0, bx.y1 = math.Min(bx.y0, py), math.Max(bx.y1, py)
		}
		out = append(out, bx)
	}
	return out
}

// overlaps returns every pair of texts whose boxes intersect, or, one above the other, come
// within a pixel of each other (text boxes are font-size tall; glyphs reach their edges).
func overlaps(boxes []textBox) [][2]textBox {
	var out [][2]textBox
	for i := range boxes {
		for j := i + 1; j < len(boxes); j++ {
			p, q := boxes[i], boxes[j]
			dy := math.Min(p.y1, q.y1) - math.Max(p.y0, q.y0)
			if math.Abs((p.x0+p.x1)/2-(q.x0+q.x1)/2) < 1 && dy <= 1 {
				continue // consecutive lines of one centred, wrapped label
			}
			if math.Min(p.x1, q.x1)-math.Max(p.x0, q.x0) > 1 && dy > -1 {
				out = append(out, [2]textBox{p, q})
			}
		}
	}
	return out
}
