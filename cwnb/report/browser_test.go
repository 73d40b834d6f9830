package report

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cwnb/cwnb/cwnb/chart"
)

// requireChromium skips when no Chromium is installed, except in CI (CI=true).
func requireChromium(t *testing.T) {
	t.Helper()
	if _, err := findChromium(""); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but %v", err)
		}
		t.Skip(err)
	}
	if testing.Short() {
		t.Skip("starts Chromium; skipped with -short")
	}
}

func barChart(t *testing.T, mode chart.Mode) *chart.Chart {
	t.Helper()
	c, err := chart.Bars(chart.Categories{
		Title:  "p99 latency per API",
		Names:  []string{"orders", "payments", "search"},
		Series: []chart.Series{{Name: "p99", Unit: "Milliseconds", Values: []float64{3200, 410, 220}}},
	}, chart.WithMode(mode))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCheckInBrowser opens pages in headless Chromium with the network off. A page with the
// library inlined draws its chart; the same chart without the library cannot reach the CDN and
// must be reported as not drawn (which also proves the network is off); a static chart is fine
// without any script.
func TestCheckInBrowser(t *testing.T) {
	requireChromium(t)
	dir := t.TempDir()
	both, err := barChart(t, chart.Both).HTML()
	if err != nil {
		t.Fatal(err)
	}
	static, err := barChart(t, chart.Static).HTML()
	if err != nil {
		t.Fatal(err)
	}
	withLibrary, err := chart.Page("offline", barChart(t, chart.Both), barChart(t, chart.Interactive))
	if err != nil {
		t.Fatal(err)
	}
	page := func(body string) string {
		return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>" + body + "</body></html>"
	}
	tests := []struct {
		name                                string
		html                                string
		charts, interactive, static, missed int
	}{
		{"library inlined", withLibrary, 2, 2, 0, 0},
		{"library missing, network off", page(both), 1, 0, 0, 1},
		{"static chart", page(static), 1, 0, 1, 0},
		{"no charts", page("<p>text</p>"), 0, 0, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".html")
			if err := os.WriteFile(path, []byte(tc.html), 0o644); err != nil {
				t.Fatal(err)
			}
			res, err := CheckInBrowser(context.Background(), path, BrowserOptions{})
			if res.Charts != tc.charts || res.Interactive != tc.interactive || res.Static != tc.static || len(res.NotDrawn) != tc.missed {
				t.Errorf("charts %d, interactive %d, static %d, not drawn %v; want %d, %d, %d, %d (console %q)",
					res.Charts, res.Interactive, res.Static, res.NotDrawn, tc.charts, tc.interactive, tc.static, tc.missed, res.Console)
			}
			if (err != nil) != (tc.missed > 0) {
				t.Errorf("CheckInBrowser error = %v, want an error %v", err, tc.missed > 0)
			}
			if err != nil && !strings.Contains(err.Error(), "did not draw offline") {
				t.Errorf("error %q does not say what is wrong", err)
			}
		})
	}
}

func TestCheckInBrowserErrors(t *testing.T) {
	if _, err := CheckInBrowser(context.Background(), "x.html", BrowserOptions{Chromium: "no-such-browser-binary"}); err == nil {
		t.Error("no error for a missing browser")
	}
	t.Setenv("PATH", t.TempDir())
	if _, err := findChromium(""); !errors.Is(err, ErrNoBrowser) || !strings.Contains(err.Error(), "apt-get install chromium") {
		if _, statErr := os.Stat("/usr/bin/chromium"); statErr != nil {
			t.Errorf("findChromium with an empty PATH = %v, want ErrNoBrowser naming the package", err)
		}
	}
}
