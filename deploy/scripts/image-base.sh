#!/usr/bin/env bash
# Builds a local stand-in for docker.io/library/node:20-bookworm-slim without any container
# registry: a minimal Debian bookworm rootfs from the Debian mirror (mmdebstrap, minbase) plus the
# Node this machine runs (its binary, npm, npx and corepack), with the official image's uid/gid
# 1000 user `node`, committed with buildah as localhost/capi-gateway-node-base:20. A warm run (the
# image exists, built from the same Node version) is a no-op; --force rebuilds.
#
#   bash deploy/scripts/image-base.sh [--force]
#
# Needs root, buildah and mmdebstrap (apt-get install buildah mmdebstrap). Prints the image name.
#
#   CAPI_GATEWAY_BASE_IMAGE     the tag to commit (default localhost/capi-gateway-node-base:20)
#   CAPI_GATEWAY_DEBIAN_MIRROR  the Debian mirror (default http://deb.debian.org/debian)
set -euo pipefail

image="${CAPI_GATEWAY_BASE_IMAGE:-localhost/capi-gateway-node-base:20}"
mirror="${CAPI_GATEWAY_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security_mirror="${CAPI_GATEWAY_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
force=false
[ "${1:-}" = "--force" ] && force=true

log() { echo "image-base: $*" >&2; }
for tool in buildah mmdebstrap node; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    log "$tool is not installed (apt-get install buildah mmdebstrap)"
    exit 1
  fi
done

node_bin="$(readlink -f "$(command -v node)")"
node_version="$("$node_bin" -v)"
case "$node_version" in
  v20.*) ;;
  *) log "this machine runs Node $node_version; the image needs Node 20"; exit 1 ;;
esac
# npm and corepack live beside the binary: <prefix>/bin/node and <prefix>/lib/node_modules.
node_modules_dir="$(dirname "$(dirname "$node_bin")")/lib/node_modules"
if [ ! -f "$node_modules_dir/npm/bin/npm-cli.js" ]; then
  log "npm not found in $node_modules_dir"
  exit 1
fi

if ! $force && buildah inspect --type image "$image" >/dev/null 2>&1; then
  built_with="$(buildah inspect --type image --format '{{index .OCIv1.Config.Labels "org.capi-gateway.node-version"}}' "$image")"
  if [ "$built_with" = "$node_version" ]; then
    echo "$image"
    exit 0
  fi
  log "$image was built with Node $built_with; rebuilding with $node_version"
fi

work="$(mktemp -d)"
container=""
cleanup() {
  [ -n "$container" ] && buildah rm "$container" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# minbase: Essential packages and apt, as debian:bookworm-slim. merged-/usr the debootstrap way
# (no usrmerge package, which would pull in perl). No docs, man pages or locales, as the slim images.
# libstdc++6: node's only library beyond libc (ldd).
log "bootstrapping Debian bookworm (minbase) from $mirror"
mmdebstrap --quiet --variant=minbase \
  --include=ca-certificates,libstdc++6 \
  --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  bookworm "$work/rootfs.tar" \
  "deb $mirror bookworm main" \
  "deb $mirror bookworm-updates main" \
  "deb $security_mirror bookworm-security main" >"$work/mmdebstrap.log" 2>&1 || {
  tail -n 40 "$work/mmdebstrap.log" >&2
  log "mmdebstrap failed"
  exit 1
}

log "committing $image with Node $node_version from $node_bin"
container="$(buildah from scratch)"
mnt="$(buildah mount "$container")"
tar -xf "$work/rootfs.tar" -C "$mnt"
# The official image's layout: /usr/local/bin/node, /usr/local/lib/node_modules/{npm,corepack}.
install -D -m 0755 "$node_bin" "$mnt/usr/local/bin/node"
mkdir -p "$mnt/usr/local/lib/node_modules"
cp -a "$node_modules_dir/npm" "$mnt/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$mnt/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$mnt/usr/local/bin/npx"
if [ -d "$node_modules_dir/corepack" ]; then
  cp -a "$node_modules_dir/corepack" "$mnt/usr/local/lib/node_modules/corepack"
  ln -s ../lib/node_modules/corepack/dist/corepack.js "$mnt/usr/local/bin/corepack"
fi
# The official image's user: groupadd --gid 1000 node && useradd --uid 1000 --gid node
# --shell /bin/bash --create-home node (written directly: minbase has no useradd).
echo 'node:x:1000:' >>"$mnt/etc/group"
echo 'node:!::' >>"$mnt/etc/gshadow"
echo 'node:x:1000:1000::/home/node:/bin/bash' >>"$mnt/etc/passwd"
echo "node:!:$(($(date +%s) / 86400)):0:99999:7:::" >>"$mnt/etc/shadow"
install -d -m 0755 -o 1000 -g 1000 "$mnt/home/node"
chroot "$mnt" /usr/local/bin/node -e 'process.exit(0)'
buildah umount "$container" >/dev/null

buildah config \
  --env NODE_VERSION="${node_version#v}" \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --cmd '["node"]' \
  --label org.capi-gateway.node-version="$node_version" \
  --label org.opencontainers.image.description="Debian bookworm minbase + Node $node_version (stand-in for node:20-bookworm-slim)" \
  "$container"
buildah commit --quiet --rm "$container" "$image" >/dev/null
container=""
echo "$image"
