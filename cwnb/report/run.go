package report

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cwnb/cwnb/cwnb/chart"
	"github.com/cwnb/cwnb/cwnb/kernelspec"
)

// DefaultOutDir is where Run writes reports when Options.OutDir is empty.
const DefaultOutDir = "out/reports"

// DefaultTimeout is the longest a cell may run when Options.Timeout is zero.
const DefaultTimeout = 10 * time.Minute

// Options configures Run. The zero value runs the notebooks with the "cwnb" kernel into
// out/reports with a 10-minute limit per cell.
type Options struct {
	// OutDir receives <name>.html, the executed <name>.ipynb and index.html; "" means DefaultOutDir.
	OutDir string
	// Kernel is the Jupyter kernel name; "" means kernelspec.DefaultName.
	Kernel string
	// Timeout limits each cell; 0 means DefaultTimeout.
	Timeout time.Duration
	// Env adds KEY=VALUE entries to the environment of nbconvert and the kernel, which otherwise
	// inherit this process's environment (AWS_ENDPOINT_URL_CLOUDWATCH, AWS_REGION, ...).
	Env []string
	// Inplace writes each executed notebook, with its new outputs, over its source file when it
	// ran without failures.
	Inplace bool
	// NoHTML skips the HTML pages and the index: execute and check only.
	NoHTML bool
	// NoInput leaves the code out of the pages: prose, tables and charts only.
	NoInput bool
	// Browser opens each page in headless Chromium with the network off (CheckInBrowser) and
	// fails the notebook unless every interactive chart it holds draws.
	Browser bool
	// Log receives one line per notebook; nil discards them.
	Log io.Writer
}

func (o Options) withDefaults() Options {
	if o.OutDir == "" {
		o.OutDir = DefaultOutDir
	}
	if o.Kernel == "" {
		o.Kernel = kernelspec.DefaultName
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	return o
}

// Result describes one notebook that Run processed.
type Result struct {
	Notebook string        // source path
	Title    string        // first markdown heading, or the file name
	Executed string        // path of the executed notebook
	HTML     string        // path of the report page; "" when none was written
	Duration time.Duration // execution time
	Err      error         // nil, or the failed cells (*CellError) and other problems, joined
}

// Run executes the notebooks in order, writes their reports and the index, and returns one Result
// per notebook. The error joins every notebook's failure; reports of failed notebooks are still
// written, so their errors can be read in the page.
func Run(ctx context.Context, notebooks []string, opts Options) ([]Result, error) {
	opts = opts.withDefaults()
	if len(notebooks) == 0 {
		return nil, errors.New("no notebooks given; pass .ipynb files, e.g. notebooks/*.ipynb")
	}
	seen := map[string]string{}
	for _, nb := range notebooks {
		if !strings.HasSuffix(nb, ".ipynb") {
			return nil, fmt.Errorf("%s is not a notebook; pass .ipynb files", nb)
		}
		if _, err := os.Stat(nb); err != nil {
			return nil, err
		}
		base := strings.TrimSuffix(filepath.Base(nb), ".ipynb")
		if other, dup := seen[base]; dup {
			return nil, fmt.Errorf("notebooks %s and %s would both write %s.html; rename one", other, nb, base)
		}
		seen[base] = nb
		absNB, err1 := filepath.Abs(nb)
		absOut, err2 := filepath.Abs(filepath.Join(opts.OutDir, base+".ipynb"))
		if err1 == nil && err2 == nil && absNB == absOut {
			return nil, fmt.Errorf("-out %s would overwrite %s with its executed copy; write the reports elsewhere (use -inplace to update the notebook)", opts.OutDir, nb)
		}
	}
	if err := kernelspec.CheckNbconvert(ctx); err != nil {
		return nil, err
	}
	if _, err := kernelspec.Lookup(ctx, opts.Kernel); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(opts.OutDir, 0o755); err != nil {
		return nil, err
	}

	var results []Result
	var errs []error
	for _, nb := range notebooks {
		r := runOne(ctx, nb, opts)
		results = append(results, r)
		status := "ok"
		if r.Err != nil {
			status = "FAILED"
			errs = append(errs, r.Err)
		}
		fmt.Fprintf(opts.Log, "%-40s %6.1fs  %s\n", nb, r.Duration.Seconds(), status)
		if ctx.Err() != nil {
			break
		}
	}
	if !opts.NoHTML {
		if err := WriteIndex(filepath.Join(opts.OutDir, "index.html"), results); err != nil {
			errs = append(errs, err)
		}
	}
	return results, errors.Join(errs...)
}

func runOne(ctx context.Context, src string, opts Options) Result {
	base := strings.TrimSuffix(filepath.Base(src), ".ipynb")
	r := Result{Notebook: src, Title: base, Executed: filepath.Join(opts.OutDir, base+".ipynb")}
	if nb, err := ReadNotebook(src); err == nil && nb.Title() != "" {
		r.Title = nb.Title()
	}
	// Outputs of an earlier run must not pass for this run's when this one stops early.
	os.Remove(r.Executed)
	os.Remove(filepath.Join(opts.OutDir, base+".html"))
	start := time.Now()
	nb, err := Execute(ctx, src, r.Executed, opts)
	r.Duration = time.Since(start)
	if nb == nil {
		r.Err = err
		return r
	}
	if t := nb.Title(); t != "" {
		r.Title = t
	}
	if err == nil {
		err = Check(src, nb)
	}
	r.Err = err
	if err == nil && opts.Inplace {
		if cerr := copyFile(r.Executed, src); cerr != nil {
			r.Err = cerr
		}
	}
	if !opts.NoHTML {
		page := filepath.Join(opts.OutDir, base+".html")
		if herr := ToHTML(ctx, r.Executed, page, r.Title, opts); herr != nil {
			r.Err = errors.Join(r.Err, herr)
		} else {
			r.HTML = page
			if opts.Browser {
				r.Err = errors.Join(r.Err, checkPage(ctx, page, nb))
			}
		}
	}
	return r
}

// checkPage opens a report page in Chromium and compares the charts that drew with the
// interactive charts of the executed notebook.
func checkPage(ctx context.Context, page string, nb *Notebook) error {
	res, err := CheckInBrowser(ctx, page, BrowserOptions{})
	if err != nil {
		return err
	}
	charts, interactive := Charts(nb)
	if res.Charts != charts || res.Interactive != interactive {
		return fmt.Errorf("%s: %d charts on the page, %d drawn; the notebook has %d charts, %d interactive", page, res.Charts, res.Interactive, charts, interactive)
	}
	return nil
}

// Execute runs the notebook src through the kernel with nbconvert, writes the executed notebook
// to dst and returns it. Cells run to the end even when one fails (so the executed notebook shows
// every error); the error then joins one *CellError per failed cell. A nil Notebook means
// nbconvert itself failed (no kernel, a cell timeout, an unreadable notebook): the error holds
// the end of its output.
func Execute(ctx context.Context, src, dst string, opts Options) (*Notebook, error) {
	opts = opts.withDefaults()
	absSrc, err := filepath.Abs(src)
	if err != nil {
		return nil, err
	}
	absDst, err := filepath.Abs(dst)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(absDst), 0o755); err != nil {
		return nil, err
	}
	// nbconvert appends .ipynb to --output; an executed notebook written next to its source
	// must not replace it before it is checked, so write to a temporary name and rename.
	tmp := strings.TrimSuffix(absDst, ".ipynb") + ".partial"
	os.Remove(tmp + ".ipynb")
	args := []string{"nbconvert", "--to", "notebook", "--execute", "--allow-errors",
		"--ExecutePreprocessor.timeout=" + strconv.Itoa(int(opts.Timeout.Seconds()+0.5)),
		"--ExecutePreprocessor.kernel_name=" + opts.Kernel,
		// No per-cell timestamps in the metadata: a notebook re-run with -inplace then differs
		// from the committed one only where its outputs do.
		"--ExecutePreprocessor.record_timing=False",
		"--output-dir=" + filepath.Dir(tmp), "--output=" + filepath.Base(tmp), absSrc}
	if _, err := nbconvert(ctx, args, opts.Env); err != nil {
		os.Remove(tmp + ".ipynb")
		return nil, fmt.Errorf("%s: %w", src, err)
	}
	if err := os.Rename(tmp+".ipynb", absDst); err != nil {
		return nil, err
	}
	nb, err := ReadNotebook(absDst)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, f := range Failures(src, nb) {
		errs = append(errs, f)
	}
	return nb, joinErrors(errs)
}

// ToHTML converts an executed notebook to a self-contained HTML page at dst titled title.
func ToHTML(ctx context.Context, executed, dst, title string, opts Options) error {
	absSrc, err := filepath.Abs(executed)
	if err != nil {
		return err
	}
	absDst, err := filepath.Abs(dst)
	if err != nil {
		return err
	}
	tmp := strings.TrimSuffix(absDst, ".html") + ".partial"
	args := []string{"nbconvert", "--to", "html", "--output-dir=" + filepath.Dir(tmp), "--output=" + filepath.Base(tmp)}
	if opts.NoInput {
		args = append(args, "--no-input", "--no-prompt")
	}
	args = append(args, absSrc)
	if _, err := nbconvert(ctx, args, opts.Env); err != nil {
		return fmt.Errorf("convert %s to HTML: %w", executed, err)
	}
	defer os.Remove(tmp + ".html")
	page, err := os.ReadFile(tmp + ".html")
	if err != nil {
		return err
	}
	page = SelfContained(page, title, chart.LibraryScript())
	return writeFile(absDst, page)
}

// nbconvert runs `jupyter nbconvert args...` and on failure returns its meaningful output: the
// kernel's own log lines (GoNB's klog) are left out.
func nbconvert(ctx context.Context, args, env []string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "jupyter", args...)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	cmd.WaitDelay = 10 * time.Second
	err := cmd.Run()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("jupyter nbconvert: %w\n%s", err, indent(nbconvertError(out.String())))
	}
	return out.Bytes(), nil
}

// pyExceptionRE matches the line where Python names the exception: a qualified class
// (nbclient.exceptions.CellTimeoutError: ...) or a builtin one (RuntimeError: ...).
var pyExceptionRE = regexp.MustCompile(`(?m)^(?:(?:[a-z_]\w*\.)+[A-Z]\w*|[A-Z]\w*(?:Error|Exception|Interrupt)): `)

// nbconvertError returns what explains an nbconvert failure: the Python exception that ended it
// (without the traceback into nbconvert's own code) with a hint for the common cases, or else
// the end of its output.
func nbconvertError(out string) string {
	out = filterLog(out)
	locs := pyExceptionRE.FindAllStringIndex(out, -1)
	if locs == nil {
		return lastLines(out, 40)
	}
	msg := lastLines(out[locs[len(locs)-1][0]:], 40)
	switch {
	case strings.Contains(msg, "CellTimeoutError"):
		msg += "\nthe cell ran longer than -timeout: raise it, or look for a call that waits for a browser (gonbui's dom.Persist, widgets and comms hang under nbconvert)"
	case strings.Contains(msg, "NoSuchKernel"):
		msg += "\ninstall the kernel with `cwnb kernel install` or `make kernel`"
	case strings.Contains(msg, "DeadKernelError"):
		msg += "\nthe kernel process died; run the notebook in Jupyter to see the cell that kills it"
	}
	return msg
}

var noiseRE = regexp.MustCompile(`^([IWEF]\d{4} \d\d:\d\d:\d\d\.\d+ |\d+\.\d+s - |\s*$)`)

// filterLog drops GoNB's klog lines and debugger warnings from nbconvert's output.
func filterLog(s string) string {
	var keep []string
	for _, line := range strings.Split(s, "\n") {
		if noiseRE.MatchString(line) {
			continue
		}
		keep = append(keep, line)
	}
	return strings.Join(keep, "\n")
}

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return writeFile(dst, data)
}

// writeFile writes through a temporary file and a rename, so a reader never sees half a page.
func writeFile(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		os.Remove(f.Name())
		return err
	}
	return os.Rename(f.Name(), path)
}
