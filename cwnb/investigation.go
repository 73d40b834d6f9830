package cwnb

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/cwnb/cwnb/cwnb/alarm"
	"github.com/cwnb/cwnb/cwnb/internal/export"

	"gopkg.in/yaml.v3"

	"github.com/cwnb/cwnb/cwnb/cwstat"
	"github.com/cwnb/cwnb/cwnb/metricmath"
)

// investigation is a YAML investigation file, as readInvestigation reads it.
type investigation struct {
	Path     string // the file it was read from, if any
	Title    string
	Question string
	Query    Query
	// Alarms are the alarm definitions of the file's alarms: key (alarm.ParseYAML's format), to
	// replay or back-test with package alarm over the loaded data.
	Alarms []alarm.Definition
}

// readInvestigation reads and checks the investigation file at path and returns its Title,
// Question and Query (load it with Load(ctx, inv.Query)). The command reaches it as
// export.Investigation (cwnb get -file). An investigation file holds the
// question, the window and the metrics, as SREs write them. Example:
//
//	title: Is the average hiding our tail?
//	region: us-east-1
//	window: {start: 2026-11-19T00:00:00Z, length: 24h}   # or end: ..., or last: 24h
//	period: 1m
//	metrics:
//	  - id: lat
//	    namespace: MyService/API
//	    name: Latency
//	    stats: [Average, p99]          # or stat: p99
//	    dimensions: {Service: checkout}
//	expressions:
//	  - id: slow
//	    expression: lat_p99 / lat_avg
//	    label: p99 over average
//
// An alarms: key holds alarm definitions in package alarm's format (alarm.ParseYAML), so that an
// investigation and the alarms it tunes live in one file.
//
// Keys: title, question, region, regions, window (start, end, length, last, delay), period, fill
// (nan, zero, ffill, linear), max_gap, metrics (id, namespace, name or metric, stat/stats/
// statistic/statistics, dimensions or dims, unit, period, label, account, hidden) and
// expressions (id, expression or expr, label, unit, period, account, hidden). Durations are Go
// durations or whole days ("7d"). An unknown key, a key or dimension given twice, or a bad value
// is an error naming the file and line. Labels name the result's columns as Result.Columns says.
func readInvestigation(path string) (*investigation, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("investigation file: %w", err)
	}
	inv, err := parseInvestigation(path, data)
	if err != nil {
		return nil, err
	}
	return inv, nil
}

// yamlErr is an error at a line of an investigation file.
func yamlErr(name string, n *yaml.Node, format string, args ...any) error {
	line := 0
	if n != nil {
		line = n.Line
	}
	return fmt.Errorf("%w: %s:%d: %s", ErrInvalid, name, line, fmt.Sprintf(format, args...))
}

// parseInvestigation parses an investigation file's content; name is used in errors.
func parseInvestigation(name string, data []byte) (*investigation, error) {
	if name == "" {
		name = "investigation"
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		// yaml.v3's syntax errors already read "yaml: line N: ...".
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, name, err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, fmt.Errorf("%w: %s is empty; it needs at least a window and metrics", ErrInvalid, name)
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, yamlErr(name, root, "the file must be a mapping with keys such as title, window and metrics")
	}
	p := &invParser{name: name, inv: &investigation{Path: name}, idLines: map[string]*yaml.Node{}, data: data}
	keys := []string{"title", "question", "region", "regions", "window", "period", "fill", "max_gap", "metrics", "expressions", "alarms"}
	if err := eachKey(name, root, keys, p.key); err != nil {
		return nil, err
	}
	return p.finish(root)
}

// invParser holds what parseInvestigation has read so far.
type invParser struct {
	name       string
	data       []byte // the whole file, for the alarms: key's own reader
	inv        *investigation
	ids        []string
	idLines    map[string]*yaml.Node
	exprNodes  []*yaml.Node
	exprRefs   [][]string
	windowNode *yaml.Node
}

// key reads one top-level key.
func (p *invParser) key(key string, v *yaml.Node) error {
	name, inv, q := p.name, p.inv, &p.inv.Query
	var err error
	switch key {
	case "title":
		inv.Title, err = scalar(name, v, key)
	case "question":
		inv.Question, err = scalar(name, v, key)
	case "region":
		var r string
		r, err = scalar(name, v, key)
		q.Regions = append(q.Regions, r)
	case "regions":
		var rs []string
		rs, err = scalars(name, v, key)
		q.Regions = append(q.Regions, rs...)
	case "window":
		p.windowNode = v
		q.Window, err = parseWindowNode(name, v)
	case "period":
		q.Period, err = durationNode(name, v, key, true)
	case "max_gap":
		q.MaxGap, err = durationNode(name, v, key, false)
	case "fill":
		var s string
		if s, err = scalar(name, v, key); err == nil {
			if q.Fill, err = parseFill(s); err != nil {
				err = yamlErr(name, v, "%v", err)
			}
		}
	case "alarms":
		// The alarms' own reader (package alarm) checks them, with its line numbers: a file that
		// cwnb get -file accepts is one alarm.ParseYAML accepts too.
		if inv.Alarms, err = alarm.ParseYAML(name, p.data); err != nil {
			err = fmt.Errorf("%w: %w", ErrInvalid, err)
		}
	case "metrics":
		err = p.metrics(v)
	case "expressions":
		err = p.expressions(v)
	}
	return err
}

// metrics reads the metrics list and records the query ids it defines.
func (p *invParser) metrics(v *yaml.Node) error {
	q := &p.inv.Query
	if v.Kind != yaml.SequenceNode {
		return yamlErr(p.name, v, "metrics must be a list of metrics (lines starting with -)")
	}
	for i, mn := range v.Content {
		m, err := parseMetricNode(p.name, mn, i)
		if err != nil {
			return err
		}
		q.Metrics = append(q.Metrics, m)
		base := m.ID
		if base == "" {
			base = fmt.Sprintf("m%d", len(q.Metrics))
		}
		stats := m.Stats
		if len(stats) == 0 {
			stats = []string{"Average"}
		}
		for _, s := range stats {
			id := base
			if len(stats) > 1 {
				st, _ := cwstat.Parse(s)
				id = base + "_" + statID(st.String())
			}
			p.ids = append(p.ids, id)
			p.idLines[id] = mn
		}
	}
	return nil
}

// expressions reads the expressions list and records their ids and references.
func (p *invParser) expressions(v *yaml.Node) error {
	q := &p.inv.Query
	if v.Kind != yaml.SequenceNode {
		return yamlErr(p.name, v, "expressions must be a list (lines starting with -)")
	}
	for i, en := range v.Content {
		e, refs, err := parseExpressionNode(p.name, en, i)
		if err != nil {
			return err
		}
		q.Expressions = append(q.Expressions, e)
		id := e.ID
		if id == "" {
			id = fmt.Sprintf("e%d", len(q.Expressions))
		}
		p.ids = append(p.ids, id)
		p.idLines[id] = en
		p.exprNodes = append(p.exprNodes, en)
		p.exprRefs = append(p.exprRefs, refs)
	}
	return nil
}

// finish checks what the keys left to check together: a window, something to load, unique ids,
// known references, and the whole query.
func (p *invParser) finish(root *yaml.Node) (*investigation, error) {
	name, inv, q := p.name, p.inv, &p.inv.Query
	if p.windowNode == nil {
		return nil, yamlErr(name, root, "no window; add for example  window: {start: 2026-11-19T00:00:00Z, length: 24h}")
	}
	if len(q.Metrics) == 0 && len(q.Expressions) == 0 {
		return nil, yamlErr(name, root, "no metrics and no expressions; add a metrics: list")
	}
	known := map[string]bool{}
	for _, id := range p.ids {
		if known[id] {
			return nil, yamlErr(name, p.idLines[id], "id %q is used twice", id)
		}
		known[id] = true
	}
	for i, refs := range p.exprRefs {
		for _, r := range refs {
			if !known[r] {
				sorted := append([]string(nil), p.ids...)
				sort.Strings(sorted)
				return nil, yamlErr(name, p.exprNodes[i], "expression refers to %q, which no metric or expression of this file defines; known ids: %s", r, strings.Join(sorted, ", "))
			}
		}
	}
	q.Title = inv.Title
	if q.Title == "" {
		q.Title = inv.Question
	}
	if _, err := q.units(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, name, err)
	}
	return inv, nil
}

// eachKey calls fn for every key of mapping n, refusing keys not in known.
func eachKey(name string, n *yaml.Node, known []string, fn func(key string, v *yaml.Node) error) error {
	if n.Kind != yaml.MappingNode {
		return yamlErr(name, n, "expected a mapping with keys %s", strings.Join(known, ", "))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		ok := false
		for _, kn := range known {
			if k.Value == kn {
				ok = true
			}
		}
		if !ok {
			return yamlErr(name, k, "unknown key %q; use one of %s", k.Value, strings.Join(known, ", "))
		}
		if seen[k.Value] {
			return yamlErr(name, k, "key %q appears twice", k.Value)
		}
		seen[k.Value] = true
		if err := fn(k.Value, v); err != nil {
			return err
		}
	}
	return nil
}

func scalar(name string, v *yaml.Node, key string) (string, error) {
	if v.Kind != yaml.ScalarNode {
		return "", yamlErr(name, v, "%s must be a single value", key)
	}
	return v.Value, nil
}

func scalars(name string, v *yaml.Node, key string) ([]string, error) {
	switch v.Kind {
	case yaml.ScalarNode:
		var out []string
		for _, s := range strings.Split(v.Value, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		return out, nil
	case yaml.SequenceNode:
		var out []string
		for _, c := range v.Content {
			s, err := scalar(name, c, key)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, yamlErr(name, v, "%s must be a value or a list of values", key)
}

func durationNode(name string, v *yaml.Node, key string, isPeriod bool) (time.Duration, error) {
	s, err := scalar(name, v, key)
	if err != nil {
		return 0, err
	}
	d, err := parseLength(s)
	if err != nil {
		return 0, yamlErr(name, v, "%s %q: %v", key, s, err)
	}
	if isPeriod {
		if err := validPeriod(d); err != nil {
			return 0, yamlErr(name, v, "%v", err)
		}
	}
	return d, nil
}

func boolNode(name string, v *yaml.Node, key string) (bool, error) {
	var b bool
	if v.Kind != yaml.ScalarNode || v.Decode(&b) != nil {
		return false, yamlErr(name, v, "%s must be true or false", key)
	}
	return b, nil
}

func parseWindowNode(name string, v *yaml.Node) (Window, error) {
	var start, end, length, last, delay *yaml.Node
	err := eachKey(name, v, []string{"start", "end", "length", "last", "delay"}, func(key string, n *yaml.Node) error {
		if n.Kind != yaml.ScalarNode {
			return yamlErr(name, n, "window %s must be a single value", key)
		}
		switch key {
		case "start":
			start = n
		case "end":
			end = n
		case "length":
			length = n
		case "last":
			last = n
		case "delay":
			delay = n
		}
		return nil
	})
	if err != nil {
		return Window{}, err
	}
	var w Window
	if delay != nil {
		d, err := time.ParseDuration(delay.Value)
		if err != nil {
			return Window{}, yamlErr(name, delay, "window delay %q is not a duration; write it like 3m", delay.Value)
		}
		w.Delay = d
	}
	if last != nil {
		if start != nil || end != nil || length != nil {
			return Window{}, yamlErr(name, last, "window has last and start/end/length; use last for a relative window or start with end or length for an absolute one")
		}
		d, err := parseLength(last.Value)
		if err != nil {
			return Window{}, yamlErr(name, last, "window last %q: %v", last.Value, err)
		}
		w.Last = d
		return w, nil
	}
	if start == nil {
		return Window{}, yamlErr(name, v, "window needs start (with end or length) or last")
	}
	other := end
	if other == nil {
		other = length
	}
	if other == nil || (end != nil && length != nil) {
		return Window{}, yamlErr(name, start, "window needs exactly one of end and length with its start")
	}
	pw, err := parseWindow(start.Value, other.Value)
	if err != nil {
		n := other
		if _, terr := parseTime(start.Value); terr != nil {
			n = start
		}
		return Window{}, yamlErr(name, n, "%v", err)
	}
	pw.Delay = w.Delay
	return pw, nil
}

func parseMetricNode(name string, n *yaml.Node, i int) (Metric, error) {
	var m Metric
	keys := []string{"id", "namespace", "name", "metric", "stat", "stats", "statistic", "statistics", "dimensions", "dims", "unit", "period", "label", "account", "hidden"}
	err := eachKey(name, n, keys, func(key string, v *yaml.Node) error {
		var err error
		switch key {
		case "id":
			m.ID, err = scalar(name, v, key)
			if err == nil && !idPattern.MatchString(m.ID) {
				err = yamlErr(name, v, "id %q is not a valid query id; use a lower-case letter followed by letters, digits or _", m.ID)
			}
		case "namespace":
			m.Namespace, err = scalar(name, v, key)
		case "name", "metric":
			if m.Name != "" {
				return yamlErr(name, v, "metric has both name and metric; keep one")
			}
			m.Name, err = scalar(name, v, key)
		case "stat", "stats", "statistic", "statistics":
			var ss []string
			if ss, err = scalars(name, v, key); err != nil {
				return err
			}
			for _, s := range ss {
				if _, perr := cwstat.Parse(s); perr != nil {
					return yamlErr(name, v, "%v", perr)
				}
			}
			m.Stats = append(m.Stats, ss...)
		case "dimensions", "dims":
			m.Dims, err = parseDimsNode(name, v)
		case "unit":
			m.Unit, err = scalar(name, v, key)
		case "period":
			m.Period, err = durationNode(name, v, key, true)
		case "label":
			m.Label, err = scalar(name, v, key)
		case "account":
			m.AccountID, err = scalar(name, v, key)
		case "hidden":
			m.Hidden, err = boolNode(name, v, key)
		}
		return err
	})
	if err != nil {
		return m, err
	}
	if m.Namespace == "" {
		return m, yamlErr(name, n, "metric %d has no namespace; add  namespace: MyService/API", i+1)
	}
	if m.Name == "" {
		return m, yamlErr(name, n, "metric %d has no name; add  name: Latency", i+1)
	}
	return m, nil
}

func parseDimsNode(name string, v *yaml.Node) (Dims, error) {
	d := Dims{}
	switch v.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(v.Content); i += 2 {
			k, val := v.Content[i], v.Content[i+1]
			if val.Kind != yaml.ScalarNode || val.Value == "" {
				return nil, yamlErr(name, val, "dimension %s needs a single non-empty value", k.Value)
			}
			if _, dup := d[k.Value]; dup {
				return nil, yamlErr(name, k, "dimension %s appears twice; keep one (a metric has one value per dimension)", k.Value)
			}
			d[k.Value] = val.Value
		}
	case yaml.SequenceNode:
		// The CloudWatch JSON form: [{Name: Service, Value: checkout}].
		for _, c := range v.Content {
			var kv struct {
				Name  string `yaml:"Name"`
				Value string `yaml:"Value"`
			}
			if c.Kind != yaml.MappingNode || c.Decode(&kv) != nil || kv.Name == "" || kv.Value == "" {
				return nil, yamlErr(name, c, "a dimension in list form needs Name and Value, like {Name: Service, Value: checkout}")
			}
			if _, dup := d[kv.Name]; dup {
				return nil, yamlErr(name, c, "dimension %s appears twice; keep one (a metric has one value per dimension)", kv.Name)
			}
			d[kv.Name] = kv.Value
		}
	default:
		return nil, yamlErr(name, v, "dimensions must be a mapping like {Service: checkout}")
	}
	return d, nil
}

func parseExpressionNode(name string, n *yaml.Node, i int) (Expression, []string, error) {
	var e Expression
	var exprNode *yaml.Node
	err := eachKey(name, n, []string{"id", "expression", "expr", "label", "unit", "period", "account", "hidden"}, func(key string, v *yaml.Node) error {
		var err error
		switch key {
		case "id":
			e.ID, err = scalar(name, v, key)
			if err == nil && !idPattern.MatchString(e.ID) {
				err = yamlErr(name, v, "id %q is not a valid query id; use a lower-case letter followed by letters, digits or _", e.ID)
			}
		case "expression", "expr":
			exprNode = v
			e.Expr, err = scalar(name, v, key)
		case "label":
			e.Label, err = scalar(name, v, key)
		case "unit":
			e.Unit, err = scalar(name, v, key)
		case "period":
			e.Period, err = durationNode(name, v, key, true)
		case "account":
			e.AccountID, err = scalar(name, v, key)
		case "hidden":
			e.Hidden, err = boolNode(name, v, key)
		}
		return err
	})
	if err != nil {
		return e, nil, err
	}
	if exprNode == nil || strings.TrimSpace(e.Expr) == "" {
		return e, nil, yamlErr(name, n, "expression %d has no expression; add  expression: m1 / m2 * 100", i+1)
	}
	if isSQL(e.Expr) {
		return e, nil, nil
	}
	x, err := metricmath.Parse(e.Expr)
	if err != nil {
		return e, nil, yamlErr(name, exprNode, "expression %q: %v", e.Expr, err)
	}
	return e, x.Refs(), nil
}

func init() {
	export.Investigation = func(path string) (any, error) {
		inv, err := readInvestigation(path)
		if err != nil {
			return nil, err
		}
		return inv.Query, nil
	}
}
