#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs each test binary given, one after the other, and fails if any fails:
# how ctest hub_on_postgresql runs the hub's suites against one throwaway
# PostgreSQL cluster (scripts/with-postgres.sh around this script, with
# DV_TEST_HUB_BACKEND=postgresql so each test hub takes a schema of its own).
set -uo pipefail
failed=()
for binary in "$@"; do
  name=$(basename "$binary")
  start=$SECONDS
  if "$binary" >"${TMPDIR:-/tmp}/$name.$$.log" 2>&1; then
    echo "passed  $name ($((SECONDS - start)) s)"
  else
    echo "FAILED  $name ($((SECONDS - start)) s):"
    grep -E '^\[  FAILED  \]|Failure|ERROR: AddressSanitizer|runtime error' "${TMPDIR:-/tmp}/$name.$$.log" | head -40
    failed+=("$name")
  fi
  rm -f "${TMPDIR:-/tmp}/$name.$$.log"
done
if ((${#failed[@]})); then
  echo "${#failed[@]} of $# suites failed on this backend: ${failed[*]}"
  exit 1
fi
echo "all $# suites passed"
