package nbdiff

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Driver is the name of the git diff driver, as .gitattributes refers to it.
const Driver = "cwnb-ipynb"

// Attribute is the .gitattributes line that selects the driver for every notebook.
const Attribute = "*.ipynb diff=" + Driver

// Setup registers the textconv filter in the git repository that holds dir: the repository's
// own config (never the user's global one) gets diff.cwnb-ipynb.textconv = '<command>' git
// textconv, where command is the absolute path of the cwnb binary, and the repository's top-level
// .gitattributes gets Attribute unless a line already sets it. It is idempotent and reports what
// it changed, one line each, in changes.
func Setup(ctx context.Context, dir, command string) (changes []string, err error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, fmt.Errorf("git is not on PATH; install git to set up notebook diffs")
	}
	if !filepath.IsAbs(command) {
		return nil, fmt.Errorf("cwnb command path %q is not absolute; git runs the filter from any directory", command)
	}
	top, err := gitOut(ctx, dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, fmt.Errorf("%s is not inside a git repository (run `cwnb git setup` in a clone): %w", dir, err)
	}
	want := shellQuote(command) + " git textconv"
	key := "diff." + Driver + ".textconv"
	if cur, _ := gitOut(ctx, top, "config", "--local", "--get", key); cur != want {
		if _, err := gitOut(ctx, top, "config", "--local", key, want); err != nil {
			return nil, err
		}
		changes = append(changes, fmt.Sprintf("git config %s = %s", key, want))
	}
	attrs := filepath.Join(top, ".gitattributes")
	old, err := os.ReadFile(attrs)
	if err != nil && !os.IsNotExist(err) {
		return changes, err
	}
	if !hasAttribute(old) {
		var b bytes.Buffer
		b.Write(old)
		if len(old) > 0 && !bytes.HasSuffix(old, []byte("\n")) {
			b.WriteString("\n")
		}
		b.WriteString("# notebooks diff as text: code, text outputs, one line per chart (cwnb git setup)\n")
		b.WriteString(Attribute + "\n")
		if err := os.WriteFile(attrs, b.Bytes(), 0o644); err != nil {
			return changes, err
		}
		changes = append(changes, fmt.Sprintf("%s: added %q", attrs, Attribute))
	}
	return changes, nil
}

func hasAttribute(attrs []byte) bool {
	for _, line := range strings.Split(string(attrs), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "*.ipynb" {
			for _, a := range f[1:] {
				if a == "diff="+Driver {
					return true
				}
			}
		}
	}
	return false
}

func gitOut(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

// shellQuote quotes s for the POSIX shell git runs the filter with.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
