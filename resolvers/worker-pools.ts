/**
 * addMachineDeployment / removeMachineDeployment: a day-2 worker pool, through the topology
 * for ClusterClass clusters, or (plain clusters) a copy of an existing MachineDeployment with
 * its own template copies. See src/provisioning/worker-pools.ts.
 */
import type { ClusterView, MachineDeploymentView } from '../src/capi/views.ts';
import type { OperationRecord } from '../src/provisioning/operations/operation-record.ts';
import {
  ADD_MACHINE_DEPLOYMENT,
  REMOVE_MACHINE_DEPLOYMENT,
} from '../src/provisioning/worker-pool-operations.ts';
import {
  addMachineDeployment as addPool,
  removeMachineDeployment as removePool,
} from '../src/provisioning/worker-pools.ts';
import type { GatewayContext } from './context.ts';
import { ValidationError } from './errors.ts';
import { clusterOf, fail, limitsOf, startOperation, targetView, writesFor } from './day2-target.ts';

export interface AddMachineDeploymentArgs {
  clusterId: string;
  name: string;
  replicas: number;
  class?: string | null;
  from?: string | null;
}

export async function addMachineDeployment(
  ctx: GatewayContext,
  args: AddMachineDeploymentArgs,
): Promise<{ operation: OperationRecord; cluster: ClusterView }> {
  const cluster = await targetView(ctx, args.clusterId, 'Cluster', 'clusterId');
  const source = args.from ? await targetView(ctx, args.from, 'MachineDeployment', 'from') : null;
  const clusterClass = cluster.topology
    ? await ctx.reader.clusterClass(
        cluster.address.managementCluster,
        cluster.topology.classRef.namespace,
        cluster.topology.classRef.name,
      )
    : null;
  const written = await addPool(writesFor(ctx, cluster.address.managementCluster), {
    cluster,
    name: args.name,
    replicas: args.replicas,
    workerClass: args.class ?? null,
    clusterClass,
    source,
    existing: await ctx.reader.ofCluster(cluster, 'MachineDeployment'),
    limits: limitsOf(ctx),
  });
  if (!written.ok) fail(written.error, `Cluster ${cluster.address.name}`);
  const operation = await startOperation(ctx, ADD_MACHINE_DEPLOYMENT, cluster, {
    poolName: written.value.poolName,
    via: written.value.via,
    replicas: args.replicas,
    clusterUid: cluster.uid,
  });
  return { operation, cluster };
}

export async function removeMachineDeployment(
  ctx: GatewayContext,
  id: string,
): Promise<{ operation: OperationRecord; machineDeployment: MachineDeploymentView }> {
  const md = await targetView(ctx, id, 'MachineDeployment');
  const cluster = await clusterOf(ctx, md);
  if (!cluster)
    throw new ValidationError(
      `MachineDeployment ${md.address.name} belongs to no Cluster the gateway knows`,
      [{ path: 'id', message: 'no Cluster found for this MachineDeployment' }],
    );
  const written = await removePool(writesFor(ctx, md.address.managementCluster), { md, cluster });
  if (!written.ok) fail(written.error, `MachineDeployment ${md.address.name}`);
  const templates = [md.infrastructureTemplateRef, md.bootstrapTemplateRef].flatMap((r) =>
    r ? [{ group: r.group, kind: r.kind, name: r.name }] : [],
  );
  const operation = await startOperation(ctx, REMOVE_MACHINE_DEPLOYMENT, md, {
    uid: md.uid,
    via: written.value.via,
    templates,
  });
  return { operation, machineDeployment: md };
}
