package localcw_test

import (
	"context"
	"errors"
	"os/exec"
	"testing"
	"time"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
)

// TestParityBotocore runs testdata/parity.py against a local CloudWatch on 127.0.0.1: the issue
// 11 checks through botocore over awsJson1_0 and over Smithy RPC v2 CBOR, and through the AWS
// CLI v1, clients no one in this project wrote. The script publishes its samples, computes the
// expected answers itself and exits 1 on any mismatch. It uses the python3 on PATH (the image's
// Python with boto3/botocore; Debian's /usr/bin/python3 has no botocore) and skips, saying
// why, only when that Python or its botocore is missing.
func TestParityBotocore(t *testing.T) {
	if testing.Short() {
		t.Skip("parity suite through botocore skipped in -short mode")
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not on PATH: the botocore parity suite needs the image's Python 3.11 with boto3")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, py, "-c", "import boto3, botocore").CombinedOutput(); err != nil {
		t.Skipf("%s cannot import boto3/botocore (%v): the parity suite needs them; %s", py, err, out)
	}
	_, url := localcwtest.Start(t, localcw.Options{Now: now})
	cmd := exec.CommandContext(ctx, py, "testdata/parity.py", "--endpoint", url, "--now", now.Format(time.RFC3339), "--cli")
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 3 {
		t.Skipf("parity.py: %s", out)
	}
	if err != nil {
		t.Fatalf("parity.py failed (%v):\n%s", err, out)
	}
	t.Logf("parity.py:\n%s", out)
}
