/**
 * The simulated infrastructure provider for clusters, for any InfraCluster kind (DevCluster,
 * DockerCluster, a kind whose CRD was applied a moment ago): once the Cluster owns it, it
 * "provisions" a load balancer after a short while, sets the control plane endpoint and the
 * contract's provisioned field.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import { clusterOf, isPaused } from './cluster-lookup.ts';
import {
  type EngineContext,
  addFinalizer,
  ownerOfKind,
  removeFinalizer,
  setConditions,
  updateObject,
  updateStatus,
} from './engine-context.ts';
import { infraFinalizer, isInMemoryKind } from './provider-kinds.ts';
import type { ResolvedKind } from './object-cache.ts';
import { booleanField, recordField, stringField } from './object-fields.ts';
import { TYPES } from './resource-types.ts';
import { DEFAULT_STARTUP_SECONDS, remainingMs } from './simulation.ts';
import type { ReconcileResult } from './work-queue.ts';
import { infraClusterReadyConditions } from './condition-builders/provider.ts';

export const SIMULATED_API_PORT = 6443;

/** A host that resolves nowhere (RFC 2606 `.invalid`), so a leaked kubeconfig reaches nothing. */
export function simulatedEndpointHost(namespace: string, clusterName: string): string {
  return `${clusterName}.${namespace}.embedded.invalid`;
}

export function isInfraProvisioned(
  object: KubeObject | undefined,
  contract: ResolvedKind['contract'],
): boolean {
  return contract === 'v1beta2'
    ? booleanField(object, 'status.initialization.provisioned') === true
    : booleanField(object, 'status.ready') === true;
}

export async function reconcileInfraCluster(
  ctx: EngineContext,
  kind: ResolvedKind,
  namespace: string,
  name: string,
): Promise<ReconcileResult> {
  const informer = ctx.cache.informer(kind.type);
  let object = informer.get(namespace, name);
  if (!object) return;
  const finalizer = infraFinalizer(kind.type.kind);
  if (object.metadata.deletionTimestamp) {
    if (finalizer && object.metadata.finalizers?.includes(finalizer)) {
      await updateObject(ctx, kind.type, object, (copy) => removeFinalizer(copy, finalizer));
    }
    return;
  }
  const owner = ownerOfKind(object, 'Cluster');
  if (!owner) return; // providers wait for the Cluster controller to set the owner reference
  const cluster = clusterOf(ctx, object) ?? ctx.cache.informer(TYPES.cluster).get(namespace, owner.name);
  if (isPaused(cluster, object)) return;
  if (isInfraProvisioned(object, kind.contract)) return;
  if (finalizer && !object.metadata.finalizers?.includes(finalizer)) {
    const added = await updateObject(ctx, kind.type, object, (copy) => addFinalizer(copy, finalizer));
    if (added && !added.ok) return { requeueAfterMs: 100 };
    if (added?.ok) object = added.value;
  }
  const left = remainingMs(
    ctx,
    object.metadata.uid ?? name,
    'infraCluster',
    DEFAULT_STARTUP_SECONDS.infraCluster,
    // Persisted, so a restart resumes the short load-balancer start-up rather than restarting it.
    object.metadata.creationTimestamp,
  );
  if (left > 0) return { requeueAfterMs: left };
  if (!stringField(object, 'spec.controlPlaneEndpoint.host')) {
    const written = await updateObject(ctx, kind.type, object, (copy) => {
      const spec = (copy.spec ?? {}) as Record<string, unknown>;
      spec.controlPlaneEndpoint = {
        host: simulatedEndpointHost(namespace, owner.name),
        port: SIMULATED_API_PORT,
      };
      copy.spec = spec;
    });
    if (written && !written.ok) return { requeueAfterMs: 100 };
    if (written?.ok) object = written.value;
  }
  const result = await updateStatus(ctx, kind.type, object, (status) => {
    if (kind.contract === 'v1beta2') {
      status.initialization = { ...(recordField(status, 'initialization') ?? {}), provisioned: true };
      setConditions(
        ctx,
        status,
        infraClusterReadyConditions(isInMemoryKind(kind.type.kind)),
        object?.metadata.generation,
      );
    } else {
      status.ready = true;
    }
  });
  if (result && !result.ok) return { requeueAfterMs: 100 };
  ctx.forgetTimers(object.metadata.uid ?? name);
}
