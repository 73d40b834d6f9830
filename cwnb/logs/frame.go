package logs

import (
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/cwnb/cwnb/cwnb"
	"github.com/cwnb/cwnb/cwnb/insights"
	"github.com/cwnb/cwnb/cwnb/internal/parallel"
)

// Kind is the type of a result column.
type Kind int

// The kinds of columns.
const (
	Text   Kind = iota // strings
	Number             // float64, NaN where a row has no value
	Time               // time.Time (UTC)
)

// String returns "text", "number" or "time".
func (k Kind) String() string {
	switch k {
	case Number:
		return "number"
	case Time:
		return "time"
	}
	return "text"
}

// Column is one typed column of a result.
type Column struct {
	Name   string
	Kind   Kind
	Times  []time.Time // Kind Time (zero where a row has no value)
	Floats []float64   // Kind Number (NaN where a row has no value)
	Texts  []string    // Kind Text ("" where a row has no value)

	layout string // of times as text: whole seconds on a grid, milliseconds for events
}

// Result is a loaded Logs Insights query: typed columns, the frame users hold, and how it was
// made (queries, splits, records scanned, cost, cache, warnings).
type Result struct {
	Title string
	Query Query
	Shape insights.Shape

	// Frame holds the columns as a gota frame: cwnb.TimeColumn ("timestamp") for @timestamp or
	// the bin, floats for numbers, strings otherwise.
	Frame   dataframe.DataFrame
	Columns []Column
	// Period is the grid's step for a stats by a fixed bin(): every bin from Start to End is a
	// row (per group), an empty one NaN, or 0 for count and count_distinct. 0 otherwise.
	Period time.Duration
	// Keys are the group-key columns of a grouped stats result (the by fields other than the
	// bin), found by parsing the query.
	Keys []string

	RecordsMatched, RecordsScanned, BytesScanned float64
	Cost                                         float64 // dollars: BytesScanned × CostPerGB
	Queries                                      int     // StartQuery calls
	Splits                                       int     // windows split because an answer hit MaxRows
	Cached                                       bool    // the rows came from the cache
	Warnings                                     cwnb.Warnings
	Elapsed                                      time.Duration
}

// Column returns the column called name.
func (r *Result) Column(name string) (*Column, bool) {
	for i := range r.Columns {
		if r.Columns[i].Name == name {
			return &r.Columns[i], true
		}
	}
	return nil, false
}

// Floats returns the values of number column name, or nil.
func (r *Result) Floats(name string) []float64 {
	if c, ok := r.Column(name); ok && c.Kind == Number {
		return c.Floats
	}
	return nil
}

// Texts returns the values of column name as text (numbers and times formatted), or nil.
func (r *Result) Texts(name string) []string {
	c, ok := r.Column(name)
	if !ok {
		return nil
	}
	return c.text()
}

// Times returns the time column (cwnb.TimeColumn), or nil.
func (r *Result) Times() []time.Time {
	if c, ok := r.Column(cwnb.TimeColumn); ok && c.Kind == Time {
		return c.Times
	}
	return nil
}

// Rows returns the number of rows.
func (r *Result) Rows() int {
	if len(r.Columns) == 0 {
		return 0
	}
	return r.Columns[0].len()
}

func (c *Column) len() int {
	switch c.Kind {
	case Number:
		return len(c.Floats)
	case Time:
		return len(c.Times)
	}
	return len(c.Texts)
}

func (c *Column) text() []string {
	switch c.Kind {
	case Number:
		out := make([]string, len(c.Floats))
		for i, v := range c.Floats {
			if !math.IsNaN(v) {
				out[i] = strconv.FormatFloat(v, 'f', -1, 64)
			}
		}
		return out
	case Time:
		layout := c.layout
		if layout == "" {
			layout = rowTimeLayout
		}
		out := make([]string, len(c.Times))
		for i, t := range c.Times {
			if !t.IsZero() {
				out[i] = t.Format(layout)
			}
		}
		return out
	}
	return c.Texts
}

// rowTimeLayout is the layout of event times in frames: RFC 3339 with milliseconds, which
// time.Parse with time.RFC3339 reads.
const rowTimeLayout = "2006-01-02T15:04:05.000Z"

func parseTime(s string) (time.Time, bool) {
	t, err := time.Parse(insights.TimeFormat, s)
	if err != nil {
		// @timestamp may also come as epoch milliseconds
		ms, err := strconv.ParseInt(s, 10, 64)
		if err != nil || ms < 1e11 {
			return time.Time{}, false
		}
		return time.UnixMilli(ms).UTC(), true
	}
	return t, true
}

// typed turns one column of strings (present[i] false: the row lacks the field) into a typed
// column: time for time fields, number when every present value is a number, text otherwise.
// mixed reports a column with both numbers and text.
func typed(name string, vals []string, present []bool, timeField bool) (c Column, mixed bool) {
	c.Name = name
	if timeField {
		ts := make([]time.Time, len(vals))
		ok := true
		for i, v := range vals {
			if !present[i] {
				continue
			}
			if ts[i], ok = parseTime(v); !ok {
				break
			}
		}
		if ok {
			c.Kind, c.Times = Time, ts
			return c, false
		}
	}
	nums := make([]float64, len(vals))
	numbers, texts := 0, 0
	for i, v := range vals {
		if !present[i] {
			nums[i] = math.NaN()
			continue
		}
		if !numberLike(v) {
			texts++
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			texts++
			continue
		}
		nums[i] = f
		numbers++
	}
	if texts == 0 && numbers > 0 {
		c.Kind, c.Floats = Number, nums
		return c, false
	}
	c.Kind, c.Texts = Text, vals
	return c, numbers > 0 && texts > 0
}

// build types the rows and builds the frame.
func (r *Result) build(rows [][][2]string) {
	var names []string
	index := map[string]int{}
	for _, row := range rows {
		for _, f := range row {
			if f[0] == "@ptr" {
				continue
			}
			if _, ok := index[f[0]]; !ok {
				index[f[0]] = len(names)
				names = append(names, f[0])
			}
		}
	}
	// skip empty rows and rows with only a timestamp, as the service sometimes sends them
	kept := rows[:0:0]
	for _, row := range rows {
		n := 0
		for _, f := range row {
			if f[0] != "@ptr" && f[0] != "@timestamp" {
				n++
			}
		}
		if n > 0 || len(names) == 1 {
			kept = append(kept, row)
		}
	}
	rows = kept
	if !r.Shape.Stats && !r.Shape.Sorted {
		// the service returns events newest first: a frame reads oldest first
		slices.Reverse(rows)
	}
	vals := make([][]string, len(names))
	present := make([][]bool, len(names))
	for j := range names {
		vals[j] = make([]string, len(rows))
		present[j] = make([]bool, len(rows))
	}
	for i, row := range rows {
		for _, f := range row {
			if j, ok := index[f[0]]; ok {
				vals[j][i], present[j][i] = f[1], true
			}
		}
	}
	if r.Shape.Stats && r.Shape.BinPeriod >= time.Second && r.grid(names, vals, present) {
		r.frame()
		return
	}
	for j, n := range names {
		timeField := n == "@timestamp" || n == "@ingestionTime" || n == r.Shape.Bin
		c, mixed := typed(n, vals[j], present[j], timeField)
		if mixed {
			r.Warnings = append(r.Warnings, cwnb.Warning{Kind: cwnb.ErrPartialData,
				Text: "column " + strconv.Quote(n) + " mixes numbers and text; it is kept as text"})
		}
		if n == "@timestamp" || n == r.Shape.Bin && c.Kind == Time {
			c.Name = cwnb.TimeColumn
		}
		r.Columns = append(r.Columns, c)
	}
	r.frame()
}

// grid lays a stats-by-bin result on the regular grid of its bin from Start to End: one row per
// bin (per group for grouped stats). It returns false when the rows do not fit the grid.
func (r *Result) grid(names []string, vals [][]string, present [][]bool) bool {
	p := r.Shape.BinPeriod
	step := p.Milliseconds()
	off := r.Shape.BinOffset.Milliseconds()
	first := floorDiv(r.Query.Start.UnixMilli()-off, step)*step + off
	n := int((r.Query.End.UnixMilli() - first + step - 1) / step)
	if n <= 0 || n > 2_000_000 {
		return false
	}
	col := func(name string) int { return slices.Index(names, name) }
	bin := col(r.Shape.Bin)
	if bin < 0 {
		return false
	}
	var keys []string
	var keyIdx []int
	for _, b := range r.Shape.By {
		if b != r.Shape.Bin {
			keys = append(keys, b)
			keyIdx = append(keyIdx, col(b))
		}
	}
	// group label → per-bin row index
	type groupRows struct {
		key  []string
		rows []int // per bin: row index in vals, -1 if absent
	}
	groups := map[string]*groupRows{}
	for i := range vals[bin] {
		t, ok := parseTime(vals[bin][i])
		if !ok || !present[bin][i] {
			return false
		}
		k := int((t.UnixMilli() - first) / step)
		if k < 0 || k >= n || (t.UnixMilli()-first)%step != 0 {
			return false
		}
		key := make([]string, len(keyIdx))
		for j, ki := range keyIdx {
			if ki >= 0 && present[ki][i] {
				key[j] = vals[ki][i]
			}
		}
		label := strings.Join(key, "\x00")
		g := groups[label]
		if g == nil {
			g = &groupRows{key: key, rows: make([]int, n)}
			for b := range g.rows {
				g.rows[b] = -1
			}
			groups[label] = g
		}
		g.rows[k] = i
	}
	if len(keys) == 0 && len(groups) == 0 {
		groups[""] = &groupRows{rows: slices.Repeat([]int{-1}, n)}
	}
	labels := make([]string, 0, len(groups))
	for l := range groups {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	total := n * len(labels)
	times := make([]time.Time, 0, total)
	keyCols := make([][]string, len(keys))
	for _, l := range labels {
		g := groups[l]
		for b := range n {
			times = append(times, time.UnixMilli(first+int64(b)*step).UTC())
		}
		for j := range keys {
			keyCols[j] = append(keyCols[j], slices.Repeat([]string{g.key[j]}, n)...)
		}
	}
	r.Period, r.Keys = p, keys
	layout := rowTimeLayout
	if p%time.Second == 0 {
		layout = "2006-01-02T15:04:05Z" // the layout of cwnb.TimeColumn
	}
	r.Columns = append(r.Columns, Column{Name: cwnb.TimeColumn, Kind: Time, Times: times, layout: layout})
	for j, k := range keys {
		r.Columns = append(r.Columns, Column{Name: k, Kind: Text, Texts: keyCols[j]})
	}
	for ai, a := range r.Shape.Aggregates {
		ci := col(a)
		fill := math.NaN()
		if ai < len(r.Shape.CountLike) && r.Shape.CountLike[ai] {
			fill = 0
		}
		av := make([]string, 0, total)
		ap := make([]bool, 0, total)
		for _, l := range labels {
			for _, i := range groups[l].rows {
				if i < 0 || ci < 0 || !present[ci][i] {
					av, ap = append(av, ""), append(ap, false)
				} else {
					av, ap = append(av, vals[ci][i]), append(ap, true)
				}
			}
		}
		c, mixed := typed(a, av, ap, false)
		if mixed {
			r.Warnings = append(r.Warnings, cwnb.Warning{Kind: cwnb.ErrPartialData,
				Text: "column " + strconv.Quote(a) + " mixes numbers and text; it is kept as text"})
		}
		if c.Kind == Number && fill == 0 {
			for i, ok := range ap {
				if !ok {
					c.Floats[i] = 0
				}
			}
		}
		if c.Kind == Text && len(av) > 0 && !slices.Contains(ap, true) {
			// an aggregate with no value anywhere: a number column of fills
			c = Column{Name: a, Kind: Number, Floats: slices.Repeat([]float64{fill}, len(av))}
		}
		r.Columns = append(r.Columns, c)
	}
	return true
}

// frame builds the gota frame from the columns.
func (r *Result) frame() {
	cols := make([]series.Series, len(r.Columns))
	// gota boxes every element it stores: build the columns on every core
	parallel.For(len(r.Columns), func(i int) {
		c := &r.Columns[i]
		switch c.Kind {
		case Number:
			cols[i] = series.New(c.Floats, series.Float, c.Name)
		case Time:
			cols[i] = series.New(c.text(), series.String, c.Name)
		default:
			cols[i] = series.New(c.Texts, series.String, c.Name)
		}
	})
	if len(cols) == 0 {
		r.Frame = dataframe.New(series.New([]string{}, series.String, cwnb.TimeColumn))
		return
	}
	r.Frame = dataframe.New(cols...)
}

// Pivot returns number column agg of a grouped stats-by-bin result as one series per group
// (groups sorted, labelled by their key values joined with " "), on the grid Times of the first.
func (r *Result) Pivot(agg string) (times []time.Time, groups []string, values [][]float64) {
	vals := r.Floats(agg)
	all := r.Times()
	if vals == nil || r.Period <= 0 || len(all) == 0 {
		return nil, nil, nil
	}
	// the grid length (rows per group): up to the first time that is not after the first
	first := all[0]
	n := 0
	for n < len(all) && (n == 0 || all[n].After(first)) {
		n++
	}
	times = all[:n]
	for g := 0; g*n < len(vals); g++ {
		var label []string
		for _, k := range r.Keys {
			label = append(label, r.Texts(k)[g*n])
		}
		groups = append(groups, strings.Join(label, " "))
		values = append(values, vals[g*n:(g+1)*n])
	}
	return times, groups, values
}

// numberLike is a cheap test before ParseFloat (whose error allocates): a number starts with a
// digit, a sign or a point, after optional spaces.
func numberLike(v string) bool {
	v = strings.TrimLeft(v, " ")
	if v == "" {
		return false
	}
	c := v[0]
	return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.'
}
