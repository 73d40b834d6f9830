package scenario

import (
	"math"
	"slices"
	"time"
)

// The api scenario: see doc.go for the story. The same model drives the bench scenario.

const (
	apiNamespace = "MyService/API"
	apiService   = "checkout"

	// backupMinutes is how long the hourly backup job runs, from minute :00 of every hour.
	backupMinutes = 5
	// slowFraction is the share of requests the backup makes very slow. p99 needs more than 1%
	// of a period's requests above 3 s to exceed 3 s; 1.4% keeps that true at 1-minute periods
	// (≥ 400 requests a minute) while adding as little as possible to the average.
	slowFraction = 0.014
	slowMin      = 3300.0 // ms: the fastest a backup-blocked request gets
	slowSpan     = 2700.0 // ms: the slowest is slowMin+slowSpan = 6 s; mass concentrates low (u³)

	errRate       = 0.0015 // 5XX share of requests normally
	errRateBackup = 0.006  // and during the backup
)

// endpoint is one request stream: its traffic and latency distribution.
type endpoint struct {
	name   string
	rate   float64 // mean requests per minute over a day
	sh     *shape
	kRate  uint64 // request-count noise
	kCount uint64 // bin-count rounding
	kSlow  uint64 // slow-request count and values
	kErr   uint64 // 5XX draws
}

func newEndpoint(seed int64, scope, name string, rate, median, sigma float64) endpoint {
	return endpoint{
		name:   name,
		rate:   rate,
		sh:     lognormal(median, sigma),
		kRate:  keyOf(seed, scope, name, "rate"),
		kCount: keyOf(seed, scope, name, "count"),
		kSlow:  keyOf(seed, scope, name, "slow"),
		kErr:   keyOf(seed, scope, name, "err"),
	}
}

// service is a group of endpoints sharing a latency "weather" (a per-minute scale factor and
// the per-minute bin jitter), so that a roll-up over endpoints is the exact union of their
// samples.
type service struct {
	kScale uint64
	kJit   uint64
}

func newService(seed int64, scope string) *service {
	return &service{kScale: keyOf(seed, scope, "scale"), kJit: keyOf(seed, scope, "jitter")}
}

// inBackup reports whether the hourly backup job runs during the minute starting at sec.
func inBackup(sec int64) bool { return minuteOfHour(sec) < backupMinutes }

// traffic is the daily request-rate pattern: ×0.75 at 05:00 UTC to ×1.25 at 17:00 UTC.
func traffic(sec int64) float64 { return trafficByMinute[floorMod(sec, 86400)/60] }

var trafficByMinute = func() (t [1440]float64) {
	for i := range t {
		t[i] = 1 + 0.25*math.Cos(2*math.Pi*(float64(i)/60-17)/24)
	}
	return t
}()

// requests returns how many requests e served in the minute starting at sec.
func (e *endpoint) requests(sec int64) int {
	noise := 1 + 0.06*smooth(e.kRate, sec, 900) + 0.03*(2*unit(e.kRate^golden, sec)-1)
	return int(math.Round(e.rate * traffic(sec) * noise))
}

// slow returns how many of n requests in the minute at sec the backup job made very slow.
func (e *endpoint) slow(sec int64, n int) int {
	if !inBackup(sec) {
		return 0
	}
	return int(slowFraction*float64(n) + unit(e.kSlow, sec))
}

// errors5xx returns how many of n requests in the minute at sec failed with a 5XX.
func (e *endpoint) errors5xx(sec int64, n int) int {
	rate := errRate
	if inBackup(sec) {
		rate = errRateBackup
	}
	r := rng{at(e.kErr, sec)}
	return r.poisson(rate * float64(n))
}

// scale is the service-wide latency factor of the minute at sec: slow drifts of ±4% over
// half-hours plus ±2% per-minute jitter.
func (s *service) scale(sec int64) float64 {
	x := 0.04*smooth(s.kScale, sec, 1800) + 0.02*(2*unit(s.kScale^golden, sec)-1)
	return 1 + x + x*x/2 // e^x to within 4×10⁻⁵ for |x| ≤ 0.06
}

// latency adds the samples of the endpoints in eps for the minute at sec to d: one value per
// non-empty latency bin (ascending), then the slow requests of the backup (ascending).
func (s *service) latency(eps []endpoint, sec int64, d *datum) bool {
	d.extra = d.extra[:0]
	jt := newJitter(at(s.kJit, sec))
	scale := s.scale(sec)
	lo, hi := gridBins, 0
	for i := range eps {
		e := &eps[i]
		n := e.requests(sec)
		k := e.slow(sec, n)
		r := rng{at(e.kCount, sec)}
		if len(eps) == 1 {
			e.sh.emit(d, n-k, &r, &jt, scale)
		} else {
			lo, hi = min(lo, e.sh.first), max(hi, e.sh.last)
			b := d.bins[e.sh.first:e.sh.last]
			for j, c := range e.sh.counts(d, n-k, &r) {
				b[j] += c
			}
		}
		if k > 0 {
			// Stratified: the j-th of k values lies in the j-th k-quantile of the slow
			// distribution, so they come out ascending and spread over 3.3-6 s.
			rs := rng{at(e.kSlow, sec)}
			for j := range k {
				u := (float64(j) + rs.float()) / float64(k)
				d.extra = append(d.extra, slowMin+slowSpan*u*u*u)
			}
		}
	}
	if hi > lo {
		d.emitBins(lo, hi, &jt, scale)
	}
	if len(d.extra) > 0 {
		if len(eps) > 1 {
			slices.Sort(d.extra)
		}
		for _, v := range d.extra {
			d.add(v, 1)
		}
	}
	return len(d.values) > 0
}

func newAPI(seed int64) Scenario {
	const scope = "api"
	eps := []endpoint{
		newEndpoint(seed, scope, "/cart", 650, 160, 0.45),
		newEndpoint(seed, scope, "/items", 800, 175, 0.45),
		newEndpoint(seed, scope, "/pay", 600, 195, 0.45),
	}
	svc := newService(seed, scope)
	metric := func(name, unit, ep string) Metric {
		dims := []Dim{{"Service", apiService}}
		if ep != "" {
			dims = []Dim{{"Endpoint", ep}, {"Service", apiService}}
		}
		return Metric{Namespace: apiNamespace, Name: name, Dims: dims, Unit: unit, Interval: time.Minute}
	}
	set := &set{name: "api"}
	// Each metric per endpoint, then the service-wide roll-up (dimension Service only), which
	// is exactly the union of the endpoints' samples, as an application publishing both
	// dimension sets would produce.
	for i := range eps {
		set.series = append(set.series, series{metric("Latency", "Milliseconds", eps[i].name),
			func(sec int64, d *datum) bool { return svc.latency(eps[i:i+1], sec, d) }})
	}
	set.series = append(set.series, series{metric("Latency", "Milliseconds", ""),
		func(sec int64, d *datum) bool { return svc.latency(eps, sec, d) }})
	for i := range eps {
		set.series = append(set.series, series{metric("RequestCount", "Count", eps[i].name),
			func(sec int64, d *datum) bool { d.add(float64(eps[i].requests(sec)), 1); return true }})
	}
	set.series = append(set.series, series{metric("RequestCount", "Count", ""),
		func(sec int64, d *datum) bool {
			n := 0
			for i := range eps {
				n += eps[i].requests(sec)
			}
			d.add(float64(n), 1)
			return true
		}})
	for i := range eps {
		set.series = append(set.series, series{metric("5XXError", "Count", eps[i].name),
			func(sec int64, d *datum) bool {
				e := &eps[i]
				d.add(float64(e.errors5xx(sec, e.requests(sec))), 1)
				return true
			}})
	}
	set.series = append(set.series, series{metric("5XXError", "Count", ""),
		func(sec int64, d *datum) bool {
			n := 0
			for i := range eps {
				e := &eps[i]
				n += e.errors5xx(sec, e.requests(sec))
			}
			d.add(float64(n), 1)
			return true
		}})
	return set
}
