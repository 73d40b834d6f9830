package kernelspec

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// requireJupyter skips the test when jupyter nbconvert is missing, except in CI (CI=true), where
// the real-kernel tests must run.
func requireJupyter(t *testing.T) {
	t.Helper()
	if err := CheckNbconvert(context.Background()); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but %v", err)
		}
		t.Skip(err)
	}
}

// executedNotebook is what the end-to-end test reads back from nbconvert.
type executedNotebook struct {
	Cells []struct {
		Type     string `json:"cell_type"`
		Metadata struct {
			Execution map[string]time.Time `json:"execution"`
		} `json:"metadata"`
		Outputs []struct {
			Type   string                     `json:"output_type"`
			Name   string                     `json:"name"`
			Text   json.RawMessage            `json:"text"`
			Data   map[string]json.RawMessage `json:"data"`
			EName  string                     `json:"ename"`
			EValue string                     `json:"evalue"`
		} `json:"outputs"`
	} `json:"cells"`
}

// joined decodes an nbformat multi-line string (a string or a list of lines).
func joined(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var lines []string
	_ = json.Unmarshal(raw, &lines)
	return strings.Join(lines, "")
}

// TestKernelExecutesNotebook installs the real kernel (GoNB built from kernel/tools) into a
// private JUPYTER_DATA_DIR and executes testdata/smoke.ipynb with `jupyter nbconvert --execute`:
// a standard-library cell, a cell importing this repository's cwstat through go.work, and a cell
// importing gonbui straight from the module cache (the offline GOPROXY). About 40 s with a cold Go
// build cache, a few seconds warm.
func TestKernelExecutesNotebook(t *testing.T) {
	requireJupyter(t)
	if testing.Short() {
		t.Skip("runs the real kernel; skipped with -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	data := t.TempDir()
	t.Setenv("JUPYTER_DATA_DIR", data)
	root := repoRoot(t)

	start := time.Now()
	k, err := Install(ctx, Options{Module: root, Prime: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("install (with prime): %v", time.Since(start).Round(time.Millisecond))
	if got, err := Lookup(ctx, ""); err != nil || got.Dir != k.Dir {
		t.Fatalf("Lookup after Install = %+v, %v; want the kernel in %s", got, err, k.Dir)
	}

	out := t.TempDir()
	// Two runs: the first compiles what the Go build cache lacks (about 35 s on a fresh machine),
	// the second shows the warm cost of a cell (about 1 s each, plus nbconvert's start-up).
	for _, run := range []string{"first", "second"} {
		start = time.Now()
		cmd := exec.CommandContext(ctx, "jupyter", "nbconvert", "--to", "notebook", "--execute",
			"--ExecutePreprocessor.kernel_name=cwnb", "--ExecutePreprocessor.timeout=300",
			"--output-dir="+out, "--output=smoke-"+run, filepath.Join("testdata", "smoke.ipynb"))
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("nbconvert: %v\n%s", err, b)
		}
		t.Logf("%s run, nbconvert --execute of 3 code cells: %v", run, time.Since(start).Round(time.Millisecond))
	}

	b, err := os.ReadFile(filepath.Join(out, "smoke-first.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	var nb executedNotebook
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		mime, text string
	}{
		{"stdout", "stdlib 42\n"},
		{"stdout", "TM(10%:90%) <nil>\n"},
		{"text/html", "<b>cwnb</b>"},
	}
	code := 0
	for i, c := range nb.Cells {
		if c.Type != "code" {
			continue
		}
		if code >= len(want) {
			t.Fatalf("more code cells than expected in testdata/smoke.ipynb")
		}
		w := want[code]
		code++
		var got []string
		found := false
		for _, o := range c.Outputs {
			switch {
			case o.Type == "error":
				got = append(got, "error "+o.EName+": "+o.EValue)
			case o.Type == "stream":
				got = append(got, o.Name+": "+joined(o.Text))
				found = found || (o.Name == w.mime && joined(o.Text) == w.text)
			default:
				for mime, v := range o.Data {
					got = append(got, mime+": "+joined(v))
					found = found || (mime == w.mime && joined(v) == w.text)
				}
			}
		}
		if !found {
			t.Errorf("cell %d: outputs %q, want %s %q", i+1, got, w.mime, w.text)
		}
		ex := c.Metadata.Execution // GoNB stamps whole seconds
		t.Logf("first run: cell %d took %v", i+1, ex["shell.execute_reply"].Sub(ex["iopub.execute_input"]))
	}
	if code != len(want) {
		t.Errorf("executed %d code cells, want %d", code, len(want))
	}
}
