/**
 * The clusterctl provider inventory of the embedded management cluster: the Provider objects
 * (`clusterctl.cluster.x-k8s.io/v1alpha3`) `clusterctl init` leaves behind, one per installed
 * provider in its namespace, which is where tools (and the gateway) read a management cluster's
 * CAPI version from. Written through the API like clusterctl does; a restart leaves them alone
 * unless the version changed (an upgrade).
 */
import type { Result } from '../src/k8s/domain-error.ts';
import type { ResourceTarget } from '../src/k8s/kube-transport.ts';
import { clientNodeWriter, type KubeWriter } from '../src/k8s/kube-writer.ts';
import { loadKubeConfig } from '../src/k8s/kubeconfig.ts';

/** The CAPI release each API generation stands for: v1beta2 is v1.14; v1beta1-only ends at v1.10. */
export const capiReleaseFor = { v1beta2: 'v1.14.0', v1beta1: 'v1.10.4' } as const;

type ProviderType = 'CoreProvider' | 'BootstrapProvider' | 'ControlPlaneProvider' | 'InfrastructureProvider';

interface InventoryEntry {
  providerName: string;
  type: ProviderType;
  namespace: string;
}

/** What the embedded cluster emulates: CAPI core, the kubeadm providers and CAPD (the Dev and Docker kinds). */
const installed: InventoryEntry[] = [
  { providerName: 'cluster-api', type: 'CoreProvider', namespace: 'capi-system' },
  { providerName: 'kubeadm', type: 'BootstrapProvider', namespace: 'capi-kubeadm-bootstrap-system' },
  { providerName: 'kubeadm', type: 'ControlPlaneProvider', namespace: 'capi-kubeadm-control-plane-system' },
  { providerName: 'docker', type: 'InfrastructureProvider', namespace: 'capd-system' },
];

/** clusterctl's ManifestLabel: the object's name and its `cluster.x-k8s.io/provider` label. */
function manifestLabel(entry: InventoryEntry): string {
  switch (entry.type) {
    case 'CoreProvider':
      return entry.providerName;
    case 'BootstrapProvider':
      return `bootstrap-${entry.providerName}`;
    case 'ControlPlaneProvider':
      return `control-plane-${entry.providerName}`;
    case 'InfrastructureProvider':
      return `infrastructure-${entry.providerName}`;
  }
}

/** A type, not an interface: it is passed as a KubeObjectDraft, whose index signature interfaces lack. */
export type ProviderObject = {
  apiVersion: 'clusterctl.cluster.x-k8s.io/v1alpha3';
  kind: 'Provider';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  providerName: string;
  type: ProviderType;
  version: string;
};

/** The inventory `clusterctl init` would write for this release. */
export function inventoryObjects(version: string): ProviderObject[] {
  return installed.map((entry) => ({
    apiVersion: 'clusterctl.cluster.x-k8s.io/v1alpha3',
    kind: 'Provider',
    metadata: {
      name: manifestLabel(entry),
      namespace: entry.namespace,
      labels: {
        'clusterctl.cluster.x-k8s.io': '',
        'clusterctl.cluster.x-k8s.io/core': 'inventory',
        'cluster.x-k8s.io/provider': manifestLabel(entry),
      },
    },
    providerName: entry.providerName,
    type: entry.type,
    version,
  }));
}

export type InventoryResult = { ok: true } | { ok: false; message: string };

const providers: ResourceTarget = {
  group: 'clusterctl.cluster.x-k8s.io',
  version: 'v1alpha3',
  plural: 'providers',
  namespaced: true,
};
const namespaces: ResourceTarget = { group: '', version: 'v1', plural: 'namespaces', namespaced: false };

/** Created, or there already: both fine. */
function createdOrExists(result: Result<unknown>): Result<unknown> {
  return !result.ok && result.error.code === 'ALREADY_EXISTS' ? { ok: true, value: undefined } : result;
}

async function ensureNamespace(writer: KubeWriter, name: string): Promise<Result<unknown>> {
  return createdOrExists(
    await writer.create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
  );
}

async function ensureProvider(writer: KubeWriter, provider: ProviderObject): Promise<Result<unknown>> {
  const { name, namespace } = provider.metadata;
  const created = await writer.create(providers, provider);
  if (created.ok || created.error.code !== 'ALREADY_EXISTS') return created;
  const existing = await writer.read(providers, { namespace, name });
  if (!existing.ok || existing.value['version'] === provider.version) return existing;
  // A data dir from another release: the inventory follows, as after `clusterctl upgrade`.
  return writer.mergePatch(providers, { namespace, name }, { version: provider.version });
}

/** Creates (or brings up to date) the Provider objects of `version` through the API. */
export async function installClusterctlInventory(
  kubeconfigPath: string,
  version: string,
): Promise<InventoryResult> {
  const loaded = loadKubeConfig(kubeconfigPath);
  if (!loaded.ok) return { ok: false, message: loaded.error.message };
  const writer = clientNodeWriter(loaded.value.config);
  for (const provider of inventoryObjects(version)) {
    for (const step of [
      () => ensureNamespace(writer, provider.metadata.namespace),
      () => ensureProvider(writer, provider),
    ]) {
      const done = await step();
      if (!done.ok) return { ok: false, message: done.error.message };
    }
  }
  return { ok: true };
}
