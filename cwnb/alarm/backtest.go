package alarm

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/cwnb/cwnb/cwnb/ts"
)

// Incident is a known incident: [Start, End).
type Incident struct {
	Name       string
	Start, End time.Time
}

// Incidents returns the occurrences of w that overlap [from, to), clipped to it, as incidents
// named name: Incidents(":00-:05", ts.Hourly(0, 5*time.Minute), from, to) is minutes :00-:05 of
// every hour, ts.Span(start, end) one absolute incident. An invalid When, or one that recurs more
// than ts.MaxOccurrences times in the window, is an error.
func Incidents(name string, w ts.When, from, to time.Time) ([]Incident, error) {
	starts, ends, err := w.Occurrences(from, to)
	if err != nil {
		return nil, fmt.Errorf("incidents %q: %w", name, err)
	}
	out := make([]Incident, len(starts))
	for i := range starts {
		out[i] = Incident{Name: name, Start: starts[i], End: ends[i]}
	}
	return out, nil
}

// BacktestOptions are the scoring rules of Backtest. Zero fields mean the documented default.
type BacktestOptions struct {
	Options
	// Grace extends each incident for detection: an ALARM that starts before End+Grace catches
	// it, and alarm time within it is not counted as outside incidents. Zero: the alarm's Period
	// (the bucket that ends after the incident still holds it).
	Grace time.Duration
	// FlapWindow: re-entering ALARM within this long after leaving it is a flap. Zero: 15 minutes.
	FlapWindow time.Duration
}

// Score is how one definition did in a back-test.
type Score struct {
	Definition Definition
	// Incidents is the number of incidents in the window; Caught how many saw ALARM between
	// their start and end + Grace.
	Incidents, Caught int
	// Detect is the time from each caught incident's start to the first ALARM (0 when the alarm
	// was already in ALARM), in incident order.
	Detect []time.Duration
	// Pages counts transitions into ALARM; FalsePages those that started outside every incident
	// (+ Grace).
	Pages, FalsePages int
	// AlarmOutside is the time spent in ALARM outside every incident (+ Grace).
	AlarmOutside time.Duration
	// Flaps counts re-entries into ALARM within FlapWindow of leaving it.
	Flaps int
	// Window is the length of the back-tested window.
	Window time.Duration
	// Timeline is the replay the score was computed from.
	Timeline *Timeline
	// Headroom is how far the threshold sits from the data on both sides, as a ratio ≥ 1 when
	// the threshold separates them: the smaller of threshold/(largest value outside incidents)
	// and (smallest incident peak)/threshold for > and ≥ (mirrored for < and ≤). NaN when there
	// is no data on one side or a value is not positive. Backtest sets it; Pick prefers more.
	Headroom float64
}

// MedianDetect returns the median time to detect over caught incidents, or -1 if none was caught.
func (s *Score) MedianDetect() time.Duration {
	if len(s.Detect) == 0 {
		return -1
	}
	d := slices.Clone(s.Detect)
	slices.Sort(d)
	n := len(d)
	if n%2 == 1 {
		return d[n/2]
	}
	return (d[n/2-1] + d[n/2]) / 2
}

// FalsePagesPerWeek returns FalsePages scaled to a 7-day week.
func (s *Score) FalsePagesPerWeek() float64 {
	if s.Window <= 0 {
		return math.NaN()
	}
	return float64(s.FalsePages) * float64(7*24*time.Hour) / float64(s.Window)
}

// CaughtFraction returns Caught/Incidents (NaN with no incidents).
func (s *Score) CaughtFraction() float64 {
	if s.Incidents == 0 {
		return math.NaN()
	}
	return float64(s.Caught) / float64(s.Incidents)
}

// String summarises the score in one line.
func (s *Score) String() string {
	md := "never"
	if m := s.MedianDetect(); m >= 0 {
		md = m.String()
	}
	return fmt.Sprintf("%s: caught %d/%d incidents, median time to detect %s, %d false pages (%.1f/week), %v in ALARM outside incidents, %d flaps",
		s.Definition.Label(), s.Caught, s.Incidents, md, s.FalsePages, s.FalsePagesPerWeek(), s.AlarmOutside, s.Flaps)
}

// Label names a definition by its statistic, comparison, threshold, M of N and period:
// "p99 > 1500 (3 of 5 × 1m0s)".
func (d *Definition) Label() string {
	op := map[Comparison]string{GreaterOrEqual: ">=", Greater: ">", Less: "<", LessOrEqual: "<="}[d.Comparison]
	stat := d.Statistic
	if stat == "" && len(d.Metrics) > 0 {
		for _, q := range d.Metrics {
			if q.ReturnData {
				stat = q.ID
			}
		}
	}
	return fmt.Sprintf("%s %s %s (%d of %d × %v)", stat, op, trimFloat(d.Threshold), d.M(), d.EvaluationPeriods, d.Period)
}

func trimFloat(x float64) string { return fmt.Sprintf("%g", x) }

// Backtest replays d over [from, to) and scores it against the incidents.
func Backtest(d *Definition, s *Series, incidents []Incident, from, to time.Time, opt BacktestOptions) (*Score, error) {
	tl, err := Replay(d, s, from, to, opt.Options)
	if err != nil {
		return nil, err
	}
	sc := ScoreTimeline(d, tl, incidents, opt)
	sc.Headroom = headroom(d, s, incidents, tl.Start, tl.End(), opt.Grace)
	return sc, nil
}

// headroom computes Score.Headroom from the data: bucket values that lie wholly outside every
// incident (+ grace) against each incident's peak (the most extreme bucket that overlaps it).
func headroom(d *Definition, s *Series, incidents []Incident, from, to time.Time, grace time.Duration) float64 {
	if grace == 0 {
		grace = d.Period
	}
	up := d.Comparison == Greater || d.Comparison == GreaterOrEqual
	worse := func(a, b float64) bool { // a is more extreme than b in the alarming direction
		if up {
			return a > b
		}
		return a < b
	}
	quiet := math.NaN()
	peaks := make([]float64, len(incidents))
	for i := range peaks {
		peaks[i] = math.NaN()
	}
	for i, v := range s.Values {
		if math.IsNaN(v) {
			continue
		}
		bs := s.Start.Add(time.Duration(i) * s.Step)
		be := bs.Add(s.Period)
		if bs.Before(from) || be.After(to) {
			continue
		}
		inside := false
		for k, in := range incidents {
			if bs.Before(in.End.Add(grace)) && be.After(in.Start) {
				inside = true
				if bs.Before(in.End) && (math.IsNaN(peaks[k]) || worse(v, peaks[k])) {
					peaks[k] = v
				}
			}
		}
		if !inside && (math.IsNaN(quiet) || worse(v, quiet)) {
			quiet = v
		}
	}
	weakest := math.NaN()
	for k, p := range peaks {
		in := incidents[k]
		if math.IsNaN(p) || !in.End.After(from) || !in.Start.Before(to) {
			continue
		}
		if math.IsNaN(weakest) || worse(weakest, p) {
			weakest = p
		}
	}
	t := d.Threshold
	if math.IsNaN(quiet) || math.IsNaN(weakest) || quiet <= 0 || weakest <= 0 || t <= 0 {
		return math.NaN()
	}
	if up {
		return math.Min(t/quiet, weakest/t)
	}
	return math.Min(quiet/t, t/weakest)
}

// ScoreTimeline scores a replayed (or real) timeline against the incidents.
func ScoreTimeline(d *Definition, tl *Timeline, incidents []Incident, opt BacktestOptions) *Score {
	grace := opt.Grace
	if grace == 0 {
		grace = d.Period
	}
	flap := opt.FlapWindow
	if flap == 0 {
		flap = 15 * time.Minute
	}
	sc := &Score{Definition: *d, Window: tl.End().Sub(tl.Start), Timeline: tl}
	inc := slices.Clone(incidents)
	sort.Slice(inc, func(i, j int) bool { return inc[i].Start.Before(inc[j].Start) })
	// covered[i] reports whether step i lies within an incident (+ grace).
	n := len(tl.States)
	covered := make([]bool, n)
	idx := func(t time.Time) int {
		i := int((t.Sub(tl.Start) + tl.Step - 1) / tl.Step)
		return min(max(i, 0), n)
	}
	for _, in := range inc {
		if !in.End.After(tl.Start) || !in.Start.Before(tl.End()) {
			continue
		}
		sc.Incidents++
		lo, hi := idx(in.Start), idx(in.End.Add(grace))
		for i := lo; i < hi; i++ {
			covered[i] = true
		}
		for i := lo; i < hi; i++ {
			if tl.States[i] == Alarm {
				sc.Caught++
				det := tl.Start.Add(time.Duration(i) * tl.Step).Sub(in.Start)
				sc.Detect = append(sc.Detect, max(det, 0))
				break
			}
		}
	}
	lastLeft := -1
	for i, st := range tl.States {
		prev := InsufficientData
		if i > 0 {
			prev = tl.States[i-1]
		}
		if st == Alarm && !covered[i] {
			sc.AlarmOutside += tl.Step
		}
		if st == Alarm && prev != Alarm && i > 0 {
			sc.Pages++
			if !covered[i] {
				sc.FalsePages++
			}
			if lastLeft >= 0 && time.Duration(i-lastLeft)*tl.Step <= flap {
				sc.Flaps++
			}
		}
		if st != Alarm && prev == Alarm {
			lastLeft = i
		}
	}
	return sc
}

// Grid returns one definition per threshold × M-of-N pair, each a copy of base. mofn holds
// {M, N} pairs.
func Grid(base Definition, thresholds []float64, mofn [][2]int) []Definition {
	var out []Definition
	for _, t := range thresholds {
		for _, mn := range mofn {
			d := base
			d.Threshold = t
			d.DatapointsToAlarm, d.EvaluationPeriods = mn[0], mn[1]
			d.Dimensions = slices.Clone(base.Dimensions)
			out = append(out, d)
		}
	}
	return out
}

// BacktestAll back-tests every definition over the same data, in order.
func BacktestAll(defs []Definition, s *Series, incidents []Incident, from, to time.Time, opt BacktestOptions) ([]*Score, error) {
	out := make([]*Score, 0, len(defs))
	for i := range defs {
		sc, err := Backtest(&defs[i], s, incidents, from, to, opt)
		if err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, nil
}

// Pick returns the best score: the most incidents caught, then the fewest false pages, then
// the least time in ALARM outside incidents, then the fastest median detection, then the
// fewest flaps, then the most headroom (a threshold in the middle of the gap between normal
// data and incidents, on a log scale); ties keep the earlier candidate. It returns nil for no
// scores.
func Pick(scores []*Score) *Score {
	var best *Score
	for _, s := range scores {
		if best == nil || better(s, best) {
			best = s
		}
	}
	return best
}

func better(a, b *Score) bool {
	if a.Caught != b.Caught {
		return a.Caught > b.Caught
	}
	if a.FalsePages != b.FalsePages {
		return a.FalsePages < b.FalsePages
	}
	if a.AlarmOutside != b.AlarmOutside {
		return a.AlarmOutside < b.AlarmOutside
	}
	am, bm := a.MedianDetect(), b.MedianDetect()
	if am != bm {
		return am < bm
	}
	if a.Flaps != b.Flaps {
		return a.Flaps < b.Flaps
	}
	ah, bh := a.Headroom, b.Headroom
	if math.IsNaN(bh) {
		return !math.IsNaN(ah)
	}
	return ah > bh
}
