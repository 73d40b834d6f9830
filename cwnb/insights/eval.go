package insights

import (
	"encoding/binary"
	"errors"
	"fmt"
	"iter"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/cwnb/cwnb/cwnb/internal/suggest"
)

// row is one row of the pipeline: an event (nil after stats) and the fields commands computed.
type row struct {
	ev    *Event
	vals  []Field
	slots []Value // aggregate results, while stats evaluates its expressions
	// the last field of ev looked up, and its value: a query often reads one field twice
	// (filter ispresent(x) | stats pct(x, 99)); events are shared, so the row keeps it
	cacheEv   *Event
	cacheName string
	cacheVal  Value
}

func (r *row) get(name string) Value { return r.lookup(name, nil) }

// lookup is get for a field expression, which reads the same field of every row: with a
// cursor, the field's column in the events' blocks is found once a block.
func (r *row) lookup(name string, cur *columnCursor) Value {
	for i := len(r.vals) - 1; i >= 0; i-- {
		if r.vals[i].Name == name {
			return r.vals[i].Value
		}
	}
	if r.ev != nil {
		if r.cacheEv == r.ev && r.cacheName == name {
			return r.cacheVal
		}
		v := cur.get(r.ev, name)
		r.cacheEv, r.cacheName, r.cacheVal = r.ev, name, v
		return v
	}
	return Value{}
}

func (r *row) set(name string, v Value) {
	for i := range r.vals {
		if r.vals[i].Name == name {
			r.vals[i].Value = v
			return
		}
	}
	r.vals = append(r.vals, Field{name, v})
}

type evalFn func(r *row) Value

// aggSlot is one aggregate call of a stats command.
type aggSlot struct {
	fn    aggFunc
	arg   evalFn // nil for count(*)
	field string // the field arg reads, when arg is a plain field
	p     float64
	name  string
}

type compiler struct {
	src   string
	slots *[]aggSlot // non-nil while compiling the aggregate expressions of stats
}

func (c *compiler) errAt(pos int, format string, args ...any) error {
	return errAt(c.src, pos, format, args...)
}

func (c *compiler) compile(e expr) (evalFn, error) {
	switch e := e.(type) {
	case *litExpr:
		v := e.v
		return func(*row) Value { return v }, nil
	case *fieldExpr:
		name := e.name
		cur := &columnCursor{} // a compiled query runs on one goroutine at a time
		return func(r *row) Value { return r.lookup(name, cur) }, nil
	case *starExpr:
		return nil, c.errAt(e.pos, "* is only valid in count(*)")
	case *durationExpr:
		return nil, c.errAt(e.pos, "a period such as %s is only valid in bin(), datefloor() and dateceil()", e.text)
	case *unaryExpr:
		x, err := c.compile(e.x)
		if err != nil {
			return nil, err
		}
		if e.op == "not" {
			return func(r *row) Value { return boolValue(!x(r).truthy()) }, nil
		}
		return func(r *row) Value {
			v := x(r)
			if f, ok := v.num(); ok {
				return Num(-f)
			}
			return Value{}
		}, nil
	case *binaryExpr:
		return c.binary(e)
	case *inExpr:
		x, err := c.compile(e.x)
		if err != nil {
			return nil, err
		}
		list := make([]evalFn, len(e.list))
		for i, le := range e.list {
			if list[i], err = c.compile(le); err != nil {
				return nil, err
			}
		}
		neg := e.neg
		return func(r *row) Value {
			v := x(r)
			if v.K == Null {
				return boolValue(false)
			}
			s := v.Text()
			for _, f := range list {
				if f(r).Text() == s {
					return boolValue(!neg)
				}
			}
			return boolValue(neg)
		}, nil
	case *matchExpr:
		x, err := c.compile(e.x)
		if err != nil {
			return nil, err
		}
		neg, sub, re := e.neg, e.sub, e.re
		return func(r *row) Value {
			v := x(r)
			if v.K == Null {
				return boolValue(false)
			}
			s := v.Text()
			var m bool
			if re != nil {
				m = re.MatchString(s)
			} else {
				m = strings.Contains(s, sub)
			}
			return boolValue(m != neg)
		}, nil
	case *callExpr:
		return c.call(e)
	}
	return nil, c.errAt(e.position(), "unsupported expression")
}

func (c *compiler) binary(e *binaryExpr) (evalFn, error) {
	l, err := c.compile(e.l)
	if err != nil {
		return nil, err
	}
	r, err := c.compile(e.r)
	if err != nil {
		return nil, err
	}
	switch e.op {
	case "and":
		return func(x *row) Value { return boolValue(l(x).truthy() && r(x).truthy()) }, nil
	case "or":
		return func(x *row) Value { return boolValue(l(x).truthy() || r(x).truthy()) }, nil
	case "=", "!=", "<", "<=", ">", ">=":
		op := e.op
		return func(x *row) Value {
			c, ok := compare(l(x), r(x))
			if !ok {
				return boolValue(false)
			}
			switch op {
			case "=":
				return boolValue(c == 0)
			case "!=":
				return boolValue(c != 0)
			case "<":
				return boolValue(c < 0)
			case "<=":
				return boolValue(c <= 0)
			case ">":
				return boolValue(c > 0)
			}
			return boolValue(c >= 0)
		}, nil
	}
	var f func(a, b float64) float64
	switch e.op {
	case "+":
		f = func(a, b float64) float64 { return a + b }
	case "-":
		f = func(a, b float64) float64 { return a - b }
	case "*":
		f = func(a, b float64) float64 { return a * b }
	case "/":
		f = func(a, b float64) float64 { return a / b }
	case "%":
		f = math.Mod
	case "^":
		f = math.Pow
	default:
		return nil, c.errAt(e.pos, "unsupported operator %q", e.op)
	}
	return func(x *row) Value {
		a, ok1 := l(x).num()
		b, ok2 := r(x).num()
		if !ok1 || !ok2 {
			return Value{}
		}
		v := f(a, b)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Value{}
		}
		return Num(v)
	}, nil
}

func (c *compiler) period(e *callExpr, arg expr) (period, error) {
	d, ok := arg.(*durationExpr)
	if !ok {
		return period{}, c.errAt(arg.position(), "%s needs a period such as 5m, 1h or 1d", e.name)
	}
	p, ok := parsePeriod(d.text)
	if !ok {
		return period{}, c.errAt(d.pos, "period %q: write a number and a unit (ms, s, m, h, d, w, mo, q, y), e.g. 5m", d.text)
	}
	return p, nil
}

func (c *compiler) call(e *callExpr) (evalFn, error) {
	if af, ok := aggFuncs[e.name]; ok {
		return c.aggregate(e, af)
	}
	switch e.name {
	case "bin":
		if len(e.args) != 1 {
			return nil, c.errAt(e.pos, "bin takes one period, e.g. bin(5m)")
		}
		p, err := c.period(e, e.args[0])
		if err != nil {
			return nil, err
		}
		return func(r *row) Value {
			ms, ok := asMillis(r.get("@timestamp"))
			if !ok {
				return Value{}
			}
			return Millis(p.floor(ms))
		}, nil
	case "datefloor", "dateceil":
		if len(e.args) != 2 {
			return nil, c.errAt(e.pos, "%s takes a time and a period, e.g. %s(@timestamp, 1h)", e.name, e.name)
		}
		ts, err := c.compile(e.args[0])
		if err != nil {
			return nil, err
		}
		p, err := c.period(e, e.args[1])
		if err != nil {
			return nil, err
		}
		ceil := e.name == "dateceil"
		return func(r *row) Value {
			ms, ok := asMillis(ts(r))
			if !ok {
				return Value{}
			}
			if ceil {
				return Millis(p.ceil(ms))
			}
			return Millis(p.floor(ms))
		}, nil
	}
	sf, ok := scalarFuncs[e.name]
	if !ok {
		return nil, c.errAt(e.pos, "function %q is not supported by the local Logs Insights%s", e.name, didYouMean(e.name))
	}
	if len(e.args) < sf.min || sf.max >= 0 && len(e.args) > sf.max {
		want := strconv.Itoa(sf.min)
		if sf.max < 0 {
			want = "at least " + want
		} else if sf.max != sf.min {
			want += " to " + strconv.Itoa(sf.max)
		}
		return nil, c.errAt(e.pos, "%s takes %s arguments, got %d", e.name, want, len(e.args))
	}
	args := make([]evalFn, len(e.args))
	for i, a := range e.args {
		var err error
		if args[i], err = c.compile(a); err != nil {
			return nil, err
		}
	}
	fn := sf.fn
	return func(r *row) Value {
		// no allocation per event for the common few arguments
		var buf [4]Value
		vs := buf[:0]
		if len(args) > len(buf) {
			vs = make([]Value, 0, len(args))
		}
		for _, a := range args {
			vs = append(vs, a(r))
		}
		return fn(vs)
	}, nil
}

func (c *compiler) aggregate(e *callExpr, af aggFunc) (evalFn, error) {
	if c.slots == nil {
		return nil, c.errAt(e.pos, "%s is an aggregation function: use it in stats", e.name)
	}
	if len(e.args) == 0 && e.name == "count" {
		e.args = []expr{&starExpr{e.pos}}
	}
	if len(e.args) != af.args {
		return nil, c.errAt(e.pos, "%s takes %d argument(s), got %d", e.name, af.args, len(e.args))
	}
	slot := aggSlot{fn: af, name: e.text}
	if _, star := e.args[0].(*starExpr); star {
		if !af.star {
			return nil, c.errAt(e.pos, "%s(*) is not valid; name a field", e.name)
		}
	} else {
		inner := &compiler{src: c.src} // no nested aggregates
		arg, err := inner.compile(e.args[0])
		if err != nil {
			return nil, err
		}
		slot.arg = arg
		if f, ok := e.args[0].(*fieldExpr); ok {
			slot.field = f.name
		}
	}
	if af.args == 2 {
		lit, ok := e.args[1].(*litExpr)
		var p float64
		isNum := false
		if ok {
			p, isNum = lit.v.num()
		}
		if !isNum || p < 0 || p > 100 {
			return nil, c.errAt(e.args[1].position(), "%s needs a percentile from 0 to 100 as its second argument", e.name)
		}
		slot.p = p
	}
	i := len(*c.slots)
	*c.slots = append(*c.slots, slot)
	return func(r *row) Value { return r.slots[i] }, nil
}

// plan is a compiled query.
type plan struct {
	stages []stage
}

type stageKind uint8

const (
	sStream stageKind = iota // per row: fields, display, filter, parse
	sStats
	sSort
	sDedup
	sLimit
)

type stage struct {
	kind stageKind
	// sStream: returns false to drop the row
	stream func(r *row) bool
	// sStats
	slots   []aggSlot
	aggs    []evalFn
	aggName []string
	by      []evalFn
	byName  []string
	hasBin  int // index of the by expression that is a bin(), -1 if none
	// binOnly is the period of a stats grouped by one bin() alone (nil otherwise); binBy, of
	// a bin() anywhere in its by clause
	binOnly, binBy *period
	// present names the field of a filter that is exactly ispresent(field)
	present string
	// sSort
	keys []evalFn
	desc []bool
	// sDedup
	fields []string
	// sLimit
	n int
	// columns after this stage
	cols    []string
	isStats bool
}

func (q *Query) compile() (*plan, error) {
	c := &compiler{src: q.src}
	p := &plan{}
	var cols []string
	addCols := func(names ...string) {
		for _, n := range names {
			if !slices.Contains(cols, n) {
				cols = append(cols, n)
			}
		}
	}
	for _, cmd := range q.cmds {
		st := stage{kind: sStream}
		switch cmd := cmd.(type) {
		case *fieldsCmd, *displayCmd:
			var items []namedExpr
			if f, ok := cmd.(*fieldsCmd); ok {
				items = f.items
			} else {
				items = cmd.(*displayCmd).items
				cols = nil
			}
			fns := make([]evalFn, len(items))
			names := make([]string, len(items))
			computed := make([]bool, len(items))
			for i, it := range items {
				fn, err := c.compile(it.e)
				if err != nil {
					return nil, err
				}
				fns[i], names[i] = fn, it.name
				f, isField := it.e.(*fieldExpr)
				computed[i] = !isField || f.name != it.name
				addCols(it.name)
			}
			st.stream = func(r *row) bool {
				for i, fn := range fns {
					if computed[i] {
						r.set(names[i], fn(r))
					}
				}
				return true
			}
		case *filterCmd:
			fn, err := c.compile(cmd.cond)
			if err != nil {
				return nil, err
			}
			st.stream = func(r *row) bool { return fn(r).truthy() }
			if call, ok := cmd.cond.(*callExpr); ok && call.name == "ispresent" && len(call.args) == 1 {
				if f, ok := call.args[0].(*fieldExpr); ok {
					st.present = f.name
				}
			}
		case *parseCmd:
			src, err := c.compile(cmd.src)
			if err != nil {
				return nil, err
			}
			re, names := cmd.re, cmd.names
			for _, n := range names {
				if n != "" {
					addCols(n)
				}
			}
			st.stream = func(r *row) bool {
				v := src(r)
				if v.K == Null {
					return true
				}
				m := re.FindStringSubmatch(v.Text())
				if m == nil {
					return true
				}
				for i, n := range names {
					if n != "" {
						r.set(n, Str(m[i+1]))
					}
				}
				return true
			}
		case *statsCmd:
			st.kind = sStats
			st.hasBin = -1
			var slots []aggSlot
			ac := &compiler{src: q.src, slots: &slots}
			cols = nil
			for i, b := range cmd.by {
				fn, err := c.compile(b.e)
				if err != nil {
					return nil, err
				}
				if call, ok := b.e.(*callExpr); ok && call.name == "bin" {
					st.hasBin = i
					if p, err := c.period(call, call.args[0]); err == nil {
						st.binBy = &p
						if len(cmd.by) == 1 {
							st.binOnly = &p
						}
					}
				}
				st.by = append(st.by, fn)
				st.byName = append(st.byName, b.name)
				addCols(b.name)
			}
			for _, a := range cmd.aggs {
				n := len(slots)
				fn, err := ac.compile(a.e)
				if err != nil {
					return nil, err
				}
				if len(slots) == n {
					return nil, c.errAt(a.e.position(), "%q has no aggregation function; stats needs e.g. count(*), avg(f) or pct(f, 99)", a.name)
				}
				st.aggs = append(st.aggs, fn)
				st.aggName = append(st.aggName, a.name)
				addCols(a.name)
			}
			st.slots = slots
			st.isStats = true
		case *sortCmd:
			st.kind = sSort
			for _, k := range cmd.keys {
				fn, err := c.compile(k.e)
				if err != nil {
					return nil, err
				}
				st.keys = append(st.keys, fn)
				st.desc = append(st.desc, k.desc)
			}
		case *dedupCmd:
			st.kind = sDedup
			for _, f := range cmd.fields {
				st.fields = append(st.fields, f.(*fieldExpr).name)
			}
		case *limitCmd:
			st.kind = sLimit
			st.n = cmd.n
		}
		st.cols = slices.Clone(cols)
		p.stages = append(p.stages, st)
	}
	return p, nil
}

// ResultField is one field of a result row, as GetQueryResults returns it: both strings.
type ResultField struct {
	Field, Value string
}

// Result is the outcome of a query.
type Result struct {
	Rows []([]ResultField)
	// Statistics, as GetQueryResults reports them.
	RecordsMatched, RecordsScanned, BytesScanned float64
}

// DefaultLimit is how many rows a query returns when neither the query's limit command nor the
// caller's limit say otherwise.
const DefaultLimit = 10000

// Run evaluates q over events, which must come in ascending @timestamp order. limit caps the
// rows of a query without a limit command (0: DefaultLimit); a limit command wins.
//
// Rows of a query without stats and without sort come newest first; rows of stats come sorted
// by their group keys ascending. A raw row lists the selected fields in query order and @ptr
// last; a stats row lists the by fields, then the aggregates. Fields without a value are
// omitted from the row.
func (q *Query) Run(events iter.Seq[*Event], limit int) (*Result, error) {
	return q.RunPartial(events, limit, Snapshots{})
}

// Snapshots says when a running query reports its partial results: every Every events read it
// asks Due (nil: always yes) and, if a snapshot is due, calls Take with the rows the query would
// return if the events ended there and the statistics so far. A snapshot of a stats query
// computes every group's aggregates so far (a percentile selects among all the values read), so
// a server takes one only when a client is there to read it.
type Snapshots struct {
	Every int
	Due   func() bool
	// Take runs on RunPartial's goroutine; the rows it gets are its own.
	Take func(rows [][]ResultField, matched, scanned, bytes float64)
}

// RunPartial is Run that also reports partial results while it reads, as snap says: those of a
// running query. The zero Snapshots takes none.
func (q *Query) RunPartial(events iter.Seq[*Event], limit int, snap Snapshots) (res *Result, err error) {
	defer recoverInto(&err)
	p, err := q.compile()
	if err != nil {
		return nil, err
	}
	x := newExecution(p, limit)
	var sc *statsScan
	if x.first < len(p.stages) && p.stages[x.first].kind == sStats {
		sc = newStatsScan(p, x.first)
	}
	// A raw query that keeps its time order needs only its newest rows.
	keepTail := 0
	if !x.sorted && !slices.ContainsFunc(x.rest, func(s stage) bool { return s.kind == sDedup }) {
		keepTail = x.limit
		for _, st := range x.rest {
			if st.kind == sLimit {
				keepTail = st.n
				break
			}
		}
	}
	var rows []*row
	ring := 0
	var matched, scanned, bytes float64 // of a raw query (a stats query's are in sc)
	// collected returns the rows collected so far, in time order, and the stages still to run.
	collected := func() ([]*row, []stage) {
		if sc != nil {
			return sc.agg.rows(), x.rest[1:]
		}
		out := rows
		if ring > 0 {
			out = append(slices.Clone(rows[ring:]), rows[:ring]...)
		}
		return out, x.rest
	}
	counts := func() (float64, float64, float64) {
		if sc != nil {
			return sc.matched, sc.scanned, sc.bytes
		}
		return matched, scanned, bytes
	}
	every := snap.Every
	if snap.Take == nil {
		every = 0
	}
	n, nextCheck := 0, every // events read; the count at which snap.Due is asked next
	r := &row{}
	for ev := range events {
		if every > 0 && n == nextCheck {
			nextCheck += every
			if snap.Due == nil || snap.Due() {
				sofar, todo := collected()
				if sc == nil {
					sofar = slices.Clone(sofar) // finish reorders and cuts its rows
				}
				m, s, b := counts()
				snap.Take(x.finish(sofar, todo), m, s, b)
			}
		}
		n++
		if sc != nil {
			sc.add(ev)
			continue
		}
		scanned++
		bytes += float64(len(ev.Message))
		r.ev, r.vals = ev, r.vals[:0]
		if !x.keep(r) {
			continue
		}
		matched++
		kept := &row{ev: ev, vals: slices.Clone(r.vals)}
		if keepTail > 0 && len(rows) == keepTail {
			rows[ring] = kept
			ring = (ring + 1) % keepTail
			continue
		}
		rows = append(rows, kept)
	}
	res = &Result{}
	res.RecordsMatched, res.RecordsScanned, res.BytesScanned = counts()
	res.Rows = x.finish(collected())
	return res, nil
}

// recoverInto turns a panic of the engine into an error in *err: a query that trips a bug fails,
// and the server that runs it keeps serving.
func recoverInto(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("insights: internal error evaluating the query (%v); please report it with the query", r)
	}
}

// BinFloor returns the start of the bin that time ms (Unix milliseconds) falls in, when the
// query's first blocking command is a stats grouped by a bin(): RunParts then reads parts split
// at such starts concurrently. ok is false for any other query.
func (q *Query) BinFloor(ms int64) (start int64, ok bool) {
	p, err := q.compile()
	if err != nil {
		return 0, false
	}
	bp := parallelBin(p)
	if bp == nil {
		return 0, false
	}
	return bp.floor(ms), true
}

// parallelBin returns the period of the bin() in the by clause of p's first blocking stage, if
// that is a stats (its groups then each lie within one bin); nil otherwise.
func parallelBin(p *plan) *period {
	for _, st := range p.stages {
		if st.kind != sStream {
			if st.kind == sStats {
				return st.binBy
			}
			return nil
		}
	}
	return nil
}

// RunParts is RunPartial over events given in parts: consecutive runs of them in time order
// (every event of parts[i] at or before every event of parts[i+1]). A query whose first blocking
// command is a stats grouped by a bin() reads its parts concurrently, one goroutine each, when
// they are split at the starts of its bins (BinFloor): every group then lies within one part and
// sees its events in the same order as Run would, so the result is Run's to the bit. Otherwise,
// or when a group turns out to span two parts, the parts are read in turn, one after the other
// (a part may then be read a second time: its iter.Seq must allow that).
//
// Snapshots of a concurrent read hold the events every part has read so far; Due may be called
// from any of the goroutines, never from two at once.
func (q *Query) RunParts(parts []iter.Seq[*Event], limit int, snap Snapshots) (res *Result, err error) {
	defer recoverInto(&err)
	chained := func(yield func(*Event) bool) {
		for _, part := range parts {
			for ev := range part {
				if !yield(ev) {
					return
				}
			}
		}
	}
	p, err := q.compile()
	if err != nil {
		return nil, err
	}
	if len(parts) < 2 || parallelBin(p) == nil {
		return q.RunPartial(chained, limit, snap)
	}
	x := newExecution(p, limit)
	workers := make([]*statsScan, len(parts))
	for i := range workers {
		wp := p
		if i > 0 {
			// each goroutine its own stages: a compiled stage may keep state between rows
			if wp, err = q.compile(); err != nil {
				return nil, err
			}
		}
		workers[i] = newStatsScan(wp, x.first)
	}
	every := snap.Every
	if snap.Take == nil {
		every = 0
	}
	var snapMu sync.Mutex
	// snapshot takes a snapshot of what every part has read so far, if one is due. The caller
	// holds no worker's lock.
	snapshot := func() {
		snapMu.Lock()
		defer snapMu.Unlock()
		if snap.Due != nil && !snap.Due() {
			return
		}
		var m, s, b float64
		var rows []*row
		ok := func() bool {
			for _, w := range workers {
				w.mu.Lock()
				defer w.mu.Unlock()
			}
			for _, w := range workers {
				m, s, b = m+w.matched, s+w.scanned, b+w.bytes
			}
			merged, ok := mergeGroupers(workers)
			if ok {
				rows = merged.rows()
			}
			return ok
		}()
		if ok {
			snap.Take(x.finish(rows, x.rest[1:]), m, s, b)
		}
	}
	var wg sync.WaitGroup
	panics := make([]error, len(parts))
	for i, part := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := workers[i]
			locked := false
			defer func() {
				if locked { // a panic while reading: let a snapshot, or the other parts, go on
					w.mu.Unlock()
				}
			}()
			defer recoverInto(&panics[i])
			n := 0
			w.mu.Lock()
			locked = true
			for ev := range part {
				w.add(ev)
				if n++; every > 0 && n%every == 0 {
					w.mu.Unlock()
					locked = false
					snapshot()
					w.mu.Lock()
					locked = true
				}
			}
			w.mu.Unlock()
			locked = false
		}()
	}
	wg.Wait()
	if err := errors.Join(panics...); err != nil {
		return nil, err
	}
	merged, ok := mergeGroupers(workers)
	if !ok {
		// a group in two parts: the parts were not split at the bins' starts (or the query
		// bins a time of its own making); read them in turn
		return q.RunPartial(chained, limit, snap)
	}
	res = &Result{}
	for _, w := range workers {
		res.RecordsMatched += w.matched
		res.RecordsScanned += w.scanned
		res.BytesScanned += w.bytes
	}
	res.Rows = x.finish(merged.rows(), x.rest[1:])
	return res, nil
}

// mergeGroupers returns a grouper holding the groups of the workers' groupers, or false if two
// of them hold the same group (their parts were not split at the groups' boundaries). The
// groups are shared, not copied.
func mergeGroupers(workers []*statsScan) (*grouper, bool) {
	merged := newGrouper(workers[0].agg.st)
	seen := map[string]bool{}
	var key []byte
	for _, w := range workers {
		for _, gr := range w.agg.order {
			key = appendGroupKey(key[:0], gr.keys)
			if seen[string(key)] {
				return nil, false
			}
			seen[string(key)] = true
			merged.order = append(merged.order, gr)
		}
	}
	return merged, true
}

// execution holds what finishing a query's rows needs.
type execution struct {
	p                         *plan
	first                     int     // index of the first blocking stage
	rest                      []stage // the stages from it on
	limit                     int
	sorted, hasLimit, isStats bool
	cols                      []string
}

func newExecution(p *plan, limit int) *execution {
	if limit <= 0 {
		limit = DefaultLimit
	}
	x := &execution{p: p, limit: limit, first: len(p.stages)}
	for i, st := range p.stages {
		if st.kind != sStream {
			x.first = i
			break
		}
	}
	x.rest = p.stages[x.first:]
	for _, st := range p.stages {
		x.sorted = x.sorted || st.kind == sSort || st.kind == sStats
		x.hasLimit = x.hasLimit || st.kind == sLimit
		x.isStats = x.isStats || st.isStats
	}
	x.cols = p.stages[len(p.stages)-1].cols
	if len(x.cols) == 0 {
		x.cols = []string{"@timestamp", "@message"}
	}
	return x
}

// keep runs the streaming stages before the first blocking one over r: false drops it.
func (x *execution) keep(r *row) bool {
	for i := range x.p.stages[:x.first] {
		if !x.p.stages[i].stream(r) {
			return false
		}
	}
	return true
}

// finish runs the stages rest over rows (which it may reorder and cut) and formats the result
// rows.
func (x *execution) finish(rows []*row, rest []stage) [][]ResultField {
	for i := range rest {
		st := &rest[i]
		switch st.kind {
		case sStream:
			kept := rows[:0]
			for _, r := range rows {
				if st.stream(r) {
					kept = append(kept, r)
				}
			}
			rows = kept
		case sStats:
			g := newGrouper(st)
			for _, r := range rows {
				g.add(r)
			}
			rows = g.rows()
		case sSort:
			rows = sortRows(rows, st)
		case sDedup:
			rows = dedup(rows, st.fields)
		case sLimit:
			if len(rows) > st.n {
				if !hasSortBefore(x.p.stages, st) {
					rows = rows[len(rows)-st.n:] // the newest
				} else {
					rows = rows[:st.n]
				}
			}
		}
	}
	if !x.sorted {
		slices.Reverse(rows) // newest first
	}
	if !x.hasLimit && len(rows) > x.limit {
		rows = rows[:x.limit]
	}
	out := make([][]ResultField, 0, len(rows))
	for _, r := range rows {
		fs := make([]ResultField, 0, len(x.cols)+1)
		for _, c := range x.cols {
			if v := r.get(c); v.K != Null {
				fs = append(fs, ResultField{c, v.Text()})
			}
		}
		if !x.isStats && r.ev != nil {
			fs = append(fs, ResultField{"@ptr", r.ev.ptr()})
		}
		out = append(out, fs)
	}
	return out
}

// statsScan reads events into the grouper of a query's first stats: the streaming stages before
// it, then the stats. mu, in RunParts, guards it against a snapshot.
type statsScan struct {
	x       *execution
	agg     *grouper
	binOnly *period
	// fast: the query is [filter ispresent(f) |] stats aggregates of f or count(*) by bin(period):
	// each event's f (fastField) read once, its bin by integer arithmetic, no expression
	// evaluated
	fast      bool
	fastField string
	filtered  bool // a filter ispresent(fastField) precedes the stats
	col       columnCursor
	r         row
	mu        sync.Mutex

	matched, scanned, bytes float64
}

func newStatsScan(p *plan, first int) *statsScan {
	st := &p.stages[first]
	sc := &statsScan{x: newExecution(p, 0), agg: newGrouper(st), binOnly: st.binOnly}
	prefix := p.stages[:first]
	sc.fast = st.binOnly != nil
	for i := range prefix {
		sc.fast = sc.fast && prefix[i].present != "" && (sc.fastField == "" || sc.fastField == prefix[i].present)
		sc.fastField = prefix[i].present
	}
	for _, s := range st.slots {
		sc.fast = sc.fast && (s.arg == nil || s.field != "" && (sc.fastField == "" || s.field == sc.fastField))
		if s.field != "" {
			sc.fastField = s.field
		}
	}
	sc.filtered = len(prefix) > 0
	return sc
}

func (sc *statsScan) add(ev *Event) {
	sc.scanned++
	sc.bytes += float64(len(ev.Message))
	r := &sc.r
	if sc.fast {
		var v Value
		if sc.fastField != "" {
			v = sc.col.get(ev, sc.fastField)
		}
		if sc.filtered && v.K == Null {
			return
		}
		sc.matched++
		r.ev, r.vals = ev, r.vals[:0]
		r.cacheEv, r.cacheName, r.cacheVal = ev, sc.fastField, v
		sc.agg.addBin(r, sc.binOnly.floor(ev.Timestamp), v)
		return
	}
	r.ev, r.vals = ev, r.vals[:0]
	if !sc.x.keep(r) {
		return
	}
	sc.matched++
	sc.agg.add(r)
}

// hasSortBefore reports whether a sort or stats stage precedes st (rows are then in a chosen
// order and limit keeps the first; otherwise rows are in time order and limit keeps the newest).
func hasSortBefore(stages []stage, st *stage) bool {
	for i := range stages {
		if &stages[i] == st {
			return false
		}
		if stages[i].kind == sSort || stages[i].kind == sStats {
			return true
		}
	}
	return false
}

func sortRows(rows []*row, st *stage) []*row {
	type keyed struct {
		r    *row
		keys []Value
	}
	ks := make([]keyed, len(rows))
	for i, r := range rows {
		ks[i].r = r
		ks[i].keys = make([]Value, len(st.keys))
		for j, k := range st.keys {
			ks[i].keys[j] = k(r)
		}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int {
		for j := range st.keys {
			c := orderValues(a.keys[j], b.keys[j])
			if c == 0 {
				continue
			}
			if a.keys[j].K == Null || b.keys[j].K == Null {
				return c // nulls last in either direction
			}
			if st.desc[j] {
				return -c
			}
			return c
		}
		return 0
	})
	for i := range ks {
		rows[i] = ks[i].r
	}
	return rows
}

// orderValues is the total order of sort: nulls last, numbers before text.
func orderValues(a, b Value) int {
	switch {
	case a.K == Null && b.K == Null:
		return 0
	case a.K == Null:
		return 1
	case b.K == Null:
		return -1
	}
	if c, ok := compare(a, b); ok {
		return c
	}
	return 0
}

func dedup(rows []*row, fields []string) []*row {
	seen := map[string]bool{}
	out := rows[:0]
	var b strings.Builder
	for _, r := range rows {
		b.Reset()
		for _, f := range fields {
			v := r.get(f)
			b.WriteByte(byte(v.K))
			b.WriteString(v.Text())
			b.WriteByte(0)
		}
		k := b.String()
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, r)
	}
	return out
}

// grouper runs one stats stage.
type grouper struct {
	st     *stage
	groups map[string]*group
	order  []*group
	key    []byte
	// byTime holds the groups of a stats grouped by time alone (by bin(...)): keyed by the
	// bin's milliseconds, no key bytes to build per event; last is the most recent one, as
	// events arrive in time order.
	byTime   map[int64]*group
	last     *group
	lastTime int64
}

type group struct {
	keys   []Value
	states []aggState
}

func newGrouper(st *stage) *grouper {
	return &grouper{st: st, groups: map[string]*group{}}
}

func (g *grouper) add(r *row) {
	if len(g.st.by) == 1 {
		if v := g.st.by[0](r); v.K == Time {
			g.addTime(r, v)
			return
		}
	}
	g.addKeyed(r)
}

// addTime adds r to the group of time key v.
func (g *grouper) addTime(r *row, v Value) {
	ms := int64(v.F)
	gr := g.last
	if gr == nil || ms != g.lastTime || float64(ms) != v.F {
		if g.byTime == nil {
			g.byTime = map[int64]*group{}
		}
		var ok bool
		if float64(ms) == v.F {
			gr, ok = g.byTime[ms]
		} else {
			// not a whole millisecond (never from bin or @timestamp): the general path
			g.addKeyed(r)
			return
		}
		if !ok {
			gr = g.newGroup([]Value{v})
			g.byTime[ms] = gr
		}
		g.last, g.lastTime = gr, ms
	}
	g.fold(gr, r)
}

// addBin adds r, whose time key is the bin starting at ms and whose aggregated field has value
// v, to its group (the fast path of RunPartial: every slot reads that field or is count(*)).
func (g *grouper) addBin(r *row, ms int64, v Value) {
	gr := g.last
	if gr == nil || ms != g.lastTime {
		if g.byTime == nil {
			g.byTime = map[int64]*group{}
		}
		var ok bool
		if gr, ok = g.byTime[ms]; !ok {
			gr = g.newGroup([]Value{Millis(ms)})
			g.byTime[ms] = gr
		}
		g.last, g.lastTime = gr, ms
	}
	for i, s := range g.st.slots {
		if s.arg == nil {
			gr.states[i].add(Num(1), r)
		} else {
			gr.states[i].add(v, r)
		}
	}
}

// newGroup returns a new group with keys, in g.order.
func (g *grouper) newGroup(keys []Value) *group {
	gr := &group{keys: keys, states: make([]aggState, len(g.st.slots))}
	for i, s := range g.st.slots {
		gr.states[i] = s.fn.newFn(s.p)
	}
	g.order = append(g.order, gr)
	return gr
}

// fold adds r to the aggregates of gr.
func (g *grouper) fold(gr *group, r *row) {
	for i, s := range g.st.slots {
		if s.arg == nil {
			gr.states[i].add(Num(1), r)
		} else {
			gr.states[i].add(s.arg(r), r)
		}
	}
}

// addKeyed adds r to its group by the bytes of its keys.
func (g *grouper) addKeyed(r *row) {
	var keys [4]Value
	kv := keys[:0]
	for _, by := range g.st.by {
		kv = append(kv, by(r))
	}
	g.key = appendGroupKey(g.key[:0], kv)
	gr, ok := g.groups[string(g.key)]
	if !ok {
		gr = g.newGroup(slices.Clone(kv))
		g.groups[string(g.key)] = gr
	}
	g.fold(gr, r)
}

// appendGroupKey appends to b the bytes that identify a group by its keys: equal for equal
// keys, different for different ones.
func appendGroupKey(b []byte, keys []Value) []byte {
	for _, v := range keys {
		b = append(b, byte(v.K))
		switch v.K {
		case Number, Time:
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v.F))
		case String:
			b = binary.AppendUvarint(b, uint64(len(v.S)))
			b = append(b, v.S...)
		}
	}
	return b
}

// rows returns one row per group, sorted by the group keys.
func (g *grouper) rows() []*row {
	slices.SortStableFunc(g.order, func(a, b *group) int {
		for i := range a.keys {
			if c := orderValues(a.keys[i], b.keys[i]); c != 0 {
				return c
			}
		}
		return 0
	})
	// The groups' aggregates (a percentile selects among the group's values) in parallel when
	// there are many groups: each group is its own.
	slots := make([][]Value, len(g.order))
	fill := func(lo, hi int) {
		for k := lo; k < hi; k++ {
			gr := g.order[k]
			slots[k] = make([]Value, len(gr.states))
			for i, s := range gr.states {
				slots[k][i] = s.result()
			}
		}
	}
	if workers := min(runtime.GOMAXPROCS(0), len(g.order)/64); workers > 1 {
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				fill(w*len(g.order)/workers, (w+1)*len(g.order)/workers)
			}()
		}
		wg.Wait()
	} else {
		fill(0, len(g.order))
	}
	out := make([]*row, 0, len(g.order))
	for k, gr := range g.order {
		r := &row{slots: slots[k]}
		for i, n := range g.st.byName {
			r.set(n, gr.keys[i])
		}
		if g.st.hasBin >= 0 {
			// a later stats can bin again: the bin is the row's time
			r.vals = append(r.vals, Field{"@timestamp", gr.keys[g.st.hasBin]})
		}
		for i, fn := range g.st.aggs {
			r.set(g.st.aggName[i], fn(r))
		}
		r.slots = nil
		out = append(out, r)
	}
	return out
}

// didYouMean suggests, for an unknown function name, the supported one it is closest to (by at
// most a third of its letters, one at least), or what to write instead of a well-known function
// of other query languages; "" if nothing is close.
func didYouMean(name string) string {
	switch strings.ToLower(name) {
	case "median":
		return " (for a median, write pct(field, 50))"
	case "quantile", "percentile_cont", "p99", "p95", "p50":
		return " (for a percentile, write pct(field, 99))"
	}
	names := []string{"bin", "datefloor", "dateceil"}
	for n := range scalarFuncs {
		names = append(names, n)
	}
	for n := range aggFuncs {
		names = append(names, n)
	}
	best := suggest.Nearest(name, names)
	if best == "" || strings.Contains(best, " or ") || suggest.EditDistance(strings.ToLower(name), strings.ToLower(best)) > max(1, len(name)/3) {
		return ""
	}
	return " (did you mean " + best + "?)"
}
