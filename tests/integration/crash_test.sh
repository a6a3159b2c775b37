#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A hub killed with SIGKILL during ingest restarts with every acknowledged
# object present and an intact database.
#
#   crash_test.sh DANNEVIRKE [postgresql]
#
# With `postgresql` the hub runs on the database of DV_TEST_POSTGRES_URL
# (scripts/with-postgres.sh sets it; exit 77 without it) instead of SQLite,
# and step 4's integrity check is the restarted hub answering every read.
#
# 1. starts `dannevirke hub --seed-demo` on a temporary SQLite database;
# 2. a client (crash_test.py) posts envelopes of 200 new indicators in a loop
#    and records the ids of every POST the hub acknowledged (202, status
#    complete, all objects successes);
# 3. once at least 8 POSTs are acknowledged, the hub is killed with SIGKILL
#    while the client is still posting;
# 4. the hub restarts on the same database (no seeding), and every
#    acknowledged object must be in the collection's manifest and served by
#    id; then `PRAGMA integrity_check` must say ok (sqlite3 CLI; without it
#    the hub answering every read above stands for it).
# Exit 0 on success, 1 on failure, 77 when python3 is missing (skipped).
set -euo pipefail

dannevirke=${1:?usage: crash_test.sh DANNEVIRKE [postgresql]}
backend=${2:-sqlite}
here=$(cd "$(dirname "$0")" && pwd)
client="$here/crash_test.py"
command -v python3 >/dev/null || { echo "python3 not found: skipped"; exit 77; }

if [[ "$backend" == postgresql && -z "${DV_TEST_POSTGRES_URL:-}" ]]; then
  echo "DV_TEST_POSTGRES_URL is not set (run under scripts/with-postgres.sh): skipped"
  exit 77
fi

tmp=$(mktemp -d)
db="sqlite:$tmp/hub.db"
[[ "$backend" == postgresql ]] && db=$DV_TEST_POSTGRES_URL
hub_pid=""
client_pid=""
cleanup() {
  [[ -n "$client_pid" ]] && kill "$client_pid" 2>/dev/null || true
  [[ -n "$hub_pid" ]] && kill -9 "$hub_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*"
  for log in "$tmp"/hub*.log; do
    [[ -f "$log" ]] && { echo "--- $log (tail)"; tail -n 20 "$log"; }
  done
  exit 1
}

# Starts the hub; sets hub_pid and base.
start_hub() {
  local name=$1
  shift
  rm -f "$tmp/port"
  "$dannevirke" hub --db "$db" --port 0 --port-file "$tmp/port" --quiet "$@" \
    >"$tmp/$name.log" 2>&1 &
  hub_pid=$!
  for _ in $(seq 1 200); do
    if [[ -s "$tmp/port" ]] && curl -sf "http://127.0.0.1:$(cat "$tmp/port")/healthz" >/dev/null 2>&1; then
      base="http://127.0.0.1:$(cat "$tmp/port")"
      return 0
    fi
    kill -0 "$hub_pid" 2>/dev/null || fail "the hub ($name) exited while starting"
    sleep 0.1
  done
  fail "the hub ($name) did not start within 20 s"
}

start_hub hub-first --seed-demo --token-file "$tmp/tokens.json"
token=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["0101-soc"])' "$tmp/tokens.json")
collection=$(python3 "$client" collection "$base" "$token")
echo "hub on $base, collection $collection"

: >"$tmp/acks"
python3 "$client" post "$base" "$token" "$collection" "$tmp/acks" >"$tmp/client.log" 2>&1 &
client_pid=$!
for _ in $(seq 1 300); do
  (( $(wc -l <"$tmp/acks") >= 8 * 200 )) && break
  kill -0 "$client_pid" 2>/dev/null || { cat "$tmp/client.log"; fail "the client stopped before the kill"; }
  sleep 0.1
done
(( $(wc -l <"$tmp/acks") >= 8 * 200 )) || fail "fewer than 8 POSTs acknowledged in 30 s"
kill -9 "$hub_pid"
wait "$hub_pid" 2>/dev/null || true
hub_pid=""
client_rc=0
wait "$client_pid" || client_rc=$?
client_pid=""
cat "$tmp/client.log"
(( client_rc == 0 )) || fail "the client saw an error other than the lost connection (exit $client_rc)"
echo "killed the hub with SIGKILL after $(( $(wc -l <"$tmp/acks") / 200 )) acknowledged POSTs"

start_hub hub-restarted
python3 "$client" verify "$base" "$token" "$collection" "$tmp/acks" || fail "acknowledged objects are missing"
kill -TERM "$hub_pid"
wait "$hub_pid" 2>/dev/null || true
hub_pid=""

if [[ "$backend" == postgresql ]]; then
  echo "PostgreSQL: the restarted hub answering every read above stands for the integrity check"
elif command -v sqlite3 >/dev/null; then
  integrity=$(sqlite3 "$tmp/hub.db" 'PRAGMA integrity_check;')
  [[ "$integrity" == "ok" ]] || fail "integrity_check: $integrity"
  echo "PRAGMA integrity_check: ok"
else
  echo "sqlite3 CLI not found: the restarted hub answering every read stands for the integrity check"
fi
echo "PASS"
