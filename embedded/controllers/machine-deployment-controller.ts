/**
 * The MachineDeployment controller: one MachineSet per machine template (label
 * `machine-template-hash`, `<hash>-<suffix>`; `spec.rollout.after` forces a new one), rollouts
 * with RollingUpdate (maxSurge / maxUnavailable) or OnDelete, scaling, old MachineSets removed
 * once empty, and the status counters, phase and conditions.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import { clusterOf, isPaused } from './cluster-lookup.ts';
import {
  type EngineContext,
  addFinalizer,
  controllerOwner,
  createObject,
  deleteObject,
  ensureOwnerReference,
  now,
  ownerReference,
  setConditions,
  updateObject,
  updateStatus,
} from './engine-context.ts';
import { type DeleteChildrenStep, deleteChildrenThenFinalizer } from './delete-children.ts';
import { ANNOTATIONS, FINALIZERS, LABELS } from './labels.ts';
import { setMachineDeploymentLegacyStatus } from './legacy-status.ts';
import { ownedMachines } from './machine-set-controller.ts';
import {
  desiredTemplateHash,
  machineSetIsCurrent,
  rolloutAfterPassed,
  untilRolloutAfter,
} from './machine-up-to-date.ts';
import { labelValue, stableJson, stableSuffix } from './naming.ts';
import { field, numberField, recordField, stringField, stringMapField } from './object-fields.ts';
import { countMachines, selectorString, setVersions } from './replica-status.ts';
import { TYPES } from './resource-types.ts';
import { ensureTemplateOwnedByCluster } from './template-ownership.ts';
import { type Phase, type PhaseOutcome, runPhases, stop } from './phases.ts';
import type { ReconcileResult } from './work-queue.ts';
import { pausedCondition } from './condition-builders/common.ts';
import { machineDeploymentConditions } from './condition-builders/machine-deployment.ts';

/** int-or-string rollout parameters ("25%" of replicas, rounded as Kubernetes rounds them). */
export function resolveIntOrPercent(
  value: unknown,
  replicas: number,
  fallback: number,
  roundUp: boolean,
): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.endsWith('%')) {
    const raw = (Number(value.slice(0, -1)) * replicas) / 100;
    return roundUp ? Math.ceil(raw) : Math.floor(raw);
  }
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return fallback;
}

export const DISABLE_MACHINE_CREATE = 'cluster.x-k8s.io/disable-machine-create';

/**
 * Annotations a MachineDeployment does not pass on to its MachineSets (mdutil.annotationsToSkip);
 * every other one is copied (e.g. `machineset.cluster.x-k8s.io/skip-preflight-checks`). The
 * disable-machine-create annotation is the rollout's own (set per MachineSet below).
 */
const ANNOTATIONS_NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  ANNOTATIONS.revision,
  'machinedeployment.clusters.x-k8s.io/revision-history',
  'machinedeployment.clusters.x-k8s.io/desired-replicas',
  'machinedeployment.clusters.x-k8s.io/max-replicas',
  'cluster.x-k8s.io/conversion-data',
  DISABLE_MACHINE_CREATE,
]);

/** MachineSetAnnotationsFromMachineDeployment, without the replica annotations. */
export function annotationsCopiedToMachineSets(md: KubeObject): Record<string, string> {
  return Object.fromEntries(
    Object.entries(md.metadata.annotations ?? {}).filter(([key]) => !ANNOTATIONS_NOT_COPIED.has(key)),
  );
}

function revisionOf(object: KubeObject): number {
  return Number(object.metadata.annotations?.[ANNOTATIONS.revision] ?? 0) || 0;
}

function replicasOf(ms: KubeObject): number {
  return numberField(ms, 'spec.replicas') ?? 0;
}

async function scaleMachineSet(ctx: EngineContext, ms: KubeObject, replicas: number): Promise<void> {
  if (replicasOf(ms) === replicas) return;
  await updateObject(ctx, TYPES.machineSet, ms, (copy) => {
    (copy.spec as Record<string, unknown>).replicas = replicas;
  });
}

async function createMachineSet(
  ctx: EngineContext,
  md: KubeObject,
  replicas: number,
  revision: number,
  maxReplicas: number,
): Promise<KubeObject | undefined> {
  const hash = desiredTemplateHash(md);
  // Derived, not random: a second create of the same MachineSet (a reconcile on a stale cache)
  // ends in AlreadyExists instead of a twin that fights the first. A passed `rollout.after`
  // asks for a new MachineSet of the same template, so it is part of the name's seed.
  const after = stringField(md, 'spec.rollout.after');
  const afterSeed = after && rolloutAfterPassed(md, undefined, ctx.clock.now()) ? after : '';
  const suffix = stableSuffix(`${md.metadata.uid ?? ''}/${hash}/${afterSeed}`);
  const hashLabel = `${hash}-${suffix}`;
  const clusterName = stringField(md, 'spec.clusterName') ?? '';
  const template = structuredClone(recordField(md, 'spec.template') ?? {});
  const templateLabels = { ...stringMapField(template, 'metadata.labels'), [LABELS.templateHash]: hashLabel };
  template.metadata = { ...(recordField(template, 'metadata') ?? {}), labels: templateLabels };
  const ms: KubeObject = {
    apiVersion: `${TYPES.machineSet.group}/${TYPES.machineSet.version}`,
    kind: 'MachineSet',
    metadata: {
      name: `${md.metadata.name}-${suffix}`,
      namespace: md.metadata.namespace,
      labels: {
        ...templateLabels,
        [LABELS.clusterName]: clusterName,
        [LABELS.deploymentName]: labelValue(md.metadata.name ?? ''),
      },
      annotations: {
        ...annotationsCopiedToMachineSets(md),
        [ANNOTATIONS.revision]: String(revision),
        'machinedeployment.clusters.x-k8s.io/desired-replicas': String(numberField(md, 'spec.replicas') ?? 1),
        'machinedeployment.clusters.x-k8s.io/max-replicas': String(maxReplicas),
      },
      ownerReferences: [ownerReference(md, true)],
    },
    spec: {
      clusterName,
      replicas,
      selector: {
        matchLabels: { ...stringMapField(md, 'spec.selector.matchLabels'), [LABELS.templateHash]: hashLabel },
      },
      template,
      ...(recordField(md, 'spec.deletion')
        ? { deletion: { order: stringField(md, 'spec.deletion.order') ?? 'Random' } }
        : {}),
    },
  };
  const created = await createObject(ctx, TYPES.machineSet, ms);
  return created.ok ? created.value : undefined;
}

function availableOf(ctx: EngineContext, ms: KubeObject): number {
  return countMachines(ownedMachines(ctx, ms).filter((m) => !m.metadata.deletionTimestamp)).availableReplicas;
}

async function rollingUpdate(
  ctx: EngineContext,
  md: KubeObject,
  newMs: KubeObject,
  oldSets: KubeObject[],
  replicas: number,
): Promise<void> {
  let maxSurge = resolveIntOrPercent(
    field(md, 'spec.rollout.strategy.rollingUpdate.maxSurge'),
    replicas,
    1,
    true,
  );
  const maxUnavailable = resolveIntOrPercent(
    field(md, 'spec.rollout.strategy.rollingUpdate.maxUnavailable'),
    replicas,
    0,
    false,
  );
  if (maxSurge === 0 && maxUnavailable === 0) maxSurge = 1;
  const total = [newMs, ...oldSets].reduce((sum, ms) => sum + replicasOf(ms), 0);
  const newReplicas = replicasOf(newMs);
  if (newReplicas < replicas) {
    const room = replicas + maxSurge - total;
    if (room > 0) await scaleMachineSet(ctx, newMs, Math.min(replicas, newReplicas + room));
  } else if (newReplicas > replicas) {
    await scaleMachineSet(ctx, newMs, replicas);
  }
  if (oldSets.length === 0) return;
  // Old machines that are not available can go at once; available ones only down to minAvailable.
  const minAvailable = replicas - maxUnavailable;
  let availableTotal = availableOf(ctx, newMs);
  const oldAvailable = new Map(oldSets.map((ms) => [ms, availableOf(ctx, ms)]));
  for (const available of oldAvailable.values()) availableTotal += available;
  let budget = Math.max(0, availableTotal - minAvailable);
  const oldestFirst = [...oldSets].sort((a, b) => revisionOf(a) - revisionOf(b));
  for (const ms of oldestFirst) {
    const current = replicasOf(ms);
    const available = oldAvailable.get(ms) ?? 0;
    const unavailable = Math.max(0, current - available);
    const fromAvailable = Math.min(available, budget);
    budget -= fromAvailable;
    const target = Math.max(0, current - unavailable - fromAvailable);
    if (target !== current) await scaleMachineSet(ctx, ms, target);
  }
}

async function onDeleteUpdate(
  ctx: EngineContext,
  newMs: KubeObject,
  oldSets: KubeObject[],
  replicas: number,
): Promise<void> {
  let oldTotal = 0;
  for (const ms of oldSets) {
    const present = ownedMachines(ctx, ms).filter((m) => !m.metadata.deletionTimestamp).length;
    const target = Math.min(replicasOf(ms), present);
    oldTotal += target;
    await scaleMachineSet(ctx, ms, target);
  }
  await scaleMachineSet(ctx, newMs, Math.max(0, replicas - oldTotal));
}

const deleteStep: DeleteChildrenStep = {
  ownerType: TYPES.machineDeployment,
  childType: TYPES.machineSet,
  finalizer: FINALIZERS.md,
  childrenNoun: 'MachineSets',
};

export function ownedMachineSets(ctx: EngineContext, md: KubeObject): KubeObject[] {
  return ctx.cache
    .informer(TYPES.machineSet)
    .byOwner(md.metadata.uid)
    .filter((ms) => controllerOwner(ms)?.uid === md.metadata.uid);
}

/** What the phases of one MachineDeployment reconcile share. */
interface MachineDeploymentScope {
  ctx: EngineContext;
  md: KubeObject;
  cluster: KubeObject | undefined;
  sets: KubeObject[];
  replicas: number;
  newMs?: KubeObject;
  oldSets: KubeObject[];
}

async function reconcilePaused(s: MachineDeploymentScope): Promise<PhaseOutcome | void> {
  if (!isPaused(s.cluster, s.md)) return;
  await updateStatus(s.ctx, TYPES.machineDeployment, s.md, (status) =>
    setConditions(s.ctx, status, [pausedCondition(true)], s.md.metadata.generation),
  );
  return stop();
}

async function reconcileDelete(s: MachineDeploymentScope): Promise<PhaseOutcome | void> {
  if (!s.md.metadata.deletionTimestamp) return;
  const result = await deleteChildrenThenFinalizer(s.ctx, deleteStep, s.md, s.sets);
  return stop(result?.requeueAfterMs);
}

/** Finalizer, cluster-name label, the Cluster as owner, and the templates owned by the Cluster. */
async function reconcileMetadata(s: MachineDeploymentScope): Promise<PhaseOutcome | void> {
  const { ctx, cluster } = s;
  const clusterName = stringField(s.md, 'spec.clusterName') ?? '';
  const written = await updateObject(ctx, TYPES.machineDeployment, s.md, (copy) => {
    addFinalizer(copy, FINALIZERS.md);
    copy.metadata.labels = { ...copy.metadata.labels, [LABELS.clusterName]: clusterName };
    if (cluster) ensureOwnerReference(copy, cluster, false);
  });
  if (written && !written.ok) return stop(100);
  if (written?.ok) s.md = written.value;
  if (!cluster) return;
  for (const path of ['spec.template.spec.infrastructureRef', 'spec.template.spec.bootstrap.configRef'])
    await ensureTemplateOwnedByCluster(ctx, s.md, path, cluster);
}

/** The MachineSet of the current template (created when missing) and the old ones. */
async function reconcileNewMachineSet(s: MachineDeploymentScope): Promise<PhaseOutcome | void> {
  const { ctx, md, replicas } = s;
  const nowMs = ctx.clock.now();
  const live = s.sets.filter((ms) => !ms.metadata.deletionTimestamp);
  s.newMs = live.find((ms) => machineSetIsCurrent(ms, md, nowMs));
  s.oldSets = live.filter((ms) => ms !== s.newMs);
  if (s.newMs) return;
  const revision = Math.max(0, ...live.map(revisionOf)) + 1;
  const maxSurge = resolveIntOrPercent(
    field(md, 'spec.rollout.strategy.rollingUpdate.maxSurge'),
    replicas,
    1,
    true,
  );
  s.newMs = await createMachineSet(
    ctx,
    md,
    s.oldSets.length === 0 ? replicas : 0,
    revision,
    replicas + maxSurge,
  );
  if (!s.newMs) return stop(1_000);
}

/**
 * Old MachineSets must never replace machines: only the current one creates (a rollback makes
 * an old MachineSet current again). Every MachineSet carries the deployment's annotations.
 */
async function syncMachineSetAnnotations(s: MachineDeploymentScope): Promise<PhaseOutcome | void> {
  const copied = annotationsCopiedToMachineSets(s.md);
  const sync = async (ms: KubeObject, current: boolean): Promise<KubeObject> => {
    const { [DISABLE_MACHINE_CREATE]: _disabled, ...rest } = ms.metadata.annotations ?? {};
    const annotations = { ...rest, ...copied, ...(current ? {} : { [DISABLE_MACHINE_CREATE]: 'true' }) };
    if (stableJson(annotations) === stableJson(ms.metadata.annotations ?? {})) return ms;
    const result = await updateObject(s.ctx, TYPES.machineSet, ms, (copy) => {
      copy.metadata.annotations = annotations;
    });
    return result?.ok ? result.value : ms;
  };
  for (const ms of s.oldSets) await sync(ms, false);
  if (s.newMs) s.newMs = await sync(s.newMs, true);
}

/** RollingUpdate (maxSurge / maxUnavailable) or OnDelete. */
async function rollout(s: MachineDeploymentScope): Promise<PhaseOutcome | void> {
  if (!s.newMs) return;
  const strategy = stringField(s.md, 'spec.rollout.strategy.type') ?? 'RollingUpdate';
  if (strategy === 'OnDelete') await onDeleteUpdate(s.ctx, s.newMs, s.oldSets, s.replicas);
  else await rollingUpdate(s.ctx, s.md, s.newMs, s.oldSets, s.replicas);
}

/** Old MachineSets scaled to zero and empty go. */
async function cleanupOldMachineSets(s: MachineDeploymentScope): Promise<PhaseOutcome | void> {
  for (const ms of s.oldSets)
    if (replicasOf(ms) === 0 && ownedMachines(s.ctx, ms).length === 0)
      await deleteObject(s.ctx, TYPES.machineSet, ms);
}

/** The deployment's revision annotation follows its current MachineSet. */
async function reconcileRevision(s: MachineDeploymentScope): Promise<PhaseOutcome | void> {
  const current = s.newMs;
  if (!current) return;
  const result = await updateObject(s.ctx, TYPES.machineDeployment, s.md, (copy) => {
    copy.metadata.annotations = {
      ...copy.metadata.annotations,
      [ANNOTATIONS.revision]: String(revisionOf(current)),
    };
  });
  if (result?.ok) s.md = result.value;
}

/** Counters, phase, v1beta2 conditions and the deprecated v1beta1 status. */
async function reconcileStatus(s: MachineDeploymentScope): Promise<PhaseOutcome | void> {
  const { ctx, replicas, oldSets } = s;
  const md = s.md;
  const namespace = md.metadata.namespace;
  const currentMs = s.newMs as KubeObject;
  const machines = ownedMachineSets(ctx, md).flatMap((ms) => ownedMachines(ctx, ms));
  const counts = countMachines(machines);
  const maxUnavailable = resolveIntOrPercent(
    field(md, 'spec.rollout.strategy.rollingUpdate.maxUnavailable'),
    replicas,
    0,
    false,
  );
  const outdated = counts.replicas - counts.upToDateReplicas;
  const rollingOut = oldSets.length > 0 || outdated > 0;
  const mdNow = md;
  const result = await updateStatus(ctx, TYPES.machineDeployment, mdNow, (status) => {
    status.replicas = counts.replicas;
    status.readyReplicas = counts.readyReplicas;
    status.availableReplicas = counts.availableReplicas;
    status.upToDateReplicas = counts.upToDateReplicas;
    setVersions(status, counts.versions);
    status.selector = selectorString(mdNow);
    status.observedGeneration = mdNow.metadata.generation;
    status.phase =
      counts.replicas < replicas ? 'ScalingUp' : counts.replicas > replicas ? 'ScalingDown' : 'Running';
    setConditions(
      ctx,
      status,
      machineDeploymentConditions({ counts, replicas, maxUnavailable, rollingOut, outdated }),
      mdNow.metadata.generation,
    );
    setMachineDeploymentLegacyStatus(status, {
      sets: ownedMachineSets(ctx, mdNow),
      newest: ctx.cache.informer(TYPES.machineSet).get(namespace, currentMs.metadata.name ?? ''),
      replicas,
      maxUnavailable,
      availableReplicas: counts.availableReplicas,
      now: now(ctx),
    });
  });
  if (result && !result.ok) return stop(100);
}

/** A future `spec.rollout.after`: reconcile again at that moment, when the rollout starts. */
async function requeueForRolloutAfter(s: MachineDeploymentScope): Promise<PhaseOutcome | void> {
  const wait = untilRolloutAfter(s.md, s.ctx.clock.now());
  if (wait !== undefined) return { requeueAfterMs: wait };
}

const MACHINE_DEPLOYMENT_PHASES: Array<Phase<MachineDeploymentScope>> = [
  reconcilePaused,
  reconcileDelete,
  reconcileMetadata,
  reconcileNewMachineSet,
  syncMachineSetAnnotations,
  rollout,
  cleanupOldMachineSets,
  reconcileRevision,
  reconcileStatus,
  requeueForRolloutAfter,
];

export async function reconcileMachineDeployment(
  ctx: EngineContext,
  namespace: string,
  name: string,
): Promise<ReconcileResult> {
  const md = ctx.cache.informer(TYPES.machineDeployment).get(namespace, name);
  if (!md) return;
  return runPhases<MachineDeploymentScope>(
    {
      ctx,
      md,
      cluster: clusterOf(ctx, md),
      sets: ownedMachineSets(ctx, md),
      replicas: numberField(md, 'spec.replicas') ?? 1,
      oldSets: [],
    },
    MACHINE_DEPLOYMENT_PHASES,
  );
}
