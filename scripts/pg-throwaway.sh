#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and CI: initdb into a scratch directory,
# start it on 127.0.0.1 (and a unix socket inside that directory), stop it and
# delete everything afterwards. Durability is switched off (fsync=off): never point
# this at data you want to keep.
#
#   scripts/pg-throwaway.sh bindir          print the directory holding initdb/pg_ctl (exit 1 if none)
#   scripts/pg-throwaway.sh start DIR [PORT] initdb + start; print the server's URL on stdout
#   scripts/pg-throwaway.sh stop DIR        stop the server and delete DIR (only a DIR made by start)
#
# DIR must not exist yet or be empty. PORT defaults to a free port chosen by the kernel.
# PG_BINDIR, when set, names the binaries to use instead of `pg_config --bindir`.
# As root the server runs as the `postgres` user (initdb refuses root).
# Diagnostics go to stderr; stdout carries only the URL, so `url=$(… start DIR)` works.
set -euo pipefail

MARKER=.pg-throwaway

die() {
  echo "pg-throwaway: $*" >&2
  exit 1
}

bindir() {
  local dir=""
  if [[ -n "${PG_BINDIR:-}" ]]; then
    # An explicit choice (another major version, or a path without initdb to go without).
    [[ -x "$PG_BINDIR/initdb" && -x "$PG_BINDIR/pg_ctl" ]] || return 1
    echo "$PG_BINDIR"
    return 0
  fi
  if command -v pg_config >/dev/null 2>&1; then
    dir=$(pg_config --bindir 2>/dev/null || true)
  fi
  if [[ -z "$dir" || ! -x "$dir/initdb" ]]; then
    # Debian keeps the server binaries outside PATH; take the newest installed major.
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  fi
  [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]] || return 1
  echo "$dir"
}

# Runs a command as the server's owner: ourselves, or `postgres` when we are root.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  node -e "const s = require('node:net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close() })"
}

start() {
  local dir=$1 port=${2:-} bin locale_args
  bin=$(bindir) || die "no PostgreSQL server binaries (initdb) found; install the postgresql package"
  [[ -z "$port" ]] && port=$(free_port)
  mkdir -p "$dir"
  [[ -z "$(ls -A "$dir")" ]] || die "$dir is not empty"
  touch "$dir/$MARKER"
  mkdir -p "$dir/sock"
  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' user to own the server"
    chown -R postgres: "$dir"
    runuser -u postgres -- test -x "$dir" ||
      die "the postgres user cannot reach $dir (a parent directory is closed to it); pick a DIR under /tmp"
  fi
  # Match PGlite's defaults: byte-order collation (C), UTF-8 character classes.
  if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
    locale_args=(--locale=C.UTF-8 --lc-collate=C)
  else
    locale_args=(--locale=C)
  fi
  as_owner "$bin/initdb" -N -A trust -U postgres -E UTF8 "${locale_args[@]}" -D "$dir/data" >"$dir/initdb.log" 2>&1 ||
    die "initdb failed: $(cat "$dir/initdb.log")"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
    "-p $port -c listen_addresses=127.0.0.1 -k $dir/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    >/dev/null 2>&1 || die "server did not start on port $port: $(tail -n 20 "$dir/server.log" 2>/dev/null)"
  echo "$port" >"$dir/port"
  echo "postgres://postgres@127.0.0.1:$port/postgres"
}

stop() {
  local dir=$1 bin
  [[ -d "$dir" ]] || return 0
  [[ -f "$dir/$MARKER" ]] || die "$dir was not made by pg-throwaway start; not deleting it"
  if [[ -f "$dir/data/postmaster.pid" ]] && bin=$(bindir); then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
bindir) bindir || exit 1 ;;
start) [[ $# -ge 2 ]] || die "usage: $0 start DIR [PORT]"; start "$2" "${3:-}" ;;
stop) [[ $# -ge 2 ]] || die "usage: $0 stop DIR"; stop "$2" ;;
*) die "usage: $0 bindir | start DIR [PORT] | stop DIR" ;;
esac
