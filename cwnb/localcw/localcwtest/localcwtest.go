// Package localcwtest starts the local CloudWatch for tests and builds real aws-sdk-go-v2
// CloudWatch clients that talk to it over loopback HTTP.
//
//	srv, url := localcwtest.Start(t, localcw.Options{Now: now})
//	client := localcwtest.Client(t, url)
//	_, err := client.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{...})
//	t.Log(srv.Calls("PutMetricData"))
package localcwtest

import (
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"

	"github.com/cwnb/cwnb/cwnb/localcw"
)

// Region is the region Client configures; the local CloudWatch accepts any.
const Region = "us-east-1"

// Start serves a new local CloudWatch configured by opts on a free 127.0.0.1 port, through the
// same http.Server as `cwnb local` (Server.HTTPServer with DefaultTimeouts), and returns it with
// its base URL ("http://127.0.0.1:PORT"). The server is closed by t.Cleanup.
func Start(t testing.TB, opts localcw.Options) (*localcw.Server, string) {
	t.Helper()
	srv := localcw.New(opts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("localcwtest: listen on 127.0.0.1: %v", err)
	}
	hs := httptest.NewUnstartedServer(nil)
	hs.Config = srv.HTTPServer(localcw.Timeouts{}) // the timeouts and cancellation of `cwnb local`
	hs.Listener.Close()
	hs.Listener = ln
	hs.Start()
	t.Cleanup(hs.Close)
	return srv, hs.URL
}

// Client returns a real *cloudwatch.Client for the local CloudWatch at url: static dummy
// credentials, region us-east-1, BaseEndpoint url, the SDK's default retryer, and the SDK's
// default HTTP transport wrapped by localcw.ClientTransport, so that keep-alive connections
// survive a race between smithy-go and net/http (see ClientTransport) and call counts hold only
// the requests a test made. optFns adjust the options further (for example to turn retries off
// with aws.NopRetryer).
func Client(t testing.TB, url string, optFns ...func(*cloudwatch.Options)) *cloudwatch.Client {
	t.Helper()
	opts := cloudwatch.Options{
		Region:       Region,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDLOCALCW", "local-cloudwatch-secret", ""),
		BaseEndpoint: aws.String(url),
		HTTPClient:   &http.Client{Transport: localcw.ClientTransport(awshttp.NewBuildableClient().GetTransport())},
	}
	return cloudwatch.New(opts, optFns...)
}
