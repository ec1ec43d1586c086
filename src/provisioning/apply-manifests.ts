import type { ManagementClusterCache } from '../capi/management-cluster-cache.ts';
import type { DomainError, FieldViolation, Result } from '../k8s/domain-error.ts';
import { groupOfApiVersion, type KubeObject } from '../k8s/kube-object.ts';
import type { KubeWriter } from '../k8s/kube-writer.ts';
import { FIELD_MANAGER } from './field-manager.ts';
import { manifestTarget } from './manifest-targets.ts';

/**
 * Dependency order: what others reference comes first (namespaces, Secrets and ConfigMaps,
 * ClusterClasses and templates, then the infrastructure and control plane), the Cluster last
 * but for its workers — so a create that stops half-way has written no Cluster, and a retry
 * of the same request finds nothing to conflict with.
 */
function rank(object: KubeObject): number {
  const group = groupOfApiVersion(object.apiVersion);
  if (object.kind === 'Namespace') return 0;
  if (group === '') return 1;
  if (object.kind === 'ClusterClass') return 2;
  if (object.kind.endsWith('Template')) return 3;
  if (group.startsWith('infrastructure.')) return 4;
  if (group.startsWith('bootstrap.')) return 4;
  if (group.startsWith('controlplane.')) return 5;
  if (object.kind === 'Cluster' && group === 'cluster.x-k8s.io') return 7;
  if (group === 'cluster.x-k8s.io') return 8;
  return 6;
}

export function inDependencyOrder(objects: readonly KubeObject[]): KubeObject[] {
  return objects
    .map((object, index) => ({ object, index }))
    .sort((a, b) => rank(a.object) - rank(b.object) || a.index - b.index)
    .map((entry) => entry.object);
}

export function describeObject(object: KubeObject): string {
  return `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;
}

/** A failure of the n-th object: its field paths prefixed with where it is in the manifests. */
function failureOf(error: DomainError, index: number, object: KubeObject, prefix: string): DomainError {
  const fields: FieldViolation[] = (error.fields ?? []).map((f) => ({
    ...f,
    path: `manifests[${index}]${f.path ? `.${f.path}` : ''}`,
  }));
  return {
    ...error,
    message: `${prefix}${describeObject(object)}: ${error.message}`,
    ...(fields.length > 0 || error.code === 'VALIDATION'
      ? { fields: fields.length ? fields : [{ path: `manifests[${index}]`, message: error.message }] }
      : {}),
  };
}

export interface ApplyOptions {
  /** Server-side dry run: every object validated and admitted, nothing stored. */
  dryRun?: boolean;
}

/**
 * Server-side applies the objects in order (field manager capi-gateway). Answers the objects
 * as the server returned them, or the first failure with what was already written: applying
 * the same objects again is idempotent, so the caller can retry.
 */
export async function applyManifests(
  cache: ManagementClusterCache,
  objects: readonly KubeObject[],
  options: ApplyOptions,
  /** As the requester (impersonation), so their RBAC decides what may be created. */
  writer: KubeWriter,
): Promise<Result<KubeObject[]>> {
  const applied: KubeObject[] = [];
  for (const [index, object] of objects.entries()) {
    const target = manifestTarget(cache, object);
    if (!target)
      return {
        ok: false,
        error: {
          code: 'VALIDATION',
          message: `${describeObject(object)}: ${object.apiVersion} ${object.kind} is not served by '${cache.name}'`,
          fields: [{ path: `manifests[${index}]`, message: 'kind not served by the management cluster' }],
        },
      };
    const written = await writer.apply(target, object, {
      fieldManager: FIELD_MANAGER,
      ...(options.dryRun ? { dryRun: true } : {}),
    });
    if (!written.ok) {
      const before = options.dryRun
        ? 'dry run refused '
        : applied.length > 0
          ? `applied ${applied.map(describeObject).join(', ')}; then failed on `
          : 'nothing was applied; failed on ';
      const retry = options.dryRun ? '' : ' (applying the same request again is safe)';
      const failure = failureOf(written.error, index, object, before);
      return { ok: false, error: { ...failure, message: failure.message + retry } };
    }
    applied.push(written.value);
  }
  return { ok: true, value: applied };
}
