#!/bin/sh
# First start: initdb with Debian's default authentication (peer locally, scram-sha-256 over TCP),
# then a role $POSTGRES_USER (not a superuser) owning database $POSTGRES_DB, with the password
# from $POSTGRES_PASSWORD_FILE or $POSTGRES_PASSWORD. Later starts just run the server.
set -eu
bin=/usr/lib/postgresql/15/bin
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then POSTGRES_PASSWORD=$(cat "$POSTGRES_PASSWORD_FILE"); fi
  [ -n "${POSTGRES_PASSWORD:-}" ] || { echo "sauti-postgres: set POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE for role $POSTGRES_USER" >&2; exit 2; }
  "$bin/initdb" -D "$PGDATA" --auth-local=peer --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  echo "host all all 0.0.0.0/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"
  echo "host all all ::/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"
  "$bin/pg_ctl" -D "$PGDATA" -o "-c listen_addresses='' -k /tmp" -w start >/dev/null
  esc=$(printf '%s' "$POSTGRES_PASSWORD" | sed "s/'/''/g")
  "$bin/psql" -h /tmp -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE \"$POSTGRES_USER\" LOGIN PASSWORD '$esc'" \
    -c "CREATE DATABASE \"$POSTGRES_DB\" OWNER \"$POSTGRES_USER\""
  "$bin/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
  echo "sauti-postgres: initialised $PGDATA (role $POSTGRES_USER, database $POSTGRES_DB)"
fi
exec "$bin/postgres" -D "$PGDATA" -c "listen_addresses=$PG_LISTEN" -c "port=$PGPORT" -c unix_socket_directories=/tmp
