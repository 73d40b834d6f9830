package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/cwnb/cwnb/cwnb/kernelspec"
)

func init() {
	register("kernel", "install the Go (cwnb) Jupyter kernel: cwnb kernel install", runKernel)
}

func runKernel(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "install" {
		fmt.Fprintln(stderr, "usage: cwnb kernel install [flags]  (run 'cwnb kernel install -h' for the flags)")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			return nil
		}
		return errUsage
	}
	fs := newFlags("kernel install", stderr)
	var opts kernelspec.Options
	fs.StringVar(&opts.Name, "name", kernelspec.DefaultName, "kernel `name` that notebooks select")
	fs.StringVar(&opts.DisplayName, "display-name", kernelspec.DefaultDisplayName, "name Jupyter shows")
	fs.StringVar(&opts.DataDir, "data-dir", "", "Jupyter data `dir` (default $JUPYTER_DATA_DIR, else `jupyter --data-dir`)")
	fs.StringVar(&opts.Module, "module", "", "repository `dir` every notebook's go.work uses (default: found from the working directory)")
	fs.StringVar(&opts.BinDir, "bin", "", "`dir` holding gonb and goimports; built from kernel/tools when missing (default <module>/bin)")
	fs.StringVar(&opts.Proxy, "proxy", "", "GOPROXY of the kernel (default: the local module cache only, offline)")
	fs.BoolVar(&opts.RawErrors, "raw-errors", false, "report cell errors as plain text instead of HTML")
	fs.BoolVar(&opts.Prime, "prime", true, "fill the module cache with what notebook imports need (uses the network once)")
	goWork := fs.String("go-work", "", "comma-separated extra module `dirs` for every notebook's go.work")
	if err := parseFlags(fs, args[1:], false); err != nil {
		return err
	}
	if *goWork != "" {
		opts.GoWork = strings.Split(*goWork, ",")
	}
	opts.Log = stderr
	k, err := kernelspec.Install(ctx, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "installed kernel %q (%s) in %s\n", k.Name, k.Spec.DisplayName, k.Dir)
	return nil
}
