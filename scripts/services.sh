# shellcheck shell=bash
# Shared by run.sh, test.sh and .ci/run: make sure Node, PostgreSQL and Redis are there and answering,
# and that Sauti has a database role of its own (never the postgres superuser).
#
# Settings (all optional): SAUTI_PG_PORT (5432), SAUTI_ENV_FILE (.local/sauti.env), DATABASE_URL and
# TEST_PG_ADMIN_URL (when set in the environment they are used as given and never rewritten).

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
# The postgres superuser over the local socket (peer authentication, as Debian configures it).
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"
  elif command -v sudo >/dev/null; then sudo -u postgres "$@"
  else return 1; fi
}

SAUTI_PG_PORT=${SAUTI_PG_PORT:-5432}
SAUTI_ENV_FILE=${SAUTI_ENV_FILE:-$PWD/.local/sauti.env}

pg_answers() { pg_isready -h 127.0.0.1 -p "$SAUTI_PG_PORT" -q 2>/dev/null; }
redis_answers() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; }

need_node() {
  command -v node >/dev/null || die "Node.js 20 or newer is needed: install it (e.g. 'apt-get install nodejs npm' on Debian 13, or from nodejs.org) and run this again."
  local major; major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 20 ] || die "Node.js $major is too old: Sauti needs 20 or newer."
}

ensure_postgres() {
  if pg_answers; then return; fi
  command -v pg_ctlcluster >/dev/null || die "PostgreSQL is not installed. Install it with: sudo apt-get install postgresql (then run this again)."
  local version; version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$version" ] || die "PostgreSQL is installed but has no cluster: sudo pg_createcluster 15 main"
  say "Starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || die "could not start PostgreSQL (try: sudo pg_ctlcluster $version main start)"
  for _ in $(seq 1 30); do pg_answers && return; sleep 1; done
  die "PostgreSQL did not start answering on 127.0.0.1:$SAUTI_PG_PORT"
}

ensure_redis() {
  if redis_answers; then return; fi
  command -v redis-server >/dev/null || die "Redis is not installed. Install it with: sudo apt-get install redis-server (then run this again)."
  local dir="$PWD/.local/redis"
  mkdir -p "$dir" && chmod 700 "$dir"
  # appendonly: a queued job survives a Redis restart; noeviction: Redis never deletes a job to free
  # memory (it refuses new writes instead). docs/operations.md, "Redis".
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --dir "$dir" --logfile "$dir/redis.log" \
    --appendonly yes --appendfsync everysec --save "" --maxmemory-policy noeviction >/dev/null \
    || die "could not start Redis"
  for _ in $(seq 1 30); do
    if redis_answers; then
      say "Started Redis on 127.0.0.1:6379 with appendonly persistence and maxmemory-policy noeviction (data in $dir)"
      return
    fi
    sleep 1
  done
  die "Redis did not start answering on 127.0.0.1:6379"
}

# Node, PostgreSQL and Redis: what every entry point (run.sh, test.sh) needs before anything else.
ensure_base() {
  need_node
  ensure_postgres
  ensure_redis
}

# npm ci when node_modules is missing or older than the lock file.
ensure_node_modules() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "Installing npm packages (npm ci)"
    npm ci --no-audit --no-fund
  fi
}

# --- the env file (KEY=VALUE, mode 0600, gitignored) that npm start, npm run sauti and the tests read

env_file_get() { [ -f "$SAUTI_ENV_FILE" ] && sed -n "s/^$1=//p" "$SAUTI_ENV_FILE" | tail -n 1; true; }
env_file_set() {
  local key=$1 value=$2 dir; dir=$(dirname "$SAUTI_ENV_FILE")
  mkdir -p "$dir" && chmod 700 "$dir"
  ( umask 077
    touch "$SAUTI_ENV_FILE"
    { grep -v "^$key=" "$SAUTI_ENV_FILE" || true; echo "$key=$value"; } >"$SAUTI_ENV_FILE.tmp"
    mv "$SAUTI_ENV_FILE.tmp" "$SAUTI_ENV_FILE" )
  chmod 600 "$SAUTI_ENV_FILE"
}

pg_connects() { PGCONNECT_TIMEOUT=5 psql -X -w "$1" -Atqc 'SELECT 1' >/dev/null 2>&1; }
random_password() { od -An -tx1 -N24 /dev/urandom | tr -d ' \n'; }
# SQL as the postgres superuser over the socket; the SQL comes on stdin, so no password is in argv.
pg_super() { as_postgres psql -X -q -At -v ON_ERROR_STOP=1 -p "$SAUTI_PG_PORT" -d "${1:-postgres}"; }
no_superuser() { die "could not run psql as the postgres superuser over the local socket (runuser/sudo -u postgres): run this as root or as a user with sudo, or set $1 yourself"; }

# A LOGIN role with a fresh random password (created, or its password replaced); extra role options in $2.
set_role_password() {
  local role=$1 options=$2 password=$3
  pg_super <<SQL || no_superuser "$4"
DO \$\$ BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN ALTER ROLE $role LOGIN $options PASSWORD '$password';
  ELSE CREATE ROLE $role LOGIN $options PASSWORD '$password'; END IF;
END \$\$;
SQL
}

# Sauti's database: use DATABASE_URL (environment, else the env file, else the role sauti without a
# password); when that does not connect, create role sauti with a random password and the database
# owned by it, and write the new DATABASE_URL to the env file.
ensure_database() {
  local name=${1:-sauti} url from_env=${DATABASE_URL:-}
  url=${from_env:-$(env_file_get DATABASE_URL)}
  url=${url:-postgres://sauti@127.0.0.1:$SAUTI_PG_PORT/$name}
  if pg_connects "$url"; then return; fi
  [ -z "$from_env" ] || die "DATABASE_URL is set in the environment but PostgreSQL refuses it. Correct it, or unset it to let this script create a role and database for Sauti."
  say "PostgreSQL does not accept $url; creating role sauti (random password) and database $name as the postgres superuser over the local socket"
  local password; password=$(random_password)
  set_role_password sauti "NOSUPERUSER NOCREATEDB NOCREATEROLE" "$password" DATABASE_URL
  if [ "$(pg_super <<<"SELECT 1 FROM pg_database WHERE datname = '$name'")" != 1 ]; then
    pg_super <<<"CREATE DATABASE $name OWNER sauti" || die "could not create database $name"
  else
    # A database made by an older set-up (as postgres): hand it and its tables to sauti.
    pg_super "$name" <<SQL || die "could not give database $name to role sauti"
ALTER DATABASE $name OWNER TO sauti;
DO \$\$ DECLARE r record; BEGIN
  FOR r IN SELECT format('ALTER %s %I.%I OWNER TO sauti', CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END, n.nspname, c.relname) AS stmt
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'S') AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
  LOOP EXECUTE r.stmt; END LOOP;
END \$\$;
SQL
  fi
  url="postgres://sauti:$password@127.0.0.1:$SAUTI_PG_PORT/$name"
  pg_connects "$url" || die "role sauti exists now, but PostgreSQL still refuses it over 127.0.0.1:$SAUTI_PG_PORT: pg_hba.conf must allow 'host $name sauti 127.0.0.1/32 scram-sha-256' (Debian's default does)"
  env_file_set DATABASE_URL "$url"
  say "Done: role sauti owns database $name. DATABASE_URL (with the new password) is in $SAUTI_ENV_FILE (mode 0600); npm start and npm run sauti read it."
}

# The tests' administrative connection (creates and drops per-run databases): TEST_PG_ADMIN_URL, else
# the env file, else postgres@127.0.0.1. When that cannot create databases, create role sauti_test
# (LOGIN CREATEDB, not a superuser, random password) and write TEST_PG_ADMIN_URL to the env file.
ensure_test_admin() {
  local url from_env=${TEST_PG_ADMIN_URL:-}
  url=${from_env:-$(env_file_get TEST_PG_ADMIN_URL)}
  url=${url:-postgres://postgres@127.0.0.1:$SAUTI_PG_PORT/postgres}
  if [ "$(PGCONNECT_TIMEOUT=5 psql -X -w "$url" -Atqc 'SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user' 2>/dev/null)" = t ]; then
    export TEST_PG_ADMIN_URL=$url
    return
  fi
  [ -z "$from_env" ] || die "TEST_PG_ADMIN_URL is set but cannot connect and create databases. Correct it, or unset it to let this script create a role for the tests."
  say "PostgreSQL does not accept $url for creating test databases; creating role sauti_test (CREATEDB, random password) as the postgres superuser over the local socket"
  local password; password=$(random_password)
  set_role_password sauti_test "CREATEDB NOSUPERUSER NOCREATEROLE" "$password" TEST_PG_ADMIN_URL
  url="postgres://sauti_test:$password@127.0.0.1:$SAUTI_PG_PORT/postgres"
  pg_connects "$url" || die "role sauti_test exists now, but PostgreSQL still refuses it over 127.0.0.1:$SAUTI_PG_PORT (check pg_hba.conf)"
  env_file_set TEST_PG_ADMIN_URL "$url"
  export TEST_PG_ADMIN_URL=$url
  say "Done: TEST_PG_ADMIN_URL is in $SAUTI_ENV_FILE (mode 0600); the tests read it."
}

# The server's major version (e.g. 15), through the given URL.
pg_server_major() { PGCONNECT_TIMEOUT=5 psql -X -w "$1" -Atqc 'SHOW server_version_num' | awk '{ print int($1 / 10000) }'; }

# Debian packages the tests use: Chromium (browser tests), fonts-noto-core (Arabic glyphs in the
# screenshots), and pg_dump/pg_restore of the server's major version (backup and restore tests).
ensure_test_packages() {
  local missing=() major; major=$(pg_server_major "$TEST_PG_ADMIN_URL")
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  dpkg -s fonts-noto-core >/dev/null 2>&1 || missing+=(fonts-noto-core)
  # nginx, tor and openssl check infra/'s examples (test/infra-config.test.ts, through-nginx).
  [ -x /usr/sbin/nginx ] || missing+=(nginx)
  [ -x /usr/sbin/tor ] || missing+=(tor)
  [ -x /usr/bin/openssl ] || missing+=(openssl)
  [ -x "/usr/lib/postgresql/$major/bin/pg_dump" ] || missing+=("postgresql-client-$major")
  [ ${#missing[@]} -eq 0 ] && return
  say "Installing Debian packages the tests need: ${missing[*]}"
  { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; } \
    || die "could not install ${missing[*]}: run 'sudo apt-get install ${missing[*]}' and try again (postgresql-client-$major may need the PostgreSQL apt repository, apt.postgresql.org, when your distribution does not ship it)"
}
