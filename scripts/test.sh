#!/usr/bin/env bash
# One command: install everything the tests need (npm packages; Debian's Chromium, Noto fonts and the
# PostgreSQL client of the server's version; nginx, tor and openssl for infra/'s checks), start PostgreSQL and Redis if they are not answering,
# give the tests a database role that may create databases (TEST_PG_ADMIN_URL, see services.sh), then
# run every test (lint, types, unit, integration, browser).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/services.sh

ensure_base
ensure_test_admin
ensure_test_packages
ensure_node_modules
npm test
