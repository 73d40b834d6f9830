package localcw_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
)

func TestListenRefusesRemote(t *testing.T) {
	tests := []struct {
		addr        string
		allowRemote bool
		wantErr     error
	}{
		{"127.0.0.1:0", false, nil},
		{"localhost:0", false, nil},
		{"0.0.0.0:0", false, localcw.ErrNotLoopback},
		{":0", false, localcw.ErrNotLoopback},
		{"192.0.2.1:0", false, localcw.ErrNotLoopback},
		{"0.0.0.0:0", true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.addr+"/"+strconv.FormatBool(tt.allowRemote), func(t *testing.T) {
			ln, err := localcw.Listen(tt.addr, tt.allowRemote)
			if ln != nil {
				ln.Close()
			}
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Listen(%q, %v) = %v, want %v", tt.addr, tt.allowRemote, err, tt.wantErr)
			}
		})
	}
}

// syncBuffer is a bytes.Buffer safe for the writer goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRunServesUntilCancelled(t *testing.T) {
	portFile := filepath.Join(t.TempDir(), "port")
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- localcw.Run(ctx, localcw.RunConfig{Addr: "127.0.0.1:0", PortFile: portFile, Options: localcw.Options{Now: now}}, &out)
	}()
	var port string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(portFile); err == nil && len(b) > 0 {
			port = strings.TrimSpace(string(b))
			break
		}
	}
	if port == "" {
		cancel()
		t.Fatalf("no port file; output:\n%s", out.String())
	}
	url := "http://127.0.0.1:" + port
	if !strings.Contains(out.String(), "export AWS_ENDPOINT_URL_CLOUDWATCH="+url+"\n") {
		t.Errorf("output lacks the endpoint export line:\n%s", out.String())
	}
	if err := listOnce(localcwtest.Client(t, url)); err != nil {
		t.Errorf("ListMetrics against the running server: %v", err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run returned %v after cancel, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if _, err := os.Stat(portFile); !os.IsNotExist(err) {
		t.Errorf("port file left behind: %v", err)
	}
}
