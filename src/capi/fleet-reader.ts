import type {
  CapiView,
  ClusterClassView,
  ClusterctlProviderView,
  ClusterView,
  ControlPlaneView,
  MachineDeploymentView,
  MachineHealthCheckView,
  MachinePoolView,
  MachineSetView,
  MachineView,
  ObjectAddress,
  ObjectRef,
} from './views.ts';

/** The cache-backed reader answers synchronously; the API-backed one with promises. */
export type MaybePromise<T> = T | Promise<T>;

export interface ManagementClusterStatus {
  name: string;
  server: string;
  reachable: boolean;
  synced: boolean;
  lastSyncTime: Date | null;
  error: string | null;
}

export interface UnavailableManagementCluster {
  managementCluster: string;
  message: string;
}

/** Fleet-wide answers: what the reachable management clusters hold, and which could not answer. */
export interface FleetResult<T> {
  items: T[];
  unavailable: UnavailableManagementCluster[];
}

export type ProvidersResult =
  { ok: true; providers: ClusterctlProviderView[] } | { ok: false; reason: string };

export type OwnedKind = 'MachineSet' | 'Machine';
export type ClusterMemberKind = 'MachineDeployment' | 'MachinePool' | 'Machine' | 'MachineHealthCheck';

export interface ViewByKind {
  MachineDeployment: MachineDeploymentView;
  MachineSet: MachineSetView;
  MachinePool: MachinePoolView;
  Machine: MachineView;
  MachineHealthCheck: MachineHealthCheckView;
}

/**
 * The port resolvers read through. Implementations: the informer-cache reader (synchronous,
 * what the gateway serves from) and the API reader (one per request, DataLoader-batched).
 */
export interface FleetReader {
  managementClusters(): ManagementClusterStatus[];
  /** undefined when no such management cluster is configured. */
  managementCluster(name: string): ManagementClusterStatus | undefined;
  /** Null when objects of management cluster `name` can be read, else why not. */
  availability(name: string): string | null;
  providers(managementCluster: string): MaybePromise<ProvidersResult>;
  clusters(managementCluster?: string): MaybePromise<FleetResult<ClusterView>>;
  get(address: ObjectAddress): MaybePromise<CapiView | null>;
  resolveRef(managementCluster: string, ref: ObjectRef): MaybePromise<CapiView | null>;
  /** Objects of `kind` in the same namespace whose refs point at `target`. */
  referrers(target: CapiView, kind: 'Cluster' | 'Machine' | 'MachinePool'): MaybePromise<readonly CapiView[]>;
  /** Objects of `kind` owned by `owner` (ownerReferences, or the owner-name labels). */
  owned<K extends OwnedKind>(owner: CapiView, kind: K): MaybePromise<readonly ViewByKind[K][]>;
  /** Objects of `kind` that belong to `cluster` (spec.clusterName or the cluster-name label). */
  ofCluster<K extends ClusterMemberKind>(
    cluster: ClusterView,
    kind: K,
  ): MaybePromise<readonly ViewByKind[K][]>;
  /** The object an ownerReference points at (controller first). */
  owner(view: CapiView): MaybePromise<CapiView | null>;
  clusterClass(
    managementCluster: string,
    namespace: string,
    name: string,
  ): MaybePromise<ClusterClassView | null>;
  /** Every ClusterClass (optional: readers built for one purpose, like the benchmark's naive peer, may omit it). */
  clusterClasses?(managementCluster?: string): MaybePromise<FleetResult<ClusterClassView>>;
  controlPlaneOf(cluster: ClusterView): MaybePromise<ControlPlaneView | null>;
}
