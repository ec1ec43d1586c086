import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { App } from '../../src/app.ts';
import { startFakeApp } from './support/fake-app.ts';
import { syntheticFleet } from './support/synthetic-fleet.ts';

/** A raw graphql-transport-ws socket: what it was sent and how it was closed. */
function rawSocket(url: string): {
  ws: WebSocket;
  closed: Promise<{ code: number; reason: string }>;
  opened: Promise<void>;
  acked: Promise<void>;
} {
  const ws = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const opened = new Promise<void>((resolve) => ws.once('open', () => resolve()));
  const acked = new Promise<void>((resolve) =>
    ws.on('message', (data: Buffer) => {
      if ((JSON.parse(data.toString()) as { type: string }).type === 'connection_ack') resolve();
    }),
  );
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return { ws, closed, opened, acked };
}

const send = (ws: WebSocket, message: unknown): void => ws.send(JSON.stringify(message));

describe('graphql-ws protocol edge cases close with the protocol codes', () => {
  let app: App;
  let clusterId: string;

  beforeAll(async () => {
    ({ app } = await startFakeApp(
      syntheticFleet({ clusters: 1, controlPlaneMachines: 1, workerMachines: 1 }),
      {
        connectionInitWaitTimeoutMs: 100,
      },
    ));
    const ids = [...app.gateway.fleet.reader.clusters().items];
    expect(ids).toHaveLength(1);
    const res = (await (
      await fetch(app.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ clusters { edges { node { id } } } }' }),
      })
    ).json()) as { data: { clusters: { edges: Array<{ node: { id: string } }> } } };
    clusterId = res.data.clusters.edges[0]!.node.id;
  });

  afterAll(async () => {
    await app?.stop();
  });

  const subscribeMessage = (id: string) => ({
    id,
    type: 'subscribe',
    payload: {
      query: 'subscription($id: ID!) { clusterUpdated(id: $id) { phase } }',
      variables: { id: clusterId },
    },
  });

  it('no connection_init in time → 4408', async () => {
    const s = rawSocket(app.url);
    expect((await s.closed).code).toBe(4408);
  });

  it('a second connection_init → 4429', async () => {
    const s = rawSocket(app.url);
    await s.opened;
    send(s.ws, { type: 'connection_init' });
    await s.acked;
    send(s.ws, { type: 'connection_init' });
    expect((await s.closed).code).toBe(4429);
  });

  it('subscribe before the ack → 4401', async () => {
    const s = rawSocket(app.url);
    await s.opened;
    send(s.ws, subscribeMessage('1'));
    expect((await s.closed).code).toBe(4401);
  });

  it('a duplicate subscription id → 4409', async () => {
    const s = rawSocket(app.url);
    await s.opened;
    send(s.ws, { type: 'connection_init' });
    await s.acked;
    send(s.ws, subscribeMessage('same'));
    send(s.ws, subscribeMessage('same'));
    expect((await s.closed).code).toBe(4409);
  });

  it('a malformed message → 4400', async () => {
    const s = rawSocket(app.url);
    await s.opened;
    s.ws.send('{not json');
    expect((await s.closed).code).toBe(4400);
  });

  it('no listener is left once the sockets are gone', async () => {
    await expect.poll(() => app.gateway.changes.listenerCount, { timeout: 5_000 }).toBe(0);
  });
});
