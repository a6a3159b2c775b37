#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The duty chain's notification latency and escalation timing, measured
with a real hub and a real SMTP server on loopback (issue 16: "First
notification after its trigger < 60 s at the 95th percentile (measure over
200 triggers with the real hub and SMTP sink); escalation fires within
±5 s of its configured delay").

  duty_latency_bench.py DANNEVIRKE [--triggers 200] [--spread 30] [--delay-minutes 1] [--tick-ms N] [--seed 1]

On loopback: `dannevirke hub` on a fresh SQLite database
(tests/integration/resolver_harness.py) and src/notify/testdata/smtp_server.py
(Debian's python3-aiosmtpd) with STARTTLS required and a self-signed
certificate the hub trusts through DV_SMTP_CA_FILE. Copenhagen (0101) keeps
two contacts and a duty config: a 24/7 rota with vagt-a on duty, a policy
whose step 1 mails the rota and whose step 2, `--delay-minutes` later, mails
vagt-b; outside reports are routed to it. The coordinator then posts
`--triggers` high-severity outside reports about Copenhagen's addresses at
random times spread uniformly over `--spread` seconds, each of its own
report type (dvbench-000, …), so that each is a storm group of its own and
becomes its own notification. Nobody acknowledges.

Measured per trigger, with the mail's arrival taken as the modification
time of the record the SMTP server wrote once it had accepted the message:
  latency      first mail (step 1, to vagt-a) − the 201 of the report's POST;
  escalation   second mail (step 2, to vagt-b) − first mail − the delay;
  lateness     second mail − (the notification's creation + the delay),
               i.e. against the engine's own schedule.
Prints min, median, p95, max and mean of each, and how many were within the
issue's bounds; asserts nothing about them. Exit 1 when a mail did not
arrive within --give-up seconds of when it was due, 77 when
/usr/bin/python3 lacks aiosmtpd or openssl is missing. About 2 minutes
with the defaults.
"""

import argparse
import calendar
import glob
import json
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
import resolver_harness as rh  # noqa: E402

SMTP_SERVER = os.path.join(HERE, "..", "src", "notify", "testdata", "smtp_server.py")
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, where python3-aiosmtpd installs
MEMBER = "0101"
PREFIX = "198.51.100.0/24"
TYPE_PREFIX = "dvbench-"
ADDRESS_A = "vagt-a@kk.example"
ADDRESS_B = "vagt-b@kk.example"


def percentile(sorted_values, fraction):
    """Nearest-rank percentile of a sorted list."""
    rank = max(1, -(-len(sorted_values) * fraction // 1))
    return sorted_values[int(rank) - 1]


def summary(values, unit="s"):
    ordered = sorted(values)
    return "min %.2f %s  median %.2f %s  p95 %.2f %s  max %.2f %s  mean %.2f %s" % (
        ordered[0], unit, statistics.median(ordered), unit, percentile(ordered, 0.95), unit, ordered[-1], unit,
        statistics.mean(ordered), unit)


def missing_tools():
    missing = []
    if shutil.which("openssl", path="/usr/bin:/bin") is None:
        missing.append("openssl")
    if not os.access(SYSTEM_PYTHON, os.X_OK) or subprocess.run(
            [SYSTEM_PYTHON, "-c", "import aiosmtpd"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode:
        missing.append("python3-aiosmtpd (for %s)" % SYSTEM_PYTHON)
    return missing


def load_average():
    with open("/proc/loadavg") as loadavg:
        return " ".join(loadavg.read().split()[:3])


def rfc3339_seconds(text):
    """Unix seconds of an RFC 3339 UTC instant as the hub writes them (…Z, optional fraction)."""
    match = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z", text)
    if not match:
        raise rh.HarnessError("unexpected time %r" % text)
    whole = calendar.timegm(time.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S"))
    return whole + (float(match.group(2)) if match.group(2) else 0.0)


class SmtpSink:
    """smtp_server.py on 127.0.0.1 with STARTTLS required; reads the mails it wrote."""

    def __init__(self, workdir, processes):
        self.dir = os.path.join(workdir, "smtp")
        os.makedirs(self.dir)
        self.cert = os.path.join(workdir, "cert.pem")
        key = os.path.join(workdir, "key.pem")
        made = subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", key, "-out", self.cert, "-days", "1", "-subj", "/CN=localhost", "-addext",
             "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"], capture_output=True, text=True)
        if made.returncode != 0:
            raise rh.HarnessError("openssl req failed: " + made.stderr)
        log = os.path.join(self.dir, "server.log")
        processes.start("the SMTP server", [SYSTEM_PYTHON, SMTP_SERVER, "--dir", self.dir, "--cert", self.cert,
                                            "--key", key], log)
        port_file = os.path.join(self.dir, "port")
        deadline = time.monotonic() + 15
        while not os.path.exists(port_file):
            processes.check_alive()
            if time.monotonic() > deadline:
                raise rh.HarnessError("the SMTP server did not start within 15 s:\n" + rh.tail(log))
            time.sleep(0.05)
        self.port = int(open(port_file).read())
        self.seen = set()

    def new_mails(self):
        """(arrival as Unix seconds, record) of each mail written since the last call."""
        out = []
        for path in glob.glob(os.path.join(self.dir, "mail-*.json")):
            if path in self.seen:
                continue
            self.seen.add(path)
            arrived = os.stat(path).st_mtime_ns / 1e9  # the record is written, then renamed, once accepted
            with open(path, encoding="utf-8") as record:
                out.append((arrived, json.load(record)))
        return out


def contacts():
    return {"contacts": [
        {"id": "vagt-a", "kind": "role", "name": "SOC-vagt A", "channels": {"email": ADDRESS_A}, "priority": 1},
        {"id": "vagt-b", "kind": "role", "name": "SOC-vagt B", "channels": {"email": ADDRESS_B}, "priority": 2},
        # Required by the contacts module; the policy never names it, so no SMS is attempted.
        {"id": "beredskab", "kind": "role", "name": "Beredskab", "channels": {"phone": "+4533663366"},
         "priority": 3, "out_of_band": True},
    ]}


def duty_config(delay_minutes):
    """A 24/7 rota with vagt-a, step 1 to the rota, step 2 after the delay to vagt-b; no repeat."""
    return {
        "rotas": {"soc": {"name": "SOC", "layers": [
            {"participants": ["vagt-a"], "rotation_days": 7, "handoff": "08:00", "start": "2026-01-05"}]}},
        "policies": {"p-soc": {
            "steps": [{"targets": [{"kind": "rota", "ref": "soc"}]},
                      {"delay_minutes": delay_minutes, "targets": [{"kind": "contact", "ref": "vagt-b"}]}],
            "final_wait_minutes": 1}},
        "routes": {"routes": [{"event": "outside_report", "policy": "p-soc"}]},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dannevirke")
    parser.add_argument("--triggers", type=int, default=200)
    parser.add_argument("--spread", type=float, default=30.0, help="seconds over which the triggers are spread")
    parser.add_argument("--delay-minutes", type=int, default=1, help="step 2's delay (the policy allows 1-1440)")
    parser.add_argument("--tick-ms", type=int, default=None,
                        help="DV_DUTY_TICK_MS for the hub (default: unset, the hub's 1000 ms)")
    parser.add_argument("--give-up", type=float, default=300.0,
                        help="seconds after which a mail still missing fails the run")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not 1 <= args.triggers <= 250:
        parser.error("--triggers: 1 to 250 (one address of %s each)" % PREFIX)
    missing = missing_tools()
    if missing:
        print("not installed: %s: skipped" % ", ".join(missing))
        return rh.SKIP
    rh.stop_on_signals()
    rng = random.Random(args.seed)
    delay = args.delay_minutes * 60.0
    workdir = tempfile.mkdtemp(prefix="dv-duty-bench-")
    processes = rh.Processes()
    try:
        sink = SmtpSink(workdir, processes)
        # Everything the hub could send elsewhere is left unset: mail goes to the sink only.
        for name in ("DV_SMS_URL_TEMPLATE", "DV_SMTP_INSECURE", "DV_NOTIFY_ALLOW_PRIVATE", "DV_DUTY_TICK_MS"):
            os.environ.pop(name, None)
        os.environ.update({
            "DV_SMTP_URL": "smtp://127.0.0.1:%d" % sink.port,
            "DV_SMTP_FROM": "vagt@dannevirke.example",
            "DV_SMTP_CA_FILE": sink.cert,
            "DV_HUB_PUBLIC_URL": "http://hub.example",  # only written into the mails' links
            "DV_DUTY_ACK_SECRET": secrets.token_hex(32),
        })
        if args.tick_ms is not None:
            os.environ["DV_DUTY_TICK_MS"] = str(args.tick_ms)
        hub = rh.Hub(os.path.abspath(args.dannevirke), workdir, processes)
        hub.json("PUT", "/api/v1/contacts/members/%s" % MEMBER, "kbh", contacts())
        hub.json("PUT", "/api/v1/duty/members/%s/config" % MEMBER, "kbh", duty_config(args.delay_minutes))
        hub.json("PUT", "/api/v1/register/members/%s" % MEMBER, "kbh", {"prefixes": [PREFIX]})
        print("load average at start: %s" % load_average())
        print("%d triggers spread over %.0f s (seed %d); step 2 after %d min; duty tick %s ms; SMTP with STARTTLS "
              "on 127.0.0.1:%d" % (args.triggers, args.spread, args.seed, args.delay_minutes,
                                   args.tick_ms if args.tick_ms is not None else "1000 (default)", sink.port))

        offsets = sorted(rng.uniform(0, args.spread) for _ in range(args.triggers))
        started = time.monotonic()
        triggered = [None] * args.triggers  # wall time of each report's 201
        post_seconds = []
        first = [None] * args.triggers  # (arrival, recipient) of step 1's mail
        second = [None] * args.triggers
        unexpected = []

        def collect():
            for arrived, mail in sink.new_mails():
                if not mail.get("tls"):
                    raise rh.HarnessError("a mail arrived without TLS: %s" % mail.get("subject"))
                found = re.search(re.escape(TYPE_PREFIX) + r"(\d{3})", mail.get("subject") or "")
                index = int(found.group(1)) if found else -1
                rcpt = mail.get("rcpt_tos", [])
                if not 0 <= index < args.triggers or len(rcpt) != 1:
                    unexpected.append(mail.get("subject"))
                    continue
                slot = first if rcpt[0] == ADDRESS_A else second if rcpt[0] == ADDRESS_B else None
                if slot is None or slot[index] is not None:
                    unexpected.append("%s to %s" % (mail.get("subject"), rcpt))
                    continue
                slot[index] = arrived

        for index, offset in enumerate(offsets):
            wait = started + offset - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            csv = "timestamp,ip,port\n%s,198.51.100.%d,3389\n" % (time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()),
                                                                  index + 1)
            path = ("/api/v1/notices/reports?format=shadowserver:%s%03d&source=Bench&severity=high" %
                    (TYPE_PREFIX, index))
            before = time.monotonic()
            status, data, _ = hub.request("POST", path, "cfcs", csv.encode(), "text/csv")
            triggered[index] = time.time()
            post_seconds.append(time.monotonic() - before)
            if status != 201:
                raise rh.HarnessError("report %d: %d %s" % (index, status, data[:300]))
            collect()
        late_posting = time.monotonic() - started - offsets[-1]
        print("all %d reports posted in %.1f s (last one %.1f s after its planned time); POST median %.0f ms, "
              "max %.0f ms" % (args.triggers, time.monotonic() - started, late_posting,
                               statistics.median(post_seconds) * 1000, max(post_seconds) * 1000))

        while any(value is None for value in first) or any(value is None for value in second):
            collect()
            now = time.time()
            for index in range(args.triggers):
                if first[index] is None and now - triggered[index] > args.give_up:
                    raise rh.HarnessError("no first mail for report %d within %.0f s" % (index, args.give_up))
                if second[index] is None and first[index] is not None and \
                        now - first[index] - delay > args.give_up:
                    raise rh.HarnessError("no second mail for report %d within %.0f s of its delay" %
                                          (index, args.give_up))
            processes.check_alive()
            time.sleep(0.2)
        time.sleep(1.5)  # a stray third mail would show up now
        collect()

        notifications = hub.json("GET", "/api/v1/duty/members/%s/notifications" % MEMBER, "kbh")["notifications"]
        created = {}
        failed_deliveries = 0
        for item in notifications:
            found = re.search(re.escape(TYPE_PREFIX) + r"(\d{3})", item["event"].get("group_key", ""))
            if found:
                created[int(found.group(1))] = rfc3339_seconds(item["created"])
            failed_deliveries += sum(1 for delivery in item.get("deliveries", []) if not delivery.get("ok"))

        latency = [first[i] - triggered[i] for i in range(args.triggers)]
        escalation = [second[i] - first[i] - delay for i in range(args.triggers)]
        lateness = [second[i] - created[i] - delay for i in range(args.triggers) if i in created]
        pickup = [created[i] - triggered[i] for i in range(args.triggers) if i in created]
        within_latency = sum(1 for value in latency if value < 60)
        within_escalation = sum(1 for value in escalation if abs(value) <= 5)
        print("trigger (201 of the report) -> first mail (step 1), %d triggers:" % len(latency))
        print("  " + summary(latency))
        print("  under 60 s: %d of %d" % (within_latency, len(latency)))
        print("  of which trigger -> notification created by the engine: " + summary(pickup))
        print("escalation: second mail - first mail - %d s, %d notifications:" % (delay, len(escalation)))
        print("  " + summary(escalation))
        print("  within +-5 s: %d of %d" % (within_escalation, len(escalation)))
        print("second mail - (notification created + %d s), %d notifications:" % (delay, len(lateness)))
        print("  " + summary(lateness))
        mails = sorted([value for value in first + second])
        print("mails: %d first, %d second, %d unexpected; failed deliveries recorded by the hub: %d" %
              (sum(1 for value in first if value), sum(1 for value in second if value), len(unexpected),
               failed_deliveries))
        gaps = [later - earlier for earlier, later in zip(mails, mails[1:]) if later - earlier < 0.5]
        if gaps:
            print("  spacing of mails less than 0.5 s apart (one delivery after another): median %.0f ms over %d" %
                  (statistics.median(gaps) * 1000, len(gaps)))
        print("  latency sorted: " + " ".join("%.1f" % value for value in sorted(latency)))
        print("load average at end: %s" % load_average())
        print("total run time %.0f s" % (time.monotonic() - started))
        return 0
    except rh.HarnessError as failure:
        print("FAIL: %s" % failure)
        for log in ("hub.log", "smtp/server.log"):
            print("--- %s (tail)\n%s" % (log, rh.tail(os.path.join(workdir, log))))
        return 1
    finally:
        processes.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
