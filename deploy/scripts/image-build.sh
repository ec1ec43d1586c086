#!/usr/bin/env bash
# `npm run image:build`: builds the Containerfile with buildah and tags it localhost/capi-gateway:dev.
#
# No container registry is reachable on these machines, so by default the Node base is the local
# stand-in deploy/scripts/image-base.sh makes (Debian bookworm minbase + this machine's Node 20);
# where a registry is reachable, CAPI_GATEWAY_NODE_IMAGE=docker.io/library/node:20-bookworm-slim
# builds on the official image (the Containerfile's default) instead. Layers are cached
# (--layers): a rebuild with the same package-lock.json skips both `npm ci` steps.
#
#   CAPI_GATEWAY_NODE_IMAGE   the base (default: the local stand-in, built when missing)
#   CAPI_GATEWAY_IMAGE        the tag (default localhost/capi-gateway:dev)
#
# RUN steps use chroot isolation (no OCI runtime or namespaces needed; the host's network). When
# this machine's npm trusts an extra CA (npm config cafile, NODE_EXTRA_CA_CERTS: a TLS-inspecting
# egress proxy), the build's `npm ci` steps get it through read-only bind mounts, which are not
# committed to any layer. Prints the image name.
set -euo pipefail
cd "$(dirname "$0")/../.."

image="${CAPI_GATEWAY_IMAGE:-localhost/capi-gateway:dev}"
log() { echo "image-build: $*" >&2; }
if ! command -v buildah >/dev/null 2>&1; then
  log "buildah is not installed (apt-get install buildah mmdebstrap)"
  exit 1
fi

node_image="${CAPI_GATEWAY_NODE_IMAGE:-}"
if [ -z "$node_image" ]; then
  node_image="$(bash deploy/scripts/image-base.sh)"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# npm's global config in the base (node in /usr/local/bin): /usr/local/etc/npmrc, bind-mounted
# into the RUN steps only.
printf 'update-notifier=false\nfund=false\naudit=false\n' >"$work/npmrc"
mounts=(--volume "$work/npmrc:/usr/local/etc/npmrc:ro")
host_ca="${NODE_EXTRA_CA_CERTS:-}"
if [ -z "$host_ca" ] && command -v npm >/dev/null 2>&1; then
  host_ca="$(npm config get cafile 2>/dev/null || true)"
fi
if [ -n "$host_ca" ] && [ "$host_ca" != "null" ] && [ -f "$host_ca" ]; then
  printf 'cafile=/run/capi-gateway-build/ca.crt\n' >>"$work/npmrc"
  mounts+=(--volume "$host_ca:/run/capi-gateway-build/ca.crt:ro")
  log "npm ci trusts $host_ca (this machine's npm cafile)"
fi

log "building $image on $node_image"
buildah build --quiet --layers --isolation chroot \
  --build-arg NODE_IMAGE="$node_image" \
  "${mounts[@]}" \
  -f Containerfile -t "$image" . >&2
echo "$image"
