/**
 * The gateway's orchestration of a plain (non-topology) cluster upgrade, as a reconcile
 * function: from the cluster's current state and the target, the one next thing to do.
 * Stateless on purpose — a gateway restarted mid-upgrade, or another replica taking over,
 * reads the same state and continues where the cluster is, never repeating a step.
 *
 * Order (SEMANTICS.md "Upgrades"): the control plane first, one minor at a time, each
 * minor waited for until every control-plane machine runs it and the control plane is
 * Available; then the worker pools, `concurrency` at a time. Workers are only touched once
 * the control plane runs the target, so they are never newer than it.
 */
import type { ObjectAddress } from '../capi/views.ts';
import type { ClusterSnapshot } from './cluster-snapshot.ts';
import {
  compareVersions,
  minorOf,
  parseKubernetesVersion,
  sameMinor,
  type KubernetesVersion,
} from './kubernetes-version.ts';
import { controlPlaneRolledOut, workerPoolRolledOut } from './rollout-state.ts';

export type PlainUpgradeAction =
  /** Patch the control plane's spec.version to `version` (the next minor, or the target). */
  | { kind: 'SetControlPlaneVersion'; target: ObjectAddress; version: string }
  /** Patch each pool's spec.template.spec.version. */
  | { kind: 'SetWorkerVersion'; targets: ObjectAddress[]; version: string }
  | { kind: 'Wait'; message: string }
  | { kind: 'Done' };

export interface PlainUpgradeRequest {
  version: string;
  /** The version for each intermediate minor; a minor without one gets `.0`. */
  intermediateVersions?: readonly string[];
  /** Worker pools upgraded at the same time (≥ 1). */
  concurrency: number;
}

/** The version the control plane moves to next from `current` on the way to `target`. */
export function nextControlPlaneVersion(
  current: KubernetesVersion,
  target: KubernetesVersion,
  intermediates: readonly string[] = [],
): KubernetesVersion {
  if (sameMinor(current, target) || current.major !== target.major) return target;
  const minor = current.minor + 1;
  if (minor === target.minor) return target;
  const listed = intermediates
    .flatMap((v) => parseKubernetesVersion(v) ?? [])
    .filter((v) => v.major === target.major && v.minor === minor)
    .sort((a, b) => compareVersions(b, a))[0];
  return listed ?? parseKubernetesVersion(`v${target.major}.${minor}.0`)!;
}

function controlPlaneAction(
  snapshot: ClusterSnapshot,
  target: KubernetesVersion,
  request: PlainUpgradeRequest,
) {
  const { controlPlane, controlPlaneMachines } = snapshot;
  if (!controlPlane) return { kind: 'Wait' as const, message: 'the control plane does not exist' };
  const asked = controlPlane.version ? parseKubernetesVersion(controlPlane.version) : null;
  if (!asked) return { kind: 'Wait' as const, message: `${controlPlane.address.name} names no version` };
  // The version asked for must be rolled out before the next minor: KCP refuses a skipped minor.
  const rolled = controlPlaneRolledOut(controlPlane, controlPlaneMachines, asked.text);
  if (!rolled.done)
    return {
      kind: 'Wait' as const,
      message: `control plane rolling out ${minorOf(asked)}: waiting for ${rolled.waitingFor}`,
    };
  if (compareVersions(asked, target) >= 0) return null;
  const next = nextControlPlaneVersion(asked, target, request.intermediateVersions);
  return { kind: 'SetControlPlaneVersion' as const, target: controlPlane.address, version: next.text };
}

/** The next thing to do to bring `snapshot`'s plain cluster to `request.version`. */
export function nextPlainUpgradeAction(
  snapshot: ClusterSnapshot,
  request: PlainUpgradeRequest,
): PlainUpgradeAction {
  const target = parseKubernetesVersion(request.version);
  if (!target) return { kind: 'Wait', message: `'${request.version}' is not a version` };
  const cp = controlPlaneAction(snapshot, target, request);
  if (cp) return cp;

  const pools = [...snapshot.machineDeployments, ...snapshot.machinePools];
  const pending = pools.filter((p) => !workerPoolRolledOut(p.view, p.machines, target.text).done);
  if (pending.length === 0) return { kind: 'Done' };
  const asksTarget = (p: (typeof pools)[number]) => {
    const v = p.view.version ? parseKubernetesVersion(p.view.version) : null;
    return v !== null && compareVersions(v, target) >= 0;
  };
  const rolling = pending.filter(asksTarget);
  const free = Math.max(0, Math.max(1, request.concurrency) - rolling.length);
  const toStart = pending.filter((p) => !asksTarget(p)).slice(0, free);
  if (toStart.length > 0)
    return { kind: 'SetWorkerVersion', targets: toStart.map((p) => p.view.address), version: target.text };
  const waiting = rolling
    .map((p) => workerPoolRolledOut(p.view, p.machines, target.text).waitingFor)
    .join('; ');
  return { kind: 'Wait', message: `workers rolling out ${target.text}: waiting for ${waiting}` };
}
