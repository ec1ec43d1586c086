import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheChangeEvent } from '../../../src/capi/change-event.ts';
import { ManagementClusterCache } from '../../../src/capi/management-cluster-cache.ts';
import { connectManagementCluster } from '../../../src/k8s/connect.ts';
import type { KubeObject } from '../../../src/k8s/kube-object.ts';
import type { ResourceTarget } from '../../../src/k8s/kube-transport.ts';
import type { KubeWriter } from '../../../src/k8s/kube-writer.ts';
import { eventually } from '../../gateway/support/gql.ts';
import { startTestEmbeddedCluster, type TestEmbeddedCluster } from '../../support/embedded-cluster.ts';

const clusters: ResourceTarget = {
  group: 'cluster.x-k8s.io',
  version: 'v1beta2',
  plural: 'clusters',
  namespaced: true,
};
const machines: ResourceTarget = {
  group: 'cluster.x-k8s.io',
  version: 'v1beta2',
  plural: 'machines',
  namespaced: true,
};

const meta = (name: string) => ({ name, namespace: 'default' }) as KubeObject['metadata'];

describe('change events from a cache watching the embedded API server', () => {
  let server: TestEmbeddedCluster;
  let cache: ManagementClusterCache;
  let writer: KubeWriter;
  const events: CacheChangeEvent[] = [];

  beforeAll(async () => {
    server = await startTestEmbeddedCluster();
    const connection = connectManagementCluster({ name: 'embedded', kubeconfigPath: server.kubeconfigPath });
    if (!connection.ok) throw new Error(connection.error.message);
    writer = connection.value.writer;
    cache = new ManagementClusterCache(connection.value);
    cache.subscribe((e) => events.push(e));
    cache.start();
    expect(await connection.value.whenSynced(20_000)).toBe(true);
  });
  afterAll(async () => {
    await cache?.stop();
    await server?.stop();
  });

  const next = (what: string, predicate: (e: CacheChangeEvent) => boolean) =>
    eventually(async () => events.find(predicate), 20_000, what);

  function ok<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  }

  it('creates, patches and deletes a Cluster and a Machine: each change arrives once, with its Cluster', async () => {
    const created = ok(
      await writer.create(clusters, {
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Cluster',
        metadata: meta('c1'),
        spec: { paused: false },
      }),
    );
    const addedCluster = await next('Cluster added', (e) => e.type === 'ADDED' && e.address.name === 'c1');
    expect(addedCluster).toMatchObject({
      managementCluster: 'embedded',
      resourceVersion: created.metadata.resourceVersion,
      old: null,
      new: { viewKind: 'Cluster', uid: created.metadata.uid },
      cluster: { managementCluster: 'embedded', kind: 'Cluster', namespace: 'default', name: 'c1' },
    });

    const machine = ok(
      await writer.create(machines, {
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Machine',
        metadata: meta('m1'),
        spec: {
          clusterName: 'c1',
          bootstrap: { dataSecretName: 'boot' },
          infrastructureRef: {
            apiGroup: 'infrastructure.cluster.x-k8s.io',
            kind: 'DockerMachine',
            name: 'm1',
          },
        },
      }),
    );
    const addedMachine = await next('Machine added', (e) => e.type === 'ADDED' && e.address.name === 'm1');
    expect(addedMachine.cluster?.name).toBe('c1');

    const patched = ok(
      await writer.mergePatch(
        machines,
        { namespace: 'default', name: 'm1' },
        { spec: { version: 'v1.31.0' } },
        { resourceVersion: machine.metadata.resourceVersion! },
      ),
    );
    const modified = await next('Machine modified', (e) => e.type === 'MODIFIED' && e.address.name === 'm1');
    expect(modified).toMatchObject({
      resourceVersion: patched.metadata.resourceVersion,
      old: { version: null },
      new: { version: 'v1.31.0' },
      cluster: { name: 'c1' },
    });

    ok(await writer.mergePatch(clusters, { namespace: 'default', name: 'c1' }, { spec: { paused: true } }));
    const pausedEvent = await next(
      'Cluster modified',
      (e) => e.type === 'MODIFIED' && e.address.name === 'c1',
    );
    expect(pausedEvent).toMatchObject({
      old: { paused: false },
      new: { paused: true },
      cluster: { name: 'c1' },
    });

    ok(await writer.delete(machines, { namespace: 'default', name: 'm1' }));
    const deletedMachine = await next(
      'Machine deleted',
      (e) => e.type === 'DELETED' && e.address.name === 'm1',
    );
    expect(deletedMachine).toMatchObject({
      new: null,
      old: { viewKind: 'Machine' },
      cluster: { name: 'c1' },
    });
    ok(await writer.delete(clusters, { namespace: 'default', name: 'c1' }));
    const deletedCluster = await next(
      'Cluster deleted',
      (e) => e.type === 'DELETED' && e.address.name === 'c1',
    );
    expect(deletedCluster.cluster?.name).toBe('c1');

    const perObject = events.map((e) => `${e.type} ${e.address.kind}/${e.address.name}`);
    expect(perObject).toEqual([
      'ADDED Cluster/c1',
      'ADDED Machine/m1',
      'MODIFIED Machine/m1',
      'MODIFIED Cluster/c1',
      'DELETED Machine/m1',
      'DELETED Cluster/c1',
    ]);
  });
});
