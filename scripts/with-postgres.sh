#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs a command against a throwaway PostgreSQL cluster of its own, then stops
# the server and deletes the cluster (also when the command fails or the run
# is interrupted).
#
#   scripts/with-postgres.sh CMD [ARGS...]
#
# The cluster lives in a new temporary directory; the server listens on
# 127.0.0.1 only, at a free port, and on a Unix socket in that directory, so
# several runs can go on side by side and nothing leaves the machine. Run as
# root, the server runs as the unprivileged system user `dannevirke-pg`
# (created when missing); otherwise as the current user. CMD runs as the
# caller, with:
#
#   DV_TEST_POSTGRES_URL        postgresql://dannevirke:PASSWORD@127.0.0.1:PORT/dannevirke_test
#                               (the database's owner, not a superuser)
#   DV_TEST_POSTGRES_ADMIN_URL  the cluster's superuser on the same database
#   DV_TEST_POSTGRES_RESTART    a command that restarts the server (pg_ctl restart)
#   DV_TEST_POSTGRES_STOP       a command that stops the server (pg_ctl stop -m fast)
#   DV_TEST_POSTGRES_START      a command that starts it again, on the same port
#
# The passwords are random for each run. PostgreSQL's binaries are taken from
# $DV_POSTGRES_BIN, else /usr/lib/postgresql/15/bin, else the newest
# /usr/lib/postgresql/*/bin, else initdb's directory on PATH.
# Exit status: CMD's; 77 (skipped) when PostgreSQL is not installed; 1 when
# the cluster cannot be set up.
set -euo pipefail

if (($# == 0)); then
  echo "usage: with-postgres.sh CMD [ARGS...]" >&2
  exit 2
fi

# shellcheck source=postgres-lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/postgres-lib.sh"

if ! bin=$(dv_pg_find_bin); then
  echo "with-postgres.sh: PostgreSQL server binaries (initdb, pg_ctl, psql) not found; install postgresql-15" \
    "(scripts/install-deps.sh) or set DV_POSTGRES_BIN: skipped" >&2
  exit 77
fi

dv_pg_server_user
server_user=$dv_pg_server_user
run_as=("${dv_pg_run_as[@]}")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dv-pg.XXXXXX")
chmod 700 "$tmp"
started=0
cmd_pid=""
stop_server() { dv_pg_stop "$bin" "$tmp/data"; }
cleanup() {
  local status=$?
  [[ -n "$cmd_pid" ]] && kill -TERM "$cmd_pid" 2>/dev/null
  ((started)) && stop_server
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A script killed outright (SIGKILL, a ctest timeout) runs no trap: the
# watchdog stops the server and removes the cluster once the script is gone.
dv_pg_watchdog "$$" "$bin" "$tmp"

# Runs a server-side command as the server's user, from a directory it may enter.
as_server() { dv_pg_as_server "$tmp" "$@"; }

admin_password=$(dv_pg_random_hex)
app_password=$(dv_pg_random_hex)
printf '%s\n' "$admin_password" >"$tmp/admin.pw"
[[ -n "$server_user" ]] && chown "$server_user" "$tmp" "$tmp/admin.pw"

if ! as_server "$bin/initdb" -D "$tmp/data" -U dv_admin --pwfile="$tmp/admin.pw" --auth=scram-sha-256 \
  -E UTF8 --no-locale --no-sync >"$tmp/initdb.log" 2>&1; then
  echo "with-postgres.sh: initdb failed:" >&2
  cat "$tmp/initdb.log" >&2
  exit 1
fi
rm -f "$tmp/admin.pw"

if ! dv_pg_start "$bin" "$tmp/data" "$tmp/server.log" "$tmp" "-c fsync=off"; then
  echo "with-postgres.sh: could not start PostgreSQL; server log:" >&2
  tail -n 30 "$tmp/server.log" >&2 || true
  exit 1
fi
port=$dv_pg_port
started=1

# Over the Unix socket in the cluster's directory.
admin_sql() {
  PGPASSWORD=$admin_password "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$tmp" -p "$port" -U dv_admin -d postgres -c "$1"
}
admin_sql "CREATE ROLE dannevirke LOGIN PASSWORD '$app_password'"
# In Danish collation (ICU da-DK, where "AA" sorts as "Å", after "Z"), as a
# Danish deployment may well have: the store must order bytewise, as SQLite
# does, whatever the database's collation. Without ICU, the cluster's default.
admin_sql "CREATE DATABASE dannevirke_test OWNER dannevirke TEMPLATE template0 ENCODING UTF8 \
  LOCALE_PROVIDER icu ICU_LOCALE 'da-DK' LOCALE 'C'" 2>/dev/null ||
  admin_sql "CREATE DATABASE dannevirke_test OWNER dannevirke"

cat >"$tmp/restart.sh" <<EOF
#!/bin/sh
# Restarts the test cluster's server with the options it was started with.
cd "$tmp" && exec ${run_as[*]} "$bin/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 -m fast restart >/dev/null
EOF
# Stopped and started apart, for an outage of a chosen length.
cat >"$tmp/stop.sh" <<EOF
#!/bin/sh
# Stops the test cluster's server (fast: open connections are ended).
cd "$tmp" && exec ${run_as[*]} "$bin/pg_ctl" -D "$tmp/data" -w -t 60 -m fast stop >/dev/null
EOF
cat >"$tmp/start.sh" <<EOF
#!/bin/sh
# Starts the test cluster's server again, on the port and with the options it had.
cd "$tmp" && exec ${run_as[*]} "$bin/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \\
  -o "-c listen_addresses=127.0.0.1 -p $port -k $tmp -c fsync=off" start >/dev/null
EOF
chmod 755 "$tmp/restart.sh" "$tmp/stop.sh" "$tmp/start.sh"

export DV_TEST_POSTGRES_URL="postgresql://dannevirke:$app_password@127.0.0.1:$port/dannevirke_test"
export DV_TEST_POSTGRES_ADMIN_URL="postgresql://dv_admin:$admin_password@127.0.0.1:$port/dannevirke_test"
export DV_TEST_POSTGRES_RESTART="$tmp/restart.sh"
export DV_TEST_POSTGRES_STOP="$tmp/stop.sh"
export DV_TEST_POSTGRES_START="$tmp/start.sh"
echo "with-postgres.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (cluster in $tmp)"

# In the background, so that a signal to this script alone runs its trap at once.
set +e
"$@" <&0 &
cmd_pid=$!
wait "$cmd_pid"
status=$?
cmd_pid=""
set -e
exit "$status"
