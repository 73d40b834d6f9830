package insights

import (
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// scalarFunc is one scalar function: its arity and its implementation over evaluated arguments.
type scalarFunc struct {
	min, max int // max < 0: variadic
	fn       func(args []Value) Value
}

func numFn(f func(float64) float64) scalarFunc {
	return scalarFunc{1, 1, func(a []Value) Value {
		x, ok := a[0].num()
		if !ok {
			return Value{}
		}
		return Num(f(x))
	}}
}

func strFn(f func(string) Value) scalarFunc {
	return scalarFunc{1, 1, func(a []Value) Value {
		if a[0].K == Null {
			return Value{}
		}
		return f(a[0].Text())
	}}
}

// scalarFuncs is the table of scalar functions (bin, datefloor and dateceil are compiled
// specially: their period is a literal).
var scalarFuncs map[string]scalarFunc

func init() {
	scalarFuncs = map[string]scalarFunc{
		"abs":   numFn(math.Abs),
		"ceil":  numFn(math.Ceil),
		"floor": numFn(math.Floor),
		"sqrt":  numFn(math.Sqrt),
		"log":   numFn(math.Log),
		"greatest": {1, -1, func(a []Value) Value {
			return extreme(a, 1)
		}},
		"least": {1, -1, func(a []Value) Value {
			return extreme(a, -1)
		}},
		"ispresent": {1, 1, func(a []Value) Value { return boolValue(a[0].K != Null) }},
		"coalesce": {1, -1, func(a []Value) Value {
			for _, v := range a {
				if v.K != Null {
					return v
				}
			}
			return Value{}
		}},
		"isempty": {1, 1, func(a []Value) Value { return boolValue(a[0].K == Null || a[0].Text() == "") }},
		"isblank": {1, 1, func(a []Value) Value {
			return boolValue(a[0].K == Null || strings.TrimSpace(a[0].Text()) == "")
		}},
		"concat": {1, -1, func(a []Value) Value {
			var b strings.Builder
			for _, v := range a {
				b.WriteString(v.Text())
			}
			return Str(b.String())
		}},
		"ltrim": trimFn(strings.TrimLeft, strings.TrimLeftFunc),
		"rtrim": trimFn(strings.TrimRight, strings.TrimRightFunc),
		"trim":  trimFn(strings.Trim, strings.TrimFunc),
		"strlen": strFn(func(s string) Value {
			return Num(float64(len([]rune(s))))
		}),
		"toupper": strFn(func(s string) Value { return Str(strings.ToUpper(s)) }),
		"tolower": strFn(func(s string) Value { return Str(strings.ToLower(s)) }),
		"substr": {2, 3, func(a []Value) Value {
			if a[0].K == Null {
				return Value{}
			}
			r := []rune(a[0].Text())
			st, ok := a[1].num()
			if !ok {
				return Value{}
			}
			i := clampInt(int(st), 0, len(r))
			j := len(r)
			if len(a) == 3 {
				n, ok := a[2].num()
				if !ok {
					return Value{}
				}
				j = clampInt(i+int(n), i, len(r))
			}
			return Str(string(r[i:j]))
		}},
		"replace": {3, 3, func(a []Value) Value {
			if a[0].K == Null {
				return Value{}
			}
			return Str(strings.ReplaceAll(a[0].Text(), a[1].Text(), a[2].Text()))
		}},
		"strcontains": {2, 2, func(a []Value) Value {
			if a[0].K == Null {
				return Num(0)
			}
			return boolValue(strings.Contains(a[0].Text(), a[1].Text()))
		}},
		"frommillis": {1, 1, func(a []Value) Value {
			x, ok := a[0].num()
			if !ok {
				return Value{}
			}
			return Millis(int64(x))
		}},
		"tomillis": {1, 1, func(a []Value) Value {
			if ms, ok := asMillis(a[0]); ok {
				return Num(float64(ms))
			}
			return Value{}
		}},
		"isvalidip":      ipFn(func(a netip.Addr) bool { return true }),
		"isvalidipv4":    ipFn(func(a netip.Addr) bool { return a.Is4() }),
		"isvalidipv6":    ipFn(func(a netip.Addr) bool { return a.Is6() && !a.Is4In6() }),
		"isipinsubnet":   subnetFn(func(a netip.Addr) bool { return true }),
		"isipv4insubnet": subnetFn(func(a netip.Addr) bool { return a.Is4() }),
		"isipv6insubnet": subnetFn(func(a netip.Addr) bool { return a.Is6() }),
	}
}

func clampInt(x, lo, hi int) int { return max(lo, min(x, hi)) }

func extreme(a []Value, sign int) Value {
	var best Value
	for _, v := range a {
		if v.K == Null {
			continue
		}
		if best.K == Null {
			best = v
			continue
		}
		if c, ok := compare(v, best); ok && c*sign > 0 {
			best = v
		}
	}
	return best
}

func trimFn(set func(string, string) string, space func(string, func(rune) bool) string) scalarFunc {
	return scalarFunc{1, 2, func(a []Value) Value {
		if a[0].K == Null {
			return Value{}
		}
		if len(a) == 2 {
			return Str(set(a[0].Text(), a[1].Text()))
		}
		return Str(space(a[0].Text(), func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }))
	}}
}

func ipFn(ok func(netip.Addr) bool) scalarFunc {
	return scalarFunc{1, 1, func(a []Value) Value {
		ip, err := netip.ParseAddr(a[0].Text())
		return boolValue(err == nil && ok(ip))
	}}
}

func subnetFn(ok func(netip.Addr) bool) scalarFunc {
	return scalarFunc{2, 2, func(a []Value) Value {
		ip, err := netip.ParseAddr(a[0].Text())
		if err != nil || !ok(ip) {
			return Num(0)
		}
		pfx, err := netip.ParsePrefix(a[1].Text())
		if err != nil {
			return Num(0)
		}
		return boolValue(pfx.Contains(ip))
	}}
}

// asMillis reads a time: a Time value, a number of milliseconds, or a string in TimeFormat or
// RFC 3339.
func asMillis(v Value) (int64, bool) {
	switch v.K {
	case Time, Number:
		return int64(v.F), true
	case String:
		for _, layout := range []string{TimeFormat, time.RFC3339Nano} {
			if t, err := time.Parse(layout, v.S); err == nil {
				return t.UnixMilli(), true
			}
		}
		if f, err := strconv.ParseFloat(v.S, 64); err == nil {
			return int64(f), true
		}
	}
	return 0, false
}

// period is a bin() period: n units.
type period struct {
	n    int64
	unit string // "ms" (fixed, in milliseconds: ms, s, m, h, d), "w", "mo"
	ms   int64  // n × unit length for fixed units and weeks
	text string
}

var periodUnits = map[string]struct {
	unit string
	ms   int64
	mult int64
}{
	"ms": {"ms", 1, 1}, "msec": {"ms", 1, 1}, "millisecond": {"ms", 1, 1},
	"s": {"ms", 1000, 1}, "sec": {"ms", 1000, 1}, "second": {"ms", 1000, 1},
	"m": {"ms", 60000, 1}, "min": {"ms", 60000, 1}, "minute": {"ms", 60000, 1},
	"h": {"ms", 3600000, 1}, "hr": {"ms", 3600000, 1}, "hour": {"ms", 3600000, 1},
	"d": {"ms", 86400000, 1}, "day": {"ms", 86400000, 1},
	"w": {"w", 7 * 86400000, 1}, "week": {"w", 7 * 86400000, 1},
	"mo": {"mo", 0, 1}, "mon": {"mo", 0, 1}, "month": {"mo", 0, 1},
	"q": {"mo", 0, 3}, "qtr": {"mo", 0, 3}, "quarter": {"mo", 0, 3},
	"y": {"mo", 0, 12}, "yr": {"mo", 0, 12}, "year": {"mo", 0, 12},
}

// parsePeriod parses "5m", "1h", "30s", "2mo", ... (a plural s is allowed: "5mins").
func parsePeriod(s string) (period, bool) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	n, err := strconv.ParseInt(s[:i], 10, 64)
	if err != nil || n <= 0 || n > 1e6 {
		return period{}, false
	}
	u := strings.ToLower(s[i:])
	spec, ok := periodUnits[u]
	if !ok && len(u) > 2 && strings.HasSuffix(u, "s") {
		spec, ok = periodUnits[strings.TrimSuffix(u, "s")]
	}
	if !ok {
		return period{}, false
	}
	return period{n: n * spec.mult, unit: spec.unit, ms: n * spec.ms, text: s}, true
}

// mondayOffset is 1970-01-05 (a Monday) in milliseconds: weeks start on Monday 00:00 UTC.
const mondayOffset = 4 * 86400000

// floor rounds ms down to the period's grid: fixed units on epoch multiples, weeks from Monday
// 00:00 UTC, months, quarters and years on the UTC calendar.
func (p period) floor(ms int64) int64 {
	switch p.unit {
	case "ms":
		return floorDiv(ms, p.ms) * p.ms
	case "w":
		return floorDiv(ms-mondayOffset, p.ms)*p.ms + mondayOffset
	}
	t := time.UnixMilli(ms).UTC()
	m := int64(t.Year()-1970)*12 + int64(t.Month()) - 1
	m = floorDiv(m, p.n) * p.n
	return time.Date(1970+int(floorDiv(m, 12)), time.Month(m-floorDiv(m, 12)*12+1), 1, 0, 0, 0, 0, time.UTC).UnixMilli()
}

// ceil rounds ms up to the period's grid.
func (p period) ceil(ms int64) int64 {
	f := p.floor(ms)
	if f == ms {
		return f
	}
	switch p.unit {
	case "ms", "w":
		return f + p.ms
	}
	return time.UnixMilli(f).UTC().AddDate(0, int(p.n), 0).UnixMilli()
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
