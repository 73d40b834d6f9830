package chart

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// This file holds what every builder shares: the go-echarts → map conversion, the title/footer
// frame, units, number formatting and alt text.

// echartsJSONer is what every go-echarts chart provides (charts.Line, charts.Bar, ...).
type echartsJSONer interface {
	Validate()
	JSON() map[string]any
}

// optionMap turns a go-echarts chart into a plain option map that the builders can extend. Series
// data items of the form {"value": v} become v, which is what ECharts reads and is much smaller.
func optionMap(c echartsJSONer) (map[string]any, error) {
	c.Validate()
	raw, err := json.Marshal(c.JSON())
	if err != nil {
		return nil, fmt.Errorf("chart: encoding the go-echarts option: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("chart: decoding the go-echarts option: %w", err)
	}
	// go-echarts always writes these; empty ones only add noise.
	for _, k := range []string{"toolbox", "legend", "tooltip", "title"} {
		if v, ok := m[k].(map[string]any); ok && len(v) == 0 {
			delete(m, k)
		}
	}
	if series, ok := m["series"].([]any); ok {
		for _, s := range series {
			sm, ok := s.(map[string]any)
			if !ok {
				continue
			}
			data, ok := sm["data"].([]any)
			if !ok {
				continue
			}
			for i, d := range data {
				if dm, ok := d.(map[string]any); ok {
					switch v, has := dm["value"]; {
					case len(dm) == 1 && has:
						data[i] = v
					case len(dm) == 0: // a nil Value, omitted by go-echarts: no datum
						data[i] = nil
					}
				}
			}
		}
	}
	return m, nil
}

// textLines is the number of lines ECharts makes of s in a box width pixels wide with overflow
// "break": greedy word wrapping, a word wider than the box broken anywhere. It measures with the
// same Go fonts that ECharts measures with in the server-side render (see measureText), so the
// room reserved for a wrapped title or footer matches the picture.
func textLines(s string, px float64, bold bool, width int) int {
	return len(wrapText(s, px, bold, width))
}

// wrapText wraps s into lines at most width pixels wide in the given font size: greedy word
// wrapping, a word wider than the line broken anywhere, explicit newlines kept.
func wrapText(s string, px float64, bold bool, width int) []string {
	if s == "" {
		return nil
	}
	if width < 1 {
		width = 1
	}
	font := fmt.Sprintf("%gpx sans-serif", px)
	if bold {
		font = "bold " + font
	}
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		cur, curW := "", 0.0
		for _, word := range strings.Split(para, " ") {
			w := measureText(word, font)
			sep := measureText(" ", font)
			switch {
			case cur != "" && curW+sep+w <= float64(width):
				cur += " " + word
				curW += sep + w
				continue
			case cur != "":
				lines = append(lines, cur)
			}
			cur, curW = word, w
			for curW > float64(width) { // a word longer than the line: break it anywhere
				r := []rune(cur)
				n := len(r) - 1
				for n > 1 && measureText(string(r[:n]), font) > float64(width) {
					n--
				}
				lines = append(lines, string(r[:n]))
				cur = string(r[n:])
				curW = measureText(cur, font)
			}
		}
		lines = append(lines, cur)
	}
	return lines
}

const (
	titleSize    = 17
	subtitleSize = 12
	footerSize   = 11
	padX         = 12
)

// roomWidth is the width text lines are counted at when reserving room for them. The static picture
// wraps text at the Go fonts' widths, but the interactive chart wraps it in the browser's sans-serif,
// which is often wider: counting lines at 85% of the width keeps a wrapped footer from running into
// the zoom slider there, at the cost of a little slack in the picture.
func roomWidth(inner int) int { return inner * 85 / 100 }

// frame puts the title (the question), the subtitle (notes such as downsampling) and the footer
// (provenance) into option["title"], and returns the room they take at the top and the bottom.
func frame(option map[string]any, width int, title, subtitle, footer string) (top, bottom int) {
	inner := width - 2*padX
	var titles []any
	top = 8
	if title != "" || subtitle != "" {
		t := map[string]any{
			"text": title, "left": padX, "top": 6,
			"textStyle": map[string]any{"fontSize": titleSize, "width": inner, "overflow": "break", "color": "#222"},
		}
		top += textLines(title, titleSize, true, roomWidth(inner)) * (titleSize + 6)
		if subtitle != "" {
			t["subtext"] = subtitle
			t["subtextStyle"] = map[string]any{"fontSize": subtitleSize, "width": inner, "overflow": "break", "color": "#666"}
			top += textLines(subtitle, subtitleSize, false, roomWidth(inner))*(subtitleSize+4) + 6
		}
		titles = append(titles, t)
	}
	bottom = 8
	if footer != "" {
		// The footer is wrapped here, with explicit line breaks and line height, rather than by
		// ECharts: the browser's fonts would wrap it elsewhere than the picture's, and a
		// bottom-anchored text that ECharts wraps itself was drawn over itself in live charts.
		lines := wrapText(footer, footerSize, false, roomWidth(inner))
		titles = append(titles, map[string]any{
			"text": strings.Join(lines, "\n"), "left": padX, "bottom": 4,
			"textStyle": map[string]any{"fontSize": footerSize, "fontWeight": "normal", "color": "#777", "lineHeight": footerSize + 4},
		})
		bottom += len(lines) * (footerSize + 4)
	}
	if len(titles) > 0 {
		option["title"] = titles
	} else {
		delete(option, "title")
	}
	return top, bottom
}

// cloudWatchUnits maps CloudWatch unit names to the short labels shown on axes.
var cloudWatchUnits = map[string]string{
	"Seconds": "s", "Microseconds": "µs", "Milliseconds": "ms",
	"Bytes": "B", "Kilobytes": "kB", "Megabytes": "MB", "Gigabytes": "GB", "Terabytes": "TB",
	"Bits": "bit", "Kilobits": "kbit", "Megabits": "Mbit", "Gigabits": "Gbit", "Terabits": "Tbit",
	"Percent": "%", "Count": "count", "None": "",
	"Bytes/Second": "B/s", "Kilobytes/Second": "kB/s", "Megabytes/Second": "MB/s", "Gigabytes/Second": "GB/s", "Terabytes/Second": "TB/s",
	"Bits/Second": "bit/s", "Kilobits/Second": "kbit/s", "Megabits/Second": "Mbit/s", "Gigabits/Second": "Gbit/s", "Terabits/Second": "Tbit/s",
	"Count/Second": "count/s",
}

// UnitLabel returns the short axis label of a unit: CloudWatch unit names become their usual
// symbols ("Milliseconds" → "ms", "Count/Second" → "count/s", "None" → ""); anything else is kept
// as given, trimmed.
func UnitLabel(unit string) string {
	unit = strings.TrimSpace(unit)
	if l, ok := cloudWatchUnits[unit]; ok {
		return l
	}
	return unit
}

// axisUnits assigns each distinct unit label, in order of first appearance, to a y axis: at most
// two (left and right).
func axisUnits(labels []string) (axes []string, index map[string]int, err error) {
	index = map[string]int{}
	for _, l := range labels {
		if _, ok := index[l]; ok {
			continue
		}
		index[l] = len(axes)
		axes = append(axes, l)
	}
	if len(axes) > 2 {
		quoted := make([]string, len(axes))
		for i, a := range axes {
			if a == "" {
				a = "no unit"
			}
			quoted[i] = strconv.Quote(a)
		}
		return nil, nil, fmt.Errorf("chart: %d different units (%s) on one chart, which has two y axes; plot them on separate charts or with SmallMultiples",
			len(axes), strings.Join(quoted, ", "))
	}
	return axes, index, nil
}

// formatNumber prints v compactly for alt text: thousands separators for large values, four
// significant digits for small ones, "NaN" for NaN.
func formatNumber(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	a := math.Abs(v)
	if a >= 1000 && a < 1e15 {
		s := strconv.FormatInt(int64(math.Round(a)), 10)
		var b strings.Builder
		if v < 0 {
			b.WriteByte('-')
		}
		for i, ch := range s {
			if i > 0 && (len(s)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(ch)
		}
		return b.String()
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// summary describes values for alt text: count, NaN count, min, mean, max.
func summary(values []float64) string {
	n, nan := 0, 0
	mn, mx, sum := math.Inf(1), math.Inf(-1), 0.0
	for _, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			nan++
			continue
		}
		n++
		sum += v
		mn, mx = math.Min(mn, v), math.Max(mx, v)
	}
	if n == 0 {
		return fmt.Sprintf("%d points, all missing", len(values))
	}
	s := fmt.Sprintf("%s points, min %s, mean %s, max %s", formatNumber(float64(len(values))), formatNumber(mn), formatNumber(sum/float64(n)), formatNumber(mx))
	if nan > 0 {
		s += fmt.Sprintf(", %s missing", formatNumber(float64(nan)))
	}
	return s
}

func withUnit(name, unit string) string {
	if unit == "" {
		return name
	}
	return name + " (" + unit + ")"
}

// altText joins the title, the body lines and the footer.
func altText(title string, lines []string, footer string) string {
	var b strings.Builder
	if title != "" {
		b.WriteString(title)
		b.WriteByte('\n')
	}
	for _, l := range lines {
		b.WriteString("  ")
		b.WriteString(l)
		b.WriteByte('\n')
	}
	if footer != "" {
		b.WriteString(footer)
		b.WriteByte('\n')
	}
	return strings.TrimRight(b.String(), "\n")
}

// plural formats a count with the right noun: "1 cell", "2 cells", "10,080 cells".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return formatNumber(float64(n)) + " " + many
}
