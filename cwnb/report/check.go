package report

import (
	"fmt"
	"html"
	"regexp"
	"strings"
)

// CellError is a notebook cell that failed: an error output, or a Go program that exited with a
// non-zero status (GoNB reports a panic or os.Exit(1) only as "exit status N" on stderr).
type CellError struct {
	Notebook string // path of the notebook
	Cell     int    // index of the cell in the notebook, from 0
	In       int    // its execution count, the N of "In [N]" (0 when it has none)
	Source   string // the cell's source
	Message  string // the error as the kernel reported it, without ANSI colours or HTML
}

// Error names the notebook and cell (counted from 1, as Jupyter shows them), then the cell's
// source and the error.
func (e *CellError) Error() string {
	in := ""
	if e.In > 0 {
		in = fmt.Sprintf(" (In [%d])", e.In)
	}
	return fmt.Sprintf("%s: cell %d%s failed:\n%s\n--- error:\n%s", e.Notebook, e.Cell+1, in, indent(e.Source), indent(e.Message))
}

// Problem is something wrong with an executed notebook's outputs that is not a failed cell.
type Problem struct {
	Notebook string
	Cell     int // from 0
	Message  string
}

// Error implements error.
func (p *Problem) Error() string {
	return fmt.Sprintf("%s: cell %d: %s", p.Notebook, p.Cell+1, p.Message)
}

var (
	exitStatusRE = regexp.MustCompile(`(?m)^exit status (\d+)\s*$`)
	ansiRE       = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")
	tagRE        = regexp.MustCompile(`(?s)<style.*?</style>|<script.*?</script>|<[^>]*>`)
	blankLinesRE = regexp.MustCompile(`\n\s*\n(\s*\n)+`)
)

// Failures returns the failed cells of an executed notebook, in order. name labels the errors.
func Failures(name string, nb *Notebook) []*CellError {
	var out []*CellError
	for i, c := range nb.Cells {
		if c.Type != "code" {
			continue
		}
		var msgs []string
		var gonbHTML string // GoNB's HTML rendering of a compile error, shown before its error output
		for _, o := range c.Outputs {
			switch {
			case o.Type == "error":
				var b strings.Builder
				if gonbHTML != "" {
					b.WriteString(gonbHTML)
					b.WriteString("\n")
				}
				fmt.Fprintf(&b, "%s: %s", o.EName, strings.TrimSpace(o.EValue))
				if tb := strings.TrimSpace(strings.Join(o.Traceback, "\n")); tb != "" && !strings.Contains(o.EValue, tb) {
					b.WriteString("\n")
					b.WriteString(tb)
				}
				msgs = append(msgs, ansiRE.ReplaceAllString(b.String(), ""))
			case o.Type == "stream" && o.Name == "stderr" && exitStatusRE.MatchString(string(o.Text)):
				msgs = append(msgs, ansiRE.ReplaceAllString(lastLines(string(o.Text), 40), ""))
			case o.Type == "display_data" && strings.Contains(string(o.Data["text/html"]), "gonb-err"):
				gonbHTML = htmlToText(string(o.Data["text/html"]))
			}
		}
		if len(msgs) > 0 {
			ce := &CellError{Notebook: name, Cell: i, Source: string(c.Source), Message: strings.Join(msgs, "\n")}
			if c.ExecutionCount != nil {
				ce.In = *c.ExecutionCount
			}
			out = append(out, ce)
		}
	}
	return out
}

// Check returns an error joining every failed cell and every chart (text/html of the chart
// package) that lacks its image/png (what GitHub shows), in the same output or, as Chart.Outputs
// writes it, in the output just before, or nil.
func Check(name string, nb *Notebook) error {
	var errs []error
	for _, f := range Failures(name, nb) {
		errs = append(errs, f)
	}
	for i, c := range nb.Cells {
		for k, o := range c.Outputs {
			if o.Type != "display_data" && o.Type != "execute_result" {
				continue
			}
			if !IsChart(o) {
				continue
			}
			if !hasPicture(c.Outputs, k) {
				errs = append(errs, &Problem{Notebook: name, Cell: i, Message: "chart output has no image/png representation; display charts with the chart package so the notebook shows them on GitHub and in reports"})
			}
		}
	}
	return joinErrors(errs)
}

var imageRefRE = regexp.MustCompile(`data-cwnb-image="([^"]+)"`)

// hasPicture reports whether the chart in outputs[k] has its static picture: image/png in the
// same output (a self-contained bundle), or, in the notebook form of chart.Chart.Outputs, in an
// output shortly before it whose base64 holds the piece the chart's data-cwnb-image names.
func hasPicture(outputs []Output, k int) bool {
	o := outputs[k]
	if strings.TrimSpace(string(o.Data["image/png"])) != "" {
		return true
	}
	m := imageRefRE.FindStringSubmatch(string(o.Data["text/html"]))
	if m == nil {
		return false
	}
	for j := k - 1; j >= 0 && j >= k-3; j-- {
		if strings.Contains(string(outputs[j].Data["image/png"]), m[1]) {
			return true
		}
	}
	return false
}

// maxShown is how many problems of one notebook an Errors message shows in full.
const maxShown = 3

// Errors is everything wrong with one notebook: *CellError and *Problem values. After the first
// failed cell, later cells often fail only because of it, so the message shows the first three in
// full and lists the rest by cell; errors.As and errors.Is see all of them.
type Errors []error

// Error implements error.
func (e Errors) Error() string {
	var b strings.Builder
	for i, err := range e {
		if i == maxShown {
			break
		}
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(err.Error())
	}
	if len(e) > maxShown {
		var rest []string
		for _, err := range e[maxShown:] {
			switch x := err.(type) {
			case *CellError:
				rest = append(rest, fmt.Sprintf("cell %d", x.Cell+1))
			case *Problem:
				rest = append(rest, fmt.Sprintf("cell %d", x.Cell+1))
			default:
				rest = append(rest, "1 more")
			}
		}
		fmt.Fprintf(&b, "\n... and %d more: %s (the report page shows every error)", len(rest), strings.Join(rest, ", "))
	}
	return b.String()
}

// Unwrap returns every error, for errors.As and errors.Is.
func (e Errors) Unwrap() []error { return e }

func joinErrors(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	return Errors(errs)
}

// ChartMarker is in the HTML of every chart the chart package renders (its container element).
const ChartMarker = `class="cwnb-chart"`

// interactiveMarker is in the HTML of a chart that carries an ECharts option to draw live.
const interactiveMarker = `class="cwnb-option"`

// IsChart reports whether an output is a chart rendered by the chart package.
func IsChart(o Output) bool {
	return strings.Contains(string(o.Data["text/html"]), ChartMarker)
}

// Charts counts the chart outputs of a notebook, and among them those that draw live (the rest
// are static images only).
func Charts(nb *Notebook) (charts, interactive int) {
	for _, c := range nb.Cells {
		for _, o := range c.Outputs {
			if IsChart(o) {
				charts++
				if strings.Contains(string(o.Data["text/html"]), interactiveMarker) {
					interactive++
				}
			}
		}
	}
	return charts, interactive
}

// htmlToText turns GoNB's HTML error display into plain text.
func htmlToText(s string) string {
	s = tagRE.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	s = blankLinesRE.ReplaceAllString(s, "\n\n")
	return strings.TrimSpace(s)
}

func lastLines(s string, n int) string {
	s = strings.TrimRight(s, "\n")
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = append([]string{fmt.Sprintf("... (%d lines before)", len(lines)-n)}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

func indent(s string) string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return "    (empty)"
	}
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}
