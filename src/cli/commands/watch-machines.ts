/** `get machines -w`: the machines now, then each machine that changes (follow-cluster-rows.ts). */
import { WatchMachinesDocument } from '../../../client/index.ts';
import { clusterFilter } from './cluster-scope.ts';
import { clusterPart, followClusterRows } from './follow-cluster-rows.ts';
import type { GetOptions } from './get-clusters.ts';
import { listMachines, machineFormat, machineLines, type MachineLine } from './get-machines.ts';
import { clientFrom, warnProblems } from './output.ts';
import { watchRows } from './watch-rows.ts';

export async function watchMachines(opts: GetOptions): Promise<number> {
  const client = clientFrom(opts);
  const { lines, problems, partial } = await listMachines(client, opts);
  const rows = watchRows(machineFormat(opts.output === 'wide'), opts.output);
  const entry = (l: MachineLine) => ({ key: l.machine.id, item: l });
  if (lines.length === 0 && !['json', 'yaml'].includes(opts.output))
    process.stderr.write('No machines found.\n');
  rows.start(
    lines.map((l) => ({
      ...entry(l),
      part: clusterPart(l.managementCluster, l.machine.namespace, l.cluster),
    })),
  );
  warnProblems(problems, partial);
  return followClusterRows(client, WatchMachinesDocument, clusterFilter(opts), rows, (cluster) =>
    machineLines(cluster).map(entry),
  );
}
