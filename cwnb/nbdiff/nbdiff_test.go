package nbdiff

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cwnb/cwnb/cwnb/chart"
)

// TestMain lets the test binary stand in for the cwnb command as git's textconv filter:
// `<test binary> git textconv FILE` prints the notebook's text and exits.
func TestMain(m *testing.M) {
	if len(os.Args) == 4 && os.Args[1] == "git" && os.Args[2] == "textconv" {
		data, err := os.ReadFile(os.Args[3])
		if err == nil {
			err = Textconv(os.Stdout, os.Args[3], data)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// lineChart renders a real chart whose p99 is scaled by k, the way a notebook cell shows it.
func lineChart(t *testing.T, k float64) []map[string]any {
	t.Helper()
	t0 := time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)
	n := 600
	times := make([]time.Time, n)
	avg, p99 := make([]float64, n), make([]float64, n)
	for i := range times {
		times[i] = t0.Add(time.Duration(i) * time.Minute)
		avg[i] = 200 + 8*math.Sin(float64(i)/30)
		p99[i] = k * (420 + 30*math.Sin(float64(i)/11))
	}
	c, err := chart.Line(chart.TimeSeries{Title: "Is the average hiding our tail?", Times: times,
		Series: []chart.Series{{Name: "Average", Unit: "Milliseconds", Values: avg}, {Name: "p99", Unit: "Milliseconds", Values: p99}}},
		chart.WithMode(chart.Both))
	if err != nil {
		t.Fatal(err)
	}
	outs, err := c.Outputs()
	if err != nil {
		t.Fatal(err)
	}
	return outs
}

// notebook builds an nbformat 4 notebook: a markdown cell, a code cell printing text, a code
// cell showing the chart. count is the execution count of the run, which changes every run.
func notebook(t *testing.T, code, stdout string, chartOuts []map[string]any, count int) []byte {
	t.Helper()
	var outs []any
	for _, o := range chartOuts {
		outs = append(outs, map[string]any{"output_type": "display_data", "metadata": map[string]any{}, "data": o})
	}
	nb := map[string]any{
		"nbformat": 4, "nbformat_minor": 5,
		"metadata": map[string]any{"kernelspec": map[string]any{"name": "cwnb", "display_name": "Go (cwnb)", "language": "go"}},
		"cells": []any{
			map[string]any{"cell_type": "markdown", "id": "m1", "metadata": map[string]any{}, "source": "# Is the average hiding our tail?\n"},
			map[string]any{"cell_type": "code", "id": "c1", "metadata": map[string]any{}, "execution_count": count, "source": code,
				"outputs": []any{map[string]any{"output_type": "stream", "name": "stdout", "text": stdout}}},
			map[string]any{"cell_type": "code", "id": "c2", "metadata": map[string]any{}, "execution_count": count + 1,
				"source": "%%\ncwnb.Show(cwnb.Plot(res))\n", "outputs": outs},
		},
	}
	raw, err := json.MarshalIndent(nb, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1", "GIT_PAGER=cat", "HOME="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

var base64RunRE = regexp.MustCompile(`[A-Za-z0-9+/]{120,}`)

// TestGitDiff commits a notebook with a real chart into a temporary repository, set up as
// `cwnb git setup` does, and checks what `git diff` shows: nothing after a re-run on the same
// data (even with new execution counts), only the edited cell and its changed text output after
// an edit, one changed line for a changed chart, and never base64.
func TestGitDiff(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	ctx := context.Background()
	dir := t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	git(t, dir, "config", "user.email", "t@example.com")
	git(t, dir, "config", "user.name", "t")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	changes, err := Setup(ctx, dir, self)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 2 {
		t.Errorf("first Setup made %d changes, want 2 (config and .gitattributes): %q", len(changes), changes)
	}
	if again, err := Setup(ctx, filepath.Join(dir), self); err != nil || len(again) != 0 {
		t.Errorf("second Setup: %q, %v; want no change", again, err)
	}
	if got := git(t, dir, "config", "--local", "--get", "diff.cwnb-ipynb.textconv"); strings.TrimSpace(got) != shellQuote(self)+" git textconv" {
		t.Errorf("textconv config = %q", got)
	}
	if got := git(t, dir, "check-attr", "diff", "x.ipynb"); !strings.Contains(got, "diff: cwnb-ipynb") {
		t.Errorf("check-attr: %q", got)
	}

	path := filepath.Join(dir, "tail.ipynb")
	write := func(b []byte) {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code := "%%\nfmt.Println(\"week:\", 7)\nfmt.Println(\"ratio:\", 6.8)\n"
	write(notebook(t, code, "week: 7\nratio: 6.8\n", lineChart(t, 1), 1))
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "notebook")

	// A re-run on the same data renders the same bytes; only the execution counts change, and
	// the textconv leaves them out.
	write(notebook(t, code, "week: 7\nratio: 6.8\n", lineChart(t, 1), 5))
	if d := git(t, dir, "diff"); d != "" {
		t.Errorf("git diff after a re-run on the same data:\n%s", d)
	}

	// Edit one line of the first code cell; its output changes; the chart does not.
	write(notebook(t, strings.Replace(code, "6.8", "6.81", 1), "week: 7\nratio: 6.81\n", lineChart(t, 1), 1))
	d := git(t, dir, "diff", "-U0")
	var changed []string
	for _, l := range strings.Split(d, "\n") {
		if (strings.HasPrefix(l, "+") || strings.HasPrefix(l, "-")) && !strings.HasPrefix(l, "+++") && !strings.HasPrefix(l, "---") {
			changed = append(changed, l)
		}
	}
	want := []string{`-fmt.Println("ratio:", 6.8)`, `-ratio: 6.8`, `+fmt.Println("ratio:", 6.81)`, `+ratio: 6.81`}
	if got := strings.Join(sortedCopy(changed), "\n"); got != strings.Join(sortedCopy(want), "\n") {
		t.Errorf("git diff -U0 changed lines:\n%s\nwant:\n%s\nwhole diff:\n%s", got, strings.Join(want, "\n"), d)
	}
	checkNoBase64(t, d)

	// A chart on other data is one changed line with a new hash.
	write(notebook(t, code, "week: 7\nratio: 6.8\n", lineChart(t, 1.5), 1))
	d = git(t, dir, "diff", "-U0")
	checkNoBase64(t, d)
	var minus, plus []string
	for _, l := range strings.Split(d, "\n") {
		switch {
		case strings.HasPrefix(l, "-### chart: Is the average hiding our tail? · 2 series"):
			minus = append(minus, l)
		case strings.HasPrefix(l, "+### chart: Is the average hiding our tail? · 2 series"):
			plus = append(plus, l)
		case strings.HasPrefix(l, "+") && !strings.HasPrefix(l, "+++"), strings.HasPrefix(l, "-") && !strings.HasPrefix(l, "---"):
			t.Errorf("unexpected changed line %q", l)
		}
	}
	if len(minus) != 1 || len(plus) != 1 || minus[0][1:] == plus[0][1:] {
		t.Errorf("a changed chart shows as %q / %q; want one line each, with different hashes\n%s", minus, plus, d)
	}
	// The raw diff (no textconv) of the same change is what the driver spares the reader.
	if raw := git(t, dir, "diff", "--no-textconv"); !base64RunRE.MatchString(raw) {
		t.Error("the raw diff of a changed chart has no base64: the test is not exercising the driver")
	}
}

func checkNoBase64(t *testing.T, d string) {
	t.Helper()
	if m := base64RunRE.FindString(d); m != "" || strings.Contains(d, "data:image") || strings.Contains(d, "iVBOR") {
		t.Errorf("git diff shows base64 (%.60q...):\n%.2000s", m, d)
	}
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	for i := range c {
		for j := i + 1; j < len(c); j++ {
			if c[j] < c[i] {
				c[i], c[j] = c[j], c[i]
			}
		}
	}
	return c
}

// TestTextconvNotANotebook checks that a notebook with merge conflict markers is reported as
// such, naming the file.
func TestTextconvNotANotebook(t *testing.T) {
	var b bytes.Buffer
	err := Textconv(&b, "x.ipynb", []byte("<<<<<<< HEAD\n{\"cells\": []}\n=======\n"))
	if err == nil || !strings.Contains(err.Error(), "x.ipynb") || !strings.Contains(err.Error(), "merge conflict") {
		t.Errorf("Textconv of a conflicted file: %v", err)
	}
}

// TestSetupOutsideARepository names the directory and says what to do.
func TestSetupOutsideARepository(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(dir))
	_, err := Setup(context.Background(), dir, "/usr/local/bin/cwnb")
	if err == nil || !strings.Contains(err.Error(), "not inside a git repository") {
		t.Errorf("Setup outside a repository: %v", err)
	}
	if _, err := Setup(context.Background(), dir, "cwnb"); err == nil || !strings.Contains(err.Error(), "not absolute") {
		t.Errorf("Setup with a relative command: %v", err)
	}
}
