#!/usr/bin/env bash
# Print cwnb/ts's Go benchmarks next to the same workloads in pandas/numpy/scipy, with the
# ratio Go/pandas (below 1: Go is faster). Run from anywhere inside the repository:
#
#   cwnb/ts/bench/compare.sh [go benchmark regexp]      (default: all of cwnb/ts's benchmarks)
#
# Without /usr/bin/python3 and pandas it prints the Go numbers alone. The targets of issue 4:
# ResampleMean/n=10M ≤ 0.5, ResampleP99/n=10M ≤ 0.1, QuantileP99/n=10M ≤ 1.
# COUNT=n sets the Go runs per benchmark (default 3). Ratios are only as steady as the machine:
# run it when the machine is otherwise idle.
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
	"$py" cwnb/ts/bench/bench_baseline.py > "$tmp/py.txt"
else
	echo "no /usr/bin/python3 with pandas and scipy: Go numbers only" >&2
	: > "$tmp/py.txt"
fi

awk '
	FNR == NR { pyw[$1] = $2; pyc[$1] = $3; next }   # bench_baseline.py: name wall-ms cpu-ms
	/^Benchmark/ {
		name = $1; sub(/-[0-9]+$/, "", name)          # drop the GOMAXPROCS suffix
		ms = $3 / 1e6; cpu = ""; al = ""
		for (i = 4; i < NF; i++) {
			if ($(i+1) == "cpu-ms/op") cpu = $i
			if ($(i+1) == "allocs/op") al = $i
		}
		if (!(name in gow)) { rows[++n] = name; gow[name] = ms; goc[name] = cpu }
		else {
			if (ms < gow[name]) gow[name] = ms
			if (cpu != "" && cpu < goc[name]) goc[name] = cpu
		}
		allocs[name] = al
	}
	function ratio(a, b) { return (b != "" && b > 0 && a != "") ? sprintf("%.3f", a / b) : "-" }
	END {
		printf "%-30s %10s %10s %8s   %10s %10s %8s %7s\n", "workload", "Go ms", "pandas ms", "ratio", "Go cpu-ms", "pd cpu-ms", "ratio", "allocs"
		for (i = 1; i <= n; i++) {
			k = rows[i]
			pw = (k in pyw) ? pyw[k] : ""; pc = (k in pyc) ? pyc[k] : ""
			printf "%-30s %10.2f %10s %8s   %10.2f %10s %8s %7s\n", k, gow[k], (pw == "" ? "-" : pw), ratio(gow[k], pw),
				goc[k], (pc == "" ? "-" : pc), ratio(goc[k], pc), allocs[k]
		}
		print ""
		print "ratio = Go / pandas (below 1: Go is faster); best of the runs on each side; cpu = process CPU time."
	}
' "$tmp/py.txt" "$tmp/go.txt"
