#!/usr/bin/env bash
# One command: install everything the tests need (npm packages, Debian's Chromium), start
# PostgreSQL and Redis if they are not answering, then run every test (lint, types, unit,
# integration, browser).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/services.sh

need_node
if [ ! -x /usr/bin/chromium ]; then
  say "Installing Debian's Chromium for the browser tests"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
    || die "could not install chromium: run 'sudo apt-get install chromium' and try again"
fi
ensure_postgres
ensure_redis
ensure_node_modules
npm test
