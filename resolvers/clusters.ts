import type { GraphQLResolveInfo } from 'graphql';
import type { FleetReader, MaybePromise } from '../src/capi/fleet-reader.ts';
import type { ClusterClassView, ClusterView } from '../src/capi/views.ts';
import type { GatewayContext } from './context.ts';
import { InvalidInputError } from './errors.ts';
import { matchesLabelSelector, parseLabelSelector, type LabelSelector } from './label-selector.ts';
import { all, chain } from './maybe-promise.ts';
import { clusterPhaseOf, type ClusterPhase } from './phases.ts';
import { pageOf, type Page, type PageArgs } from './pagination.ts';
import { recordUnavailable } from './partial-errors.ts';

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
export function kubernetesVersionOf(reader: FleetReader, cluster: ClusterView): MaybePromise<string | null> {
  if (cluster.topology?.version) return cluster.topology.version;
  return chain(reader.controlPlaneOf(cluster), (cp) => cp?.version ?? cp?.statusVersion ?? null);
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

/** The fleet's clusters matching `filter`; unreachable management clusters are reported on the path. */
export function filteredClusters(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  filter: ClusterFilter | null | undefined,
): MaybePromise<ClusterView[]> {
  const selector = compileSelector(filter);
  const mc = filter?.managementCluster ?? undefined;
  if (mc !== undefined && !ctx.reader.managementCluster(mc)) {
    throw new InvalidInputError('filter.managementCluster', `no management cluster named '${mc}'`);
  }
  return chain(ctx.reader.clusters(mc), (result) => {
    recordUnavailable(ctx, info, result.unavailable);
    const candidates = filter ? result.items.filter((c) => matchesStatic(c, filter, selector)) : result.items;
    const wanted = filter?.kubernetesVersion;
    if (!wanted) return candidates;
    const versions = all(candidates.map((c) => kubernetesVersionOf(ctx.reader, c)));
    return chain(versions, (vs) => candidates.filter((_, i) => vs[i] === wanted));
  });
}

export function clusterSortKey(c: { address: ClusterView['address'] }): string {
  return `${c.address.managementCluster}\u0000${c.address.namespace}\u0000${c.address.name}`;
}

export interface ClusterPage extends Page<ClusterView> {
  errors: Array<{ managementCluster: string; message: string }>;
}

export function clustersConnection(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  args: PageArgs & { filter?: ClusterFilter | null },
): MaybePromise<ClusterPage> {
  const before = ctx.partialErrors.length;
  return chain(filteredClusters(ctx, info, args.filter), (clusters) => ({
    ...pageOf(clusters, clusterSortKey, args),
    errors: ctx.partialErrors.slice(before).map((e) => ({
      managementCluster: String(e.extensions['managementCluster']),
      message: e.message,
    })),
  }));
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
  errors: Array<{ managementCluster: string; message: string }>;
}

function countBy(values: string[]): CountEntry[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function fleetSummary(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  filter: ClusterFilter | null | undefined,
): MaybePromise<FleetSummary> {
  const before = ctx.partialErrors.length;
  return chain(filteredClusters(ctx, info, filter), (clusters) =>
    chain(all(clusters.map((c) => kubernetesVersionOf(ctx.reader, c))), (versions) => ({
      clusters: clusters.length,
      byPhase: countBy(clusters.map((c) => clusterPhaseOf(c.phase) ?? 'Unknown')),
      byKubernetesVersion: countBy(versions.map((v) => v ?? 'unknown')),
      byInfrastructureKind: countBy(clusters.map((c) => c.infrastructureRef?.kind ?? 'none')),
      byManagementCluster: countBy(clusters.map((c) => c.address.managementCluster)),
      errors: ctx.partialErrors.slice(before).map((e) => ({
        managementCluster: String(e.extensions['managementCluster']),
        message: e.message,
      })),
    })),
  );
}

/** Every ClusterClass (what a create-cluster form offers), unreachable management clusters on the path. */
export function clusterClasses(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  managementCluster: string | null | undefined,
  namespace: string | null | undefined,
): MaybePromise<ClusterClassView[]> {
  if (!ctx.reader.clusterClasses) throw new InvalidInputError('clusterClasses', 'not served by this reader');
  if (managementCluster && !ctx.reader.managementCluster(managementCluster)) {
    throw new InvalidInputError('managementCluster', `no management cluster named '${managementCluster}'`);
  }
  return chain(ctx.reader.clusterClasses(managementCluster ?? undefined), (result) => {
    recordUnavailable(ctx, info, result.unavailable);
    return result.items
      .filter((c) => !namespace || c.address.namespace === namespace)
      .sort((a, b) => (clusterSortKey(a) < clusterSortKey(b) ? -1 : 1));
  });
}
