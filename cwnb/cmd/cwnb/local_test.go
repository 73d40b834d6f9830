package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestLocalBadFlags: every fault parameter is validated and the error names the flag.
func TestLocalBadFlags(t *testing.T) {
	for _, tc := range []struct{ args, want string }{
		{"-faults throttle=NaN", "-faults: fault throttle=NaN: want a probability between 0 and 1"},
		{"-faults 5xx=-0.5", "-faults: fault 5xx=-0.5"},
		{"-faults rate=Inf", "-faults: fault rate=Inf"},
		{"-faults latency=-5ms", "-faults: fault latency=-5ms"},
		{"-faults boom=1", `-faults: unknown fault "boom"`},
		{"-faults throttle=0.1,throttle=0.2", "-faults: fault throttle is given twice"},
		{"-now 2026-13-45", `-now "2026-13-45"`},
		{"-scenario nope", "-scenario"},
		{"-addr 0.0.0.0:0", "no authentication"},
		{"-max-request-datapoints 0", "-max-request-datapoints 0: give a positive count"},
		{"-max-request-datapoints -5", "-max-request-datapoints -5"},
	} {
		t.Run(tc.args, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"local"}, strings.Fields(tc.args)...), &stdout, &stderr)
			if code == 0 || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want non-zero and %q", code, stderr.String(), tc.want)
			}
		})
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader in different goroutines.
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

// TestLocalExportsWorkForAWSCLI starts `cwnb local` and runs the AWS CLI (a client no one here
// wrote) with exactly the environment the printed export lines give, plus PATH and HOME so that
// the CLI can start and no profile of the machine can supply a region: list-metrics must answer.
// Before AWS_DEFAULT_REGION was printed, the CLI failed with "You must specify a region".
func TestLocalExportsWorkForAWSCLI(t *testing.T) {
	awsCLI, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("the AWS CLI (aws) is not on PATH; install awscli to run this test")
	}
	portFile := filepath.Join(t.TempDir(), "port")
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- commands["local"].run(ctx, []string{"-addr", "127.0.0.1:0", "-port-file", portFile, "-scenario", "api"}, &out, &errOut)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("cwnb local did not stop")
		}
	})
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(portFile); err == nil && len(b) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("cwnb local did not start: %s %s", out.String(), errOut.String())
		}
	}
	// The environment: PATH (and pyenv's variables, for a pyenv-installed CLI), a HOME with no
	// AWS configuration, and the export lines exactly as printed.
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(),
		"AWS_CONFIG_FILE=/nonexistent", "AWS_SHARED_CREDENTIALS_FILE=/nonexistent", "AWS_EC2_METADATA_DISABLED=true"}
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PYENV") {
			env = append(env, kv)
		}
	}
	if os.Getenv("PYENV_ROOT") == "" && strings.Contains(awsCLI, "/.pyenv/") {
		env = append(env, "PYENV_ROOT="+awsCLI[:strings.Index(awsCLI, "/.pyenv/")+len("/.pyenv")])
	}
	exports := 0
	sc := bufio.NewScanner(strings.NewReader(out.String()))
	for sc.Scan() {
		if kv, ok := strings.CutPrefix(sc.Text(), "export "); ok {
			env = append(env, kv)
			exports++
		}
	}
	if exports == 0 || !strings.Contains(out.String(), "export AWS_DEFAULT_REGION=") {
		t.Fatalf("cwnb local printed no AWS_DEFAULT_REGION export:\n%s", out.String())
	}
	cmd := exec.Command(awsCLI, "cloudwatch", "list-metrics", "--namespace", "MyService/API", "--output", "json")
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("aws cloudwatch list-metrics with the printed environment: %v\n%s", err, stderr.String())
	}
	var lm struct {
		Metrics []struct{ Namespace, MetricName string }
	}
	if err := json.Unmarshal(stdout.Bytes(), &lm); err != nil || len(lm.Metrics) == 0 || lm.Metrics[0].Namespace != "MyService/API" {
		t.Errorf("list-metrics: %v, %s", err, stdout.String())
	}
}
