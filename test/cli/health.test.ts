import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { childTracker, graphqlLine, pollUntil as until, probe } from './cli-child.ts';

interface Readiness {
  ready: boolean;
  notReady: Array<{ name: string; reason: string }>;
}

describe('/healthz and /readyz of capi-gateway serve', () => {
  const children = childTracker();
  let dir: string;
  let silent: Server | undefined;
  const sockets = new Set<Socket>();

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'capi-gateway-health-'));
  });
  afterEach(async () => {
    await children.stopAll();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve()));
    silent = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('/readyz answers 200 only once the embedded cluster is synced; a query then has data, not "not reachable yet"', async () => {
    const gateway = children.start(['serve', '--no-demo', '--port', '0', '--data-dir', join(dir, 'data')]);
    const url = (await gateway.waitForStdout(graphqlLine))[1]!;
    expect((await probe(url, '/healthz')).status).toBe(200);
    const ready = await until(
      'ready',
      () => probe(url, '/readyz'),
      (r) => r.status === 200,
    );
    expect(ready.body).toMatchObject({ ready: true, notReady: [] });
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ clusters { totalCount } managementClusters { name synced } }' }),
    });
    expect(await res.json()).toEqual({
      data: { clusters: { totalCount: 0 }, managementClusters: [{ name: 'embedded', synced: true }] },
    });
  });

  it('a management cluster that has not answered yet keeps /readyz at 503 naming it; once marked unavailable, 200', async () => {
    // An API server that accepts connections and never answers: neither synced nor failed.
    silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    await writeFile(
      join(dir, 'silent.kubeconfig'),
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{ name: silent, cluster: { server: "https://127.0.0.1:' +
          port +
          '", insecure-skip-tls-verify: true } }]',
        'users: [{ name: u, user: { token: t } }]',
        'contexts: [{ name: silent, context: { cluster: silent, user: u } }]',
        'current-context: silent',
        '',
      ].join('\n'),
    );
    await writeFile(
      join(dir, 'gateway.yaml'),
      'managementClusters:\n  - name: local\n    embedded: true\n  - name: silent\n    kubeconfig: ./silent.kubeconfig\n',
    );
    const gateway = children.start([
      'serve',
      '--no-demo',
      '--port',
      '0',
      '--data-dir',
      join(dir, 'data'),
      '--config',
      join(dir, 'gateway.yaml'),
    ]);
    const url = (await gateway.waitForStdout(graphqlLine))[1]!;
    const waiting = await until(
      'local synced while silent is not',
      () => probe(url, '/readyz'),
      (r) => (r.body as Readiness).notReady.every((n) => n.name === 'silent'),
    );
    expect(waiting.status).toBe(503);
    expect((waiting.body as Readiness).notReady).toEqual([{ name: 'silent', reason: 'not reached yet' }]);
    // Liveness does not depend on the management clusters.
    expect((await probe(url, '/healthz')).status).toBe(200);

    // The server goes away: the next attempt fails, and the cluster is marked unavailable.
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent!.close(() => resolve()));
    silent = undefined;
    const ready = await until(
      'ready',
      () => probe(url, '/readyz'),
      (r) => r.status === 200,
    );
    expect(ready.body).toMatchObject({
      ready: true,
      managementClusters: [
        { name: 'local', synced: true },
        { name: 'silent', reachable: false, error: expect.any(String) },
      ],
    });
  });
});
