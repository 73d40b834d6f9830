package alarm

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// DefaultRange is the evaluation range used when Options.Range is zero: N + max(⌊N/3⌋, 2). It
// matches the only size CloudWatch publishes (N = 3 → 5); the service's exact rule is not
// published.
func DefaultRange(n int) int { return n + max(n/3, 2) }

// Options are the knobs of a replay that the documentation leaves open. Zero fields mean the
// documented default.
type Options struct {
	// Range is the number of buckets in the evaluation range. Zero: DefaultRange(N). It is
	// raised to N if smaller.
	Range int
	// Latency is the ingestion delay: a bucket counts only if it ended at least Latency before
	// the evaluation time. Zero: every bucket that ended is final.
	Latency time.Duration
	// Initial is the state before the first evaluation. Zero: INSUFFICIENT_DATA.
	Initial State
}

// Decision is the outcome of one evaluation.
type Decision struct {
	State State
	// Kept is set when the state was kept rather than decided (ignore, the low-sample rule).
	Kept bool
	// Points are the evaluated values, oldest first; NaN for a missing point that was filled.
	Points []float64
	// Breaches counts the breaching points, fills included.
	Breaches int
	// Premature is set when the early-ALARM rule decided.
	Premature bool
}

// Decide evaluates an alarm once. v is the evaluation range, oldest first, NaN for a missing
// bucket; samples, when not nil, holds each bucket's sample count for the low-sample percentile
// rule; cur is the current state. The rules are in the package documentation.
func (d *Definition) Decide(v, samples []float64, cur State) Decision {
	n, m, tmd := d.EvaluationPeriods, d.M(), d.Treat()
	real := 0
	for _, x := range v {
		if !math.IsNaN(x) {
			real++
		}
	}
	if real == 0 {
		switch tmd {
		case Ignore:
			return Decision{State: cur, Kept: true}
		case Breaching:
			return Decision{State: Alarm, Points: nanPoints(n), Breaches: n}
		case NotBreaching:
			return Decision{State: OK, Points: nanPoints(n)}
		}
		return Decision{State: InsufficientData}
	}
	if limit, ok := d.lowSampleLimit(); ok && samples != nil {
		// The points the evaluation would use: the most recent min(N, real) real points.
		used := 0
		for i := len(v) - 1; i >= 0 && used < n; i-- {
			if math.IsNaN(v[i]) {
				continue
			}
			used++
			if samples[i] < limit {
				return Decision{State: cur, Kept: true}
			}
		}
	}
	if (tmd == Missing || tmd == Ignore) && m > 1 && d.premature(v, m) {
		dec := Decision{Premature: true, Points: append([]float64(nil), v[len(v)-m:]...)}
		for _, x := range dec.Points {
			if !math.IsNaN(x) {
				dec.Breaches++
			}
		}
		if tmd == Ignore {
			dec.State, dec.Kept = cur, true
		} else {
			dec.State = Alarm
		}
		return dec
	}
	var pts []float64
	if real >= n {
		pts = make([]float64, 0, n)
		for i := len(v) - 1; i >= 0 && len(pts) < n; i-- {
			if !math.IsNaN(v[i]) {
				pts = append(pts, v[i])
			}
		}
		reverse(pts)
	} else {
		pts = make([]float64, 0, n)
		for _, x := range v {
			if !math.IsNaN(x) {
				pts = append(pts, x)
			}
		}
	}
	breaches := 0
	for _, x := range pts {
		if d.Comparison.Breaches(x, d.Threshold) {
			breaches++
		}
	}
	if real < n {
		fill := n - real
		switch tmd {
		case Breaching:
			breaches += fill
			pts = append(nanPoints(fill), pts...)
		case NotBreaching:
			pts = append(nanPoints(fill), pts...)
		}
	}
	st := OK
	if breaches >= m {
		st = Alarm
	}
	return Decision{State: st, Points: pts, Breaches: breaches}
}

// premature is the early-ALARM rule: every point older than the m-th newest is missing, the m-th
// newest breaches and every newer real point breaches.
func (d *Definition) premature(v []float64, m int) bool {
	if len(v) < m {
		return false
	}
	k := len(v) - m
	for _, x := range v[:k] {
		if !math.IsNaN(x) {
			return false
		}
	}
	if math.IsNaN(v[k]) || !d.Comparison.Breaches(v[k], d.Threshold) {
		return false
	}
	for _, x := range v[k+1:] {
		if !math.IsNaN(x) && !d.Comparison.Breaches(x, d.Threshold) {
			return false
		}
	}
	return true
}

func nanPoints(n int) []float64 {
	p := make([]float64, n)
	for i := range p {
		p[i] = math.NaN()
	}
	return p
}

func reverse(a []float64) {
	for i, j := 0, len(a)-1; i < j; i, j = i+1, j-1 {
		a[i], a[j] = a[j], a[i]
	}
}

// Series is the data of a replay: the alarm's statistic over buckets of length Period, one
// bucket per Step, labelled by start. Values[i] is the bucket [Start+i·Step, Start+i·Step+Period);
// NaN is a bucket with no data. GetMetricData returns this for Period/Step queries whose
// StartTimes are Step apart, merged.
type Series struct {
	Start  time.Time
	Step   time.Duration
	Period time.Duration
	Values []float64
	// Samples, optional, is each bucket's SampleCount, for the low-sample percentile rule.
	Samples []float64
}

// End returns the start of the bucket after the last one.
func (s *Series) End() time.Time { return s.Start.Add(time.Duration(len(s.Values)) * s.Step) }

// Change is a state transition of a replay or of a real alarm's history.
type Change struct {
	Time     time.Time
	From, To State
	// Reason is the stateReason text, in the service's wording.
	Reason string
	// Points and PointTimes are the evaluated datapoints (oldest first) and their bucket starts.
	Points     []float64
	PointTimes []time.Time
	Premature  bool
}

// Timeline is the state of an alarm at every evaluation of a replay: States[i] holds from
// Start+i·Step until the next evaluation.
type Timeline struct {
	Name    string
	Start   time.Time
	Step    time.Duration
	States  []State
	Changes []Change
}

// End returns the end of the replayed window.
func (tl *Timeline) End() time.Time { return tl.Start.Add(time.Duration(len(tl.States)) * tl.Step) }

// At returns the state at time t (the state before Start is the first state's predecessor,
// reported as INSUFFICIENT_DATA, and after the end the last state).
func (tl *Timeline) At(t time.Time) State {
	if len(tl.States) == 0 || t.Before(tl.Start) {
		return InsufficientData
	}
	i := int(t.Sub(tl.Start) / tl.Step)
	if i >= len(tl.States) {
		i = len(tl.States) - 1
	}
	return tl.States[i]
}

// Interval is a span of one state.
type Interval struct {
	Start, End time.Time
	State      State
	// Reason is the reason of the change that started the interval ("" if it started the window).
	Reason string
}

// Intervals returns the timeline as maximal intervals of one state.
func (tl *Timeline) Intervals() []Interval {
	var out []Interval
	ci := 0
	for i := 0; i < len(tl.States); {
		j := i + 1
		for j < len(tl.States) && tl.States[j] == tl.States[i] {
			j++
		}
		t := tl.Start.Add(time.Duration(i) * tl.Step)
		iv := Interval{Start: t, End: tl.Start.Add(time.Duration(j) * tl.Step), State: tl.States[i]}
		for ci < len(tl.Changes) && tl.Changes[ci].Time.Before(t) {
			ci++
		}
		if ci < len(tl.Changes) && tl.Changes[ci].Time.Equal(t) {
			iv.Reason = tl.Changes[ci].Reason
		}
		out = append(out, iv)
		i = j
	}
	return out
}

// Replay evaluates d at every step of [from, to) over the data s and returns the timeline. from
// is rounded down to the evaluation step (1 minute; 10 s below a 1-minute period); s.Step must
// equal that step and s.Period the alarm's Period. Buckets outside s are missing.
func Replay(d *Definition, s *Series, from, to time.Time, opt Options) (*Timeline, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	step := d.Step()
	if s.Step != step {
		return nil, fmt.Errorf("alarm %q: data step is %v, want the evaluation step %v; fetch one query per %v of start time", d.Name, s.Step, step, step)
	}
	if s.Period != d.Period {
		return nil, fmt.Errorf("alarm %q: data period is %v, want the alarm's Period %v", d.Name, s.Period, d.Period)
	}
	if s.Samples != nil && len(s.Samples) != len(s.Values) {
		return nil, fmt.Errorf("alarm %q: data has %d values and %d sample counts; give one count per value or none", d.Name, len(s.Values), len(s.Samples))
	}
	if !to.After(from) {
		return nil, fmt.Errorf("alarm %q: replay window [%s, %s) is empty; end must be after start", d.Name, from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	r := opt.Range
	if r == 0 {
		r = DefaultRange(d.EvaluationPeriods)
	}
	r = max(r, d.EvaluationPeriods)
	from = floorTime(from, step)
	steps := int((to.Sub(from) + step - 1) / step)
	tl := &Timeline{Name: d.Name, Start: from, Step: step, States: make([]State, steps)}
	v := make([]float64, r)
	var smp []float64
	if s.Samples != nil {
		smp = make([]float64, r)
	}
	per := int(d.Period / step)
	lat := int((opt.Latency + step - 1) / step)
	base := int(s.Start.Sub(from) / step) // index in s of the bucket starting at from
	if s.Start.Sub(from)%step != 0 {
		return nil, fmt.Errorf("alarm %q: data starts at %s, not on the %v evaluation grid", d.Name, s.Start.Format(time.RFC3339), step)
	}
	cur := opt.Initial
	for i := range steps {
		// Bucket k (0 = newest) starts at E-(k+1)·Period, E = from+i·step: in steps from
		// "from", i-(k+1)·per; it ended at i-k·per, which must be ≤ i-lat.
		for k := 0; k < r; k++ {
			j := r - 1 - k
			startIdx := i - (k+1)*per
			v[j] = math.NaN()
			if smp != nil {
				smp[j] = 0
			}
			if i-k*per > i-lat {
				continue
			}
			si := startIdx - base
			if si >= 0 && si < len(s.Values) {
				v[j] = s.Values[si]
				if smp != nil {
					smp[j] = s.Samples[si]
				}
			}
		}
		dec := d.Decide(v, smp, cur)
		if dec.State != cur {
			t := from.Add(time.Duration(i) * step)
			c := Change{Time: t, From: cur, To: dec.State, Points: dec.Points, Premature: dec.Premature}
			c.PointTimes = make([]time.Time, len(dec.Points))
			// The evaluated points are the newest ones; label them with their bucket starts.
			idx := len(dec.Points) - 1
			for k := 0; k < r && idx >= 0; k++ {
				if dec.Premature || !math.IsNaN(v[r-1-k]) {
					c.PointTimes[idx] = t.Add(-time.Duration(k+1) * d.Period)
					idx--
				}
			}
			c.Reason = d.reason(dec, c.PointTimes, r)
			tl.Changes = append(tl.Changes, c)
			cur = dec.State
		}
		tl.States[i] = cur
	}
	return tl, nil
}

// floorTime rounds t down to a multiple of step since the Unix epoch.
func floorTime(t time.Time, step time.Duration) time.Time {
	ns := t.UnixNano()
	r := ns % int64(step)
	if r < 0 {
		r += int64(step)
	}
	return time.Unix(0, ns-r).UTC()
}

// FormatValue formats a datapoint as the service does in reasons: the shortest decimal, with
// ".0" for whole numbers.
func FormatValue(x float64) string {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if !strings.ContainsAny(s, ".eEnN") {
		s += ".0"
	}
	return s
}

// reason writes the stateReason of a decision in the service's wording: "Threshold Crossed: 1
// out of the last 1 datapoints [99.5 (02/10/19 16:59:00)] was greater than the threshold (50.0)
// (minimum 1 datapoint for OK -> ALARM transition)."
func (d *Definition) reason(dec Decision, times []time.Time, r int) string {
	if dec.State == InsufficientData {
		return fmt.Sprintf("Insufficient Data: %d datapoints were unknown.", r)
	}
	if len(dec.Points) == 0 {
		return "Unchecked: Initial alarm creation"
	}
	var b strings.Builder
	n := 0
	for i := len(dec.Points) - 1; i >= 0; i-- {
		x := dec.Points[i]
		if math.IsNaN(x) {
			continue
		}
		if n > 0 {
			b.WriteString(", ")
		}
		b.WriteString(FormatValue(x))
		if !times[i].IsZero() {
			b.WriteString(" (" + times[i].UTC().Format("02/01/06 15:04:05") + ")")
		}
		n++
	}
	word := comparisonWords[d.Comparison]
	if dec.State == Alarm {
		verb := "were"
		if dec.Breaches == 1 {
			verb = "was"
		}
		return fmt.Sprintf("Threshold Crossed: %d out of the last %d datapoints [%s] %s %s the threshold (%s) (minimum %d datapoint for OK -> ALARM transition).",
			dec.Breaches, len(dec.Points), b.String(), verb, word, FormatValue(d.Threshold), d.M())
	}
	good := len(dec.Points) - dec.Breaches
	return fmt.Sprintf("Threshold Crossed: %d out of the last %d datapoints [%s] were not %s the threshold (%s) (minimum %d datapoint for ALARM -> OK transition).",
		good, len(dec.Points), b.String(), word, FormatValue(d.Threshold), d.EvaluationPeriods-d.M()+1)
}
