#!/usr/bin/env bash
# Builds the real management cluster's binaries (etcd, kube-apiserver, kube-controller-manager,
# the Cluster API managers) and clusterctl from the Go modules pinned in k8s/go.mod and
# capi/go.mod, into a cache directory outside git. A stamp of the pinned versions makes a warm
# run a no-op.
#
#   CAPI_GATEWAY_CACHE   cache root (default ~/.cache/capi-gateway); binaries go to
#                        $CAPI_GATEWAY_CACHE/realcluster/bin
#   REALCLUSTER_FORCE=1  rebuild even when the stamp matches
#   REALCLUSTER_ONLY=RE  build only the binaries whose name matches RE (for development)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cache_root="${CAPI_GATEWAY_CACHE:-$HOME/.cache/capi-gateway}"
bin_dir="$cache_root/realcluster/bin"
stamp_file="$bin_dir/.stamp"

if ! command -v go >/dev/null 2>&1; then
  echo "realcluster:build: Go is not installed; the real management cluster cannot be built" >&2
  exit 1
fi

# Only the module proxy is reachable: never fall back to fetching from VCS hosts.
export GOPROXY="${GOPROXY:-https://proxy.golang.org}"
export GOFLAGS="-mod=mod ${GOFLAGS:-}"

# name:module-dir:package — one binary each.
binaries=(
  "etcd:k8s:go.etcd.io/etcd/server/v3"
  "kube-apiserver:k8s:k8s.io/kubernetes/cmd/kube-apiserver"
  "kube-controller-manager:k8s:k8s.io/kubernetes/cmd/kube-controller-manager"
  "capi-core:capi:sigs.k8s.io/cluster-api/core"
  "capi-kubeadm-bootstrap:capi:sigs.k8s.io/cluster-api/bootstrap/kubeadm"
  "capi-kubeadm-control-plane:capi:sigs.k8s.io/cluster-api/controlplane/kubeadm"
  "capi-docker:capi:sigs.k8s.io/cluster-api/test/infrastructure/docker"
  "clusterctl:capi:sigs.k8s.io/cluster-api/cmd/clusterctl"
)

stamp() {
  {
    go version
    printf '%s\n' "${binaries[@]}"
    cat "$0" "$here/k8s/go.mod" "$here/capi/go.mod"
  } | sha256sum | cut -d' ' -f1
}

all_present() {
  local entry
  for entry in "${binaries[@]}"; do
    [ -x "$bin_dir/${entry%%:*}" ] || return 1
  done
  [ -f "$cache_root/realcluster/config/core/webhook/manifests.yaml" ]
}

# Two upstream servers bind every interface on fixed ports: the in-memory backend's workload
# cluster API servers and debug server (":20000"..., ":19000"), and controller-runtime's webhook
# server (host ""). Tests must stay on loopback and two real clusters must be able to run at
# once, so the CAPI build uses patched copies of those two modules (made here, outside git,
# from the module cache) through a generated -modfile; the committed go.mod stays pristine.
patch_dir="$cache_root/realcluster/patched"
capi_modfile="$patch_dir/go.mod"

module_dir_of() { (cd "$here/capi" && go list -m -f '{{.Dir}}' "$1"); }

copy_module() {
  local src="$1" dest="$2"
  rm -rf "$dest"
  mkdir -p "$(dirname "$dest")"
  cp -R "$src" "$dest"
  chmod -R u+w "$dest"
}

# sed that fails when the pattern is absent, so an upstream change cannot slip through unpatched.
patch_file() {
  local file="$1" from="$2" to="$3" want="$4"
  local found
  found="$(grep -cF -- "$from" "$file" || true)"
  if [ "$found" != "$want" ]; then
    echo "realcluster:build: expected $want occurrence(s) of '$from' in $file, found $found" >&2
    exit 1
  fi
  FROM="$from" TO="$to" perl -0pi -e 's/\Q$ENV{FROM}\E/$ENV{TO}/g' "$file"
}

prepare_loopback_patches() {
  (cd "$here/capi" && go mod download)
  local mux_src cr_src
  mux_src="$(module_dir_of sigs.k8s.io/cluster-api/test)"
  cr_src="$(module_dir_of sigs.k8s.io/controller-runtime)"
  copy_module "$mux_src" "$patch_dir/cluster-api-test"
  copy_module "$cr_src" "$patch_dir/controller-runtime"

  local mux="$patch_dir/cluster-api-test/infrastructure/inmemory/pkg/server/mux.go"
  patch_file "$mux" 'net.Listen("tcp", fmt.Sprintf(":%d", ' 'net.Listen("tcp", fmt.Sprintf(capiGatewayListenHost()+":%d", ' 3
  patch_file "$mux" 'MinPort:   DefaultMinPort,' 'MinPort:   capiGatewayPortFromEnv("CAPI_INMEMORY_MIN_PORT", DefaultMinPort),' 1
  patch_file "$mux" 'MaxPort:   DefaultMaxPort,' 'MaxPort:   capiGatewayPortFromEnv("CAPI_INMEMORY_MAX_PORT", DefaultMaxPort),' 1
  patch_file "$mux" 'DebugPort: DefaultDebugPort,' 'DebugPort: capiGatewayPortFromEnv("CAPI_INMEMORY_DEBUG_PORT", 0),' 1
  cat >"$(dirname "$mux")/zz_capi_gateway_loopback.go" <<'GO'
package server

import (
	"os"
	"strconv"
)

// Added by capi-gateway's test/realcluster/build.sh: listen on POD_IP (loopback in tests)
// instead of every interface, and take the port range from the environment.
func capiGatewayListenHost() string {
	if ip := os.Getenv("POD_IP"); ip != "" {
		return ip
	}
	return "127.0.0.1"
}

func capiGatewayPortFromEnv(name string, fallback int32) int32 {
	if v, err := strconv.ParseInt(os.Getenv(name), 10, 32); err == nil {
		return int32(v)
	}
	return fallback
}
GO

  local server="$patch_dir/controller-runtime/pkg/webhook/server.go"
  patch_file "$server" 'net.JoinHostPort(s.Options.Host, ' 'net.JoinHostPort(capiGatewayWebhookHost(s.Options.Host), ' 2
  cat >"$(dirname "$server")/zz_capi_gateway_loopback.go" <<'GO'
package webhook

import "os"

// Added by capi-gateway's test/realcluster/build.sh: the CAPI managers have no flag for the
// webhook host, so an empty host means WEBHOOK_HOST (default 127.0.0.1), not every interface.
func capiGatewayWebhookHost(host string) string {
	if host != "" {
		return host
	}
	if h := os.Getenv("WEBHOOK_HOST"); h != "" {
		return h
	}
	return "127.0.0.1"
}
GO

  cp "$here/capi/go.mod" "$capi_modfile"
  cp "$here/capi/go.sum" "$patch_dir/go.sum"
  (cd "$here/capi" && go mod edit -modfile="$capi_modfile" \
    -replace "sigs.k8s.io/cluster-api/test=$patch_dir/cluster-api-test" \
    -replace "sigs.k8s.io/controller-runtime=$patch_dir/controller-runtime")
}

# Release builds stamp their version in with -X; without it kube-apiserver reports
# v0.0.0-master and the CAPI managers refuse it ("minimum required version is v1.22.0").
version_x() {
  local pkg="$1" version="$2" major minor
  major="${version#v}"
  major="${major%%.*}"
  minor="${version#v*.}"
  minor="${minor%%.*}"
  echo "-X $pkg.gitVersion=$version -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
}
version_ldflags() {
  local version
  case "$1" in
    k8s)
      version="$(cd "$here/k8s" && go list -m -f '{{.Version}}' k8s.io/kubernetes)"
      echo "$(version_x k8s.io/component-base/version "$version") $(version_x k8s.io/client-go/pkg/version "$version")"
      ;;
    capi)
      version="$(cd "$here/capi" && go list -m -f '{{.Version}}' sigs.k8s.io/cluster-api)"
      version_x sigs.k8s.io/cluster-api/version "$version"
      ;;
  esac
}

wanted="$(stamp)"
if [ "${REALCLUSTER_FORCE:-0}" != 1 ] && all_present && [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$wanted" ]; then
  echo "realcluster:build: binaries up to date in $bin_dir"
  exit 0
fi

mkdir -p "$bin_dir"
rm -f "$stamp_file"
started=$SECONDS
prepare_loopback_patches
for entry in "${binaries[@]}"; do
  name="${entry%%:*}"
  rest="${entry#*:}"
  module_dir="${rest%%:*}"
  package="${rest#*:}"
  if [ -n "${REALCLUSTER_ONLY:-}" ] && ! [[ "$name" =~ $REALCLUSTER_ONLY ]]; then
    continue
  fi
  step=$SECONDS
  echo "realcluster:build: $name ($package)"
  # nice: the build must not starve test suites sharing the 2 cores; the Go build cache
  # shares compiled packages between the binaries of one module.
  modfile_flag=()
  [ "$module_dir" = capi ] && modfile_flag=(-modfile="$capi_modfile")
  (cd "$here/$module_dir" && nice -n 10 go build "${modfile_flag[@]}" -trimpath \
    -ldflags="-s -w $(version_ldflags "$module_dir")" -o "$bin_dir/$name.tmp" "$package")
  mv "$bin_dir/$name.tmp" "$bin_dir/$name"
  echo "realcluster:build: $name done in $((SECONDS - step))s"
done
# The fixture installs CRDs and webhook configurations from the same module versions the
# managers are built from; copy them next to the binaries so it needs no Go at run time.
config_dir="$cache_root/realcluster/config"
copy_config() {
  local root test_root provider src
  root="$(module_dir_of sigs.k8s.io/cluster-api)"
  test_root="$(module_dir_of sigs.k8s.io/cluster-api/test)"
  rm -rf "$config_dir"
  for provider in core:"$root/core" bootstrap-kubeadm:"$root/bootstrap/kubeadm" \
    control-plane-kubeadm:"$root/controlplane/kubeadm" infrastructure-docker:"$test_root/infrastructure/docker"; do
    src="${provider#*:}/config"
    mkdir -p "$config_dir/${provider%%:*}"
    cp -R "$src/crd" "$src/webhook" "$config_dir/${provider%%:*}/"
  done
  chmod -R u+w "$config_dir"
}
copy_config

if [ -n "${REALCLUSTER_ONLY:-}" ]; then
  echo "realcluster:build: built the binaries matching '$REALCLUSTER_ONLY' in $((SECONDS - started))s (no stamp written)"
  exit 0
fi
echo "$wanted" >"$stamp_file"
echo "realcluster:build: all binaries built in $((SECONDS - started))s into $bin_dir"
