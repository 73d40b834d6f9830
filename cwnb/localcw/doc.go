// Package localcw is a local CloudWatch metrics service for tests, notebooks and demos: an
// http.Handler that the real aws-sdk-go-v2 CloudWatch client talks to over loopback HTTP, with
// the protocol, validation and statistics of the real service.
//
//	srv := localcw.New(localcw.Options{Now: time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)})
//	http.ListenAndServe("127.0.0.1:4566", srv)
//
// Tests use package localcwtest, which serves it with httptest and builds clients.
//
// The package keeps three layers apart: the wire codec (internal/wire: Smithy RPC v2 CBOR), the
// operation handlers (this package: one function per operation returning an output or an
// *APIError, mapped to the HTTP response in one place), and the store (internal/store).
package localcw
