#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`dannevirke posture scan` against a real authoritative server: Debian's nsd
on loopback serves a municipality's zone with a good, a weak and a broken mail
set-up, and the scan must give each its verdict, name the line of the domains
file it could not read, and report a resolver that does not answer as an
error, never as a failure of the domain. DNSSEC is validated by libunbound
from a test trust anchor: the municipality's zone is signed (secure), a
second zone is not (insecure), a third carries signatures that expired in
2020 (bogus). DANE: the good MX has a TLSA record in the signed zone that
matches its key; the self-signed MX has one that does not. Web: three web
servers on loopback (web_tls_server.py) give a good site (TLS 1.3, the
redirect from HTTP, HSTS for a year, a current security.txt, an MTA-STS
policy in enforce mode), a weak one (TLS 1.0 only, content over plain HTTP,
an MTA-STS policy in testing mode that leaves out its MX) and a broken one
(a self-signed certificate, a short HSTS, an expired security.txt).

Usage: posture_scan_test.py DANNEVIRKE   (exit 77: nsd not installed)
"""

import datetime
import hashlib
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
    # Mail servers, each on its own loopback address (MAIL_SERVERS below)
    '@ IN MX 10 mx1',
    'borger IN MX 10 mx-gammel',
    'post IN MX 10 mx-aaben',
    'lang IN MX 10 mx-selv',
]
# MX host → (loopback address, TLS versions, certificate): a valid one, one
# that speaks only TLS 1.0, one without STARTTLS, one with a self-signed
# certificate.
MAIL_SERVERS = {
    "mx1": ("127.0.0.2", "1.2-1.3", "ca"),
    "mx-gammel": ("127.0.0.3", "1.0", "ca"),
    "mx-aaben": ("127.0.0.4", None, None),
    "mx-selv": ("127.0.0.5", "1.2-1.3", "self"),
}
# Web servers: loopback address → (configuration name, certificate kind, names on the certificate).
WEB_SERVERS = {
    "127.0.0.6": ("kolding", "ca", ["kolding.dk", "mta-sts.kolding.dk"]),
    "127.0.0.7": ("borger", "ca", ["borger.kolding.dk", "mta-sts.borger.kolding.dk"]),
    "127.0.0.8": ("post", "self", ["post.kolding.dk"]),
}
WEB_RECORDS = [
    '@ IN A 127.0.0.6',
    'mta-sts IN A 127.0.0.6',
    '_mta-sts IN TXT "v=STSv1; id=2026120601"',
    'borger IN A 127.0.0.7',
    'mta-sts.borger IN A 127.0.0.7',
    '_mta-sts.borger IN TXT "v=STSv1; id=1"',
    'post IN A 127.0.0.8',
]
FAILURES = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        FAILURES.append(what)


def openssl(*args):
    done = subprocess.run(["openssl", *args], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise rh.HarnessError("openssl %s: %s" % (args[0], done.stderr))


def test_ca(directory):
    ca_key, ca = os.path.join(directory, "ca.key"), os.path.join(directory, "ca.pem")
    if not os.path.exists(ca):
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", ca_key,
                "-out", ca, "-days", "30", "-subj", "/CN=Dannevirke posture test CA")
    return ca, ca_key


def certificate(directory, label, kind, names):
    """A certificate for `names`: signed by the test CA, or self-signed."""
    ca, ca_key = test_ca(directory)
    key, cert = os.path.join(directory, label + ".key"), os.path.join(directory, label + ".pem")
    alt = "subjectAltName=" + ",".join("DNS:" + name for name in names)
    if kind == "self":
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key,
                "-out", cert, "-days", "30", "-subj", "/CN=" + names[0], "-addext", alt)
    else:
        csr = os.path.join(directory, label + ".csr")
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out",
                csr, "-subj", "/CN=" + names[0])
        extensions = os.path.join(directory, label + ".ext")
        with open(extensions, "w") as out:
            out.write(alt + "\n")
        openssl("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-out", cert, "-days",
                "30", "-extfile", extensions)
    return cert, key


def spki_sha256(cert):
    """The SHA-256 of a certificate's SubjectPublicKeyInfo (DANE 3 1 1), hex."""
    key = subprocess.run(["openssl", "x509", "-in", cert, "-pubkey", "-noout"], capture_output=True, check=True)
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "DER"], input=key.stdout, capture_output=True,
                         check=True)
    return hashlib.sha256(der.stdout).hexdigest()


def certificates(directory):
    """A test CA, a certificate it signs for each MX host, and a self-signed one."""
    made = {}
    for host, (_, _, kind) in MAIL_SERVERS.items():
        if kind is not None:
            made[host] = certificate(directory, host, kind, ["%s.%s" % (host, ZONE)])
    return test_ca(directory)[0], made


def start_web_servers(workdir, processes, http_port, https_port):
    """The three web sites of WEB_SERVERS; returns their request logs."""
    far = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=90)).strftime("%Y-%m-%dT%H:%M:%SZ")
    configs = {
        "kolding": {"tls_versions": "1.2-1.3", "http": "redirect", "hsts": "max-age=31536000; includeSubDomains",
                    "files": {"/.well-known/security.txt": "Contact: mailto:csirt@kolding.dk\nExpires: %s\n" % far,
                              "/.well-known/mta-sts.txt":
                                  "version: STSv1\r\nmode: enforce\r\nmx: mx1.kolding.dk\r\nmax_age: 604800\r\n"}},
        "borger": {"tls_versions": "1.0", "http": "content",
                   "files": {"/.well-known/mta-sts.txt":
                             "version: STSv1\nmode: testing\nmx: mx1.kolding.dk\nmax_age: 86400\n"}},
        "post": {"tls_versions": "1.2-1.3", "http": None, "hsts": "max-age=86400",
                 "files": {"/.well-known/security.txt":
                           "Contact: mailto:it@kolding.dk\nExpires: 2025-01-01T00:00:00Z\n"}},
    }
    server = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration", "web_tls_server.py")
    logs = {}
    for address, (label, kind, names) in WEB_SERVERS.items():
        config = dict(configs[label])
        config["cert"], config["key"] = certificate(workdir, "web-" + label, kind, names)
        config_path = os.path.join(workdir, "web-%s.json" % label)
        with open(config_path, "w") as out:
            json.dump(config, out)
        logs[label] = os.path.join(workdir, "web-%s.log" % label)
        out_path = os.path.join(workdir, "web-%s.out" % label)
        processes.start("web-" + label, [sys.executable, server, "--address", address, "--http-port", str(http_port),
                                         "--https-port", str(https_port), "--config", config_path, "--log",
                                         logs[label]], out_path)
        rh.wait_until(lambda: "ready" in open(out_path).read(), 20, "web server %s listens" % label, processes)
    return logs


def log_sizes(logs):
    return {name: os.path.getsize(path) if os.path.exists(path) else 0 for name, path in logs.items()}


def start_mail_servers(workdir, processes, port):
    ca, made = certificates(workdir)
    logs = {}
    server = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration", "smtp_tls_server.py")
    for host, (address, versions, _) in MAIL_SERVERS.items():
        logs[host] = os.path.join(workdir, host + ".log")
        argv = [sys.executable, server, "--listen", "%s:%d" % (address, port), "--log", logs[host]]
        if host in made:
            argv += ["--cert", made[host][0], "--key", made[host][1], "--tls-versions", versions]
        processes.start(host, argv, os.path.join(workdir, host + ".out"))
        rh.wait_until(lambda: "ready" in open(os.path.join(workdir, host + ".out")).read(), 20,
                      host + " listens", processes)
    return ca, logs


def scan(dannevirke, domains_file, resolver, anchors, smtp=()):
    run = subprocess.run([dannevirke, "posture", "scan", "--domains", domains_file, "--resolver", resolver, "--json",
                          "--timeout", "1", "--trust-anchor", anchors, *smtp],
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
        smtp_port = rh.spare_port()
        ca, mail_logs = start_mail_servers(workdir, processes, smtp_port)
        http_port, https_port = rh.spare_port(), rh.spare_port()
        web_logs = start_web_servers(workdir, processes, http_port, https_port)
        # DANE: mx1's TLSA names its own key; mx-selv's names mx1's key, which it does not present.
        mx1_key = spki_sha256(os.path.join(workdir, "mx1.pem"))
        dane = ["_25._tcp.mx1 IN TLSA 3 1 1 " + mx1_key, "_25._tcp.mx-selv IN TLSA 3 1 1 " + mx1_key]
        addresses = {host: address for host, (address, _, _) in MAIL_SERVERS.items()}
        nsd = rh.Nsd(workdir, processes, ZONE, dict({"www": "192.0.2.10"}, **addresses),
                     extra=RECORDS + WEB_RECORDS + dane, sign=True,
                     more_zones=[("usigneret.dk", unsigned), ("udloebet.dk", expired_signed)])
        anchors = os.path.join(workdir, "anchors.txt")
        with open(anchors, "w") as out:
            out.write("\n".join(nsd.trust_anchors + [expired_anchor]) + "\n")
        domains_file = os.path.join(workdir, "domains.txt")
        with open(domains_file, "w") as out:
            out.write("# Kolding Kommune\nkolding.dk\nBorger.Kolding.dk.\npost.kolding.dk\nikke et domæne!\nlang.kolding.dk\n"
                      "usigneret.dk\nudloebet.dk\n")
        web = ["--http-port", str(http_port), "--https-port", str(https_port)]
        smtp = ["--smtp-port", str(smtp_port), "--ca-file", ca, "--allow-private"] + web
        report, stderr = scan(dannevirke, domains_file, "127.0.0.1@%d" % nsd.port, anchors, smtp)
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
        mail = found[("kolding.dk", "mail_tls")]
        check(mail["status"] == "pass" and any("TLSv1.3" in line and "mx1.kolding.dk" in line and "days)" in line
                                               for line in mail["evidence"]),
              "kolding.dk: its MX offers STARTTLS with TLS 1.3 and a valid certificate, with its expiry: %s" % mail)
        check(status[("borger.kolding.dk", "mail_tls")] == "fail" and
              "TLS 1.2 or later" in found[("borger.kolding.dk", "mail_tls")]["reasons"][0],
              "borger: an MX that speaks only TLS 1.0 fails")
        check(status[("post.kolding.dk", "mail_tls")] == "fail" and
              "no STARTTLS" in found[("post.kolding.dk", "mail_tls")]["reasons"][0],
              "post: an MX without STARTTLS fails")
        check(status[("lang.kolding.dk", "mail_tls")] == "warn" and
              "not valid" in found[("lang.kolding.dk", "mail_tls")]["reasons"][0],
              "lang: a self-signed certificate warns")
        check(status[("usigneret.dk", "mail_tls")] == "warn", "usigneret.dk: no MX warns")
        check(status[("kolding.dk", "dane")] == "pass", "kolding.dk: its MX presents the key its TLSA record names")
        check(status[("lang.kolding.dk", "dane")] == "fail" and
              "matches the certificate" in found[("lang.kolding.dk", "dane")]["reasons"][0],
              "lang: a TLSA record that names another key fails")
        check(status[("post.kolding.dk", "dane")] == "warn", "post: no TLSA at its MX warns")
        for check_name in ("web_tls", "https_redirect", "hsts", "security_txt", "mta_sts"):
            check(status[("kolding.dk", check_name)] == "pass",
                  "kolding.dk: %s passes: %s" % (check_name, found[("kolding.dk", check_name)]["reasons"]))
        check(any("days)" in line for line in found[("kolding.dk", "web_tls")]["evidence"]),
              "the web certificate's expiry is in the evidence")
        for check_name, words in (("web_tls", "TLSv1 negotiated"), ("https_redirect", "plain HTTP"),
                                  ("hsts", "no Strict-Transport-Security"), ("security_txt", "no /.well-known"),
                                  ("mta_sts", "matches no mx pattern")):
            result = found[("borger.kolding.dk", check_name)]
            check(result["status"] == "fail" and words in " ".join(result["reasons"]),
                  "borger: %s fails (%s): %s" % (check_name, words, result["reasons"]))
        for check_name, expected, words in (("web_tls", "fail", "not valid"), ("https_redirect", "pass", "no plain"),
                                            ("hsts", "warn", "under one year"), ("security_txt", "fail", "expired"),
                                            ("mta_sts", "fail", "no MTA-STS record")):
            result = found[("post.kolding.dk", check_name)]
            check(result["status"] == expected and words in " ".join(result["reasons"]),
                  "post: %s is %s (%s): %s" % (check_name, expected, words, result["reasons"]))
        check(not any(("lang.kolding.dk", name) in found for name in ("web_tls", "hsts")),
              "lang: a name without an address has no web checks")
        requests = [line.split(" ") for path in web_logs.values() if os.path.exists(path)
                    for line in open(path).read().splitlines() if " - handshake only" not in line]
        check(requests and all(parts[1] == "GET" and parts[3] in ("/", "/.well-known/security.txt",
                                                                  "/.well-known/mta-sts.txt")
                               and "Dannevirke-posture" in " ".join(parts[4:]) for parts in requests),
              "the web servers saw only GET of /, security.txt and the MTA-STS policy, with the scanner's name: %s"
              % requests[:3])
        logged = "".join(open(path).read() for path in mail_logs.values() if os.path.exists(path))
        check("STARTTLS" in logged and "MAIL" not in logged and "RCPT" not in logged,
              "the mail servers saw EHLO and STARTTLS, never MAIL or RCPT")

        # Without --allow-private the loopback mail servers are not connected to.
        before = log_sizes(mail_logs)
        web_before = log_sizes(web_logs)
        only = os.path.join(workdir, "kolding.txt")
        with open(only, "w") as out:
            out.write("kolding.dk\n")
        alone, _ = scan(dannevirke, only, "127.0.0.1@%d" % nsd.port, anchors,
                        ["--smtp-port", str(smtp_port), "--ca-file", ca] + web)
        mail = verdicts(alone)[("kolding.dk", "mail_tls")]
        check(mail["status"] == "error" and "loopback" in " ".join(mail["reasons"]),
              "an MX at a loopback address is not connected to without --allow-private: %s" % mail["reasons"])
        check(before == log_sizes(mail_logs), "no mail server saw a connection")
        web_alone = verdicts(alone)[("kolding.dk", "web_tls")]
        check(web_alone["status"] == "error" and "loopback" in " ".join(web_alone["reasons"]),
              "a web server at a loopback address is not connected to without --allow-private")
        check(web_before == log_sizes(web_logs), "no web server saw a request")
        check(status[("lang.kolding.dk", "spf")] == "pass", "lang: a record of two character strings is one record")
        check(report["skipped"] and "domains.txt:5" in report["skipped"][0] and "domains.txt:5" in stderr,
              "the line that is not a domain is skipped and named by file and line")

        # A resolver that does not answer: every check is an error, none a failure.
        silent = rh.spare_port()
        report, _ = scan(dannevirke, domains_file, "127.0.0.1@%d" % silent, anchors, smtp)
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
