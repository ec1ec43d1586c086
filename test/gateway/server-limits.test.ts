import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp, type App } from '../../src/app.ts';
import { fleetOf } from '../../src/capi/fleet.ts';
import { ManagementClusterCache } from '../../src/capi/management-cluster-cache.ts';
import { ManagementClusterConnection } from '../../src/k8s/management-cluster-connection.ts';
import type { RequestLimits } from '../../src/limits/request-limits.ts';
import { capiFakeKinds, FakeTransport } from './support/fake-transport.ts';
import { syntheticFleet } from './support/synthetic-fleet.ts';
import { waitUntil } from './support/ws-subscriber.ts';

async function startApp(limits: Partial<RequestLimits>): Promise<App> {
  const transport = new FakeTransport(capiFakeKinds);
  for (const object of syntheticFleet({ clusters: 2, controlPlaneMachines: 1, workerMachines: 1 }))
    transport.put(object);
  const fleet = fleetOf([
    new ManagementClusterCache(new ManagementClusterConnection('fake', 'https://fake', transport)),
  ]);
  const app = await buildApp({ host: '127.0.0.1', port: 0, managementClusters: [], fleet, limits });
  await app.start();
  if (!(await fleet.whenSynced(10_000))) throw new Error('not synced');
  return app;
}

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

/** A raw graphql-transport-ws socket: opened, connection_init sent; resolves with how it ended or acked. */
function wsConnect(url: string): Promise<{ socket: WebSocket; acked: boolean; closeCode?: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace('http', 'ws'), 'graphql-transport-ws');
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'connection_ack') resolve({ socket, acked: true });
    });
    socket.on('close', (code) => resolve({ socket, acked: false, closeCode: code }));
    socket.on('error', reject);
  });
}

const closed = (socket: WebSocket) =>
  new Promise<number>((resolve) => {
    if (socket.readyState === WebSocket.CLOSED) resolve(-1);
    socket.on('close', (code) => resolve(code));
  });

describe('limits at the server: bodies, WebSocket messages and connections, CSRF', () => {
  let app: App;

  beforeAll(async () => {
    app = await startApp({ requestBodyBytes: 2_000, webSocketMessageBytes: 2_000, connections: 2 });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('requestBodyBytes: a larger body gets 413 before it is read; a body of unknown length gets 411', async () => {
    const big = JSON.stringify({ query: `{ clusters { totalCount } } # ${'x'.repeat(3_000)}` });
    const res = await post(app.url, big);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      errors: [{ extensions: { code: 'LIMIT_EXCEEDED', limit: 'requestBodyBytes', max: 2000 } }],
    });
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(
        app.url,
        { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
        (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ query: '{ clusters { totalCount } }' }));
    });
    expect(chunked).toBe(411);
    const small = await post(app.url, JSON.stringify({ query: '{ clusters { totalCount } }' }));
    expect(await small.json()).toEqual({ data: { clusters: { totalCount: 2 } } });
  });

  it('webSocketMessageBytes: a larger message closes the socket with 1009 (message too big)', async () => {
    const { socket, acked } = await wsConnect(app.url);
    expect(acked).toBe(true);
    const ended = closed(socket);
    socket.send(
      JSON.stringify({
        id: '1',
        type: 'subscribe',
        payload: { query: `{ __typename } # ${'x'.repeat(3_000)}` },
      }),
    );
    expect(await ended).toBe(1009);
  });

  it('connections: one more WebSocket connection than the cap is closed with 4429; closing one frees its slot', async () => {
    await waitUntil(
      () => app.gateway.caps.connections.total() === 0,
      5_000,
      'earlier sockets to be released',
    );
    const one = await wsConnect(app.url);
    const two = await wsConnect(app.url);
    expect([one.acked, two.acked]).toEqual([true, true]);
    const three = await wsConnect(app.url);
    expect(three).toMatchObject({ acked: false, closeCode: 4429 });
    const gone = closed(one.socket);
    one.socket.close();
    await gone;
    await waitUntil(() => app.gateway.caps.connections.total() === 1, 5_000, 'the slot to be freed');
    const four = await wsConnect(app.url);
    expect(four.acked).toBe(true);
    two.socket.close();
    four.socket.close();
  });

  it('a subscription over graphql-ws frees its slot when the socket closes', async () => {
    const { socket } = await wsConnect(app.url);
    socket.send(
      JSON.stringify({
        id: 's',
        type: 'subscribe',
        payload: { query: 'subscription { fleetSummaryUpdated { clusters } }' },
      }),
    );
    await waitUntil(() => app.gateway.caps.subscriptions.total() === 1, 5_000, 'the subscription');
    socket.close();
    await waitUntil(() => app.gateway.caps.subscriptions.total() === 0, 5_000, 'the slot to be freed');
  });

  it('CSRF prevention: a GET without a preflight-forcing header is refused, with one it runs', async () => {
    const url = `${app.url}?query=${encodeURIComponent('{ clusters { totalCount } }')}`;
    expect((await fetch(url, { headers: { accept: 'application/json' } })).status).toBe(403);
    const ok = await fetch(url, { headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' } });
    expect(await ok.json()).toEqual({ data: { clusters: { totalCount: 2 } } });
  });
});

describe('production switches: introspection and GraphiQL off', () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp({ introspection: false, graphiql: false });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('refuses introspection, hides field suggestions and serves no GraphiQL', async () => {
    const intro = (await (
      await post(app.url, JSON.stringify({ query: '{ __schema { queryType { name } } }' }))
    ).json()) as {
      errors: Array<{ message: string }>;
    };
    expect(intro.errors[0]!.message).toMatch(/introspection/i);
    const typo = (await (
      await post(app.url, JSON.stringify({ query: '{ cluster { name } clusterz { totalCount } }' }))
    ).json()) as {
      errors: Array<{ message: string }>;
    };
    expect(typo.errors.length).toBeGreaterThan(0);
    expect(JSON.stringify(typo)).not.toMatch(/Did you mean/);
    const page = await fetch(app.url, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/GraphiQL/);
    // __typename is not introspection.
    expect(await (await post(app.url, JSON.stringify({ query: '{ __typename }' }))).json()).toEqual({
      data: { __typename: 'Query' },
    });
  });

  it('with introspection on (the default), suggestions stay', async () => {
    const open = await startApp({});
    try {
      const typo = await (
        await post(open.url, JSON.stringify({ query: '{ clusterz { totalCount } }' }))
      ).json();
      expect(JSON.stringify(typo)).toMatch(/Did you mean/);
    } finally {
      await open.stop();
    }
  });
});
