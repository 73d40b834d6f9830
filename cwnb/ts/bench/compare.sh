#!/usr/bin/env bash
# Print cwnb/ts's Go benchmarks next to the same workloads in pandas/numpy/scipy, with the
# ratio Go/pandas (below 1: Go is faster). Run from anywhere inside the repository:
#
#   cwnb/ts/bench/compare.sh [go benchmark regexp]      (default: all of cwnb/ts's benchmarks)
#
# Without /usr/bin/python3 and pandas it prints the Go numbers alone. The targets (issue 14 item 4,
# the numeric core's lines) are printed beside the ratios they judge, on CPU time (a shared
# machine moves wall time much more):
#   RollingNanosMean/Sum/Std n=10M   ≤ 0.5 of pandas' time, memory ≤ pandas' peak: ts.RollingNanos,
#     the rolling windows on the compact time axis (ts.Nanos, int64 nanoseconds, converted once
#     outside the timing, as a Result on one period holds its grid), against pandas'
#     s.rolling("15min") on its int64 DatetimeIndex. The RollingMean/Sum/Std rows are the
#     time.Time API (ts.Rolling, which converts its times once per call), shown beside the same
#     pandas figures without a target.
#   ResampleMean n=10M ≤ 0.37, ResampleP99 n=10M ≤ 0.017, QuantileP99 n=10M ≤ 0.14 (no worse
#   than the ratios measured before)
# Memory: Go's bytes allocated per operation (B/op) against the peak pandas/numpy allocated during
# the same workload (tracemalloc).
# COUNT=n sets the Go runs per benchmark (default 3). Ratios are only as steady as the machine:
# run it when the machine is otherwise idle. A short run of the rolling lines alone:
#
#   COUNT=2 cwnb/ts/bench/compare.sh 'Rolling(Nanos)?(Mean|Sum|Std)/n=10M'
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
bench="${1:-.}"
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Three runs of each benchmark, keeping the fastest (the pandas side keeps its best run too):
# on a shared machine the slowest runs measure the neighbours, not the code.
go test -run '^$' -bench "$bench" -benchmem -count "${COUNT:-3}" ./cwnb/ts | tee "$tmp/go.txt" >&2
if [ -x "$py" ] && "$py" -c 'import pandas, scipy' 2>/dev/null; then
	echo "running the pandas/numpy baselines ..." >&2
	"$py" cwnb/ts/bench/bench_baseline.py -match "$bench" > "$tmp/py.txt"
else
	echo "no /usr/bin/python3 with pandas and scipy: Go numbers only" >&2
	: > "$tmp/py.txt"
fi

awk '
	FNR == NR { pyw[$1] = $2; pyc[$1] = $3; if (NF >= 4) pym[$1] = $4; next }   # name wall-ms cpu-ms [peak-MB]
	/^Benchmark/ {
		name = $1; sub(/-[0-9]+$/, "", name)          # drop the GOMAXPROCS suffix
		ms = $3 / 1e6; cpu = ""; al = ""; mb = ""
		for (i = 4; i < NF; i++) {
			if ($(i+1) == "cpu-ms/op") cpu = $i
			if ($(i+1) == "allocs/op") al = $i
			if ($(i+1) == "B/op") mb = $i / 1e6
		}
		if (!(name in gow)) { rows[++n] = name; gow[name] = ms; goc[name] = cpu }
		else {
			if (ms < gow[name]) gow[name] = ms
			if (cpu != "" && cpu < goc[name]) goc[name] = cpu
		}
		allocs[name] = al; gomb[name] = mb
	}
	function ratio(a, b) { return (b != "" && b > 0 && a != "") ? sprintf("%.3f", a / b) : "-" }
	BEGIN {
		target["BenchmarkRollingNanosMean/n=10M"] = 0.5; memt["BenchmarkRollingNanosMean/n=10M"] = 1
		target["BenchmarkRollingNanosSum/n=10M"] = 0.5; memt["BenchmarkRollingNanosSum/n=10M"] = 1
		target["BenchmarkRollingNanosStd/n=10M"] = 0.5; memt["BenchmarkRollingNanosStd/n=10M"] = 1
		target["BenchmarkResampleMean/n=10M"] = 0.37
		target["BenchmarkResampleP99/n=10M"] = 0.017
		target["BenchmarkQuantileP99/n=10M"] = 0.14
	}
	END {
		printf "%-30s %9s %9s %7s   %9s %9s %7s %8s %8s %6s   %s\n", "workload", "Go ms", "pd ms", "ratio", "Go cpu", "pd cpu", "ratio", "Go MB", "pd MB", "allocs", "target (cpu ratio; memory)"
		for (i = 1; i <= n; i++) {
			k = rows[i]
			b = k; sub(/RollingNanos/, "Rolling", b)          # the compact path against the same pandas workload
			pw = (b in pyw) ? pyw[b] : ""; pc = (b in pyc) ? pyc[b] : ""; pm = (b in pym) ? pym[b] : ""
			tg = ""
			if (k in target) {
				rc = ratio(goc[k], pc)
				ok = (rc != "-" && rc + 0 <= target[k]) ? "met" : (rc == "-" ? "no baseline" : "MISSED")
				tg = sprintf("<= %s: %s", target[k], ok)
				if (k in memt && pm != "") tg = tg sprintf("; Go %.0f MB <= pandas %.0f MB: %s", gomb[k], pm, (gomb[k] <= pm ? "met" : "MISSED"))
			}
			printf "%-30s %9.2f %9s %7s   %9.2f %9s %7s %8s %8s %6s   %s\n", k, gow[k], (pw == "" ? "-" : pw), ratio(gow[k], pw),
				goc[k], (pc == "" ? "-" : pc), ratio(goc[k], pc), (gomb[k] == "" ? "-" : sprintf("%.1f", gomb[k])), (pm == "" ? "-" : pm), allocs[k], tg
		}
		print ""
		print "ratio = Go / pandas (below 1: Go is faster); best of the runs on each side; cpu = process CPU ms."
		print "Go MB = bytes allocated per operation; pd MB = peak allocated during the workload (tracemalloc)."
		print "RollingNanos* = ts.RollingNanos on the compact int64 time axis (ts.Nanos); Rolling* = ts.Rolling on []time.Time;"
		print "both against the same pandas s.rolling(\"15min\") figures."
	}
' "$tmp/py.txt" "$tmp/go.txt"
