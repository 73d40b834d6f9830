package cwnb

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/cwnb/cwnb/cwnb/cwstat"
	"github.com/cwnb/cwnb/cwnb/metricmath"
	"github.com/cwnb/cwnb/cwnb/ts"
)

// Dims are CloudWatch dimensions of a metric, name → value. Order does not matter.
type Dims map[string]string

// text returns the dimensions as "Name=Value,Name=Value", sorted by name.
func (d Dims) text() string {
	names := d.names()
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n + "=" + d[n]
	}
	return strings.Join(parts, ",")
}

func (d Dims) names() []string {
	names := make([]string, 0, len(d))
	for n := range d {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Metric describes one CloudWatch metric and the statistics to load for it. Zero fields mean:
//
//   - ID: "m1", "m2", ... by position in Query.Metrics. With several Stats the query ids are
//     ID + "_" + a form of the statistic safe in an id ("lat_avg", "lat_p99", "lat_p99_9",
//     "lat_tm10_90"); with one statistic the id is ID itself. Expressions refer to these ids.
//   - Stats: []string{"Average"}. Every CloudWatch spelling is accepted: Average, Sum, Minimum,
//     Maximum, SampleCount, pNN.NN, TM(a%:b%), WM(..), TC(..), TS(..), PR(a:b), IQM, tm99.
//   - Unit: no unit filter (CloudWatch returns the data whatever unit it was published with).
//   - Period: the Query's period.
//   - Label: Name and statistic ("Latency p99"); with a Label and several Stats, Label + " " + stat.
//     The label is the series' column name; Result.Columns gives the whole naming rule.
//   - AccountID: the caller's account; set it to read a source account of cross-account observability.
//   - Hidden: false. A hidden metric is sent with ReturnData false: only expressions see it.
type Metric struct {
	ID        string
	Namespace string
	Name      string
	Dims      Dims
	Stats     []string
	Unit      string
	Period    time.Duration
	Label     string
	AccountID string
	Hidden    bool
}

// Expression is a CloudWatch expression query: metric math over other queries of the same Query
// by id ("errors / invocations * 100"), a SEARCH ("SEARCH('{AWS/EC2,InstanceId} CPUUtilization',
// 'Average')") or a Metrics Insights SQL query ("SELECT AVG(CPUUtilization) FROM ...").
// Zero fields mean: ID "e1", "e2", ... by position; Label, for metric math, the expression with
// each id replaced by that query's label ("Errors Sum / Invocations Sum * 100"), and for SEARCH and
// SQL what CloudWatch returns per series; Unit "%" for a ratio times 100 ("a / b * 100"), else
// none; Period the Query's period; AccountID the caller's account; Hidden false.
type Expression struct {
	ID        string
	Expr      string
	Label     string
	Unit      string // the unit of the result, for charts ("%", "Milliseconds", "Count/Second")
	Period    time.Duration
	AccountID string
	Hidden    bool
}

// Query is one load: metrics, expressions, a window, a period and what to do with gaps.
// Zero fields mean:
//
//   - Period: automatic, from the window's length and CloudWatch's retention (see AutoPeriod);
//     the chosen period is reported in Result.Period and Result.Notes.
//   - Regions: the loader's region. Several regions load the same queries from each into one
//     result; the wide frame's columns then carry the region and the long frame has a region column.
//   - Fill: ts.FillNaN, a missing period is NaN.
//   - MaxGap: no limit for ts.FillForward and ts.FillLinear.
//
// Queries may have different periods if each is a multiple of the finest: the frame's grid is the
// finest period, and a coarser series has its values at its own period starts (NaN between, unless
// filled). The window is aligned to the coarsest period.
type Query struct {
	Title       string
	Metrics     []Metric
	Expressions []Expression
	Window      Window
	Period      time.Duration
	Regions     []string
	Fill        ts.FillPolicy
	MaxGap      time.Duration

	err error // from a string-parsing constructor, reported by Load
}

// Window returns a Query for m over start (RFC 3339) and length: a duration such as "24h", "90m",
// "7d", or an RFC 3339 end time. A bad string is reported by Load, which names it.
func (m Metric) Window(start, length string) Query {
	w, err := parseWindow(start, length)
	return Query{Metrics: []Metric{m}, Window: w, err: err}
}

// last returns a Query for m over the last length ("24h", "7d") before now minus the delay.
// A bad string is reported by Load.
func (m Metric) last(length string) Query {
	d, err := parseLength(length)
	if err != nil {
		err = fmt.Errorf("window length %q: %w", length, err)
	}
	return Query{Metrics: []Metric{m}, Window: Last(d), err: err}
}

// over returns a Query for m over w.
func (m Metric) over(w Window) Query {
	return Query{Metrics: []Metric{m}, Window: w}
}

// With returns a copy of q with more metrics or expressions: each argument is a Metric or an
// Expression. Anything else is a programming mistake and panics.
func (q Query) with(parts ...any) Query {
	q.Metrics = append([]Metric(nil), q.Metrics...)
	q.Expressions = append([]Expression(nil), q.Expressions...)
	for _, p := range parts {
		switch p := p.(type) {
		case Metric:
			q.Metrics = append(q.Metrics, p)
		case Expression:
			q.Expressions = append(q.Expressions, p)
		default:
			panic(fmt.Sprintf("cwnb: Query.With takes Metric or Expression values, not %T", p))
		}
	}
	return q
}

var idPattern = regexp.MustCompile(`^[a-z][A-Za-z0-9_]*$`)

// ErrInvalid is wrapped by every error about a query that cannot be answered as given: a bad
// field or investigation file, a window in the future or past CloudWatch's retention, a load too
// big for memory. Nothing was asked of CloudWatch.
var ErrInvalid = errors.New("invalid query")

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// exprKind says what an expression or query computes.
type exprKind int

const (
	kindMetric exprKind = iota
	kindMath
	kindSearch
	kindSQL
)

func (k exprKind) String() string {
	return [...]string{"metric", "math", "search", "sql"}[k]
}

// unit is one MetricDataQuery of the request, before regions are applied.
type unit struct {
	id     string
	kind   exprKind
	metric *Metric // kindMetric
	stat   string  // canonical statistic, kindMetric
	expr   string  // expression text
	label  string  // label sent ("" lets CloudWatch choose)
	period time.Duration
	acct   string
	hidden bool
	refs   []string // direct references (math)
	order  int
	unit   string // the result's unit: Metric.Unit, Expression.Unit, or derived
	named  string // the readable label of metric math without a Label (not sent to CloudWatch)
}

// statID turns a statistic into a string usable in a query id: "Average" → "avg",
// "p99.9" → "p99_9", "TM(10%:90%)" → "tm10_90".
func statID(stat string) string {
	switch stat {
	case "Average":
		return "avg"
	case "Sum":
		return "sum"
	case "Minimum":
		return "min"
	case "Maximum":
		return "max"
	case "SampleCount":
		return "n"
	}
	var b strings.Builder
	lastUnderscore := false
	for _, r := range strings.ToLower(stat) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			lastUnderscore = false
		case r == '%', r == '(', r == ')':
		default:
			if !lastUnderscore && b.Len() > 0 {
				b.WriteByte('_')
				lastUnderscore = true
			}
		}
	}
	return strings.TrimRight(b.String(), "_")
}

// validPeriod reports whether p is a period CloudWatch accepts.
func validPeriod(p time.Duration) error {
	if p == 0 {
		return nil
	}
	if p < 0 {
		return fmt.Errorf("period %v is negative; use 1m or a multiple of it", p)
	}
	switch p {
	case time.Second, 5 * time.Second, 10 * time.Second, 20 * time.Second, 30 * time.Second:
		return nil
	}
	if p%time.Minute != 0 {
		lo := p / time.Minute * time.Minute
		if lo == 0 {
			return fmt.Errorf("period %v is not allowed; use 1s, 5s, 10s, 20s, 30s (high-resolution metrics) or a multiple of 60s", p)
		}
		return fmt.Errorf("period %v is not a multiple of 60s; use %v or %v", p, fmtDur(lo), fmtDur(lo+time.Minute))
	}
	return nil
}

// units validates q's metrics and expressions and turns them into queries, in request order.
func (q *Query) units() ([]*unit, error) {
	if err := q.check(); err != nil {
		return nil, err
	}
	b := &unitBuilder{byID: map[string]*unit{}}
	for i := range q.Metrics {
		if err := b.addMetric(&q.Metrics[i], i); err != nil {
			return nil, err
		}
	}
	for i := range q.Expressions {
		if err := b.addExpression(&q.Expressions[i], i); err != nil {
			return nil, err
		}
	}
	if err := b.checkRefs(); err != nil {
		return nil, err
	}
	for _, u := range b.us {
		if !u.hidden {
			return b.us, nil
		}
	}
	return nil, invalidf("every metric and expression is Hidden; show at least one")
}

// check validates the parts of q that are not its metrics and expressions.
func (q *Query) check() error {
	if q.err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, q.err)
	}
	if len(q.Metrics) == 0 && len(q.Expressions) == 0 {
		return invalidf("the query has no metrics and no expressions; set Query.Metrics or Query.Expressions")
	}
	if err := validPeriod(q.Period); err != nil {
		return invalidf("query %v", err)
	}
	if q.Fill != ts.FillNaN && q.Fill != ts.FillZero && q.Fill != ts.FillForward && q.Fill != ts.FillLinear {
		return invalidf("fill %v is not one the loader applies; use ts.FillNaN, ts.FillZero, ts.FillForward or ts.FillLinear", q.Fill)
	}
	if q.MaxGap < 0 {
		return invalidf("max gap %v is negative; use 0 for no bound or a duration such as 5m", q.MaxGap)
	}
	return nil
}

// unitBuilder collects the queries of a load, checking their ids.
type unitBuilder struct {
	us   []*unit
	byID map[string]*unit
}

func (b *unitBuilder) add(u *unit, what string) error {
	if !idPattern.MatchString(u.id) {
		return invalidf("%s: id %q is not a valid query id; use a lower-case letter followed by letters, digits or _ (for example %q)", what, u.id, "lat")
	}
	if _, dup := b.byID[u.id]; dup {
		return invalidf("%s: id %q is used twice; give each metric, statistic and expression its own id", what, u.id)
	}
	u.order = len(b.us)
	b.byID[u.id] = u
	b.us = append(b.us, u)
	return nil
}

// addMetric adds one query per statistic of m, the i-th metric.
func (b *unitBuilder) addMetric(m *Metric, i int) error {
	what := fmt.Sprintf("metric %d (%s)", i+1, m.Name)
	if m.Namespace == "" {
		return invalidf("%s: namespace is empty; set Namespace, for example %q", what, "AWS/EC2")
	}
	if m.Name == "" {
		return invalidf("metric %d in %s: name is empty; set Name, for example %q", i+1, m.Namespace, "CPUUtilization")
	}
	if len(m.Dims) > 30 {
		return invalidf("%s: %d dimensions; CloudWatch allows at most 30", what, len(m.Dims))
	}
	for k, v := range m.Dims {
		if k == "" || v == "" {
			return invalidf("%s: dimension %q=%q has an empty name or value; give both (use SEARCH for a wildcard)", what, k, v)
		}
	}
	if err := validPeriod(m.Period); err != nil {
		return invalidf("%s: %v", what, err)
	}
	stats := m.Stats
	if len(stats) == 0 {
		stats = []string{"Average"}
	}
	base := m.ID
	if base == "" {
		base = fmt.Sprintf("m%d", i+1)
	}
	seen := map[string]bool{}
	for _, s := range stats {
		st, err := cwstat.Parse(s)
		if err != nil {
			return invalidf("%s: %v", what, err)
		}
		canon := st.String()
		if seen[canon] {
			return invalidf("%s: statistic %q is listed twice", what, s)
		}
		seen[canon] = true
		id, label := base, m.Label
		if len(stats) > 1 {
			id = base + "_" + statID(canon)
			if label != "" {
				label += " " + canon
			}
		}
		u := &unit{id: id, kind: kindMetric, metric: m, stat: canon, label: label,
			period: m.Period, acct: m.AccountID, hidden: m.Hidden, unit: m.Unit}
		if err := b.add(u, what); err != nil {
			return err
		}
	}
	return nil
}

// addExpression adds the query of e, the i-th expression.
func (b *unitBuilder) addExpression(e *Expression, i int) error {
	id := e.ID
	if id == "" {
		id = fmt.Sprintf("e%d", i+1)
	}
	what := fmt.Sprintf("expression %s", id)
	src := strings.TrimSpace(e.Expr)
	if src == "" {
		return invalidf("%s: Expr is empty; write metric math (\"m1 / m2 * 100\"), a SEARCH or a SELECT", what)
	}
	if len(src) > 2048 {
		return invalidf("%s: %d characters; CloudWatch allows at most 2,048 in an expression", what, len(src))
	}
	if err := validPeriod(e.Period); err != nil {
		return invalidf("%s: %v", what, err)
	}
	u := &unit{id: id, expr: src, label: e.Label, period: e.Period, acct: e.AccountID, hidden: e.Hidden, unit: e.Unit}
	if isSQL(src) {
		u.kind = kindSQL
		return b.add(u, what)
	}
	x, err := metricmath.Parse(src)
	if err != nil {
		return invalidf("%s: %v", what, err)
	}
	u.refs = x.Refs()
	u.kind = kindMath
	if u.unit == "" && isPercent(src) {
		u.unit = "%"
	}
	if len(x.Searches()) > 0 {
		u.kind = kindSearch
		if u.label == "" {
			u.label = searchLabel(src)
		}
		for _, a := range searchArgs(src) {
			if len(a[0]) > 1024 {
				return invalidf("%s: the SEARCH text is %d characters; CloudWatch allows at most 1,024: narrow the schema or terms", what, len(a[0]))
			}
		}
	}
	return b.add(u, what)
}

// checkRefs checks that every id an expression refers to exists and that no expression refers to
// itself, directly or not.
func (b *unitBuilder) checkRefs() error {
	ids := make([]string, 0, len(b.us))
	for _, u := range b.us {
		ids = append(ids, u.id)
	}
	for _, u := range b.us {
		for _, r := range u.refs {
			if r == u.id {
				return invalidf("expression %s refers to itself", u.id)
			}
			if _, ok := b.byID[r]; !ok {
				return invalidf("expression %s refers to %q, which is no query of this load; known ids: %s", u.id, r, strings.Join(ids, ", "))
			}
		}
	}
	state := map[string]int{}
	var visit func(id string, path []string) error
	visit = func(id string, path []string) error {
		switch state[id] {
		case 1:
			return invalidf("expressions refer to each other in a cycle: %s", strings.Join(append(path, id), " → "))
		case 2:
			return nil
		}
		state[id] = 1
		for _, r := range b.byID[id].refs {
			if err := visit(r, append(path, id)); err != nil {
				return err
			}
		}
		state[id] = 2
		return nil
	}
	for _, u := range b.us {
		if err := visit(u.id, nil); err != nil {
			return err
		}
	}
	return nil
}

func isSQL(src string) bool {
	f := strings.Fields(src)
	return len(f) > 0 && strings.EqualFold(f[0], "SELECT")
}

// searchArgs returns the first two string arguments (search text and statistic) of every
// SEARCH( in src; the statistic is "" when absent.
func searchArgs(src string) [][2]string {
	var out [][2]string
	up := strings.ToUpper(src)
	str := func(i int) (string, int, bool) {
		for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == ',') {
			i++
		}
		if i >= len(src) || (src[i] != '\'' && src[i] != '"') {
			return "", i, false
		}
		end := strings.IndexByte(src[i+1:], src[i])
		if end < 0 {
			return "", len(src), false
		}
		return src[i+1 : i+1+end], i + 2 + end, true
	}
	for i := 0; ; {
		j := strings.Index(up[i:], "SEARCH(")
		if j < 0 {
			return out
		}
		i += j + len("SEARCH(")
		text, k, ok := str(i)
		if !ok {
			continue
		}
		stat, k2, ok := str(k)
		if ok {
			k = k2
		}
		out = append(out, [2]string{text, stat})
		i = k
	}
}

// searchLabel returns the dynamic label cwnb gives the series of a SEARCH without a Label: the
// values of the schema's dimensions in name order, then the metric name, separated by spaces
// ("i-0abc CPUUtilization"), written with CloudWatch's ${PROP(...)} so that every series (even
// a lone one) is labelled the same way and Series can recover its dimensions. "" when the
// expression is more than one SEARCH or has no schema.
func searchLabel(src string) string {
	args := searchArgs(src)
	if len(args) != 1 {
		return ""
	}
	_, dims, ok := searchSchema(args[0][0])
	if !ok {
		return ""
	}
	parts := make([]string, 0, len(dims)+1)
	for _, d := range dims {
		parts = append(parts, "${PROP('Dim."+d+"')}")
	}
	return strings.Join(append(parts, "${PROP('MetricName')}"), " ")
}

// searchSchema returns the namespace and dimension names of the schema "{Namespace,Dim1,Dim2}"
// that opens a search text, unquoting "quoted" names; ok is false when there is none.
func searchSchema(text string) (namespace string, dims []string, ok bool) {
	text = strings.TrimSpace(text)
	if !strings.HasPrefix(text, "{") {
		return "", nil, false
	}
	end := strings.IndexByte(text, '}')
	if end < 0 {
		return "", nil, false
	}
	parts := strings.Split(text[1:end], ",")
	for i, p := range parts {
		p = strings.Trim(strings.TrimSpace(p), `"`)
		if i == 0 {
			namespace = p
		} else if p != "" {
			dims = append(dims, p)
		}
	}
	sort.Strings(dims)
	return namespace, dims, namespace != ""
}

// fmtDur formats a duration the way people write periods: 1m, 5m, 1h, 1d, 90s.
func fmtDur(d time.Duration) string {
	switch {
	case d == 0:
		return "0s"
	case d%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	case d%time.Second == 0:
		return fmt.Sprintf("%ds", d/time.Second)
	}
	return d.String()
}

// percentForm matches a ratio times 100, with or without parentheses: "a / b * 100",
// "100 * (a / b)", "(a/b)*100".
var percentForm = regexp.MustCompile(`^(?:\(?[a-z][A-Za-z0-9_]*/[a-z][A-Za-z0-9_]*\)?\*100(?:\.0*)?|100(?:\.0*)?\*\(?[a-z][A-Za-z0-9_]*/[a-z][A-Za-z0-9_]*\)?)$`)

// isPercent reports whether a metric-math expression is a ratio of two queries times 100.
func isPercent(src string) bool {
	return percentForm.MatchString(strings.Join(strings.Fields(src), ""))
}

// idToken finds query ids in an expression.
var idToken = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

// mathLabel is the readable label of a metric-math query without a Label: its expression with
// every id of another query replaced by that query's label, spaces around operators as written.
// Function names and ids without a label stay as they are. "" for a query that is not math.
func mathLabel(u *unit, byID map[string]*unit) string {
	if u.kind != kindMath || u.label != "" {
		return ""
	}
	refs := map[string]bool{}
	for _, r := range u.refs {
		refs[r] = true
	}
	return idToken.ReplaceAllStringFunc(u.expr, func(id string) string {
		if r := byID[id]; refs[id] && r != nil && r.label != "" {
			return r.label
		}
		if r := byID[id]; refs[id] && r != nil && r.named != "" {
			return "(" + r.named + ")"
		}
		return id
	})
}
