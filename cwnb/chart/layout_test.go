package chart

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRoundAxis(t *testing.T) {
	for _, tc := range []struct{ in, want float64 }{
		{84, 100}, {1050, 1200}, {1000, 1000}, {0.7, 0.8}, {3300, 4000}, {9.5, 10},
	} {
		if got := roundAxis(tc.in); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("roundAxis(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestStretchAxis(t *testing.T) {
	tests := []struct {
		name       string
		values     [][]float64
		thresholds []float64
		want       map[string]any
	}{
		{"threshold inside the data", [][]float64{{100, 3200}}, []float64{1000}, map[string]any{}},
		{"threshold above the data", [][]float64{{100, 500, math.NaN()}}, []float64{1000}, map[string]any{"max": 1200.0}},
		{"negative threshold below the data", [][]float64{{-1, 5}}, []float64{-10}, map[string]any{"min": -12.0}},
		{"no data", nil, []float64{80}, map[string]any{"max": 100.0}},
		{"no thresholds", [][]float64{{1}}, nil, map[string]any{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := map[string]any{}
			stretchAxis(got, tc.values, tc.thresholds)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Error(diff)
			}
		})
	}
}

func TestFormatNumber(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want string
	}{{0, "0"}, {651.66, "651.7"}, {10080, "10,080"}, {-1234567, "-1,234,567"}, {math.NaN(), "NaN"}, {0.000123, "0.000123"}} {
		if got := formatNumber(tc.in); got != tc.want {
			t.Errorf("formatNumber(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
