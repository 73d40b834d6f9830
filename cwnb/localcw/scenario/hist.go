package scenario

import "math"

// Latency-like metrics are published the way the CloudWatch agent publishes histograms: one
// datum per minute whose Values are distinct latencies and whose Counts say how many
// requests had them. The samples of a minute are not drawn one request at a time: the
// distribution's probability mass over a fixed log-spaced grid of bins gives each bin's
// expected count, which is rounded stochastically (so counts sum exactly to the number of
// requests), and each non-empty bin contributes one value, jittered inside the bin. That
// costs a few nanoseconds per bin (~30-40 bins a datum, one hash per four bins for the
// rounding and one for the jitter) whatever the request rate, and keeps percentiles accurate
// to the bin width (10%), better once the jitter averages over several minutes.

const (
	gridLo    = 4.0  // lower edge of bin 0, in the metric's unit (milliseconds)
	gridRatio = 1.10 // each bin is 10% wider than the previous one
	gridBins  = 100  // bins cover 4 ms .. 4 ms × 1.1^100 ≈ 55 s
)

// gridEdges[i] is the lower edge of bin i; gridEdges[gridBins] the upper edge of the last.
var gridEdges = func() (e [gridBins + 1]float64) {
	for i := range e {
		e[i] = gridLo * math.Pow(gridRatio, float64(i))
	}
	return e
}()

// minBinMass is the probability below which a bin is left out of a shape: at the request
// rates here (a few hundred to a few thousand a minute) such a bin would be empty most
// minutes. For the api's log-normal (σ = 0.45) this cuts the tails beyond about ±3.4σ
// (about 3×10⁻⁴ of the mass on each side).
const minBinMass = 2e-4

// shape is a latency distribution over the grid: the probability of bins first..last-1.
// first and last are multiples of 4 (the random bits come 16 to a bin, four bins to a
// hash), so a shape may begin and end with bins of probability 0.
type shape struct {
	first, last int
	p           []float64 // p[i-first]: probability of bin i; sums to 1
	cdf         []float64 // cdf[i-first]: probability of bins first..i
	mode        int       // the most probable bin (absolute index)
	pmax        float64   // its probability
}

// lognormal returns the shape of a log-normal distribution with the given median and
// log-scale standard deviation sigma, restricted to the grid bins holding at least
// minBinMass and renormalised.
func lognormal(median, sigma float64) *shape {
	mu := math.Log(median)
	phi := func(x float64) float64 { return 0.5 * math.Erfc(-(math.Log(x)-mu)/(sigma*math.Sqrt2)) }
	var all [gridBins]float64
	lo, hi := -1, 0
	sum := 0.0
	for i := range all {
		p := phi(gridEdges[i+1]) - phi(gridEdges[i])
		if p >= minBinMass {
			if lo < 0 {
				lo = i
			}
			hi = i + 1
		}
		all[i] = p
	}
	if lo < 0 {
		panic("cwnb: scenario: log-normal shape falls outside the latency grid")
	}
	for i := lo; i < hi; i++ {
		sum += all[i]
	}
	sh := &shape{first: lo &^ 3, last: min(gridBins, (hi+3)&^3)}
	c := 0.0
	for i := sh.first; i < sh.last; i++ {
		p := 0.0
		if i >= lo && i < hi {
			p = all[i] / sum
		}
		if p > sh.pmax {
			sh.mode, sh.pmax = i, p
		}
		c += p
		sh.p = append(sh.p, p)
		sh.cdf = append(sh.cdf, c)
	}
	for j := hi - sh.first; j < len(sh.cdf); j++ {
		sh.cdf[j] = 1
	}
	sh.cdf[hi-1-sh.first] = 1
	return sh
}

// mean returns the shape's mean as the grid sees it (bin midpoints weighted by mass).
func (sh *shape) mean() float64 {
	m := 0.0
	for j, p := range sh.p {
		i := sh.first + j
		m += p * 0.5 * (gridEdges[i] + gridEdges[i+1])
	}
	return m
}

// The bin counts of a minute with n samples: each bin's expected count n×p is rounded down
// or up at random (up with probability equal to its fraction), so the counts are whole and
// unbiased; the few samples this leaves over or short are added to or taken from the most
// probable bin, so they sum to exactly n. Below a few samples (when even the most
// probable bin expects fewer than two samples), samples are placed one by one instead.

// small reports whether n samples are too few for rounding expected counts.
func (sh *shape) small(n int) bool { return float64(n)*sh.pmax < 2 }

// counts returns the number of samples, out of n, that fall in each bin of sh (index j is bin
// sh.first+j), drawing from r. The counts sum to exactly n. The slice is d.scratch. emit
// computes the same counts.
func (sh *shape) counts(d *datum, n int, r *rng) []float64 {
	cs := d.scratch[:len(sh.p)]
	clear(cs)
	if n <= 0 {
		return cs
	}
	if sh.small(n) {
		for k := 0; k < n; k++ {
			u := r.float()
			j := 0
			for j < len(sh.cdf)-1 && sh.cdf[j] <= u {
				j++
			}
			cs[j]++
		}
		return cs
	}
	fn := float64(n)
	total := 0.0
	for j := 0; j < len(cs); j += 4 {
		h := r.next()
		for k := range 4 {
			v := float64(int64(fn*sh.p[j+k] + float64(h>>(16*k)&0xffff)*0x1p-16))
			cs[j+k] = v
			total += v
		}
	}
	fix(cs, sh.mode-sh.first, fn-total)
	return cs
}

// fix adds diff to cs[mode], keeping it ≥ 1; what it cannot take from there it takes from
// the other entries in order, down to 0.
func fix(cs []float64, mode int, diff float64) {
	if diff >= 0 {
		cs[mode] += diff
		return
	}
	take := math.Min(cs[mode]-1, -diff)
	cs[mode] -= take
	diff += take
	for j := 0; diff < 0 && j < len(cs); j++ {
		take := math.Min(cs[j], -diff)
		cs[j] -= take
		diff += take
	}
}

// emit appends the samples counts would give (the same counts, bin by bin) directly to d,
// one value per non-empty bin in ascending order: the fast path for a datum made of one
// shape.
func (sh *shape) emit(d *datum, n int, r *rng, jt *jitter, scale float64) {
	if n <= 0 {
		return
	}
	if sh.small(n) {
		d.addCounts(sh, sh.counts(d, n, r), jt, scale)
		return
	}
	base := len(d.counts)
	vals := d.values[base:cap(d.values)]
	cnts := d.counts[base:cap(d.counts)]
	if len(vals) < len(sh.p) {
		panic("cwnb: scenario: datum buffer too small for a shape")
	}
	fn := float64(n)
	total := 0.0
	w := 0
	mode := 0
	for j := 0; j < len(sh.p); j += 4 {
		// Four bins per hash for the rounding and four per hash for the jitter. Every bin is
		// written and kept only when non-empty: no unpredictable branch in the sparse tails.
		i := sh.first + j
		hr := r.next()
		hv := jt.block(i)
		e := gridEdges[i : i+4]
		p := sh.p[j : j+4]
		for k := range 4 {
			v := float64(int64(fn*p[k] + float64(hr>>(16*k)&0xffff)*0x1p-16))
			total += v
			u := float64(hv>>(16*k)&0xffff) * (0x1p-16 * (gridRatio - 1))
			x := e[k] * scale
			vals[w] = x + x*u // as jitter.value computes it, bit for bit
			cnts[w] = v
			if i+k == sh.mode {
				mode = w
			}
			w += int(uint64(-int64(v)) >> 63) // +1 if v > 0
		}
	}
	fix(cnts[:w], mode, fn-total)
	if fn-total < 0 {
		// fix emptied some entries (rare): drop them.
		k := 0
		for j := range w {
			if cnts[j] > 0 {
				vals[k], cnts[k] = vals[j], cnts[j]
				k++
			}
		}
		w = k
	}
	d.values, d.counts = d.values[:base+w], d.counts[:base+w]
}

// jitter gives the per-datum position of each bin's value inside the bin: 16 random bits
// per bin from the datum's jitter key, one hash per four bins.
type jitter struct{ k uint64 }

func newJitter(k uint64) jitter { return jitter{k: k} }

// block returns the jitter bits of bins i..i+3 (i a multiple of 4), 16 per bin.
func (jt *jitter) block(i int) uint64 { return mix64(jt.k + uint64(i>>2)*golden) }

// value returns the value of bin i: a point inside the bin, times scale.
func (jt *jitter) value(i int, scale float64) float64 {
	u := float64(jt.block(i&^3)>>(16*(i&3))&0xffff) * (0x1p-16 * (gridRatio - 1))
	x := gridEdges[i] * scale
	return x + x*u
}

// addCounts appends one value per non-empty bin of cs (bins sh.first...) with its count.
func (d *datum) addCounts(sh *shape, cs []float64, jt *jitter, scale float64) {
	for j, c := range cs {
		if c > 0 {
			d.add(jt.value(sh.first+j, scale), c)
		}
	}
}

// emitBins appends one value per non-empty bin in lo..hi-1 (ascending) with its count, and
// empties those bins.
func (d *datum) emitBins(lo, hi int, jt *jitter, scale float64) {
	for i := lo; i < hi; i++ {
		if c := d.bins[i]; c > 0 {
			d.add(jt.value(i, scale), c)
			d.bins[i] = 0
		}
	}
}
