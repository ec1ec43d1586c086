/**
 * The ClusterClass controller's visible part: `status.variables` (the variable schemas a create
 * form needs) and the VariablesReady / RefVersionsUpToDate conditions.
 */
import { pausedCondition } from './cluster-lookup.ts';
import { type EngineContext, setConditions, updateStatus } from './engine-context.ts';
import { arrayField, isRecord } from './object-fields.ts';
import { TYPES } from './resource-types.ts';
import type { ReconcileResult } from './work-queue.ts';

export async function reconcileClusterClass(
  ctx: EngineContext,
  namespace: string,
  name: string,
): Promise<ReconcileResult> {
  const clusterClass = ctx.cache.informer(TYPES.clusterClass).get(namespace, name);
  if (!clusterClass || clusterClass.metadata.deletionTimestamp) return;
  const variables = arrayField(clusterClass, 'spec.variables')
    .filter(isRecord)
    .map((variable) => ({
      name: variable.name,
      definitions: [
        {
          from: 'inline',
          required: variable.required === true,
          schema: variable.schema,
          ...(isRecord(variable.deprecatedV1Beta1Metadata)
            ? { deprecatedV1Beta1Metadata: variable.deprecatedV1Beta1Metadata }
            : {}),
        },
      ],
    }));
  await updateStatus(ctx, TYPES.clusterClass, clusterClass, (status) => {
    status.variables = variables;
    status.observedGeneration = clusterClass.metadata.generation;
    setConditions(
      ctx,
      status,
      [
        { type: 'VariablesReady', status: true, reason: 'VariablesReady' },
        { type: 'RefVersionsUpToDate', status: true, reason: 'RefVersionsUpToDate' },
        pausedCondition(false),
      ],
      clusterClass.metadata.generation,
    );
  });
}
