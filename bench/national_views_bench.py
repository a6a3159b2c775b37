#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The national views over HTTP, on SQLite and on PostgreSQL side by side:
how long a coordinator waits for the national baseline, the exposure (who
is exposed to which vulnerability) and the risk analyses (weakest links,
investment plan) on each store.

  national_views_bench.py DANNEVIRKE [--requests 30] [--warmup 3] [--stores sqlite,postgresql]
                                     [--no-round-trips]

For each store a hub is started (`dannevirke hub --seed-demo`, loopback, a
port of its own) on a fresh database with the demo federation and the demo
data of every module; the coordinator's demo token (cfcs-analyst) asks, over
one keep-alive connection:

  baseline         GET  /api/v1/baseline/national
  exposure         GET  /api/v1/exposure                 (every CVE with its exposed members)
  exposure_cve     GET  /api/v1/exposure?cve=ID          (the members exposed to the first CVE of that list)
  risk_weakest     GET  /api/v1/risk/weakest
  risk_plan        POST /api/v1/risk/plan {"budget": 10000000}

--warmup requests per endpoint first (the first of them is reported as
"cold": it fills the hub's caches, e.g. the risk analyses, which are cached
by graph version), then --requests timed ones, one endpoint after another.
Reported per endpoint and store: median and p95 in ms, and the ratio of the
PostgreSQL median to SQLite's.

PostgreSQL: DV_TEST_POSTGRES_URL when set; otherwise this program runs
itself again under scripts/with-postgres.sh (a throwaway cluster on
127.0.0.1, removed afterwards). On PostgreSQL every store call is a round
trip to the server: unless --no-round-trips, one more request per endpoint
is made with strace attached to the hub, counting the messages the hub sends
to PostgreSQL's port while the request is open (libpq sends one per
statement), grouped by statement and table, so a view that makes a call per
member shows. The fewest of three tries is reported: the hub's background
work (the duty module's tick reads collections, sightings and records every
few seconds) may send at the same moment.

Everything on loopback, in a temporary folder removed at exit; the hubs are
stopped at exit. Asserts nothing about timings; exit 1 when a request fails.
"""

import argparse
import ctypes
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
COORDINATOR = "cfcs-analyst"
PLAN_BODY = json.dumps({"budget": 10000000}).encode()


class BenchError(Exception):
    pass


def die_with_parent():
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def load_average():
    with open("/proc/loadavg", encoding="ascii") as f:
        return f.read().split()[0]


def tail(path, lines=15):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


def start_hub(dannevirke, db, workdir):
    port_file = os.path.join(workdir, "hub.port")
    log_path = os.path.join(workdir, "hub.log")
    with open(log_path, "w", encoding="utf-8") as log:
        hub = subprocess.Popen([dannevirke, "hub", "--db", db, "--seed-demo", "--port", "0", "--port-file", port_file,
                                "--token-file", os.path.join(workdir, "tokens.json"), "--quiet"],
                               stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                               preexec_fn=die_with_parent)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and hub.poll() is None:
        if os.path.exists(port_file) and os.path.getsize(port_file) > 0:
            with open(port_file, encoding="utf-8") as f:
                port = int(f.read().strip())
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    return hub, port
            except OSError:
                pass
        time.sleep(0.1)
    stop(hub)
    raise BenchError("the hub did not start:\n" + tail(log_path))


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Client:
    """One keep-alive connection to the hub, as the coordinator."""

    def __init__(self, port, token):
        self.port = port
        self.headers = {"Authorization": "Bearer " + token, "Accept": "application/json"}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)

    def call(self, method, path, body=None):
        """(seconds, parsed JSON answer); raises BenchError unless 200."""
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        res = self.conn.getresponse()
        data = res.read()
        seconds = time.perf_counter() - started
        if res.status != 200:
            raise BenchError("%s %s: %d %s" % (method, path, res.status, data[:300].decode(errors="replace")))
        return seconds, json.loads(data)


def endpoints(client):
    """[(name, method, path, body)]; the CVE is the first of the exposure list."""
    _, exposure = client.call("GET", "/api/v1/exposure")
    if not exposure.get("items"):
        raise BenchError("GET /api/v1/exposure: no CVE in the demo data")
    cve = exposure["items"][0]["cve"]
    return [
        ("baseline", "GET", "/api/v1/baseline/national", None),
        ("exposure", "GET", "/api/v1/exposure", None),
        ("exposure_cve", "GET", "/api/v1/exposure?cve=" + urllib.parse.quote(cve), None),
        ("risk_weakest", "GET", "/api/v1/risk/weakest", None),
        ("risk_plan", "POST", "/api/v1/risk/plan", PLAN_BODY),
    ]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered) + 0.5)) - 1))]


STATEMENT = re.compile(r"(SELECT|INSERT|UPDATE|DELETE|WITH|BEGIN|COMMIT|ROLLBACK|LISTEN)\b(.*?)(?:\\0|\"|$)")
FROM_TABLE = re.compile(r"\b(FROM|INTO|UPDATE)\s+(\w+)")


def statement_key(line):
    """A short name for the SQL a traced message carries: its verb and first table."""
    found = STATEMENT.search(line)
    if found is None:
        return "(other message)"
    table = FROM_TABLE.search(found.group(0))
    return found.group(1) + (" " + table.group(2) if table else "")


def count_round_trips(hub_pid, pg_port, client, method, path, body):
    """(messages, {statement: count}) the hub sent to PostgreSQL's port during one
    request (strace), or None when strace is missing or may not attach."""
    strace = shutil.which("strace")
    if strace is None:
        return None
    with tempfile.NamedTemporaryFile(prefix="dv-strace-", suffix=".txt", delete=False) as out:
        trace_path = out.name
    try:
        tracer = subprocess.Popen([strace, "-f", "-qq", "-yy", "-ttt", "-s", "400", "-e", "trace=sendto,sendmsg,write", "-o",
                                   trace_path,
                                   "-p", str(hub_pid)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, preexec_fn=die_with_parent)
        time.sleep(1.0)  # strace attaches to every thread before the request goes out
        if tracer.poll() is not None:
            return None
        began = time.time()
        client.call(method, path, body)
        ended = time.time()
        time.sleep(0.2)
        tracer.send_signal(signal.SIGINT)
        tracer.wait(timeout=10)
        target = re.compile(r"->127\.0\.0\.1:%d\]" % pg_port)
        statements = {}
        with open(trace_path, encoding="utf-8", errors="replace") as f:
            for line in f:
                # "PID SECONDS.MICROS sendto(...)": only what was sent while the request was open, not
                # what the hub's background work (e.g. the duty module's tick) sent around it.
                fields = line.split(None, 2)
                try:
                    at = float(fields[1])
                except (IndexError, ValueError):
                    continue
                if began <= at <= ended and target.search(line):
                    key = statement_key(line)
                    statements[key] = statements.get(key, 0) + 1
        return sum(statements.values()), statements
    finally:
        os.unlink(trace_path)


def run_store(args, name, db, workdir):
    print("== %s: starting the hub with the demo data (load average %s)" % (name, load_average()), flush=True)
    began = time.monotonic()
    hub, port = start_hub(args.dannevirke, db, workdir)
    try:
        print("   hub up in %.1f s on port %d" % (time.monotonic() - began, port), flush=True)
        with open(os.path.join(workdir, "tokens.json"), encoding="utf-8") as f:
            token = json.load(f)[COORDINATOR]
        client = Client(port, token)
        results = {}
        for endpoint, method, path, body in endpoints(client):
            cold = None
            for _ in range(args.warmup):
                seconds, _ = client.call(method, path, body)
                cold = seconds if cold is None else cold
            times = [client.call(method, path, body)[0] for _ in range(args.requests)]
            results[endpoint] = {"path": path, "method": method, "body": body, "cold": cold,
                                 "median": statistics.median(times), "p95": percentile(times, 0.95), "round_trips": None}
            print("   %-13s median %8.1f ms  p95 %8.1f ms  (cold %.1f ms)" % (
                endpoint, 1000 * results[endpoint]["median"], 1000 * results[endpoint]["p95"], 1000 * (cold or 0)),
                flush=True)
        if db.startswith("postgresql") and args.round_trips:
            pg_port = urllib.parse.urlsplit(db).port
            for endpoint, result in results.items():
                # The fewest of three: the hub's background work may send in the same moment.
                traced = [count_round_trips(hub.pid, pg_port, client, result["method"], result["path"], result["body"])
                          for _ in range(3)]
                traced = [t for t in traced if t is not None]
                if not traced:
                    continue
                count, statements = min(traced, key=lambda t: t[0])
                result["round_trips"] = count
                print("   %-13s %d round trips to PostgreSQL: %s" % (endpoint, count, ", ".join(
                    "%s x%d" % (key, n) for key, n in sorted(statements.items(), key=lambda kv: -kv[1]))), flush=True)
        print("   load average %s" % load_average(), flush=True)
        return results
    finally:
        stop(hub)


def print_table(by_store):
    stores = list(by_store)
    endpoints_seen = list(next(iter(by_store.values())))
    header = "| view | " + " | ".join("%s median / p95 ms (cold)" % store for store in stores)
    rule = "|---|" + "---|" * len(stores)
    pg = "PostgreSQL" in by_store and "SQLite" in by_store
    if pg:
        header += " | PG / SQLite (median) | round trips to PG"
        rule += "---|---|"
    print()
    print(header + " |")
    print(rule)
    slow = []
    for endpoint in endpoints_seen:
        row = "| %s %s |" % (by_store[stores[0]][endpoint]["method"], by_store[stores[0]][endpoint]["path"])
        for store in stores:
            r = by_store[store][endpoint]
            row += " %.1f / %.1f (%.0f) |" % (1000 * r["median"], 1000 * r["p95"], 1000 * (r["cold"] or 0))
        if pg:
            ratio = by_store["PostgreSQL"][endpoint]["median"] / by_store["SQLite"][endpoint]["median"]
            trips = by_store["PostgreSQL"][endpoint]["round_trips"]
            row += " %.2f%s | %s |" % (ratio, " (over 2)" if ratio > 2 else "", "?" if trips is None else trips)
            if ratio > 2:
                slow.append(endpoint)
        print(row)
    if pg:
        print()
        print("over 2x SQLite's median on PostgreSQL: " + (", ".join(slow) if slow else "none"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dannevirke", help="the dannevirke program (build/dannevirke)")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per endpoint and store")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per endpoint first (at least 1)")
    parser.add_argument("--stores", default="sqlite,postgresql", help="sqlite, postgresql or both, comma-separated")
    parser.add_argument("--no-round-trips", dest="round_trips", action="store_false",
                        help="do not count the round trips to PostgreSQL with strace")
    args = parser.parse_args()
    args.dannevirke = os.path.abspath(args.dannevirke)
    stores = [store.strip() for store in args.stores.split(",") if store.strip()]
    if args.requests < 1 or args.warmup < 1 or not stores or not set(stores) <= {"sqlite", "postgresql"}:
        parser.error("--requests and --warmup must be at least 1; --stores: sqlite, postgresql")
    if "postgresql" in stores and not os.environ.get("DV_TEST_POSTGRES_URL"):
        script = os.path.join(HERE, "..", "scripts", "with-postgres.sh")
        os.execv("/bin/bash", ["bash", script, sys.executable, os.path.abspath(__file__), *sys.argv[1:]])

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print("national_views_bench: %d timed requests per endpoint after %d warm-up, load average %s, %d cores" % (
        args.requests, args.warmup, load_average(), os.cpu_count()), flush=True)
    by_store = {}
    try:
        for store in stores:
            workdir = tempfile.mkdtemp(prefix="dv-national-")
            try:
                if store == "sqlite":
                    by_store["SQLite"] = run_store(args, "SQLite", "sqlite:" + os.path.join(workdir, "hub.db"), workdir)
                else:
                    by_store["PostgreSQL"] = run_store(args, "PostgreSQL", os.environ["DV_TEST_POSTGRES_URL"], workdir)
            finally:
                shutil.rmtree(workdir, ignore_errors=True)
    except (BenchError, OSError) as error:
        print("national_views_bench: %s" % error, file=sys.stderr)
        return 1
    print_table(by_store)
    return 0


if __name__ == "__main__":
    sys.exit(main())
