import type { ClusterIndex } from './cluster-index.ts';
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
  RawObject,
} from './views.ts';

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
 * The port resolvers read through: synchronous and complete, so a field resolves without a
 * promise (a full-fleet query touches ~50,000 of them). The gateway's implementation is the
 * informer-cache reader (cache-reader.ts). Readers that must ask an API server per request
 * (the benchmark's peers in test/bench/) answer it in rounds: see test/bench/rounds.ts.
 */
export interface FleetReader {
  managementClusters(): ManagementClusterStatus[];
  /** undefined when no such management cluster is configured. */
  managementCluster(name: string): ManagementClusterStatus | undefined;
  /** Null when objects of management cluster `name` can be read, else why not. */
  availability(name: string): string | null;
  providers(managementCluster: string): ProvidersResult;
  clusters(managementCluster?: string): FleetResult<ClusterView>;
  get(address: ObjectAddress): CapiView | null;
  resolveRef(managementCluster: string, ref: ObjectRef): CapiView | null;
  /** Objects of `kind` in the same namespace whose refs point at `target`. */
  referrers(target: CapiView, kind: 'Cluster' | 'Machine' | 'MachinePool'): readonly CapiView[];
  /** Objects of `kind` owned by `owner` (ownerReferences, or the owner-name labels). */
  owned<K extends OwnedKind>(owner: CapiView, kind: K): readonly ViewByKind[K][];
  /** Objects of `kind` that belong to `cluster` (spec.clusterName or the cluster-name label). */
  ofCluster<K extends ClusterMemberKind>(cluster: ClusterView, kind: K): readonly ViewByKind[K][];
  /** The object an ownerReference points at (controller first). */
  owner(view: CapiView): CapiView | null;
  clusterClass(managementCluster: string, namespace: string, name: string): ClusterClassView | null;
  /** Every ClusterClass. */
  clusterClasses(managementCluster?: string): FleetResult<ClusterClassView>;
  controlPlaneOf(cluster: ClusterView): ControlPlaneView | null;
  /**
   * The cluster counters and postings maintained as objects change (cluster-index.ts), when
   * this reader keeps them and `managementCluster` can be read; readers without one are
   * answered by a scan of `clusters()`.
   */
  clusterIndex?(managementCluster: string): ClusterIndex | null;
  /**
   * The stored object of a view that does not carry it (`raw` absent): the caches read it from
   * the API server, batched per query round.
   */
  objectRaw?(view: CapiView): Promise<RawObject>;
}
