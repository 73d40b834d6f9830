package logs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/cwnb/cwnb/cwnb"
	"github.com/cwnb/cwnb/cwnb/internal/fetch"
	"github.com/cwnb/cwnb/cwnb/internal/suggest"
)

// explained is an error whose text says what happened and what to do; it wraps the call's error
// and a sentinel, for errors.Is and errors.As, without repeating their texts.
type explained struct {
	text    string
	wrapped []error
}

func (e *explained) Error() string   { return e.text }
func (e *explained) Unwrap() []error { return e.wrapped }

// groupLister is the part of the client that lists log groups, for "did you mean". The SDK's
// client has it; an API of the caller's may not.
type groupLister interface {
	DescribeLogGroups(ctx context.Context, in *cloudwatchlogs.DescribeLogGroupsInput, optFns ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeLogGroupsOutput, error)
}

// maxListedGroups bounds how many log group names a "did you mean" reads.
const maxListedGroups = 1000

// explain turns a failed call into the error the user reads: what to do when nothing answers at
// the endpoint, and the nearest existing names when a log group does not exist; the call's own
// error otherwise.
func (f *fetcher) explain(ctx context.Context, call string, err error) error {
	if fetch.Classify(err) == fetch.ErrUnreachable {
		ep, cause := fetch.Unreached(err)
		custom := f.endpoint()
		if ep == "" {
			ep = custom
		}
		if custom == "" { // AWS's own endpoint
			return &explained{fmt.Sprintf("logs: cannot reach CloudWatch Logs at %s (%v); check the network and the region, or set CWNB_OFFLINE=1 to re-run from the cache without calls", ep, cause),
				[]error{cwnb.ErrUnreachable, err}}
		}
		return &explained{fmt.Sprintf("logs: nothing answers at the CloudWatch Logs endpoint %s (%v); start the local CloudWatch (`cwnb local`), or unset AWS_ENDPOINT_URL_CLOUDWATCH_LOGS to use AWS, or set CWNB_OFFLINE=1 to re-run from the cache", ep, cause),
			[]error{cwnb.ErrUnreachable, err}}
	}
	var nf *types.ResourceNotFoundException
	if lister, ok := f.o.Client.(groupLister); ok && call == "StartQuery" && errors.As(err, &nf) {
		names := listGroups(ctx, lister)
		var missing []string
		for _, g := range f.q.Groups {
			if !slices.Contains(names, g) {
				hint := "there is no log group"
				if len(names) > 0 {
					hint = "did you mean " + suggest.Nearest(g, names) + "?"
				}
				missing = append(missing, fmt.Sprintf("%q (%s)", g, hint))
			}
		}
		if len(missing) > 0 {
			return &explained{fmt.Sprintf("logs: no log group %s in this account and region; correct the name, or list them with `aws logs describe-log-groups`", strings.Join(missing, ", ")),
				[]error{err}}
		}
	}
	return fmt.Errorf("logs %s: %w", call, err)
}

// listGroups returns the names of the log groups (at most maxListedGroups; none on error).
func listGroups(ctx context.Context, c groupLister) []string {
	var names []string
	var token *string
	for len(names) < maxListedGroups {
		out, err := c.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{NextToken: token})
		if err != nil {
			return names
		}
		for _, g := range out.LogGroups {
			names = append(names, aws.ToString(g.LogGroupName))
		}
		if token = out.NextToken; token == nil {
			return names
		}
	}
	return names
}

// endpoint returns the endpoint the client is pointed at, "" for AWS's own.
func (f *fetcher) endpoint() string {
	if c, ok := f.o.Client.(*cloudwatchlogs.Client); ok && c.Options().BaseEndpoint != nil {
		return *c.Options().BaseEndpoint
	}
	if e := os.Getenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"); e != "" {
		return e
	}
	return ""
}

// retryer is the SDK's standard retryer, except that an unreachable endpoint is not retried:
// nothing is there, and retrying only hides it.
func retryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.Retryables = append([]retry.IsErrorRetryable{retry.IsErrorRetryableFunc(func(err error) aws.Ternary {
			if fetch.Unreachable(err) {
				return aws.FalseTernary
			}
			return aws.UnknownTernary
		})}, o.Retryables...)
	})
}

// credentialsError says that no usable credentials were found, and what to do.
func credentialsError(err error) error {
	profile := os.Getenv("AWS_PROFILE")
	if profile == "" {
		profile = "default"
	}
	return &explained{fmt.Sprintf("logs: no usable AWS credentials for profile %q (%v); log in (aws sso login, or export AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or set CWNB_OFFLINE=1 to re-run from the cache without calls", profile, fetch.RootCause(err)),
		[]error{cwnb.ErrCredentials, err}}
}
