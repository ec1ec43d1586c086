/**
 * The simulated infrastructure provider for machine pools, for any InfraMachinePool kind
 * (DockerMachinePool, DevMachinePool, AWSMachinePool, …): once the MachinePool owns it, the
 * cluster's infrastructure is up and bootstrap data exists, one instance per replica boots for the
 * kind's start-up duration; ready instances are listed in `spec.providerIDList` and
 * `status.instances`. A version change boots a new set of instances and drops the old ones once the
 * new ones are ready (a surge rollout), so the pool never loses capacity.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import { clusterInfrastructureProvisioned } from './cluster-lookup.ts';
import { type EngineContext, setConditions, updateObject, updateStatus } from './engine-context.ts';
import { isInfraProvisioned } from './infra-cluster-controller.ts';
import { stableSuffix } from './naming.ts';
import { pruneToSchema } from './schema-fields.ts';
import type { ResolvedKind } from './object-cache.ts';
import {
  type JsonRecord,
  arrayField,
  isRecord,
  numberField,
  recordField,
  stringField,
} from './object-fields.ts';
import { failsProvisioning, machineAddress, remainingMs, stepSeconds } from './simulation.ts';
import { pausedCondition } from './condition-builders/common.ts';
import { poolReadyCondition } from './condition-builders/machine-pool.ts';
import { infraMachineWaitingConditions } from './condition-builders/provider.ts';

export interface PoolInstance {
  instanceName: string;
  providerID: string;
  version: string;
  ready: boolean;
}

export interface PoolState {
  provisioned: boolean;
  /** Ready instances of the pool, the ones a node exists for. */
  instances: PoolInstance[];
  requeueAfterMs?: number;
  /** The InfraMachinePool as this reconcile left it (the MachinePool mirrors its Ready). */
  object?: KubeObject;
}

/** Provisioned as the kind's contract says; the other field is pruned by schemas that lack it. */
export function isPoolProvisioned(pool: KubeObject | undefined, kind: ResolvedKind): boolean {
  return (
    isInfraProvisioned(pool, kind.contract) ||
    isInfraProvisioned(pool, kind.contract === 'v1beta2' ? 'v1beta1' : 'v1beta2')
  );
}

function poolProviderID(kind: string, instanceName: string): string {
  if (kind === 'DockerMachinePool' || kind === 'DevMachinePool') return `docker:////${instanceName}`;
  return `${kind.replace(/MachinePool$/, '').toLowerCase() || 'simulated'}://${instanceName}`;
}

/**
 * The instances persisted on the pool. Kinds differ in what their schema keeps (AWSMachinePool
 * keeps only `instanceID` and `version`): the name falls back to `instanceID`, the providerID is
 * derived, and an instance listed in `spec.providerIDList` is ready.
 */
export function readInstances(kind: ResolvedKind, pool: KubeObject): PoolInstance[] {
  const listed = new Set(arrayField(pool, 'spec.providerIDList'));
  return arrayField(pool, 'status.instances')
    .filter(isRecord)
    .map((i) => {
      const name = stringField(i, 'instanceName') ?? stringField(i, 'instanceID') ?? '';
      const providerID = stringField(i, 'providerID') ?? poolProviderID(kind.type.kind, name);
      return {
        instanceName: name,
        providerID,
        version: stringField(i, 'version') ?? '',
        ready: i.ready === true || listed.has(providerID),
      };
    })
    .filter((i) => i.instanceName !== '');
}

function instanceName(pool: KubeObject, version: string, index: number): string {
  return `${pool.metadata.name}-${stableSuffix(`${pool.metadata.uid}/${version}/${index}`)}`;
}

/** The instances wanted now: `replicas` of `version`, plus old ones kept until the new set is ready. */
function desiredInstances(
  ctx: EngineContext,
  kind: ResolvedKind,
  pool: KubeObject,
  replicas: number,
  version: string,
): { instances: PoolInstance[]; requeueAfterMs?: number } {
  const existing = new Map(readInstances(kind, pool).map((i) => [i.instanceName, i]));
  const uid = pool.metadata.uid ?? '';
  const bootSeconds = stepSeconds(pool, 'vm') + stepSeconds(pool, 'node');
  let requeueAfterMs: number | undefined;
  const wanted: PoolInstance[] = [];
  for (let index = 0; index < replicas; index++) {
    const name = instanceName(pool, version, index);
    const previous = existing.get(name);
    if (previous?.ready) {
      wanted.push(previous);
      continue;
    }
    const left = failsProvisioning(ctx, `${uid}/${name}`)
      ? Number.POSITIVE_INFINITY
      : remainingMs(ctx, uid, `instance/${name}`, bootSeconds);
    if (left > 0 && Number.isFinite(left)) requeueAfterMs = Math.min(requeueAfterMs ?? left, left);
    wanted.push({
      instanceName: name,
      providerID: poolProviderID(kind.type.kind, name),
      version,
      ready: left <= 0,
    });
  }
  const newSetReady = wanted.every((i) => i.ready);
  const outdated = newSetReady ? [] : [...existing.values()].filter((i) => i.version !== version && i.ready);
  return { instances: [...outdated, ...wanted], requeueAfterMs };
}

function instanceStatus(kind: ResolvedKind, instance: PoolInstance, index: number, uid: string): JsonRecord {
  // Each kind's schema keeps its own subset of these (the server prunes the rest).
  const status: JsonRecord = { ...instance, instanceID: instance.instanceName };
  if (kind.type.kind === 'DockerMachinePool') status.bootstrapped = instance.ready;
  if (instance.ready)
    status.addresses = [
      { type: 'InternalIP', address: machineAddress(`${uid}/${index}/${instance.instanceName}`) },
      { type: 'Hostname', address: instance.instanceName },
    ];
  return status;
}

/** The pool's status as the provider reports it, before the kind's schema prunes it. */
export function writePoolStatus(
  ctx: EngineContext,
  kind: ResolvedKind,
  pool: KubeObject,
  instances: PoolInstance[],
  provisioned: boolean,
  status: JsonRecord,
): void {
  const uid = pool.metadata.uid ?? '';
  const ready = instances.filter((i) => i.ready).length;
  status.replicas = ready;
  status.instances = instances.map((i, index) => instanceStatus(kind, i, index, uid));
  status.observedGeneration = pool.metadata.generation;
  if (provisioned) {
    status.ready = true;
    status.initialization = { ...(recordField(status, 'initialization') ?? {}), provisioned: true };
  }
  // v1beta1-contract kinds carry v1beta1 conditions (other required fields): none are written there.
  if (kind.contract !== 'v1beta2') return;
  setConditions(
    ctx,
    status,
    [poolReadyCondition(instances.length, instances.length - ready), pausedCondition(false)],
    pool.metadata.generation,
  );
}

/** Runs the simulated provider for one InfraMachinePool of `machinePool`. */
export async function reconcileInfraMachinePool(
  ctx: EngineContext,
  kind: ResolvedKind,
  pool: KubeObject,
  machinePool: KubeObject,
  cluster: KubeObject | undefined,
): Promise<PoolState> {
  // v1beta1-contract kinds carry v1beta1 conditions (other required fields): none are written there.
  const contractV2 = kind.contract === 'v1beta2';
  const waiting = async (reason: string, message: string): Promise<PoolState> => {
    if (contractV2)
      await updateStatus(ctx, kind.type, pool, (status) =>
        setConditions(ctx, status, infraMachineWaitingConditions(reason, message), pool.metadata.generation),
      );
    return { provisioned: isPoolProvisioned(pool, kind), instances: [] };
  };
  if (!clusterInfrastructureProvisioned(cluster))
    return waiting(
      'WaitingForClusterInfrastructure',
      'Waiting for the cluster infrastructure to be provisioned',
    );
  if (!stringField(machinePool, 'spec.template.spec.bootstrap.dataSecretName'))
    return waiting('WaitingForBootstrapData', 'Waiting for the bootstrap data secret');

  const replicas = numberField(machinePool, 'spec.replicas') ?? 1;
  const version = stringField(machinePool, 'spec.template.spec.version') ?? '';
  const desired = desiredInstances(ctx, kind, pool, replicas, version);
  const ready = desired.instances.filter((i) => i.ready);
  const providerIDList = ready.map((i) => i.providerID);
  // Provisioned once the first full set of instances is up; it stays so while the pool scales.
  const provisioned = isPoolProvisioned(pool, kind) || ready.length >= replicas;

  let current = pool;
  const listed = arrayField(pool, 'spec.providerIDList');
  if (JSON.stringify(listed) !== JSON.stringify(providerIDList)) {
    const written = await updateObject(ctx, kind.type, pool, (copy) => {
      const spec = (copy.spec ?? {}) as JsonRecord;
      spec.providerIDList = providerIDList;
      copy.spec = spec;
    });
    if (written && !written.ok) return { provisioned: false, instances: [], requeueAfterMs: 100 };
    if (written?.ok) current = written.value;
  }
  const result = await updateStatus(ctx, kind.type, current, (status) => {
    writePoolStatus(ctx, kind, current, desired.instances, provisioned, status);
    // Only what this kind's schema keeps (the server prunes the rest; a pruned field would differ
    // on every reconcile and be written again).
    pruneToSchema(status, kind.statusSchema);
  });
  if (result && !result.ok) return { provisioned: false, instances: [], requeueAfterMs: 100 };
  return {
    provisioned,
    instances: ready,
    requeueAfterMs: desired.requeueAfterMs,
    object: result?.ok ? result.value : current,
  };
}
