package alarm

import (
	"strings"
	"testing"
	"time"
)

func TestParseRule(t *testing.T) {
	st := map[string]State{"a": Alarm, "b": OK, "c d": InsufficientData}
	cases := []struct {
		rule string
		want bool
	}{
		{`ALARM(a)`, true},
		{`ALARM("a")`, true},
		{`OK(a)`, false},
		{`NOT OK(a)`, true},
		{`ALARM(a) AND OK(b)`, true},
		{`ALARM(a) AND ALARM(b)`, false},
		{`ALARM(b) OR ALARM(a)`, true},
		{`ALARM(b) OR ALARM(a) AND FALSE`, false}, // AND binds tighter
		{`(ALARM(b) OR ALARM(a)) AND TRUE`, true},
		{`INSUFFICIENT_DATA("c d")`, true},
		{`INSUFFICIENT_DATA(zzz)`, true}, // an unknown child is INSUFFICIENT_DATA
		{`NOT NOT TRUE`, true},
		{`FALSE`, false},
	}
	for _, c := range cases {
		r, err := ParseRule(c.rule)
		if err != nil {
			t.Fatalf("%s: %v", c.rule, err)
		}
		if got := r.Eval(st); got != c.want {
			t.Errorf("%s: got %v, want %v", c.rule, got, c.want)
		}
	}
}

func TestParseRuleErrors(t *testing.T) {
	cases := []struct{ rule, want string }{
		{``, "the rule ends"},
		{`ALARM(a) AND`, "the rule ends"},
		{`alarm(a)`, "must be written in capitals: ALARM"},
		{`ALARM a`, "must be followed by (alarm name)"},
		{`ALARM(a b)`, "quote names"},
		{`ALARM("a)`, "unterminated"},
		{`(ALARM(a)`, "expected ) to close"},
		{`ALARM(a) ALARM(b)`, "join rules with AND or OR"},
		{`AND ALARM(a)`, "needs a condition"},
		{`FOO(a)`, "unknown word"},
		{`ALARM("")`, "empty"},
		{strings.Repeat("(", 200) + "TRUE" + strings.Repeat(")", 200), "nests more than 100"},
	}
	for _, c := range cases {
		_, err := ParseRule(c.rule)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want it to contain %q", c.rule, err, c.want)
		}
	}
}

func TestComposite(t *testing.T) {
	t0 := time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)
	a := &Timeline{Name: "a", Start: t0, Step: time.Minute, States: []State{OK, Alarm, Alarm, Alarm, OK}}
	b := &Timeline{Name: "b", Start: t0, Step: time.Minute, States: []State{OK, OK, Alarm, Alarm, Alarm}}
	r, _ := ParseRule(`ALARM(a) AND ALARM(b)`)
	tl, err := Composite("both", r, map[string]*Timeline{"a": a, "b": b})
	if err != nil {
		t.Fatal(err)
	}
	want := []State{OK, OK, Alarm, Alarm, OK}
	for i := range want {
		if tl.States[i] != want[i] {
			t.Fatalf("states %v, want %v", tl.States, want)
		}
	}
	if len(tl.Changes) != 3 || !tl.Changes[1].Time.Equal(t0.Add(2*time.Minute)) {
		t.Fatalf("changes %+v", tl.Changes)
	}
	if _, err := Composite("x", r, map[string]*Timeline{"a": a}); err == nil || !strings.Contains(err.Error(), `"b"`) {
		t.Fatalf("missing child: %v", err)
	}
}

func FuzzParseRule(f *testing.F) {
	for _, s := range []string{`ALARM(a)`, `ALARM("x y") AND NOT OK(b) OR (TRUE)`, `(((`, `ALARM("`, `NOT`, `INSUFFICIENT_DATA(c),`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRule(s)
		if err != nil {
			var re *RuleError
			if !strings.HasPrefix(err.Error(), "alarm rule ") {
				t.Fatalf("error without prefix: %v", err)
			}
			_ = re
			return
		}
		// A parsed rule evaluates without panicking and names its alarms.
		st := map[string]State{}
		for _, a := range r.Alarms() {
			st[a] = Alarm
		}
		r.Eval(st)
	})
}
