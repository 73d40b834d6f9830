package report

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// BrowserOptions configures CheckInBrowser.
type BrowserOptions struct {
	// Chromium is the browser binary; "" means the first of chromium, chromium-browser,
	// google-chrome on PATH (or /usr/bin/chromium).
	Chromium string
	// Budget is the virtual time the page gets to load and draw; 0 means 15 s. Virtual time
	// advances as fast as the page allows, so a fast page takes far less wall time.
	Budget time.Duration
	// Timeout limits the wall time of one check; 0 means 90 s.
	Timeout time.Duration
}

// BrowserResult is what a page looked like after it loaded.
type BrowserResult struct {
	Charts      int      // chart elements on the page
	Interactive int      // charts ECharts drew (data-cwnb-state="interactive")
	Static      int      // charts that are static images by design (no ECharts option)
	NotDrawn    []string // ids of charts that carry an option but did not draw
	Console     []string // console messages and page errors Chromium reported
	DOM         string   // the serialized DOM after loading
}

// ErrNoBrowser reports that no Chromium is installed.
var ErrNoBrowser = errors.New("no chromium")

var (
	chartTagRE = regexp.MustCompile(`<div\b[^>]*\bclass="cwnb-chart"[^>]*>`)
	attrRE     = regexp.MustCompile(`\b(id|data-cwnb-state)="([^"]*)"`)
	consoleRE  = regexp.MustCompile(`CONSOLE\(\d+\)\] (.*)|Uncaught .*`)
)

// CheckInBrowser opens the HTML file at path in headless Chromium with the network off (a proxy
// that refuses connections, host names resolving nowhere), lets it run, and reports the state of
// its charts. The error lists the charts that should have drawn and did not, with the console
// messages that explain why; a page without charts is not an error (compare Charts with what
// you expect).
func CheckInBrowser(ctx context.Context, path string, opts BrowserOptions) (BrowserResult, error) {
	var res BrowserResult
	bin, err := findChromium(opts.Chromium)
	if err != nil {
		return res, err
	}
	if opts.Budget <= 0 {
		opts.Budget = 15 * time.Second
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 90 * time.Second
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return res, err
	}
	if _, err := os.Stat(abs); err != nil {
		return res, err
	}
	profile, err := os.MkdirTemp("", "cwnb-chromium-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(profile)

	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
		"--host-resolver-rules=MAP * ~NOTFOUND",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-default-apps", "--disable-extensions", "--no-first-run", "--no-default-browser-check",
		"--metrics-recording-only", "--mute-audio", "--hide-scrollbars",
		"--user-data-dir="+profile,
		"--enable-logging=stderr", "--v=0",
		"--window-size=1280,2000",
		fmt.Sprintf("--virtual-time-budget=%d", opts.Budget.Milliseconds()),
		"--dump-dom", "file://"+filepath.ToSlash(abs))
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return res, fmt.Errorf("chromium did not finish loading %s within %v", path, opts.Timeout)
		}
		return res, fmt.Errorf("chromium on %s: %w\n%s", path, err, indent(lastLines(stderr.String(), 30)))
	}
	res.DOM = stdout.String()
	if !strings.Contains(res.DOM, "<body") && !strings.Contains(res.DOM, "<html") {
		return res, fmt.Errorf("chromium printed no DOM for %s:\n%s", path, indent(lastLines(stderr.String(), 30)))
	}
	for _, m := range consoleRE.FindAllStringSubmatch(stderr.String(), -1) {
		msg := m[1]
		if msg == "" {
			msg = m[0]
		}
		res.Console = append(res.Console, msg)
	}
	for _, tag := range chartTagRE.FindAllString(res.DOM, -1) {
		res.Charts++
		var id, state string
		for _, a := range attrRE.FindAllStringSubmatch(tag, -1) {
			switch a[1] {
			case "id":
				id = a[2]
			case "data-cwnb-state":
				state = a[2]
			}
		}
		switch state {
		case "interactive":
			res.Interactive++
		case "static":
			if chartHasOption(res.DOM, id) {
				res.NotDrawn = append(res.NotDrawn, id)
			} else {
				res.Static++
			}
		default:
			res.NotDrawn = append(res.NotDrawn, id)
		}
	}
	if len(res.NotDrawn) > 0 {
		msg := fmt.Sprintf("%s: %d of %d charts did not draw offline: %s", path, len(res.NotDrawn), res.Charts, strings.Join(res.NotDrawn, ", "))
		if len(res.Console) > 0 {
			msg += "\nbrowser console:\n" + indent(strings.Join(res.Console, "\n"))
		}
		return res, errors.New(msg)
	}
	return res, nil
}

// chartHasOption reports whether the chart element with this id carries an ECharts option, that
// is, whether it was meant to draw live.
func chartHasOption(dom, id string) bool {
	i := strings.Index(dom, `id="`+id+`"`)
	if i < 0 {
		return false
	}
	rest := dom[i:]
	if j := strings.Index(rest[1:], `class="cwnb-chart"`); j >= 0 {
		rest = rest[:j+1]
	}
	return strings.Contains(rest, interactiveMarker)
}

func findChromium(bin string) (string, error) {
	if bin != "" {
		return exec.LookPath(bin)
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w: no chromium, chromium-browser or google-chrome on PATH; install it (Debian: apt-get install chromium)", ErrNoBrowser)
}
