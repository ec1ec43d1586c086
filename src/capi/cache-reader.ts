import type { GroupKind } from '../k8s/kube-object.ts';
import type { ClusterIndex } from './cluster-index.ts';
import type {
  ClusterMemberKind,
  FleetReader,
  FleetResult,
  ManagementClusterStatus,
  OwnedKind,
  ProvidersResult,
  ViewByKind,
} from './fleet-reader.ts';
import { coreKinds } from './kinds.ts';
import {
  indexNames,
  ownerKey,
  type ManagementClusterCache,
  type ViewStore,
} from './management-cluster-cache.ts';
import type {
  CapiView,
  ClusterClassView,
  ClusterctlProviderView,
  ClusterView,
  ControlPlaneView,
  ObjectAddress,
  ObjectRef,
  RawObject,
} from './views.ts';

function byName(a: CapiView, b: CapiView): number {
  return a.address.name < b.address.name ? -1 : a.address.name > b.address.name ? 1 : 0;
}

/**
 * The informer-cache reader: every answer is a synchronous lookup in the caches' indexes,
 * so a query over the whole fleet costs no I/O and no promise per field.
 */
export class CacheFleetReader implements FleetReader {
  private readonly caches: Map<string, ManagementClusterCache>;
  /** `owned()` answers per index bucket array (replaced when the bucket changes) and owner UID. */
  private readonly ownedChecked = new WeakMap<readonly CapiView[], Map<string, readonly CapiView[]>>();

  constructor(caches: Iterable<ManagementClusterCache>) {
    this.caches = new Map([...caches].map((c) => [c.name, c]));
  }

  private statusOf(cache: ManagementClusterCache): ManagementClusterStatus {
    const state = cache.connection.syncState();
    return {
      name: cache.name,
      server: cache.connection.server,
      reachable: state.reachable,
      synced: state.synced,
      lastSyncTime: state.lastSyncTime,
      error: state.error?.message ?? (state.synced ? null : state.reachable ? 'not synced yet' : null),
    };
  }

  /**
   * Why a management cluster's objects cannot be served, or null. Kinds discovered later may
   * still be listing; that does not hide the clusters already known.
   */
  private unavailableReason(cache: ManagementClusterCache): string | null {
    const state = cache.connection.syncState();
    if (!state.reachable) return state.error?.message ?? 'management cluster not reachable yet';
    const clusters = cache.connection.kindCache(coreKinds.Cluster)?.status;
    if (!clusters || clusters.state === 'waiting-for-crd') {
      return cache.connection.crdsListed()
        ? 'Cluster API is not installed (no clusters.cluster.x-k8s.io CRD)'
        : 'management cluster not synced yet';
    }
    return clusters.listed ? null : 'management cluster not synced yet';
  }

  /** Null when `name` can be read from, else the reason (unknown, unreachable, not synced). */
  availability(name: string): string | null {
    const cache = this.caches.get(name);
    if (!cache) return `unknown management cluster '${name}'`;
    return this.unavailableReason(cache);
  }

  managementClusters(): ManagementClusterStatus[] {
    return [...this.caches.values()].map((c) => this.statusOf(c));
  }

  managementCluster(name: string): ManagementClusterStatus | undefined {
    const cache = this.caches.get(name);
    return cache ? this.statusOf(cache) : undefined;
  }

  private store(mc: string, gk: GroupKind): ViewStore | undefined {
    return this.caches.get(mc)?.store(gk);
  }

  providers(managementCluster: string): ProvidersResult {
    const cache = this.caches.get(managementCluster);
    const kind = cache?.connection.kindCache(coreKinds.ClusterctlProvider);
    if (!cache || !kind) return { ok: false, reason: `unknown management cluster '${managementCluster}'` };
    if (kind.status.state === 'waiting-for-crd') {
      return {
        ok: false,
        reason: 'the clusterctl Provider CRD (providers.clusterctl.cluster.x-k8s.io) is not installed',
      };
    }
    const providers = [...kind.store.list()] as ClusterctlProviderView[];
    if (providers.length === 0)
      return { ok: false, reason: 'no clusterctl Provider objects on this management cluster' };
    return { ok: true, providers: providers.sort(byName) };
  }

  clusters(managementCluster?: string): FleetResult<ClusterView> {
    return this.fleetWide(coreKinds.Cluster, managementCluster) as FleetResult<ClusterView>;
  }

  clusterClasses(managementCluster?: string): FleetResult<ClusterClassView> {
    return this.fleetWide(coreKinds.ClusterClass, managementCluster) as FleetResult<ClusterClassView>;
  }

  /** Every object of a kind on the readable management clusters, and which could not be read. */
  private fleetWide(gk: GroupKind, managementCluster?: string): FleetResult<CapiView> {
    const result: FleetResult<CapiView> = { items: [], unavailable: [] };
    for (const cache of this.caches.values()) {
      if (managementCluster !== undefined && cache.name !== managementCluster) continue;
      const unavailable = this.unavailableReason(cache);
      if (unavailable) {
        result.unavailable.push({ managementCluster: cache.name, message: unavailable });
        continue;
      }
      for (const view of cache.store(gk)!.list()) result.items.push(view);
    }
    return result;
  }

  // get, referrers and owner are the management cluster cache's own lookups (the cluster walk
  // of its change events uses them too).
  get(address: ObjectAddress): CapiView | null {
    return this.caches.get(address.managementCluster)?.get(address) ?? null;
  }

  resolveRef(managementCluster: string, ref: ObjectRef): CapiView | null {
    return this.store(managementCluster, ref)?.get(ref.namespace, ref.name) ?? null;
  }

  referrers(target: CapiView, kind: 'Cluster' | 'Machine' | 'MachinePool'): readonly CapiView[] {
    return this.caches.get(target.address.managementCluster)?.referrers(target, kind) ?? [];
  }

  owned<K extends OwnedKind>(owner: CapiView, kind: K): readonly ViewByKind[K][] {
    const store = this.store(owner.address.managementCluster, coreKinds[kind]);
    const found = (store?.byIndex(indexNames.owner, ownerKey(owner)) ?? []) as readonly ViewByKind[K][];
    if (found.length === 0) return found;
    // A bucket array stays the same object until the bucket changes: check it once per owner UID.
    let checked = this.ownedChecked.get(found);
    if (!checked) this.ownedChecked.set(found, (checked = new Map()));
    const known = checked.get(owner.uid);
    if (known) return known as readonly ViewByKind[K][];
    // The index keys owners by name; an ownerReference to an earlier object of that name is not ours.
    const stale = (v: CapiView): boolean =>
      v.owners.some(
        (o) => o.uid !== owner.uid && o.name === owner.address.name && o.kind === owner.address.kind,
      );
    const result = found.some(stale) ? found.filter((v) => !stale(v)) : found;
    checked.set(owner.uid, result);
    return result;
  }

  ofCluster<K extends ClusterMemberKind>(cluster: ClusterView, kind: K): readonly ViewByKind[K][] {
    const store = this.store(cluster.address.managementCluster, coreKinds[kind]);
    const key = `${cluster.address.namespace}/${cluster.address.name}`;
    return (store?.byIndex(indexNames.cluster, key) ?? []) as readonly ViewByKind[K][];
  }

  owner(view: CapiView): CapiView | null {
    return this.caches.get(view.address.managementCluster)?.owner(view) ?? null;
  }

  clusterClass(managementCluster: string, namespace: string, name: string): ClusterClassView | null {
    const view = this.store(managementCluster, coreKinds.ClusterClass)?.get(namespace, name);
    return view?.viewKind === 'ClusterClass' ? view : null;
  }

  clusterIndex(managementCluster: string): ClusterIndex | null {
    const cache = this.caches.get(managementCluster);
    return cache && !this.unavailableReason(cache) ? cache.clusterIndex : null;
  }

  objectRaw(view: CapiView): Promise<RawObject> {
    const cache = this.caches.get(view.address.managementCluster);
    if (!cache)
      return Promise.reject(new Error(`unknown management cluster '${view.address.managementCluster}'`));
    return cache.rawReader.load(view);
  }

  controlPlaneOf(cluster: ClusterView): ControlPlaneView | null {
    if (!cluster.controlPlaneRef) return null;
    const view = this.resolveRef(cluster.address.managementCluster, cluster.controlPlaneRef);
    return view?.viewKind === 'ControlPlane' ? view : null;
  }
}
