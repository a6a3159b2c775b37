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

find_bin() {
  local dir
  for dir in "${DV_POSTGRES_BIN:-}" /usr/lib/postgresql/15/bin; do
    [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/psql" ]] && { echo "$dir"; return; }
  done
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/psql" ]] && { echo "$dir"; return; }
  if command -v initdb >/dev/null; then
    dir=$(dirname "$(command -v initdb)")
    [[ -x "$dir/pg_ctl" && -x "$dir/psql" ]] && { echo "$dir"; return; }
  fi
}
bin=$(find_bin)
if [[ -z "$bin" ]]; then
  echo "with-postgres.sh: PostgreSQL server binaries (initdb, pg_ctl, psql) not found; install postgresql-15" \
    "(scripts/install-deps.sh) or set DV_POSTGRES_BIN: skipped" >&2
  exit 77
fi

server_user=""
run_as=()
if [[ $(id -u) -eq 0 ]]; then
  # PostgreSQL refuses to run as root.
  server_user=dannevirke-pg
  if ! id -u "$server_user" >/dev/null 2>&1; then
    # Another run may create it at the same moment: only its absence afterwards is an error.
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$server_user" 2>/dev/null ||
      id -u "$server_user" >/dev/null
  fi
  run_as=(runuser -u "$server_user" --)
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dv-pg.XXXXXX")
chmod 700 "$tmp"
started=0
cmd_pid=""
stop_server() {
  (cd / && "${run_as[@]}" "$bin/pg_ctl" -D "$tmp/data" -m immediate -w stop) >/dev/null 2>&1 || true
}
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

# A script killed outright (SIGKILL, a ctest timeout) runs no trap, and the
# server, detached by pg_ctl, would live on: a watchdog outside this script's
# process tree stops it and removes the cluster once the script is gone.
(
  setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 2; done
    cd / && "${@:4}" "$2/pg_ctl" -D "$3/data" -m immediate -w stop; rm -rf "$3"' \
    watchdog "$$" "$bin" "$tmp" "${run_as[@]}" </dev/null >/dev/null 2>&1 &
)

# Runs a server-side command as the server's user, from a directory it may enter.
as_server() { (cd "$tmp" && "${run_as[@]}" "$@"); }

random_hex() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }
admin_password=$(random_hex)
app_password=$(random_hex)
printf '%s\n' "$admin_password" >"$tmp/admin.pw"
[[ -n "$server_user" ]] && chown "$server_user" "$tmp" "$tmp/admin.pw"

if ! as_server "$bin/initdb" -D "$tmp/data" -U dv_admin --pwfile="$tmp/admin.pw" --auth=scram-sha-256 \
  -E UTF8 --no-locale --no-sync >"$tmp/initdb.log" 2>&1; then
  echo "with-postgres.sh: initdb failed:" >&2
  cat "$tmp/initdb.log" >&2
  exit 1
fi
rm -f "$tmp/admin.pw"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
    echo $((20000 + RANDOM % 40000))
}

# A port found free may be taken before the server binds it: try a few.
port=""
for attempt in 1 2 3 4 5; do
  candidate=$(free_port)
  if as_server "$bin/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $candidate -k $tmp -c fsync=off" start >/dev/null 2>&1; then
    port=$candidate
    started=1
    break
  fi
  echo "with-postgres.sh: the server did not start on port $candidate (attempt $attempt)" >&2
done
if [[ -z "$port" ]]; then
  echo "with-postgres.sh: could not start PostgreSQL; server log:" >&2
  tail -n 30 "$tmp/server.log" >&2 || true
  exit 1
fi

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
chmod 755 "$tmp/restart.sh"

export DV_TEST_POSTGRES_URL="postgresql://dannevirke:$app_password@127.0.0.1:$port/dannevirke_test"
export DV_TEST_POSTGRES_ADMIN_URL="postgresql://dv_admin:$admin_password@127.0.0.1:$port/dannevirke_test"
export DV_TEST_POSTGRES_RESTART="$tmp/restart.sh"
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
