/** `capi-gateway get machines`: the machines of every cluster in scope, kubectl-style. */
import {
  type GatewayClient,
  ListMachinesDocument,
  type MachineRowFragment,
  type PartialError,
} from '../../../client/index.ts';
import { age } from './age.ts';
import { allPages, clusterFilter } from './cluster-scope.ts';
import { formatColumns } from './columns.ts';
import type { GetOptions } from './get-clusters.ts';
import type { RowFormat } from './live-rows.ts';
import { clientFrom, failureOf, painter, serialize, warnProblems } from './output.ts';
import { phaseCell } from './phase-cell.ts';

export interface MachineLine {
  managementCluster: string;
  cluster: string;
  machine: MachineRowFragment;
}

export interface Listed<T> {
  lines: T[];
  problems: Array<{ managementCluster: string; message: string }>;
  partial: PartialError[];
}

export async function getMachines(opts: GetOptions): Promise<number> {
  const { lines, problems, partial } = await listMachines(clientFrom(opts), opts);
  if (opts.output === 'json' || opts.output === 'yaml')
    process.stdout.write(serialize(opts.output, lines.map(machineObject)));
  else if (lines.length === 0) process.stderr.write('No machines found.\n');
  else process.stdout.write(formatColumns(...machineTable(lines, opts.output === 'wide')));
  return warnProblems(problems, partial);
}

export async function listMachines(client: GatewayClient, opts: GetOptions): Promise<Listed<MachineLine>> {
  const problems: Listed<MachineLine>['problems'] = [];
  const partial: PartialError[] = [];
  const lines = await allPages<MachineLine>(async (after) => {
    const res = await client.request(ListMachinesDocument, {
      filter: clusterFilter(opts),
      first: 100,
      ...(after === undefined ? {} : { after }),
    });
    if (!res.ok) throw failureOf(res.error);
    partial.push(...res.partial);
    const page = res.data.clusters;
    if (after === undefined) problems.push(...page.errors);
    return {
      items: page.edges.flatMap(({ node }) => machineLines(node)),
      next: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined,
    };
  });
  return { lines, problems, partial };
}

/** A cluster's machines as lines (also `get machines -w`'s, from each cluster event). */
export function machineLines(cluster: {
  name: string;
  managementCluster: { name: string };
  machines: MachineRowFragment[];
}): MachineLine[] {
  return cluster.machines.map((machine) => ({
    managementCluster: cluster.managementCluster.name,
    cluster: cluster.name,
    machine,
  }));
}

/** A machine in -o json|yaml: its fields, and where it is. */
const machineObject = (l: MachineLine) => ({
  ...l.machine,
  managementCluster: l.managementCluster,
  cluster: l.cluster,
});

export function machineTable(lines: MachineLine[], wide: boolean): [string[], string[][]] {
  const paint = painter();
  const headers = [
    'MANAGEMENT CLUSTER',
    'NAMESPACE',
    'NAME',
    'CLUSTER',
    'NODE NAME',
    'READY',
    'PHASE',
    'AGE',
    'VERSION',
    ...(wide ? ['PROVIDER ID', 'ROLE'] : []),
  ];
  const rows = lines.map(({ managementCluster, cluster, machine: m }) => {
    const ready = m.conditions.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
    return [
      managementCluster,
      m.namespace,
      m.name,
      cluster,
      m.nodeName ?? '<none>',
      ready === 'True' ? paint('green', ready) : ready === 'False' ? paint('red', ready) : ready,
      phaseCell(m.phase, paint),
      age(m.createdAt),
      m.version ?? '<none>',
      ...(wide ? [m.providerID ?? '<none>', m.controlPlane ? 'control-plane' : 'worker'] : []),
    ];
  });
  return [headers, rows];
}

const placeOf = (l: MachineLine) => [l.managementCluster, l.machine.namespace, l.cluster, l.machine.name];

/** The machine rows of `get machines -w`. */
export function machineFormat(wide: boolean): RowFormat<MachineLine> {
  return {
    headers: machineTable([], wide)[0],
    cells: (line) => machineTable([line], wide)[1][0]!,
    compare: (a, b) => placeOf(a).join('\u0000').localeCompare(placeOf(b).join('\u0000')),
    object: machineObject,
  };
}
