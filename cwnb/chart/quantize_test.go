package chart

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"testing"
)

// TestQuantizeIsFaithful: the paletted PNG keeps every paint exactly and stays within a few levels
// of the full-colour render on average.
func TestQuantizeIsFaithful(t *testing.T) {
	for _, name := range []string{"line", "heatmap"} {
		t.Run(name, func(t *testing.T) {
			c := allBuilders(t)[name]
			svg, err := c.SVG()
			if err != nil {
				t.Fatal(err)
			}
			img, paints, err := rasterizeSVGColors(svg, 1, color.White)
			if err != nil {
				t.Fatal(err)
			}
			q := quantize(img, paints)
			if len(q.Palette) > 256 {
				t.Fatalf("palette has %d colours", len(q.Palette))
			}
			var sum float64
			b := img.Bounds()
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					r1, g1, b1, _ := img.At(x, y).RGBA()
					r2, g2, b2, _ := q.At(x, y).RGBA()
					sum += (math.Abs(float64(r1)-float64(r2)) + math.Abs(float64(g1)-float64(g2)) + math.Abs(float64(b1)-float64(b2))) / 3 / 257
				}
			}
			if mean := sum / float64(b.Dx()*b.Dy()); mean > 1.0 {
				t.Errorf("mean error %.3f levels per channel, want ≤ 1", mean)
			}
			// Opaque paints survive exactly (translucent ones blend with what is under them).
			have := map[color.RGBA]bool{}
			for _, p := range q.Palette {
				have[color.RGBAModel.Convert(p).(color.RGBA)] = true
			}
			for _, p := range paints {
				if p.A == 255 && len(paints) <= 256 && !have[color.RGBA{p.R, p.G, p.B, 255}] {
					t.Errorf("paint %v is not in the palette", p)
				}
			}
			var buf bytes.Buffer
			if err := png.Encode(&buf, q); err != nil {
				t.Fatal(err)
			}
			if _, err := png.Decode(&buf); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestQuantizeFewColoursIsLossless(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 4, 1))
	cols := []color.RGBA{{255, 255, 255, 255}, {84, 112, 198, 255}, {238, 102, 102, 255}, {1, 2, 3, 255}}
	for i, c := range cols {
		img.SetRGBA(i, 0, c)
	}
	q := quantize(img, []color.NRGBA{{255, 255, 255, 255}})
	for i, c := range cols {
		if got := color.RGBAModel.Convert(q.At(i, 0)).(color.RGBA); got != c {
			t.Errorf("pixel %d = %v, want %v", i, got, c)
		}
	}
}
