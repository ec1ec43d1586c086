import { CAPI_GROUP } from './kinds.ts';
import type { CapiView, ClusterView, ObjectAddress } from './views.ts';

/**
 * What the object → Cluster walk reads: the fleet reader and each management cluster cache
 * provide it, both answering at once from their caches.
 */
export interface ClusterWalkReader {
  get(address: ObjectAddress): CapiView | null;
  /** Objects of `kind` in the same namespace whose refs point at `target`. */
  referrers(target: CapiView, kind: 'Cluster' | 'Machine' | 'MachinePool'): readonly CapiView[];
  /** The object an ownerReference points at (controller first). */
  owner(view: CapiView): CapiView | null;
}

/** The walk goes up at most this many owners (Machine → MachineSet → MachineDeployment → …). */
const maxDepth = 4;

function clusterAddress(of: CapiView, name: string): ObjectAddress {
  return { ...of.address, group: CAPI_GROUP, kind: 'Cluster', name };
}

/** The controlling owner; for infra / bootstrap objects without one, the Machine (or MachinePool) that references them. */
export function ownerOf(reader: ClusterWalkReader, view: CapiView): CapiView | null {
  const owner = reader.owner(view);
  if (owner || view.viewKind !== 'ProviderObject') return owner;
  if (view.role === 'InfrastructureMachinePool') return reader.referrers(view, 'MachinePool')[0] ?? null;
  return reader.referrers(view, 'Machine')[0] ?? reader.referrers(view, 'MachinePool')[0] ?? null;
}

/**
 * The Cluster an object belongs to: by spec.clusterName / the cluster-name label, else the
 * Cluster that references it (control planes, infrastructure clusters), else its owner's.
 */
export function clusterOf(reader: ClusterWalkReader, view: CapiView, depth = 0): ClusterView | null {
  if (view.viewKind === 'Cluster') return view;
  if (view.clusterName) {
    const c = reader.get(clusterAddress(view, view.clusterName));
    return c?.viewKind === 'Cluster' ? c : null;
  }
  const c = reader.referrers(view, 'Cluster')[0];
  if (c?.viewKind === 'Cluster') return c;
  if (depth > maxDepth) return null;
  const owner = ownerOf(reader, view);
  return owner ? clusterOf(reader, owner, depth + 1) : null;
}

/**
 * The address of the workload Cluster an object belongs to. An object naming its cluster
 * (spec.clusterName / the label) gets that address even when the Cluster is gone already (its
 * Machines' deletions still belong to it).
 */
export function clusterAddressOf(reader: ClusterWalkReader, view: CapiView): ObjectAddress | null {
  if (view.viewKind === 'Cluster') return view.address;
  if (view.clusterName) return clusterAddress(view, view.clusterName);
  return clusterOf(reader, view)?.address ?? null;
}
