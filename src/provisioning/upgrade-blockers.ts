/**
 * What stops a cluster from being upgraded right now, read from the cluster's cached state:
 * each blocker names the object it comes from so a UI can point at it. The list is a list of
 * small checks, each looking at one thing, run in order.
 */
import { pausedAnnotation } from '../capi/kinds.ts';
import type {
  ConditionView,
  MachineDeploymentView,
  MachinePoolView,
  ObjectAddress,
  ReplicaCounters,
  ViewBase,
} from '../capi/views.ts';
import type { ClusterSnapshot } from './cluster-snapshot.ts';

export type UpgradeBlockerCode =
  | 'DELETING'
  | 'PAUSED'
  | 'ROLLOUT_IN_PROGRESS'
  | 'UPGRADE_IN_PROGRESS'
  | 'CONDITION_FAILING'
  | 'VERSION_NOT_ALLOWED'
  | 'NOT_PROVISIONED';

export interface UpgradeBlocker {
  code: UpgradeBlockerCode;
  /** The object the blocker is read from (null: the request itself, e.g. a version the class refuses). */
  object: ObjectAddress | null;
  message: string;
}

/** Reasons of the Cluster's TopologyReconciled condition while CAPI is still upgrading. */
const TOPOLOGY_UPGRADING_REASONS = new Set([
  'ClusterUpgrading',
  'ControlPlaneUpgradePending',
  'MachineDeploymentsUpgradePending',
  'MachinePoolsUpgradePending',
  'MachineDeploymentsUpgradeDeferred',
  'MachinePoolsUpgradeDeferred',
  'LifecycleHookBlocking',
]);

/** Conditions whose False means the object is unhealthy (not merely in progress). */
const HEALTH_CONDITIONS: Record<string, readonly string[]> = {
  Cluster: ['Available', 'InfrastructureReady', 'ControlPlaneAvailable'],
  ControlPlane: ['Available', 'EtcdClusterHealthy', 'ControlPlaneComponentsHealthy'],
  MachineDeployment: ['Available'],
  MachinePool: ['Available'],
};

const condition = (view: ViewBase, type: string): ConditionView | undefined =>
  view.conditions.find((c) => c.type === type);

const label = (view: ViewBase): string => `${view.address.kind} ${view.address.name}`;

type Check = (snapshot: ClusterSnapshot) => UpgradeBlocker[];

/** The cluster and every object an upgrade changes: control plane, then the worker pools. */
function objectsOf(snapshot: ClusterSnapshot): Array<ViewBase & { viewKind: string }> {
  return [
    snapshot.cluster,
    ...(snapshot.controlPlane ? [snapshot.controlPlane] : []),
    ...snapshot.machineDeployments.map((d) => d.view),
    ...snapshot.machinePools.map((p) => p.view),
  ];
}

const deleting: Check = (snapshot) =>
  objectsOf(snapshot)
    .filter((v) => v.deletionTimestamp !== null)
    .map((v) => ({ code: 'DELETING', object: v.address, message: `${label(v)} is being deleted` }));

const paused: Check = (snapshot) =>
  objectsOf(snapshot)
    .filter(
      (v) =>
        (v.viewKind === 'Cluster' && snapshot.cluster.paused) ||
        v.annotations[pausedAnnotation] !== undefined ||
        condition(v, 'Paused')?.status === 'True',
    )
    .map((v) => ({ code: 'PAUSED', object: v.address, message: `${label(v)} is paused` }));

/** A replica set whose counters say machines are still being created, replaced or removed. */
function rollingOut(view: ViewBase & ReplicaCounters): string | null {
  if (condition(view, 'RollingOut')?.status === 'True') return 'is rolling out';
  if (condition(view, 'ScalingUp')?.status === 'True') return 'is scaling up';
  if (condition(view, 'ScalingDown')?.status === 'True') return 'is scaling down';
  const { desired, replicas: current, upToDate } = view;
  if (desired !== null && current !== null && desired !== current)
    return `has ${current} of ${desired} replicas`;
  if (current !== null && upToDate !== null && upToDate < current)
    return `has ${current - upToDate} of ${current} replicas not up to date`;
  return null;
}

const rollouts: Check = (snapshot) => {
  const blockers: UpgradeBlocker[] = [];
  const pools: Array<MachineDeploymentView | MachinePoolView> = [
    ...snapshot.machineDeployments.map((d) => d.view),
    ...snapshot.machinePools.map((p) => p.view),
  ];
  for (const view of [...(snapshot.controlPlane ? [snapshot.controlPlane] : []), ...pools]) {
    const why = rollingOut(view);
    if (why)
      blockers.push({ code: 'ROLLOUT_IN_PROGRESS', object: view.address, message: `${label(view)} ${why}` });
  }
  const machines = [
    ...snapshot.controlPlaneMachines,
    ...snapshot.machineDeployments.flatMap((d) => d.machines),
    ...snapshot.machinePools.flatMap((p) => p.machines),
  ];
  const leaving = machines.filter((m) => m.deletionTimestamp !== null);
  if (leaving.length > 0)
    blockers.push({
      code: 'ROLLOUT_IN_PROGRESS',
      object: leaving[0]!.address,
      message: `${leaving.length} machine(s) are being deleted (${leaving.map((m) => m.address.name).join(', ')})`,
    });
  return blockers;
};

/** A previous version change not finished: machines on other versions than their owner asks for. */
const upgrades: Check = (snapshot) => {
  const blockers: UpgradeBlocker[] = [];
  const { cluster, controlPlane } = snapshot;
  const reconciled = condition(cluster, 'TopologyReconciled');
  if (
    cluster.topology &&
    reconciled?.status === 'False' &&
    TOPOLOGY_UPGRADING_REASONS.has(reconciled.reason ?? '')
  )
    blockers.push({
      code: 'UPGRADE_IN_PROGRESS',
      object: cluster.address,
      message: `the topology is still being upgraded (${reconciled.reason ?? ''}${reconciled.message ? `: ${reconciled.message}` : ''})`,
    });
  if (cluster.topology?.version && controlPlane?.version && cluster.topology.version !== controlPlane.version)
    blockers.push({
      code: 'UPGRADE_IN_PROGRESS',
      object: controlPlane.address,
      message: `${label(controlPlane)} runs ${controlPlane.version}, the topology asks for ${cluster.topology.version}`,
    });
  const behind = (want: string | null, machines: readonly { version: string | null }[]) =>
    want !== null && machines.some((m) => m.version !== null && m.version !== want);
  if (controlPlane && behind(controlPlane.version, snapshot.controlPlaneMachines))
    blockers.push({
      code: 'UPGRADE_IN_PROGRESS',
      object: controlPlane.address,
      message: `${label(controlPlane)} machines do not all run ${controlPlane.version ?? ''} yet`,
    });
  for (const pool of [...snapshot.machineDeployments, ...snapshot.machinePools])
    if (behind(pool.view.version, pool.machines))
      blockers.push({
        code: 'UPGRADE_IN_PROGRESS',
        object: pool.view.address,
        message: `${label(pool.view)} machines do not all run ${pool.view.version ?? ''} yet`,
      });
  return blockers;
};

const failingConditions: Check = (snapshot) =>
  objectsOf(snapshot).flatMap((view) =>
    (HEALTH_CONDITIONS[view.viewKind] ?? [])
      .map((type) => condition(view, type))
      .filter((c): c is ConditionView => c?.status === 'False')
      .map((c) => ({
        code: 'CONDITION_FAILING' as const,
        object: view.address,
        message: `${label(view)}: ${c.type} is False (${c.reason ?? 'no reason'}${c.message ? `: ${c.message}` : ''})`,
      })),
  );

const provisioned: Check = (snapshot) => {
  const { cluster, controlPlane } = snapshot;
  if (!cluster.controlPlaneRef)
    return [
      {
        code: 'NOT_PROVISIONED',
        object: cluster.address,
        message: `${label(cluster)} has no control plane object to upgrade (spec.controlPlaneRef is not set)`,
      },
    ];
  if (!controlPlane)
    return [
      {
        code: 'NOT_PROVISIONED',
        object: cluster.address,
        message: `${label(cluster)}'s control plane does not exist yet`,
      },
    ];
  if (!controlPlane.initialized)
    return [
      {
        code: 'NOT_PROVISIONED',
        object: controlPlane.address,
        message: `${label(controlPlane)} is not initialized yet`,
      },
    ];
  return [];
};

const checks: readonly Check[] = [deleting, paused, provisioned, upgrades, rollouts, failingConditions];

/** Everything in the cluster's current state that stops an upgrade from starting. */
export function upgradeBlockersOf(snapshot: ClusterSnapshot): UpgradeBlocker[] {
  return checks.flatMap((check) => check(snapshot));
}
