# shellcheck shell=bash
# Shared by run.sh, test.sh and .ci/run: make sure Node, PostgreSQL and Redis are there and answering.

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

need_node() {
  command -v node >/dev/null || die "Node.js 20 or newer is needed: install it (e.g. 'apt-get install nodejs npm' on Debian 13, or from nodejs.org) and run this again."
  local major; major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 20 ] || die "Node.js $major is too old: Sauti needs 20 or newer."
}

pg_answers() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
redis_answers() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; }

ensure_postgres() {
  if pg_answers; then return; fi
  command -v pg_ctlcluster >/dev/null || die "PostgreSQL is not installed. Install it with: sudo apt-get install postgresql (then run this again)."
  local version; version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$version" ] || die "PostgreSQL is installed but has no cluster: sudo pg_createcluster 15 main"
  say "Starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || die "could not start PostgreSQL (try: sudo pg_ctlcluster $version main start)"
  for _ in $(seq 1 30); do pg_answers && return; sleep 1; done
  die "PostgreSQL did not start answering on 127.0.0.1:5432"
}

ensure_redis() {
  if redis_answers; then return; fi
  command -v redis-server >/dev/null || die "Redis is not installed. Install it with: sudo apt-get install redis-server (then run this again)."
  say "Starting Redis"
  # noeviction: BullMQ must never lose a job to memory pressure.
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --maxmemory-policy noeviction >/dev/null \
    || die "could not start Redis"
  for _ in $(seq 1 30); do redis_answers && return; sleep 1; done
  die "Redis did not start answering on 127.0.0.1:6379"
}

# npm ci when node_modules is missing or older than the lock file.
ensure_node_modules() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "Installing npm packages (npm ci)"
    npm ci --no-audit --no-fund
  fi
}

ensure_database() {
  local name=$1
  if ! psql -h 127.0.0.1 -U postgres -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
    say "Creating database $name"
    psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $name" || die "could not create database $name (is local trust auth enabled for user postgres?)"
  fi
}
