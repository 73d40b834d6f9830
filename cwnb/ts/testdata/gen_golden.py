#!/usr/bin/python3
"""Generate the golden files the cwnb/ts tests compare against, from pandas, numpy and scipy.

The Go tests never regenerate these files (there is no -update for them): the expected values
must come from an independent implementation. Regenerate after changing a case:

    cd cwnb/ts/testdata && /usr/bin/python3 gen_golden.py

(Debian's python3-pandas, python3-numpy and python3-scipy; measured with pandas 1.5.3,
numpy 1.24.2, scipy 1.10.1). The `make golden`-style recipe is exactly that line. Output:
golden_*.json next to this script. NaN is written as null, times as Unix nanoseconds.
"""
import json
import math
import os
import warnings

import numpy as np
import pandas as pd
import scipy
from scipy import stats

warnings.simplefilter("ignore")
HERE = os.path.dirname(os.path.abspath(__file__))
BASE = pd.Timestamp("2026-01-05T00:00:00Z")  # a Monday
rng = np.random.default_rng(20261121)


def clean(o):
    if isinstance(o, dict):
        return {k: clean(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [clean(v) for v in o]
    if isinstance(o, np.ndarray):
        return clean(o.tolist())
    if isinstance(o, (np.floating, float)):
        f = float(o)
        return None if math.isnan(f) else (("inf" if f > 0 else "-inf") if math.isinf(f) else f)
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.bool_,)):
        return bool(o)
    return o


def dump(name, obj):
    obj = {"generator": f"gen_golden.py (pandas {pd.__version__}, numpy {np.__version__}, scipy {scipy.__version__})", **obj}
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(clean(obj), f, indent=None, separators=(",", ":"))
        f.write("\n")


def ns(idx):
    return [int(t.value) for t in idx]


# ---------------------------------------------------------------- quantiles
METHODS = ["linear", "lower", "higher", "nearest", "midpoint", "inverted_cdf",
           "interpolated_inverted_cdf", "hazen", "weibull", "median_unbiased", "normal_unbiased"]
QS = [0, 0.01, 0.1, 0.25, 0.3, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1]
samples = {
    "empty": [],
    "one": [42.0],
    "two": [1.0, 2.0],
    "three": [3.0, 1.0, 2.0],
    "four_half": [4.0, 1.0, 3.0, 2.0],
    "ties": [1, 2, 2, 2, 3, 3, 5, 5, 5, 5, 8],
    "all_equal": [7.0] * 9,
    "nan_mixed": [5, float("nan"), 1, 4, float("nan"), 2, 3],
    "all_nan": [float("nan")] * 3,
    "negative": list(rng.normal(-10, 5, 17)),
    "lognormal_101": list(rng.lognormal(5, 1, 101)),
    "uniform_1000": list(rng.uniform(0, 1, 1000)),
    "exp_5000": list(rng.exponential(200, 5000)),
}
def nq(arr, qs, m):
    # All quantiles in one call: numpy 1.24 mis-indexes (from the end) when every virtual index
    # is a whole number, e.g. weibull or interpolated_inverted_cdf with q=[0] alone.
    return [float(v) for v in np.nanquantile(arr, qs, method=m)]


qcases = []
for name, x in samples.items():
    arr = np.array(x, dtype=float)
    res = {}
    for m in METHODS:
        if np.all(np.isnan(arr)):
            res[m] = [float("nan")] * len(QS)
        else:
            res[m] = nq(arr, QS, m)
    qcases.append({"name": name, "x": arr, "qs": QS, "want": res})

wcases = []
for name, (x, w) in {
    "small": ([3.0, 1.0, 2.0], [2, 1, 3]),
    "ties": ([5.0, 5.0, 1.0, 9.0], [1, 4, 2, 1]),
    "zero_weight": ([1.0, 100.0, 2.0], [3, 0, 1]),
    "counts": (list(np.round(rng.lognormal(5, 1, 40), 1)), list(rng.integers(1, 20, 40))),
}.items():
    rep = np.repeat(np.array(x), np.array(w))
    want = {m: nq(rep.astype(float), QS, m) for m in METHODS}
    wcases.append({"name": name, "x": x, "w": [float(v) for v in w], "qs": QS, "want": want})

dcases = []
for name in ["one", "two", "ties", "nan_mixed", "lognormal_101", "exp_5000", "empty"]:
    s = pd.Series(samples[name], dtype=float)
    d = s.describe(percentiles=[0.5, 0.9, 0.95, 0.99, 0.999])
    dcases.append({"name": name, "x": s.values, "count": int(d["count"]), "mean": d["mean"], "std": d["std"],
                   "min": d["min"], "p50": d["50%"], "p90": d["90%"], "p95": d["95%"], "p99": d["99%"],
                   "p999": d["99.9%"], "max": d["max"]})

mad = [{"name": n, "x": samples[n],
        "mad": float(stats.median_abs_deviation(np.array(samples[n], dtype=float), nan_policy="omit")) if len(samples[n]) and not np.all(np.isnan(samples[n])) else float("nan"),
        "mad_normal": float(stats.median_abs_deviation(np.array(samples[n], dtype=float), scale="normal", nan_policy="omit")) if len(samples[n]) and not np.all(np.isnan(samples[n])) else float("nan")}
       for n in ["one", "two", "ties", "all_equal", "nan_mixed", "negative", "lognormal_101", "empty"]]
dump("golden_quantile.json", {"quantiles": qcases, "weighted": wcases, "describe": dcases, "mad": mad})

# ---------------------------------------------------------------- resample
def series_irregular(n, span_s, seed_nan=0.05, seed=1):
    r = np.random.default_rng(seed)
    offs = np.sort(r.uniform(0, span_s, n))
    idx = BASE + pd.to_timedelta(np.round(offs * 1000).astype(np.int64), unit="ms")
    vals = r.lognormal(5, 0.7, n)
    vals[r.uniform(0, 1, n) < seed_nan] = np.nan
    return pd.Series(vals, index=idx)

def series_regular(n, step_s, start=BASE):
    idx = start + pd.to_timedelta(np.arange(n) * step_s, unit="s")
    return pd.Series(rng.lognormal(5, 0.7, n), index=idx)

gap = series_regular(40, 60)
gap = pd.concat([gap.iloc[:10], gap.iloc[25:]])  # 15 minutes without data
allnan = series_regular(30, 60)
allnan.iloc[5:12] = np.nan
dup = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
                index=BASE + pd.to_timedelta([0, 0, 30, 300, 300, 301], unit="s"))
resample_inputs = {
    "irregular_5m": (series_irregular(500, 3 * 3600), {"period": 300}),
    "irregular_7m_epoch": (series_irregular(300, 2 * 3600, seed=2), {"period": 420}),
    "irregular_7m_start": (series_irregular(300, 2 * 3600, seed=2), {"period": 420, "origin": "start"}),
    "offset_90s": (series_irregular(200, 3600, seed=3), {"period": 300, "offset": 90}),
    "closed_right": (series_regular(61, 60), {"period": 300, "closed": "right"}),
    "closed_right_label_right": (series_regular(61, 60), {"period": 300, "closed": "right", "label": "right"}),
    "label_right": (series_regular(61, 60), {"period": 300, "label": "right"}),
    "gap_buckets": (gap, {"period": 120}),
    "nan_bucket": (allnan, {"period": 300}),
    "one_value": (pd.Series([3.5], index=[BASE + pd.Timedelta(seconds=75)]), {"period": 60}),
    "duplicate_times": (dup, {"period": 300}),
    "hourly_from_1s": (series_regular(7200, 1), {"period": 3600}),
    "start_closed_right": (series_irregular(200, 3600, seed=4), {"period": 300, "origin": "start", "closed": "right"}),
    "offset_label_right": (series_irregular(200, 3600, seed=6), {"period": 600, "offset": 120, "label": "right"}),
    "start_day_7m": (series_irregular(200, 7200, seed=7), {"period": 420, "origin": "start_day"}),
}
AGGS = ["mean", "sum", "min", "max", "count", "median", "std", "first", "last", "p90", "p99"]
rcases = []
for name, (s, o) in resample_inputs.items():
    kw = {"closed": o.get("closed", "left"), "label": o.get("label", "left"),
          "origin": o.get("origin", "epoch")}
    if "offset" in o:
        kw["offset"] = pd.Timedelta(seconds=o["offset"])
    r = s.resample(pd.Timedelta(seconds=o["period"]), **kw)
    want = {
        "mean": r.mean(), "sum": r.sum(min_count=1), "min": r.min(), "max": r.max(), "count": r.count(),
        "median": r.median(), "std": r.std(), "first": r.first(), "last": r.last(),
        "p90": r.quantile(0.9), "p99": r.quantile(0.99),
    }
    times = ns(want["mean"].index)
    rcases.append({"name": name, "t": ns(s.index), "v": s.values, "opt": o, "times": times,
                   "want": {k: v.reindex(want["mean"].index).values for k, v in want.items()}})
dump("golden_resample.json", {"aggs": AGGS, "cases": rcases})

# ---------------------------------------------------------------- rolling and ewm
roll_inputs = {
    "irregular": series_irregular(400, 4 * 3600, seed=5),
    "regular_1m": series_regular(200, 60),
    "with_gap": gap,
    "nan_block": allnan,
}
ROLL_AGGS = ["mean", "sum", "min", "max", "count", "std", "median", "p90"]
lcases = []
for name, s in roll_inputs.items():
    for window, closed, minp in [(900, "right", None), (900, "left", None), (600, "both", 3), (1800, "neither", 2)]:
        kw = {"closed": closed}
        if minp is not None:
            kw["min_periods"] = minp
        r = s.rolling(pd.Timedelta(seconds=window), **kw)
        want = {"mean": r.mean(), "sum": r.sum(), "min": r.min(), "max": r.max(), "count": r.count(),
                "std": r.std(), "median": r.median(), "p90": r.quantile(0.9, interpolation="linear")}
        lcases.append({"name": f"{name}/{window}s/{closed}/minp={minp}", "t": ns(s.index), "v": s.values,
                       "window": window, "closed": closed, "min_periods": minp or 0,
                       "want": {k: v.values for k, v in want.items()}})
ewm_s = series_irregular(120, 3600, seed=9)
ecases = []
for name, kw in {"span10": {"span": 10}, "alpha0.3_noadjust": {"alpha": 0.3, "adjust": False},
                 "halflife5": {"halflife": 5}, "com2_ignore_na": {"com": 2, "ignore_na": True},
                 "span5_minp3": {"span": 5, "min_periods": 3}}.items():
    ecases.append({"name": name, "v": ewm_s.values, "opt": kw, "want": ewm_s.ewm(**kw).mean().values})
reg = series_regular(50, 60)
reg.iloc[[3, 4, 20]] = np.nan
ht = reg.index[[0, 1, 2, 5, 6, 9, 15, 16, 30, 49]]
hs = reg.loc[ht].fillna(1.0)
ecases.append({"name": "halflife_time_4m", "t": ns(hs.index), "v": hs.values, "opt": {"halflife_time": 240},
               "want": hs.ewm(halflife=pd.Timedelta(minutes=4), times=hs.index).mean().values})
# anomaly band: rolling median and scaled MAD
band_s = series_regular(300, 60)
band_s.iloc[[50, 51, 200]] = [5000.0, 4000.0, 9000.0]
band_s.iloc[[10, 120]] = np.nan
bcases = []
for window, closed in [(1800, "right"), (3600, "left")]:
    r = band_s.rolling(pd.Timedelta(seconds=window), closed=closed)
    med = r.median()
    madv = r.apply(lambda x: stats.median_abs_deviation(x[~np.isnan(x)], scale="normal") if np.any(~np.isnan(x)) else np.nan, raw=True)
    bcases.append({"name": f"{window}s/{closed}", "t": ns(band_s.index), "v": band_s.values, "window": window,
                   "closed": closed, "median": med.values, "mad": madv.values})
dump("golden_rolling.json", {"aggs": ROLL_AGGS, "cases": lcases, "ewm": ecases, "band": bcases})

# ---------------------------------------------------------------- fill, as-of, shift/diff
src = pd.Series([1.0, 2.0, np.nan, 4.0, 10.0, 11.0],
                index=BASE + pd.to_timedelta([0, 300, 600, 900, 3600, 3630], unit="s"))
grid = BASE + pd.to_timedelta(np.arange(-2, 70) * 60, unit="s")
obs = src.dropna()
fcases = []
for limit in [0, 2, 5]:
    lk = {} if limit == 0 else {"limit": limit}
    fcases.append({"name": f"ffill/limit={limit}", "policy": "ffill", "limit": limit,
                   "want": obs.reindex(grid, method="ffill", **lk).values})
    fcases.append({"name": f"bfill/limit={limit}", "policy": "bfill", "limit": limit,
                   "want": obs.reindex(grid, method="bfill", **lk).values})
fcases.append({"name": "nan", "policy": "nan", "want": obs.reindex(grid).values})
fcases.append({"name": "zero", "policy": "zero", "want": obs.reindex(grid).fillna(0).values})
ot = obs.index.values.astype("int64").astype(float)
gt = grid.values.astype("int64").astype(float)
for maxgap in [0, 900, 1800]:
    lin = np.interp(gt, ot, obs.values, left=np.nan, right=np.nan)
    if maxgap:
        pos = np.searchsorted(ot, gt, side="right")
        for i, g in enumerate(gt):
            j = pos[i]
            exact = j > 0 and ot[j - 1] == g
            if not exact and 0 < j < len(ot) and ot[j] - ot[j - 1] > maxgap * 1e9:
                lin[i] = np.nan
    fcases.append({"name": f"linear/maxgap={maxgap}", "policy": "linear", "max_gap": maxgap, "want": lin})

left = pd.DataFrame({"t": BASE + pd.to_timedelta([-30, 0, 45, 60, 100, 170, 400, 1000], unit="s")})
right = pd.DataFrame({"t": BASE + pd.to_timedelta([0, 60, 60, 120, 180, 900], unit="s"), "i": np.arange(6)})
acases = []
for direction in ["backward", "forward", "nearest"]:
    for tol in [0, 20, 100]:
        kw = {} if tol == 0 else {"tolerance": pd.Timedelta(seconds=tol)}
        m = pd.merge_asof(left, right, on="t", direction=direction, **kw)
        acases.append({"name": f"{direction}/tol={tol}", "direction": direction, "tolerance": tol,
                       "want": m["i"].fillna(-1).astype(int).values})
sv = pd.Series([1.0, 3.0, np.nan, 6.0, 0.0, 5.0, 5.0, 10.0])
shifts = [{"n": n, "shift": sv.shift(n).values, "diff": sv.diff(n).values,
           "pct_change": sv.pct_change(n, fill_method=None).values} for n in [1, 2, -1]]
dump("golden_align.json", {"source_t": ns(src.index), "source_v": src.values, "grid": ns(grid), "fill": fcases,
                           "left": ns(pd.DatetimeIndex(left["t"])), "right": ns(pd.DatetimeIndex(right["t"])),
                           "asof": acases, "shift_v": sv.values, "shift": shifts})

# ---------------------------------------------------------------- seasonal folds
fold_s = series_irregular(3000, 9 * 86400, seed=11)
folds = []
for tz in ["UTC", "America/New_York", "Asia/Kolkata"]:
    local = fold_s.index.tz_convert(tz)
    keys = {"minute-of-hour": local.minute, "hour-of-day": local.hour, "day-of-week": local.dayofweek}
    for by, k in keys.items():
        g = fold_s.groupby(np.asarray(k))
        size = {"minute-of-hour": 60, "hour-of-day": 24, "day-of-week": 7}[by]
        full = pd.RangeIndex(size)
        folds.append({"name": f"{tz}/{by}", "tz": tz, "by": by,
                      "count": g.count().reindex(full).fillna(0).astype(int).values,
                      "mean": g.mean().reindex(full).values,
                      "p50": g.quantile(0.5).reindex(full).values,
                      "p99": g.quantile(0.99).reindex(full).values})
heat = []
for tz in ["UTC", "America/New_York"]:
    local = fold_s.index.tz_convert(tz)
    df = pd.DataFrame({"v": fold_s.values, "h": local.hour, "d": local.dayofweek,
                       "m": local.minute, "day": local.strftime("%Y-%m-%d")})
    p = df.pivot_table(index="h", columns="d", values="v", aggfunc="mean").reindex(index=range(24), columns=range(7))
    heat.append({"name": f"{tz}/hour-of-day×day-of-week", "tz": tz, "rows": "hour-of-day", "cols": "day-of-week",
                 "agg": "mean", "row_labels": None, "col_labels": None, "values": p.values})
    days = pd.date_range(df["day"].min(), df["day"].max(), freq="D").strftime("%Y-%m-%d")
    p = df.pivot_table(index="m", columns="day", values="v", aggfunc=lambda x: np.nanquantile(x, 0.9)).reindex(index=range(60), columns=days)
    heat.append({"name": f"{tz}/minute-of-hour×day", "tz": tz, "rows": "minute-of-hour", "cols": "day",
                 "agg": "p90", "row_labels": None, "col_labels": list(days), "values": p.values})
dump("golden_fold.json", {"t": ns(fold_s.index), "v": fold_s.values, "folds": folds, "heatmaps": heat})

# ---------------------------------------------------------------- hypothesis tests
mw = []
def add_mw(name, a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    r = stats.mannwhitneyu(a, b, alternative="two-sided", method="auto", use_continuity=True)
    ties = len(np.unique(np.concatenate([a, b]))) < len(a) + len(b)
    exact = (min(len(a), len(b)) <= 8 and not ties)
    mw.append({"name": name, "a": a, "b": b, "u": float(r.statistic), "p": float(r.pvalue), "exact": exact})
add_mw("exact_3v4", [1.1, 2.2, 3.3], [4.4, 5.5, 6.6, 7.7])
add_mw("exact_interleaved", [1, 3, 5, 7, 9.5], [2, 4, 6, 8, 10, 12])
add_mw("exact_8v8", rng.normal(0, 1, 8), rng.normal(1, 1, 8))
add_mw("exact_5v60", rng.normal(0.8, 1, 5), rng.normal(0, 1, 60))
add_mw("ties_small", [1, 2, 2, 3], [2, 3, 3, 4, 5])
add_mw("asymptotic_30v40", rng.normal(0, 1, 30), rng.normal(0.5, 1, 40))
add_mw("asymptotic_ties", rng.integers(0, 5, 50), rng.integers(1, 6, 60))
add_mw("all_equal", [3.0] * 10, [3.0] * 12)
add_mw("identical_distributions", rng.exponential(1, 200), rng.exponential(1, 300))
add_mw("far_apart", rng.normal(100, 1, 100), rng.normal(0, 1, 100))
add_mw("one_each", [1.0], [2.0])

# Every alternative and method on the same samples (no random draws here: the cases above are
# reused, so adding variants changes no other golden value). The exact method is asked only
# where it is valid (no ties) and cheap for scipy; with ties the Go side refuses it (scipy would
# ignore them).
mw_variants = []
for c in mw:
    a, b = c["a"], c["b"]
    ties = len(np.unique(np.concatenate([a, b]))) < len(a) + len(b)
    for alt in ("two-sided", "less", "greater"):
        for method, cont in (("auto", True), ("asymptotic", True), ("asymptotic", False), ("exact", True)):
            # scipy counts the exact distribution in O((n_a·n_b)²): keep it to small samples.
            if method == "exact" and (ties or len(a) * len(b) > 400):
                continue
            r = stats.mannwhitneyu(a, b, alternative=alt, method=method, use_continuity=cont)
            mw_variants.append({"name": c["name"], "a": a, "b": b, "alternative": alt, "method": method,
                                "continuity": cont, "u": float(r.statistic), "p": float(r.pvalue)})

# bootstrap intervals: scipy's percentile method (random, so the Go test compares with a tolerance)
spike = rng.lognormal(np.log(3000), 0.3, 120)  # :00-:05
rest = rng.lognormal(np.log(200), 0.5, 1080)
boots = []
for name, fn in [("p99", lambda x, axis: np.percentile(x, 99, axis=axis)),
                 ("mean", lambda x, axis: np.mean(x, axis=axis)),
                 ("median", lambda x, axis: np.median(x, axis=axis))]:
    diff = stats.bootstrap((spike, rest), lambda a, b, axis: fn(a, axis) - fn(b, axis), vectorized=True,
                           method="percentile", n_resamples=4000, random_state=1)
    ratio = stats.bootstrap((spike, rest), lambda a, b, axis: fn(a, axis) / fn(b, axis), vectorized=True,
                            method="percentile", n_resamples=4000, random_state=1)
    boots.append({"stat": name, "a_value": float(fn(spike, None)), "b_value": float(fn(rest, None)),
                  "diff_ci": [diff.confidence_interval.low, diff.confidence_interval.high],
                  "ratio_ci": [ratio.confidence_interval.low, ratio.confidence_interval.high],
                  "diff_se": float(diff.standard_error), "ratio_se": float(ratio.standard_error)})
mwsr = stats.mannwhitneyu(spike, rest, alternative="two-sided")
dump("golden_tests.json", {"mannwhitney": mw, "mannwhitney_variants": mw_variants, "bootstrap": {"a": spike, "b": rest, "level": 0.95,
                                                            "cases": boots, "mw_p": float(mwsr.pvalue),
                                                            "mw_u": float(mwsr.statistic)}})
print("wrote golden_*.json")
