/**
 * The MachinePool controller (CAPI's internal/controllers/machinepool): owner references on the
 * bootstrap config and the InfraMachinePool, bootstrap data → `spec.template.spec.bootstrap.
 * dataSecretName`, the InfraMachinePool's providerIDList → `spec.providerIDList` and simulated
 * nodes → `status.nodeRefs`, replica counters, phase, initialization, conditions and
 * `status.deprecated.v1beta1`. Deletion removes the InfraMachinePool and bootstrap config before
 * the finalizer. MachinePool Machines (per-instance Machine objects) are not created.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import { clusterOf, isPaused } from './cluster-lookup.ts';
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
import {
  type PoolInstance,
  isPoolProvisioned,
  reconcileInfraMachinePool,
} from './infra-machine-pool-provider.ts';
import type { ResourceType } from './kube-client.ts';
import { compareKubernetesVersions } from './kubernetes-version.ts';
import { LABELS } from './labels.ts';
import { setMachinePoolLegacyStatus } from './legacy-status.ts';
import type { ResolvedKind } from './object-cache.ts';
import { type JsonRecord, arrayField, numberField, recordField, stringField } from './object-fields.ts';
import { type Phase, type PhaseOutcome, runPhases, stop } from './phases.ts';
import { versionsField } from './replica-status.ts';
import type { ReconcileResult } from './work-queue.ts';
import { pausedCondition } from './condition-builders/common.ts';
import { machinePoolConditions, machinePoolDeletingConditions } from './condition-builders/machine-pool.ts';

export const MACHINE_POOL_TYPE: ResourceType = {
  group: 'cluster.x-k8s.io',
  version: 'v1beta2',
  plural: 'machinepools',
  kind: 'MachinePool',
  namespaced: true,
};
export const MACHINE_POOL_FINALIZER = 'machinepool.cluster.x-k8s.io';

interface RefState {
  kind?: ResolvedKind;
  object?: KubeObject;
  state: 'found' | 'missing' | 'pending' | 'none';
}

function readRef(ctx: EngineContext, pool: KubeObject, path: string, bootstrap: boolean): RefState {
  const ref = recordField(pool, path);
  const apiGroup = stringField(ref, 'apiGroup');
  const kind = stringField(ref, 'kind');
  const name = stringField(ref, 'name');
  if (!apiGroup || !kind || !name) return { state: 'none' };
  // The bootstrap provider serves pools too; the InfraMachinePool is simulated from here.
  if (bootstrap) ctx.watchRole('bootstrap', apiGroup, kind);
  const resolved = ctx.cache.resolve(apiGroup, kind);
  const found = ctx.cache.getRef(apiGroup, kind, pool.metadata.namespace, name);
  if (found.state === 'found') return { kind: resolved, object: found.object, state: 'found' };
  return { kind: resolved, state: found.state };
}

/** The MachinePool becomes the controller owner of its bootstrap config and InfraMachinePool. */
async function adopt(ctx: EngineContext, pool: KubeObject, ref: RefState): Promise<KubeObject | undefined> {
  if (!ref.object || !ref.kind) return ref.object;
  if (ref.object.metadata.ownerReferences?.some((o) => o.uid === pool.metadata.uid && o.controller))
    return ref.object;
  const written = await updateObject(ctx, ref.kind.type, ref.object, (copy) => {
    ensureOwnerReference(copy, pool, true);
    copy.metadata.labels = {
      ...copy.metadata.labels,
      [LABELS.clusterName]: stringField(pool, 'spec.clusterName') ?? '',
    };
  });
  return written?.ok ? written.value : ref.object;
}

async function reconcileDelete(ctx: EngineContext, pool: KubeObject): Promise<ReconcileResult> {
  await updateStatus(ctx, MACHINE_POOL_TYPE, pool, (status) => {
    status.phase = 'Deleting';
    setConditions(ctx, status, machinePoolDeletingConditions(), pool.metadata.generation);
  });
  let waiting = false;
  for (const [path, bootstrap] of [
    ['spec.template.spec.infrastructureRef', false],
    ['spec.template.spec.bootstrap.configRef', true],
  ] as const) {
    const ref = readRef(ctx, pool, path, bootstrap);
    if (ref.state === 'pending') waiting = true;
    if (ref.object && ref.kind) {
      waiting = true;
      await deleteObject(ctx, ref.kind.type, ref.object);
    }
  }
  if (waiting) return { requeueAfterMs: 250 };
  const result = await updateObject(ctx, MACHINE_POOL_TYPE, pool, (copy) =>
    removeFinalizer(copy, MACHINE_POOL_FINALIZER),
  );
  if (result && !result.ok && result.code !== 404) return { requeueAfterMs: 100 };
  ctx.forgetTimers(pool.metadata.uid ?? '');
}

function phaseOf(
  bootstrapReady: boolean,
  infraReady: boolean,
  desired: number,
  nodes: number,
  ready: number,
): string {
  if (!bootstrapReady) return 'Pending';
  if (!infraReady) return nodes > 0 ? 'Provisioned' : 'Provisioning';
  if (desired > ready) return 'ScalingUp';
  if (desired < ready) return 'ScalingDown';
  return 'Running';
}

function versionCounts(instances: PoolInstance[]): Array<{ version: string; replicas: number }> {
  const counts = new Map<string, number>();
  for (const i of instances) if (i.version) counts.set(i.version, (counts.get(i.version) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => compareKubernetesVersions(a, b))
    .map(([version, replicas]) => ({ version, replicas }));
}

/** What the phases of one MachinePool reconcile share. */
interface MachinePoolScope {
  ctx: EngineContext;
  pool: KubeObject;
  cluster: KubeObject | undefined;
  bootstrap: RefState;
  infra: RefState;
  dataSecretName?: string;
  /** Ready instances of the InfraMachinePool (a node exists for each). */
  instances: PoolInstance[];
  infraProvisioned: boolean;
}

async function reconcilePaused(s: MachinePoolScope): Promise<PhaseOutcome | void> {
  if (!isPaused(s.cluster, s.pool)) return;
  await updateStatus(s.ctx, MACHINE_POOL_TYPE, s.pool, (status) =>
    setConditions(s.ctx, status, [pausedCondition(true)], s.pool.metadata.generation),
  );
  return stop();
}

async function reconcileDeleting(s: MachinePoolScope): Promise<PhaseOutcome | void> {
  if (!s.pool.metadata.deletionTimestamp) return;
  const result = await reconcileDelete(s.ctx, s.pool);
  return stop(result?.requeueAfterMs ?? undefined);
}

/** Finalizer, cluster-name label and the Cluster as owner. */
async function reconcileMetadata(s: MachinePoolScope): Promise<PhaseOutcome | void> {
  const clusterName = stringField(s.pool, 'spec.clusterName') ?? '';
  const written = await updateObject(s.ctx, MACHINE_POOL_TYPE, s.pool, (copy) => {
    addFinalizer(copy, MACHINE_POOL_FINALIZER);
    copy.metadata.labels = { ...copy.metadata.labels, [LABELS.clusterName]: clusterName };
    if (s.cluster) ensureOwnerReference(copy, s.cluster, false);
  });
  if (written && !written.ok) return stop(100);
  if (written?.ok) s.pool = written.value;
}

/** Adopts the bootstrap config and copies its data secret name into the pool's template. */
async function reconcileBootstrap(s: MachinePoolScope): Promise<PhaseOutcome | void> {
  s.bootstrap = readRef(s.ctx, s.pool, 'spec.template.spec.bootstrap.configRef', true);
  if (s.bootstrap.state === 'pending') return stop(200);
  const config = await adopt(s.ctx, s.pool, s.bootstrap);
  s.dataSecretName = stringField(s.pool, 'spec.template.spec.bootstrap.dataSecretName');
  const fromConfig = stringField(config, 'status.dataSecretName');
  if (s.dataSecretName || !fromConfig) return;
  const written = await updateObject(s.ctx, MACHINE_POOL_TYPE, s.pool, (copy) => {
    const spec = (copy.spec as { template: { spec: { bootstrap: JsonRecord } } }).template.spec;
    spec.bootstrap.dataSecretName = fromConfig;
  });
  if (written && !written.ok) return stop(100);
  if (written?.ok) s.pool = written.value;
  s.dataSecretName = fromConfig;
}

/** Adopts the InfraMachinePool and runs the simulated provider (pools have no other controller). */
async function reconcileInfrastructure(s: MachinePoolScope): Promise<PhaseOutcome | void> {
  s.infra = readRef(s.ctx, s.pool, 'spec.template.spec.infrastructureRef', false);
  if (s.infra.state === 'pending') return stop(200);
  const infraPool = await adopt(s.ctx, s.pool, s.infra);
  if (!infraPool || !s.infra.kind) return;
  const state = await reconcileInfraMachinePool(s.ctx, s.infra.kind, infraPool, s.pool, s.cluster);
  s.instances = state.instances;
  if (state.object) s.infra.object = state.object;
  s.infraProvisioned = state.provisioned || isPoolProvisioned(infraPool, s.infra.kind);
  if (state.requeueAfterMs !== undefined) return { requeueAfterMs: state.requeueAfterMs };
}

/** The ready instances' providerIDs → `spec.providerIDList`. */
async function reconcileProviderIDList(s: MachinePoolScope): Promise<PhaseOutcome | void> {
  const providerIDList = s.instances.map((i) => i.providerID);
  if (JSON.stringify(arrayField(s.pool, 'spec.providerIDList')) === JSON.stringify(providerIDList)) return;
  const written = await updateObject(s.ctx, MACHINE_POOL_TYPE, s.pool, (copy) => {
    (copy.spec as JsonRecord).providerIDList = providerIDList;
  });
  if (written && !written.ok) return stop(100);
  if (written?.ok) s.pool = written.value;
}

/** Phase, initialization, counters, nodeRefs, versions and conditions. */
async function reconcileStatus(s: MachinePoolScope): Promise<PhaseOutcome | void> {
  const { ctx, pool, instances, infraProvisioned, dataSecretName } = s;
  const desired = numberField(pool, 'spec.replicas') ?? 1;
  const version = stringField(pool, 'spec.template.spec.version');
  const ready = instances.length;
  const upToDate = instances.filter((i) => !version || i.version === version).length;
  const conditions = machinePoolConditions({
    dataSecretName,
    bootstrapState: s.bootstrap.state,
    infraProvisioned,
    infraState: s.infra.state,
    desired,
    ready,
    upToDate,
  });
  const phase = phaseOf(dataSecretName !== undefined, infraProvisioned, desired, ready, ready);
  const result = await updateStatus(ctx, MACHINE_POOL_TYPE, pool, (status) => {
    status.phase = phase;
    status.initialization = {
      bootstrapDataSecretCreated: dataSecretName !== undefined,
      infrastructureProvisioned: infraProvisioned,
    };
    status.replicas = ready;
    status.readyReplicas = ready;
    status.availableReplicas = ready;
    status.upToDateReplicas = upToDate;
    if (ready > 0)
      status.nodeRefs = instances.map((i) => ({ apiVersion: 'v1', kind: 'Node', name: i.instanceName }));
    else delete status.nodeRefs;
    const { versions } = versionsField(versionCounts(instances));
    if (versions) status.versions = versions;
    else delete status.versions;
    status.observedGeneration = pool.metadata.generation;
    setConditions(ctx, status, conditions, pool.metadata.generation);
    setMachinePoolLegacyStatus(status, {
      bootstrap: s.bootstrap.object,
      dataSecretOnly: s.bootstrap.state === 'none' && dataSecretName !== undefined,
      bootstrapReady: dataSecretName !== undefined,
      infrastructure: s.infra.object,
      infrastructureReady: infraProvisioned,
      desired,
      ready,
      hasProviderIDs: ready > 0,
      now: now(ctx),
    });
  });
  if (result && !result.ok) return stop(100);
}

const MACHINE_POOL_PHASES: Array<Phase<MachinePoolScope>> = [
  reconcilePaused,
  reconcileDeleting,
  reconcileMetadata,
  reconcileBootstrap,
  reconcileInfrastructure,
  reconcileProviderIDList,
  reconcileStatus,
];

export async function reconcileMachinePool(
  ctx: EngineContext,
  namespace: string,
  name: string,
): Promise<ReconcileResult> {
  const pool = ctx.cache.informer(MACHINE_POOL_TYPE).get(namespace, name);
  if (!pool) return;
  return runPhases<MachinePoolScope>(
    {
      ctx,
      pool,
      cluster: clusterOf(ctx, pool),
      bootstrap: { state: 'none' },
      infra: { state: 'none' },
      instances: [],
      infraProvisioned: false,
    },
    MACHINE_POOL_PHASES,
  );
}

/** What a cluster's MachinePools add to its `status.workers` summary (CAPI counts pool replicas). */
export function machinePoolWorkers(
  ctx: EngineContext,
  namespace: string | undefined,
  clusterName: string,
): {
  pools: KubeObject[];
  desiredReplicas: number;
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  upToDateReplicas: number;
  versions: unknown[];
} {
  const pools = ctx.cache.informer(MACHINE_POOL_TYPE).byCluster(namespace, clusterName);
  const sum = (path: string): number =>
    pools.reduce((total, pool) => total + (numberField(pool, path) ?? 0), 0);
  return {
    pools,
    desiredReplicas: sum('spec.replicas'),
    replicas: sum('status.replicas'),
    readyReplicas: sum('status.readyReplicas'),
    availableReplicas: sum('status.availableReplicas'),
    upToDateReplicas: sum('status.upToDateReplicas'),
    versions: pools.flatMap((pool) => arrayField(pool, 'status.versions')),
  };
}
