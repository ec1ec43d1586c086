/** Where a cluster named on the command line is: its management cluster, namespace and name. */
import { FindClusterDocument, type FindClusterQuery, type GatewayClient } from '../../../client/index.ts';
import { allPages } from './cluster-scope.ts';
import { CliFailure, exitCodes, failureOf } from './output.ts';

type FoundCluster = FindClusterQuery['clusters']['edges'][number]['node'];

export interface Where {
  managementCluster: string;
  namespace: string;
  name: string;
}

/** With --mc and -n the cluster is addressed directly; otherwise the name is looked up fleet-wide. */
export async function locateCluster(
  client: GatewayClient,
  name: string,
  opts: { mc?: string | undefined; namespace?: string | undefined },
): Promise<Where> {
  if (opts.mc !== undefined && opts.namespace !== undefined)
    return { managementCluster: opts.mc, namespace: opts.namespace, name };
  const filter = {
    nameContains: name,
    ...(opts.mc === undefined ? {} : { managementCluster: opts.mc }),
    ...(opts.namespace === undefined ? {} : { namespace: opts.namespace }),
  };
  const down: string[] = [];
  const candidates = await allPages<FoundCluster>(async (after) => {
    const res = await client.request(FindClusterDocument, {
      filter,
      ...(after === undefined ? {} : { after }),
    });
    if (!res.ok) throw failureOf(res.error);
    const page = res.data.clusters;
    if (after === undefined) down.push(...page.errors.map((e) => e.managementCluster));
    return {
      items: page.edges.map((e) => e.node),
      next: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined,
    };
  });
  const found = candidates.filter((c) => c.name === name);
  const where = [opts.mc && `management cluster ${opts.mc}`, opts.namespace && `namespace ${opts.namespace}`]
    .filter(Boolean)
    .join(', ');
  if (found.length === 0) {
    const unreadable = down.length > 0 ? ` (not readable now: ${down.join(', ')})` : '';
    throw new CliFailure(
      `cluster "${name}" not found${where ? ` in ${where}` : ''}${unreadable}`,
      exitCodes.failed,
    );
  }
  if (found.length > 1)
    throw new CliFailure(
      `cluster "${name}" is ambiguous: ${found.map((c) => `${c.managementCluster.name}/${c.namespace}`).join(', ')} (use --mc and -n)`,
      exitCodes.failed,
    );
  const c = found[0]!;
  return { managementCluster: c.managementCluster.name, namespace: c.namespace, name };
}
