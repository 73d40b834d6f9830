package cwnb

import (
	"context"
	"encoding/gob"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
)

// TestNotebookProgressBecomesTheResult runs a cell the way GoNB does: a process whose display
// messages go down GoNB's pipe (gob-encoded protocol.DisplayData). A slow, cold load shows its
// progress in one output block, empties it at the end, and Display fills that same block with
// the result; a second run served by the cache shows no progress and displays the same bundle.
// So the notebook saves the same outputs either way.
func TestNotebookProgressBecomesTheResult(t *testing.T) {
	if os.Getenv("CWNB_TEST_CELL") != "" {
		runCell(t)
		return
	}
	dir := t.TempDir()
	faults, _ := localcw.ParseFaults("latency=300ms")
	_, url := localcwtest.Start(t, localcw.Options{Now: testNow, Faults: faults})
	putRamp(t, url, testNow.Add(-10*time.Hour), 10, nil)
	cache := t.TempDir()
	cell := func() []protocol.DisplayData {
		toGoNB, fromGoNB := filepath.Join(dir, "out"), filepath.Join(dir, "in")
		for _, p := range []string{toGoNB, fromGoNB} {
			os.Remove(p)
			if err := syscall.Mkfifo(p, 0o600); err != nil {
				t.Skipf("no named pipes here: %v", err)
			}
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestNotebookProgressBecomesTheResult$", "-test.count=1")
		cmd.Env = append(os.Environ(), "CWNB_TEST_CELL="+url, "CWNB_TEST_CACHE="+cache,
			protocol.GONB_PIPE_ENV+"="+toGoNB, protocol.GONB_PIPE_BACK_ENV+"="+fromGoNB)
		out := &strings.Builder{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() {
			exited <- cmd.Wait()
			// Should the cell die before it opens its pipe, a writer of our own ends our wait.
			if f, err := os.OpenFile(toGoNB, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
				f.Close()
			}
		}()
		timer := time.AfterFunc(2*time.Minute, func() { cmd.Process.Kill() })
		defer timer.Stop()
		r, err := os.OpenFile(toGoNB, os.O_RDONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		w, err := os.OpenFile(fromGoNB, os.O_RDWR, 0) // Linux: does not wait for the cell
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		var msgs []protocol.DisplayData
		dec := gob.NewDecoder(r)
		for {
			var m protocol.DisplayData
			if dec.Decode(&m) != nil {
				break
			}
			msgs = append(msgs, m)
		}
		if err := <-exited; err != nil {
			t.Fatalf("cell: %v\n%s", err, out)
		}
		return msgs
	}
	cold, warm := cell(), cell()
	if len(cold) < 3 {
		t.Fatalf("cold run sent %d messages, want progress, its clearing and the result", len(cold))
	}
	last := cold[len(cold)-1]
	id := cold[0].DisplayID
	if !strings.HasPrefix(id, "cwnb-progress-") || !strings.Contains(cold[0].Data[protocol.MIMETextHTML].(string), "loading") {
		t.Errorf("first message %+v is not the progress block", cold[0])
	}
	if cleared := cold[len(cold)-2]; cleared.DisplayID != id || cleared.Data[protocol.MIMETextHTML] != "" {
		t.Errorf("the progress block was not emptied: %+v", cleared)
	}
	if last.DisplayID != id || !strings.Contains(last.Data[protocol.MIMETextPlain].(string), "Latency Average") {
		t.Errorf("Display did not fill the progress block: %+v", last)
	}
	if len(warm) != 1 || warm[0].DisplayID != "" {
		t.Fatalf("cached run sent %+v, want one display", warm)
	}
	for _, mime := range []protocol.MIMEType{protocol.MIMETextPlain, protocol.MIMETextHTML} {
		if warm[0].Data[mime] != last.Data[mime] {
			t.Errorf("%s differs between the cold and the cached run:\n%v\n%v", mime, last.Data[mime], warm[0].Data[mime])
		}
	}
}

// runCell is the cell's process: a load with progress in the notebook, then Display.
func runCell(t *testing.T) {
	if !gonbui.IsNotebook {
		t.Fatal("GONB_PIPE is not seen")
	}
	progressDelay = 0
	c := localcwtest.Client(t, os.Getenv("CWNB_TEST_CELL"))
	res, err := Load(context.Background(), checkout.Window(testNow.Add(-10*time.Hour).Format(time.RFC3339), "10m"),
		WithClient(c), WithCacheDir(os.Getenv("CWNB_TEST_CACHE")), WithRegion("us-east-1"), WithSuggest(false),
		func(o *Options) { o.Now = func() time.Time { return testNow } })
	if err != nil {
		t.Fatal(err)
	}
	res.Display()
}
