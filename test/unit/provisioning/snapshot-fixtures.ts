/**
 * Cluster snapshots built from views directly: a healthy plain cluster (KCP + one
 * MachineDeployment) at a version, and helpers to bend it into the states the planner and
 * guardrails must notice.
 */
import { objectId } from '../../../src/capi/object-id.ts';
import type {
  ClusterClassView,
  ClusterView,
  ConditionView,
  ControlPlaneView,
  MachineDeploymentView,
  MachineView,
  ObjectAddress,
  ViewBase,
} from '../../../src/capi/views.ts';
import type { ClusterSnapshot } from '../../../src/provisioning/cluster-snapshot.ts';

const T0 = '2026-01-01T00:00:00Z';

function address(group: string, kind: string, name: string): ObjectAddress {
  return { managementCluster: 'mc', group, kind, namespace: 'team-a', name };
}

const ok = (type: string): ConditionView => ({
  type,
  status: 'True',
  reason: type,
  message: null,
  lastTransitionTime: T0,
});

function base(group: string, kind: string, name: string, conditions: string[]): ViewBase {
  return {
    address: address(group, kind, name),
    name,
    namespace: 'team-a',
    kind,
    id: objectId(address(group, kind, name)),
    uid: `uid-${kind}-${name}`,
    apiVersion: `${group}/v1beta2`,
    labels: { 'cluster.x-k8s.io/cluster-name': 'c1' },
    annotations: {},
    createdAt: T0,
    deletionTimestamp: null,
    owners: [],
    conditions: conditions.map(ok),
    clusterName: 'c1',
    refs: [],
  };
}

export function machine(name: string, version: string, controlPlane = false): MachineView {
  return {
    ...base('cluster.x-k8s.io', 'Machine', name, ['Ready', 'Available']),
    viewKind: 'Machine',
    phase: 'Running',
    version,
    providerID: null,
    nodeName: name,
    addresses: [],
    failureDomain: null,
    bootstrapReady: true,
    infrastructureReady: true,
    infrastructureRef: null,
    bootstrapConfigRef: null,
    controlPlane,
  };
}

export function counters(n: number) {
  return { desired: n, replicas: n, ready: n, available: n, upToDate: n };
}

export function machineDeployment(name: string, version: string, replicas: number) {
  const view: MachineDeploymentView = {
    ...base('cluster.x-k8s.io', 'MachineDeployment', name, ['Available']),
    viewKind: 'MachineDeployment',
    ...counters(replicas),
    phase: 'Running',
    version,
    strategy: null,
    infrastructureTemplateRef: null,
    bootstrapTemplateRef: null,
    selector: {},
  };
  const machines = Array.from({ length: replicas }, (_, i) => machine(`${name}-m${i}`, version));
  return { view, machines };
}

export interface PlainClusterOptions {
  version: string;
  cpReplicas?: number;
  workerVersion?: string;
  deployments?: string[];
}

export function plainCluster(options: PlainClusterOptions): ClusterSnapshot {
  const cpReplicas = options.cpReplicas ?? 3;
  const cluster: ClusterView = {
    ...base('cluster.x-k8s.io', 'Cluster', 'c1', [
      'Available',
      'InfrastructureReady',
      'ControlPlaneAvailable',
    ]),
    viewKind: 'Cluster',
    phase: 'Provisioned',
    paused: false,
    controlPlaneEndpoint: { host: '10.0.0.1', port: 6443 },
    topology: null,
    controlPlaneRef: {
      group: 'controlplane.cluster.x-k8s.io',
      kind: 'KubeadmControlPlane',
      namespace: 'team-a',
      name: 'c1-cp',
    },
    infrastructureRef: null,
    infrastructureProvisioned: true,
    controlPlaneInitialized: true,
    controlPlaneStatus: {
      ...counters(cpReplicas),
      versions: [{ version: options.version, replicas: cpReplicas }],
    },
    workersStatus: { ...counters(2), versions: [] },
  };
  const controlPlane: ControlPlaneView = {
    ...base('controlplane.cluster.x-k8s.io', 'KubeadmControlPlane', 'c1-cp', [
      'Available',
      'EtcdClusterHealthy',
      'ControlPlaneComponentsHealthy',
    ]),
    viewKind: 'ControlPlane',
    ...counters(cpReplicas),
    version: options.version,
    statusVersion: options.version,
    initialized: true,
    rolloutStrategy: null,
    infrastructureTemplateRef: null,
  };
  return {
    cluster,
    controlPlane,
    controlPlaneMachines: Array.from({ length: cpReplicas }, (_, i) =>
      machine(`c1-cp-m${i}`, options.version, true),
    ),
    machineDeployments: (options.deployments ?? ['c1-md-0']).map((n) =>
      machineDeployment(n, options.workerVersion ?? options.version, 2),
    ),
    machinePools: [],
    clusterClass: null,
  };
}

export function clusterClass(kubernetesVersions: string[]): ClusterClassView {
  return {
    ...base('cluster.x-k8s.io', 'ClusterClass', 'quick-start', []),
    viewKind: 'ClusterClass',
    variables: [],
    workerClasses: [],
    kubernetesVersions,
  };
}

/** The same cluster managed by a ClusterClass topology at `version`. */
export function topologyCluster(
  options: PlainClusterOptions & { kubernetesVersions?: string[] },
): ClusterSnapshot {
  const snapshot = plainCluster(options);
  return {
    ...snapshot,
    cluster: {
      ...snapshot.cluster,
      topology: {
        classRef: { name: 'quick-start', namespace: 'team-a' },
        version: options.version,
        variables: [],
      },
      conditions: [...snapshot.cluster.conditions, ok('TopologyReconciled')],
    },
    clusterClass: clusterClass(options.kubernetesVersions ?? []),
  };
}

export function withCondition<T extends ViewBase>(
  view: T,
  condition: Partial<ConditionView> & { type: string },
): T {
  return {
    ...view,
    conditions: [
      ...view.conditions.filter((c) => c.type !== condition.type),
      { status: 'False', reason: 'Failing', message: null, lastTransitionTime: T0, ...condition },
    ],
  };
}
