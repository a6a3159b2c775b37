#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Shell functions for throwaway PostgreSQL clusters on loopback, shared by
# scripts/with-postgres.sh and the tests that need more than one cluster
# (tests/ops/backup_restore_test.sh). Sourced, never run:
#
#   source scripts/postgres-lib.sh
#   bin=$(dv_pg_find_bin) || exit 77
#   dv_pg_server_user            # sets dv_pg_run_as (runuser as dannevirke-pg when root)
#   dv_pg_start "$bin" DATA LOG SOCKET_DIR [OPTIONS]   # sets dv_pg_port
#
# Every server listens on 127.0.0.1 only, at a free port, and on a Unix
# socket in SOCKET_DIR: nothing leaves the machine.

# Results for the caller, set by the functions below.
# shellcheck disable=SC2034
dv_pg_server_user="" dv_pg_port=""
dv_pg_run_as=()

# Prints the directory of PostgreSQL's server binaries: $DV_POSTGRES_BIN, else
# /usr/lib/postgresql/15/bin, else the newest /usr/lib/postgresql/*/bin, else
# initdb's directory on PATH. Prints nothing and returns 1 when none has
# initdb, pg_ctl and psql.
dv_pg_find_bin() {
  local dir
  for dir in "${DV_POSTGRES_BIN:-}" /usr/lib/postgresql/15/bin; do
    [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/psql" ]] && { echo "$dir"; return 0; }
  done
  dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
  [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/psql" ]] && { echo "$dir"; return 0; }
  if command -v initdb >/dev/null; then
    dir=$(dirname "$(command -v initdb)")
    [[ -x "$dir/pg_ctl" && -x "$dir/psql" ]] && { echo "$dir"; return 0; }
  fi
  return 1
}

# PostgreSQL refuses to run as root. Run as root, sets dv_pg_server_user to
# the unprivileged system user dannevirke-pg (created when missing) and
# dv_pg_run_as to the runuser prefix that runs a command as it; otherwise
# both stay empty and the server runs as the caller.
dv_pg_server_user() {
  dv_pg_server_user=""
  dv_pg_run_as=()
  if [[ $(id -u) -eq 0 ]]; then
    dv_pg_server_user=dannevirke-pg
    if ! id -u "$dv_pg_server_user" >/dev/null 2>&1; then
      # Another run may create it at the same moment: only its absence afterwards is an error.
      useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$dv_pg_server_user" \
        2>/dev/null || id -u "$dv_pg_server_user" >/dev/null
    fi
    dv_pg_run_as=(runuser -u "$dv_pg_server_user" --)
  fi
}

# dv_pg_as_server DIR CMD [ARGS...]: runs CMD as the server's user, from DIR
# (a directory that user may enter).
dv_pg_as_server() {
  local dir=$1
  shift
  (cd "$dir" && "${dv_pg_run_as[@]}" "$@")
}

dv_pg_random_hex() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }

dv_pg_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
    echo $((20000 + RANDOM % 40000))
}

# dv_pg_start BIN DATA LOG SOCKET_DIR [OPTIONS]: starts the cluster in DATA
# on 127.0.0.1 at a free port and on a socket in SOCKET_DIR, with the extra
# server OPTIONS ("-c name=value ..."); sets dv_pg_port. A port found free may
# be taken before the server binds it: tries five. Returns 1 when the server
# did not start (its log is in LOG).
dv_pg_start() {
  local bin=$1 data=$2 log=$3 socket_dir=$4 options=${5:-} attempt candidate
  dv_pg_port=""
  for attempt in 1 2 3 4 5; do
    candidate=$(dv_pg_free_port)
    if dv_pg_as_server "$socket_dir" "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $candidate -k $socket_dir $options" start >/dev/null 2>&1; then
      dv_pg_port=$candidate
      return 0
    fi
    echo "postgres-lib.sh: the server did not start on port $candidate (attempt $attempt)" >&2
  done
  return 1
}

# dv_pg_stop BIN DATA: stops the cluster in DATA at once, if it runs.
dv_pg_stop() {
  (cd / && "${dv_pg_run_as[@]}" "$1/pg_ctl" -D "$2" -m immediate -w stop) >/dev/null 2>&1 || true
}

# dv_pg_watchdog PID BIN DIR: a script killed outright (SIGKILL, a ctest
# timeout) runs no trap, and a server, detached by pg_ctl, would live on. The
# watchdog, outside the caller's process tree, waits for PID to end, then
# stops every cluster directly under DIR (each DIR/*/postmaster.pid) and
# removes DIR.
dv_pg_watchdog() {
  # shellcheck disable=SC2016  # expanded by the watchdog's own shell
  (
    setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 2; done
      cd / || exit
      for pid_file in "$3"/*/postmaster.pid; do
        [[ -e "$pid_file" ]] && "${@:4}" "$2/pg_ctl" -D "${pid_file%/postmaster.pid}" -m immediate -w stop
      done
      rm -rf "$3"' \
      watchdog "$1" "$2" "$3" "${dv_pg_run_as[@]}" </dev/null >/dev/null 2>&1 &
  )
}
