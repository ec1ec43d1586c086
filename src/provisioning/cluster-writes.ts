import { coreKinds, pausedAnnotation } from '../capi/kinds.ts';
import type { ManagementClusterCache } from '../capi/management-cluster-cache.ts';
import { normaliseCluster } from '../capi/normalise/cluster.ts';
import type { ClusterView, ObjectAddress } from '../capi/views.ts';
import type { Result } from '../k8s/domain-error.ts';
import type { KubeWriter } from '../k8s/kube-writer.ts';
import { FIELD_MANAGER } from './field-manager.ts';
import { resourceTargetOf } from './resource-target.ts';

// Every write takes its writer: the requester's (impersonation) from mutations and operation
// steps; none falls back to the gateway's own identity unnoticed.

/** The Cluster as the API server answered a write, in the view queries use. */
function viewOf(cache: ManagementClusterCache, object: Parameters<typeof normaliseCluster>[0]): ClusterView {
  return normaliseCluster(object, cache.name);
}

async function patchCluster(
  cache: ManagementClusterCache,
  cluster: ObjectAddress,
  patch: Record<string, unknown>,
  writer: KubeWriter,
): Promise<Result<ClusterView>> {
  const target = resourceTargetOf(cache, coreKinds.Cluster);
  if (!target.ok) return target;
  const patched = await writer.mergePatch(
    target.value,
    { namespace: cluster.namespace, name: cluster.name },
    patch,
    { fieldManager: FIELD_MANAGER },
  );
  return patched.ok ? { ok: true, value: viewOf(cache, patched.value) } : patched;
}

/** spec.paused = true (v1beta1 and v1beta2 alike). Setting it again changes nothing. */
export function setClusterPaused(cache: ManagementClusterCache, cluster: ObjectAddress, writer: KubeWriter) {
  return patchCluster(cache, cluster, { spec: { paused: true } }, writer);
}

/**
 * Clears both ways a Cluster is paused: spec.paused and the `cluster.x-k8s.io/paused`
 * annotation, which CAPI honours whatever its value.
 */
export function clearClusterPaused(
  cache: ManagementClusterCache,
  cluster: ObjectAddress,
  writer: KubeWriter,
) {
  return patchCluster(
    cache,
    cluster,
    { metadata: { annotations: { [pausedAnnotation]: null } }, spec: { paused: false } },
    writer,
  );
}

/**
 * Deletes the Cluster (CAPI's finalizer then deletes workers, control plane and
 * infrastructure in order). Answers the Cluster while it is being deleted, or null once gone;
 * one already gone is not an error (a resumed operation deletes again).
 */
export async function deleteCluster(
  cache: ManagementClusterCache,
  cluster: ObjectAddress,
  writer: KubeWriter,
): Promise<Result<ClusterView | null>> {
  const target = resourceTargetOf(cache, coreKinds.Cluster);
  if (!target.ok) return target;
  const deleted = await writer.delete(
    target.value,
    { namespace: cluster.namespace, name: cluster.name },
    { propagationPolicy: 'Background' },
  );
  if (!deleted.ok) return deleted.error.code === 'NOT_FOUND' ? { ok: true, value: null } : deleted;
  return { ok: true, value: deleted.value ? viewOf(cache, deleted.value) : null };
}
