/** @kubernetes/client-node against the embedded API server: CRUD, conflicts, Watch, informers. */
import {
  CustomObjectsApi,
  KubeConfig,
  makeInformer,
  Watch,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestApiServer, type TestApiServer } from './raw-client.ts';

const group = 'cluster.x-k8s.io';
const version = 'v1beta2';
const plural = 'clusters';
const namespace = 'default';

type Cluster = KubernetesObject & { spec?: Record<string, unknown> };

function cluster(name: string, labels: Record<string, string> = {}): Cluster {
  return {
    apiVersion: `${group}/${version}`,
    kind: 'Cluster',
    metadata: { name, labels },
    spec: { paused: false },
  };
}

function statusCode(error: unknown): number | undefined {
  return (error as { code?: number }).code;
}

describe('client-node against the embedded API server', () => {
  let server: TestApiServer;
  let kc: KubeConfig;
  let api: CustomObjectsApi;

  beforeAll(async () => {
    // A short watch history so the 410 Expired path is easy to reach.
    server = await startTestApiServer({ historySize: 20, bookmarkIntervalMs: 50 });
    kc = new KubeConfig();
    kc.loadFromFile(server.kubeconfigPath);
    api = kc.makeApiClient(CustomObjectsApi);
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  it('creates, reads, lists, updates, patches and deletes custom objects', async () => {
    const created = (await api.createNamespacedCustomObject({
      group,
      version,
      namespace,
      plural,
      body: cluster('crud', { env: 'test' }),
    })) as Cluster;
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.metadata?.generation).toBe(1);
    const read = (await api.getNamespacedCustomObject({
      group,
      version,
      namespace,
      plural,
      name: 'crud',
    })) as Cluster;
    expect(read.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);
    const list = (await api.listNamespacedCustomObject({
      group,
      version,
      namespace,
      plural,
      labelSelector: 'env=test',
    })) as { items: Cluster[] };
    expect(list.items.map((i) => i.metadata?.name)).toEqual(['crud']);
    const updated = (await api.replaceNamespacedCustomObject({
      group,
      version,
      namespace,
      plural,
      name: 'crud',
      body: { ...read, spec: { paused: true } },
    })) as Cluster;
    expect(updated.metadata?.generation).toBe(2);
    const patched = (await api.patchNamespacedCustomObject({
      group,
      version,
      namespace,
      plural,
      name: 'crud',
      body: [{ op: 'add', path: '/metadata/labels/patched', value: 'yes' }],
    })) as Cluster;
    expect(patched.metadata?.labels?.['patched']).toBe('yes');
    // Metadata-only changes do not bump the generation.
    expect(patched.metadata?.generation).toBe(2);
    await api.deleteNamespacedCustomObject({ group, version, namespace, plural, name: 'crud' });
    await expect(
      api.getNamespacedCustomObject({ group, version, namespace, plural, name: 'crud' }),
    ).rejects.toSatisfy((e) => statusCode(e) === 404);
  });

  it('answers 409 Conflict to an update with a stale resourceVersion, and AlreadyExists to a duplicate create', async () => {
    const created = (await api.createNamespacedCustomObject({
      group,
      version,
      namespace,
      plural,
      body: cluster('stale'),
    })) as Cluster;
    await api.replaceNamespacedCustomObject({
      group,
      version,
      namespace,
      plural,
      name: 'stale',
      body: { ...created, spec: { paused: true } },
    });
    const staleUpdate = api.replaceNamespacedCustomObject({
      group,
      version,
      namespace,
      plural,
      name: 'stale',
      body: { ...created, spec: { paused: false } },
    });
    await expect(staleUpdate).rejects.toSatisfy((e) => statusCode(e) === 409);
    const again = api.createNamespacedCustomObject({
      group,
      version,
      namespace,
      plural,
      body: cluster('stale'),
    });
    await expect(again).rejects.toSatisfy((e) => statusCode(e) === 409);
  });

  it('streams ADDED, MODIFIED and DELETED through Watch', async () => {
    const events: string[] = [];
    const list = (await api.listNamespacedCustomObject({ group, version, namespace, plural })) as {
      metadata: { resourceVersion: string };
    };
    const controller = await new Watch(kc).watch(
      `/apis/${group}/${version}/namespaces/${namespace}/${plural}`,
      { resourceVersion: list.metadata.resourceVersion, allowWatchBookmarks: true },
      (type, obj: Cluster) => {
        if (obj.metadata?.name === 'watched') events.push(type);
      },
      () => {},
    );
    try {
      await api.createNamespacedCustomObject({ group, version, namespace, plural, body: cluster('watched') });
      await api.patchNamespacedCustomObject({
        group,
        version,
        namespace,
        plural,
        name: 'watched',
        body: [{ op: 'add', path: '/spec/paused', value: true }],
      });
      await api.deleteNamespacedCustomObject({ group, version, namespace, plural, name: 'watched' });
      await eventually(() => (events.length >= 3 ? true : undefined), 10_000, 'three watch events');
      expect(events).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    } finally {
      controller.abort();
    }
  });

  it('sends BOOKMARK events carrying a resourceVersion to resume from', async () => {
    const bookmarks: string[] = [];
    const controller = await new Watch(kc).watch(
      `/apis/${group}/${version}/namespaces/${namespace}/${plural}`,
      { allowWatchBookmarks: true },
      (type, obj: Cluster) => {
        if (type === 'BOOKMARK') bookmarks.push(obj.metadata?.resourceVersion ?? '');
      },
      () => {},
    );
    try {
      await eventually(() => (bookmarks.length > 0 ? true : undefined), 10_000, 'a bookmark');
      expect(Number(bookmarks[0])).toBeGreaterThan(0);
    } finally {
      controller.abort();
    }
  });

  it('sends objects entering and leaving a label selector as ADDED and DELETED', async () => {
    const events: string[] = [];
    await api.createNamespacedCustomObject({ group, version, namespace, plural, body: cluster('mover') });
    const list = (await api.listNamespacedCustomObject({ group, version, namespace, plural })) as {
      metadata: { resourceVersion: string };
    };
    const controller = await new Watch(kc).watch(
      `/apis/${group}/${version}/namespaces/${namespace}/${plural}`,
      { resourceVersion: list.metadata.resourceVersion, labelSelector: 'tier=gold' },
      (type, obj: Cluster) => events.push(`${type}:${obj.metadata?.name}`),
      () => {},
    );
    const label = (value: string | null) =>
      api.patchNamespacedCustomObject({
        group,
        version,
        namespace,
        plural,
        name: 'mover',
        body: [{ op: 'add', path: '/metadata/labels', value: value ? { tier: value } : {} }],
      });
    try {
      await label('gold');
      await label('silver');
      await eventually(() => (events.length >= 2 ? true : undefined), 10_000, 'selector transitions');
      expect(events).toEqual(['ADDED:mover', 'DELETED:mover']);
    } finally {
      controller.abort();
    }
  });

  it('feeds an informer, which relists after 410 Expired', async () => {
    const path = `/apis/${group}/${version}/namespaces/${namespace}/${plural}`;
    const informer = makeInformer<Cluster>(
      kc,
      path,
      () => api.listNamespacedCustomObject({ group, version, namespace, plural }) as never,
    );
    const seen: string[] = [];
    informer.on('add', (o) => seen.push(`add:${o.metadata?.name}`));
    informer.on('update', (o) => seen.push(`update:${o.metadata?.name}`));
    informer.on('delete', (o) => seen.push(`delete:${o.metadata?.name}`));
    informer.on('error', () => {});
    await informer.start();
    try {
      await api.createNamespacedCustomObject({ group, version, namespace, plural, body: cluster('inf-a') });
      await eventually(() => (seen.includes('add:inf-a') ? true : undefined), 10_000, 'informer add');
      await api.patchNamespacedCustomObject({
        group,
        version,
        namespace,
        plural,
        name: 'inf-a',
        body: [{ op: 'add', path: '/spec/paused', value: true }],
      });
      await eventually(() => (seen.includes('update:inf-a') ? true : undefined), 10_000, 'informer update');
      await api.deleteNamespacedCustomObject({ group, version, namespace, plural, name: 'inf-a' });
      await eventually(() => (seen.includes('delete:inf-a') ? true : undefined), 10_000, 'informer delete');

      // While the informer is away, more happens than the watch history holds: its
      // resourceVersion expires, the server answers 410, and the informer relists.
      await informer.stop();
      await api.createNamespacedCustomObject({ group, version, namespace, plural, body: cluster('inf-b') });
      for (let i = 0; i < 30; i++) {
        await api.patchNamespacedCustomObject({
          group,
          version,
          namespace,
          plural,
          name: 'inf-b',
          body: [{ op: 'add', path: '/metadata/labels', value: { n: String(i) } }],
        });
      }
      await informer.start();
      await eventually(
        () => (informer.get('inf-b', namespace)?.metadata?.labels?.['n'] === '29' ? true : undefined),
        10_000,
        'relist after 410',
      );
      expect(informer.list(namespace).map((o) => o.metadata?.name)).toContain('inf-b');
    } finally {
      await informer.stop();
    }
  });
});
