package cwstat

// Rollup is how values of one statistic computed over fine periods combine into the value
// over a coarser period that covers them (re-aggregation, e.g. 1-minute values into 1 hour).
type Rollup int

// The ways a statistic re-aggregates.
const (
	// RollupNone: the statistic cannot be derived from finer periods (percentiles, IQM,
	// percentage-bound TM/WM/TC/TS): the p99 of an hour lies somewhere between the smallest and
	// the largest minute p99, nothing more. Fetch it again at the coarser period.
	RollupNone Rollup = iota
	// RollupSum: the coarse value is the sum of the fine values (Sum, SampleCount,
	// absolute-bound TC and TS).
	RollupSum
	// RollupMin: the coarse value is the smallest fine value (Minimum).
	RollupMin
	// RollupMax: the coarse value is the largest fine value (Maximum).
	RollupMax
	// RollupWeightedMean: the coarse value is Σ vᵢwᵢ / Σ wᵢ, where wᵢ is the value of the
	// statistic Stat.Weight returns over the same fine period: SampleCount for Average,
	// absolute-bound WM and PR; TC with the same bounds for absolute-bound TM. Never the
	// plain mean of the fine values.
	RollupWeightedMean
)

var rollupNames = [...]string{"RollupNone", "RollupSum", "RollupMin", "RollupMax", "RollupWeightedMean"}

// String returns the constant's name, e.g. "RollupSum".
func (r Rollup) String() string {
	if r >= 0 && int(r) < len(rollupNames) {
		return rollupNames[r]
	}
	return "Rollup(?)"
}

// Rollup returns how s re-aggregates from finer periods; see the Rollup constants.
func (s Stat) Rollup() Rollup {
	switch s.Kind {
	case Sum, SampleCount:
		return RollupSum
	case Minimum:
		return RollupMin
	case Maximum:
		return RollupMax
	case Average:
		return RollupWeightedMean
	case TrimmedCount, TrimmedSum:
		if s.Absolute {
			return RollupSum
		}
	case TrimmedMean, WinsorizedMean, PercentileRank:
		if s.Absolute {
			return RollupWeightedMean
		}
	}
	return RollupNone
}

// Weight returns the statistic whose fine-period values weight s in a RollupWeightedMean
// re-aggregation: SampleCount for Average, absolute-bound WM and PR, and TC with the same
// bounds for absolute-bound TM. ok is false when s does not roll up as a weighted mean.
func (s Stat) Weight() (w Stat, ok bool) {
	if s.Rollup() != RollupWeightedMean {
		return Stat{}, false
	}
	if s.Kind == TrimmedMean {
		w = s
		w.Kind = TrimmedCount
		return w, true
	}
	return Stat{Kind: SampleCount}, true
}
