/**
 * The deletion step MachineDeployments and MachineSets share: delete every child, report
 * `Deleting` while any is left, then release the owner's finalizer (CAPI's reconcileDelete).
 */
import type { KubeObject } from '../apiserver/admission.ts';
import {
  type EngineContext,
  deleteObject,
  removeFinalizer,
  setConditions,
  updateObject,
  updateStatus,
} from './engine-context.ts';
import type { ResourceType } from './kube-client.ts';
import type { ReconcileResult } from './work-queue.ts';

export interface DeleteChildrenStep {
  ownerType: ResourceType;
  childType: ResourceType;
  finalizer: string;
  /** Plural noun for the condition message, e.g. `MachineSets`. */
  childrenNoun: string;
}

export async function deleteChildrenThenFinalizer(
  ctx: EngineContext,
  step: DeleteChildrenStep,
  owner: KubeObject,
  children: KubeObject[],
): Promise<ReconcileResult> {
  for (const child of children) await deleteObject(ctx, step.childType, child);
  await updateStatus(ctx, step.ownerType, owner, (status) =>
    setConditions(
      ctx,
      status,
      [
        {
          type: 'Deleting',
          status: true,
          reason: 'Deleting',
          message: `Deleting ${children.length} ${step.childrenNoun}`,
        },
      ],
      owner.metadata.generation,
    ),
  );
  if (children.length > 0) return { requeueAfterMs: 500 };
  await updateObject(ctx, step.ownerType, owner, (copy) => removeFinalizer(copy, step.finalizer));
}
