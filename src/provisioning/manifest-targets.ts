import type { ManagementClusterCache } from '../capi/management-cluster-cache.ts';
import { groupOfApiVersion, type KubeObject } from '../k8s/kube-object.ts';
import type { ResourceTarget } from '../k8s/kube-transport.ts';

/** Core kinds a cluster template may carry (no CRD describes them). */
const coreKinds: Record<string, { plural: string; namespaced: boolean }> = {
  Namespace: { plural: 'namespaces', namespaced: false },
  Secret: { plural: 'secrets', namespaced: true },
  ConfigMap: { plural: 'configmaps', namespaced: true },
  ServiceAccount: { plural: 'serviceaccounts', namespaced: true },
};

function versionOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
}

/** Where to write an object of a template, in the API version it is written in; null if not served. */
export function manifestTarget(
  cache: ManagementClusterCache,
  object: Pick<KubeObject, 'apiVersion' | 'kind'>,
): ResourceTarget | null {
  const group = groupOfApiVersion(object.apiVersion);
  const version = versionOf(object.apiVersion);
  if (group === '') {
    const core = coreKinds[object.kind];
    return core && version === 'v1' ? { group: '', version, ...core } : null;
  }
  const info = cache.connection.crd({ group, kind: object.kind });
  if (!info || !info.servedVersions.includes(version)) return null;
  return { group, version, plural: info.plural, namespaced: info.namespaced };
}

export function isNamespaced(
  cache: ManagementClusterCache,
  object: Pick<KubeObject, 'apiVersion' | 'kind'>,
): boolean | null {
  return manifestTarget(cache, object)?.namespaced ?? null;
}
