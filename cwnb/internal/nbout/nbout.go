// Package nbout sends display outputs to a GoNB notebook in order with the cell's standard
// output.
//
// GoNB copies a cell program's stdout to Jupyter in one goroutine and its display messages in
// another, so a display sent right after a fmt.Println may be saved before the printed line, or
// after a line printed later: the saved notebook then differs between two runs on the same data.
// Open gives stdout time to drain before a display that creates an output, and waits (gonbui.Sync)
// until GoNB has published it before the cell goes on.
package nbout

import (
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// SyncTimeout bounds the wait for GoNB's acknowledgement: a GoNB that never answers (an older
// one, or a test's stand-in) costs this much per output, not a hung cell.
var SyncTimeout = 2 * time.Second

// Settle is how long stdout is given to reach Jupyter before a new output is created: GoNB's
// copy of the pipe wakes as soon as the program writes, so this is a margin for a busy machine.
var Settle = 50 * time.Millisecond

// Send creates one output from data, after what the cell printed before it and before what it
// prints next. Outside a notebook it does nothing.
func Send(data *protocol.DisplayData) {
	if !gonbui.IsNotebook {
		return
	}
	time.Sleep(Settle)
	gonbui.SendData(data)
	sync()
}

// OpenHTML creates the updatable output id with html content (gonbui.UpdateHTML's first call),
// in order as Send does; later gonbui.UpdateHTML calls replace its content in place.
func OpenHTML(id, html string) {
	if !gonbui.IsNotebook {
		return
	}
	time.Sleep(Settle)
	gonbui.UpdateHTML(id, html)
	sync()
}

// sync waits until GoNB has handled everything sent so far, for at most SyncTimeout.
func sync() {
	done := make(chan struct{})
	go func() {
		gonbui.Sync()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(SyncTimeout):
	}
}
