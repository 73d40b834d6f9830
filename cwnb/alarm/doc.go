// Package alarm replays CloudWatch alarms exactly over past data: alarm definitions, the
// evaluator, composite alarm rules, a back-tester that scores definitions against known
// incidents, and a grid search over thresholds and M-of-N. It is pure: no context, no AWS, no
// frames. The local CloudWatch (cwnb/localcw) evaluates its alarms with this same code.
//
// # Evaluation
//
// CloudWatch evaluates a metric alarm every minute (every 10 s when Period is below a minute).
// At evaluation minute E it looks at the buckets [E−(k+1)·Period, E−k·Period), k = 0, 1, …: the
// buckets slide with E and are not aligned to multiples of Period. It fetches an evaluation range
// of R buckets, R larger than N = EvaluationPeriods, and decides (Decide):
//
//   - no real point in the range: TreatMissingData says: missing → INSUFFICIENT_DATA,
//     ignore → the state is kept, breaching → ALARM, notBreaching → OK;
//   - the early-ALARM rule (TreatMissingData missing or ignore, M > 1): when every point older
//     than the M-th newest is missing, the M-th newest breaches and every newer real point
//     breaches, missing → ALARM and ignore keeps the state;
//   - at least N real points: the most recent N real points are evaluated and TreatMissingData is
//     not used;
//   - fewer than N: every real point is used and the rest are filled as TreatMissingData says
//     (breaching → a breach, notBreaching → a good point, missing and ignore → nothing);
//   - the state is ALARM when at least M = DatapointsToAlarm of the evaluated points breach,
//     else OK.
//
// Two rules adjust that: a percentile alarm with EvaluateLowSampleCountPercentile "ignore" keeps
// its state while an evaluated point has too few samples (fewer than 10/(1−p) for p ≥ 0.5, 10/p
// below), and an alarm on namespace AWS/DynamoDB always treats missing data as ignore.
//
// Sources: the CloudWatch User Guide, "Using Amazon CloudWatch alarms" (AlarmThatSendsEmail.md:
// evaluation, "Configuring how CloudWatch alarms treat missing data" and its tables, "Percentile-
// based alarms and low data samples"). Every row of the documented missing-data tables is a test
// case in eval_test.go.
//
// # What the documentation leaves open
//
// Two things are not published, so they are explicit Options with documented defaults:
//
//   - Options.Range, the evaluation range R for N. Default DefaultRange(N) = N + max(⌊N/3⌋, 2),
//     which gives the only published point (N = 3 → 5).
//   - Options.Latency, the ingestion delay: a bucket counts only when it ended at least Latency
//     before the evaluation. Default 0 (back-tests see final data).
//
// # Back-tests
//
// Replay turns a Series (one value per bucket start on the evaluation step, as GetMetricData
// returns it for Period/step staggered start times) into a Timeline of states and transitions.
// Backtest scores a Timeline against incidents (caught, time to detect, false pages, alarm
// minutes outside incidents, flapping); Grid builds candidates; Pick chooses one. Definitions
// come from DescribeAlarms (package alarmcw), Go, or YAML (ParseYAML), and go back out as the
// PutMetricAlarm input (PutMetricAlarmJSON, PutMetricAlarmGo).
//
// # Not modelled
//
// Anomaly-detection thresholds (ThresholdMetricId), WallClockWindow evaluation windows,
// WarmUpConfiguration, PromQL alarms, multi-series (contributor) alarms and AT_LEAST in
// composite rules. For 20 s and 30 s periods GetMetricData rounds start times to the period, so
// the sliding buckets that end on the other 10-second marks cannot be fetched from CloudWatch:
// alarmcw.Fetch refuses them (the local CloudWatch evaluates its own such alarms exactly, from
// its store).
package alarm
