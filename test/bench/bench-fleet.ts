/**
 * The benchmark's fleet: helper E's synthetic fleet (Cluster, DockerCluster, KCP, MD → MS →
 * Machines, DockerMachines) plus what the engine also writes and the synthetic fleet leaves
 * out — a KubeadmConfig per Machine, Cluster owners of KCP / MD / DockerCluster, and the
 * v1beta2 conditions of SEMANTICS.md — so objects have a realistic size in the caches.
 */
import type { KubeObject, OwnerReference } from '../../src/k8s/kube-object.ts';
import { syntheticFleet } from '../gateway/support/synthetic-fleet.ts';

export interface BenchFleetOptions {
  clusters: number;
  namespace: string;
}

const at = '2026-01-01T00:00:00Z';
const condition = (type: string) => ({
  type,
  status: 'True',
  reason: type === 'Paused' ? 'NotPaused' : type,
  message: '',
  lastTransitionTime: at,
  observedGeneration: 1,
});
const conditionsOf = (types: string[]) => types.map(condition);

const conditionTypes: Record<string, string[]> = {
  Cluster: [
    'Available',
    'InfrastructureReady',
    'ControlPlaneInitialized',
    'ControlPlaneAvailable',
    'WorkersAvailable',
    'ControlPlaneMachinesReady',
    'WorkerMachinesReady',
    'RemoteConnectionProbe',
    'Paused',
  ],
  KubeadmControlPlane: ['Available', 'Initialized', 'CertificatesAvailable', 'MachinesReady', 'Paused'],
  MachineDeployment: ['Available', 'MachinesReady', 'MachinesUpToDate', 'Paused'],
  MachineSet: ['MachinesReady', 'MachinesUpToDate', 'Paused'],
  Machine: [
    'Available',
    'Ready',
    'UpToDate',
    'BootstrapConfigReady',
    'InfrastructureReady',
    'NodeHealthy',
    'NodeReady',
    'Paused',
  ],
  DockerMachine: ['Ready', 'Paused'],
  DockerCluster: ['Ready', 'Paused'],
  KubeadmConfig: ['Ready', 'DataSecretAvailable', 'CertificatesAvailable', 'Paused'],
};

const clusterLabel = 'cluster.x-k8s.io/cluster-name';

function ownerRef(owner: KubeObject, controller: boolean): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    ...(controller ? { controller: true, blockOwnerDeletion: true } : {}),
  };
}

function withConditions(object: KubeObject): KubeObject {
  const types = conditionTypes[object.kind];
  if (!types) return object;
  const status = (object['status'] ?? {}) as Record<string, unknown>;
  // CAPI's Docker kinds have no status.observedGeneration (their v1beta2 schema prunes it).
  const observed = object.kind.startsWith('Docker') ? {} : { observedGeneration: 1 };
  return { ...object, status: { ...status, conditions: conditionsOf(types), ...observed } };
}

function bootstrapConfigFor(machine: KubeObject): KubeObject {
  const name = machine.metadata.name;
  return {
    apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta2',
    kind: 'KubeadmConfig',
    metadata: {
      name,
      namespace: machine.metadata.namespace,
      uid: `${machine.metadata.uid}-bootstrap`,
      creationTimestamp: at,
      labels: { [clusterLabel]: machine.metadata.labels?.[clusterLabel] ?? '' },
      ownerReferences: [ownerRef(machine, true)],
    },
    spec: { format: 'cloud-config' },
    status: { initialization: { dataSecretCreated: true }, dataSecretName: name },
  };
}

/** The synthetic fleet, enriched; every object's owners come before it in the list. */
export function benchFleet(options: BenchFleetOptions): KubeObject[] {
  const objects = syntheticFleet({ clusters: options.clusters, namespace: options.namespace });
  const clusters = new Map<string, KubeObject>();
  for (const o of objects) if (o.kind === 'Cluster') clusters.set(o.metadata.name, o);
  const out: KubeObject[] = [];
  for (const object of objects) {
    let o = withConditions(object);
    const clusterName = o.metadata.labels?.[clusterLabel];
    const cluster = clusterName === undefined ? undefined : clusters.get(clusterName);
    if (cluster && ['KubeadmControlPlane', 'MachineDeployment', 'DockerCluster'].includes(o.kind)) {
      o = {
        ...o,
        metadata: { ...o.metadata, ownerReferences: [ownerRef(cluster, o.kind !== 'MachineDeployment')] },
      };
    }
    if (o.kind === 'Machine') {
      const spec = o['spec'] as Record<string, unknown>;
      o = {
        ...o,
        spec: {
          ...spec,
          bootstrap: {
            configRef: {
              apiGroup: 'bootstrap.cluster.x-k8s.io',
              kind: 'KubeadmConfig',
              name: o.metadata.name,
            },
            dataSecretName: o.metadata.name,
          },
        },
      };
    }
    out.push(o);
    if (o.kind === 'Machine') out.push(withConditions(bootstrapConfigFor(o)));
  }
  return out;
}

/** Machines in a fleet of `clusters` clusters (3 control-plane + 10 workers each). */
export const machinesPerCluster = 13;
