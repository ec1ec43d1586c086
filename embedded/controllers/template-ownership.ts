/**
 * CAPI's MachineDeployment and KubeadmControlPlane controllers make the Cluster an owner of the
 * templates they reference (unless a ClusterClass owns them), so deleting the Cluster leaves no
 * templates behind.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import { type EngineContext, ensureOwnerReference, updateObject } from './engine-context.ts';
import { readObjectRef } from './machine-factory.ts';

export async function ensureTemplateOwnedByCluster(
  ctx: EngineContext,
  owner: KubeObject,
  path: string,
  cluster: KubeObject,
): Promise<void> {
  const ref = readObjectRef(owner, path);
  if (!ref) return;
  const found = ctx.cache.getRef(ref.apiGroup, ref.kind, owner.metadata.namespace, ref.name);
  if (found.state !== 'found') return;
  const refs = found.object.metadata.ownerReferences ?? [];
  if (refs.some((r) => r.kind === 'ClusterClass' || r.uid === cluster.metadata.uid)) return;
  const kind = ctx.cache.resolve(ref.apiGroup, ref.kind);
  if (!kind) return;
  await updateObject(ctx, kind.type, found.object, (copy) => ensureOwnerReference(copy, cluster, false));
}
