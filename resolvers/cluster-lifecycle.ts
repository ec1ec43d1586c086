import type { ClusterView } from '../src/capi/views.ts';
import type { ManagementClusterCache } from '../src/capi/management-cluster-cache.ts';
import { controlPlaneMachinesLeft, workersLeft } from '../src/provisioning/cluster-members.ts';
import { clearClusterPaused, deleteCluster, setClusterPaused } from '../src/provisioning/cluster-writes.ts';
import type { DeleteClusterInput } from '../src/provisioning/delete-cluster.ts';
import type { Result } from '../src/k8s/domain-error.ts';
import type { OperationRecord } from '../src/provisioning/operations/operation-record.ts';
import type { GatewayContext } from './context.ts';
import { toGraphQLError } from './domain-errors.ts';
import { ConflictError } from './errors.ts';
import { clusterFromId, describe } from './mutation-target.ts';
import { recordOperation } from './record-operation.ts';

export interface ClusterOperationPayload {
  operation: OperationRecord;
  /** The Cluster as the write left it (null once deleted). */
  cluster: ClusterView | null;
}

/**
 * The mutation's write is made here, so its failure (forbidden, conflict, refused by
 * admission) is the caller's typed error and nothing is recorded; the operation is recorded
 * after it, and its first step repeats the same idempotent write if a driver resumes it.
 */
async function writeThenRecord(
  ctx: GatewayContext,
  cluster: ClusterView,
  type: string,
  write: () => Promise<Result<ClusterView | null>>,
  input: Record<string, unknown> = {},
): Promise<ClusterOperationPayload> {
  const written = await write();
  if (!written.ok) throw toGraphQLError(written.error, describe(cluster.address));
  const operation = await recordOperation(ctx, {
    managementCluster: cluster.address.managementCluster,
    namespace: cluster.address.namespace,
    type,
    target: cluster.address,
    input: { cluster: cluster.address.name, ...input },
  });
  return { operation, cluster: written.value };
}

export function pauseCluster(ctx: GatewayContext, id: string): Promise<ClusterOperationPayload> {
  const { view, cache } = clusterFromId(ctx, id);
  return writeThenRecord(ctx, view, 'PauseCluster', () =>
    setClusterPaused(cache, view.address, cache.connection.writerAs(ctx.identity)),
  );
}

export function resumeCluster(ctx: GatewayContext, id: string): Promise<ClusterOperationPayload> {
  const { view, cache } = clusterFromId(ctx, id);
  return writeThenRecord(ctx, view, 'ResumeCluster', () =>
    clearClusterPaused(cache, view.address, cache.connection.writerAs(ctx.identity)),
  );
}

function deleteInput(cache: ManagementClusterCache, cluster: ClusterView): DeleteClusterInput {
  const workers = workersLeft(cache, cluster.address);
  const mc = cluster.address.managementCluster;
  return {
    workerMachines: workers.machines,
    controlPlaneMachines: controlPlaneMachinesLeft(cache, cluster.address),
    controlPlane: cluster.controlPlaneRef ? { managementCluster: mc, ...cluster.controlPlaneRef } : null,
    infrastructure: cluster.infrastructureRef
      ? { managementCluster: mc, ...cluster.infrastructureRef }
      : null,
  };
}

export function deleteClusterMutation(ctx: GatewayContext, id: string): Promise<ClusterOperationPayload> {
  const { view, cache } = clusterFromId(ctx, id);
  if (view.deletionTimestamp) throw new ConflictError(`${describe(view.address)} is already being deleted`);
  // CAPI does not reconcile a paused Cluster, its deletion included: it would wait for ever.
  if (view.paused)
    throw new ConflictError(`${describe(view.address)} is paused: resume it before deleting it`);
  const writer = cache.connection.writerAs(ctx.identity);
  return writeThenRecord(ctx, view, 'DeleteCluster', () => deleteCluster(cache, view.address, writer), {
    ...deleteInput(cache, view),
  });
}
