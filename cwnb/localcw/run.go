package localcw

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// DefaultAddr is the address `cwnb local` listens on by default: loopback, port 4582 (the port
// LocalStack once used for CloudWatch, so that it does not collide with LocalStack's 4566).
const DefaultAddr = "127.0.0.1:4582"

// ErrNotLoopback reports a listen address that is not a loopback address.
var ErrNotLoopback = errors.New("not a loopback address")

// Listen listens on addr. Unless allowRemote is true, addr must name a loopback host
// (127.0.0.0/8, ::1 or localhost): the server has no authentication, so exposing it to the
// network is opt-in. Port 0 picks a free port.
func Listen(addr string, allowRemote bool) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("listen address %q: %w; write host:port, e.g. %s", addr, err, DefaultAddr)
	}
	if !allowRemote && !isLoopback(host) {
		return nil, fmt.Errorf("listen address %q: %w; the local CloudWatch has no authentication, so use 127.0.0.1 or pass -allow-remote to expose it", addr, ErrNotLoopback)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}

// remoteWarning is the banner's warning for a listen address beyond loopback (-allow-remote):
// the server has no authentication. "" for a loopback address.
func remoteWarning(addr string) string {
	if host, _, err := net.SplitHostPort(addr); err == nil && isLoopback(host) {
		return ""
	}
	return fmt.Sprintf("# WARNING: listening on %s beyond loopback with NO AUTHENTICATION: anyone who can reach\n"+
		"# this address can read and write its metrics. Use -allow-remote only on a trusted network.\n", addr)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// RunConfig configures Run.
type RunConfig struct {
	Addr        string // listen address; "" is DefaultAddr
	AllowRemote bool   // allow a non-loopback Addr
	PortFile    string // when set, the chosen port is written there once listening, removed on exit
	Options     Options
	Timeouts    Timeouts // zero fields take DefaultTimeouts
}

// Run serves a local CloudWatch until ctx is cancelled, then shuts down gracefully. Once
// listening it writes to stdout a shell snippet: comment lines ("# listening on http://...")
// and the export lines that point an SDK or the AWS CLI at the server.
func Run(ctx context.Context, cfg RunConfig, stdout io.Writer) error {
	addr := cfg.Addr
	if addr == "" {
		addr = DefaultAddr
	}
	if err := cfg.Options.Faults.Validate(); err != nil {
		return err
	}
	ln, err := Listen(addr, cfg.AllowRemote)
	if err != nil {
		return err
	}
	srv := New(cfg.Options)
	hs := srv.HTTPServer(cfg.Timeouts)
	url := "http://" + ln.Addr().String()
	if cfg.PortFile != "" {
		port := ln.Addr().(*net.TCPAddr).Port
		if err := os.WriteFile(cfg.PortFile, []byte(strconv.Itoa(port)+"\n"), 0o644); err != nil {
			ln.Close()
			return fmt.Errorf("write -port-file: %w", err)
		}
		defer os.Remove(cfg.PortFile)
	}
	fmt.Fprint(stdout, remoteWarning(ln.Addr().String()))
	fmt.Fprint(stdout, Banner(url, cfg.Options))

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	fmt.Fprintln(stdout, "# local CloudWatch stopped")
	return nil
}

// Banner is what Run prints once listening at url: the endpoint as comments and the export lines
// a shell, a kernel, the AWS CLI or boto3 needs (dummy credentials; any region works; the CLI and
// boto3 read AWS_DEFAULT_REGION, the SDKs AWS_REGION).
func Banner(url string, opts Options) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# local CloudWatch (aws-sdk-go-v2 over RPC v2 CBOR; AWS CLI and boto3 over awsJson1_0)\n")
	fmt.Fprintf(&b, "# listening on %s\n", url)
	if !opts.Now.IsZero() {
		fmt.Fprintf(&b, "# clock pinned to %s\n", opts.Now.UTC().Format(time.RFC3339))
	}
	if len(opts.Scenarios) > 0 {
		var names []string
		for _, sc := range opts.Scenarios {
			names = append(names, sc.Name())
		}
		fmt.Fprintf(&b, "# scenarios: %s\n", strings.Join(names, ", "))
	}
	if opts.Faults.Enabled() {
		fmt.Fprintf(&b, "# faults: %s\n", opts.Faults)
	}
	fmt.Fprintf(&b, "export AWS_ENDPOINT_URL_CLOUDWATCH=%s\n", url)
	fmt.Fprintf(&b, "export AWS_ACCESS_KEY_ID=local\n")
	fmt.Fprintf(&b, "export AWS_SECRET_ACCESS_KEY=local\n")
	// AWS_REGION for the SDKs, AWS_DEFAULT_REGION for the AWS CLI and boto3, which need it.
	fmt.Fprintf(&b, "export AWS_REGION=us-east-1\n")
	fmt.Fprintf(&b, "export AWS_DEFAULT_REGION=us-east-1\n")
	if !opts.Now.IsZero() {
		// The cwnb loader judges retention and complete periods by its own clock: pin it to the
		// server's, or a window that is 1-minute data here would be coarsened as too old.
		fmt.Fprintf(&b, "export CWNB_NOW=%s\n", opts.Now.UTC().Format(time.RFC3339))
	}
	return b.String()
}
