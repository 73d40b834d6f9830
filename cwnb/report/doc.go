// Package report turns notebooks into offline HTML reports and checks them.
//
// Run executes each notebook headless through the cwnb Jupyter kernel with
// `jupyter nbconvert --to notebook --execute`, checks every cell's outputs (an error output, or a
// Go program that exited non-zero, fails the notebook and names the cell), converts the executed
// notebook to HTML with nbconvert, and makes the page self-contained: external <script src>
// elements (RequireJS, MathJax, a CDN copy of ECharts) are removed and ECharts is inlined once per
// page with chart.LibraryScript (with the chart runtime that notebook charts load). An index.html
// lists the reports by title (the notebook's first markdown heading).
//
// Check inspects an executed notebook the way CI does (no error outputs; every chart's text/html,
// for Jupyter and the reports, has its image/png for GitHub, in the same output or, as
// chart.Chart.Outputs stores it once, in the output before), and CheckInBrowser opens a report
// in headless Chromium with the network off and reports the charts that did not draw.
package report
