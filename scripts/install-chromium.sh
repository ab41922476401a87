#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests when it is missing and prints the path
# of the executable. Playwright drives this browser (its own browser downloads are not
# used); PLEKWIJZER_CHROMIUM names another executable.
# Usage: scripts/install-chromium.sh
set -euo pipefail

bin=${PLEKWIJZER_CHROMIUM:-/usr/bin/chromium}

if [ ! -x "$bin" ]; then
  if [ -n "${PLEKWIJZER_CHROMIUM:-}" ]; then
    echo "PLEKWIJZER_CHROMIUM=$bin is not an executable" >&2
    exit 1
  fi
  # Without recommends (a desktop's daemons); one known font so screenshots look alike
  # on every machine.
  "$(dirname "$0")/apt-install.sh" chromium --no-install-recommends chromium fonts-liberation
fi
echo "$bin"
