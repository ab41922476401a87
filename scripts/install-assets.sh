#!/usr/bin/env bash
# Installs the pages' styles (NL Design System: Utrecht components and design tokens),
# pinned in web/assets/package-lock.json; web/pages/assets.py bundles the parts the pages use.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/ensure-npm.sh"
echo "Installing the NL Design System styles (npm ci in web/assets)..." >&2
npm ci --prefix "$root/web/assets" --no-audit --no-fund --silent >&2
