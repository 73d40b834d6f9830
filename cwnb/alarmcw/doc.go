// Package alarmcw connects package alarm to CloudWatch for notebooks: it reads alarm
// definitions (Describe) and their history (History) through the SDK, fetches exactly the data
// a replay needs (Fetch: one GetMetricData call per Period/step phase, every candidate's
// statistic batched into it, so percentiles are CloudWatch's own), and draws alarm history and
// back-test trade-offs as charts (PlotHistory, PlotTradeOff).
//
// A notebook cell runs as a new process, so what is fetched is cached on disk (Options.CacheDir;
// the same directory rule as package cwnb: $CWNB_CACHE, $GONB_DIR/.cwnb, ./.cwnb) and
// CWNB_OFFLINE=1 serves only from it. History and data of windows that ended before the clock
// (CWNB_NOW if set) are read from the cache when there; definitions and open windows are always
// fetched (and written, for offline re-runs), so the cache never hides a change. Entries for a
// CloudWatch on loopback are keyed "local" whatever its port, so a committed cache serves every
// run of the demo.
//
// The endpoint comes from the environment like the rest of cwnb: AWS_ENDPOINT_URL_CLOUDWATCH
// (or AWS_ENDPOINT_URL) points the same notebook at the local CloudWatch.
package alarmcw
