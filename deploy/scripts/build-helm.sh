#!/usr/bin/env bash
# Builds helm from the Go module proxy (helm.sh/helm/v3 cmd/helm at a pinned version) into a cache
# directory outside git, like test/realcluster/build.sh builds the real management cluster. A warm
# run is a no-op. Prints the binary's path on stdout.
#
#   CAPI_GATEWAY_CACHE   cache root (default ~/.cache/capi-gateway); helm goes to
#                        $CAPI_GATEWAY_CACHE/helm/<version>/helm
set -euo pipefail

version="v3.19.0"
cache_root="${CAPI_GATEWAY_CACHE:-$HOME/.cache/capi-gateway}"
dest_dir="$cache_root/helm/$version"
helm_bin="$dest_dir/helm"

if [ -x "$helm_bin" ]; then
  echo "$helm_bin"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "build-helm: Go is not installed; helm cannot be built" >&2
  exit 1
fi

# Only the module proxy is reachable: never fall back to fetching from VCS hosts.
export GOPROXY="${GOPROXY:-https://proxy.golang.org}"
mkdir -p "$dest_dir"
GOBIN="$dest_dir" go install "helm.sh/helm/v3/cmd/helm@$version" >&2
echo "$helm_bin"
