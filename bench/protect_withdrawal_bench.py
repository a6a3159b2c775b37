#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Withdrawal → the entry is gone at a real resolver: the distribution over
many trials in one run (issue 14: "Verdict or decay → entry gone at the
resolver ≤ 60 s with a 60 s refresh").

  protect_withdrawal_bench.py DANNEVIRKE [--trials 50] [--spread 120] [--mode verdict|expiry] [--seed 1]

On loopback (tests/integration/resolver_harness.py): a hub, nsd serving
t00…tNN.bench.example, and Debian's unbound with Copenhagen's enforcing RPZ
by url: from a read-only feed token, exactly as docs/protect.md connects
it; the zone's SOA refresh (60 s) is the hub's own. The coordinator shares
one enforced indicator per name before unbound starts, so unbound's first
download blocks them all. Then each indicator is withdrawn at a random time
spread uniformly over `--spread` seconds (about two refresh periods):
  --mode verdict: a member's false-positive proposal and the coordinator's
      verdict; the clock starts when the verdict is acknowledged (201);
  --mode expiry: the indicator's valid_until, set at share time, passes —
      nothing happens at the hub at that moment, as with decay below the
      threshold; the clock starts at valid_until.
Every withdrawn name still blocked is asked every 0.5 s until it resolves.
Prints the latency distribution (min, median, p90, max, mean) and how many
trials were within one refresh. Exit 1 when a name did not resolve within
two refreshes, 77 when unbound or nsd is missing. About 3 minutes.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "integration"))
import resolver_harness as rh  # noqa: E402

ZONE = "bench.example"
POLL = 0.5


def percentile(sorted_values, fraction):
    """Nearest-rank percentile of a sorted list."""
    rank = max(1, -(-len(sorted_values) * fraction // 1))
    return sorted_values[int(rank) - 1]


def rfc3339(unix_seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(unix_seconds)) + ".%03dZ" % (unix_seconds % 1 * 1000)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dannevirke")
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--spread", type=float, default=120.0, help="seconds over which withdrawals are spread")
    parser.add_argument("--mode", choices=("verdict", "expiry"), default="verdict")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    missing = rh.missing_tools()
    if missing:
        print("not installed: %s: skipped" % ", ".join(missing))
        return rh.SKIP
    rh.stop_on_signals()
    rng = random.Random(args.seed)
    workdir = tempfile.mkdtemp(prefix="dv-withdrawal-bench-")
    processes = rh.Processes()
    try:
        hub = rh.Hub(os.path.abspath(args.dannevirke), workdir, processes)
        hub.json("PUT", "/api/v1/protection/members/0101/profile", "kbh", {"monitor_only": False})
        names = ["t%02d.%s" % (idx, ZONE) for idx in range(args.trials)]
        nsd = rh.Nsd(workdir, processes, ZONE, {name.split(".")[0]: "192.0.2.%d" % (idx % 250 + 1)
                                                 for idx, name in enumerate(names)})

        # Withdrawal offsets, seconds after every name is blocked (verdict) or after the share (expiry).
        offsets = sorted(rng.uniform(0, args.spread) for _ in names)
        shared_wall = time.time()
        # expiry: unbound has its first download within seconds; 15 s leaves room before the first expiry.
        expiry_lead = 15.0
        indicators = []
        for idx, name in enumerate(names):
            valid_until = rfc3339(shared_wall + expiry_lead + offsets[idx]) if args.mode == "expiry" else None
            indicators.append(rh.domain_indicator("bench %d" % idx, name, valid_until=valid_until))
        hub.publish("cfcs", indicators)
        rpz_url = hub.feed_urls("0101", "kbh")["rpz"]
        status, zone = rh.fetch(rpz_url)
        if status != 200:
            raise rh.HarnessError("the feed URL answered %d" % status)
        _, refresh, retry = rh.soa_timers(zone.decode())
        print("hub SOA refresh %d s, retry %d s; %d trials, withdrawals spread over %.0f s, mode %s, seed %d"
              % (refresh, retry, args.trials, args.spread, args.mode, args.seed))

        started = time.monotonic()
        unbound = rh.Unbound(workdir, processes, nsd, ZONE, rpz_url)
        rh.wait_until(lambda: all(rh.query(unbound.port, name)[0] == "NXDOMAIN" for name in names), refresh + 20,
                      "unbound blocks all %d names" % len(names), processes, interval=POLL)
        print("all %d names NXDOMAIN %.1f s after unbound started" % (len(names), time.monotonic() - started))

        # Monotonic start of each trial's clock.
        if args.mode == "expiry":
            wall_to_mono = time.monotonic() - time.time()
            starts = [shared_wall + expiry_lead + offset + wall_to_mono for offset in offsets]
            if starts[0] < time.monotonic():
                raise rh.HarnessError("the first expiry passed before every name was blocked; raise expiry_lead")
        else:
            base = time.monotonic()
            planned = [base + offset for offset in offsets]
            starts = [None] * len(names)
            ids = {}
            _, mapping, _ = hub.request("GET", "/api/v1/protection/members/0101/rpz/mapping", "kbh")
            owners = json.loads(mapping)["owners"]
            for name in names:
                ids[name] = owners[name]["indicators"][0]

        latencies = [None] * len(names)
        next_withdrawal = 0
        give_up = 2 * refresh + 10
        last_poll = 0.0
        while any(latency is None for latency in latencies):
            now = time.monotonic()
            if args.mode == "verdict":
                while next_withdrawal < len(names) and planned[next_withdrawal] <= now:
                    starts[next_withdrawal] = hub.withdraw_as_false_positive(ids[names[next_withdrawal]])
                    next_withdrawal += 1
            if now - last_poll >= POLL:
                last_poll = now
                for idx, name in enumerate(names):
                    if latencies[idx] is None and starts[idx] is not None and starts[idx] <= now:
                        if rh.resolves(unbound.port, name):
                            latencies[idx] = time.monotonic() - starts[idx]
                        elif time.monotonic() - starts[idx] > give_up:
                            raise rh.HarnessError("%s still blocked %.0f s after its withdrawal" % (name, give_up))
                processes.check_alive()
            time.sleep(0.05)

        values = sorted(latencies)
        within = sum(1 for value in values if value <= refresh)
        print("withdrawal (%s) -> resolves at unbound, %d trials, polled every %.1f s:" % (args.mode, len(values),
                                                                                          POLL))
        print("  min %.1f s  median %.1f s  p90 %.1f s  max %.1f s  mean %.1f s" %
              (values[0], statistics.median(values), percentile(values, 0.9), values[-1], statistics.mean(values)))
        print("  within one refresh (%d s): %d of %d" % (refresh, within, len(values)))
        print("  sorted: " + " ".join("%.1f" % value for value in values))
        print("total run time %.0f s" % (time.monotonic() - started))
        return 0
    except rh.HarnessError as failure:
        print("FAIL: %s" % failure)
        for log in ("hub.log", "nsd/nsd.log", "unbound/unbound.log", "unbound/unbound.stderr"):
            print("--- %s (tail)\n%s" % (log, rh.tail(os.path.join(workdir, log))))
        return 1
    finally:
        processes.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
