/** `get machinedeployments -w`: the MachineDeployments now, then each one that changes. */
import { WatchMachineDeploymentsDocument } from '../../../client/index.ts';
import { clusterFilter } from './cluster-scope.ts';
import { clusterPart, followClusterRows } from './follow-cluster-rows.ts';
import type { GetOptions } from './get-clusters.ts';
import {
  deploymentFormat,
  deploymentLines,
  listMachineDeployments,
  type DeploymentLine,
} from './get-machine-deployments.ts';
import { clientFrom, warnProblems } from './output.ts';
import { watchRows } from './watch-rows.ts';

export async function watchMachineDeployments(opts: GetOptions): Promise<number> {
  const client = clientFrom(opts);
  const { lines, problems, partial } = await listMachineDeployments(client, opts);
  const rows = watchRows(deploymentFormat(opts.output === 'wide'), opts.output);
  const entry = (l: DeploymentLine) => ({ key: l.md.id, item: l });
  if (lines.length === 0 && !['json', 'yaml'].includes(opts.output))
    process.stderr.write('No machinedeployments found.\n');
  rows.start(
    lines.map((l) => ({ ...entry(l), part: clusterPart(l.managementCluster, l.md.namespace, l.cluster) })),
  );
  warnProblems(problems, partial);
  return followClusterRows(client, WatchMachineDeploymentsDocument, clusterFilter(opts), rows, (cluster) =>
    deploymentLines(cluster).map(entry),
  );
}
