#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Starts a hub with the demo federation on a free port and a temporary
# database, runs the dashboard's browser tests against it, and stops it.
# Usage: run_browser_test.sh PATH/TO/dannevirke PATH/TO/web [TEST_FILE...]
# (default: every web/tests/*.test.mjs). DV_WEB_DIST overrides web/dist.
set -euo pipefail
bin=$1
web=$2
shift 2
dist=${DV_WEB_DIST:-$web/dist}
for need in "$dist/index.html" "$web/node_modules/playwright-core" /usr/bin/chromium; do
  if [[ ! -e $need ]]; then
    echo "SKIP: $need is missing (scripts/test.sh builds and installs it)"
    exit 77
  fi
done
tmp=$(mktemp -d)
hub_pid=
cleanup() {
  [[ -n $hub_pid ]] && kill "$hub_pid" 2>/dev/null && wait "$hub_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
"$bin" hub --db "sqlite:$tmp/hub.db" --seed-demo --port 0 --port-file "$tmp/port" --token-file "$tmp/tokens.json" \
  --web-root "$dist" --quiet >"$tmp/hub.log" 2>&1 &
hub_pid=$!
for _ in $(seq 1 100); do
  [[ -s $tmp/port ]] && break
  sleep 0.1
done
if [[ ! -s $tmp/port ]]; then
  echo "the hub did not start:"
  cat "$tmp/hub.log"
  exit 1
fi
export DANNEVIRKE_URL="http://127.0.0.1:$(cat "$tmp/port")/"
export DANNEVIRKE_TOKENS="$tmp/tokens.json"
cd "$web"
if [[ $# -gt 0 ]]; then
  node --test "$@"
else
  node --test tests/*.test.mjs
fi
