#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The hub under attack, measured (standard library only).

  hub_attack_bench.py DANNEVIRKE [--connections 1000] [--seconds 20]

Starts `dannevirke hub --seed-demo` on a temporary database and measures, from
127.0.0.1, the latency of /healthz and of an authenticated TAXII collections
read (p50, p99, max over the run) in three phases:

  idle      nothing else happens;
  slow      --connections clients on 127.0.0.2..127.0.0.9 each send one
            header line per second and never finish their request;
  bodies    hostile bodies: 1 TiB Content-Lengths, endless chunked bodies,
            gzip bodies and 9 MiB bodies, in parallel, from 127.0.0.10..;

and prints the hub's resident memory at idle and its peak (VmHWM) after the
body phase. Prints figures only; it passes or fails nothing.
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

TAXII = "application/taxii+json;version=2.1"


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


class Hub:
    def __init__(self, binary):
        self.dir = tempfile.mkdtemp(prefix="dv-attack-bench-")
        self.proc = subprocess.Popen(
            [binary, "hub", "--db", "sqlite:%s/hub.db" % self.dir, "--seed-demo", "--port", "0", "--port-file",
             self.dir + "/port", "--quiet", "--token-file", self.dir + "/tokens.json"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(300):
            try:
                self.port = int(open(self.dir + "/port").read())
                urllib.request.urlopen("http://127.0.0.1:%d/healthz" % self.port, timeout=1).read()
                break
            except (OSError, ValueError):
                time.sleep(0.1)
        self.token = json.load(open(self.dir + "/tokens.json"))["0101-soc"]

    def memory_kib(self, field):
        with open("/proc/%d/status" % self.proc.pid) as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return 0

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=20)


def timed_get(port, path, headers):
    start = time.perf_counter()
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        head = "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" % path
        head += "".join("%s: %s\r\n" % kv for kv in headers.items())
        sock.sendall((head + "\r\n").encode())
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        ok = data.startswith(b"HTTP/1.1 200")
    finally:
        sock.close()
    return (time.perf_counter() - start) * 1000, ok


def measure(hub, seconds):
    latencies = {"healthz": [], "taxii": []}
    failures = 0
    deadline = time.time() + seconds
    auth = {"Authorization": "Bearer " + hub.token, "Accept": TAXII}
    while time.time() < deadline:
        for name, path, headers in (("healthz", "/healthz", {}), ("taxii", "/taxii2/dannevirke/collections/", auth)):
            try:
                ms, ok = timed_get(hub.port, path, headers)
                latencies[name].append(ms)
                failures += 0 if ok else 1
            except OSError:
                failures += 1
        time.sleep(0.02)
    return latencies, failures


def report(phase, latencies, failures):
    for name, values in latencies.items():
        print("%-7s %-8s n=%4d  p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms" %
              (phase, name, len(values), percentile(values, 0.5), percentile(values, 0.99), max(values or [0])))
    print("%-7s failed requests: %d" % (phase, failures))


def slow_client(port, idx):
    """A connection from 127.0.0.(2 + idx % 8) that has sent the start of a request head; None if refused."""
    try:
        sock = socket.socket()
        sock.bind(("127.0.0.%d" % (2 + idx % 8), 0))
        sock.settimeout(2)
        sock.connect(("127.0.0.1", port))
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        return sock
    except OSError:
        return None


def slow_clients(port, count, stop):
    socks = [sock for sock in (slow_client(port, idx) for idx in range(count)) if sock]
    while not stop.is_set():
        for sock in list(socks):
            try:
                sock.sendall(b"X-Slow: 1\r\n")
            except OSError:
                socks.remove(sock)
                # Reconnect: the attacker keeps trying for the whole phase.
                again = slow_client(port, len(socks))
                if again:
                    socks.append(again)
        time.sleep(1)
    for sock in socks:
        sock.close()


def hostile_bodies(port, token, stop, worker):
    source = "127.0.0.%d" % (10 + worker)
    path = "/taxii2/dannevirke/collections/x/objects/"
    kinds = [
        "POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % (path, 1 << 40),
        "POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Length: %d\r\n\r\n" % (path, token, 1 << 40),
        "POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Encoding: gzip\r\nContent-Length: 64\r\n\r\n"
        % (path, token) + "\0" * 64,
    ]
    chunk = b"100000\r\n" + b"[" * 0x100000 + b"\r\n"
    round_no = 0
    while not stop.is_set():
        round_no += 1
        try:
            sock = socket.socket()
            sock.bind((source, 0))
            sock.settimeout(5)
            sock.connect(("127.0.0.1", port))
            if round_no % 4 == 3:
                sock.sendall(("POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                              "Transfer-Encoding: chunked\r\n\r\n" % (path, token)).encode())
                for _ in range(64):
                    sock.sendall(chunk)
            else:
                sock.sendall(kinds[round_no % 3].encode())
            sock.recv(4096)
        except OSError:
            pass
        finally:
            sock.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dannevirke")
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    hub = Hub(args.dannevirke)
    try:
        idle_rss = hub.memory_kib("VmRSS")
        print("hub idle RSS %.1f MiB" % (idle_rss / 1024))
        report("idle", *measure(hub, args.seconds / 2))

        stop = threading.Event()
        attacker = threading.Thread(target=slow_clients, args=(hub.port, args.connections, stop))
        attacker.start()
        time.sleep(2)
        report("slow", *measure(hub, args.seconds))
        stop.set()
        attacker.join()

        stop = threading.Event()
        workers = [threading.Thread(target=hostile_bodies, args=(hub.port, hub.token, stop, idx)) for idx in range(8)]
        for worker in workers:
            worker.start()
        report("bodies", *measure(hub, args.seconds))
        stop.set()
        for worker in workers:
            worker.join()
        peak = hub.memory_kib("VmHWM")
        print("hub memory: idle RSS %.1f MiB, peak %.1f MiB, peak above idle %.1f MiB" %
              (idle_rss / 1024, peak / 1024, (peak - idle_rss) / 1024))
    finally:
        hub.stop()


if __name__ == "__main__":
    sys.exit(main())
