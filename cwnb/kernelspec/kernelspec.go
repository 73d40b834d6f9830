package kernelspec

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/cwnb/cwnb/cwnb/chart"
)

// DefaultName is the kernel name notebooks select in their metadata (kernelspec.name).
const DefaultName = "cwnb"

// LibraryFile is the copy of ECharts in the kernel's spec directory. The Jupyter server serves
// every file there at <base URL>kernelspecs/<name>/<file>, and charts in a live notebook load
// ECharts from it (see chart.EnvKernel), so they need no CDN.
const LibraryFile = "echarts.min.js"

// RuntimeFile is the chart upgrade runtime (chart.RuntimeJS) in the kernel's spec directory: a
// notebook's charts carry only a loader that fetches it once per page from there.
const RuntimeFile = "cwnb-charts.js"

// DefaultDisplayName is the kernel name Jupyter shows in its launcher and kernel menu.
const DefaultDisplayName = "Go (cwnb)"

// ModulePath is the module path of this repository; FindModule looks for its go.mod.
const ModulePath = "github.com/cwnb/cwnb"

// ErrMissingTool reports a program the kernel needs that is not installed. The error text says
// which package to install.
var ErrMissingTool = errors.New("missing tool")

// Options configures Install. The zero value installs the kernel "cwnb" for the repository that
// contains the working directory, into the Jupyter data directory Jupyter itself uses.
type Options struct {
	// Name is the kernel's directory name and the name notebooks refer to; "" means DefaultName.
	Name string
	// DisplayName is what Jupyter shows; "" means DefaultDisplayName.
	DisplayName string
	// DataDir is the Jupyter data directory; "" means $JUPYTER_DATA_DIR, else `jupyter --data-dir`.
	DataDir string
	// Module is the directory of the module that every notebook's go.work uses; "" means the
	// directory of the github.com/cwnb/cwnb go.mod found from the working directory upward.
	Module string
	// GoWork lists more module directories to add to every notebook's go.work.
	GoWork []string
	// BinDir is where gonb and goimports are taken from; "" means <Module>/bin. When they are
	// missing there, Install builds them from <Module>/kernel/tools (see BuildTools).
	BinDir string
	// Proxy is the GOPROXY the kernel's `go` commands use; "" means the local module cache only,
	// file://$GOMODCACHE/cache/download, with GOSUMDB=off. Any other value keeps GOSUMDB as is.
	Proxy string
	// Env adds or overrides environment entries of the kernel. Jupyter expands ${VAR} in them
	// from the environment of the process that starts the kernel.
	Env map[string]string
	// RawErrors makes GoNB report cell errors as plain text instead of HTML.
	RawErrors bool
	// Prime runs Prime after installing, so that cells importing the pinned third-party packages
	// resolve from the module cache alone.
	Prime bool
	// Log receives progress messages (building tools, priming the cache); nil discards them.
	Log io.Writer
}

// Spec is the content of a Jupyter kernel.json. The format is documented at
// https://jupyter-client.readthedocs.io/en/latest/kernels.html#kernel-specs.
type Spec struct {
	Argv          []string          `json:"argv"`
	DisplayName   string            `json:"display_name"`
	Language      string            `json:"language"`
	InterruptMode string            `json:"interrupt_mode"`
	Env           map[string]string `json:"env"`
}

// Installed describes an installed kernel.
type Installed struct {
	Name string // kernel name
	Dir  string // directory holding kernel.json
	Spec Spec   // what kernel.json holds
}

// Install registers the kernel with Jupyter, replacing an earlier installation of the same name.
func Install(ctx context.Context, opts Options) (Installed, error) {
	log := opts.Log
	if log == nil {
		log = io.Discard
	}
	goenv, err := GoEnv(ctx)
	if err != nil {
		return Installed{}, err
	}
	name := opts.Name
	if name == "" {
		name = DefaultName
	}
	if strings.ContainsAny(name, `/\ `) || name == "." || name == ".." {
		return Installed{}, fmt.Errorf("kernel name %q is not a directory name; use letters, digits, '-', '_' or '.'", name)
	}
	display := opts.DisplayName
	if display == "" {
		display = DefaultDisplayName
	}
	module := opts.Module
	if module == "" {
		wd, err := os.Getwd()
		if err != nil {
			return Installed{}, err
		}
		if module, err = FindModule(wd); err != nil {
			return Installed{}, err
		}
	}
	if module, err = filepath.Abs(module); err != nil {
		return Installed{}, err
	}
	if _, err := os.Stat(filepath.Join(module, "go.mod")); err != nil {
		return Installed{}, fmt.Errorf("module directory %s has no go.mod; pass the repository root", module)
	}
	dataDir := opts.DataDir
	if dataDir == "" {
		if dataDir, err = DataDir(ctx); err != nil {
			return Installed{}, err
		}
	}
	binDir := opts.BinDir
	if binDir == "" {
		binDir = filepath.Join(module, "bin")
	}
	unlock, err := lockDir(ctx, binDir)
	if err != nil {
		return Installed{}, err
	}
	defer unlock()
	if !isFile(filepath.Join(binDir, "gonb")) || !isFile(filepath.Join(binDir, "goimports")) {
		fmt.Fprintf(log, "building gonb and goimports from %s into %s\n", filepath.Join(module, "kernel", "tools"), binDir)
		if err := buildTools(ctx, filepath.Join(module, "kernel", "tools"), binDir); err != nil {
			return Installed{}, err
		}
	}

	kernelDir := filepath.Join(dataDir, "kernels", name)
	kernelBin := filepath.Join(kernelDir, "bin")
	if err := os.MkdirAll(kernelBin, 0o755); err != nil {
		return Installed{}, fmt.Errorf("create kernel directory: %w", err)
	}
	for _, tool := range []string{"gonb", "goimports"} {
		if err := copyExecutable(filepath.Join(binDir, tool), filepath.Join(kernelBin, tool)); err != nil {
			return Installed{}, err
		}
	}

	work := append([]string{module}, opts.GoWork...)
	for i, w := range work {
		if work[i], err = filepath.Abs(w); err != nil {
			return Installed{}, err
		}
	}
	argv := []string{filepath.Join(kernelBin, "gonb"), "--kernel", "{connection_file}", "--go_work=" + strings.Join(work, ",")}
	if opts.RawErrors {
		argv = append(argv, "--raw_error")
	}
	env := map[string]string{
		// Jupyter (jupyter_client >= 7) expands ${PATH} from the environment that starts the kernel.
		"PATH":        filepath.Join(goenv.GOROOT, "bin") + string(os.PathListSeparator) + kernelBin + string(os.PathListSeparator) + "${PATH}",
		"GOMODCACHE":  goenv.GOMODCACHE,
		"GOTOOLCHAIN": "local",
		"GOFLAGS":     "-buildvcs=false",
		// Charts load ECharts from this kernel's spec directory (LibraryFile), which the Jupyter
		// server serves at <base>/kernelspecs/<name>/; the name tells them where.
		chart.EnvKernel: name,
	}
	if opts.Proxy == "" {
		env["GOPROXY"] = goenv.CacheProxy()
		env["GOSUMDB"] = "off"
	} else {
		env["GOPROXY"] = opts.Proxy
	}
	for k, v := range opts.Env {
		env[k] = v
	}
	spec := Spec{Argv: argv, DisplayName: display, Language: "go", InterruptMode: "message", Env: env}
	data, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return Installed{}, err
	}
	if err := writeFileAtomic(filepath.Join(kernelDir, "kernel.json"), append(data, '\n'), 0o644); err != nil {
		return Installed{}, err
	}
	if err := writeFileAtomic(filepath.Join(kernelDir, "logo-svg.svg"), logoSVG, 0o644); err != nil {
		return Installed{}, err
	}
	// A live notebook's charts load ECharts from here rather than from a CDN: offline and behind
	// proxies they still become interactive.
	if err := writeFileAtomic(filepath.Join(kernelDir, LibraryFile), []byte(chart.LibraryJS()), 0o644); err != nil {
		return Installed{}, err
	}
	if err := writeFileAtomic(filepath.Join(kernelDir, RuntimeFile), []byte(chart.RuntimeJS()), 0o644); err != nil {
		return Installed{}, err
	}
	if opts.Prime {
		fmt.Fprintf(log, "priming the module cache %s for notebook imports\n", goenv.GOMODCACHE)
		if err := Prime(ctx, PrimeOptions{Module: module}); err != nil {
			return Installed{}, err
		}
	}
	return Installed{Name: name, Dir: kernelDir, Spec: spec}, nil
}

// Read returns the kernel spec in dir (a directory holding kernel.json).
func Read(dir string) (Spec, error) {
	var spec Spec
	data, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err != nil {
		return spec, err
	}
	if err := json.Unmarshal(data, &spec); err != nil {
		return spec, fmt.Errorf("%s: %w", filepath.Join(dir, "kernel.json"), err)
	}
	return spec, nil
}

// Lookup returns the kernel called name ("" means DefaultName) among the kernels Jupyter knows
// (`jupyter kernelspec list --json`, which honours JUPYTER_DATA_DIR and JUPYTER_PATH). When it is
// not installed, the error wraps fs.ErrNotExist and says how to install it.
func Lookup(ctx context.Context, name string) (Installed, error) {
	if name == "" {
		name = DefaultName
	}
	if err := CheckJupyter(); err != nil {
		return Installed{}, err
	}
	out, err := exec.CommandContext(ctx, "jupyter", "kernelspec", "list", "--json").Output()
	if err != nil {
		return Installed{}, fmt.Errorf("jupyter kernelspec list: %w%s", err, stderrOf(err))
	}
	var list struct {
		Kernelspecs map[string]struct {
			ResourceDir string `json:"resource_dir"`
			Spec        Spec   `json:"spec"`
		} `json:"kernelspecs"`
	}
	if err := json.Unmarshal(out, &list); err != nil {
		return Installed{}, fmt.Errorf("jupyter kernelspec list --json: %w", err)
	}
	k, ok := list.Kernelspecs[name]
	if !ok {
		return Installed{}, fmt.Errorf("jupyter kernel %q is not installed; run `cwnb kernel install` or `make kernel` (JUPYTER_DATA_DIR=%q): %w", name, os.Getenv("JUPYTER_DATA_DIR"), os.ErrNotExist)
	}
	return Installed{Name: name, Dir: k.ResourceDir, Spec: k.Spec}, nil
}

// DataDir returns the Jupyter data directory: $JUPYTER_DATA_DIR when set, else what
// `jupyter --data-dir` prints. It fails with ErrMissingTool when jupyter is not installed.
func DataDir(ctx context.Context) (string, error) {
	if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
		return filepath.Abs(d)
	}
	if err := CheckJupyter(); err != nil {
		return "", err
	}
	out, err := exec.CommandContext(ctx, "jupyter", "--data-dir").Output()
	if err != nil {
		return "", fmt.Errorf("jupyter --data-dir: %w%s", err, stderrOf(err))
	}
	d := strings.TrimSpace(string(out))
	if d == "" {
		return "", errors.New("jupyter --data-dir printed nothing; set JUPYTER_DATA_DIR")
	}
	return d, nil
}

// CheckJupyter reports, as ErrMissingTool, a missing jupyter command or nbconvert.
func CheckJupyter() error {
	if _, err := exec.LookPath("jupyter"); err != nil {
		return fmt.Errorf("%w: jupyter is not on PATH; install it (Debian/Ubuntu: apt-get install jupyter-client jupyter-nbconvert python3-nbclient python3-ipykernel; elsewhere: pip install jupyter)", ErrMissingTool)
	}
	return nil
}

// CheckNbconvert reports, as ErrMissingTool, a jupyter without the nbconvert command. Jupyter runs
// `jupyter nbconvert` as the program jupyter-nbconvert, looked up on PATH and beside jupyter.
func CheckNbconvert(ctx context.Context) error {
	if err := CheckJupyter(); err != nil {
		return err
	}
	if _, err := exec.LookPath("jupyter-nbconvert"); err == nil {
		return nil
	}
	if j, err := exec.LookPath("jupyter"); err == nil {
		if _, err := os.Stat(filepath.Join(filepath.Dir(j), "jupyter-nbconvert")); err == nil {
			return nil
		}
	}
	return fmt.Errorf("%w: `jupyter nbconvert` is not installed; install it (Debian/Ubuntu: apt-get install jupyter-nbconvert python3-nbclient; elsewhere: pip install nbconvert)", ErrMissingTool)
}

// GoEnvironment holds the values of `go env` that the kernel needs.
type GoEnvironment struct {
	GOROOT, GOMODCACHE, GOPROXY, GOSUMDB, GOVERSION string
}

// CacheProxy returns the GOPROXY value that serves modules from the local module cache only.
func (e GoEnvironment) CacheProxy() string {
	p := filepath.ToSlash(filepath.Join(e.GOMODCACHE, "cache", "download"))
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows: file:///C:/...
	}
	return "file://" + p
}

// GoEnv runs `go env` and fails with ErrMissingTool when go is not installed.
func GoEnv(ctx context.Context) (GoEnvironment, error) {
	if _, err := exec.LookPath("go"); err != nil {
		return GoEnvironment{}, fmt.Errorf("%w: go is not on PATH; install Go 1.26 or later from https://go.dev/dl/ and put its bin directory on PATH", ErrMissingTool)
	}
	out, err := exec.CommandContext(ctx, "go", "env", "-json", "GOROOT", "GOMODCACHE", "GOPROXY", "GOSUMDB", "GOVERSION").Output()
	if err != nil {
		return GoEnvironment{}, fmt.Errorf("go env: %w%s", err, stderrOf(err))
	}
	var e GoEnvironment
	if err := json.Unmarshal(out, &e); err != nil {
		return GoEnvironment{}, fmt.Errorf("go env -json: %w", err)
	}
	return e, nil
}

// FindModule returns the directory, start or one of its parents, whose go.mod declares
// ModulePath.
func FindModule(start string) (string, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && modulePath(data) == ModulePath {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod of module %s in %s or its parents; run from the cwnb repository or pass its directory", ModulePath, start)
		}
		dir = parent
	}
}

// modulePath returns the module path a go.mod declares, or "".
func modulePath(gomod []byte) string {
	for _, line := range strings.Split(string(gomod), "\n") {
		line = strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(line, "module"); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}

// BuildTools builds gonb and goimports from the tools module in toolsDir (kernel/tools, which
// pins their versions) into binDir, with `go build`: no version listing, no @latest.
func BuildTools(ctx context.Context, toolsDir, binDir string) error {
	unlock, err := lockDir(ctx, binDir)
	if err != nil {
		return err
	}
	defer unlock()
	return buildTools(ctx, toolsDir, binDir)
}

func buildTools(ctx context.Context, toolsDir, binDir string) error {
	if _, err := GoEnv(ctx); err != nil {
		return err
	}
	if !isFile(filepath.Join(toolsDir, "go.mod")) {
		return fmt.Errorf("tools module %s has no go.mod; run from a complete cwnb checkout", toolsDir)
	}
	if err := os.MkdirAll(binDir, 0o755); err != nil {
		return err
	}
	absBin, err := filepath.Abs(binDir)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-o", absBin+string(filepath.Separator),
		"github.com/janpfeifer/gonb", "golang.org/x/tools/cmd/goimports")
	cmd.Dir = toolsDir
	cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build gonb and goimports in %s: %w\n%s", toolsDir, err, out)
	}
	return nil
}

// Environ returns the kernel's environment entries as sorted KEY=VALUE strings, with ${VAR}
// expanded from environ (the way Jupyter does when it starts the kernel).
func (s Spec) Environ(environ []string) []string {
	base := map[string]string{}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			base[k] = v
		}
	}
	out := make([]string, 0, len(s.Env))
	for k, v := range s.Env {
		out = append(out, k+"="+os.Expand(v, func(name string) string { return base[name] }))
	}
	sort.Strings(out)
	return out
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

// copyExecutable copies src to dst through a temporary file and a rename, so a running kernel
// keeps its binary and a reader never sees half a file. Identical content is left alone.
func copyExecutable(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("read %s: %w", src, err)
	}
	if old, err := os.ReadFile(dst); err == nil && bytes.Equal(old, data) {
		return nil
	}
	return writeFileAtomic(dst, data, 0o755)
}

func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp, perm); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func stderrOf(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) && len(ee.Stderr) > 0 {
		return ": " + strings.TrimSpace(string(ee.Stderr))
	}
	return ""
}
