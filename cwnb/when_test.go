package cwnb

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cwnb/cwnb/cwnb/chart"
	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
	"github.com/cwnb/cwnb/cwnb/localcw/scenario"
	"github.com/cwnb/cwnb/cwnb/ts"
)

// weekResult loads a week of the api scenario's checkout p99 and Average through the real SDK,
// with the given period (0: the automatic one, as a new user would).
func weekResult(t *testing.T, period time.Duration) *Result {
	t.Helper()
	sc, err := scenario.New("api", 1)
	if err != nil {
		t.Fatal(err)
	}
	_, url := localcwtest.Start(t, localcw.Options{Now: testNow, Scenarios: []scenario.Scenario{sc}})
	l := testLoader(t, url, t.TempDir(), testNow)
	week := Between(time.Date(2026, 11, 13, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC))
	r, err := l.Load(context.Background(), Query{
		Metrics: []Metric{{Namespace: "MyService/API", Name: "Latency", Dims: Dims{"Service": "checkout", "Endpoint": "/pay"},
			Stats: []string{"Average", "p99"}, Unit: "Milliseconds"}},
		Window: week,
		Period: period,
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The headline bug of issue 9: a week of p99 loaded without a Period comes at 10 minutes; a
// minute-of-hour fold returned 54 empty keys and Compare(:00-:05) a diluted 1.2x instead of 6.8x.
// Both must now refuse, naming the period needed and how to get it; at 1 minute they answer.
func TestAutoPeriodFoldAndCompareRefuse(t *testing.T) {
	r := weekResult(t, 0)
	if r.Period != 10*time.Minute || !r.PeriodAuto {
		t.Fatalf("a week with no Period loaded at %v (auto %v); this test needs the automatic 10m", r.Period, r.PeriodAuto)
	}
	backup := ts.Hourly(0, 5*time.Minute)
	fixes := []string{"Period: time.Minute", "Reload(ctx, time.Minute)", "10m", "automatic"}
	_, errFold := r.Fold("Latency p99", ts.MinuteOfHour, 0.5)
	_, errCmp := r.Compare("Latency p99", backup, ts.CompareOptions{Stat: ts.Median, Seed: 1})
	_, _, errSplit := r.Split("Latency p99", backup)
	_, errHeat := r.Fold2("Latency p99", ts.Day, ts.MinuteOfHour, ts.Mean)
	_, errPlot := PlotSplit(r, "Latency p99", backup)
	for name, err := range map[string]error{"Fold": errFold, "Compare": errCmp, "Split": errSplit, "Fold2": errHeat, "PlotSplit": errPlot} {
		if !errors.Is(err, ErrCoarsePeriod) {
			t.Errorf("%s over 10m data: %v; want an error wrapping ErrCoarsePeriod", name, err)
			continue
		}
		for _, f := range fixes {
			if !strings.Contains(err.Error(), f) {
				t.Errorf("%s: error %q does not say %q", name, err, f)
			}
		}
	}
	if !strings.Contains(errFold.Error(), "divides 1m") || !strings.Contains(errCmp.Error(), "divides 5m") {
		t.Errorf("the errors do not name the period needed:\n%v\n%v", errFold, errCmp)
	}
	// An hour-of-day fold of the same data loses nothing: it answers.
	if f, err := r.Fold("Latency p99", ts.HourOfDay); err != nil || len(f.Keys) != 24 || len(f.Warnings) != 0 {
		t.Errorf("hour-of-day fold of 10m data: %v, %v", err, f)
	}
	// A chart highlight finer than the data is drawn, with the warning in the footer.
	c, err := Plot(r, Columns("Latency p99"), Mark(":00 backup", backup), ChartOptions(chart.WithMode(chart.Interactive)))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := c.Bundle()
	if !strings.Contains(fmt.Sprint(b), "is finer than the data") {
		t.Errorf("the chart of 10m data with a :00-:05 mark has no warning about the period")
	}

	// A mark outside the window is said, not silently dropped.
	c, err = Plot(r, Columns("Latency p99"), Mark("deploy", ts.At(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))), ChartOptions(chart.WithMode(chart.Interactive)))
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := c.Bundle(); !strings.Contains(fmt.Sprint(b), "lies outside the chart") {
		t.Errorf("a mark outside the window left no warning")
	}

	// Reloaded at 1 minute, as the error says: the right answer, 6.8x.
	fine, err := r.Reload(context.Background(), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := fine.Compare("Latency p99", backup, ts.CompareOptions{Stat: ts.Median, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	// The reference: the medians of the two groups computed here by brute force from the values.
	var in, out []float64
	for i, tm := range fine.Times() {
		v := fine.Series[1].Values[i]
		if math.IsNaN(v) {
			continue
		}
		if tm.Minute() < 5 {
			in = append(in, v)
		} else {
			out = append(out, v)
		}
	}
	want := median(in) / median(out)
	if math.Abs(cmp.Ratio-want) > 1e-9 || cmp.Ratio < 5 {
		t.Errorf("ratio at 1m: %.3f, brute force %.3f; want the undiluted ratio (about 6.8)", cmp.Ratio, want)
	}
	fold, err := fine.Fold("Latency p99", ts.MinuteOfHour)
	if err != nil || len(fold.Warnings) != 0 || fold.Count[7] != 7*24 {
		t.Errorf("minute-of-hour fold at 1m: %v, warnings %v, count at :07 %v", err, fold.Warnings, fold.Count)
	}
}

func median(x []float64) float64 {
	s := append([]float64(nil), x...)
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func TestSplitAbsoluteBoundaries(t *testing.T) {
	r, _, _ := apiResult(t, []string{"Average"}, day.Add(9*time.Hour), 3*time.Hour)
	col := "Latency Average"
	// On the grid: nothing is left out.
	deploy := day.Add(10*time.Hour + 30*time.Minute)
	in, out, err := r.Split(col, ts.Before(deploy))
	if err != nil || len(in) != 90 || len(out) != 90 {
		t.Fatalf("Before(10:30) over 1m: %d + %d, %v; want 90 + 90", len(in), len(out), err)
	}
	// Inside a period: that period is in neither group, and Compare says so.
	mid := deploy.Add(30 * time.Second)
	in, out, err = r.Split(col, ts.Before(mid))
	if err != nil || len(in) != 90 || len(out) != 89 {
		t.Errorf("Before(10:30:30) over 1m: %d + %d, %v; want 90 + 89 (10:30 straddles)", len(in), len(out), err)
	}
	c, err := r.Compare(col, ts.Since(mid), ts.CompareOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !c.Warnings.has(ErrCoarsePeriod) || !strings.Contains(c.Summary("", ""), "both sides of the boundary") {
		t.Errorf("Compare across a straddled boundary: warnings %v", c.Warnings)
	}
	// Empty groups are said, not computed.
	for name, w := range map[string]ts.When{"before the data": ts.Before(day), "after the data": ts.Since(day.Add(48 * time.Hour)), "an instant": ts.At(deploy)} {
		if _, _, err := r.Split(col, w); !errors.Is(err, ErrNoMatch) {
			t.Errorf("Split %s: %v; want ErrNoMatch", name, err)
		}
	}
	// Few periods in a group: a warning.
	c, err = r.Compare(col, ts.Before(day.Add(9*time.Hour+5*time.Minute)), ts.CompareOptions{Seed: 1})
	if err != nil || !c.Warnings.has(ErrPartialData) || !strings.Contains(c.Summary("", ""), "only 5 and 175 periods") {
		t.Errorf("5 periods against 175: %v, %v", err, c.Warnings)
	}
	// Invalid windows and nil results are errors, not panics.
	if _, _, err := r.Split(col, ts.Every(3600, 0, 300)); !errors.Is(err, ts.ErrWhen) {
		t.Errorf("bare nanoseconds: %v", err)
	}
	if _, _, err := r.Split(col, ts.When{}); !errors.Is(err, ts.ErrWhen) {
		t.Errorf("zero When: %v", err)
	}
	var nilr *Result
	for name, f := range map[string]func() error{
		"Fold":                                  func() error { _, err := nilr.Fold(col, ts.MinuteOfHour); return err },
		"Fold2":                                 func() error { _, err := nilr.Fold2(col, ts.Day, ts.MinuteOfHour, ts.Mean); return err },
		"Compare":                               func() error { _, err := nilr.Compare(col, ts.Weekdays(), ts.CompareOptions{}); return err },
		"Split":                                 func() error { _, _, err := nilr.Split(col, ts.Weekdays()); return err },
		"ChangePoints":                          func() error { _, err := nilr.ChangePoints(col, ts.ChangePointOptions{}); return err },
		"Quality":                               func() error { _, err := nilr.Quality(col); return err },
		"Resample":                              func() error { _, err := nilr.Resample(time.Hour); return err },
		"Reload":                                func() error { _, err := nilr.Reload(context.Background(), time.Hour); return err },
		"Resample of a result without a period": func() error { _, err := (&Result{}).Resample(time.Hour); return err },
		"Split of a result without a period": func() error {
			_, _, err := (&Result{Series: []Series{{Column: col}}}).Split(col, ts.Since(day))
			return err
		},
		"Fold of a result without a period": func() error {
			_, err := (&Result{Series: []Series{{Column: col}}}).Fold(col, ts.HourOfDay)
			return err
		},
	} {
		var err error
		func() {
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("panic: %v", p)
				}
			}()
			err = f()
		}()
		if err == nil || strings.HasPrefix(err.Error(), "panic") {
			t.Errorf("%s of a nil result: %v; want an error", name, err)
		}
	}
}

func TestPlotRefusesNilAndRunawayInput(t *testing.T) {
	r, _, _ := apiResult(t, []string{"Average"}, day.Add(9*time.Hour), 3*time.Hour)
	cases := map[string]func() error{
		"Plot(nil)":        func() error { _, err := Plot(nil); return err },
		"PlotFold(nil)":    func() error { _, err := PlotFold(nil); return err },
		"PlotHeatmap(nil)": func() error { _, err := PlotHeatmap(nil); return err },
		"PlotSplit(nil)":   func() error { _, err := PlotSplit(nil, "x", ts.Weekdays()); return err },
		"bare nanoseconds": func() error { _, err := Plot(r, Mark("backup", ts.Every(3600, 0, 300))); return err },
		"finer than data": func() error {
			_, err := Plot(r, Mark("tick", ts.Every(time.Second, 0, 500*time.Millisecond+500*time.Millisecond)))
			return err
		},
		"absurd size": func() error { _, err := Plot(r, ChartOptions(chart.WithSize(100000, 100000))); return err },
		"nil option":  func() error { _, err := Plot(r, nil, Columns("Latency Average")); return nilIfOK(err) },
	}
	for name, f := range cases {
		var err error
		func() {
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("panic: %v", p)
				}
			}()
			err = f()
		}()
		if name == "nil option" {
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
			continue
		}
		if err == nil || strings.HasPrefix(err.Error(), "panic") {
			t.Errorf("%s: %v; want an error", name, err)
		}
	}
	func() {
		defer func() {
			if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), "no chart") {
				t.Errorf("Show(nil, nil): %v", p)
			}
		}()
		Show(nil, nil)
	}()
	// A one-second recurrence over the result's day would draw more marks than the cap: refused
	// before drawing (data at 1s are not needed to see the cap: the check is on the count).
	long := &Result{Period: time.Second, Start: day, End: day.Add(24 * time.Hour)}
	if _, _, err := long.events(mark{"tick", ts.Every(time.Second, 0, 500*time.Millisecond+500*time.Millisecond)}); err == nil || !strings.Contains(err.Error(), "more than the 10000") {
		t.Errorf("86,400 marks: %v; want a refusal naming the cap", err)
	}
}

func nilIfOK(err error) error { return err }

func TestFooterNamesOnlyWhatIsPlotted(t *testing.T) {
	r, _, _ := apiResult(t, []string{"Average", "p99"}, day.Add(9*time.Hour), time.Hour)
	r.Series = append(r.Series, Series{Column: "error rate %", Kind: "math", Expression: "e0 / n0 * 100", Label: "error rate %", Values: r.Series[0].Values})
	r.Series = append(r.Series, Series{Column: "Duration p99", Kind: "metric", Namespace: "AWS/Lambda", Metric: "Duration", Stat: "p99", Values: r.Series[0].Values})
	f := r.footer([]*Series{&r.Series[2]})
	if strings.Contains(f, "AWS/Lambda") || strings.Contains(f, "MyService") || strings.Contains(f, "e0") || !strings.HasPrefix(f, "error rate % · period 1m") {
		t.Errorf("footer of the error rate alone: %q", f)
	}
	if f := r.Footer("Latency p99"); strings.Contains(f, "AWS/Lambda") || !strings.Contains(f, "MyService/API Latency") {
		t.Errorf("footer of Latency p99: %q", f)
	}
	if f := r.Footer(); strings.Contains(f, "calls") || strings.Contains(f, "$") {
		t.Errorf("footer %q changes between a cold run and a cached one", f)
	}
}

func TestFmtDistinct(t *testing.T) {
	cases := []struct {
		in   []float64
		want string
	}{
		{[]float64{6.8123, 6.8071, 6.8189}, "6.812 6.807 6.819"},
		{[]float64{6.8123, 6.7571, 6.8689}, "6.81 6.76 6.87"},
		{[]float64{6.8123, 6.8101, 6.8189}, "6.812 6.81 6.819"},
		{[]float64{6.81, 6.81, 6.82}, "6.81 6.81 6.82"},
		{[]float64{1.2, 1.1, 1.3}, "1.2 1.1 1.3"},
		{[]float64{3363.4, 3300, 3400}, "3363 3300 3400"},
		{[]float64{0.000012, 0.000013}, "1.2e-05 1.3e-05"},
	}
	for _, c := range cases {
		if got := strings.Join(fmtDistinct(c.in...), " "); got != c.want {
			t.Errorf("fmtDistinct(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

// The README's `cwnb local` without -now: the data are older than CloudWatch keeps 1m periods for,
// so the loader coarsens the 1m asked for to 5m with a warning; the fold's error must say that
// the period was coarsened and how to get a window that still has minutes, not "use time.Minute".
func TestFoldOfARetentionCoarsenedLoad(t *testing.T) {
	sc, err := scenario.New("api", 1)
	if err != nil {
		t.Fatal(err)
	}
	later := testNow.Add(20 * 24 * time.Hour)
	_, url := localcwtest.Start(t, localcw.Options{Now: later, Scenarios: []scenario.Scenario{sc}})
	l := testLoader(t, url, t.TempDir(), later)
	r, err := l.Load(context.Background(), Query{
		Metrics: []Metric{{Namespace: "MyService/API", Name: "Latency", Dims: Dims{"Service": "checkout", "Endpoint": "/pay"}, Stats: []string{"p99"}}},
		Window:  Between(day, day.Add(24*time.Hour)),
		Period:  time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.Period != 5*time.Minute || !r.Warnings.has(ErrCoarsePeriod) {
		t.Fatalf("loaded at %v with warnings %v; this test needs the loader to coarsen 1m to 5m", r.Period, r.Warnings)
	}
	_, err = r.Fold("Latency p99", ts.MinuteOfHour)
	if !errors.Is(err, ErrCoarsePeriod) || !strings.Contains(err.Error(), "-now") || !strings.Contains(err.Error(), "15 days") || strings.Contains(err.Error(), "Period: time.Minute") {
		t.Errorf("fold of a coarsened load: %v", err)
	}
	// :00-:05 is resolved by 5m data: that comparison still answers.
	if _, err := r.Compare("Latency p99", ts.Hourly(0, 5*time.Minute), ts.CompareOptions{Stat: ts.Median, Seed: 1}); err != nil {
		t.Errorf("compare :00-:05 over 5m data: %v", err)
	}
}

func TestPeriodString(t *testing.T) {
	for d, want := range map[time.Duration]string{time.Minute: "1m", 5 * time.Minute: "5m", time.Hour: "1h", 24 * time.Hour: "1d", 90 * time.Second: "90s", 1500 * time.Millisecond: "1.5s"} {
		if got := periodString(d); got != want {
			t.Errorf("periodString(%v) = %q, want %q", d, got, want)
		}
	}
}

// BenchmarkCompareWeek compares :00-:05 with the rest over a week of 1-minute values, the
// tail-latency notebook's question, without the load.
func BenchmarkCompareWeek(b *testing.B) {
	start := time.Date(2026, 11, 13, 0, 0, 0, 0, time.UTC)
	n := 7 * 24 * 60
	v := make([]float64, n)
	for i := range v {
		v[i] = 500 + float64(i%7)
		if i%60 < 5 {
			v[i] = 3400 + float64(i%11)
		}
	}
	r := &Result{Period: time.Minute, Start: start, End: start.Add(time.Duration(n) * time.Minute),
		Series: []Series{{Column: "p99", Period: time.Minute, Values: v}}}
	for _, w := range []struct {
		name string
		when ts.When
	}{{"hourly", ts.Hourly(0, 5*time.Minute)}, {"straddled-boundary", ts.Since(start.Add(3*24*time.Hour + 30*time.Second))}} {
		b.Run(w.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Compare("p99", w.when, ts.CompareOptions{Stat: ts.Median, Resamples: 200}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestMarkEvents(t *testing.T) {
	r, _, _ := apiResult(t, []string{"Average"}, day.Add(9*time.Hour), 3*time.Hour)
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	cases := []struct {
		name   string
		when   ts.When
		starts []time.Time
		ends   []time.Time // zero: a line
		warn   error
	}{
		{"hourly", ts.Hourly(0, 5*time.Minute), []time.Time{at(9, 0), at(10, 0), at(11, 0)}, []time.Time{at(9, 5), at(10, 5), at(11, 5)}, nil},
		{"deploy", ts.At(at(10, 30)), []time.Time{at(10, 30)}, []time.Time{{}}, nil},
		{"before, clipped to the window", ts.Before(at(9, 30)), []time.Time{at(9, 0)}, []time.Time{at(9, 30)}, nil},
		{"outside", ts.At(at(13, 0)), nil, nil, ErrNoMatch},
		{"finer than 1m data", ts.Every(time.Hour, 30*time.Second, 90*time.Second), []time.Time{at(9, 0).Add(30 * time.Second), at(10, 0).Add(30 * time.Second), at(11, 0).Add(30 * time.Second)},
			[]time.Time{at(9, 1).Add(30 * time.Second), at(10, 1).Add(30 * time.Second), at(11, 1).Add(30 * time.Second)}, ErrCoarsePeriod},
	}
	for _, c := range cases {
		ev, warns, err := r.events(mark{c.name, c.when})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if len(ev) != len(c.starts) {
			t.Errorf("%s: %d events, want %d", c.name, len(ev), len(c.starts))
			continue
		}
		for i, e := range ev {
			if !e.Start.Equal(c.starts[i]) || !e.End.Equal(c.ends[i]) || e.Name != c.name {
				t.Errorf("%s: event %d is %+v, want %s-%s", c.name, i, e, c.starts[i], c.ends[i])
			}
		}
		if (c.warn == nil) != (len(warns) == 0) || (c.warn != nil && !warns.has(c.warn)) {
			t.Errorf("%s: warnings %v, want %v", c.name, warns, c.warn)
		}
	}
}
