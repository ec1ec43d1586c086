/**
 * The MachineHealthCheck controller: machines matching the selector whose node never appears
 * (nodeStartupTimeoutSeconds), or whose node / machine conditions match an unhealthy condition
 * for longer than its timeout, are marked HealthCheckSucceeded=False and OwnerRemediated=False;
 * their owner (MachineSet or KubeadmControlPlane) then replaces them. `triggerIf` limits how
 * many may be remediated at once.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import { clusterControlPlaneInitialized, isPaused } from './cluster-lookup.ts';
import { findCondition } from './conditions.ts';
import {
  type EngineContext,
  controllerOwner,
  ensureOwnerReference,
  setConditions,
  updateObject,
  updateStatus,
} from './engine-context.ts';
import { LABELS } from './labels.ts';
import {
  arrayField,
  field,
  isRecord,
  numberField,
  recordField,
  stringField,
  stringMapField,
} from './object-fields.ts';
import { TYPES } from './resource-types.ts';
import type { ReconcileResult } from './work-queue.ts';
import { pausedCondition } from './condition-builders/common.ts';
import {
  healthCheckFailedCondition,
  healthCheckSucceededCondition,
  machineHealthCheckConditions,
  waitingForRemediationCondition,
} from './condition-builders/machine-health-check.ts';

/** CAPI's default when checks.nodeStartupTimeoutSeconds is unset: 10 minutes. */
const DEFAULT_NODE_STARTUP_SECONDS = 600;

/** Node conditions are simulated on the Machine: the node's Ready is the Machine's NodeReady. */
const NODE_TO_MACHINE_CONDITION: Record<string, string> = { Ready: 'NodeReady' };

interface Verdict {
  healthy: boolean;
  reason?: string;
  message?: string;
  /** ms until the verdict may change. */
  recheckMs?: number;
}

function matchesSelector(machine: KubeObject, mhc: KubeObject): boolean {
  const labels = machine.metadata.labels ?? {};
  const match = stringMapField(mhc, 'spec.selector.matchLabels');
  if (!Object.entries(match).every(([k, v]) => labels[k] === v)) return false;
  for (const expression of arrayField(mhc, 'spec.selector.matchExpressions').filter(isRecord)) {
    const key = String(expression.key);
    const values = Array.isArray(expression.values) ? expression.values.map(String) : [];
    const has = key in labels;
    const value = labels[key] ?? '';
    const ok =
      expression.operator === 'In'
        ? has && values.includes(value)
        : expression.operator === 'NotIn'
          ? !has || !values.includes(value)
          : expression.operator === 'Exists'
            ? has
            : expression.operator === 'DoesNotExist'
              ? !has
              : true;
    if (!ok) return false;
  }
  return true;
}

/**
 * As CAPI: the node start-up clock runs from the latest of the machine's creation, the cluster's
 * infrastructure becoming ready, its control plane initialising and the machine's infrastructure
 * becoming ready — so a slow cluster does not get its machines remediated for being slow.
 */
function nodeStartupSince(cluster: KubeObject | undefined, machine: KubeObject): string | undefined {
  let since = machine.metadata.creationTimestamp;
  const later = (status: unknown, type: string): void => {
    const condition = findCondition(status, type);
    if (
      condition?.status === 'True' &&
      (!since || Date.parse(condition.lastTransitionTime) > Date.parse(since))
    ) {
      since = condition.lastTransitionTime;
    }
  };
  later(cluster?.status, 'InfrastructureReady');
  later(cluster?.status, 'ControlPlaneInitialized');
  later(machine.status, 'InfrastructureReady');
  return since;
}

function evaluate(
  ctx: EngineContext,
  mhc: KubeObject,
  cluster: KubeObject | undefined,
  machine: KubeObject,
  nowMs: number,
): Verdict {
  let recheckMs: number | undefined;
  const soonest = (ms: number): void => {
    recheckMs = Math.min(recheckMs ?? Infinity, Math.max(ms, 50));
  };
  const overdue = (sinceIso: string | undefined, timeoutSeconds: number): boolean => {
    const since = Date.parse(sinceIso ?? '');
    if (Number.isNaN(since)) return false;
    const left = since + ctx.scaled(timeoutSeconds) - nowMs;
    if (left <= 0) return true;
    soonest(left);
    return false;
  };
  const checks = recordField(mhc, 'spec.checks');
  const matches = (list: string, map: (type: string) => string) => {
    for (const rule of arrayField(checks, list).filter(isRecord)) {
      const type = map(String(rule.type));
      const condition = findCondition(machine.status, type);
      if (!condition || condition.status !== rule.status) continue;
      if (overdue(condition.lastTransitionTime, Number(rule.timeoutSeconds ?? 0))) {
        return {
          type: String(rule.type),
          status: String(rule.status),
          timeout: Number(rule.timeoutSeconds ?? 0),
        };
      }
    }
    return undefined;
  };
  if (!recordField(machine, 'status.nodeRef')) {
    const timeout = numberField(checks, 'nodeStartupTimeoutSeconds') ?? DEFAULT_NODE_STARTUP_SECONDS;
    if (timeout > 0 && overdue(nodeStartupSince(cluster, machine), timeout)) {
      return {
        healthy: false,
        reason: 'UnhealthyNode',
        message: `Health check failed: Node failed to report startup in ${timeout}s`,
      };
    }
  } else {
    const node = matches(
      'unhealthyNodeConditions',
      (type) => NODE_TO_MACHINE_CONDITION[type] ?? `Node${type}`,
    );
    if (node)
      return {
        healthy: false,
        reason: 'UnhealthyNode',
        message: `Health check failed: Condition ${node.type} on Node is reporting status ${node.status} for more than ${node.timeout}s`,
      };
  }
  const onMachine = matches('unhealthyMachineConditions', (type) => type);
  if (onMachine)
    return {
      healthy: false,
      reason: 'UnhealthyMachine',
      message: `Health check failed: Condition ${onMachine.type} on Machine is reporting status ${onMachine.status} for more than ${onMachine.timeout}s`,
    };
  return { healthy: true, recheckMs };
}

/** How many unhealthy machines may be remediated, from spec.remediation.triggerIf. */
export function remediationAllowed(mhc: KubeObject, total: number, unhealthy: number): boolean {
  const limit = field(mhc, 'spec.remediation.triggerIf.unhealthyLessThanOrEqualTo');
  if (limit !== undefined) {
    const max =
      typeof limit === 'string' && limit.endsWith('%')
        ? Math.floor((Number(limit.slice(0, -1)) * total) / 100)
        : Number(limit);
    if (unhealthy > max) return false;
  }
  const range = stringField(mhc, 'spec.remediation.triggerIf.unhealthyInRange');
  const match = range ? /^\[(\d+)-(\d+)\]$/.exec(range) : null;
  if (match && (unhealthy < Number(match[1]) || unhealthy > Number(match[2]))) return false;
  return true;
}

export async function reconcileMachineHealthCheck(
  ctx: EngineContext,
  namespace: string,
  name: string,
): Promise<ReconcileResult> {
  let mhc = ctx.cache.informer(TYPES.machineHealthCheck).get(namespace, name);
  if (!mhc || mhc.metadata.deletionTimestamp) return;
  const clusterName = stringField(mhc, 'spec.clusterName') ?? '';
  const cluster = ctx.cache.informer(TYPES.cluster).get(namespace, clusterName);
  if (isPaused(cluster, mhc)) {
    await updateStatus(ctx, TYPES.machineHealthCheck, mhc, (status) =>
      setConditions(ctx, status, [pausedCondition(true)], mhc?.metadata.generation),
    );
    return;
  }
  if (cluster) {
    const written = await updateObject(ctx, TYPES.machineHealthCheck, mhc, (copy) => {
      ensureOwnerReference(copy, cluster, false);
      copy.metadata.labels = { ...copy.metadata.labels, [LABELS.clusterName]: clusterName };
    });
    if (written?.ok) mhc = written.value;
  }
  const nowMs = ctx.clock.now();
  const targets = ctx.cache
    .informer(TYPES.machine)
    .byCluster(namespace, clusterName)
    .filter((m) => !m.metadata.deletionTimestamp && matchesSelector(m, mhc as KubeObject));
  // Machines of a cluster whose control plane is not initialised yet are not judged.
  const judged = clusterControlPlaneInitialized(cluster) ? targets : [];
  const verdicts = new Map(judged.map((m) => [m, evaluate(ctx, mhc as KubeObject, cluster, m, nowMs)]));
  const unhealthy = [...verdicts.values()].filter((v) => !v.healthy).length;
  const allowed = remediationAllowed(mhc, targets.length, unhealthy);
  let requeueAfterMs: number | undefined;
  for (const [machine, verdict] of verdicts) {
    if (verdict.recheckMs !== undefined)
      requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, verdict.recheckMs);
    const owner = controllerOwner(machine);
    const remediable = owner?.kind === 'MachineSet' || owner?.kind === 'KubeadmControlPlane';
    const result = await updateStatus(ctx, TYPES.machine, machine, (status) => {
      if (verdict.healthy) {
        setConditions(ctx, status, [healthCheckSucceededCondition()], machine.metadata.generation);
        return;
      }
      const updates = [healthCheckFailedCondition(verdict.reason, verdict.message)];
      if (allowed && remediable && findCondition(status, 'OwnerRemediated') === undefined)
        updates.push(waitingForRemediationCondition());
      setConditions(ctx, status, updates, machine.metadata.generation);
    });
    if (result && !result.ok) requeueAfterMs = 100;
  }
  const mhcNow = mhc;
  await updateStatus(ctx, TYPES.machineHealthCheck, mhcNow, (status) => {
    status.expectedMachines = targets.length;
    status.currentHealthy = judged.length - unhealthy;
    status.remediationsAllowed = allowed ? Math.max(0, targets.length - unhealthy) : 0;
    status.targets = targets.map((m) => m.metadata.name ?? '').sort();
    status.observedGeneration = mhcNow.metadata.generation;
    setConditions(
      ctx,
      status,
      machineHealthCheckConditions(allowed, unhealthy, targets.length),
      mhcNow.metadata.generation,
    );
  });
  return requeueAfterMs === undefined ? undefined : { requeueAfterMs };
}
