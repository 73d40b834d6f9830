package main

import (
	"context"
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
		fs.PrintDefaults()
	}
	var opts report.Options
	var env envFlags
	fs.StringVar(&opts.OutDir, "out", report.DefaultOutDir, "output `dir` for the HTML pages, the executed notebooks and index.html")
	fs.StringVar(&opts.Kernel, "kernel", "cwnb", "Jupyter kernel `name`")
	fs.DurationVar(&opts.Timeout, "timeout", report.DefaultTimeout, "limit per cell")
	fs.Var(&env, "env", "`KEY=VALUE` added to the kernel's environment (repeatable); the rest is inherited")
	fs.BoolVar(&opts.Inplace, "inplace", false, "write the executed notebooks, with their outputs, over the sources when they succeed")
	fs.BoolVar(&opts.NoHTML, "check-only", false, "execute and check the notebooks; write no HTML")
	s3url := fs.String("s3", "", "upload the reports to `s3://bucket/prefix` after writing them")
	if err := parseFlags(fs, args, true); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "cwnb report: no notebooks given")
		fs.Usage()
		return errUsage
	}
	opts.Env = env
	opts.Log = stderr
	results, err := report.Run(ctx, fs.Args(), opts)
	for _, r := range results {
		if r.HTML != "" {
			fmt.Fprintln(stdout, r.HTML)
		}
	}
	if err == nil && *s3url != "" && !opts.NoHTML {
		err = publishReports(ctx, *s3url, opts.OutDir, stdout)
	}
	if err != nil {
		return err
	}
	if !opts.NoHTML {
		fmt.Fprintln(stdout, filepath.Join(opts.OutDir, "index.html"))
	}
	return nil
}

// publishReports uploads the report directory to an s3:// location.
func publishReports(ctx context.Context, s3url, dir string, stdout io.Writer) error {
	target, err := publish.ParseURL(s3url)
	if err != nil {
		return err
	}
	client, err := publish.NewClient(ctx)
	if err != nil {
		return err
	}
	keys, err := publish.Dir(ctx, client, dir, target, publish.Options{})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "uploaded %d files to %s\n", len(keys), target)
	return nil
}
