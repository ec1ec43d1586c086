/**
 * Deleting one Machine so that its owner replaces it (a MachineSet or a control plane keeps
 * its replica count; a MachinePool its pool). A machine nobody owns would simply be gone,
 * and the last control-plane machine would take the cluster's etcd with it: both refused.
 * The delete carries the machine's uid as precondition, so a newer machine of the same name
 * is never the one deleted.
 */
import { CAPI_GROUP } from '../capi/kinds.ts';
import type { CapiView, ClusterView, MachineView } from '../capi/views.ts';
import type { DomainError, Result } from '../k8s/domain-error.ts';
import { requireTarget, validationError, type ManagementClusterWrites } from './management-cluster-writes.ts';

export interface DeleteMachineRequest {
  machine: MachineView;
  /** Its controlling owner as the caches see it. */
  owner: CapiView | null;
  /** The owner's other machines (without this one). */
  siblings: readonly MachineView[];
  cluster: ClusterView | null;
}

const replacingOwners = new Set(['MachineSet', 'ControlPlane', 'MachinePool']);

function refusal(request: DeleteMachineRequest): DomainError | null {
  const { machine, owner, siblings, cluster } = request;
  if (machine.deletionTimestamp)
    return { code: 'CONFLICT', message: `Machine ${machine.address.name} is already being deleted` };
  if (!owner || !replacingOwners.has(owner.viewKind))
    return validationError(
      `Machine ${machine.address.name} has no MachineSet, control plane or MachinePool to replace it; deleting it would not bring it back`,
      [{ path: 'id', message: 'the machine has no owner that replaces it' }],
    );
  if (owner.viewKind === 'ControlPlane' && siblings.filter((m) => m.deletionTimestamp === null).length === 0)
    return validationError(
      `Machine ${machine.address.name} is the only control-plane machine: deleting it would lose the cluster's etcd`,
      [{ path: 'id', message: 'the last control-plane machine cannot be deleted' }],
    );
  if (cluster?.paused)
    return {
      code: 'CONFLICT',
      message: `Cluster ${cluster.address.name} is paused: its owner would not replace the machine`,
    };
  return null;
}

export async function deleteMachine(
  writes: ManagementClusterWrites,
  request: DeleteMachineRequest,
): Promise<Result<{ replacedBy: CapiView }>> {
  const refused = refusal(request);
  if (refused) return { ok: false, error: refused };
  const target = requireTarget(writes, { group: CAPI_GROUP, kind: 'Machine' });
  if (!target.ok) return target;
  const { machine } = request;
  const deleted = await writes.writer.delete(
    target.value,
    { namespace: machine.address.namespace, name: machine.address.name },
    { propagationPolicy: 'Background', preconditions: { uid: machine.uid } },
  );
  if (!deleted.ok) return deleted;
  return { ok: true, value: { replacedBy: request.owner! } };
}
