/**
 * The MachineSet controller: keeps `spec.replicas` Machines (each with its own InfraMachine and
 * bootstrap config), deletes surplus ones in CAPI's order (delete-machine annotation, then
 * unhealthy, then by `spec.deletion.order`), deletes machines a health check marked for owner
 * remediation, and reports counters and conditions.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import { clusterOf, isPaused } from './cluster-lookup.ts';
import { findCondition, isConditionTrue } from './conditions.ts';
import {
  type EngineContext,
  addFinalizer,
  controllerOwner,
  deleteObject,
  now,
  setConditions,
  updateObject,
  updateStatus,
} from './engine-context.ts';
import { type DeleteChildrenStep, deleteChildrenThenFinalizer } from './delete-children.ts';
import { ANNOTATIONS, FINALIZERS, LABELS } from './labels.ts';
import { setMachineSetLegacyStatus } from './legacy-status.ts';
import {
  type MachineBlueprint,
  createMachine,
  createMachineChildren,
  machineChildrenMissing,
  readObjectRef,
} from './machine-factory.ts';
import {
  PREFLIGHT_RETRY_SECONDS,
  type PreflightResult,
  runPreflightChecks,
} from './machine-set-preflight.ts';
import { labelValue, randomSuffix, stableFraction } from './naming.ts';
import { numberField, recordField, stringField, stringMapField } from './object-fields.ts';
import { countMachines, selectorString, setVersions } from './replica-status.ts';
import { TYPES } from './resource-types.ts';
import { type Phase, type PhaseOutcome, runPhases, stop } from './phases.ts';
import type { ReconcileResult } from './work-queue.ts';
import { pausedCondition } from './condition-builders/common.ts';
import {
  machineSetConditions,
  machineSetScalingUpCondition,
  remediationDeferredCondition,
} from './condition-builders/machine-set.ts';

export function ownedMachines(ctx: EngineContext, owner: KubeObject): KubeObject[] {
  return ctx.cache
    .informer(TYPES.machine)
    .byOwner(owner.metadata.uid)
    .filter((m) => controllerOwner(m)?.uid === owner.metadata.uid);
}

/** Lower sorts first = deleted first. */
function deletePriority(machine: KubeObject, order: string): number[] {
  const annotated = machine.metadata.annotations?.[ANNOTATIONS.deleteMachine] !== undefined ? 0 : 1;
  const unhealthy = isConditionTrue(machine.status, 'Ready') ? 1 : 0;
  const created = Date.parse(machine.metadata.creationTimestamp ?? '') || 0;
  const tiebreak =
    order === 'Newest'
      ? -created
      : order === 'Oldest'
        ? created
        : stableFraction(machine.metadata.uid ?? machine.metadata.name ?? '');
  return [annotated, unhealthy, tiebreak];
}

export function machinesToDelete(machines: KubeObject[], count: number, order: string): KubeObject[] {
  const compare = (a: number[], b: number[]): number => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
    return 0;
  };
  return [...machines]
    .sort((a, b) => compare(deletePriority(a, order), deletePriority(b, order)))
    .slice(0, count);
}

function blueprintFor(ms: KubeObject, name: string): MachineBlueprint | undefined {
  const infrastructureTemplate = readObjectRef(ms, 'spec.template.spec.infrastructureRef');
  if (!infrastructureTemplate) return undefined;
  const configTemplate = readObjectRef(ms, 'spec.template.spec.bootstrap.configRef');
  const dataSecretName = stringField(ms, 'spec.template.spec.bootstrap.dataSecretName');
  const clusterName = stringField(ms, 'spec.clusterName') ?? '';
  const templateSpec = recordField(ms, 'spec.template.spec') ?? {};
  const spec: Record<string, unknown> = {};
  for (const key of ['deletion', 'readinessGates', 'minReadySeconds', 'failureDomain', 'taints']) {
    if (templateSpec[key] !== undefined) spec[key] = templateSpec[key];
  }
  const annotations = stringMapField(ms, 'spec.template.metadata.annotations');
  return {
    namespace: ms.metadata.namespace ?? 'default',
    name,
    clusterName,
    version: stringField(ms, 'spec.template.spec.version'),
    labels: {
      ...stringMapField(ms, 'spec.template.metadata.labels'),
      [LABELS.clusterName]: clusterName,
      ...(ms.metadata.labels?.[LABELS.deploymentName]
        ? { [LABELS.deploymentName]: ms.metadata.labels[LABELS.deploymentName] }
        : {}),
      [LABELS.setName]: labelValue(ms.metadata.name ?? ''),
    },
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    owner: ms,
    infrastructureTemplate,
    bootstrap: configTemplate ? { template: configTemplate } : { dataSecretName: dataSecretName ?? '' },
    spec,
  };
}

const deleteStep: DeleteChildrenStep = {
  ownerType: TYPES.machineSet,
  childType: TYPES.machine,
  finalizer: FINALIZERS.ms,
  childrenNoun: 'Machines',
};

/** Recreates the InfraMachine / bootstrap config of a machine that has not started, if missing. */
async function repairChildren(
  ctx: EngineContext,
  ms: KubeObject,
  machine: KubeObject,
): Promise<{ reason: string; message: string; retryMs: number } | undefined> {
  if (stringField(machine, 'status.phase') && stringField(machine, 'status.phase') !== 'Pending') return;
  if (!machineChildrenMissing(ctx, machine)) return;
  const blueprint = blueprintFor(ms, machine.metadata.name ?? '');
  const result = blueprint ? await createMachineChildren(ctx, machine, blueprint) : undefined;
  return result && !result.ok ? result : undefined;
}

type Problem = { reason: string; message: string; retryMs: number };

/** What the phases of one MachineSet reconcile share (CAPI's machineset `scope`). */
interface MachineSetScope {
  ctx: EngineContext;
  ms: KubeObject;
  cluster: KubeObject | undefined;
  /** Owned machines as listed at the start (CAPI's s.machines). */
  machines: KubeObject[];
  /** Machines that count against spec.replicas (not deleting, not being remediated). */
  active: KubeObject[];
  remediating: number;
  desired: number;
  preflight: PreflightResult;
  scaleUpCheck?: PreflightResult;
  problem?: Problem;
  repairProblem?: Problem;
}

async function reconcilePaused(s: MachineSetScope): Promise<PhaseOutcome | void> {
  if (!isPaused(s.cluster, s.ms)) return;
  await updateStatus(s.ctx, TYPES.machineSet, s.ms, (status) =>
    setConditions(s.ctx, status, [pausedCondition(true)], s.ms.metadata.generation),
  );
  return stop();
}

async function reconcileDelete(s: MachineSetScope): Promise<PhaseOutcome | void> {
  if (!s.ms.metadata.deletionTimestamp) return;
  const result = await deleteChildrenThenFinalizer(s.ctx, deleteStep, s.ms, s.machines);
  return stop(result?.requeueAfterMs);
}

/** Finalizer and cluster-name label. */
async function reconcileMetadata(s: MachineSetScope): Promise<PhaseOutcome | void> {
  const clusterName = stringField(s.ms, 'spec.clusterName') ?? '';
  const written = await updateObject(s.ctx, TYPES.machineSet, s.ms, (copy) => {
    addFinalizer(copy, FINALIZERS.ms);
    copy.metadata.labels = { ...copy.metadata.labels, [LABELS.clusterName]: clusterName };
  });
  if (written && !written.ok) return stop(100);
  if (written?.ok) s.ms = written.value;
}

/** Machines a health check marked for owner remediation are deleted, once the preflight checks pass. */
async function reconcileRemediation(s: MachineSetScope): Promise<PhaseOutcome | void> {
  const live = s.machines.filter((machine) => !machine.metadata.deletionTimestamp);
  const toRemediate = live.filter((m) => findCondition(m.status, 'OwnerRemediated')?.status === 'False');
  s.remediating = toRemediate.length;
  s.active = live.filter((machine) => !toRemediate.includes(machine));
  if (toRemediate.length === 0) return;
  const checked = runPreflightChecks(s.ctx, s.cluster, s.ms, 'Machine remediation');
  if (checked.state === 'passed') {
    for (const machine of toRemediate) await deleteObject(s.ctx, TYPES.machine, machine);
    return;
  }
  // Held back: the machines stay (and count) until the checks pass.
  s.active.push(...toRemediate);
  s.preflight = checked;
  if (checked.state === 'blocked') await deferRemediation(s.ctx, toRemediate, checked.messages);
}

/** A machine whose InfraMachine / bootstrap config is missing (a restart, a refused clone) gets them. */
async function reconcileMachineChildren(s: MachineSetScope): Promise<PhaseOutcome | void> {
  for (const machine of s.active) {
    if (findCondition(machine.status, 'OwnerRemediated')?.status === 'False') continue;
    s.repairProblem ??= await repairChildren(s.ctx, s.ms, machine);
  }
}

/** syncReplicas: create (after the preflight checks) or delete machines toward spec.replicas. */
async function syncReplicas(s: MachineSetScope): Promise<PhaseOutcome | void> {
  const { ctx, ms, active, desired } = s;
  const createDisabled = ms.metadata.annotations?.['cluster.x-k8s.io/disable-machine-create'] === 'true';
  if (active.length > desired) {
    const order = stringField(ms, 'spec.deletion.order') ?? 'Random';
    for (const machine of machinesToDelete(active, active.length - desired, order))
      await deleteObject(ctx, TYPES.machine, machine);
    return;
  }
  if (active.length === desired || createDisabled || s.preflight.state !== 'passed') return;
  s.scaleUpCheck = runPreflightChecks(ctx, s.cluster, ms, 'Scale up');
  if (s.scaleUpCheck.state !== 'passed') {
    s.preflight = s.scaleUpCheck;
    return;
  }
  for (let i = active.length; i < desired; i++) {
    const blueprint = blueprintFor(ms, `${ms.metadata.name}-${randomSuffix()}`);
    if (!blueprint) {
      s.problem = {
        reason: 'InvalidTemplate',
        message: 'spec.template.spec.infrastructureRef is not set',
        retryMs: 5_000,
      };
      return;
    }
    const result = await createMachine(ctx, blueprint);
    if (!result.ok) {
      s.problem = result;
      return;
    }
  }
}

function legacyCreateBlocked(s: MachineSetScope): { reason: string; message: string } | undefined {
  if (s.scaleUpCheck?.state === 'blocked')
    return { reason: 'PreflightCheckFailed', message: s.scaleUpCheck.messages.join('; ') };
  const failed = s.problem ?? s.repairProblem;
  return failed ? { reason: legacyCreateReason(failed.reason), message: failed.message } : undefined;
}

/** Counters, v1beta2 conditions and the deprecated v1beta1 status. */
async function reconcileStatus(s: MachineSetScope): Promise<PhaseOutcome | void> {
  const { ctx, ms, desired } = s;
  const current = ownedMachines(ctx, ms);
  const counts = countMachines(current);
  const generation = ms.metadata.generation;
  const scalingUp = machineSetScalingUpCondition({
    problem: s.problem,
    blockedMessages: s.scaleUpCheck?.state === 'blocked' ? s.scaleUpCheck.messages : undefined,
    replicas: counts.replicas,
    desired: s.desired,
  });
  const createBlocked = legacyCreateBlocked(s);
  const result = await updateStatus(ctx, TYPES.machineSet, ms, (status) => {
    status.replicas = counts.replicas;
    status.readyReplicas = counts.readyReplicas;
    status.availableReplicas = counts.availableReplicas;
    status.upToDateReplicas = counts.upToDateReplicas;
    setVersions(status, counts.versions);
    status.selector = selectorString(ms);
    status.observedGeneration = generation;
    setConditions(
      ctx,
      status,
      machineSetConditions({ counts, desired, scalingUp, remediating: s.remediating }),
      generation,
    );
    // CAPI counts the machines listed at the start of the reconcile (s.machines), not those it created.
    setMachineSetLegacyStatus(ms, status, {
      machines: s.machines,
      desired,
      ...(createBlocked ? { createBlocked } : {}),
      now: now(ctx),
      nowMs: ctx.clock.now(),
    });
  });
  if (result && !result.ok) return stop(100);
}

/** Failed creations retry; failed preflight checks are re-verified after 15 s (scaled). */
async function requeueWhileBlocked(s: MachineSetScope): Promise<PhaseOutcome | void> {
  const failed = s.problem ?? s.repairProblem;
  if (failed) return { requeueAfterMs: failed.retryMs };
  if (s.preflight.state === 'blocked') return { requeueAfterMs: s.ctx.scaled(PREFLIGHT_RETRY_SECONDS) };
  if (s.preflight.state === 'pending') return { requeueAfterMs: 200 };
}

const MACHINE_SET_PHASES: Array<Phase<MachineSetScope>> = [
  reconcilePaused,
  reconcileDelete,
  reconcileMetadata,
  reconcileRemediation,
  reconcileMachineChildren,
  syncReplicas,
  reconcileStatus,
  requeueWhileBlocked,
];

export async function reconcileMachineSet(
  ctx: EngineContext,
  namespace: string,
  name: string,
): Promise<ReconcileResult> {
  const ms = ctx.cache.informer(TYPES.machineSet).get(namespace, name);
  if (!ms) return;
  return runPhases<MachineSetScope>(
    {
      ctx,
      ms,
      cluster: clusterOf(ctx, ms),
      machines: ownedMachines(ctx, ms),
      active: [],
      remediating: 0,
      desired: numberField(ms, 'spec.replicas') ?? 1,
      preflight: { state: 'passed' },
    },
    MACHINE_SET_PHASES,
  );
}

/** MachinesCreated's v1beta1 reason for a failed machine creation (CAPI's three, by the step that failed). */
function legacyCreateReason(reason: string): string {
  return ['InfrastructureTemplateCloningFailed', 'BootstrapTemplateCloningFailed'].includes(reason)
    ? reason
    : 'MachineCreationFailed';
}

/** A remediation the preflight checks hold back shows on the machines (RemediationDeferred). */
async function deferRemediation(
  ctx: EngineContext,
  machines: KubeObject[],
  messages: string[],
): Promise<void> {
  for (const machine of machines)
    await updateStatus(ctx, TYPES.machine, machine, (status) =>
      setConditions(ctx, status, [remediationDeferredCondition(messages)], machine.metadata.generation),
    );
}
