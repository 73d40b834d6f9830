package logs

import (
	"fmt"
	"html"
	"io"
	"time"

	"github.com/cwnb/cwnb/cwnb/internal/nbout"

	"github.com/janpfeifer/gonb/gonbui"
)

// progress shows a slow load's state: in a GoNB notebook one output block updated in place and
// cleared at the end (so that a committed notebook's output does not depend on timing), and
// one line per finished query on Options.Progress. Nothing shows for the first second.
type progress struct {
	w        io.Writer
	notebook bool
	id       string
	began    time.Time
	shown    bool
	last     time.Time
}

// newProgress opens the load's block in the notebook. Every load opens one, whether CloudWatch
// Logs or the cache answers, and leaves it empty at the end, so that a notebook saves the same
// outputs whatever the run did.
func newProgress(w io.Writer) *progress {
	p := &progress{w: w, began: time.Now()}
	if gonbui.IsNotebook {
		p.notebook = true
		p.id = "cwnb-logs-progress-" + gonbui.UniqueId()
		nbout.OpenHTML(p.id, "")
	}
	return p
}

// running reports a query still running over window, with the records it has read so far.
func (p *progress) running(window string, queries int, scanned float64) {
	if !p.notebook {
		return
	}
	now := time.Now()
	if now.Sub(p.began) < time.Second || now.Sub(p.last) < 500*time.Millisecond {
		return
	}
	p.last, p.shown = now, true
	text := fmt.Sprintf("cwnb logs: query %d (%s) running… %.0f records read, %v", queries, window, scanned, now.Sub(p.began).Round(100*time.Millisecond))
	gonbui.UpdateHTML(p.id, "<small>"+html.EscapeString(text)+"</small>")
}

// finished reports one query's rows.
func (p *progress) finished(window string, rows int) {
	if p.w != nil {
		fmt.Fprintf(p.w, "logs: %s: %d rows\n", window, rows)
	}
}

// done clears the notebook block.
func (p *progress) done() {
	if p.notebook && p.shown {
		gonbui.UpdateHTML(p.id, "")
	}
}
