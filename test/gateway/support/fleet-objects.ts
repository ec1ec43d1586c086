/**
 * A known small workload cluster as Cluster API objects, in either API version, so the same
 * fleet can be written to a v1beta2 and to a legacy v1beta1 management cluster and the
 * gateway's answers compared. Objects are returned in three passes as kubectl applies them:
 * specs, then ownerReferences (they need the owners' uids), then status.
 */
export type CapiApi = 'v1beta2' | 'v1beta1';

type Obj = Record<string, unknown> & { apiVersion: string; kind: string; metadata: Record<string, unknown> };

export interface WorkerInfra {
  group: string;
  /** The kind of the worker's infrastructure machine; the control plane always uses DockerMachine. */
  kind: string;
  version: string;
}

export interface ClusterSpec {
  name: string;
  namespace: string;
  version: string;
  /** Override for the worker machine's infrastructure (e.g. a kind the gateway never saw). */
  workerInfra?: WorkerInfra;
  labels?: Record<string, string>;
  phase?: string;
}

const CAPI = 'cluster.x-k8s.io';
const CP = 'controlplane.cluster.x-k8s.io';
const BOOT = 'bootstrap.cluster.x-k8s.io';
const INFRA = 'infrastructure.cluster.x-k8s.io';
const T0 = '2026-01-01T00:00:00Z';

/** A KubeadmConfig spec: v1beta2 allows no empty one (minProperties 1, and no webhook defaults it). */
function kubeadmConfigSpec(api: CapiApi): Record<string, unknown> {
  return api === 'v1beta2' ? { format: 'cloud-config' } : {};
}

function names(spec: ClusterSpec) {
  const n = spec.name;
  return {
    cluster: n,
    kcp: `${n}-cp`,
    md: `${n}-md-0`,
    ms: `${n}-md-0-abc`,
    cpMachine: `${n}-cp-m1`,
    workerMachine: `${n}-md-0-abc-w1`,
    cpTemplate: `${n}-cp`,
    workerTemplate: `${n}-md-0`,
  };
}

function ref(api: CapiApi, group: string, kind: string, name: string, version: string = api) {
  return api === 'v1beta2'
    ? { apiGroup: group, kind, name }
    : { apiVersion: `${group}/${version}`, kind, name };
}

function condition(type: string) {
  return { type, status: 'True', reason: type, message: '', lastTransitionTime: T0 };
}

/** v1beta1 objects carry the v1beta2 conditions under status.v1beta2. */
function conditions(api: CapiApi, ...types: string[]) {
  const list = types.map(condition);
  return api === 'v1beta2' ? { conditions: list } : { v1beta2: { conditions: list } };
}

export function clusterSpecObjects(api: CapiApi, spec: ClusterSpec): Obj[] {
  const n = names(spec);
  const ns = spec.namespace;
  const clusterLabel = { 'cluster.x-k8s.io/cluster-name': spec.name };
  const meta = (name: string, labels: Record<string, string> = clusterLabel) => ({
    name,
    namespace: ns,
    labels,
  });
  const worker = spec.workerInfra ?? { group: INFRA, kind: 'DockerMachine', version: api };
  const kcpTemplateRef = ref(api, INFRA, 'DockerMachineTemplate', n.cpTemplate);
  const machineTemplateSpec = (bootstrapKind: string, bootstrapName: string) => ({
    clusterName: spec.name,
    version: spec.version,
    bootstrap: { configRef: ref(api, BOOT, bootstrapKind, bootstrapName) },
    infrastructureRef: ref(api, INFRA, 'DockerMachineTemplate', n.workerTemplate),
  });
  const machine = (name: string, labels: Record<string, string>, infra: WorkerInfra): Obj => ({
    apiVersion: `${CAPI}/${api}`,
    kind: 'Machine',
    metadata: meta(name, { ...clusterLabel, ...labels }),
    spec: {
      clusterName: spec.name,
      version: spec.version,
      providerID: `${infra.kind.toLowerCase()}:////${name}`,
      bootstrap: { configRef: ref(api, BOOT, 'KubeadmConfig', name) },
      infrastructureRef: ref(api, infra.group, infra.kind, name, infra.version),
    },
  });
  return [
    {
      apiVersion: `${CAPI}/${api}`,
      kind: 'Cluster',
      metadata: { name: n.cluster, namespace: ns, labels: spec.labels ?? {} },
      spec: {
        controlPlaneRef: ref(api, CP, 'KubeadmControlPlane', n.kcp),
        infrastructureRef: ref(api, INFRA, 'DockerCluster', n.cluster),
      },
    },
    { apiVersion: `${INFRA}/${api}`, kind: 'DockerCluster', metadata: meta(n.cluster), spec: {} },
    {
      apiVersion: `${CP}/${api}`,
      kind: 'KubeadmControlPlane',
      metadata: meta(n.kcp),
      spec: {
        replicas: 1,
        version: spec.version,
        machineTemplate:
          api === 'v1beta2'
            ? { spec: { infrastructureRef: kcpTemplateRef } }
            : { infrastructureRef: kcpTemplateRef },
        // v1beta1 requires the field; v1beta2 allows no empty kubeadmConfigSpec (minProperties 1).
        ...(api === 'v1beta1' ? { kubeadmConfigSpec: {} } : {}),
      },
    },
    {
      apiVersion: `${INFRA}/${api}`,
      kind: 'DockerMachineTemplate',
      metadata: meta(n.cpTemplate),
      spec: { template: { spec: {} } },
    },
    {
      apiVersion: `${INFRA}/${api}`,
      kind: 'DockerMachineTemplate',
      metadata: meta(n.workerTemplate),
      spec: { template: { spec: {} } },
    },
    {
      apiVersion: `${BOOT}/${api}`,
      kind: 'KubeadmConfigTemplate',
      metadata: meta(n.workerTemplate),
      spec: { template: { spec: kubeadmConfigSpec(api) } },
    },
    {
      apiVersion: `${CAPI}/${api}`,
      kind: 'MachineDeployment',
      metadata: meta(n.md),
      spec: {
        clusterName: spec.name,
        replicas: 1,
        selector: { matchLabels: { 'cluster.x-k8s.io/deployment-name': n.md } },
        template: {
          metadata: { labels: { 'cluster.x-k8s.io/deployment-name': n.md } },
          spec: machineTemplateSpec('KubeadmConfigTemplate', n.workerTemplate),
        },
      },
    },
    {
      apiVersion: `${CAPI}/${api}`,
      kind: 'MachineSet',
      metadata: meta(n.ms, { ...clusterLabel, 'cluster.x-k8s.io/deployment-name': n.md }),
      spec: {
        clusterName: spec.name,
        replicas: 1,
        selector: { matchLabels: { 'cluster.x-k8s.io/set-name': n.ms } },
        template: {
          metadata: { labels: { 'cluster.x-k8s.io/set-name': n.ms } },
          spec: machineTemplateSpec('KubeadmConfigTemplate', n.workerTemplate),
        },
      },
    },
    machine(
      n.cpMachine,
      { 'cluster.x-k8s.io/control-plane': '', 'cluster.x-k8s.io/control-plane-name': n.kcp },
      { group: INFRA, kind: 'DockerMachine', version: api },
    ),
    machine(
      n.workerMachine,
      { 'cluster.x-k8s.io/deployment-name': n.md, 'cluster.x-k8s.io/set-name': n.ms },
      worker,
    ),
    ...[n.cpMachine, n.workerMachine].map((name): Obj => ({
      apiVersion: `${BOOT}/${api}`,
      kind: 'KubeadmConfig',
      metadata: meta(name),
      spec: kubeadmConfigSpec(api),
    })),
    {
      apiVersion: `${INFRA}/${api}`,
      kind: 'DockerMachine',
      metadata: meta(n.cpMachine),
      spec: { providerID: `docker:////${n.cpMachine}` },
    },
    {
      apiVersion: `${worker.group}/${worker.version}`,
      kind: worker.kind,
      metadata: meta(n.workerMachine),
      spec: {
        providerID: `${worker.kind.toLowerCase()}:////${n.workerMachine}`,
        // A provider-specific field, only for a provider's own kind: DockerMachine has no `flavor`.
        ...(spec.workerInfra ? { flavor: 'large' } : {}),
      },
    },
  ];
}

export type UidOf = (kind: string, name: string) => string;

/** ownerReferences as CAPI controllers set them; needs the uids of the objects created first. */
export function ownerPatches(api: CapiApi, spec: ClusterSpec, uid: UidOf): Obj[] {
  const n = names(spec);
  const owner = (group: string, kind: string, name: string) => ({
    apiVersion: `${group}/${api}`,
    kind,
    name,
    uid: uid(kind, name),
    controller: true,
  });
  const worker = spec.workerInfra ?? { group: INFRA, kind: 'DockerMachine', version: api };
  const withOwner = (apiVersion: string, kind: string, name: string, o: ReturnType<typeof owner>): Obj => ({
    apiVersion,
    kind,
    metadata: { name, namespace: spec.namespace, ownerReferences: [o] },
  });
  return [
    withOwner(`${CAPI}/${api}`, 'MachineSet', n.ms, owner(CAPI, 'MachineDeployment', n.md)),
    withOwner(`${CAPI}/${api}`, 'Machine', n.cpMachine, owner(CP, 'KubeadmControlPlane', n.kcp)),
    withOwner(`${CAPI}/${api}`, 'Machine', n.workerMachine, owner(CAPI, 'MachineSet', n.ms)),
    withOwner(`${INFRA}/${api}`, 'DockerMachine', n.cpMachine, owner(CAPI, 'Machine', n.cpMachine)),
    withOwner(
      `${worker.group}/${worker.version}`,
      worker.kind,
      n.workerMachine,
      owner(CAPI, 'Machine', n.workerMachine),
    ),
    withOwner(`${BOOT}/${api}`, 'KubeadmConfig', n.cpMachine, owner(CAPI, 'Machine', n.cpMachine)),
    withOwner(`${BOOT}/${api}`, 'KubeadmConfig', n.workerMachine, owner(CAPI, 'Machine', n.workerMachine)),
  ];
}

/** Status as the CAPI controllers would report a provisioned cluster, in the API version's shape. */
/** `status` without the fields a version's schema does not have (v1beta1 KCP: no availableReplicas…). */
function without(status: Record<string, unknown>, ...fields: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(status).filter(([key]) => !fields.includes(key)));
}

export function statusPatches(api: CapiApi, spec: ClusterSpec): Obj[] {
  const n = names(spec);
  const ns = spec.namespace;
  const v2 = api === 'v1beta2';
  const worker = spec.workerInfra ?? { group: INFRA, kind: 'DockerMachine', version: api };
  const counters = {
    desiredReplicas: 1,
    replicas: 1,
    readyReplicas: 1,
    availableReplicas: 1,
    upToDateReplicas: 1,
  };
  const withStatus = (
    apiVersion: string,
    kind: string,
    name: string,
    status: Record<string, unknown>,
  ): Obj => ({
    apiVersion,
    kind,
    metadata: { name, namespace: ns },
    status,
  });
  const machineStatus = (name: string, ip: string) => ({
    phase: 'Running',
    nodeRef: v2 ? { name: `node-${name}` } : { kind: 'Node', name: `node-${name}`, apiVersion: 'v1' },
    addresses: [{ type: 'InternalIP', address: ip }],
    ...(v2
      ? { initialization: { infrastructureProvisioned: true, bootstrapDataSecretCreated: true } }
      : { bootstrapReady: true, infrastructureReady: true }),
    ...conditions(api, 'Ready', 'Available'),
  });
  const replicaStatus = v2
    ? { replicas: 1, readyReplicas: 1, availableReplicas: 1, upToDateReplicas: 1 }
    : {
        replicas: 1,
        readyReplicas: 1,
        availableReplicas: 1,
        updatedReplicas: 1,
        v1beta2: { readyReplicas: 1, availableReplicas: 1, upToDateReplicas: 1 },
      };
  const mergeV2 = (status: Record<string, unknown>, ...types: string[]) => {
    const c = conditions(api, ...types) as { v1beta2?: Record<string, unknown>; conditions?: unknown };
    if (v2) return { ...status, ...c };
    const existing = (status['v1beta2'] as Record<string, unknown> | undefined) ?? {};
    return { ...status, v1beta2: { ...existing, ...c.v1beta2 } };
  };
  return [
    withStatus(
      `${CAPI}/${api}`,
      'Cluster',
      n.cluster,
      mergeV2(
        v2
          ? {
              phase: spec.phase ?? 'Provisioned',
              initialization: { infrastructureProvisioned: true, controlPlaneInitialized: true },
              controlPlane: counters,
              workers: counters,
            }
          : {
              phase: spec.phase ?? 'Provisioned',
              infrastructureReady: true,
              controlPlaneReady: true,
              v1beta2: { controlPlane: counters, workers: counters },
            },
        'Available',
        'InfrastructureReady',
      ),
    ),
    withStatus(
      `${CP}/${api}`,
      'KubeadmControlPlane',
      n.kcp,
      mergeV2(
        v2
          ? { ...replicaStatus, version: spec.version, initialization: { controlPlaneInitialized: true } }
          : {
              ...without(replicaStatus, 'availableReplicas'),
              version: spec.version,
              initialized: true,
              ready: true,
            },
        'Available',
      ),
    ),
    withStatus(
      `${CAPI}/${api}`,
      'MachineDeployment',
      n.md,
      mergeV2({ ...replicaStatus, phase: 'Running' }, 'Available'),
    ),
    withStatus(
      `${CAPI}/${api}`,
      'MachineSet',
      n.ms,
      mergeV2(v2 ? { ...replicaStatus } : without(replicaStatus, 'updatedReplicas'), 'MachinesReady'),
    ),
    withStatus(`${CAPI}/${api}`, 'Machine', n.cpMachine, machineStatus(n.cpMachine, '10.0.0.10')),
    withStatus(`${CAPI}/${api}`, 'Machine', n.workerMachine, machineStatus(n.workerMachine, '10.0.0.20')),
    withStatus(
      `${INFRA}/${api}`,
      'DockerMachine',
      n.cpMachine,
      v2
        ? { initialization: { provisioned: true }, addresses: [{ type: 'InternalIP', address: '10.0.0.10' }] }
        : { ready: true, addresses: [{ type: 'InternalIP', address: '10.0.0.10' }] },
    ),
    withStatus(`${worker.group}/${worker.version}`, worker.kind, n.workerMachine, {
      // A provider's own kind reports both contracts' fields; DockerMachine only its version's.
      ...(spec.workerInfra || v2 ? { initialization: { provisioned: true } } : {}),
      ...(spec.workerInfra || !v2 ? { ready: true } : {}),
      addresses: [{ type: 'InternalIP', address: '10.0.0.20' }],
    }),
    ...[n.cpMachine, n.workerMachine].map((name) =>
      withStatus(
        `${BOOT}/${api}`,
        'KubeadmConfig',
        name,
        v2
          ? { initialization: { dataSecretCreated: true }, dataSecretName: `${name}-bootstrap` }
          : { ready: true, dataSecretName: `${name}-bootstrap` },
      ),
    ),
  ];
}

/** A CRD of a provider the gateway has never heard of, declaring the v1beta2 contract. */
export const acmeMachineCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: {
    name: 'acmemachines.infrastructure.acme.example',
    labels: { 'cluster.x-k8s.io/v1beta2': 'v1alpha1' },
  },
  spec: {
    group: 'infrastructure.acme.example',
    names: {
      kind: 'AcmeMachine',
      plural: 'acmemachines',
      singular: 'acmemachine',
      listKind: 'AcmeMachineList',
    },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1alpha1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
              status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
          },
        },
      },
    ],
  },
};

export const acmeInfra: WorkerInfra = {
  group: 'infrastructure.acme.example',
  kind: 'AcmeMachine',
  version: 'v1alpha1',
};
