/**
 * The simulated infrastructure provider for machines, for any InfraMachine kind: once its
 * Machine owns it, the cluster's infrastructure is up and bootstrap data exists, the "VM" boots
 * for the kind's start-up duration (DevMachine's inMemory settings, defaults otherwise), then
 * gets a providerID, addresses and the contract's provisioned field. Faults keep some VMs from
 * ever booting.
 */
import { clusterInfrastructureProvisioned, clusterOf, isPaused } from './cluster-lookup.ts';
import {
  type EngineContext,
  addFinalizer,
  ownerOfKind,
  removeFinalizer,
  setConditions,
  updateObject,
  updateStatus,
} from './engine-context.ts';
import { findCondition } from './conditions.ts';
import { LABELS } from './labels.ts';
import { infraFinalizer, isInMemoryKind, providerID } from './provider-kinds.ts';
import { isInfraProvisioned } from './infra-cluster-controller.ts';
import type { ResolvedKind } from './object-cache.ts';
import { recordField, stringField } from './object-fields.ts';
import { TYPES } from './resource-types.ts';
import { failsProvisioning, machineAddress, remainingMs, stepSeconds } from './simulation.ts';
import type { ReconcileResult } from './work-queue.ts';
import { infraMachineReadyConditions, infraMachineWaitingConditions } from './condition-builders/provider.ts';

export async function reconcileInfraMachine(
  ctx: EngineContext,
  kind: ResolvedKind,
  namespace: string,
  name: string,
): Promise<ReconcileResult> {
  let object = ctx.cache.informer(kind.type).get(namespace, name);
  if (!object) return;
  const finalizer = infraFinalizer(kind.type.kind);
  if (object.metadata.deletionTimestamp) {
    // The simulated VM goes at once.
    if (finalizer && object.metadata.finalizers?.includes(finalizer)) {
      await updateObject(ctx, kind.type, object, (copy) => removeFinalizer(copy, finalizer));
    }
    ctx.forgetTimers(object.metadata.uid ?? name);
    return;
  }
  const owner = ownerOfKind(object, 'Machine');
  if (!owner) return;
  const machine = ctx.cache.informer(TYPES.machine).get(namespace, owner.name);
  if (!machine) return;
  const cluster = clusterOf(ctx, machine);
  if (isPaused(cluster, object)) return;
  if (isInfraProvisioned(object, kind.contract)) return;
  if (finalizer && !object.metadata.finalizers?.includes(finalizer)) {
    const written = await updateObject(ctx, kind.type, object, (copy) => addFinalizer(copy, finalizer));
    if (written && !written.ok) return { requeueAfterMs: 100 };
    if (written?.ok) object = written.value;
  }
  const uid = object.metadata.uid ?? name;
  const contractV2 = kind.contract === 'v1beta2';
  const waiting = async (reason: string, message: string): Promise<void> => {
    if (!contractV2 || !object) return;
    await updateStatus(ctx, kind.type, object, (status) =>
      setConditions(ctx, status, infraMachineWaitingConditions(reason, message), object?.metadata.generation),
    );
  };
  if (!clusterInfrastructureProvisioned(cluster)) {
    await waiting(
      'WaitingForClusterInfrastructure',
      'Waiting for the cluster infrastructure to be provisioned',
    );
    return;
  }
  if (!stringField(machine, 'spec.bootstrap.dataSecretName')) {
    await waiting('WaitingForBootstrapData', 'Waiting for the bootstrap data secret');
    return;
  }
  if (failsProvisioning(ctx, machine.metadata.uid)) {
    await waiting('ProvisioningFailed', 'Simulated fault: the VM failed to boot');
    return;
  }
  // The VM boots once bootstrap data exists: the Machine's condition dates it across restarts.
  const bootstrapReady = findCondition(machine.status, 'BootstrapConfigReady');
  const since = bootstrapReady?.status === 'True' ? bootstrapReady.lastTransitionTime : undefined;
  const left = remainingMs(ctx, uid, 'vm', stepSeconds(object, 'vm'), since);
  if (left > 0) {
    await waiting('Provisioning', 'The VM is booting');
    return { requeueAfterMs: left };
  }
  if (!stringField(object, 'spec.providerID')) {
    const written = await updateObject(ctx, kind.type, object, (copy) => {
      const spec = (copy.spec ?? {}) as Record<string, unknown>;
      spec.providerID = providerID(kind.type.kind, name);
      copy.spec = spec;
    });
    if (written && !written.ok) return { requeueAfterMs: 100 };
    if (written?.ok) object = written.value;
  }
  const controlPlane = machine.metadata.labels?.[LABELS.controlPlane] !== undefined;
  const result = await updateStatus(ctx, kind.type, object, (status) => {
    if (!isInMemoryKind(kind.type.kind)) {
      status.addresses = [
        { type: 'InternalIP', address: machineAddress(machine.metadata.uid) },
        { type: 'Hostname', address: name },
      ];
    }
    if (contractV2) {
      status.initialization = { ...(recordField(status, 'initialization') ?? {}), provisioned: true };
      setConditions(
        ctx,
        status,
        infraMachineReadyConditions(isInMemoryKind(kind.type.kind), controlPlane),
        object?.metadata.generation,
      );
    } else {
      status.ready = true;
    }
  });
  if (result && !result.ok) return { requeueAfterMs: 100 };
}
