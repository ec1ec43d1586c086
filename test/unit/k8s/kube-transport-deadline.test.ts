import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDomainError } from '../../../src/k8s/api-errors.ts';
import { clientNodeTransport, type ResourceTarget } from '../../../src/k8s/kube-transport.ts';

const clusters: ResourceTarget = {
  group: 'cluster.x-k8s.io',
  version: 'v1beta2',
  plural: 'clusters',
  namespaced: true,
};

/** An API server that accepts connections and never answers (a stuck or overloaded one). */
describe('list and get against an API server that never answers', () => {
  let server: Server;
  const sockets = new Set<Socket>();
  let config: KubeConfig;

  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      // Read (and drop) what arrives, so the client's close is seen.
      socket.resume();
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    config = new KubeConfig();
    config.loadFromOptions({
      clusters: [{ name: 'stuck', server: `https://127.0.0.1:${port}`, skipTLSVerify: true }],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'stuck', cluster: 'stuck', user: 'u' }],
      currentContext: 'stuck',
    });
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fail after the deadline as UNAVAILABLE (so the list+watch loop retries), and free the connection', async () => {
    const transport = clientNodeTransport(config, { requestTimeoutMs: 300 });
    for (const call of [
      () => transport.list(clusters, { limit: 500 }),
      () => transport.list(clusters, { namespace: 'ns' }),
      () => transport.get(clusters, 'ns', 'c1'),
    ]) {
      const failure: unknown = await call().then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(toDomainError(failure, 'clusters')).toEqual({
        code: 'UNAVAILABLE',
        message: expect.stringMatching(/ETIMEDOUT/),
      });
    }
    // Aborted requests close their sockets: nothing is left waiting on the stuck server.
    const deadline = Date.now() + 5_000;
    while (sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(sockets.size).toBe(0);
  });
});
