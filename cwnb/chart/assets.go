package chart

import (
	_ "embed"
	"strings"
)

// EchartsVersion is the version of the vendored Apache ECharts library (assets/echarts.min.js,
// from the npm registry, Apache-2.0; assets/LICENSE and assets/NOTICE travel with it).
const EchartsVersion = "5.6.0"

// echartsCDN is where the upgrade script looks for ECharts when a live notebook has no inline copy.
// It is a variable only so that tests can point it at a loopback server.
var echartsCDN = "https://cdn.jsdelivr.net/npm/echarts@" + EchartsVersion + "/dist/echarts.min.js"

//go:embed assets/echarts.min.js
var echartsJS string

//go:embed assets/NOTICE
var echartsNotice string

// LibraryScript returns one complete <script> element that inlines ECharts 5.6.0 for an offline
// page. Put it once per page, in <head> or anywhere in <body>: charts placed before it wait for it,
// charts placed after it draw at once. It is wrapped as
// (function(define, exports, module){ ... }).call(window) so that a page with RequireJS (Jupyter
// classic, nbconvert's templates) does not receive an anonymous define() call, and it marks itself
// with window.__cwnbEchartsInline so that no chart on the page tries a CDN. It also carries the
// upgrade runtime (RuntimeJS) that the charts of a notebook (Outputs) rely on.
func LibraryScript() string {
	var b strings.Builder
	b.Grow(len(echartsJS) + 512)
	b.WriteString(`<script data-cwnb-echarts="` + EchartsVersion + `">`)
	b.WriteString("window.__cwnbEchartsInline=true;\n")
	b.WriteString("(function(define,exports,module){\n")
	// echarts.min.js has "</body>" once, inside a string literal (its "save as image" page).
	// Page tools that look for the page's </body> would find it first, so it is written as
	// "<\/body>", the same string in JavaScript. No other end tag occurs in the library.
	b.WriteString(strings.ReplaceAll(echartsJS, "</body>", `<\/body>`))
	b.WriteString("\n}).call(window);\n")
	// The upgrade runtime, for the charts of a notebook (Outputs), which carry only a loader.
	b.WriteString(upgradeJS())
	b.WriteString(";\n")
	// Charts that ran before the library queued themselves; draw them now.
	b.WriteString("(function(s){if(s&&s.flush)s.flush();})(window.__cwnbCharts);\n")
	b.WriteString("</script>")
	return b.String()
}

// LibraryJS returns the vendored echarts.min.js itself, for a server to serve as a file (the
// kernel's spec directory holds a copy; see EnvKernel).
func LibraryJS() string { return echartsJS }

// LibraryNotice returns the NOTICE text of the vendored ECharts, which its Apache-2.0 license asks
// redistributors to keep.
func LibraryNotice() string { return echartsNotice }
