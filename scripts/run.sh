#!/usr/bin/env bash
# One command on a fresh Debian/Ubuntu machine: install what Sauti needs, set up its database role
# (on a stock PostgreSQL: role sauti with a random password, written to .local/sauti.env), then run
# the platform (api + worker + web, with a demo organisation) at http://localhost:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/services.sh

ensure_base
ensure_node_modules
ensure_database sauti
exec npm start
