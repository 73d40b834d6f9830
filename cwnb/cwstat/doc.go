// Package cwstat parses CloudWatch statistic names and computes every CloudWatch statistic
// from the raw samples published into one period.
//
// # Statistics
//
// Parse accepts every spelling CloudWatch documents (Statistics-definitions.html): the basic
// statistics Average, Sum, Minimum, Maximum and SampleCount; percentiles p0 … p100 (p99,
// p99.9); trimmed mean TM, winsorized mean WM, trimmed count TC and trimmed sum TS with
// percentage bounds TM(10%:90%), TM(:95%), TM(5%:), absolute bounds TM(150:1000), TC(:0.5),
// or the short form tm99 (= TM(:99%)); percentile rank PR(:300), PR(100:2000); and IQM
// (= TM(25%:75%)). Bounds follow CloudWatch: the lower bound is exclusive and the upper bound
// inclusive. Stat.String gives the canonical spelling, and Parse(s.String()) == s.
//
// # Computing
//
// A Bucket collects the samples of one period: raw values with counts (Bucket.Add, from Value
// or Values+Counts) and statistic sets (Bucket.AddSet, from StatisticValues, turned into raw
// values when Minimum = Maximum and Sum = Minimum·SampleCount, as CloudWatch documents).
// Bucket.Compute and Bucket.ComputeAll return a statistic and whether it has a value: an empty
// period has none, and every statistic but the basic five (percentiles, TM, WM, TC, TS, PR and
// IQM, whatever their bounds) has none when the bucket holds a negative value or a statistic
// set that is not raw values, as in CloudWatch, which needs raw, non-negative data points for
// them. The rule is applied per bucket, that is per period.
// A Bucket sorts its values once for all statistics and reuses its memory across Reset. The
// sort is a natural merge sort: each Values+Counts datum usually arrives ascending, so a
// period of one datum needs no sort at all and a period of a few datums only merges them.
//
// # Percentile estimator
//
// CloudWatch does not publish its percentile algorithm and documents its percentiles as
// approximate. This package uses the inverted empirical distribution function, type 1 of
// Hyndman and Fan (1996), extended to weights: the p-th percentile is the smallest value x
// whose cumulative count C(x) reaches p/100 of the total count. It was chosen because
//
//   - it works directly on Values+Counts: a value published with count c weighs c without
//     being expanded into c copies, and fractional counts are plain weights;
//   - it always returns a value that was actually published: no interpolation between a
//     200 ms and a 3 s sample inventing a 1.6 s latency nobody saw;
//   - the trimmed statistics use the same rank scale, so TM(:99%), WM(:99%) and p99 agree:
//     the values WM clamps to are exactly the percentiles at its bounds.
//
// On the counts expanded into copies it equals numpy.percentile(x, p, method="inverted_cdf")
// (testdata/numpy.json checks this). It differs from numpy's and pandas' default (type 7,
// linear interpolation); compare results from different tools, and from CloudWatch itself,
// with a tolerance. The trimmed statistics cut through a value's count
// when a percentage bound falls inside it, so a trimmed count can be fractional; CloudWatch
// documents that its TC, an interpolated approximation, can be fractional too.
//
// # Re-aggregation
//
// Stat.Rollup says how a statistic computed at a fine period combines into a coarser period:
// Sum and SampleCount add, Minimum and Maximum take the extreme, Average is weighted by
// SampleCount, and percentiles, IQM and percentage-bound trimmed statistics cannot be derived
// (RollupNone): fetch them again at the coarser period.
package cwstat
