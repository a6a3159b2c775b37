#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Availability under attack: a real `dannevirke hub` process on loopback,
# attacked by availability_test.py (slow and idle clients, hostile bodies,
# anonymous floods, malformed requests) while a victim on another loopback
# address keeps using it.
#
#   availability_test.sh DANNEVIRKE
#
# Exit 0 on success, 1 on failure, 77 when python3 is missing (skipped).
set -euo pipefail

dannevirke=${1:?usage: availability_test.sh DANNEVIRKE}
here=$(cd "$(dirname "$0")" && pwd)
command -v python3 >/dev/null || { echo "python3 not found: skipped"; exit 77; }

tmp=$(mktemp -d)
hub_pid=""
cleanup() {
  [[ -n "$hub_pid" ]] && kill "$hub_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

"$dannevirke" hub --db "sqlite:$tmp/hub.db" --seed-demo --port 0 --port-file "$tmp/port" --quiet \
  --token-file "$tmp/tokens.json" >"$tmp/hub.log" 2>&1 &
hub_pid=$!
for _ in $(seq 1 200); do
  [[ -s "$tmp/port" ]] && curl -sf "http://127.0.0.1:$(cat "$tmp/port")/healthz" >/dev/null 2>&1 && break
  kill -0 "$hub_pid" 2>/dev/null || { cat "$tmp/hub.log"; echo "FAIL: the hub exited while starting"; exit 1; }
  sleep 0.1
done
token=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["0101-soc"])' "$tmp/tokens.json")
status=0
python3 "$here/availability_test.py" "$hub_pid" "$(cat "$tmp/port")" "$token" "$tmp/hub.db" || status=$?
if ((status != 0)); then
  echo "--- hub log (tail)"
  tail -n 30 "$tmp/hub.log"
fi
exit "$status"
