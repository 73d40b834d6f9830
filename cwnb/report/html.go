package report

import (
	"bytes"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

var (
	// A <script> element that loads its code from elsewhere: a URL, a protocol-relative URL or a
	// file (Debian's nbconvert points RequireJS and MathJax at file:///usr/share/javascript).
	externalScriptRE = regexp.MustCompile(`(?is)<script\b[^>]*\bsrc\s*=\s*["']?(?:https?:|file:|//)[^>]*>\s*</script>`)
	externalStyleRE  = regexp.MustCompile(`(?is)<link\b[^>]*\bhref\s*=\s*["']?(?:https?:|file:|//)[^>]*>`)
	titleRE          = regexp.MustCompile(`(?is)<title>.*?</title>`)
	headEndRE        = regexp.MustCompile(`(?i)</head>`)
)

// SelfContained makes an nbconvert HTML page work offline and anywhere: it removes <script src>
// and stylesheet <link> elements that point outside the page (RequireJS, MathJax, a CDN copy of
// ECharts), sets the page title, and, when the page holds a chart, inserts library (the
// <script> from chart.LibraryScript) once, at the end of <head>.
func SelfContained(page []byte, title, library string) []byte {
	page = externalScriptRE.ReplaceAll(page, nil)
	page = externalStyleRE.ReplaceAll(page, nil)
	if title != "" {
		t := []byte("<title>" + html.EscapeString(title) + "</title>")
		if loc := titleRE.FindIndex(page); loc != nil {
			page = append(page[:loc[0]:loc[0]], append(t, page[loc[1]:]...)...)
		}
	}
	if library != "" && needsLibrary(page) && !bytes.Contains(page, []byte(library[:min(len(library), 64)])) {
		if loc := headEndRE.FindIndex(page); loc != nil {
			var b bytes.Buffer
			b.Grow(len(page) + len(library) + 1)
			b.Write(page[:loc[0]])
			b.WriteString(library)
			b.WriteString("\n")
			b.Write(page[loc[0]:])
			page = b.Bytes()
		} else {
			page = append([]byte(library+"\n"), page...)
		}
	}
	return page
}

// needsLibrary reports whether a page holds chart code that needs ECharts.
func needsLibrary(page []byte) bool {
	return bytes.Contains(page, []byte(interactiveMarker)) || bytes.Contains(page, []byte("echarts.init("))
}

// WriteIndex writes an index page at path linking each result's report by its title, with the
// notebook it came from, how long it ran, a link to the executed notebook, whether it failed, and
// when the index was generated.
func WriteIndex(path string, results []Result) error {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>cwnb reports</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:52em;margin:2em auto;padding:0 1em;color:#222}
li{margin:.6em 0}.src{color:#666;font-size:.9em}.failed{color:#b00020;font-weight:bold}
</style></head><body>
<h1>cwnb reports</h1>
<ul>
`)
	dir := filepath.Dir(path)
	for _, r := range results {
		b.WriteString("<li>")
		if r.HTML != "" {
			href, err := filepath.Rel(dir, r.HTML)
			if err != nil {
				href = r.HTML
			}
			fmt.Fprintf(&b, `<a href="%s">%s</a>`, html.EscapeString(filepath.ToSlash(href)), html.EscapeString(r.Title))
		} else {
			b.WriteString(html.EscapeString(r.Title))
		}
		fmt.Fprintf(&b, ` <span class="src">%s, ran in %s`, html.EscapeString(filepath.ToSlash(r.Notebook)), r.Duration.Round(100*time.Millisecond))
		if r.Executed != "" {
			if _, err := os.Stat(r.Executed); err == nil {
				if href, err := filepath.Rel(dir, r.Executed); err == nil {
					fmt.Fprintf(&b, `, <a href="%s">executed notebook</a>`, html.EscapeString(filepath.ToSlash(href)))
				}
			}
		}
		b.WriteString(`</span>`)
		if r.Err != nil {
			b.WriteString(` <span class="failed">failed</span>`)
		}
		b.WriteString("</li>\n")
	}
	fmt.Fprintf(&b, "</ul>\n<p class=\"src\">Generated %s.</p>\n</body></html>\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return writeFile(path, []byte(b.String()))
}
