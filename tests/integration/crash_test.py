#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The TAXII client of crash_test.sh (standard library only).

  crash_test.py collection BASE_URL TOKEN
      prints the id of the national collection the member may write to.
  crash_test.py post BASE_URL TOKEN COLLECTION ACK_FILE
      posts envelopes of new indicators until the hub stops answering; after
      each POST acknowledged with 202, status "complete" and every object a
      success, appends the object ids to ACK_FILE (flushed and fsynced before
      the next POST). Exits 0 when the connection is lost.
  crash_test.py verify BASE_URL TOKEN COLLECTION ACK_FILE
      reads the whole collection through the manifest and checks that every
      acknowledged id is there and that each one's object is served; exits 1
      and names what is missing otherwise.
"""

import http.client
import json
import os
import sys
import urllib.error
import urllib.request
import uuid

TAXII = "application/taxii+json;version=2.1"
BATCH = 200


def request(method, url, token, body=None, timeout=30):
    req = urllib.request.Request(url, method=method, data=body)
    req.add_header("Accept", TAXII)
    req.add_header("Authorization", "Bearer " + token)
    if body is not None:
        req.add_header("Content-Type", TAXII)
    with urllib.request.urlopen(req, timeout=timeout) as res:
        return res.status, json.loads(res.read() or b"{}")


def indicator(object_id, number):
    address = "10.%d.%d.%d" % (number >> 16 & 255, number >> 8 & 255, number & 255)
    return {
        "type": "indicator",
        "spec_version": "2.1",
        "id": object_id,
        "created": "2026-11-27T08:00:00.000Z",
        "modified": "2026-11-27T08:00:00.000Z",
        "name": "crash test " + address,
        "pattern": "[ipv4-addr:value = '%s']" % address,
        "pattern_type": "stix",
        "valid_from": "2026-11-27T08:00:00Z",
        "object_marking_refs": ["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"],
    }


def find_collection(base, token):
    _, body = request("GET", base + "/taxii2/dannevirke/collections/", token)
    for collection in body.get("collections", []):
        if collection.get("title") == "Nationale indikatorer" and collection.get("can_write"):
            return collection["id"]
    raise SystemExit("no writable national collection in " + json.dumps(body))


def post_until_gone(base, token, collection, ack_path):
    url = base + "/taxii2/dannevirke/collections/" + collection + "/objects/"
    number = 0
    posts = 0
    with open(ack_path, "a", encoding="utf-8") as acks:
        while True:
            ids = ["indicator--" + str(uuid.uuid4()) for _ in range(BATCH)]
            objects = []
            for object_id in ids:
                objects.append(indicator(object_id, number))
                number += 1
            body = json.dumps({"objects": objects}).encode()
            try:
                status, answer = request("POST", url, token, body)
            except urllib.error.HTTPError as error:
                if error.code == 429:
                    continue
                print("POST answered %d: %s" % (error.code, error.read()[:300]), file=sys.stderr)
                return 1
            except (urllib.error.URLError, http.client.HTTPException, OSError):
                print("crash_test.py: connection lost after %d acknowledged POSTs" % posts)
                return 0
            if status == 202 and answer.get("status") == "complete" and answer.get("success_count") == BATCH:
                acks.write("\n".join(ids) + "\n")
                acks.flush()
                os.fsync(acks.fileno())
                posts += 1
            else:
                print("POST not fully acknowledged: %d %s" % (status, json.dumps(answer)[:300]), file=sys.stderr)
                return 1


def verify(base, token, collection, ack_path):
    with open(ack_path, encoding="utf-8") as acks:
        acknowledged = [line.strip() for line in acks if line.strip()]
    if not acknowledged:
        print("FAIL: no POST was acknowledged before the kill")
        return 1
    manifest_url = base + "/taxii2/dannevirke/collections/" + collection + "/manifest/?limit=1000"
    stored = set()
    url = manifest_url
    while True:
        _, page = request("GET", url, token)
        stored.update(entry["id"] for entry in page.get("objects", []))
        if not page.get("more"):
            break
        url = manifest_url + "&next=" + page["next"]
    missing = [object_id for object_id in acknowledged if object_id not in stored]
    # The objects themselves, not only their manifest entries: the first, the
    # last and every 97th acknowledged one, served as they were posted.
    checked = 0
    for object_id in acknowledged[::97] + acknowledged[-1:]:
        _, envelope = request("GET", base + "/taxii2/dannevirke/collections/" + collection + "/objects/" + object_id +
                              "/", token)
        objects = envelope.get("objects", [])
        if len(objects) != 1 or objects[0].get("id") != object_id or objects[0].get("pattern_type") != "stix":
            missing.append(object_id + " (GET by id)")
        checked += 1
    print("crash_test.py: %d acknowledged, %d in the collection after the restart, %d fetched by id, %d missing" %
          (len(acknowledged), len(stored), checked, len(missing)))
    if missing:
        print("FAIL: missing " + ", ".join(missing[:10]))
        return 1
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "collection":
        print(find_collection(argv[2], argv[3]))
        return 0
    if len(argv) == 6 and argv[1] == "post":
        return post_until_gone(argv[2], argv[3], argv[4], argv[5])
    if len(argv) == 6 and argv[1] == "verify":
        return verify(argv[2], argv[3], argv[4], argv[5])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
