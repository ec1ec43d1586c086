/**
 * `get clusters -w`: kubectl's watch — the table of the clusters now, then one row per change,
 * from the `clusterEvents` subscription (its current set first, then ADDED / MODIFIED / DELETED).
 * With -o json|yaml, one document per event. Runs until interrupted (Ctrl-C: exit 0).
 */
import { stringify } from 'yaml';
import { WatchClustersDocument } from '../../../client/index.ts';
import { clusterFilter } from './cluster-scope.ts';
import { visibleLength } from './columns.ts';
import { clusterTable, type ClusterRow, type GetOptions } from './get-clusters.ts';
import { liveSubscription } from './live-subscription.ts';
import { clientFrom, exitCodes } from './output.ts';
import { stopOnInterrupt } from './stop-on-interrupt.ts';

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
  const release = stopOnInterrupt(() => client.close());
  // A gateway lost once the stream answered is waited for; the stream then resumes after the
  // last event seen (or, when the gateway no longer holds that, RESYNC and the current set).
  let since: string | undefined;
  const variables = () => ({ filter: clusterFilter(opts), ...(since === undefined ? {} : { since }) });
  const events = liveSubscription(client, WatchClustersDocument, variables, { reopenOnEnd: true });
  for await (const data of events) {
    const event = data.clusterEvents;
    since = event.cursor;
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
  release();
  return exitCodes.ok;
}
