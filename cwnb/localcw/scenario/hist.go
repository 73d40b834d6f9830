package scenario

import "math"

// Latency-like metrics are published the way the CloudWatch agent publishes histograms: one
// datum per minute whose Values are distinct latencies and whose Counts say how many
// requests had them. The samples of a minute are not drawn one request at a time: the
// distribution's probability mass over a fixed log-spaced grid of bins gives each bin's
// expected count, which is rounded stochastically (so counts sum exactly to the number of
// requests), and each non-empty bin contributes one value, jittered inside the bin. That
// costs one hash per bin (~40 per datum) whatever the request rate, and keeps percentiles
// accurate to the bin width (10%), less after the jitter averages over several minutes.

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
// minutes. For a log-normal this cuts the tails beyond about ±3.5σ (mass 5×10⁻⁴).
const minBinMass = 2e-4

// shape is a latency distribution over the grid: the probability of bins first..last-1.
type shape struct {
	first, last int
	p           []float64 // p[i-first]: probability of bin i; sums to 1
	cdf         []float64 // cdf[i-first]: probability of bins first..i
}

// lognormal returns the shape of a log-normal distribution with the given median and
// log-scale standard deviation sigma, restricted to the grid bins holding at least
// minBinMass and renormalised.
func lognormal(median, sigma float64) *shape {
	mu := math.Log(median)
	phi := func(x float64) float64 { return 0.5 * math.Erfc(-(math.Log(x)-mu)/(sigma*math.Sqrt2)) }
	sh := &shape{first: -1}
	var all [gridBins]float64
	for i := range all {
		all[i] = phi(gridEdges[i+1]) - phi(gridEdges[i])
		if all[i] >= minBinMass {
			if sh.first < 0 {
				sh.first = i
			}
			sh.last = i + 1
		}
	}
	if sh.first < 0 {
		panic("cwnb: scenario: log-normal shape falls outside the latency grid")
	}
	sum := 0.0
	for i := sh.first; i < sh.last; i++ {
		sum += all[i]
	}
	c := 0.0
	for i := sh.first; i < sh.last; i++ {
		p := all[i] / sum
		c += p
		sh.p = append(sh.p, p)
		sh.cdf = append(sh.cdf, c)
	}
	sh.cdf[len(sh.cdf)-1] = 1
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

// smallN is the request count below which samples are placed one by one instead of by
// rounding expected bin counts (rounding many bins to a small total would distort them).
const smallN = 64

// counts returns the number of samples, out of n, that fall in each bin of sh (index j is bin
// sh.first+j), drawing from r. The counts sum to exactly n. The slice is d.scratch.
func (sh *shape) counts(d *datum, n int, r *rng) []float64 {
	cs := d.scratch[:len(sh.p)]
	clear(cs)
	if n <= 0 {
		return cs
	}
	if n < smallN {
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
	mode := 0
	var h uint64
	for j, p := range sh.p {
		// Stochastic rounding of the expected count, with 16 random bits per bin.
		if j&3 == 0 {
			h = r.next()
		}
		u := float64(h>>(16*(j&3))&0xffff) * 0x1p-16
		v := float64(int64(fn*p + u)) // ⌊x⌋ for x ≥ 0, as emit computes it
		cs[j] = v
		total += v
		if v > cs[mode] {
			mode = j
		}
	}
	diff := fn - total
	if diff > 0 {
		cs[mode] += diff
	}
	if diff < 0 {
		take := math.Min(cs[mode]-1, -diff)
		cs[mode] -= take
		diff += take
		for j := range cs {
			if diff >= 0 {
				break
			}
			take := math.Min(cs[j], -diff)
			cs[j] -= take
			diff += take
		}
	}
	return cs
}

// emit appends the samples counts would give (the same counts, bin by bin) directly to d,
// one value per non-empty bin in ascending order: the fast path for a datum made of one
// shape.
func (sh *shape) emit(d *datum, n int, r *rng, jt *jitter, scale float64) {
	if n < smallN {
		d.addCounts(sh, sh.counts(d, n, r), jt, scale)
		return
	}
	base := len(d.counts)
	w := base
	vals := d.values[:cap(d.values)]
	cnts := d.counts[:cap(d.counts)]
	if len(vals)-base < len(sh.p) {
		panic("cwnb: scenario: datum buffer too small for a shape")
	}
	fn := float64(n)
	total := 0.0
	mode := -1
	modeC := 0.0
	var h uint64
	for j, p := range sh.p {
		if j&3 == 0 {
			h = r.next()
		}
		u := float64(h>>(16*(j&3))&0xffff) * 0x1p-16
		v := float64(int64(fn*p + u)) // ⌊x⌋ for x ≥ 0, cheaper than math.Floor
		// Written unconditionally, kept only when non-empty: no unpredictable branch in
		// the sparse tails.
		vals[w] = jt.value(sh.first+j, scale)
		cnts[w] = v
		if v > modeC {
			mode, modeC = w, v
		}
		total += v
		if v > 0 {
			w++
		}
	}
	d.values, d.counts = vals[:w], cnts[:w]
	diff := fn - total
	if diff > 0 {
		d.counts[mode] += diff
	}
	if diff < 0 {
		take := math.Min(d.counts[mode]-1, -diff)
		d.counts[mode] -= take
		diff += take
		if diff < 0 {
			// Rare: take the rest from the first bins, dropping those that empty.
			w := base
			for j := base; j < len(d.counts); j++ {
				if diff < 0 {
					take := math.Min(d.counts[j], -diff)
					d.counts[j] -= take
					diff += take
				}
				if d.counts[j] > 0 {
					d.values[w], d.counts[w] = d.values[j], d.counts[j]
					w++
				}
			}
			d.values, d.counts = d.values[:w], d.counts[:w]
		}
	}
}

// jitter gives the per-datum position of each bin's value inside the bin: 16 random bits
// per bin from the datum's jitter key, one hash per four bins.
type jitter struct {
	k     uint64
	block int
	h     uint64
}

func newJitter(k uint64) jitter { return jitter{k: k, block: -1} }

// value returns the value of bin i: a point inside the bin, times scale.
func (jt *jitter) value(i int, scale float64) float64 {
	if b := i >> 2; b != jt.block {
		jt.block = b
		jt.h = mix64(jt.k + uint64(b)*golden)
	}
	u := float64(jt.h>>(16*(i&3))&0xffff) * (0x1p-16 * (gridRatio - 1))
	e := gridEdges[i] * scale
	return e + e*u
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
