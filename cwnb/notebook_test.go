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

	"github.com/cwnb/cwnb/cwnb/internal/nbout"
	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
)

// TestNotebookOutputsSameColdOrCached runs a cell the way GoNB does: a process whose display
// messages go down GoNB's pipe (gob-encoded protocol.DisplayData). A load opens one output block;
// a slow, cold load shows its progress there; at the end the block says what was loaded, and
// Display shows the result. A second run served by the cache sends the same block and result. So
// the notebook saves the same outputs either way.
func TestNotebookOutputsSameColdOrCached(t *testing.T) {
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
		cmd := exec.Command(os.Args[0], "-test.run=^TestNotebookOutputsSameColdOrCached$", "-test.count=1")
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
			if _, sync := m.Data[protocol.MIMECommValue]; sync {
				continue // nbout's sync with GoNB, which this stand-in does not answer
			}
			msgs = append(msgs, m)
		}
		if err := <-exited; err != nil {
			t.Fatalf("cell: %v\n%s", err, out)
		}
		return msgs
	}
	cold, warm := cell(), cell()
	if len(cold) < 4 {
		t.Fatalf("cold run sent %d messages, want the block, progress, the final line and the result", len(cold))
	}
	id := cold[0].DisplayID
	if !strings.HasPrefix(id, "cwnb-progress-") || cold[0].Data[protocol.MIMETextHTML] != "" {
		t.Errorf("first message %+v does not open an empty block", cold[0])
	}
	if !strings.Contains(cold[1].Data[protocol.MIMETextHTML].(string), "cwnb: loading") || cold[1].DisplayID != id {
		t.Errorf("second message %+v is not the progress", cold[1])
	}
	final := cold[len(cold)-2]
	if final.DisplayID != id || !strings.Contains(final.Data[protocol.MIMETextHTML].(string), "cwnb: loaded with period 1m (auto): 10 rows × 1 series") {
		t.Errorf("the progress block does not end with what was loaded: %+v", final)
	}
	result := cold[len(cold)-1]
	if result.DisplayID != "" || !strings.Contains(result.Data[protocol.MIMETextPlain].(string), "Latency Average") {
		t.Errorf("Display did not show the result: %+v", result)
	}
	// Cached: the same block, with the same final line, then the same result.
	if len(warm) != 3 || warm[0].Data[protocol.MIMETextHTML] != "" || warm[1].DisplayID != warm[0].DisplayID {
		t.Fatalf("cached run sent %+v, want the block, its final line and the result", warm)
	}
	for i, pair := range [][2]protocol.DisplayData{{final, warm[1]}, {result, warm[2]}} {
		for _, mime := range []protocol.MIMEType{protocol.MIMETextPlain, protocol.MIMETextHTML} {
			if pair[0].Data[mime] != pair[1].Data[mime] {
				t.Errorf("output %d, %s differs between the cold and the cached run:\n%v\n%v", i, mime, pair[0].Data[mime], pair[1].Data[mime])
			}
		}
	}
}

// runCell is the cell's process: a load with progress in the notebook, then Display.
func runCell(t *testing.T) {
	if !gonbui.IsNotebook {
		t.Fatal("GONB_PIPE is not seen")
	}
	nbout.SyncTimeout = 100 * time.Millisecond // the stand-in GoNB does not acknowledge syncs
	progressDelay = 0
	c := localcwtest.Client(t, os.Getenv("CWNB_TEST_CELL"))
	res, err := Load(context.Background(), checkout.Window(testNow.Add(-10*time.Hour).Format(time.RFC3339), "10m"),
		withAPI(c), withCacheDir(os.Getenv("CWNB_TEST_CACHE")), withRegion("us-east-1"), func(o *Options) { o.NoSuggest = true },
		func(o *Options) { o.Now = func() time.Time { return testNow } })
	if err != nil {
		t.Fatal(err)
	}
	res.Display()
}
