#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The backup and restore of docs/operations.md, done on a hub's PostgreSQL
# database and checked through the hub's TAXII API.
#
#   backup_restore_test.sh DANNEVIRKE
#
# 1. a throwaway cluster with WAL archiving (wal_level=replica, archive_mode=on,
#    archive_command copying each segment into an archive folder), a role that
#    owns the hub's database, and a hub on it with --seed-demo;
# 2. indicators A are posted over TAXII, a base backup is taken with
#    pg_basebackup, indicators B are posted, the time T is noted, indicators C
#    are posted;
# 3. point-in-time recovery: the base backup is restored into a new data
#    directory with restore_command (from the archive), recovery_target_time=T
#    and recovery.signal, started on another port, and a hub on it must serve
#    A and B but none of C;
# 4. a logical copy: pg_dump of the hub's database, pg_restore into a fresh
#    database owned by the same role, and a hub on it must serve exactly the
#    objects the first hub serves.
#
# Every server listens on loopback only (scripts/postgres-lib.sh); run as
# root, the servers run as the unprivileged user dannevirke-pg. Everything is
# stopped and removed on exit, also after a failure. Prints "ok ..." and
# "FAIL ..." lines; exit 0 when every check passes, 1 otherwise, 77 (skipped)
# without PostgreSQL's server binaries, python3 or curl.
set -euo pipefail

dannevirke=$(realpath "${1:?usage: backup_restore_test.sh DANNEVIRKE}")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
client="$here/taxii_client.py"
# shellcheck source=../../scripts/postgres-lib.sh source-path=SCRIPTDIR
source "$here/../../scripts/postgres-lib.sh"

skip() {
  echo "backup_restore_test.sh: $*: skipped"
  exit 77
}
bin=$(dv_pg_find_bin) || skip "PostgreSQL server binaries not found (install postgresql-15 or set DV_POSTGRES_BIN)"
for tool in postgres pg_basebackup pg_verifybackup pg_dump pg_restore; do
  [[ -x "$bin/$tool" ]] || skip "$bin/$tool not found"
done
command -v python3 >/dev/null || skip "python3 not found"
command -v curl >/dev/null || skip "curl not found"

dv_pg_server_user
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dv-backup.XXXXXX")
chmod 700 "$tmp"
hub_pids=()
clusters=()
cleanup() {
  local status=$? pid data
  for pid in "${hub_pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  for data in "${clusters[@]}"; do
    dv_pg_stop "$bin" "$data"
  done
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
dv_pg_watchdog "$$" "$bin" "$tmp"

failures=0
ok() { echo "ok   $*"; }
bad() {
  echo "FAIL $*"
  failures=$((failures + 1))
}
# Ends the test at once: the remaining checks depend on this step.
fatal() {
  echo "FAIL $*"
  local log
  for log in "$tmp"/*.log; do
    [[ -f "$log" ]] && { echo "--- $log (tail)"; tail -n 15 "$log"; }
  done
  exit 1
}

# The server's user owns the clusters and the WAL archive; the archive
# folder is where archive_command copies to and restore_command reads from.
mkdir -p "$tmp/archive" "$tmp/run"
[[ -n "$dv_pg_server_user" ]] && chown "$dv_pg_server_user" "$tmp" "$tmp/archive" "$tmp/run"

admin_password=$(dv_pg_random_hex)
app_password=$(dv_pg_random_hex)
printf '%s\n' "$admin_password" >"$tmp/run/admin.pw"
[[ -n "$dv_pg_server_user" ]] && chown "$dv_pg_server_user" "$tmp/run/admin.pw"
dv_pg_as_server "$tmp" "$bin/initdb" -D "$tmp/primary" -U dv_admin --pwfile="$tmp/run/admin.pw" \
  --auth=scram-sha-256 -E UTF8 --no-locale --no-sync >"$tmp/initdb.log" 2>&1 || fatal "initdb"
rm -f "$tmp/run/admin.pw"
# The settings docs/operations.md asks for, in the cluster's own file (so the
# base backup carries them, as it would in production).
dv_pg_as_server "$tmp" tee -a "$tmp/primary/postgresql.conf" >/dev/null <<EOF
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $tmp/archive/%f && cp %p $tmp/archive/%f'
synchronous_commit = on
EOF
clusters+=("$tmp/primary")
dv_pg_start "$bin" "$tmp/primary" "$tmp/primary.log" "$tmp/run" "-c fsync=off" || fatal "the primary did not start"
primary_port=$dv_pg_port
ok "the primary runs on 127.0.0.1:$primary_port with WAL archiving"

# psql as the superuser over the Unix socket: PORT DATABASE SQL.
admin_sql() {
  PGPASSWORD=$admin_password "$bin/psql" -X -q -t -A -v ON_ERROR_STOP=1 -h "$tmp/run" -p "$1" -U dv_admin -d "$2" -c "$3"
}
admin_sql "$primary_port" postgres "CREATE ROLE dannevirke LOGIN PASSWORD '$app_password'"
admin_sql "$primary_port" postgres "CREATE DATABASE dannevirke OWNER dannevirke"
app_url() { echo "postgresql://dannevirke:$app_password@127.0.0.1:$1/$2"; }

# start_hub NAME DATABASE_URL [OPTIONS]: starts a hub; sets base.
start_hub() {
  local name=$1 url=$2 pid
  shift 2
  rm -f "$tmp/$name.port"
  "$dannevirke" hub --db "$url" --port 0 --port-file "$tmp/$name.port" --quiet "$@" >"$tmp/hub-$name.log" 2>&1 &
  pid=$!
  hub_pids+=("$pid")
  # A test killed outright runs no trap: this stops the hub once the test is gone.
  # shellcheck disable=SC2016  # expanded by the watchdog's own shell
  (setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 2; done; kill -TERM "$2"' hub-watchdog "$$" "$pid" \
    </dev/null >/dev/null 2>&1 &)
  for _ in $(seq 1 600); do
    if [[ -s "$tmp/$name.port" ]] && curl -sf "http://127.0.0.1:$(cat "$tmp/$name.port")/healthz" >/dev/null 2>&1; then
      base="http://127.0.0.1:$(cat "$tmp/$name.port")"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || fatal "the hub ($name) exited while starting"
    sleep 0.1
  done
  fatal "the hub ($name) did not answer /healthz"
}

start_hub primary "$(app_url "$primary_port" dannevirke)" --seed-demo --token-file "$tmp/tokens.json"
primary_base=$base
writer=$(python3 "$client" token "$tmp/tokens.json" 0751-soc)
reader=$(python3 "$client" token "$tmp/tokens.json" 0101-sensor)
national=$(python3 "$client" collection "$primary_base" "$writer" "Nationale indikatorer") ||
  fatal "the national collection"
ok "a hub with the demo data runs on the primary"

post() { python3 "$client" post "$primary_base" "$writer" "$national" 3 >"$tmp/ids-$1" || fatal "posting $1"; }
served() { python3 "$client" ids "$1" "$reader" "$national" | sort -u; }

post A
# The replication connection's password, in a password file the server's user reads.
printf '*:*:*:dv_admin:%s\n' "$admin_password" >"$tmp/run/pgpass"
chmod 600 "$tmp/run/pgpass"
[[ -n "$dv_pg_server_user" ]] && chown "$dv_pg_server_user" "$tmp/run/pgpass"
dv_pg_as_server "$tmp" env PGPASSFILE="$tmp/run/pgpass" "$bin/pg_basebackup" -h "$tmp/run" -p "$primary_port" \
  -U dv_admin -D "$tmp/base" --wal-method=stream --checkpoint=fast --no-sync >"$tmp/basebackup.log" 2>&1 ||
  fatal "pg_basebackup"
ok "pg_basebackup took a base backup after indicators A"
if dv_pg_as_server "$tmp" "$bin/pg_verifybackup" "$tmp/base" >"$tmp/verifybackup.log" 2>&1; then
  ok "pg_verifybackup finds the base backup complete"
else
  bad "pg_verifybackup finds the base backup complete"
fi
post B
# T lies between B's commit and C's, a second clear of each.
sleep 1
target_time=$(admin_sql "$primary_port" postgres "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', \
  'YYYY-MM-DD HH24:MI:SS.US') || '+00'")
sleep 1
post C
ok "indicators B before T ($target_time) and C after it are stored"

# The segment holding C's commit must reach the archive for recovery to find a
# commit after T, where it stops.
last_segment=$(admin_sql "$primary_port" postgres "SELECT pg_walfile_name(pg_switch_wal())")
for _ in $(seq 1 300); do
  [[ -f "$tmp/archive/$last_segment" ]] && break
  sleep 0.1
done
[[ -f "$tmp/archive/$last_segment" ]] || fatal "WAL segment $last_segment was not archived"
ok "the WAL up to C's commit is archived ($(find "$tmp/archive" -type f | wc -l) files)"

served "$primary_base" >"$tmp/primary-ids"
sort -u "$tmp/ids-A" "$tmp/ids-B" "$tmp/ids-C" >"$tmp/posted-ids"
if [[ -z $(comm -13 "$tmp/primary-ids" "$tmp/posted-ids") ]]; then
  ok "the primary's hub serves A, B and C"
else
  bad "the primary's hub serves A, B and C"
fi

# Point-in-time recovery, as docs/operations.md describes it: the base backup
# in a new data directory, the recovery settings, recovery.signal.
dv_pg_as_server "$tmp" cp -a "$tmp/base" "$tmp/restored" || fatal "copying the base backup"
dv_pg_as_server "$tmp" tee -a "$tmp/restored/postgresql.conf" >/dev/null <<EOF
restore_command = 'cp $tmp/archive/%f %p'
recovery_target_time = '$target_time'
recovery_target_action = 'promote'
EOF
dv_pg_as_server "$tmp" touch "$tmp/restored/recovery.signal"
clusters+=("$tmp/restored")
# The copy must not archive into the primary's archive.
dv_pg_start "$bin" "$tmp/restored" "$tmp/restored.log" "$tmp/run" "-c fsync=off -c archive_mode=off" ||
  fatal "the restored cluster did not start"
restored_port=$dv_pg_port
for _ in $(seq 1 300); do
  [[ $(admin_sql "$restored_port" postgres "SELECT pg_is_in_recovery()" 2>/dev/null) == f ]] && break
  sleep 0.1
done
[[ $(admin_sql "$restored_port" postgres "SELECT pg_is_in_recovery()") == f ]] ||
  fatal "the restored cluster did not finish recovery"
if grep -q "recovery stopping before commit" "$tmp/restored.log"; then
  ok "the restored cluster (127.0.0.1:$restored_port) stopped recovery at T and was promoted"
else
  bad "the restored cluster's log says where recovery stopped"
fi
if [[ ! -e "$tmp/restored/recovery.signal" ]]; then
  ok "the server removed recovery.signal"
else
  bad "the server removed recovery.signal"
fi

start_hub restored "$(app_url "$restored_port" dannevirke)"
served "$base" >"$tmp/restored-ids"
missing=$(sort -u "$tmp/ids-A" "$tmp/ids-B" | comm -23 - "$tmp/restored-ids" | wc -l)
present=$(sort -u "$tmp/ids-C" | comm -12 - "$tmp/restored-ids" | wc -l)
if ((missing == 0)); then ok "the restored hub serves every indicator written before T"; else
  bad "the restored hub lacks $missing indicator(s) written before T"
fi
if ((present == 0)); then ok "the restored hub serves none of the indicators written after T"; else
  bad "the restored hub serves $present indicator(s) written after T"
fi

# The logical copy: pg_dump as the database's owner, pg_restore into a fresh
# database the same role owns.
PGPASSWORD=$app_password "$bin/pg_dump" -h 127.0.0.1 -p "$primary_port" -U dannevirke -d dannevirke \
  --format=custom --file="$tmp/dannevirke.dump" 2>"$tmp/pg_dump.log" || fatal "pg_dump"
admin_sql "$primary_port" postgres "CREATE DATABASE dannevirke_copy OWNER dannevirke"
PGPASSWORD=$app_password "$bin/pg_restore" -h 127.0.0.1 -p "$primary_port" -U dannevirke -d dannevirke_copy \
  --no-owner --exit-on-error "$tmp/dannevirke.dump" 2>"$tmp/pg_restore.log" || fatal "pg_restore"
ok "pg_dump and pg_restore copied the hub's database into dannevirke_copy"
start_hub copy "$(app_url "$primary_port" dannevirke_copy)"
served "$base" >"$tmp/copy-ids"
if cmp -s "$tmp/primary-ids" "$tmp/copy-ids"; then
  ok "the hub on the restored dump serves the same $(wc -l <"$tmp/copy-ids") objects"
else
  bad "the hub on the restored dump serves $(wc -l <"$tmp/copy-ids") objects, the primary's $(wc -l <"$tmp/primary-ids")"
fi
# New writes go on after the copied ones (the identity sequences came along).
if python3 "$client" post "$base" "$writer" "$national" 1 >/dev/null; then
  ok "the hub on the restored dump accepts new objects"
else
  bad "the hub on the restored dump accepts new objects"
fi

if ((failures)); then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
