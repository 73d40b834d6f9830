package ts_test

import (
	"fmt"
	"time"

	"github.com/cwnb/cwnb/cwnb/ts"
)

// monday is Monday 2026-01-05 00:00 UTC.
var monday = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)

func ExampleHourly() {
	in := ts.Hourly(0, 5*time.Minute)
	fmt.Println(in, in.Contains(monday.Add(4*time.Minute)), in.Contains(monday.Add(5*time.Minute)), in.Resolution())
	// Output: every hour :00-:05 true false 5m0s
}

func ExampleDaily() {
	backup := ts.Daily(2*time.Hour, 2*time.Hour+30*time.Minute)
	night := ts.Daily(23*time.Hour, time.Hour) // wraps midnight
	fmt.Println(backup, "|", night, night.Contains(monday.Add(30*time.Minute)))
	// Output: every day 02:00-02:30 | every day 23:00-01:00 true
}

func ExampleEvery() {
	fmt.Println(ts.Every(15*time.Minute, 0, time.Minute), ts.Every(7*24*time.Hour, 0, 2*time.Hour))
	fmt.Println(ts.Every(3600, 0, 300).Err()) // bare nanoseconds
	// Output:
	// every 15m, 0s-1m into it every week Mon 00:00-Mon 02:00
	// ts: invalid time selection: cycle 3.6µs is under a second; write durations with their unit, such as time.Hour or 5*time.Minute (a bare number is nanoseconds)
}

func ExampleWeekdays() {
	sat := monday.Add(5 * 24 * time.Hour)
	fmt.Println(ts.Weekdays(), ts.Weekdays().Contains(monday), ts.Weekdays().Contains(sat))
	// Output: weekdays true false
}

func ExampleWhen_On() {
	office := ts.Daily(9*time.Hour, 17*time.Hour).On(time.Saturday, time.Sunday)
	fmt.Println(office, office.Contains(monday.Add(10*time.Hour)), office.Contains(monday.Add(-14*time.Hour)))
	// Output: every day 09:00-17:00 on Sun,Sat false true
}

func ExampleSince() {
	deploy := monday.Add(30 * time.Minute)
	after := ts.Since(deploy)
	fmt.Println(after.Contains(monday), after.Contains(deploy), after.Complement())
	// Output: false true before 2026-01-05T00:30Z
}

func ExampleBefore() {
	deploy := monday.Add(14*time.Hour + 7*time.Minute)
	fmt.Println(ts.Before(deploy), "needs", ts.Before(deploy).Resolution())
	// Output: before 2026-01-05T14:07Z needs 1m0s
}

func ExampleSpan() {
	incident := ts.Span(monday.Add(10*time.Hour), monday.Add(10*time.Hour+30*time.Minute))
	fmt.Println(incident, incident.Recurring(), incident.Cycle())
	// Output: 2026-01-05T10:00Z/2026-01-05T10:30Z false 0s
}

func ExampleAt() {
	s, e, _ := ts.At(monday.Add(time.Hour)).Occurrences(monday, monday.Add(24*time.Hour))
	fmt.Println(ts.At(monday.Add(time.Hour)), s[0].Equal(e[0]))
	// Output: at 2026-01-05T01:00Z true
}

func ExampleWhen_Occurrences() {
	starts, ends, _ := ts.Daily(2*time.Hour, 2*time.Hour+30*time.Minute).Occurrences(monday, monday.Add(48*time.Hour))
	for i := range starts {
		fmt.Println(starts[i].Format("Mon 15:04"), "-", ends[i].Format("15:04"))
	}
	// Output:
	// Mon 02:00 - 02:30
	// Tue 02:00 - 02:30
}

func ExampleWhen_Straddles() {
	backup := ts.Hourly(0, 5*time.Minute)
	// A 10-minute period starting at :00 holds 5 minutes of the backup and 5 of the rest.
	fmt.Println(backup.Straddles(monday, 10*time.Minute), backup.Straddles(monday, 5*time.Minute))
	// Output: true false
}

func ExampleFoldBy_Resolution() {
	fmt.Println(ts.MinuteOfHour.Resolution(), ts.HourOfDay.Resolution(), ts.Day.Resolution())
	// Output: 1m0s 1h0m0s 24h0m0s
}
