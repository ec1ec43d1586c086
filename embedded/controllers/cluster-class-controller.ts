/**
 * The ClusterClass controller's visible part: `status.variables` (the variable schemas a create
 * form needs), the VariablesReady / RefVersionsUpToDate conditions, and — as CAPI does — the
 * class as owner of the templates it references.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import {
  type EngineContext,
  apiGroupOf,
  ensureOwnerReference,
  setConditions,
  updateObject,
  updateStatus,
} from './engine-context.ts';
import { arrayField, isRecord, recordField, stringField } from './object-fields.ts';
import { TYPES } from './resource-types.ts';
import type { ReconcileResult } from './work-queue.ts';
import { clusterClassConditions } from './condition-builders/topology.ts';

interface TemplateRef {
  apiVersion: string;
  kind: string;
  name: string;
}

function templateRefs(clusterClass: KubeObject): TemplateRef[] {
  const paths = [
    'spec.infrastructure.templateRef',
    'spec.controlPlane.templateRef',
    'spec.controlPlane.machineInfrastructure.templateRef',
  ];
  const refs = paths.map((path) => recordField(clusterClass, path));
  for (const md of arrayField(clusterClass, 'spec.workers.machineDeployments').filter(isRecord)) {
    refs.push(recordField(md, 'bootstrap.templateRef'), recordField(md, 'infrastructure.templateRef'));
  }
  return refs.flatMap((ref) => {
    const apiVersion = stringField(ref, 'apiVersion');
    const kind = stringField(ref, 'kind');
    const name = stringField(ref, 'name');
    return apiVersion && kind && name ? [{ apiVersion, kind, name }] : [];
  });
}

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
  let retryMs: number | undefined;
  for (const ref of templateRefs(clusterClass)) {
    const group = apiGroupOf(ref.apiVersion);
    const kind = ctx.cache.resolve(group, ref.kind);
    const found = ctx.cache.getRef(group, ref.kind, namespace, ref.name);
    if (found.state === 'pending') retryMs = 500;
    const key = `${group}/${ref.kind}/${namespace}/${ref.name}`;
    if (found.state === 'missing') retryMs ??= ctx.missing.retryMs(key);
    if (found.state === 'found') ctx.missing.found(key);
    if (!kind || found.state !== 'found') continue;
    if (found.object.metadata.ownerReferences?.some((o) => o.uid === clusterClass.metadata.uid)) continue;
    await updateObject(ctx, kind.type, found.object, (copy) =>
      ensureOwnerReference(copy, clusterClass, false),
    );
  }
  await updateStatus(ctx, TYPES.clusterClass, clusterClass, (status) => {
    status.variables = variables;
    status.observedGeneration = clusterClass.metadata.generation;
    setConditions(ctx, status, clusterClassConditions(), clusterClass.metadata.generation);
  });
  return retryMs === undefined ? undefined : { requeueAfterMs: retryMs };
}
