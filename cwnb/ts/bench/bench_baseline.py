#!/usr/bin/python3
"""Time the workloads of cwnb/ts's Go benchmarks in pandas/numpy/scipy and print one line each:

    <Go benchmark name> <wall milliseconds> <CPU milliseconds>

The data match bench_test.go: n points at 1 s from 2026-01-01T00:00Z, values 200·Exp(1).
Each timing is the best of several runs (the machine is shared); CPU time is the process's
(time.process_time), which a busy machine inflates much less than wall time. Run it through compare.sh,
which prints Go and pandas side by side:

    cwnb/ts/bench/compare.sh            # from the repository root
    /usr/bin/python3 cwnb/ts/bench/bench_baseline.py [n ...]   # baselines alone

Needs Debian's python3-pandas, python3-numpy and python3-scipy (use /usr/bin/python3).
"""
import sys
import time

import numpy as np
import pandas as pd
from scipy import stats


def best(fn, repeat):
    wall = cpu = float("inf")
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall = min(wall, time.perf_counter() - t)
        cpu = min(cpu, time.process_time() - c)
    return f"{wall * 1000:.3f} {cpu * 1000:.3f}"


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


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 1_000_000, 10_000_000]
    for n in sizes:
        s = series(n)
        r = 5 if n <= 1_000_000 else 3
        name = size_name(n)
        print(f"BenchmarkResampleMean/n={name} {best(lambda: s.resample('5min').mean(), r)}", flush=True)
        print(f"BenchmarkResampleP99/n={name} {best(lambda: s.resample('5min').quantile(0.99), 1 if n > 1_000_000 else r)}", flush=True)
        print(f"BenchmarkResampleMulti/n={name} {best(lambda: (s.resample('5min').agg(['mean', 'max', 'count']), s.resample('5min').quantile(0.99)), 1 if n > 1_000_000 else r)}", flush=True)
        v = s.values
        print(f"BenchmarkQuantileP99/n={name} {best(lambda: np.percentile(v, 99), r)}", flush=True)
        if n <= 1_000_000:
            print(f"BenchmarkRollingMean/n={name} {best(lambda: s.rolling('15min').mean(), r)}", flush=True)
            print(f"BenchmarkFoldMinuteP99/n={name} {best(lambda: s.groupby(s.index.minute).quantile(0.99), r)}", flush=True)
            h = n // 2
            print(f"BenchmarkMannWhitney/n={name} {best(lambda: stats.mannwhitneyu(v[:h], v[h:]), r)}", flush=True)
        del s, v


if __name__ == "__main__":
    main()
