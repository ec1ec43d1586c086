/**
 * The Machine controller: bootstrap (config → dataSecretName), infrastructure (InfraMachine →
 * providerID, addresses), the simulated node (nodeRef, nodeInfo, NodeReady), phases and the
 * v1beta2 conditions; on deletion it removes the InfraMachine and bootstrap config before
 * letting the Machine go.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import { clusterOf, isPaused, pausedCondition } from './cluster-lookup.ts';
import type { ConditionInput } from './conditions.ts';
import { findCondition } from './conditions.ts';
import {
  type EngineContext,
  addFinalizer,
  deleteObject,
  ensureOwnerReference,
  now,
  removeFinalizer,
  setConditions,
  updateObject,
  updateStatus,
} from './engine-context.ts';
import { isInfraProvisioned } from './infra-cluster-controller.ts';
import { isInMemoryKind } from './provider-kinds.ts';
import { ANNOTATIONS, FINALIZERS, LABELS } from './labels.ts';
import { setMachineLegacyStatus } from './legacy-status.ts';
import { machineIsUpToDate } from './machine-up-to-date.ts';
import type { ResolvedKind } from './object-cache.ts';
import { arrayField, recordField, stringField } from './object-fields.ts';
import { TYPES } from './resource-types.ts';
import { NODE_FAULT_AFTER_SECONDS, nodeGoesNotReady, remainingMs, stepSeconds } from './simulation.ts';
import type { ReconcileResult } from './work-queue.ts';

interface RefState {
  kind?: ResolvedKind;
  object?: KubeObject;
  state: 'found' | 'missing' | 'pending' | 'none';
}

function readRef(
  ctx: EngineContext,
  machine: KubeObject,
  path: string,
  role: 'bootstrap' | 'infraMachine',
): RefState {
  const ref = recordField(machine, path);
  const apiGroup = stringField(ref, 'apiGroup');
  const kind = stringField(ref, 'kind');
  const name = stringField(ref, 'name');
  if (!apiGroup || !kind || !name) return { state: 'none' };
  ctx.watchRole(role, apiGroup, kind);
  const resolved = ctx.cache.resolve(apiGroup, kind);
  const found = ctx.cache.getRef(apiGroup, kind, machine.metadata.namespace, name);
  if (found.state === 'found') return { kind: resolved, object: found.object, state: 'found' };
  return { kind: resolved, state: found.state };
}

/** When a condition turned True, as the persisted status says (undefined unless True). */
function trueSince(object: KubeObject, type: string): string | undefined {
  const condition = findCondition(object.status, type);
  return condition?.status === 'True' ? condition.lastTransitionTime : undefined;
}

/** The node step starts once both bootstrap data and infrastructure are ready. */
function nodeStepStarted(machine: KubeObject): string | undefined {
  const bootstrap = trueSince(machine, 'BootstrapConfigReady');
  const infrastructure = trueSince(machine, 'InfrastructureReady');
  if (!bootstrap || !infrastructure) return undefined;
  return bootstrap > infrastructure ? bootstrap : infrastructure;
}

export function isControlPlaneMachine(machine: KubeObject): boolean {
  return machine.metadata.labels?.[LABELS.controlPlane] !== undefined;
}

/** Makes the Machine the controller owner of its bootstrap config / InfraMachine, as CAPI does. */
async function adopt(ctx: EngineContext, machine: KubeObject, ref: RefState): Promise<void> {
  if (!ref.object || !ref.kind) return;
  if (ref.object.metadata.ownerReferences?.some((o) => o.uid === machine.metadata.uid && o.controller))
    return;
  await updateObject(ctx, ref.kind.type, ref.object, (copy) => {
    ensureOwnerReference(copy, machine, true);
    copy.metadata.labels = {
      ...copy.metadata.labels,
      [LABELS.clusterName]: stringField(machine, 'spec.clusterName') ?? '',
    };
  });
}

async function reconcileDelete(ctx: EngineContext, machine: KubeObject): Promise<ReconcileResult> {
  await updateStatus(ctx, TYPES.machine, machine, (status) => {
    if (status.phase !== 'Deleting') status.lastUpdated = now(ctx);
    status.phase = 'Deleting';
    const deletion = recordField(status, 'deletion') ?? {};
    deletion.nodeDrainStartTime ??= now(ctx);
    status.deletion = deletion;
    setConditions(
      ctx,
      status,
      [
        {
          type: 'Deleting',
          status: true,
          reason: 'WaitingForInfrastructureDeletion',
          message: 'Deleting the machine',
        },
        { type: 'Ready', status: false, reason: 'Deleting' },
        { type: 'Available', status: false, reason: 'Deleting' },
      ],
      machine.metadata.generation,
    );
  });
  let waiting = false;
  for (const [path, role] of [
    ['spec.infrastructureRef', 'infraMachine'],
    ['spec.bootstrap.configRef', 'bootstrap'],
  ] as const) {
    const ref = readRef(ctx, machine, path, role);
    if (ref.state === 'pending') waiting = true;
    if (ref.object && ref.kind) {
      waiting = true;
      await deleteObject(ctx, ref.kind.type, ref.object);
    }
  }
  if (waiting) return { requeueAfterMs: 250 };
  const result = await updateObject(ctx, TYPES.machine, machine, (copy) =>
    removeFinalizer(copy, FINALIZERS.machine),
  );
  if (result && !result.ok && result.code !== 404) return { requeueAfterMs: 100 };
  ctx.forgetTimers(machine.metadata.uid ?? '');
}

function nodeInfo(
  machine: KubeObject,
  version: string,
  infraKind: string | undefined,
): Record<string, string> {
  const uid = machine.metadata.uid ?? '';
  if (infraKind && isInMemoryKind(infraKind)) {
    // What CAPI's in-memory backend reports: only the kubelet version.
    const empty = {
      architecture: '',
      bootID: '',
      containerRuntimeVersion: '',
      kernelVersion: '',
      kubeProxyVersion: '',
    };
    return {
      ...empty,
      kubeletVersion: version,
      machineID: '',
      operatingSystem: '',
      osImage: '',
      systemUUID: '',
    };
  }
  return {
    architecture: 'amd64',
    bootID: uid,
    containerRuntimeVersion: 'containerd://2.1.0',
    kernelVersion: '6.8.0-simulated',
    kubeProxyVersion: version,
    kubeletVersion: version,
    machineID: uid.replace(/-/g, ''),
    operatingSystem: 'linux',
    osImage: 'Simulated Linux (capi-gateway embedded)',
    systemUUID: uid,
  };
}

export async function reconcileMachine(
  ctx: EngineContext,
  namespace: string,
  name: string,
): Promise<ReconcileResult> {
  let machine = ctx.cache.informer(TYPES.machine).get(namespace, name);
  if (!machine) return;
  const cluster = clusterOf(ctx, machine);
  const paused = isPaused(cluster, machine);
  if (paused) {
    await updateStatus(ctx, TYPES.machine, machine, (status) =>
      setConditions(ctx, status, [pausedCondition(true)], machine?.metadata.generation),
    );
    return;
  }
  if (machine.metadata.deletionTimestamp) return reconcileDelete(ctx, machine);

  const clusterName = stringField(machine, 'spec.clusterName') ?? '';
  const metadataWrite = await updateObject(ctx, TYPES.machine, machine, (copy) => {
    addFinalizer(copy, FINALIZERS.machine);
    copy.metadata.labels = { ...copy.metadata.labels, [LABELS.clusterName]: clusterName };
  });
  if (metadataWrite && !metadataWrite.ok) return { requeueAfterMs: 100 };
  if (metadataWrite?.ok) machine = metadataWrite.value;

  const conditions: ConditionInput[] = [
    pausedCondition(false),
    { type: 'Deleting', status: false, reason: 'NotDeleting' },
  ];
  let requeueAfterMs: number | undefined;
  const requeue = (ms: number): void => {
    requeueAfterMs = requeueAfterMs === undefined ? ms : Math.min(requeueAfterMs, ms);
  };

  // Bootstrap.
  let dataSecretName = stringField(machine, 'spec.bootstrap.dataSecretName');
  const bootstrap = readRef(ctx, machine, 'spec.bootstrap.configRef', 'bootstrap');
  // A provider cache that has not listed yet says nothing about the machine: write nothing.
  if (bootstrap.state === 'pending') return { requeueAfterMs: 200 };
  await adopt(ctx, machine, bootstrap);
  if (!dataSecretName && bootstrap.object) {
    const fromConfig = stringField(bootstrap.object, 'status.dataSecretName');
    if (fromConfig) {
      const written = await updateObject(ctx, TYPES.machine, machine, (copy) => {
        (copy.spec as { bootstrap: Record<string, unknown> }).bootstrap.dataSecretName = fromConfig;
      });
      if (written && !written.ok) return { requeueAfterMs: 100 };
      if (written?.ok) machine = written.value;
      dataSecretName = fromConfig;
    }
  }
  conditions.push(
    dataSecretName
      ? { type: 'BootstrapConfigReady', status: true, reason: 'Ready' }
      : bootstrap.state === 'missing'
        ? {
            type: 'BootstrapConfigReady',
            status: false,
            reason: 'BootstrapConfigDoesNotExist',
            message: 'Waiting for the bootstrap config to exist',
          }
        : {
            type: 'BootstrapConfigReady',
            status: false,
            reason: 'NotReady',
            message: 'Waiting for the bootstrap data secret',
          },
  );

  // Infrastructure.
  const infra = readRef(ctx, machine, 'spec.infrastructureRef', 'infraMachine');
  if (infra.state === 'pending') return { requeueAfterMs: 200 };
  await adopt(ctx, machine, infra);
  const infraProvisioned =
    infra.object !== undefined &&
    infra.kind !== undefined &&
    isInfraProvisioned(infra.object, infra.kind.contract);
  const providerID = stringField(infra.object, 'spec.providerID');
  if (infraProvisioned && providerID && stringField(machine, 'spec.providerID') !== providerID) {
    const written = await updateObject(ctx, TYPES.machine, machine, (copy) => {
      (copy.spec as Record<string, unknown>).providerID = providerID;
    });
    if (written && !written.ok) return { requeueAfterMs: 100 };
    if (written?.ok) machine = written.value;
  }
  const infraReason = findCondition(infra.object?.status, 'Ready');
  conditions.push(
    infraProvisioned
      ? { type: 'InfrastructureReady', status: true, reason: 'Ready' }
      : infra.state === 'missing'
        ? {
            type: 'InfrastructureReady',
            status: false,
            reason: 'InfrastructureMachineDoesNotExist',
            message: 'Waiting for the infrastructure machine to exist',
          }
        : {
            type: 'InfrastructureReady',
            status: false,
            reason: 'NotReady',
            message: infraReason?.message || 'Waiting for the infrastructure to be provisioned',
          },
  );

  // The simulated node.
  const uid = machine.metadata.uid ?? name;
  const version = stringField(machine, 'spec.version') ?? 'v0.0.0';
  const controlPlane = isControlPlaneMachine(machine);
  let nodeUp = false;
  let nodeReady = false;
  if (infraProvisioned && dataSecretName) {
    const seconds =
      stepSeconds(infra.object, 'node') +
      (controlPlane ? stepSeconds(infra.object, 'apiServer') + stepSeconds(infra.object, 'etcd') : 0);
    // A node that has joined (nodeRef written) stays; one still booting resumes from the status.
    const joined = recordField(machine, 'status.nodeRef') !== undefined;
    const left = joined ? 0 : remainingMs(ctx, uid, 'node', seconds, nodeStepStarted(machine));
    if (left > 0) requeue(left);
    else {
      nodeUp = true;
      nodeReady = machine.metadata.annotations?.[ANNOTATIONS.simulateNode] !== 'NotReady';
      if (nodeReady && nodeGoesNotReady(ctx, machine.metadata.uid)) {
        const readySince = trueSince(machine, 'NodeReady');
        const faultLeft = remainingMs(ctx, uid, 'nodeFault', NODE_FAULT_AFTER_SECONDS, readySince);
        if (faultLeft > 0) requeue(faultLeft);
        else nodeReady = false;
      }
    }
  }
  const nodeConditions: ConditionInput[] = nodeUp
    ? [
        nodeReady
          ? { type: 'NodeReady', status: true, reason: 'NodeReady' }
          : {
              type: 'NodeReady',
              status: false,
              reason: 'NodeNotReady',
              message: 'Node Ready condition is False: kubelet stopped posting node status (simulated)',
            },
        nodeReady
          ? { type: 'NodeHealthy', status: true, reason: 'NodeHealthy' }
          : { type: 'NodeHealthy', status: false, reason: 'NodeNotHealthy', message: 'Node is not ready' },
      ]
    : [
        {
          type: 'NodeReady',
          status: 'Unknown',
          reason: 'NodeDoesNotExist',
          message: 'Waiting for a node with matching ProviderID to exist',
        },
        {
          type: 'NodeHealthy',
          status: 'Unknown',
          reason: 'NodeDoesNotExist',
          message: 'Waiting for a node with matching ProviderID to exist',
        },
      ];
  conditions.push(...nodeConditions);
  if (controlPlane) {
    conditions.push(
      nodeUp
        ? { type: 'NodeKubeadmLabelsAndTaintsSet', status: true, reason: 'Set' }
        : { type: 'NodeKubeadmLabelsAndTaintsSet', status: 'Unknown', reason: 'NodeDoesNotExist' },
    );
    for (const type of [
      'APIServerPodHealthy',
      'ControllerManagerPodHealthy',
      'SchedulerPodHealthy',
      'EtcdPodHealthy',
      'EtcdMemberHealthy',
    ]) {
      conditions.push(
        nodeUp
          ? { type, status: true, reason: type === 'EtcdMemberHealthy' ? 'Healthy' : 'Running' }
          : { type, status: 'Unknown', reason: 'InspectionFailed', message: 'Waiting for the node' },
      );
    }
  }
  const healthCheckFailed = findCondition(machine.status, 'HealthCheckSucceeded')?.status === 'False';
  const ready = nodeUp && nodeReady && !healthCheckFailed;
  conditions.push(
    ready
      ? { type: 'Ready', status: true, reason: 'Ready' }
      : {
          type: 'Ready',
          status: false,
          reason: 'NotReady',
          message: healthCheckFailed ? 'Machine health check failed' : 'Machine is not ready',
        },
    ready
      ? { type: 'Available', status: true, reason: 'Available' }
      : { type: 'Available', status: false, reason: 'NotReady' },
    { type: 'Updating', status: false, reason: 'NotUpdating' },
  );
  const upToDate = machineIsUpToDate(ctx, machine);
  conditions.push(
    upToDate
      ? { type: 'UpToDate', status: true, reason: 'UpToDate' }
      : {
          type: 'UpToDate',
          status: false,
          reason: 'NotUpToDate',
          message: "The machine does not match its owner's template",
        },
  );

  const phase = nodeUp
    ? 'Running'
    : infraProvisioned
      ? 'Provisioned'
      : dataSecretName
        ? 'Provisioning'
        : 'Pending';
  const current = machine;
  const result = await updateStatus(ctx, TYPES.machine, current, (status) => {
    if (status.phase !== phase) status.lastUpdated = now(ctx);
    status.phase = phase;
    status.initialization = {
      bootstrapDataSecretCreated: dataSecretName !== undefined,
      infrastructureProvisioned: infraProvisioned,
    };
    const addresses = arrayField(infra.object, 'status.addresses');
    if (infraProvisioned && addresses.length > 0) status.addresses = addresses;
    if (nodeUp) {
      status.nodeRef = { name };
      status.nodeInfo = nodeInfo(current, version, infra.kind?.type.kind);
    }
    if (controlPlane && dataSecretName && !status.certificatesExpiryDate) {
      const created = Date.parse(current.metadata.creationTimestamp ?? '') || ctx.clock.now();
      status.certificatesExpiryDate = new Date(created + 365 * 24 * 3600 * 1000)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z');
    }
    status.observedGeneration = current.metadata.generation;
    setConditions(ctx, status, conditions, current.metadata.generation);
    setMachineLegacyStatus(status, {
      bootstrap: bootstrap.object,
      dataSecretOnly: bootstrap.state === 'none' && dataSecretName !== undefined,
      bootstrapReady: dataSecretName !== undefined,
      infrastructure: infra.object,
      infrastructureReady: infraProvisioned,
      providerID: stringField(current, 'spec.providerID'),
      nodeUp,
      nodeReady,
      now: now(ctx),
    });
  });
  if (result && !result.ok) return { requeueAfterMs: 100 };
  return requeueAfterMs === undefined ? undefined : { requeueAfterMs };
}
