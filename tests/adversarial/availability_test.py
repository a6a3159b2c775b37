#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Attacks on the availability of a real `dannevirke hub` process (standard library only).

  availability_test.py HUB_PID PORT TOKEN DB_PATH

Each attack comes from its own loopback address (127.0.0.2, .3, ...), the
measurements from 127.0.0.1, as a victim on another network would be. What is
asserted is what a member relies on: the hub keeps answering /healthz and an
authenticated TAXII read while it is attacked, refuses hostile bodies without
reading them, its memory stays bounded, and it writes a bounded number of
audit rows however many anonymous requests it refuses. The few waits that
appear are generous liveness bounds, not performance figures
(bench/hub_attack_bench.py measures those).
"""

import json
import os
import socket
import sqlite3
import sys
import threading
import time

HUB_PID, PORT, TOKEN, DB_PATH = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
TAXII = "application/taxii+json;version=2.1"
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


def connect(source="127.0.0.1", timeout=10):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", PORT))
    return sock


def read_response(sock):
    """Status code and body of one HTTP/1.1 response (Content-Length framed); None when closed."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None, b""
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return status, body


def request(method, path, headers=None, body=b"", source="127.0.0.1", timeout=10):
    sock = connect(source, timeout)
    try:
        lines = ["%s %s HTTP/1.1" % (method, path), "Host: 127.0.0.1", "Connection: close"]
        for name, value in (headers or {}).items():
            lines.append("%s: %s" % (name, value))
        if body:
            lines.append("Content-Length: %d" % len(body))
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        return read_response(sock)
    finally:
        sock.close()


def victim_answers(what):
    """/healthz and an authenticated TAXII read, from 127.0.0.1, within a generous bound."""
    try:
        health, _ = request("GET", "/healthz", timeout=5)
        taxii, _ = request("GET", "/taxii2/dannevirke/collections/",
                           {"Authorization": "Bearer " + TOKEN, "Accept": TAXII}, timeout=5)
    except OSError as error:
        check(False, "%s: the victim's requests failed (%s)" % (what, error))
        return
    check(health == 200 and taxii == 200, "%s: /healthz %s and TAXII collections %s answer" % (what, health, taxii))


def rss_kib(field="VmRSS"):
    with open("/proc/%d/status" % HUB_PID) as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def audit_rows(actor_prefix):
    db = sqlite3.connect("file:%s?mode=ro" % DB_PATH, uri=True, timeout=10)
    try:
        return db.execute("SELECT count(*) FROM audit_log WHERE actor LIKE ?", (actor_prefix + "%",)).fetchone()[0]
    finally:
        db.close()


def alive():
    try:
        os.kill(HUB_PID, 0)
        return True
    except OSError:
        return False


# --- slow clients: one header line every second, from one address ---------
def still_open(socks):
    count = 0
    for sock in socks:
        try:
            sock.settimeout(0.01)
            if sock.recv(1) != b"":
                count += 1
        except socket.timeout:
            count += 1
        except OSError:
            pass
    return count


def slowloris(source, count, seconds, stop):
    socks = []
    for _ in range(count):
        try:
            sock = connect(source, 5)
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            socks.append(sock)
        except OSError:
            pass
    time.sleep(1)
    open_at_first = still_open(socks)
    deadline = time.time() + seconds
    while time.time() < deadline and not stop.is_set():
        for sock in list(socks):
            try:
                sock.sendall(b"X-Slow: 1\r\n")
            except OSError:
                socks.remove(sock)
        time.sleep(1)
    open_at_end = still_open(socks)
    for sock in socks:
        sock.close()
    return open_at_first, open_at_end


def test_slow_clients():
    stop = threading.Event()
    result = {}
    attacker = threading.Thread(target=lambda: result.update(r=slowloris("127.0.0.2", 400, 14, stop)))
    attacker.start()
    time.sleep(3)
    victim_answers("400 slow-header clients from 127.0.0.2")
    attacker.join()
    opened, still_open = result["r"]
    check(0 < opened <= 128, "per-address connection cap: %d of 400 connections stayed open at first" % opened)
    check(still_open == 0, "the head deadline cut off every slow client (%d still open after 14 s)" % still_open)


def test_idle_connections():
    socks = []
    for _ in range(300):
        try:
            socks.append(connect("127.0.0.3", 5))
        except OSError:
            break
    time.sleep(0.5)
    victim_answers("300 idle connections from 127.0.0.3")
    for sock in socks:
        sock.close()


# --- hostile bodies --------------------------------------------------------
def test_bodies():
    idle = rss_kib()
    huge = {"Content-Length": str(1 << 40), "Content-Type": TAXII, "Accept": TAXII}
    sock = connect("127.0.0.4")
    path = "/taxii2/dannevirke/collections/x/objects/"
    sock.sendall(("POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % (path, 1 << 40)).encode())
    status, _ = read_response(sock)
    sock.close()
    check(status in (401, 413), "a 1 TiB body without credentials is refused before it is read (%s)" % status)

    huge["Authorization"] = "Bearer " + TOKEN
    sock = connect("127.0.0.4")
    head = "POST %s HTTP/1.1\r\nHost: x\r\n%s\r\n\r\n" % (path, "\r\n".join("%s: %s" % kv for kv in huge.items()))
    sock.sendall(head.encode())
    status, _ = read_response(sock)
    sock.close()
    check(status == 413, "a 1 TiB Content-Length with a token is refused before the body (%s)" % status)

    # A chunked body that never ends: cut off at the limit, never buffered beyond it.
    sock = connect("127.0.0.4", 30)
    sock.sendall(("POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n" % (path, TOKEN, TAXII)).encode())
    chunk = b"100000\r\n" + b"[" * 0x100000 + b"\r\n"
    sent = 0
    status = None
    try:
        for _ in range(200):  # up to 200 MiB
            sock.sendall(chunk)
            sent += 1
    except OSError:
        pass
    try:
        status, _ = read_response(sock)
    except OSError:
        status = None
    sock.close()
    check(status == 413 or status is None,
          "an endless chunked body is cut off (status %s after %d MiB sent)" % (status, sent))
    check(sent < 200, "the hub stopped reading the endless chunked body (%d MiB accepted)" % sent)

    status, _ = request("POST", path, {"Content-Type": TAXII}, body=b"{}" * 100, source="127.0.0.4")
    check(status == 401, "a small body without credentials is answered 401 before it is read (%s)" % status)

    status, _ = request("POST", path, {"Authorization": "Bearer " + TOKEN, "Content-Type": TAXII,
                                       "Accept": TAXII, "Content-Encoding": "gzip"},
                        body=b"\x1f\x8b" + b"\0" * 64, source="127.0.0.4")
    check(status == 415, "a compressed body is refused, never inflated (%s)" % status)

    # Many large bodies at once from one address: bounded by the in-flight budget.
    threads = []
    statuses = []

    def big_post():
        try:
            s, _ = request("POST", path, {"Authorization": "Bearer " + TOKEN, "Content-Type": TAXII,
                                          "Accept": TAXII}, body=b"{" * (9 << 20), source="127.0.0.5", timeout=60)
            statuses.append(s)
        except OSError:
            statuses.append(None)

    for _ in range(16):
        threads.append(threading.Thread(target=big_post))
        threads[-1].start()
    for thread in threads:
        thread.join()
    grown = (rss_kib("VmHWM") - idle) // 1024
    check(all(s in (400, 404, 413, 503, None) for s in statuses),
          "16 concurrent 9 MiB bodies are answered or shed (%s)" % sorted(set(map(str, statuses))))
    if os.environ.get("DV_SANITIZED"):
        print("note hub memory peak +%d MiB (not checked: the sanitizers' shadow memory and quarantine)" % grown)
    else:
        check(grown < 100, "hub memory peak stayed under idle + 100 MiB after hostile bodies (+%d MiB)" % grown)
    victim_answers("after hostile bodies")


# --- anonymous floods ------------------------------------------------------
def test_anonymous_flood():
    before = audit_rows("anonymous:")
    limited = 0
    sock = connect("127.0.0.6")
    for _ in range(1500):
        sock.sendall(b"GET /api/v1/me HTTP/1.1\r\nHost: x\r\n\r\n")
        status, _ = read_response(sock)
        if status is None:
            sock.close()
            sock = connect("127.0.0.6")
            continue
        if status == 429:
            limited += 1
    sock.close()
    check(limited > 0, "1500 anonymous requests on one connection meet the per-address limit (%d got 429)" % limited)
    victim_answers("after an anonymous flood")
    time.sleep(1)
    rows = audit_rows("anonymous:") - before
    check(rows <= 20, "the anonymous flood wrote %d audit rows (bounded, aggregated)" % rows)


def test_malformed():
    status, _ = request("GET", "/healthz", {"X-Big": "a" * 100000}, source="127.0.0.7")
    check(status == 431, "a 100 KB request head is refused with 431 (%s)" % status)
    sock = connect("127.0.0.7")
    sock.sendall(b"\x16\x03\x01garbage that is not HTTP\r\n\r\n")
    try:
        status, _ = read_response(sock)
    except OSError:
        status = None
    sock.close()
    check(status in (400, None), "garbage instead of HTTP is refused (%s)" % status)
    # Bytes that are not UTF-8 in the path reach error messages and the access
    # log (found by dv_http_request_fuzz: an uncaught JSON exception ended the hub).
    for path in (b"/taxii2/dann\xaf\xafevirke/collections/", b"/api/v1/\xff\xfe", b"/\xc3("):
        sock = connect("127.0.0.7")
        sock.sendall(b"GET " + path + b" HTTP/1.1\r\nHost: x\r\nAccept: \xff\xff\r\n\r\n")
        try:
            status, _ = read_response(sock)
        except OSError:
            status = None
        sock.close()
        check(status in (400, 401, 404, 406), "a path with invalid UTF-8 is answered (%s)" % status)
        check(alive(), "the hub is alive after a path with invalid UTF-8")
    victim_answers("after malformed requests")


for test in (test_malformed, test_idle_connections, test_bodies, test_anonymous_flood, test_slow_clients):
    print("== " + test.__name__, flush=True)
    test()
    check(alive(), "the hub process is alive after " + test.__name__)
    if not alive():
        break

print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
