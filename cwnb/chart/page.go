package chart

import (
	"fmt"
	"html"
	"strings"
)

// Page returns a self-contained offline HTML page: the title, the vendored ECharts inlined once
// (LibraryScript), then the text/html of each chart in order. It opens with no network: every
// chart shows its static image and upgrades to the interactive chart. A chart whose bundle has no
// text/html (which Bundle never returns) is an error.
func Page(title string, charts ...*Chart) (string, error) {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	fmt.Fprintf(&b, "<title>%s</title>\n", html.EscapeString(title))
	b.WriteString(`<style>body{font-family:sans-serif;margin:24px;color:#222;background:#fff}.cwnb-chart{margin:0 0 28px 0}</style>` + "\n")
	b.WriteString(LibraryScript())
	b.WriteString("\n</head>\n<body>\n")
	if title != "" {
		fmt.Fprintf(&b, "<h1>%s</h1>\n", html.EscapeString(title))
	}
	for i, c := range charts {
		if c == nil {
			return "", fmt.Errorf("chart: Page %q: chart %d is nil", title, i)
		}
		h, err := c.HTML()
		if err != nil {
			return "", fmt.Errorf("chart: Page %q: chart %d (%q): %w", title, i, c.Title(), err)
		}
		b.WriteString(h)
		b.WriteString("\n")
	}
	b.WriteString("</body>\n</html>\n")
	return b.String(), nil
}
