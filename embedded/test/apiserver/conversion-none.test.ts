/**
 * `conversion: None` as kube-apiserver does it: a CRD of our own serving `v1` and `v2` (storage),
 * no webhook. Objects written at `v1` are stored at `v2` and read, patched, updated and watched at
 * both versions; only `apiVersion` changes. A write is pruned and validated against its request
 * version's schema only.
 */
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKubectl } from '../../../test/support/embedded-cluster.ts';
import { eventually, startTestApiServer, type TestApiServer } from './raw-client.ts';

const widgetSchema = (maxSize: number, extra: Record<string, unknown> = {}) => ({
  openAPIV3Schema: {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          size: { type: 'integer', minimum: 0, maximum: maxSize },
          colour: { type: 'string' },
          ...extra,
        },
      },
    },
  },
});

const widgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
    conversion: { strategy: 'None' },
    versions: [
      { name: 'v1', served: true, storage: false, schema: widgetSchema(100) },
      // v2 allows smaller widgets only and knows `shape`, which v1 does not.
      { name: 'v2', served: true, storage: true, schema: widgetSchema(10, { shape: { type: 'string' } }) },
    ],
  },
};

interface WatchEvent {
  type: string;
  object: { apiVersion: string; metadata: { name: string }; spec?: { size?: number } };
}

/** A raw watch; events arrive in `events` until `close()`. */
function watch(server: TestApiServer, path: string): { events: WatchEvent[]; close(): void } {
  const events: WatchEvent[] = [];
  let buffer = '';
  const req = request(new URL(path, server.url), {
    ca: server.caPem,
    headers: { Authorization: `Bearer ${server.token}`, Accept: 'application/json' },
  });
  req.on('response', (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) events.push(JSON.parse(line) as WatchEvent);
      }
    });
  });
  req.on('error', () => undefined);
  req.end();
  return { events, close: () => req.destroy() };
}

describe('conversion: None (widgets.example.com: v1 served, v2 served + storage)', () => {
  let server: TestApiServer;
  const kubectl = (args: string[], stdin?: string) => runKubectl(server.kubeconfigPath, args, stdin);

  beforeAll(async () => {
    server = await startTestApiServer();
    const applied = await kubectl(['apply', '-f', '-'], JSON.stringify(widgetCrd));
    expect(applied.code, applied.stderr).toBe(0);
    await eventually(
      async () => ((await kubectl(['get', 'widgets.v1.example.com'])).code === 0 ? true : undefined),
      10_000,
      'the Widget kind served',
    );
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  it('creates at v1, patches at v2, and reads at both versions', async () => {
    const created = await kubectl(
      ['create', '-f', '-'],
      JSON.stringify({
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w1', namespace: 'default' },
        spec: { size: 1, colour: 'red' },
      }),
    );
    expect(created.code, created.stderr).toBe(0);
    const watcher = watch(server, '/apis/example.com/v1/namespaces/default/widgets?watch=true');
    try {
      await eventually(() => (watcher.events.length > 0 ? true : undefined), 10_000, 'the initial ADDED');

      const patched = await kubectl([
        'patch',
        'widgets.v2.example.com',
        'w1',
        '--type',
        'merge',
        '-p',
        '{"spec":{"size":2}}',
      ]);
      expect(patched.stderr).toBe('');
      expect(patched.stdout).toContain('widget.example.com/w1 patched');

      const atV1 = JSON.parse((await kubectl(['get', 'widgets.v1.example.com', 'w1', '-o', 'json'])).stdout);
      const atV2 = JSON.parse((await kubectl(['get', 'widgets.v2.example.com', 'w1', '-o', 'json'])).stdout);
      expect(atV1).toMatchObject({ apiVersion: 'example.com/v1', spec: { size: 2, colour: 'red' } });
      expect(atV2).toMatchObject({ apiVersion: 'example.com/v2', spec: { size: 2, colour: 'red' } });
      expect(atV1.metadata.resourceVersion).toBe(atV2.metadata.resourceVersion);

      // The v1 watch sees the v2 patch, at v1.
      const modified = await eventually(
        () => watcher.events.find((e) => e.type === 'MODIFIED'),
        10_000,
        'the MODIFIED event at v1',
      );
      expect(modified.object).toMatchObject({ apiVersion: 'example.com/v1', spec: { size: 2 } });
      expect(watcher.events[0]).toMatchObject({ type: 'ADDED', object: { apiVersion: 'example.com/v1' } });
    } finally {
      watcher.close();
    }
  });

  it('stores at the storage version: lists at each version carry that version', async () => {
    const v1 = JSON.parse((await kubectl(['get', 'widgets.v1.example.com', '-o', 'json'])).stdout);
    const v2 = JSON.parse((await kubectl(['get', 'widgets.v2.example.com', '-o', 'json'])).stdout);
    expect(v1.items.map((i: { apiVersion: string }) => i.apiVersion)).toEqual(['example.com/v1']);
    expect(v2.items.map((i: { apiVersion: string }) => i.apiVersion)).toEqual(['example.com/v2']);
  });

  it('updates (PUT) at v1 an object last written at v2', async () => {
    const current = await server.client.send('GET', '/apis/example.com/v1/namespaces/default/widgets/w1');
    const body = current.json() as { spec: Record<string, unknown> };
    body.spec['size'] = 3;
    const put = await server.client.send('PUT', '/apis/example.com/v1/namespaces/default/widgets/w1', body);
    expect(put.status, put.text).toBe(200);
    expect(put.json()).toMatchObject({ apiVersion: 'example.com/v1', spec: { size: 3 } });
  });

  it('validates a write against its request version only, and prunes by it', async () => {
    // size 50 is too large at v2 (maximum 10) and fine at v1 (maximum 100).
    const atV2 = await server.client.send('POST', '/apis/example.com/v2/namespaces/default/widgets', {
      apiVersion: 'example.com/v2',
      kind: 'Widget',
      metadata: { name: 'w2' },
      spec: { size: 50, shape: 'round' },
    });
    expect(atV2.status).toBe(422);
    expect(atV2.json()['message']).toContain(
      'spec.size: Invalid value: 50: spec.size in body should be less than or equal to 10',
    );
    // `shape` is unknown at v1: pruned from a v1 write, which v2's maximum does not reject.
    const atV1 = await server.client.send('POST', '/apis/example.com/v1/namespaces/default/widgets', {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w3' },
      spec: { size: 50, shape: 'round' },
    });
    expect(atV1.status, atV1.text).toBe(201);
    expect((atV1.json() as { spec: Record<string, unknown> }).spec).toEqual({ size: 50 });
    const readAtV2 = await server.client.send('GET', '/apis/example.com/v2/namespaces/default/widgets/w3');
    expect(readAtV2.json()).toMatchObject({ apiVersion: 'example.com/v2', spec: { size: 50 } });
  });

  it('deletes at v1 what was written at v2', async () => {
    const deleted = await kubectl(['delete', 'widgets.v1.example.com', 'w1']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect((await kubectl(['get', 'widgets.v2.example.com', 'w1'])).code).not.toBe(0);
  });
});
