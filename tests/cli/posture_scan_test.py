#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`dannevirke posture scan` against a real authoritative server: Debian's nsd
on loopback serves a municipality's zone with a good, a weak and a broken mail
set-up, and the scan must give each its verdict, name the line of the domains
file it could not read, and report a resolver that does not answer as an
error, never as a failure of the domain. DNSSEC is validated by libunbound
from a test trust anchor: the municipality's zone is signed (secure), a
second zone is not (insecure), a third carries signatures that expired in
2020 (bogus).

Usage: posture_scan_test.py DANNEVIRKE   (exit 77: nsd not installed)
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import resolver_harness as rh  # noqa: E402

ZONE = "kolding.dk"
RECORDS = [
    '@ IN TXT "v=spf1 mx ip4:192.0.2.0/24 -all"',
    '@ IN TXT "google-site-verification=abc"',
    '_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@kolding.dk"',
    '_smtp._tls IN TXT "v=TLSRPTv1; rua=mailto:tls@kolding.dk"',
    # borger: a soft SPF, no DMARC of its own (the organisational domain's applies), no TLS-RPT
    'borger IN TXT "v=spf1 ~all"',
    # post: two SPF records and p=none
    'post IN TXT "v=spf1 -all"',
    'post IN TXT "v=spf1 mx ~all"',
    '_dmarc.post IN TXT "v=DMARC1; p=none; rua=mailto:dmarc@kolding.dk"',
    # lang: one SPF record split into two character strings (RFC 7208 §3.3 joins them)
    'lang IN TXT "v=spf1 ip4:192.0.2.1 " "include:kolding.dk -all"',
]
FAILURES = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        FAILURES.append(what)


def scan(dannevirke, domains_file, resolver, anchors):
    run = subprocess.run([dannevirke, "posture", "scan", "--domains", domains_file, "--resolver", resolver, "--json",
                          "--timeout", "1", "--trust-anchor", anchors],
                         capture_output=True, text=True, timeout=120)
    if run.returncode != 0:
        raise rh.HarnessError("posture scan exited %d: %s" % (run.returncode, run.stderr))
    return json.loads(run.stdout), run.stderr


def verdicts(report):
    return {(d["domain"], c["check"]): c for d in report["domains"] for c in d["checks"]}


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    if rh.missing_tools():
        print("not installed: %s: skipped" % ", ".join(rh.missing_tools()))
        return rh.SKIP
    rh.stop_on_signals()
    dannevirke = os.path.abspath(sys.argv[1])
    workdir = tempfile.mkdtemp(prefix="dv-posture-")
    processes = rh.Processes()
    try:
        zones = os.path.join(workdir, "zones")
        os.makedirs(zones)
        unsigned = os.path.join(zones, "usigneret.dk.zone")
        with open(unsigned, "w") as out:
            out.write(rh.zone_text("usigneret.dk", {"www": "192.0.2.20"}, ['@ IN TXT "v=spf1 -all"']))
        expired = os.path.join(zones, "udloebet.dk.zone")
        with open(expired, "w") as out:
            out.write(rh.zone_text("udloebet.dk", {"www": "192.0.2.30"}, ['@ IN TXT "v=spf1 -all"']))
        expired_signed, expired_anchor = rh.sign_zone(zones, "udloebet.dk", expired, expired=True)
        nsd = rh.Nsd(workdir, processes, ZONE, {"www": "192.0.2.10"}, extra=RECORDS, sign=True,
                     more_zones=[("usigneret.dk", unsigned), ("udloebet.dk", expired_signed)])
        anchors = os.path.join(workdir, "anchors.txt")
        with open(anchors, "w") as out:
            out.write("\n".join(nsd.trust_anchors + [expired_anchor]) + "\n")
        domains_file = os.path.join(workdir, "domains.txt")
        with open(domains_file, "w") as out:
            out.write("# Kolding Kommune\nkolding.dk\nBorger.Kolding.dk.\npost.kolding.dk\nikke et domæne!\nlang.kolding.dk\n"
                      "usigneret.dk\nudloebet.dk\n")
        report, stderr = scan(dannevirke, domains_file, "127.0.0.1@%d" % nsd.port, anchors)
        found = verdicts(report)
        status = {key: value["status"] for key, value in found.items()}
        check([d["domain"] for d in report["domains"]] ==
              ["kolding.dk", "borger.kolding.dk", "post.kolding.dk", "lang.kolding.dk", "usigneret.dk", "udloebet.dk"],
              "every domain of the file is checked, normalised, in order")
        check(status[("kolding.dk", "dnssec")] == "pass" and status[("borger.kolding.dk", "dnssec")] == "pass",
              "the signed zone validates from the trust anchor (secure)")
        check(status[("usigneret.dk", "dnssec")] == "fail" and
              "insecure" in found[("usigneret.dk", "dnssec")]["reasons"][0], "the unsigned zone is insecure and fails")
        check(status[("udloebet.dk", "dnssec")] == "fail" and
              "bogus" in found[("udloebet.dk", "dnssec")]["reasons"][0],
              "expired signatures are bogus and fail, with the validator's reason")
        check(status[("kolding.dk", "spf")] == "pass", "kolding.dk: SPF -all passes")
        check(status[("kolding.dk", "dmarc")] == "pass", "kolding.dk: DMARC p=reject passes")
        check(status[("kolding.dk", "tls_rpt")] == "pass", "kolding.dk: TLS-RPT passes")
        check("kolding.dk: v=spf1 mx ip4:192.0.2.0/24 -all" in found[("kolding.dk", "spf")]["evidence"],
              "the SPF record read is the evidence (other TXT records ignored)")
        check(status[("borger.kolding.dk", "spf")] == "warn", "borger: ~all warns")
        check(status[("borger.kolding.dk", "dmarc")] == "pass" and
              "inherited from kolding.dk" in found[("borger.kolding.dk", "dmarc")]["reasons"][0],
              "borger: the organisational domain's p=reject applies and says so")
        check(status[("borger.kolding.dk", "tls_rpt")] == "warn", "borger: no TLS-RPT warns")
        check(status[("post.kolding.dk", "spf")] == "fail" and
              "2 SPF records" in found[("post.kolding.dk", "spf")]["reasons"][0], "post: two SPF records fail")
        check(status[("post.kolding.dk", "dmarc")] == "fail", "post: p=none fails")
        check(status[("lang.kolding.dk", "spf")] == "pass", "lang: a record of two character strings is one record")
        check(report["skipped"] and "domains.txt:5" in report["skipped"][0] and "domains.txt:5" in stderr,
              "the line that is not a domain is skipped and named by file and line")

        # A resolver that does not answer: every check is an error, none a failure.
        silent = rh.spare_port()
        report, _ = scan(dannevirke, domains_file, "127.0.0.1@%d" % silent, anchors)
        check(all(c["status"] == "error" for d in report["domains"] for c in d["checks"]),
              "with no answer every check is 'error', never 'fail'")
    finally:
        processes.close()
        shutil.rmtree(workdir, ignore_errors=True)
    if FAILURES:
        print("%d checks failed" % len(FAILURES))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
