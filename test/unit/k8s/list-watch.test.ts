/**
 * src/k8s's list-watch against the real embedded API server: paging, watch renewal, BOOKMARKs
 * and 410s as the server produces them. Only a 410 answered to the watch request itself (which
 * the embedded server never sends) is injected, over the real transport.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../../../embedded/apiserver/server.ts';
import { exponentialBackoff } from '../../../src/k8s/backoff.ts';
import type { KubeObject } from '../../../src/k8s/kube-object.ts';
import {
  clientNodeTransport,
  type KubeTransport,
  type ListOptions,
  type ResourceTarget,
  type WatchEvent,
  type WatchHandle,
} from '../../../src/k8s/kube-transport.ts';
import { clientNodeWriter, type KubeWriter } from '../../../src/k8s/kube-writer.ts';
import { loadKubeConfig } from '../../../src/k8s/kubeconfig.ts';
import { ResilientListWatch, type ListWatchSink } from '../../../src/k8s/list-watch.ts';
import { eventually } from '../../gateway/support/gql.ts';

const clusters: ResourceTarget = {
  group: 'cluster.x-k8s.io',
  version: 'v1beta2',
  plural: 'clusters',
  namespaced: true,
};
const machineSets: ResourceTarget = {
  group: 'cluster.x-k8s.io',
  version: 'v1beta2',
  plural: 'machinesets',
  namespaced: true,
};

const cluster = (name: string): KubeObject =>
  ({
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'Cluster',
    metadata: { name, namespace: 'default' },
    spec: { paused: false },
  }) as unknown as KubeObject;

const machineSet = (name: string): KubeObject =>
  ({
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'MachineSet',
    metadata: { name, namespace: 'default' },
    spec: {
      clusterName: 'c',
      selector: { matchLabels: { set: name } },
      template: {
        metadata: { labels: { set: name } },
        spec: {
          clusterName: 'c',
          bootstrap: { dataSecretName: 'boot' },
          infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'DockerMachine', name },
        },
      },
    },
  }) as unknown as KubeObject;

/** What the sink holds: the last full snapshot plus the changes since. */
class RecordingSink implements ListWatchSink {
  readonly objects = new Map<string, KubeObject>();
  resets = 0;
  reset(items: KubeObject[]): void {
    this.resets++;
    this.objects.clear();
    for (const item of items) this.objects.set(item.metadata.name, item);
  }
  upsert(object: KubeObject): void {
    this.objects.set(object.metadata.name, object);
  }
  remove(object: KubeObject): void {
    this.objects.delete(object.metadata.name);
  }
  names(): string[] {
    return [...this.objects.keys()].sort();
  }
}

/** The real transport, with a record of what the loop asked and heard. */
class RecordingTransport implements KubeTransport {
  readonly lists: ListOptions[] = [];
  readonly watchedFrom: string[] = [];
  readonly events: WatchEvent[] = [];
  /** Holds the next watch request until released (changes meanwhile age its resourceVersion). */
  gate: Promise<void> | undefined;
  /** Rejects the next watch request with this error, as client-node does for a non-200 answer. */
  failNextWatch: unknown;

  private current: WatchHandle | undefined;

  constructor(private readonly inner: KubeTransport) {}

  /** Drops the open watch connection from the client side. */
  abortCurrent(): void {
    this.current?.abort();
  }

  list(target: ResourceTarget, options: ListOptions) {
    this.lists.push(options);
    return this.inner.list(target, options);
  }

  get(target: ResourceTarget, namespace: string | undefined, name: string) {
    return this.inner.get(target, namespace, name);
  }

  async watch(
    target: ResourceTarget,
    resourceVersion: string,
    onEvent: (event: WatchEvent) => void,
    onDone: (err: unknown) => void,
  ) {
    this.watchedFrom.push(resourceVersion);
    if (this.gate) await this.gate;
    if (this.failNextWatch) {
      const error = this.failNextWatch;
      this.failNextWatch = undefined;
      throw error;
    }
    this.current = await this.inner.watch(
      target,
      resourceVersion,
      (event) => {
        this.events.push(event);
        onEvent(event);
      },
      onDone,
    );
    return this.current;
  }
}

describe('list-watch against the embedded API server', () => {
  let cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups = [];
  });

  async function server(options: {
    historySize?: number;
    bookmarkIntervalMs?: number;
    watchTimeoutSeconds?: number;
  }) {
    const dataDir = await mkdtemp(join(tmpdir(), 'capi-gateway-list-watch-'));
    const api: ApiServer = await startApiServer({
      host: '127.0.0.1',
      port: 0,
      dataDir,
      ephemeral: true,
      capiApi: 'v1beta2',
      historySize: options.historySize ?? 20_000,
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
    });
    cleanups.push(async () => {
      await api.stop();
      await rm(dataDir, { recursive: true, force: true });
    });
    const loaded = loadKubeConfig(api.kubeconfigPath);
    if (!loaded.ok) throw new Error(loaded.error.message);
    const seconds = options.watchTimeoutSeconds;
    const transport = new RecordingTransport(
      clientNodeTransport(loaded.value.config, seconds ? { watchTimeoutSeconds: () => seconds } : {}),
    );
    const writer: KubeWriter = clientNodeWriter(loaded.value.config);
    return { transport, writer };
  }

  function run(transport: KubeTransport, sink: ListWatchSink) {
    const loop = new ResilientListWatch(transport, clusters, sink, { backoff: exponentialBackoff(20, 200) });
    loop.start();
    cleanups.push(() => loop.stop());
    return loop;
  }

  async function write<T>(
    result: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>,
  ) {
    const done = await result;
    if (!done.ok) throw new Error(done.error.message);
    return done.value;
  }

  const until = (what: string, probe: () => boolean) =>
    eventually(async () => (probe() ? true : undefined), 20_000, what);

  it('lists past 500 objects with continue tokens, then follows the watch', async () => {
    const { transport, writer } = await server({});
    const names = Array.from({ length: 520 }, (_, i) => `c-${String(i).padStart(3, '0')}`);
    for (let i = 0; i < names.length; i += 26)
      await Promise.all(names.slice(i, i + 26).map((n) => write(writer.create(clusters, cluster(n)))));
    const sink = new RecordingSink();
    const loop = run(transport, sink);
    await until('listed', () => loop.status.listed);
    expect(sink.names()).toEqual(names);
    expect(transport.lists).toHaveLength(2);
    expect(transport.lists[0]).toMatchObject({ limit: 500, continueToken: undefined });
    expect(transport.lists[1]!.continueToken).toBeTruthy();
    await write(writer.create(clusters, cluster('late')));
    await until('the watch delivers the new object', () => sink.objects.has('late'));
  });

  it('renews a watch the server closes at its timeout from the last resourceVersion, without a relist', async () => {
    const { transport, writer } = await server({ watchTimeoutSeconds: 1 });
    const sink = new RecordingSink();
    const loop = run(transport, sink);
    await until('listed', () => loop.status.listed);
    await write(writer.create(clusters, cluster('a')));
    await until('a', () => sink.objects.has('a'));
    await until('two renewals', () => transport.watchedFrom.length >= 3);
    await write(writer.create(clusters, cluster('b')));
    await until('b after the renewals', () => sink.objects.has('b'));
    expect(transport.lists).toHaveLength(1);
    expect(sink.resets).toBe(1);
    // Each renewal starts where the last one ended: never from scratch ('' would list again).
    const versions = transport.watchedFrom.map(Number);
    expect(versions.every((v) => v > 0)).toBe(true);
    expect([...versions].sort((x, y) => x - y)).toEqual(versions);
    expect(loop.status).toMatchObject({ healthy: true, error: undefined });
  });

  it('BOOKMARKs carry the resourceVersion forward: a quiet kind rewatches without a 410 after other kinds changed', async () => {
    const { transport, writer } = await server({ historySize: 5, bookmarkIntervalMs: 100 });
    const sink = new RecordingSink();
    const loop = run(transport, sink);
    await until('listed', () => loop.status.listed);
    // Twenty changes to another kind: far more than the history holds.
    let last = '';
    for (let i = 0; i < 20; i++)
      last = (await write(writer.create(machineSets, machineSet(`ms-${i}`)))).metadata.resourceVersion!;
    const bookmarkedAtLeast = (rv: string) =>
      transport.events.some(
        (e) =>
          e.type === 'BOOKMARK' &&
          Number((e.object as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion) >=
            Number(rv),
      );
    await until('a bookmark past the changes', () => bookmarkedAtLeast(last));
    // The connection drops: the loop watches again from where the bookmark left it.
    const watches = transport.watchedFrom.length;
    transport.abortCurrent();
    await until('a new watch', () => transport.watchedFrom.length > watches);
    expect(Number(transport.watchedFrom.at(-1))).toBeGreaterThanOrEqual(Number(last));
    await write(writer.create(clusters, cluster('after')));
    await until('the watch still delivers', () => sink.objects.has('after'));
    expect(transport.events.some((e) => e.type === 'ERROR')).toBe(false);
    expect(transport.lists).toHaveLength(1);
  });

  it('a watch from an expired resourceVersion gets a 410 ERROR event and relists to the current state', async () => {
    const { transport, writer } = await server({ historySize: 5 });
    for (const n of ['keep', 'gone']) await write(writer.create(clusters, cluster(n)));
    let release = () => {};
    transport.gate = new Promise<void>((resolve) => (release = resolve));
    const sink = new RecordingSink();
    const loop = run(transport, sink);
    await until('listed', () => loop.status.listed);
    expect(sink.names()).toEqual(['gone', 'keep']);
    // While the first watch is held back, its resourceVersion ages out of the history.
    await write(writer.delete(clusters, { namespace: 'default', name: 'gone' }));
    for (let i = 0; i < 10; i++) await write(writer.create(machineSets, machineSet(`ms-${i}`)));
    await write(writer.create(clusters, cluster('new')));
    transport.gate = undefined;
    release();
    await until('relisted', () => transport.lists.length >= 2);
    await until('the current state', () => sink.names().join() === 'keep,new');
    const error = transport.events.find((e) => e.type === 'ERROR');
    expect(error?.object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    expect(sink.resets).toBe(2);
    expect(loop.status).toMatchObject({ listed: true, healthy: true, error: undefined });
  });

  it('a watch request the server does not answer fails after its deadline, is retried, and stop() does not wait for it', async () => {
    const { transport, writer } = await server({});
    await write(writer.create(clusters, cluster('a')));
    let release = () => {};
    transport.gate = new Promise<void>((resolve) => (release = resolve));
    const sink = new RecordingSink();
    const loop = new ResilientListWatch(transport, clusters, sink, {
      backoff: exponentialBackoff(20, 50),
      watchStartTimeoutMs: 100,
    });
    loop.start();
    cleanups.push(() => loop.stop());
    await until('listed', () => loop.status.listed);
    await until('the unanswered watch reported', () => loop.status.healthy === false);
    expect(loop.status.error).toMatchObject({ code: 'UNAVAILABLE' });
    expect(loop.status.error?.message).toContain('cannot reach the API server (ETIMEDOUT)');
    await until('retried', () => transport.watchedFrom.length >= 3);
    // The server answers again: the held requests go through; only the newest watch is followed.
    transport.gate = undefined;
    release();
    await until('healthy again', () => loop.status.healthy);
    await write(writer.create(clusters, cluster('b')));
    await until('following the watch', () => sink.objects.has('b'));
    expect(sink.names()).toEqual(['a', 'b']);

    // Stopping while a watch request hangs returns at once instead of waiting for an answer.
    transport.gate = new Promise<void>(() => {});
    const held = new ResilientListWatch(transport, clusters, new RecordingSink());
    const watches = transport.watchedFrom.length;
    held.start();
    await until('watching (held)', () => transport.watchedFrom.length > watches);
    let stopped = false;
    void held.stop().then(() => (stopped = true));
    await until('stopped', () => stopped);
  });

  it('a 410 answered to the watch request itself (thrown) relists at once, without reporting an error', async () => {
    const { transport, writer } = await server({});
    await write(writer.create(clusters, cluster('a')));
    transport.failNextWatch = Object.assign(new Error('Gone'), { statusCode: 410 });
    const statuses: Array<{ healthy: boolean; error?: unknown }> = [];
    const sink = new RecordingSink();
    const loop = new ResilientListWatch(transport, clusters, sink, {
      backoff: exponentialBackoff(20, 200),
      onStatus: (s) => statuses.push({ healthy: s.healthy, error: s.error }),
    });
    loop.start();
    cleanups.push(() => loop.stop());
    await until('relisted', () => transport.lists.length >= 2);
    await write(writer.create(clusters, cluster('b')));
    await until('watching again', () => sink.objects.has('b'));
    expect(statuses.every((s) => s.error === undefined)).toBe(true);
    expect(sink.names()).toEqual(['a', 'b']);
  });
});
