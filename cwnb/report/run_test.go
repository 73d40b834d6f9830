package report

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cwnb/cwnb/cwnb/kernelspec"
)

var kernelOnce struct {
	sync.Once
	dataDir string
	err     error
}

// installKernel installs the real cwnb kernel once per test binary into a private Jupyter data
// directory and points JUPYTER_DATA_DIR at it. It skips when Jupyter is missing, except in CI.
func installKernel(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	requireJupyter(t)
	if testing.Short() {
		t.Skip("runs the real kernel; skipped with -short")
	}
	kernelOnce.Do(func() {
		dir, err := os.MkdirTemp("", "cwnb-report-test-jupyter-")
		if err != nil {
			kernelOnce.err = err
			return
		}
		kernelOnce.dataDir = dir
		root, err := kernelspec.FindModule(".")
		if err != nil {
			kernelOnce.err = err
			return
		}
		_, kernelOnce.err = kernelspec.Install(ctx, kernelspec.Options{DataDir: dir, Module: root, Prime: true})
	})
	if kernelOnce.err != nil {
		t.Fatal(kernelOnce.err)
	}
	t.Setenv("JUPYTER_DATA_DIR", kernelOnce.dataDir)
}

// requireJupyter skips the test when jupyter nbconvert is missing, except in CI (CI=true).
func requireJupyter(t *testing.T) {
	t.Helper()
	if err := kernelspec.CheckNbconvert(context.Background()); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but %v", err)
		}
		t.Skip(err)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if kernelOnce.dataDir != "" {
		os.RemoveAll(kernelOnce.dataDir)
	}
	os.Exit(code)
}

// TestRunReports executes a clean notebook and a broken one through the real kernel: the clean one
// becomes a self-contained page with its outputs, the broken one makes Run fail naming its cells,
// and the index links both by title.
func TestRunReports(t *testing.T) {
	installKernel(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out := t.TempDir()
	// Run copies, with -inplace: the clean notebook gets its outputs, the broken one stays as it was.
	src := t.TempDir()
	okSrc, failSrc := copyTestdata(t, "ok.ipynb", src), copyTestdata(t, "fail.ipynb", src)
	failBefore, err := os.ReadFile(failSrc)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	results, runErr := Run(ctx, []string{okSrc, failSrc},
		Options{OutDir: out, Env: []string{"CWNB_TEST_REGION=eu-west-3"}, Timeout: 2 * time.Minute, Inplace: true, Browser: hasChromium(), NoInput: true})
	t.Logf("two notebooks, five code cells: %v", time.Since(start).Round(time.Millisecond))
	if runErr == nil {
		t.Fatal("Run succeeded with a broken notebook")
	}
	if len(results) != 2 {
		t.Fatalf("got %d results, want 2", len(results))
	}

	ok := results[0]
	if ok.Err != nil {
		t.Fatalf("ok.ipynb failed: %v", ok.Err)
	}
	if ok.Title != "Does the report runner work?" || ok.HTML != filepath.Join(out, "ok.html") {
		t.Errorf("ok.ipynb: title %q, page %q", ok.Title, ok.HTML)
	}
	page, err := os.ReadFile(ok.HTML)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"region: eu-west-3", `<p id="from-go">rendered by Go</p>`, "<title>Does the report runner work?</title>"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("ok.html lacks %q", want)
		}
	}
	if strings.Contains(string(page), "CWNB_TEST_REGION") {
		t.Error("ok.html shows the code despite NoInput")
	}
	if m := externalScriptRE.Find(page); m != nil {
		t.Errorf("ok.html still loads %s", m)
	}
	if n := strings.Count(string(page), `data-cwnb-echarts=`); n != 1 {
		t.Errorf("ok.html inlines ECharts %d times, want once", n)
	}
	executed, err := ReadNotebook(filepath.Join(out, "ok.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	if charts, interactive := Charts(executed); charts != 1 || interactive != 1 {
		t.Errorf("executed ok.ipynb has %d charts (%d interactive), want 1 (1)", charts, interactive)
	}
	// With Browser set (Chromium installed), ok.Err == nil above also means that Chromium, with the
	// network off, drew the chart of ok.html.
	if _, err := os.Stat(filepath.Join(out, "ok.ipynb")); err != nil {
		t.Errorf("executed notebook not kept: %v", err)
	}

	bad := results[1]
	var cells []int
	for _, e := range flatten(bad.Err) {
		var ce *CellError
		if errors.As(e, &ce) {
			cells = append(cells, ce.Cell)
		}
	}
	if len(cells) != 2 || cells[0] != 2 || cells[1] != 3 {
		t.Errorf("fail.ipynb failures at cells %v, want [2 3]: %v", cells, bad.Err)
	}
	msg := runErr.Error()
	for _, want := range []string{"cell 3 (In [2]) failed", "fmt.Println(undefinedThing)", "undefined: undefinedThing", "cell 4 (In [3]) failed", "panic: boom at the top of the hour"} {
		if !strings.Contains(msg, want) {
			t.Errorf("Run error does not show %q:\n%s", want, msg)
		}
	}
	if bad.HTML == "" {
		t.Error("no page for the failed notebook: its errors should be readable in the report")
	}

	nb, err := ReadNotebook(okSrc)
	if err != nil {
		t.Fatal(err)
	}
	var outputs int
	for _, c := range nb.Cells {
		outputs += len(c.Outputs)
	}
	if outputs < 2 {
		t.Errorf("ok.ipynb has %d outputs after -inplace, want the executed outputs", outputs)
	}
	if b, _ := os.ReadFile(okSrc); strings.Contains(string(b), "iopub.execute_input") {
		t.Error("-inplace wrote per-cell timestamps into the notebook; re-runs would differ in every cell")
	}
	if failAfter, err := os.ReadFile(failSrc); err != nil || string(failAfter) != string(failBefore) {
		t.Errorf("-inplace rewrote the notebook that failed (%v)", err)
	}

	index, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<a href="ok.html">Does the report runner work?</a>`, `<a href="fail.html">A notebook with broken cells</a>`, `class="failed"`} {
		if !strings.Contains(string(index), want) {
			t.Errorf("index lacks %q:\n%s", want, index)
		}
	}
}

func TestRunRejectsBadInput(t *testing.T) {
	requireJupyter(t)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a", "x.ipynb"), filepath.Join(dir, "b", "x.ipynb")
	for _, p := range []string{a, b} {
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(`{"cells":[]}`), 0o644)
	}
	tests := []struct {
		name string
		nbs  []string
		opts Options
		want string
	}{
		{"none", nil, Options{}, "no notebooks given"},
		{"not a notebook", []string{"run.go"}, Options{}, "is not a notebook"},
		{"missing", []string{filepath.Join(dir, "missing.ipynb")}, Options{}, "no such file"},
		{"same name twice", []string{a, b}, Options{}, "would both write x.html"},
		{"unknown kernel", []string{a}, Options{Kernel: "no-such-kernel"}, `"no-such-kernel" is not installed`},
		{"out dir holds the notebook", []string{a}, Options{OutDir: filepath.Dir(a)}, "would overwrite"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.opts.OutDir == "" {
				tc.opts.OutDir = t.TempDir()
			}
			_, err := Run(context.Background(), tc.nbs, tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Run error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func hasChromium() bool {
	_, err := findChromium("")
	return err == nil
}

func copyTestdata(t *testing.T, name, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, name)
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

// flatten unwraps errors.Join trees into their leaves.
func flatten(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

// TestRunCellTimeout runs a cell that sleeps past -timeout: the error names the timeout, shows the
// cell and says what to do.
func TestRunCellTimeout(t *testing.T) {
	installKernel(t)
	_, err := Run(context.Background(), []string{filepath.Join("testdata", "hang.ipynb")}, Options{OutDir: t.TempDir(), Timeout: 3 * time.Second, NoHTML: true})
	if err == nil {
		t.Fatal("Run succeeded with a cell that outlives the timeout")
	}
	for _, want := range []string{"CellTimeoutError", "after 3 seconds", "time.Sleep(time.Minute)", "raise it"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}
