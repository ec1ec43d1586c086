import { afterEach, describe, expect, it } from 'vitest';
import type { CacheChangeEvent } from '../../../src/capi/change-event.ts';
import { ManagementClusterCache } from '../../../src/capi/management-cluster-cache.ts';
import type { KubeObject } from '../../../src/k8s/kube-object.ts';
import { ManagementClusterConnection } from '../../../src/k8s/management-cluster-connection.ts';
import { capiFakeKinds, FakeTransport } from '../../gateway/support/fake-transport.ts';
import { eventually } from '../../gateway/support/gql.ts';

const ns = 'fleet';

function object(
  kind: string,
  name: string,
  extra: Record<string, unknown> = {},
  labels: Record<string, string> = {},
) {
  const group = kind === 'DockerMachine' ? 'infrastructure.cluster.x-k8s.io' : 'cluster.x-k8s.io';
  return {
    apiVersion: `${group}/v1beta2`,
    kind,
    metadata: { name, namespace: ns, uid: `uid-${kind}-${name}`, labels },
    ...extra,
  } as KubeObject;
}

const c1 = () => object('Cluster', 'c1', { spec: { paused: false } });
const machine = (name: string, cluster: string, extra: Record<string, unknown> = {}) =>
  object('Machine', name, {
    spec: {
      clusterName: cluster,
      infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'DockerMachine', name },
      ...extra,
    },
  });
const dockerKind = {
  group: 'infrastructure.cluster.x-k8s.io',
  kind: 'DockerMachine',
  plural: 'dockermachines',
  version: 'v1beta2',
  contract: 'v1beta2',
};

const brief = (e: CacheChangeEvent) =>
  `${e.type} ${e.address.kind}/${e.address.name} cluster=${e.cluster ? `${e.cluster.namespace}/${e.cluster.name}` : '-'}`;

describe('typed change events from a management cluster cache', () => {
  let stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(stops.map((s) => s()));
    stops = [];
  });

  async function start(transport: FakeTransport) {
    const connection = new ManagementClusterConnection('mc', 'https://fake', transport, {
      initialBackoffMs: 10,
      maxBackoffMs: 50,
    });
    const cache = new ManagementClusterCache(connection);
    const events: CacheChangeEvent[] = [];
    const unsubscribe = cache.subscribe((e) => events.push(e));
    cache.start();
    stops.push(() => cache.stop());
    expect(await connection.whenSynced(10_000)).toBe(true);
    return { cache, events, unsubscribe };
  }

  const until = (events: CacheChangeEvent[], what: string, predicate: (e: CacheChangeEvent) => boolean) =>
    eventually(async () => events.find(predicate), 10_000, what);

  it('ADDED, MODIFIED and DELETED with old and new views, resourceVersion, management cluster and Cluster', async () => {
    const transport = new FakeTransport([...capiFakeKinds, dockerKind]);
    transport.put(c1());
    const { events } = await start(transport);
    await until(events, 'the Cluster listed', (e) => e.address.kind === 'Cluster');
    expect(events.map(brief)).toEqual(['ADDED Cluster/c1 cluster=fleet/c1']);
    expect(events[0]).toMatchObject({ managementCluster: 'mc', old: null, new: { viewKind: 'Cluster' } });

    const stored = transport.put(machine('m1', 'c1'));
    const added = await until(events, 'm1 added', (e) => e.address.name === 'm1');
    expect(added).toMatchObject({
      type: 'ADDED',
      resourceVersion: stored.metadata.resourceVersion,
      cluster: { managementCluster: 'mc', kind: 'Cluster', namespace: ns, name: 'c1' },
    });

    // An infrastructure machine names no cluster: the walk finds it through the Machine referencing it.
    transport.put(object('DockerMachine', 'm1'));
    const infra = await until(events, 'DockerMachine added', (e) => e.address.kind === 'DockerMachine');
    expect(infra.cluster?.name).toBe('c1');

    const modified = transport.put(machine('m1', 'c1', { version: 'v1.31.0' }));
    const change = await until(
      events,
      'm1 modified',
      (e) => e.type === 'MODIFIED' && e.address.name === 'm1',
    );
    expect(change.resourceVersion).toBe(modified.metadata.resourceVersion);
    expect(change.old).toMatchObject({ viewKind: 'Machine', version: null });
    expect(change.new).toMatchObject({ viewKind: 'Machine', version: 'v1.31.0' });

    transport.delete(machine('m1', 'c1'));
    const deleted = await until(events, 'm1 deleted', (e) => e.type === 'DELETED' && e.address.name === 'm1');
    expect(deleted).toMatchObject({ new: null, old: { viewKind: 'Machine' }, cluster: { name: 'c1' } });
  });

  it('a relist after 410 announces only what changed meanwhile', async () => {
    const transport = new FakeTransport(capiFakeKinds);
    transport.put(c1());
    transport.put(machine('keep', 'c1'));
    transport.put(machine('gone', 'c1'));
    const { events } = await start(transport);
    await until(events, 'both machines', (e) => e.address.name === 'gone');
    await until(events, 'both machines', (e) => e.address.name === 'keep');
    events.length = 0;
    const listsBefore = transport.requests.list;
    transport.silentlyDelete(machine('gone', 'c1'));
    transport.expireWatches();
    const deleted = await until(events, 'the relist to drop gone', (e) => e.type === 'DELETED');
    expect(deleted.address.name).toBe('gone');
    await eventually(
      async () => (transport.activeWatches >= capiFakeKinds.length ? true : undefined),
      10_000,
      'rewatch',
    );
    expect(transport.requests.list).toBeGreaterThan(listsBefore);
    // Nothing else changed: no ADDED for objects the cache already knew.
    expect(events.map(brief)).toEqual(['DELETED Machine/gone cluster=fleet/c1']);
  });

  it('unsubscribing stops the events and leaves no listener behind', async () => {
    const transport = new FakeTransport(capiFakeKinds);
    const { cache, events, unsubscribe } = await start(transport);
    const other: CacheChangeEvent[] = [];
    const unsubscribeOther = cache.subscribe((e) => other.push(e));
    expect(cache.listenerCount).toBe(2);
    unsubscribe();
    unsubscribe();
    expect(cache.listenerCount).toBe(1);
    transport.put(c1());
    await until(other, 'the other listener still hears', (e) => e.address.name === 'c1');
    expect(events).toEqual([]);
    unsubscribeOther();
    expect(cache.listenerCount).toBe(0);
  });

  it('a throwing listener does not keep the others from hearing', async () => {
    const transport = new FakeTransport(capiFakeKinds);
    const { cache, events } = await start(transport);
    cache.subscribe(() => {
      throw new Error('listener bug');
    });
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      transport.put(c1());
      await until(events, 'c1', (e) => e.address.name === 'c1');
    } finally {
      console.error = original;
    }
    expect(
      cache.get({
        managementCluster: 'mc',
        group: 'cluster.x-k8s.io',
        kind: 'Cluster',
        namespace: ns,
        name: 'c1',
      }),
    ).not.toBeNull();
  });
});
