package insights

import (
	"encoding/json"
	"fmt"
	"iter"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 19, 10, 0, 0, 0, time.UTC)

func events(n int) []*Event {
	out := make([]*Event, n)
	for i := range out {
		msg := fmt.Sprintf(`{"ep":"/e%d","lat":%d,"ok":%v,"ip":"10.0.%d.%d","nested":{"a":{"b":%d}},"items":[{"id":"x%d"}],"@x":"at"}`,
			i%3, (i*53)%400, i%4 != 0, i%2, i%200, i, i)
		out[i] = &Event{Timestamp: t0.Add(time.Duration(i) * 13 * time.Second).UnixMilli(), Message: msg, LogStream: "s", Log: "1:g",
			Ptr: "p" + strconv.Itoa(i), Fields: Discover(msg, false)}
	}
	return out
}

func run(t *testing.T, q string, evs []*Event) [][]ResultField {
	t.Helper()
	p, err := Parse(q)
	if err != nil {
		t.Fatalf("Parse(%q): %v", q, err)
	}
	res, err := p.Run(slices.Values(evs), 0)
	if err != nil {
		t.Fatalf("Run(%q): %v", q, err)
	}
	return res.Rows
}

func col(rows [][]ResultField, name string) []string {
	var out []string
	for _, r := range rows {
		for _, f := range r {
			if f.Field == name {
				out = append(out, f.Value)
			}
		}
	}
	return out
}

// Each case's expectation is computed by a loop over the same events in the test.
func TestScalarsAndFilters(t *testing.T) {
	evs := events(300)
	lat := func(i int) int { return (i * 53) % 400 }
	type tc struct {
		q    string
		want func(i int) (string, bool) // the value of column "v" for event i, and whether i is kept
	}
	for name, c := range map[string]tc{
		"arithmetic": {"fields lat * 2 + 1 - lat / 4 as v", func(i int) (string, bool) {
			return formatNumber(float64(lat(i))*2 + 1 - float64(lat(i))/4), true
		}},
		"modulo and power": {"fields lat % 7 + 2 ^ 3 as v | filter lat >= 100 and lat < 300", func(i int) (string, bool) {
			return formatNumber(float64(lat(i)%7) + 8), lat(i) >= 100 && lat(i) < 300
		}},
		"in and not in": {`fields ep as v | filter ep in ["/e1", "/e2"] and lat not in [0, 53]`, func(i int) (string, bool) {
			return fmt.Sprintf("/e%d", i%3), i%3 != 0 && lat(i) != 0 && lat(i) != 53
		}},
		"like string and regex, =~": {`fields ep as v | filter @message like '"ok":false' or ep =~ /e2$/`, func(i int) (string, bool) {
			return fmt.Sprintf("/e%d", i%3), i%4 == 0 || i%3 == 2
		}},
		"not like, case-insensitive regex": {`fields ep as v | filter ep not like /(?i)E1/`, func(i int) (string, bool) {
			return fmt.Sprintf("/e%d", i%3), i%3 != 1
		}},
		"strings": {`fields concat(toupper(ep), "-", strlen(ep), "-", substr(ep, 1, 1), replace(ep, "e", "E"), trim("  x "), ltrim("aab", "a")) as v`, func(i int) (string, bool) {
			return fmt.Sprintf("/E%d-3-e/E%dxb", i%3, i%3), true
		}},
		"numbers": {`fields abs(-lat) + ceil(0.2) + floor(1.8) + sqrt(16) + greatest(1, 5, 3) + least(7, 2) as v`, func(i int) (string, bool) {
			return formatNumber(float64(lat(i)) + 1 + 1 + 4 + 5 + 2), true
		}},
		"nested and array fields": {`fields nested.a.b + 0 as v | filter items.0.id = concat("x", nested.a.b) and @@x = "at"`, func(i int) (string, bool) {
			return strconv.Itoa(i), true
		}},
		"ip": {`fields isIpv4InSubnet(ip, "10.0.1.0/24") + isValidIp(ip) + isValidIpV6(ip) as v`, func(i int) (string, bool) {
			return strconv.Itoa(i%2 + 1), true
		}},
		"presence": {`fields coalesce(missing, ep) as v | filter ispresent(lat) and not ispresent(missing) and isempty(missing) and not isblank(ep)`, func(i int) (string, bool) {
			return fmt.Sprintf("/e%d", i%3), true
		}},
		"time": {`fields toMillis(@timestamp) - toMillis(datefloor(@timestamp, 1h)) as v | filter dateceil(@timestamp, 1m) >= @timestamp`, func(i int) (string, bool) {
			return strconv.Itoa(i * 13 * 1000 % 3600000), true
		}},
		"the other functions": {`fields floor(log(100) * 100) as ln100 | fields concat(tolower("AB"), rtrim("x  "), rtrim("yzz", "z"), strcontains(ep, "e1"), ln100, isValidIpV4(ip), isIpInSubnet(ip, "10.0.0.0/24"), isIpv6InSubnet("::1", "::/64"), toMillis(fromMillis(lat))) as v | limit any 100000`, func(i int) (string, bool) {
			// log is the natural logarithm: floor(ln(100)·100) = 460
			return fmt.Sprintf("abxy%d4601%d1%d", b2i(i%3 == 1), b2i(i%2 == 0), (i*53)%400), true
		}},
	} {
		t.Run(name, func(t *testing.T) {
			rows := run(t, c.q+" | sort @timestamp asc | limit 10000", evs)
			var want []string
			for i := range evs {
				if v, ok := c.want(i); ok {
					want = append(want, v)
				}
			}
			if got := col(rows, "v"); !slices.Equal(got, want) {
				t.Errorf("%s:\n got %v\nwant %v", c.q, head(got), head(want))
			}
		})
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func head(s []string) []string {
	if len(s) > 8 {
		return s[:8]
	}
	return s
}

func TestBinUnits(t *testing.T) {
	ts := time.Date(2026, 11, 19, 13, 37, 42, 123e6, time.UTC) // a Thursday
	for _, c := range []struct{ period, want string }{
		{"100ms", "2026-11-19 13:37:42.100"},
		{"30s", "2026-11-19 13:37:30.000"},
		{"7m", time.UnixMilli(ts.UnixMilli() / 420000 * 420000).UTC().Format(TimeFormat)},
		{"5min", "2026-11-19 13:35:00.000"},
		{"2h", "2026-11-19 12:00:00.000"},
		{"1d", "2026-11-19 00:00:00.000"},
		{"1w", "2026-11-16 00:00:00.000"}, // Monday
		{"1mo", "2026-11-01 00:00:00.000"},
		{"1q", "2026-10-01 00:00:00.000"},
		{"1y", "2026-01-01 00:00:00.000"},
		{"2hours", "2026-11-19 12:00:00.000"},
	} {
		rows := run(t, "stats count(*) by bin("+c.period+")", []*Event{{Timestamp: ts.UnixMilli()}})
		if got := col(rows, "bin("+c.period+")"); len(got) != 1 || got[0] != c.want {
			t.Errorf("bin(%s) = %v, want %s", c.period, got, c.want)
		}
	}
}

func TestStatsAgainstBruteForce(t *testing.T) {
	evs := events(1000)
	rows := run(t, "stats count(*) as n, count(nothing) as z, avg(lat), sum(lat), min(lat), max(lat), pct(lat, 99), percentile(lat, 50), stddev(lat) by ep, bin(10m)", evs)
	type key struct {
		ep  string
		bin int64
	}
	groups := map[key][]float64{}
	var keys []key
	for i, ev := range evs {
		k := key{fmt.Sprintf("/e%d", i%3), ev.Timestamp / 600000 * 600000}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], float64((i*53)%400))
	}
	slices.SortFunc(keys, func(a, b key) int {
		if c := strings.Compare(a.ep, b.ep); c != 0 {
			return c
		}
		return int(a.bin - b.bin)
	})
	if len(rows) != len(keys) {
		t.Fatalf("%d groups, want %d", len(rows), len(keys))
	}
	for i, k := range keys {
		xs := slices.Clone(groups[k])
		slices.Sort(xs)
		var sum, ss float64
		for _, x := range xs {
			sum += x
		}
		mean := sum / float64(len(xs))
		for _, x := range xs {
			ss += (x - mean) * (x - mean)
		}
		rank := func(p float64) float64 { return xs[max(1, int(math.Ceil(p/100*float64(len(xs)))))-1] }
		want := []string{k.ep, time.UnixMilli(k.bin).UTC().Format(TimeFormat), strconv.Itoa(len(xs)), "0", formatNumber(mean), formatNumber(sum),
			formatNumber(xs[0]), formatNumber(xs[len(xs)-1]), formatNumber(rank(99)), formatNumber(rank(50)), formatNumber(math.Sqrt(ss / float64(len(xs)-1)))}
		var got []string
		for _, f := range rows[i] {
			got = append(got, f.Value)
		}
		if len(got) != len(want) {
			t.Fatalf("row %d: %v, want %v", i, got, want)
		}
		for j := range want {
			a, errA := strconv.ParseFloat(got[j], 64)
			b, errB := strconv.ParseFloat(want[j], 64)
			if got[j] != want[j] && (errA != nil || errB != nil || math.Abs(a-b) > 1e-9*math.Abs(b)) {
				t.Errorf("row %d col %s = %s, want %s", i, rows[i][j].Field, got[j], want[j])
			}
		}
	}
}

func TestNearestRankAgainstSort(t *testing.T) {
	for n := 1; n < 300; n += 7 {
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = float64((i*7919)%101) + float64(i%3)/10
		}
		sorted := slices.Clone(xs)
		slices.Sort(sorted)
		for _, p := range []float64{0, 1, 25, 50, 90, 99, 99.9, 100} {
			k := int(math.Ceil(p / 100 * float64(n)))
			want := sorted[max(k, 1)-1]
			if got := NearestRank(slices.Clone(xs), p); got != want {
				t.Fatalf("n=%d p=%v: %v, want %v", n, p, got, want)
			}
		}
	}
}

func TestMultipleStatsAndPostFilters(t *testing.T) {
	evs := events(600)
	rows := run(t, "stats count(*) as c by bin(1m) | filter c > 4 | stats sum(c) as total, count(*) as minutes by bin(10m) | sort total desc", evs)
	perMin := map[int64]int{}
	for _, ev := range evs {
		perMin[ev.Timestamp/60000*60000]++
	}
	type agg struct{ total, minutes int }
	per10 := map[int64]*agg{}
	for m, c := range perMin {
		if c > 4 {
			k := m / 600000 * 600000
			if per10[k] == nil {
				per10[k] = &agg{}
			}
			per10[k].total += c
			per10[k].minutes++
		}
	}
	if len(rows) != len(per10) {
		t.Fatalf("%d rows, want %d", len(rows), len(per10))
	}
	prev := math.Inf(1)
	for _, r := range rows {
		ts, _ := time.Parse(TimeFormat, r[0].Value)
		want := per10[ts.UnixMilli()]
		tot, _ := strconv.ParseFloat(r[1].Value, 64)
		if want == nil || r[1].Value != strconv.Itoa(want.total) || r[2].Value != strconv.Itoa(want.minutes) || tot > prev {
			t.Errorf("row %v, want %+v (sorted by total desc)", r, want)
		}
		prev = tot
	}
}

func TestLambdaFields(t *testing.T) {
	msg := "REPORT RequestId: 3f2a\tDuration: 1.27 ms\tBilled Duration: 2 ms\tMemory Size: 1024 MB\tMax Memory Used: 75 MB\tInit Duration: 99.5 ms\t"
	evs := []*Event{{Message: msg, Fields: Discover(msg, true)}, {Message: "START RequestId: 3f2a Version: $LATEST", Fields: Discover("START RequestId: 3f2a Version: $LATEST", true)}}
	rows := run(t, "fields @type, @requestId, @duration, @billedDuration, @memorySize, @maxMemoryUsed, @initDuration | sort @type asc", evs)
	var got []string
	for _, f := range rows[0] {
		got = append(got, f.Field+"="+f.Value)
	}
	want := []string{"@type=REPORT", "@requestId=3f2a", "@duration=1.27", "@billedDuration=2", "@memorySize=1024000000", "@maxMemoryUsed=75000000", "@initDuration=99.5", "@ptr="}
	if !slices.Equal(got, want) {
		t.Errorf("REPORT fields %v, want %v", got, want)
	}
	if v := col(rows, "@type"); len(v) != 2 || v[1] != "START" {
		t.Errorf("START: %v", v)
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		q, mention string
		line, col  int
	}{
		{"fields a | bogus x", `unknown command "bogus"`, 1, 12},
		{"fields a\n| pattern @message", `command "pattern" is not supported`, 2, 3},
		{"stats median(lat)", `function "median" is not supported by the local Logs Insights (for a median, write pct(field, 50))`, 1, 7},
		{"stats pctl(lat, 99)", `"pctl" is not supported by the local Logs Insights (did you mean pct?)`, 1, 7},
		{"fields strlenn(a)", `(did you mean strlen?)`, 1, 8},
		{"stats avrg(lat)", `(did you mean avg?)`, 1, 7},
		{"fields frobnicate(a)", `"frobnicate" is not supported by the local Logs Insights`, 1, 8},
		{"filter avg(lat) > 1", "aggregation function", 1, 8},
		{"stats count(*) by bin(3x)", `period "3x"`, 1, 23},
		{"filter a = 'x", "unterminated string", 1, 12},
		{"filter a =", "expected a field, value or function", 1, 11},
		{"fields a |", "a command must follow |", 1, 11},
		{"", "empty query", 1, 1},
		{"# only a comment", "empty query", 1, 17},
		{"stats lat", "no aggregation function", 1, 7},
		{"limit 0", "limit 0", 1, 7},
		{"parse @message 'a*b*' as x", "has 2 * but 1 names", 1, 27},
		{"parse @message /(a)/", "named groups", 1, 16},
		{"filter x like /(/", "regex", 1, 15},
		{"stats pct(lat, 101)", "percentile from 0 to 100", 1, 16},
		{"sort", "expected a field", 1, 5},
		{"fields substr()", "substr takes 2 to 3 arguments", 1, 8},
	} {
		_, err := Parse(c.q)
		if err != nil && strings.Contains(c.q, "frobnicate") && strings.Contains(err.Error(), "did you mean") {
			t.Errorf("Parse(%q) = %v; nothing is close to frobnicate", c.q, err)
		}
		var pe *Error
		if err == nil || !errorsAs(err, &pe) || !strings.Contains(pe.Msg, c.mention) || pe.Line != c.line || pe.Col != c.col {
			t.Errorf("Parse(%q) = %v; want an error mentioning %q at line %d, column %d", c.q, err, c.mention, c.line, c.col)
		}
	}
}

func errorsAs(err error, pe **Error) bool {
	e, ok := err.(*Error)
	*pe = e
	return ok
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"fields @timestamp, @message | sort @timestamp desc | limit 20",
		"filter @message like /ERROR/ | stats count(*) by bin(5m)",
		"stats avg(@duration), pct(@duration, 95), pct(@duration, 99) by bin(5m)",
		`parse @message "user=* action=*" as user, action | stats count(*) by user`,
		`parse @message /(?<ip>\d+\.\d+\.\d+\.\d+)/ | filter isIpv4InSubnet(ip, "10.0.0.0/8")`,
		"fields `odd-name` * 2 as x | filter x in [1, 2, 3] and not y =~ /z/ | dedup x",
		"stats count(*) as c by bin(1m) | stats max(c) by bin(1h)",
		"filter (a > 1 or b < 2) and -c ^ 2 % 3 != 4",
	} {
		f.Add(s)
	}
	evs := events(20)
	f.Fuzz(func(t *testing.T, q string) {
		p, err := Parse(q)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Parse(%q) returned %T, want *Error", q, err)
			}
			return
		}
		want, err := p.Run(slices.Values(evs), 100)
		if err != nil {
			t.Fatalf("Run(%q): %v", q, err)
		}
		// read in two parts cut at a bin's start (concurrently when the query allows it): the
		// same answer
		cut := len(evs) / 2
		if start, ok := p.BinFloor(evs[cut].Timestamp); ok {
			cut = sort.Search(len(evs), func(j int) bool { return evs[j].Timestamp >= start })
		}
		got, err := p.RunParts([]iter.Seq[*Event]{slices.Values(evs[:cut]), slices.Values(evs[cut:])}, 100, Snapshots{})
		if err != nil || fmt.Sprint(got.Rows) != fmt.Sprint(want.Rows) {
			t.Fatalf("RunParts(%q) = %v, %v; Run's rows are %v", q, got, err, want.Rows)
		}
	})
}

// The fast paths (scanJSON, lookupJSON) agree with encoding/json's reading of the same messages.
func TestFastJSONAgreesWithSlowPath(t *testing.T) {
	msgs := []string{
		`{"a":1,"b":"x","c":{"d":[1,{"e":"f"}]},"g":true,"h":null,"@i":-2.5e3}`,
		`{ "a" : 1 , "b" : "x y" }`,
		`{"esc":"a\"b","n":3}`,
		`{}`, `[1,2]`, `{"a":1`, `not json`, `{"a":1e999}`,
		`{"L":[1.5,2],"o":{"x":1},"b":1}`, `{"L":{},"e":[]}`,
	}
	for _, m := range msgs {
		var slow []Field
		if strings.HasPrefix(strings.TrimSpace(m), "{") {
			slow = slowDiscover(m)
		}
		fast := Discover(m, false)
		slices.SortFunc(fast, func(a, b Field) int { return strings.Compare(a.Name, b.Name) })
		if fmt.Sprint(fast) != fmt.Sprint(slow) {
			t.Errorf("%s: Discover %v, encoding/json %v", m, fast, slow)
		}
		for _, f := range slow {
			if f.Name[0] == '@' || strings.Contains(f.Name, ".") {
				continue
			}
			ev := &Event{Message: m, Lazy: LazyJSON}
			if got := ev.Get(f.Name); got != f.Value {
				t.Errorf("%s: lazy Get(%s) = %v, want %v", m, f.Name, got, f.Value)
			}
		}
		for _, name := range []string{"zz", "L", "o", "e"} {
			if slices.ContainsFunc(slow, func(f Field) bool { return f.Name == name }) {
				continue
			}
			ev := &Event{Message: m, Lazy: LazyJSON}
			if got := ev.Get(name); got.K != Null {
				t.Errorf("%s: Get(%s) = %v, want null", m, name, got)
			}
		}
	}
}

// slowDiscover is Discover's encoding/json path alone.
func slowDiscover(m string) []Field {
	dec := json.NewDecoder(strings.NewReader(m))
	dec.UseNumber()
	var v map[string]any
	if dec.Decode(&v) != nil {
		return nil
	}
	var out []Field
	flatten("", true, v, &out)
	return out
}

// FuzzDiscover: no panic, and the fast scanner agrees with encoding/json whenever it answers.
func FuzzDiscover(f *testing.F) {
	for _, s := range []string{`{"a":1,"b":"x","c":{"d":[1,{"e":"f"}]}}`, `{"@x":true}`, `{"a":"\u00e9"}`, `{}`, `[1]`,
		"REPORT RequestId: x\tDuration: 1.5 ms\tMemory Size: 128 MB", `{"a":-0.5e-3,"b":null}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, msg string) {
		Discover(msg, true)
		fast, ok := scanJSON(strings.TrimSpace(msg))
		if !ok {
			return
		}
		raw := jsonScanner{s: strings.TrimSpace(msg)}
		raw.value("", true)
		if len(dedupFields(slices.Clone(raw.out))) != len(raw.out) {
			return // repeated members: the first counts here, the last in encoding/json
		}
		slow := slowDiscover(strings.TrimSpace(msg))
		if slow == nil {
			return // the fast path is more lenient about control characters in strings
		}
		slices.SortStableFunc(fast, func(a, b Field) int { return strings.Compare(a.Name, b.Name) })
		slices.SortStableFunc(slow, func(a, b Field) int { return strings.Compare(a.Name, b.Name) })
		if fmt.Sprint(fast) != fmt.Sprint(slow) {
			t.Fatalf("%q: fast %v, encoding/json %v", msg, fast, slow)
		}
		for _, f := range slow {
			if f.Name == "" || f.Name[0] == '@' || strings.Contains(f.Name, ".") {
				continue
			}
			if v, sure := lookupJSON(strings.TrimSpace(msg), f.Name); sure && v != f.Value {
				t.Fatalf("%q: lookupJSON(%q) = %v, encoding/json %v", msg, f.Name, v, f.Value)
			}
		}
		// a member that is an object or an array is no field of its own name
		for _, f := range slow {
			name, _, nested := strings.Cut(f.Name, ".")
			if !nested || name == "" || name[0] == '@' || slices.ContainsFunc(slow, func(g Field) bool { return g.Name == name }) {
				continue
			}
			if v, sure := lookupJSON(strings.TrimSpace(msg), name); sure && v.K != Null {
				t.Fatalf("%q: lookupJSON(%q) = %v, encoding/json has no such field", msg, name, v)
			}
		}
	})
}

// RunPartial's snapshots are what Run would return over the events read so far.
func TestRunPartial(t *testing.T) {
	evs := events(1000)
	for _, q := range []string{
		"stats count(*) as n, pct(lat, 90) by ep",
		"fields lat | filter lat > 100 | limit 7",
		"fields lat, ep | sort lat desc | dedup ep",
	} {
		p, err := Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		calls := 0
		final, err := p.RunPartial(slices.Values(evs), 0, Snapshots{Every: 300, Take: func(rows [][]ResultField, matched, scanned, bytes float64) {
			calls++
			// a snapshot after k events equals Run over those k events
			k := int(scanned)
			want, _ := p.Run(slices.Values(evs[:k]), 0)
			if fmt.Sprint(rows) != fmt.Sprint(want.Rows) || matched != want.RecordsMatched || bytes != want.BytesScanned {
				t.Errorf("%s: snapshot after %d events differs from Run over them:\n%v\n%v", q, k, head2(rows), head2(want.Rows))
			}
		}})
		if err != nil || calls != 3 {
			t.Fatalf("%s: %v, %d snapshots; want 3", q, err, calls)
		}
		want, _ := p.Run(slices.Values(evs), 0)
		if fmt.Sprint(final.Rows) != fmt.Sprint(want.Rows) {
			t.Errorf("%s: RunPartial's result differs from Run's", q)
		}
	}
}

// A snapshot is taken only when Due says so.
func TestRunPartialDue(t *testing.T) {
	evs := events(1000)
	p, err := Parse("stats count(*) as n")
	if err != nil {
		t.Fatal(err)
	}
	checks, taken := 0, []float64{}
	_, err = p.RunPartial(slices.Values(evs), 0, Snapshots{Every: 100,
		Due:  func() bool { checks++; return checks == 4 },
		Take: func(rows [][]ResultField, matched, scanned, bytes float64) { taken = append(taken, scanned) }})
	if err != nil || checks != 9 || fmt.Sprint(taken) != "[400]" {
		t.Errorf("err %v, Due asked %d times (want 9: after 100, 200, ... 900 events), snapshots after %v events (want [400])", err, checks, taken)
	}
}

func head2(r [][]ResultField) [][]ResultField {
	if len(r) > 3 {
		return r[:3]
	}
	return r
}

// The fast path of `[filter ispresent(f) |] stats ... of f by bin(p)` answers exactly as the
// general evaluation: the same query with a no-op `fields f` (which the fast path does not
// take) gives the same rows, with events that lack the field, text values and lazy events.
func TestBinStatsFastPathAgrees(t *testing.T) {
	evs := events(3000)
	for i := 0; i < len(evs); i += 7 {
		evs[i] = &Event{Timestamp: evs[i].Timestamp, Message: `{"ep":"/x","lat":"slow"}`, Lazy: LazyJSON}
	}
	for i := 3; i < len(evs); i += 11 {
		evs[i] = &Event{Timestamp: evs[i].Timestamp, Message: `{"ep":"/y"}`, Lazy: LazyJSON}
	}
	aggs := "pct(lat, 99), pct(lat, 50) as p50, count(*) as n, count(lat), avg(lat), min(lat), max(lat), sum(lat), stddev(lat), earliest(lat), latest(lat), count_distinct(lat)"
	for _, q := range []string{
		"filter ispresent(lat) | stats " + aggs + " by bin(1m)",
		"stats " + aggs + " by bin(5m)",
		"filter ispresent(lat) | filter ispresent(lat) | stats " + aggs + " by bin(1h) | sort n desc | limit 3",
		"stats count(*) by bin(30s)",
	} {
		slow := strings.Replace(q, "stats", "fields lat | stats", 1)
		fresh := func() []*Event { // lazy events are discovered in place: a fresh copy per run
			out := make([]*Event, len(evs))
			for i, e := range evs {
				c := *e
				out[i] = &c
			}
			return out
		}
		got, want := run(t, q, fresh()), run(t, slow, fresh())
		if len(got) == 0 || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s:\nfast    %v\ngeneral %v", q, got, want)
		}
	}
}

// Events whose fields IndexColumns put in columns answer every query as they do without.
func TestIndexColumnsAgrees(t *testing.T) {
	plain := events(2000)
	for i := 0; i < len(plain); i += 9 { // a field that is text in some events
		plain[i].Fields = Discover(`{"ep":"/x","lat":"slow","n":1}`, false)
	}
	plain[5].Fields = []Field{{"lat", Str("first")}, {"lat", Num(3)}} // a repeated name: the first counts
	slab := make([]Event, len(plain))
	indexed := make([]*Event, len(plain))
	for i, e := range plain {
		slab[i] = *e
		indexed[i] = &slab[i]
	}
	IndexColumns(slab)
	if slab[1].cols == nil {
		t.Fatal("IndexColumns made no columns")
	}
	for _, q := range []string{
		"filter ispresent(lat) | stats pct(lat, 99), count(*), avg(lat) by bin(5m)",
		"stats sum(lat), max(nested.a.b), count(n) by ep",
		"filter lat > 100 | fields lat, ep, nested.a.b | sort lat desc | limit 20",
		"fields lat | filter ispresent(lat) | stats count(*) as n, count_distinct(lat) by ok",
	} {
		got, want := run(t, q, indexed), run(t, q, plain)
		if len(got) == 0 || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s:\nindexed %v\nplain   %v", q, got, want)
		}
	}
}

// RunParts answers as Run does, to the bit, whether it reads its parts concurrently (a stats by
// bin() over parts split at the bins' starts: each part read once) or in turn (any other query,
// or parts split inside a bin: a group would span two parts).
func TestRunParts(t *testing.T) {
	// the events twice: as they are (fields in Fields) and stored in two blocks of columns
	// (IndexColumns), as the local Logs stores a batch
	plain := events(3000)
	block := make([]Event, len(plain))
	for i, ev := range plain {
		block[i] = *ev
	}
	IndexColumns(block[:1700])
	IndexColumns(block[1700:])
	indexed := make([]*Event, len(block))
	for i := range block {
		indexed[i] = &block[i]
	}
	for _, q := range []string{
		"stats pct(lat, 99), count(*), avg(lat), stddev(lat), sum(lat), min(lat), max(lat) by bin(5m)",
		"filter ispresent(lat) | stats pct(lat, 50) as p50, count(*) as n by bin(1h)",
		"filter lat > 100 | stats avg(lat), count_distinct(ep), earliest(ep), latest(ep) by ep, bin(10m)",
		"stats count(*) as n by bin(1h), ok | sort n desc | limit 5",
		"fields lat * 2 as dbl | stats max(dbl) by bin(30m) | filter `max(dbl)` > 700",
		"stats count(*) as n by bin(1h) | stats sum(n) as total",
		"stats pct(lat, 90) by ep",                     // no bin: in turn
		"fields ep, lat | filter lat > 300 | limit 20", // raw: in turn
		"stats count(*) by bin(1w)",                    // one week: all in the first part
	} {
		p, err := Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		for _, evs := range [][]*Event{plain, indexed} {
			want, err := p.Run(slices.Values(evs), 0)
			if err != nil {
				t.Fatal(err)
			}
			_, binned := p.BinFloor(0)
			for _, cut := range []string{"bins", "inside"} {
				// three parts of about a third of the events each, cut at the start of the bin of
				// the event there, or inside its bin
				var bounds []int
				for k := 1; k < 3; k++ {
					i := k * len(evs) / 3
					if binned {
						start, _ := p.BinFloor(evs[i].Timestamp)
						if cut == "bins" {
							i = sort.Search(len(evs), func(j int) bool { return evs[j].Timestamp >= start })
						} else if prev, _ := p.BinFloor(evs[i-1].Timestamp); prev != start {
							i++ // evs[i-1] and evs[i] in one bin
						}
					}
					bounds = append(bounds, i)
				}
				bounds = append([]int{0}, append(bounds, len(evs))...)
				reads := make([]int, 3)
				var parts []iter.Seq[*Event]
				for k := range 3 {
					parts = append(parts, func(yield func(*Event) bool) {
						reads[k]++
						for _, ev := range evs[bounds[k]:bounds[k+1]] {
							if !yield(ev) {
								return
							}
						}
					})
				}
				got, err := p.RunParts(parts, 0, Snapshots{})
				if err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(got.Rows) != fmt.Sprint(want.Rows) || got.RecordsMatched != want.RecordsMatched ||
					got.RecordsScanned != want.RecordsScanned || got.BytesScanned != want.BytesScanned {
					t.Errorf("%s (parts cut %s): RunParts differs from Run:\n%v\n%v", q, cut, head2(got.Rows), head2(want.Rows))
				}
				want := "[1 1 1]" // concurrently, or in turn
				if binned && cut == "inside" {
					want = "[2 2 2]" // concurrently, then in turn
				}
				if fmt.Sprint(reads) != want {
					t.Errorf("%s (parts cut %s): parts read %v times, want %s", q, cut, reads, want)
				}
			}
		}
	}
}

// Snapshots of a concurrent RunParts hold what every part has read: count(*) over them is the
// records matched so far.
func TestRunPartsSnapshots(t *testing.T) {
	evs := events(6000)
	p, err := Parse("stats count(*) as n by bin(1h)")
	if err != nil {
		t.Fatal(err)
	}
	var parts []iter.Seq[*Event]
	for k := range 2 {
		start, _ := p.BinFloor(evs[3000].Timestamp)
		i := sort.Search(len(evs), func(j int) bool { return evs[j].Timestamp >= start })
		parts = append(parts, slices.Values([][]*Event{evs[:i], evs[i:]}[k]))
	}
	snaps := 0
	res, err := p.RunParts(parts, 0, Snapshots{Every: 500, Take: func(rows [][]ResultField, matched, scanned, bytes float64) {
		snaps++
		total := 0.0
		for _, r := range rows {
			n, _ := strconv.ParseFloat(r[1].Value, 64)
			total += n
		}
		if total != matched || matched != scanned || matched <= 0 {
			t.Errorf("snapshot: count(*) %v over its rows, %v matched, %v scanned", total, matched, scanned)
		}
	}})
	if err != nil || res.RecordsMatched != 6000 {
		t.Fatalf("%v, %v matched", err, res.RecordsMatched)
	}
	if snaps < 10 {
		t.Errorf("%d snapshots of 6,000 events read 500 at a time by two parts, want 11", snaps)
	}
}

// A panic while a query runs (here: in its events' iterator) is an error of that query, never a
// crash of the process that runs it, nor a deadlock of the other parts.
func TestPanicIsAnError(t *testing.T) {
	evs := events(3000)
	p, err := Parse("stats count(*) by bin(1h)")
	if err != nil {
		t.Fatal(err)
	}
	start, _ := p.BinFloor(evs[1500].Timestamp)
	cut := sort.Search(len(evs), func(j int) bool { return evs[j].Timestamp >= start })
	bad := func(yield func(*Event) bool) {
		for i, ev := range evs[cut:] {
			if i == 700 {
				panic("a broken event source")
			}
			if !yield(ev) {
				return
			}
		}
	}
	snap := Snapshots{Every: 100, Take: func([][]ResultField, float64, float64, float64) {}}
	for name, run := range map[string]func() (*Result, error){
		"RunParts":   func() (*Result, error) { return p.RunParts([]iter.Seq[*Event]{slices.Values(evs[:cut]), bad}, 0, snap) },
		"RunPartial": func() (*Result, error) { return p.RunPartial(bad, 0, snap) },
	} {
		res, err := run()
		if err == nil || res != nil || !strings.Contains(err.Error(), "internal error") || !strings.Contains(err.Error(), "a broken event source") {
			t.Errorf("%s: %v, %v; want an internal error naming the panic", name, res, err)
		}
	}
}

// An event reads a field from its block's columns exactly as from its Fields: numbers, strings,
// values of other kinds, absent fields, repeated names, a block with more distinct strings than a
// text column holds, and more names than it has columns.
func TestIndexColumnsAgreesWithFields(t *testing.T) {
	const n = 6000
	plain := make([]Event, n)
	var names []string
	for i := range 40 {
		names = append(names, fmt.Sprintf("f%d", i))
	}
	names = append(names, "absent", "@timestamp", "@message", "id", "mixed", "odd", "dup")
	for i := range plain {
		var fs []Field
		many := func() {
			for k := range 40 {
				if (i+k)%7 == 0 {
					continue // absent in some events
				}
				if k%2 == 0 {
					fs = append(fs, Field{names[k], Num(float64(i*k%13) - 6)})
				} else {
					fs = append(fs, Field{names[k], Str(fmt.Sprintf("v%d", (i+k)%5))})
				}
			}
		}
		fs = append(fs, Field{"id", Str(fmt.Sprintf("req-%d", i))}) // 5,000 distinct in a block: past the dictionary
		switch i % 4 {                                              // a number, text, a number as text, missing
		case 0:
			fs = append(fs, Field{"mixed", Num(float64(i))})
		case 1:
			fs = append(fs, Field{"mixed", Str("n/a")})
		case 2:
			fs = append(fs, Field{"mixed", Str("12")})
		}
		if i%9 == 0 {
			fs = append(fs, Field{"odd", Millis(int64(i))}) // a kind Discover never makes
		} else if i%3 == 0 {
			fs = append(fs, Field{"odd", Str("x")})
		}
		fs = append(fs, Field{"dup", Num(1)}, Field{"dup", Str("second")}) // the first counts
		many()                                                             // then 40 more names: past the columns
		plain[i] = Event{Timestamp: int64(i), Message: fmt.Sprint(i), Fields: fs}
	}
	indexed := slices.Clone(plain)
	IndexColumns(indexed[:1000])
	IndexColumns(indexed[1000:])
	cursors := make([]columnCursor, len(names))
	for i := range plain {
		for k, name := range names {
			want := plain[i].Get(name)
			got := indexed[i].Get(name)
			viaCursor := cursors[k].get(&indexed[i], name)
			if got != want || viaCursor != want {
				t.Fatalf("event %d, %s: Get %v, through a cursor %v; from Fields %v", i, name, got, viaCursor, want)
			}
		}
	}
}
