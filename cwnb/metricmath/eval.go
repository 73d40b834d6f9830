package metricmath

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Series is one time series on the evaluation grid: an input of an expression (as returned by
// Env.Lookup or Env.Search) or a result of Eval.
type Series struct {
	Label  string
	Values []float64 // one per Env.Grid timestamp; NaN = no datapoint
	// Messages are the warnings raised while computing this series, such as an ArithmeticError
	// when datapoints were dropped. Eval sets them on results and ignores them on inputs.
	Messages []Message
}

// Message is a warning attached to a result, with CloudWatch's MessageData shape.
type Message struct {
	Code  string // e.g. "ArithmeticError"
	Value string // human-readable text
}

// ArithmeticError is the message Eval attaches to a result series from which it dropped
// datapoints because they were not finite numbers: division by zero, LOG of zero or of a
// negative number, or a NaN statistic used as a number. The text is CloudWatch's.
var ArithmeticError = Message{
	Code:  "ArithmeticError",
	Value: "One or more data-points have been dropped due to non-numeric values (NaN, -Infinite, +Infinite)",
}

// Env is the data an expression is evaluated against: the grid of one GetMetricData request and
// the results of its other queries.
type Env struct {
	Grid   []time.Time   // bucket starts, ascending, on the period grid
	Period time.Duration // the expression's period
	// Lookup returns the results of another query of the request (ReturnData true or false):
	// one series for a metric query, any number for an expression. Every series must have
	// len(Grid) values.
	Lookup func(id string) ([]Series, bool)
	// Metrics returns the ids of the request's metric queries (not expressions), in request
	// order, for METRICS() and PERIOD().
	Metrics func() []string
	// IsArray, if set, reports whether the query id is an expression that returns an array of
	// time series (see Expr.ReturnsArray), so that one with a single series, such as a SEARCH
	// that matched one metric, still counts as an array: SUM(e1) is then a time series, not a
	// number. When nil, an id with exactly one series is a time series.
	IsArray func(id string) bool
	// PeriodOf, if set, returns the period of a metric query, for PERIOD(id); when nil, PERIOD
	// gives Period.
	PeriodOf func(id string) (time.Duration, bool)
	// Search runs a SEARCH: it returns one series per stored metric that q matches, labelled
	// (see SearchLabel), with the statistic stat (the call's second argument, unvalidated) at
	// period (the call's third argument, or Period when the call omits it). Each series must
	// have len(Grid) values.
	Search func(q *SearchQuery, stat string, period time.Duration) ([]Series, error)
}

// Eval evaluates the expression over env.Grid. The result is one series, or several for
// expressions that produce an array of time series (METRICS()*2, SEARCH(...), SORT(...)); an
// expression that reduces to a single number (AVG(m1)) is an error, as in CloudWatch.
//
// Result labels: a series derived from exactly one input series (m1*2, FILL(m1, 0), each
// element of METRICS()/100 or of a SEARCH) keeps that input's label; a series combining several
// (m1+m2, SUM(METRICS())) has an empty label. The caller (the local CloudWatch) labels a
// single-series result with the query's Label or Id, as CloudWatch does.
//
// Datapoints dropped for being non-finite are reported in the result's Messages
// (ArithmeticError); they are not errors. Errors are *Error values naming the offending part of
// the expression, or errors returned by env.Search wrapped in an *Error.
func (e *Expr) Eval(env *Env) ([]Series, error) {
	if env == nil {
		return nil, &Error{Source: e.src, Pos: -1, End: -1, Msg: "no environment: Eval needs an *Env with Grid, Period and Lookup"}
	}
	ev := &evaluator{env: env, src: e.src, n: len(env.Grid)}
	v, err := ev.eval(e.root)
	if err != nil {
		return nil, err
	}
	switch v.kind {
	case kScalar:
		return nil, &Error{Source: e.src, Pos: -1, End: -1,
			Msg: "the expression evaluates to a single number, but a math expression must return a time series or an array of time series; combine it with a series (m1-AVG(m1)) or wrap it in TIME_SERIES(...)"}
	case kString, kKeyword:
		return nil, &Error{Source: e.src, Pos: -1, End: -1, Msg: "the expression is a string or keyword, not a time series"}
	}
	out := make([]Series, len(v.ts))
	handed := make(map[*series]bool, len(v.ts))
	for i, s := range v.ts {
		vals := s.v
		if s.input || handed[s] {
			vals = slices.Clone(vals) // never hand out an input's slice, nor one slice twice
		}
		handed[s] = true
		out[i] = Series{Label: s.label, Values: vals}
		if s.dropped {
			out[i].Messages = []Message{ArithmeticError}
		}
	}
	return out, nil
}

type kind int

const (
	kScalar kind = iota
	kSeries      // one time series
	kArray       // an array of time series (possibly of length 0 or 1)
	kString
	kKeyword
)

func (k kind) String() string {
	return [...]string{"a number", "a time series", "an array of time series", "a string", "a keyword"}[k]
}

// series is the evaluator's time series: values aligned to the grid, and whether datapoints were
// dropped while computing it. Values may alias an input's slice; the evaluator never writes to
// a slice it did not allocate.
type series struct {
	label   string
	v       []float64
	dropped bool
	input   bool // v belongs to the caller (Lookup, Search): never written, copied on output
}

type value struct {
	kind    kind
	num     float64 // kScalar
	dropped bool    // kScalar: computed from series with dropped datapoints, or not finite
	ts      []*series
	str     string // kString, kKeyword
}

func scalar(x float64) value { return value{kind: kScalar, num: x} }

type evaluator struct {
	env  *Env
	src  string
	n    int
	secs []float64 // grid timestamps in seconds since Grid[0]; see seconds
}

// seconds returns the grid timestamps as seconds since the first one, computed once.
func (ev *evaluator) seconds() []float64 {
	if ev.secs == nil {
		ev.secs = make([]float64, ev.n)
		for i, t := range ev.env.Grid {
			ev.secs[i] = t.Sub(ev.env.Grid[0]).Seconds()
		}
	}
	return ev.secs
}

func (ev *evaluator) errAt(n node, format string, args ...any) *Error {
	p, e := n.span()
	return errAt(ev.src, p, e, format, args...)
}

func (ev *evaluator) eval(n node) (value, error) {
	switch n := n.(type) {
	case *numNode:
		return scalar(n.v), nil
	case *strNode:
		return value{kind: kString, str: n.s}, nil
	case *kwNode:
		return value{kind: kKeyword, str: n.kw}, nil
	case *idNode:
		return ev.lookup(n)
	case *unaryNode:
		x, err := ev.eval(n.x)
		if err != nil {
			return value{}, err
		}
		if x.kind == kString || x.kind == kKeyword {
			return value{}, ev.errAt(n, "cannot negate %s", x.kind)
		}
		return mapValue(x, func(a float64) float64 { return -a }), nil
	case *binNode:
		l, err := ev.eval(n.l)
		if err != nil {
			return value{}, err
		}
		r, err := ev.eval(n.r)
		if err != nil {
			return value{}, err
		}
		return ev.binary(n, l, r)
	case *arrNode:
		out := value{kind: kArray}
		for _, el := range n.elems {
			x, err := ev.eval(el)
			if err != nil {
				return value{}, err
			}
			switch x.kind {
			case kSeries, kArray:
				out.ts = append(out.ts, x.ts...)
			default:
				return value{}, ev.errAt(el, "an array holds time series, not %s; write [m1, m2]", x.kind)
			}
		}
		return out, nil
	case *callNode:
		return n.fn.eval(ev, n)
	}
	panic(fmt.Sprintf("cwnb: metricmath: unknown node %T", n))
}

func (ev *evaluator) lookup(n *idNode) (value, error) {
	if ev.env.Lookup == nil {
		return value{}, ev.errAt(n, "no query with Id %s: the environment has no Lookup", n.id)
	}
	ss, ok := ev.env.Lookup(n.id)
	if !ok {
		return value{}, ev.errAt(n, "no query in the request has Id %s; add a query with that Id or fix the reference", n.id)
	}
	v := value{kind: kArray}
	if len(ss) == 1 && (ev.env.IsArray == nil || !ev.env.IsArray(n.id)) {
		v.kind = kSeries
	}
	for _, s := range ss {
		if len(s.Values) != ev.n {
			return value{}, ev.errAt(n, "query %s has %d values but the grid has %d timestamps", n.id, len(s.Values), ev.n)
		}
		v.ts = append(v.ts, &series{label: s.Label, v: s.Values, input: true})
	}
	return v, nil
}

// finite reports whether x is neither NaN nor infinite.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// mapValue applies f to a scalar or to every datapoint of a series or array. Missing points
// stay missing; non-finite results are dropped and flagged.
func mapValue(x value, f func(float64) float64) value {
	switch x.kind {
	case kScalar:
		r := f(x.num)
		return value{kind: kScalar, num: r, dropped: x.dropped || !finite(r) && finite(x.num)}
	case kSeries, kArray:
		out := value{kind: x.kind, ts: make([]*series, len(x.ts))}
		for i, s := range x.ts {
			out.ts[i] = mapSeries(s, f)
		}
		return out
	}
	return x
}

func mapSeries(s *series, f func(float64) float64) *series {
	o := &series{label: s.label, v: make([]float64, len(s.v)), dropped: s.dropped}
	for i, a := range s.v {
		if math.IsNaN(a) {
			o.v[i] = math.NaN()
			continue
		}
		r := f(a)
		if !finite(r) {
			r = math.NaN()
			o.dropped = true
		}
		o.v[i] = r
	}
	return o
}

func opFunc(op string) func(a, b float64) float64 {
	b2f := func(b bool) float64 {
		if b {
			return 1
		}
		return 0
	}
	switch op {
	case "+":
		return func(a, b float64) float64 { return a + b }
	case "-":
		return func(a, b float64) float64 { return a - b }
	case "*":
		return func(a, b float64) float64 { return a * b }
	case "/":
		return func(a, b float64) float64 { return a / b }
	case "^":
		return math.Pow
	case "==":
		return func(a, b float64) float64 { return b2f(a == b) }
	case "!=":
		return func(a, b float64) float64 { return b2f(a != b) }
	case "<":
		return func(a, b float64) float64 { return b2f(a < b) }
	case "<=":
		return func(a, b float64) float64 { return b2f(a <= b) }
	case ">":
		return func(a, b float64) float64 { return b2f(a > b) }
	case ">=":
		return func(a, b float64) float64 { return b2f(a >= b) }
	case "&&":
		return func(a, b float64) float64 { return b2f(a != 0 && b != 0) }
	case "||":
		return func(a, b float64) float64 { return b2f(a != 0 || b != 0) }
	}
	panic("cwnb: metricmath: unknown operator " + op)
}

// binary applies an operator. Between two time series, a timestamp where only one has a value
// treats the missing value as 0 (CloudWatch: "Missing values in a time series are treated as
// 0"); a timestamp where neither has a value stays missing. Between a series and a number,
// missing values stay missing. Non-finite results (x/0) are dropped and flagged.
func (ev *evaluator) binary(n *binNode, l, r value) (value, error) {
	f := opFunc(n.op)
	for _, x := range []value{l, r} {
		if x.kind == kString || x.kind == kKeyword {
			return value{}, ev.errAt(n, "operator %s cannot be applied to %s (%q)", n.op, x.kind, x.str)
		}
	}
	switch {
	case l.kind == kScalar && r.kind == kScalar:
		res := f(l.num, r.num)
		return value{kind: kScalar, num: res, dropped: l.dropped || r.dropped || !finite(res)}, nil
	case r.kind == kScalar:
		b := r.num
		out := mapValue(l, func(a float64) float64 { return f(a, b) })
		if r.dropped {
			markDropped(out)
		}
		return out, nil
	case l.kind == kScalar:
		a := l.num
		out := mapValue(r, func(b float64) float64 { return f(a, b) })
		if l.dropped {
			markDropped(out)
		}
		return out, nil
	case l.kind == kSeries && r.kind == kSeries:
		return value{kind: kSeries, ts: []*series{zipSeries(l.ts[0], r.ts[0], f, "")}}, nil
	case l.kind == kArray && r.kind == kSeries:
		out := value{kind: kArray, ts: make([]*series, len(l.ts))}
		for i, s := range l.ts {
			out.ts[i] = zipSeries(s, r.ts[0], f, s.label)
		}
		return out, nil
	case l.kind == kSeries && r.kind == kArray:
		out := value{kind: kArray, ts: make([]*series, len(r.ts))}
		for i, s := range r.ts {
			out.ts[i] = zipSeries(l.ts[0], s, f, s.label)
		}
		return out, nil
	}
	return value{}, ev.errAt(n, "operator %s cannot combine two arrays of time series; reduce one first, e.g. SUM(METRICS()) or AVG([m1, m2])", n.op)
}

func markDropped(v value) {
	for _, s := range v.ts {
		s.dropped = true
	}
}

func zipSeries(a, b *series, f func(a, b float64) float64, label string) *series {
	o := &series{label: label, v: make([]float64, len(a.v)), dropped: a.dropped || b.dropped}
	for i := range a.v {
		x, y := a.v[i], b.v[i]
		xm, ym := math.IsNaN(x), math.IsNaN(y)
		if xm && ym {
			o.v[i] = math.NaN()
			continue
		}
		if xm {
			x = 0
		}
		if ym {
			y = 0
		}
		r := f(x, y)
		if !finite(r) {
			r = math.NaN()
			o.dropped = true
		}
		o.v[i] = r
	}
	return o
}

// seriesArgs evaluates argument i and requires a time series or an array of them.
func (ev *evaluator) seriesArg(c *callNode, i int) (value, error) {
	v, err := ev.eval(c.args[i])
	if err != nil {
		return value{}, err
	}
	if v.kind != kSeries && v.kind != kArray {
		return value{}, ev.errAt(c.args[i], "argument %d of %s must be a time series or an array of time series, not %s; usage: %s", i+1, c.fn.name, v.kind, c.fn.usage)
	}
	return v, nil
}

func (ev *evaluator) scalarArg(c *callNode, i int) (value, error) {
	v, err := ev.eval(c.args[i])
	if err != nil {
		return value{}, err
	}
	if v.kind != kScalar {
		return value{}, ev.errAt(c.args[i], "argument %d of %s must be a number, not %s; usage: %s", i+1, c.fn.name, v.kind, c.fn.usage)
	}
	return v, nil
}

// intArg evaluates argument i as a whole number >= min.
func (ev *evaluator) intArg(c *callNode, i, min int) (int, error) {
	v, err := ev.scalarArg(c, i)
	if err != nil {
		return 0, err
	}
	if !finite(v.num) || v.num != math.Trunc(v.num) || v.num < float64(min) || v.num > 1e9 {
		return 0, ev.errAt(c.args[i], "argument %d of %s must be a whole number >= %d; usage: %s", i+1, c.fn.name, min, c.fn.usage)
	}
	return int(v.num), nil
}

func absF(x float64) float64   { return math.Abs(x) }
func ceilF(x float64) float64  { return math.Ceil(x) }
func floorF(x float64) float64 { return math.Floor(x) }
func logF(x float64) float64   { return math.Log(x) }
func log10F(x float64) float64 { return math.Log10(x) }

// pointwise builds a function applied to every datapoint of a series, an array, or a number.
func pointwise(f func(float64) float64) func(*evaluator, *callNode) (value, error) {
	return func(ev *evaluator, c *callNode) (value, error) {
		v, err := ev.eval(c.args[0])
		if err != nil {
			return value{}, err
		}
		if v.kind == kString || v.kind == kKeyword {
			return value{}, ev.errAt(c.args[0], "%s takes a time series, not %s; usage: %s", c.fn.name, v.kind, c.fn.usage)
		}
		return mapValue(v, f), nil
	}
}

type aggKind int

const (
	aggSum aggKind = iota
	aggAvg
	aggMin
	aggMax
	aggCount
	aggStddev
)

// reduce computes an aggregate over the present (non-NaN) values of xs. count is how many were
// present; an aggregate over none is NaN, except the count.
func reduce(k aggKind, xs []float64) float64 {
	var sum float64
	n := 0
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		if math.IsNaN(x) {
			continue
		}
		n++
		sum += x
		lo = math.Min(lo, x)
		hi = math.Max(hi, x)
	}
	if k == aggCount {
		return float64(n)
	}
	if n == 0 {
		return math.NaN()
	}
	switch k {
	case aggStddev:
		mean := sum / float64(n)
		var ss float64
		for _, x := range xs {
			if !math.IsNaN(x) {
				ss += (x - mean) * (x - mean)
			}
		}
		return math.Sqrt(ss / float64(n))
	case aggSum:
		return sum
	case aggAvg:
		return sum / float64(n)
	case aggMin:
		return lo
	default:
		return hi
	}
}

// aggregate builds SUM, AVG, MIN, MAX, STDDEV and DATAPOINT_COUNT. Over one time series they
// return a number computed from its datapoints; over an array they return a time series computed
// per timestamp across the array. Per timestamp, a timestamp where no series has a value stays
// missing; otherwise SUM adds the values present, MIN/MAX/DATAPOINT_COUNT/STDDEV use the values
// present, and AVG divides the sum of the values present by the number of series, because
// CloudWatch documents that AVG over an array treats missing values as 0. STDDEV is the
// population standard deviation, √(Σ(x−x̄)²/n) over the n values present (the documentation
// does not say which; a single value gives 0).
func aggregate(k aggKind) func(*evaluator, *callNode) (value, error) {
	return func(ev *evaluator, c *callNode) (value, error) {
		v, err := ev.seriesArg(c, 0)
		if err != nil {
			return value{}, err
		}
		if v.kind == kSeries {
			s := v.ts[0]
			r := reduce(k, s.v)
			return value{kind: kScalar, num: r, dropped: s.dropped}, nil
		}
		if k == aggStddev {
			return value{kind: kSeries, ts: []*series{stddevAcross(v.ts, ev.n)}}, nil
		}
		// Accumulate series by series (row-major) rather than timestamp by timestamp: the
		// inputs are separate slices, and walking each once is far kinder to the cache.
		o := &series{v: make([]float64, ev.n)}
		cnt := make([]int32, ev.n)
		acc := o.v // sum, min or max so far
		for _, s := range v.ts {
			o.dropped = o.dropped || s.dropped
			for i, x := range s.v {
				if math.IsNaN(x) {
					continue
				}
				switch {
				case cnt[i] == 0:
					acc[i] = x
				case k == aggMin:
					acc[i] = math.Min(acc[i], x)
				case k == aggMax:
					acc[i] = math.Max(acc[i], x)
				default:
					acc[i] += x
				}
				cnt[i]++
			}
		}
		for i, c := range cnt {
			switch {
			case c == 0:
				o.v[i] = math.NaN()
			case k == aggCount:
				o.v[i] = float64(c)
			case k == aggAvg:
				o.v[i] = acc[i] / float64(len(v.ts))
			}
		}
		return value{kind: kSeries, ts: []*series{o}}, nil
	}
}

// stddevAcross is STDDEV over an array: per timestamp, the population standard deviation of
// the values present, in two passes (mean, then squared deviations) to stay accurate when the
// values are large and close together. A timestamp where no series has a value stays missing.
func stddevAcross(ts []*series, n int) *series {
	o := &series{v: make([]float64, n)}
	cnt := make([]int32, n)
	for _, s := range ts {
		o.dropped = o.dropped || s.dropped
		for i, x := range s.v {
			if !math.IsNaN(x) {
				o.v[i] += x
				cnt[i]++
			}
		}
	}
	mean := make([]float64, n)
	for i, c := range cnt {
		mean[i] = o.v[i] / float64(c)
		o.v[i] = 0
	}
	for _, s := range ts {
		for i, x := range s.v {
			if !math.IsNaN(x) {
				d := x - mean[i]
				o.v[i] += d * d
			}
		}
	}
	for i, c := range cnt {
		if c == 0 {
			o.v[i] = math.NaN()
		} else {
			o.v[i] = math.Sqrt(o.v[i] / float64(c))
		}
	}
	return o
}

func evalMetricCount(ev *evaluator, c *callNode) (value, error) {
	v, err := ev.seriesArg(c, 0)
	if err != nil {
		return value{}, err
	}
	return scalar(float64(len(v.ts))), nil
}

// evalFill implements FILL(x, filler): every grid timestamp where x has no value gets the
// filler: a number; the value of a time series at that timestamp (if it has one); REPEAT, the
// most recent earlier value of x (none before x's first datapoint); or LINEAR, the straight
// line between the datapoints before and after the gap (none before the first or after the last
// datapoint).
func evalFill(ev *evaluator, c *callNode) (value, error) {
	x, err := ev.seriesArg(c, 0)
	if err != nil {
		return value{}, err
	}
	fv, err := ev.eval(c.args[1])
	if err != nil {
		return value{}, err
	}
	var fill func(s *series) *series
	switch fv.kind {
	case kScalar:
		fill = func(s *series) *series {
			o := &series{label: s.label, v: slices.Clone(s.v), dropped: s.dropped || fv.dropped}
			for i, a := range o.v {
				if math.IsNaN(a) {
					if finite(fv.num) {
						o.v[i] = fv.num
					} else {
						o.dropped = true
					}
				}
			}
			return o
		}
	case kSeries:
		f := fv.ts[0]
		fill = func(s *series) *series {
			o := &series{label: s.label, v: slices.Clone(s.v), dropped: s.dropped || f.dropped}
			for i, a := range o.v {
				if math.IsNaN(a) {
					o.v[i] = f.v[i]
				}
			}
			return o
		}
	case kKeyword:
		switch fv.str {
		case "REPEAT":
			fill = func(s *series) *series {
				o := &series{label: s.label, v: slices.Clone(s.v), dropped: s.dropped}
				last := math.NaN()
				for i, a := range o.v {
					if math.IsNaN(a) {
						o.v[i] = last
					} else {
						last = a
					}
				}
				return o
			}
		case "LINEAR":
			secs := ev.seconds()
			fill = func(s *series) *series {
				o := &series{label: s.label, v: slices.Clone(s.v), dropped: s.dropped}
				prev := -1
				for i, a := range o.v {
					if math.IsNaN(a) {
						continue
					}
					if prev >= 0 && i > prev+1 {
						span := secs[i] - secs[prev]
						for k := prev + 1; k < i; k++ {
							frac := (secs[k] - secs[prev]) / span
							o.v[k] = o.v[prev] + (a-o.v[prev])*frac
						}
					}
					prev = i
				}
				return o
			}
		}
	}
	if fill == nil {
		return value{}, ev.errAt(c.args[1], "the filler of FILL must be a number, a time series, REPEAT or LINEAR, not %s; usage: %s", fv.kind, c.fn.usage)
	}
	out := value{kind: x.kind, ts: make([]*series, len(x.ts))}
	for i, s := range x.ts {
		out.ts[i] = fill(s)
	}
	return out, nil
}

// sequential builds functions over consecutive datapoints of each series (missing timestamps are
// skipped, not treated as values). step receives the previous datapoint (ok=false for the
// first) and returns the output value, NaN for none.
func sequential(step func(st *seqState, t, x float64) float64) func(*evaluator, *callNode) (value, error) {
	return func(ev *evaluator, c *callNode) (value, error) {
		v, err := ev.seriesArg(c, 0)
		if err != nil {
			return value{}, err
		}
		secs := ev.seconds()
		out := value{kind: v.kind, ts: make([]*series, len(v.ts))}
		for j, s := range v.ts {
			o := &series{label: s.label, v: make([]float64, len(s.v)), dropped: s.dropped}
			st := &seqState{}
			for i, x := range s.v {
				if math.IsNaN(x) {
					o.v[i] = math.NaN()
					continue
				}
				r := step(st, secs[i], x)
				if math.IsInf(r, 0) {
					r = math.NaN()
					o.dropped = true
				}
				o.v[i] = r
				st.has, st.t, st.x = true, secs[i], x
			}
			out.ts[j] = o
		}
		return out, nil
	}
}

// seqState is the previous datapoint of a series (t in seconds, see evaluator.seconds) and a
// running sum.
type seqState struct {
	has bool
	t   float64
	x   float64
	sum float64
}

func seqRate(st *seqState, t, x float64) float64 {
	if !st.has {
		return math.NaN()
	}
	return (x - st.x) / (t - st.t)
}

func seqDiff(st *seqState, t, x float64) float64 {
	if !st.has {
		return math.NaN()
	}
	return x - st.x
}

func seqDiffTime(st *seqState, t, x float64) float64 {
	if !st.has {
		return math.NaN()
	}
	return t - st.t
}

func seqRunningSum(st *seqState, t, x float64) float64 {
	st.sum += x
	return st.sum
}

// evalMetrics implements METRICS() and METRICS('filter'): the request's metric queries (not
// expressions) in request order; with a filter, those whose Id contains it (case-sensitive).
func evalMetrics(ev *evaluator, c *callNode) (value, error) {
	if ev.env.Metrics == nil {
		return value{}, ev.errAt(c, "METRICS() needs the request's metric query ids, but the environment provides none")
	}
	filter := ""
	if len(c.args) == 1 {
		filter = c.args[0].(*strNode).s
	}
	out := value{kind: kArray}
	for _, id := range ev.env.Metrics() {
		if !strings.Contains(id, filter) {
			continue
		}
		v, err := ev.lookup(&idNode{id: id, pos: c.pos, end: c.end})
		if err != nil {
			return value{}, err
		}
		out.ts = append(out.ts, v.ts...)
	}
	return out, nil
}

func evalSearch(ev *evaluator, c *callNode) (value, error) {
	if ev.env.Search == nil {
		return value{}, ev.errAt(c, "SEARCH needs a metric store, but the environment provides none")
	}
	period := c.search.Period
	if period == 0 {
		period = ev.env.Period
	}
	ss, err := ev.env.Search(c.search, c.search.Stat, period)
	if err != nil {
		p, e := c.span()
		return value{}, &Error{Source: ev.src, Pos: p, End: e, Msg: err.Error(), Err: err}
	}
	out := value{kind: kArray}
	for _, s := range ss {
		if len(s.Values) != ev.n {
			return value{}, ev.errAt(c, "SEARCH returned a series %q with %d values for a grid of %d timestamps", s.Label, len(s.Values), ev.n)
		}
		out.ts = append(out.ts, &series{label: s.Label, v: s.Values, input: true})
	}
	return out, nil
}

// evalPeriod implements PERIOD(m1): the period of a metric query, in seconds.
func evalPeriod(ev *evaluator, c *callNode) (value, error) {
	id, ok := c.args[0].(*idNode)
	if !ok {
		return value{}, ev.errAt(c.args[0], "PERIOD takes the Id of a metric query, such as PERIOD(m1)")
	}
	if ev.env.Metrics != nil && !slices.Contains(ev.env.Metrics(), id.id) {
		if _, err := ev.lookup(id); err != nil {
			return value{}, err
		}
		return value{}, ev.errAt(id, "PERIOD takes the Id of a metric query, and %s is an expression", id.id)
	}
	if _, err := ev.lookup(id); err != nil {
		return value{}, err
	}
	if ev.env.PeriodOf != nil {
		if p, ok := ev.env.PeriodOf(id.id); ok {
			return scalar(p.Seconds()), nil
		}
	}
	return scalar(ev.env.Period.Seconds()), nil
}

// evalTimeSeries implements TIME_SERIES(S): a value at every grid timestamp.
func evalTimeSeries(ev *evaluator, c *callNode) (value, error) {
	v, err := ev.scalarArg(c, 0)
	if err != nil {
		return value{}, err
	}
	o := &series{v: make([]float64, ev.n), dropped: v.dropped}
	x := v.num
	if !finite(x) {
		x = math.NaN()
		o.dropped = true
	}
	for i := range o.v {
		o.v[i] = x
	}
	return value{kind: kSeries, ts: []*series{o}}, nil
}

func hasData(s *series) bool {
	return slices.ContainsFunc(s.v, func(x float64) bool { return !math.IsNaN(x) })
}

func evalRemoveEmpty(ev *evaluator, c *callNode) (value, error) {
	v, err := ev.seriesArg(c, 0)
	if err != nil {
		return value{}, err
	}
	out := value{kind: kArray}
	for _, s := range v.ts {
		if hasData(s) {
			out.ts = append(out.ts, s)
		}
	}
	return out, nil
}

// evalFirstLast implements FIRST and LAST: the first or last series of an array. Of an empty
// array they return a series with no datapoints.
func evalFirstLast(first bool) func(*evaluator, *callNode) (value, error) {
	return func(ev *evaluator, c *callNode) (value, error) {
		v, err := ev.seriesArg(c, 0)
		if err != nil {
			return value{}, err
		}
		if len(v.ts) == 0 {
			return value{kind: kSeries, ts: []*series{emptySeries(ev.n)}}, nil
		}
		s := v.ts[len(v.ts)-1]
		if first {
			s = v.ts[0]
		}
		return value{kind: kSeries, ts: []*series{s}}, nil
	}
}

func emptySeries(n int) *series {
	o := &series{v: make([]float64, n)}
	for i := range o.v {
		o.v[i] = math.NaN()
	}
	return o
}

// evalSort implements SORT(array, AVG|MIN|MAX|SUM, ASC|DESC[, limit]). The key of each series is
// the statistic over its datapoints; series without datapoints sort last in either order; ties
// keep the array's order.
func evalSort(ev *evaluator, c *callNode) (value, error) {
	v, err := ev.seriesArg(c, 0)
	if err != nil {
		return value{}, err
	}
	fn := c.args[1].(*kwNode).kw
	desc := c.args[2].(*kwNode).kw == "DESC"
	limit := len(v.ts)
	if len(c.args) == 4 {
		if limit, err = ev.intArg(c, 3, 1); err != nil {
			return value{}, err
		}
	}
	k := map[string]aggKind{"AVG": aggAvg, "MIN": aggMin, "MAX": aggMax, "SUM": aggSum}[fn]
	type keyed struct {
		s   *series
		key float64
	}
	ks := make([]keyed, len(v.ts))
	for i, s := range v.ts {
		ks[i] = keyed{s, reduce(k, s.v)}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int {
		an, bn := math.IsNaN(a.key), math.IsNaN(b.key)
		switch {
		case an && bn:
			return 0
		case an:
			return 1
		case bn:
			return -1
		}
		if desc {
			a, b = b, a
		}
		switch {
		case a.key < b.key:
			return -1
		case a.key > b.key:
			return 1
		}
		return 0
	})
	out := value{kind: kArray}
	for i := 0; i < len(ks) && i < limit; i++ {
		out.ts = append(out.ts, ks[i].s)
	}
	return out, nil
}

// evalSlice implements SLICE(array, start[, end]): the series with zero-based index in
// [start, end), clamped to the array.
func evalSlice(ev *evaluator, c *callNode) (value, error) {
	v, err := ev.seriesArg(c, 0)
	if err != nil {
		return value{}, err
	}
	start, err := ev.intArg(c, 1, 0)
	if err != nil {
		return value{}, err
	}
	end := len(v.ts)
	if len(c.args) == 3 {
		if end, err = ev.intArg(c, 2, 0); err != nil {
			return value{}, err
		}
		if end < start {
			return value{}, ev.errAt(c.args[2], "SLICE end %d is before start %d; usage: %s", end, start, c.fn.usage)
		}
	}
	start = min(start, len(v.ts))
	end = min(end, len(v.ts))
	return value{kind: kArray, ts: slices.Clone(v.ts[start:end])}, nil
}

// evalIf implements IF(condition, trueValue[, falseValue]) as documented by CloudWatch. With a
// time series condition, per timestamp: no condition datapoint gives no datapoint; a true
// (non-zero) condition gives trueValue, or 0 when trueValue is a series without a datapoint
// there; a false condition gives falseValue, or no datapoint when it is omitted or is a series
// without a datapoint there. With a number as condition, the result is trueValue or falseValue
// whole (no falseValue: no datapoints).
func evalIf(ev *evaluator, c *callNode) (value, error) {
	args := make([]value, len(c.args))
	for i := range c.args {
		v, err := ev.eval(c.args[i])
		if err != nil {
			return value{}, err
		}
		if v.kind != kScalar && v.kind != kSeries {
			return value{}, ev.errAt(c.args[i], "argument %d of IF must be a number or a single time series, not %s; usage: %s", i+1, v.kind, c.fn.usage)
		}
		args[i] = v
	}
	cond, tv := args[0], args[1]
	var fv value
	hasFalse := len(args) == 3
	if hasFalse {
		fv = args[2]
	}
	if cond.kind == kScalar {
		if cond.num != 0 && !math.IsNaN(cond.num) {
			return tv, nil
		}
		if hasFalse {
			return fv, nil
		}
		if tv.kind == kScalar {
			return scalar(math.NaN()), nil
		}
		return value{kind: kSeries, ts: []*series{emptySeries(ev.n)}}, nil
	}
	cs := cond.ts[0]
	o := &series{v: make([]float64, ev.n), dropped: cs.dropped}
	at := func(v value, i int) (float64, bool) {
		if v.kind == kScalar {
			return v.num, finite(v.num)
		}
		x := v.ts[0].v[i]
		return x, !math.IsNaN(x)
	}
	for _, v := range []value{tv, fv} {
		if v.kind == kSeries {
			o.dropped = o.dropped || v.ts[0].dropped
		} else if v.dropped {
			o.dropped = true
		}
	}
	for i, cx := range cs.v {
		r := math.NaN()
		switch {
		case math.IsNaN(cx):
		case cx != 0:
			x, ok := at(tv, i)
			switch {
			case ok:
				r = x
			case tv.kind == kSeries:
				r = 0
			default:
				o.dropped = true
			}
		case hasFalse:
			if x, ok := at(fv, i); ok {
				r = x
			} else if fv.kind == kScalar {
				o.dropped = true
			}
		}
		o.v[i] = r
	}
	return value{kind: kSeries, ts: []*series{o}}, nil
}

// timeFunc builds MINUTE, HOUR, DAY, DATE, MONTH, YEAR and EPOCH: a series with a value at every
// grid timestamp (UTC) of the argument's range.
func timeFunc(f func(time.Time) float64) func(*evaluator, *callNode) (value, error) {
	return func(ev *evaluator, c *callNode) (value, error) {
		v, err := ev.seriesArg(c, 0)
		if err != nil {
			return value{}, err
		}
		if v.kind != kSeries {
			return value{}, ev.errAt(c.args[0], "%s takes a single time series; usage: %s", c.fn.name, c.fn.usage)
		}
		o := &series{v: make([]float64, ev.n)}
		for i, t := range ev.env.Grid {
			o.v[i] = f(t.UTC())
		}
		return value{kind: kSeries, ts: []*series{o}}, nil
	}
}

func secondsToDuration(s float64) time.Duration { return time.Duration(s) * time.Second }
