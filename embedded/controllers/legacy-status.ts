/**
 * `status.deprecated.v1beta1` as CAPI v1.14's controllers write it, so v1beta1 readers (the API
 * server converts it to the v1beta1 top-level `conditions` and counters) see what they would see
 * on a real management cluster:
 *
 * - Machine: BootstrapReady, InfrastructureReady (mirrors of the referenced objects' Ready, or
 *   the fallback), NodeHealthy, and the Ready summary (step counter while provisioning).
 * - MachineSet: fullyLabeled / ready / available replicas (node ready, minReadySeconds),
 *   MachinesCreated, Resized, MachinesReady (aggregate of the machines' Ready), Ready.
 * - MachineDeployment: updated / ready / available / unavailable replicas summed from its
 *   MachineSets' legacy counters, Available, MachineSetReady (mirror of the newest MachineSet).
 * - KubeadmControlPlane: updated / ready / unavailable replicas, MachinesCreated,
 *   MachinesSpecUpToDate, Resized, MachinesReady, Available, CertificatesAvailable, Ready.
 * - Cluster: InfrastructureReady, ControlPlaneReady, ControlPlaneInitialized, Ready.
 * - MachinePool: ready / available / unavailable replicas, BootstrapReady and InfrastructureReady
 *   (mirrors of the bootstrap config's and InfraMachinePool's Ready, or the fallback),
 *   ReplicasReady (once the pool has providerIDs), Ready.
 *
 * Sources: core/reconcilers/{machine,machineset,machinedeployment,cluster,machinepool} and
 * controlplane/kubeadm/reconcilers/kubeadmcontrolplane (reconcileV1Beta1Status and friends).
 */
import type { KubeObject } from '../apiserver/admission.ts';
import { findCondition } from './conditions.ts';
import {
  type LegacyCondition,
  legacyAggregate,
  legacyBlock,
  legacyCounter,
  legacyFalse,
  legacyMirror,
  legacyTrue,
  readLegacyConditions,
  setLegacyStatusConditions,
} from './condition-builders/legacy-v1beta1.ts';
import { type JsonRecord, numberField, recordField, stringMapField } from './object-fields.ts';

/** A machine's node is ready (noderefutil.IsNodeReady): the engine's NodeReady condition mirrors it. */
function nodeReady(machine: KubeObject): boolean {
  return (
    recordField(machine, 'status.nodeRef') !== undefined &&
    findCondition(machine.status, 'NodeReady')?.status === 'True'
  );
}

/** noderefutil.IsNodeAvailable: ready for longer than minReadySeconds. */
function nodeAvailable(machine: KubeObject, minReadySeconds: number, nowMs: number): boolean {
  if (!nodeReady(machine)) return false;
  if (minReadySeconds === 0) return true;
  const since = Date.parse(findCondition(machine.status, 'NodeReady')?.lastTransitionTime ?? '');
  return !Number.isNaN(since) && since + minReadySeconds * 1000 < nowMs;
}

export interface MachineLegacyInput {
  bootstrap?: KubeObject;
  /** spec.bootstrap.dataSecretName without a configRef: CAPI marks BootstrapReady true at once. */
  dataSecretOnly: boolean;
  bootstrapReady: boolean;
  infrastructure?: KubeObject;
  infrastructureReady: boolean;
  providerID?: string;
  nodeUp: boolean;
  nodeReady: boolean;
  now: string;
}

export function setMachineLegacyStatus(status: JsonRecord, input: MachineLegacyInput): void {
  const bootstrap = input.dataSecretOnly
    ? legacyTrue('BootstrapReady')
    : legacyMirror(
        'BootstrapReady',
        input.bootstrap,
        input.bootstrapReady ? legacyTrue('') : legacyFalse('', 'WaitingForDataSecret', 'Info'),
      );
  const infrastructure = legacyMirror(
    'InfrastructureReady',
    input.infrastructure,
    input.infrastructureReady ? legacyTrue('') : legacyFalse('', 'WaitingForInfrastructure', 'Info'),
  );
  const nodeHealthy: LegacyCondition = !input.providerID
    ? legacyFalse('NodeHealthy', 'WaitingForNodeRef', 'Info')
    : !input.nodeUp
      ? legacyFalse(
          'NodeHealthy',
          'NodeProvisioning',
          'Warning',
          'Waiting for a node with matching ProviderID to exist',
        )
      : input.nodeReady
        ? legacyTrue('NodeHealthy')
        : legacyFalse('NodeHealthy', 'NodeConditionsFailed', 'Warning', 'Node condition Ready is False');
  setLegacyStatusConditions(status, [bootstrap, infrastructure, nodeHealthy], input.now, {
    types: [
      'InfrastructureReady',
      'BootstrapReady',
      'MachineHealthCheckSucceeded',
      'OwnerRemediated',
      'DrainingSucceeded',
    ],
    ...(input.providerID ? {} : { stepCounterOnly: ['BootstrapReady', 'InfrastructureReady'] }),
  });
}

export interface MachineSetLegacyInput {
  machines: KubeObject[];
  desired: number;
  /** Why machines could not be created: preflight messages or a creation failure. */
  createBlocked?: { reason: string; message: string };
  now: string;
  nowMs: number;
}

export function setMachineSetLegacyStatus(
  ms: KubeObject,
  status: JsonRecord,
  input: MachineSetLegacyInput,
): void {
  const templateLabels = Object.entries(stringMapField(ms, 'spec.template.metadata.labels'));
  const minReadySeconds = numberField(ms, 'spec.template.spec.minReadySeconds') ?? 0;
  const block = legacyBlock(status);
  block.fullyLabeledReplicas = input.machines.filter((m) =>
    templateLabels.every(([key, value]) => m.metadata.labels?.[key] === value),
  ).length;
  const ready = input.machines.filter(nodeReady).length;
  block.readyReplicas = ready;
  block.availableReplicas = input.machines.filter((m) =>
    nodeAvailable(m, minReadySeconds, input.nowMs),
  ).length;
  const desired = ms.metadata.deletionTimestamp ? 0 : input.desired;
  const current = input.machines.length;
  const updates: Array<LegacyCondition | undefined> = [];
  if (current < desired)
    updates.push(
      legacyFalse(
        'Resized',
        'ScalingUp',
        'Warning',
        `Scaling up MachineSet to ${desired} replicas (actual ${current})`,
      ),
    );
  else if (current > desired)
    updates.push(
      legacyFalse(
        'Resized',
        'ScalingDown',
        'Warning',
        `Scaling down MachineSet to ${desired} replicas (actual ${current})`,
      ),
      legacyTrue('MachinesCreated'),
    );
  else updates.push(ready === current ? legacyTrue('Resized') : undefined, legacyTrue('MachinesCreated'));
  if (input.createBlocked)
    updates.push(
      legacyFalse('MachinesCreated', input.createBlocked.reason, 'Error', input.createBlocked.message),
    );
  updates.push(
    input.machines.length > 0
      ? legacyAggregate('MachinesReady', input.machines)
      : legacyTrue('MachinesReady'),
  );
  setLegacyStatusConditions(status, updates, input.now, {
    types: ['MachinesCreated', 'Resized', 'MachinesReady'],
  });
}

export interface MachineDeploymentLegacyInput {
  sets: KubeObject[];
  newest?: KubeObject;
  replicas: number;
  maxUnavailable: number;
  /** The v1beta2 availableReplicas (CAPI's message quotes it). */
  availableReplicas: number;
  now: string;
}

export function setMachineDeploymentLegacyStatus(
  status: JsonRecord,
  input: MachineDeploymentLegacyInput,
): void {
  const available = input.sets.reduce((sum, ms) => sum + legacyCounter(ms, 'availableReplicas'), 0);
  const total = input.sets.reduce((sum, ms) => sum + (numberField(ms, 'spec.replicas') ?? 0), 0);
  const block = legacyBlock(status);
  block.updatedReplicas = numberField(input.newest, 'status.replicas') ?? 0;
  block.readyReplicas = input.sets.reduce((sum, ms) => sum + legacyCounter(ms, 'readyReplicas'), 0);
  block.availableReplicas = available;
  block.unavailableReplicas = Math.max(0, total - available);
  const minimum = input.replicas - input.maxUnavailable;
  setLegacyStatusConditions(
    status,
    [
      available >= minimum
        ? legacyTrue('Available')
        : legacyFalse(
            'Available',
            'WaitingForAvailableMachines',
            'Warning',
            `Minimum availability requires ${minimum} replicas, current ${input.availableReplicas} available`,
          ),
      input.newest
        ? legacyMirror(
            'MachineSetReady',
            input.newest,
            legacyFalse('', 'WaitingForMachineSet', 'Info'),
            'status.deprecated.v1beta1.conditions',
          )
        : legacyFalse('MachineSetReady', 'WaitingForMachineSet', 'Info', 'MachineSet not found'),
    ],
    input.now,
    { types: ['Available'] },
  );
}

export interface ControlPlaneLegacyInput {
  machines: KubeObject[];
  desired: number;
  upToDate: number;
  outdated: number;
  initialized: boolean;
  certificatesReady: boolean;
  now: string;
}

export function setControlPlaneLegacyStatus(
  kcp: KubeObject,
  status: JsonRecord,
  input: ControlPlaneLegacyInput,
): void {
  const block = legacyBlock(status);
  const replicas = input.machines.length;
  const readyNodes = input.machines.filter(nodeReady).length;
  block.updatedReplicas = input.upToDate;
  block.readyReplicas = readyNodes;
  block.unavailableReplicas = replicas - readyNodes;
  const had = (type: string): boolean => readLegacyConditions(kcp).some((c) => c.type === type);
  const updates: Array<LegacyCondition | undefined> = [];
  if (replicas < input.desired)
    updates.push(
      legacyFalse(
        'Resized',
        'ScalingUp',
        'Warning',
        `Scaling up control plane to ${input.desired} replicas (actual ${replicas})`,
      ),
    );
  else if (replicas > input.desired)
    updates.push(
      legacyFalse(
        'Resized',
        'ScalingDown',
        'Warning',
        `Scaling down control plane to ${input.desired} replicas (actual ${replicas})`,
      ),
      legacyTrue('MachinesCreated'),
    );
  else
    updates.push(
      input.machines.filter((m) => findCondition(m.status, 'Ready')?.status === 'True').length === replicas
        ? legacyTrue('Resized')
        : undefined,
      legacyTrue('MachinesCreated'),
    );
  if (input.outdated > 0)
    updates.push(
      legacyFalse(
        'MachinesSpecUpToDate',
        'RollingUpdateInProgress',
        'Warning',
        `Rolling ${input.outdated} replicas with outdated spec (${replicas - input.outdated} replicas up to date)`,
      ),
    );
  else if (had('MachinesSpecUpToDate')) updates.push(legacyTrue('MachinesSpecUpToDate'));
  updates.push(
    legacyAggregate('MachinesReady', input.machines),
    input.initialized ? legacyTrue('Available') : legacyFalse('Available', 'WaitingForKubeadmInit', 'Info'),
    input.certificatesReady ? legacyTrue('CertificatesAvailable') : undefined,
  );
  setLegacyStatusConditions(status, updates, input.now, {
    types: [
      'MachinesCreated',
      'MachinesSpecUpToDate',
      'Resized',
      'MachinesReady',
      'Available',
      'CertificatesAvailable',
    ],
  });
}

export interface ClusterLegacyInput {
  infrastructure?: { object?: KubeObject; provisioned: boolean };
  controlPlane?: { object?: KubeObject; initialized: boolean };
  controlPlaneInitialized: boolean;
  now: string;
}

export function setClusterLegacyStatus(status: JsonRecord, input: ClusterLegacyInput): void {
  const updates: Array<LegacyCondition | undefined> = [];
  if (input.infrastructure)
    updates.push(
      legacyMirror(
        'InfrastructureReady',
        input.infrastructure.object,
        input.infrastructure.provisioned
          ? legacyTrue('')
          : legacyFalse('', 'WaitingForInfrastructure', 'Info'),
      ),
    );
  if (input.controlPlane)
    updates.push(
      legacyMirror(
        'ControlPlaneReady',
        input.controlPlane.object,
        input.controlPlane.initialized ? legacyTrue('') : legacyFalse('', 'WaitingForControlPlane', 'Info'),
      ),
      input.controlPlaneInitialized
        ? legacyTrue('ControlPlaneInitialized')
        : legacyFalse(
            'ControlPlaneInitialized',
            'WaitingForControlPlaneProviderInitialized',
            'Info',
            'Waiting for control plane provider to indicate the control plane has been initialized',
          ),
    );
  setLegacyStatusConditions(status, updates, input.now, {
    types: ['ControlPlaneReady', 'InfrastructureReady'],
  });
}

export interface MachinePoolLegacyInput {
  bootstrap?: KubeObject;
  /** spec.template.spec.bootstrap.dataSecretName without a configRef: BootstrapReady true at once. */
  dataSecretOnly: boolean;
  bootstrapReady: boolean;
  infrastructure?: KubeObject;
  infrastructureReady: boolean;
  desired: number;
  /** Instances with a node (status.replicas); the simulated nodes are ready at once. */
  ready: number;
  hasProviderIDs: boolean;
  now: string;
}

/** reconcileBootstrap / reconcileInfrastructure / reconcileNodeRefs and the summary at patch time. */
export function setMachinePoolLegacyStatus(status: JsonRecord, input: MachinePoolLegacyInput): void {
  const block = legacyBlock(status);
  block.readyReplicas = input.ready;
  block.availableReplicas = input.ready;
  block.unavailableReplicas = 0;
  const updates: Array<LegacyCondition | undefined> = [
    input.dataSecretOnly
      ? legacyTrue('BootstrapReady')
      : legacyMirror(
          'BootstrapReady',
          input.bootstrap,
          input.bootstrapReady ? legacyTrue('') : legacyFalse('', 'WaitingForDataSecret', 'Info'),
        ),
    legacyMirror(
      'InfrastructureReady',
      input.infrastructure,
      input.infrastructureReady ? legacyTrue('') : legacyFalse('', 'WaitingForInfrastructure', 'Info'),
    ),
  ];
  // CAPI sets ReplicasReady from the node references, once the pool lists providerIDs.
  if (input.hasProviderIDs || input.desired === 0) updates.push(legacyTrue('ReplicasReady'));
  setLegacyStatusConditions(status, updates, input.now, {
    types: ['BootstrapReady', 'InfrastructureReady', 'ReplicasReady'],
  });
}
