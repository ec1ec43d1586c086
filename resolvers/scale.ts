/**
 * scaleControlPlane / scaleMachineDeployment / scaleMachinePool: validated against the
 * guardrails and the object as the API server has it, written (topology or scale
 * subresource, with a resourceVersion precondition), then followed by an operation.
 */
import type { ControlPlaneView, MachineDeploymentView, MachinePoolView } from '../src/capi/views.ts';
import type { OperationRecord } from '../src/provisioning/operations/operation-record.ts';
import { scaleOperationTypes } from '../src/provisioning/scale-operation.ts';
import { scaleReplicas } from '../src/provisioning/scale-replicas.ts';
import type { GatewayContext } from './context.ts';
import { clusterOf, fail, limitsOf, startOperation, targetView, writesFor } from './day2-target.ts';

export interface ScalePayload<V> {
  operation: OperationRecord;
  object: V;
}

type Scalable = ControlPlaneView | MachineDeploymentView | MachinePoolView;

async function scale<V extends Scalable>(
  ctx: GatewayContext,
  view: V,
  replicas: number,
): Promise<ScalePayload<V>> {
  const cluster = await clusterOf(ctx, view);
  const written = await scaleReplicas(writesFor(ctx, view.address.managementCluster), {
    view,
    cluster,
    replicas,
    limits: limitsOf(ctx),
  });
  if (!written.ok) fail(written.error, `${view.address.kind} ${view.address.name}`);
  const operation = await startOperation(ctx, scaleOperationTypes[view.viewKind], view, {
    replicas,
    uid: view.uid,
    via: written.value.via,
    previousReplicas: written.value.previousReplicas,
  });
  return { operation, object: view };
}

export async function scaleControlPlane(ctx: GatewayContext, id: string, replicas: number) {
  return scale(ctx, await targetView(ctx, id, 'ControlPlane'), replicas);
}

export async function scaleMachineDeployment(ctx: GatewayContext, id: string, replicas: number) {
  return scale(ctx, await targetView(ctx, id, 'MachineDeployment'), replicas);
}

export async function scaleMachinePool(ctx: GatewayContext, id: string, replicas: number) {
  return scale(ctx, await targetView(ctx, id, 'MachinePool'), replicas);
}
