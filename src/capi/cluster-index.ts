/**
 * What fleet-wide cluster answers need, kept up to date as objects change instead of being
 * recounted per request: per namespace, how many clusters there are by phase, Kubernetes
 * version and infrastructure kind (so a summary sums a few counters, and a reader allowed only
 * some namespaces sums only those), and which clusters have a given phase, version or label
 * (so a filtered page starts from the smallest matching set instead of every cluster).
 *
 * Phases are kept as CAPI wrote them (the schema maps unknown ones to `Unknown` when it reads).
 */
import type { ClusterView, ControlPlaneView } from './views.ts';

/** Counters of one namespace of one management cluster. */
export interface ClusterCounts {
  clusters: number;
  /** Raw phase ('' for none yet) → count. */
  byPhase: Map<string, number>;
  /** Kubernetes version ('' for unknown) → count. */
  byKubernetesVersion: Map<string, number>;
  /** Infrastructure kind ('' for none) → count. */
  byInfrastructureKind: Map<string, number>;
}

/** The version a cluster runs or is going to: the topology's, else its control plane's. */
export function clusterKubernetesVersion(
  cluster: ClusterView,
  controlPlane: ControlPlaneView | null,
): string | null {
  if (cluster.topology?.version) return cluster.topology.version;
  return controlPlane?.version ?? controlPlane?.statusVersion ?? null;
}

interface Entry {
  namespace: string;
  phase: string;
  version: string;
  infrastructureKind: string;
  labels: Record<string, string>;
}

/** Keys of clusters (`namespace/name`) per value. */
type Postings = Map<string, Set<string>>;

function add(map: Map<string, number>, key: string, by: number): void {
  const next = (map.get(key) ?? 0) + by;
  if (next === 0) map.delete(key);
  else map.set(key, next);
}

function post(postings: Postings, value: string, key: string): void {
  let set = postings.get(value);
  if (!set) postings.set(value, (set = new Set()));
  set.add(key);
}

function unpost(postings: Postings, value: string, key: string): void {
  const set = postings.get(value);
  set?.delete(key);
  if (set?.size === 0) postings.delete(value);
}

const none: ReadonlySet<string> = new Set();

export function labelPosting(key: string, value: string): string {
  return `${key}=${value}`;
}

export class ClusterIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly counts = new Map<string, ClusterCounts>();
  private readonly phases: Postings = new Map();
  private readonly versions: Postings = new Map();
  private readonly labels: Postings = new Map();

  /** Sets (or, with `cluster` null, removes) what cluster `key` counts as. */
  update(key: string, cluster: ClusterView | null, controlPlane: ControlPlaneView | null): void {
    const old = this.entries.get(key);
    const next: Entry | undefined = cluster
      ? {
          namespace: cluster.address.namespace,
          phase: cluster.phase ?? '',
          version: clusterKubernetesVersion(cluster, controlPlane) ?? '',
          infrastructureKind: cluster.infrastructureRef?.kind ?? '',
          labels: cluster.labels,
        }
      : undefined;
    if (old && next && sameEntry(old, next)) return;
    if (old) this.apply(key, old, -1);
    if (next) this.apply(key, next, 1);
    if (next) this.entries.set(key, next);
    else this.entries.delete(key);
  }

  private apply(key: string, e: Entry, by: 1 | -1): void {
    let c = this.counts.get(e.namespace);
    if (!c) {
      c = {
        clusters: 0,
        byPhase: new Map(),
        byKubernetesVersion: new Map(),
        byInfrastructureKind: new Map(),
      };
      this.counts.set(e.namespace, c);
    }
    c.clusters += by;
    add(c.byPhase, e.phase, by);
    add(c.byKubernetesVersion, e.version, by);
    add(c.byInfrastructureKind, e.infrastructureKind, by);
    if (c.clusters === 0) this.counts.delete(e.namespace);
    const change = by === 1 ? post : unpost;
    change(this.phases, e.phase, key);
    change(this.versions, e.version, key);
    for (const [k, v] of Object.entries(e.labels)) change(this.labels, labelPosting(k, v), key);
  }

  /** Counters per namespace (read-only; live). */
  namespaceCounts(): ReadonlyMap<string, ClusterCounts> {
    return this.counts;
  }

  /** Keys of the clusters with this raw phase ('' = none). */
  withPhase(phase: string): ReadonlySet<string> {
    return this.phases.get(phase) ?? none;
  }

  /** Every raw phase some cluster has. */
  knownPhases(): IterableIterator<string> {
    return this.phases.keys();
  }

  withKubernetesVersion(version: string): ReadonlySet<string> {
    return this.versions.get(version) ?? none;
  }

  withLabel(key: string, value: string): ReadonlySet<string> {
    return this.labels.get(labelPosting(key, value)) ?? none;
  }

  /** The version the index counts cluster `key` under (null when unknown). */
  kubernetesVersionOf(key: string): string | null {
    const version = this.entries.get(key)?.version;
    return version ? version : null;
  }

  get size(): number {
    return this.entries.size;
  }
}

function sameEntry(a: Entry, b: Entry): boolean {
  if (a.namespace !== b.namespace || a.phase !== b.phase || a.version !== b.version) return false;
  if (a.infrastructureKind !== b.infrastructureKind) return false;
  if (a.labels === b.labels) return true;
  const ak = Object.keys(a.labels);
  if (ak.length !== Object.keys(b.labels).length) return false;
  return ak.every((k) => a.labels[k] === b.labels[k]);
}
