package cwnb

import (
	"errors"
	"fmt"

	"github.com/cwnb/cwnb/cwnb/internal/fetch"
)

// Sentinels of the errors a load returns, for errors.Is.
var (
	// ErrUnreachable: nothing answers at the CloudWatch endpoint (connection refused, unknown
	// host). The load fails at once instead of retrying.
	ErrUnreachable = fetch.ErrUnreachable
	// ErrCredentials: the AWS credentials are missing, expired or refused.
	ErrCredentials = fetch.ErrCredentials
	// ErrTimeout: a call took longer than Options.CallTimeout, or the load longer than
	// Options.Timeout.
	ErrTimeout = fetch.ErrCallTimeout
	// ErrWindow: the window lies in the future, or entirely beyond CloudWatch's retention
	// (455 days); nothing was asked of CloudWatch.
	ErrWindow = errors.New("window outside the data CloudWatch keeps")
	// ErrTooBig: the load is estimated to need more memory than Options.MemoryLimit allows.
	ErrTooBig = errors.New("load too big")
)

// kindError is an error whose text is a whole sentence and which wraps sentinels (and perhaps
// the error that caused it) for errors.Is and errors.As, without their texts in its own.
type kindError struct {
	text  string
	kinds []error
}

// Error returns the sentence.
func (e *kindError) Error() string { return e.text }

// Unwrap returns the sentinels and cause.
func (e *kindError) Unwrap() []error { return e.kinds }

// errorf builds a kindError wrapping kinds from a format (which takes no %w).
func errorf(kinds []error, format string, args ...any) error {
	return &kindError{text: fmt.Sprintf(format, args...), kinds: kinds}
}
