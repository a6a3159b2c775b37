#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The command line as a user meets it. Usage: cli_test.sh PATH/TO/dannevirke
set -uo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
check() {  # check DESCRIPTION CONDITION...
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}

"$bin" --version >"$tmp/version" 2>&1
check "--version prints the version" grep -Eq '^dannevirke [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/version"
for cmd in demo hub federation "federation check" "federation load"; do
  # shellcheck disable=SC2086
  "$bin" $cmd --help >"$tmp/help" 2>&1
  check "'$cmd --help' explains itself" grep -q "Usage: dannevirke" "$tmp/help"
done
"$bin" >"$tmp/none" 2>&1
check "no sub-command is a usage error (exit 106 from CLI11's RequiredError)" test $? -ne 0
"$bin" hub --port 8080 >"$tmp/nodb" 2>&1
check "hub without --db says --db is required" grep -q -- "--db" "$tmp/nodb"

"$bin" federation check --json >"$tmp/check.json"
check "federation check: 98 municipalities" grep -q '"municipality":98' "$tmp/check.json"
check "federation check: 5 regions" grep -q '"region":5' "$tmp/check.json"

mkdir -p "$tmp/bad"
printf 'code,name,region_code,population\n0101,København,1084,lots\n' >"$tmp/bad/municipalities.csv"
echo '[]' >"$tmp/bad/organisations.json"
echo '{}' >"$tmp/bad/dependencies.json"
"$bin" federation check --dir "$tmp/bad" >"$tmp/bad.out" 2>&1
status=$?
check "bad federation file fails with exit 1" test "$status" -eq 1
check "bad federation file names file, line and field" grep -q "municipalities.csv:2: field 'population'" "$tmp/bad.out"

"$bin" federation load --db "sqlite:$tmp/fed.db" --json >"$tmp/load1.json"
"$bin" federation load --db "sqlite:$tmp/fed.db" --json >"$tmp/load2.json"
check "federation load twice gives the same result" cmp -s "$tmp/load1.json" "$tmp/load2.json"

"$bin" demo --db "sqlite:$tmp/demo.db" --port 0 --port-file "$tmp/port" --quiet >"$tmp/demo.out" 2>&1 &
pid=$!
for _ in $(seq 1 100); do [[ -s $tmp/port ]] && break; sleep 0.1; done
check "demo writes its port" test -s "$tmp/port"
check "demo prints where to look" grep -q "Dashboard:  http://127.0.0.1:" "$tmp/demo.out"
kill -INT "$pid"
wait "$pid"
status=$?
check "demo stops cleanly on Ctrl-C (exit 0)" test "$status" -eq 0
check "demo says it stopped" grep -q "Stopped cleanly" "$tmp/demo.out"

echo "$failures failed"
exit $((failures > 0))
