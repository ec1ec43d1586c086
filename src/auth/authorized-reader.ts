/**
 * The shared cache-backed reader as one user sees it: every object the user may not `list`
 * (in its namespace, on its management cluster) is absent — from lists, lookups, refs, owners
 * and counts alike, so a forbidden object answers exactly like a missing one.
 */
import type {
  ClusterMemberKind,
  FleetReader,
  FleetResult,
  ManagementClusterStatus,
  OwnedKind,
  ProvidersResult,
  ViewByKind,
} from '../capi/fleet-reader.ts';
import type {
  CapiView,
  ClusterClassView,
  ClusterView,
  ControlPlaneView,
  ObjectAddress,
  ObjectRef,
  RawObject,
} from '../capi/views.ts';
import type { ReadAccess } from './read-access.ts';

export class AuthorizedFleetReader implements FleetReader {
  constructor(
    private readonly inner: FleetReader,
    private readonly access: ReadAccess,
  ) {}

  private visible = (view: { address: ObjectAddress }): boolean => this.access.allows(view.address);

  private orNull<V extends { address: ObjectAddress }>(view: V | null): V | null {
    return view && this.visible(view) ? view : null;
  }

  private only<V extends { address: ObjectAddress }>(views: readonly V[]): readonly V[] {
    return views.every(this.visible) ? views : views.filter(this.visible);
  }

  private fleet<V extends { address: ObjectAddress }>(result: FleetResult<V>): FleetResult<V> {
    return { items: this.only(result.items) as V[], unavailable: result.unavailable };
  }

  /**
   * `raw` of an object the user may see (the caches keep none; read on demand). No
   * `clusterIndex`: its counters cover every namespace, so filtered pages and the summary are
   * counted through this reader instead.
   */
  objectRaw(view: CapiView): Promise<RawObject> {
    if (!this.visible(view) || !this.inner.objectRaw)
      return Promise.reject(new Error('raw is not available here'));
    return this.inner.objectRaw(view);
  }

  managementClusters(): ManagementClusterStatus[] {
    return this.inner.managementClusters();
  }

  managementCluster(name: string): ManagementClusterStatus | undefined {
    return this.inner.managementCluster(name);
  }

  availability(name: string): string | null {
    return this.inner.availability(name);
  }

  providers(managementCluster: string): ProvidersResult {
    const result = this.inner.providers(managementCluster);
    if (!result.ok) return result;
    const providers = this.only(result.providers);
    return providers.length > 0
      ? { ok: true, providers: [...providers] }
      : { ok: false, reason: 'no clusterctl Provider objects on this management cluster' };
  }

  clusters(managementCluster?: string): FleetResult<ClusterView> {
    return this.fleet(this.inner.clusters(managementCluster));
  }

  clusterClasses(managementCluster?: string): FleetResult<ClusterClassView> {
    return this.fleet(this.inner.clusterClasses(managementCluster));
  }

  get(address: ObjectAddress): CapiView | null {
    return this.access.allows(address) ? this.inner.get(address) : null;
  }

  resolveRef(managementCluster: string, ref: ObjectRef): CapiView | null {
    return this.orNull(this.inner.resolveRef(managementCluster, ref));
  }

  referrers(target: CapiView, kind: 'Cluster' | 'Machine' | 'MachinePool'): readonly CapiView[] {
    return this.only(this.inner.referrers(target, kind));
  }

  owned<K extends OwnedKind>(owner: CapiView, kind: K): readonly ViewByKind[K][] {
    return this.only(this.inner.owned(owner, kind));
  }

  ofCluster<K extends ClusterMemberKind>(cluster: ClusterView, kind: K): readonly ViewByKind[K][] {
    return this.only(this.inner.ofCluster(cluster, kind));
  }

  owner(view: CapiView): CapiView | null {
    return this.orNull(this.inner.owner(view));
  }

  clusterClass(managementCluster: string, namespace: string, name: string): ClusterClassView | null {
    return this.orNull(this.inner.clusterClass(managementCluster, namespace, name));
  }

  controlPlaneOf(cluster: ClusterView): ControlPlaneView | null {
    return this.orNull(this.inner.controlPlaneOf(cluster));
  }
}
