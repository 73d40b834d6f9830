package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/cwnb/cwnb/cwnb/nbdiff"
)

func init() {
	register("git", "readable notebook diffs: cwnb git setup | cwnb git textconv FILE", runGit)
}

func runGit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	usage := func() {
		fmt.Fprintln(stderr, "usage: cwnb git setup [-C dir]   register the notebook diff driver in this clone (idempotent)")
		fmt.Fprintln(stderr, "       cwnb git textconv FILE    print a notebook as the text git diff shows")
	}
	if len(args) == 0 {
		usage()
		return errUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage()
		return nil
	case "setup":
		fs := newFlags("git setup", stderr)
		dir := fs.String("C", ".", "a `dir` inside the git repository to set up")
		if err := parseFlags(fs, args[1:], false); err != nil {
			return err
		}
		self, err := os.Executable()
		if err != nil {
			return fmt.Errorf("finding the cwnb binary: %w", err)
		}
		if r, err := filepath.EvalSymlinks(self); err == nil {
			self = r
		}
		changes, err := nbdiff.Setup(ctx, *dir, self)
		if err != nil {
			return err
		}
		if len(changes) == 0 {
			fmt.Fprintln(stdout, "notebook diffs already set up")
		}
		for _, c := range changes {
			fmt.Fprintln(stdout, c)
		}
		return nil
	case "textconv":
		if len(args) != 2 {
			fmt.Fprintln(stderr, "usage: cwnb git textconv FILE")
			return errUsage
		}
		data, err := os.ReadFile(args[1])
		if err != nil {
			return err
		}
		err = nbdiff.Textconv(stdout, args[1], data)
		if errors.Is(err, nbdiff.ErrNotNotebook) {
			// git diff must still show something: the file as it is, after a note.
			fmt.Fprintf(stdout, "## cwnb git textconv: %v; the raw file follows\n", err)
			_, err = stdout.Write(data)
		}
		return err
	}
	fmt.Fprintf(stderr, "cwnb git: unknown subcommand %q\n", args[0])
	usage()
	return errUsage
}
