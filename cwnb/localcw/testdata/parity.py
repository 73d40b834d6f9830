#!/usr/bin/env python3
"""Parity suite for the local CloudWatch, through clients no one in this project wrote.

botocore speaks awsJson1_0 to CloudWatch by default and Smithy RPC v2 CBOR when the service
model lists only that protocol, so the two runs exercise both of the server's protocols with a
codec that is not smithy-go's; the AWS CLI v1 run goes through its own command-line layer.
Each check publishes known samples, computes the expected answer here, independently, from the
samples and the CloudWatch documentation (cited per check), and compares.

usage: parity.py --endpoint http://127.0.0.1:PORT --now 2026-11-20T12:00:00Z
                 [--protocol json|cbor|both] [--cli]

Exit status: 0 when every check passes, 1 when one fails, 3 when boto3/botocore is missing
(the Go test that runs this script skips then, saying so).
"""

import argparse
import copy
import datetime as dt
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

try:
    import botocore.session
    from botocore.config import Config
    from botocore.exceptions import ClientError
except ImportError as err:  # pragma: no cover - depends on the machine
    print(f"skip: botocore is not importable by {sys.executable}: {err}")
    sys.exit(3)

FAILURES = []
PASSED = []


def check(name, ok, detail=""):
    if ok:
        PASSED.append(name)
        print(f"ok   {name}")
    else:
        FAILURES.append(name)
        print(f"FAIL {name}: {detail}")


def close(a, b, rel=1e-9):
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)


# ---------------------------------------------------------------------------------------------
# Clients


def make_client(endpoint, protocol, workdir):
    """A botocore CloudWatch client for endpoint speaking protocol ("json" or "cbor")."""
    session = botocore.session.get_session()
    if protocol == "cbor":
        # botocore prefers awsJson when a model lists both; a model listing only
        # smithy-rpc-v2-cbor makes it speak CBOR. Write that model into a data path of its own.
        model = copy.deepcopy(botocore.session.get_session().get_component("data_loader").load_service_model("cloudwatch", "service-2"))
        model["metadata"]["protocols"] = ["smithy-rpc-v2-cbor"]
        model["metadata"]["protocol"] = "smithy-rpc-v2-cbor"
        path = os.path.join(workdir, "models", "cloudwatch", model["metadata"]["apiVersion"])
        os.makedirs(path, exist_ok=True)
        with open(os.path.join(path, "service-2.json"), "w") as f:
            json.dump(model, f)
        session.get_component("data_loader").search_paths.insert(0, os.path.join(workdir, "models"))
    client = session.create_client(
        "cloudwatch", region_name="us-east-1", endpoint_url=endpoint,
        aws_access_key_id="AKIDPARITY", aws_secret_access_key="parity-secret",
        config=Config(retries={"max_attempts": 1}))
    want = {"json": "json", "cbor": "smithy-rpc-v2-cbor"}[protocol]
    got = getattr(client.meta.service_model, "resolved_protocol", client.meta.service_model.protocol)
    if got != want:
        # An old botocore (Debian's) speaks only the query protocol to CloudWatch, which the
        # local server does not serve: say so and let the Go test skip.
        print(f"skip: botocore {botocore.__version__} on {sys.executable} speaks {got!r} to CloudWatch, not {want!r}; "
              "the parity suite needs botocore >= 1.40 (the image's Python 3.11)")
        sys.exit(3)
    # Record what went on the wire, to check that the run spoke the protocol it claims.
    client.sent = []
    client.meta.events.register("before-send.cloudwatch", lambda request, **_: client.sent.append(
        (request.url, request.headers.get("Content-Type", b""), request.headers.get("X-Amz-Target", b""))))
    return client


def wire_check(client, protocol):
    """Every request of the run used the protocol's wire form (FACTS.md, Wire protocol)."""
    def as_str(v):
        return v.decode() if isinstance(v, bytes) else (v or "")
    bad = []
    for url, ctype, target in client.sent:
        ctype, target = as_str(ctype), as_str(target)
        if protocol == "cbor":
            ok = "/service/GraniteServiceVersion20100801/operation/" in url and ctype == "application/cbor" and not target
        else:
            ok = ctype == "application/x-amz-json-1.0" and target.startswith("GraniteServiceVersion20100801.")
        if not ok:
            bad.append((url, ctype, target))
    check(f"{protocol}: all {len(client.sent)} requests spoke {protocol}", client.sent and not bad, f"off-protocol requests: {bad[:3]}")


# ---------------------------------------------------------------------------------------------
# Independent reference of the documented statistics (Statistics-definitions.html)


def is_raw_set(s):
    """A statistic set is raw values only when Min = Max and Sum = Min x SampleCount."""
    return s["Minimum"] == s["Maximum"] and math.isclose(s["Sum"], s["Minimum"] * s["SampleCount"], rel_tol=1e-12)


def reference(datums):
    """Statistics of one period from its datums ({"Value": x} | {"Values": [...]} |
    {"StatisticValues": {...}}). Returns (basic, ranked): basic always, ranked is None when
    CloudWatch gives no other statistic (a set that is not raw values, or a negative value)."""
    raw, sets = [], []
    for d in datums:
        if "Value" in d:
            raw.append(d["Value"])
        elif "Values" in d:
            raw.extend(d["Values"])
        else:
            s = d["StatisticValues"]
            if is_raw_set(s):
                raw.extend([s["Minimum"]] * int(s["SampleCount"]))
            else:
                sets.append(s)
    n = len(raw) + sum(s["SampleCount"] for s in sets)
    total = sum(raw) + sum(s["Sum"] for s in sets)
    basic = {
        "SampleCount": n, "Sum": total, "Average": total / n,
        "Minimum": min(raw + [s["Minimum"] for s in sets]),
        "Maximum": max(raw + [s["Maximum"] for s in sets]),
    }
    if sets or any(x < 0 for x in raw):
        return basic, None
    xs = sorted(raw)
    w = len(xs)

    def pct(p):  # inverted empirical CDF: the smallest x whose rank reaches p% of the count
        k = max(1, math.ceil(p / 100 * w - 1e-9))
        return xs[k - 1]

    def trim(lo, hi):  # value i holds ranks (i, i+1]; keep its overlap with (lo, hi]
        parts = [(max(0.0, min(i + 1, hi) - max(i, lo)), x) for i, x in enumerate(xs)]
        tc = sum(p for p, _ in parts)
        return tc, sum(p * x for p, x in parts)

    tc, ts = trim(0.25 * w, 0.75 * w)
    ranked = {
        "p50": pct(50),
        "IQM": ts / tc,
        "TM(10%:90%)": (lambda c_s: c_s[1] / c_s[0])(trim(0.1 * w, 0.9 * w)),
        "WM(0:2)": statistics.fmean(min(max(x, 0), 2) for x in xs),
        "TC(0:10)": float(sum(1 for x in xs if 0 < x <= 10)),
        "TS(0:10)": float(sum(x for x in xs if 0 < x <= 10)),
        "PR(:2)": 100 * sum(1 for x in xs if x <= 2) / w,
    }
    return basic, ranked


# ---------------------------------------------------------------------------------------------
# Checks


class Run:
    def __init__(self, client, proto, now):
        self.c = client
        self.proto = proto
        self.now = now
        self.hour_ago = now - dt.timedelta(hours=1)
        self.ns = f"Parity/{proto}"

    def minute(self, k):
        return self.hour_ago + dt.timedelta(minutes=k)

    def name(self, check_name):
        return f"{self.proto}: {check_name}"

    def put(self, metric, datums):
        data = []
        for k, d in datums:
            m = {"MetricName": metric, "Timestamp": self.minute(k)}
            m.update(d)
            data.append(m)
        self.c.put_metric_data(Namespace=self.ns, MetricData=data)

    def by_minute(self, result):
        return {int((t - self.hour_ago).total_seconds() // 60): v for t, v in zip(result["Timestamps"], result["Values"])}

    # Item 1: CloudWatch concepts, Units: different units are aggregated separately.
    def units(self):
        samples = [(10, 10.0, "Seconds"), (10, 20.0, "Milliseconds"), (11, 30.0, "Seconds")]
        self.put("Latency", [(k, {"Value": v, "Unit": u}) for k, v, u in samples])
        want = {}
        for k, v, u in samples:
            s, n = want.get((k, u), (0.0, 0))
            want[(k, u)] = (s + v, n + 1)
        out = self.c.get_metric_statistics(
            Namespace=self.ns, MetricName="Latency", StartTime=self.hour_ago, EndTime=self.now,
            Period=60, Statistics=["Sum", "SampleCount"])
        got = {(int((d["Timestamp"] - self.hour_ago).total_seconds() // 60), d["Unit"]): (d["Sum"], int(d["SampleCount"]))
               for d in out["Datapoints"]}
        check(self.name("item 1: GetMetricStatistics gives one datapoint per unit"), got == want, f"got {got}, want {want}")

    # Items 2-4: Statistics-definitions.html.
    def sets_and_negatives(self):
        datums = {
            0: [{"StatisticValues": {"SampleCount": 3, "Sum": 100, "Minimum": 5, "Maximum": 5}}],
            1: [{"StatisticValues": {"SampleCount": 3, "Sum": 15, "Minimum": 5, "Maximum": 5}}],
            2: [{"StatisticValues": {"SampleCount": 4, "Sum": 30, "Minimum": 5, "Maximum": 10}}],
            3: [{"StatisticValues": {"SampleCount": 4, "Sum": 30, "Minimum": 5, "Maximum": 10}}, {"Values": [1, 2, 3]}],
            4: [{"Values": [1, 2, 3, 4]}],
            5: [{"Values": [-5, 1, 2, 3]}],
        }
        self.put("M", [(k, d) for k, ds in datums.items() for d in ds])
        stats = ["Sum", "Average", "SampleCount", "Minimum", "p50", "IQM", "TM(10%:90%)", "WM(0:2)", "TC(0:10)", "TS(0:10)", "PR(:2)"]
        queries = [{"Id": f"q{i}", "MetricStat": {"Metric": {"Namespace": self.ns, "MetricName": "M"}, "Period": 60, "Stat": st}}
                   for i, st in enumerate(stats)]
        out = self.c.get_metric_data(MetricDataQueries=queries, StartTime=self.hour_ago, EndTime=self.now)
        got = {stats[int(r["Id"][1:])]: self.by_minute(r) for r in out["MetricDataResults"]}
        want = {st: {} for st in stats}
        for k, ds in datums.items():
            basic, ranked = reference(ds)
            for st in stats:
                v = basic.get(st) if st in basic else (ranked or {}).get(st)
                if v is not None:
                    want[st][k] = v
        for item, st in [("item 2", "Sum"), ("item 2", "Average"), ("item 2", "p50"), ("item 3", "IQM"), ("item 3", "TM(10%:90%)"),
                         ("item 4", "WM(0:2)"), ("item 4", "TC(0:10)"), ("item 4", "TS(0:10)"), ("item 4", "PR(:2)"),
                         ("basic", "SampleCount"), ("basic", "Minimum")]:
            g, w = got.get(st, {}), want[st]
            ok = g.keys() == w.keys() and all(close(g[k], w[k]) for k in w)
            check(self.name(f"{item}: {st} by minute over sets, raw values and negatives"), ok, f"got {g}, want {w}")

    # Item 5: GetMetricData validation answers ValidationError with the service's wording
    # (public reports: telegraf#5420, yace#385, beats#32687).
    def validation_errors(self):
        base = {"Id": "m1", "MetricStat": {"Metric": {"Namespace": self.ns, "MetricName": "M"}, "Period": 60, "Stat": "Sum"}}
        cases = [
            ("Id M1", [dict(base, Id="M1")], self.hour_ago, self.now,
             "The value M1 for parameter MetricDataQueries.member.1.Id is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$."),
            ("Stat P99", [dict(base, MetricStat=dict(base["MetricStat"], Stat="P99"))], self.hour_ago, self.now,
             "The value P99 for parameter MetricDataQueries.member.1.MetricStat.Stat is not a valid statistic."),
            ("duplicate Ids", [base, base], self.hour_ago, self.now, ""),
            ("StartTime equals EndTime", [base], self.now, self.now, "The parameter StartTime must not equal parameter EndTime"),
        ]
        for name, queries, start, end, prefix in cases:
            try:
                self.c.get_metric_data(MetricDataQueries=queries, StartTime=start, EndTime=end)
            except ClientError as e:
                code, msg = e.response["Error"]["Code"], e.response["Error"].get("Message", "")
                status = e.response["ResponseMetadata"]["HTTPStatusCode"]
                check(self.name(f"item 5: {name} is ValidationError"), code == "ValidationError" and status == 400 and msg.startswith(prefix),
                      f"code {code}, status {status}, message {msg!r}, want prefix {prefix!r}")
            else:
                check(self.name(f"item 5: {name} is ValidationError"), False, "the call succeeded")

    # Item 6: numbers without separators, as the service writes them.
    def limit_message(self):
        hours = 24
        n = hours * 3600 // 1
        want = f"You have requested up to {n} datapoints, which exceeds the limit of 1440."
        try:
            self.c.get_metric_statistics(Namespace=self.ns, MetricName="M", StartTime=self.now - dt.timedelta(hours=hours),
                                         EndTime=self.now, Period=1, Statistics=["Sum"])
        except ClientError as e:
            code, msg = e.response["Error"]["Code"], e.response["Error"].get("Message", "")
            check(self.name("item 6: limit message without separators"), code == "InvalidParameterCombination" and msg.startswith(want),
                  f"code {code}, message {msg!r}")
        else:
            check(self.name("item 6: limit message without separators"), False, "the call succeeded")

    # Item 7 and using-metric-math.html: MIN/MAX over an array take the lowest/highest value
    # among the series at each timestamp, AVG of an array treats missing values as 0, STDDEV is
    # evaluated; DB_PERF_INSIGHTS is named as a documented function.
    def metric_math(self):
        a = {0: 1.0, 1: 2.0, 3: 4.0, 4: 5.0}
        b = {0: 10.0, 3: 0.0, 4: 20.0}
        self.put("A", [(k, {"Value": v}) for k, v in a.items()])
        self.put("B", [(k, {"Value": v}) for k, v in b.items()])

        def metric(i, name):
            return {"Id": i, "ReturnData": False, "MetricStat": {"Metric": {"Namespace": self.ns, "MetricName": name}, "Period": 60, "Stat": "Sum"}}

        exprs = {"mn": "MIN([a, b])", "mx": "MAX([a, b])", "av": "AVG([a, b])", "sd": "STDDEV([a, b])", "sd1": "a*0 + STDDEV(a)"}
        out = self.c.get_metric_data(
            MetricDataQueries=[metric("a", "A"), metric("b", "B")] + [{"Id": i, "Expression": e} for i, e in exprs.items()],
            StartTime=self.hour_ago, EndTime=self.minute(5))
        got = {r["Id"]: self.by_minute(r) for r in out["MetricDataResults"]}
        want = {i: {} for i in exprs}
        for k in sorted(set(a) | set(b)):
            present = [s[k] for s in (a, b) if k in s]
            want["mn"][k] = min(present)
            want["mx"][k] = max(present)
            want["av"][k] = sum(present) / 2  # missing counts as 0
            want["sd"][k] = statistics.pstdev(present)
        for k in a:
            want["sd1"][k] = statistics.pstdev(a.values())
        for i in exprs:
            g, w = got.get(i, {}), want[i]
            ok = g.keys() == w.keys() and all(close(g[k], w[k]) for k in w)
            check(self.name(f"item 7 / missing values: {exprs[i]}"), ok, f"got {g}, want {w}")
        try:
            self.c.get_metric_data(MetricDataQueries=[metric("a", "A"), {"Id": "e1", "Expression": "DB_PERF_INSIGHTS('RDS', 'db-ABC', 'db.load.avg')"}],
                                   StartTime=self.hour_ago, EndTime=self.now)
        except ClientError as e:
            msg = e.response["Error"].get("Message", "")
            check(self.name("item 7: DB_PERF_INSIGHTS is a documented function not evaluated"),
                  e.response["Error"]["Code"] == "ValidationError" and "DB_PERF_INSIGHTS" in msg and "documented CloudWatch function" in msg
                  and "unknown function" not in msg, f"message {msg!r}")
        else:
            check(self.name("item 7: DB_PERF_INSIGHTS is a documented function not evaluated"), False, "the call succeeded")

    # Item 8: graph-dynamic-labels.html and LabelOptions.Timezone.
    def dynamic_labels(self):
        values = {0: 3.0, 1: 9.0, 2: 1.0, 3: 4.0}
        self.put("L", [(k, {"Value": v}) for k, v in values.items()])
        tz = dt.timezone(-dt.timedelta(hours=1, minutes=30))
        ks = sorted(values)
        vs = [values[k] for k in ks]
        hi, lo = vs.index(max(vs)), vs.index(min(vs))

        def at(i):
            return self.minute(ks[i]).astimezone(tz).isoformat()

        def human(seconds):
            seconds = int(abs(seconds))
            parts = []
            for unit, name in ((86400, "d"), (3600, "h"), (60, "m"), (1, "s")):
                if seconds >= unit:
                    parts.append(f"{seconds // unit}{name}")
                    seconds %= unit
            return " ".join(parts) or "0s"

        def num(x):
            return repr(float(x)).removesuffix(".0")

        label = ("max ${MAX} at ${MAX_TIME}; min ${MIN} at ${MIN_TIME}; avg ${AVG}; sum ${SUM}; first ${FIRST} at ${FIRST_TIME}; "
                 "last ${LAST} at ${LAST_TIME}; n ${DATAPOINT_COUNT}; ${FIRST_TIME_RELATIVE}; ${PROP('MetricName')}")
        want = (f"max {num(max(vs))} at {at(hi)}; min {num(min(vs))} at {at(lo)}; avg {num(statistics.fmean(vs))}; sum {num(sum(vs))}; "
                f"first {num(vs[0])} at {at(0)}; last {num(vs[-1])} at {at(-1)}; n {len(vs)}; "
                f"{human((self.now - self.minute(ks[0])).total_seconds())}; L")
        pages = self.c.get_paginator("get_metric_data").paginate(
            MetricDataQueries=[{"Id": "l", "Label": label, "MetricStat": {"Metric": {"Namespace": self.ns, "MetricName": "L"}, "Period": 60, "Stat": "Maximum"}}],
            StartTime=self.hour_ago, EndTime=self.now, LabelOptions={"Timezone": "-0130"}, MaxDatapoints=3)
        labels = [r["Label"] for page in pages for r in page["MetricDataResults"]]
        check(self.name("item 8: dynamic label values and times, on every page"), len(labels) == 2 and all(x == want for x in labels),
              f"labels {labels}, want 2 x {want!r}")


def cli_checks(endpoint, now):
    """The AWS CLI v1 (its own command-line layer over botocore, awsJson1_0)."""
    aws = shutil.which("aws")
    if aws is None:
        print("skip: the aws CLI is not on PATH")
        return
    env = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDPARITY", AWS_SECRET_ACCESS_KEY="parity-secret", AWS_DEFAULT_REGION="us-east-1",
               AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull, AWS_PAGER="")
    env.pop("AWS_PROFILE", None)

    def run(*args):
        return subprocess.run([aws, "--endpoint-url", endpoint, "--output", "json", "cloudwatch", *args],
                              env=env, capture_output=True, text=True, timeout=120)

    hour_ago = now - dt.timedelta(hours=1)
    t = (hour_ago + dt.timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M:%SZ")
    data = [{"MetricName": "Latency", "Timestamp": t, "Value": 10, "Unit": "Seconds"},
            {"MetricName": "Latency", "Timestamp": t, "Value": 20, "Unit": "Milliseconds"}]
    p = run("put-metric-data", "--namespace", "Parity/cli", "--metric-data", json.dumps(data))
    check("cli: put-metric-data", p.returncode == 0, p.stderr)
    p = run("get-metric-statistics", "--namespace", "Parity/cli", "--metric-name", "Latency", "--period", "60",
            "--start-time", hour_ago.strftime("%Y-%m-%dT%H:%M:%SZ"), "--end-time", now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "--statistics", "Sum", "SampleCount")
    got = sorted((d["Unit"], d["Sum"], d["SampleCount"]) for d in json.loads(p.stdout or "{}").get("Datapoints", []))
    want = sorted((d["Unit"], float(d["Value"]), 1.0) for d in data)
    check("cli: item 1: get-metric-statistics gives one datapoint per unit", p.returncode == 0 and got == want, f"{p.stderr} got {got}, want {want}")
    q = [{"Id": "M1", "MetricStat": {"Metric": {"Namespace": "Parity/cli", "MetricName": "Latency"}, "Period": 60, "Stat": "Sum"}}]
    p = run("get-metric-data", "--metric-data-queries", json.dumps(q),
            "--start-time", hour_ago.strftime("%Y-%m-%dT%H:%M:%SZ"), "--end-time", now.strftime("%Y-%m-%dT%H:%M:%SZ"))
    check("cli: item 5: get-metric-data with Id M1 is ValidationError",
          p.returncode != 0 and "(ValidationError)" in p.stderr and "is not matching the expected pattern" in p.stderr, p.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--now", required=True, help="the server clock, RFC 3339 UTC")
    ap.add_argument("--protocol", default="both", choices=["json", "cbor", "both"])
    ap.add_argument("--cli", action="store_true", help="also check through the aws CLI")
    args = ap.parse_args()
    now = dt.datetime.fromisoformat(args.now.replace("Z", "+00:00"))
    print(f"botocore {botocore.__version__} on {sys.executable}")
    workdir = tempfile.mkdtemp(prefix="cwnb-parity-")
    try:
        for proto in (["json", "cbor"] if args.protocol == "both" else [args.protocol]):
            client = make_client(args.endpoint, proto, workdir)
            run = Run(client, proto, now)
            for step in (run.units, run.sets_and_negatives, run.validation_errors, run.limit_message, run.metric_math, run.dynamic_labels):
                try:
                    step()
                except Exception as e:  # a crash is a failed check, and the others still run
                    check(run.name(step.__name__), False, f"{type(e).__name__}: {e}")
            wire_check(client, proto)
        if args.cli:
            cli_checks(args.endpoint, now)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"{len(PASSED)} passed, {len(FAILURES)} failed")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
