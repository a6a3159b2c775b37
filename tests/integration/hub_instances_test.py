#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Two hubs on one PostgreSQL database, with HAProxy in front.

Hub A (which seeds the demo data) and hub B run on the same database URL;
HAProxy balances over both with the settings of deploy/haproxy/dannevirke.cfg
(its "defaults" section and its "backend dannevirke_hubs" lines, with these
two hubs as servers and fast health checks). Checks:

  a. an indicator posted at A is served by B at once;
  b. a long poll at B (GET /api/v1/changes) is answered changed:true when an
     indicator is posted at A (the latency is printed);
  c. through HAProxy, 200 indicators posted one at a time while A is killed
     halfway (SIGKILL): every post answered 202 is served afterwards, the
     posts after the kill succeed at B, and long polls waiting through
     HAProxy when A dies get their answer (asking again if need be);
  d. PostgreSQL stopped for about 3 s: B answers a TAXII read with a valid
     token 503 with Retry-After (never 401 or 404) and /healthz 503, then 200
     again once the server is back, without a restart, and still serves
     what was posted before.

Everything listens on 127.0.0.1 at free ports; every process is stopped and
the temporary folder removed on exit, also after a failure.

Usage (under scripts/with-postgres.sh, which sets DV_TEST_POSTGRES_URL,
DV_TEST_POSTGRES_STOP, DV_TEST_POSTGRES_START and DV_TEST_POSTGRES_RESTART):
  hub_instances_test.py DANNEVIRKE          (exit 77: no PostgreSQL or no haproxy)
"""

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "ops"))
import taxii_client  # noqa: E402  (the shared TAXII helpers)

API_ROOT = taxii_client.API_ROOT
DEPLOY_CFG = os.path.join(ROOT, "deploy", "haproxy", "dannevirke.cfg")
failures = []
processes = []  # every process started, stopped at the end whatever happens


def check(condition, what, detail=""):
    print(("ok   " if condition else "FAIL ") + what + ("" if condition or not detail else ": " + detail), flush=True)
    if not condition:
        failures.append(what)
    return condition


def call(method, url, token=None, body=None, timeout=30, accept=taxii_client.TAXII):
    """(status, headers, parsed body or text); raises only for transport errors."""
    req = urllib.request.Request(url, method=method, data=body)
    req.add_header("Accept", accept)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if body is not None:
        req.add_header("Content-Type", taxii_client.TAXII)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            status, headers, raw = res.status, res.headers, res.read()
    except urllib.error.HTTPError as error:
        status, headers, raw = error.code, error.headers, error.read()
    try:
        return status, headers, json.loads(raw or b"{}")
    except ValueError:
        return status, headers, raw.decode("utf-8", "replace")


TRANSPORT_ERRORS = (urllib.error.URLError, http.client.HTTPException, ConnectionError, socket.timeout, OSError)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def watch(pid):
    """A test killed outright runs no finally: this kills PID once the test is gone."""
    subprocess.Popen(["setsid", "bash", "-c", 'while kill -0 "$1" 2>/dev/null; do sleep 2; done; kill -KILL "$2"',
                      "watchdog", str(os.getpid()), str(pid)],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start(args, log_path):
    log = open(log_path, "w", encoding="utf-8")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    log.close()
    processes.append(proc)
    watch(proc.pid)
    return proc


def tail(path, lines=15):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


def start_hub(dannevirke, db, workdir, name, seed):
    port_file = os.path.join(workdir, name + ".port")
    args = [dannevirke, "hub", "--db", db, "--port", "0", "--port-file", port_file, "--quiet"]
    if seed:
        args += ["--seed-demo", "--token-file", os.path.join(workdir, "tokens.json")]
    log_path = os.path.join(workdir, "hub-" + name + ".log")
    hub = start(args, log_path)
    for _ in range(600):
        if os.path.exists(port_file) and os.path.getsize(port_file) > 0:
            with open(port_file, encoding="utf-8") as f:
                base = "http://127.0.0.1:" + f.read().strip()
            try:
                if call("GET", base + "/healthz", timeout=2)[0] == 200:
                    return hub, base
            except TRANSPORT_ERRORS:
                pass
        if hub.poll() is not None:
            break
        time.sleep(0.1)
    raise SystemExit("FAIL the hub (%s) did not start:\n%s" % (name, tail(log_path)))


def haproxy_config(port, servers):
    """deploy/haproxy/dannevirke.cfg's defaults and backend, with a plain frontend on
    loopback, these servers and fast health checks."""
    sections, current = {}, None
    with open(DEPLOY_CFG, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if not line[0].isspace():
                current = line.strip()
                sections[current] = []
            elif current:
                sections[current].append(line.strip())
    backend = [line for line in sections["backend dannevirke_hubs"]
               if not line.startswith(("server ", "default-server "))]
    # The log on stderr (the test's haproxy.log): which hub answered, how often retried.
    lines = ["global", "    maxconn 2000", "    log stderr format raw local0", "", "defaults"]
    lines += ["    " + line for line in sections["defaults"]]
    lines += ["", "frontend dannevirke", "    bind 127.0.0.1:%d" % port, "    default_backend dannevirke_hubs",
              "", "backend dannevirke_hubs"]
    lines += ["    " + line for line in backend]
    lines.append("    http-response set-header X-Served-By %s")
    lines.append("    default-server inter 500ms fall 2 rise 1 maxconn 100")
    for name, base in servers:
        lines.append("    server %s %s check" % (name, base[len("http://"):]))
    return "\n".join(lines) + "\n"


def objects_url(base, collection):
    return base + API_ROOT + "collections/" + collection + "/objects/"


def post_one(base, token, collection, label):
    """Posts one new indicator; (status, answer, id)."""
    item = taxii_client.indicator(label)
    status, _, answer = call("POST", objects_url(base, collection), token,
                             json.dumps({"objects": [item]}).encode())
    return status, answer, item["id"]


def served(base, token, collection, object_id):
    """(status, whether the object is served) for GET objects/?match[id]=ID."""
    status, _, page = call("GET", objects_url(base, collection) + "?match%5Bid%5D=" + urllib.parse.quote(object_id),
                           token)
    found = status == 200 and isinstance(page, dict) and any(o.get("id") == object_id for o in page.get("objects", []))
    return status, found


def cursor(base, token, collection):
    """X-TAXII-Date-Added-Last of the collection's last manifest page (the newest date_added)."""
    url = base + API_ROOT + "collections/" + collection + "/manifest/?limit=100"
    last = ""
    while True:
        status, headers, page = call("GET", url, token)
        if status != 200:
            raise SystemExit("FAIL reading the manifest: %d %s" % (status, str(page)[:300]))
        last = headers.get("X-TAXII-Date-Added-Last") or last
        if not page.get("more"):
            return last
        url = base + API_ROOT + "collections/" + collection + "/manifest/?limit=100&next=" + \
            urllib.parse.quote(page["next"])


def changes_url(base, collection, since, wait):
    return base + "/api/v1/changes?collection=" + urllib.parse.quote(collection + "@" + since, safe="") + \
        "&type=indicator&wait=%d" % wait


class LongPoll(threading.Thread):
    """GET /api/v1/changes in the background, asked again after a transport error,
    502 or 503 (at most `tries` times); the answer and when it came."""

    def __init__(self, url, token, tries=1):
        super().__init__(daemon=True)
        self.url, self.token, self.tries = url, token, tries
        self.status = self.answer = self.answered_at = self.server = None
        self.errors = []

    def run(self):
        for _ in range(self.tries):
            try:
                status, headers, answer = call("GET", self.url, self.token, timeout=90, accept="application/json")
            except TRANSPORT_ERRORS as error:
                self.errors.append(type(error).__name__)
                time.sleep(0.2)
                continue
            if status in (502, 503, 504):
                self.errors.append(str(status))
                time.sleep(0.2)
                continue
            self.status, self.answer, self.answered_at = status, answer, time.monotonic()
            self.server = headers.get("X-Served-By")
            return


def check_a(base_a, base_b, writer, reader, national):
    status, answer, object_id = post_one(base_a, writer, national, "Instance A")
    check(status == 202 and answer.get("success_count") == 1, "a. hub A accepts an indicator (%d)" % status,
          str(answer)[:300])
    got, found = served(base_b, reader, national, object_id)
    check(found, "a. hub B serves the indicator posted at A right after A's 202", "GET at B answered %d" % got)
    return object_id


def check_b(base_a, base_b, writer, reader, national):
    since = cursor(base_b, reader, national)
    poll = LongPoll(changes_url(base_b, national, since, 30), reader)
    started = time.monotonic()
    poll.start()
    time.sleep(1.0)  # parked at B before the post
    check(poll.is_alive(), "b. the long poll at B waits while nothing new is posted",
          "answered %s %s" % (poll.status, poll.answer))
    status, _, _ = post_one(base_a, writer, national, "Instance B wake-up")
    acknowledged = time.monotonic()
    poll.join(40)
    if not check(poll.answered_at is not None and poll.status == 200, "b. the long poll at B is answered (%s)" %
                 poll.status, "errors %s" % poll.errors):
        return
    answer = poll.answer if isinstance(poll.answer, dict) else {}
    check(status == 202 and answer.get("changed") is True and national in answer.get("collections", []),
          "b. a post at A wakes the long poll at B with changed:true", json.dumps(answer)[:300])
    check(poll.answered_at - started < 30, "b. the answer came before the 30 s wait ended")
    print("     latency from A's 202 to B's answer: %.1f ms" % ((poll.answered_at - acknowledged) * 1000), flush=True)


def check_c(hub_a, proxy, proxy_log, writer, reader, national):
    acknowledged, statuses, retried, failed_after = [], {}, 0, []
    polls = []
    for number in range(200):
        if number == 100:
            # Two long polls through HAProxy (leastconn puts them on different
            # hubs), then A dies under one of them.
            since = cursor(proxy, reader, national)
            for _ in range(2):
                poll = LongPoll(changes_url(proxy, national, since, 30), reader, tries=5)
                poll.start()
                polls.append(poll)
                time.sleep(0.3)
            time.sleep(0.5)
            check(all(poll.is_alive() for poll in polls), "c. both long polls through HAProxy wait before A is killed")
            hub_a.send_signal(signal.SIGKILL)
            hub_a.wait()
            killed_at = time.monotonic()
        item = taxii_client.indicator("Through HAProxy %d" % number)
        body = json.dumps({"objects": [item]}).encode()
        for attempt in range(6):
            try:
                status, _, answer = call("POST", objects_url(proxy, national), writer, body)
            except TRANSPORT_ERRORS as error:
                status, answer = type(error).__name__, None
            statuses[status] = statuses.get(status, 0) + 1
            if status == 202 and isinstance(answer, dict) and answer.get("success_count") == 1:
                acknowledged.append(item["id"])
                break
            if status not in (502, 503, 504, 429) and not isinstance(status, str):
                break
            retried += 1
            time.sleep(0.3)
        else:
            status = "gave up"
        if number >= 100 and not (acknowledged and acknowledged[-1] == item["id"]):
            failed_after.append((number, status))
    print("     answers through HAProxy: %s; %d attempts retried" %
          (", ".join("%s×%d" % (k, v) for k, v in sorted(statuses.items(), key=str)), retried), flush=True)
    check(not failed_after, "c. every post after A was killed succeeds through B (%d acknowledged of 200)" %
          len(acknowledged), str(failed_after[:5]))
    got = set(taxii_client.manifest_ids(proxy, reader, national))
    lost = [i for i in acknowledged if i not in got]
    check(not lost, "c. every indicator acknowledged with 202 is served through HAProxy (%d)" % len(acknowledged),
          "%d lost, e.g. %s" % (len(lost), lost[:3]))
    for index, poll in enumerate(polls):
        poll.join(60)
        answer = poll.answer if isinstance(poll.answer, dict) else {}
        check(poll.status == 200 and answer.get("changed") is True,
              "c. long poll %d through HAProxy while A died is answered changed:true (%s; asked again after: %s)" %
              (index + 1, poll.status, ", ".join(poll.errors) or "nothing"), json.dumps(answer)[:200])
        if poll.answered_at:
            print("     long poll %d answered by hub %s %.3f s after the kill" %
                  (index + 1, poll.server, poll.answered_at - killed_at))
    with open(proxy_log, encoding="utf-8", errors="replace") as f:
        for line in f:
            if "/api/v1/changes" in line and "wait=30" in line and "GET" in line:
                print("     haproxy: " + line.strip()[:220])


def check_d(base_b, reader, national, earlier_id):
    stop, begin = os.environ.get("DV_TEST_POSTGRES_STOP"), os.environ.get("DV_TEST_POSTGRES_START")
    url = base_b + API_ROOT + "collections/" + national + "/"
    seen, health, retry_after = {}, {}, set()
    if stop and begin:
        subprocess.run([stop], check=True, timeout=60)
        down_until = time.monotonic() + 3
        while time.monotonic() < down_until:
            status, headers, body = call("GET", url, reader, timeout=5)
            seen[status] = seen.get(status, 0) + 1
            if status == 503:
                retry_after.add(headers.get("Retry-After"))
            elif status in (401, 404):
                print("     while down: %d %s" % (status, str(body)[:200]))
            health_status = call("GET", base_b + "/healthz", timeout=5)[0]
            health[health_status] = health.get(health_status, 0) + 1
            time.sleep(0.1)
        subprocess.run([begin], check=True, timeout=60)
    else:
        restart = os.environ["DV_TEST_POSTGRES_RESTART"]
        worker = threading.Thread(target=subprocess.run, args=([restart],), daemon=True)
        worker.start()
        while worker.is_alive():
            status, headers, _ = call("GET", url, reader, timeout=5)
            seen[status] = seen.get(status, 0) + 1
            if status == 503:
                retry_after.add(headers.get("Retry-After"))
            health_status = call("GET", base_b + "/healthz", timeout=5)[0]
            health[health_status] = health.get(health_status, 0) + 1
            time.sleep(0.05)
    back = time.monotonic()
    print("     while the database was down, B answered the TAXII read %s and /healthz %s" % (seen, health))
    check(seen.get(503, 0) > 0 and None not in retry_after and retry_after,
          "d. while the database is down B answers a TAXII read 503 with Retry-After (%s)" %
          ", ".join(sorted(str(r) for r in retry_after)))
    check(seen.get(401, 0) == 0 and seen.get(404, 0) == 0, "d. never 401 or 404 for a valid token while it is down")
    check(health.get(503, 0) > 0, "d. /healthz at B answers 503 while the database is down")
    recovered = None
    while time.monotonic() - back < 15:
        try:
            if call("GET", url, reader, timeout=5)[0] == 200 and call("GET", base_b + "/healthz", timeout=5)[0] == 200:
                recovered = time.monotonic() - back
                break
        except TRANSPORT_ERRORS:
            pass
        time.sleep(0.1)
    check(recovered is not None and recovered < 5,
          "d. B answers 200 again %s after the database is back, without a restart" %
          ("%.1f s" % recovered if recovered is not None else "never (15 s)"))
    status, found = served(base_b, reader, national, earlier_id)
    check(found, "d. the indicator posted before the outage is still served", "GET answered %d" % status)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    dannevirke = os.path.abspath(sys.argv[1])
    url = os.environ.get("DV_TEST_POSTGRES_URL", "")
    if not url or not os.environ.get("DV_TEST_POSTGRES_RESTART"):
        print("hub_instances_test.py: DV_TEST_POSTGRES_URL is not set (run under scripts/with-postgres.sh): skipped")
        return 77
    haproxy = shutil.which("haproxy") or ("/usr/sbin/haproxy" if os.access("/usr/sbin/haproxy", os.X_OK) else None)
    if not haproxy:
        print("hub_instances_test.py: haproxy not found (scripts/install-deps.sh): skipped")
        return 77
    workdir = tempfile.mkdtemp(prefix="dv-instances-")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    began = time.monotonic()
    try:
        hub_a, base_a = start_hub(dannevirke, url, workdir, "a", seed=True)
        _, base_b = start_hub(dannevirke, url, workdir, "b", seed=False)
        print("ok   hub A (%s, with the demo data) and hub B (%s) run on one PostgreSQL database" % (base_a, base_b))
        with open(os.path.join(workdir, "tokens.json"), encoding="utf-8") as f:
            tokens = json.load(f)
        writer, reader = tokens["0751-soc"], tokens["0101-sensor"]
        national = taxii_client.collection(base_a, writer, "Nationale indikatorer")

        proxy_port = free_port()
        cfg = os.path.join(workdir, "haproxy.cfg")
        with open(cfg, "w", encoding="utf-8") as f:
            f.write(haproxy_config(proxy_port, [("a", base_a), ("b", base_b)]))
        valid = subprocess.run([haproxy, "-c", "-f", cfg], capture_output=True, text=True)
        if not check(valid.returncode == 0, "the HAProxy configuration from deploy/haproxy/dannevirke.cfg is valid",
                     (valid.stdout + valid.stderr)[-500:]):
            return 1
        proxy_log = os.path.join(workdir, "haproxy.log")
        start([haproxy, "-db", "-f", cfg], proxy_log)
        proxy = "http://127.0.0.1:%d" % proxy_port
        for _ in range(100):
            try:
                if call("GET", proxy + "/healthz", timeout=2)[0] == 200:
                    break
            except TRANSPORT_ERRORS:
                pass
            time.sleep(0.1)
        else:
            raise SystemExit("FAIL HAProxy did not answer:\n" + tail(proxy_log))
        print("ok   HAProxy (%s) balances over both hubs" % proxy)

        earlier_id = check_a(base_a, base_b, writer, reader, national)
        check_b(base_a, base_b, writer, reader, national)
        check_c(hub_a, proxy, proxy_log, writer, reader, national)
        check_d(base_b, reader, national, earlier_id)
        if failures:
            for name in ("hub-a.log", "hub-b.log", "haproxy.log"):
                print("--- %s (tail)\n%s" % (name, tail(os.path.join(workdir, name))))
    finally:
        for proc in processes:
            if proc.poll() is None:
                proc.terminate()
        for proc in processes:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(workdir, ignore_errors=True)
    print("took %.1f s" % (time.monotonic() - began))
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
