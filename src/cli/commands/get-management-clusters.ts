/** `capi-gateway get managementclusters`: the management clusters the gateway reads. */
import { ListManagementClustersDocument } from '../../../client/index.ts';
import { age } from './age.ts';
import { formatColumns } from './columns.ts';
import type { GetOptions } from './get-clusters.ts';
import { clientFrom, failureOf, painter, serialize, warnProblems } from './output.ts';

export async function getManagementClusters(opts: GetOptions): Promise<number> {
  const res = await clientFrom(opts).request(ListManagementClustersDocument, {});
  if (!res.ok) throw failureOf(res.error);
  const list = res.data.managementClusters.filter((m) => opts.mc === undefined || m.name === opts.mc);
  if (opts.output === 'json' || opts.output === 'yaml') {
    process.stdout.write(serialize(opts.output, list));
    return warnProblems([], res.partial);
  }
  const paint = painter();
  const wide = opts.output === 'wide';
  const headers = [
    'NAME',
    'REACHABLE',
    'SYNCED',
    'CAPI VERSION',
    'CLUSTERS',
    'LAST SYNC',
    ...(wide ? ['SERVER', 'ERROR'] : []),
  ];
  const rows = list.map((m) => [
    m.name,
    m.reachable ? 'True' : paint('red', 'False'),
    m.synced ? 'True' : 'False',
    m.capiVersion ?? '<none>',
    m.clusterCount === null ? '<unknown>' : String(m.clusterCount),
    m.lastSyncTime ? `${age(m.lastSyncTime)} ago` : '<never>',
    ...(wide ? [m.server, m.error ?? ''] : []),
  ]);
  process.stdout.write(formatColumns(headers, rows));
  return warnProblems([], res.partial);
}
