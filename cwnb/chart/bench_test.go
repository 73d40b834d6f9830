package chart

import (
	"image/color"
	"math"
	"strings"
	"syscall"
	"testing"
	"time"
)

func line10k() TimeSeries {
	const n = 10000
	times := make([]time.Time, n)
	v := make([]float64, n)
	for i := range times {
		times[i] = t0.Add(time.Duration(i) * time.Minute)
		v[i] = 420 + 30*math.Sin(float64(i)/11)
		if times[i].Minute() < 5 {
			v[i] = 3200
		}
	}
	return TimeSeries{Title: "p99 latency", Times: times, Series: []Series{{Name: "p99", Unit: "Milliseconds", Values: v}}}
}

// BenchmarkStaticLine10k is the static render of a 10,000-point line chart, end to end: build
// (downsampling to 2,000 points), ECharts SSR in goja, SVG → PNG. The runtime is warm (loaded by
// an earlier iteration). Target: ≤ 300 ms.
func BenchmarkStaticLine10k(b *testing.B) {
	ts := line10k()
	if _, err := getSSR(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	reportCPU(b, func() {
		c, err := Line(ts, WithMode(Static))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Bundle(); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkStaticLine10kParts splits the static render into its stages.
func BenchmarkStaticLine10kParts(b *testing.B) {
	c, err := Line(line10k(), WithMode(Static))
	if err != nil {
		b.Fatal(err)
	}
	svg, err := c.SVG()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("ssr", func(b *testing.B) {
		reportCPU(b, func() {
			if _, err := c.SVG(); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("rasterize", func(b *testing.B) {
		reportCPU(b, func() {
			if _, err := rasterizeSVG(svg, defaultPNGScale, color.White); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("png", func(b *testing.B) {
		img, _ := rasterizeSVG(svg, defaultPNGScale, color.White)
		reportCPU(b, func() {
			if _, err := encodePNG(img); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// BenchmarkEchartsColdLoad is what every GoNB cell (a new process) pays once: compile and run
// echarts.min.js in a fresh goja runtime.
func BenchmarkEchartsColdLoad(b *testing.B) {
	reportCPU(b, func() {
		if _, err := newSSRRuntime(); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkDownsample(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		x, y := spiky(n, n/2)
		for _, m := range []Downsampler{LTTB, MinMax} {
			b.Run(strings.ReplaceAll(m.String(), "/", "")+"/"+itoa(n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					downsample(x, y, 2000, m)
				}
			})
		}
	}
}

func itoa(n int) string { return formatNumber(float64(n)) }

// cpuTime is the process's user+system CPU time. On this shared 2-core machine wall time per op
// swings with other people's load; CPU time per op (reported as cpu-ms/op) is the steadier number.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU runs f as the benchmark loop and adds cpu-ms/op.
func reportCPU(b *testing.B, f func()) {
	start := cpuTime()
	n := 0
	for b.Loop() {
		f()
		n++
	}
	if n > 0 {
		b.ReportMetric(float64(cpuTime()-start)/float64(n)/1e6, "cpu-ms/op")
	}
}

// BenchmarkStaticDemo is the notebook's headline chart: a week of one-minute data (10,080 points)
// with Average and p99, requests on a second axis, a p50–p99 band, 168 hourly backup spans, a
// deploy and an SLO line — both-mode bundle (SVG, PNG and HTML).
func BenchmarkStaticDemo(b *testing.B) {
	ts := demoTimeSeries(10080)
	if _, err := getSSR(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	reportCPU(b, func() {
		c, err := Line(ts, WithMode(Both))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Bundle(); err != nil {
			b.Fatal(err)
		}
	})
}
