/** Finding the Cluster an object belongs to, and whether reconciliation of it is paused. */
import type { KubeObject } from '../apiserver/admission.ts';
import type { EngineContext } from './engine-context.ts';
import { ANNOTATIONS, LABELS } from './labels.ts';
import { booleanField, stringField } from './object-fields.ts';
import { TYPES } from './resource-types.ts';

export function clusterNameOf(object: KubeObject): string | undefined {
  return (
    object.metadata.labels?.[LABELS.clusterName] ??
    stringField(object, 'spec.clusterName') ??
    object.metadata.ownerReferences?.find((ref) => ref.kind === 'Cluster')?.name
  );
}

export function clusterOf(ctx: EngineContext, object: KubeObject): KubeObject | undefined {
  const name = clusterNameOf(object);
  return name ? ctx.cache.informer(TYPES.cluster).get(object.metadata.namespace, name) : undefined;
}

/** CAPI stops reconciling everything of a cluster with `spec.paused`, and any object annotated paused. */
export function isPaused(cluster: KubeObject | undefined, object: KubeObject): boolean {
  return (
    booleanField(cluster, 'spec.paused') === true ||
    object.metadata.annotations?.[ANNOTATIONS.paused] !== undefined ||
    cluster?.metadata.annotations?.[ANNOTATIONS.paused] !== undefined
  );
}

export function clusterInfrastructureProvisioned(cluster: KubeObject | undefined): boolean {
  return booleanField(cluster, 'status.initialization.infrastructureProvisioned') === true;
}

export function clusterControlPlaneInitialized(cluster: KubeObject | undefined): boolean {
  return booleanField(cluster, 'status.initialization.controlPlaneInitialized') === true;
}
