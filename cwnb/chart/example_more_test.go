package chart_test

import (
	"bytes"
	"fmt"
	"image/png"
	"strings"

	"github.com/cwnb/cwnb/cwnb/chart"
)

func apiBars(optFns ...func(*chart.Options)) *chart.Chart {
	c, err := chart.Bars(chart.Categories{
		Title:  "Which API has the worst p99?",
		Footer: "p99 over 7 days",
		Names:  []string{"GET /users", "POST /orders"},
		Series: []chart.Series{{Name: "p99", Unit: "Milliseconds", Values: []float64{420, 3300}}},
	}, optFns...)
	if err != nil {
		panic(err)
	}
	return c
}

func ExampleDisplay() {
	// Outside GoNB, Display prints each chart's alt text.
	_ = chart.Display(apiBars(chart.WithMode(chart.Interactive)))
	// Output:
	// Which API has the worst p99?
	//   p99 (ms): GET /users 420, POST /orders 3,300
	// p99 over 7 days
}

func ExampleChart_PNG() {
	c := apiBars(chart.WithSize(600, 300), chart.WithPNGScale(2))
	raw, err := c.PNG()
	if err != nil {
		fmt.Println(err)
		return
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(img.Bounds().Dx(), img.Bounds().Dy())
	// Output: 1200 600
}

func ExampleChart_SVG() {
	svg, err := apiBars(chart.WithSize(600, 300)).SVG()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.HasPrefix(svg, `<svg width="600" height="300"`), strings.Contains(svg, "POST /orders"))
	// Output: true true
}

func ExampleChart_HTML() {
	h, err := apiBars(chart.WithMode(chart.Static)).HTML()
	if err != nil {
		fmt.Println(err)
		return
	}
	// Static mode: the picture only, no script.
	fmt.Println(strings.Contains(h, `<img class="cwnb-static"`), strings.Contains(h, "<script"))
	// Output: true false
}

func ExampleChart_OptionJSON() {
	js, err := apiBars().OptionJSON()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Contains(string(js), `"type": "bar"`))
	// Output: true
}

func ExampleChart_Title() {
	fmt.Println(apiBars().Title())
	// Output: Which API has the worst p99?
}

func ExampleChart_Text() {
	fmt.Println(apiBars().Text())
	// Output:
	// Which API has the worst p99?
	//   p99 (ms): GET /users 420, POST /orders 3,300
	// p99 over 7 days
}

func ExampleChart_Size() {
	fmt.Println(apiBars().Size())
	fmt.Println(apiBars(chart.WithSize(640, 360)).Size())
	// Output:
	// 900 420
	// 640 360
}

func ExampleWithSize() {
	w, h := apiBars(chart.WithSize(1200, 500)).Size()
	fmt.Println(w, h)
	// Output: 1200 500
}

func ExampleWithMode() {
	b, err := apiBars(chart.WithMode(chart.Interactive)).Bundle()
	if err != nil {
		fmt.Println(err)
		return
	}
	_, hasPNG := b[chart.MIMEPNG]
	fmt.Println(hasPNG)
	// Output: false
}

func ExampleWithMaxPoints() {
	times, avg, _ := latency()
	c, err := chart.Line(chart.TimeSeries{Title: "Average", Times: times,
		Series: []chart.Series{{Name: "Average", Unit: "Milliseconds", Values: avg}}},
		chart.WithMaxPoints(500, chart.MinMax))
	if err != nil {
		fmt.Println(err)
		return
	}
	js, _ := c.OptionJSON()
	fmt.Println(strings.Contains(string(js), "downsampled 1,440 → "), strings.Contains(string(js), "(min/max)"))
	// Output: true true
}

func ExampleWithPNGScale() {
	raw, err := apiBars(chart.WithSize(400, 200), chart.WithPNGScale(1)).PNG()
	if err != nil {
		fmt.Println(err)
		return
	}
	img, _ := png.Decode(bytes.NewReader(raw))
	fmt.Println(img.Bounds().Dx(), img.Bounds().Dy())
	// Output: 400 200
}

func ExamplePreload() {
	// Start loading ECharts into goja while the data loads; the first render then does not wait.
	chart.Preload()
	svg, err := apiBars().SVG()
	fmt.Println(err == nil && strings.HasPrefix(svg, "<svg"))
	// Output: true
}

func ExampleLibraryNotice() {
	fmt.Println(strings.SplitN(chart.LibraryNotice(), "\n", 2)[0])
	// Output: Apache ECharts
}

func ExampleMode_String() {
	fmt.Println(chart.Both, chart.Static, chart.Interactive)
	// Output: both static interactive
}

func ExampleDownsampler_String() {
	fmt.Println(chart.LTTB, chart.MinMax, chart.NoDownsampling)
	// Output: LTTB min/max none
}
