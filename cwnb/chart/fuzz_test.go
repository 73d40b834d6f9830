package chart

import (
	"image/color"
	"testing"
)

// FuzzRasterizeSVG: whatever SVG arrives, the rasteriser returns an image or an error, never
// panics, and never allocates beyond its size limit.
func FuzzRasterizeSVG(f *testing.F) {
	for _, seed := range []string{
		`<svg width="40" height="20"><path d="M0 0L40 20" stroke="#f00" stroke-width="2" fill="none"/></svg>`,
		`<svg width="40" height="20"><g transform="matrix(0,1,-1,0,20,0)" opacity=".5"><text x="1" y="2" style="font: bold 12px sans-serif" text-anchor="middle" dominant-baseline="central">a&lt;b</text></g></svg>`,
		`<svg width="40" height="20"><defs><clipPath id="c"><path d="M0 0L10 0L10 10Z"/></clipPath></defs><g clip-path="url(#c)"><rect width="40" height="20" fill="rgba(1,2,3,0.5)"/></g></svg>`,
		`<svg width="40" height="20"><circle cx="5" cy="5" r="3" fill="hsl(1,2%,3%)" stroke-dasharray="0,0"/><polyline points="1,2 3"/></svg>`,
		`<svg width="1e9" height="1e9"></svg>`,
		`<svg width="40" height="20"><path d="M0 0A5 5 0 1 0 10 10Q1 2 3 4C1 2 3 4 5 6Z"/></svg>`,
		`not svg`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, svg string) {
		img, err := rasterizeSVG(svg, 1, color.White)
		if err == nil && img.Bounds().Dx()*img.Bounds().Dy() > maxPNGPixels {
			t.Fatalf("image %v beyond the limit", img.Bounds())
		}
	})
}

func FuzzParseColor(f *testing.F) {
	for _, seed := range []string{"#fff", "#5470c6", "#5470c680", "rgb(1,2,3)", "rgba(1, 2, 3, 0.5)", "rgb(10%,20%,30%)", "red", "none", "url(#g)", "rgba(", "#zzz"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		parseColor(s)
	})
}

func FuzzParseTransform(f *testing.F) {
	for _, seed := range []string{"translate(1 2)", "matrix(1,0,0,1,5,6)", "rotate(-90 3 4) scale(2)", "skewX(10)", "translate(", "matrix(1 2)"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		parseTransform(s)
	})
}

func TestParseColor(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want color.NRGBA
		ok   bool
	}{
		{"#fff", color.NRGBA{255, 255, 255, 255}, true},
		{"#5470C6", color.NRGBA{0x54, 0x70, 0xc6, 255}, true},
		{"rgba(200,60,60,0.10)", color.NRGBA{200, 60, 60, 26}, true},
		{"rgb(100%, 0%, 0%)", color.NRGBA{255, 0, 0, 255}, true},
		{"white", color.NRGBA{255, 255, 255, 255}, true},
		{"none", color.NRGBA{}, false},
		{"transparent", color.NRGBA{}, false},
		{"#12", color.NRGBA{}, false},
	} {
		got, ok := parseColor(tc.in)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("parseColor(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestMeasureText(t *testing.T) {
	regular, bold := measureText("p99 latency", "12px sans-serif"), measureText("p99 latency", "bold 12px sans-serif")
	if regular <= 30 || regular >= 100 || bold <= regular {
		t.Errorf("widths: regular %v, bold %v", regular, bold)
	}
	if got := measureText("p99 latency", "normal normal 24px sans-serif"); got < 1.9*regular || got > 2.1*regular {
		t.Errorf("24px width %v is not twice the 12px width %v", got, regular)
	}
	if got := measureText("国", "17px sans-serif"); got != 17 {
		t.Errorf("line-height probe = %v, want one em (17)", got)
	}
}
