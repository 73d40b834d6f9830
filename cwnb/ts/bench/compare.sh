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
	FNR == NR { py[$1] = $2; next }                   # bench_baseline.py: name ms
	/^Benchmark/ {
		name = $1; sub(/-[0-9]+$/, "", name)          # drop the GOMAXPROCS suffix
		ms = $3 / 1e6
		if (!(name in goms)) { rows[++n] = name; goms[name] = ms }
		else if (ms < goms[name]) goms[name] = ms
		allocs[name] = $7
	}
	END {
		printf "%-32s %12s %12s %10s %8s\n", "workload", "Go ms", "pandas ms", "Go/pandas", "allocs"
		for (i = 1; i <= n; i++) {
			k = rows[i]
			if (k in py) printf "%-32s %12.2f %12.2f %10.3f %8s\n", k, goms[k], py[k], goms[k] / py[k], allocs[k]
			else printf "%-32s %12.2f %12s %10s %8s\n", k, goms[k], "-", "-", allocs[k]
		}
	}
' "$tmp/py.txt" "$tmp/go.txt"
