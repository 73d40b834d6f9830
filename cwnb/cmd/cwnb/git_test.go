package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGitCommand checks `cwnb git`: usage errors exit 2, textconv prints a notebook's text, and a
// file that is not a notebook (merge conflict markers) still prints, raw, after a note naming it.
func TestGitCommand(t *testing.T) {
	dir := t.TempDir()
	nb := filepath.Join(dir, "a.ipynb")
	os.WriteFile(nb, []byte(`{"cells":[{"cell_type":"code","source":"fmt.Println(1)","outputs":[{"output_type":"stream","name":"stdout","text":"1\n"}]}]}`), 0o644)
	conflict := filepath.Join(dir, "b.ipynb")
	os.WriteFile(conflict, []byte("<<<<<<< HEAD\n{}\n=======\n"), 0o644)
	tests := []struct {
		name     string
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{"no subcommand", []string{"git"}, 2, "", "usage: cwnb git setup"},
		{"unknown subcommand", []string{"git", "push"}, 2, "", `unknown subcommand "push"`},
		{"textconv without file", []string{"git", "textconv"}, 2, "", "usage: cwnb git textconv FILE"},
		{"textconv", []string{"git", "textconv", nb}, 0, "## [1] code\nfmt.Println(1)\n### stdout\n1\n", ""},
		{"textconv of a conflicted file", []string{"git", "textconv", conflict}, 0, "merge conflict", ""},
		{"textconv of a missing file", []string{"git", "textconv", filepath.Join(dir, "nope.ipynb")}, 1, "", "nope.ipynb"},
		{"setup outside a repository", []string{"git", "setup", "-C", dir}, 1, "", "not inside a git repository"},
	}
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(dir))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tc.args, &stdout, &stderr)
			if code != tc.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), tc.inStdout) {
				t.Errorf("stdout does not contain %q:\n%s", tc.inStdout, stdout.String())
			}
			if !strings.Contains(stderr.String(), tc.inStderr) {
				t.Errorf("stderr does not contain %q:\n%s", tc.inStderr, stderr.String())
			}
		})
	}
}
