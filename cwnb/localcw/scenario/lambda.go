package scenario

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// The lambda scenario: see doc.go for the story.

const (
	keepWarm = 10 // minutes an idle execution environment stays warm
)

// function is one Lambda function's traffic and behaviour.
type function struct {
	name        string
	bursty      bool    // thumbnailer: runs in bursts with idle gaps; orders-api: steady daily pattern
	rate        float64 // steady: mean invocations a minute; bursty: peak demand of the largest burst
	reserved    float64 // reserved concurrency (0: none, never throttled)
	warm        *shape  // duration of warm invocations, ms
	meanSec     float64 // mean duration in seconds (warm), for concurrency
	coldMin     float64 // ms a cold start adds at least
	coldSpan    float64 // ... plus up to this much
	errBefore   float64 // error rate before deploy
	errAfter    float64 // error rate from deploy on
	deploy      int64   // Unix seconds of a deploy (0: none)
	kRate, kJit uint64
	kConc       uint64
	kScale      uint64
	kBurst      uint64
	kCold       uint64
	kCount      uint64
	kVal        uint64
	kErr        uint64
}

func newFunction(seed int64, name string) *function {
	const scope = "lambda"
	return &function{
		name:   name,
		kRate:  keyOf(seed, scope, name, "rate"),
		kJit:   keyOf(seed, scope, name, "jitter"),
		kConc:  keyOf(seed, scope, name, "concurrency"),
		kScale: keyOf(seed, scope, name, "scale"),
		kBurst: keyOf(0, scope, name, "burst"), // burst times are part of the story, not of the seed
		kCold:  keyOf(seed, scope, name, "cold"),
		kCount: keyOf(seed, scope, name, "count"),
		kVal:   keyOf(seed, scope, name, "value"),
		kErr:   keyOf(seed, scope, name, "errors"),
	}
}

// burstSlot is the length of the slots in which a bursty function runs at most one burst.
const burstSlot = 20 * 60

// demand returns how many invocations were requested in the minute at sec.
func (f *function) demand(sec int64) float64 {
	if !f.bursty {
		noise := 1 + 0.08*smooth(f.kRate, sec, 1200) + 0.03*(2*unit(f.kJit, sec)-1)
		return math.Round(f.rate * traffic(sec) * noise)
	}
	// One burst per 20-minute slot with a probability that follows the daily pattern
	// (uploads happen in the busy hours): it starts 0-9 minutes into the slot and lasts
	// 3-10 minutes, rising to its peak and decaying.
	slot := floorDiv(sec, burstSlot)
	r := rng{at(f.kBurst, slot)}
	if r.float() > 0.2+0.6*busy(slot*burstSlot+burstSlot/2) {
		return 0
	}
	startMin := int64(r.float() * 10)
	length := 3 + int64(r.float()*8)
	peak := f.rate * (0.15 + 0.85*r.float())
	m := (sec-slot*burstSlot)/60 - startMin
	if m < 0 || m >= length {
		return 0
	}
	x := (float64(m) + 0.5) / float64(length)
	shape := math.Sin(math.Pi * x) // up and down over the burst
	jit := 1 + 0.1*(2*unit(f.kJit, sec)-1)
	return math.Round(peak * shape * jit)
}

// capacity returns the most invocations a minute the reserved concurrency allows.
func (f *function) capacity() float64 {
	if f.reserved == 0 {
		return math.Inf(1)
	}
	return math.Floor(f.reserved * 60 / f.meanSec)
}

// invocations returns the invocations that ran in the minute at sec.
func (f *function) invocations(sec int64) float64 { return math.Min(f.demand(sec), f.capacity()) }

// throttles returns the invocations rejected for lack of concurrency in the minute at sec.
func (f *function) throttles(sec int64) float64 { return f.demand(sec) - f.invocations(sec) }

// concurrency returns the peak number of concurrent executions in the minute at sec.
func (f *function) concurrency(sec int64) float64 {
	inv := f.invocations(sec)
	if inv == 0 {
		return 0
	}
	avg := inv / 60 * f.meanSec
	c := math.Ceil(avg*(1.5+0.5*unit(f.kConc, sec)) + 1)
	if f.reserved > 0 {
		c = math.Min(c, f.reserved)
	}
	return c
}

// coldStarts returns how many invocations of the minute at sec started a new execution
// environment: all of them after the deploy or after keepWarm idle minutes, otherwise the
// growth above the peak concurrency of the last keepWarm minutes, plus occasional
// recycling of old environments.
func (f *function) coldStarts(sec int64) int {
	c := f.concurrency(sec)
	if c == 0 {
		return 0
	}
	if f.deploy != 0 && sec >= f.deploy && sec < f.deploy+60 {
		return int(c)
	}
	prev := 0.0
	for m := int64(1); m <= keepWarm; m++ {
		t := sec - 60*m
		if f.deploy != 0 && sec >= f.deploy && t < f.deploy {
			break // environments from before the deploy are gone
		}
		prev = math.Max(prev, f.concurrency(t))
	}
	cold := math.Max(0, c-prev)
	if unit(f.kCold, sec) < c/240 { // an environment lives about four hours
		cold++
	}
	return int(math.Min(math.Min(cold, c), f.invocations(sec)))
}

// errorRate returns the share of invocations that fail in the minute at sec.
func (f *function) errorRate(sec int64) float64 {
	if f.deploy != 0 && sec >= f.deploy {
		return f.errAfter
	}
	return f.errBefore
}

func (f *function) errors(sec int64) float64 {
	r := rng{at(f.kErr, sec)}
	n := f.invocations(sec)
	return math.Min(n, float64(r.poisson(f.errorRate(sec)*n)))
}

// duration fills d with the durations of the minute's invocations: the warm ones as a
// histogram, the cold ones as individual values.
func (f *function) duration(sec int64, d *datum) bool {
	n := int(f.invocations(sec))
	if n == 0 {
		return false
	}
	cold := f.coldStarts(sec)
	jt := newJitter(at(f.kVal, sec))
	scale := 1 + 0.05*smooth(f.kScale, sec, 1800)
	r := rng{at(f.kCount, sec)}
	f.warm.emit(d, n-cold, &r, &jt, scale)
	if cold > 0 {
		d.extra = d.extra[:0]
		for _, c := range f.colds(sec, cold, scale, nil) {
			d.extra = append(d.extra, c.total)
		}
		for _, v := range d.extra {
			d.add(v, 1)
		}
	}
	return true
}

// coldInvocation is one cold start: its duration (init included) and the init part of it.
type coldInvocation struct{ total, init float64 }

// colds appends the n cold starts of the minute at sec to out, ordered by duration.
func (f *function) colds(sec int64, n int, scale float64, out []coldInvocation) []coldInvocation {
	rc := rng{at(f.kCold, sec)}
	start := len(out)
	for range n {
		u := rc.float()
		init := f.coldMin + f.coldSpan*u*u
		out = append(out, coldInvocation{init + f.sampleWarm(&rc)*scale, init})
	}
	slices.SortFunc(out[start:], func(a, b coldInvocation) int { return cmp.Compare(a.total, b.total) })
	return out
}

// coldsAt returns the cold starts of the minute at sec, ordered by duration, as duration
// puts them in the Duration metric.
func (f *function) coldsAt(sec int64, out []coldInvocation) []coldInvocation {
	if f.invocations(sec) < 1 {
		return out
	}
	return f.colds(sec, f.coldStarts(sec), 1+0.05*smooth(f.kScale, sec, 1800), out)
}

// sampleWarm draws one warm duration (a point inside a bin drawn from the warm shape).
func (f *function) sampleWarm(r *rng) float64 {
	u := r.float()
	j := 0
	for j < len(f.warm.cdf)-1 && f.warm.cdf[j] <= u {
		j++
	}
	e := gridEdges[f.warm.first+j]
	return e + e*(gridRatio-1)*r.float()
}

func newLambda(seed int64) Scenario {
	orders := newFunction(seed, "orders-api")
	orders.rate = 2200
	orders.warm = lognormal(42, 0.5)
	orders.coldMin, orders.coldSpan = 250, 650
	orders.errBefore, orders.errAfter = 0.005, 0.08
	orders.deploy = LambdaBadDeploy.Unix()

	thumbs := newFunction(seed, "thumbnailer")
	thumbs.bursty = true
	thumbs.rate = 1000
	thumbs.reserved = 10
	thumbs.warm = lognormal(850, 0.35)
	thumbs.coldMin, thumbs.coldSpan = 600, 900
	thumbs.errBefore, thumbs.errAfter = 0.003, 0.003

	fns := []*function{orders, thumbs}
	for _, f := range fns {
		f.meanSec = f.warm.mean() / 1000
	}
	set := &set{name: "lambda", lambda: map[string]*function{}}
	for _, f := range fns {
		set.lambda[f.name] = f
	}
	add := func(f *function, name, unitName string, gen func(sec int64, d *datum) bool) {
		m := Metric{Namespace: "AWS/Lambda", Name: name, Dims: []Dim{{"FunctionName", f.name}},
			Unit: unitName, Interval: time.Minute}
		set.series = append(set.series, series{m, gen})
	}
	for _, f := range fns {
		add(f, "Invocations", "Count", func(sec int64, d *datum) bool {
			n := f.invocations(sec)
			d.add(n, 1)
			return n > 0
		})
	}
	for _, f := range fns {
		add(f, "Duration", "Milliseconds", f.duration)
	}
	for _, f := range fns {
		add(f, "Errors", "Count", func(sec int64, d *datum) bool {
			d.add(f.errors(sec), 1)
			return f.invocations(sec) > 0
		})
	}
	for _, f := range fns {
		add(f, "Throttles", "Count", func(sec int64, d *datum) bool {
			d.add(f.throttles(sec), 1)
			return f.demand(sec) > 0
		})
	}
	for _, f := range fns {
		add(f, "ConcurrentExecutions", "Count", func(sec int64, d *datum) bool {
			c := f.concurrency(sec)
			d.add(c, 1)
			return c > 0
		})
	}
	return set
}
