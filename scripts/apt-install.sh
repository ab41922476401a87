#!/usr/bin/env bash
# Installs a missing tool from Debian's packages (as root; otherwise says how), for the
# scripts that need one: node/npm, chromium, PostgreSQL.
# Usage: scripts/apt-install.sh WHAT [apt-get install options] PACKAGE...
set -euo pipefail

what=$1
shift
if [ "$(id -u)" != 0 ]; then
  echo "$what: not installed; run as root or: apt-get install $*" >&2
  exit 1
fi
echo "Installing $what from Debian's packages..." >&2
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
