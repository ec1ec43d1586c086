/**
 * The IDs a mutation needs, from the names a user types: a cluster (located as `describe` does),
 * its control plane, a MachineDeployment or MachinePool by its name or its topology pool name,
 * a machine by name across the fleet.
 */
import {
  ClusterTargetsDocument,
  type ClusterTargetsQuery,
  type GatewayClient,
  ListMachinesDocument,
} from '../../../client/index.ts';
import { allPages, clusterFilter } from './cluster-scope.ts';
import { locateCluster } from './locate-cluster.ts';
import { CliFailure, exitCodes, failureOf } from './output.ts';

export interface TargetScope {
  namespace?: string;
  mc?: string;
}

export type ClusterTargets = Extract<ClusterTargetsQuery['cluster'], { __typename: 'Cluster' }>;

export async function clusterTargets(
  client: GatewayClient,
  name: string,
  scope: TargetScope,
): Promise<ClusterTargets> {
  const where = await locateCluster(client, name, scope);
  const res = await client.request(ClusterTargetsDocument, where);
  if (!res.ok) throw failureOf(res.error);
  const cluster = res.data.cluster;
  if (cluster.__typename !== 'Cluster') throw new CliFailure(cluster.message, exitCodes.failed);
  return cluster;
}

export async function controlPlaneId(client: GatewayClient, cluster: string, scope: TargetScope) {
  const c = await clusterTargets(client, cluster, scope);
  if (!c.controlPlane) throw new CliFailure(`cluster "${cluster}" has no control plane`, exitCodes.failed);
  return c.controlPlane.id;
}

/** The label CAPI's topology controller puts on a pool's MachineDeployment / MachinePool. */
const poolLabels = ['topology.cluster.x-k8s.io/deployment-name', 'topology.cluster.x-k8s.io/pool-name'];

/** A worker pool of `cluster` named by its object name or its topology name (e.g. md-0). */
export async function poolId(
  client: GatewayClient,
  kind: 'MachineDeployment' | 'MachinePool',
  cluster: string,
  name: string,
  scope: TargetScope,
): Promise<string> {
  const c = await clusterTargets(client, cluster, scope);
  const pools = kind === 'MachineDeployment' ? c.machineDeployments : c.machinePools;
  const labelled = (p: (typeof pools)[number]) =>
    poolLabels.some((l) => (p.labels as Record<string, unknown> | null)?.[l] === name);
  const found = pools.find((p) => p.name === name) ?? pools.find(labelled);
  if (!found)
    throw new CliFailure(
      `${kind} "${name}" not found in cluster ${c.namespace}/${c.name} (has: ${pools.map((p) => p.name).join(', ') || 'none'})`,
      exitCodes.failed,
    );
  return found.id;
}

/** A machine by name, across the clusters in scope (or of one cluster). */
export async function machineId(
  client: GatewayClient,
  name: string,
  scope: TargetScope & { cluster?: string },
): Promise<string> {
  const found = await allPages<{ id: string; where: string }>(async (after) => {
    const res = await client.request(ListMachinesDocument, {
      filter: {
        ...clusterFilter(scope),
        ...(scope.cluster === undefined ? {} : { nameContains: scope.cluster }),
      },
      first: 100,
      ...(after === undefined ? {} : { after }),
    });
    if (!res.ok) throw failureOf(res.error);
    const page = res.data.clusters;
    return {
      items: page.edges
        .filter(({ node }) => scope.cluster === undefined || node.name === scope.cluster)
        .flatMap(({ node }) =>
          node.machines
            .filter((m) => m.name === name)
            .map((m) => ({ id: m.id, where: `${node.managementCluster.name}/${m.namespace}` })),
        ),
      next: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined,
    };
  });
  if (found.length === 0) throw new CliFailure(`machine "${name}" not found`, exitCodes.failed);
  if (found.length > 1)
    throw new CliFailure(
      `machine "${name}" is ambiguous: ${found.map((f) => f.where).join(', ')} (use --mc and -n)`,
      exitCodes.failed,
    );
  return found[0]!.id;
}
