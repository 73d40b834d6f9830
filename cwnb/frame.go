package cwnb

import (
	"math"
	"strconv"

	"github.com/go-gota/gota/series"
)

// floatColumn returns the gota Float series of v, named name, holding exactly what
// series.New(v, series.Float, name) holds. gota's constructor converts every float64 to an
// interface, one allocation per value (1.4 million for a day of 1,000 series); this builds the
// series from zeros (which convert without allocating) and sets each value through one reused
// Element, which gota's float setter reads with Float().
func floatColumn(v []float64, name string) series.Series {
	s := series.New(make([]float64, len(v)), series.Float, name)
	box := &floatBox{}
	for i, x := range v {
		box.v = x
		s.Elem(i).Set(box)
	}
	return s
}

// floatBox is a minimal series.Element carrying one float64 into floatElement.Set.
type floatBox struct{ v float64 }

func (b *floatBox) Set(any)                         {}
func (b *floatBox) Eq(e series.Element) bool        { return b.v == e.Float() }
func (b *floatBox) Neq(e series.Element) bool       { return b.v != e.Float() }
func (b *floatBox) Less(e series.Element) bool      { return b.v < e.Float() }
func (b *floatBox) LessEq(e series.Element) bool    { return b.v <= e.Float() }
func (b *floatBox) Greater(e series.Element) bool   { return b.v > e.Float() }
func (b *floatBox) GreaterEq(e series.Element) bool { return b.v >= e.Float() }
func (b *floatBox) Copy() series.Element            { c := *b; return &c }
func (b *floatBox) Val() series.ElementValue        { return b.v }
func (b *floatBox) String() string                  { return strconv.FormatFloat(b.v, 'f', -1, 64) }
func (b *floatBox) Int() (int, error)               { return int(b.v), nil }
func (b *floatBox) Float() float64                  { return b.v }
func (b *floatBox) Bool() (bool, error)             { return b.v != 0, nil }
func (b *floatBox) IsNA() bool                      { return math.IsNaN(b.v) }
func (b *floatBox) Type() series.Type               { return series.Float }
