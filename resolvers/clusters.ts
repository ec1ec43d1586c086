import type { ClusterCounts, ClusterIndex } from '../src/capi/cluster-index.ts';
import type { FleetResult, UnavailableManagementCluster } from '../src/capi/fleet-reader.ts';
import { CAPI_GROUP } from '../src/capi/kinds.ts';
import type { ClusterClassView, ClusterView } from '../src/capi/views.ts';
import type { GatewayContext } from './context.ts';
import { InvalidInputError } from './errors.ts';
import { matchesLabelSelector, parseLabelSelector, type LabelSelector } from './label-selector.ts';
import { clusterOrdering, defaultClusterOrdering, type ClusterOrder } from './cluster-order.ts';
import { pageBy, type Page, type PageArgs } from './pagination.ts';
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

function matches(
  ctx: GatewayContext,
  c: ClusterView,
  filter: ClusterFilter,
  selector: LabelSelector | null,
): boolean {
  const wanted = filter.kubernetesVersion;
  return matchesStatic(c, filter, selector) && (!wanted || kubernetesVersionOf(ctx, c) === wanted);
}

/** The fleet's clusters matching `filter` by scanning every cluster (readers without an index). */
function scannedClusters(
  ctx: GatewayContext,
  filter: ClusterFilter | null | undefined,
  selector: LabelSelector | null,
): FleetResult<ClusterView> {
  const result = ctx.reader.clusters(filter?.managementCluster ?? undefined);
  if (!filter) return result;
  const items = result.items.filter((c) => matches(ctx, c, filter, selector));
  return { items, unavailable: result.unavailable };
}

function union(sets: ReadonlySet<string>[]): ReadonlySet<string> {
  if (sets.length === 1) return sets[0]!;
  const all = new Set<string>();
  for (const set of sets) for (const key of set) all.add(key);
  return all;
}

/**
 * The smallest set of cluster keys the index says can match (phase, version, label equality),
 * or null when no such condition narrows the filter (every cluster is a candidate).
 */
function candidateKeys(
  index: ClusterIndex,
  filter: ClusterFilter,
  selector: LabelSelector | null,
): ReadonlySet<string> | null {
  const sets: ReadonlySet<string>[] = [];
  if (filter.phase) {
    const raw = [...index.knownPhases()].filter((p) => clusterPhaseOf(p === '' ? null : p) === filter.phase);
    sets.push(union(raw.map((p) => index.withPhase(p))));
  }
  if (filter.kubernetesVersion) sets.push(index.withKubernetesVersion(filter.kubernetesVersion));
  for (const r of selector ?? []) {
    if (r.op === 'eq') sets.push(index.withLabel(r.key, r.value));
    if (r.op === 'in') sets.push(union(r.values.map((v) => index.withLabel(r.key, v))));
  }
  if (sets.length === 0) return null;
  return sets.reduce((a, b) => (b.size < a.size ? b : a));
}

/** Every configured management cluster `filter` selects, in configuration order. */
function selectedManagementClusters(ctx: GatewayContext, filter: ClusterFilter | null | undefined): string[] {
  const names = ctx.reader.managementClusters().map((m) => m.name);
  return filter?.managementCluster ? names.filter((n) => n === filter.managementCluster) : names;
}

/** The fleet's clusters matching `filter`, and the management clusters that could not answer. */
export function filteredClusters(
  ctx: GatewayContext,
  filter: ClusterFilter | null | undefined,
): FleetResult<ClusterView> {
  const selector = compileSelector(filter);
  assertKnown(ctx, 'filter.managementCluster', filter?.managementCluster);
  if (!filter || !ctx.reader.clusterIndex) return scannedClusters(ctx, filter, selector);
  const result: FleetResult<ClusterView> = { items: [], unavailable: [] };
  for (const managementCluster of selectedManagementClusters(ctx, filter)) {
    const index = ctx.reader.clusterIndex(managementCluster);
    if (!index) {
      const message = ctx.reader.availability(managementCluster) ?? 'management cluster not synced yet';
      result.unavailable.push({ managementCluster, message });
      continue;
    }
    const keys = candidateKeys(index, filter, selector);
    if (keys === null) {
      for (const c of ctx.reader.clusters(managementCluster).items)
        if (matches(ctx, c, filter, selector)) result.items.push(c);
      continue;
    }
    for (const key of keys) {
      const slash = key.indexOf('/');
      const view = ctx.reader.get({
        managementCluster,
        group: CAPI_GROUP,
        kind: 'Cluster',
        namespace: key.slice(0, slash),
        name: key.slice(slash + 1),
      });
      if (view?.viewKind === 'Cluster' && matches(ctx, view, filter, selector)) result.items.push(view);
    }
  }
  return result;
}

export function clusterSortKey(c: { address: ClusterView['address'] }): string {
  return `${c.address.managementCluster}\u0000${c.address.namespace}\u0000${c.address.name}`;
}

/** A page of clusters; `unavailable` management clusters are both data (`errors`) and path errors. */
export interface ClusterPage extends Page<ClusterView> {
  unavailable: UnavailableManagementCluster[];
}

/**
 * A page of the filtered clusters: by management cluster, namespace and name, or by `orderBy`
 * (sorted once per request, ties by management cluster, namespace and name).
 */
export function clustersConnection(
  ctx: GatewayContext,
  args: PageArgs & { filter?: ClusterFilter | null; orderBy?: ClusterOrder | null },
): ClusterPage {
  const clusters = filteredClusters(ctx, args.filter);
  const page = args.orderBy
    ? pageBy(clusters.items, clusterOrdering(ctx, args.orderBy), args)
    : pageBy(clusters.items, defaultClusterOrdering(clusterSortKey), args);
  return { ...page, unavailable: clusters.unavailable };
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

function sortedEntries(counts: Map<string, number>): CountEntry[] {
  return [...counts]
    .filter(([, count]) => count > 0)
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function addAll(
  into: Map<string, number>,
  from: ReadonlyMap<string, number>,
  keyOf: (raw: string) => string,
): void {
  for (const [raw, count] of from) {
    const key = keyOf(raw);
    into.set(key, (into.get(key) ?? 0) + count);
  }
}

/** Which namespaces of a management cluster a summary counts (all when absent). */
export type NamespaceAllowed = (managementCluster: string, namespace: string) => boolean;

/**
 * The summary from the counters the caches maintain per (management cluster, namespace): a sum
 * over namespaces, never a scan of the clusters. `allowed` restricts it to the namespaces a
 * reader may list.
 */
export function summaryFromCounts(
  ctx: GatewayContext,
  filter: Pick<ClusterFilter, 'managementCluster' | 'namespace'> | null | undefined,
  allowed?: NamespaceAllowed,
): FleetSummary {
  const byPhase = new Map<string, number>();
  const byVersion = new Map<string, number>();
  const byInfra = new Map<string, number>();
  const byMc = new Map<string, number>();
  const unavailable: UnavailableManagementCluster[] = [];
  let clusters = 0;
  for (const managementCluster of selectedManagementClusters(ctx, filter)) {
    const index = ctx.reader.clusterIndex?.(managementCluster);
    if (!index) {
      const message = ctx.reader.availability(managementCluster) ?? 'management cluster not synced yet';
      unavailable.push({ managementCluster, message });
      continue;
    }
    for (const [namespace, counts] of index.namespaceCounts() as ReadonlyMap<string, ClusterCounts>) {
      if (filter?.namespace && namespace !== filter.namespace) continue;
      if (allowed && !allowed(managementCluster, namespace)) continue;
      clusters += counts.clusters;
      byMc.set(managementCluster, (byMc.get(managementCluster) ?? 0) + counts.clusters);
      addAll(byPhase, counts.byPhase, (p) => clusterPhaseOf(p === '' ? null : p) ?? 'Unknown');
      addAll(byVersion, counts.byKubernetesVersion, (v) => v || 'unknown');
      addAll(byInfra, counts.byInfrastructureKind, (k) => k || 'none');
    }
  }
  return {
    clusters,
    byPhase: sortedEntries(byPhase),
    byKubernetesVersion: sortedEntries(byVersion),
    byInfrastructureKind: sortedEntries(byInfra),
    byManagementCluster: sortedEntries(byMc),
    unavailable,
  };
}

/** The summary by counting the matching clusters one by one. */
export function summaryByCounting(
  ctx: GatewayContext,
  filter: ClusterFilter | null | undefined,
): FleetSummary {
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

/** Filters the maintained counters can answer: by management cluster and namespace only. */
function countable(filter: ClusterFilter | null | undefined): boolean {
  if (!filter) return true;
  return !(
    filter.phase ||
    filter.kubernetesVersion ||
    filter.infrastructureKind ||
    filter.labelSelector ||
    filter.nameContains
  );
}

export function fleetSummary(ctx: GatewayContext, filter: ClusterFilter | null | undefined): FleetSummary {
  if (ctx.reader.clusterIndex && countable(filter)) {
    assertKnown(ctx, 'filter.managementCluster', filter?.managementCluster);
    return summaryFromCounts(ctx, filter);
  }
  return summaryByCounting(ctx, filter);
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
