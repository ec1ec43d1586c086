/**
 * The upgrade plan of one workload cluster: the ordered steps (each control-plane minor, one
 * at a time, then each MachineDeployment and MachinePool), the machines each step replaces,
 * the versions running now and what stops the upgrade from starting. A pure function of a
 * snapshot of the caches: planning changes nothing.
 *
 * Version rules (CAPI's, ../shared/capi/SEMANTICS.md "Upgrades"): a control plane moves one
 * minor per step (KCP's webhook refuses a skipped minor); workers follow once the control
 * plane runs the target and are never newer than it. A topology cluster may jump several
 * minors only when its ClusterClass lists `kubernetesVersions` (CAPI then chains through
 * the listed intermediate minors); the listed versions are the only ones the class allows.
 */
import type { MachineView, ObjectAddress } from '../capi/views.ts';
import type { ClusterSnapshot } from './cluster-snapshot.ts';
import {
  compareVersions,
  minorDistance,
  minorOf,
  newestOf,
  parseKubernetesVersion,
  sameMinor,
  sameVersion,
  type KubernetesVersion,
} from './kubernetes-version.ts';
import { upgradeBlockersOf, type UpgradeBlocker } from './upgrade-blockers.ts';

export type UpgradeStepKind = 'ControlPlane' | 'MachineDeployment' | 'MachinePool';

export interface UpgradeStep {
  /** Unique within the plan, stable across replans: `control-plane/v1.31`, `machine-deployment/md-0`. */
  name: string;
  kind: UpgradeStepKind;
  target: ObjectAddress;
  /** The version the object asks for when the step starts (null when it names none). */
  fromVersion: string | null;
  toVersion: string;
  /** The machines that exist now and this step replaces. */
  machines: ObjectAddress[];
  /** How many machines the step replaces (a later control-plane step replaces machines an earlier one creates). */
  machineCount: number;
}

export interface UpgradePlan {
  cluster: ObjectAddress;
  /** True: CAPI's topology controller orchestrates after `spec.topology.version` is set. */
  topology: boolean;
  targetVersion: string;
  currentControlPlaneVersion: string | null;
  /** Every version the worker machines run now, oldest first. */
  currentWorkerVersions: string[];
  steps: UpgradeStep[];
  /** Empty: the upgrade may start. */
  blockers: UpgradeBlocker[];
}

/** Why no plan can be made: the request itself is wrong, whatever the cluster's state. */
export type UpgradeRequestError =
  | { kind: 'InvalidVersion'; field: string; message: string }
  | { kind: 'Downgrade'; field: string; message: string };

export type PlanUpgradeResult = { ok: true; plan: UpgradePlan } | { ok: false; error: UpgradeRequestError };

export interface PlanUpgradeOptions {
  /**
   * Plain clusters: the version to use for each intermediate minor (e.g. `v1.31.4` when going
   * from v1.30 to v1.32). A minor without one gets its `.0` release.
   */
  intermediateVersions?: readonly string[];
}

/** The version each control-plane step moves to, oldest first; the last is the target. */
function controlPlaneVersions(
  from: KubernetesVersion,
  target: KubernetesVersion,
  choices: readonly KubernetesVersion[],
): { versions: KubernetesVersion[]; missingMinors: string[] } {
  const versions: KubernetesVersion[] = [];
  const missingMinors: string[] = [];
  for (let minor = from.minor + 1; minor < target.minor; minor++) {
    const listed = choices
      .filter((v) => v.major === target.major && v.minor === minor)
      .sort((a, b) => compareVersions(b, a))[0];
    if (listed) versions.push(listed);
    else {
      missingMinors.push(`v${target.major}.${minor}`);
      versions.push(parseKubernetesVersion(`v${target.major}.${minor}.0`)!);
    }
  }
  versions.push(target);
  return { versions, missingMinors };
}

const notAt = (version: KubernetesVersion) => (m: MachineView) => !sameVersion(m.version, version);

/** Guardrails on the request: a full semantic version, no downgrade, one major line. */
function checkRequest(
  snapshot: ClusterSnapshot,
  version: string,
  options: PlanUpgradeOptions,
):
  | { ok: true; target: KubernetesVersion; intermediates: KubernetesVersion[] }
  | { ok: false; error: UpgradeRequestError } {
  const target = parseKubernetesVersion(version);
  if (!target)
    return {
      ok: false,
      error: {
        kind: 'InvalidVersion',
        field: 'version',
        message: `'${version}' is not a semantic version like v1.31.2`,
      },
    };
  const intermediates: KubernetesVersion[] = [];
  for (const [i, text] of (options.intermediateVersions ?? []).entries()) {
    const parsed = parseKubernetesVersion(text);
    if (!parsed)
      return {
        ok: false,
        error: {
          kind: 'InvalidVersion',
          field: `intermediateVersions.${i}`,
          message: `'${text}' is not a semantic version like v1.31.2`,
        },
      };
    intermediates.push(parsed);
  }
  const { cluster, controlPlane } = snapshot;
  const running = [
    cluster.topology?.version,
    controlPlane?.version,
    controlPlane?.statusVersion,
    ...snapshot.controlPlaneMachines.map((m) => m.version),
    ...[...snapshot.machineDeployments, ...snapshot.machinePools].flatMap((p) => [
      p.view.version,
      ...p.machines.map((m) => m.version),
    ]),
  ];
  const newest = newestOf(running);
  if (newest && compareVersions(target, newest) < 0)
    return {
      ok: false,
      error: {
        kind: 'Downgrade',
        field: 'version',
        message: `${target.text} is older than ${newest.text}, which the cluster already runs: downgrades are not supported`,
      },
    };
  if (newest && newest.major !== target.major)
    return {
      ok: false,
      error: {
        kind: 'InvalidVersion',
        field: 'version',
        message: `cannot change the major version (${newest.text} → ${target.text})`,
      },
    };
  return { ok: true, target, intermediates };
}

/** The class's `kubernetesVersions` rules for a topology cluster (empty: no rule applies). */
function classBlockers(
  snapshot: ClusterSnapshot,
  from: KubernetesVersion,
  target: KubernetesVersion,
  missingMinors: string[],
): UpgradeBlocker[] {
  const cls = snapshot.clusterClass;
  const allowed = cls?.kubernetesVersions ?? [];
  if (allowed.length === 0) {
    return minorDistance(from, target) > 1
      ? [
          {
            code: 'VERSION_NOT_ALLOWED',
            object: cls?.address ?? snapshot.cluster.address,
            message: `a topology cluster moves one minor at a time unless its ClusterClass lists kubernetesVersions (${minorOf(from)} → ${minorOf(target)})`,
          },
        ]
      : [];
  }
  const blockers: UpgradeBlocker[] = [];
  if (!allowed.some((v) => sameVersion(v, target)))
    blockers.push({
      code: 'VERSION_NOT_ALLOWED',
      object: cls!.address,
      message: `ClusterClass ${cls!.address.name} does not list ${target.text} in kubernetesVersions (${allowed.join(', ')})`,
    });
  if (missingMinors.length > 0)
    blockers.push({
      code: 'VERSION_NOT_ALLOWED',
      object: cls!.address,
      message: `ClusterClass ${cls!.address.name} lists no version of ${missingMinors.join(', ')} to upgrade through`,
    });
  return blockers;
}

/** Plans the upgrade of `snapshot`'s cluster to `version`; changes nothing. */
export function planUpgrade(
  snapshot: ClusterSnapshot,
  version: string,
  options: PlanUpgradeOptions = {},
): PlanUpgradeResult {
  const request = checkRequest(snapshot, version, options);
  if (!request.ok) return request;
  const { target } = request;
  const { cluster, controlPlane } = snapshot;
  const topology = cluster.topology !== null;
  const blockers = upgradeBlockersOf(snapshot);
  const steps: UpgradeStep[] = [];

  const cpVersion = parseKubernetesVersion(controlPlane?.version ?? cluster.topology?.version ?? '');
  if (controlPlane && cpVersion && compareVersions(cpVersion, target) < 0) {
    const choices = topology
      ? (snapshot.clusterClass?.kubernetesVersions ?? []).flatMap((v) => parseKubernetesVersion(v) ?? [])
      : request.intermediates;
    const { versions, missingMinors } = sameMinor(cpVersion, target)
      ? { versions: [target], missingMinors: [] }
      : controlPlaneVersions(cpVersion, target, choices);
    if (topology) blockers.push(...classBlockers(snapshot, cpVersion, target, missingMinors));
    let from = cpVersion.text;
    versions.forEach((to, i) => {
      const machines = i === 0 ? snapshot.controlPlaneMachines.filter(notAt(to)) : [];
      steps.push({
        name: `control-plane/${minorOf(to)}`,
        kind: 'ControlPlane',
        target: controlPlane.address,
        fromVersion: from,
        toVersion: to.text,
        machines: machines.map((m) => m.address),
        machineCount:
          i === 0 ? machines.length : (controlPlane.desired ?? snapshot.controlPlaneMachines.length),
      });
      from = to.text;
    });
  } else if (
    topology &&
    snapshot.clusterClass?.kubernetesVersions.length &&
    !snapshot.clusterClass.kubernetesVersions.some((v) => sameVersion(v, target))
  ) {
    blockers.push(...classBlockers(snapshot, target, target, []));
  }

  const pools = [
    ...snapshot.machineDeployments.map((p) => ({
      ...p,
      kind: 'MachineDeployment' as const,
      prefix: 'machine-deployment',
    })),
    ...snapshot.machinePools.map((p) => ({ ...p, kind: 'MachinePool' as const, prefix: 'machine-pool' })),
  ];
  for (const pool of pools) {
    const machines = pool.machines.filter(notAt(target));
    if (sameVersion(pool.view.version, target) && machines.length === 0) continue;
    steps.push({
      name: `${pool.prefix}/${pool.view.address.name}`,
      kind: pool.kind,
      target: pool.view.address,
      fromVersion: pool.view.version,
      toVersion: target.text,
      machines: machines.map((m) => m.address),
      machineCount: machines.length,
    });
  }

  const workerVersions = new Set(
    pools.flatMap((p) => p.machines.map((m) => m.version).filter((v): v is string => v !== null)),
  );
  return {
    ok: true,
    plan: {
      cluster: cluster.address,
      topology,
      targetVersion: target.text,
      currentControlPlaneVersion: controlPlane?.statusVersion ?? controlPlane?.version ?? null,
      currentWorkerVersions: [...workerVersions].sort((a, b) => {
        const pa = parseKubernetesVersion(a);
        const pb = parseKubernetesVersion(b);
        return pa && pb ? compareVersions(pa, pb) : a.localeCompare(b);
      }),
      steps,
      blockers,
    },
  };
}
