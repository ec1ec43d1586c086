/**
 * How long the lists a query can ask for really are: the largest of each kind the caches hold
 * (machines of one cluster, machine sets of one deployment, …), so a query's cost counts what
 * it would actually fetch. Computed by walking the caches at most once per `maxAgeMs`: a cost
 * estimate need not follow every event, and a walk per request would cost what it guards.
 */
import type { FleetReader } from '../capi/fleet-reader.ts';

export interface ListSizes {
  clusters: number;
  clusterClasses: number;
  managementClusters: number;
  operations: number;
  machinesPerCluster: number;
  machineDeploymentsPerCluster: number;
  machinePoolsPerCluster: number;
  machineHealthChecksPerCluster: number;
  machineSetsPerDeployment: number;
}

/** Every list counts at least one item: an empty fleet still sizes a query by its shape. */
const atLeastOne = (n: number): number => Math.max(1, n);

export function measureListSizes(reader: FleetReader, operations: () => number = () => 0): ListSizes {
  const clusters = reader.clusters().items;
  let machines = 0;
  let deployments = 0;
  let pools = 0;
  let checks = 0;
  let machineSets = 0;
  for (const cluster of clusters) {
    machines = Math.max(machines, reader.ofCluster(cluster, 'Machine').length);
    const mds = reader.ofCluster(cluster, 'MachineDeployment');
    deployments = Math.max(deployments, mds.length);
    for (const md of mds) machineSets = Math.max(machineSets, reader.owned(md, 'MachineSet').length);
    pools = Math.max(pools, reader.ofCluster(cluster, 'MachinePool').length);
    checks = Math.max(checks, reader.ofCluster(cluster, 'MachineHealthCheck').length);
  }
  return {
    clusters: atLeastOne(clusters.length),
    clusterClasses: atLeastOne(reader.clusterClasses().items.length),
    managementClusters: atLeastOne(reader.managementClusters().length),
    operations: atLeastOne(operations()),
    machinesPerCluster: atLeastOne(machines),
    machineDeploymentsPerCluster: atLeastOne(deployments),
    machinePoolsPerCluster: atLeastOne(pools),
    machineHealthChecksPerCluster: atLeastOne(checks),
    machineSetsPerDeployment: atLeastOne(machineSets),
  };
}

/** What a list counts as when the caches cannot be measured: cautious, not crippling. */
export const unmeasuredListSize = 100;

/**
 * `measure()` memoised for `maxAgeMs` (clock injectable for tests). A failing measurement keeps
 * the last sizes (or `unmeasuredListSize`): sizing a request must never be what fails it.
 */
export function cachedListSizes(
  measure: () => ListSizes,
  maxAgeMs = 2_000,
  now: () => number = () => performance.now(),
): () => ListSizes {
  let last: { at: number; sizes: ListSizes } | undefined;
  return () => {
    const t = now();
    if (last && t - last.at < maxAgeMs) return last.sizes;
    let sizes: ListSizes;
    try {
      sizes = measure();
    } catch {
      sizes = last?.sizes ?? fixedListSizes(unmeasuredListSize);
    }
    last = { at: t, sizes };
    return sizes;
  };
}

/** Every plain list counted as `n` (gateway config `limits.listSize`). */
export function fixedListSizes(n: number): ListSizes {
  return {
    clusters: n,
    clusterClasses: n,
    managementClusters: n,
    operations: n,
    machinesPerCluster: n,
    machineDeploymentsPerCluster: n,
    machinePoolsPerCluster: n,
    machineHealthChecksPerCluster: n,
    machineSetsPerDeployment: n,
  };
}
