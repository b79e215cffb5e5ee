#!/usr/bin/env bash
# One command: install everything the tests need (npm packages, Debian's Chromium), start
# PostgreSQL and Redis if they are not answering, then run every test (lint, types, unit,
# integration, browser).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/services.sh

need_node
# Debian's Chromium for the browser tests; nginx, tor and openssl for the checks of infra/'s examples.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
[ -x /usr/sbin/tor ] || missing+=(tor)
[ -x /usr/bin/openssl ] || missing+=(openssl)
if [ "${#missing[@]}" -gt 0 ]; then
  say "Installing Debian's ${missing[*]} for the tests"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || die "could not install ${missing[*]}: run 'sudo apt-get install ${missing[*]}' and try again"
fi
ensure_postgres
ensure_redis
ensure_node_modules
npm test
