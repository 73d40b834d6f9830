// Package insights is a CloudWatch Logs Insights query engine: a parser and an evaluator for a
// subset of the Logs Insights query language, pure (no I/O), used by the local CloudWatch Logs
// (cwnb/localcw/logs) to answer StartQuery the way the service does.
//
// # The subset
//
// Commands: fields, display, filter, stats, sort, limit (and limit any), parse (glob with * and
// a regex with named groups (?<name>...)), dedup. Several stats commands may follow each other:
// the second aggregates the rows of the first, and a bin() of the first is the rows' time for a
// bin() of the second.
//
// Expressions: = != < <= > >=, and, or, not, + - * / % ^, like "substring", like /regex/,
// not like, =~, in [...], not in, parentheses, # comments, `backquoted` field names.
// Comparisons are numeric when both sides read as numbers and textual otherwise; any comparison
// with a missing field is false. Regexes are Go's RE2, like the service's Hyperscan a subset
// without backreferences or lookaround; (?i) makes one case-insensitive.
//
// Aggregation functions: count(*) (and count()), count(f) (events that have f),
// count_distinct(f) (exact), sum, avg, min, max, stddev (sample standard deviation, divisor
// n-1), pct(f, p) and its alias percentile(f, p), earliest(f), latest(f). Non-numeric values are
// skipped by the numeric aggregates. An aggregate may sit inside an expression:
// stats sum(errors) / count(*) * 100 as errorRate.
//
// Scalar functions: abs ceil floor greatest least log sqrt; ispresent coalesce isempty isblank;
// concat ltrim rtrim trim strlen toupper tolower substr (0-based start) replace strcontains;
// bin datefloor dateceil fromMillis toMillis; isValidIp isValidIpV4 isValidIpV6 isIpInSubnet
// isIpv4InSubnet isIpv6InSubnet.
//
// bin(period) floors @timestamp to the period: ms, s, m, h and d periods on multiples of the
// period since the Unix epoch; weeks from Monday 00:00 UTC; months, quarters and years on the
// UTC calendar (the service does not document its alignment of calendar units).
//
// Anything else — unnest, lookup, join, SOURCE, pattern, diff, anomaly, sortsFirst, other
// functions — is an *Error naming the command or function and its line and column, never a
// silently different answer.
//
// # The pct estimator
//
// The service does not publish the estimator of pct(). This engine uses nearest rank on the
// exact values (NearestRank): with the n values sorted, the value at rank ceil(p/100·n). It is
// always one of the values, like the service's answers. CloudWatch metrics compute their
// percentiles with a different, also unpublished, algorithm, so a p99 from logs and a p99 from
// the same requests' metrics agree only up to the estimators: expect the two to differ by about
// one sample's rank.
//
// # Results
//
// Results look like the service's: every value a string; times (@timestamp, bin()) as
// "2006-01-02 15:04:05.000" in UTC; numbers in the shortest decimal form ("42", "217.5").
// A row without stats lists the selected fields in query order (default @timestamp, @message)
// and @ptr last, newest first unless sorted; a stats row lists its by fields, then its
// aggregates named by their text ("pct(latency, 99)") or alias, rows sorted by the group keys.
// A field a row does not have is left out of that row, as the service does. Empty bins are
// absent, as they are in the service's answers.
package insights
