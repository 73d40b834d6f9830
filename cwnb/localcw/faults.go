package localcw

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Faults configures opt-in fault injection. The zero value injects nothing.
type Faults struct {
	// Throttle is the probability (0..1) that a request fails with ThrottlingException
	// ("Rate exceeded", HTTP 400), which the SDK retries.
	Throttle float64
	// Rate, when positive, limits requests per second (token bucket of Burst); requests over it
	// fail with ThrottlingException, as the real service's 50 TPS quota does.
	Rate float64
	// Burst is the token bucket size for Rate; 0 means max(1, Rate).
	Burst int
	// Error5xx is the probability (0..1) that a request fails with HTTP 500 InternalServiceFault
	// (half of them) or 503 ServiceUnavailable, which the SDK retries.
	Error5xx float64
	// Latency is added before every response.
	Latency time.Duration
	// PageSize, when positive, caps GetMetricData's MaxDatapoints and ListMetrics' page size, so
	// that responses are cut into many pages.
	PageSize int
	// Seed makes the random faults reproducible: the same seed and the same request sequence
	// give the same faults. 0 is a fixed default seed.
	Seed uint64
}

// Enabled reports whether any fault is configured.
func (f Faults) Enabled() bool {
	return f.Throttle > 0 || f.Rate > 0 || f.Error5xx > 0 || f.Latency > 0 || f.PageSize > 0
}

// String returns f in the syntax ParseFaults reads.
func (f Faults) String() string {
	var parts []string
	if f.Throttle > 0 {
		parts = append(parts, "throttle="+strconv.FormatFloat(f.Throttle, 'g', -1, 64))
	}
	if f.Rate > 0 {
		parts = append(parts, "rate="+strconv.FormatFloat(f.Rate, 'g', -1, 64))
	}
	if f.Burst > 0 {
		parts = append(parts, "burst="+strconv.Itoa(f.Burst))
	}
	if f.Error5xx > 0 {
		parts = append(parts, "5xx="+strconv.FormatFloat(f.Error5xx, 'g', -1, 64))
	}
	if f.Latency > 0 {
		parts = append(parts, "latency="+f.Latency.String())
	}
	if f.PageSize > 0 {
		parts = append(parts, "pagesize="+strconv.Itoa(f.PageSize))
	}
	if f.Seed != 0 {
		parts = append(parts, "seed="+strconv.FormatUint(f.Seed, 10))
	}
	return strings.Join(parts, ",")
}

// ParseFaults reads a comma-separated fault specification, for example
// "throttle=0.3,rate=20,5xx=0.05,latency=20ms,pagesize=50,seed=7". Keys: throttle and 5xx
// (probabilities 0..1), rate (requests per second), burst (token bucket size), latency (a Go
// duration), pagesize (datapoints per GetMetricData page, metrics per ListMetrics page), seed.
// An empty spec or "none" is no faults.
func ParseFaults(spec string) (Faults, error) {
	var f Faults
	spec = strings.TrimSpace(spec)
	if spec == "" || spec == "none" {
		return f, nil
	}
	seen := map[string]bool{}
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		key, val, ok := strings.Cut(item, "=")
		if !ok {
			return Faults{}, fmt.Errorf("fault %q has no value; write key=value, e.g. throttle=0.1", item)
		}
		key, val = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(val)
		if seen[key] {
			return Faults{}, fmt.Errorf("fault %s is given twice; give each fault once", key)
		}
		seen[key] = true
		prob := func() (float64, error) {
			p, err := strconv.ParseFloat(val, 64)
			// !(0 <= p <= 1) also refuses NaN, which every comparison fails.
			if err != nil || !(p >= 0 && p <= 1) {
				return 0, fmt.Errorf("fault %s=%s: want a probability between 0 and 1, e.g. %s=0.1", key, val, key)
			}
			return p, nil
		}
		positiveInt := func() (int, error) {
			n, err := strconv.Atoi(val)
			if err != nil || n <= 0 {
				return 0, fmt.Errorf("fault %s=%s: want a positive integer, e.g. %s=50", key, val, key)
			}
			return n, nil
		}
		var err error
		switch key {
		case "throttle":
			f.Throttle, err = prob()
		case "5xx":
			f.Error5xx, err = prob()
		case "rate":
			f.Rate, err = strconv.ParseFloat(val, 64)
			if err != nil || !(f.Rate > 0) || math.IsInf(f.Rate, 0) {
				err = fmt.Errorf("fault rate=%s: want a finite number of requests per second above 0, e.g. rate=20", val)
			}
		case "burst":
			f.Burst, err = positiveInt()
		case "latency":
			f.Latency, err = time.ParseDuration(val)
			if err != nil || f.Latency < 0 {
				err = fmt.Errorf("fault latency=%s: want a non-negative Go duration, e.g. latency=20ms", val)
			}
		case "pagesize":
			f.PageSize, err = positiveInt()
		case "seed":
			f.Seed, err = strconv.ParseUint(val, 10, 64)
			if err != nil {
				err = fmt.Errorf("fault seed=%s: want a non-negative integer", val)
			}
		default:
			return Faults{}, fmt.Errorf("unknown fault %q; use throttle, rate, burst, 5xx, latency, pagesize or seed", key)
		}
		if err != nil {
			return Faults{}, err
		}
	}
	if err := f.Validate(); err != nil {
		return Faults{}, err
	}
	return f, nil
}

// Validate reports the first field of f that cannot be honoured: a probability that is not
// between 0 and 1 (NaN included), a rate that is negative, NaN or infinite, a negative burst,
// latency or page size. ParseFaults and Run call it; the zero value is valid.
func (f Faults) Validate() error {
	for _, p := range []struct {
		name string
		v    float64
	}{{"Throttle", f.Throttle}, {"Error5xx", f.Error5xx}} {
		if !(p.v >= 0 && p.v <= 1) {
			return fmt.Errorf("faults: %s %v is not a probability; use a value between 0 and 1", p.name, p.v)
		}
	}
	switch {
	case !(f.Rate >= 0) || math.IsInf(f.Rate, 0):
		return fmt.Errorf("faults: Rate %v is not a finite number of requests per second; use 0 (no limit) or a positive number", f.Rate)
	case f.Burst < 0:
		return fmt.Errorf("faults: Burst %d is negative; use 0 (the rate) or a positive size", f.Burst)
	case f.Latency < 0:
		return fmt.Errorf("faults: Latency %v is negative; use 0 or a positive duration", f.Latency)
	case f.PageSize < 0:
		return fmt.Errorf("faults: PageSize %d is negative; use 0 (no cap) or a positive size", f.PageSize)
	}
	return nil
}

// injector applies Faults to requests.
type injector struct {
	f       Faults
	mu      sync.Mutex
	rng     *rand.Rand
	limiter *rate.Limiter
}

func newInjector(f Faults) *injector {
	in := &injector{f: f, rng: rand.New(rand.NewPCG(f.Seed, 0x9e3779b97f4a7c15))}
	if f.Rate > 0 {
		burst := f.Burst
		if burst <= 0 {
			burst = max(1, int(f.Rate))
		}
		in.limiter = rate.NewLimiter(rate.Limit(f.Rate), burst)
	}
	return in
}

// before decides the fate of one request: a non-nil error is the response to send instead.
// The added latency ends early when the client goes away (ctx done).
func (in *injector) before(ctx context.Context) *apiError {
	if in.f.Latency > 0 {
		t := time.NewTimer(in.f.Latency)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
	}
	if in.limiter != nil && !in.limiter.Allow() {
		return throttling()
	}
	if in.f.Throttle <= 0 && in.f.Error5xx <= 0 {
		return nil
	}
	in.mu.Lock()
	r1, r2 := in.rng.Float64(), in.rng.Float64()
	in.mu.Unlock()
	if r1 < in.f.Throttle {
		return throttling()
	}
	if r2 < in.f.Error5xx {
		if r2 < in.f.Error5xx/2 {
			return internalFault("Internal service error (injected fault)")
		}
		return serviceUnavailable()
	}
	return nil
}
