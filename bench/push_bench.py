#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Pushed indicators: how soon a published indicator reaches members'
sensors through the hub's change feed (GET /api/v1/changes, a long poll),
against the old polling, and what many idle long polls cost the hub.

  push_bench.py DANNEVIRKE [--sensors 5] [--publishes 50] [--idle 500] [--db URL]
                           [--interval 0.2] [--per-address 100]

Everything on loopback, in a temporary folder removed at exit; every
process started is stopped at exit (and dies with this one). The database
is a fresh SQLite file unless --db gives one; `--db postgresql` takes
DV_TEST_POSTGRES_URL, which scripts/with-postgres.sh sets:

  bash scripts/with-postgres.sh python3 bench/push_bench.py build/dannevirke --db postgresql

Set-up, with the command line before the hub starts: the demo federation
(`federation load`), one sensor member per --sensors (role sensor, each of
its own municipality) and ceil(--idle / 4) members for the idle long polls
(the feed parks at most 4 requests per member), each with a token from
`token create`. Then `dannevirke hub --seed-demo`; the coordinator's demo
token (cfcs-analyst) publishes, into the national collection (TLP:CLEAR).

1. Publish → sensor. --sensors real `dannevirke sensor` processes (no
   logs, stdin closed: they keep running and pull; --poll 600 so that only
   the change feed makes them pull; their own --archive in the temporary
   folder). Once they are idle (4 s after start), --publishes indicators are
   posted one at a time, one every --interval seconds, each with an address
   of its own (198.18.0.0/15, the benchmarking range). Measured per sensor ×
   publish: from the POST's 202 (when this program has read it) to the
   sensor's "Indicators: N new or changed" line on its stderr (read line by
   line, time-stamped, by a thread per sensor); a line with N > 1 covers the
   N oldest publishes that sensor had not yet got. The same again with
   `--no-push --poll 2` sensors (the old behaviour) for comparison.

2. Idle long polls. --idle raw-socket requests
   `GET /api/v1/changes?collection=NATIONAL@NOW&type=indicator&wait=55`
   held open at once, 4 per member. The hub caps connections per client
   address at 128 (hub/http_limits.h, no flag), so the connections come from
   127.0.0.2, 127.0.0.3, … with at most --per-address each. Checked: none
   has answered after 2 s. Measured: the hub's RSS (VmRSS) and thread count
   before and while they are held; then one indicator is published and the
   time from its 202 to each answer, which must be changed:true (median and
   last). With --per-address above 128 the excess connections are closed by
   the hub without an answer (and counted as answered early).

Prints the figures; asserts nothing about timings. Exit 1 when something
did not work: a sensor did not get a published indicator within 15 s (push)
or --poll + 15 s (polling), a long poll answered before the publish, with
anything but changed:true, or not within 40 s of it. About 1 minute with the
defaults.
"""

import argparse
import ctypes
import datetime
import http.client
import ipaddress
import json
import os
import re
import selectors
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "ops"))
import taxii_client  # noqa: E402  (the shared TAXII helpers)

API_ROOT = taxii_client.API_ROOT
NATIONAL = "Nationale indikatorer"
PUBLISHER = "cfcs-analyst"
TLP_CLEAR = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
PER_MEMBER = 4  # the change feed's waiting requests per member
FIRST_ADDRESS = int(ipaddress.ip_address("198.18.0.0"))
LINE = re.compile(r"Indicators: (\d+) new or changed")
# The demo federation's 98 municipalities (their official codes).
MUNICIPALITIES = (
    "0101 0147 0151 0153 0155 0157 0159 0161 0163 0165 0167 0169 0173 0175 0183 0185 0187 0190 0201 0210 0217 "
    "0219 0223 0230 0240 0250 0253 0259 0260 0265 0269 0270 0306 0316 0320 0326 0329 0330 0336 0340 0350 0360 "
    "0370 0376 0390 0400 0410 0420 0430 0440 0450 0461 0479 0480 0482 0492 0510 0530 0540 0550 0561 0563 0573 "
    "0575 0580 0607 0615 0621 0630 0657 0661 0665 0671 0706 0707 0710 0727 0730 0740 0741 0746 0751 0756 0760 "
    "0766 0773 0779 0787 0791 0810 0813 0820 0825 0840 0846 0849 0851 0860").split()

processes = []
published = 0  # addresses used so far


class BenchError(Exception):
    pass


def die_with_parent():
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start(argv, **kwargs):
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, preexec_fn=die_with_parent, **kwargs)
    processes.append(proc)
    return proc


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def stop_on_signals():
    def handler(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def cli(dannevirke, *args):
    done = subprocess.run([dannevirke, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError("dannevirke %s: %s" % (" ".join(args[:2]), done.stderr.strip() or done.stdout.strip()))
    return done.stdout


def make_member(dannevirke, db, member, org):
    cli(dannevirke, "member", "add", "--db", db, "--id", member, "--org", org, "--role", "sensor")
    return json.loads(cli(dannevirke, "token", "create", "--db", db, "--member", member, "--label", "push bench",
                          "--json"))["token"]


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
        hub = start([dannevirke, "hub", "--db", db, "--seed-demo", "--port", "0", "--port-file", port_file,
                     "--token-file", os.path.join(workdir, "tokens.json"), "--quiet"],
                    stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and hub.poll() is None:
        if os.path.exists(port_file) and os.path.getsize(port_file) > 0:
            with open(port_file, encoding="utf-8") as f:
                base = "http://127.0.0.1:" + f.read().strip()
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as res:
                    if res.status == 200:
                        return hub, base
            except (urllib.error.URLError, OSError):
                pass
        time.sleep(0.1)
    raise BenchError("the hub did not start:\n" + tail(log_path))


def proc_status(pid):
    """(RSS in MiB, threads) of a process, from /proc/PID/status."""
    rss, threads = 0.0, 0
    with open("/proc/%d/status" % pid, encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
            elif line.startswith("Threads:"):
                threads = int(line.split()[1])
    return rss, threads


def publish(base, token, collection_id):
    """Posts one new TLP:CLEAR indicator on an address of its own; the time its 202 was read."""
    global published
    address = str(ipaddress.ip_address(FIRST_ADDRESS + 1 + published))
    published += 1
    number = uuid.uuid4()
    obj = {
        "type": "indicator", "spec_version": "2.1", "id": "indicator--%s" % number,
        "created": "2026-12-01T08:00:00.000Z", "modified": "2026-12-01T08:00:00.000Z",
        "name": "Push bench %s" % address, "pattern": "[ipv4-addr:value = '%s']" % address,
        "pattern_type": "stix", "valid_from": "2026-12-01T08:00:00Z", "indicator_types": ["malicious-activity"],
        "object_marking_refs": [TLP_CLEAR],
    }
    status, answer = taxii_client.request("POST", base + API_ROOT + "collections/" + collection_id + "/objects/",
                                          token, json.dumps({"objects": [obj]}).encode())
    at = time.monotonic()
    if status != 202 or answer.get("success_count") != 1:
        raise BenchError("the hub did not store the indicator: %d %s" % (status, json.dumps(answer)[:300]))
    return at


def percentile(sorted_values, fraction):
    """Nearest-rank percentile of a sorted list."""
    rank = max(1, -(-len(sorted_values) * fraction // 1))
    return sorted_values[int(rank) - 1]


def summary_ms(values):
    if not values:
        return "(none)"
    ordered = sorted(values)
    return "min %.1f  median %.1f  p95 %.1f  max %.1f ms" % (
        ordered[0] * 1000, statistics.median(ordered) * 1000, percentile(ordered, 0.95) * 1000, ordered[-1] * 1000)


# --- 1. publish → sensor ---------------------------------------------------

class Sensor:
    def __init__(self, dannevirke, base, token_file, collection_id, org, archive, push):
        args = [dannevirke, "sensor", "--hub", base, "--token-file", token_file, "--collection", collection_id,
                "--org", org, "--archive", archive]
        args += ["--poll", "600"] if push else ["--no-push", "--poll", "2"]
        self.proc = start(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.lines = []  # (monotonic time, text)
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for raw in self.proc.stderr:
            at = time.monotonic()
            with self.lock:
                self.lines.append((at, raw.decode("utf-8", "replace").rstrip("\n")))

    def pulls_since(self, since):
        """(time, N) of every "Indicators: N new or changed" line after `since`."""
        with self.lock:
            return [(at, int(m.group(1))) for at, text in self.lines if at > since
                    for m in [LINE.search(text)] if m and int(m.group(1)) > 0]

    def stop(self):
        stop(self.proc)
        self.reader.join(timeout=5)


def attribute(pulls, sent):
    """Latencies of the publishes (their 202 times, in order) covered by the pulls."""
    latencies, next_publish = [], 0
    for at, count in pulls:
        for _ in range(count):
            if next_publish >= len(sent):
                break
            latencies.append(at - sent[next_publish])
            next_publish += 1
    return latencies


def sensor_run(args, base, workdir, sensor_tokens, collection_id, push):
    label = "push" if push else "polling"
    sensors = []
    try:
        for index, (member, org, token_file) in enumerate(sensor_tokens):
            archive = os.path.join(workdir, "%s-%s" % (label, member))
            sensors.append(Sensor(args.dannevirke, base, token_file, collection_id, org, archive, push))
        time.sleep(4)  # the first pull, then waiting on the feed (or on --poll)
        for sensor in sensors:
            if sensor.proc.poll() is not None:
                raise BenchError("a sensor exited (status %s):\n%s" % (
                    sensor.proc.returncode, "\n".join(text for _, text in sensor.lines[-10:])))
        started = time.monotonic()
        sent = []
        for index in range(args.publishes):
            due = started + index * args.interval
            time.sleep(max(0.0, due - time.monotonic()))
            sent.append(publish(base, args.publisher_token, collection_id))
        give_up = time.monotonic() + 15 + (0 if push else 2)
        latencies, got = [], []
        while True:
            got = [min(args.publishes, sum(n for _, n in s.pulls_since(started))) for s in sensors]
            if all(count == args.publishes for count in got) or time.monotonic() > give_up:
                break
            time.sleep(0.1)
        pulls = 0
        for sensor in sensors:
            own = sensor.pulls_since(started)
            pulls += len(own)
            latencies += attribute(own, sent)
        return {"label": label, "latencies": latencies, "arrived": sum(got),
                "expected": args.publishes * len(sensors), "pulls": pulls,
                "seconds": sent[-1] - started if sent else 0.0}
    finally:
        for sensor in sensors:
            sensor.stop()


# --- 2. idle long polls ----------------------------------------------------

class LongPoll:
    def __init__(self, source, port, request):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind((source, 0))
        self.sock.connect(("127.0.0.1", port))
        self.sock.sendall(request)
        self.sock.setblocking(False)
        self.data = b""
        self.done_at = None
        self.status = None
        self.body = b""

    def feed(self, chunk, at):
        """Adds bytes (b"" at EOF); True once the answer is complete."""
        self.data += chunk
        head, sep, body = self.data.partition(b"\r\n\r\n")
        if sep:
            match = re.search(rb"(?im)^content-length:\s*(\d+)", head)
            if match is not None and len(body) >= int(match.group(1)):
                body = body[:int(match.group(1))]
            elif chunk:
                return False
        elif chunk:
            return False
        first = head.split(b"\r\n", 1)[0].split()
        self.status = int(first[1]) if len(first) > 1 and first[1].isdigit() else 0
        self.body = body
        self.done_at = at
        return True

    def describe(self):
        if self.done_at is None:
            return "no answer"
        if not self.data:
            return "connection closed without an answer"
        return "%s %s" % (self.status, self.body[:200].decode("utf-8", "replace"))

    def changed(self):
        try:
            return self.status == 200 and json.loads(self.body).get("changed") is True
        except ValueError:
            return False


def collect(polls, stop_event):
    """Reads the answers as they come, until all are in or stop_event is set."""
    selector = selectors.DefaultSelector()
    for poll in polls:
        selector.register(poll.sock, selectors.EVENT_READ, poll)
    open_count = len(polls)
    while open_count and not stop_event.is_set():
        for key, _ in selector.select(timeout=0.2):
            at = time.monotonic()
            poll = key.data
            try:
                chunk = poll.sock.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                chunk = b""
            if poll.feed(chunk, at) or not chunk:
                if poll.done_at is None:
                    poll.feed(b"", at)
                selector.unregister(poll.sock)
                open_count -= 1
    selector.close()


def idle_run(args, hub, base, idle_tokens, collection_id, failures):
    port = int(base.rsplit(":", 1)[1])
    before = proc_status(hub.pid)
    cursor = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    time.sleep(0.01)  # the cursor strictly after everything published so far
    path = "/api/v1/changes?collection=%s@%s&type=indicator&wait=55" % (collection_id, cursor)
    polls = []
    opened = time.monotonic()
    try:
        for index in range(args.idle):
            token = idle_tokens[index // PER_MEMBER]
            request = ("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAccept: application/json\r\n"
                       "Authorization: Bearer %s\r\nConnection: close\r\n\r\n" % (path, port, token)).encode()
            source = "127.0.0.%d" % (2 + index // args.per_address)
            polls.append(LongPoll(source, port, request))
        open_seconds = time.monotonic() - opened
        stop_event = threading.Event()
        reader = threading.Thread(target=collect, args=(polls, stop_event), daemon=True)
        reader.start()
        time.sleep(2)
        early = [p for p in polls if p.done_at is not None]
        held = proc_status(hub.pid)
        result = {"opened": len(polls), "open_seconds": open_seconds, "early": len(early),
                  "rss_before": before[0], "threads_before": before[1], "rss_held": held[0],
                  "threads_held": held[1], "sources": 1 + (args.idle - 1) // args.per_address}
        if early:
            answers = {}
            for poll in early:
                key = poll.describe()
                answers[key] = answers.get(key, 0) + 1
            result["early_answers"] = answers
            failures.append("%d of %d long polls answered within 2 s, before any publish" % (len(early), len(polls)))
        sent = publish(base, args.publisher_token, collection_id)
        reader.join(timeout=40)
        stop_event.set()
        reader.join(timeout=5)
        late = [p for p in polls if p not in early]
        answered = [p for p in late if p.done_at is not None]
        changed = [p for p in answered if p.changed()]
        times = sorted(p.done_at - sent for p in changed)
        result.update({"answered": len(answered), "changed": len(changed), "times": times,
                       "rss_after": proc_status(hub.pid)[0]})
        if len(changed) != len(late):
            others = {}
            for poll in late:
                if not poll.changed():
                    key = poll.describe()
                    others[key] = others.get(key, 0) + 1
            result["other_answers"] = others
            failures.append("%d of %d long polls did not answer changed:true within 40 s of the publish" % (
                len(late) - len(changed), len(late)))
        return result
    finally:
        for poll in polls:
            poll.sock.close()


# --- main ------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dannevirke")
    parser.add_argument("--sensors", type=int, default=5)
    parser.add_argument("--publishes", type=int, default=50)
    parser.add_argument("--idle", type=int, default=500)
    parser.add_argument("--db", default="", help="database URL; `postgresql`: $DV_TEST_POSTGRES_URL")
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between publishes")
    parser.add_argument("--per-address", type=int, default=100,
                        help="idle connections per client address (the hub allows 128 per address)")
    args = parser.parse_args()
    if not 1 <= args.sensors <= len(MUNICIPALITIES) or args.publishes < 1 or args.idle < 1:
        parser.error("--sensors must be 1..98, --publishes and --idle at least 1")
    if not 1 <= args.per_address or 2 + (args.idle - 1) // args.per_address > 254:
        parser.error("--idle / --per-address needs more than 253 client addresses")
    dannevirke = args.dannevirke = os.path.abspath(args.dannevirke)
    if args.db == "postgresql":
        args.db = os.environ.get("DV_TEST_POSTGRES_URL", "")
        if not args.db:
            sys.exit("--db postgresql: DV_TEST_POSTGRES_URL is not set (run under scripts/with-postgres.sh)")
    stop_on_signals()
    workdir = tempfile.mkdtemp(prefix="dv-push-bench-")
    failures = []
    try:
        db = args.db or "sqlite:" + os.path.join(workdir, "hub.db")
        print("database: %s" % ("PostgreSQL" if db.startswith("postgresql") else "SQLite (fresh file)"), flush=True)
        load = time.monotonic()
        cli(dannevirke, "federation", "load", "--db", db)
        suffix = uuid.uuid4().hex[:6]  # a database given may hold an earlier run's members
        sensor_tokens = []
        for index in range(args.sensors):
            member, org = "bench-sensor-%s-%02d" % (suffix, index), MUNICIPALITIES[index]
            token_file = os.path.join(workdir, member + ".token")
            with open(os.open(token_file, os.O_WRONLY | os.O_CREAT, 0o600), "w", encoding="ascii") as f:
                f.write(make_member(dannevirke, db, member, org) + "\n")
            sensor_tokens.append((member, org, token_file))
        idle_tokens = [make_member(dannevirke, db, "bench-idle-%s-%03d" % (suffix, index),
                                   MUNICIPALITIES[index % len(MUNICIPALITIES)])
                       for index in range(-(-args.idle // PER_MEMBER))]
        print("set-up: %d sensor members and %d idle members with tokens in %.1f s (command line)" % (
            len(sensor_tokens), len(idle_tokens), time.monotonic() - load), flush=True)
        hub, base = start_hub(dannevirke, db, workdir)
        with open(os.path.join(workdir, "tokens.json"), encoding="utf-8") as f:
            args.publisher_token = json.load(f)[PUBLISHER]
        collection_id = taxii_client.collection(base, args.publisher_token, NATIONAL)

        print("\n1. publish -> sensor: %d sensors, %d indicators one every %.0f ms (from the POST's 202 to the "
              "sensor's \"Indicators: N new or changed\" line)" % (args.sensors, args.publishes, args.interval * 1000),
              flush=True)
        runs = [sensor_run(args, base, workdir, sensor_tokens, collection_id, push=True),
                sensor_run(args, base, workdir, sensor_tokens, collection_id, push=False)]
        print("   %-34s %-50s %s" % ("sensors", "latency", "arrived"))
        for run, what in zip(runs, ("change feed (--poll 600)", "--no-push --poll 2")):
            print("   %-34s %-50s %d of %d (%d pulls)" % (what, summary_ms(run["latencies"]), run["arrived"],
                                                           run["expected"], run["pulls"]), flush=True)
            if run["arrived"] < run["expected"]:
                failures.append("%s: %d of %d sensor x publish pairs never arrived" % (
                    what, run["expected"] - run["arrived"], run["expected"]))

        print("\n2. idle long polls: %d requests (%d members, 4 each) from %d client addresses" % (
            args.idle, len(idle_tokens), 1 + (args.idle - 1) // args.per_address), flush=True)
        idle = idle_run(args, hub, base, idle_tokens, collection_id, failures)
        print("   opened in %.2f s; answered within 2 s (before any publish): %d of %d" % (
            idle["open_seconds"], idle["early"], idle["opened"]))
        for answer, count in idle.get("early_answers", {}).items():
            print("     %d x %s" % (count, answer))
        print("   hub RSS: %.1f MiB before, %.1f MiB while held (%+.1f MiB, %.1f KiB per request), %.1f MiB after" % (
            idle["rss_before"], idle["rss_held"], idle["rss_held"] - idle["rss_before"],
            (idle["rss_held"] - idle["rss_before"]) * 1024 / max(1, idle["opened"]), idle["rss_after"]))
        print("   hub threads: %d before, %d while held" % (idle["threads_before"], idle["threads_held"]))
        times = idle["times"]
        print("   one publish -> answers changed:true: %d of %d; median %s, last %s" % (
            idle["changed"], idle["opened"] - idle["early"],
            "%.1f ms" % (statistics.median(times) * 1000) if times else "-",
            "%.1f ms" % (times[-1] * 1000) if times else "-"))
        for answer, count in idle.get("other_answers", {}).items():
            print("     %d x %s" % (count, answer))
        if hub.poll() is not None:
            failures.append("the hub exited (status %s):\n%s" % (hub.returncode, tail(os.path.join(workdir, "hub.log"))))
    except BenchError as error:
        failures.append(str(error))
    finally:
        for proc in reversed(processes):
            stop(proc)
        shutil.rmtree(workdir, ignore_errors=True)
    for failure in failures:
        print("FAIL " + failure, flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
