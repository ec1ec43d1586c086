/**
 * What day-2 changes need to write to one management cluster: the write verbs and, per kind,
 * the resource to write to (the version its CRD serves, its plural).
 */
import type { GroupKind } from '../k8s/kube-object.ts';
import type { ResourceTarget } from '../k8s/kube-transport.ts';
import type { DomainError, Result } from '../k8s/domain-error.ts';
import type { KubeWriter } from '../k8s/kube-writer.ts';
import { targetOf } from '../k8s/crd-registry.ts';
import type { ManagementClusterConnection } from '../k8s/management-cluster-connection.ts';

export interface ManagementClusterWrites {
  writer: KubeWriter;
  /** The resource of a kind, or null when its CRD is not installed. */
  target(gk: GroupKind): ResourceTarget | null;
}

/** `writer`: the connection's own, or one acting for the requesting user (impersonation). */
export function writesOf(
  connection: ManagementClusterConnection,
  writer: KubeWriter = connection.writer,
): ManagementClusterWrites {
  return {
    writer,
    target: (gk) => {
      const info = connection.crd(gk);
      return info ? targetOf(info) : null;
    },
  };
}

/** The resource of `gk`, or UNAVAILABLE naming the missing CRD. */
export function requireTarget(writes: ManagementClusterWrites, gk: GroupKind): Result<ResourceTarget> {
  const target = writes.target(gk);
  if (target) return { ok: true, value: target };
  const error: DomainError = {
    code: 'UNAVAILABLE',
    message: `the management cluster serves no ${gk.kind}.${gk.group} (its CRD is not installed)`,
  };
  return { ok: false, error };
}

export function validationError(
  message: string,
  fields: Array<{ path: string; message: string }>,
): DomainError {
  return { code: 'VALIDATION', message, fields };
}

export { FIELD_MANAGER } from './field-manager.ts';
