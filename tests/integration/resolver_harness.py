# SPDX-License-Identifier: Apache-2.0
"""A hub, an authoritative server and a resolver on loopback, for the
protection tests and benchmarks that need a real resolver (standard library
only): protection_resolver_test.py and bench/protect_withdrawal_bench.py.

- Hub: `dannevirke hub` on a temporary SQLite database, bootstrapped with
  the command line (federation, members, a national TLP:GREEN collection,
  tokens), on a spare port.
- Nsd: NLnet Labs' nsd, authoritative for a test zone.
- Unbound: Debian's unbound with the member's RPZ zones by url:, as
  docs/protect.md ("Connect Unbound") tells a member to configure them,
  with stub zones to nsd for the test zone and for the root (nsd refuses
  the root), so that nothing the resolver asks leaves loopback.
- query(): one DNS question over UDP, the answer's RCODE and answer count.

Every process is started in a directory of the caller's, with its log there,
and dies with the Python process (PR_SET_PDEATHSIG), so a test killed by its
timeout leaves nothing running; Processes.close() stops them in order.
"""

import ctypes
import json
import os
import random
import shutil
import signal
import socket
import struct
import subprocess
import time
import urllib.error
import urllib.request
import uuid

TAXII = "application/taxii+json;version=2.1"
TLP_GREEN = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"
SKIP = 77  # ctest's SKIP_RETURN_CODE


class HarnessError(Exception):
    pass


def _which(name):
    return shutil.which(name, path="/usr/sbin:/usr/bin:" + os.environ.get("PATH", ""))


def missing_tools():
    """The programs the harness needs that are not installed (Debian's unbound and nsd packages)."""
    return [name for name in ("unbound", "unbound-checkconf", "nsd") if _which(name) is None]


def tool(name):
    return _which(name) or name


def _die_with_parent():
    # PR_SET_PDEATHSIG = 1: the child gets SIGTERM when this process dies.
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)


def spare_port():
    """A port free for both TCP and UDP on 127.0.0.1 (DNS servers need both)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind(("127.0.0.1", 0))
            port = tcp.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                try:
                    udp.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
    raise HarnessError("no spare port on 127.0.0.1")


class Processes:
    """The servers a test started; close() stops them, newest first."""

    def __init__(self):
        self.running = []  # (name, Popen, log path)

    def start(self, name, argv, log_path, cwd=None):
        log = open(log_path, "ab")
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=cwd,
                                preexec_fn=_die_with_parent)
        log.close()
        self.running.append((name, proc, log_path))
        return proc

    def check_alive(self):
        for name, proc, log_path in self.running:
            if proc.poll() is not None:
                raise HarnessError("%s exited (status %s); its log:\n%s" % (name, proc.returncode, tail(log_path)))

    def close(self):
        for _, proc, _ in reversed(self.running):
            if proc.poll() is None:
                proc.terminate()
        for _, proc, _ in reversed(self.running):
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.running = []


def tail(path, lines=30):
    try:
        with open(path, errors="replace") as log:
            return "".join(log.readlines()[-lines:])
    except OSError as error:
        return "(no log: %s)" % error


def stop_on_signals():
    """SIGTERM and SIGINT end the program through SystemExit, so finally blocks stop the servers."""

    def handler(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


# --- DNS ------------------------------------------------------------------

RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}
TYPE_A = 1


def query(port, name, qtype=TYPE_A, timeout=2.0):
    """Asks 127.0.0.1:port for (name, qtype, IN) with recursion desired.
    Returns (rcode name, answer count), or ("TIMEOUT", 0)."""
    qid = random.randrange(65536)
    packet = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.rstrip(".").split("."):
        packet += bytes([len(label)]) + label.encode("ascii")
    packet += b"\0" + struct.pack("!HH", qtype, 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        sock.sendto(packet, ("127.0.0.1", port))
        deadline = time.monotonic() + timeout
        while True:
            try:
                data, _ = sock.recvfrom(4096)
            except socket.timeout:
                return "TIMEOUT", 0
            if len(data) >= 12 and struct.unpack("!H", data[:2])[0] == qid:
                break
            if time.monotonic() > deadline:
                return "TIMEOUT", 0
    flags, _, answers = struct.unpack("!HHH", data[2:8])
    return RCODES.get(flags & 0xF, str(flags & 0xF)), answers


def resolves(port, name):
    """True when the resolver gives an address for the name (NOERROR with an answer)."""
    rcode, answers = query(port, name)
    return rcode == "NOERROR" and answers > 0


# --- the hub ----------------------------------------------------------------

class Hub:
    """`dannevirke hub` on a fresh database in `workdir`, with a coordinator
    (cfcs, organisation CFCS), a member's person (kbh, 0101), another
    member's person (aarhus, 0751) and a national TLP:GREEN collection."""

    MEMBERS = (("cfcs", "CFCS", "coordinator"), ("kbh", "0101", "member"), ("aarhus", "0751", "member"))

    def __init__(self, dannevirke, workdir, processes):
        self.dannevirke = dannevirke
        self.workdir = workdir
        self.db = "sqlite:" + os.path.join(workdir, "hub.db")
        self.tokens = {}
        self.cli("federation", "load")
        for member_id, org, role in self.MEMBERS:
            self.cli("member", "add", "--id", member_id, "--org", org, "--role", role)
            self.tokens[member_id] = self.cli("token", "create", "--member", member_id, "--label", "resolver test")
        self.collection = self.cli("collection", "add", "--title", "National", "--audience", "national",
                                   "--default-tlp", "green")
        port_file = os.path.join(workdir, "hub.port")
        log = os.path.join(workdir, "hub.log")
        self.proc = processes.start("the hub", [dannevirke, "hub", "--db", self.db, "--port", "0", "--port-file",
                                                port_file, "--quiet"], log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise HarnessError("the hub exited while starting:\n" + tail(log))
            if os.path.exists(port_file) and os.path.getsize(port_file) > 0:
                self.base = "http://127.0.0.1:%s" % open(port_file).read().strip()
                try:
                    with urllib.request.urlopen(self.base + "/healthz", timeout=5):
                        return
                except (urllib.error.URLError, ConnectionError):
                    pass
            time.sleep(0.1)
        raise HarnessError("the hub did not start within 30 s:\n" + tail(log))

    def cli(self, group, command, *args):
        """`dannevirke GROUP COMMAND --db … ARGS`; its standard output."""
        done = subprocess.run([self.dannevirke, group, command, "--db", self.db, *args], capture_output=True,
                              text=True, timeout=120)
        if done.returncode != 0:
            raise HarnessError("dannevirke %s %s: exit %d\n%s%s" % (group, command, done.returncode, done.stdout,
                                                                   done.stderr))
        return done.stdout.strip()

    def request(self, method, path, member=None, body=None, content_type="application/json", accept=None):
        """(status, body bytes, headers) of one request; member None sends no Authorization."""
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        req = urllib.request.Request(self.base + path, method=method, data=data)
        if member is not None:
            req.add_header("Authorization", "Bearer " + self.tokens[member])
        if data is not None:
            req.add_header("Content-Type", content_type)
        if accept:
            req.add_header("Accept", accept)
        try:
            with urllib.request.urlopen(req, timeout=60) as res:
                return res.status, res.read(), res.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read(), error.headers

    def json(self, method, path, member, body=None, expect=(200, 201)):
        status, data, _ = self.request(method, path, member, body)
        if status not in expect:
            raise HarnessError("%s %s as %s: %d %s" % (method, path, member, status, data[:500]))
        return json.loads(data or b"{}")

    def publish(self, member, objects):
        """Posts STIX objects to the national collection as `member`; all must succeed."""
        status, data, _ = self.request("POST", "/taxii2/dannevirke/collections/%s/objects/" % self.collection, member,
                                       json.dumps({"objects": objects}).encode(), TAXII, TAXII)
        envelope = json.loads(data or b"{}")
        if status != 202 or envelope.get("success_count") != len(objects):
            raise HarnessError("publishing %d objects as %s: %d %s" % (len(objects), member, status, data[:500]))

    def withdraw_as_false_positive(self, indicator_id, reporter="kbh", coordinator="cfcs"):
        """The member proposes the indicator as a false positive for all and
        the coordinator accepts (the verdict). Returns the time.monotonic()
        at which the verdict was acknowledged."""
        self.json("POST", "/api/v1/indicators/%s/false-positive" % indicator_id, reporter,
                  {"scope": "all", "reason": "resolver test: benign after all"})
        self.json("POST", "/api/v1/indicators/%s/verdict" % indicator_id, coordinator,
                  {"reason": "resolver test: confirmed benign"})
        return time.monotonic()

    def feed_urls(self, org, member):
        """The URLs a resolver that sends no Authorization header fetches the
        member's feeds from: a new read-only feed token's `urls` (POST
        /api/v1/protection/members/{org}/tokens), made absolute: "rpz" (the
        enforcing zone), "rpz_monitor", "mapping", the firewall lists."""
        created = self.json("POST", "/api/v1/protection/members/%s/tokens" % org, member,
                            {"label": "unbound in the resolver test"}, expect=(201,))
        return {name: self.base + path for name, path in created["urls"].items()}


def fetch(url):
    """(status, body bytes) of a GET without an Authorization header, as a resolver fetches."""
    try:
        with urllib.request.urlopen(url, timeout=60) as res:
            return res.status, res.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def indicator(key, pattern, valid_until=None, confidence=90):
    """A TLP:GREEN STIX indicator with a fresh id."""
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    obj = {
        "type": "indicator",
        "spec_version": "2.1",
        "id": "indicator--%s" % uuid.uuid4(),
        "created": now,
        "modified": now,
        "name": "resolver test " + key,
        "pattern": pattern,
        "pattern_type": "stix",
        "valid_from": now,
        "confidence": confidence,
        "object_marking_refs": [TLP_GREEN],
    }
    if valid_until:
        obj["valid_until"] = valid_until
    return obj


def domain_indicator(key, domain, **kwargs):
    return indicator(key, "[domain-name:value = '%s']" % domain, **kwargs)


def soa_timers(zone_text):
    """(serial, refresh, retry) from the SOA line of an RPZ the hub wrote."""
    for line in zone_text.splitlines():
        fields = line.split(";")[0].split()
        if "SOA" in fields and len(fields) >= fields.index("SOA") + 8:
            at = fields.index("SOA")
            return int(fields[at + 3]), int(fields[at + 4]), int(fields[at + 5])
    raise HarnessError("no SOA in the zone:\n" + zone_text[:500])


# --- nsd --------------------------------------------------------------------

class Nsd:
    """nsd on 127.0.0.1:port, authoritative for `zone` with A records
    {label: address} (TTL 5 s) and any further zone-file lines in `extra`;
    it refuses every other name, the root included."""

    def __init__(self, workdir, processes, zone, records, extra=(), more_zones=(), sign=False):
        self.port = spare_port()
        self.dir = os.path.join(workdir, "nsd")
        os.makedirs(self.dir, exist_ok=True)
        with open(os.path.join(self.dir, "test.zone"), "w") as out:
            out.write(zone_text(zone, records, extra))
        zone_file = "test.zone"
        self.trust_anchors = []
        if sign:
            zone_file, anchor = sign_zone(self.dir, zone, os.path.join(self.dir, "test.zone"))
            self.trust_anchors.append(anchor)
        more = "".join('zone:\n  name: "%s"\n  zonefile: "%s"\n' % (name, path) for name, path in more_zones)
        conf = os.path.join(self.dir, "nsd.conf")
        with open(conf, "w") as out:
            out.write(f"""server:
  ip-address: 127.0.0.1@{self.port}
  port: {self.port}
  do-ip6: no
  zonesdir: "{self.dir}"
  database: ""
  pidfile: "{self.dir}/nsd.pid"
  xfrdfile: "{self.dir}/xfrd.state"
  zonelistfile: "{self.dir}/zone.list"
  username: ""
  chroot: ""
  server-count: 1
  verbosity: 1
remote-control:
  control-enable: no
zone:
  name: "{zone}"
  zonefile: "{zone_file}"
{more}""")
        self.proc = processes.start("nsd", [tool("nsd"), "-d", "-c", conf], os.path.join(self.dir, "nsd.log"))
        first = next(iter(records))
        wait_until(lambda: query(self.port, "%s.%s" % (first, zone), timeout=0.5)[0] == "NOERROR", 20,
                   "nsd answers", processes)


def zone_text(zone, records, extra=()):
    """A zone file: SOA, NS, A records {label: address} (TTL 5 s) and `extra` lines."""
    lines = ["$ORIGIN %s." % zone, "$TTL 5", "@ IN SOA ns1 hostmaster 1 3600 600 86400 5", "@ IN NS ns1",
             "ns1 IN A 127.0.0.1"]
    lines += ["%s IN A %s" % (label, address) for label, address in records.items()]
    lines += list(extra)
    return "\n".join(lines) + "\n"


def sign_zone(directory, zone, zone_file, expired=False):
    """Signs `zone_file` with a new ECDSA P-256 key (BIND's dnssec-keygen and
    dnssec-signzone, in `directory`); with `expired`, every signature ended
    in 2020. Returns (the signed file's path, the key's DNSKEY line for a
    trust anchor file)."""
    keys = os.path.join(directory, "keys-" + zone)
    os.makedirs(keys, exist_ok=True)
    made = subprocess.run([tool("dnssec-keygen"), "-q", "-a", "ECDSAP256SHA256", "-f", "KSK", "-K", keys, zone],
                          capture_output=True, text=True, timeout=60)
    if made.returncode != 0:
        raise HarnessError("dnssec-keygen: " + made.stderr)
    signed = zone_file + ".signed"
    window = ["-s", "20200101000000", "-e", "20200201000000"] if expired else []
    done = subprocess.run([tool("dnssec-signzone"), "-q", "-P", "-S", "-z", "-K", keys, "-o", zone, "-f", signed, *window,
                           zone_file], capture_output=True, text=True, timeout=60, cwd=directory)
    if done.returncode != 0:
        raise HarnessError("dnssec-signzone: " + done.stderr + done.stdout)
    key_file = os.path.join(keys, made.stdout.strip() + ".key")
    anchor = [line for line in open(key_file) if "DNSKEY" in line and not line.startswith(";")][0].strip()
    return signed, anchor


# --- unbound ----------------------------------------------------------------

class Unbound:
    """unbound on 127.0.0.1:port: the member's enforcing RPZ (and, when
    given, the monitor RPZ after it) by url:, recursion for `zone` stubbed
    to nsd, the root stubbed to nsd too (nothing leaves loopback)."""

    def __init__(self, workdir, processes, nsd, zone, rpz_url, monitor_url=None, verbosity=1):
        self.port = spare_port()
        self.dir = os.path.join(workdir, "unbound")
        os.makedirs(self.dir, exist_ok=True)
        self.log = os.path.join(self.dir, "unbound.log")
        monitor = ""
        if monitor_url:
            monitor = f"""rpz:
  name: monitor.dannevirke.test
  url: "{monitor_url}"
  zonefile: "{self.dir}/monitor.rpz"
  rpz-log: yes
  rpz-log-name: dannevirke-monitor
"""
        conf = os.path.join(self.dir, "unbound.conf")
        with open(conf, "w") as out:
            out.write(f"""server:
  interface: 127.0.0.1
  port: {self.port}
  do-ip6: no
  num-threads: 1
  so-reuseport: no
  username: ""
  chroot: ""
  directory: "{self.dir}"
  pidfile: "{self.dir}/unbound.pid"
  use-syslog: no
  logfile: "{self.log}"
  log-time-ascii: yes
  verbosity: {verbosity}
  access-control: 127.0.0.0/8 allow
  do-not-query-localhost: no
  module-config: "respip validator iterator"
  auto-trust-anchor-file: ""
  trust-anchor-file: ""
  domain-insecure: "{zone}"
stub-zone:
  name: "{zone}"
  stub-addr: 127.0.0.1@{nsd.port}
stub-zone:
  name: "."
  stub-addr: 127.0.0.1@{nsd.port}
rpz:
  name: rpz.dannevirke.test
  url: "{rpz_url}"
  zonefile: "{self.dir}/enforce.rpz"
  rpz-log: yes
  rpz-log-name: dannevirke
{monitor}remote-control:
  control-enable: no
""")
        checked = subprocess.run([tool("unbound-checkconf"), conf], capture_output=True, text=True)
        if checked.returncode != 0:
            raise HarnessError("unbound-checkconf: " + checked.stdout + checked.stderr)
        self.proc = processes.start("unbound", [tool("unbound"), "-d", "-c", conf],
                                    os.path.join(self.dir, "unbound.stderr"))
        wait_until(lambda: query(self.port, "ns1." + zone, timeout=0.5)[0] == "NOERROR", 20, "unbound answers",
                   processes)

    def log_text(self):
        try:
            with open(self.log, errors="replace") as log:
                return log.read()
        except OSError:
            return ""


def wait_until(condition, seconds, what, processes=None, interval=0.2):
    """Polls condition() until it is true; HarnessError after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if processes is not None:
            processes.check_alive()
        time.sleep(interval)
    raise HarnessError("timed out after %g s waiting until %s" % (seconds, what))
