package ts

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// wed is Wednesday 2026-11-18 00:00 UTC.
var wed = time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC)

func TestWhenContains(t *testing.T) {
	at := func(h, m int) time.Time { return wed.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	deploy := at(14, 7)
	cases := []struct {
		name    string
		w       When
		in, out []time.Time
	}{
		{"hourly :00-:05", Hourly(0, 5*time.Minute), []time.Time{at(0, 0), at(0, 4), at(13, 0), at(23, 4)}, []time.Time{at(0, 5), at(0, 59), at(13, 30)}},
		{"hourly wraps :55-:05", Hourly(55*time.Minute, 5*time.Minute), []time.Time{at(0, 55), at(0, 59), at(1, 0), at(1, 4)}, []time.Time{at(1, 5), at(1, 54)}},
		{"daily 02:00-02:30", Daily(2*time.Hour, 2*time.Hour+30*time.Minute), []time.Time{at(2, 0), at(2, 29), at(26, 10)}, []time.Time{at(1, 59), at(2, 30), at(14, 10)}},
		{"daily wraps 23:00-01:00", Daily(23*time.Hour, time.Hour), []time.Time{at(23, 0), at(24, 30)}, []time.Time{at(1, 0), at(22, 59)}},
		// 2026-11-21 is a Saturday, 2026-11-23 a Monday.
		{"weekdays", Weekdays(), []time.Time{at(0, 0), at(47, 59), at(5*24, 0)}, []time.Time{at(3*24, 0), at(4*24+23, 59)}},
		// the occurrence that starts on Friday 23:00 belongs to Friday, also after midnight.
		{"night on Fridays", Daily(23*time.Hour, time.Hour).On(time.Friday), []time.Time{at(2*24+23, 0), at(3*24, 30)}, []time.Time{at(23, 30), at(3*24+23, 30)}},
		{"before the deploy", Before(deploy), []time.Time{at(0, 0), at(14, 6)}, []time.Time{deploy, at(15, 0)}},
		{"since the deploy", Since(deploy), []time.Time{deploy, at(15, 0)}, []time.Time{at(14, 6)}},
		{"span", Span(at(9, 0), at(12, 0)), []time.Time{at(9, 0), at(11, 59)}, []time.Time{at(8, 59), at(12, 0)}},
		{"an instant selects nothing", At(deploy), nil, []time.Time{deploy}},
	}
	for _, c := range cases {
		if err := c.w.Err(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, x := range c.in {
			if !c.w.Contains(x) {
				t.Errorf("%s (%s): %s not contained", c.name, c.w, x.Format(time.RFC3339))
			}
		}
		for _, x := range c.out {
			if c.w.Contains(x) {
				t.Errorf("%s (%s): %s contained", c.name, c.w, x.Format(time.RFC3339))
			}
		}
	}
}

func TestWhenString(t *testing.T) {
	deploy := time.Date(2026, 11, 19, 14, 7, 0, 0, time.UTC)
	for w, want := range map[When]string{
		Hourly(0, 5*time.Minute):                       "every hour :00-:05",
		Hourly(55*time.Minute, 5*time.Minute):          "every hour :55-:05",
		Daily(2*time.Hour, 2*time.Hour+30*time.Minute): "every day 02:00-02:30",
		Weekdays(): "weekdays",
		Daily(9*time.Hour, 17*time.Hour).On(time.Saturday, 0): "every day 09:00-17:00 on Sun,Sat",
		Every(7*day, 0, 2*time.Hour):                          "every week Mon 00:00-Mon 02:00",
		Every(15*time.Minute, 0, time.Minute):                 "every 15m, 0s-1m into it",
		Every(2*time.Hour, 90*time.Minute, 2*time.Hour):       "every 2h, 1h30m-2h into it",
		Before(deploy):                      "before 2026-11-19T14:07Z",
		Since(deploy):                       "since 2026-11-19T14:07Z",
		At(deploy):                          "at 2026-11-19T14:07Z",
		Span(deploy, deploy.Add(time.Hour)): "2026-11-19T14:07Z/2026-11-19T15:07Z",
		{}:                                  "invalid When",
	} {
		if got := w.String(); got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
	}
	if got := Before(deploy).Complement(); got != "since 2026-11-19T14:07Z" {
		t.Errorf("Complement of Before: %q", got)
	}
}

func TestWhenErrors(t *testing.T) {
	now := time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		w    When
		want string
	}{
		{"bare nanoseconds", Every(3600, 0, 300), "under a second; write durations with their unit"},
		{"cycle that drifts", Every(7*time.Minute, 0, time.Minute), "neither divides a day nor is a week"},
		{"outside the cycle", Hourly(0, 2*time.Hour), "not within the cycle"},
		{"negative", Hourly(-time.Minute, 5*time.Minute), "not within the cycle"},
		{"empty", Hourly(5*time.Minute, 5*time.Minute), "is empty"},
		{"end before start", Span(now, now.Add(-time.Hour)), "want a start before the end"},
		{"zero before", Before(time.Time{}), "zero time"},
		{"On a week", Every(7*day, 0, time.Hour).On(time.Monday), "daily or more often"},
		{"On nothing", Daily(0, time.Hour).On(), "at least one weekday"},
		{"zero value", When{}, "zero When"},
	}
	for _, c := range cases {
		err := c.w.Err()
		if !errors.Is(err, ErrWhen) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Err() = %v; want ErrWhen saying %q", c.name, err, c.want)
		}
		if c.w.Contains(now) {
			t.Errorf("%s: an invalid When contains a time", c.name)
		}
	}
}

// straddlesByScan is the reference for Straddles: look at every 30 s of the period (every
// boundary in these tests is a multiple of 30 s).
func straddlesByScan(w When, start time.Time, period time.Duration) bool {
	in := w.Contains(start)
	for d := 30 * time.Second; d < period; d += 30 * time.Second {
		if w.Contains(start.Add(d)) != in {
			return true
		}
	}
	return false
}

func TestWhenResolutionAndStraddles(t *testing.T) {
	deploy := wed.Add(14*time.Hour + 7*time.Minute)
	cases := []struct {
		w    When
		want time.Duration
	}{
		{Hourly(0, 5*time.Minute), 5 * time.Minute},
		{Hourly(0, 30*time.Minute), 30 * time.Minute},
		{Hourly(55*time.Minute, 5*time.Minute), 5 * time.Minute},
		{Daily(2*time.Hour, 2*time.Hour+30*time.Minute), 30 * time.Minute},
		{Daily(2*time.Hour, 3*time.Hour), time.Hour},
		{Weekdays(), day},
		{Every(week, 0, 2*day), day}, // a 2-day grid from the epoch does not meet Mondays
		{Before(deploy), time.Minute},
		{Since(wed), day},
		{Span(wed.Add(90*time.Second), wed.Add(time.Hour)), 90 * time.Second},
	}
	periods := []time.Duration{time.Second, 10 * time.Second, time.Minute, 5 * time.Minute, 7 * time.Minute, 10 * time.Minute, time.Hour, 6 * time.Hour, day}
	for _, c := range cases {
		if got := c.w.Resolution(); got != c.want {
			t.Errorf("%s: Resolution() = %v, want %v", c.w, got, c.want)
		}
		// Independently: a period that divides the resolution never straddles; the scan decides.
		for _, p := range periods {
			if p > 10*time.Minute && p < day && c.w.Recurring() && c.w.cycle == week {
				continue
			}
			anyStraddle := false
			for s := wed.Add(-2 * day); s.Before(wed.Add(3 * day)); s = s.Add(p) {
				if p >= time.Hour || s.Minute()%20 == 0 || s.Hour()%7 == 0 || (s.After(deploy.Add(-time.Hour)) && s.Before(deploy.Add(time.Hour))) {
					got, want := c.w.Straddles(s, p), straddlesByScan(c.w, s, p)
					if got != want {
						t.Fatalf("%s: Straddles(%s, %v) = %v, scan says %v", c.w, s.Format(time.RFC3339), p, got, want)
					}
					anyStraddle = anyStraddle || got
				}
			}
			if c.want%p == 0 && anyStraddle {
				t.Errorf("%s: period %v divides the resolution %v but a period straddles", c.w, p, c.want)
			}
		}
	}
}

func TestWhenOccurrences(t *testing.T) {
	from, to := wed.Add(9*time.Hour+2*time.Minute), wed.Add(12*time.Hour)
	s, e, err := Hourly(0, 5*time.Minute).Occurrences(from, to)
	if err != nil {
		t.Fatal(err)
	}
	// 09:02-09:05 (clipped), 10:00-10:05, 11:00-11:05.
	if len(s) != 3 || !s[0].Equal(from) || !e[0].Equal(wed.Add(9*time.Hour+5*time.Minute)) || !s[2].Equal(wed.Add(11*time.Hour)) {
		t.Errorf("occurrences %v %v", s, e)
	}
	// A reference by scanning minutes: count the starts of runs of contained minutes.
	for _, w := range []When{Hourly(55*time.Minute, 5*time.Minute), Weekdays(), Daily(23*time.Hour, time.Hour).On(time.Friday), Daily(2*time.Hour, 3*time.Hour)} {
		lo, hi := wed, wed.Add(9*day)
		s, e, err := w.Occurrences(lo, hi)
		if err != nil {
			t.Fatal(err)
		}
		var minutes, runs int
		prev := false
		for m := lo; m.Before(hi); m = m.Add(time.Minute) {
			c := w.Contains(m)
			if c {
				minutes++
				if !prev {
					runs++
				}
			}
			prev = c
		}
		var covered time.Duration
		for i := range s {
			covered += e[i].Sub(s[i])
		}
		// Adjacent occurrences (weekdays) merge into one run of the scan.
		if covered != time.Duration(minutes)*time.Minute || len(s) < runs {
			t.Errorf("%s: %d occurrences covering %v; the scan finds %d runs covering %d minutes", w, len(s), covered, runs, minutes)
		}
	}
	if _, _, err := Every(time.Second, 0, 500*time.Millisecond+500*time.Millisecond).Occurrences(wed, wed.Add(day)); !errors.Is(err, ErrWhen) || !strings.Contains(err.Error(), "more than the 10000") {
		t.Errorf("a one-second recurrence over a day: %v; want a refusal naming the cap", err)
	}
	if _, _, err := Every(3600, 0, 300).Occurrences(wed, wed.Add(day)); !errors.Is(err, ErrWhen) {
		t.Errorf("bare nanoseconds: %v", err)
	}
	s, e, _ = Before(wed.Add(time.Hour)).Occurrences(wed, wed.Add(day))
	if len(s) != 1 || !s[0].Equal(wed) || !e[0].Equal(wed.Add(time.Hour)) {
		t.Errorf("Before clipped: %v %v", s, e)
	}
	s, e, _ = At(wed.Add(time.Hour)).Occurrences(wed, wed.Add(day))
	if len(s) != 1 || !s[0].Equal(e[0]) {
		t.Errorf("At: %v %v", s, e)
	}
}

func TestFoldByResolution(t *testing.T) {
	for f, want := range map[FoldBy]time.Duration{MinuteOfHour: time.Minute, HourOfDay: time.Hour, DayOfWeek: day, Day: day, MinuteOfDay: time.Minute, HourOfWeek: time.Hour} {
		if got := f.Resolution(); got != want {
			t.Errorf("%v.Resolution() = %v, want %v", f, got, want)
		}
	}
}
