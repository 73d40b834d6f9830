package report

import (
	"strings"
	"testing"

	"github.com/cwnb/cwnb/cwnb/chart"
)

// BenchmarkSelfContained post-processes a page the size nbconvert writes (~560 KB of CSS and
// markup) with charts, inlining the 1 MB ECharts library.
func BenchmarkSelfContained(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`<!DOCTYPE html><html><head><title>t</title><script src="file:///usr/share/javascript/requirejs/require.min.js"></script><style>`)
	for sb.Len() < 560_000 {
		sb.WriteString(".jp-OutputArea-output{display:block;margin:0;padding:0} /* nbconvert lab css */\n")
	}
	sb.WriteString(`</style></head><body>`)
	for i := 0; i < 6; i++ {
		sb.WriteString(`<div class="cwnb-chart" id="c"><img src="data:image/svg+xml;base64,` + strings.Repeat("QUJD", 20_000) + `"><script type="application/json" class="cwnb-option">{}</script></div>`)
	}
	sb.WriteString(`</body></html>`)
	page := []byte(sb.String())
	lib := chart.LibraryScript()
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		SelfContained(append([]byte(nil), page...), "title", lib)
	}
}
