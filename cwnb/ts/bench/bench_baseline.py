#!/usr/bin/python3
"""Time the workloads of cwnb/ts's Go benchmarks in pandas/numpy/scipy and print one line each:

    <Go benchmark name> <wall milliseconds> <CPU milliseconds> [<peak MB allocated>]

The data match bench_test.go: n points at 1 s from 2026-01-01T00:00Z, values 200·Exp(1).
Each timing is the best of several runs (the machine is shared); CPU time is the process's
(time.process_time), which a busy machine inflates much less than wall time. Run it through compare.sh,
which prints Go and pandas side by side:

    cwnb/ts/bench/compare.sh            # from the repository root
    /usr/bin/python3 cwnb/ts/bench/bench_baseline.py [-match REGEXP] [n ...]   # baselines alone

Needs Debian's python3-pandas, python3-numpy and python3-scipy (use /usr/bin/python3).
"""
import re
import sys
import time
import tracemalloc

import numpy as np
import pandas as pd
from scipy import stats


def best(fn, repeat, mem=False):
    """Best wall and CPU milliseconds of repeat runs; with mem, also the peak of memory the
    workload allocated (tracemalloc, which numpy and pandas report their arrays to), in MB."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall = min(wall, time.perf_counter() - t)
        cpu = min(cpu, time.process_time() - c)
    out = f"{wall * 1000:.3f} {cpu * 1000:.3f}"
    if mem:
        tracemalloc.start()
        fn()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        out += f" {peak / 1e6:.1f}"
    return out


def size_name(n):
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def series(n):
    idx = pd.date_range("2026-01-01", periods=n, freq="1s", tz="UTC")
    v = 200 * np.random.default_rng(1).exponential(1.0, n)
    return pd.Series(v, index=idx)


MATCH = None  # a regular expression on the Go benchmark names (compare.sh passes its own)


def emit(bench, fn, repeat, mem=False):
    """Print one baseline line, if bench matches MATCH (Go's -bench matches each part of a name
    split at "/" separately; a search on the whole name is close enough for the patterns used)."""
    if MATCH is not None and not MATCH.search(bench):
        return
    print(f"{bench} {best(fn, repeat, mem)}", flush=True)


def main():
    global MATCH
    args = sys.argv[1:]
    if len(args) >= 2 and args[0] == "-match":
        MATCH = re.compile(args[1] if args[1] != "." else ".")
        args = args[2:]
    sizes = [int(a) for a in args] or [10_000, 1_000_000, 10_000_000]
    for n in sizes:
        s = series(n)
        r = 5 if n <= 1_000_000 else 3
        name = size_name(n)
        emit(f"BenchmarkResampleMean/n={name}", lambda: s.resample('5min').mean(), r)
        emit(f"BenchmarkResampleP99/n={name}", lambda: s.resample('5min').quantile(0.99), 1 if n > 1_000_000 else r)
        emit(f"BenchmarkResampleMulti/n={name}", lambda: (s.resample('5min').agg(['mean', 'max', 'count']), s.resample('5min').quantile(0.99)), 1 if n > 1_000_000 else r)
        v = s.values
        emit(f"BenchmarkQuantileP99/n={name}", lambda: np.percentile(v, 99), r)
        for agg in ("mean", "sum", "std"):
            emit(f"BenchmarkRolling{agg.capitalize()}/n={name}", lambda: getattr(s.rolling('15min'), agg)(), r, mem=True)
        if n <= 1_000_000:
            emit(f"BenchmarkFoldMinuteP99/n={name}", lambda: s.groupby(s.index.minute).quantile(0.99), r)
            h = n // 2
            emit(f"BenchmarkMannWhitney/n={name}", lambda: stats.mannwhitneyu(v[:h], v[h:]), r)
        del s, v


if __name__ == "__main__":
    main()
