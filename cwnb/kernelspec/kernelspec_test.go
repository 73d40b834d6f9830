package kernelspec

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cwnb/cwnb/cwnb/chart"
	"github.com/google/go-cmp/cmp"
)

// fakeTools writes stand-ins for gonb and goimports: Install copies them, it never runs them.
func fakeTools(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"gonb", "goimports"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\necho "+name+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := FindModule(".")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func TestInstallWritesKernelSpec(t *testing.T) {
	ctx := context.Background()
	goenv, err := GoEnv(ctx)
	if err != nil {
		t.Skip(err)
	}
	root := repoRoot(t)
	bin := fakeTools(t)
	extra := t.TempDir()

	tests := []struct {
		name     string
		opts     Options
		wantName string
		wantArgv func(kernelDir string) []string
		wantEnv  map[string]string
	}{
		{
			name:     "defaults",
			opts:     Options{},
			wantName: "cwnb",
			wantArgv: func(k string) []string {
				return []string{filepath.Join(k, "bin", "gonb"), "--kernel", "{connection_file}", "--go_work=" + root}
			},
			wantEnv: map[string]string{
				"PATH":        filepath.Join(goenv.GOROOT, "bin") + ":" + "KERNEL/bin" + ":${PATH}",
				"GOMODCACHE":  goenv.GOMODCACHE,
				"GOPROXY":     "file://" + filepath.Join(goenv.GOMODCACHE, "cache", "download"),
				"GOSUMDB":     "off",
				"GOTOOLCHAIN": "local",
				"GOFLAGS":     "-buildvcs=false",
				"CWNB_KERNEL": "cwnb",
			},
		},
		{
			name:     "named, extra go.work entries, own proxy, raw errors, extra env",
			opts:     Options{Name: "cwnb-dev", DisplayName: "Go (cwnb dev)", GoWork: []string{extra}, Proxy: "https://proxy.example", RawErrors: true, Env: map[string]string{"AWS_REGION": "eu-west-1"}},
			wantName: "cwnb-dev",
			wantArgv: func(k string) []string {
				return []string{filepath.Join(k, "bin", "gonb"), "--kernel", "{connection_file}", "--go_work=" + root + "," + extra, "--raw_error"}
			},
			wantEnv: map[string]string{
				"PATH":        filepath.Join(goenv.GOROOT, "bin") + ":" + "KERNEL/bin" + ":${PATH}",
				"GOMODCACHE":  goenv.GOMODCACHE,
				"GOPROXY":     "https://proxy.example",
				"GOTOOLCHAIN": "local",
				"GOFLAGS":     "-buildvcs=false",
				"AWS_REGION":  "eu-west-1",
				"CWNB_KERNEL": "cwnb-dev",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := t.TempDir()
			t.Setenv("JUPYTER_DATA_DIR", data)
			opts := tc.opts
			opts.Module = root
			opts.BinDir = bin
			k, err := Install(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			kernelDir := filepath.Join(data, "kernels", tc.wantName)
			if k.Dir != kernelDir || k.Name != tc.wantName {
				t.Errorf("Install = %q in %q, want %q in %q", k.Name, k.Dir, tc.wantName, kernelDir)
			}
			spec, err := Read(kernelDir)
			if err != nil {
				t.Fatal(err)
			}
			wantDisplay := tc.opts.DisplayName
			if wantDisplay == "" {
				wantDisplay = "Go (cwnb)"
			}
			for k, v := range tc.wantEnv {
				tc.wantEnv[k] = strings.ReplaceAll(v, "KERNEL", kernelDir)
			}
			want := Spec{Argv: tc.wantArgv(kernelDir), DisplayName: wantDisplay, Language: "go", InterruptMode: "message", Env: tc.wantEnv}
			if diff := cmp.Diff(want, spec); diff != "" {
				t.Errorf("kernel.json (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(spec, k.Spec); diff != "" {
				t.Errorf("returned spec differs from kernel.json (-file +returned):\n%s", diff)
			}
			for _, tool := range []string{"gonb", "goimports"} {
				fi, err := os.Stat(filepath.Join(kernelDir, "bin", tool))
				if err != nil || fi.Mode()&0o111 == 0 {
					t.Errorf("%s not copied as an executable into the kernel: %v", tool, err)
				}
			}
			if _, err := os.Stat(filepath.Join(kernelDir, "logo-svg.svg")); err != nil {
				t.Error(err)
			}
			// ECharts for live notebooks, served by Jupyter from the spec directory.
			if lib, err := os.ReadFile(filepath.Join(kernelDir, LibraryFile)); err != nil || string(lib) != chart.LibraryJS() {
				t.Errorf("%s is not the vendored ECharts (%d bytes): %v", LibraryFile, len(lib), err)
			}
			if rt, err := os.ReadFile(filepath.Join(kernelDir, RuntimeFile)); err != nil || string(rt) != chart.RuntimeJS() {
				t.Errorf("%s is not the chart runtime (%d bytes): %v", RuntimeFile, len(rt), err)
			}
		})
	}
}

func TestInstallIsIdempotent(t *testing.T) {
	ctx := context.Background()
	if _, err := GoEnv(ctx); err != nil {
		t.Skip(err)
	}
	data := t.TempDir()
	t.Setenv("JUPYTER_DATA_DIR", data)
	opts := Options{Module: repoRoot(t), BinDir: fakeTools(t)}
	if _, err := Install(ctx, opts); err != nil {
		t.Fatal(err)
	}
	first := snapshot(t, data)
	// A stale kernel.json from an older install is replaced, not merged.
	if err := os.WriteFile(filepath.Join(data, "kernels", "cwnb", "kernel.json"), []byte(`{"argv":["old"],"env":{"STALE":"1"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Install(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(first, snapshot(t, data)); diff != "" {
		t.Errorf("second install changed the kernel directory (-first +second):\n%s", diff)
	}
}

// snapshot maps every file under dir to its content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		files[strings.TrimPrefix(p, dir)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestMissingToolsNameThePackage(t *testing.T) {
	ctx := context.Background()
	t.Setenv("PATH", t.TempDir()) // neither go nor jupyter
	t.Setenv("JUPYTER_DATA_DIR", "")
	tests := []struct {
		name string
		run  func() error
		want []string
	}{
		{"jupyter", func() error { _, err := DataDir(ctx); return err }, []string{"jupyter", "jupyter-client", "jupyter-nbconvert"}},
		{"nbconvert", func() error { return CheckNbconvert(ctx) }, []string{"jupyter-nbconvert"}},
		{"go", func() error { _, err := GoEnv(ctx); return err }, []string{"go.dev/dl"}},
		{"install", func() error { _, err := Install(ctx, Options{DataDir: t.TempDir()}); return err }, []string{"go.dev/dl"}},
		{"lookup", func() error { _, err := Lookup(ctx, ""); return err }, []string{"jupyter-client"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			if !errors.Is(err, ErrMissingTool) {
				t.Fatalf("error = %v, want ErrMissingTool", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestInstallRejectsBadInput(t *testing.T) {
	ctx := context.Background()
	if _, err := GoEnv(ctx); err != nil {
		t.Skip(err)
	}
	moduleWithoutTools := t.TempDir()
	if err := os.WriteFile(filepath.Join(moduleWithoutTools, "go.mod"), []byte("module github.com/cwnb/cwnb\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"name with a slash", Options{Name: "a/b"}, "not a directory name"},
		{"module without go.mod", Options{Module: "/"}, "has no go.mod"},
		{"tools module missing", Options{Module: moduleWithoutTools, BinDir: t.TempDir()}, "tools module"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.DataDir = t.TempDir()
			_, err := Install(ctx, tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Install error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestFindModule(t *testing.T) {
	root := repoRoot(t)
	if _, err := os.Stat(filepath.Join(root, "cwnb", "kernelspec")); err != nil {
		t.Fatalf("FindModule returned %s, which does not hold this package", root)
	}
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "go.mod"), []byte("module example.com/other\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := FindModule(other); err == nil {
		t.Error("FindModule accepted a go.mod of another module")
	}
}

func TestModulePath(t *testing.T) {
	tests := []struct{ name, gomod, want string }{
		{"plain", "module github.com/cwnb/cwnb\n\ngo 1.26\n", "github.com/cwnb/cwnb"},
		{"comment first", "// comment\nmodule \"github.com/cwnb/cwnb\"\n", "github.com/cwnb/cwnb"},
		{"none", "go 1.26\n", ""},
		{"modulex is not module", "modulex foo\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := modulePath([]byte(tc.gomod)); got != tc.want {
				t.Errorf("modulePath = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestEnviron(t *testing.T) {
	s := Spec{Env: map[string]string{"PATH": "/go/bin:${PATH}", "GOSUMDB": "off", "X": "${UNSET}y"}}
	got := s.Environ([]string{"PATH=/usr/bin", "HOME=/root"})
	want := []string{"GOSUMDB=off", "PATH=/go/bin:/usr/bin", "X=y"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Environ (-want +got):\n%s", diff)
	}
}

func TestGoVersion(t *testing.T) {
	for in, want := range map[string]string{"go1.26.8": "1.26.8", "go1.27rc1 X:foo": "1.27", "devel": "1.26"} {
		if got := goVersion(in); got != want {
			t.Errorf("goVersion(%q) = %q, want %q", in, got, want)
		}
	}
}
