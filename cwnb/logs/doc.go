// Package logs loads CloudWatch Logs Insights query results into typed frames for notebooks:
//
//	q := logs.Query{Groups: []string{"/myservice/api"},
//		Query: "stats count(*), pct(Latency, 99) by bin(1m)"}.Window("2026-11-19T00:00:00Z", "24h")
//	res := logs.MustLoad(q)
//	res.Display()
//
// What the service returns as strings becomes typed columns: @timestamp and bin() values are
// times (cwnb.TimeColumn in the frame), a column whose values are all numbers is float64 (NaN
// where a row lacks it), anything else is text; a column that mixes numbers and text stays
// text, with a warning.
//
// A stats ... by bin(P) result is laid on the regular grid of P from Start to End: the service
// leaves empty bins out, the frame has them, as NaN, or as 0 for count() and count_distinct()
// (an empty bin has no events, so its count is 0; its average or percentile does not exist).
// Grouped by other fields too (by Endpoint, bin(1m)), it is a long frame, one grid per group,
// with the group keys found by parsing the query (Result.Keys): the service does not mark them.
//
// Nothing is silently truncated: one query returns at most MaxRows rows (100,000, the service's
// maximum, in pages of 10,000); a result that reaches it is split by time and the halves merged,
// when the query allows it (a raw query without sort, dedup or limit; a single stats by a
// fixed-length bin, split on bin boundaries). Otherwise Load returns ErrTooManyRows with what
// to change. Queries are polled with backoff, stopped on cancel and after Timeout, and every
// result carries the records and bytes scanned and their cost (CostPerGB). Results of complete
// windows (ended 5 minutes before now) are cached on disk (gzipped JSON under the cwnb cache
// directory's logs/), so a notebook re-runs offline: CWNB_OFFLINE=1 answers only from the cache.
package logs
