package cwnb_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cwnb/cwnb/cwnb"
	"github.com/cwnb/cwnb/cwnb/internal/export"
)

// The command's exports (cwnb get -format longcsv|json) of a result loaded from the local
// CloudWatch. The expected text is the format these exports had as Result.WriteLongCSV and
// Result.WriteJSON (their former examples' output): moving them out of the facade changes none of it.
func TestExportLongCSV(t *testing.T) {
	opts, stop := localCloudWatch()
	defer stop()

	m := lat
	m.Stats = nil // Average
	res := cwnb.MustLoad(m.Window("2026-11-19T10:03:00Z", "2m"), opts...)
	var got strings.Builder
	if err := export.LongCSV(res, &got); err != nil {
		t.Fatal(err)
	}
	want := `timestamp,region,id,label,namespace,metric,stat,Service,value
2026-11-19T10:04:00Z,us-east-1,m1,Latency Average,MyService/API,Latency,Average,checkout,252.5
`
	if got.String() != want {
		t.Errorf("got\n%s\nwant\n%s", got.String(), want)
	}
}

func TestExportJSON(t *testing.T) {
	opts, stop := localCloudWatch()
	defer stop()

	m := lat
	m.Stats = []string{"Minimum"}
	q := m.Window("2026-11-19T10:02:00Z", "2m")
	q.Period = time.Minute
	res := cwnb.MustLoad(q, opts...)
	var got strings.Builder
	if err := export.JSON(res, &got); err != nil {
		t.Fatal(err)
	}
	want := `{
  "start": "2026-11-19T10:02:00Z",
  "end": "2026-11-19T10:04:00Z",
  "period": "1m",
  "period_auto": false,
  "calls": 1,
  "metrics_requested": 1,
  "estimated_cost_usd": 0.00001,
  "warnings": [],
  "timestamps": [
    "2026-11-19T10:02:00Z",
    "2026-11-19T10:03:00Z"
  ],
  "series": [
    {
      "column": "Latency Minimum",
      "id": "m1",
      "label": "Latency Minimum",
      "region": "us-east-1",
      "kind": "metric",
      "namespace": "MyService/API",
      "metric": "Latency",
      "dimensions": {
        "Service": "checkout"
      },
      "stat": "Minimum",
      "period": "1m",
      "status": "Complete",
      "values": [
        3,
        null
      ]
    }
  ]
}
`
	if got.String() != want {
		t.Errorf("got\n%s\nwant\n%s", got.String(), want)
	}
}
