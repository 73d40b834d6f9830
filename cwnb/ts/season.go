package ts

import (
	"errors"
	"fmt"
	"time"
)

// FoldBy is a calendar key that seasonal folds group timestamps by, in a chosen time zone.
type FoldBy int

// The fold keys. The cyclic ones always produce every key of their cycle (empty ones NaN);
// Day produces every calendar date from the first to the last timestamp.
const (
	MinuteOfHour FoldBy = iota // 0..59, labelled ":00" .. ":59"
	HourOfDay                  // 0..23, labelled "00:00" .. "23:00"
	DayOfWeek                  // 0..6, Monday = 0 as pandas' dayofweek, labelled "Mon" .. "Sun"
	MinuteOfDay                // 0..1439, labelled "00:00" .. "23:59"
	HourOfWeek                 // 0..167, Monday 00:00 = 0, labelled "Mon 00:00" .. "Sun 23:00"
	Day                        // the calendar date, labelled "2006-01-02"
)

var foldNames = [...]string{"minute-of-hour", "hour-of-day", "day-of-week", "minute-of-day", "hour-of-week", "day"}

// String returns the key's name ("minute-of-hour", "hour-of-day", ...).
func (f FoldBy) String() string {
	if f < 0 || int(f) >= len(foldNames) {
		return fmt.Sprintf("FoldBy(%d)", int(f))
	}
	return foldNames[f]
}

var weekdays = [...]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

// key returns the fold key of t (already in the fold's location).
func (f FoldBy) key(t time.Time) int {
	switch f {
	case MinuteOfHour:
		return t.Minute()
	case HourOfDay:
		return t.Hour()
	case DayOfWeek:
		return (int(t.Weekday()) + 6) % 7
	case MinuteOfDay:
		return t.Hour()*60 + t.Minute()
	case HourOfWeek:
		return ((int(t.Weekday())+6)%7)*24 + t.Hour()
	}
	y, m, d := t.Date()
	return int(floorDiv(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix(), 86400))
}

// size returns the number of keys of a cyclic fold (0 for Day).
func (f FoldBy) size() int {
	return [...]int{60, 24, 7, 1440, 168, 0}[f]
}

func (f FoldBy) label(k int) string {
	switch f {
	case MinuteOfHour:
		return fmt.Sprintf(":%02d", k)
	case HourOfDay:
		return fmt.Sprintf("%02d:00", k)
	case DayOfWeek:
		return weekdays[k]
	case MinuteOfDay:
		return fmt.Sprintf("%02d:%02d", k/60, k%60)
	case HourOfWeek:
		return fmt.Sprintf("%s %02d:00", weekdays[k/24], k%24)
	}
	return time.Unix(int64(k)*86400, 0).UTC().Format("2006-01-02")
}

// foldKeys returns the key of every timestamp and the keys the fold reports (ascending).
func foldKeys(t []time.Time, f FoldBy, loc *time.Location) (keys []int, all []int) {
	keys = make([]int, len(t))
	lo, hi := 0, -1
	for i := range t {
		k := f.key(t[i].In(loc))
		keys[i] = k
		if i == 0 || k < lo {
			lo = k
		}
		if i == 0 || k > hi {
			hi = k
		}
	}
	if n := f.size(); n > 0 {
		lo, hi = 0, n-1
	}
	if len(t) == 0 && f == Day {
		return keys, nil
	}
	all = make([]int, hi-lo+1)
	for i := range all {
		all[i] = lo + i
	}
	return keys, all
}

// groupBy orders the values by group (stable, so time order is kept within a group) and returns
// them with the group boundaries: group g holds out[starts[g]:starts[g+1]].
func groupBy(v []float64, group []int, ngroups int) (out []float64, starts []int) {
	starts = make([]int, ngroups+1)
	for _, g := range group {
		starts[g+1]++
	}
	for g := 0; g < ngroups; g++ {
		starts[g+1] += starts[g]
	}
	pos := append([]int(nil), starts[:ngroups]...)
	out = make([]float64, len(v))
	for i, g := range group {
		out[pos[g]] = v[i]
		pos[g]++
	}
	return out, starts
}

func checkFold(fn string, t []time.Time, v []float64, loc *time.Location, fs ...FoldBy) error {
	if err := checkLen(fn, t, v); err != nil {
		return err
	}
	if loc == nil {
		return fmt.Errorf("ts.%s: nil location; pass time.UTC or a *time.Location from time.LoadLocation", fn)
	}
	for _, f := range fs {
		if f < 0 || int(f) >= len(foldNames) {
			return fmt.Errorf("ts.%s: unknown fold key %d", fn, int(f))
		}
	}
	return nil
}

// Folded is a seasonal fold: the values grouped by a calendar key.
type Folded struct {
	By        FoldBy
	Keys      []int       // the fold keys, ascending (0..59 for MinuteOfHour; days since the epoch for Day)
	Labels    []string    // a label per key (":00", "Mon", "2026-01-02", ...)
	Count     []int       // non-NaN values per key
	Mean      []float64   // mean per key; NaN for a key without data
	Qs        []float64   // the quantile levels asked for
	Quantiles [][]float64 // Quantiles[i][k]: the Qs[i]-quantile (Linear) of key k
	NaN       int         // NaN values skipped
}

// Fold groups the series by a calendar key in loc ("every hour, on the hour": MinuteOfHour) and
// returns the count, mean and quantiles qs (Linear estimator) per key, as pandas'
// s.groupby(s.index.tz_convert(loc).minute).agg(["count", "mean", q...]). NaN values are skipped
// and counted. Times need not be sorted and may repeat (each value counts in its own key).
func Fold(t []time.Time, v []float64, by FoldBy, loc *time.Location, qs ...float64) (*Folded, error) {
	if err := checkFold("Fold", t, v, loc, by); err != nil {
		return nil, err
	}
	keys, all := foldKeys(t, by, loc)
	f := &Folded{By: by, Keys: all, Qs: append([]float64(nil), qs...)}
	if len(all) == 0 {
		f.Quantiles = make([][]float64, len(qs))
		f.NaN = len(v)
		return f, nil
	}
	for i := range keys {
		keys[i] -= all[0]
	}
	g, starts := groupBy(v, keys, len(all))
	aggs := []Agg{Mean}
	for _, q := range qs {
		aggs = append(aggs, Q(q))
	}
	r := aggregate(g, starts, aggs, Linear, nil, nil)
	f.Count, f.Mean, f.NaN = r.Count, r.Values[0], r.NaN
	f.Quantiles = r.Values[1:]
	f.Labels = make([]string, len(all))
	for i, k := range all {
		f.Labels[i] = by.label(k)
	}
	return f, nil
}

// Heatmap is a two-key fold laid out for a heatmap chart: Values[r][c] is the aggregation of the
// values whose keys are (Rows[r], Cols[c]); NaN for an empty cell.
type Heatmap struct {
	RowBy, ColBy     FoldBy
	Agg              Agg
	RowKeys, ColKeys []int
	Rows, Cols       []string    // labels
	Values           [][]float64 // [row][col]
	Count            [][]int     // non-NaN values per cell
	NaN              int         // NaN values skipped
}

// Fold2 groups the series by two calendar keys in loc, such as MinuteOfHour × Day ("does the
// spike come every hour of every day?") or HourOfDay × DayOfWeek, and aggregates each cell with
// agg. The output feeds a heatmap directly. Times need not be sorted and may repeat.
func Fold2(t []time.Time, v []float64, rows, cols FoldBy, loc *time.Location, agg Agg) (*Heatmap, error) {
	if err := checkFold("Fold2", t, v, loc, rows, cols); err != nil {
		return nil, err
	}
	if !agg.valid() {
		return nil, errors.New("ts.Fold2: invalid aggregation (the zero Agg); use ts.Mean, ts.Q(0.99), ...")
	}
	rk, rall := foldKeys(t, rows, loc)
	ck, call := foldKeys(t, cols, loc)
	h := &Heatmap{RowBy: rows, ColBy: cols, Agg: agg, RowKeys: rall, ColKeys: call}
	for _, k := range rall {
		h.Rows = append(h.Rows, rows.label(k))
	}
	for _, k := range call {
		h.Cols = append(h.Cols, cols.label(k))
	}
	if len(rall) == 0 || len(call) == 0 {
		h.NaN = len(v)
		return h, nil
	}
	nc := len(call)
	cell := make([]int, len(t))
	for i := range cell {
		cell[i] = (rk[i]-rall[0])*nc + (ck[i] - call[0])
	}
	g, starts := groupBy(v, cell, len(rall)*nc)
	r := aggregate(g, starts, []Agg{agg}, Linear, nil, nil)
	h.NaN = r.NaN
	h.Values = make([][]float64, len(rall))
	h.Count = make([][]int, len(rall))
	for i := range rall {
		h.Values[i] = r.Values[0][i*nc : (i+1)*nc : (i+1)*nc]
		h.Count[i] = r.Count[i*nc : (i+1)*nc : (i+1)*nc]
	}
	return h, nil
}
