#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""How many SigmaHQ per-rule JSON test samples `dannevirke scan` reads and fires on.

SigmaHQ keeps, beside many rules, a sample of the events the rule must fire on
(regression_data/…/<rule id>.json, usually one pretty-printed evtx_dump-style
document). For every such sample found under SHARED/sigma or SHARED/evtx this
runs `dannevirke scan --json -r RULE SAMPLE` with the rule of that id and counts
  read:  at least one event and no bad record,
  fired: at least one alert of that rule.
Prints the figures and the samples that were not read or did not fire.

Usage: sigma_regression_json.py DANNEVIRKE SHARED_DIR [--min-read N] [--min-fired N]
Exits 77 (skipped) when no sample is found — the samples are not part of the
repository — and 1 when fewer than --min-read / --min-fired samples pass.
"""
import argparse
import json
import os
import re
import subprocess
import sys

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
RULE_ID = re.compile(r"^id:\s*['\"]?([0-9a-f-]{36})", re.MULTILINE)


def find_samples(shared):
    samples = []
    for top in ("sigma", "evtx"):
        for folder, _, files in os.walk(os.path.join(shared, top)):
            for name in files:
                stem, ext = os.path.splitext(name)
                if ext == ".json" and UUID.match(stem):
                    samples.append((stem, os.path.join(folder, name)))
    return sorted(samples, key=lambda item: item[1])


def index_rules(shared):
    rules = {}
    root = os.path.join(shared, "sigma")
    for entry in sorted(os.listdir(root)) if os.path.isdir(root) else []:
        if not entry.startswith("rules"):
            continue
        for folder, _, files in os.walk(os.path.join(root, entry)):
            for name in files:
                if not name.endswith(".yml"):
                    continue
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8", errors="replace") as handle:
                    match = RULE_ID.search(handle.read())
                if match:
                    rules.setdefault(match.group(1), path)
    return rules


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dannevirke")
    parser.add_argument("shared")
    parser.add_argument("--min-read", type=int, default=0)
    parser.add_argument("--min-fired", type=int, default=0)
    args = parser.parse_args()

    samples = find_samples(args.shared)
    if not samples:
        print(f"no SigmaHQ per-rule JSON samples under {args.shared}/sigma or {args.shared}/evtx; skipped")
        return 77
    rules = index_rules(args.shared)
    read = fired = no_rule = 0
    not_read, not_fired = [], []
    for rule_id, sample in samples:
        rule = rules.get(rule_id)
        if rule is None:
            no_rule += 1
            continue
        result = subprocess.run(
            [args.dannevirke, "scan", "--json", "--quiet", "-r", rule, sample],
            capture_output=True, text=True, env=dict(os.environ, TZ="UTC"))
        events = re.search(r"from (\d+) events", result.stderr)
        bad = re.search(r"(\d+) bad records", result.stderr)
        if events and int(events.group(1)) > 0 and not bad:
            read += 1
        else:
            not_read.append(f"{sample}: {result.stderr.strip().splitlines()[-1:] or result.returncode}")
        alerts = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
        if any(alert.get("rule_id") == rule_id for alert in alerts):
            fired += 1
        else:
            not_fired.append(sample)
    with_rule = len(samples) - no_rule
    print(f"{len(samples)} JSON samples, {with_rule} with their rule in {args.shared}/sigma/rules*: "
          f"{read} read, {fired} fired")
    for line in not_read:
        print(f"  not read: {line}")
    for line in not_fired:
        print(f"  did not fire: {line}")
    return 0 if read >= args.min_read and fired >= args.min_fired else 1


if __name__ == "__main__":
    sys.exit(main())
