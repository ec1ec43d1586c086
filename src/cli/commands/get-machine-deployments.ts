/** `capi-gateway get machinedeployments`: the MachineDeployments of every cluster in scope. */
import {
  type GatewayClient,
  ListMachineDeploymentsDocument,
  type MachineDeploymentRowFragment,
  type PartialError,
} from '../../../client/index.ts';
import { age } from './age.ts';
import { allPages, clusterFilter } from './cluster-scope.ts';
import { formatColumns } from './columns.ts';
import type { GetOptions } from './get-clusters.ts';
import type { Listed } from './get-machines.ts';
import type { RowFormat } from './live-rows.ts';
import { clientFrom, failureOf, painter, serialize, warnProblems, type Paint } from './output.ts';
import { phaseCell } from './phase-cell.ts';

export interface DeploymentLine {
  managementCluster: string;
  cluster: string;
  md: MachineDeploymentRowFragment;
}

export async function getMachineDeployments(opts: GetOptions): Promise<number> {
  const { lines, problems, partial } = await listMachineDeployments(clientFrom(opts), opts);
  if (opts.output === 'json' || opts.output === 'yaml')
    process.stdout.write(serialize(opts.output, lines.map(deploymentObject)));
  else if (lines.length === 0) process.stderr.write('No machinedeployments found.\n');
  else process.stdout.write(formatColumns(...deploymentTable(lines, opts.output === 'wide')));
  return warnProblems(problems, partial);
}

export async function listMachineDeployments(
  client: GatewayClient,
  opts: GetOptions,
): Promise<Listed<DeploymentLine>> {
  const problems: Listed<DeploymentLine>['problems'] = [];
  const partial: PartialError[] = [];
  const lines = await allPages<DeploymentLine>(async (after) => {
    const res = await client.request(ListMachineDeploymentsDocument, {
      filter: clusterFilter(opts),
      first: 100,
      ...(after === undefined ? {} : { after }),
    });
    if (!res.ok) throw failureOf(res.error);
    partial.push(...res.partial);
    const page = res.data.clusters;
    if (after === undefined) problems.push(...page.errors);
    return {
      items: page.edges.flatMap(({ node }) => deploymentLines(node)),
      next: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined,
    };
  });
  return { lines, problems, partial };
}

/** A cluster's MachineDeployments as lines (also `get machinedeployments -w`'s). */
export function deploymentLines(cluster: {
  name: string;
  managementCluster: { name: string };
  machineDeployments: MachineDeploymentRowFragment[];
}): DeploymentLine[] {
  return cluster.machineDeployments.map((md) => ({
    managementCluster: cluster.managementCluster.name,
    cluster: cluster.name,
    md,
  }));
}

const deploymentObject = (l: DeploymentLine) => ({
  ...l.md,
  managementCluster: l.managementCluster,
  cluster: l.cluster,
});

const count = (n: number | null): string => (n === null ? '<none>' : String(n));

/** The columns of CAPI v1.14's MachineDeployment printer columns (kubectl get md), behind the
 * management cluster; -o wide adds the priority-10 one (PAUSED). */
export function deploymentTable(lines: DeploymentLine[], wide: boolean): [string[], string[][]] {
  const paint = painter();
  const headers = [
    'MANAGEMENT CLUSTER',
    'NAMESPACE',
    'NAME',
    'CLUSTER',
    'AVAILABLE',
    'DESIRED',
    'CURRENT',
    'READY',
    'AVAILABLE',
    'UP-TO-DATE',
    ...(wide ? ['PAUSED'] : []),
    'PHASE',
    'AGE',
    'VERSION',
  ];
  const rows = lines.map(({ managementCluster, cluster, md }) => {
    const status = (type: string) => md.conditions.find((c) => c.type === type)?.status ?? '<none>';
    return [
      managementCluster,
      md.namespace,
      md.name,
      cluster,
      statusCell(status('Available'), paint),
      count(md.desired),
      count(md.replicas),
      count(md.ready),
      count(md.available),
      count(md.upToDate),
      ...(wide ? [status('Paused')] : []),
      phaseCell(md.phase, paint),
      age(md.createdAt),
      md.version ?? '<none>',
    ];
  });
  return [headers, rows];
}

function statusCell(status: string, paint: Paint): string {
  if (status === 'True') return paint('green', status);
  if (status === 'False') return paint('red', status);
  return status;
}

const placeOf = (l: DeploymentLine) => [l.managementCluster, l.md.namespace, l.cluster, l.md.name];

/** The rows of `get machinedeployments -w`. */
export function deploymentFormat(wide: boolean): RowFormat<DeploymentLine> {
  return {
    headers: deploymentTable([], wide)[0],
    cells: (line) => deploymentTable([line], wide)[1][0]!,
    compare: (a, b) => placeOf(a).join('\u0000').localeCompare(placeOf(b).join('\u0000')),
    object: deploymentObject,
  };
}
