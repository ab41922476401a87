#!/usr/bin/env bash
# Makes sure node and npm are installed (from Debian's packages, as root), for the
# project's npm installs: the pages' NL Design System styles and the test tools.
set -euo pipefail

if command -v npm >/dev/null; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "node and npm are not installed; run as root or: apt-get install nodejs npm" >&2
  exit 1
fi
echo "Installing node and npm from Debian's packages..." >&2
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >&2
