package alarmcw

import (
	"strings"
	"testing"
	"time"
)

// FuzzHistoryData feeds arbitrary HistoryData to the history reader: it must return a history or
// an error naming the alarm, never panic, and its intervals must be ordered within the window.
func FuzzHistoryData(f *testing.F) {
	f.Add(`{"version":"1.0","oldState":{"stateValue":"OK","stateReason":"r"},"newState":{"stateValue":"ALARM","stateReason":"x","stateReasonData":{"recentDatapoints":[1.5]}}}`, int64(30))
	f.Add(`{"newState":{"stateValue":"BOGUS"}}`, int64(0))
	f.Add(`not json`, int64(-5))
	f.Add(`{"oldState":{"stateValue":"ALARM"},"newState":{"stateValue":"OK","stateReasonData":{"recentDatapoints":"x"}}}`, int64(90))
	from := time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)
	to := from.Add(time.Hour)
	f.Fuzz(func(t *testing.T, data string, minute int64) {
		items := []historyItem{
			{Time: from.Add(time.Duration(minute%120) * time.Minute), Type: "StateUpdate", Data: data},
			{Time: from.Add(10 * time.Minute), Type: "ConfigurationUpdate", Summary: "s", Data: data},
		}
		h, err := buildHistory("fz", from, to, items)
		if err != nil {
			if !strings.Contains(err.Error(), `"fz"`) {
				t.Fatalf("error does not name the alarm: %v", err)
			}
			return
		}
		last := from
		for _, iv := range h.Intervals {
			if iv.Start.Before(last) || !iv.End.After(iv.Start) || iv.End.After(to) {
				t.Fatalf("bad intervals %+v", h.Intervals)
			}
			last = iv.End
		}
	})
}
