/**
 * RolloutControlPlane / RolloutMachineDeployment: after `spec.rollout.after` was written
 * (by the mutation), wait until no machine created before that moment is left and the
 * replicas are back, ready and up to date.
 */
import type { ControlPlaneView, MachineDeploymentView } from '../capi/views.ts';
import { current, machinesOf, readerOf } from './day2-step-context.ts';
import { done, failed, waiting, type OperationType } from './operations/operation-type.ts';
import { machinesBefore } from './rollout-after.ts';
import { replicasSettled } from './rollout-state.ts';

export const rolloutOperationTypes = {
  ControlPlane: 'RolloutControlPlane',
  MachineDeployment: 'RolloutMachineDeployment',
} as const;

export interface RolloutInput {
  after: string;
  uid: string;
}

function rolloutType(name: string): OperationType {
  return {
    name,
    steps: () => [
      {
        name: 'machines-replaced',
        async check(ctx) {
          const input = ctx.operation.input as Partial<RolloutInput>;
          const after = typeof input.after === 'string' ? input.after : '';
          const target = ctx.operation.target;
          const view = target
            ? await current<ControlPlaneView | MachineDeploymentView>(ctx, target, input.uid ?? '')
            : null;
          if (!view) return failed(`${target?.kind ?? 'object'} ${target?.name ?? ''} no longer exists`);
          const machines = await machinesOf(readerOf(ctx), view);
          const old = machinesBefore(machines, after);
          const desired = view.desired ?? machines.length;
          if (old.length > 0)
            return waiting(
              `${old.length} machine(s) created before ${after} still to replace`,
              desired === 0 ? 0 : Math.max(0, desired - old.length) / desired,
            );
          const settled = replicasSettled(view, desired, machines);
          return settled.done
            ? done(`all ${desired} machines created after ${after}, ready and up to date`)
            : waiting(`waiting for ${settled.waitingFor}`, 0.9);
        },
      },
    ],
  };
}

export const rolloutOperations: OperationType[] = Object.values(rolloutOperationTypes).map(rolloutType);
