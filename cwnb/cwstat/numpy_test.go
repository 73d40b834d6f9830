package cwstat

import (
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var update = flag.Bool("update", false, "regenerate testdata/numpy.json with /usr/bin/python3 (numpy, scipy)")

// TestNumpy compares percentiles with numpy's percentile(method="inverted_cdf") and
// TM(10%:90%) with scipy.stats.trim_mean, computed over the counts expanded into copies by
// testdata/gen_numpy.py. The golden file is regenerated with -update.
func TestNumpy(t *testing.T) {
	if *update {
		cmd := exec.Command("/usr/bin/python3", "gen_numpy.py")
		cmd.Dir = "testdata"
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("testdata/gen_numpy.py: %v\n%s", err, out)
		}
	}
	data, err := os.ReadFile("testdata/numpy.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Values, Counts, Percentiles, Want []float64
		TM10                              *float64 `json:"tm10"`
	}
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("testdata/numpy.json has no cases")
	}
	tm10s := 0
	for i, c := range cases {
		var b Bucket
		b.AddValues(c.Values, c.Counts)
		got := make([]float64, len(c.Percentiles))
		for j, p := range c.Percentiles {
			got[j], _ = b.Compute(Stat{Kind: Percentile, P: p})
		}
		if diff := cmp.Diff(c.Want, got); diff != "" {
			t.Errorf("case %d: percentiles %v (-numpy +cwstat):\n%s", i, c.Percentiles, diff)
		}
		if c.TM10 != nil {
			tm10s++
			v, _ := b.Compute(Stat{Kind: TrimmedMean, Lo: 10, Hi: 90, HasLo: true, HasHi: true})
			if diff := cmp.Diff(*c.TM10, v, cmpopts.EquateApprox(1e-12, 0)); diff != "" {
				t.Errorf("case %d: TM(10%%:90%%) (-scipy +cwstat):\n%s", i, diff)
			}
		}
	}
	if tm10s == 0 {
		t.Error("no case checks TM(10%:90%) against scipy")
	}
}
