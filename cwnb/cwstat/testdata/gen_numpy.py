"""Writes numpy.json: percentiles and trimmed means of random weighted buckets computed by
numpy and scipy, an implementation independent of cwstat. Run by `go test -run TestNumpy
-update` (with /usr/bin/python3 and the Debian python3-numpy and python3-scipy packages).

Each case is a bucket of values with integer counts. numpy's percentile with
method="inverted_cdf" is Hyndman-Fan type 1, the estimator cwstat uses; it sees the counts
expanded into copies. scipy.stats.trim_mean(x, 0.1) cuts int(0.1*n) values from each end, so
it equals TM(10%:90%) when 0.1*n is a whole number; the case carries tm10 only then.
"""
import json
import numpy as np
from scipy import stats

rng = np.random.default_rng(20261121)
PS = [0, 0.1, 1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9, 100]
cases = []
for _ in range(60):
    n = int(rng.integers(1, 40))
    values = (rng.integers(0, 4000, n) / 4).tolist()
    counts = rng.integers(1, 8, n).tolist()
    copies = np.sort(np.repeat(values, counts))
    case = {
        "values": values,
        "counts": [float(c) for c in counts],
        "percentiles": PS,
        "want": [float(np.percentile(copies, p, method="inverted_cdf")) for p in PS],
    }
    if len(copies) % 10 == 0:
        case["tm10"] = float(stats.trim_mean(copies, 0.1))
    cases.append(case)
with open("numpy.json", "w") as f:
    json.dump(cases, f, indent=1)
    f.write("\n")
