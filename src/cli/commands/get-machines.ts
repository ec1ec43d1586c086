/** `capi-gateway get machines`: the machines of every cluster in scope, kubectl-style. */
import { ListMachinesDocument, type MachineRowFragment, type PartialError } from '../../../client/index.ts';
import { age } from './age.ts';
import { allPages, clusterFilter } from './cluster-scope.ts';
import { formatColumns } from './columns.ts';
import type { GetOptions } from './get-clusters.ts';
import { phaseCell } from './phase-cell.ts';
import { clientFrom, failureOf, painter, serialize, warnProblems } from './output.ts';

interface MachineLine {
  managementCluster: string;
  cluster: string;
  machine: MachineRowFragment;
}

export async function getMachines(opts: GetOptions): Promise<number> {
  const client = clientFrom(opts);
  const problems: Array<{ managementCluster: string; message: string }> = [];
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
      items: page.edges.flatMap(({ node }) =>
        node.machines.map((machine) => ({
          managementCluster: node.managementCluster.name,
          cluster: node.name,
          machine,
        })),
      ),
      next: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined,
    };
  });
  if (opts.output === 'json' || opts.output === 'yaml')
    process.stdout.write(
      serialize(
        opts.output,
        lines.map((l) => ({ ...l.machine, managementCluster: l.managementCluster, cluster: l.cluster })),
      ),
    );
  else if (lines.length === 0) process.stderr.write('No machines found.\n');
  else process.stdout.write(table(lines, opts.output === 'wide'));
  return warnProblems(problems, partial);
}

function table(lines: MachineLine[], wide: boolean): string {
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
  return formatColumns(headers, rows);
}
