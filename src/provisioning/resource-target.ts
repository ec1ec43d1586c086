import type { ManagementClusterCache } from '../capi/management-cluster-cache.ts';
import { targetOf } from '../k8s/crd-registry.ts';
import type { Result } from '../k8s/domain-error.ts';
import type { GroupKind } from '../k8s/kube-object.ts';
import type { ResourceTarget } from '../k8s/kube-transport.ts';

/** Where to write objects of a kind on one management cluster: the version its caches read. */
export function resourceTargetOf(cache: ManagementClusterCache, gk: GroupKind): Result<ResourceTarget> {
  const info = cache.connection.crd(gk);
  if (!info)
    return {
      ok: false,
      error: {
        code: 'UNAVAILABLE',
        message: `management cluster '${cache.name}' serves no ${gk.kind}.${gk.group} (CRD not installed or not listed yet)`,
      },
    };
  return { ok: true, value: targetOf(info) };
}
