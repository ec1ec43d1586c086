/**
 * The object tree `clusterctl describe cluster` (CAPI v1.14, v1beta2 conditions) prints, built
 * from the gateway's answer as cmd/clusterctl/client/tree/discovery.go builds it: Cluster →
 * infrastructure cluster, control plane → its machines, Workers → MachineDeployments →
 * (MachineSets) → machines, MachinePools → machines, Other → machines nothing above owns; a
 * machine's (a pool's) infrastructure and bootstrap objects under it when they are not an echo.
 * Siblings are ordered by row name, as clusterctl orders them (same z-order); rows follow
 * tree-row.ts.
 */
import type { ClusterTreeFragment } from '../../../client/index.ts';
import { withShownConditions } from './condition-rows.ts';
import { withoutEchoes } from './echo.ts';
import { groupMachines } from './machine-groups.ts';
import {
  conditionOf,
  controlPlaneCounters,
  emptyCounters,
  machineRow,
  providerRow,
  replicaCounters,
  rowName,
  virtualRow,
  type Counters,
  type TreeRow,
} from './tree-row.ts';

export type { TreeRow } from './tree-row.ts';

/** A cluster as `describe` reads it and `watch` follows it. */
export type DescribedCluster = ClusterTreeFragment;
type DescribedMachine = DescribedCluster['machines'][number];
type DescribedPool = DescribedCluster['machinePools'][number];

export interface TreeOptions {
  grouping: boolean;
  showMachineSets: boolean;
  /** Show infrastructure and bootstrap objects even when they echo their owner's state. */
  echo?: boolean;
  /** clusterctl's --show-conditions list ("all", "Kind", "Kind/name", each with an optional "+"). */
  showConditions?: string;
  /** Adds what clusterctl does not show: the MachineHealthChecks and the machines they check. */
  showHealthChecks?: boolean;
}

/** Go's string order (bytes), which clusterctl sorts row names by. */
const byName = (a: TreeRow, b: TreeRow) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const sorted = (rows: TreeRow[]) => [...rows].sort(byName);

export function buildTree(cluster: DescribedCluster, opts: TreeOptions): TreeRow {
  const tree = clusterTree(cluster, opts);
  const shown = opts.echo ? tree : withoutEchoes(tree);
  return opts.showConditions ? withShownConditions(shown, opts.showConditions) : shown;
}

function clusterTree(cluster: DescribedCluster, opts: TreeOptions): TreeRow {
  const ns = cluster.namespace;
  const placed = new Set<string>();
  /** Machines under a grouping parent (control plane, MachineSet, MachinePool). */
  const machineRows = (list: DescribedMachine[], grouping = opts.grouping) => {
    for (const m of list) placed.add(m.id);
    const single = (m: DescribedMachine) => machineWithProviders(m, ns);
    return sorted(grouping ? groupMachines(list, ns, single) : list.map(single));
  };
  const ownedBy = (id: string) => cluster.machines.filter((m) => m.owner?.id === id);
  const children: TreeRow[] = [];

  const infra = cluster.infrastructureCluster;
  if (infra) children.push(providerRow(infra, ns));

  // clusterctl puts every machine with the control-plane label under the control plane.
  const controlPlaneMachines = cluster.machines.filter((m) => m.controlPlane);
  const cp = cluster.controlPlane;
  if (cp)
    children.push({
      ...controlPlaneCounters(cp),
      name: rowName(cp.kind, { ...cp, namespace: ns }, cp.version ?? undefined),
      kind: cp.kind,
      objectName: cp.name,
      condition: conditionOf(cp.conditions, 'Available') ?? conditionOf(cp.conditions, 'Ready'),
      conditions: cp.conditions,
      children: machineRows(controlPlaneMachines),
    });

  // As clusterctl decides: Workers when some machine is not a control plane's, or pools exist;
  // MachineDeployments only in the first case.
  const hasWorkerMachines = cluster.machines.length !== controlPlaneMachines.length;
  const workers: TreeRow[] = [
    ...(hasWorkerMachines
      ? cluster.machineDeployments.map((md) => deploymentRow(md, ns, opts, machineRows, ownedBy))
      : []),
    ...cluster.machinePools.map((mp) => poolRow(mp, ns, machineRows(ownedBy(mp.id)))),
  ];
  const orphans = cluster.machines.filter((m) => !placed.has(m.id));
  if (orphans.length > 0) workers.push(virtualRow('OtherGroup', 'Other', machineRows(orphans, false)));
  if (hasWorkerMachines || cluster.machinePools.length > 0)
    children.push(virtualRow('WorkerGroup', 'Workers', sorted(workers)));

  const checks = opts.showHealthChecks ? (cluster.machineHealthChecks ?? []) : [];
  if (checks.length > 0)
    children.push(
      virtualRow(
        'MachineHealthCheckGroup',
        'MachineHealthChecks',
        sorted(checks.map((mhc) => healthCheckRow(mhc, ns))),
      ),
    );

  return {
    ...clusterCounters(cluster.summary),
    name: rowName('Cluster', cluster, cluster.topology ? (cluster.topology.version ?? '') : undefined),
    kind: 'Cluster',
    objectName: cluster.name,
    condition: conditionOf(cluster.conditions, 'Available'),
    conditions: cluster.conditions,
    children: sorted(children),
  };
}

/** A machine on a row of its own, with its infrastructure and bootstrap objects below it. */
function machineWithProviders(m: DescribedMachine, ns: string): TreeRow {
  const providers = [m.infrastructureMachine, m.bootstrapConfig].flatMap((p) =>
    p ? [{ ...providerRow(p, ns), noEcho: true }] : [],
  );
  return { ...machineRow(m, ns), children: sorted(providers) };
}

function deploymentRow(
  md: DescribedCluster['machineDeployments'][number],
  ns: string,
  opts: TreeOptions,
  machineRows: (list: DescribedMachine[], grouping?: boolean) => TreeRow[],
  ownedBy: (id: string) => DescribedMachine[],
): TreeRow {
  const sets = md.machineSets;
  const below = opts.showMachineSets
    ? sets.map((ms) => ({
        // clusterctl shows a MachineSet's counters and no condition.
        ...replicaCounters(ms),
        name: rowName('MachineSet', { ...ms, namespace: ns }, ms.version ?? ''),
        kind: 'MachineSet',
        objectName: ms.name,
        condition: undefined,
        conditions: ms.conditions,
        children: machineRows(ownedBy(ms.id)),
      }))
    : machineRows(sets.flatMap((ms) => ownedBy(ms.id)));
  return {
    ...replicaCounters(md),
    name: rowName('MachineDeployment', { ...md, namespace: ns }, md.version ?? ''),
    kind: 'MachineDeployment',
    objectName: md.name,
    condition: conditionOf(md.conditions, 'Available'),
    conditions: md.conditions,
    children: sorted(below),
  };
}

/** clusterctl's row descriptor has no case for MachinePools: no counters, no condition. */
function poolRow(mp: DescribedPool, ns: string, machines: TreeRow[]): TreeRow {
  const providers = [mp.bootstrapConfig, mp.infrastructureMachinePool].flatMap((p) =>
    p ? [{ ...providerRow(p, ns), noEcho: true }] : [],
  );
  return {
    ...emptyCounters,
    name: rowName('MachinePool', { ...mp, namespace: ns }, mp.version ?? ''),
    kind: 'MachinePool',
    objectName: mp.name,
    condition: undefined,
    conditions: mp.conditions,
    children: sorted([...providers, ...machines]),
  };
}

/**
 * clusterctl sums the Cluster's status.controlPlane and status.workers counters; a counter
 * neither reports is left blank.
 */
function clusterCounters(summary: DescribedCluster['summary']): Counters {
  const { controlPlane: cp, workers: w } = summary;
  const sum = (key: 'desired' | 'replicas' | 'ready' | 'available' | 'upToDate') =>
    (cp[key] ?? 0) + (w[key] ?? 0);
  const reported = (key: 'desired' | 'replicas' | 'ready' | 'available' | 'upToDate') =>
    cp[key] !== null || w[key] !== null;
  const text = (key: 'ready' | 'available' | 'upToDate') => (reported(key) ? String(sum(key)) : '');
  return {
    replicas: reported('desired') || reported('replicas') ? `${sum('replicas')}/${sum('desired')}` : '',
    available: text('available'),
    ready: text('ready'),
    upToDate: text('upToDate'),
  };
}

type HealthCheck = NonNullable<DescribedCluster['machineHealthChecks']>[number];

/** A MachineHealthCheck: healthy/expected machines, its RemediationAllowed condition, its targets. */
function healthCheckRow(mhc: HealthCheck, namespace: string): TreeRow {
  const targets = [...mhc.targets].sort();
  const shown = targets.length <= 2 ? targets.join(', ') : `${targets.slice(0, 2).join(', ')}, ...`;
  return {
    name: rowName('MachineHealthCheck', { ...mhc, namespace }),
    kind: 'MachineHealthCheck',
    objectName: mhc.name,
    replicas: mhc.expectedMachines === null ? '' : `${mhc.currentHealthy ?? 0}/${mhc.expectedMachines}`,
    available: '',
    ready: mhc.currentHealthy === null ? '' : String(mhc.currentHealthy),
    upToDate: '',
    condition: conditionOf(mhc.conditions, 'RemediationAllowed'),
    conditions: mhc.conditions,
    message: targets.length > 0 ? `Checks ${shown}` : 'Checks no machines',
    children: [],
  };
}
