package chart

import (
	"encoding/base64"
	"encoding/gob"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cwnb/cwnb/cwnb/internal/nbout"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// TestDisplayGoNB plays the GoNB kernel: it creates the two named pipes a cell process gets
// ($GONB_PIPE, $GONB_PIPE_BACK), reads what Display sends, and checks that one display_data
// message carries the whole bundle and that Display returns without waiting for a browser.
func TestDisplayGoNB(t *testing.T) {
	dir := t.TempDir()
	out, back := filepath.Join(dir, "gonb_pipe"), filepath.Join(dir, "gonb_pipe_back")
	for _, p := range []string{out, back} {
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Skipf("named pipes unavailable: %v", err)
		}
	}
	t.Setenv(protocol.GONB_PIPE_ENV, out)
	t.Setenv(protocol.GONB_PIPE_BACK_ENV, back)
	gonbui.IsNotebook = true
	t.Cleanup(func() { gonbui.IsNotebook = false })
	timeout := nbout.SyncTimeout
	nbout.SyncTimeout = 100 * time.Millisecond // the stand-in GoNB below does not acknowledge syncs
	t.Cleanup(func() { nbout.SyncTimeout = timeout })

	got := make(chan *protocol.DisplayData, 2)
	errs := make(chan error, 2)
	go func() { // the kernel's side of $GONB_PIPE
		f, err := os.OpenFile(out, os.O_RDONLY, 0)
		if err != nil {
			errs <- err
			return
		}
		defer f.Close()
		dec := gob.NewDecoder(f)
		for {
			var d protocol.DisplayData
			if err := dec.Decode(&d); err != nil {
				return
			}
			if _, sync := d.Data[protocol.MIMECommValue]; sync {
				continue // nbout's sync with GoNB, which this stand-in does not answer
			}
			got <- &d
		}
	}()
	go func() { // the kernel's side of $GONB_PIPE_BACK: opened, never written
		f, err := os.OpenFile(back, os.O_WRONLY, 0)
		if err != nil {
			errs <- err
			return
		}
		t.Cleanup(func() { f.Close() })
	}()

	c, err := Bars(demoCategories(), WithMode(Both))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Display() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case err := <-errs:
		t.Fatal(err)
	case <-time.After(60 * time.Second):
		t.Fatal("Display blocked")
	}
	// Two messages: the picture (image/png + text/plain), then the live chart (text/html) that
	// names the picture instead of repeating it.
	var msgs []*protocol.DisplayData
	for len(msgs) < 2 {
		select {
		case d := <-got:
			msgs = append(msgs, d)
		case <-time.After(30 * time.Second):
			t.Fatalf("%d display_data messages arrived on $GONB_PIPE, want 2", len(msgs))
		}
	}
	pic, live := msgs[0], msgs[1]
	raw, ok := pic.Data[protocol.MIMEImagePNG].([]byte)
	if !ok {
		t.Fatalf("image/png is %T, want []byte (GoNB base64-encodes it for Jupyter)", pic.Data[protocol.MIMEImagePNG])
	}
	if pic.Data[protocol.MIMETextPlain] != c.Text() {
		t.Errorf("text/plain = %q", pic.Data[protocol.MIMETextPlain])
	}
	if pic.Data[protocol.MIMETextHTML] != nil {
		t.Error("the picture's message also carries text/html")
	}
	h, _ := live.Data[protocol.MIMETextHTML].(string)
	if !strings.Contains(h, `class="cwnb-option"`) || strings.Contains(h, "data:image/png") {
		t.Errorf("the live message is not the interactive chart without the picture: %.200q", h)
	}
	if live.Data[protocol.MIMEImagePNG] != nil {
		t.Error("the live message repeats image/png")
	}
	ref := regexp.MustCompile(`data-cwnb-image="([^"]+)"`).FindStringSubmatch(h)
	if ref == nil || !strings.Contains(base64.StdEncoding.EncodeToString(raw), ref[1]) {
		t.Errorf("the live chart does not name the picture by a piece of its base64: %v", ref)
	}

	// A chart that fails to render shows its error in the cell.
	bad := &Chart{title: "bad", opts: Options{Width: 300, Height: 200, PNGScale: 1, Mode: Mode(42)}}
	err = bad.Display()
	if err == nil {
		t.Fatal("a chart with an invalid mode displayed without error")
	}
	select {
	case d := <-got:
		if s, _ := d.Data[protocol.MIMETextPlain].(string); s != err.Error() {
			t.Errorf("error display shows %q, want %q", s, err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the render error was not displayed")
	}
}
