// Package chart draws the charts of a CloudWatch investigation so that they show everywhere a
// notebook or report is opened: interactive in a live GoNB notebook, interactive and offline in an
// exported HTML report, and as a picture in GitHub's notebook view, which runs no JavaScript.
//
// # Builders
//
// Builders take plain data — timestamps, []float64 values with names and units, events,
// thresholds, a title and a footer — and return a *Chart:
//
//   - Line: several series over time, a second y axis when there are two units, bands (a p50–p99
//     envelope), events (vertical lines for a deploy, shaded spans for the ":00 backup", see
//     Recurring), thresholds (an SLO), legend, tooltips and zoom;
//   - Heatmap: rows × columns of values with blank NaN cells, e.g. day × minute-of-hour;
//   - Histogram and CDF: latency distributions, before against after;
//   - Bars: comparisons across categories;
//   - SmallMultiples: a grid of small charts sharing the time axis, one per series;
//   - FromEcharts: any chart built directly with go-echarts, rendered the same way.
//
// The title is the question the chart answers; the footer is one line of provenance (queries,
// period, window, cost). Times are shown in UTC (useUTC) in both renderers. Units are CloudWatch
// unit names or labels (UnitLabel). Series longer than Options.MaxPoints (2,000) are downsampled
// with LTTB or min/max buckets, both of which keep the spikes a p99 story is about, and the chart's
// subtitle says so ("downsampled 10,080 → 2,000 points (LTTB)").
//
// # Display bundles
//
// Chart.Display sends the chart to the GoNB front end without waiting for a browser (so it works
// under nbconvert), as the display bundles of Chart.Outputs (MIME type → content), so that a
// notebook stores each picture once:
//
//   - first {image/png, text/plain}: the picture rasterised in Go, which GitHub, JupyterLab
//     (trusted or not) and nbconvert show, and the alt text — the title, a summary of each series,
//     the footer;
//   - then {text/html}: the interactive chart without the picture — the ECharts option as JSON
//     in a <script type="application/json"> (time series packed, values to 5 digits) and a small
//     script that draws the chart when ECharts is available and hides the picture before it,
//     which it names by a piece of its base64 (data-cwnb-image). Where no script runs it is an
//     empty element.
//
// Chart.Bundle is one self-contained bundle instead, whose text/html embeds the picture as a
// data-URI <img>, for pages outside a notebook (Page). Element ids derive from the chart's
// content, and the PNG encoding is deterministic: rendering the same chart again, in any process,
// gives the same bytes, so re-running a notebook on the same data leaves its outputs unchanged.
//
// The static picture comes from ECharts' own server-side renderer
// (echarts.init(null, null, {renderer: 'svg', ssr: true}) and renderToSVGString) run in goja, a
// JavaScript engine in pure Go, so the picture and the interactive chart are the same chart. The
// engine loads ECharts once per process (each GoNB cell is a new process and pays it once). The
// SVG is rasterised with rasterx; its text is drawn with the Go fonts, since SVG rasterisers in
// Go ignore <text>.
//
// The mode (Options.Mode, WithMode, or the CWNB_CHARTS environment variable) picks what is
// shown: both (the default), static (image only, no script) or interactive (no image, no PNG).
//
// # How the HTML upgrades
//
// Each chart's script queues the chart on window.__cwnbCharts, shared by every chart on the page.
// If ECharts is on the page it draws at once. While the page is still loading it waits for
// DOMContentLoaded, by which time an inline LibraryScript anywhere on the page has run and drawn
// the queue, so several charts never race the library ("echarts is not defined"). In a live
// notebook, where no inline copy is marked present, the first chart loads ECharts 5.6.0 once from
// the kernel: the "Go (cwnb)" kernel's directory holds a copy, which the Jupyter server serves at
// <base URL>kernelspecs/<kernel>/echarts.min.js (see EnvKernel), so no CDN is needed. Only
// outside Jupyter, or if that fails, does it try the CDN. It loads through RequireJS when the
// page has it (Jupyter classic), else with a <script> element, and the static image stays if
// nothing loads, with nothing thrown.
//
// # Offline reports
//
// ECharts 5.6.0 from the npm registry is vendored in assets/ with its LICENSE and NOTICE and
// embedded. LibraryScript returns the <script> element that inlines it once per report page,
// wrapped as (function(define, exports, module){ ... }).call(window) so that RequireJS pages are
// not disturbed. Page builds a complete offline page of several charts.
//
// # Safety
//
// Every string from data (metric names, dimension values, labels, titles, footers) is escaped for
// where it lands: ECharts writes it as SVG text in the picture, the option JSON escapes <, > and &
// as \u003c, \u003e and \u0026 so that nothing can end its <script> element, the alt text is
// HTML-escaped, and tooltips escape names with echarts.format.encodeHTML. A dimension value
// </script><script>alert(1)</script> shows as text in the picture, the PNG, the interactive chart
// and its tooltips, and runs nothing; a headless Chromium test checks it.
//
// # Cost
//
// Wall time per operation on a quiet 2-core machine, as `go test -run '^$' -bench . ./cwnb/chart`
// prints it (the benchmarks also report CPU time, which runs about 20% higher): loading ECharts
// into goja once per process ≈ 210 ms (call Preload to overlap it with fetching data); the static
// render of a 10,000-point line (downsampled to 2,000, SSR, PNG) ≈ 180 ms, of which the SSR is
// ≈ 110 ms, rasterising ≈ 29 ms and PNG encoding ≈ 21 ms at deflate's BestSpeed; the default
// level used since (PNGs a quarter smaller, which is what a notebook stores) measured 48 CPU-ms
// for that encoding (BenchmarkStaticLine10kParts/png); the week-long demo chart (three series, a
// band, 168 backup spans) ≈ 0.7 s. Interactive mode skips all of it.
package chart
