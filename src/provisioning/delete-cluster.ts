import { coreKinds } from '../capi/kinds.ts';
import type { ObjectAddress } from '../capi/views.ts';
import { controlPlaneMachinesLeft, workersLeft } from './cluster-members.ts';
import { deleteCluster } from './cluster-writes.ts';
import { done, waiting, type OperationType, type StepContext } from './operations/operation-type.ts';

/** What the resolver records when the deletion is requested (progress is measured against it). */
export interface DeleteClusterInput {
  workerMachines: number;
  controlPlaneMachines: number;
  controlPlane: ObjectAddress | null;
  infrastructure: ObjectAddress | null;
}

function inputOf(ctx: StepContext): DeleteClusterInput {
  const input = ctx.operation.input as Partial<DeleteClusterInput>;
  return {
    workerMachines: input.workerMachines ?? 0,
    controlPlaneMachines: input.controlPlaneMachines ?? 0,
    controlPlane: input.controlPlane ?? null,
    infrastructure: input.infrastructure ?? null,
  };
}

function share(left: number, initial: number): number {
  return initial > 0 ? 1 - Math.min(left, initial) / initial : 0;
}

/**
 * Deleting a Cluster, as CAPI does it: workers first, then the control plane, then the
 * infrastructure, then the Cluster's own finalizer goes.
 */
export const deleteClusterOperation: OperationType = {
  name: 'DeleteCluster',
  steps: () => [
    {
      name: 'deletion requested',
      act: async (ctx) => {
        const deleted = await deleteCluster(ctx.cache, ctx.operation.target!, ctx.writer);
        return deleted.ok ? { ok: true, value: {} } : deleted;
      },
      check: (ctx) => {
        const cluster = ctx.cache.get(ctx.operation.target!);
        return !cluster || cluster.deletionTimestamp
          ? done()
          : waiting('waiting for the Cluster to be marked deleted');
      },
    },
    {
      name: 'workers deleted',
      check: (ctx) => {
        const left = workersLeft(ctx.cache, ctx.operation.target!);
        const total = left.machineDeployments + left.machinePools + left.machines;
        if (total === 0) return done();
        return waiting(
          `${left.machines} worker machine(s), ${left.machineDeployments} MachineDeployment(s), ${left.machinePools} MachinePool(s) left`,
          share(left.machines, inputOf(ctx).workerMachines),
        );
      },
    },
    {
      name: 'control plane deleted',
      check: (ctx) => {
        const { controlPlane, controlPlaneMachines } = inputOf(ctx);
        const machines = controlPlaneMachinesLeft(ctx.cache, ctx.operation.target!);
        const object = controlPlane ? ctx.cache.get(controlPlane) : null;
        if (machines === 0 && !object) return done();
        return waiting(
          `${machines} control-plane machine(s) left${object ? `, ${object.address.kind} ${object.address.name} still there` : ''}`,
          share(machines, controlPlaneMachines),
        );
      },
    },
    {
      name: 'infrastructure deleted',
      check: (ctx) => {
        const { infrastructure } = inputOf(ctx);
        const object = infrastructure ? ctx.cache.get(infrastructure) : null;
        return object ? waiting(`${object.address.kind} ${object.address.name} still there`) : done();
      },
    },
    {
      name: 'cluster deleted',
      check: (ctx) =>
        ctx.cache.get({ ...ctx.operation.target!, group: coreKinds.Cluster.group })
          ? waiting('waiting for the Cluster object to be gone')
          : done(),
    },
  ],
};
