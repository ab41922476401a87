#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for the test suite on 127.0.0.1 (installing the Debian
# package first if this machine has none) and prints its SQLAlchemy URL.
# Usage: scripts/test-postgres.sh [start|stop]
set -euo pipefail

port=${PLEKWIJZER_TEST_PG_PORT:-55432}
data=${PLEKWIJZER_TEST_PG_DATA:-/tmp/plekwijzer-test-pg-$port}
database=plekwijzer_test

# The newest installed server (a client-only package has no initdb).
find_bin() { ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 | xargs -r dirname; }

bin=$(find_bin)
if [ -z "$bin" ]; then
  "$(dirname "$0")/apt-install.sh" PostgreSQL postgresql
  bin=$(find_bin)
fi

# PostgreSQL refuses to run as root: as root, run it as the package's postgres user.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-start}" = stop ]; then
  as_owner "$bin/pg_ctl" -D "$data" -m fast stop >&2 || true
  exit 0
fi

if [ ! -s "$data/PG_VERSION" ]; then
  mkdir -p "$data"
  [ "$(id -u)" = 0 ] && chown postgres: "$data"
  as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
  # Nothing answers, so a postmaster.pid left by a killed server is stale (its PID may
  # belong to another process by now, which would stop PostgreSQL from starting).
  rm -f "$data/postmaster.pid"
  # A throwaway server: durability settings off for speed, loopback only.
  as_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -o \
    "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$data \
     -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >&2
fi
if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
  "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$database"
fi
echo "postgresql+psycopg://postgres@127.0.0.1:$port/$database"
