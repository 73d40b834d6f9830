"""pandas loading the data of BenchmarkLoad*x24h/cached from its own fastest local format.

For n series x 1,440 minutes of float64 (the values of a cached cwnb load), written once as a
pickle of a DataFrame with a DatetimeIndex, this prints "name wall-ms peak-MB": the best of three
reads of the pickle by a new Python process (as a notebook kernel restart would), and that
process's peak RSS (VmHWM, the interpreter and pandas included).
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd

READ = r"""
import sys, time
import pandas as pd
t0 = time.perf_counter()
df = pd.read_pickle(sys.argv[1])
el = time.perf_counter() - t0
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]
print(f"{el * 1000:.1f} {int(hwm) / 1024:.1f} {df.shape[0]}x{df.shape[1]}")
"""


def main():
    with tempfile.TemporaryDirectory() as d:
        for n in (1000, 10000):
            idx = pd.date_range("2026-11-18T23:00:00Z", periods=1440, freq="min")
            rng = np.random.default_rng(1)
            df = pd.DataFrame(rng.random((1440, n)) * 300, index=idx, columns=[f"s{i:05d} p99" for i in range(n)])
            path = os.path.join(d, f"{n}.pkl")
            df.to_pickle(path)
            del df
            best, peak = None, None
            for _ in range(3):
                out = subprocess.run([sys.executable, "-c", READ, path], check=True, capture_output=True, text=True).stdout.split()
                ms, mb = float(out[0]), float(out[1])
                best = ms if best is None else min(best, ms)
                peak = mb if peak is None else min(peak, mb)
            print(f"Load{n}x24h {best:.1f} {peak:.1f}")


if __name__ == "__main__":
    main()
