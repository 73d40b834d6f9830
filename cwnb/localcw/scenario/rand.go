package scenario

import "math"

// Counter-based randomness: every random number is a hash of (key, counter), where key
// mixes the seed, the scenario and the entity (endpoint, instance, function) and the counter
// is a timestamp or an index. Nothing carries state from one datum to the next, which is
// what makes a datum independent of the window it is generated in.

const golden = 0x9e3779b97f4a7c15 // 2^64 / φ, the splitmix64 increment

// mix64 is the splitmix64 finalizer: a bijective 64-bit hash with good avalanche.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// keyOf derives an entity key from the seed and a list of names.
func keyOf(seed int64, names ...string) uint64 {
	h := mix64(uint64(seed) ^ 0x6377_6e62) // "cwnb"
	for _, n := range names {
		// FNV-1a over the name, then mixed into h.
		f := uint64(14695981039346656037)
		for i := 0; i < len(n); i++ {
			f ^= uint64(n[i])
			f *= 1099511628211
		}
		h = mix64((h ^ f) + golden)
	}
	return h
}

// at returns the key for counter i under key k (e.g. k = an entity key, i = a timestamp).
func at(k uint64, i int64) uint64 { return mix64(k ^ mix64(uint64(i)*golden)) }

// unit returns a uniform number in [0, 1) for (k, i).
func unit(k uint64, i int64) float64 { return float64(mix64(k+uint64(i)*golden)>>11) * 0x1p-53 }

// rng is a splitmix64 stream started at a key: used for the few draws inside one datum.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += golden
	return mix64(r.s)
}

// float returns a uniform number in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) * 0x1p-53 }

// norm returns an approximately standard normal number (Irwin-Hall sum of four uniforms,
// rescaled: bounded by ±3.46, which keeps synthetic data free of absurd outliers).
func (r *rng) norm() float64 {
	x := r.next()
	s := float64(x&0xffff) + float64(x>>16&0xffff) + float64(x>>32&0xffff) + float64(x>>48)
	return (s/65536 - 2) * math.Sqrt(3)
}

// poisson draws a Poisson(lambda) count: inversion for small lambda, a rounded normal
// approximation above 30.
func (r *rng) poisson(lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		v := math.Round(lambda + math.Sqrt(lambda)*r.norm())
		if v < 0 {
			return 0
		}
		return int(v)
	}
	u := r.float()
	p := math.Exp(-lambda)
	c := p
	k := 0
	for u > c && k < 200 {
		k++
		p *= lambda / float64(k)
		c += p
	}
	return k
}

// smooth returns value noise in [-1, 1] that varies smoothly with sec: random values at
// knots every period seconds, joined with a smoothstep. Window-independent like the rest.
func smooth(k uint64, sec, period int64) float64 {
	i := floorDiv(sec, period)
	f := float64(sec-i*period) / float64(period)
	a := 2*unit(k, i) - 1
	b := 2*unit(k, i+1) - 1
	s := f * f * (3 - 2*f)
	return a + (b-a)*s
}

// ramp is a smoothstep from 0 at x = lo to 1 at x = hi.
func ramp(x, lo, hi float64) float64 {
	if x <= lo {
		return 0
	}
	if x >= hi {
		return 1
	}
	f := (x - lo) / (hi - lo)
	return f * f * (3 - 2*f)
}
