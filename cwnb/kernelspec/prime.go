package kernelspec

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// DefaultPrimeImports are the third-party packages a notebook cell is expected to import directly.
// Prime resolves them the way GoNB does so that their module metadata is in the module cache.
var DefaultPrimeImports = []string{
	"github.com/janpfeifer/gonb/gonbui",
	"github.com/go-gota/gota/dataframe",
	"github.com/go-gota/gota/series",
	"github.com/go-echarts/go-echarts/v2/charts",
	"github.com/go-echarts/go-echarts/v2/opts",
	"github.com/aws/aws-sdk-go-v2/aws",
	"github.com/aws/aws-sdk-go-v2/config",
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch",
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types",
}

// PrimeOptions configures Prime.
type PrimeOptions struct {
	// Module is the repository's module directory (as in Options.Module); it is required.
	Module string
	// Imports are the packages to resolve; nil means DefaultPrimeImports plus every importable
	// package of Module.
	Imports []string
	// Proxy is the network proxy used for what the module cache lacks; "" means `go env GOPROXY`.
	Proxy string
}

// Prime resolves imports the way a GoNB cell does, in a scratch module whose go.work uses the
// repository, with GOPROXY set to the module cache first and the network proxy second. It fills
// the module cache with the go.mod files that `go get` needs but `go mod download` in the
// repository does not fetch (module graph pruning), so that the kernel, which only reads the
// cache, never fails with "reading file://.../@v/X.mod: no such file or directory".
// It needs the network only the first time; afterwards it is a no-op costing about a second.
func Prime(ctx context.Context, opts PrimeOptions) error {
	goenv, err := GoEnv(ctx)
	if err != nil {
		return err
	}
	if opts.Module == "" {
		return fmt.Errorf("kernelspec.Prime: no module directory given")
	}
	module, err := filepath.Abs(opts.Module)
	if err != nil {
		return err
	}
	imports := opts.Imports
	if imports == nil {
		own, err := modulePackages(ctx, module)
		if err != nil {
			return err
		}
		imports = append(append([]string(nil), DefaultPrimeImports...), own...)
	}
	proxy := opts.Proxy
	if proxy == "" {
		proxy = goenv.GOPROXY
	}
	scratch, err := os.MkdirTemp("", "cwnb-prime-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)

	// The same layout GoNB creates: a module, a go.work using "." and the repository, and a
	// replace rule for the repository's module (GoNB's %goworkfix).
	gomod := fmt.Sprintf("module cwnb_prime\n\ngo %s\n\nreplace %s => %s\n", goVersion(goenv.GOVERSION), ModulePath, module)
	gowork := fmt.Sprintf("go %s\n\nuse (\n\t.\n\t%s\n)\n", goVersion(goenv.GOVERSION), module)
	var src strings.Builder
	src.WriteString("package main\n\nimport (\n")
	for _, imp := range imports {
		fmt.Fprintf(&src, "\t_ %q\n", imp)
	}
	src.WriteString(")\n\nfunc main() {}\n")
	for name, content := range map[string]string{"go.mod": gomod, "go.work": gowork, "main.go": src.String()} {
		if err := os.WriteFile(filepath.Join(scratch, name), []byte(content), 0o644); err != nil {
			return err
		}
	}
	cmd := exec.CommandContext(ctx, "go", "get")
	cmd.Dir = scratch
	cmd.Env = append(os.Environ(),
		"GOPROXY="+goenv.CacheProxy()+","+proxy,
		"GOFLAGS=-buildvcs=false",
		"GOTOOLCHAIN=local",
		"GOWORK="+filepath.Join(scratch, "go.work"),
	)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("prime the module cache (go get %s in a scratch notebook module): %w\n%s", strings.Join(imports, " "), err, out)
	}
	return nil
}

// modulePackages lists the importable packages of the module in dir: no commands, no internal
// packages, no test-only directories.
func modulePackages(ctx context.Context, dir string) ([]string, error) {
	cmd := exec.CommandContext(ctx, "go", "list", "-e", "-f", "{{if ne .Name \"main\"}}{{.ImportPath}}{{end}}", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false", "GOWORK=off")
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list ./... in %s: %w%s", dir, err, stderrOf(err))
	}
	var pkgs []string
	for _, p := range strings.Fields(string(out)) {
		if strings.Contains(p, "/internal/") || strings.HasSuffix(p, "/internal") || strings.Contains(p, "/testdata/") {
			continue
		}
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	return pkgs, nil
}

var goVersionRE = regexp.MustCompile(`^go(\d+\.\d+(\.\d+)?)`)

// goVersion turns a GOVERSION such as "go1.26.8" or "go1.27rc1 X:foo" into a go.mod version.
func goVersion(v string) string {
	if m := goVersionRE.FindStringSubmatch(v); m != nil {
		return m[1]
	}
	return "1.26"
}
