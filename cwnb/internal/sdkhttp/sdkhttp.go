// Package sdkhttp holds the HTTP transport that cwnb's aws-sdk-go-v2 clients use, shared by the
// loader and the local CloudWatch's test kit.
package sdkhttp

import (
	"io"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

// Transport returns base (nil: http.DefaultTransport) with every request body handed to it as a
// plain io.ReadCloser.
//
// It works around a race in the SDK's client, not in any server. smithy-go (v1.28.8 and earlier)
// wraps a request body in a reader whose WriteTo returns io.EOF once the body is closed, and the
// SDK closes the body as soon as the response headers arrive. net/http, after writing the
// Content-Length bytes of a body, drains it with io.Copy to check that nothing is left over; that
// io.Copy calls WriteTo. When the server answers before the transport's write goroutine gets to
// that check (a fast server over loopback often does), the check fails with io.EOF, net/http takes
// it for a failed request write and closes the keep-alive connection while the response body is
// still being read: the caller sees "use of closed network connection" and the SDK retries a
// request the server already answered. Without WriteTo, the drain reads the closed body through
// Read, which ends with a plain io.EOF, and the connection stays up.
func Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return readOnlyBodies{base}
}

// Wrap returns the SDK's own client c with its transport behind Transport. c is normally the
// awshttp.BuildableClient that config.LoadDefaultConfig configured (custom CA bundle, proxies,
// timeouts); the result keeps that transport and the SDK's rule of never following redirects. A
// client of another type is the caller's own choice and is returned as it is.
func Wrap(c aws.HTTPClient) aws.HTTPClient {
	bc, ok := c.(*awshttp.BuildableClient)
	if !ok {
		return c
	}
	return &http.Client{
		Transport:     Transport(bc.GetTransport()),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// readOnlyBodies is the RoundTripper of Transport.
type readOnlyBodies struct{ base http.RoundTripper }

// RoundTrip sends req through the base transport with its body, if any, stripped of every method
// but Read and Close.
func (t readOnlyBodies) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return t.base.RoundTrip(req)
	}
	r := req.Clone(req.Context()) // a RoundTripper must not modify the caller's request
	r.Body = readCloser{req.Body}
	return t.base.RoundTrip(r)
}

// readCloser hides every method of the body but Read and Close (in particular io.WriterTo).
type readCloser struct{ io.ReadCloser }
