/** deleteMachine: the Machine is deleted (uid precondition) and its owner replaces it; an operation follows both. */
import type { CapiView, MachineView } from '../src/capi/views.ts';
import { deleteMachine as deleteMachineWrite } from '../src/provisioning/delete-machine.ts';
import { DELETE_MACHINE } from '../src/provisioning/delete-machine-operation.ts';
import { machinesOf } from '../src/provisioning/day2-step-context.ts';
import type { OperationRecord } from '../src/provisioning/operations/operation-record.ts';
import type { GatewayContext } from './context.ts';
import { clusterOf, fail, startOperation, targetView, writesFor } from './day2-target.ts';

export async function deleteMachine(
  ctx: GatewayContext,
  id: string,
): Promise<{ operation: OperationRecord; machine: MachineView; owner: CapiView }> {
  const machine = await targetView(ctx, id, 'Machine');
  const owner = await ctx.reader.owner(machine);
  const siblings = owner ? (await machinesOf(ctx.reader, owner)).filter((m) => m.uid !== machine.uid) : [];
  const written = await deleteMachineWrite(writesFor(ctx, machine.address.managementCluster), {
    machine,
    owner,
    siblings,
    cluster: await clusterOf(ctx, machine),
  });
  if (!written.ok) fail(written.error, `Machine ${machine.address.name}`);
  const operation = await startOperation(ctx, DELETE_MACHINE, machine, {
    uid: machine.uid,
    owner: { ...written.value.replacedBy.address },
    ownerUid: written.value.replacedBy.uid,
  });
  return { operation, machine, owner: written.value.replacedBy };
}
