#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# dv_taxii_bench on SQLite, then on PostgreSQL, for each object count given
# (default 100000 and 1000000). Each PostgreSQL run gets a fresh throwaway
# cluster on loopback (scripts/with-postgres.sh), as each SQLite run gets a
# fresh file, so no run starts on another's data.
#
#   bench/taxii_both.sh [BUILD_DIR] [OBJECTS...]
#
# Prints each run's table (objects/s overall and over the first, middle and
# last tenth of the POSTs and of the pages) and the load average.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:-$here/../build}
shift || true
counts=("$@")
((${#counts[@]})) || counts=(100000 1000000)
bench=$build/bench/dv_taxii_bench
[[ -x "$bench" ]] || { echo "taxii_both.sh: $bench not built (cmake --build BUILD --target dv_taxii_bench)" >&2; exit 2; }
for objects in "${counts[@]}"; do
  echo "== SQLite, $objects objects"
  /usr/bin/time -f "user %U s, sys %S s, elapsed %e s" "$bench" --objects "$objects"
  echo "== PostgreSQL, $objects objects"
  # shellcheck disable=SC2016 # expanded by the inner shell, where with-postgres.sh sets it
  "$here/../scripts/with-postgres.sh" /usr/bin/time -f "user %U s, sys %S s, elapsed %e s (the hub process)" \
    sh -c '"$0" --objects "$1" --db "$DV_TEST_POSTGRES_URL"' "$bench" "$objects"
done
