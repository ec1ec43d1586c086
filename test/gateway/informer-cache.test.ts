import { afterEach, describe, expect, it } from 'vitest';
import { ManagementClusterCache } from '../../src/capi/management-cluster-cache.ts';
import { CacheFleetReader } from '../../src/capi/cache-reader.ts';
import { coreKinds } from '../../src/capi/kinds.ts';
import { ManagementClusterConnection } from '../../src/k8s/management-cluster-connection.ts';
import { capiFakeKinds, FakeTransport } from './support/fake-transport.ts';
import { eventually } from './support/gql.ts';

function cluster(name: string, labels: Record<string, string> = {}) {
  return {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'Cluster',
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, labels },
    spec: { infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'DockerCluster', name } },
  };
}

/** A provider kind the fake API server starts without (or with, where a test says so). */
const acmeKind = {
  group: 'infrastructure.acme.example',
  kind: 'AcmeCluster',
  plural: 'acmeclusters',
  version: 'v1alpha1',
};

/** A Cluster whose infrastructure is an AcmeCluster. */
function acmeCluster(name: string) {
  return {
    ...cluster(name),
    spec: { infrastructureRef: { apiGroup: acmeKind.group, kind: acmeKind.kind, name } },
  };
}

describe('informer caches', () => {
  let stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(stops.map((s) => s()));
    stops = [];
  });

  function start(transport: FakeTransport) {
    const connection = new ManagementClusterConnection('mc', 'https://fake', transport, {
      initialBackoffMs: 10,
      maxBackoffMs: 50,
      pageSize: 2,
    });
    const cache = new ManagementClusterCache(connection);
    cache.start();
    stops.push(() => cache.stop());
    return { connection, cache, reader: new CacheFleetReader([cache]) };
  }

  const names = (reader: CacheFleetReader): string[] =>
    reader
      .clusters()
      .items.map((c) => c.address.name)
      .sort();

  it('lists in pages, then follows watch events', async () => {
    const transport = new FakeTransport(capiFakeKinds);
    for (const n of ['a', 'b', 'c']) transport.put(cluster(n));
    const { connection, reader } = start(transport);
    expect(await connection.whenSynced(10_000)).toBe(true);
    expect(names(reader)).toEqual(['a', 'b', 'c']);
    transport.put(cluster('d'));
    transport.delete(cluster('a'));
    expect(names(reader)).toEqual(['b', 'c', 'd']);
  });

  it('relists after 410 Gone and drops what was deleted meanwhile', async () => {
    const transport = new FakeTransport(capiFakeKinds);
    transport.put(cluster('a'));
    transport.put(cluster('b'));
    const { connection, reader } = start(transport);
    expect(await connection.whenSynced(10_000)).toBe(true);
    const listsBefore = transport.requests.list;
    // A change the caches never see as an event: only a relist can bring it in.
    transport.silentlyDelete(cluster('a'));
    transport.expireWatches();
    await eventually(
      async () => (names(reader).join() === 'b' ? true : undefined),
      10_000,
      'the relist to drop a',
    );
    expect(transport.requests.list).toBeGreaterThan(listsBefore);
  });

  it('reports an unreachable management cluster, keeps retrying with backoff, and resyncs', async () => {
    const transport = new FakeTransport(capiFakeKinds);
    transport.put(cluster('a'));
    const { connection, reader } = start(transport);
    expect(await connection.whenSynced(10_000)).toBe(true);
    transport.down = true;
    transport.breakWatches();
    await eventually(
      async () => (reader.managementCluster('mc')?.reachable === false ? true : undefined),
      10_000,
      'unreachable',
    );
    expect(reader.managementCluster('mc')?.error).toMatch(/cannot reach the API server \(ECONNREFUSED\)/);
    expect(reader.clusters()).toEqual({
      items: [],
      unavailable: [{ managementCluster: 'mc', message: expect.any(String) }],
    });
    const attempts = transport.requests.watch + transport.requests.list;
    await eventually(
      async () => (transport.requests.watch + transport.requests.list > attempts + 2 ? true : undefined),
      10_000,
      'retries',
    );
    transport.down = false;
    transport.put(cluster('b'));
    await eventually(
      async () => (reader.managementCluster('mc')?.synced ? true : undefined),
      10_000,
      'resync',
    );
    expect(names(reader)).toEqual(['a', 'b']);
  });

  it('watches a referenced kind once its CRD is installed, and forgets it when uninstalled', async () => {
    const transport = new FakeTransport(capiFakeKinds);
    transport.put(acmeCluster('x'));
    const { cache, connection, reader } = start(transport);
    expect(await connection.whenSynced(10_000)).toBe(true);
    expect(reader.resolveRef('mc', reader.clusters().items[0]!.infrastructureRef!)).toBeNull();
    transport.installCrd(acmeKind);
    transport.put({
      apiVersion: 'infrastructure.acme.example/v1alpha1',
      kind: 'AcmeCluster',
      metadata: { name: 'x', namespace: 'ns', uid: 'ax' },
      status: { ready: true },
    });
    await eventually(
      async () =>
        cache.store({ group: 'infrastructure.acme.example', kind: 'AcmeCluster' })?.size === 1
          ? true
          : undefined,
      10_000,
      'the AcmeCluster cache',
    );
    const view = reader.resolveRef('mc', reader.clusters().items[0]!.infrastructureRef!);
    expect(view).toMatchObject({
      viewKind: 'ProviderObject',
      role: 'InfrastructureCluster',
      contract: null,
      provisioned: true,
    });
    expect(cache.connection.kindCache(coreKinds.ClusterctlProvider)?.status.state).toBe('waiting-for-crd');
    expect(reader.providers('mc')).toEqual({ ok: false, reason: expect.stringMatching(/not installed/) });

    // Uninstalling the provider drops its objects and does not make the management cluster unreachable.
    transport.uninstallCrd(acmeKind);
    await eventually(
      async () =>
        reader.resolveRef('mc', reader.clusters().items[0]!.infrastructureRef!) === null ? true : undefined,
      10_000,
      'the AcmeCluster to disappear with its CRD',
    );
    expect(reader.managementCluster('mc')).toMatchObject({ reachable: true, synced: true, error: null });
  });

  it('a kind found through a ref and still making its first list leaves the management cluster reachable', async () => {
    const transport = new FakeTransport([...capiFakeKinds, acmeKind]);
    transport.put(cluster('a'));
    const { cache, connection, reader } = start(transport);
    expect(await connection.whenSynced(10_000)).toBe(true);
    // A slow API server: the new kind's list does not answer yet.
    transport.holdLists('acmeclusters');
    // Released at the end even when an expectation fails (a held list would keep stop() waiting).
    stops.push(async () => transport.releaseLists('acmeclusters'));
    transport.put(acmeCluster('x'));
    await eventually(
      async () =>
        transport.requests.list > 0 && reader.managementCluster('mc')?.synced === false ? true : undefined,
      10_000,
      'the AcmeCluster list to start',
    );
    expect(reader.managementCluster('mc')).toMatchObject({
      reachable: true,
      synced: false,
      error: 'not synced yet',
    });
    expect(reader.availability('mc')).toBeNull();
    expect(names(reader)).toEqual(['a', 'x']);
    transport.releaseLists('acmeclusters');
    expect(await connection.whenSynced(10_000)).toBe(true);
    expect(cache.store({ group: 'infrastructure.acme.example', kind: 'AcmeCluster' })?.size).toBe(0);
  });

  it('finds owned objects by ownerReference or owner label, but not those of an earlier namesake', async () => {
    const transport = new FakeTransport(capiFakeKinds);
    const machineSet = {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'MachineSet',
      metadata: { name: 'ms', namespace: 'ns', uid: 'ms-2' },
      spec: { clusterName: 'c' },
    };
    transport.put(machineSet);
    const machine = (name: string, owners: Array<{ uid: string }>, labels: Record<string, string> = {}) => ({
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Machine',
      metadata: {
        name,
        namespace: 'ns',
        uid: `m-${name}`,
        labels,
        ownerReferences: owners.map((o) => ({
          apiVersion: 'cluster.x-k8s.io/v1beta2',
          kind: 'MachineSet',
          name: 'ms',
          uid: o.uid,
          controller: true,
        })),
      },
      spec: { clusterName: 'c' },
    });
    transport.put(machine('by-owner', [{ uid: 'ms-2' }]));
    transport.put(machine('by-label', [], { 'cluster.x-k8s.io/set-name': 'ms' }));
    transport.put(machine('old', [{ uid: 'ms-1' }], { 'cluster.x-k8s.io/set-name': 'ms' }));
    const { connection, reader } = start(transport);
    expect(await connection.whenSynced(10_000)).toBe(true);
    const ms = reader.get({
      managementCluster: 'mc',
      group: 'cluster.x-k8s.io',
      kind: 'MachineSet',
      namespace: 'ns',
      name: 'ms',
    })!;
    expect(reader.owned(ms, 'Machine').map((m) => m.address.name)).toEqual(['by-label', 'by-owner']);
  });
});
