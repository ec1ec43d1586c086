/**
 * The operations that follow a scale (the write itself happens in the mutation, so a
 * conflicting concurrent scale is answered at once): first the object asks for the new size
 * (for topology clusters, once CAPI's topology controller carried it over), then its
 * replicas exist, are ready and up to date — as the management cluster reports them.
 */
import type { ControlPlaneView, MachineDeploymentView, MachinePoolView } from '../capi/views.ts';
import { current, machinesOf, readerOf } from './day2-step-context.ts';
import type { OperationRecord } from './operations/operation-record.ts';
import {
  done,
  failed,
  waiting,
  type OperationStep,
  type OperationType,
  type StepContext,
} from './operations/operation-type.ts';
import { replicasSettled } from './rollout-state.ts';

export const scaleOperationTypes = {
  ControlPlane: 'ScaleControlPlane',
  MachineDeployment: 'ScaleMachineDeployment',
  MachinePool: 'ScaleMachinePool',
} as const;

type Scaled = ControlPlaneView | MachineDeploymentView | MachinePoolView;

export interface ScaleInput {
  replicas: number;
  /** The object's uid when the scale was written: another object of the same name is not it. */
  uid: string;
  via: 'topology' | 'scale-subresource';
  previousReplicas: number | null;
}

function inputOf(operation: OperationRecord): ScaleInput {
  const input = operation.input as Partial<ScaleInput>;
  return {
    replicas: typeof input.replicas === 'number' ? input.replicas : -1,
    uid: typeof input.uid === 'string' ? input.uid : '',
    via: input.via === 'topology' ? 'topology' : 'scale-subresource',
    previousReplicas: typeof input.previousReplicas === 'number' ? input.previousReplicas : null,
  };
}

async function scaled(ctx: StepContext): Promise<Scaled | null> {
  if (!ctx.operation.target) return null;
  return current<Scaled>(ctx, ctx.operation.target, inputOf(ctx.operation).uid);
}

const requested: OperationStep = {
  name: 'replicas-requested',
  async check(ctx) {
    const view = await scaled(ctx);
    const { replicas, via } = inputOf(ctx.operation);
    if (!view)
      return failed(
        `${ctx.operation.target?.kind ?? 'object'} ${ctx.operation.target?.name ?? ''} no longer exists`,
      );
    if (view.desired === replicas)
      return done(`${view.address.kind} ${view.address.name} asks for ${replicas} replicas`);
    return waiting(
      via === 'topology'
        ? `waiting for the topology controller to set ${replicas} replicas on ${view.address.kind} ${view.address.name}`
        : `waiting for ${view.address.kind} ${view.address.name} to ask for ${replicas} replicas`,
    );
  },
};

const ready: OperationStep = {
  name: 'replicas-ready',
  async check(ctx) {
    const view = await scaled(ctx);
    const { replicas } = inputOf(ctx.operation);
    if (!view)
      return failed(
        `${ctx.operation.target?.kind ?? 'object'} ${ctx.operation.target?.name ?? ''} was deleted`,
      );
    if (view.desired !== null && view.desired !== replicas)
      return failed(`replicas were changed to ${view.desired} by another request`);
    const machines = await machinesOf(readerOf(ctx), view);
    // MachinePools of providers without Machine objects report only counters.
    const settled = replicasSettled(
      view,
      replicas,
      view.viewKind === 'MachinePool' && machines.length === 0 ? null : machines,
    );
    if (settled.done) return done(`${replicas} replicas ready and up to date`);
    const have = Math.min(view.upToDate ?? 0, view.ready ?? 0);
    return waiting(`waiting for ${settled.waitingFor}`, replicas === 0 ? 0 : have / replicas);
  },
};

function scaleType(name: string): OperationType {
  return { name, steps: () => [requested, ready] };
}

export const scaleOperations: OperationType[] = Object.values(scaleOperationTypes).map(scaleType);
