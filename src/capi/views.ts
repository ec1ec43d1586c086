/**
 * The CAPI domain model: one shape per kind, whatever API version (v1beta1 or v1beta2) the
 * management cluster serves. Built once per object change by the normalisers.
 */
export interface ObjectAddress {
  managementCluster: string;
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

/** A reference to another object, always with the namespace resolved. */
export interface ObjectRef {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

export interface OwnerRefView {
  group: string;
  kind: string;
  name: string;
  uid: string;
  controller: boolean;
}

export interface ConditionView {
  type: string;
  status: string;
  reason: string | null;
  message: string | null;
  lastTransitionTime: string | null;
}

/**
 * The replica counters of MD / MS / MP / control planes: own properties of their views (a
 * nested object would cost a resolver per counter per object; see ViewBase).
 */
export interface ReplicaCounters {
  desired: number | null;
  replicas: number | null;
  ready: number | null;
  available: number | null;
  upToDate: number | null;
}

export interface VersionCount {
  version: string;
  replicas: number;
}

export interface RolloutStrategyView {
  type: string | null;
  maxSurge: string | null;
  maxUnavailable: string | null;
}

/** An object as the API server stores it (without `metadata.managedFields`): what `raw` serves. */
export type RawObject = Record<string, unknown>;

export interface ViewBase {
  address: ObjectAddress;
  // The address's name, namespace and kind again, as own properties: graphql-jit reads a field
  // without a resolver inline, where one with a resolver costs a call, a resolve info and its
  // response path per object (docs/scaling.md).
  name: string;
  namespace: string;
  kind: string;
  /** The global ID (object-id.ts), encoded once per object version. */
  id: string;
  uid: string;
  apiVersion: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  createdAt: string | null;
  deletionTimestamp: string | null;
  owners: OwnerRefView[];
  conditions: ConditionView[];
  /** spec.clusterName, else the cluster-name label. */
  clusterName: string | null;
  /** Everything this object points at (for reverse lookups). */
  refs: ObjectRef[];
  /**
   * The stored object, on views of readers that keep it (the API-backed readers). The caches do
   * not: FleetReader.objectRaw reads it from the API server when a query asks for `raw`.
   */
  raw?: RawObject;
}

export interface ClusterView extends ViewBase {
  viewKind: 'Cluster';
  phase: string | null;
  paused: boolean;
  controlPlaneEndpoint: { host: string; port: number } | null;
  topology: {
    classRef: { name: string; namespace: string };
    version: string | null;
    variables: Array<{ name: string; value: unknown }>;
  } | null;
  controlPlaneRef: ObjectRef | null;
  infrastructureRef: ObjectRef | null;
  infrastructureProvisioned: boolean;
  controlPlaneInitialized: boolean;
  controlPlaneStatus: ReplicaCounters & { versions: VersionCount[] };
  workersStatus: ReplicaCounters & { versions: VersionCount[] };
}

export interface ControlPlaneView extends ViewBase, ReplicaCounters {
  viewKind: 'ControlPlane';
  version: string | null;
  statusVersion: string | null;
  initialized: boolean;
  rolloutStrategy: RolloutStrategyView | null;
  infrastructureTemplateRef: ObjectRef | null;
}

export interface MachineDeploymentView extends ViewBase, ReplicaCounters {
  viewKind: 'MachineDeployment';
  phase: string | null;
  version: string | null;
  strategy: RolloutStrategyView | null;
  infrastructureTemplateRef: ObjectRef | null;
  bootstrapTemplateRef: ObjectRef | null;
  selector: Record<string, string>;
}

export interface MachineSetView extends ViewBase, ReplicaCounters {
  viewKind: 'MachineSet';
  version: string | null;
  infrastructureTemplateRef: ObjectRef | null;
  bootstrapTemplateRef: ObjectRef | null;
}

export interface MachinePoolView extends ViewBase, ReplicaCounters {
  viewKind: 'MachinePool';
  phase: string | null;
  version: string | null;
  infrastructureRef: ObjectRef | null;
  bootstrapConfigRef: ObjectRef | null;
}

export interface AddressView {
  type: string;
  address: string;
}

export interface MachineView extends ViewBase {
  viewKind: 'Machine';
  phase: string | null;
  version: string | null;
  providerID: string | null;
  nodeName: string | null;
  addresses: AddressView[];
  failureDomain: string | null;
  bootstrapReady: boolean;
  infrastructureReady: boolean;
  infrastructureRef: ObjectRef | null;
  bootstrapConfigRef: ObjectRef | null;
  controlPlane: boolean;
}

export interface MachineHealthCheckView extends ViewBase {
  viewKind: 'MachineHealthCheck';
  targets: string[];
  currentHealthy: number | null;
  expectedMachines: number | null;
  remediationsAllowed: number | null;
  selector: Record<string, string>;
}

export interface ClusterClassVariableView {
  name: string;
  required: boolean;
  schema: unknown;
}

export interface WorkerClassView {
  type: 'MachineDeployment' | 'MachinePool';
  class: string;
  infrastructureTemplateRef: ObjectRef | null;
  bootstrapTemplateRef: ObjectRef | null;
}

export interface ClusterClassView extends ViewBase {
  viewKind: 'ClusterClass';
  variables: ClusterClassVariableView[];
  workerClasses: WorkerClassView[];
  kubernetesVersions: string[];
}

/** How a provider object is used: fixed per GroupKind by the field that references it. */
export type ProviderRole =
  | 'InfrastructureCluster'
  | 'InfrastructureMachine'
  | 'InfrastructureMachinePool'
  | 'BootstrapConfig'
  | 'Template';

/** An infrastructure / bootstrap object of any provider: the contract fields (`raw` for the rest). */
export interface ProviderObjectView extends ViewBase {
  viewKind: 'ProviderObject';
  role: ProviderRole;
  contract: 'v1beta2' | 'v1beta1' | null;
  provisioned: boolean;
  providerID: string | null;
  addresses: AddressView[];
  failureDomain: string | null;
  controlPlaneEndpoint: { host: string; port: number } | null;
  dataSecretCreated: boolean;
  dataSecretName: string | null;
}

/** A clusterctl Provider object: what is installed on a management cluster. */
export interface ClusterctlProviderView extends ViewBase {
  viewKind: 'ClusterctlProvider';
  providerName: string;
  type: string;
  version: string | null;
}

export type CapiView =
  | ClusterView
  | ControlPlaneView
  | MachineDeploymentView
  | MachineSetView
  | MachinePoolView
  | MachineView
  | MachineHealthCheckView
  | ClusterClassView
  | ProviderObjectView
  | ClusterctlProviderView;
