// Package scenario generates deterministic synthetic CloudWatch metrics on demand, for the
// local CloudWatch server (package localcw) and the demo notebooks.
//
// A scenario publishes a fixed set of series ([Scenario.Metrics]). [Scenario.Generate] yields
// the datums of one series in any window [start, end): each datum is exactly what one
// PutMetricData MetricDatum with Values and Counts would carry (at most [MaxValues] values,
// finite, non-negative, whole counts > 0), stamped on the minute grid in UTC. Nothing is
// stored: every datum is a pure function of (scenario, seed, metric, timestamp), computed
// with counter-based hashes (splitmix64 of the seed, the entity and the timestamp), never a
// random stream, so a datum does not depend on the window that asks for it and any two
// overlapping windows agree. A week or a year can be served without storing a sample.
//
// Latency-like metrics (api Latency, Lambda Duration, bench Latency) are published the way
// the CloudWatch agent publishes histograms: one datum a minute with distinct latencies as
// Values and the number of requests that had each as Counts, typically 25 to 75 values
// per datum whatever the request rate. The counts come from the distribution's probability mass over
// a fixed grid of log-spaced bins (10% wide), rounded stochastically so that they sum
// exactly to the minute's requests; each non-empty bin contributes one value, placed at a
// random point inside the bin each minute. Percentiles are therefore accurate to about a
// bin width at one minute, better over longer periods. Values within a latency datum come
// in ascending order, except Lambda cold starts, which follow the warm ones.
//
// The story does not depend on the seed (when the backup runs, which instance is hot, when
// the deploy happens, when the thumbnailer bursts); the seed changes only the noise.
//
// # Demo clock
//
// The demo pins the server clock to [DemoNow] (2026-11-20T00:00:00Z); the notebooks look at
// the 24 hours and the 7 days before it. All stories repeat daily or hourly, except the
// Lambda bad deploy at [LambdaBadDeploy] (2026-11-19T13:37:00Z).
//
// # api: a service API whose p99 explodes at the top of every hour
//
// Namespace MyService/API, one datum a minute:
//
//   - Latency (Milliseconds), dimensions Endpoint and Service: Service=checkout with
//     Endpoint /cart, /items and /pay, plus a service roll-up with Service=checkout alone
//     whose samples are exactly the union of the three endpoints' samples (as an application
//     publishing both dimension sets would produce).
//   - RequestCount (Count), the same four dimension sets: the number of requests of the
//     minute, equal to the Latency datum's sample count.
//   - 5XXError (Count), the same four dimension sets, published every minute (0 included).
//
// Traffic: 400-1,050 requests a minute per endpoint (1,500-2,650 for the service), with a
// daily cycle from ×0.75 at 05:00 UTC to ×1.25 at 17:00 UTC, so every 5-minute period holds
// more than 1,000 samples and its p99 is significant.
//
// Latency is log-normal (median 160 / 175 / 195 ms for /cart, /items, /pay, σ = 0.45), with
// slow drifts of ±4% and ±2% minute-to-minute jitter. The average is about 200 ms: measured
// over 2026-11-19 (seed 1) the service's day average is 200.3 ms (endpoints 182, 199,
// 221 ms), every hourly average within 195-205 ms, and p99 450-590 ms at 1 minute.
//
// The backup: during minutes :00-:04 of every hour a backup job blocks 1.4% of the
// requests for 3.3-6 s (most of them close to 3.3 s). That is just over the 1% that p99 can
// hide, so p99 jumps to 3.3-3.5 s at 1-minute and 5-minute periods (at every endpoint and
// for the service) while nothing else changes. The average, being an average, moves only
// by the slow requests' share: 1.4% × ~3.5 s adds ~50 ms, so the 1-minute and 5-minute
// averages of those five minutes read 240-265 ms against 185-205 ms otherwise, and the
// hourly average hides the backup completely (within ±3% of 200 ms). Even the day's p99 looks
// innocent (~520 ms): only p99 at a fine period, or p99.9 of a long one (~3.3 s), shows the
// problem. The 5XX rate goes from 0.15% to 0.6% during the backup.
//
// # ec2: a fleet with a daily pattern, one hot instance and three idle ones
//
// Namespace AWS/EC2, dimension InstanceId only (CloudWatch publishes EC2 metrics per
// InstanceId; the per-InstanceType and fleet-wide aggregates are left out), one datum a
// minute (detailed monitoring) for 12 instances, i-0a1b2c3d4e5f60001 to i-0a1b2c3d4e5f60012:
//
//   - CPUUtilization (Percent): the minute's average.
//   - NetworkIn, NetworkOut (Bytes): bytes received and sent in the minute, following CPU.
//
// Busy hours are 14:00-22:00 UTC, with one-hour ramps on either side. Instances 0001, 0002
// and 0004-0008 serve the web traffic: ~12-18% at night, ~50-65% in the busy hours.
// Instance 0003 is hot: 72-93% all day, busiest in the busy hours. Instance 0009 runs steady
// batch work at ~25-40%. Instances 0010, 0011 and 0012 are idle (forgotten): 1-3.5%, below
// 5% at every minute.
//
// # lambda: cold starts, throttling and a bad deploy
//
// Namespace AWS/Lambda, dimension FunctionName: orders-api and thumbnailer. One datum a
// minute while the function runs; a minute without invocations has no datums at all, as in
// CloudWatch:
//
//   - Invocations (Count): invocations that ran in the minute.
//   - Duration (Milliseconds): a histogram datum of every invocation's duration (its sample
//     count equals Invocations).
//   - Errors (Count): failed invocations, 0 included.
//   - Throttles (Count): invocations rejected for lack of concurrency, 0 included.
//   - ConcurrentExecutions (Count): the minute's peak, one value (read it with Maximum).
//
// orders-api serves a steady API: 1,500-3,000 invocations a minute on the daily cycle,
// warm durations log-normal with median 42 ms, 3-6 concurrent executions, no throttling.
// Its error rate is 0.5% until the bad deploy at [LambdaBadDeploy] (2026-11-19T13:37:00Z),
// and 8% from that minute on, forever (it is never rolled back). The deploy replaces every
// execution environment, so the deploy minute is all cold starts.
//
// thumbnailer runs in bursts (uploads): at most one per 20-minute slot, more likely in the
// busy hours (14:00-22:00 UTC), lasting 3-10 minutes with a demand of up to 1,000 invocations a minute,
// and idle in between. Durations are log-normal with median 850 ms. Reserved concurrency is
// 10: ConcurrentExecutions never exceeds 10 and the bigger bursts are throttled. Errors stay
// at 0.3%.
//
// Cold starts add 250-900 ms (orders-api) or 600-1,500 ms (thumbnailer) to an invocation.
// They happen when concurrency grows above its peak of the previous 10 minutes (environments
// stay warm that long), for every environment of a burst after an idle gap, at the deploy,
// and now and then when an old environment is recycled.
//
// # bench: 500 latency series for benchmarks
//
// Namespace Bench, metric Latency (Milliseconds), dimension Series = s000 … s499, one
// datum a minute, each shaped like the api endpoints (medians 140-260 ms, 450-950 requests a
// minute, the same hourly backup). It exists for the local CloudWatch's GetMetricData
// benchmark (500 series × 1 day at 1 minute with p99).
package scenario
