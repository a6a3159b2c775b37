#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`dannevirke store migrate` from a hub's SQLite file to PostgreSQL.

The hub seeds its demo data into an SQLite file (federation, members, tokens,
collections, member records) and receives STIX objects over TAXII; the CLI
then revokes a token and disables and removes members. The migration must
exit 0 and print a verification table in which every table matches; a
second run must copy nothing and verify again; a third, into a target that
holds other data, must be refused. Finally a hub on the PostgreSQL copy must
serve the same objects, with the same date_added, to the same token.

Usage (under scripts/with-postgres.sh, which sets DV_TEST_POSTGRES_URL):
  store_migrate_test.py DANNEVIRKE          (exit 77: no PostgreSQL)
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

TAXII = "application/taxii+json;version=2.1"
TABLES = ["organisation", "dependency", "member", "api_token", "collection", "stix_object", "taxii_status",
          "member_record", "audit_log"]
failures = []


def check(condition, what, detail=""):
    print(("ok   " if condition else "FAIL ") + what + ("" if condition or not detail else ": " + detail))
    if not condition:
        failures.append(what)


def request(method, url, token, body=None):
    req = urllib.request.Request(url, method=method, data=body)
    req.add_header("Accept", TAXII)
    req.add_header("Authorization", "Bearer " + token)
    if body is not None:
        req.add_header("Content-Type", TAXII)
    with urllib.request.urlopen(req, timeout=30) as res:
        return res.status, json.loads(res.read() or b"{}")


hubs = []  # every hub started, stopped at the end whatever happens


def start_hub(dannevirke, db, workdir, name, seed):
    port_file = os.path.join(workdir, name + ".port")
    args = [dannevirke, "hub", "--db", db, "--port", "0", "--port-file", port_file, "--quiet",
            "--token-file", os.path.join(workdir, "tokens.json")]
    if seed:
        args.append("--seed-demo")
    log = open(os.path.join(workdir, name + ".log"), "w", encoding="utf-8")
    hub = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    hubs.append(hub)
    for _ in range(600):
        if os.path.exists(port_file) and os.path.getsize(port_file) > 0:
            with open(port_file, encoding="utf-8") as f:
                return hub, "http://127.0.0.1:" + f.read().strip()
        if hub.poll() is not None:
            break
        time.sleep(0.1)
    hub.kill()
    with open(os.path.join(workdir, name + ".log"), encoding="utf-8") as f:
        sys.exit("the hub did not start:\n" + f.read())


def stop_hub(hub):
    hub.send_signal(signal.SIGTERM)
    hub.wait(timeout=30)


def feed(base, token, collection):
    """Every object version of a collection with its date_added, in feed order."""
    _, manifest = request("GET", base + "/taxii2/dannevirke/collections/" + collection +
                          "/manifest/?match%5Bversion%5D=all", token)
    return [(entry["id"], entry["version"], entry["date_added"]) for entry in manifest.get("objects", [])]


def migrate(dannevirke, source, target, *extra):
    return subprocess.run([dannevirke, "store", "migrate", "--from", source, "--to", target, *extra],
                          capture_output=True, text=True, timeout=300)


def verification(stdout):
    """{table: (source rows, target rows, copied, sha256, target)} from the verification table."""
    rows = {}
    for line in stdout.splitlines():
        fields = line.split()
        if len(fields) >= 6 and fields[0] in TABLES:
            rows[fields[0]] = (int(fields[1]), int(fields[2]), int(fields[3]), fields[4], " ".join(fields[5:]))
    return rows


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    dannevirke = os.path.abspath(sys.argv[1])
    url = os.environ.get("DV_TEST_POSTGRES_URL", "")
    if not url:
        print("store_migrate_test.py: DV_TEST_POSTGRES_URL is not set (run under scripts/with-postgres.sh): skipped")
        return 77
    password = re.match(r"postgresql://[^:]+:([^@]+)@", url).group(1)
    workdir = tempfile.mkdtemp(prefix="dv-store-migrate-")
    try:
        source = "sqlite:" + os.path.join(workdir, "hub.db")
        hub, base = start_hub(dannevirke, source, workdir, "sqlite", seed=True)
        with open(os.path.join(workdir, "tokens.json"), encoding="utf-8") as f:
            tokens = json.load(f)
        token = tokens["0751-soc"]
        _, listing = request("GET", base + "/taxii2/dannevirke/collections/", token)
        national = next(c["id"] for c in listing["collections"]
                        if c.get("title") == "Nationale indikatorer" and c.get("can_write"))
        for number in range(3):
            objects = [{
                "type": "indicator", "spec_version": "2.1",
                "id": "indicator--6f1c1a52-6c4e-4a4e-9d5b-00000000000%d" % number,
                "created": "2026-11-27T08:00:00.000Z", "modified": "2026-11-27T0%d:00:00.000Z" % (8 + version),
                "name": "Test %d" % number, "pattern": "[ipv4-addr:value = '192.0.2.%d']" % number,
                "pattern_type": "stix", "valid_from": "2026-11-27T08:00:00Z",
                "object_marking_refs": ["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"],
            } for version in range(2)]
            status, answer = request("POST", base + "/taxii2/dannevirke/collections/" + national + "/objects/",
                                     token, json.dumps({"objects": objects}).encode())
            check(status == 202 and answer.get("success_count") == 2, "the SQLite hub stores objects %d" % number)
        before = feed(base, tokens["0101-sensor"], national)
        stop_hub(hub)
        check(len(before) >= 6, "the SQLite hub serves every version (%d)" % len(before))

        subprocess.run([dannevirke, "member", "add", "--db", source, "--id", "0101-gone", "--org", "0101"],
                       check=True, capture_output=True)
        subprocess.run([dannevirke, "member", "disable", "--db", source, "--id", "0101-soc"],
                       check=True, capture_output=True)
        subprocess.run([dannevirke, "member", "remove", "--db", source, "--id", "0101-gone"],
                       check=True, capture_output=True)
        listed = subprocess.run([dannevirke, "token", "list", "--db", source, "--json"], check=True,
                                capture_output=True, text=True).stdout
        token_ids = [t["id"] for t in json.loads(listed) if t["member"] == "0751-soc" and t["state"] == "active"]
        check(len(token_ids) == 1, "the demo gives 0751-soc one token")
        subprocess.run([dannevirke, "token", "revoke", "--db", source, "--id", token_ids[0]],
                       check=True, capture_output=True)

        first = migrate(dannevirke, source, url, "--batch", "50")
        print(first.stdout)
        check(first.returncode == 0, "the migration exits 0", first.stderr[-500:])
        table = verification(first.stdout)
        check(sorted(table) == sorted(TABLES), "the verification table lists every table")
        check(all(row[0] == row[1] and row[4] == "same" and len(row[3]) == 64 for row in table.values()),
              "every table has the same rows and SHA-256 in both stores")
        check(table.get("stix_object", (0,))[0] >= 6 and table["stix_object"][2] == table["stix_object"][0],
              "every STIX object version is copied")
        check(all(row[2] == row[0] for row in table.values()), "the first run copies every row")
        check("Verified" in first.stdout, "the migration says it verified")
        check("dependency: 50 of" in first.stderr, "progress is printed per batch of 50")
        check(password not in first.stdout + first.stderr, "the password is never printed")
        check("***" in first.stderr, "the target is shown with its password masked")

        second = migrate(dannevirke, source, url)
        check(second.returncode == 0, "a second run exits 0", second.stderr[-500:])
        again = verification(second.stdout)
        check(sorted(again) == sorted(TABLES) and all(row[2] == 0 and row[4] == "same" for row in again.values()),
              "a second run copies nothing and verifies")
        check(all(again[name][3] == table[name][3] for name in TABLES), "the second run finds the same checksums")
        check("Nothing to copy" in second.stdout, "a second run says there was nothing to copy")

        other = "sqlite:" + os.path.join(workdir, "other.db")
        subprocess.run([dannevirke, "federation", "load", "--db", other], check=True, capture_output=True)
        subprocess.run([dannevirke, "member", "add", "--db", other, "--id", "x-soc", "--org", "0101"],
                       check=True, capture_output=True)
        refused = migrate(dannevirke, other, url)
        check(refused.returncode == 1, "a target holding other data is refused (exit %d)" % refused.returncode)
        check("already holds other data: table organisation" in refused.stderr, "the refusal names the table",
              refused.stderr.strip()[-300:])
        same = migrate(dannevirke, source, source)
        check(same.returncode == 1 and "the same database" in same.stderr, "source and target the same is refused")

        hub, base = start_hub(dannevirke, url, workdir, "postgresql", seed=False)
        after = feed(base, tokens["0101-sensor"], national)
        refused_token = None
        try:
            request("GET", base + "/taxii2/dannevirke/collections/", token)
        except urllib.error.HTTPError as error:
            refused_token = error.code
        stop_hub(hub)
        check(refused_token == 401, "the token revoked before the migration is refused by the copy (%s)" % refused_token)
        check(after == before, "a hub on PostgreSQL serves the same object versions with the same date_added")
    finally:
        for hub in hubs:
            if hub.poll() is None:
                hub.kill()
                hub.wait()
        shutil.rmtree(workdir, ignore_errors=True)
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
