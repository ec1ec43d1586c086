/**
 * The object tree `clusterctl describe cluster` (CAPI v1.14, v1beta2 conditions) prints, built
 * from the gateway's answer: Cluster → ClusterInfrastructure, ControlPlane → machines, Workers →
 * MachineDeployments → (MachineSets) → machines, MachinePools → machines. The counters and the
 * condition each row shows follow clusterctl's v1beta2 row descriptor (describe_cluster.go).
 */
import type {
  ConditionFieldsFragment,
  DescribeClusterQuery,
  MachineRowFragment,
} from '../../../client/index.ts';
import { groupMachines } from './machine-groups.ts';
import { conditionOf, machineRow, type TreeRow } from './tree-row.ts';

export type DescribedCluster = Extract<DescribeClusterQuery['cluster'], { __typename: 'Cluster' }>;

export interface TreeOptions {
  grouping: boolean;
  showMachineSets: boolean;
}

interface Counted {
  desired: number | null;
  replicas: number | null;
  ready: number | null;
  available: number | null;
  upToDate: number | null;
}

const n = (v: number | null | undefined): number => v ?? 0;

function countedRow(
  name: string,
  obj: Counted,
  condition: ConditionFieldsFragment | undefined,
  children: TreeRow[],
): TreeRow {
  return {
    name,
    replicas: `${n(obj.replicas)}/${n(obj.desired)}`,
    available: String(n(obj.available)),
    ready: String(n(obj.ready)),
    upToDate: String(n(obj.upToDate)),
    condition,
    children,
  };
}

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);

function machinesRows(machines: MachineRowFragment[], opts: TreeOptions): TreeRow[] {
  const sorted = [...machines].sort(byName);
  return opts.grouping ? groupMachines(sorted) : sorted.map(machineRow);
}

export function buildTree(cluster: DescribedCluster, opts: TreeOptions): TreeRow {
  const machines = cluster.machines;
  const owned = (ids: Set<string>) => machines.filter((m) => m.owner !== null && ids.has(m.owner.id));
  const children: TreeRow[] = [];

  const infra = cluster.infrastructureCluster;
  if (infra)
    children.push({
      name: `ClusterInfrastructure - ${infra.kind}/${infra.name}`,
      replicas: '',
      available: '',
      ready: '',
      upToDate: '',
      condition: conditionOf(infra.conditions, 'Ready', 'Available'),
      children: [],
    });

  const cp = cluster.controlPlane;
  if (cp)
    children.push(
      countedRow(
        `ControlPlane - ${cp.kind}/${cp.name}`,
        cp,
        conditionOf(cp.conditions, 'Available', 'Ready'),
        machinesRows(
          machines.filter((m) => m.controlPlane),
          opts,
        ),
      ),
    );

  const workers: TreeRow[] = [
    ...[...cluster.machineDeployments].sort(byName).map((md) => {
      const sets = [...md.machineSets].sort(byName);
      const below = opts.showMachineSets
        ? sets.map((ms) =>
            countedRow(
              `MachineSet/${ms.name}`,
              ms,
              conditionOf(ms.conditions, 'MachinesReady', 'Ready'),
              machinesRows(owned(new Set([ms.id])), opts),
            ),
          )
        : machinesRows(owned(new Set(sets.map((s) => s.id))), opts);
      return countedRow(
        `MachineDeployment/${md.name}`,
        md,
        conditionOf(md.conditions, 'Available', 'Ready'),
        below,
      );
    }),
    ...[...cluster.machinePools]
      .sort(byName)
      .map((mp) =>
        countedRow(
          `MachinePool/${mp.name}`,
          mp,
          conditionOf(mp.conditions, 'Available', 'Ready'),
          machinesRows(owned(new Set([mp.id])), opts),
        ),
      ),
  ];
  if (workers.length > 0)
    children.push({
      name: 'Workers',
      replicas: '',
      available: '',
      ready: '',
      upToDate: '',
      condition: undefined,
      children: workers,
    });

  return {
    ...clusterCounters(cluster),
    name: `Cluster/${cluster.name}`,
    condition: conditionOf(cluster.conditions, 'Available', 'Ready'),
    children,
  };
}

/** clusterctl sums the control plane's and the workers' counters on the Cluster's row. */
function clusterCounters(
  cluster: DescribedCluster,
): Pick<TreeRow, 'replicas' | 'available' | 'ready' | 'upToDate'> {
  const parts: Counted[] = [
    ...(cluster.controlPlane ? [cluster.controlPlane] : []),
    ...cluster.machineDeployments,
    ...cluster.machinePools,
  ];
  const sum = (key: keyof Counted) => parts.reduce((total, p) => total + n(p[key]), 0);
  return {
    replicas: `${sum('replicas')}/${sum('desired')}`,
    available: String(sum('available')),
    ready: String(sum('ready')),
    upToDate: String(sum('upToDate')),
  };
}

export type { TreeRow } from './tree-row.ts';
