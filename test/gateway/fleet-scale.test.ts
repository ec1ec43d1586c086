/**
 * The edge-fleet scale scenario in small (issue 15): 3 management clusters × 50 clusters in two
 * namespaces, churned. The answers the gateway maintains incrementally (fleet summary counters,
 * indexed filtered pages) must equal a recount / a filter over the plain list of objects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summaryByCounting } from '../../resolvers/clusters.ts';
import type { KubeObject } from '../../src/k8s/kube-object.ts';
import { benchFleet } from '../bench/bench-fleet.ts';
import { capiFakeKinds } from './support/fake-transport.ts';
import { inProcessGateway, type InProcessGateway } from './support/in-process-gateway.ts';

const kinds = [
  ...capiFakeKinds,
  {
    group: 'bootstrap.cluster.x-k8s.io',
    kind: 'KubeadmConfig',
    plural: 'kubeadmconfigs',
    version: 'v1beta2',
    contract: 'v1beta2',
  },
];
const managementClusters = ['edge-a', 'edge-b', 'edge-c'];
const namespaces = ['east', 'west'];
const versions = ['v1.32.4', 'v1.33.1', 'v1.34.0'];
const regions = ['eu', 'us', 'ap'];

/** A deterministic pseudo-random sequence (the churn must be the same on every run). */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/** 25 clusters per namespace, UIDs unique per management cluster, labels and versions varied. */
function fleetOf(mc: string): KubeObject[] {
  return namespaces.flatMap((ns, n) =>
    benchFleet({ clusters: 25, namespace: ns }).map((o) => {
      const uid = (u: string) => `${ns}-${u}`;
      const metadata = {
        ...o.metadata,
        uid: uid(o.metadata.uid),
        ...(o.metadata.ownerReferences
          ? { ownerReferences: o.metadata.ownerReferences.map((r) => ({ ...r, uid: uid(r.uid) })) }
          : {}),
      };
      const i = Number(
        /(\d+)$/.exec(o.metadata.labels?.['cluster.x-k8s.io/cluster-name'] ?? o.metadata.name)?.[1] ?? 0,
      );
      if (o.kind === 'Cluster')
        metadata.labels = { ...metadata.labels, region: regions[(i + n) % 3]!, site: `${mc}-${ns}-${i}` };
      if (o.kind === 'KubeadmControlPlane')
        return { ...o, metadata, spec: { ...(o['spec'] as object), version: versions[i % 3] } };
      return { ...o, metadata };
    }),
  );
}

const clusterFields = 'managementCluster { name } namespace name phase kubernetesVersion';

interface Counted {
  clusters: number;
  byPhase: Array<{ key: string; count: number }>;
  byKubernetesVersion: Array<{ key: string; count: number }>;
  byInfrastructureKind: Array<{ key: string; count: number }>;
  byManagementCluster: Array<{ key: string; count: number }>;
}

const summaryQuery = `query($filter: ClusterFilter) { fleetSummary(filter: $filter) {
  clusters byPhase { key count } byKubernetesVersion { key count }
  byInfrastructureKind { key count } byManagementCluster { key count } } }`;

describe('edge-fleet scale in small: 3 management clusters × 50 clusters, churned', () => {
  let g: InProcessGateway;
  /** What each management cluster holds now, as written (the truth the gateway must converge to). */
  const truth = new Map<string, Map<string, KubeObject>>();
  const keyOf = (o: KubeObject) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;

  beforeAll(async () => {
    const fleets = Object.fromEntries(managementClusters.map((mc) => [mc, fleetOf(mc)]));
    for (const [mc, objects] of Object.entries(fleets))
      truth.set(mc, new Map(objects.map((o) => [keyOf(o), o])));
    g = await inProcessGateway(fleets, kinds);
  });
  afterAll(() => g?.stop());

  const write = (mc: string, o: KubeObject) => {
    truth.get(mc)!.set(keyOf(o), o);
    g.transports.get(mc)!.put(o);
  };
  const remove = (mc: string, o: KubeObject) => {
    truth.get(mc)!.delete(keyOf(o));
    g.transports.get(mc)!.delete(o);
  };

  /** The plain answer: every Cluster written, with its phase and its KCP's version. */
  function plainClusters() {
    const rows: Array<{
      mc: string;
      ns: string;
      name: string;
      phase: string;
      version: string;
      infra: string;
      labels: Record<string, string>;
    }> = [];
    for (const [mc, objects] of truth) {
      for (const o of objects.values()) {
        if (o.kind !== 'Cluster') continue;
        const kcp = objects.get(`KubeadmControlPlane/${o.metadata.namespace}/${o.metadata.name}`);
        const phase = (o['status'] as { phase?: string } | undefined)?.phase;
        rows.push({
          mc,
          ns: o.metadata.namespace!,
          name: o.metadata.name,
          phase:
            phase === undefined
              ? 'Unknown'
              : ['Pending', 'Provisioning', 'Provisioned', 'Deleting', 'Failed'].includes(phase)
                ? phase
                : 'Unknown',
          version: (kcp?.['spec'] as { version?: string } | undefined)?.version ?? 'unknown',
          infra: (o['spec'] as { infrastructureRef?: { kind?: string } }).infrastructureRef?.kind ?? 'none',
          labels: o.metadata.labels ?? {},
        });
      }
    }
    return rows.sort((a, b) => (`${a.mc}\0${a.ns}\0${a.name}` < `${b.mc}\0${b.ns}\0${b.name}` ? -1 : 1));
  }

  function recount(filter: { managementCluster?: string; namespace?: string } = {}): Counted {
    const rows = plainClusters().filter(
      (r) =>
        (!filter.managementCluster || r.mc === filter.managementCluster) &&
        (!filter.namespace || r.ns === filter.namespace),
    );
    const by = (f: (r: (typeof rows)[number]) => string) => {
      const m = new Map<string, number>();
      for (const r of rows) m.set(f(r), (m.get(f(r)) ?? 0) + 1);
      return [...m].map(([key, count]) => ({ key, count })).sort((a, b) => (a.key < b.key ? -1 : 1));
    };
    return {
      clusters: rows.length,
      byPhase: by((r) => r.phase),
      byKubernetesVersion: by((r) => r.version),
      byInfrastructureKind: by((r) => r.infra),
      byManagementCluster: by((r) => r.mc),
    };
  }

  async function summary(filter?: object): Promise<Counted> {
    const res = await g.query<{ fleetSummary: Counted }>(summaryQuery, { filter });
    expect(res.errors).toBeUndefined();
    return res.data!.fleetSummary;
  }

  async function eventually(check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('the gateway did not converge within 10 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  function churn(seed: number): void {
    const next = random(seed);
    for (const mc of managementClusters) {
      const objects = [...truth.get(mc)!.values()];
      const clusters = objects.filter((o) => o.kind === 'Cluster');
      const kcps = objects.filter((o) => o.kind === 'KubeadmControlPlane');
      const machines = objects.filter((o) => o.kind === 'Machine');
      for (let k = 0; k < 20; k++) {
        const c = clusters[Math.floor(next() * clusters.length)]!;
        const phase = ['Provisioning', 'Provisioned', 'Deleting', 'SomethingNew', 'Failed'][
          Math.floor(next() * 5)
        ];
        const labels = { ...c.metadata.labels, region: regions[Math.floor(next() * 3)]! };
        write(mc, {
          ...c,
          metadata: { ...c.metadata, labels },
          status: { ...(c['status'] as object), phase },
        });
      }
      for (let k = 0; k < 10; k++) {
        const kcp = kcps[Math.floor(next() * kcps.length)]!;
        write(mc, {
          ...kcp,
          spec: { ...(kcp['spec'] as object), version: versions[Math.floor(next() * 3)] },
        });
      }
      for (let k = 0; k < 30; k++) {
        const m = machines[Math.floor(next() * machines.length)]!;
        write(mc, {
          ...m,
          status: { ...(m['status'] as object), phase: next() < 0.5 ? 'Running' : 'Provisioning' },
        });
      }
      // Two clusters go (their KCPs stay: a cluster without its Cluster object is no cluster).
      for (let k = 0; k < 2; k++) {
        const live = [...truth.get(mc)!.values()].filter((o) => o.kind === 'Cluster');
        remove(mc, live[Math.floor(next() * live.length)]!);
      }
    }
  }

  it('keeps the fleet summary equal to a full recount after churn, per management cluster and namespace too', async () => {
    expect(await summary()).toEqual(recount());
    for (let round = 1; round <= 3; round++) {
      churn(round);
      await eventually(async () => JSON.stringify(await summary()) === JSON.stringify(recount()));
    }
    expect(await summary()).toEqual(recount());
    expect(await summary({ managementCluster: 'edge-b' })).toEqual(recount({ managementCluster: 'edge-b' }));
    expect(await summary({ namespace: 'west' })).toEqual(recount({ namespace: 'west' }));
    // The scan over the cached views counts the same.
    const { unavailable: _u, ...scanned } = summaryByCounting(g.gateway.context(), null);
    expect(scanned).toEqual(recount());
  });

  it('answers filtered pages with what a filter over the full list gives', async () => {
    await eventually(async () => JSON.stringify(await summary()) === JSON.stringify(recount()));
    const filters: Array<{
      filter: Record<string, string>;
      keep: (r: ReturnType<typeof plainClusters>[number]) => boolean;
    }> = [
      {
        filter: { phase: 'Provisioned', kubernetesVersion: 'v1.33.1', labelSelector: 'region=eu' },
        keep: (r) => r.phase === 'Provisioned' && r.version === 'v1.33.1' && r.labels['region'] === 'eu',
      },
      { filter: { phase: 'Unknown' }, keep: (r) => r.phase === 'Unknown' },
      {
        filter: { labelSelector: 'region in (us,ap),env=prod', namespace: 'east' },
        keep: (r) =>
          ['us', 'ap'].includes(r.labels['region'] ?? '') && r.labels['env'] === 'prod' && r.ns === 'east',
      },
      {
        filter: { kubernetesVersion: 'v1.34.0', managementCluster: 'edge-c' },
        keep: (r) => r.version === 'v1.34.0' && r.mc === 'edge-c',
      },
      {
        filter: { labelSelector: 'region!=eu', phase: 'Deleting' },
        keep: (r) => r.labels['region'] !== 'eu' && r.phase === 'Deleting',
      },
    ];
    for (const { filter, keep } of filters) {
      const want = plainClusters().filter(keep);
      expect(want.length).toBeGreaterThan(0);
      const res = await g.query<{
        clusters: { totalCount: number; edges: Array<{ node: Record<string, unknown> }> };
      }>(
        `query($filter: ClusterFilter) { clusters(first: 50, filter: $filter) { totalCount edges { node { ${clusterFields} } } } }`,
        { filter },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data!.clusters.totalCount).toBe(want.length);
      expect(res.data!.clusters.edges.map((e) => e.node)).toEqual(
        want.slice(0, 50).map((r) => ({
          managementCluster: { name: r.mc },
          namespace: r.ns,
          name: r.name,
          phase: r.phase,
          kubernetesVersion: r.version === 'unknown' ? null : r.version,
        })),
      );
    }
  });

  it('reads raw provider objects on demand, equal to the stored objects (one by GET, many by a batched LIST)', async () => {
    const machineRaw = `infrastructureMachine { name raw } bootstrapConfig { name raw }`;
    // Clusters the churn left in place.
    const live = (mc: string, ns: string) =>
      [...truth.get(mc)!.values()].find((o) => o.kind === 'Cluster' && o.metadata.namespace === ns)!.metadata
        .name;
    const res = await g.query<{
      cluster: { controlPlane: { machines: Array<Record<string, { name: string; raw: unknown }>> } };
      one: { infrastructureCluster: { name: string; raw: unknown } };
    }>(
      `query { cluster(managementCluster: "edge-a", namespace: "west", name: "${live('edge-a', 'west')}") {
        ... on Cluster { controlPlane { machines { ${machineRaw} } } } }
        one: cluster(managementCluster: "edge-b", namespace: "east", name: "${live('edge-b', 'east')}") {
        ... on Cluster { infrastructureCluster { name raw } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const stored = (mc: string, kind: string, ns: string, name: string) => {
      const o = truth.get(mc)!.get(`${kind}/${ns}/${name}`)!;
      // As stored: the server adds its resourceVersion to the metadata written.
      return { ...o, metadata: { ...o.metadata, resourceVersion: expect.any(String) } };
    };
    const machines = res.data!.cluster.controlPlane.machines;
    expect(machines).toHaveLength(3);
    for (const m of machines) {
      expect(m['infrastructureMachine']!.raw).toEqual(
        stored('edge-a', 'DockerMachine', 'west', m['infrastructureMachine']!.name),
      );
      expect(m['bootstrapConfig']!.raw).toEqual(
        stored('edge-a', 'KubeadmConfig', 'west', m['bootstrapConfig']!.name),
      );
    }
    const infra = res.data!.one.infrastructureCluster;
    expect(infra.raw).toEqual(stored('edge-b', 'DockerCluster', 'east', infra.name));

    // A whole namespace's machines at once: one LIST per kind, not a GET per object.
    const transport = g.transports.get('edge-c')!;
    const before = { ...transport.requests };
    const all = await g.query<{
      clusters: {
        edges: Array<{
          node: {
            machineDeployments: Array<{
              machineSets: Array<{ machines: Array<Record<string, { name: string; raw: unknown }>> }>;
            }>;
          };
        }>;
      };
    }>(
      `query { clusters(first: 10, filter: { managementCluster: "edge-c", namespace: "east" }) { edges { node {
        machineDeployments { machineSets { machines { ${machineRaw} } } } } } } }`,
    );
    expect(all.errors).toBeUndefined();
    const workers = all.data!.clusters.edges.flatMap((e) =>
      e.node.machineDeployments.flatMap((d) => d.machineSets.flatMap((s) => s.machines)),
    );
    expect(workers.length).toBeGreaterThan(50);
    for (const m of workers)
      expect(m['infrastructureMachine']!.raw).toEqual(
        stored('edge-c', 'DockerMachine', 'east', m['infrastructureMachine']!.name),
      );
    expect(transport.requests.get - before.get).toBe(0);
    expect(transport.requests.list - before.list).toBeLessThanOrEqual(2);
  });
});
