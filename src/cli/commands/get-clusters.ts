/** `capi-gateway get clusters`: the fleet's clusters as kubectl prints a list. */
import { type PartialError, ListClustersDocument, type ListClustersQuery } from '../../../client/index.ts';
import { age } from './age.ts';
import { allPages, clusterFilter, type ScopeOptions } from './cluster-scope.ts';
import { formatColumns } from './columns.ts';
import { phaseCell } from './phase-cell.ts';
import {
  clientFrom,
  failureOf,
  painter,
  serialize,
  warnProblems,
  type GatewayOptions,
  type OutputFormat,
} from './output.ts';

export type GetOptions = GatewayOptions & ScopeOptions & { output: OutputFormat; watch?: boolean };

export type ClusterRow = ListClustersQuery['clusters']['edges'][number]['node'];

const pageSize = 200;

export async function getClusters(opts: GetOptions): Promise<number> {
  const client = clientFrom(opts);
  const problems: Array<{ managementCluster: string; message: string }> = [];
  const partial: PartialError[] = [];
  const clusters = await allPages<ClusterRow>(async (after) => {
    const res = await client.request(ListClustersDocument, {
      filter: clusterFilter(opts),
      first: pageSize,
      ...(after === undefined ? {} : { after }),
    });
    if (!res.ok) throw failureOf(res.error);
    partial.push(...res.partial);
    const page = res.data.clusters;
    if (after === undefined) problems.push(...page.errors);
    return {
      items: page.edges.map((e) => e.node),
      next: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined,
    };
  });
  process.stdout.write(render(clusters, opts.output));
  return warnProblems(problems, partial);
}

function render(clusters: ClusterRow[], output: OutputFormat): string {
  if (output === 'json' || output === 'yaml') return serialize(output, clusters);
  if (clusters.length === 0) {
    process.stderr.write('No clusters found.\n');
    return '';
  }
  return formatColumns(...clusterTable(clusters, output === 'wide'));
}

/** The header and rows of the clusters table (also `get clusters -w`'s lines). */
export function clusterTable(clusters: ClusterRow[], wide: boolean): [string[], string[][]] {
  const paint = painter();
  const headers = [
    'MANAGEMENT CLUSTER',
    'NAMESPACE',
    'NAME',
    'CLASS',
    'PHASE',
    'VERSION',
    'CONTROL PLANE',
    'WORKERS',
    'AGE',
    ...(wide ? ['INFRASTRUCTURE', 'CONTROL PLANE KIND', 'PAUSED'] : []),
  ];
  const rows = clusters.map((c) => [
    c.managementCluster.name,
    c.namespace,
    c.name,
    c.topology?.class ?? '<none>',
    phaseCell(c.phase, paint),
    c.kubernetesVersion ?? c.topology?.version ?? c.controlPlane?.version ?? '<none>',
    readyOf(c.summary.controlPlane),
    readyOf(c.summary.workers),
    age(c.createdAt),
    ...(wide
      ? [c.infrastructureCluster?.kind ?? '<none>', c.controlPlane?.kind ?? '<none>', String(c.paused)]
      : []),
  ]);
  return [headers, rows];
}

/** ready/desired, as kubectl's READY column (a missing count reads 0). */
export function readyOf(s: { ready: number | null; desired: number | null }): string {
  return `${s.ready ?? 0}/${s.desired ?? 0}`;
}
