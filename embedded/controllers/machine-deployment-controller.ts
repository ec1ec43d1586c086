/**
 * The MachineDeployment controller: one MachineSet per machine template (label
 * `machine-template-hash`, `<hash>-<suffix>`; `spec.rollout.after` forces a new one), rollouts
 * with RollingUpdate (maxSurge / maxUnavailable) or OnDelete, scaling, old MachineSets removed
 * once empty, and the status counters, phase and conditions.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import { clusterOf, isPaused, pausedCondition } from './cluster-lookup.ts';
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
import { desiredTemplateHash, machineSetIsCurrent, rolloutAfterPassed } from './machine-up-to-date.ts';
import { labelValue, stableJson, stableSuffix } from './naming.ts';
import { field, numberField, recordField, stringField, stringMapField } from './object-fields.ts';
import { countMachines, machineSummaryConditions, selectorString, setVersions } from './replica-status.ts';
import { TYPES } from './resource-types.ts';
import { ensureTemplateOwnedByCluster } from './template-ownership.ts';
import type { ReconcileResult } from './work-queue.ts';

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

export async function reconcileMachineDeployment(
  ctx: EngineContext,
  namespace: string,
  name: string,
): Promise<ReconcileResult> {
  let md = ctx.cache.informer(TYPES.machineDeployment).get(namespace, name);
  if (!md) return;
  const cluster = clusterOf(ctx, md);
  if (isPaused(cluster, md)) {
    await updateStatus(ctx, TYPES.machineDeployment, md, (status) =>
      setConditions(ctx, status, [pausedCondition(true)], md?.metadata.generation),
    );
    return;
  }
  const sets = ownedMachineSets(ctx, md);
  if (md.metadata.deletionTimestamp) return deleteChildrenThenFinalizer(ctx, deleteStep, md, sets);

  const clusterName = stringField(md, 'spec.clusterName') ?? '';
  const written = await updateObject(ctx, TYPES.machineDeployment, md, (copy) => {
    addFinalizer(copy, FINALIZERS.md);
    copy.metadata.labels = { ...copy.metadata.labels, [LABELS.clusterName]: clusterName };
    if (cluster) ensureOwnerReference(copy, cluster, false);
  });
  if (written && !written.ok) return { requeueAfterMs: 100 };
  if (written?.ok) md = written.value;
  if (cluster) {
    for (const path of ['spec.template.spec.infrastructureRef', 'spec.template.spec.bootstrap.configRef']) {
      await ensureTemplateOwnedByCluster(ctx, md, path, cluster);
    }
  }

  const nowMs = ctx.clock.now();
  const live = sets.filter((ms) => !ms.metadata.deletionTimestamp);
  let newMs = live.find((ms) => machineSetIsCurrent(ms, md as KubeObject, nowMs));
  const oldSets = live.filter((ms) => ms !== newMs);
  const replicas = numberField(md, 'spec.replicas') ?? 1;
  const revision = Math.max(0, ...live.map(revisionOf)) + (newMs ? 0 : 1);
  if (!newMs) {
    const maxSurge = resolveIntOrPercent(
      field(md, 'spec.rollout.strategy.rollingUpdate.maxSurge'),
      replicas,
      1,
      true,
    );
    newMs = await createMachineSet(
      ctx,
      md,
      oldSets.length === 0 ? replicas : 0,
      revision,
      replicas + maxSurge,
    );
    if (!newMs) return { requeueAfterMs: 1_000 };
  }
  // Old MachineSets must never replace machines: only the current one creates (a rollback makes
  // an old MachineSet current again). Every MachineSet carries the deployment's annotations.
  const copied = annotationsCopiedToMachineSets(md);
  const syncAnnotations = async (ms: KubeObject, current: boolean): Promise<KubeObject> => {
    const { [DISABLE_MACHINE_CREATE]: _disabled, ...rest } = ms.metadata.annotations ?? {};
    const annotations = { ...rest, ...copied, ...(current ? {} : { [DISABLE_MACHINE_CREATE]: 'true' }) };
    if (stableJson(annotations) === stableJson(ms.metadata.annotations ?? {})) return ms;
    const result = await updateObject(ctx, TYPES.machineSet, ms, (copy) => {
      copy.metadata.annotations = annotations;
    });
    return result?.ok ? result.value : ms;
  };
  for (const ms of oldSets) await syncAnnotations(ms, false);
  newMs = await syncAnnotations(newMs, true);
  const strategy = stringField(md, 'spec.rollout.strategy.type') ?? 'RollingUpdate';
  if (strategy === 'OnDelete') await onDeleteUpdate(ctx, newMs, oldSets, replicas);
  else await rollingUpdate(ctx, md, newMs, oldSets, replicas);
  for (const ms of oldSets) {
    if (replicasOf(ms) === 0 && ownedMachines(ctx, ms).length === 0)
      await deleteObject(ctx, TYPES.machineSet, ms);
  }
  const currentMs = newMs;
  await updateObject(ctx, TYPES.machineDeployment, md, (copy) => {
    copy.metadata.annotations = {
      ...copy.metadata.annotations,
      [ANNOTATIONS.revision]: String(revisionOf(currentMs)),
    };
  }).then((result) => {
    if (result?.ok) md = result.value;
  });

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
      [
        counts.availableReplicas >= replicas - maxUnavailable
          ? { type: 'Available', status: true, reason: 'Available' }
          : {
              type: 'Available',
              status: false,
              reason: 'NotAvailable',
              message: `${counts.availableReplicas} available replicas, at least ${replicas - maxUnavailable} required`,
            },
        rollingOut
          ? {
              type: 'RollingOut',
              status: true,
              reason: 'RollingOut',
              message: `Rolling out ${outdated} not up-to-date replicas`,
            }
          : { type: 'RollingOut', status: false, reason: 'NotRollingOut' },
        ...machineSummaryConditions(counts, replicas),
        { type: 'Remediating', status: false, reason: 'NotRemediating' },
        { type: 'Deleting', status: false, reason: 'NotDeleting' },
        pausedCondition(false),
      ],
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
  if (result && !result.ok) return { requeueAfterMs: 100 };
}
