#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The few TAXII 2.1 calls tests/ops/backup_restore_test.sh makes (also
imported by tests/integration/hub_instances_test.py).

  taxii_client.py token TOKEN_FILE MEMBER          print MEMBER's token from the hub's token file
  taxii_client.py collection BASE TOKEN TITLE      print the id of the writable collection titled TITLE
  taxii_client.py post BASE TOKEN COLLECTION N     post N new indicators, print their ids (one a line)
  taxii_client.py ids BASE TOKEN COLLECTION        print the id of every object in the collection's
                                                   manifest, following every page

Exit 1 (with the reason on stderr) when the hub does not answer as TAXII 2.1 says.
"""

import json
import sys
import urllib.parse
import urllib.request
import uuid

TAXII = "application/taxii+json;version=2.1"
API_ROOT = "/taxii2/dannevirke/"


def request(method, url, token, body=None, timeout=30):
    req = urllib.request.Request(url, method=method, data=body)
    req.add_header("Accept", TAXII)
    req.add_header("Authorization", "Bearer " + token)
    if body is not None:
        req.add_header("Content-Type", TAXII)
    with urllib.request.urlopen(req, timeout=timeout) as res:
        return res.status, json.loads(res.read() or b"{}")


def indicator(label="Backup test"):
    """A new TLP:CLEAR indicator with a fresh id, as a dict."""
    number = uuid.uuid4()
    return {
        "type": "indicator", "spec_version": "2.1", "id": "indicator--%s" % number,
        "created": "2026-11-27T08:00:00.000Z", "modified": "2026-11-27T08:00:00.000Z",
        "name": "%s %s" % (label, number), "pattern": "[domain-name:value = 'b%s.example']" % number.hex,
        "pattern_type": "stix", "valid_from": "2026-11-27T08:00:00Z",
        "object_marking_refs": ["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"],
    }


def collection(base, token, title):
    _, listing = request("GET", base + API_ROOT + "collections/", token)
    for entry in listing.get("collections", []):
        if entry.get("title") == title and entry.get("can_write"):
            return entry["id"]
    sys.exit("no writable collection titled " + title)


def post(base, token, collection_id, count):
    objects = [indicator() for _ in range(count)]
    status, answer = request("POST", base + API_ROOT + "collections/" + collection_id + "/objects/", token,
                             json.dumps({"objects": objects}).encode())
    if status != 202 or answer.get("success_count") != count:
        sys.exit("the hub did not store the objects: %d %s" % (status, json.dumps(answer)[:300]))
    for item in objects:
        print(item["id"])


def manifest_ids(base, token, collection_id):
    """Yields the id of every object in the collection's manifest, following every page."""
    url = base + API_ROOT + "collections/" + collection_id + "/manifest/"
    after = None
    while True:
        query = "?limit=100" + ("&next=" + urllib.parse.quote(after) if after else "")
        _, page = request("GET", url + query, token)
        for entry in page.get("objects", []):
            yield entry["id"]
        if not page.get("more"):
            return
        after = page["next"]


def ids(base, token, collection_id):
    for object_id in manifest_ids(base, token, collection_id):
        print(object_id)


def main():
    command, args = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    if command == "token" and len(args) == 2:
        with open(args[0], encoding="utf-8") as f:
            print(json.load(f)[args[1]])
    elif command == "collection" and len(args) == 3:
        print(collection(*args))
    elif command == "post" and len(args) == 4:
        post(args[0], args[1], args[2], int(args[3]))
    elif command == "ids" and len(args) == 3:
        ids(*args)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
