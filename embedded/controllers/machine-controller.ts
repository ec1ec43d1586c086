/**
 * The Machine controller: bootstrap (config → dataSecretName), infrastructure (InfraMachine →
 * providerID, addresses), the simulated node (nodeRef, nodeInfo, NodeReady), phases and the
 * v1beta2 conditions; on deletion it removes the InfraMachine and bootstrap config before
 * letting the Machine go.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import { clusterOf, isPaused } from './cluster-lookup.ts';
import {
  bootstrapConfigReadyCondition,
  notDeletingCondition,
  pausedCondition,
} from './condition-builders/common.ts';
import {
  controlPlaneComponentConditions,
  machineDeletingConditions,
  machineInfrastructureReadyCondition,
  machineReadinessConditions,
  nodeConditions,
} from './condition-builders/machine.ts';
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
import { type Phase, type PhaseOutcome, runPhases, stop } from './phases.ts';
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
    setConditions(ctx, status, machineDeletingConditions(), machine.metadata.generation);
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

/** What the phases of one Machine reconcile share. */
interface MachineScope {
  ctx: EngineContext;
  machine: KubeObject;
  cluster: KubeObject | undefined;
  conditions: ConditionInput[];
  bootstrap: RefState;
  dataSecretName?: string;
  infra: RefState;
  infraProvisioned: boolean;
  nodeUp: boolean;
  nodeReady: boolean;
  /** The earliest simulated step still running. */
  requeueAfterMs?: number;
}

const later = (s: { requeueAfterMs?: number }, ms: number): void => {
  s.requeueAfterMs = s.requeueAfterMs === undefined ? ms : Math.min(s.requeueAfterMs, ms);
};

async function reconcilePaused(s: MachineScope): Promise<PhaseOutcome | void> {
  if (!isPaused(s.cluster, s.machine)) return;
  await updateStatus(s.ctx, TYPES.machine, s.machine, (status) =>
    setConditions(s.ctx, status, [pausedCondition(true)], s.machine.metadata.generation),
  );
  return stop();
}

async function reconcileDeleting(s: MachineScope): Promise<PhaseOutcome | void> {
  if (!s.machine.metadata.deletionTimestamp) return;
  const result = await reconcileDelete(s.ctx, s.machine);
  return stop(result?.requeueAfterMs);
}

/** Finalizer and cluster-name label. */
async function reconcileMetadata(s: MachineScope): Promise<PhaseOutcome | void> {
  const clusterName = stringField(s.machine, 'spec.clusterName') ?? '';
  const written = await updateObject(s.ctx, TYPES.machine, s.machine, (copy) => {
    addFinalizer(copy, FINALIZERS.machine);
    copy.metadata.labels = { ...copy.metadata.labels, [LABELS.clusterName]: clusterName };
  });
  if (written && !written.ok) return stop(100);
  if (written?.ok) s.machine = written.value;
}

/** The bootstrap config's data secret becomes the Machine's `spec.bootstrap.dataSecretName`. */
async function reconcileBootstrap(s: MachineScope): Promise<PhaseOutcome | void> {
  const { ctx } = s;
  s.dataSecretName = stringField(s.machine, 'spec.bootstrap.dataSecretName');
  s.bootstrap = readRef(ctx, s.machine, 'spec.bootstrap.configRef', 'bootstrap');
  // A provider cache that has not listed yet says nothing about the machine: write nothing.
  if (s.bootstrap.state === 'pending') return stop(200);
  await adopt(ctx, s.machine, s.bootstrap);
  const fromConfig = s.dataSecretName ? undefined : stringField(s.bootstrap.object, 'status.dataSecretName');
  if (fromConfig) {
    const written = await updateObject(ctx, TYPES.machine, s.machine, (copy) => {
      (copy.spec as { bootstrap: Record<string, unknown> }).bootstrap.dataSecretName = fromConfig;
    });
    if (written && !written.ok) return stop(100);
    if (written?.ok) s.machine = written.value;
    s.dataSecretName = fromConfig;
  }
  s.conditions.push(bootstrapConfigReadyCondition(s.dataSecretName, s.bootstrap.state));
}

/** The InfraMachine: provisioned, its providerID copied to the Machine. */
async function reconcileInfrastructure(s: MachineScope): Promise<PhaseOutcome | void> {
  const { ctx } = s;
  const infra = (s.infra = readRef(ctx, s.machine, 'spec.infrastructureRef', 'infraMachine'));
  if (infra.state === 'pending') return stop(200);
  await adopt(ctx, s.machine, infra);
  s.infraProvisioned =
    infra.object !== undefined &&
    infra.kind !== undefined &&
    isInfraProvisioned(infra.object, infra.kind.contract);
  const providerID = stringField(infra.object, 'spec.providerID');
  if (s.infraProvisioned && providerID && stringField(s.machine, 'spec.providerID') !== providerID) {
    const written = await updateObject(ctx, TYPES.machine, s.machine, (copy) => {
      (copy.spec as Record<string, unknown>).providerID = providerID;
    });
    if (written && !written.ok) return stop(100);
    if (written?.ok) s.machine = written.value;
  }
  s.conditions.push(
    machineInfrastructureReadyCondition(
      s.infraProvisioned,
      infra.state,
      findCondition(infra.object?.status, 'Ready')?.message,
    ),
  );
}

/** The simulated node: it joins once bootstrap data and infrastructure are ready, and may go NotReady. */
async function reconcileNode(s: MachineScope): Promise<PhaseOutcome | void> {
  const { ctx, machine } = s;
  const uid = machine.metadata.uid ?? machine.metadata.name ?? '';
  const controlPlane = isControlPlaneMachine(machine);
  if (s.infraProvisioned && s.dataSecretName) {
    const seconds =
      stepSeconds(s.infra.object, 'node') +
      (controlPlane ? stepSeconds(s.infra.object, 'apiServer') + stepSeconds(s.infra.object, 'etcd') : 0);
    // A node that has joined (nodeRef written) stays; one still booting resumes from the status.
    const joined = recordField(machine, 'status.nodeRef') !== undefined;
    const left = joined ? 0 : remainingMs(ctx, uid, 'node', seconds, nodeStepStarted(machine));
    if (left > 0) later(s, left);
    else {
      s.nodeUp = true;
      s.nodeReady = machine.metadata.annotations?.[ANNOTATIONS.simulateNode] !== 'NotReady';
      if (s.nodeReady && nodeGoesNotReady(ctx, machine.metadata.uid)) {
        const readySince = trueSince(machine, 'NodeReady');
        const faultLeft = remainingMs(ctx, uid, 'nodeFault', NODE_FAULT_AFTER_SECONDS, readySince);
        if (faultLeft > 0) later(s, faultLeft);
        else s.nodeReady = false;
      }
    }
  }
  s.conditions.push(...nodeConditions(s.nodeUp, s.nodeReady));
  if (controlPlane) s.conditions.push(...controlPlaneComponentConditions(s.nodeUp));
  return s.requeueAfterMs === undefined ? undefined : { requeueAfterMs: s.requeueAfterMs };
}

/** Phase, initialization, addresses, nodeRef/nodeInfo, v1beta2 conditions and the v1beta1 ones. */
async function reconcileStatus(s: MachineScope): Promise<PhaseOutcome | void> {
  const { ctx, nodeUp, nodeReady, infraProvisioned, dataSecretName, infra } = s;
  const current = s.machine;
  const name = current.metadata.name ?? '';
  const version = stringField(current, 'spec.version') ?? 'v0.0.0';
  const controlPlane = isControlPlaneMachine(current);
  s.conditions.push(
    ...machineReadinessConditions({
      nodeReady: nodeUp && nodeReady,
      healthCheckFailed: findCondition(current.status, 'HealthCheckSucceeded')?.status === 'False',
      upToDate: machineIsUpToDate(ctx, current),
    }),
  );
  const phase = nodeUp
    ? 'Running'
    : infraProvisioned
      ? 'Provisioned'
      : dataSecretName
        ? 'Provisioning'
        : 'Pending';
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
    setConditions(ctx, status, s.conditions, current.metadata.generation);
    setMachineLegacyStatus(status, {
      bootstrap: s.bootstrap.object,
      dataSecretOnly: s.bootstrap.state === 'none' && dataSecretName !== undefined,
      bootstrapReady: dataSecretName !== undefined,
      infrastructure: infra.object,
      infrastructureReady: infraProvisioned,
      providerID: stringField(current, 'spec.providerID'),
      nodeUp,
      nodeReady,
      now: now(ctx),
    });
  });
  if (result && !result.ok) return stop(100);
}

const MACHINE_PHASES: Array<Phase<MachineScope>> = [
  reconcilePaused,
  reconcileDeleting,
  reconcileMetadata,
  reconcileBootstrap,
  reconcileInfrastructure,
  reconcileNode,
  reconcileStatus,
];

export async function reconcileMachine(
  ctx: EngineContext,
  namespace: string,
  name: string,
): Promise<ReconcileResult> {
  const machine = ctx.cache.informer(TYPES.machine).get(namespace, name);
  if (!machine) return;
  return runPhases<MachineScope>(
    {
      ctx,
      machine,
      cluster: clusterOf(ctx, machine),
      conditions: [pausedCondition(false), notDeletingCondition()],
      bootstrap: { state: 'none' },
      infra: { state: 'none' },
      infraProvisioned: false,
      nodeUp: false,
      nodeReady: false,
    },
    MACHINE_PHASES,
  );
}
