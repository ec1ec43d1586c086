import { CAPI_GROUP } from './kinds.ts';
import type { MaybePromise } from './fleet-reader.ts';
import type { CapiView, ClusterView, ObjectAddress } from './views.ts';

/** What the object → Cluster walk reads: FleetReader and each management cluster cache provide it. */
export interface ClusterWalkReader {
  get(address: ObjectAddress): MaybePromise<CapiView | null>;
  /** Objects of `kind` in the same namespace whose refs point at `target`. */
  referrers(target: CapiView, kind: 'Cluster' | 'Machine' | 'MachinePool'): MaybePromise<readonly CapiView[]>;
  /** The object an ownerReference points at (controller first). */
  owner(view: CapiView): MaybePromise<CapiView | null>;
}

/** The same walk over a reader that answers at once (the caches): its answers are never promises. */
export interface SyncClusterWalkReader extends ClusterWalkReader {
  get(address: ObjectAddress): CapiView | null;
  referrers(target: CapiView, kind: 'Cluster' | 'Machine' | 'MachinePool'): readonly CapiView[];
  owner(view: CapiView): CapiView | null;
}

/** The walk goes up at most this many owners (Machine → MachineSet → MachineDeployment → …). */
const maxDepth = 4;

function then<T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}

function clusterAddress(of: CapiView, name: string): ObjectAddress {
  return { ...of.address, group: CAPI_GROUP, kind: 'Cluster', name };
}

/** The controlling owner; for infra / bootstrap objects without one, the Machine (or MachinePool) that references them. */
export function ownerOf(reader: ClusterWalkReader, view: CapiView): MaybePromise<CapiView | null> {
  return then(reader.owner(view), (owner) => {
    if (owner || view.viewKind !== 'ProviderObject') return owner;
    if (view.role === 'InfrastructureMachinePool')
      return then(reader.referrers(view, 'MachinePool'), (pools) => pools[0] ?? null);
    return then(
      reader.referrers(view, 'Machine'),
      (machines) => machines[0] ?? then(reader.referrers(view, 'MachinePool'), (pools) => pools[0] ?? null),
    );
  });
}

/**
 * The Cluster an object belongs to: by spec.clusterName / the cluster-name label, else the
 * Cluster that references it (control planes, infrastructure clusters), else its owner's.
 */
export function clusterOf(
  reader: ClusterWalkReader,
  view: CapiView,
  depth = 0,
): MaybePromise<ClusterView | null> {
  if (view.viewKind === 'Cluster') return view;
  if (view.clusterName)
    return then(reader.get(clusterAddress(view, view.clusterName)), (c) =>
      c?.viewKind === 'Cluster' ? c : null,
    );
  return then(reader.referrers(view, 'Cluster'), (referrers) => {
    const c = referrers[0];
    if (c?.viewKind === 'Cluster') return c;
    if (depth > maxDepth) return null;
    return then(ownerOf(reader, view), (owner) => (owner ? clusterOf(reader, owner, depth + 1) : null));
  });
}

function settled<T>(value: MaybePromise<T>): T {
  // A SyncClusterWalkReader never answers a promise, so neither does the walk over it.
  if (value instanceof Promise) throw new TypeError('a synchronous reader answered a promise');
  return value;
}

/**
 * The address of the workload Cluster an object belongs to, over a synchronous reader. An
 * object naming its cluster (spec.clusterName / the label) gets that address even when the
 * Cluster is gone already (its Machines' deletions still belong to it).
 */
export function clusterAddressOf(reader: SyncClusterWalkReader, view: CapiView): ObjectAddress | null {
  if (view.viewKind === 'Cluster') return view.address;
  if (view.clusterName) return clusterAddress(view, view.clusterName);
  return settled(clusterOf(reader, view))?.address ?? null;
}
