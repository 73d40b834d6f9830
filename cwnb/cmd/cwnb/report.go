package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/cwnb/cwnb/cwnb/publish"
	"github.com/cwnb/cwnb/cwnb/report"
)

func init() {
	register("report", "execute notebooks through the cwnb kernel and write offline HTML reports", runReport)
}

// envFlags collects repeated -env KEY=VALUE flags.
type envFlags []string

func (e *envFlags) String() string { return strings.Join(*e, ",") }

func (e *envFlags) Set(s string) error {
	if k, _, ok := strings.Cut(s, "="); !ok || k == "" {
		return fmt.Errorf("%q is not KEY=VALUE", s)
	}
	*e = append(*e, s)
	return nil
}

func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("report", stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: cwnb report [flags] NOTEBOOK.ipynb...")
		fmt.Fprintln(stderr, "       cwnb report -check-html PAGE.html...")
		fs.PrintDefaults()
	}
	var opts report.Options
	var env envFlags
	fs.StringVar(&opts.OutDir, "out", report.DefaultOutDir, "output `dir` for the HTML pages, the executed notebooks and index.html")
	fs.StringVar(&opts.Kernel, "kernel", "cwnb", "Jupyter kernel `name`")
	fs.DurationVar(&opts.Timeout, "timeout", report.DefaultTimeout, "limit per cell")
	fs.Var(&env, "env", "`KEY=VALUE` added to the kernel's environment (repeatable); the rest is inherited")
	fs.BoolVar(&opts.Inplace, "inplace", false, "write the executed notebooks, with their outputs, over the sources when they succeed")
	fs.BoolVar(&opts.NoInput, "no-input", false, "leave the code cells out of the pages")
	fs.BoolVar(&opts.NoHTML, "check-only", false, "execute and check the notebooks; write no HTML")
	fs.BoolVar(&opts.Browser, "browser", false, "open each page in headless Chromium with the network off and fail unless every chart draws")
	checkHTML := fs.Bool("check-html", false, "the arguments are report pages: open each in headless Chromium and check that its charts draw")
	s3url := fs.String("s3", "", "upload the reports to `s3://bucket/prefix` after writing them (not when a notebook fails)")
	pathStyle := fs.Bool("s3-path-style", false, "address the bucket in the URL path, for S3-compatible stores (AWS_ENDPOINT_URL_S3)")
	if err := parseFlags(fs, args, true); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "cwnb report: no notebooks given")
		fs.Usage()
		return errUsage
	}
	if err := reportConflicts(fs); err != nil {
		return err
	}
	if *s3url != "" {
		// Fail before running notebooks for minutes, not after.
		if _, err := publish.ParseURL(*s3url); err != nil {
			return err
		}
	}
	if *checkHTML {
		return checkPages(ctx, fs.Args(), stdout)
	}
	opts.Env = env
	opts.Log = stderr
	results, err := report.Run(ctx, fs.Args(), opts)
	for _, r := range results {
		if r.HTML != "" {
			fmt.Fprintln(stdout, r.HTML)
		}
	}
	if !opts.NoHTML && len(results) > 0 {
		fmt.Fprintln(stdout, filepath.Join(opts.OutDir, "index.html"))
	}
	if err == nil && *s3url != "" && !opts.NoHTML {
		err = publishReports(ctx, *s3url, opts.OutDir, *pathStyle, stdout)
	}
	return err
}

// reportConflicts refuses flags that would be ignored by the mode the others select.
func reportConflicts(fs *flag.FlagSet) error {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	given := func(names ...string) []string {
		var out []string
		for _, n := range names {
			if set[n] {
				out = append(out, "-"+n)
			}
		}
		return out
	}
	if set["check-html"] {
		if g := given("out", "kernel", "timeout", "env", "inplace", "no-input", "check-only", "browser", "s3", "s3-path-style"); len(g) > 0 {
			return fmt.Errorf("-check-html only opens existing pages, so %s would be ignored; drop %s", strings.Join(g, ", "), strings.Join(g, ", "))
		}
	}
	if set["check-only"] {
		if g := given("s3", "no-input", "browser"); len(g) > 0 {
			return fmt.Errorf("-check-only writes no HTML, so %s would be ignored; drop %s or -check-only", strings.Join(g, ", "), strings.Join(g, ", "))
		}
	}
	if set["s3-path-style"] && !set["s3"] {
		return fmt.Errorf("-s3-path-style applies to an -s3 upload; add -s3 s3://bucket/prefix or drop it")
	}
	return nil
}

// checkPages opens report pages in Chromium and fails if a chart did not draw.
func checkPages(ctx context.Context, pages []string, stdout io.Writer) error {
	var errs []error
	for _, p := range pages {
		res, err := report.CheckInBrowser(ctx, p, report.BrowserOptions{})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		fmt.Fprintf(stdout, "%s: %d charts, %d drawn, %d static\n", p, res.Charts, res.Interactive, res.Static)
	}
	return errors.Join(errs...)
}

// publishReports uploads the report directory to an s3:// location.
func publishReports(ctx context.Context, s3url, dir string, pathStyle bool, stdout io.Writer) error {
	keys, err := publish.Upload(ctx, s3url, dir, publish.Options{PathStyle: pathStyle})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "uploaded %d files to %s\n", len(keys), s3url)
	return nil
}
