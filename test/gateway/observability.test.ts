import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp, type App } from '../../src/app.ts';
import { fleetOf, type Fleet } from '../../src/capi/fleet.ts';
import { ManagementClusterCache } from '../../src/capi/management-cluster-cache.ts';
import { ManagementClusterConnection } from '../../src/k8s/management-cluster-connection.ts';
import { createGatewayLogger } from '../../src/observability/logger.ts';
import { maxOperationNames } from '../../src/observability/metrics.ts';
import { capiFakeKinds, FakeTransport } from './support/fake-transport.ts';
import { syntheticFleet } from './support/synthetic-fleet.ts';
import { waitUntil } from './support/ws-subscriber.ts';

function fakeFleet(names: string[]): { fleet: Fleet; transports: Record<string, FakeTransport> } {
  const transports: Record<string, FakeTransport> = {};
  const caches = names.map((name) => {
    const transport = new FakeTransport(capiFakeKinds);
    for (const object of syntheticFleet({ clusters: 2, controlPlaneMachines: 1, workerMachines: 1 }))
      transport.put(object);
    transports[name] = transport;
    return new ManagementClusterCache(
      new ManagementClusterConnection(name, `https://${name}.fake`, transport, {
        initialBackoffMs: 10,
        maxBackoffMs: 50,
      }),
    );
  });
  return { fleet: fleetOf(caches), transports };
}

const post = (url: string, query: string, headers: Record<string, string> = {}, variables?: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });

/** A graphql-ws socket, acknowledged, with `payload` in its connection_init. */
function wsConnect(url: string, payload: Record<string, unknown> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace('http', 'ws'), 'graphql-transport-ws');
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload })));
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'connection_ack') resolve(socket);
    });
    socket.on('error', reject);
  });
}

interface ReadyBody {
  ready: boolean;
  managementClusters: Array<{ name: string; reachable: boolean; synced: boolean }>;
}

async function pollUntil<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const metricValue = (text: string, line: RegExp): number | undefined => {
  const match = text.split('\n').find((l) => line.test(l));
  return match === undefined ? undefined : Number(match.split(' ').at(-1));
};

describe('/metrics', () => {
  let app: App;
  beforeAll(async () => {
    const { fleet } = fakeFleet(['fake']);
    app = await buildApp({ host: '127.0.0.1', port: 0, managementClusters: [], fleet, processMetrics: true });
    await app.start();
    expect(await fleet.whenSynced(10_000)).toBe(true);
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('counts requests by operation and outcome, their latency, refusals by limit, subscriptions, connections and the caches', async () => {
    await post(app.url, 'query Fleet { clusters { totalCount } }');
    await post(app.url, 'query Fleet { clusters { totalCount } }');
    await post(
      app.url,
      `query Deep { ${'clusters { edges { node { machines { cluster { '.repeat(3)}name${' } } } } }'.repeat(3)} }`,
    );
    await post(app.url, 'query Broken { nope }');
    const socket = await wsConnect(app.url);
    socket.send(
      JSON.stringify({
        id: '1',
        type: 'subscribe',
        payload: { query: 'subscription Summary { fleetSummaryUpdated { clusters } }' },
      }),
    );
    await waitUntil(() => app.gateway.caps.subscriptions.total() === 1, 5_000, 'the subscription');

    const res = await fetch(app.url.replace('/graphql', '/metrics'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(
      metricValue(
        text,
        /^capi_gateway_graphql_requests_total\{operation="Fleet",type="query",outcome="ok"\}/,
      ),
    ).toBe(2);
    expect(
      metricValue(text, /^capi_gateway_graphql_requests_total\{operation="Deep",.*outcome="rejected"\}/),
    ).toBe(1);
    expect(
      metricValue(text, /^capi_gateway_graphql_requests_total\{operation="Broken",.*outcome="invalid"\}/),
    ).toBe(1);
    expect(metricValue(text, /^capi_gateway_rejected_requests_total\{limit="depth"\}/)).toBe(1);
    expect(
      metricValue(
        text,
        /^capi_gateway_graphql_request_duration_seconds_count\{operation="Fleet",type="query"\}/,
      ),
    ).toBe(2);
    expect(metricValue(text, /^capi_gateway_active_subscriptions /)).toBe(1);
    expect(metricValue(text, /^capi_gateway_active_connections /)).toBe(1);
    expect(
      metricValue(text, /^capi_gateway_cache_objects\{management_cluster="fake",kind="[^"]*Cluster[^"]*"\}/),
    ).toBe(2);
    expect(metricValue(text, /^capi_gateway_management_cluster_synced\{management_cluster="fake"\}/)).toBe(1);
    expect(metricValue(text, /^capi_gateway_management_cluster_reachable\{management_cluster="fake"\}/)).toBe(
      1,
    );
    expect(metricValue(text, /^capi_gateway_process_resident_memory_bytes /)).toBeGreaterThan(0);
    socket.close();
  });

  it('gives operation names from clients a bounded set of labels', async () => {
    for (let i = 0; i < maxOperationNames + 10; i++) await post(app.url, `query Op${i} { __typename }`);
    const text = await (await fetch(app.url.replace('/graphql', '/metrics'))).text();
    const names = new Set(
      [...text.matchAll(/capi_gateway_graphql_requests_total\{operation="([^"]+)"/g)].map((m) => m[1]),
    );
    expect(names.size).toBeLessThanOrEqual(maxOperationNames + 2); // and "anonymous", "other"
    expect(names.has('other')).toBe(true);
  });
});

describe('/readyz', () => {
  it('flips to ready once every management cluster has synced or been marked unavailable, and /metrics follows reachability', async () => {
    const { fleet, transports } = fakeFleet(['alpha', 'beta']);
    transports['beta']!.down = true;
    const start = fleet.start;
    // Listening before the caches start: nothing is synced or marked yet.
    const app = await buildApp({
      host: '127.0.0.1',
      port: 0,
      managementClusters: [],
      fleet: { ...fleet, start: () => undefined },
    });
    await app.start();
    const base = app.url.replace('/graphql', '');
    try {
      const waiting = await fetch(`${base}/readyz`);
      expect(waiting.status).toBe(503);
      expect(await waiting.json()).toMatchObject({
        ready: false,
        notReady: [{ name: 'alpha' }, { name: 'beta' }],
      });
      start();
      const ready = await pollUntil(
        async () => (await (await fetch(`${base}/readyz`)).json()) as ReadyBody,
        (b) => b.ready,
      );
      expect(ready.managementClusters).toEqual([
        expect.objectContaining({ name: 'alpha', synced: true }),
        expect.objectContaining({ name: 'beta', reachable: false, synced: false }),
      ]);
      const metrics = async () => (await fetch(`${base}/metrics`)).text();
      const reachable = /^capi_gateway_management_cluster_reachable\{management_cluster="beta"\}/;
      expect(metricValue(await metrics(), reachable)).toBe(0);
      transports['beta']!.down = false;
      await pollUntil(
        metrics,
        (t) => metricValue(t, /^capi_gateway_management_cluster_synced\{management_cluster="beta"\}/) === 1,
      );
      expect(metricValue(await metrics(), reachable)).toBe(1);
    } finally {
      await app.stop();
    }
  });
});
