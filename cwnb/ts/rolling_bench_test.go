package ts

import (
	"sync"
	"testing"
	"time"
)

var benchNanosCache sync.Map // n → Nanos

// benchNanos is benchSeries with its times on the compact axis (converted once, outside the timing,
// as a Result on one period holds them).
func benchNanos(n int) (Nanos, []float64) {
	t, v := benchSeries(n)
	if ns, ok := benchNanosCache.Load(n); ok {
		return ns.(Nanos), v
	}
	ns := NanosOf(t)
	benchNanosCache.Store(n, ns)
	return ns, v
}

func benchRollingNanos(b *testing.B, sizes []int, a Agg) {
	for _, n := range sizes {
		t, v := benchNanos(n)
		b.Run("n="+sizeName(n), func(b *testing.B) {
			loop(b, func() {
				if _, err := RollingNanos(t, v, RollingOptions{Window: 15 * time.Minute}, a); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// BenchmarkRollingNanosMean: pandas s.rolling("15min").mean(), on the compact time axis.
func BenchmarkRollingNanosMean(b *testing.B) { benchRollingNanos(b, benchSizes, Mean) }

// BenchmarkRollingNanosSum: pandas s.rolling("15min").sum(), on the compact time axis.
func BenchmarkRollingNanosSum(b *testing.B) { benchRollingNanos(b, benchSizes, Sum) }

// BenchmarkRollingNanosStd: pandas s.rolling("15min").std(), on the compact time axis.
func BenchmarkRollingNanosStd(b *testing.B) { benchRollingNanos(b, benchSizes, Std) }
