package suggest

import (
	"fmt"
	"testing"
)

func TestNearest(t *testing.T) {
	for _, tc := range []struct {
		s    string
		cand []string
		want string
	}{
		{"MyService/APi", []string{"AWS/EC2", "MyService/API", "MyService/Web"}, "MyService/API"},
		{"Latncy", []string{"Latency", "Requests", "Latency"}, "Latency"},
		{"Service=chekout", []string{"Service=cart", "Service=checkout"}, "Service=checkout"},
		{"x", []string{"ab", "cd", "ef", "gh"}, "ab or cd or ef"},
		{"é", []string{"e", "ée"}, "e or ée"},
	} {
		if got := Nearest(tc.s, tc.cand); got != tc.want {
			t.Errorf("Nearest(%q) = %q, want %q", tc.s, got, tc.want)
		}
	}
	for _, tc := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"kitten", "sitting", 3}, {"", "abc", 3}, {"flaw", "lawn", 2}, {"é", "e", 1}} {
		if got := EditDistance(tc.a, tc.b); got != tc.d {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.d)
		}
	}
}

func ExampleNearest() {
	fmt.Println(Nearest("/myservice/apx", []string{"/aws/lambda/orders-api", "/myservice/api"}))
	// Output: /myservice/api
}
