/**
 * DeleteMachine: the machine (the one with the recorded uid) is gone, then its owner is back
 * at its size with every replica ready and up to date.
 */
import type { CapiView, MachineView } from '../capi/views.ts';
import { addressFromInput, current, machinesOf, readerOf } from './day2-step-context.ts';
import { done, failed, waiting, type OperationType, type StepContext } from './operations/operation-type.ts';
import { replicasSettled } from './rollout-state.ts';

export const DELETE_MACHINE = 'DeleteMachine';

export interface DeleteMachineInput {
  uid: string;
  owner: Record<string, string>;
  ownerUid: string;
}

function inputOf(ctx: StepContext): DeleteMachineInput {
  const input = ctx.operation.input as Partial<DeleteMachineInput>;
  return {
    uid: typeof input.uid === 'string' ? input.uid : '',
    owner: (input.owner ?? {}) as Record<string, string>,
    ownerUid: typeof input.ownerUid === 'string' ? input.ownerUid : '',
  };
}

export const deleteMachineOperation: OperationType = {
  name: DELETE_MACHINE,
  steps: () => [
    {
      name: 'machine-deleted',
      async check(ctx) {
        const target = ctx.operation.target;
        const machine = target ? await current<MachineView>(ctx, target, inputOf(ctx).uid) : null;
        if (!machine) return done(`Machine ${target?.name ?? ''} is gone`);
        return waiting(
          `Machine ${machine.address.name} is ${machine.phase ?? 'being deleted'} (draining and releasing its infrastructure)`,
        );
      },
    },
    {
      name: 'replacement-ready',
      async check(ctx) {
        const { owner, ownerUid } = inputOf(ctx);
        const address = addressFromInput(owner);
        const view = address ? await current<CapiView>(ctx, address, ownerUid) : null;
        if (!view || !('replicas' in view))
          return failed(`the machine's owner ${address?.name ?? ''} no longer exists`);
        const machines = await machinesOf(readerOf(ctx), view);
        const desired = view.desired ?? machines.length;
        const settled = replicasSettled(view, desired, machines);
        return settled.done
          ? done(`${view.address.kind} ${view.address.name} is back at ${desired} ready replicas`)
          : waiting(`waiting for ${settled.waitingFor}`);
      },
    },
  ],
};
