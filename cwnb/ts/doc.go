// Package ts is cwnb's numeric core for time-series investigations: resampling, CloudWatch
// statistic-aware rollups, exact percentiles, time-based rolling windows, alignment, seasonal
// folds, hypothesis tests, change points, anomaly bands and data-quality reports.
//
// It works on plain slices — []time.Time and []float64 — and returns values: no I/O, no frames,
// no charts. The notebook-facing package cwnb wraps it for gota frames and load results. It is
// written to match pandas, numpy and scipy; the tests compare it with golden files those
// libraries produced (testdata/gen_golden.py).
//
// # Time
//
// Buckets are [start, start+period), labelled by their start and aligned to multiples of the
// period since the Unix epoch, as CloudWatch does (Floor, Grid; time.Time.Truncate counts from
// year 1 and gives another grid for periods such as 7 minutes). ResampleOptions offers pandas'
// closed/label/origin/offset choices. Results are in UTC.
//
// # Missing data (the NaN policy)
//
// CloudWatch omits empty periods; here a missing value is NaN, never 0. Every aggregate skips
// NaN, reports how many values it used (Count, n) or skipped (NaN, Skipped), and gives NaN when
// nothing is left (a count gives 0). An empty bucket is NaN with Count 0 — including Sum, where
// pandas returns 0 unless min_count=1. Quantiles never see NaN: values are copied without it
// before selection. Filling a gap is opt-in and named (Fill: FillZero, FillForward, FillBackward
// with a limit, FillLinear with a maximum gap).
//
// # Quantiles
//
// Quantiles are exact. Estimator names the Hyndman-Fan definitions as numpy's method argument
// does: Linear (R type 7, the default of numpy and pandas), Lower, Higher, Nearest (halves to
// even, as numpy), Midpoint, InvertedCDF (R1), InterpolatedInvertedCDF (R4), Hazen (R5),
// Weibull (R6), MedianUnbiased (R8) and NormalUnbiased (R9). For Linear, with n sorted values
// x[0..n−1]:
//
//	h = (n−1)·q,  Q(q) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])
//
// Inputs are never modified and never fully sorted. The order statistics a quantile needs are
// found by selection (Floyd-Rivest, O(n) expected time), several quantiles in one pass, on a
// scratch copy without NaN; two shortcuts avoid most of that copy: a quantile near either end
// of a bucket (p99 of a few hundred values) keeps the few largest values in one scan, and a
// large series copies only the values a random sample brackets around the target (a few
// percent of them). Every path gives the same result as sorting. WeightedQuantile
// treats weights as frequencies (CloudWatch's Values+Counts). A quantile q is flagged as not
// significant below 10/(1−q) samples (MinSamples, Aggregated.Significant), AWS's alarm rule.
//
// # Rollups
//
// Rollup re-aggregates a loaded CloudWatch statistic to a coarser period by its Rule: Sum and
// SampleCount add; Minimum and Maximum combine; Average is ΣAverage·SampleCount/ΣSampleCount
// (the weights are required); absolute-bound TC/TS add; absolute TM is weighted by TC (or
// ΣTS/ΣTC with RuleRatio); PR and absolute WM are weighted by SampleCount. Percentiles, IQM and
// percentage-bound TM/WM/TC/TS refuse with a *NotRollableError (errors.Is(err,
// ErrNotRollable)): the p99 of an hour lies somewhere between the smallest and the largest
// minute p99, nothing more; fetch the statistic again at the coarser period.
//
// # Formulas of the other verbs
//
//   - Std: sample standard deviation, √(Σ(x−x̄)²/(n−1)) (ddof = 1, pandas' default).
//   - Rolling: the window ending at t is (t−w, t] by default (pandas' closed="right"); a
//     window's sum is the difference of two double-double running sums (TwoSum), of the values
//     entering and leaving the windows, Std the same over y = x − x₀ and y², Min/Max a
//     monotonic deque.
//   - EWM: pandas' ewm(...).mean() with adjust=True: y_i = Σ (1−α)^(i−j) x_j / Σ (1−α)^(i−j).
//   - MAD: median(|x − median(x)|); MADScale = 1.4826 turns it into a σ estimate for normal data.
//     AnomalyBand is rolling median ± K·1.4826·MAD.
//   - Mann-Whitney U (MannWhitney, MannWhitneyTest): scipy's mannwhitneyu, with its alternative
//     (two-sided, less, greater) and method (auto: exact p when a sample has at most 8 values
//     and there are no ties, else the normal approximation with tie and continuity corrections;
//     exact; asymptotic, with or without the continuity correction); effect sizes rank-biserial
//     2U/(n₁n₂)−1 and common-language U/(n₁n₂).
//   - Compare: percentile-bootstrap intervals of the difference and ratio of a statistic,
//     resampling each group independently with a seeded PCG generator (reproducible).
//   - ChangePoints: seeded binary segmentation on the values clipped to ±5 robust standard
//     deviations, each split's standardised CUSUM scaled by a long-run variance that allows
//     for autocorrelation (AR(1), from the first and second differences), against a threshold
//     from a permutation test: a series without change is flagged with probability about
//     Alpha (5%), for independent, skewed or autocorrelated noise.
//   - Quality: expected and present buckets, density, gaps, and the inferred publishing period
//     (the most common step between timestamps).
//
// Programming mistakes (a quantile outside [0, 1], an unknown estimator) panic with a "cwnb:"
// prefix; bad data and options return errors that name the input and the fix.
package ts
