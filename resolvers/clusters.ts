import type { FleetResult, UnavailableManagementCluster } from '../src/capi/fleet-reader.ts';
import type { ClusterClassView, ClusterView } from '../src/capi/views.ts';
import type { GatewayContext } from './context.ts';
import { InvalidInputError } from './errors.ts';
import { matchesLabelSelector, parseLabelSelector, type LabelSelector } from './label-selector.ts';
import { pageOf, type Page, type PageArgs } from './pagination.ts';
import { clusterPhaseOf, type ClusterPhase } from './phases.ts';

export interface ClusterFilter {
  managementCluster?: string | null;
  namespace?: string | null;
  phase?: ClusterPhase | null;
  kubernetesVersion?: string | null;
  infrastructureKind?: string | null;
  labelSelector?: string | null;
  nameContains?: string | null;
}

/** The version the cluster runs or is going to: the topology's, else its control plane's. */
export function kubernetesVersionOf(ctx: GatewayContext, cluster: ClusterView): string | null {
  if (cluster.topology?.version) return cluster.topology.version;
  const cp = ctx.reader.controlPlaneOf(cluster);
  return cp?.version ?? cp?.statusVersion ?? null;
}

function compileSelector(filter: ClusterFilter | null | undefined): LabelSelector | null {
  if (!filter?.labelSelector) return null;
  const parsed = parseLabelSelector(filter.labelSelector);
  if (!parsed.ok) throw new InvalidInputError('filter.labelSelector', parsed.error);
  return parsed.selector;
}

function matchesStatic(cluster: ClusterView, filter: ClusterFilter, selector: LabelSelector | null): boolean {
  if (filter.namespace && cluster.address.namespace !== filter.namespace) return false;
  if (filter.phase && clusterPhaseOf(cluster.phase) !== filter.phase) return false;
  if (filter.infrastructureKind && cluster.infrastructureRef?.kind !== filter.infrastructureKind)
    return false;
  if (filter.nameContains && !cluster.address.name.includes(filter.nameContains)) return false;
  if (selector && !matchesLabelSelector(selector, cluster.labels)) return false;
  return true;
}

function assertKnown(ctx: GatewayContext, field: string, managementCluster: string | null | undefined): void {
  if (managementCluster && !ctx.reader.managementCluster(managementCluster)) {
    throw new InvalidInputError(field, `no management cluster named '${managementCluster}'`);
  }
}

/** The fleet's clusters matching `filter`, and the management clusters that could not answer. */
export function filteredClusters(
  ctx: GatewayContext,
  filter: ClusterFilter | null | undefined,
): FleetResult<ClusterView> {
  const selector = compileSelector(filter);
  assertKnown(ctx, 'filter.managementCluster', filter?.managementCluster);
  const result = ctx.reader.clusters(filter?.managementCluster ?? undefined);
  if (!filter) return result;
  const wanted = filter.kubernetesVersion;
  const items = result.items.filter(
    (c) => matchesStatic(c, filter, selector) && (!wanted || kubernetesVersionOf(ctx, c) === wanted),
  );
  return { items, unavailable: result.unavailable };
}

export function clusterSortKey(c: { address: ClusterView['address'] }): string {
  return `${c.address.managementCluster}\u0000${c.address.namespace}\u0000${c.address.name}`;
}

/** A page of clusters; `unavailable` management clusters are both data (`errors`) and path errors. */
export interface ClusterPage extends Page<ClusterView> {
  unavailable: UnavailableManagementCluster[];
}

export function clustersConnection(
  ctx: GatewayContext,
  args: PageArgs & { filter?: ClusterFilter | null },
): ClusterPage {
  const clusters = filteredClusters(ctx, args.filter);
  return { ...pageOf(clusters.items, clusterSortKey, args), unavailable: clusters.unavailable };
}

export interface CountEntry {
  key: string;
  count: number;
}

export interface FleetSummary {
  clusters: number;
  byPhase: CountEntry[];
  byKubernetesVersion: CountEntry[];
  byInfrastructureKind: CountEntry[];
  byManagementCluster: CountEntry[];
  unavailable: UnavailableManagementCluster[];
}

function countBy(values: string[]): CountEntry[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function fleetSummary(ctx: GatewayContext, filter: ClusterFilter | null | undefined): FleetSummary {
  const { items: clusters, unavailable } = filteredClusters(ctx, filter);
  return {
    clusters: clusters.length,
    byPhase: countBy(clusters.map((c) => clusterPhaseOf(c.phase) ?? 'Unknown')),
    byKubernetesVersion: countBy(clusters.map((c) => kubernetesVersionOf(ctx, c) ?? 'unknown')),
    byInfrastructureKind: countBy(clusters.map((c) => c.infrastructureRef?.kind ?? 'none')),
    byManagementCluster: countBy(clusters.map((c) => c.address.managementCluster)),
    unavailable,
  };
}

/** Every ClusterClass (what a create-cluster form offers), and the management clusters that could not answer. */
export function clusterClasses(
  ctx: GatewayContext,
  managementCluster: string | null | undefined,
  namespace: string | null | undefined,
): FleetResult<ClusterClassView> {
  assertKnown(ctx, 'managementCluster', managementCluster);
  const result = ctx.reader.clusterClasses(managementCluster ?? undefined);
  const items = result.items
    .filter((c) => !namespace || c.address.namespace === namespace)
    .sort((a, b) => (clusterSortKey(a) < clusterSortKey(b) ? -1 : 1));
  return { items, unavailable: result.unavailable };
}
