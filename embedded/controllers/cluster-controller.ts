/**
 * The Cluster controller: topology first (for ClusterClass clusters), then infrastructure
 * (owner reference, endpoint), control plane (owner reference, initialised), and the status CAPI
 * v1.14 writes — phase, initialization, controlPlane/workers summaries, conditions. Deletion
 * goes workers → control plane → InfraCluster → finalizer removed.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import { isPaused } from './cluster-lookup.ts';
import type { ConditionInput } from './conditions.ts';
import { findCondition, isConditionTrue } from './conditions.ts';
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
import { SIMULATED_API_PORT, isInfraProvisioned, simulatedEndpointHost } from './infra-cluster-controller.ts';
import { compareKubernetesVersions } from './kubernetes-version.ts';
import { FINALIZERS, LABELS } from './labels.ts';
import { setClusterLegacyStatus } from './legacy-status.ts';
import { type ObjectRef, readObjectRef } from './machine-factory.ts';
import type { ResolvedKind } from './object-cache.ts';
import {
  type JsonRecord,
  arrayField,
  booleanField,
  isRecord,
  numberField,
  recordField,
  stringField,
} from './object-fields.ts';
import { countMachines, versionsField } from './replica-status.ts';
import { TYPES } from './resource-types.ts';
import { classKeyOf, reconcileTopology } from './topology-reconciler.ts';
import { MACHINE_POOL_TYPE, machinePoolWorkers } from './machine-pool-controller.ts';
import { type Phase, type PhaseOutcome, runPhases, stop } from './phases.ts';
import type { ReconcileResult } from './work-queue.ts';
import { notDeletingCondition, pausedCondition } from './condition-builders/common.ts';
import {
  clusterAvailableCondition,
  clusterControlPlaneConditions,
  clusterDeletingCondition,
  clusterInfrastructureReadyCondition,
  clusterWorkerConditions,
} from './condition-builders/cluster.ts';
import { topologyClassNotFound } from './condition-builders/topology.ts';

interface Referenced {
  ref?: ObjectRef;
  kind?: ResolvedKind;
  object?: KubeObject;
  state: 'found' | 'missing' | 'pending' | 'none';
}

function readReferenced(
  ctx: EngineContext,
  cluster: KubeObject,
  path: string,
  role?: 'infraCluster',
): Referenced {
  const ref = readObjectRef(cluster, path);
  if (!ref) return { state: 'none' };
  if (role) ctx.watchRole(role, ref.apiGroup, ref.kind);
  const kind = ctx.cache.resolve(ref.apiGroup, ref.kind);
  const found = ctx.cache.getRef(ref.apiGroup, ref.kind, cluster.metadata.namespace, ref.name);
  return found.state === 'found'
    ? { ref, kind, object: found.object, state: 'found' }
    : { ref, kind, state: found.state };
}

async function adopt(
  ctx: EngineContext,
  cluster: KubeObject,
  referenced: Referenced,
  topology: boolean,
): Promise<void> {
  const { object, kind } = referenced;
  if (!object || !kind) return;
  const existing = object.metadata.ownerReferences?.find((ref) => ref.uid === cluster.metadata.uid);
  if (existing && (existing.controller === true) === topology) return;
  await updateObject(ctx, kind.type, object, (copy) => {
    ensureOwnerReference(copy, cluster, topology);
    copy.metadata.labels = { ...copy.metadata.labels, [LABELS.clusterName]: cluster.metadata.name ?? '' };
  });
}

function sumVersions(entries: unknown[]): Array<{ version: string; replicas: number }> {
  const totals = new Map<string, number>();
  for (const entry of entries) {
    if (!isRecord(entry) || typeof entry.version !== 'string') continue;
    totals.set(
      entry.version,
      (totals.get(entry.version) ?? 0) + (typeof entry.replicas === 'number' ? entry.replicas : 0),
    );
  }
  return [...totals.entries()]
    .sort(([a], [b]) => compareKubernetesVersions(a, b))
    .map(([version, replicas]) => ({ version, replicas }));
}

async function reconcileDelete(ctx: EngineContext, cluster: KubeObject): Promise<ReconcileResult> {
  const namespace = cluster.metadata.namespace;
  const name = cluster.metadata.name ?? '';
  const deployments = ctx.cache.informer(TYPES.machineDeployment).byCluster(namespace, name);
  const sets = ctx.cache.informer(TYPES.machineSet).byCluster(namespace, name);
  const workers = ctx.cache
    .informer(TYPES.machine)
    .byCluster(namespace, name)
    .filter((m) => m.metadata.labels?.[LABELS.controlPlane] === undefined);
  const controlPlane = readReferenced(ctx, cluster, 'spec.controlPlaneRef');
  const infrastructure = readReferenced(ctx, cluster, 'spec.infrastructureRef', 'infraCluster');
  const pools = machinePoolWorkers(ctx, namespace, name).pools;
  let step: { reason: string; message: string } | undefined;
  if (deployments.length + sets.length + workers.length + pools.length > 0) {
    for (const md of deployments) await deleteObject(ctx, TYPES.machineDeployment, md);
    for (const pool of pools) await deleteObject(ctx, MACHINE_POOL_TYPE, pool);
    for (const ms of sets)
      if (!ms.metadata.ownerReferences?.some((r) => r.kind === 'MachineDeployment'))
        await deleteObject(ctx, TYPES.machineSet, ms);
    for (const machine of workers)
      if (!machine.metadata.ownerReferences?.some((r) => r.controller))
        await deleteObject(ctx, TYPES.machine, machine);
    step = {
      reason: 'WaitingForWorkersDeletion',
      message: `Deleting ${deployments.length} MachineDeployments, ${pools.length} MachinePools and ${workers.length} worker Machines`,
    };
  } else if (controlPlane.state === 'found' || controlPlane.state === 'pending') {
    if (controlPlane.object && controlPlane.kind)
      await deleteObject(ctx, controlPlane.kind.type, controlPlane.object);
    step = { reason: 'WaitingForControlPlaneDeletion', message: 'Deleting the control plane' };
  } else if (infrastructure.state === 'found' || infrastructure.state === 'pending') {
    if (infrastructure.object && infrastructure.kind)
      await deleteObject(ctx, infrastructure.kind.type, infrastructure.object);
    step = { reason: 'WaitingForInfrastructureDeletion', message: 'Deleting the cluster infrastructure' };
  }
  await updateStatus(ctx, TYPES.cluster, cluster, (status) => {
    status.phase = 'Deleting';
    setConditions(ctx, status, [clusterDeletingCondition(step)], cluster.metadata.generation);
  });
  if (step) return { requeueAfterMs: 500 };
  for (const mhc of ctx.cache.informer(TYPES.machineHealthCheck).byCluster(namespace, name))
    await deleteObject(ctx, TYPES.machineHealthCheck, mhc);
  const result = await updateObject(ctx, TYPES.cluster, cluster, (copy) =>
    removeFinalizer(copy, FINALIZERS.cluster),
  );
  if (result && !result.ok && result.code !== 404) return { requeueAfterMs: 200 };
}

function missingClusterClass(ctx: EngineContext, cluster: KubeObject): ConditionInput | undefined {
  const key = classKeyOf(cluster);
  const informer = ctx.cache.informer(TYPES.clusterClass);
  if (!key || !informer.synced || informer.get(key.namespace, key.name)) return undefined;
  return topologyClassNotFound(key);
}

/** What the phases of one Cluster reconcile share. */
interface ClusterScope {
  ctx: EngineContext;
  cluster: KubeObject;
  topology: boolean;
  conditions: ConditionInput[];
  requeueAfterMs?: number;
  infrastructure: Referenced;
  infraProvisioned: boolean;
  controlPlane: Referenced;
  cpInitialized: boolean;
}

function requeueOf(s: ClusterScope): (ms: number | undefined) => void {
  return (ms) => {
    if (ms !== undefined) s.requeueAfterMs = Math.min(s.requeueAfterMs ?? Infinity, ms);
  };
}

async function reconcilePaused(s: ClusterScope): Promise<PhaseOutcome | void> {
  if (!isPaused(s.cluster, s.cluster)) return;
  await updateStatus(s.ctx, TYPES.cluster, s.cluster, (status) =>
    setConditions(s.ctx, status, [pausedCondition(true)], s.cluster.metadata.generation),
  );
  return stop();
}

async function reconcileDeleting(s: ClusterScope): Promise<PhaseOutcome | void> {
  if (!s.cluster.metadata.deletionTimestamp) return;
  const result = await reconcileDelete(s.ctx, s.cluster);
  return stop(result?.requeueAfterMs);
}

/** CAPI's webhook rejects every update of a Cluster whose class is missing, so only its status changes. */
async function reconcileMissingClass(s: ClusterScope): Promise<PhaseOutcome | void> {
  const missingClass = missingClusterClass(s.ctx, s.cluster);
  if (!missingClass) return;
  await updateStatus(s.ctx, TYPES.cluster, s.cluster, (status) => {
    status.observedGeneration = s.cluster.metadata.generation;
    setConditions(s.ctx, status, [missingClass], s.cluster.metadata.generation);
  });
  return stop(5_000);
}

async function reconcileMetadata(s: ClusterScope): Promise<PhaseOutcome | void> {
  const written = await updateObject(s.ctx, TYPES.cluster, s.cluster, (copy) =>
    addFinalizer(copy, FINALIZERS.cluster),
  );
  if (written && !written.ok) return stop(100);
  if (written?.ok) s.cluster = written.value;
}

/** ClusterClass clusters: the topology controller's objects. */
async function reconcileClusterTopology(s: ClusterScope): Promise<PhaseOutcome | void> {
  if (!s.topology) return;
  const result = await reconcileTopology(s.ctx, s.cluster);
  s.cluster = result.cluster;
  s.conditions.push(...result.outcome.conditions);
  requeueOf(s)(result.outcome.requeueAfterMs);
}

/** The InfraCluster: owner reference, provisioned, the control plane endpoint. */
async function reconcileInfrastructure(s: ClusterScope): Promise<PhaseOutcome | void> {
  const { ctx, conditions, topology } = s;
  let cluster = s.cluster;
  const namespace = cluster.metadata.namespace ?? '';
  const name = cluster.metadata.name ?? '';
  const requeue = requeueOf(s);
  const infrastructure = (s.infrastructure = readReferenced(
    ctx,
    cluster,
    'spec.infrastructureRef',
    'infraCluster',
  ));
  if (infrastructure.state === 'pending') requeue(200);
  await adopt(ctx, cluster, infrastructure, topology);
  const infraProvisioned = (s.infraProvisioned =
    infrastructure.state === 'none' ||
    (infrastructure.object !== undefined &&
      infrastructure.kind !== undefined &&
      isInfraProvisioned(infrastructure.object, infrastructure.kind.contract)));
  if (
    infraProvisioned &&
    !stringField(cluster, 'spec.controlPlaneEndpoint.host') &&
    infrastructure.state !== 'none'
  ) {
    const host =
      stringField(infrastructure.object, 'spec.controlPlaneEndpoint.host') ??
      simulatedEndpointHost(namespace, name);
    const port = numberField(infrastructure.object, 'spec.controlPlaneEndpoint.port') ?? SIMULATED_API_PORT;
    const result = await updateObject(ctx, TYPES.cluster, cluster, (copy) => {
      (copy.spec as JsonRecord).controlPlaneEndpoint = { host, port };
    });
    if (result && !result.ok) return stop(100);
    if (result?.ok) s.cluster = cluster = result.value;
  }
  conditions.push(
    clusterInfrastructureReadyCondition(infraProvisioned, infrastructure.state, infrastructure.ref),
  );
}

/** The control plane: owner reference, initialised, available. */
async function reconcileControlPlane(s: ClusterScope): Promise<PhaseOutcome | void> {
  const { ctx, cluster, conditions, topology } = s;
  const requeue = requeueOf(s);
  const controlPlane = (s.controlPlane = readReferenced(ctx, cluster, 'spec.controlPlaneRef'));
  if (controlPlane.state === 'pending') requeue(200);
  await adopt(ctx, cluster, controlPlane, topology);
  const cp = controlPlane.object;
  const cpInitialized = (s.cpInitialized =
    booleanField(cp, 'status.initialization.controlPlaneInitialized') === true ||
    booleanField(cp, 'status.initialized') === true);
  const cpAvailable = isConditionTrue(cp?.status, 'Available');
  conditions.push(
    ...clusterControlPlaneConditions({
      initialized: cpInitialized,
      state: controlPlane.state,
      ref: controlPlane.ref,
      available: cpAvailable,
      availableMessage: findCondition(cp?.status, 'Available')?.message,
    }),
  );
}

/** Workers, the summary conditions, Available, the status (v1beta2 and deprecated v1beta1). */
async function reconcileStatus(s: ClusterScope): Promise<PhaseOutcome | void> {
  const { ctx, cluster, conditions, infrastructure, infraProvisioned, controlPlane, cpInitialized } = s;
  const namespace = cluster.metadata.namespace;
  const name = cluster.metadata.name ?? '';
  const cp = controlPlane.object;
  const deployments = ctx.cache.informer(TYPES.machineDeployment).byCluster(namespace, name);
  const machines = ctx.cache.informer(TYPES.machine).byCluster(namespace, name);
  const cpMachines = machines.filter((m) => m.metadata.labels?.[LABELS.controlPlane] !== undefined);
  const workerMachines = machines.filter((m) => m.metadata.labels?.[LABELS.controlPlane] === undefined);
  const cpCounts = countMachines(cpMachines);
  const workerCounts = countMachines(workerMachines);
  const poolWorkers = machinePoolWorkers(ctx, namespace, name);
  const unavailableMds = [...deployments, ...poolWorkers.pools]
    .filter((md) => !isConditionTrue(md.status, 'Available'))
    .map((md) => md.metadata.name);
  const related = [cp, ...deployments, ...poolWorkers.pools].filter((o): o is KubeObject => o !== undefined);
  const withCondition = (type: string): string[] =>
    related.filter((o) => isConditionTrue(o.status, type)).map((o) => `${o.kind} ${o.metadata.name}`);
  conditions.push(
    ...clusterWorkerConditions({
      workerPools: deployments.length + poolWorkers.pools.length,
      unavailablePools: unavailableMds,
      controlPlaneMachines: cpCounts,
      workerMachines: workerCounts,
      withCondition,
    }),
  );
  conditions.push(clusterAvailableCondition(conditions));

  const hasRefs = infrastructure.state !== 'none' || controlPlane.state !== 'none';
  const endpoint = stringField(cluster, 'spec.controlPlaneEndpoint.host');
  const phase = infraProvisioned && endpoint ? 'Provisioned' : hasRefs ? 'Provisioning' : 'Pending';
  const clusterNow = cluster;
  const result = await updateStatus(ctx, TYPES.cluster, clusterNow, (status) => {
    status.phase = phase;
    status.initialization = {
      infrastructureProvisioned: infraProvisioned,
      controlPlaneInitialized: cpInitialized,
    };
    if (cp) {
      status.controlPlane = {
        desiredReplicas: numberField(cp, 'spec.replicas') ?? cpCounts.replicas,
        replicas: numberField(cp, 'status.replicas') ?? cpCounts.replicas,
        readyReplicas: numberField(cp, 'status.readyReplicas') ?? cpCounts.readyReplicas,
        availableReplicas: numberField(cp, 'status.availableReplicas') ?? cpCounts.availableReplicas,
        upToDateReplicas: numberField(cp, 'status.upToDateReplicas') ?? cpCounts.upToDateReplicas,
        ...versionsField(
          arrayField(cp, 'status.versions').length > 0
            ? sumVersions(arrayField(cp, 'status.versions'))
            : cpCounts.versions,
        ),
      };
    }
    status.workers = {
      desiredReplicas:
        deployments.reduce((sum, md) => sum + (numberField(md, 'spec.replicas') ?? 0), 0) +
        poolWorkers.desiredReplicas,
      replicas: workerCounts.replicas + poolWorkers.replicas,
      readyReplicas: workerCounts.readyReplicas + poolWorkers.readyReplicas,
      availableReplicas: workerCounts.availableReplicas + poolWorkers.availableReplicas,
      upToDateReplicas: workerCounts.upToDateReplicas + poolWorkers.upToDateReplicas,
      ...versionsField(sumVersions([...workerCounts.versions, ...poolWorkers.versions])),
    };
    status.observedGeneration = clusterNow.metadata.generation;
    setConditions(ctx, status, conditions, clusterNow.metadata.generation);
    setClusterLegacyStatus(status, {
      infrastructure: { object: infrastructure.object, provisioned: infraProvisioned },
      ...(controlPlane.state !== 'none' ? { controlPlane: { object: cp, initialized: cpInitialized } } : {}),
      controlPlaneInitialized: cpInitialized,
      now: now(ctx),
    });
  });
  if (result && !result.ok) return stop(100);
  return s.requeueAfterMs === undefined ? undefined : { requeueAfterMs: s.requeueAfterMs };
}

const CLUSTER_PHASES: Array<Phase<ClusterScope>> = [
  reconcilePaused,
  reconcileDeleting,
  reconcileMissingClass,
  reconcileMetadata,
  reconcileClusterTopology,
  reconcileInfrastructure,
  reconcileControlPlane,
  reconcileStatus,
];

export async function reconcileCluster(
  ctx: EngineContext,
  namespace: string,
  name: string,
): Promise<ReconcileResult> {
  const cluster = ctx.cache.informer(TYPES.cluster).get(namespace, name);
  if (!cluster) return;
  return runPhases<ClusterScope>(
    {
      ctx,
      cluster,
      topology: recordField(cluster, 'spec.topology') !== undefined,
      conditions: [pausedCondition(false), notDeletingCondition()],
      infrastructure: { state: 'none' },
      infraProvisioned: false,
      controlPlane: { state: 'none' },
      cpInitialized: false,
    },
    CLUSTER_PHASES,
  );
}
