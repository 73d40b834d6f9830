package cwnb

import (
	"fmt"
	"html"
	"io"
	"os"
	"sync"
	"time"

	"github.com/cwnb/cwnb/cwnb/internal/nbout"

	"github.com/janpfeifer/gonb/gonbui"
	"golang.org/x/term"
)

// progressMode says where a slow load reports progress.
type progressMode int

const (
	// progressAuto shows progress in the notebook when running under GoNB, else on os.Stderr
	// when it is a terminal and CI is not set. Nothing is shown for a load faster than a second.
	progressAuto progressMode = iota
	// progressOff shows nothing (Options.NoProgress).
	progressOff
	// progressStderr writes progress lines to Options.Stderr (one line per update, no terminal
	// control codes unless it is a terminal).
	progressStderr
)

// progressDelay is how long a load runs before progress appears.
var progressDelay = time.Second

// progress reports what a load is doing while it runs: calls made out of calls planned, retries,
// queries the cache answered, seconds. In the notebook every load opens one output block, fast or
// slow (gonbui.UpdateHTML sends display_data, then update_display_data, which needs no browser
// round-trip and which nbconvert applies too); a slow load shows its progress there, and at its
// end every load replaces it with one line that says what was loaded and nothing about the run,
// so that re-running a notebook on the same data, cold or from the cache, saves the same bytes.
// On a terminal it rewrites one stderr line with \r and ends with a line that says what the load
// did (calls, retries, cache hits, seconds, cost).
type progress struct {
	mu       sync.Mutex
	mode     progressMode
	w        io.Writer
	tty      bool
	notebook bool
	id       string
	began    time.Time
	total    int
	hits     int
	calls    int
	retried  int
	cost     float64 // of this run, known at the end
	shown    bool
	last     time.Time
}

func newProgress(o Options, jobs, hits int) *progress {
	mode := progressAuto
	switch {
	case o.NoProgress:
		mode = progressOff
	case o.Stderr != nil:
		mode = progressStderr
	}
	w := o.Stderr
	if w == nil {
		w = os.Stderr
	}
	p := &progress{mode: mode, w: w, total: jobs, hits: hits, began: time.Now()}
	if f, ok := w.(*os.File); ok {
		p.tty = term.IsTerminal(int(f.Fd()))
	}
	switch mode {
	case progressOff:
		p.w = nil
	case progressAuto:
		if gonbui.IsNotebook {
			p.notebook = true
			p.id = "cwnb-progress-" + gonbui.UniqueId()
			p.w = nil
			// Every load opens its block, fast or slow, cold or cached, so that the notebook
			// saves the same outputs whatever the run did.
			nbout.OpenHTML(p.id, "")
		} else if !p.tty || os.Getenv("CI") != "" {
			p.w = nil
		}
	}
	return p
}

func (p *progress) active() bool { return p != nil && (p.notebook || p.w != nil) }

// step records one call.
func (p *progress) step() {
	if !p.active() {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls++
	now := time.Now()
	if now.Sub(p.began) < progressDelay || now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last = now
	p.shown = true
	p.show(false)
}

// retries records how many retries the calls needed.
func (p *progress) retries(n int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.retried = n
}

func (p *progress) text(final bool) string {
	el := time.Since(p.began).Round(100 * time.Millisecond)
	did := fmt.Sprintf("%d calls, %d retries, %d queries from the cache, %v", p.calls, p.retried, p.hits, el)
	if final {
		return fmt.Sprintf("cwnb: loaded: %s, est. $%s", did, fmtCost(p.cost))
	}
	return fmt.Sprintf("cwnb: loading… %s (%d batches planned, pages add calls)", did, p.total)
}

func (p *progress) show(final bool) {
	t := p.text(final)
	switch {
	case p.notebook:
		gonbui.UpdateHTML(p.id, "<small style=\"color:#666\">"+html.EscapeString(t)+"</small>")
	case p.w != nil && p.tty:
		end := ""
		if final {
			end = "\n"
		}
		fmt.Fprintf(p.w, "\r\x1b[K%s%s", t, end)
	case p.w != nil:
		fmt.Fprintln(p.w, t)
	}
}

// done ends the progress display of a load whose calls cost cost. On a terminal that showed
// progress it writes the final line; in the notebook it replaces the block with final, the
// deterministic line of the result ("" for a failed load).
func (p *progress) done(cost float64, final string) {
	if !p.active() {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cost = cost
	switch {
	case p.notebook && final == "":
		gonbui.UpdateHTML(p.id, "")
	case p.notebook:
		gonbui.UpdateHTML(p.id, "<small style=\"color:#666\">"+html.EscapeString(final)+"</small>")
	case p.shown:
		p.show(true)
	}
}
