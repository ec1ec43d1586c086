/**
 * The clusterctl provider inventory of the embedded management cluster: the Provider objects
 * (`clusterctl.cluster.x-k8s.io/v1alpha3`) `clusterctl init` leaves behind, one per installed
 * provider in its namespace, which is where tools (and the gateway) read a management cluster's
 * CAPI version from. Written through the API like clusterctl does; a restart leaves them alone
 * unless the version changed (an upgrade).
 */
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';

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

export interface ProviderObject {
  apiVersion: 'clusterctl.cluster.x-k8s.io/v1alpha3';
  kind: 'Provider';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  providerName: string;
  type: ProviderType;
  version: string;
}

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

const providers = { group: 'clusterctl.cluster.x-k8s.io', version: 'v1alpha3', plural: 'providers' };

function statusCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

async function ensureNamespace(core: CoreV1Api, name: string): Promise<void> {
  try {
    await core.createNamespace({ body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  } catch (error) {
    if (statusCode(error) !== 409) throw error;
  }
}

async function ensureProvider(custom: CustomObjectsApi, provider: ProviderObject): Promise<void> {
  const { name, namespace } = provider.metadata;
  try {
    await custom.createNamespacedCustomObject({ ...providers, namespace, body: provider });
    return;
  } catch (error) {
    if (statusCode(error) !== 409) throw error;
  }
  const existing = (await custom.getNamespacedCustomObject({ ...providers, namespace, name })) as {
    version?: unknown;
  };
  if (existing.version === provider.version) return;
  // A data dir from another release: the inventory follows, as after `clusterctl upgrade`.
  await custom.patchNamespacedCustomObject(
    { ...providers, namespace, name, body: { version: provider.version } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

/** Creates (or brings up to date) the Provider objects of `version` through the API. */
export async function installClusterctlInventory(
  kubeconfigPath: string,
  version: string,
): Promise<InventoryResult> {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfigPath);
  const core = config.makeApiClient(CoreV1Api);
  const custom = config.makeApiClient(CustomObjectsApi);
  try {
    for (const provider of inventoryObjects(version)) {
      await ensureNamespace(core, provider.metadata.namespace);
      await ensureProvider(custom, provider);
    }
    return { ok: true };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
