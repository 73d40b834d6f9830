package nbdiff

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"regexp"
	"strings"

	"github.com/cwnb/cwnb/cwnb/report"
)

// ErrNotNotebook reports that the input of Textconv is not a Jupyter notebook in JSON (for
// example a notebook with merge conflict markers).
var ErrNotNotebook = errors.New("not a Jupyter notebook")

// Textconv writes the readable text of the notebook in data (an .ipynb file) to w. name labels
// errors. The layout, one block per cell:
//
//	## [2] code
//	<source>
//	### stdout
//	<text>
//	### chart: <title> · 2 series, 4,000 points · #1a2b3c4d
//
// Cells are numbered from 1 as Jupyter shows them. Outputs print their text/plain (or, lacking
// one, the text of their text/html); a chart of the chart package prints one line whose hash
// changes exactly when the chart does; any other image prints its type, size in bytes and a
// hash. Execution counts and metadata are left out: they change on every run and say nothing
// about the content.
func Textconv(w io.Writer, name string, data []byte) error {
	if !json.Valid(data) {
		return fmt.Errorf("%s: %w (invalid JSON; resolve merge conflict markers or restore the file)", name, ErrNotNotebook)
	}
	nb, err := report.ParseNotebook(name, data)
	if err != nil {
		return fmt.Errorf("%s: %w: %v", name, ErrNotNotebook, err)
	}
	var b bytes.Buffer
	for i, c := range nb.Cells {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "## [%d] %s\n", i+1, c.Type)
		writeText(&b, string(c.Source))
		for k, o := range c.Outputs {
			writeOutput(&b, c.Outputs, k, o)
		}
	}
	_, err = w.Write(b.Bytes())
	return err
}

func writeText(b *bytes.Buffer, s string) {
	if s == "" {
		return
	}
	b.WriteString(s)
	if !strings.HasSuffix(s, "\n") {
		b.WriteString("\n")
	}
}

var (
	ansiRE     = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")
	tagRE      = regexp.MustCompile(`(?s)<style.*?</style>|<script.*?</script>|<[^>]*>`)
	blankRE    = regexp.MustCompile(`\n\s*\n(\s*\n)+`)
	chartRE    = regexp.MustCompile(`<div class="cwnb-chart" id="cwnb-chart-([0-9a-f]{8,})"`)
	imageRefRE = regexp.MustCompile(`data-cwnb-image="([^"]+)"`)
	optionRE   = regexp.MustCompile(`(?s)<script type="application/json" class="cwnb-option">(.*?)</script>`)
	imgSrcRE   = regexp.MustCompile(`src="data:image/png;base64,([^"]+)"`)
)

func writeOutput(b *bytes.Buffer, outs []report.Output, k int, o report.Output) {
	switch o.Type {
	case "stream":
		fmt.Fprintf(b, "### %s\n", o.Name)
		writeText(b, ansiRE.ReplaceAllString(string(o.Text), ""))
		return
	case "error":
		fmt.Fprintf(b, "### error: %s: %s\n", o.EName, o.EValue)
		writeText(b, ansiRE.ReplaceAllString(strings.Join(o.Traceback, "\n"), ""))
		return
	}
	h := string(o.Data["text/html"])
	if m := chartRE.FindStringSubmatch(h); m != nil {
		fmt.Fprintf(b, "### chart: %s · #%s\n", chartSummary(h, pictureOf(outs, k)), m[1][:8])
		return
	}
	if png := string(o.Data["image/png"]); png != "" {
		if referencedLater(outs, k, png) {
			return // the chart after it prints the one line for both
		}
		raw, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(png))
		sum := sha256.Sum256(raw)
		title := firstLine(string(o.Data["text/plain"]))
		if title != "" {
			title += " · "
		}
		fmt.Fprintf(b, "### image/png: %s%d bytes · #%s\n", title, len(raw), hex.EncodeToString(sum[:4]))
		return
	}
	if t := string(o.Data["text/plain"]); t != "" {
		b.WriteString("### output\n")
		writeText(b, ansiRE.ReplaceAllString(t, ""))
		return
	}
	if h != "" {
		b.WriteString("### html\n")
		writeText(b, htmlToText(h))
		return
	}
	var mimes []string
	for m := range o.Data {
		mimes = append(mimes, m)
	}
	fmt.Fprintf(b, "### %s %s\n", o.Type, strings.Join(mimes, ", "))
}

// referencedLater reports whether a chart output shortly after outs[k] names this picture.
func referencedLater(outs []report.Output, k int, png string) bool {
	for j := k + 1; j < len(outs) && j <= k+3; j++ {
		if m := imageRefRE.FindStringSubmatch(string(outs[j].Data["text/html"])); m != nil && strings.Contains(png, m[1]) {
			return true
		}
	}
	return false
}

// pictureOf returns the base64 PNG of the chart at outs[k]: embedded in its HTML, in its own
// image/png, or in the output before it that its data-cwnb-image names.
func pictureOf(outs []report.Output, k int) string {
	h := string(outs[k].Data["text/html"])
	if m := imgSrcRE.FindStringSubmatch(h); m != nil {
		return m[1]
	}
	if p := string(outs[k].Data["image/png"]); p != "" {
		return p
	}
	if m := imageRefRE.FindStringSubmatch(h); m != nil {
		for j := k - 1; j >= 0 && j >= k-3; j-- {
			if p := string(outs[j].Data["image/png"]); strings.Contains(p, m[1]) {
				return p
			}
		}
	}
	return ""
}

// chartSummary describes a chart from its option: "<title> · 2 series, 4,000 points", and
// "static" when it carries no option.
func chartSummary(h, png string) string {
	m := optionRE.FindStringSubmatch(h)
	if m == nil {
		return "static picture"
	}
	var p struct {
		Option struct {
			Title  any   `json:"title"`
			Series []any `json:"series"`
		} `json:"option"`
	}
	if err := json.Unmarshal([]byte(m[1]), &p); err != nil {
		return "unreadable option"
	}
	title := titleOf(p.Option.Title)
	if title == "" {
		title = "untitled"
	}
	series, points := 0, 0
	for _, s := range p.Option.Series {
		sm, ok := s.(map[string]any)
		if !ok {
			continue
		}
		n := 0
		switch d := sm["data"].(type) {
		case []any:
			n = len(d)
		case map[string]any: // packed time series
			if v, ok := d["v"].([]any); ok {
				n = len(v)
			}
		}
		if n > 0 {
			series++
			points += n
		}
	}
	s := fmt.Sprintf("%s · %d series, %s points", title, series, thousands(points))
	if png == "" {
		s += " · no picture"
	}
	return s
}

func titleOf(t any) string {
	switch v := t.(type) {
	case map[string]any:
		s, _ := v["text"].(string)
		return strings.Join(strings.Fields(s), " ")
	case []any: // the chart's title first; later titles are subtitles and footers
		for _, x := range v {
			if s := titleOf(x); s != "" {
				return s
			}
		}
	}
	return ""
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

func htmlToText(s string) string {
	s = tagRE.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	s = blankRE.ReplaceAllString(s, "\n\n")
	return strings.TrimSpace(s)
}
