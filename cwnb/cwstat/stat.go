package cwstat

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Kind is the family of a CloudWatch statistic. Its String method gives the name or prefix
// CloudWatch uses for it: "Average", "Sum", "Minimum", "Maximum", "SampleCount", "p", "TM",
// "WM", "TC", "TS", "PR" and "IQM".
type Kind int

// The statistic families CloudWatch computes.
const (
	// Average is Sum/SampleCount.
	Average Kind = iota + 1
	// Sum is the sum of all values (a value published with count c adds value·c).
	Sum
	// Minimum is the smallest value.
	Minimum
	// Maximum is the largest value.
	Maximum
	// SampleCount is the number of values (the sum of their counts).
	SampleCount
	// Percentile is pNN.NN: the value below or at which Stat.P percent of the values lie.
	Percentile
	// TrimmedMean is TM: the mean of the values within the bounds.
	TrimmedMean
	// WinsorizedMean is WM: the mean after values outside the bounds are clamped to them.
	WinsorizedMean
	// TrimmedCount is TC: how many values lie within the bounds.
	TrimmedCount
	// TrimmedSum is TS: the sum of the values within the bounds.
	TrimmedSum
	// PercentileRank is PR: the percentage of values within absolute bounds.
	PercentileRank
	// IQM is the interquartile mean, TM(25%:75%).
	IQM
)

var kindNames = [...]string{
	Average:        "Average",
	Sum:            "Sum",
	Minimum:        "Minimum",
	Maximum:        "Maximum",
	SampleCount:    "SampleCount",
	Percentile:     "p",
	TrimmedMean:    "TM",
	WinsorizedMean: "WM",
	TrimmedCount:   "TC",
	TrimmedSum:     "TS",
	PercentileRank: "PR",
	IQM:            "IQM",
}

// String returns the CloudWatch name of the kind ("Average", ...) or the prefix of its syntax
// ("p", "TM", "WM", "TC", "TS", "PR", "IQM").
func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// bounded reports whether the kind takes (lo:hi) bounds.
func (k Kind) bounded() bool {
	switch k {
	case TrimmedMean, WinsorizedMean, TrimmedCount, TrimmedSum, PercentileRank:
		return true
	}
	return false
}

// Stat is one parsed CloudWatch statistic. The zero Stat is invalid; obtain one from Parse or
// build it by hand (Parse(s.String()) validates a hand-built one). Stat is comparable with ==.
type Stat struct {
	Kind Kind
	// P is the percentile of a Percentile statistic, 0..100.
	P float64
	// Lo and Hi are the bounds of TM, WM, TC, TS and PR, used only when HasLo / HasHi is set.
	// They are percentages 0..100 (ranks) unless Absolute is set (values). The lower bound is
	// exclusive and the upper bound inclusive: the range is (Lo, Hi].
	Lo, Hi       float64
	HasLo, HasHi bool
	// Absolute is set when the bounds are values, as in TM(150:1000) or PR(:300), rather than
	// percentages, as in TM(10%:90%). PR bounds are always absolute.
	Absolute bool
}

// Basic returns the five basic statistics, computable from statistic sets as well as from raw
// values: Average, Sum, Minimum, Maximum and SampleCount, in that order.
func Basic() []Stat {
	return []Stat{{Kind: Average}, {Kind: Sum}, {Kind: Minimum}, {Kind: Maximum}, {Kind: SampleCount}}
}

// NeedsSamples reports whether s can only be computed from raw values (Value, Values+Counts, or
// a statistic set that is raw values: Minimum = Maximum and Sum = Minimum·SampleCount): every
// statistic but the five basic ones, that is percentiles, TM, WM, TC, TS, PR and IQM, with
// percentage or absolute bounds. CloudWatch needs raw data points for them and does not compute
// them for a period that holds any other statistic set, or any negative value
// (Statistics-definitions.html). The basic statistics never need samples.
func (s Stat) NeedsSamples() bool {
	switch s.Kind {
	case Average, Sum, Minimum, Maximum, SampleCount:
		return false
	}
	return true
}

// String returns the canonical spelling of s, the form CloudWatch documents and echoes back:
// "Average", "Sum", "Minimum", "Maximum", "SampleCount"; "p99", "p99.9" (shortest decimal);
// bounded statistics always in the parenthesized form, percentages with "%" and a missing bound
// left empty: "TM(10%:90%)", "TM(:99%)" (the canonical form of tm99), "WM(5%:)", "TC(:0.5)",
// "PR(100:2000)"; and "IQM". Parse(s.String()) == s for every Stat Parse returns. Callers that
// echo the user's statistic back (as CloudWatch does in labels) should prefer the user's own
// spelling; String is for statistics built in code and for messages.
func (s Stat) String() string {
	switch {
	case s.Kind == Percentile:
		return "p" + formatNum(s.P)
	case s.Kind.bounded():
		var sb strings.Builder
		sb.WriteString(s.Kind.String())
		sb.WriteByte('(')
		if s.HasLo {
			sb.WriteString(formatNum(s.Lo))
			if !s.Absolute {
				sb.WriteByte('%')
			}
		}
		sb.WriteByte(':')
		if s.HasHi {
			sb.WriteString(formatNum(s.Hi))
			if !s.Absolute {
				sb.WriteByte('%')
			}
		}
		sb.WriteByte(')')
		return sb.String()
	}
	return s.Kind.String()
}

func formatNum(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// ParseError is the error Parse returns: the statistic as given and why it is not valid.
type ParseError struct {
	Name   string // the input, as given to Parse
	Reason string // what is wrong and what to write instead
	// Unknown is set when Name matches no statistic form at all, rather than a known form
	// with bad numbers or bounds.
	Unknown bool
}

// Error returns a message that names the input and says how to fix it:
// `unknown statistic "P99x": use Average, Sum, ...` or
// `invalid statistic "TM(90%:10%)": lower bound 90% must be below upper bound 10%; ...`.
func (e *ParseError) Error() string {
	if e.Unknown {
		return fmt.Sprintf("unknown statistic %q: %s", e.Name, e.Reason)
	}
	return fmt.Sprintf("invalid statistic %q: %s", e.Name, e.Reason)
}

// validForms is the list of valid forms used in error messages.
const validForms = "use Average, Sum, Minimum, Maximum, SampleCount, pNN.NN (p99, p99.9), " +
	"TM(10%:90%), tm99, WM, TC, TS, PR(:300) or IQM"

// maxDecimals is the number of decimal places CloudWatch accepts in a bound ("up to 10 decimal
// places", Statistics-definitions.html).
const maxDecimals = 10

// Parse parses a CloudWatch statistic name. It accepts exactly the spellings CloudWatch
// documents (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html):
//
//   - Average, Sum, Minimum, Maximum, SampleCount, IQM (case-sensitive, as CloudWatch)
//   - pNN.NN, a percentile from p0 to p100: p50, p99, p99.9, p99.99
//   - TM, WM, TC, TS with percentage bounds TM(10%:90%), one-sided TM(:95%) or TM(5%:),
//     or absolute bounds TM(150:1000), TC(:0.5), TS(-10:10)
//   - the short lowercase forms tm99, wm98, tc90, ts90, meaning TM(:99%) etc.
//   - PR with absolute bounds only: PR(:300), PR(100:2000)
//
// Numbers are plain decimals with at most 10 decimal places (no exponent, no sign except a
// minus on absolute bounds). Percentages lie in 0..100; when both bounds are given the lower
// must be below the upper, and a one-sided bound must keep some values (TM(:0%) and TM(100%:)
// are rejected). A spelling that differs from a documented one only in letter case (average,
// P99, TM99, iqm) is rejected with the documented spelling in the message: the basic names
// are a case-sensitive enumeration in the CloudWatch API, and for the other forms this package
// accepts only what AWS documents rather than guess. Errors are *ParseError.
func Parse(name string) (Stat, error) {
	s, err := parse(name)
	if err == errUnknown {
		if hint := caseHint(name); hint != "" {
			return Stat{}, &ParseError{Name: name, Reason: "names are case-sensitive: use " + hint, Unknown: true}
		}
		return Stat{}, &ParseError{Name: name, Reason: validForms, Unknown: true}
	}
	return s, err
}

// errUnknown is parse's answer for a name that matches no form at all.
var errUnknown = &ParseError{}

// parse is Parse without the case hints.
func parse(name string) (Stat, error) {
	switch name {
	case "Average":
		return Stat{Kind: Average}, nil
	case "Sum":
		return Stat{Kind: Sum}, nil
	case "Minimum":
		return Stat{Kind: Minimum}, nil
	case "Maximum":
		return Stat{Kind: Maximum}, nil
	case "SampleCount":
		return Stat{Kind: SampleCount}, nil
	case "IQM":
		return Stat{Kind: IQM}, nil
	}
	fail := func(reason string) (Stat, error) {
		return Stat{}, &ParseError{Name: name, Reason: reason}
	}
	switch {
	case name == "":
		return Stat{}, &ParseError{Name: name, Reason: "the name is empty; " + validForms, Unknown: true}
	case name[0] == 'p' && len(name) > 1 && (isDigit(name[1]) || name[1] == '.'):
		p, err := parseNum(name[1:], false)
		if err != "" {
			return fail("percentile " + err + "; write it like p99 or p99.9")
		}
		if p < 0 || p > 100 {
			return fail("percentile must be between p0 and p100")
		}
		return Stat{Kind: Percentile, P: p}, nil
	}
	if k, ok := shortKinds[prefix2(name)]; ok && len(name) > 2 && name[2] != '(' {
		v, err := parseNum(name[2:], false)
		if err != "" {
			return fail(fmt.Sprintf("%s: the short form takes a percentage, like %s90", err, name[:2]))
		}
		if v <= 0 || v > 100 {
			return fail(fmt.Sprintf("the short form %s90 takes a percentage above 0 and at most 100", name[:2]))
		}
		return Stat{Kind: k, Hi: v, HasHi: true}, nil
	}
	if k, ok := longKinds[prefix2(name)]; ok && len(name) > 2 && name[2] == '(' {
		return parseBounded(name, k)
	}
	return Stat{}, errUnknown
}

var shortKinds = map[string]Kind{"tm": TrimmedMean, "wm": WinsorizedMean, "tc": TrimmedCount, "ts": TrimmedSum}

var longKinds = map[string]Kind{"TM": TrimmedMean, "WM": WinsorizedMean, "TC": TrimmedCount, "TS": TrimmedSum, "PR": PercentileRank}

func prefix2(s string) string {
	if len(s) < 2 {
		return ""
	}
	return s[:2]
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// caseHint returns the correct spelling of name when it differs from a valid one only in case.
func caseHint(name string) string {
	for _, k := range []Kind{Average, Sum, Minimum, Maximum, SampleCount, IQM} {
		if strings.EqualFold(name, k.String()) {
			return k.String()
		}
	}
	if len(name) < 2 {
		return ""
	}
	lower := strings.ToLower(name)
	upper := strings.ToUpper(name[:2]) + name[2:]
	for _, cand := range []string{lower, upper, strings.ToLower(name[:1]) + name[1:]} {
		if cand == name {
			continue
		}
		if _, err := parse(cand); err == nil {
			return cand
		}
	}
	return ""
}

// parseNum parses a plain decimal: digits, an optional fraction of at most maxDecimals digits,
// and, when signed is set, an optional leading minus. It returns a reason when s is not one.
func parseNum(s string, signed bool) (float64, string) {
	body := s
	if signed && strings.HasPrefix(body, "-") {
		body = body[1:]
	}
	intPart, frac, hasDot := strings.Cut(body, ".")
	if intPart == "" || !allDigits(intPart) || (hasDot && (frac == "" || !allDigits(frac))) {
		return 0, fmt.Sprintf("%q is not a plain decimal number", s)
	}
	if len(frac) > maxDecimals {
		return 0, fmt.Sprintf("%q has more than %d decimal places", s, maxDecimals)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, fmt.Sprintf("%q is out of range", s)
	}
	if v == 0 {
		v = 0 // no negative zero: keeps Stat comparable with == after a round trip
	}
	return v, ""
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// parseBounded parses KIND(lo:hi) where name[:3] is "KK(".
func parseBounded(name string, k Kind) (Stat, error) {
	fail := func(reason string) (Stat, error) {
		return Stat{}, &ParseError{Name: name, Reason: reason}
	}
	ks := k.String()
	example := ks + "(10%:90%), " + ks + "(:95%) or " + ks + "(150:1000)"
	if k == PercentileRank {
		example = "PR(:300) or PR(100:2000)"
	}
	if !strings.HasSuffix(name, ")") {
		return fail("missing closing parenthesis; write it like " + example)
	}
	inner := name[3 : len(name)-1]
	loS, hiS, ok := strings.Cut(inner, ":")
	if !ok {
		return fail("bounds need a colon between them; write it like " + example)
	}
	if loS == "" && hiS == "" {
		return fail("at least one bound is needed; write it like " + example)
	}
	s := Stat{Kind: k}
	loPct, hiPct := strings.HasSuffix(loS, "%"), strings.HasSuffix(hiS, "%")
	switch {
	case loS != "" && hiS != "" && loPct != hiPct:
		return fail("both bounds must be percentages or both absolute values; write it like " + example)
	case loPct || hiPct:
		s.Absolute = false
	default:
		s.Absolute = true
	}
	if k == PercentileRank && !s.Absolute {
		return fail("PR takes absolute values, not percentages; write it like " + example)
	}
	var err string
	if loS != "" {
		s.HasLo = true
		s.Lo, err = parseNum(strings.TrimSuffix(loS, "%"), s.Absolute)
		if err != "" {
			return fail("lower bound " + err + "; write it like " + example)
		}
	}
	if hiS != "" {
		s.HasHi = true
		s.Hi, err = parseNum(strings.TrimSuffix(hiS, "%"), s.Absolute)
		if err != "" {
			return fail("upper bound " + err + "; write it like " + example)
		}
	}
	unit := ""
	if !s.Absolute {
		unit = "%"
		if s.HasLo && s.Lo > 100 || s.HasHi && s.Hi > 100 {
			return fail("percentage bounds must be between 0% and 100%")
		}
		if !s.HasLo && s.Hi == 0 {
			return fail("upper bound 0% keeps no values; use a percentage above 0%")
		}
		if !s.HasHi && s.Lo == 100 {
			return fail("lower bound 100% keeps no values; use a percentage below 100%")
		}
	}
	if s.HasLo && s.HasHi && s.Lo >= s.Hi {
		return fail(fmt.Sprintf("lower bound %s%s must be below upper bound %s%s; write the smaller bound first",
			formatNum(s.Lo), unit, formatNum(s.Hi), unit))
	}
	return s, nil
}
