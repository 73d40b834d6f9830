package cwnb

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// bytesPerCell is the peak memory a load needs per series and period. A load of 10,000 series
// over a day at 1 minute (14.4 million cells) peaked near 1 GB: about 68 bytes a cell. The result
// itself keeps about 44 (the values, and the gota frame, which boxes every element); the rest is
// the responses being decoded and merged. TestBytesPerCell checks that the constant lies between
// what a result keeps and what a load allocates in all.
const bytesPerCell = 68

// estimateBytes is the memory a load of series series over rows periods is expected to need at
// its peak.
func estimateBytes(series, rows int) int64 {
	return int64(series) * int64(rows) * bytesPerCell
}

// checkMemory refuses, before any call, a load whose estimated size exceeds Options.MemoryLimit
// (by default the memory available now). A SEARCH or Metrics Insights query counts as one series:
// how many it finds is known only after the call.
func (l *Loader) checkMemory(p *prepared) error {
	limit := l.opts.MemoryLimit
	what := "the memory available now"
	if limit < 0 {
		return nil
	}
	if limit == 0 {
		avail, ok := memAvailable()
		if !ok {
			return nil
		}
		limit = avail
	} else {
		what = "Options.MemoryLimit"
	}
	series := 0
	for _, u := range p.us {
		if !u.hidden {
			series++
		}
	}
	series *= len(p.res.Regions)
	rows := int(p.end.Sub(p.start) / p.res.Period)
	need := estimateBytes(series, rows)
	if need <= limit {
		return nil
	}
	longer := p.res.Period
	for estimateBytes(series, int(p.end.Sub(p.start)/longer)) > limit && longer < 24*time.Hour {
		longer = nextPeriod(longer)
	}
	return errorf([]error{ErrTooBig}, "the load is too big: %d series × %d periods of %s need about %s, more than %s (%s); use a longer period (Query.Period: %s), fewer series or a shorter window, or raise the limit with WithMemoryLimit",
		series, rows, fmtDur(p.res.Period), fmtBytes(need), what, fmtBytes(limit), fmtDur(longer))
}

// nextPeriod is the next period people use after p: 1m, 5m, 15m, 1h, 6h, 1d.
func nextPeriod(p time.Duration) time.Duration {
	for _, q := range []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 6 * time.Hour, 24 * time.Hour} {
		if q > p {
			return q
		}
	}
	return p * 2
}

// fmtBytes formats a size as people read it: 512 B, 3.2 MB, 1.5 GB.
func fmtBytes(n int64) string {
	const k = 1000
	switch {
	case n < k:
		return fmt.Sprintf("%d B", n)
	case n < k*k:
		return fmt.Sprintf("%.1f kB", float64(n)/k)
	case n < k*k*k:
		return fmt.Sprintf("%.1f MB", float64(n)/(k*k))
	}
	return fmt.Sprintf("%.1f GB", float64(n)/(k*k*k))
}

// memAvailable reads MemAvailable from /proc/meminfo; ok is false where it cannot.
func memAvailable() (int64, bool) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	return parseMemAvailable(bufio.NewScanner(f))
}

// parseMemAvailable finds "MemAvailable:  123456 kB" in meminfo's lines.
func parseMemAvailable(sc *bufio.Scanner) (int64, bool) {
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "MemAvailable:")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return 0, false
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil || kb < 0 {
			return 0, false
		}
		return kb * 1024, true
	}
	return 0, false
}
