#!/usr/bin/env bash
# Makes sure node and npm are installed (from Debian's packages, as root), for the
# project's npm installs: the pages' NL Design System styles and the test tools.
set -euo pipefail

if ! command -v npm >/dev/null; then
  "$(dirname "$0")/apt-install.sh" "node and npm" nodejs npm
fi
