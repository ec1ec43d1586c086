/**
 * `raw` on every CapiObject: the object as the management cluster stores it (without
 * managedFields), read on demand by the batched raw reader — the caches keep none of it — for
 * the Cluster, its control plane, MachineDeployments, MachineSets, Machines, MachinePools,
 * MachineHealthChecks and provider objects alike; never a core object such as a Secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapiView } from '../../src/capi/views.ts';
import type { KubeObject } from '../../src/k8s/kube-object.ts';
import { ClusterTreeRawDocument, NodeRawDocument } from '../generated/graphql.ts';
import { capiFakeKinds } from './support/fake-transport.ts';
import { inProcessGateway, type InProcessGateway } from './support/in-process-gateway.ts';
import { syntheticFleet } from './support/synthetic-fleet.ts';

const ns = 'fleet';
const clusterLabel = (c: string) => ({ 'cluster.x-k8s.io/cluster-name': c });

/** A pool and a health check for cluster `c`, next to the synthetic fleet's objects. */
function extras(c: string): KubeObject[] {
  return [
    {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'MachinePool',
      metadata: { name: `${c}-pool`, namespace: ns, uid: `mp-${c}`, labels: clusterLabel(c) },
      spec: { clusterName: c, replicas: 2, template: { spec: { clusterName: c, version: 'v1.33.0' } } },
      status: { phase: 'Running', replicas: 2, readyReplicas: 2 },
    },
    {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'MachineHealthCheck',
      metadata: { name: `${c}-mhc`, namespace: ns, uid: `mhc-${c}`, labels: clusterLabel(c) },
      spec: { clusterName: c, selector: { matchLabels: clusterLabel(c) } },
      status: { expectedMachines: 4, currentHealthy: 4, remediationsAllowed: 1 },
    },
  ];
}

/** cluster-0000 carries managedFields, which `raw` leaves out as `kubectl get -o yaml` does. */
function fleet(): KubeObject[] {
  return syntheticFleet({ clusters: 12, controlPlaneMachines: 1, workerMachines: 3, namespace: ns })
    .map((o) =>
      o.kind === 'Cluster' && o.metadata.name === 'cluster-0000'
        ? {
            ...o,
            metadata: {
              ...o.metadata,
              managedFields: [{ manager: 'kubectl', operation: 'Apply', fieldsV1: { 'f:spec': {} } }],
            },
          }
        : o,
    )
    .concat(['cluster-0000', 'cluster-0001'].flatMap(extras));
}

interface Raw {
  name: string;
  raw: Record<string, unknown>;
}

describe('raw YAML of every object, on demand', () => {
  let g: InProcessGateway;
  let written: Map<string, KubeObject>;
  const keyOf = (kind: string, name: string) => `${kind}/${name}`;

  beforeAll(async () => {
    const objects = fleet();
    written = new Map(objects.map((o) => [keyOf(o.kind, o.metadata.name), o]));
    g = await inProcessGateway({ mc: objects }, capiFakeKinds);
  });
  afterAll(() => g?.stop());

  /** As stored: what was written, with the server's resourceVersion and without managedFields. */
  const stored = (kind: string, name: string) => {
    const o = written.get(keyOf(kind, name))!;
    const { managedFields: _managedFields, ...metadata } = o.metadata;
    return { ...o, metadata: { ...metadata, resourceVersion: expect.any(String) } };
  };

  it('serves raw for each object of the tree, equal to the stored object, in a handful of requests', async () => {
    const transport = g.transports.get('mc')!;
    const before = { ...transport.requests };
    const res = await g.query(ClusterTreeRawDocument, {
      managementCluster: 'mc',
      namespace: ns,
      name: 'cluster-0000',
    });
    expect(res.errors).toBeUndefined();
    const cluster = res.data!.cluster;
    if (cluster.__typename !== 'Cluster') throw new Error(cluster.__typename);
    const seen: Array<[string, Raw]> = [['Cluster', cluster as Raw]];
    seen.push(['DockerCluster', cluster.infrastructureCluster as Raw]);
    const cp = cluster.controlPlane!;
    seen.push(['KubeadmControlPlane', cp as Raw]);
    const machines = [...cp.machines];
    for (const md of cluster.machineDeployments) {
      seen.push(['MachineDeployment', md as Raw]);
      for (const ms of md.machineSets) {
        seen.push(['MachineSet', ms as Raw]);
        machines.push(...ms.machines);
      }
    }
    for (const m of machines) {
      seen.push(['Machine', m as Raw]);
      seen.push(['DockerMachine', m.infrastructureMachine as Raw]);
    }
    for (const mp of cluster.machinePools) seen.push(['MachinePool', mp as Raw]);
    for (const mhc of cluster.machineHealthChecks) seen.push(['MachineHealthCheck', mhc as Raw]);
    expect(machines).toHaveLength(4);
    expect(seen.map(([kind]) => kind).sort()).toEqual(
      [
        'Cluster',
        'DockerCluster',
        'KubeadmControlPlane',
        'MachineDeployment',
        'MachineSet',
        'MachinePool',
        'MachineHealthCheck',
        ...Array(4).fill('Machine'),
        ...Array(4).fill('DockerMachine'),
      ].sort(),
    );
    for (const [kind, o] of seen) {
      expect(o.raw, `${kind} ${o.name}`).toEqual(stored(kind, o.name));
      expect((o.raw['metadata'] as { name: string }).name).toBe(o.name);
    }
    expect((cluster.raw as Record<string, unknown>)['metadata']).not.toHaveProperty('managedFields');
    // Batched per kind: at most a GET per object of a kind up to 4, else one LIST — never per field.
    const requests = transport.requests.get - before.get + (transport.requests.list - before.list);
    expect(requests).toBeLessThanOrEqual(seen.length);
    expect(transport.requests.get - before.get).toBeLessThanOrEqual(4 + 4 + 7);
  });

  it('reads the machines of a whole page by one LIST per kind, not a GET each', async () => {
    const transport = g.transports.get('mc')!;
    const before = { ...transport.requests };
    const res = await g.query<{
      clusters: {
        edges: Array<{ node: { machines: Array<{ name: string; raw: Record<string, unknown> }> } }>;
      };
    }>(`{ clusters(first: 12) { edges { node { machines { name raw } } } } }`);
    expect(res.errors).toBeUndefined();
    const machines = res.data!.clusters.edges.flatMap((e) => e.node.machines);
    expect(machines).toHaveLength(48);
    for (const m of machines) expect(m.raw).toEqual(stored('Machine', m.name));
    expect(transport.requests.get - before.get).toBe(0);
    expect(transport.requests.list - before.list).toBe(1);
  });

  it('serves raw through node(id), as the dashboard asks for one object when its YAML is opened', async () => {
    const tree = await g.query(ClusterTreeRawDocument, {
      managementCluster: 'mc',
      namespace: ns,
      name: 'cluster-0001',
    });
    const cluster = tree.data!.cluster;
    if (cluster.__typename !== 'Cluster') throw new Error(cluster.__typename);
    const res = await g.query(NodeRawDocument, { id: cluster.id });
    expect(res.errors).toBeUndefined();
    expect(res.data!.node).toEqual({
      __typename: 'Cluster',
      kind: 'Cluster',
      name: 'cluster-0001',
      raw: stored('Cluster', 'cluster-0001'),
    });
  });

  it('keeps none of it in the caches', () => {
    const cache = g.gateway.fleet.caches[0]!;
    for (const [, store] of cache.allStores())
      for (const view of store.list() as IterableIterator<CapiView>) expect(view).not.toHaveProperty('raw');
  });

  it('never reads a core object (a Secret): refused before any request', async () => {
    const transport = g.transports.get('mc')!;
    const before = { ...transport.requests };
    const cluster = g.gateway.fleet.reader.clusters('mc').items[0]!;
    const secret = {
      ...cluster,
      address: { ...cluster.address, group: '', kind: 'Secret', name: 'cluster-0000-kubeconfig' },
    };
    await expect(g.gateway.fleet.caches[0]!.rawReader.load(secret)).rejects.toThrow(
      'Secret is not a Cluster API object',
    );
    expect(transport.requests).toEqual(before);
  });

  it('answers a raw that cannot be read with a typed error (NOT_FOUND) on its path', async () => {
    const gone = written.get(keyOf('MachineHealthCheck', 'cluster-0001-mhc'))!;
    const transport = g.transports.get('mc')!;
    // Gone from the API server without the cache hearing of it yet.
    transport.silentlyDelete(gone);
    try {
      const res = await g.query(
        `{ cluster(managementCluster: "mc", namespace: "${ns}", name: "cluster-0001") {
          ... on Cluster { name raw machineHealthChecks { name raw } } } }`,
      );
      expect(res.errors).toEqual([
        expect.objectContaining({
          message: expect.stringContaining('MachineHealthCheck fleet/cluster-0001-mhc'),
          path: ['cluster', 'machineHealthChecks', 0, 'raw'],
          extensions: expect.objectContaining({ code: 'NOT_FOUND' }),
        }),
      ]);
    } finally {
      transport.put(gone);
    }
  });
});
