package logs

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/cwnb/cwnb/cwnb/insights"
)

// BenchmarkBuild types raw result rows into columns and a gota frame: 100,000 rows of five
// fields (time, two numbers, two strings), as GetQueryResults pages them. Target (issue 12):
// 100,000 rows in under 200 ms.
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		rows := make([][][2]string, n)
		t0 := time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)
		for i := range rows {
			rows[i] = [][2]string{
				{"@timestamp", t0.Add(time.Duration(n-i) * time.Second).Format(insights.TimeFormat)},
				{"latency", strconv.FormatFloat(float64(i%997)+0.25, 'f', -1, 64)},
				{"status", strconv.Itoa(200 + i%3*100)},
				{"endpoint", "/e" + strconv.Itoa(i%3)},
				{"customer", fmt.Sprintf("c-%02d", i%40)},
				{"@ptr", "p"},
			}
		}
		q, _ := insights.Parse("fields @timestamp, latency, status, endpoint, customer")
		b.Run("rows="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r := &Result{Shape: q.Shape()}
				r.build(rows)
				if r.Rows() != n {
					b.Fatalf("%d rows", r.Rows())
				}
			}
		})
	}
}
