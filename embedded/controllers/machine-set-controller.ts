/**
 * The MachineSet controller: keeps `spec.replicas` Machines (each with its own InfraMachine and
 * bootstrap config), deletes surplus ones in CAPI's order (delete-machine annotation, then
 * unhealthy, then by `spec.deletion.order`), deletes machines a health check marked for owner
 * remediation, and reports counters and conditions.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import { clusterOf, isPaused, pausedCondition } from './cluster-lookup.ts';
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
  machineChildMissing,
  readObjectRef,
} from './machine-factory.ts';
import {
  PREFLIGHT_RETRY_SECONDS,
  type PreflightResult,
  blockedScaleUpMessage,
  runPreflightChecks,
} from './machine-set-preflight.ts';
import { labelValue, randomSuffix, stableFraction } from './naming.ts';
import { numberField, recordField, stringField, stringMapField } from './object-fields.ts';
import { countMachines, machineSummaryConditions, selectorString, setVersions } from './replica-status.ts';
import { TYPES } from './resource-types.ts';
import type { ReconcileResult } from './work-queue.ts';

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

/** Recreates the InfraMachine / bootstrap config of a machine that has not started, if either is missing. */
async function repairChildren(
  ctx: EngineContext,
  ms: KubeObject,
  machine: KubeObject,
): Promise<{ reason: string; message: string; retryMs: number } | undefined> {
  if (stringField(machine, 'status.phase') && stringField(machine, 'status.phase') !== 'Pending') return;
  if (!machineChildMissing(ctx, machine)) return;
  const blueprint = blueprintFor(ms, machine.metadata.name ?? '');
  const result = blueprint ? await createMachineChildren(ctx, machine, blueprint) : undefined;
  return result && !result.ok ? result : undefined;
}

export async function reconcileMachineSet(
  ctx: EngineContext,
  namespace: string,
  name: string,
): Promise<ReconcileResult> {
  let ms = ctx.cache.informer(TYPES.machineSet).get(namespace, name);
  if (!ms) return;
  const cluster = clusterOf(ctx, ms);
  if (isPaused(cluster, ms)) {
    await updateStatus(ctx, TYPES.machineSet, ms, (status) =>
      setConditions(ctx, status, [pausedCondition(true)], ms?.metadata.generation),
    );
    return;
  }
  const machines = ownedMachines(ctx, ms);
  if (ms.metadata.deletionTimestamp) return deleteChildrenThenFinalizer(ctx, deleteStep, ms, machines);

  const clusterName = stringField(ms, 'spec.clusterName') ?? '';
  const written = await updateObject(ctx, TYPES.machineSet, ms, (copy) => {
    addFinalizer(copy, FINALIZERS.ms);
    copy.metadata.labels = { ...copy.metadata.labels, [LABELS.clusterName]: clusterName };
  });
  if (written && !written.ok) return { requeueAfterMs: 100 };
  if (written?.ok) ms = written.value;

  let problem: { reason: string; message: string; retryMs: number } | undefined;
  let preflight: PreflightResult = { state: 'passed' };
  let repairProblem: { reason: string; message: string; retryMs: number } | undefined;
  const live = machines.filter((machine) => !machine.metadata.deletionTimestamp);
  const toRemediate = live.filter((m) => findCondition(m.status, 'OwnerRemediated')?.status === 'False');
  const remediating = toRemediate.length;
  const active: KubeObject[] = [];
  if (toRemediate.length > 0) {
    const checked = runPreflightChecks(ctx, cluster, ms, 'Machine remediation');
    if (checked.state === 'passed') {
      for (const machine of toRemediate) await deleteObject(ctx, TYPES.machine, machine);
    } else {
      // Held back: the machines stay (and count) until the checks pass.
      active.push(...toRemediate);
      preflight = checked;
      if (checked.state === 'blocked') await deferRemediation(ctx, toRemediate, checked.messages);
    }
  }
  for (const machine of live) {
    if (toRemediate.includes(machine)) continue;
    active.push(machine);
    // A machine whose InfraMachine / bootstrap config the API server refused is still being created.
    repairProblem ??= await repairChildren(ctx, ms, machine);
  }

  const desired = numberField(ms, 'spec.replicas') ?? 1;
  const createDisabled = ms.metadata.annotations?.['cluster.x-k8s.io/disable-machine-create'] === 'true';
  const scaleUpCheck =
    active.length < desired && !createDisabled && preflight.state === 'passed'
      ? runPreflightChecks(ctx, cluster, ms, 'Scale up')
      : undefined;
  if (scaleUpCheck && scaleUpCheck.state !== 'passed') preflight = scaleUpCheck;
  if (active.length < desired && !createDisabled && scaleUpCheck?.state === 'passed') {
    for (let i = active.length; i < desired; i++) {
      const blueprint = blueprintFor(ms, `${name}-${randomSuffix()}`);
      if (!blueprint) {
        problem = {
          reason: 'InvalidTemplate',
          message: 'spec.template.spec.infrastructureRef is not set',
          retryMs: 5_000,
        };
        break;
      }
      const result = await createMachine(ctx, blueprint);
      if (!result.ok) {
        problem = result;
        break;
      }
    }
  } else if (active.length > desired) {
    const order = stringField(ms, 'spec.deletion.order') ?? 'Random';
    for (const machine of machinesToDelete(active, active.length - desired, order))
      await deleteObject(ctx, TYPES.machine, machine);
  }

  const current = ownedMachines(ctx, ms);
  const counts = countMachines(current);
  const generation = ms.metadata.generation;
  const msNow = ms;
  const result = await updateStatus(ctx, TYPES.machineSet, msNow, (status) => {
    status.replicas = counts.replicas;
    status.readyReplicas = counts.readyReplicas;
    status.availableReplicas = counts.availableReplicas;
    status.upToDateReplicas = counts.upToDateReplicas;
    setVersions(status, counts.versions);
    status.selector = selectorString(msNow);
    status.observedGeneration = generation;
    const conditions = machineSummaryConditions(counts, desired);
    if (problem) {
      conditions.push({ type: 'ScalingUp', status: true, reason: problem.reason, message: problem.message });
    } else if (scaleUpCheck?.state === 'blocked' && counts.replicas < desired) {
      conditions.push({
        type: 'ScalingUp',
        status: true,
        reason: 'ScalingUp',
        message: blockedScaleUpMessage(counts.replicas, desired, scaleUpCheck.messages),
      });
    }
    setConditions(
      ctx,
      status,
      [
        ...conditions,
        remediating > 0
          ? {
              type: 'Remediating',
              status: true,
              reason: 'Remediating',
              message: `Remediating ${remediating} Machines`,
            }
          : { type: 'Remediating', status: false, reason: 'NotRemediating' },
        { type: 'Deleting', status: false, reason: 'NotDeleting' },
        pausedCondition(false),
      ],
      generation,
    );
    // CAPI counts the machines listed at the start of the reconcile (s.machines), not those it created.
    setMachineSetLegacyStatus(msNow, status, {
      machines,
      desired,
      ...(scaleUpCheck?.state === 'blocked'
        ? { createBlocked: { reason: 'PreflightCheckFailed', message: scaleUpCheck.messages.join('; ') } }
        : (problem ?? repairProblem)
          ? {
              createBlocked: {
                reason: legacyCreateReason((problem ?? repairProblem)?.reason ?? ''),
                message: (problem ?? repairProblem)?.message ?? '',
              },
            }
          : {}),
      now: now(ctx),
      nowMs: ctx.clock.now(),
    });
  });
  if (result && !result.ok) return { requeueAfterMs: 100 };
  if (problem ?? repairProblem) return { requeueAfterMs: (problem ?? repairProblem)?.retryMs };
  if (preflight.state === 'blocked') return { requeueAfterMs: ctx.scaled(PREFLIGHT_RETRY_SECONDS) };
  if (preflight.state === 'pending') return { requeueAfterMs: 200 };
  return undefined;
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
      setConditions(
        ctx,
        status,
        [
          {
            type: 'OwnerRemediated',
            status: false,
            reason: 'RemediationDeferred',
            message: messages.map((m) => `* ${m}`).join('\n'),
          },
        ],
        machine.metadata.generation,
      ),
    );
}
