/** `capi-gateway get RESOURCE`: dispatches on the resource name and its kubectl-style aliases. */
import { getClusters, type GetOptions } from './get-clusters.ts';
import { getMachineDeployments } from './get-machine-deployments.ts';
import { getMachines } from './get-machines.ts';
import { getManagementClusters } from './get-management-clusters.ts';
import { getOperations } from './get-operations.ts';
import { CliFailure, exitCodes, runCommand } from './output.ts';

const resources: Record<string, (opts: GetOptions) => Promise<number>> = {
  clusters: getClusters,
  cluster: getClusters,
  cl: getClusters,
  machines: getMachines,
  machine: getMachines,
  ma: getMachines,
  machinedeployments: getMachineDeployments,
  machinedeployment: getMachineDeployments,
  md: getMachineDeployments,
  managementclusters: getManagementClusters,
  managementcluster: getManagementClusters,
  mc: getManagementClusters,
  operations: getOperations,
  operation: getOperations,
  op: getOperations,
};

/** `get … -w`: each one's watch, loaded only when it runs. */
const watchers = new Map<(opts: GetOptions) => Promise<number>, (opts: GetOptions) => Promise<number>>([
  [getClusters, async (opts) => (await import('./watch-clusters.ts')).watchClusters(opts)],
  [getMachines, async (opts) => (await import('./watch-machines.ts')).watchMachines(opts)],
  [
    getMachineDeployments,
    async (opts) => (await import('./watch-machine-deployments.ts')).watchMachineDeployments(opts),
  ],
  [getOperations, async (opts) => (await import('./watch-operations.ts')).watchOperations(opts)],
]);

export const resourceNames = 'clusters, machines, machinedeployments, managementclusters, operations';

export async function runGet(resource: string, opts: GetOptions): Promise<void> {
  await runCommand(async () => {
    const get = resources[resource.toLowerCase()];
    if (!get)
      throw new CliFailure(`unknown resource "${resource}" (one of: ${resourceNames})`, exitCodes.usage);
    if (!opts.watch) return get(opts);
    const watch = watchers.get(get);
    if (!watch)
      throw new CliFailure(
        `-w is supported for clusters, machines, machinedeployments and operations, not "${resource}"`,
        exitCodes.usage,
      );
    return watch(opts);
  });
}
