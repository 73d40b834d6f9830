package chart

import (
	"math"
	"strings"
	"testing"
	"time"
)

// TestBadInput: bad data is an error that names the input and says what to do, never a panic.
func TestBadInput(t *testing.T) {
	times := []time.Time{t0, t0.Add(time.Minute), t0.Add(2 * time.Minute)}
	tests := []struct {
		name  string
		build func() (*Chart, error)
		want  []string // substrings of the error
	}{
		{"no series", func() (*Chart, error) { return Line(TimeSeries{Title: "q", Times: times}) }, []string{"no Series", "add at least one"}},
		{"length mismatch", func() (*Chart, error) {
			return Line(TimeSeries{Times: times, Series: []Series{{Name: "p99", Values: []float64{1, 2}}}})
		}, []string{`"p99"`, "2 values for 3 timestamps"}},
		{"unsorted times", func() (*Chart, error) {
			return Line(TimeSeries{Times: []time.Time{times[1], times[0]}, Series: []Series{{Name: "a", Values: []float64{1, 2}}}})
		}, []string{"not ascending at index 1", "sort"}},
		{"three units", func() (*Chart, error) {
			return Line(TimeSeries{Times: times, Series: []Series{
				{Name: "a", Unit: "Milliseconds", Values: []float64{1, 2, 3}},
				{Name: "b", Unit: "Count", Values: []float64{1, 2, 3}},
				{Name: "c", Unit: "Percent", Values: []float64{1, 2, 3}},
			}})
		}, []string{`3 different units ("ms", "count", "%")`, "SmallMultiples"}},
		{"threshold NaN", func() (*Chart, error) {
			return Line(TimeSeries{Times: times, Series: []Series{{Name: "a", Values: []float64{1, 2, 3}}}, Thresholds: []Threshold{{Name: "SLO", Value: math.NaN()}}})
		}, []string{`threshold 0 ("SLO")`, "finite"}},
		{"threshold unit unknown", func() (*Chart, error) {
			return Line(TimeSeries{Times: times, Series: []Series{{Name: "a", Unit: "Milliseconds", Values: []float64{1, 2, 3}}}, Thresholds: []Threshold{{Name: "SLO", Value: 1, Unit: "Seconds"}}})
		}, []string{`unit "Seconds"`}},
		{"event backwards", func() (*Chart, error) {
			return Line(TimeSeries{Times: times, Series: []Series{{Name: "a", Values: []float64{1, 2, 3}}}, Events: []Event{{Name: "deploy", Start: times[2], End: times[0]}}})
		}, []string{`"deploy"`, "ends before it starts"}},
		{"band length", func() (*Chart, error) {
			return Line(TimeSeries{Times: times, Bands: []Band{{Name: "p50–p99", Lower: []float64{1}, Upper: []float64{1, 2, 3}}}})
		}, []string{`band 0 ("p50–p99")`}},
		{"log axis with a zero", func() (*Chart, error) {
			return Line(TimeSeries{Times: times, LogY: true, Series: []Series{{Name: "errors", Values: []float64{1, 0, 3}}}})
		}, []string{`series 0 ("errors")`, "value 0 at index 1", "LogY to false"}},
		{"band upside down", func() (*Chart, error) {
			return Line(TimeSeries{Times: times, Bands: []Band{{Name: "p50–p99", Lower: []float64{1, 5, 1}, Upper: []float64{2, 3, math.NaN()}}}})
		}, []string{`band 0 ("p50–p99")`, "lower 5 above upper 3", "swap"}},
		{"size", func() (*Chart, error) {
			return Bars(demoCategories(), WithSize(10, 10))
		}, []string{"size 10×10", "width of 100"}},
		{"max points", func() (*Chart, error) {
			return Line(demoTimeSeries(100), WithMaxPoints(3, LTTB))
		}, []string{"MaxPoints 3", "at least 10"}},
		{"heatmap row", func() (*Chart, error) {
			m := demoMatrix()
			m.Values[1] = m.Values[1][:10]
			return Heatmap(m)
		}, []string{"row 1", "10 values for 60 columns"}},
		{"heatmap rows", func() (*Chart, error) {
			m := demoMatrix()
			m.Rows = m.Rows[:3]
			return Heatmap(m)
		}, []string{"7 rows of values for 3 row labels"}},
		{"log of zero", func() (*Chart, error) {
			return Histogram(Distribution{Log: true, Samples: []Sample{{Name: "before", Values: []float64{0, 1}}}})
		}, []string{`"before"`, "log scale", "Log to false"}},
		{"all NaN sample", func() (*Chart, error) {
			return CDF(Distribution{Samples: []Sample{{Name: "after", Values: []float64{math.NaN()}}}})
		}, []string{`"after"`, "no finite values"}},
		{"bins", func() (*Chart, error) {
			return Histogram(Distribution{Bins: -3, Samples: []Sample{{Name: "a", Values: []float64{1}}}})
		}, []string{"-3 bins"}},
		{"bars length", func() (*Chart, error) {
			c := demoCategories()
			c.Series[1].Values = c.Series[1].Values[:2]
			return Bars(c)
		}, []string{`series 1 ("p99 after")`, "2 values for 4 names"}},
		{"multiples bands", func() (*Chart, error) { return SmallMultiples(demoTimeSeries(50), 0) }, []string{"Bands", "use Line"}},
		{"multiples columns", func() (*Chart, error) { return SmallMultiples(demoMultiples(50), 40) }, []string{"40 columns"}},
		{"mode", func() (*Chart, error) { return Bars(demoCategories(), WithMode(Mode(9))) }, []string{"Mode 9"}},
		{"nil go-echarts chart", func() (*Chart, error) { return FromEcharts(nil, "") }, []string{"nil chart"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tc.build()
			if err == nil {
				t.Fatalf("no error; chart %q", c.Title())
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if !strings.HasPrefix(err.Error(), "chart: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

func TestRecurring(t *testing.T) {
	from := time.Date(2026, 11, 14, 0, 30, 0, 0, time.UTC)
	to := from.Add(3 * time.Hour)
	ev, err := Recurring(":00 backup", from, to, time.Hour, 0, 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ev {
		got = append(got, e.Start.Format("15:04")+"-"+e.End.Format("15:04"))
	}
	if want := "01:00-01:05 02:00-02:05 03:00-03:05"; strings.Join(got, " ") != want {
		t.Errorf("Recurring = %v, want %s", got, want)
	}
	// A 7-minute cadence aligns to the Unix epoch, as CloudWatch periods do, not to year 1.
	ev, _ = Recurring("x", time.Unix(0, 0).UTC(), time.Unix(0, 0).UTC().Add(15*time.Minute), 7*time.Minute, 0, 0)
	if len(ev) != 3 || !ev[1].Start.Equal(time.Unix(420, 0)) || !ev[1].End.IsZero() {
		t.Errorf("epoch-aligned 7-minute events: %v", ev)
	}
	if ev, err := Recurring("x", to, from, time.Hour, 0, 0); ev != nil || err != nil {
		t.Error("an empty window should give no events and no error")
	}
	// Issue 15: a bare number is nanoseconds; 3600 "seconds" over a day would be 24e12 events.
	if _, err := Recurring("backup", from, from.Add(24*time.Hour), 3600, 0, 300); err == nil || !strings.Contains(err.Error(), "nanoseconds") {
		t.Errorf("a 3600 ns cycle: err = %v, want the cap's error naming nanoseconds", err)
	}
	if _, err := Recurring("backup", from, to, 0, 0, 0); err == nil {
		t.Error("a zero cycle should be an error")
	}
}
