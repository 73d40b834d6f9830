package metricmath

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type testMetric struct {
	key      string
	ns, name string
	dims     map[string]string
}

// searchStore is the metric set of TestMatch; each metric has a one-letter key.
var searchStore = []testMetric{
	{"A", "AWS/EC2", "CPUUtilization", map[string]string{"InstanceId": "i-1234567890123456"}},
	{"B", "AWS/EC2", "CPUUtilization", map[string]string{"InstanceId": "i-0abc", "InstanceType": "t2.micro"}},
	{"C", "AWS/EC2", "NetworkPacketsIn", map[string]string{"InstanceId": "i-0abc"}},
	{"D", "MyNamespace", "CustomCount1", nil},
	{"E", "MyNamespace", "Network-Errors-2", map[string]string{"Service": "ProjectA"}},
	{"F", "AWS/Lambda", "Errors", map[string]string{"FunctionName": "ProjectA-handler"}},
	{"G", "AWS/Lambda", "Invocations", map[string]string{"FunctionName": "ProjectB-api"}},
	{"H", "AWS/Lambda", "Invocations", map[string]string{"FunctionName": "other"}},
	{"I", "My Namespace", "Custom:Name[Special_Characters", map[string]string{"Dimension@Name": "x"}},
	{"J", "MyNamespace", "SDBFailure", nil},
	{"K", "Europe", `Europe\France Traffic(Network)`, nil},
}

// Expected matches are worked out by hand from the rules and examples of the CloudWatch User
// Guide, "CloudWatch search expression syntax" (search-expression-syntax.html).
func TestMatch(t *testing.T) {
	tests := []struct {
		name  string
		query string
		want  string // keys of the matching metrics
	}{
		{"schema and exact metric name", `{AWS/EC2,InstanceId} MetricName="CPUUtilization"`, "A"},
		{"schema alone: exact dimension set", `{AWS/EC2,InstanceId}`, "AC"},
		{"schema with two dimensions", `{AWS/EC2,InstanceId,InstanceType}`, "B"},
		{"schema dimension order is free", `{ AWS/EC2 , InstanceType , InstanceId }`, "B"},
		{"schema without dimensions: metrics without dimensions", `{AWS/EC2}`, ""},
		{"namespace-only schema and exact term after a comma", `{MyNamespace}, "CustomCount1"`, "D"},
		{"quoted schema names", `{"My Namespace", "Dimension@Name"}, "Custom:Name[Special_Characters"`, "I"},
		// Tokenization: CustomCount1 -> customcount1, custom, count, 1.
		{"partial token", "count", "D"},
		{"partial token upper case", "COUNT", "D"},
		{"mixed case splits the term", "couNT", ""},
		{"composite token", "CustomCount", "D"},
		{"composite with digit", "Count1", "D"},
		{"composite is case-sensitive", "customcount", ""},
		{"composite with digit is case-sensitive", "count1", ""},
		{"whole-name token", "customcount1", "D"},
		// SDBFailure -> sdbfailure, sdb, failure.
		{"upper-case run", "sdb", "J"},
		{"after upper-case run", "failure", "J"},
		{"whole name lower-case", "sdbfailure", "J"},
		{"delimiter slash", "network/errors", "E"},
		{"delimiter plus", "network+errors", "E"},
		{"delimiter dash", "network-errors", "E"},
		{"delimiter underscore", "Network_Errors", "E"},
		{"exact match", `"CustomCount1"`, "D"},
		{"exact match is case-sensitive", `"customcount1"`, ""},
		{"exact match is whole", `"Custom"`, ""},
		{"exact match with escapes", `"Europe\\France Traffic\(Network\)"`, "K"},
		{"NOT", `MetricName="CPUUtilization" NOT i-1234567890123456`, "B"},
		{"NOT alone", "NOT Namespace=AWS", "DEIJK"},
		{"double NOT", "NOT NOT Errors", "EF"},
		{"nested groups", `{AWS/Lambda,FunctionName} MetricName="Errors" OR (MetricName="Invocations" AND (ProjectA OR ProjectB))`, "FG"},
		{"group then property", "(EC2 OR Lambda) AND MetricName=Invocations", "GH"},
		{"group then implicit AND", "(EC2 OR Lambda) MetricName=Invocations", "GH"},
		{"dimension property partial", "InstanceType=micro", "B"},
		{"dimension property exact and namespace", `InstanceType="t2.micro" Namespace="AWS/EC2"`, "B"},
		{"dimension property needs the dimension", "FunctionName=ProjectA", "F"},
		{"composite inside a value", "ProjectA", "EF"},
		{"lower-case whole value only", "projecta", "E"},
		{"implicit AND", "network packets", "C"},
		{"explicit AND", "network AND packets", "C"},
		{"term in name and value", "Errors", "EF"},
		{"OR", "Errors OR count", "DEF"},
		{"AND without common metric", "Errors count", ""},
		{"namespace token", "AWS", "ABCFGH"},
		{"namespace property composite", "Namespace=EC2", "ABC"},
		{"lower-case operators are terms", "errors or count", ""},
		{"dimension name matches", "InstanceType", "B"},
		{"spaces around equals", `MetricName = "Errors"`, "F"},
		{"precedence: AND binds tighter than OR", "count OR Errors AND Lambda", "DF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseSearch(tt.query)
			if err != nil {
				t.Fatalf("ParseSearch(%q): %v", tt.query, err)
			}
			var got strings.Builder
			for _, m := range searchStore {
				if q.Match(m.ns, m.name, m.dims) {
					got.WriteString(m.key)
				}
			}
			if got.String() != tt.want {
				t.Errorf("ParseSearch(%q) matches %q, want %q", tt.query, got.String(), tt.want)
			}
		})
	}
}

func TestParseSearchErrors(t *testing.T) {
	tests := []struct {
		name        string
		query       string
		want        []string
		unsupported bool
	}{
		{"too long", strings.Repeat("a", 1025), []string{"1025 characters", "1,024"}, false},
		{"empty", "   ", []string{"empty search query"}, false},
		{"schema not closed", "{AWS/EC2,InstanceId", []string{"not closed"}, false},
		{"empty schema", "{}", []string{"empty metric schema"}, false},
		{"trailing comma in schema", "{AWS/EC2,}", []string{"trailing comma"}, false},
		{"schema needs commas", "{My Namespace}", []string{"separate the namespace", "quote names"}, false},
		{"duplicate dimension", "{AWS/EC2,InstanceId,InstanceId}", []string{"appears twice"}, false},
		{"schema not first", "CPU {AWS/EC2}", []string{"must come first"}, false},
		{"dangling AND", "cpu AND", []string{"ends too early"}, false},
		{"dangling NOT", "NOT", []string{"ends too early"}, false},
		{"unclosed group", "(a OR b", []string{`"(" is not closed`}, false},
		{"unmatched close", "a OR b)", []string{"no matching"}, false},
		{"unclosed exact", `"abc`, []string{"not closed"}, false},
		{"single quotes", "'abc'", []string{"double quotes"}, false},
		{"no letters", "---", []string{"no letters or digits"}, false},
		{"property without value", "MetricName=", []string{"needs a value"}, false},
		{"equals without property", "=x", []string{"property name"}, false},
		{"cross account", ":aws.AccountId=LOCAL", []string{"cross-account"}, true},
		{"comma in terms", "a, b", []string{`unexpected ","`}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSearch(tt.query)
			if err == nil {
				t.Fatalf("ParseSearch(%q) succeeded, want an error", tt.query)
			}
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("error %v is %T, want *Error", err, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("ParseSearch(%q) error %q does not contain %q", tt.query, err, w)
				}
			}
			if got := errors.Is(err, ErrUnsupported); got != tt.unsupported {
				t.Errorf("errors.Is(ErrUnsupported) = %v, want %v", got, tt.unsupported)
			}
		})
	}
	// Exactly 1,024 characters is allowed.
	if _, err := ParseSearch(strings.Repeat("a", 1024)); err != nil {
		t.Errorf("1,024-character query: %v", err)
	}
}

func TestTokenize(t *testing.T) {
	// The table of the CloudWatch User Guide, "CloudWatch search expressions: Tokenization".
	tests := []struct {
		in    string
		atoms []string
		full  string
	}{
		{"CustomCount1", []string{"Custom", "Count", "1"}, "customcount1"},
		{"SDBFailure", []string{"SDB", "Failure"}, "sdbfailure"},
		{"Project2-trial333", []string{"Project", "2", "trial", "333"}, "project2trial333"},
		{"Network-Errors_2", []string{"Network", "Errors", "2"}, "networkerrors2"},
		{"i-0abc123", []string{"i", "0", "abc", "123"}, "i0abc123"},
		{"AWS/EC2", []string{"AWS", "EC", "2"}, "awsec2"},
		{"---", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := tokenize(tt.in)
			if diff := cmp.Diff(tokens{atoms: tt.atoms, full: tt.full}, got, cmp.AllowUnexported(tokens{})); diff != "" {
				t.Errorf("tokenize(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestSearchLabel(t *testing.T) {
	tests := []struct {
		name, metric string
		dims         map[string]string
		want         string
	}{
		{"no dimensions", "CPUUtilization", nil, "CPUUtilization"},
		{"one dimension", "CPUUtilization", map[string]string{"InstanceId": "i-1"}, "i-1 CPUUtilization"},
		{"ordered by dimension name", "Latency", map[string]string{"Service": "api", "Endpoint": "/login"}, "/login api Latency"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SearchLabel(tt.metric, tt.dims); got != tt.want {
				t.Errorf("SearchLabel = %q, want %q", got, tt.want)
			}
		})
	}
}

// The examples of the CloudWatch User Guide, "CloudWatch search expression examples"
// (search-expression-examples.html), on a small EC2 and ELB store; the expected metrics follow
// the guide's description of each example.
func TestMatchDocumentedExamples(t *testing.T) {
	store := []testMetric{
		{"A", "AWS/EC2", "CPUUtilization", map[string]string{"InstanceId": "i-1"}},
		{"B", "AWS/EC2", "CPUUtilization", map[string]string{"InstanceId": "i-2"}},
		{"C", "AWS/EC2", "CPUUtilization", map[string]string{"InstanceType": "t2.micro"}},
		{"D", "AWS/EC2", "CPUUtilization", map[string]string{"InstanceType": "m5.large"}},
		{"E", "AWS/EC2", "CPUUtilization", nil}, // the aggregate over all instances
		{"F", "AWS/EC2", "CPUUtilization", map[string]string{"ImageId": "ami-1"}},
		{"G", "AWS/ECS", "CPUUtilization", map[string]string{"ClusterName": "prod"}},
		{"H", "AWS/NetworkELB", "ConsumedLCUs", map[string]string{"LoadBalancer": "net/lb/1"}},
		{"I", "AWS/NetworkELB", "NewFlowCount", map[string]string{"LoadBalancer": "net/lb/1"}},
		{"J", "AWS/NetworkELB", "ActiveFlowCount_TCP", map[string]string{"LoadBalancer": "net/lb/1"}},
		{"K", "AWS/NetworkELB", "ProcessedBytes", map[string]string{"LoadBalancer": "net/lb/1"}},
		{"L", "MyApp", "ConnectionErrors", nil},
		{"M", "MyApp", "errors", nil},
		{"N", "MyApp", "Errors", map[string]string{"Service": "api"}},
		{"O", "Custom-Namespace", "ErrorCount", map[string]string{"Dimension Name With Spaces": "x"}},
	}
	tests := []struct {
		name, query, want string
	}{
		{"one line per instance", `{AWS/EC2,InstanceId} MetricName="CPUUtilization"`, "AB"},
		{"one line per instance type", `{AWS/EC2,InstanceType} MetricName="CPUUtilization"`, "CD"},
		{"namespace only: the aggregate without dimensions", `{AWS/EC2} MetricName="CPUUtilization"`, "E"},
		{"instance types containing micro", `{AWS/EC2,InstanceType} InstanceType=micro MetricName="CPUUtilization"`, "C"},
		{"exact instance type", `{AWS/EC2,InstanceType} InstanceType="t2.micro" MetricName="CPUUtilization"`, "C"},
		{"all namespaces", `MetricName="CPUUtilization"`, "ABCDEFG"},
		{"two namespaces by exact match", `MetricName="CPUUtilization" AND ("AWS/ECS" OR "AWS/ES")`, "G"},
		{"schema and comma", `{AWS/ECS, ClusterName}, MetricName="CPUUtilization"`, "G"},
		{"exact or token", `{AWS/NetworkELB, LoadBalancer} "ConsumedLCUs" OR flow`, "HIJ"},
		{"custom metrics", "NOT Namespace=AWS", "LMNO"},
		{"token Errors in any name", "Errors", "LMN"},
		{"exact Errors", `"Errors"`, "N"},
		{"quoted schema with spaces", `{"Custom-Namespace", "Dimension Name With Spaces"}, ErrorCount`, "O"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseSearch(tt.query)
			if err != nil {
				t.Fatalf("ParseSearch(%q): %v", tt.query, err)
			}
			var got strings.Builder
			for _, m := range store {
				if q.Match(m.ns, m.name, m.dims) {
					got.WriteString(m.key)
				}
			}
			if got.String() != tt.want {
				t.Errorf("ParseSearch(%q) matches %q, want %q", tt.query, got.String(), tt.want)
			}
		})
	}
}
