#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs each test binary given, one after the other, and fails if any fails.
# After --each, every test of the binaries that follow runs in a process of
# its own, as ctest runs them (suites whose tests share one hub and change it
# for good, so that a test depends on running alone).
# It is how ctest hub_on_postgresql runs the hub's suites against one throwaway
# PostgreSQL cluster (scripts/with-postgres.sh around this script, with
# DV_TEST_HUB_BACKEND=postgresql so each test hub takes a schema of its own).
set -uo pipefail
failed=()
each=0
runs=()
for argument in "$@"; do
  if [[ $argument == --each ]]; then
    each=1
    continue
  fi
  if ((each)); then
    suite=""
    while IFS= read -r line; do
      if [[ $line != " "* ]]; then
        suite=${line%%#*}
        suite=${suite%% *}
      else
        test_name=${line#  }
        test_name=${test_name%%#*}
        test_name=${test_name%% *}
        runs+=("$argument --gtest_filter=$suite$test_name")
      fi
    done < <("$argument" --gtest_list_tests)
  else
    runs+=("$argument")
  fi
done
for run in "${runs[@]}"; do
  read -r -a command <<<"$run"
  binary=${command[0]}
  name=$(basename "$binary")${command[1]:+ ${command[1]#--gtest_filter=}}
  start=$SECONDS
  log="${TMPDIR:-/tmp}/run_suites.$$.log"
  if "${command[@]}" >"$log" 2>&1; then
    echo "passed  $name ($((SECONDS - start)) s)"
  else
    echo "FAILED  $name ($((SECONDS - start)) s):"
    grep -E '^\[  FAILED  \]|Failure|ERROR: AddressSanitizer|runtime error' "$log" | head -40
    failed+=("$name")
  fi
  rm -f "$log"
done
if ((${#failed[@]})); then
  echo "${#failed[@]} of ${#runs[@]} runs failed on this backend: ${failed[*]}"
  exit 1
fi
echo "all ${#runs[@]} runs passed"
