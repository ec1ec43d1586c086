/**
 * The MachinePool controller (CAPI's internal/controllers/machinepool): owner references on the
 * bootstrap config and the InfraMachinePool, bootstrap data → `spec.template.spec.bootstrap.
 * dataSecretName`, the InfraMachinePool's providerIDList → `spec.providerIDList` and simulated
 * nodes → `status.nodeRefs`, replica counters, phase, initialization and conditions. Deletion
 * removes the InfraMachinePool and bootstrap config before the finalizer. MachinePool Machines
 * (per-instance Machine objects) are not created.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import { clusterOf, isPaused, pausedCondition } from './cluster-lookup.ts';
import type { ConditionInput } from './conditions.ts';
import {
  type EngineContext,
  addFinalizer,
  deleteObject,
  ensureOwnerReference,
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
import type { ResolvedKind } from './object-cache.ts';
import { type JsonRecord, arrayField, numberField, recordField, stringField } from './object-fields.ts';
import { versionsField } from './replica-status.ts';
import type { ReconcileResult } from './work-queue.ts';

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
    setConditions(
      ctx,
      status,
      [
        { type: 'Deleting', status: true, reason: 'Deleting', message: 'Deleting the machine pool' },
        { type: 'Available', status: false, reason: 'Deleting' },
      ],
      pool.metadata.generation,
    );
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

function replicaConditions(desired: number, ready: number, upToDate: number): ConditionInput[] {
  return [
    ready >= desired
      ? { type: 'Available', status: true, reason: 'Available' }
      : {
          type: 'Available',
          status: false,
          reason: 'NotAvailable',
          message: `${ready} of ${desired} replicas are available`,
        },
    ready < desired
      ? {
          type: 'ScalingUp',
          status: true,
          reason: 'ScalingUp',
          message: `Scaling up from ${ready} to ${desired} replicas`,
        }
      : { type: 'ScalingUp', status: false, reason: 'NotScalingUp' },
    ready > desired
      ? {
          type: 'ScalingDown',
          status: true,
          reason: 'ScalingDown',
          message: `Scaling down from ${ready} to ${desired} replicas`,
        }
      : { type: 'ScalingDown', status: false, reason: 'NotScalingDown' },
    ready >= desired
      ? { type: 'MachinesReady', status: true, reason: ready === 0 ? 'NoReplicas' : 'Ready' }
      : {
          type: 'MachinesReady',
          status: false,
          reason: 'NotReady',
          message: `${desired - ready} of ${desired} replicas are not ready`,
        },
    { type: 'Remediating', status: false, reason: 'NotRemediating' },
    ready === upToDate
      ? { type: 'MachinesUpToDate', status: true, reason: ready === 0 ? 'NoReplicas' : 'UpToDate' }
      : {
          type: 'MachinesUpToDate',
          status: false,
          reason: 'NotUpToDate',
          message: `${ready - upToDate} of ${ready} replicas are not up-to-date`,
        },
  ];
}

export async function reconcileMachinePool(
  ctx: EngineContext,
  namespace: string,
  name: string,
): Promise<ReconcileResult> {
  let pool = ctx.cache.informer(MACHINE_POOL_TYPE).get(namespace, name);
  if (!pool) return;
  const cluster = clusterOf(ctx, pool);
  if (isPaused(cluster, pool)) {
    await updateStatus(ctx, MACHINE_POOL_TYPE, pool, (status) =>
      setConditions(ctx, status, [pausedCondition(true)], pool?.metadata.generation),
    );
    return;
  }
  if (pool.metadata.deletionTimestamp) return reconcileDelete(ctx, pool);

  const clusterName = stringField(pool, 'spec.clusterName') ?? '';
  const metadataWrite = await updateObject(ctx, MACHINE_POOL_TYPE, pool, (copy) => {
    addFinalizer(copy, MACHINE_POOL_FINALIZER);
    copy.metadata.labels = { ...copy.metadata.labels, [LABELS.clusterName]: clusterName };
    if (cluster) ensureOwnerReference(copy, cluster, false);
  });
  if (metadataWrite && !metadataWrite.ok) return { requeueAfterMs: 100 };
  if (metadataWrite?.ok) pool = metadataWrite.value;

  // Bootstrap.
  const bootstrap = readRef(ctx, pool, 'spec.template.spec.bootstrap.configRef', true);
  if (bootstrap.state === 'pending') return { requeueAfterMs: 200 };
  const config = await adopt(ctx, pool, bootstrap);
  let dataSecretName = stringField(pool, 'spec.template.spec.bootstrap.dataSecretName');
  const fromConfig = stringField(config, 'status.dataSecretName');
  if (!dataSecretName && fromConfig) {
    const written = await updateObject(ctx, MACHINE_POOL_TYPE, pool, (copy) => {
      const spec = (copy.spec as { template: { spec: { bootstrap: JsonRecord } } }).template.spec;
      spec.bootstrap.dataSecretName = fromConfig;
    });
    if (written && !written.ok) return { requeueAfterMs: 100 };
    if (written?.ok) pool = written.value;
    dataSecretName = fromConfig;
  }

  // Infrastructure (the simulated provider runs here: pools have no other controller).
  const infra = readRef(ctx, pool, 'spec.template.spec.infrastructureRef', false);
  if (infra.state === 'pending') return { requeueAfterMs: 200 };
  const infraPool = await adopt(ctx, pool, infra);
  let instances: PoolInstance[] = [];
  let infraProvisioned = false;
  let requeueAfterMs: number | undefined;
  if (infraPool && infra.kind) {
    const state = await reconcileInfraMachinePool(ctx, infra.kind, infraPool, pool, cluster);
    instances = state.instances;
    infraProvisioned = state.provisioned || isPoolProvisioned(infraPool, infra.kind);
    requeueAfterMs = state.requeueAfterMs;
  }
  const providerIDList = instances.map((i) => i.providerID);
  if (JSON.stringify(arrayField(pool, 'spec.providerIDList')) !== JSON.stringify(providerIDList)) {
    const written = await updateObject(ctx, MACHINE_POOL_TYPE, pool, (copy) => {
      (copy.spec as JsonRecord).providerIDList = providerIDList;
    });
    if (written && !written.ok) return { requeueAfterMs: 100 };
    if (written?.ok) pool = written.value;
  }

  const desired = numberField(pool, 'spec.replicas') ?? 1;
  const version = stringField(pool, 'spec.template.spec.version');
  const ready = instances.length;
  const upToDate = instances.filter((i) => !version || i.version === version).length;
  const conditions: ConditionInput[] = [
    pausedCondition(false),
    { type: 'Deleting', status: false, reason: 'NotDeleting' },
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
    infraProvisioned
      ? { type: 'InfrastructureReady', status: true, reason: 'Ready' }
      : infra.state === 'missing' || infra.state === 'none'
        ? {
            type: 'InfrastructureReady',
            status: false,
            reason: 'InfrastructureMachinePoolDoesNotExist',
            message: 'Waiting for the infrastructure machine pool to exist',
          }
        : {
            type: 'InfrastructureReady',
            status: false,
            reason: 'NotReady',
            message: 'Waiting for the infrastructure machine pool to be provisioned',
          },
    ...replicaConditions(desired, ready, upToDate),
  ];
  const phase = phaseOf(dataSecretName !== undefined, infraProvisioned, desired, ready, ready);
  const current = pool;
  const result = await updateStatus(ctx, MACHINE_POOL_TYPE, current, (status) => {
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
    status.observedGeneration = current.metadata.generation;
    setConditions(ctx, status, conditions, current.metadata.generation);
  });
  if (result && !result.ok) return { requeueAfterMs: 100 };
  return requeueAfterMs === undefined ? undefined : { requeueAfterMs };
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
