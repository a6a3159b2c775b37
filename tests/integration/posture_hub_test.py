#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The hub measures a member's proven domains from outside (issue 17;
docs/posture.md, "In the hub").

  posture_hub_test.py DANNEVIRKE

On loopback, in a temporary directory: nsd authoritative for kk-test.dk and
a hub whose posture scanner asks nsd (DV_POSTURE_RESOLVER). Copenhagen
(0101) registers three domains; the coordinator approves two. Then:
  (a) only the member's people and the coordinator may ask for a scan or
      read its results; another member gets 403;
  (b) a scan measures exactly the two proven domains, with DNSSEC, SPF,
      DMARC and TLS-RPT verdicts and the records read; the unproven domain is never
      looked up (a relay in front of nsd notes every name asked);
  (c) the member's people may ask again only after ten minutes (429);
  (d) the zone loses its DMARC reject policy: the next scan records a
      regression (pass → fail) for the domain and for its subdomain, which
      inherits the policy; the duty chain raises a posture_regression
      notification for each, for the member only, and the domain's history
      shows both measurements;
  (e) the baseline gains measured evidence for DV-DEX-01, dated when
      measured;
  (f) the national figures hide checks measured at fewer than five members.
Exit 0 on success, 1 on failure, 77 (skipped) when nsd is missing.
"""

import base64
import os
import random
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import resolver_harness as rh  # noqa: E402

ZONE = "kk-test.dk"
GOOD_DMARC = '_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@kk-test.dk"'
WEAK_DMARC = '_dmarc IN TXT "v=DMARC1; p=none; rua=mailto:dmarc@kk-test.dk"'
RECORDS = [
    '@ IN TXT "v=spf1 ip4:192.0.2.0/24 -all"',
    '_smtp._tls IN TXT "v=TLSRPTv1; rua=mailto:tls@kk-test.dk"',
    'post IN TXT "v=spf1 ~all"',
    'skjult IN TXT "v=spf1 -all"',
]
FAILURES = []


def dkim_record(workdir, selector):
    """A DKIM key record for a fresh RSA 2048 key, split into TXT strings of at most 255 bytes."""
    key = os.path.join(workdir, "dkim.pem")
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key],
                   check=True, capture_output=True, timeout=60)
    der = subprocess.run(["openssl", "pkey", "-in", key, "-pubout", "-outform", "DER"], check=True,
                         capture_output=True, timeout=60).stdout
    text = "v=DKIM1; k=rsa; p=" + base64.b64encode(der).decode()
    return "%s._domainkey IN TXT %s" % (selector, " ".join('"%s"' % text[i:i + 200] for i in range(0, len(text), 200)))


class QueryLog:
    """A UDP relay on loopback in front of nsd that notes every name asked."""

    def __init__(self, upstream_port):
        self.names = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.upstream = upstream_port
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            data, client = self.sock.recvfrom(4096)
            self.names.append(question_name(data))
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as up:
                up.settimeout(2)
                up.sendto(data, ("127.0.0.1", self.upstream))
                try:
                    self.sock.sendto(up.recvfrom(65535)[0], client)
                except socket.timeout:
                    pass


def question_name(packet):
    labels, at = [], 12
    while at < len(packet) and packet[at] != 0:
        length = packet[at]
        labels.append(packet[at + 1:at + 1 + length].decode("ascii", "replace").lower())
        at += 1 + length
    return ".".join(labels)


def txt_answer(port, name):
    """The raw answer of nsd to a TXT query for `name`."""
    qid = random.randrange(65536)
    packet = struct.pack("!HHHHHH", qid, 0x0000, 1, 0, 0, 0)
    for label in name.split("."):
        packet += bytes([len(label)]) + label.encode("ascii")
    packet += b"\0" + struct.pack("!HH", 16, 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(2)
        sock.sendto(packet, ("127.0.0.1", port))
        try:
            return sock.recvfrom(4096)[0]
        except socket.timeout:
            return b""


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        FAILURES.append(what)


def status_of(hub, path, member, body=None):
    return hub.request("POST" if body is not None else "GET", path, member, body)[0]


def measured(hub, since=""):
    """The member's results once both proven domains have a measurement newer than `since`."""
    answer = {}

    def ready():
        answer.update(hub.json("GET", "/api/v1/posture/members/0101", "kbh"))
        times = [domain["measured_at"] for domain in answer["domains"]]
        return len(times) == 2 and all(at > since for at in times) and not answer["scan_queued"]

    rh.wait_until(ready, 60, "the scan measures both proven domains")
    return answer


def verdicts(answer):
    return {(d["domain"], c["check"]): c for d in answer["domains"] for c in d["checks"]}


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    missing = [name for name in rh.missing_tools() if name == "nsd"]
    if missing:
        print("not installed: nsd (scripts/install-deps.sh installs it): skipped")
        return rh.SKIP
    rh.stop_on_signals()
    workdir = tempfile.mkdtemp(prefix="dv-posture-hub-")
    processes = rh.Processes()
    try:
        nsd = rh.Nsd(workdir, processes, ZONE, {"www": "192.0.2.10"},
                     extra=RECORDS + [GOOD_DMARC, dkim_record(workdir, "sel1")])
        relay = QueryLog(nsd.port)
        # A trust anchor for another zone: kk-test.dk is not signed, so DNSSEC is insecure.
        other = os.path.join(workdir, "anchor.test.zone")
        with open(other, "w") as out:
            out.write(rh.zone_text("anchor.test", {"www": "192.0.2.1"}))
        anchors = os.path.join(workdir, "anchors.txt")
        with open(anchors, "w") as out:
            out.write(rh.sign_zone(workdir, "anchor.test", other)[1] + "\n")
        os.environ.update({"DV_POSTURE_RESOLVER": "127.0.0.1@%d" % relay.port, "DV_POSTURE_SCAN": "off",
                           "DV_POSTURE_TRUST_ANCHOR": anchors,
                           "DV_POSTURE_PACE_MS": "0", "DV_DUTY_TICK_MS": "200"})
        hub = rh.Hub(os.path.abspath(sys.argv[1]), workdir, processes)
        base = "/api/v1/posture/members/0101"
        hub.json("PUT", "/api/v1/register/members/0101", "kbh",
                 {"domains": [ZONE, "post." + ZONE, "skjult." + ZONE]})
        check(status_of(hub, base + "/scan", "kbh", {}) == 409, "no proven domain yet: the scan is refused (409)")
        for domain in (ZONE, "post." + ZONE):
            hub.json("POST", "/api/v1/register/members/0101/domains/%s/approve" % domain, "cfcs",
                     {"reason": "posture test"})

        # DKIM: the member lists its selector; only for its proven domains, only it or a coordinator
        dkim = base + "/dkim"
        check(hub.request("PUT", dkim, "kbh", {"selectors": {ZONE: ["sel1"]}})[0] == 200,
              "the member lists its DKIM selector (200)")
        check(status_of(hub, dkim, "aarhus") == 403 and hub.request("PUT", dkim, "aarhus",
                                                                    {"selectors": {ZONE: ["x"]}})[0] == 403,
              "another member can neither read nor set the selectors (403)")
        code, answer = hub.request("PUT", dkim, "kbh", {"selectors": {"skjult." + ZONE: ["sel1"]}})[:2]
        check(code == 400 and "selectors.skjult." + ZONE in str(answer),
              "a domain that is not proven is refused, naming the field: %s" % answer)
        code, answer = hub.request("PUT", dkim, "kbh", {"selectors": {ZONE: ["bad selector!"]}})[:2]
        check(code == 400, "a selector that is not a DNS label is refused (400)")
        check(hub.json("GET", dkim, "kbh")["selectors"] == {ZONE: ["sel1"]},
              "the refused writes changed nothing: the listed selector stands")

        # (a) who may ask and read
        check(status_of(hub, base + "/scan", "aarhus", {}) == 403, "another member cannot ask for a scan (403)")
        check(status_of(hub, base, "aarhus") == 403, "another member cannot read the results (403)")
        check(hub.request("POST", base + "/scan", "kbh", {})[0] == 202, "the member's person asks for a scan (202)")
        # (c) at most once per ten minutes for the member's people
        check(status_of(hub, base + "/scan", "kbh", {}) == 429, "asking again at once is 429")

        # (b) exactly the proven domains, with verdicts and evidence
        first = measured(hub)
        found = verdicts(first)
        check(sorted(d["domain"] for d in first["domains"]) == [ZONE, "post." + ZONE],
              "both proven domains are measured, the unproven one is not")
        check(found[(ZONE, "spf")]["status"] == "pass" and found[(ZONE, "dmarc")]["status"] == "pass" and
              found[(ZONE, "tls_rpt")]["status"] == "pass", "kk-test.dk passes SPF, DMARC and TLS-RPT")
        check(found[("post." + ZONE, "spf")]["status"] == "warn", "post: ~all warns")
        check(found[(ZONE, "dkim")]["status"] == "pass" and "2048 bits" in " ".join(found[(ZONE, "dkim")]["reasons"]),
              "the listed selector's RSA 2048 key passes: %s" % found.get((ZONE, "dkim")))
        check(("post." + ZONE, "dkim") not in found, "no DKIM check where no selector is listed")
        check(found[(ZONE, "dnssec")]["status"] == "fail" and "insecure" in found[(ZONE, "dnssec")]["reasons"][0],
              "the unsigned zone is DNSSEC-insecure and fails")
        check(any("p=reject" in item for item in found[(ZONE, "dmarc")]["evidence"]),
              "the DMARC record read is the evidence")
        asked = set(relay.names)
        check("post." + ZONE in asked and not any("skjult" in name for name in asked),
              "the resolver was asked about the proven domains and never about the unproven one")
        check(status_of(hub, base, "cfcs") == 200, "the coordinator reads the results")

        # (d) a regression
        zone_file = os.path.join(nsd.dir, "test.zone")
        text = open(zone_file).read().replace(GOOD_DMARC, WEAK_DMARC).replace(" 1 3600 600 86400 5", " 2 3600 600 86400 5")
        with open(zone_file, "w") as out:
            out.write(text)
        nsd.proc.send_signal(signal.SIGHUP)
        rh.wait_until(lambda: b"p=none" in txt_answer(nsd.port, "_dmarc." + ZONE), 20, "nsd serves the new zone")
        check(hub.request("POST", base + "/scan", "cfcs", {})[0] == 202, "the coordinator asks for a scan at once (202)")
        since = max(d["measured_at"] for d in first["domains"])
        time.sleep(1.1)  # measured_at has whole seconds
        second = verdicts(measured(hub, since))
        check(second[(ZONE, "dmarc")]["status"] == "fail", "p=none now fails")
        regressions = hub.json("GET", base + "/regressions", "kbh")["regressions"]
        check(sorted((r["domain"], r["check"], r["from"], r["to"]) for r in regressions) ==
              [(ZONE, "dmarc", "pass", "fail"), ("post." + ZONE, "dmarc", "pass", "fail")],
              "two regressions, DMARC pass → fail on kk-test.dk and on post, which inherits its policy: %s"
              % regressions)
        notifications = {}

        def raised():
            notifications.update(hub.json("GET", "/api/v1/duty/members/0101/notifications", "kbh"))
            return any(n["event"]["kind"] == "posture_regression" for n in notifications.get("notifications", []))

        def raised_both():
            return raised() and len([n for n in notifications["notifications"]
                                     if n["event"]["kind"] == "posture_regression"]) >= 2

        rh.wait_until(raised_both, 20, "the duty chain raises both regressions")
        events = [n["event"] for n in notifications["notifications"] if n["event"]["kind"] == "posture_regression"]
        check(len(events) == 2 and all(e["severity"] == "high" for e in events) and
              sorted(e["subject"]["en"] for e in events) == ["Regression: dmarc on %s" % ZONE,
                                                             "Regression: dmarc on post.%s" % ZONE],
              "one high posture_regression notification per domain, naming it: %s" % events)
        other = hub.json("GET", "/api/v1/duty/members/0751/notifications", "aarhus")
        check(not any(n["event"]["kind"] == "posture_regression" for n in other.get("notifications", [])),
              "another member is not told")
        history = hub.json("GET", base + "/history?domain=%s&check=dmarc" % ZONE, "kbh")["history"]
        check([point["status"] for point in history] == ["pass", "fail"], "the history shows pass, then fail")
        check(status_of(hub, base + "/history?domain=skjult." + ZONE, "kbh") == 404,
              "no history for a domain that is not proven")
        check(status_of(hub, base + "/history?domain=%s&check=dkim" % ZONE, "kbh") == 400,
              "a check that does not exist is refused (400), not answered with an empty history")

        # (e) measured evidence for the baseline
        member = hub.json("GET", "/api/v1/baseline/members/0101", "kbh")
        items = [item for requirement in member.get("requirements", [])
                 if requirement.get("id") == "DV-DEX-01" for item in requirement.get("evidence", [])]
        sources = {item.get("source"): item for item in items}
        check("hub:mail_dmarc" in sources and sources["hub:mail_dmarc"].get("result") == "fail" and
              sources["hub:mail_dmarc"].get("kind") == "measured",
              "DV-DEX-01 has measured DMARC evidence that fails")
        check("hub:mail_spf" in sources and sources["hub:mail_spf"].get("result") == "partial",
              "DV-DEX-01 has measured SPF evidence, partial for ~all")

        # (f) national figures hide small groups
        national = hub.json("GET", "/api/v1/posture/national", "aarhus")
        dmarc = [c for c in national["checks"] if c["check"] == "dmarc"][0]
        check(dmarc["members"] == 1 and dmarc["hidden"] and dmarc["passing"] is None,
              "one measured member: the national DMARC figure is hidden")
    except rh.HarnessError as error:
        FAILURES.append(str(error))
        print("FAIL  " + str(error))
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
