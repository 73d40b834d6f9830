package report

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestTitle(t *testing.T) {
	tests := []struct {
		name string
		json string
		want string
	}{
		{"first heading", `{"cells":[{"cell_type":"markdown","source":["# Is the average hiding our tail?\n","text"]}]}`, "Is the average hiding our tail?"},
		{"heading below text, level 2, closing hashes", `{"cells":[{"cell_type":"markdown","source":"intro\n## Fleet **CPU** ##\n"}]}`, "Fleet CPU"},
		{"code cells are not titles", `{"cells":[{"cell_type":"code","source":"# not a title","outputs":[]},{"cell_type":"markdown","source":"# [Lambda](http://x) health"}]}`, "Lambda health"},
		{"no heading", `{"cells":[{"cell_type":"markdown","source":"just text"}]}`, ""},
		{"hash without space is not a heading", `{"cells":[{"cell_type":"markdown","source":"#hashtag"}]}`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			nb, err := ParseNotebook(tc.name, []byte(tc.json))
			if err != nil {
				t.Fatal(err)
			}
			if got := nb.Title(); got != tc.want {
				t.Errorf("Title = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseNotebookRejectsNonNotebook(t *testing.T) {
	_, err := ParseNotebook("x.ipynb", []byte("not json"))
	if err == nil || !strings.Contains(err.Error(), "x.ipynb is not a Jupyter notebook") {
		t.Errorf("error = %v", err)
	}
}

// TestFailures reads a notebook that GoNB v0.11.3 really executed (testdata/gonb-errors-executed.ipynb,
// made with `jupyter nbconvert --execute --allow-errors`): a compile error, a panic and os.Exit(3)
// are failures; a clean cell and a display are not.
func TestFailures(t *testing.T) {
	nb, err := ReadNotebook(filepath.Join("testdata", "gonb-errors-executed.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	got := Failures("errors.ipynb", nb)
	type want struct {
		cell     int
		source   string
		contains []string
	}
	wants := []want{
		{2, "fmt.Println(undefinedThing)", []string{"undefined: undefinedThing", "Cell[2]: Line 2"}},
		{3, `panic("boom")`, []string{"panic: boom", "exit status 2"}},
		{4, "os.Exit(3)", []string{"exit status 3"}},
	}
	if len(got) != len(wants) {
		for _, g := range got {
			t.Log(g)
		}
		t.Fatalf("got %d failures, want %d", len(got), len(wants))
	}
	for i, w := range wants {
		g := got[i]
		if g.Cell != w.cell || !strings.Contains(g.Source, w.source) {
			t.Errorf("failure %d: cell %d with source %q, want cell %d containing %q", i, g.Cell, g.Source, w.cell, w.source)
		}
		for _, c := range w.contains {
			if !strings.Contains(g.Message, c) {
				t.Errorf("failure %d message %q does not contain %q", i, g.Message, c)
			}
		}
		if strings.Contains(g.Message, "\x1b[") || strings.Contains(g.Message, "<span") {
			t.Errorf("failure %d message keeps ANSI or HTML markup: %q", i, g.Message)
		}
		msg := g.Error()
		// The fixture's code cells ran as In [1] to In [5]: cell index 2 is In [2].
		if g.In != w.cell {
			t.Errorf("failure %d: In [%d], want In [%d]", i, g.In, w.cell)
		}
		if !strings.HasPrefix(msg, "errors.ipynb: cell "+strconv.Itoa(w.cell+1)+" (In ["+strconv.Itoa(w.cell)+"]) failed:") || !strings.Contains(msg, w.source) {
			t.Errorf("Error() = %q, want the notebook, the cell number from 1 and the source", msg)
		}
	}
}

func TestErrorsShowsFirstThree(t *testing.T) {
	var errs Errors
	for i := 0; i < 5; i++ {
		errs = append(errs, &CellError{Notebook: "n.ipynb", Cell: i, Source: "src" + strconv.Itoa(i), Message: "undefined: x"})
	}
	errs = append(errs, &Problem{Notebook: "n.ipynb", Cell: 9, Message: "chart output has no image/png"})
	msg := errs.Error()
	for _, want := range []string{"n.ipynb: cell 1 failed", "src0", "cell 3 failed", "src2", "... and 3 more: cell 4, cell 5, cell 10"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "src3") {
		t.Errorf("message shows the fourth failure in full:\n%s", msg)
	}
	var p *Problem
	if !errors.As(error(errs), &p) || p.Cell != 9 {
		t.Error("errors.As does not reach the errors past the third")
	}
}

func TestCheckCharts(t *testing.T) {
	const liveHTML = `<div class=\"cwnb-chart\" id=\"c1\" data-cwnb-state=\"pending\" data-cwnb-image=\"AAAANSUh\"><script type=\"application/json\" class=\"cwnb-option\">{}</script></div>`
	const chartHTML = `<div class=\"cwnb-chart\" id=\"c1\" data-cwnb-state=\"pending\"><img class=\"cwnb-static\" src=\"data:image/svg+xml;base64,AA==\"><script type=\"application/json\" class=\"cwnb-option\">{}</script></div>`
	tests := []struct {
		name string
		data string // the data fields of display_data outputs, comma-separated
		want []string
	}{
		{"chart with both", `{"text/html":"` + chartHTML + `","image/png":"iVBORw0KGgo="}`, nil},
		{"chart without png", `{"text/html":"` + chartHTML + `"}`, []string{"no image/png"}},
		{"plain html is no chart", `{"text/html":"<b>x</b>"}`, nil},
		{"notebook form: picture before the live chart", `{"image/png":"iVBORw0KGgoAAAANSUhEUg=="},{"text/html":"` + liveHTML + `"}`, nil},
		{"notebook form: another picture before", `{"image/png":"iVBORw0KGgoAAAAOther=="},{"text/html":"` + liveHTML + `"}`, []string{"no image/png"}},
		{"notebook form: picture too far back", `{"image/png":"iVBORw0KGgoAAAANSUhEUg=="},{},{},{},{"text/html":"` + liveHTML + `"}`, []string{"no image/png"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			nb, err := ParseNotebook("t.ipynb", []byte(`{"cells":[{"cell_type":"code","source":"","outputs":[`+outputsOf(tc.data)+`]}]}`))
			if err != nil {
				t.Fatal(err)
			}
			err = Check("t.ipynb", nb)
			if len(tc.want) == 0 {
				if err != nil {
					t.Errorf("Check = %v, want nil", err)
				}
				return
			}
			var p *Problem
			if !errors.As(err, &p) {
				t.Fatalf("Check = %v, want a *Problem", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Check = %q, want it to mention %q", err, w)
				}
			}
		})
	}
}

func TestCharts(t *testing.T) {
	nb, err := ParseNotebook("t.ipynb", []byte(`{"cells":[{"cell_type":"code","source":"","outputs":[
		{"output_type":"display_data","data":{"text/html":"<div class=\"cwnb-chart\"><script class=\"cwnb-option\"></script></div>"}},
		{"output_type":"display_data","data":{"text/html":["<div class=\"cwnb-chart\">","<img></div>"]}},
		{"output_type":"stream","name":"stdout","text":"class=\"cwnb-chart\""}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	charts, interactive := Charts(nb)
	if charts != 2 || interactive != 1 {
		t.Errorf("Charts = %d, %d; want 2 charts, 1 interactive", charts, interactive)
	}
}

const library = `<script data-cwnb-echarts="5.6.0">window.__cwnbEchartsInline=true;/*lib*/</script>`

func TestSelfContained(t *testing.T) {
	head := `<!DOCTYPE html><html><head><meta charset="utf-8"><title>executed</title>` +
		`<script src="file:///usr/share/javascript/requirejs/require.min.js"></script>` +
		`<script src="https://cdnjs.cloudflare.com/ajax/libs/require.js/2.1.10/require.min.js"></script>` +
		`<link rel="stylesheet" href="https://cdn.example/font.css">` +
		`<script type="text/x-mathjax-config">init_mathjax()</script>` +
		`<script src = 'file:///usr/share/javascript/mathjax/MathJax.js?config=TeX'> </script>` +
		`<style>body{}</style></head>`
	chartBody := `<body><div class="cwnb-chart" id="c1"><script type="application/json" class="cwnb-option">{}</script></div>` +
		`<script src="//go-echarts.github.io/go-echarts-assets/assets/echarts.min.js"></script><script src="local.js"></script></body></html>`
	staticBody := `<body><div class="cwnb-chart" id="c1"><img src="data:image/svg+xml;base64,AA=="></div></body></html>`
	tests := []struct {
		name, page, title string
		wantLibrary       bool
	}{
		{"interactive chart gets the library", head + chartBody, "Is the average hiding our tail?", true},
		{"static chart needs none", head + staticBody, "Static <only>", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := string(SelfContained([]byte(tc.page), tc.title, library))
			for _, gone := range []string{"require.min.js", "MathJax.js", "font.css", "go-echarts-assets", "<title>executed</title>"} {
				if strings.Contains(got, gone) {
					t.Errorf("page still holds %q:\n%s", gone, got)
				}
			}
			for _, kept := range []string{`<script src="local.js"></script>`, "init_mathjax()", "<style>body{}</style>"} {
				if strings.Contains(tc.page, kept) && !strings.Contains(got, kept) {
					t.Errorf("page lost %q", kept)
				}
			}
			wantTitle := "<title>" + strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(tc.title) + "</title>"
			if !strings.Contains(got, wantTitle) {
				t.Errorf("page has no %s", wantTitle)
			}
			n := strings.Count(got, library)
			if tc.wantLibrary && (n != 1 || !strings.Contains(got, library+"\n</head>")) {
				t.Errorf("library appears %d times (want once, at the end of <head>):\n%s", n, got)
			}
			if !tc.wantLibrary && n != 0 {
				t.Errorf("library inlined into a page without interactive charts")
			}
			if again := string(SelfContained([]byte(got), tc.title, library)); again != got {
				t.Errorf("SelfContained is not idempotent:\n%s", cmp.Diff(got, again))
			}
		})
	}
}

func TestWriteIndex(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "tail.ipynb"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	results := []Result{
		{Notebook: "notebooks/tail.ipynb", Title: "Is the average hiding our tail?", HTML: filepath.Join(dir, "tail.html"), Executed: filepath.Join(dir, "tail.ipynb"), Duration: 12340 * time.Millisecond},
		{Notebook: "notebooks/x&y.ipynb", Title: "<script>alert(1)</script>", HTML: filepath.Join(dir, "x&y.html"), Err: errors.New("boom")},
		{Notebook: "notebooks/none.ipynb", Title: "No page"},
	}
	path := filepath.Join(dir, "index.html")
	if err := WriteIndex(path, results); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, want := range []string{
		`<a href="tail.html">Is the average hiding our tail?</a>`,
		`notebooks/tail.ipynb, ran in 12.3s, <a href="tail.ipynb">executed notebook</a></span>`,
		"<p class=\"src\">Generated 20",
		`<a href="x&amp;y.html">&lt;script&gt;alert(1)&lt;/script&gt;</a>`,
		`<span class="failed">failed</span>`,
		"<li>No page <span",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("index lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "<script>alert") {
		t.Error("index does not escape titles")
	}
}

func TestNbconvertError(t *testing.T) {
	timeout := `[NbConvertApp] Converting notebook hang.ipynb to notebook
I1121 22:20:00.000000   123 main.go:1] [abcd] kernel created
Traceback (most recent call last):
  File "/usr/bin/jupyter-nbconvert", line 33, in <module>
    sys.exit(load_entry_point('nbconvert==6.5.3', 'console_scripts', 'jupyter-nbconvert')())
  File "/usr/lib/python3/dist-packages/nbclient/client.py", line 852, in _async_handle_timeout
    raise CellTimeoutError.error_from_timeout_and_cell(
nbclient.exceptions.CellTimeoutError: A cell timed out while it was being executed, after 5 seconds.
The message was: Cell execution timed out.
Here is a preview of the cell contents:
-------------------
time.Sleep(time.Minute)
-------------------
`
	tests := []struct {
		name, out string
		want      []string
		notWant   []string
	}{
		{"timeout", timeout, []string{"CellTimeoutError: A cell timed out", "time.Sleep(time.Minute)", "raise it"}, []string{"Traceback", "client.py", "kernel created"}},
		{"no such kernel", "jupyter_client.kernelspec.NoSuchKernel: No such kernel named cwnb\n", []string{"NoSuchKernel", "cwnb kernel install"}, nil},
		{"no exception", "line 1\nsomething odd\n", []string{"something odd"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := nbconvertError(tc.out)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("message lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(got, w) {
					t.Errorf("message keeps %q:\n%s", w, got)
				}
			}
		})
	}
}

// outputsOf wraps comma-separated data fields into display_data outputs.
func outputsOf(data string) string {
	var outs []string
	depth, start := 0, 0
	for i, r := range data {
		switch r {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				outs = append(outs, `{"output_type":"display_data","metadata":{},"data":`+data[start:i+1]+`}`)
			}
		case ',':
			if depth == 0 {
				start = i + 1
			}
		}
	}
	return strings.Join(outs, ",")
}
