package localcw

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cwnb/cwnb/cwnb/alarm"
	"github.com/cwnb/cwnb/cwnb/localcw/internal/store"
	"github.com/cwnb/cwnb/cwnb/localcw/internal/wire"
)

// TestHiResAlarmSeries checks the sliding 30-second buckets of a high-resolution alarm at every
// 10-second mark against sums computed by hand from the datums.
func TestHiResAlarmSeries(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	s := New(Options{Now: now})
	m := store.Metric{Namespace: "Q", Name: "Hits"}
	t0 := now.Add(-10 * time.Minute)
	var ds []store.Datum
	raw := map[int64]float64{} // second → value
	for i := 0; i < 60; i++ {
		ts := t0.Add(time.Duration(i) * 10 * time.Second)
		v := float64(i % 7)
		raw[ts.Unix()] = v
		ds = append(ds, store.Datum{T: ts.UnixMilli(), Kind: store.Single, Value: v, HighRes: true})
	}
	s.store.Put(m, ds)
	d := &alarm.Definition{Name: "hr", Namespace: "Q", MetricName: "Hits", Statistic: "Sum", Period: 30 * time.Second,
		EvaluationPeriods: 1, Threshold: 10, Comparison: alarm.Greater}
	ser, err := s.alarmSeries(d, t0, now)
	if err != nil {
		t.Fatal(err)
	}
	if ser.Step != 10*time.Second {
		t.Fatalf("step %v", ser.Step)
	}
	checked := 0
	for i, v := range ser.Values {
		bs := ser.Start.Add(time.Duration(i) * ser.Step)
		want, n := 0.0, 0
		for sec := bs.Unix(); sec < bs.Unix()+30; sec++ {
			if x, ok := raw[sec]; ok {
				want += x
				n++
			}
		}
		if bs.Add(30 * time.Second).After(now) {
			continue
		}
		if n == 0 {
			if !math.IsNaN(v) {
				t.Errorf("bucket %v: %v, want missing", bs, v)
			}
			continue
		}
		if v != want {
			t.Fatalf("bucket %v: %v, want %v", bs, v, want)
		}
		checked++
	}
	// 60 datums 10 s apart: 58 full 30-second windows start on a datum... at least 57 checked.
	if checked < 57 {
		t.Fatalf("only %d buckets checked", checked)
	}
}

// TestCompositeFollowsChildren creates two alarms and a composite an hour before the clock and
// checks the composite's transitions against the children's, computed by hand.
func TestCompositeFollowsChildren(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	s := New(Options{Now: now})
	t0 := now.Add(-time.Hour)
	put := func(name string, from, to int) {
		var ds []store.Datum
		for i := 0; i < 60; i++ {
			v := 0.0
			if i >= from && i < to {
				v = 10
			}
			ds = append(ds, store.Datum{T: t0.Add(time.Duration(i) * time.Minute).UnixMilli(), Kind: store.Single, Value: v})
		}
		s.store.Put(store.Metric{Namespace: "Q", Name: name}, ds)
	}
	put("A", 10, 20) // a is in ALARM at minutes 11-20 (evaluated at the end of each minute)
	put("B", 15, 30) // b at 16-30
	b := s.alarmBook()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, name := range []string{"A", "B"} {
		d := &alarm.Definition{Name: "alarm-" + name, Namespace: "Q", MetricName: name, Statistic: "Maximum", Period: time.Minute,
			EvaluationPeriods: 1, Threshold: 5, Comparison: alarm.Greater}
		in := putInput(d)
		if _, err := s.putMetricAlarm(&in, t0); err != nil {
			t.Fatal(err)
		}
	}
	// One child by name, one by ARN.
	rule := `ALARM("alarm-A") AND ALARM("arn:aws:cloudwatch:us-east-1:123456789012:alarm:alarm-B")`
	name := "both"
	if _, err := s.putCompositeAlarm(&wire.PutCompositeAlarmInput{AlarmName: &name, AlarmRule: &rule}, t0); err != nil {
		t.Fatal(err)
	}
	s.advanceAlarms(now)
	var got []string
	for _, h := range b.history {
		if h.item.AlarmName == "both" && h.item.HistoryItemType == "StateUpdate" {
			got = append(got, h.item.Timestamp.Sub(t0).String()+" "+h.item.HistorySummary)
		}
	}
	want := []string{"0s Alarm updated from INSUFFICIENT_DATA to OK", "16m0s Alarm updated from OK to ALARM", "21m0s Alarm updated from ALARM to OK"}
	for _, h := range b.history {
		if h.item.AlarmName == "both" && strings.Contains(h.item.HistorySummary, "to ALARM") &&
			!strings.Contains(h.item.HistoryData, `evaluated to TRUE: alarm-A is ALARM, alarm-B is ALARM.`) {
			t.Errorf("composite reason: %s", h.item.HistoryData)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("composite history %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("item %d: %s, want %s", i, got[i], want[i])
		}
	}
}
