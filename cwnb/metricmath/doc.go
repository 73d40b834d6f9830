// Package metricmath parses and evaluates CloudWatch metric math expressions and SEARCH
// queries, purely: no I/O, no AWS. The local CloudWatch evaluates GetMetricData queries that
// carry an Expression with it, and the loader validates user expressions with Parse, Refs and
// Searches before any call.
//
// # Evaluation model
//
// An expression is evaluated over a grid: the period-aligned bucket starts of one request
// (Env.Grid). Every time series is a slice of values aligned to the grid, NaN where the series
// has no datapoint (CloudWatch omits empty periods; NaN is never 0 here). Values are numbers
// (S), time series (TS) or arrays of time series (TS[]); a final result must be a TS or a TS[].
//
// Semantics follow the CloudWatch User Guide ("Metric math syntax and functions"):
//
//   - S op S gives S. TS op S and S op TS apply to every datapoint; missing datapoints stay
//     missing. TS op TS works per timestamp; where only one side has a datapoint the missing one
//     counts as 0 ("Missing values in a time series are treated as 0"), where neither has one
//     the result has none. TS[] op S and TS[] op TS apply element-wise and keep each element's
//     label; TS[] op TS[] is an error.
//   - A datapoint whose result is not finite (x/0, LOG(0), 0^-1) is dropped, and the result
//     series carries the ArithmeticError message, as CloudWatch does. Messages are data
//     (Series.Messages), not errors.
//   - Comparisons (== != < <= > >=) give 1 or 0; AND/&& and OR/|| treat non-zero as true. They
//     follow the arithmetic rules above (CloudWatch documents the "missing counts as 0" rule for
//     comparisons between two series).
//
// # Grammar
//
//	expr    = expr binop expr | "-" expr | "+" expr | primary
//	primary = number | id | string | "(" expr ")" | "[" expr {"," expr} "]"
//	        | NAME "(" [expr {"," expr}] ")" | KEYWORD
//	number  = 12 | 1.5 | .5 | 1e3
//	id      = [a-z][A-Za-z0-9_]*            (a query Id)
//	string  = '...' | "..."                 (backslash escapes the next character)
//
// Binary operators, loosest first: OR ||; AND &&; == != < <= > >=; + -; * /; unary -; ^.
// ^ is right-associative and binds tighter than unary minus: -2^2 is -4, 2^3^2 is 512.
// Function names are upper case, as CloudWatch requires; "sum(m1)" is an error that says so.
// Keywords (REPEAT, LINEAR, ASC, DESC, and AVG/MIN/MAX/SUM as SORT's function) are accepted
// only where a function takes them. An array element that is itself an array is flattened, so
// [METRICS("4xx"), METRICS("5xx")] is one array.
//
// # Functions
//
//	ABS CEIL FLOOR LOG LOG10   TS|TS[] -> same; per datapoint (non-finite results dropped)
//	SUM AVG MIN MAX STDDEV     TS -> S over its datapoints; TS[] -> TS per timestamp
//	DATAPOINT_COUNT            TS -> S (number of datapoints); TS[] -> TS (series with a value)
//	METRIC_COUNT               TS[] -> S (number of series)
//	FILL(x, S|TS|REPEAT|LINEAR) TS|TS[] -> same; fills every grid timestamp without a value
//	RATE DIFF DIFF_TIME        TS|TS[] -> same; between consecutive datapoints
//	RUNNING_SUM                TS|TS[] -> same
//	METRICS() METRICS('s')     -> TS[] of the request's metric queries (Ids containing s)
//	SEARCH('query', 'Stat'[, period])  -> TS[] of the stored metrics the query matches
//	PERIOD(m1)                 -> S, the period in seconds of metric query m1 (Env.PeriodOf,
//	                           else Env.Period)
//	TIME_SERIES(S)             -> TS with that value at every grid timestamp
//	REMOVE_EMPTY FIRST LAST SORT SLICE  array manipulation as documented by CloudWatch
//	IF(cond, a[, b])           -> TS, with CloudWatch's documented missing-value rules
//	MINUTE HOUR DAY DATE MONTH YEAR EPOCH  TS -> TS of the grid timestamp's field (UTC; DAY:
//	                           1 = Monday .. 7 = Sunday)
//
// Details where the documentation is silent (choices made here, each tested):
//
//   - SUM/AVG/MIN/MAX/STDDEV over an array: a timestamp where no series has a value has no
//     result. AVG divides by the number of series in the array (missing counts as 0, as
//     documented); SUM, MIN, MAX and STDDEV use the values present (MIN and MAX are the lowest
//     and highest value among the series at each timestamp, as documented: a missing value is
//     not a 0 there). STDDEV is the population standard deviation (divide by n; the
//     documentation does not say which).
//   - Of a TS with no datapoints, SUM/AVG/MIN/MAX are NaN (no value); used with a series this
//     drops its datapoints with ArithmeticError. DATAPOINT_COUNT is 0.
//   - FILL(x, REPEAT) leaves the timestamps before x's first datapoint empty; FILL(x, LINEAR)
//     interpolates by time between the datapoints around a gap and leaves timestamps before the
//     first and after the last datapoint empty. FILL with a series takes that series' value at
//     the timestamp, if any.
//   - RATE, DIFF and DIFF_TIME skip missing timestamps (the previous datapoint may be several
//     periods back; RATE divides by the actual time between the two) and give no value at the
//     first datapoint. RUNNING_SUM leaves missing timestamps missing.
//   - METRICS('s') matches Ids by case-sensitive substring.
//   - An id whose query has several series is an array. One with exactly one series is a time
//     series, unless Env.IsArray says the id is an array-valued expression (a SEARCH that
//     matched one metric); Expr.ReturnsArray gives that answer for an expression.
//   - SORT puts series without datapoints last in either order; ties keep the array's order.
//   - FIRST/LAST of an empty array give a series with no datapoints.
//
// Not supported (an error wrapping ErrUnsupported that names the function as a documented one,
// never a wrong answer): ANOMALY_DETECTION_BAND, DB_PERF_INSIGHTS, INSIGHT_RULE_METRIC,
// SERVICE_QUOTA, LAMBDA, Metrics Insights queries (SELECT ...), and cross-account search
// (:aws.AccountId).
//
// # Labels
//
// Eval keeps the label of the input series a result is derived from (m1*2, each element of
// METRICS()/100 or of a SEARCH); a series that combines several inputs (m1+m2, SUM(...)) gets an
// empty label. The caller gives a single-series result the query's Label or Id. Series found by
// SEARCH are labelled by the Env.Search implementation; SearchLabel gives cwnb's format: the
// dimension values ordered by dimension name, then the metric name ("i-0abc CPUUtilization").
//
// # Search queries
//
// ParseSearch and SearchQuery.Match implement CloudWatch's search syntax
// ("CloudWatch search expression syntax"):
//
//	query   = [schema [","]] [terms]          at most 1,024 characters; not both empty
//	schema  = "{" name {"," name} "}"          namespace, then dimension names; quote names
//	                                           with spaces or punctuation: {"My NS","Dim A"}
//	terms   = and {"OR" and}
//	and     = not {["AND"] not}                juxtaposition means AND
//	not     = "NOT" not | "(" terms ")" | term
//	term    = word | "exact" | property "=" (word | "exact")
//	property = MetricName | Namespace | a dimension name
//
// A schema matches metrics in its namespace whose dimension names are exactly the listed ones.
// A word is a partial match: it is tokenized as CloudWatch documents (split at non-alphanumeric
// characters, camel-case humps and letter/digit boundaries) and matches a metric name,
// namespace, dimension name or dimension value whose tokens contain the word's tokens
// consecutively; single-token words match case-insensitively, composite ones (CustomCount,
// Count1) case-sensitively; the whole name with delimiters removed, lower-cased, is a token too
// (customcount1). A quoted term must equal the property exactly; inside it \" \\ \( \) escape
// those characters. MetricName=, Namespace= and Dim= restrict a term to that property (a
// dimension term requires the metric to have the dimension). AND, OR and NOT are case-sensitive
// operators; NOT binds tightest, then AND, then OR.
package metricmath
