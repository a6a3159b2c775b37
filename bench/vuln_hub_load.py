#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Vulnerability exposure through the hub over HTTP, at scale (docs/vuln.md, "Figures").

Generates inventories (3 members x 33,334 assets) and NVD API 2.0 pages (20 x 2,000
records), starts `dannevirke hub --seed-demo` on a temporary database, imports,
ingests, queries, restarts and queries again, and prints the timings.

Usage: vuln_hub_load.py PATH/TO/dannevirke [pages]
"""
import json, os, random, shutil, subprocess, sys, tempfile, time, urllib.request

BIN = sys.argv[1]
PAGES = int(sys.argv[2]) if len(sys.argv) > 2 else 20
tmp = tempfile.mkdtemp(prefix='dv-vuln-load-')
rng = random.Random(7)


def page(index):
    vulns = []
    for i in range(2000):
        n = index * 2000 + i
        vendor, product = rng.randrange(2000), rng.randrange(10)
        crit = [{'vulnerable': True, 'criteria': f'cpe:2.3:a:vendor{vendor}:product{product}:*:*:*:*:*:*:*:*',
                 'versionStartIncluding': f'{rng.randrange(1, 5)}.0',
                 'versionEndExcluding': f'{rng.randrange(5, 9)}.{rng.randrange(10)}.{rng.randrange(10)}'}
                for _ in range(rng.randrange(1, 4))]
        vulns.append({'cve': {'id': f'CVE-2090-{100000 + n}', 'published': '2090-01-01T00:00:00.000',
                              'lastModified': '2090-01-02T00:00:00.000',
                              'descriptions': [{'lang': 'en', 'value': 'Generated record. ' + 'x' * rng.randrange(100, 600)}],
                              'metrics': {'cvssMetricV31': [{'source': 'nvd@nist.gov', 'type': 'Primary', 'cvssData': {
                                  'version': '3.1', 'baseScore': round(rng.uniform(2, 10), 1), 'baseSeverity': 'HIGH'}}]},
                              'configurations': [{'nodes': [{'operator': 'OR', 'negate': False, 'cpeMatch': crit}]}],
                              'references': [{'url': f'https://example.org/{n}/{k}'} for k in range(rng.randrange(2, 8))]}})
    return json.dumps({'timestamp': '2090-01-02T00:00:00.000', 'vulnerabilities': vulns}).encode()


def inventory():
    lines = ['device,asset_id,name,cpe,version']
    for i in range(33334):
        vendor, product = rng.randrange(2000), rng.randrange(10)
        lines.append(f'dev-{i // 2},a-{i},P,cpe:2.3:a:vendor{vendor}:product{product}:*:*:*:*:*:*:*:*,'
                     f'{rng.randrange(1, 9)}.{rng.randrange(10)}.{rng.randrange(10)}')
    return ('\n'.join(lines) + '\n').encode()


def start(seed):
    port_file = os.path.join(tmp, 'port')
    if os.path.exists(port_file):
        os.remove(port_file)
    args = [BIN, 'hub', '--db', f'sqlite:{tmp}/hub.db', '--port', '0', '--port-file', port_file, '--quiet']
    if seed:
        args += ['--seed-demo', '--token-file', f'{tmp}/tokens.json']
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        if os.path.exists(port_file) and open(port_file).read().strip():
            return proc, int(open(port_file).read())
        time.sleep(0.1)
    raise SystemExit('the hub did not start')


def call(port, token, method, path, body=None, ctype='application/json'):
    req = urllib.request.Request(f'http://127.0.0.1:{port}{path}', data=body, method=method,
                                 headers={'Authorization': f'Bearer {token}', 'Content-Type': ctype})
    started = time.monotonic()
    with urllib.request.urlopen(req, timeout=600) as res:
        data = json.loads(res.read())
    return data, time.monotonic() - started


hub, port = start(True)
tokens = json.load(open(f'{tmp}/tokens.json'))
coord = tokens['cfcs-analyst']
for code in ('0101', '0751', '0461'):
    _, took = call(port, tokens[f'{code}-soc'], 'POST', f'/api/v1/assets/{code}/import?replace=true', inventory(), 'text/csv')
    print(f'import {code}, 33,334 assets: {took:.2f} s')
total, applies, matches = 0.0, [], []
for index in range(PAGES):
    data, took = call(port, coord, 'POST', f'/api/v1/vulnerabilities/feeds/nvd?origin=page{index}.json', page(index))
    total += took
    applies.append(data['timing_ms']['apply'])
    matches.append(data['timing_ms']['match'])
print(f'{PAGES} NVD pages ({PAGES * 2000} records): {total:.2f} s; apply {min(applies):.0f}-{max(applies):.0f} ms, '
      f're-match {min(matches):.0f}-{max(matches):.0f} ms per page')
one = {'timestamp': '2090-02-01T00:00:00.000', 'vulnerabilities': [{'cve': {
    'id': 'CVE-2091-000001', 'published': '2090-02-01T00:00:00.000', 'lastModified': '2090-02-01T00:00:00.000',
    'descriptions': [{'lang': 'en', 'value': 'new'}],
    'configurations': [{'nodes': [{'operator': 'OR', 'cpeMatch': [{'vulnerable': True,
        'criteria': 'cpe:2.3:a:vendor17:product3:*:*:*:*:*:*:*:*', 'versionEndExcluding': '9.9.9'}]}]}]}}]}
data, took = call(port, coord, 'POST', '/api/v1/vulnerabilities/feeds/nvd?origin=one.json', json.dumps(one).encode())
print(f'one new CVE: {took * 1000:.0f} ms end to end, match {data["timing_ms"]["match"]:.2f} ms, '
      f'{len(data["delta"]["new_exposures"])} new exposures')
kev = {'catalogVersion': '2090.02.02', 'dateReleased': '2090-02-02T00:00:00.000Z', 'vulnerabilities': [
    {'cveID': cve, 'vendorProject': 'v', 'product': 'p', 'vulnerabilityName': 'n', 'dateAdded': '2090-02-02',
     'dueDate': '2090-02-23', 'requiredAction': 'a', 'knownRansomwareCampaignUse': 'Unknown'}
    for cve in ['CVE-2091-000001'] + [f'CVE-2090-{100000 + i}' for i in range(0, PAGES * 2000, 40)]]}
data, took = call(port, coord, 'POST', '/api/v1/vulnerabilities/feeds/kev?confirm=true', json.dumps(kev).encode())
print(f'KEV of {len(kev["vulnerabilities"])} entries: {took * 1000:.0f} ms end to end, re-match '
      f'{data["timing_ms"]["match"]:.0f} ms, {len(data["delta"]["new_exposures"])} newly known exploited')
data, took = call(port, coord, 'GET', '/api/v1/exposure')
print(f'national list (top 500 of {data["total"]} CVEs): {took:.2f} s')
_, took = call(port, coord, 'GET', '/api/v1/exposure?cve=CVE-2091-000001')
print(f'one CVE: {took * 1000:.0f} ms')
data, took = call(port, tokens['0751-soc'], 'GET', '/api/v1/exposure/members/0751')
print(f'member 0751 (first 1,000 of {data["total"]} findings): {took:.2f} s')
hub.terminate()
hub.wait()
hub, port = start(False)
_, took = call(port, coord, 'GET', '/api/v1/vulnerabilities/feeds')
print(f'after restart, replay of the stored feeds: {took:.2f} s')
_, took = call(port, coord, 'GET', '/api/v1/exposure?limit=10')
print(f'after restart, first exposure query (match all): {took:.2f} s')
hub.terminate()
hub.wait()
print(f'database: {os.path.getsize(f"{tmp}/hub.db") / 1e6:.0f} MB')
shutil.rmtree(tmp)
