// Package localcw is a local CloudWatch metrics service for tests, notebooks and demos: an
// http.Handler that the real aws-sdk-go-v2 CloudWatch client talks to over loopback HTTP, with
// the wire protocol, validation, retention rules and statistics of the real service.
//
//	srv := localcw.New(localcw.Options{Now: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)})
//	http.ListenAndServe("127.0.0.1:4582", srv)
//
// Tests use package localcwtest (Start serves it with httptest on 127.0.0.1 and cleans up;
// Client builds a real *cloudwatch.Client for it). The command `cwnb local` serves it with
// scenarios (package scenario) and prints the export lines that point an SDK at it.
//
// A client of its own should send its requests through ClientTransport
// (cloudwatch.Options.HTTPClient = &http.Client{Transport: localcw.ClientTransport(nil)}):
// aws-sdk-go-v2 with smithy-go v1.28.8 otherwise, now and then, loses a keep-alive connection,
// and the response being read on it, when the server answers as fast as a loopback one does.
//
// # Layers
//
// The wire codec (internal/wire) turns Smithy RPC v2 CBOR (and awsJson1_0) bodies into plain
// structs and back.
// The operation handlers (this package: put.go, list.go, getdata.go, getstats.go, expr.go)
// validate and answer, returning an output or an *apiError; Server.writeError is the one place
// that turns an apiError into the HTTP status, the CBOR error body and the X-Amzn-Query-Error
// header. The store (internal/store) keeps published datums per metric identity and the
// scenario sources that generate datums on demand; both are read the same way.
//
// # Faithful
//
//   - Protocol: POST /service/GraniteServiceVersion20100801/operation/<Op>; definite and
//     indefinite CBOR; gzip request bodies (Content-Encoding: gzip, as cloudwatch.New sends every
//     PutMetricData); tag-1 timestamps rounded to the millisecond; responses with tag-1
//     timestamps (an integer for whole seconds) and CBOR integers. Errors are CBOR maps with
//     __type and the message under the key the model gives the shape ("message" for
//     InvalidParameterValue, InvalidParameterCombination, MissingParameter, InvalidNextToken;
//     "Message" for InternalServiceFault), with the status of the shape and
//     X-Amzn-Query-Error: <Code>;Sender|Receiver, so errors.As into the SDK's types works and
//     ErrorCode() gives the classic code. GetMetricData, whose only modeled error is
//     InvalidNextToken, answers a request it cannot serve (bad Id, duplicate Ids, bad Stat,
//     period, unit or expression, StartTime = EndTime, ...) with ValidationError, as the real
//     service does, in the service's wording ("The value M1 for parameter
//     MetricDataQueries.member.1.Id is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$.")
//     followed by a hint; a missing StartTime or EndTime stays MissingParameter.
//   - The AWS CLI and boto3 (botocore) reach CloudWatch through awsJson1_0 (POST / with
//     X-Amz-Target: GraniteServiceVersion20100801.<Op>, epoch-second timestamps): served too,
//     through the same handlers, so `aws --endpoint-url ... cloudwatch get-metric-data` works.
//   - PutMetricData: Value, Values+Counts, StatisticValues, Unit, StorageResolution, Timestamp,
//     EntityMetricData; the service's validations as its error types: exactly one of
//     Value/Values/StatisticValues, Values and Counts of the same size, at most 150 values,
//     1,000 datums and 30 dimensions, no NaN or ±Inf, magnitudes within 2^-260..2^360,
//     timestamps no more than two weeks old nor two hours ahead of the server clock, standard
//     units, reserved "AWS/" namespaces. A call is all or nothing.
//   - ListMetrics: Namespace, MetricName, DimensionFilters (value optional), RecentlyActive,
//     500 per page with NextToken; metrics with data in the last two weeks, scenario metrics
//     included.
//   - GetMetricData: every statistic through package cwstat, computed from the raw samples of
//     each period (a statistic set counts as raw values only when Minimum = Maximum and Sum =
//     Minimum·SampleCount; a period holding another set, or a negative value, has the five basic
//     statistics only, as CloudWatch needs raw, non-negative data points for the others); StartTime rounded down (to the period's division of a minute for 1, 5,
//     10, 20 and 30 s periods, else to the minute under 15 days, 5 minutes under 63 days, the
//     hour beyond) and buckets counted from it; EndTime exclusive; empty periods omitted;
//     standard-resolution data stored at the minute, high-resolution data at the second for
//     3 hours; a period too fine for the age of StartTime (< 60 s beyond 3 h, not a multiple of
//     300 s beyond 15 days, of 3600 s beyond 63 days) gives an empty result, not an error; data
//     older than 455 days is gone; ScanBy (default TimestampDescending); MaxDatapoints (default
//     100,800) over the whole response, with NextToken and StatusCode PartialData on cut
//     results (metric math results are not paginated: they come on the first page only,
//     truncated to what fits, PartialData when cut); Unit filter and the MultipleUnits message; the 500-query limit, Id syntax
//     [a-z][A-Za-z0-9_]*, unique Ids, unknown references, bad periods and StartTime ≥ EndTime as
//     the service's errors; ReturnData=false inputs; metric math and SEARCH through package
//     metricmath, one result per series a SEARCH finds (at most 500, with a
//     MaxQueryResultsExceeded message beyond).
//   - GetMetricStatistics: Statistics and ExtendedStatistics, the 1,440-datapoint limit with the
//     service's message (numbers without separators), datapoints with their unit; without a
//     Unit, data published in several units gives one datapoint per unit and period, as
//     CloudWatch aggregates units separately.
//   - Dynamic labels (graph-dynamic-labels.html): ${LABEL}; ${PROP('MetricName' | 'Namespace' |
//     'Dim.<name>' | 'Stat' | 'Period')} for metric queries and SEARCH results; and, from each
//     whole result whatever the page, ${AVG}, ${SUM}, ${MIN}, ${MAX}, ${FIRST}, ${LAST},
//     ${DATAPOINT_COUNT}, ${MIN_MAX_RANGE}, ${FIRST_LAST_RANGE}, ${FIRST_LAST_TIME_RANGE} and
//     ${FIRST|LAST|MIN|MAX_TIME} with their _RELATIVE forms, times at the offset of
//     LabelOptions.Timezone.
//
// testdata/parity.py checks these rules through botocore (awsJson1_0 and Smithy RPC v2 CBOR)
// and the AWS CLI v1, computing the expected answers itself; TestParityBotocore runs it.
//
// Alarms (alarms.go): PutMetricAlarm (metric and metric-math alarms, any statistic, M of N,
// TreatMissingData, EvaluateLowSampleCountPercentile, the Period × EvaluationPeriods limits
// and the service's ValidationError messages), PutCompositeAlarm (rules parsed by package
// alarm), DescribeAlarms, DeleteAlarms, SetAlarmState and DescribeAlarmHistory
// (StateUpdate and ConfigurationUpdate items with the service's HistoryData JSON, paging,
// ScanBy, two weeks kept, kept after deletion). Alarms are evaluated on the server clock
// by package alarm, every minute (10 s below a one-minute period), lazily: each alarm
// operation first evaluates every alarm up to now. The scenarios' alarms
// (scenario.Alarms) are created two weeks before the clock, so they carry a history.
// alarms_test.go checks them through aws-sdk-go-v2 and boto3.
//
// # Not faithful
//
//   - Percentiles: CloudWatch's estimator is unpublished and approximate. cwstat uses the
//     inverted empirical distribution function (Hyndman-Fan type 1) with counts as weights, so
//     a percentile is always a published value; compare with AWS results with a tolerance.
//   - Default labels are the metric name, followed by the statistic and the period in seconds
//     when the metric queries of a call differ in them ("Latency p99 300"); expressions default
//     to their Id; SEARCH series to metricmath.SearchLabel, prefixed with the query's Label when
//     it has a static one (so that the series stay distinct). The formats of dynamic label values
//     are not documented: numbers are written in their shortest exact form (4.25), times in RFC
//     3339 (2026-11-20T09:31:00-01:30), durations as "1h 57m"; ${PROP('Region')},
//     ${PROP('AccountId')} and ${PROP('AccountLabel')} are left as written.
//   - GetMetricData without a Unit aggregates a bucket with data from several units together,
//     with the MultipleUnits message; the real service's answer there is not documented.
//   - Alarm actions are stored and described but never run.
//   - Metrics Insights (SQL) queries, anomaly detection bands (and anomaly-detection alarms),
//     cross-account queries (AccountId), wall-clock and warm-up alarm options, dashboards and
//     every other operation are refused with an error that
//     names them. Requests are not authenticated (SigV4 is not checked): keep the server on
//     loopback.
//
// # Faults
//
// Options.Faults (or `cwnb local -faults`) injects failures, so that retry and pagination paths
// get exercised. ParseFaults reads a comma-separated list:
//
//	throttle=0.3   30% of requests fail with ThrottlingException ("Rate exceeded", HTTP 400)
//	rate=20        at most 20 requests per second (token bucket), the rest are throttled
//	burst=5        token bucket size for rate (default: rate)
//	5xx=0.05       5% of requests fail with 500 InternalServiceFault or 503
//	latency=20ms   added before every response
//	pagesize=50    at most 50 datapoints per GetMetricData page and 50 metrics per ListMetrics page
//	seed=7         seed of the random faults (same seed, same request order: same faults)
//
// The SDK's standard retryer retries throttling and 5xx responses. Server.Calls counts the
// requests each operation received, faulted ones included, and Server.Datapoints the datapoints
// served.
package localcw
