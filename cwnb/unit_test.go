package cwnb

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cwnb/cwnb/cwnb/ts"
	"github.com/go-gota/gota/series"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestAlignDown(t *testing.T) {
	tests := []struct {
		name string
		t    string
		p    time.Duration
		want string
	}{
		{"minute", "2026-11-19T10:07:31Z", time.Minute, "2026-11-19T10:07:00Z"},
		{"on the grid", "2026-11-19T10:05:00Z", 5 * time.Minute, "2026-11-19T10:05:00Z"},
		// 7 minutes: the epoch grid, not time.Truncate's year-1 grid (STYLE rule 10).
		{"seven minutes epoch grid", "2026-11-19T10:07:31Z", 7 * time.Minute, time.Unix(date("2026-11-19T10:07:31Z").Unix()/420*420, 0).UTC().Format(time.RFC3339)},
		{"hour", "2026-11-19T10:59:59Z", time.Hour, "2026-11-19T10:00:00Z"},
		{"day", "2026-11-19T23:59:59Z", 24 * time.Hour, "2026-11-19T00:00:00Z"},
		{"high resolution", "2026-11-19T10:00:17Z", 10 * time.Second, "2026-11-19T10:00:10Z"},
		{"before the epoch", "1969-12-31T23:59:30Z", time.Minute, "1969-12-31T23:59:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := alignDown(date(tc.t), tc.p).Format(time.RFC3339)
			if got != tc.want {
				t.Errorf("alignDown(%s, %v) = %s, want %s", tc.t, tc.p, got, tc.want)
			}
		})
	}
	if a, b := alignDown(date("2026-11-19T10:07:31Z"), 7*time.Minute), date("2026-11-19T10:07:31Z").Truncate(7*time.Minute); a.Equal(b) {
		t.Logf("note: for this instant time.Truncate happens to agree")
	}
}

func TestAutoPeriod(t *testing.T) {
	const day = 24 * time.Hour
	tests := []struct {
		name        string
		length, age time.Duration
		want        time.Duration
	}{
		{"hour", time.Hour, 2 * time.Hour, time.Minute},
		{"day", day, day, time.Minute},
		{"two days", 2 * day, 2 * day, 5 * time.Minute},
		{"week", 7 * day, 7 * day, 10 * time.Minute},
		{"month old day", day, 30 * day, 5 * time.Minute},
		{"quarter old day", day, 90 * day, time.Hour},
		{"300 days", 300 * day, 400 * day, 6 * time.Hour},
		{"year", 365 * day, 400 * day, 24 * time.Hour},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := autoPeriod(tc.length, tc.age); got != tc.want {
				t.Errorf("AutoPeriod(%v, %v) = %v, want %v", tc.length, tc.age, got, tc.want)
			}
		})
	}
}

func TestCoarsen(t *testing.T) {
	const day = 24 * time.Hour
	tests := []struct {
		name    string
		p, age  time.Duration
		want    time.Duration
		changed bool
	}{
		{"1m fresh", time.Minute, day, time.Minute, false},
		{"10s older than 3h", 10 * time.Second, 4 * time.Hour, time.Minute, true},
		{"1m at 20 days", time.Minute, 20 * day, 5 * time.Minute, true},
		{"7m at 20 days", 7 * time.Minute, 20 * day, 10 * time.Minute, true},
		{"10m at 20 days", 10 * time.Minute, 20 * day, 10 * time.Minute, false},
		{"5m at 100 days", 5 * time.Minute, 100 * day, time.Hour, true},
		{"10s fresh", 10 * time.Second, time.Hour, 10 * time.Second, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, changed := coarsen(tc.p, tc.age)
			if got != tc.want || changed != tc.changed {
				t.Errorf("coarsen(%v, %v) = %v, %v; want %v, %v", tc.p, tc.age, got, changed, tc.want, tc.changed)
			}
		})
	}
}

func TestParseWindow(t *testing.T) {
	tests := []struct {
		name, start, length string
		want                Window
		err                 string
	}{
		{"duration", "2026-11-19T00:00:00Z", "24h", Between(date("2026-11-19T00:00:00Z"), date("2026-11-20T00:00:00Z")), ""},
		{"days", "2026-11-13T00:00:00Z", "7d", Between(date("2026-11-13T00:00:00Z"), date("2026-11-20T00:00:00Z")), ""},
		{"end time", "2026-11-19T00:00:00Z", "2026-11-19T06:00:00Z", Between(date("2026-11-19T00:00:00Z"), date("2026-11-19T06:00:00Z")), ""},
		{"date only", "2026-11-19", "1d", Between(date("2026-11-19T00:00:00Z"), date("2026-11-20T00:00:00Z")), ""},
		{"offset zone", "2026-11-19T01:00:00+01:00", "1h", Between(date("2026-11-19T00:00:00Z"), date("2026-11-19T01:00:00Z")), ""},
		{"inverted", "2026-11-19T06:00:00Z", "2026-11-19T00:00:00Z", Window{}, "not after its start"},
		{"bad start", "yesterday", "24h", Window{}, `window start "yesterday"`},
		{"bad length", "2026-11-19T00:00:00Z", "a day", Window{}, `window length "a day"`},
		{"negative", "2026-11-19T00:00:00Z", "-1h", Window{}, "not positive"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseWindow(tc.start, tc.length)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !got.Start.Equal(tc.want.Start) || !got.End.Equal(tc.want.End) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestValidate: bad queries fail before any call, with errors naming the input and the fix.
func TestValidate(t *testing.T) {
	w := Between(testNow.Add(-time.Hour), testNow)
	lat := Metric{Namespace: "MyService/API", Name: "Latency"}
	with := func(f func(*Metric)) Metric { m := lat; f(&m); return m }
	tests := []struct {
		name string
		q    Query
		err  string
	}{
		{"unknown statistic", Query{Metrics: []Metric{with(func(m *Metric) { m.Stats = []string{"p99", "Mean"} })}, Window: w}, `statistic "Mean"`},
		{"period 90s", Query{Metrics: []Metric{lat}, Window: w, Period: 90 * time.Second}, "period 1m30s is not a multiple of 60s; use 1m or 2m"},
		{"period 7s", Query{Metrics: []Metric{lat}, Window: w, Period: 7 * time.Second}, "use 1s, 5s, 10s, 20s, 30s"},
		{"metric period", Query{Metrics: []Metric{with(func(m *Metric) { m.Period = 61 * time.Second })}, Window: w}, "not a multiple of 60s"},
		{"long search", Query{Expressions: []Expression{{Expr: "SEARCH('" + strings.Repeat("x", 1030) + "', 'Average')"}}, Window: w}, "1024"},
		{"unknown reference", Query{Metrics: []Metric{with(func(m *Metric) { m.ID = "lat" })}, Expressions: []Expression{{Expr: "lat / errs"}}, Window: w}, `refers to "errs"`},
		{"stat-suffixed ids", Query{Metrics: []Metric{with(func(m *Metric) { m.ID = "lat"; m.Stats = []string{"Average", "p99"} })}, Expressions: []Expression{{Expr: "lat * 2"}}, Window: w}, "known ids: lat_avg, lat_p99"},
		{"bad id", Query{Metrics: []Metric{with(func(m *Metric) { m.ID = "Lat" })}, Window: w}, `id "Lat" is not a valid query id`},
		{"duplicate id", Query{Metrics: []Metric{with(func(m *Metric) { m.ID = "a" }), with(func(m *Metric) { m.ID = "a" })}, Window: w}, `id "a" is used twice`},
		{"no namespace", Query{Metrics: []Metric{{Name: "Latency"}}, Window: w}, "namespace is empty"},
		{"empty dimension", Query{Metrics: []Metric{with(func(m *Metric) { m.Dims = Dims{"Service": ""} })}, Window: w}, "empty name or value"},
		{"nothing", Query{Window: w}, "no metrics and no expressions"},
		{"old insights", Query{Expressions: []Expression{{Expr: "SELECT AVG(CPUUtilization) FROM SCHEMA(\"AWS/EC2\", InstanceId)"}}, Window: Between(testNow.AddDate(0, 0, -20), testNow.AddDate(0, 0, -19))}, "only the last 2 weeks"},
		{"bad fill", Query{Metrics: []Metric{lat}, Window: w, Fill: ts.FillPolicy(9)}, "fill FillPolicy(9) is not one the loader applies"},
		{"negative max gap", Query{Metrics: []Metric{lat}, Window: w, MaxGap: -time.Minute}, "max gap -1m0s is negative"},
		{"all hidden", Query{Metrics: []Metric{with(func(m *Metric) { m.Hidden = true })}, Window: w}, "Hidden"},
		{"cycle", Query{Expressions: []Expression{{ID: "a", Expr: "b + 1"}, {ID: "b", Expr: "a + 1"}}, Window: w}, "cycle"},
		{"bad math", Query{Expressions: []Expression{{Expr: "m1 +* 2"}}, Metrics: []Metric{lat}, Window: w}, "expression e1"},
		{"inverted window", Query{Metrics: []Metric{lat}, Window: Between(testNow, testNow.Add(-time.Hour))}, "not after its start"},
		{"no window", Query{Metrics: []Metric{lat}}, "window is not set"},
		{"bad window string", lat.Window("2026-13-01", "24h"), `window start "2026-13-01"`},
		{"too old", Query{Metrics: []Metric{lat}, Window: Between(testNow.AddDate(-2, 0, 0), testNow.AddDate(-2, 0, 1))}, "455 days"},
		{"shorter than a period", Query{Metrics: []Metric{lat}, Window: Between(testNow.Add(-50*time.Minute), testNow.Add(-20*time.Minute)), Period: time.Hour}, "no complete 1h period"},
	}
	l, err := newLoader(withCacheDir(t.TempDir()), withOffline(true), func(o *Options) { o.Now = func() time.Time { return testNow }; o.Region = "us-east-1" })
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := l.Load(t.Context(), tc.q)
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("err = %v, want one containing %q", err, tc.err)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("err %v does not wrap ErrInvalid", err)
			}
		})
	}
}

func TestStatID(t *testing.T) {
	for in, want := range map[string]string{"Average": "avg", "p99": "p99", "p99.9": "p99_9", "TM(10%:90%)": "tm10_90", "IQM": "iqm", "PR(:300)": "pr_300", "SampleCount": "n"} {
		if got := statID(in); got != want || !idPattern.MatchString("x_"+got) {
			t.Errorf("statID(%q) = %q, want %q", in, got, want)
		}
	}
}

func mkUnits(n int) []*unit {
	var us []*unit
	for i := 0; i < n; i++ {
		us = append(us, &unit{id: fmt.Sprintf("m%d", i), kind: kindMetric, order: i})
	}
	return us
}

// TestPlanBatches checks the batching plan: ceil(n/500) calls for independent queries,
// expressions in the call of what they reference, one Metrics Insights query per call.
func TestPlanBatches(t *testing.T) {
	sizes := func(bs [][]*unit) []int {
		var out []int
		for _, b := range bs {
			out = append(out, len(b))
		}
		return out
	}
	t.Run("independent", func(t *testing.T) {
		for _, n := range []int{1, 499, 500, 501, 1000, 1201} {
			us := mkUnits(n)
			bs, err := planBatches(us, us, maxQueriesPerCall)
			if err != nil {
				t.Fatal(err)
			}
			if want := (n + 499) / 500; len(bs) != want {
				t.Errorf("%d queries: %d calls %v, want %d", n, len(bs), sizes(bs), want)
			}
		}
	})
	t.Run("math with its references", func(t *testing.T) {
		us := mkUnits(499)
		// e0 references m0 and m498; e1 references e0: with its group of 4 it does not fit beside
		// 499 others in one call, so the plan makes 2 calls and keeps the group together.
		us = append(us, &unit{id: "e0", kind: kindMath, refs: []string{"m0", "m498"}, order: 499},
			&unit{id: "e1", kind: kindMath, refs: []string{"e0"}, order: 500})
		bs, err := planBatches(us, us, maxQueriesPerCall)
		if err != nil {
			t.Fatal(err)
		}
		if len(bs) != 2 {
			t.Fatalf("%d calls %v, want 2", len(bs), sizes(bs))
		}
		where := map[string]int{}
		for i, b := range bs {
			for _, u := range b {
				where[u.id] = i
			}
		}
		for _, id := range []string{"m0", "m498", "e0"} {
			if where[id] != where["e1"] {
				t.Errorf("%s in call %d, e1 in call %d", id, where[id], where["e1"])
			}
		}
	})
	t.Run("only what is needed", func(t *testing.T) {
		us := mkUnits(10)
		us = append(us, &unit{id: "e0", kind: kindMath, refs: []string{"m3"}, order: 10})
		bs, err := planBatches(us, us[10:], maxQueriesPerCall)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]int{2}, sizes(bs)); diff != "" {
			t.Errorf("sizes (-want +got):\n%s", diff)
		}
	})
	t.Run("insights one per call", func(t *testing.T) {
		us := []*unit{{id: "q1", kind: kindSQL}, {id: "q2", kind: kindSQL, order: 1}, {id: "m1", kind: kindMetric, order: 2}}
		bs, err := planBatches(us, us, maxQueriesPerCall)
		if err != nil {
			t.Fatal(err)
		}
		if len(bs) != 2 {
			t.Errorf("%d calls %v, want 2", len(bs), sizes(bs))
		}
		us = append(us, &unit{id: "e", kind: kindMath, refs: []string{"q1", "q2"}, order: 3})
		if _, err := planBatches(us, us, maxQueriesPerCall); err == nil || !strings.Contains(err.Error(), "one Metrics Insights query per call") {
			t.Errorf("err = %v, want the one-per-call error", err)
		}
	})
	t.Run("group too large", func(t *testing.T) {
		us := mkUnits(500)
		var refs []string
		for _, u := range us {
			refs = append(refs, u.id)
		}
		us = append(us, &unit{id: "e", kind: kindMath, refs: refs, order: 500})
		if _, err := planBatches(us, us, maxQueriesPerCall); err == nil || !strings.Contains(err.Error(), "501 queries") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestIntervals(t *testing.T) {
	var ivs [][2]int64
	ivs = addInterval(ivs, 10, 20)
	ivs = addInterval(ivs, 30, 40)
	ivs = addInterval(ivs, 20, 25) // touches the first
	ivs = addInterval(ivs, 0, 5)
	if diff := cmp.Diff([][2]int64{{0, 5}, {10, 25}, {30, 40}}, ivs); diff != "" {
		t.Errorf("addInterval (-want +got):\n%s", diff)
	}
	tests := []struct {
		from, to int64
		want     [][2]int64
	}{
		{0, 40, [][2]int64{{5, 10}, {25, 30}}},
		{12, 22, nil},
		{-5, 50, [][2]int64{{-5, 0}, {5, 10}, {25, 30}, {40, 50}}},
		{35, 45, [][2]int64{{40, 45}}},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, missing(ivs, tc.from, tc.to)); diff != "" {
			t.Errorf("missing(%d, %d) (-want +got):\n%s", tc.from, tc.to, diff)
		}
	}
}

func TestFillValues(t *testing.T) {
	nan := math.NaN()
	in := []float64{nan, 1, nan, nan, 4, nan, nan, nan, nan, 9, nan}
	tests := []struct {
		name   string
		f      ts.FillPolicy
		maxGap int
		want   []float64
	}{
		{"nan", ts.FillNaN, 0, in},
		{"zero", ts.FillZero, 0, []float64{0, 1, 0, 0, 4, 0, 0, 0, 0, 9, 0}},
		{"ffill", ts.FillForward, 0, []float64{nan, 1, 1, 1, 4, 4, 4, 4, 4, 9, 9}},
		{"ffill limit 2", ts.FillForward, 2, []float64{nan, 1, 1, 1, 4, 4, 4, nan, nan, 9, 9}},
		{"linear", ts.FillLinear, 0, []float64{nan, 1, 2, 3, 4, 5, 6, 7, 8, 9, nan}},
		{"linear max gap 2", ts.FillLinear, 2, []float64{nan, 1, 2, 3, 4, nan, nan, nan, nan, 9, nan}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := fillValues(in, tc.f, tc.maxGap)
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateNaNs()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if !math.IsNaN(in[0]) || !math.IsNaN(in[2]) {
		t.Error("fillValues mutated its input")
	}
	for _, s := range []string{"nan", "zero", "ffill", "linear"} {
		f, err := parseFill(s)
		if err != nil || f.String() != s {
			t.Errorf("parseFill(%q) = %v, %v", s, f, err)
		}
	}
	if _, err := parseFill("bfill"); err == nil {
		t.Error("parseFill(bfill) succeeded")
	}
}

func TestEndpointName(t *testing.T) {
	for in, want := range map[string]string{
		"":                       "aws",
		"http://127.0.0.1:4582":  "local",
		"http://localhost:9999/": "local",
		"http://[::1]:80":        "local",
		"https://monitoring.us-east-1.amazonaws.com": "aws",
		"https://cw.example.internal:8443":           "cw.example.internal",
	} {
		if got := endpointName(in); got != want {
			t.Errorf("endpointName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCacheFile: a file round-trips, and Entries, Size and Clear see it by prefix.
func TestCacheFile(t *testing.T) {
	dir := t.TempDir()
	c := newDiskCache(dir)
	k := cacheKey{endpoint: "local", rel: "us-east-1/NS/M.avg.1m.0123456789abcdef.cwc", fileKey: "file-1", key: "q1", desc: "NS M Average", period: time.Minute}
	f := &cacheFile{fileKey: "file-1", period: 60, entries: []*entry{
		{key: "q1", desc: "NS M Average", covered: [][2]int64{{0, 600}}, series: []*seriesData{
			{label: "M Average", times: []int64{0, 60, 300}, values: []float64{1.5, math.Inf(1), -2}},
			{label: "empty"},
		}},
		{key: "q2", desc: "NS M Average {A=1}", covered: [][2]int64{{0, 60}, {120, 180}}, series: []*seriesData{
			{label: "M Average", times: []int64{0, 120}, values: []float64{7, 8}},
		}},
	}}
	if err := c.writeFile(k, f); err != nil {
		t.Fatal(err)
	}
	got, from, err := c.readFile(k, false)
	if err != nil || from != "local" {
		t.Fatalf("read: %v from %q", err, from)
	}
	// Compared as datapoints: the writer puts a series on the grid when that is no bigger (q2:
	// three periods for two datapoints), keeps points otherwise (q1: ten periods for three).
	if diff := cmp.Diff(asPoints(f), asPoints(got), cmp.AllowUnexported(cacheFile{}, entry{}, seriesData{}), cmpopts.EquateEmpty(), cmpopts.IgnoreFields(cacheFile{}, "idx")); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if s := got.entries[0].series[0]; s.step != 0 {
		t.Errorf("q1 on a grid of %ds; want points (3 datapoints over 10 periods)", s.step)
	}
	if e := got.get("q2"); e == nil || e.series[0].step != 60 || e.series[0].start != 0 || !cmp.Equal(e.series[0].values, []float64{7, math.NaN(), 8}, cmpopts.EquateNaNs()) {
		t.Errorf("get(q2) = %+v; want on the 60 s grid from 0: 7, NaN, 8", e)
	}
	// Another group hashed to the same file name is refused.
	if _, _, err := c.readFile(cacheKey{endpoint: "local", rel: k.rel, fileKey: "file-2"}, false); !errors.Is(err, ErrCorrupt) {
		t.Errorf("read with another key: %v, want ErrCorrupt", err)
	}
	// Offline fallback to another endpoint's file.
	other := k
	other.endpoint = "aws"
	if got, from, err := c.readFile(other, true); err != nil || got == nil || from != "local" {
		t.Errorf("fallback read: %v, %v, %q", got, err, from)
	}
	if got, _, _ := c.readFile(other, false); got != nil {
		t.Error("read without fallback found another endpoint's file")
	}
	k2 := k
	k2.rel = "eu-west-1/NS/M.avg.1m.fedcba9876543210.cwc"
	if err := c.writeFile(k2, f); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "README"), []byte("not an entry"), 0o644)
	n, size, err := c.Size()
	if err != nil || n != 2 || size <= 0 {
		t.Errorf("Size = %d, %d, %v", n, size, err)
	}
	ents, err := c.Entries("local/us-east-1/")
	if err != nil || len(ents) != 2 || ents[0].Points != 3 || ents[0].Series != 2 || ents[0].Query != "NS M Average" ||
		ents[0].Period != time.Minute || len(ents[1].Covered) != 2 {
		t.Errorf("Entries = %+v, %v", ents, err)
	}
	stale := filepath.Join(dir, "local", "eu-west-1", "NS", ".tmp-123")
	os.WriteFile(stale, []byte("partial"), 0o644)
	os.Chtimes(stale, time.Now().Add(-time.Hour), time.Now().Add(-time.Hour))
	fresh := filepath.Join(dir, "local", "us-east-1", "NS", ".tmp-456")
	os.WriteFile(fresh, []byte("being written"), 0o644)
	removed, err := c.Clear("local/eu-west-1")
	if err != nil || removed != 1 {
		t.Errorf("Clear = %d, %v", removed, err)
	}
	if n, _, _ := c.Size(); n != 1 {
		t.Errorf("after Clear: %d files, want 1", n)
	}
	if _, err := os.Stat(filepath.Join(dir, "README")); err != nil {
		t.Errorf("Clear removed a file that is not an entry: %v", err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale temporary file left: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("Clear removed a temporary file another process may be writing: %v", err)
	}
}

func TestMergeSeries(t *testing.T) {
	a := &seriesData{label: "x", times: []int64{0, 60, 180}, values: []float64{1, 2, 4}}
	b := &seriesData{label: "x", times: []int64{60, 120, 240}, values: []float64{20, 3, 5}}
	got := mergeSeries(a, b)
	if diff := cmp.Diff([]int64{0, 60, 120, 180, 240}, got.times); diff != "" {
		t.Errorf("times (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]float64{1, 20, 3, 4, 5}, got.values); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
}

// TestUnitQuery checks the MetricDataQuery built for each kind of query.
func TestUnitQuery(t *testing.T) {
	q := Query{
		Metrics: []Metric{{ID: "lat", Namespace: "NS", Name: "Latency", Dims: Dims{"B": "2", "A": "1"}, Stats: []string{"p99"},
			Unit: "Milliseconds", AccountID: "123456789012", Label: "tail"}},
		Expressions: []Expression{{ID: "s", Expr: "SEARCH('{NS,A} Latency', 'Average')", Hidden: true}, {ID: "x", Expr: "lat * 2"}},
	}
	us, err := q.units()
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us {
		u.period = 5 * time.Minute
	}
	mq := us[0].query(true)
	if *mq.Id != "lat" || *mq.Label != "tail" || *mq.AccountId != "123456789012" || !*mq.ReturnData ||
		*mq.MetricStat.Stat != "p99" || *mq.MetricStat.Period != 300 || string(mq.MetricStat.Unit) != "Milliseconds" ||
		*mq.MetricStat.Metric.Dimensions[0].Name != "A" || mq.Expression != nil {
		t.Errorf("metric query %+v / %+v", mq, mq.MetricStat)
	}
	sq := us[1].query(false)
	if *sq.ReturnData || sq.Period == nil || *sq.Period != 300 || sq.MetricStat != nil || sq.Label == nil || *sq.Label != "${PROP('Dim.A')} ${PROP('MetricName')}" {
		t.Errorf("search query %+v", sq)
	}
	if xq := us[2].query(true); xq.Period != nil || *xq.Expression != "lat * 2" {
		t.Errorf("math query %+v", xq)
	}
	if ns, dims, ok := searchSchema(`{"My NS", B,A} x`); !ok || ns != "My NS" || strings.Join(dims, ",") != "A,B" {
		t.Errorf("searchSchema = %q %v %v", ns, dims, ok)
	}
}

// TestFloatColumn: the allocation-free column holds exactly what gota's constructor builds.
func TestFloatColumn(t *testing.T) {
	v := []float64{0, 1.5, math.NaN(), -3, math.Inf(1), 1e300, 255, 256}
	want := series.New(v, series.Float, "x")
	got := floatColumn(v, "x")
	if got.Name != "x" || got.Len() != want.Len() || got.Type() != series.Float {
		t.Fatalf("column %v", got)
	}
	for i := range v {
		w, g := want.Elem(i), got.Elem(i)
		if w.IsNA() != g.IsNA() || (!w.IsNA() && w.Float() != g.Float()) || w.String() != g.String() {
			t.Errorf("element %d: got %v (NA %v), want %v (NA %v)", i, g, g.IsNA(), w, w.IsNA())
		}
	}
	if diff := cmp.Diff(want.Float(), got.Float(), cmpopts.EquateNaNs()); diff != "" {
		t.Errorf("Float() (-want +got):\n%s", diff)
	}
	big := make([]float64, 10000)
	for i := range big {
		big[i] = float64(i) + 0.5
	}
	small := testing.AllocsPerRun(10, func() { floatColumn(v, "x") })
	large := testing.AllocsPerRun(10, func() { floatColumn(big, "x") })
	if large != small {
		t.Errorf("%v allocations for %d values but %v for %d: want a constant number", large, len(big), small, len(v))
	}
}

// asPoints returns f with every series as datapoints (a grid's NaN periods left out).
func asPoints(f *cacheFile) *cacheFile {
	out := &cacheFile{fileKey: f.fileKey, period: f.period}
	for _, e := range f.entries {
		pe := &entry{key: e.key, desc: e.desc, covered: e.covered}
		for _, s := range e.series {
			ts, vs := s.points()
			pe.series = append(pe.series, &seriesData{label: s.label, times: ts, values: vs})
		}
		out.entries = append(out.entries, pe)
	}
	return out
}

// The option setters of this package's tests (a notebook writes func(o *cwnb.Options) { ... }).
func withRegion(region string) func(*Options)   { return func(o *Options) { o.Region = region } }
func withProfile(profile string) func(*Options) { return func(o *Options) { o.Profile = profile } }
func withCacheDir(dir string) func(*Options)    { return func(o *Options) { o.CacheDir = dir } }
func withOffline(offline bool) func(*Options)   { return func(o *Options) { o.Offline = offline } }
