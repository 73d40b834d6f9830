package localcw

import (
	"net/http"

	"github.com/cwnb/cwnb/cwnb/internal/sdkhttp"
)

// ClientTransport returns the http.RoundTripper an aws-sdk-go-v2 client of the local CloudWatch
// should use: base (nil: http.DefaultTransport) with every request body handed to it as a plain
// io.ReadCloser.
//
// It works around a race in the client, not in the server. smithy-go (v1.28.8 and earlier) wraps
// a request body in a reader whose WriteTo returns io.EOF once the body is closed, and the SDK
// closes the body as soon as the response headers arrive. net/http, after writing the
// Content-Length bytes of a body, drains it with io.Copy to check that nothing is left over; that
// io.Copy calls WriteTo. When the server answers before the transport's write goroutine gets to
// that check (a fast server over loopback does, often), the check fails with io.EOF, net/http
// takes it for a failed request write and closes the keep-alive connection while the response
// body is still being read: the caller sees "use of closed network connection" and the SDK
// retries a request the server already answered. Without WriteTo, the drain reads the closed body
// through Read, which ends with a plain io.EOF, and the connection stays up. Any server can
// trigger the race; a remote one rarely does, because the answer takes a round trip.
func ClientTransport(base http.RoundTripper) http.RoundTripper {
	return sdkhttp.Transport(base)
}
