/**
 * Workload clusters for the day-2 mutation tests, one per test so no test depends on
 * another's changes: plain ones (KubeadmControlPlane + MachineDeployments on in-memory Dev*
 * infrastructure) and topology ones from the demo ClusterClass, applied with kubectl; plus
 * kubectl readers for checking end states, and a kubectl watch that records every machine
 * ever created (to prove an upgrade's order from creation times).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { demoClusterClassYaml } from '../../../embedded/demo/demo-cluster-class.ts';
import type { TestEmbeddedCluster } from '../../support/embedded-cluster.ts';
import { eventually } from './gql.ts';
import { kubectlOk } from './kube-fleet.ts';

export interface PlainClusterSpec {
  name: string;
  version: string;
  controlPlaneReplicas: number;
  workers: Array<{ name: string; replicas: number }>;
  /** Where etcd lives: stacked (default) or external. */
  externalEtcd?: boolean;
}

export function plainClusterYaml(spec: PlainClusterSpec): string {
  const n = spec.name;
  const etcd = spec.externalEtcd
    ? `\n    clusterConfiguration: { etcd: { external: { endpoints: ["https://etcd.example:2379"], caFile: /ca, certFile: /c, keyFile: /k } } }`
    : '';
  const workers = spec.workers
    .map(
      (w) => `
---
apiVersion: cluster.x-k8s.io/v1beta2
kind: MachineDeployment
metadata:
  name: ${n}-${w.name}
spec:
  clusterName: ${n}
  replicas: ${w.replicas}
  template:
    spec:
      clusterName: ${n}
      version: ${spec.version}
      bootstrap:
        configRef: { apiGroup: bootstrap.cluster.x-k8s.io, kind: KubeadmConfigTemplate, name: ${n}-workers }
      infrastructureRef: { apiGroup: infrastructure.cluster.x-k8s.io, kind: DevMachineTemplate, name: ${n}-machines }`,
    )
    .join('');
  return `
apiVersion: cluster.x-k8s.io/v1beta2
kind: Cluster
metadata:
  name: ${n}
spec:
  clusterNetwork:
    pods: { cidrBlocks: ["192.168.0.0/16"] }
    services: { cidrBlocks: ["10.96.0.0/12"] }
  controlPlaneRef: { apiGroup: controlplane.cluster.x-k8s.io, kind: KubeadmControlPlane, name: ${n}-cp }
  infrastructureRef: { apiGroup: infrastructure.cluster.x-k8s.io, kind: DevCluster, name: ${n} }
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
kind: DevCluster
metadata:
  name: ${n}
spec:
  backend:
    inMemory: {}
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
kind: DevMachineTemplate
metadata:
  name: ${n}-machines
spec:
  template:
    spec:
      backend:
        inMemory:
          vm: { provisioning: { startupDuration: "12s", startupJitter: "0.2" } }
          node: { provisioning: { startupDuration: "4s", startupJitter: "0.2" } }
          apiServer: { provisioning: { startupDuration: "3s" } }
          etcd: { provisioning: { startupDuration: "2s" } }
---
apiVersion: controlplane.cluster.x-k8s.io/v1beta2
kind: KubeadmControlPlane
metadata:
  name: ${n}-cp
spec:
  replicas: ${spec.controlPlaneReplicas}
  version: ${spec.version}
  machineTemplate:
    spec:
      infrastructureRef: { apiGroup: infrastructure.cluster.x-k8s.io, kind: DevMachineTemplate, name: ${n}-machines }
  kubeadmConfigSpec:${etcd}
    initConfiguration: { nodeRegistration: { criSocket: unix:///var/run/containerd/containerd.sock } }
    joinConfiguration: { nodeRegistration: { criSocket: unix:///var/run/containerd/containerd.sock } }
---
apiVersion: bootstrap.cluster.x-k8s.io/v1beta2
kind: KubeadmConfigTemplate
metadata:
  name: ${n}-workers
spec:
  template:
    spec:
      joinConfiguration: { nodeRegistration: { criSocket: unix:///var/run/containerd/containerd.sock } }${workers}
`;
}

export interface TopologyClusterSpec {
  name: string;
  version: string;
  controlPlaneReplicas: number;
  workers: Array<{ name: string; replicas: number }>;
}

export function topologyClusterYaml(spec: TopologyClusterSpec): string {
  const workers = spec.workers
    .map((w) => `\n        - { class: general-purpose, name: ${w.name}, replicas: ${w.replicas} }`)
    .join('');
  return `
apiVersion: cluster.x-k8s.io/v1beta2
kind: Cluster
metadata:
  name: ${spec.name}
spec:
  clusterNetwork:
    pods: { cidrBlocks: ["192.168.0.0/16"] }
    services: { cidrBlocks: ["10.128.0.0/12"] }
    serviceDomain: cluster.local
  topology:
    classRef: { name: capi-gateway-demo }
    version: ${spec.version}
    variables:
      - { name: region, value: eu-west }
    controlPlane:
      replicas: ${spec.controlPlaneReplicas}
    workers:
      machineDeployments:${workers}
`;
}

export async function applyYaml(mc: TestEmbeddedCluster, yaml: string): Promise<void> {
  await kubectlOk(mc, ['apply', '-n', 'default', '-f', '-'], yaml);
}

export async function installDemoClass(mc: TestEmbeddedCluster): Promise<void> {
  await applyYaml(mc, demoClusterClassYaml);
}

export async function getJson<T = Record<string, unknown>>(
  mc: TestEmbeddedCluster,
  ...args: string[]
): Promise<T> {
  return JSON.parse(await kubectlOk(mc, ['get', '-n', 'default', '-o', 'json', ...args])) as T;
}

interface Item {
  metadata: {
    name: string;
    generation?: number;
    creationTimestamp: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
  };
  spec: Record<string, unknown> & { replicas?: number; version?: string; clusterName?: string };
  status?: Record<string, unknown> & {
    replicas?: number;
    readyReplicas?: number;
    upToDateReplicas?: number;
    availableReplicas?: number;
    phase?: string;
    version?: string;
    conditions?: Array<{ type: string; status: string; reason?: string }>;
  };
}

export type KubeItem = Item;

export async function items(mc: TestEmbeddedCluster, kind: string, cluster: string): Promise<Item[]> {
  return (await getJson<{ items: Item[] }>(mc, kind, '-l', `cluster.x-k8s.io/cluster-name=${cluster}`)).items;
}

const available = (i: Item) => i.status?.conditions?.find((c) => c.type === 'Available')?.status === 'True';

/** Every replica of the cluster's control plane and MachineDeployments exists, is ready and up to date; the Cluster is Available. */
export async function settled(mc: TestEmbeddedCluster, cluster: string): Promise<boolean> {
  const [clusters, kcps, mds, machines] = await Promise.all([
    getJson<Item>(mc, 'cluster', cluster),
    items(mc, 'kcp', cluster),
    items(mc, 'md', cluster),
    items(mc, 'machines', cluster),
  ]);
  const full = (i: Item) =>
    i.status?.replicas === i.spec.replicas &&
    i.status?.readyReplicas === i.spec.replicas &&
    i.status?.upToDateReplicas === i.spec.replicas &&
    i.status?.availableReplicas === i.spec.replicas;
  const want = [...kcps, ...mds].reduce((n, i) => n + (i.spec.replicas ?? 0), 0);
  return (
    available(clusters) &&
    kcps.length === 1 &&
    [...kcps, ...mds].every(full) &&
    machines.length === want &&
    machines.every((m) => m.status?.phase === 'Running' && !m.metadata.deletionTimestamp)
  );
}

export async function waitSettled(
  mc: TestEmbeddedCluster,
  cluster: string,
  timeoutMs = 90_000,
): Promise<void> {
  await eventually(
    async () => ((await settled(mc, cluster)) ? true : undefined),
    timeoutMs,
    `cluster ${cluster} to settle`,
  );
}

/** A kubectl watch recording every Machine of the management cluster ever seen (name, version, created, control plane). */
export interface MachineRecord {
  name: string;
  cluster: string;
  version: string;
  created: string;
  controlPlane: boolean;
  deployment: string;
}

export class MachineHistory {
  readonly seen = new Map<string, MachineRecord>();
  private readonly child: ChildProcess;
  private buffer = '';

  constructor(mc: TestEmbeddedCluster) {
    const template =
      '{.metadata.name}|{.metadata.labels.cluster\\.x-k8s\\.io/cluster-name}|{.spec.version}|{.metadata.creationTimestamp}|{.metadata.labels.cluster\\.x-k8s\\.io/control-plane-name}|{.metadata.labels.cluster\\.x-k8s\\.io/deployment-name}{"\\n"}';
    this.child = spawn(
      'kubectl',
      ['--kubeconfig', mc.kubeconfigPath, 'get', 'machines', '-A', '--watch', '-o', `jsonpath=${template}`],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    this.child.stdout!.on('data', (d: Buffer) => {
      this.buffer += d.toString();
      const lines = this.buffer.split('\n');
      this.buffer = lines.pop() ?? '';
      for (const line of lines) {
        const [name, cluster, version, created, cp, deployment] = line.split('|');
        if (!name) continue;
        this.seen.set(`${cluster}/${name}`, {
          name,
          cluster: cluster ?? '',
          version: version ?? '',
          created: created ?? '',
          controlPlane: cp !== undefined && cp !== '',
          deployment: deployment ?? '',
        });
      }
    });
  }

  of(cluster: string): MachineRecord[] {
    return [...this.seen.values()].filter((m) => m.cluster === cluster);
  }

  stop(): void {
    this.child.kill();
  }
}
