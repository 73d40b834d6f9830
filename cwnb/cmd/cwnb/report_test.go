package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportAndKernelUsage checks the flag handling of `cwnb report` and `cwnb kernel`: bad usage
// exits 2 with a message, help exits 0, and errors from the packages exit 1 with the cause.
func TestReportAndKernelUsage(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		inStderr string
	}{
		{"report without notebooks", []string{"report"}, 2, "no notebooks given"},
		{"report help", []string{"report", "-h"}, 0, "-check-html"},
		{"report bad env", []string{"report", "-env", "NOVALUE", "x.ipynb"}, 2, `"NOVALUE" is not KEY=VALUE`},
		{"report not a notebook", []string{"report", "-out", t.TempDir(), "main.go"}, 1, "main.go is not a notebook"},
		{"report bad s3 url", []string{"report", "-s3", "https://bucket/x", "-out", t.TempDir(), filepath.Join(t.TempDir(), "missing.ipynb")}, 1, "not an S3 location"},
		{"check-html of a missing page", []string{"report", "-check-html", filepath.Join(t.TempDir(), "nope.html")}, 1, "nope.html"},
		{"check-html with inplace", []string{"report", "-check-html", "-inplace", "x.html"}, 1, "-check-html only opens existing pages, so -inplace would be ignored"},
		{"check-html with s3", []string{"report", "-check-html", "-s3", "s3://b/p", "x.html"}, 1, "so -s3 would be ignored"},
		{"check-only with s3", []string{"report", "-check-only", "-s3", "s3://b/p", "x.ipynb"}, 1, "-check-only writes no HTML, so -s3 would be ignored"},
		{"check-only with no-input", []string{"report", "-check-only", "-no-input", "x.ipynb"}, 1, "so -no-input would be ignored"},
		{"path style without s3", []string{"report", "-s3-path-style", "x.ipynb"}, 1, "-s3-path-style applies to an -s3 upload"},
		{"kernel without subcommand", []string{"kernel"}, 2, "usage: cwnb kernel install"},
		{"kernel unknown subcommand", []string{"kernel", "remove"}, 2, "usage: cwnb kernel install"},
		{"kernel install help", []string{"kernel", "install", "-h"}, 0, "-data-dir"},
		{"kernel install stray argument", []string{"kernel", "install", "extra"}, 2, `unexpected argument "extra"`},
		{"kernel install bad name", []string{"kernel", "install", "-name", "a/b", "-data-dir", t.TempDir()}, 1, "not a directory name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tc.args, &stdout, &stderr)
			if code != tc.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout.String(), stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.inStderr) {
				t.Errorf("stderr does not contain %q:\n%s", tc.inStderr, stderr.String())
			}
		})
	}
}
