import type { KubeObject } from '../../../src/k8s/kube-object.ts';

export interface SyntheticFleetOptions {
  clusters: number;
  controlPlaneMachines?: number;
  workerMachines?: number;
  namespace?: string;
}

const ref = (apiGroup: string, kind: string, name: string) => ({ apiGroup, kind, name });

/**
 * A fleet of provisioned v1beta2 clusters as CAPI leaves them: Cluster, DockerCluster, KCP,
 * MD → MS → Machines, control-plane Machines, a DockerMachine per Machine, with labels and
 * ownerReferences. For fakes and benchmarks (objects only, no API calls).
 */
export function syntheticFleet(options: SyntheticFleetOptions): KubeObject[] {
  const ns = options.namespace ?? 'fleet';
  const cpCount = options.controlPlaneMachines ?? 3;
  const workerCount = options.workerMachines ?? 10;
  const objects: KubeObject[] = [];
  let uid = 0;
  const nextUid = () => `00000000-0000-4000-8000-${String(++uid).padStart(12, '0')}`;
  for (let i = 0; i < options.clusters; i++) {
    const c = `cluster-${String(i).padStart(4, '0')}`;
    const clusterLabel = { 'cluster.x-k8s.io/cluster-name': c };
    const meta = (name: string, extra: Partial<KubeObject['metadata']> = {}) => ({
      name,
      namespace: ns,
      uid: nextUid(),
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: clusterLabel,
      ...extra,
    });
    const cluster = meta(c, { labels: { env: i % 2 === 0 ? 'prod' : 'dev' } });
    objects.push({
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      metadata: cluster,
      spec: {
        controlPlaneRef: ref('controlplane.cluster.x-k8s.io', 'KubeadmControlPlane', c),
        infrastructureRef: ref('infrastructure.cluster.x-k8s.io', 'DockerCluster', c),
      },
      status: {
        phase: 'Provisioned',
        initialization: { infrastructureProvisioned: true, controlPlaneInitialized: true },
      },
    });
    objects.push({
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
      kind: 'DockerCluster',
      metadata: meta(c),
      status: { initialization: { provisioned: true } },
    });
    const kcp = meta(c);
    objects.push({
      apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
      kind: 'KubeadmControlPlane',
      metadata: kcp,
      spec: {
        replicas: cpCount,
        version: 'v1.33.0',
        machineTemplate: {
          spec: {
            infrastructureRef: ref('infrastructure.cluster.x-k8s.io', 'DockerMachineTemplate', `${c}-cp`),
          },
        },
      },
      status: {
        replicas: cpCount,
        readyReplicas: cpCount,
        availableReplicas: cpCount,
        upToDateReplicas: cpCount,
      },
    });
    const md = meta(`${c}-md-0`);
    // The worker template as the CRD schema requires it (bootstrap and infrastructure references).
    const workerSpec = {
      clusterName: c,
      version: 'v1.33.0',
      bootstrap: { configRef: ref('bootstrap.cluster.x-k8s.io', 'KubeadmConfigTemplate', md.name) },
      infrastructureRef: ref('infrastructure.cluster.x-k8s.io', 'DockerMachineTemplate', md.name),
    };
    objects.push({
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'MachineDeployment',
      metadata: md,
      spec: {
        clusterName: c,
        replicas: workerCount,
        selector: { matchLabels: clusterLabel },
        template: { metadata: { labels: clusterLabel }, spec: workerSpec },
      },
      status: { phase: 'Running', replicas: workerCount, readyReplicas: workerCount },
    });
    const ms = meta(`${c}-md-0-abcde`, {
      labels: { ...clusterLabel, 'cluster.x-k8s.io/deployment-name': md.name },
      ownerReferences: [
        {
          apiVersion: 'cluster.x-k8s.io/v1beta2',
          kind: 'MachineDeployment',
          name: md.name,
          uid: md.uid,
          controller: true,
        },
      ],
    });
    objects.push({
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'MachineSet',
      metadata: ms,
      spec: {
        clusterName: c,
        replicas: workerCount,
        selector: { matchLabels: clusterLabel },
        template: { metadata: { labels: clusterLabel }, spec: workerSpec },
      },
      status: { replicas: workerCount, readyReplicas: workerCount },
    });
    for (let m = 0; m < cpCount + workerCount; m++) {
      const controlPlane = m < cpCount;
      const name = controlPlane ? `${c}-cp-${m}` : `${ms.name}-${m}`;
      const machine = meta(name, {
        labels: controlPlane
          ? {
              ...clusterLabel,
              'cluster.x-k8s.io/control-plane': '',
              'cluster.x-k8s.io/control-plane-name': c,
            }
          : {
              ...clusterLabel,
              'cluster.x-k8s.io/deployment-name': md.name,
              'cluster.x-k8s.io/set-name': ms.name,
            },
        ownerReferences: [
          controlPlane
            ? {
                apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
                kind: 'KubeadmControlPlane',
                name: c,
                uid: kcp.uid,
                controller: true,
              }
            : {
                apiVersion: 'cluster.x-k8s.io/v1beta2',
                kind: 'MachineSet',
                name: ms.name,
                uid: ms.uid,
                controller: true,
              },
        ],
      });
      objects.push({
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Machine',
        metadata: machine,
        spec: {
          clusterName: c,
          version: 'v1.33.0',
          providerID: `docker:////${name}`,
          infrastructureRef: ref('infrastructure.cluster.x-k8s.io', 'DockerMachine', name),
        },
        status: {
          phase: 'Running',
          nodeRef: { name },
          initialization: { infrastructureProvisioned: true, bootstrapDataSecretCreated: true },
        },
      });
      objects.push({
        apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
        kind: 'DockerMachine',
        metadata: meta(name, {
          ownerReferences: [
            {
              apiVersion: 'cluster.x-k8s.io/v1beta2',
              kind: 'Machine',
              name,
              uid: machine.uid,
              controller: true,
            },
          ],
        }),
        spec: { providerID: `docker:////${name}` },
        status: {
          initialization: { provisioned: true },
          addresses: [{ type: 'InternalIP', address: `10.0.${i % 250}.${m}` }],
        },
      });
    }
  }
  return objects;
}
