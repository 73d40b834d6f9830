package insights

import (
	"fmt"
	"slices"
	"testing"
)

func TestQuick(t *testing.T) {
	var evs []*Event
	for i := 0; i < 10; i++ {
		msg := fmt.Sprintf(`{"endpoint":"/e%d","latency":%d,"status":%d}`, i%2, 100+i*10, 200+100*(i%3))
		evs = append(evs, &Event{Timestamp: 1767225600000 + int64(i)*30000, Message: msg, Ptr: fmt.Sprint("p", i), Fields: Discover(msg, false)})
	}
	for _, qs := range []string{
		"fields @timestamp, latency | filter status = 500",
		"stats count(*), avg(latency), pct(latency, 50) by bin(1m)",
		"stats count(*) as n by endpoint | sort n desc",
		"fields latency * 2 as dbl | sort dbl desc | limit 3",
		"parse @message '\"endpoint\":\"*\"' as ep | stats count(*) by ep",
		"filter latency > 150 and endpoint like 'e1' | stats sum(latency)",
		"stats avg(latency) as a by bin(1m) | stats max(a) by bin(5m)",
		"foo",
		"stats median(x)",
		"filter x in [1,2",
	} {
		q, err := Parse(qs)
		if err != nil {
			t.Logf("%s: %v", qs, err)
			continue
		}
		res, err := q.Run(slices.Values(evs), 0)
		t.Logf("%s: %v %+v", qs, err, res)
	}
}
