import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The binaries build.sh puts in the cache, by the name the fixture starts them under. */
export const binaryNames = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'capi-core',
  'capi-kubeadm-bootstrap',
  'capi-kubeadm-control-plane',
  'capi-docker',
] as const;
export type BinaryName = (typeof binaryNames)[number];

/** Provider folders build.sh copies from the modules (each with crd/ and webhook/). */
export const providerNames = [
  'core',
  'bootstrap-kubeadm',
  'control-plane-kubeadm',
  'infrastructure-docker',
] as const;
export type ProviderName = (typeof providerNames)[number];

export interface RealClusterInstall {
  binaries: Record<BinaryName, string>;
  /** `<configDir>/<provider>/crd/...` and `<configDir>/<provider>/webhook/manifests.yaml`. */
  configDir: string;
}

export type InstallLookup = { ok: true; install: RealClusterInstall } | { ok: false; reason: string };

export function realClusterCacheDir(): string {
  return join(process.env.CAPI_GATEWAY_CACHE ?? join(homedir(), '.cache', 'capi-gateway'), 'realcluster');
}

/** Finds what `npm run realcluster:build` built; says what is missing otherwise. */
export function findRealClusterInstall(): InstallLookup {
  const root = realClusterCacheDir();
  const binDir = join(root, 'bin');
  const configDir = join(root, 'config');
  if (!existsSync(join(binDir, '.stamp'))) {
    return {
      ok: false,
      reason: `binaries not built (no ${join(binDir, '.stamp')}; run npm run realcluster:build)`,
    };
  }
  const binaries = Object.fromEntries(binaryNames.map((name) => [name, join(binDir, name)])) as Record<
    BinaryName,
    string
  >;
  const missing = binaryNames.filter((name) => !existsSync(binaries[name]));
  if (missing.length > 0)
    return { ok: false, reason: `missing binaries in ${binDir}: ${missing.join(', ')}` };
  const missingConfig = providerNames.filter(
    (p) => !existsSync(join(configDir, p, 'webhook', 'manifests.yaml')),
  );
  if (missingConfig.length > 0) {
    return { ok: false, reason: `missing provider config in ${configDir}: ${missingConfig.join(', ')}` };
  }
  return { ok: true, install: { binaries, configDir } };
}

/**
 * The clusterctl build.sh builds from the same CAPI release as the managers (a test compares the
 * CLI's describe tree with it); it is no part of the cluster, so the fixture does not need it.
 */
export function findClusterctl(): { ok: true; path: string } | { ok: false; reason: string } {
  const path = join(realClusterCacheDir(), 'bin', 'clusterctl');
  return existsSync(path)
    ? { ok: true, path }
    : { ok: false, reason: `no clusterctl at ${path} (run npm run realcluster:build)` };
}
