package metricmath

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name        string
		expr        string
		pos         int      // byte offset of the reported token; -1: whole expression
		want        []string // substrings of the message
		unsupported bool
	}{
		{"empty", "  ", -1, []string{"empty"}, false},
		{"ends early", "m1 +", 4, []string{"ends too early"}, false},
		{"stray paren", "m1 + )", 5, []string{`unexpected ")"`, "column 6"}, false},
		{"unclosed paren", "(m1 + 2", 7, []string{`")" to close the "(" at column 1`}, false},
		{"unclosed array", "[m1, m2", 7, []string{`"]"`}, false},
		{"empty array", "SUM([])", 4, []string{"empty array"}, false},
		{"lower-case function", "sum(m1)", 0, []string{"write SUM(...)"}, false},
		{"id called as function", "foo(m1)", 0, []string{"is an id, not a function", "supported: ABS"}, false},
		{"unsupported function", "ANOMALY_DETECTION_BAND(m1, 2)", 0,
			[]string{"function ANOMALY_DETECTION_BAND is not supported by cwnb's metric math", "supported: ABS, AVG"}, true},
		// Issue 11, item 7: a documented function the local evaluation does not compute is named
		// as such, not called unknown.
		{"DB_PERF_INSIGHTS unsupported", "m1/DB_PERF_INSIGHTS('RDS', 'db-ABC', 'db.load.avg')", 3,
			[]string{"function DB_PERF_INSIGHTS is not supported", "documented CloudWatch function"}, true},
		{"unknown function", "FOO(m1)", 0, []string{"unknown function FOO", "supported:"}, false},
		{"mixed-case function", "Sum(m1)", 0, []string{"write SUM(...)"}, false},
		{"bare upper-case name", "M1 * 2", 0, []string{"unknown name M1", "lower-case"}, false},
		{"function without parentheses", "SUM + m1", 0, []string{"SUM needs parentheses"}, false},
		{"bad FILL keyword", "FILL(m1, ZERO)", 9, []string{"ZERO is not valid here", "REPEAT, LINEAR"}, false},
		{"bad SORT order", "SORT(METRICS(), AVG, DOWN)", 21, []string{"ASC, DESC"}, false},
		{"SORT function not a keyword", "SORT(METRICS(), 5, ASC)", 16, []string{"argument 2 of SORT must be one of AVG, MIN, MAX, SUM"}, false},
		{"SORT order not a keyword", "SORT(METRICS(), AVG, m1)", 21, []string{"argument 3 of SORT must be one of ASC, DESC"}, false},
		{"keyword outside function", "REPEAT", 0, []string{"unknown name REPEAT"}, false},
		{"lower-case keyword", "FILL(m1, linear)", 9, []string{"keywords are upper case; write LINEAR"}, false},
		{"single equals", "m1 = m2", 3, []string{`compare with "=="`}, false},
		{"single ampersand", "m1 & m2", 3, []string{`"&&"`, "AND"}, false},
		{"bang", "!m1", 0, []string{`"!="`}, false},
		{"bad number", "1.2.3", 0, []string{"not a number"}, false},
		{"number glued to name", "5m1", 0, []string{"neither a number nor an id"}, false},
		{"underscore id", "_m1", 0, []string{"[a-z][A-Za-z0-9_]*"}, false},
		{"typographic quote", "METRICS(“4xx”)", 8, []string{"straight quotes"}, false},
		{"unexpected character", "m1 # m2", 3, []string{`unexpected character "#"`}, false},
		{"unclosed string", "METRICS('abc", 8, []string{"not closed"}, false},
		{"too many args", "RATE(m1, m2)", 0, []string{"RATE takes 1 argument", "usage: RATE(m1)"}, false},
		{"too few args", "FILL(m1)", 0, []string{"FILL takes 2 arguments"}, false},
		{"METRICS takes a string", "METRICS(m1)", 8, []string{"must be a quoted string"}, false},
		{"string where series expected", "ABS('m1')", 4, []string{"a string is not valid as argument 1 of ABS"}, false},
		{"SEARCH query not a string", "SEARCH(m1, 'Average', 60)", 7, []string{"argument 1 of SEARCH must be a quoted string"}, false},
		{"SEARCH needs stat", "SEARCH('x')", 0, []string{"SEARCH takes 2 to 3 arguments"}, false},
		{"SEARCH empty stat", "SEARCH('x', ' ')", 12, []string{"statistic"}, false},
		{"SEARCH negative period", "SEARCH('x', 'Sum', -60)", 19, []string{"number of seconds"}, false},
		{"SEARCH fractional period", "SEARCH('x', 'Sum', 1.5)", 19, []string{"whole number of seconds"}, false},
		{"SEARCH bad query", "SEARCH('{AWS/EC2', 'Sum', 60)", 7, []string{"in the SEARCH query", "not closed"}, false},
		{"SEARCH cross account", "SEARCH(':aws.AccountId=123 CPU', 'Sum', 60)", 7, []string{"cross-account"}, true},
		{"Metrics Insights", "SELECT AVG(CPUUtilization) FROM SCHEMA(\"AWS/EC2\")", -1, []string{"Metrics Insights"}, true},
		{"too long", "m1" + strings.Repeat("+m1", 700), -1, []string{"at most 2048"}, false},
		{"trailing token", "m1 m2", 3, []string{`unexpected "m2"`}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.expr)
			if err == nil {
				t.Fatalf("Parse(%q) succeeded, want an error", tt.expr)
			}
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %v is %T, want *Error", tt.expr, err, err)
			}
			if pe.Pos != tt.pos {
				t.Errorf("Parse(%q) error at %d, want %d: %v", tt.expr, pe.Pos, tt.pos, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Parse(%q) error %q does not contain %q", tt.expr, err, w)
				}
			}
			if got := errors.Is(err, ErrUnsupported); got != tt.unsupported {
				t.Errorf("errors.Is(%v, ErrUnsupported) = %v, want %v", err, got, tt.unsupported)
			}
		})
	}
}

func TestRefs(t *testing.T) {
	tests := []struct {
		name string
		expr string
		want []string
	}{
		{"single", "m1", []string{"m1"}},
		{"order of appearance, deduplicated", "e2 - m1 + m1/e2 * FILL(m3, m1)", []string{"e2", "m1", "m3"}},
		{"METRICS adds none", "SUM(METRICS()) / requests", []string{"requests"}},
		{"inside arrays and functions", "AVG([a_1, bB2]) + PERIOD(c)", []string{"a_1", "bB2", "c"}},
		{"search has none", "SEARCH('m1', 'Sum', 60)", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Parse(tt.expr)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, e.Refs(), cmpOpts...); diff != "" {
				t.Errorf("Refs(%q) mismatch (-want +got):\n%s", tt.expr, diff)
			}
			if e.String() != tt.expr {
				t.Errorf("String() = %q, want %q", e.String(), tt.expr)
			}
		})
	}
}

func TestSearches(t *testing.T) {
	e, err := Parse(`SUM(SEARCH('{AWS/EC2,InstanceId} MetricName="CPUUtilization"', 'p99', 300)) + MAX(SEARCH("Errors", 'Sum'))`)
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		Text      string
		Namespace string
		Dims      []string
		Stat      string
		Period    time.Duration
	}
	var gs []got
	for _, q := range e.Searches() {
		g := got{Text: q.Text, Stat: q.Stat, Period: q.Period}
		if q.Schema != nil {
			g.Namespace, g.Dims = q.Schema.Namespace, q.Schema.Dims
		}
		gs = append(gs, g)
	}
	want := []got{
		{Text: `{AWS/EC2,InstanceId} MetricName="CPUUtilization"`, Namespace: "AWS/EC2", Dims: []string{"InstanceId"}, Stat: "p99", Period: 5 * time.Minute},
		{Text: "Errors", Stat: "Sum"},
	}
	if diff := cmp.Diff(want, gs); diff != "" {
		t.Errorf("Searches mismatch (-want +got):\n%s", diff)
	}
}

func TestParseAccepts(t *testing.T) {
	// Spellings CloudWatch documents; each must parse.
	for _, expr := range []string{
		"PERIOD(m1)/60", "5 * m1", "m1 - m2", "SUM(100/[m1, m2])", "AVG([m1,m2]/m3)", "METRICS()*100",
		"-5*m1", "SUM(-[m1, m2])", "ABS(m1-m2)", "MIN(ABS([m1, m2]))", "SUM([m1,m2])/AVG(m2)",
		"CEIL(METRICS())", "SUM(CEIL(METRICS()))", "SUM(m1) / DATAPOINT_COUNT(m1)", "DIFF_TIME(METRICS())",
		"FILL(m1,10)", "FILL(METRICS(), 0)", "FILL(METRICS(), m1)", "FILL(m1, MIN(m1))", "FILL(m1, REPEAT)",
		"FILL(METRICS(), LINEAR)", "IF(FIRST(SORT(METRICS(), AVG, DESC))>100, 1, 0)", "LOG10(m1)",
		"MAX(m1)/m1", "m1/METRIC_COUNT(METRICS())", `SUM(METRICS("errors"))`, "m1-MIN(m1)",
		"IF(DAY(m1)<6,m1)", "IF(MONTH(m1) == 4,m1)", "RATE(METRICS())", "REMOVE_EMPTY(METRICS())",
		"RUNNING_SUM([m1,m2])", "SLICE(SORT(METRICS(), SUM, DESC), 0, 10)", "SLICE(SORT(METRICS(), AVG, ASC), 5)",
		"SORT(METRICS(), MAX, ASC)", "SORT(METRICS(), AVG, DESC, 10)", "TIME_SERIES(MAX(m1))",
		"TIME_SERIES(5*AVG(m1))", "TIME_SERIES(10)", `SUM(METRICS("errors"))/SUM(METRICS("requests"))*100`,
		"IF((DAY(m1)<6 AND (HOUR(m1)>=9 AND HOUR(m1)<17)),m1)", "IF(latency>threshold, 1, 0)",
		`SEARCH(' {AWS/EC2,InstanceId} MetricName="CPUUtilization" ', 'Average', 300)`,
		`SUM(SEARCH(' {AWS/Lambda, FunctionName} MetricName="Errors" ', 'Sum', 300))`,
		"m1 || m2 OR m1 != 2 && m2 <= 3", ".5 * m1 + 1e3 - 2.5E-1",
	} {
		if _, err := Parse(expr); err != nil {
			t.Errorf("Parse(%q): %v", expr, err)
		}
	}
}

func TestSupportedFunctions(t *testing.T) {
	got := SupportedFunctions()
	for _, f := range []string{"ABS", "AVG", "FILL", "IF", "MAX", "METRICS", "MIN", "RATE", "DIFF", "SEARCH", "SUM"} {
		found := false
		for _, g := range got {
			found = found || g == f
		}
		if !found {
			t.Errorf("SupportedFunctions() lacks %s: %v", f, got)
		}
	}
	for name := range unsupportedFuncs {
		if _, ok := funcs[name]; ok {
			t.Errorf("%s is both supported and unsupported", name)
		}
	}
}

func TestErrorExcerpt(t *testing.T) {
	long := strings.Repeat("m1 + ", 100) + ") + " + strings.Repeat("m2 + ", 100) + "m3"
	_, err := Parse(long)
	if err == nil {
		t.Fatal("Parse succeeded")
	}
	msg := err.Error()
	// The column is that of the ")" (after 100 "m1 + "), and the quoted source is an excerpt
	// around it, not the whole 1,000-character expression.
	if !strings.Contains(msg, "column 501 ())") || !strings.Contains(msg, "...") || len(msg) > 300 {
		t.Errorf("error message %q (%d bytes): want column 501, an excerpt and under 300 bytes", msg, len(msg))
	}
	for _, tt := range []struct {
		s    string
		pos  int
		want string
	}{
		{"short", 2, "short"},
		{strings.Repeat("a", 100), 50, strings.Repeat("a", 100)},
		{strings.Repeat("a", 150) + "X" + strings.Repeat("b", 150), 150, "..." + strings.Repeat("a", 50) + "X" + strings.Repeat("b", 49) + "..."},
		{strings.Repeat("a", 200), 0, strings.Repeat("a", 100) + "..."},
		{strings.Repeat("a", 200), 200, "..." + strings.Repeat("a", 100)},
		// bytes [51, 151) widened to rune boundaries [50, 152): 51 runes of 2 bytes.
		{strings.Repeat("é", 100), 101, "..." + strings.Repeat("é", 51) + "..."},
	} {
		if got := excerpt(tt.s, tt.pos); got != tt.want {
			t.Errorf("excerpt(%q, %d) = %q, want %q", tt.s, tt.pos, got, tt.want)
		}
	}
}
