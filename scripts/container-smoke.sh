#!/usr/bin/env bash
# Container smoke test: builds the images (infra/docker/build-images.sh), runs infra/compose.yaml
# (api, worker, PostgreSQL, Redis) with podman on ports of its own, checks the containers (non-root,
# read-only root filesystem, healthchecks), runs a reporter submission and a staff read against the
# stack (scripts/container-smoke-client.ts, the repository's own client code), and tears it all
# down, volumes included. Needs root (or rootful podman) and the npm packages installed.
# The release (docs/release.md) is played through with a throwaway release key: the image carries
# the manifest of its web app, the smoke signs those bytes outside any image and mounts the
# signature into the api (as a deployment does); it checks the api refuses to start without it and
# checks the running stack with sauti-verify.
# Not part of .ci/run: it takes minutes (docs/containers.md has the numbers).
#
#   bash scripts/container-smoke.sh            # KEEP=1 leaves the stack running for a look
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
say() { printf '\n== [%3ss] %s\n' "$(( $(date +%s) - started ))" "$*"; }
die() { printf 'container-smoke: %s\n' "$*" >&2; exit 1; }

export CONTAINERS_CONF="${CONTAINERS_CONF:-$PWD/infra/docker/containers.conf}"
[ -d node_modules ] || die "run 'npm ci' first (the smoke client uses packages/client)"

if ! command -v podman-compose >/dev/null; then
  [ "$(id -u)" = 0 ] || die "install podman-compose (sudo apt-get install podman-compose) and try again"
  say "Installing Debian's podman-compose"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman-compose >/dev/null
fi

# A throwaway release key, standing in for the maintainers' offline keys (release-keys.json holds
# none yet). Only its public key goes into the build; the private key stays in this temporary
# directory, which the teardown removes.
release=$(mktemp -d)
trap 'rm -rf "$release"' EXIT
say "A throwaway release key (npm run release:keygen, in $release)"
keygen_out=$(npm run --silent release:keygen -- --out "$release/release.key")
public_key=$(printf '%s\n' "$keygen_out" | sed -n '/^{/,$p' | node -e "process.stdout.write(JSON.parse(require('fs').readFileSync(0,'utf8')).publicKey)")
printf '["%s"]\n' "$public_key" >"$release/keys.json"
echo "  public key $public_key"
export SAUTI_RELEASE_KEYS="[\"$public_key\"]"

say "Building the images"
bash infra/docker/build-images.sh

say "Signing the image's release manifest (npm run release:sign, outside any image)"
image=localhost/sauti:latest
in_image=/app/apps/web/dist/.well-known/sauti
mkdir -p "$release/web/.well-known/sauti"
podman run --rm --network none "$image" cat "$in_image/manifest.json" >"$release/web/.well-known/sauti/manifest.json"
npm run --silent release:sign -- --web-dir "$release/web" --key-file "$release/release.key" | sed 's/^/  /'
export SAUTI_RELEASE_SIGNATURE="$release/web/.well-known/sauti/manifest.json.sig"

say "Without the signature the api refuses to start (NODE_ENV=production)"
set +e
refusal=$(podman run --rm --network none --read-only --tmpfs /tmp \
  -e DATABASE_URL=postgres://sauti@127.0.0.1:1/sauti -e REDIS_URL=redis://127.0.0.1:1 -e SMTP_URL=smtp://127.0.0.1:1 \
  -e PUBLIC_URL=http://localhost -e METRICS_TOKEN=smoke-metrics-token-0123456789 \
  "$image" node apps/api/dist/main.js 2>&1)
code=$?
set -e
[ "$code" != 0 ] || die "the api started without a release signature"
reason=$(printf '%s\n' "$refusal" | grep -o 'manifest.json.sig is missing[^"\\]*' | head -n1) || true
[ -n "$reason" ] || die "the api failed, but not for the missing signature: $refusal"
echo "  ✓ exit status $code: $reason"

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
SAUTI_PORT=$(free_port); SAUTI_PG_PORT=$(free_port)
SAUTI_DB_PASSWORD=$(node -e "console.log(require('crypto').randomBytes(18).toString('base64url'))")
METRICS_TOKEN=$(node -e "console.log(require('crypto').randomBytes(24).toString('base64url'))")
export SAUTI_PORT SAUTI_PG_PORT SAUTI_DB_PASSWORD METRICS_TOKEN
# Mail is queued but never reaches anyone: nothing listens on this port (the smoke sends none).
export SMTP_URL="smtp://127.0.0.1:$(free_port)"
export PUBLIC_URL="http://localhost:$SAUTI_PORT"
export POW_DIFFICULTY=8 LOG_LEVEL=warn
project="sauti-smoke-$$"
compose=(podman-compose --project-name "$project" -f infra/compose.yaml)

teardown() {
  local status=$?
  if [ "${KEEP:-0}" = 1 ]; then
    say "KEEP=1: the stack stays up (project $project); '${compose[*]} down -v' removes it"
    return
  fi
  if [ "$status" != 0 ]; then
    say "Failed: the containers' last log lines"
    for c in $(podman ps -a --filter "label=io.podman.compose.project=$project" --format '{{.Names}}'); do
      echo "--- $c"; podman logs --tail 30 "$c" 2>&1 || true
    done
  fi
  say "Tearing down (containers, volumes, network)"
  "${compose[@]}" down -v >/dev/null 2>&1 || true
  local left
  left=$(podman ps -a --filter "label=io.podman.compose.project=$project" --format '{{.Names}}')
  [ -z "$left" ] || { echo "left behind: $left" >&2; podman rm -f $left >/dev/null || true; }
  for v in $(podman volume ls --filter "label=io.podman.compose.project=$project" --format '{{.Name}}'); do podman volume rm -f "$v" >/dev/null || true; done
  for n in $(podman network ls --filter "label=io.podman.compose.project=$project" --format '{{.Name}}'); do podman network rm -f "$n" >/dev/null || true; done
  rm -rf "$release"
  say "Done in $(( $(date +%s) - started )) s (exit $status)"
}
trap teardown EXIT

say "Starting the stack: api on 127.0.0.1:$SAUTI_PORT, PostgreSQL on 127.0.0.1:$SAUTI_PG_PORT (project $project)"
up_log=$(mktemp)
"${compose[@]}" up -d >"$up_log" 2>&1 || { cat "$up_log"; rm -f "$up_log"; die "podman-compose up failed"; }
rm -f "$up_log"

container() { podman ps -a --filter "label=io.podman.compose.project=$project" --filter "label=com.docker.compose.service=$1" --format '{{.Names}}' | head -n1; }
healthy() { # service timeout
  local c deadline=$(( $(date +%s) + $2 ))
  c=$(container "$1"); [ -n "$c" ] || die "no container for service $1"
  until podman healthcheck run "$c" >/dev/null 2>&1; do
    [ "$(podman inspect --format '{{.State.Running}}' "$c")" = true ] || die "$1 ($c) stopped: $(podman logs --tail 20 "$c" 2>&1)"
    [ "$(date +%s)" -lt "$deadline" ] || die "$1 ($c) not healthy after $2 s"
    sleep 1
  done
  echo "  ✓ $1 healthy ($c)"
}
say "Waiting for the healthchecks"
healthy postgres 90
healthy redis 30
healthy api 120
worker=$(container worker)
[ "$(podman inspect --format '{{.State.Running}}' "$worker")" = true ] || die "worker stopped: $(podman logs --tail 20 "$worker" 2>&1)"
echo "  ✓ worker running ($worker)"

say "Checking the Sauti containers"
for service in api worker; do
  c=$(container "$service")
  uid=$(podman exec "$c" id -u)
  [ "$uid" != 0 ] || die "$service runs as root"
  [ "$(podman inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$c")" = true ] || die "$service: root filesystem is writable"
  if podman exec "$c" sh -c 'touch /app/x' 2>/dev/null; then die "$service could write to /app"; fi
  echo "  ✓ $service: uid $uid ($(podman exec "$c" id -un)), read-only root filesystem, /app not writable"
done
redis_policy=$(podman exec "$(container redis)" redis-cli config get maxmemory-policy | tail -n1)
redis_aof=$(podman exec "$(container redis)" redis-cli config get appendonly | tail -n1)
[ "$redis_policy" = noeviction ] && [ "$redis_aof" = yes ] || die "redis: maxmemory-policy=$redis_policy appendonly=$redis_aof"
echo "  ✓ redis: maxmemory-policy $redis_policy, appendonly $redis_aof"
superuser=$(podman exec "$(container postgres)" psql -h /tmp -d postgres -Atc "SELECT rolsuper FROM pg_roles WHERE rolname = 'sauti'")
[ "$superuser" = f ] || die "postgres: role sauti is a superuser ($superuser)"
echo "  ✓ postgres: the app's role 'sauti' is not a superuser"

say "A reporter submits, the worker triages, an investigator reads (scripts/container-smoke-client.ts)"
npx tsc -b tsconfig.build.json
SMOKE_API_URL="http://127.0.0.1:$SAUTI_PORT" \
SMOKE_DATABASE_URL="postgres://sauti:$SAUTI_DB_PASSWORD@127.0.0.1:$SAUTI_PG_PORT/sauti" \
  npx tsx scripts/container-smoke-client.ts

say "sauti-verify against the stack: signature, every file, every header (--keys: the throwaway key)"
node packages/verify/dist/bin/sauti-verify.js "http://127.0.0.1:$SAUTI_PORT" --keys "$release/keys.json" | sed 's/^/  /'

say "Graceful stop: SIGTERM to api and worker"
for service in api worker; do
  c=$(container "$service")
  podman stop --time 20 "$c" >/dev/null
  code=$(podman inspect --format '{{.State.ExitCode}}' "$c")
  [ "$code" = 0 ] || die "$service exited with $code on SIGTERM"
  echo "  ✓ $service stopped with exit code 0"
done
say "Container smoke passed"
