#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""How fast `dannevirke posture scan` measures domains (issue 17: checks per
second against loopback fixtures, and the time to scan 98 municipalities ×
5 domains with realistic per-lookup latency).

  posture_scan_bench.py DANNEVIRKE [--municipalities 98] [--domains 5] [--latency-ms 0,20] [--parallel 1,8]

On loopback: Debian's nsd serves one signed zone (bench-kommuner.dk,
dnssec-signzone) with municipalities × domains names, each with an SPF,
a DMARC and a TLS-RPT record. A UDP relay in front of nsd holds every
answer back by the given latency, as a resolver on the internet would
take; each (latency, parallel) pair is one run of `posture scan --json
--parallel N` over every name, with DNSSEC validated from the zone's key.
Each domain asks one lookup at a time, N domains at once (the hub's
scanner takes one domain at a time, deliberately: it paces domains 2 s
apart).

Prints, per latency: domains, checks, DNS queries the relay saw, wall time,
checks per second, and the time a round of the given size takes. No peer
tool is installed on this machine to compare with. Exit 77 when nsd or
dnssec-signzone is missing.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "integration"))
import resolver_harness as rh  # noqa: E402

ZONE = "bench-kommuner.dk"


class DelayRelay:
    """Relays UDP DNS to nsd, answering each query `latency` seconds late."""

    def __init__(self, upstream_port, latency):
        self.latency = latency
        self.queries = 0
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.upstream = upstream_port
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            data, client = self.sock.recvfrom(4096)
            self.queries += 1
            threading.Thread(target=self.answer, args=(data, client), daemon=True).start()

    def answer(self, data, client):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as up:
            up.settimeout(5)
            up.sendto(data, ("127.0.0.1", self.upstream))
            try:
                reply = up.recvfrom(65535)[0]
            except socket.timeout:
                return
        time.sleep(self.latency)
        self.sock.sendto(reply, client)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dannevirke")
    parser.add_argument("--municipalities", type=int, default=98)
    parser.add_argument("--domains", type=int, default=5)
    parser.add_argument("--latency-ms", default="0,20")
    parser.add_argument("--parallel", default="1,8")
    args = parser.parse_args()
    if rh.missing_tools() or not shutil.which("dnssec-signzone"):
        print("nsd or dnssec-signzone not installed: skipped")
        return 77
    workdir = tempfile.mkdtemp(prefix="dv-posture-bench-")
    processes = rh.Processes()
    try:
        names = ["d%d.k%03d" % (domain, municipality) for municipality in range(args.municipalities)
                 for domain in range(args.domains)]
        extra = []
        for name in names:
            extra += ['%s IN TXT "v=spf1 ip4:192.0.2.0/24 include:_spf.%s -all"' % (name, ZONE),
                      '_dmarc.%s IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@%s"' % (name, ZONE),
                      '_smtp._tls.%s IN TXT "v=TLSRPTv1; rua=mailto:tls@%s"' % (name, ZONE)]
        extra.append('_spf IN TXT "v=spf1 ip4:198.51.100.0/24 -all"')
        nsd = rh.Nsd(workdir, processes, ZONE, {"www": "192.0.2.10"}, extra=extra, sign=True)
        anchors = os.path.join(workdir, "anchors.txt")
        with open(anchors, "w") as out:
            out.write("\n".join(nsd.trust_anchors) + "\n")
        domains_file = os.path.join(workdir, "domains.txt")
        with open(domains_file, "w") as out:
            out.write("".join("%s.%s\n" % (name, ZONE) for name in names))
        print("posture scan: %d domains (%d municipalities x %d), every check the DNS answers decide (the names have no mail or web server), DNSSEC from the zone's key"
              % (len(names), args.municipalities, args.domains))
        print("%-10s %8s %8s %8s %9s %9s %10s" % ("latency", "parallel", "checks", "queries", "seconds", "checks/s",
                                                   "per domain"))
        runs = [(int(latency), int(parallel)) for latency in args.latency_ms.split(",")
                for parallel in args.parallel.split(",")]
        for latency_ms, parallel in runs:
            relay = DelayRelay(nsd.port, latency_ms / 1000.0)
            started = time.monotonic()
            run = subprocess.run([args.dannevirke, "posture", "scan", "--domains", domains_file, "--resolver",
                                  "127.0.0.1@%d" % relay.port, "--trust-anchor", anchors, "--parallel", str(parallel),
                                  "--json"],
                                 capture_output=True, text=True, timeout=3600)
            seconds = time.monotonic() - started
            if run.returncode != 0:
                print("posture scan failed: " + run.stderr[-2000:])
                return 1
            report = json.loads(run.stdout)
            checks = sum(len(domain["checks"]) for domain in report["domains"])
            passing = sum(1 for domain in report["domains"] for check in domain["checks"] if check["status"] == "pass")
            print("%-10s %8d %8d %8d %9.1f %9.1f %9.0f ms   (%d of %d checks pass)"
                  % ("%d ms" % latency_ms, parallel, checks, relay.queries, seconds, checks / seconds,
                     1000 * seconds / len(names), passing, checks))
    finally:
        processes.close()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
