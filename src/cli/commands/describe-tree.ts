/**
 * The object tree `clusterctl describe cluster` (CAPI v1.14, v1beta2 conditions) prints, built
 * from the gateway's answer: Cluster → infrastructure cluster, control plane → machines, Workers →
 * MachineDeployments → (MachineSets) → machines, MachinePools → machines. Siblings are ordered
 * by row name, as clusterctl orders them (same z-order); rows follow tree-row.ts.
 */
import type { ClusterTreeFragment, MachineRowFragment } from '../../../client/index.ts';
import { groupMachines } from './machine-groups.ts';
import {
  conditionOf,
  emptyCounters,
  machineRow,
  replicaCounters,
  rowName,
  type TreeRow,
} from './tree-row.ts';

export type { TreeRow } from './tree-row.ts';

/** A cluster as `describe` reads it and `watch` follows it. */
export type DescribedCluster = ClusterTreeFragment;

export interface TreeOptions {
  grouping: boolean;
  showMachineSets: boolean;
  /** Adds what clusterctl does not show: the MachineHealthChecks and the machines they check. */
  showHealthChecks?: boolean;
}

/** Go's string order (bytes), which clusterctl sorts row names by. */
const byName = (a: TreeRow, b: TreeRow) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const sorted = (rows: TreeRow[]) => [...rows].sort(byName);

export function buildTree(cluster: DescribedCluster, opts: TreeOptions): TreeRow {
  const ns = cluster.namespace;
  const machines = cluster.machines;
  const owned = (ids: Set<string>) => machines.filter((m) => m.owner !== null && ids.has(m.owner.id));
  const machineRows = (list: MachineRowFragment[], grouping: boolean) =>
    sorted(grouping && opts.grouping ? groupMachines(list, ns) : list.map((m) => machineRow(m, ns)));
  const children: TreeRow[] = [];

  const infra = cluster.infrastructureCluster;
  if (infra)
    children.push({
      ...emptyCounters,
      name: rowName(infra.kind, { ...infra, namespace: ns }),
      condition: conditionOf(infra.conditions, 'Ready'),
      children: [],
    });

  const cp = cluster.controlPlane;
  if (cp)
    children.push({
      ...replicaCounters(cp),
      name: rowName(cp.kind, { ...cp, namespace: ns }, cp.version),
      condition: conditionOf(cp.conditions, 'Available'),
      children: machineRows(
        machines.filter((m) => m.controlPlane),
        true,
      ),
    });

  const workers: TreeRow[] = [
    ...cluster.machineDeployments.map((md) => {
      const sets = md.machineSets;
      const below = opts.showMachineSets
        ? sets.map((ms) => ({
            // clusterctl shows a MachineSet's counters and no condition.
            ...replicaCounters(ms),
            name: rowName('MachineSet', { ...ms, namespace: ns }, ms.version),
            condition: undefined,
            children: machineRows(owned(new Set([ms.id])), true),
          }))
        : machineRows(owned(new Set(sets.map((s) => s.id))), true);
      return {
        ...replicaCounters(md),
        name: rowName('MachineDeployment', { ...md, namespace: ns }, md.version),
        condition: conditionOf(md.conditions, 'Available'),
        children: sorted(below),
      };
    }),
    // clusterctl's row descriptor has no case for MachinePools: no counters, no condition.
    ...cluster.machinePools.map((mp) => ({
      ...emptyCounters,
      name: rowName('MachinePool', { ...mp, namespace: ns }, mp.version),
      condition: undefined,
      children: machineRows(owned(new Set([mp.id])), true),
    })),
  ];
  if (workers.length > 0)
    children.push({ ...emptyCounters, name: 'Workers', condition: undefined, children: sorted(workers) });

  const checks = opts.showHealthChecks ? (cluster.machineHealthChecks ?? []) : [];
  if (checks.length > 0)
    children.push({
      ...emptyCounters,
      name: 'MachineHealthChecks',
      condition: undefined,
      children: sorted(checks.map((mhc) => healthCheckRow(mhc, ns))),
    });

  return {
    ...clusterCounters(cluster),
    name: rowName('Cluster', cluster, cluster.topology?.version),
    condition: conditionOf(cluster.conditions, 'Available'),
    children: sorted(children),
  };
}

/** clusterctl sums the control plane's and the workers' counters on the Cluster's row. */
function clusterCounters(
  cluster: DescribedCluster,
): Pick<TreeRow, 'replicas' | 'available' | 'ready' | 'upToDate'> {
  const parts = [
    ...(cluster.controlPlane ? [cluster.controlPlane] : []),
    ...cluster.machineDeployments,
    ...cluster.machinePools,
  ];
  const sum = (key: 'desired' | 'replicas' | 'available' | 'ready' | 'upToDate') =>
    parts.some((p) => p[key] !== null) ? parts.reduce((total, p) => total + (p[key] ?? 0), 0) : undefined;
  const replicas = sum('replicas');
  const desired = sum('desired');
  const text = (v: number | undefined) => (v === undefined ? '' : String(v));
  return {
    replicas: replicas === undefined && desired === undefined ? '' : `${replicas ?? 0}/${desired ?? 0}`,
    available: text(sum('available')),
    ready: text(sum('ready')),
    upToDate: text(sum('upToDate')),
  };
}

type HealthCheck = NonNullable<DescribedCluster['machineHealthChecks']>[number];

/** A MachineHealthCheck: healthy/expected machines, its RemediationAllowed condition, its targets. */
function healthCheckRow(mhc: HealthCheck, namespace: string): TreeRow {
  const targets = [...mhc.targets].sort();
  const shown = targets.length <= 2 ? targets.join(', ') : `${targets.slice(0, 2).join(', ')}, ...`;
  return {
    name: rowName('MachineHealthCheck', { ...mhc, namespace }),
    replicas: mhc.expectedMachines === null ? '' : `${mhc.currentHealthy ?? 0}/${mhc.expectedMachines}`,
    available: '',
    ready: mhc.currentHealthy === null ? '' : String(mhc.currentHealthy),
    upToDate: '',
    condition: conditionOf(mhc.conditions, 'RemediationAllowed'),
    message: targets.length > 0 ? `Checks ${shown}` : 'Checks no machines',
    children: [],
  };
}
