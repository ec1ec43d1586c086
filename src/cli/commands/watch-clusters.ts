/**
 * `get clusters -w`: kubectl's watch — the table of the clusters now, then one row per change,
 * from the `clusterEvents` subscription (its current set first, then ADDED / MODIFIED / DELETED).
 * With -o json|yaml, one document per event. Runs until interrupted or the stream ends.
 */
import { stringify } from 'yaml';
import { unavailableCode, WatchClustersDocument } from '../../../client/index.ts';
import { clusterFilter } from './cluster-scope.ts';
import { visibleLength } from './columns.ts';
import { clusterTable, type ClusterRow, type GetOptions } from './get-clusters.ts';
import { clientFrom, exitCodes, failureOf } from './output.ts';

export async function watchClusters(opts: GetOptions): Promise<number> {
  const client = clientFrom(opts);
  const wide = opts.output === 'wide';
  let widths: number[] | undefined;
  const line = (cells: string[]) =>
    cells
      .map((cell, i) =>
        i === cells.length - 1 ? cell : cell + ' '.repeat(Math.max(0, widths![i]! - visibleLength(cell)) + 3),
      )
      .join('')
      .trimEnd();
  for await (const res of client.subscribe(WatchClustersDocument, { filter: clusterFilter(opts) })) {
    if (!res.ok && res.error.kind === 'graphql' && res.error.code === unavailableCode) {
      process.stderr.write(`warning: ${res.error.message}\n`);
      continue;
    }
    if (!res.ok) throw failureOf(res.error);
    const event = res.data.clusterEvents;
    if (opts.output === 'json' || opts.output === 'yaml') {
      const doc = { type: event.type, object: event.cluster };
      process.stdout.write(opts.output === 'json' ? `${JSON.stringify(doc)}\n` : `---\n${stringify(doc)}`);
      continue;
    }
    if (!event.cluster) continue;
    const [headers, rows] = clusterTable([event.cluster as ClusterRow], wide);
    if (widths === undefined) {
      // The header's widths, widened for names as long as kubectl's usual ones.
      widths = headers.map((h, i) => Math.max(h.length, visibleLength(rows[0]![i]!)));
      process.stdout.write(`${line(headers)}\n`);
    }
    process.stdout.write(`${line(rows[0]!)}\n`);
  }
  return exitCodes.ok;
}
