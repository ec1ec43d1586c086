/**
 * rolloutControlPlane / rolloutMachineDeployment: `spec.rollout.after` set to the next whole
 * second, then an operation that waits until every machine older than that is replaced.
 */
import type { ControlPlaneView, MachineDeploymentView } from '../src/capi/views.ts';
import { machinesOf } from '../src/provisioning/day2-step-context.ts';
import type { OperationRecord } from '../src/provisioning/operations/operation-record.ts';
import { requestRollout } from '../src/provisioning/rollout-after.ts';
import { rolloutOperationTypes } from '../src/provisioning/rollout-operation.ts';
import type { GatewayContext } from './context.ts';
import { clusterOf, fail, startOperation, targetView, writesFor } from './day2-target.ts';

async function rollout<V extends ControlPlaneView | MachineDeploymentView>(
  ctx: GatewayContext,
  view: V,
): Promise<{ operation: OperationRecord; object: V }> {
  const cluster = await clusterOf(ctx, view);
  const machines = await machinesOf(ctx.reader, view);
  const written = await requestRollout(
    writesFor(ctx, view.address.managementCluster),
    view,
    cluster,
    machines,
    new Date(),
  );
  if (!written.ok) fail(written.error, `${view.address.kind} ${view.address.name}`);
  const operation = await startOperation(ctx, rolloutOperationTypes[view.viewKind], view, {
    after: written.value.after,
    uid: view.uid,
  });
  return { operation, object: view };
}

export async function rolloutControlPlane(ctx: GatewayContext, id: string) {
  return rollout(ctx, await targetView(ctx, id, 'ControlPlane'));
}

export async function rolloutMachineDeployment(ctx: GatewayContext, id: string) {
  return rollout(ctx, await targetView(ctx, id, 'MachineDeployment'));
}
