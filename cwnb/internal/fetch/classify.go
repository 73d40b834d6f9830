package fetch

import (
	"context"
	"errors"
	"net"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"
)

// retryer is the client's retryer with two changes: it counts the retries it grants, and it
// does not retry an unreachable endpoint.
type retryer struct {
	aws.Retryer
	n interface{ Add(int64) int64 }
}

// IsErrorRetryable is false for an unreachable endpoint and as the client's retryer says for the
// rest.
func (r *retryer) IsErrorRetryable(err error) bool {
	if Unreachable(err) {
		return false
	}
	return r.Retryer.IsErrorRetryable(err)
}

// RetryDelay counts a retry and asks the client's retryer for its delay.
func (r *retryer) RetryDelay(attempt int, err error) (time.Duration, error) {
	r.n.Add(1)
	return r.Retryer.RetryDelay(attempt, err)
}

// GetAttemptToken delegates to the client's retryer when it has the method (aws.RetryerV2).
func (r *retryer) GetAttemptToken(ctx context.Context) (func(error) error, error) {
	if v2, ok := r.Retryer.(aws.RetryerV2); ok {
		return v2.GetAttemptToken(ctx)
	}
	return r.Retryer.GetInitialToken(), nil
}

// Unreachable reports whether err says that nothing answers at the endpoint: a refused or
// failed connection, or a host name that does not resolve.
func Unreachable(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// Unreached returns, for an error of an unreachable endpoint, where the request went (scheme
// and host; "" if the error does not say) and the part of the error worth showing: the failed
// dial, else the innermost error.
func Unreached(err error) (endpoint string, cause error) {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil && u.Host != "" {
			endpoint = u.Scheme + "://" + u.Host
		}
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return endpoint, op
	}
	return endpoint, RootCause(err)
}

// RootCause is the innermost error of a chain of single wraps, the part worth showing.
func RootCause(err error) error {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err
		}
		err = u
	}
}

// credentialCodes are the error codes of requests whose credentials were refused.
var credentialCodes = map[string]bool{
	"ExpiredToken": true, "ExpiredTokenException": true, "RequestExpired": true,
	"InvalidClientTokenId": true, "UnrecognizedClientException": true, "InvalidAccessKeyId": true,
	"SignatureDoesNotMatch": true, "InvalidSignatureException": true, "IncompleteSignature": true,
	"MissingAuthenticationToken": true, "MissingAuthenticationTokenException": true,
}

// Classify returns the sentinel that describes err: ErrUnreachable, ErrCredentials,
// ErrCallTimeout, ErrRepeatedToken, or nil for any other error.
func Classify(err error) error {
	var ae smithy.APIError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrCallTimeout):
		return ErrCallTimeout
	case errors.Is(err, ErrRepeatedToken):
		return ErrRepeatedToken
	case Unreachable(err):
		return ErrUnreachable
	case errors.As(err, &ae) && credentialCodes[ae.ErrorCode()]:
		return ErrCredentials
	}
	return nil
}
