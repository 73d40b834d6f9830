package localcw_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
)

// now is the pinned server clock of most tests.
var now = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// noRetry turns retries off, for tests that assert an error.
func noRetry(o *cloudwatch.Options) { o.Retryer = aws.NopRetryer{} }

// noValidation removes the SDK's client-side validation of required members, so that the
// request reaches the server and the server's own MissingParameter errors can be tested.
func noValidation(o *cloudwatch.Options) {
	o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
		_, err := stack.Initialize.Remove("OperationInputValidation")
		return err
	})
}

// start serves a local CloudWatch pinned at now and returns it with a client built by
// cloudwatch.New (which gzips every PutMetricData body).
func start(t *testing.T, optFns ...func(*cloudwatch.Options)) (*localcw.Server, *cloudwatch.Client) {
	t.Helper()
	srv, url := localcwtest.Start(t, localcw.Options{Now: now})
	return srv, localcwtest.Client(t, url, optFns...)
}

// configClient builds a client through config.LoadDefaultConfig, as applications do (it gzips
// PutMetricData only above 10,240 bytes).
func configClient(t *testing.T, url string, optFns ...func(*cloudwatch.Options)) *cloudwatch.Client {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithRegion("eu-west-1"),
		config.WithSharedConfigFiles([]string{}),
		config.WithSharedCredentialsFiles([]string{}),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKID", "SECRET", "")),
	)
	if err != nil {
		t.Fatalf("LoadDefaultConfig: %v", err)
	}
	return cloudwatch.NewFromConfig(cfg, append([]func(*cloudwatch.Options){func(o *cloudwatch.Options) {
		o.BaseEndpoint = aws.String(url)
	}}, optFns...)...)
}

// apiCode returns the error code of a smithy API error, or "" for other errors.
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func dim(name, value string) types.Dimension {
	return types.Dimension{Name: aws.String(name), Value: aws.String(value)}
}

func metricStat(ns, name string, period int32, stat string, ds ...types.Dimension) *types.MetricStat {
	return &types.MetricStat{
		Metric: &types.Metric{Namespace: aws.String(ns), MetricName: aws.String(name), Dimensions: ds},
		Period: aws.Int32(period),
		Stat:   aws.String(stat),
	}
}

// put publishes datums in calls of at most 1,000.
func put(t testing.TB, c *cloudwatch.Client, ns string, datums []types.MetricDatum) {
	t.Helper()
	for len(datums) > 0 {
		n := min(len(datums), 1000)
		if _, err := c.PutMetricData(context.Background(), &cloudwatch.PutMetricDataInput{Namespace: aws.String(ns), MetricData: datums[:n]}); err != nil {
			t.Fatalf("PutMetricData: %v", err)
		}
		datums = datums[n:]
	}
}

// getAll follows GetMetricData's NextToken with the SDK paginator and merges pages per (Id, Label).
func getAll(t testing.TB, c *cloudwatch.Client, in *cloudwatch.GetMetricDataInput) (map[string]types.MetricDataResult, int) {
	t.Helper()
	p := cloudwatch.NewGetMetricDataPaginator(c, in)
	out := map[string]types.MetricDataResult{}
	pages := 0
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatalf("GetMetricData page %d: %v", pages+1, err)
		}
		pages++
		for _, r := range page.MetricDataResults {
			key := aws.ToString(r.Id) + "/" + aws.ToString(r.Label)
			prev := out[key]
			prev.Id, prev.Label, prev.StatusCode = r.Id, r.Label, r.StatusCode
			prev.Timestamps = append(prev.Timestamps, r.Timestamps...)
			prev.Values = append(prev.Values, r.Values...)
			prev.Messages = append(prev.Messages, r.Messages...)
			out[key] = prev
		}
	}
	return out, pages
}

// sample is a raw value published count times.
type sample struct{ v, c float64 }

// refStat computes a statistic over samples with integer counts by expanding them: an
// independent implementation of the definitions in the CloudWatch user guide
// (Statistics-definitions.html) with the inverted empirical CDF (Hyndman-Fan type 1) for
// percentiles, which cwstat documents as its estimator.
func refStat(name string, samples []sample) (float64, bool) {
	var xs []float64
	for _, s := range samples {
		for range int(s.c) {
			xs = append(xs, s.v)
		}
	}
	if len(xs) == 0 {
		return 0, false
	}
	slices.Sort(xs)
	n := float64(len(xs))
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	// rankWeights returns, for each sorted value j occupying ranks (j, j+1], its overlap with
	// (lo, hi] in ranks.
	overlap := func(j int, lo, hi float64) float64 {
		return math.Max(0, math.Min(float64(j+1), hi)-math.Max(float64(j), lo))
	}
	trimmed := func(loPct, hiPct float64) (tc, ts float64, lo, hi float64) {
		lo, hi = loPct/100*n, hiPct/100*n
		for j, x := range xs {
			w := overlap(j, lo, hi)
			tc += w
			ts += w * x
		}
		return
	}
	percentile := func(p float64) float64 {
		k := int(math.Ceil(p/100*n - 1e-9))
		if k < 1 {
			k = 1
		}
		return xs[k-1]
	}
	switch name {
	case "Average":
		return sum / n, true
	case "Sum":
		return sum, true
	case "Minimum":
		return xs[0], true
	case "Maximum":
		return xs[len(xs)-1], true
	case "SampleCount":
		return n, true
	case "p50":
		return percentile(50), true
	case "p90":
		return percentile(90), true
	case "p99":
		return percentile(99), true
	case "p99.9":
		return percentile(99.9), true
	case "TM(10%:90%)", "IQM", "tm99":
		lo, hi := 10.0, 90.0
		if name == "IQM" {
			lo, hi = 25, 75
		}
		if name == "tm99" {
			lo, hi = 0, 99
		}
		tc, ts, _, _ := trimmed(lo, hi)
		return ts / tc, tc > 0
	case "TC(10%:90%)":
		tc, _, _, _ := trimmed(10, 90)
		return tc, true
	case "TS(10%:90%)":
		_, ts, _, _ := trimmed(10, 90)
		return ts, true
	case "WM(10%:90%)":
		_, ts, lo, hi := trimmed(10, 90)
		// Ranks below lo take the value holding rank lo⁺, ranks above hi the value holding hi.
		xlo := xs[int(math.Floor(lo+1e-9))]
		xhi := xs[int(math.Ceil(hi-1e-9))-1]
		return (lo*xlo + ts + (n-hi)*xhi) / n, true
	case "TM(150:1000)", "TC(150:1000)", "PR(150:1000)", "TS(150:1000)":
		var tc, ts float64
		for _, x := range xs {
			if x > 150 && x <= 1000 {
				tc++
				ts += x
			}
		}
		switch name[:2] {
		case "TM":
			return ts / tc, tc > 0
		case "TC":
			return tc, true
		case "TS":
			return ts, true
		}
		return 100 * tc / n, true
	}
	panic("refStat: no reference for " + name)
}
