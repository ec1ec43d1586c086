/**
 * Whether a control plane or a worker pool has finished rolling out to a version, read only
 * from what the management cluster reports (machines' versions, replica counters,
 * conditions) — never from elapsed time. Stale caches are safe: a machine still on the old
 * version, or fewer machines than desired, keeps the answer at "not yet".
 */
import type {
  ConditionView,
  ControlPlaneView,
  MachineDeploymentView,
  MachinePoolView,
  MachineView,
  ReplicaCounters,
  ViewBase,
} from '../capi/views.ts';
import type { ClusterSnapshot } from './cluster-snapshot.ts';
import { compareVersions, parseKubernetesVersion, type KubernetesVersion } from './kubernetes-version.ts';

export interface RolloutProgress {
  done: boolean;
  /** What is still awaited, for the operation step's message (empty when done). */
  waitingFor: string;
}

const condition = (view: ViewBase, type: string): ConditionView | undefined =>
  view.conditions.find((c) => c.type === type);

const atLeast = (version: KubernetesVersion) => (m: MachineView) => {
  const running = m.version ? parseKubernetesVersion(m.version) : null;
  return running !== null && compareVersions(running, version) >= 0;
};

/** The first reason the replicas are not settled at `desired`, or null. */
function unsettled(
  counters: ReplicaCounters,
  desired: number,
  machines: readonly MachineView[],
): string | null {
  const live = machines.filter((m) => m.deletionTimestamp === null);
  if (live.length !== desired || machines.length !== desired)
    return `${live.length} of ${desired} machines (${machines.length - live.length} being deleted)`;
  if (counters.replicas !== null && counters.replicas !== desired)
    return `${counters.replicas} of ${desired} replicas reported`;
  if (counters.upToDate !== null && counters.upToDate < desired)
    return `${counters.upToDate} of ${desired} replicas up to date`;
  if (counters.available !== null && counters.available < desired)
    return `${counters.available} of ${desired} replicas available`;
  return null;
}

function progress(waitingFor: string | null): RolloutProgress {
  return waitingFor === null ? { done: true, waitingFor: '' } : { done: false, waitingFor };
}

/**
 * The control plane runs `version` (or newer) on every machine, has its desired replicas, all
 * up to date, and is Available. A later minor reached by CAPI's chained topology upgrade
 * also counts as having passed through this one.
 */
export function controlPlaneRolledOut(
  controlPlane: ControlPlaneView | null,
  machines: readonly MachineView[],
  version: string,
): RolloutProgress {
  const target = parseKubernetesVersion(version);
  if (!controlPlane || !target) return progress('the control plane');
  const desired = controlPlane.desired ?? machines.length;
  const spec = controlPlane.version ? parseKubernetesVersion(controlPlane.version) : null;
  if (!spec || compareVersions(spec, target) < 0) return progress(`the control plane to ask for ${version}`);
  const behind = machines.filter((m) => !atLeast(target)(m));
  if (behind.length > 0)
    return progress(
      `${behind.length} control-plane machine(s) still on ${behind[0]!.version ?? 'no version'}`,
    );
  const counters = unsettled(controlPlane, desired, machines);
  if (counters) return progress(`control plane: ${counters}`);
  if (condition(controlPlane, 'Available')?.status === 'False')
    return progress('the control plane to be Available');
  return progress(null);
}

/** A MachineDeployment or MachinePool runs `version` on every machine with its desired replicas. */
export function workerPoolRolledOut(
  pool: MachineDeploymentView | MachinePoolView,
  machines: readonly MachineView[],
  version: string,
): RolloutProgress {
  const target = parseKubernetesVersion(version);
  if (!target) return progress(pool.address.name);
  const spec = pool.version ? parseKubernetesVersion(pool.version) : null;
  if (!spec || compareVersions(spec, target) < 0)
    return progress(`${pool.address.name} to ask for ${version}`);
  const behind = machines.filter((m) => !atLeast(target)(m));
  if (behind.length > 0)
    return progress(
      `${behind.length} machine(s) of ${pool.address.name} still on ${behind[0]!.version ?? 'no version'}`,
    );
  const desired = pool.desired ?? machines.length;
  // MachinePools of providers without Machine objects report counters only.
  const counters =
    pool.viewKind === 'MachinePool' && machines.length === 0
      ? pool.upToDate !== null && pool.upToDate < desired
        ? `${pool.upToDate} of ${desired} replicas up to date`
        : null
      : unsettled(pool, desired, machines);
  if (counters) return progress(`${pool.address.name}: ${counters}`);
  return progress(null);
}

/** Every worker pool of the snapshot that has not rolled out to `version` yet. */
export function poolsBehind(snapshot: ClusterSnapshot, version: string) {
  return [...snapshot.machineDeployments, ...snapshot.machinePools].filter(
    (p) => !workerPoolRolledOut(p.view, p.machines, version).done,
  );
}

/** The replicas of a scaled object are there, ready and up to date. */
export function replicasSettled(
  counters: ReplicaCounters,
  desired: number,
  machines: readonly MachineView[] | null,
): RolloutProgress {
  if (machines) return progress(unsettled(counters, desired, machines));
  if (counters.replicas !== desired) return progress(`${counters.replicas ?? 0} of ${desired} replicas`);
  if ((counters.ready ?? desired) < desired)
    return progress(`${counters.ready ?? 0} of ${desired} replicas ready`);
  if ((counters.upToDate ?? desired) < desired)
    return progress(`${counters.upToDate ?? 0} of ${desired} replicas up to date`);
  return progress(null);
}
