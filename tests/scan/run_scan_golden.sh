#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Golden test of `dannevirke scan` as a user runs it: every folder here holds
#   rules.yml            Sigma rules
#   indicators.*         optional indicator files
#   logs/                the logs; files named *.gz.src are gzipped first
#   expected.jsonl       the alerts (stdout of scan --json)
#   expected_problems.txt  the problems the summary reports (stderr), if any
# Usage: run_scan_golden.sh PATH/TO/dannevirke CASE_DIR   (DV_UPDATE_GOLDEN=1 rewrites)
set -euo pipefail
bin=$1
case_dir=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$case_dir"/. "$tmp"/
cd "$tmp"
for src in logs/*.gz.src; do
  [[ -e $src ]] || continue
  gzip -c "$src" >"${src%.src}"
  rm "$src"
done
args=(scan --json --quiet -r rules.yml --threads 2)
for indicators in indicators.*; do
  [[ -e $indicators ]] && args+=(-i "$indicators")
done
set +e
"$bin" "${args[@]}" logs >actual.jsonl 2>stderr.txt
status=$?
set -e
if [[ $status -ne 0 ]]; then
  echo "scan exited with $status:"
  cat stderr.txt
  exit 1
fi
# The problems section of the summary: indented "place: reason" lines after "bad records".
sed -n '/bad records/,/^$/p' stderr.txt | grep '^  ' >actual_problems.txt || true
if [[ -n ${DV_UPDATE_GOLDEN:-} ]]; then
  cp actual.jsonl "$case_dir/expected.jsonl"
  if [[ -s actual_problems.txt ]]; then cp actual_problems.txt "$case_dir/expected_problems.txt"; fi
  echo "rewrote $case_dir"
  exit 0
fi
failed=0
diff -u "$case_dir/expected.jsonl" actual.jsonl || failed=1
if [[ -e $case_dir/expected_problems.txt ]]; then
  diff -u "$case_dir/expected_problems.txt" actual_problems.txt || failed=1
fi
if [[ $failed -ne 0 ]]; then
  echo "FAIL: $(basename "$case_dir") differs (DV_UPDATE_GOLDEN=1 rewrites after review)"
  exit 1
fi
echo "ok: $(basename "$case_dir")"
