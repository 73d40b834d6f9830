package chart

import (
	"math"
	"strconv"
)

// livePayload is what the interactive chart carries in its HTML: the ECharts option and the
// tooltip metadata, with every time series packed (packSeries). The static render uses the
// option as it is.
func (c *Chart) livePayload() map[string]any {
	opt := c.option
	if series, ok := c.option["series"].([]any); ok {
		packed := make([]any, len(series))
		changed := false
		for i, s := range series {
			packed[i] = s
			sm, ok := s.(map[string]any)
			if !ok {
				continue
			}
			var p any
			pk, ok := packSeries(sm["data"])
			if ok {
				p = pk
			} else {
				p, ok = roundData(sm["data"])
			}
			if ok {
				s2 := make(map[string]any, len(sm))
				for k, v := range sm {
					s2[k] = v
				}
				s2["data"] = p
				packed[i] = s2
				changed = true
			}
		}
		if changed {
			opt = make(map[string]any, len(c.option))
			for k, v := range c.option {
				opt[k] = v
			}
			opt["series"] = packed
		}
	}
	return map[string]any{"option": opt, "meta": c.meta}
}

// liveDigits is the number of significant digits a packed value keeps: more than the tooltip
// prints (4, or a whole number from 1,000) and far below a pixel.
const liveDigits = 5

// packSeries packs the data of a time series, [[ms, value], ...] with whole-millisecond times,
// into {"cwnbPacked": 1, "g": grain, "t": [first/grain, delta, delta, ...], "v": [values]}: the
// times as differences in units of their greatest common grain (a minute-aligned series stores
// 1 instead of 1794528060000) and the values rounded to liveDigits. When every delta is the same
// (a regular series), "t" holds the first time only and "d" the delta. The upgrade script unpacks
// it before it hands the option to ECharts; it is about a third of the size. ok is false for
// data of any other shape, which stays as it is.
func packSeries(data any) (packed map[string]any, ok bool) {
	rows, isSlice := data.([]any)
	if !isSlice || len(rows) < 8 {
		return nil, false
	}
	ts := make([]int64, len(rows))
	vs := make([]any, len(rows))
	for i, r := range rows {
		pair, isPair := r.([]any)
		if !isPair || len(pair) != 2 {
			return nil, false
		}
		t, isNum := pair[0].(float64)
		if !isNum || t != math.Trunc(t) || math.Abs(t) > 1<<52 {
			return nil, false
		}
		ts[i] = int64(t)
		switch v := pair[1].(type) {
		case nil:
			vs[i] = nil
		case float64:
			vs[i] = roundDigits(v, liveDigits)
		default:
			return nil, false
		}
	}
	var g int64
	for i := range ts {
		d := ts[i]
		if i > 0 {
			d = ts[i] - ts[i-1]
		}
		g = gcd(g, abs64(d))
	}
	if g == 0 {
		g = 1
	}
	t := make([]int64, len(ts))
	for i := range ts {
		if i == 0 {
			t[i] = ts[0] / g
		} else {
			t[i] = (ts[i] - ts[i-1]) / g
		}
	}
	regular := len(t) > 2
	for i := 2; i < len(t) && regular; i++ {
		regular = t[i] == t[1]
	}
	if regular {
		return map[string]any{"cwnbPacked": 1, "g": g, "t": t[:1], "d": t[1], "v": vs}, true
	}
	return map[string]any{"cwnbPacked": 1, "g": g, "t": t, "v": vs}, true
}

// roundData rounds every number of a series' data (plain values, [x, y] pairs, [x, y, v]
// triples) to liveDigits significant digits, the precision the interactive chart can show; ok is
// false when nothing in it is a number to round.
func roundData(data any) (any, bool) {
	rows, isSlice := data.([]any)
	if !isSlice || len(rows) == 0 {
		return nil, false
	}
	out := make([]any, len(rows))
	rounded := false
	for i, r := range rows {
		switch v := r.(type) {
		case float64:
			out[i] = roundDigits(v, liveDigits)
			rounded = true
		case []any:
			row := make([]any, len(v))
			for k, x := range v {
				if f, isNum := x.(float64); isNum {
					row[k] = roundDigits(f, liveDigits)
					rounded = true
				} else {
					row[k] = x
				}
			}
			out[i] = row
		default:
			out[i] = r
		}
	}
	return out, rounded
}

func roundDigits(v float64, digits int) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', digits, 64), 64)
	if err != nil {
		return v
	}
	return r
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
