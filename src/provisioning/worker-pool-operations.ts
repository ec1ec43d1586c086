/**
 * AddMachineDeployment: the pool's MachineDeployment exists (CAPI's topology controller
 * creates it for a topology entry), then its replicas are ready. RemoveMachineDeployment:
 * the MachineDeployment and all its machines are gone; for a plain pool the template copies
 * made when it was added are deleted last.
 */
import { labels } from '../capi/kinds.ts';
import type { ClusterView, MachineDeploymentView, ObjectAddress } from '../capi/views.ts';
import { current, machinesOf, readerOf, writesFor } from './day2-step-context.ts';
import { done, failed, waiting, type OperationType, type StepContext } from './operations/operation-type.ts';
import { replicasSettled } from './rollout-state.ts';
import { topologyEntryLabels } from './scale-replicas.ts';
import { deleteTemplateCopies } from './worker-pools.ts';

export const ADD_MACHINE_DEPLOYMENT = 'AddMachineDeployment';
export const REMOVE_MACHINE_DEPLOYMENT = 'RemoveMachineDeployment';

export interface AddMachineDeploymentInput {
  poolName: string;
  via: 'topology' | 'copy';
  replicas: number;
  clusterUid: string;
}

function addInput(ctx: StepContext): AddMachineDeploymentInput {
  const input = ctx.operation.input as Partial<AddMachineDeploymentInput>;
  return {
    poolName: typeof input.poolName === 'string' ? input.poolName : '',
    via: input.via === 'topology' ? 'topology' : 'copy',
    replicas: typeof input.replicas === 'number' ? input.replicas : 0,
    clusterUid: typeof input.clusterUid === 'string' ? input.clusterUid : '',
  };
}

/** The pool's MachineDeployment: by its topology entry label, or by name for a plain copy. */
async function poolOf(ctx: StepContext): Promise<MachineDeploymentView | null> {
  const input = addInput(ctx);
  const target = ctx.operation.target;
  const cluster = target ? await current<ClusterView>(ctx, target, input.clusterUid) : null;
  if (!cluster) return null;
  const mds = await readerOf(ctx).ofCluster(cluster, 'MachineDeployment');
  return (
    mds.find((md) =>
      input.via === 'topology'
        ? md.labels[topologyEntryLabels.MachineDeployment] === input.poolName
        : md.address.name === input.poolName,
    ) ?? null
  );
}

export const addMachineDeploymentOperation: OperationType = {
  name: ADD_MACHINE_DEPLOYMENT,
  steps: () => [
    {
      name: 'machine-deployment-created',
      async check(ctx) {
        const md = await poolOf(ctx);
        const { poolName } = addInput(ctx);
        return md
          ? done(`MachineDeployment ${md.address.name} exists`)
          : waiting(`waiting for the MachineDeployment of pool '${poolName}'`);
      },
    },
    {
      name: 'replicas-ready',
      async check(ctx) {
        const md = await poolOf(ctx);
        if (!md) return failed(`the MachineDeployment of pool '${addInput(ctx).poolName}' was deleted`);
        const desired = md.desired ?? addInput(ctx).replicas;
        const settled = replicasSettled(md, desired, await machinesOf(readerOf(ctx), md));
        return settled.done
          ? done(`${desired} replicas ready`)
          : waiting(`waiting for ${settled.waitingFor}`);
      },
    },
  ],
};

export interface RemoveMachineDeploymentInput {
  uid: string;
  via: 'topology' | 'delete';
  /** The templates a plain pool's copies are, deleted once it is gone. */
  templates: Array<{ group: string; kind: string; name: string }>;
}

function removeInput(ctx: StepContext): RemoveMachineDeploymentInput {
  const input = ctx.operation.input as Partial<RemoveMachineDeploymentInput>;
  return {
    uid: typeof input.uid === 'string' ? input.uid : '',
    via: input.via === 'topology' ? 'topology' : 'delete',
    templates: Array.isArray(input.templates) ? input.templates : [],
  };
}

async function leftovers(ctx: StepContext, md: ObjectAddress): Promise<string | null> {
  const view = await current<MachineDeploymentView>(ctx, md, removeInput(ctx).uid);
  if (view) return `MachineDeployment ${md.name} is still there (${view.replicas ?? 0} replicas)`;
  const reader = readerOf(ctx);
  const clusters = (await reader.clusters(md.managementCluster)).items;
  const machines = clusters
    .filter((c) => c.address.namespace === md.namespace)
    .flatMap((c) => [...(reader.ofCluster(c, 'Machine') as readonly { labels: Record<string, string> }[])])
    .filter((m) => m.labels[labels.deploymentName] === md.name);
  return machines.length > 0 ? `${machines.length} machine(s) of ${md.name} still being deleted` : null;
}

export const removeMachineDeploymentOperation: OperationType = {
  name: REMOVE_MACHINE_DEPLOYMENT,
  steps: (operation) => [
    {
      name: 'machine-deployment-deleted',
      async check(ctx) {
        const target = ctx.operation.target;
        if (!target) return failed('the operation names no MachineDeployment');
        const left = await leftovers(ctx, target);
        return left ? waiting(left) : done(`MachineDeployment ${target.name} and its machines are gone`);
      },
    },
    ...((operation.input as Partial<RemoveMachineDeploymentInput>).via === 'delete'
      ? [
          {
            name: 'template-copies-deleted',
            act: async (ctx: StepContext) => {
              const target = ctx.operation.target!;
              const deleted = await deleteTemplateCopies(writesFor(ctx), target, removeInput(ctx).templates);
              return deleted.ok
                ? { ok: true as const, value: { message: `${deleted.value} template copies deleted` } }
                : deleted;
            },
            check: () => done(),
          },
        ]
      : []),
  ],
};
