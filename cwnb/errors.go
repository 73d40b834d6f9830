package cwnb

import (
	"errors"

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
