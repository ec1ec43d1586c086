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

describe('the request log', () => {
  const token = 'sEcReT-bearer-t0ken-4f7c2a9e';
  const wsToken = 'ws-connection-t0ken-91b3d7';
  const caData = Buffer.from('-----BEGIN CERTIFICATE-----\n'.repeat(8)).toString('base64');
  const keyData = Buffer.from('-----BEGIN PRIVATE KEY-----\nkeymaterial-7d1e\n'.repeat(6)).toString('base64');
  const kubeconfig = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- cluster: { server: https://10.0.0.1:6443, certificate-authority-data: ${caData} }`,
    '  name: workload',
    'users:',
    `- name: admin`,
    `  user: { client-key-data: ${keyData}, token: kubeconfig-user-t0ken-5e6f }`,
  ].join('\n');
  const secrets = [token, wsToken, caData, keyData, 'kubeconfig-user-t0ken-5e6f', 'keymaterial-7d1e'];

  it('has a line per request with its ID, and never a token, an Authorization header, a kubeconfig or Secret data', async () => {
    const lines: string[] = [];
    const { fleet } = fakeFleet(['fake']);
    // A reader failing with credentials in its message: the client gets "Unexpected error.",
    // the log the error — redacted.
    const reader = fleet.reader;
    const clusters = reader.clusters.bind(reader);
    let leak = false;
    reader.clusters = (mc) => {
      if (leak) throw new Error(`cannot read: Authorization: Bearer ${token}\n${kubeconfig}`);
      return clusters(mc);
    };
    const app = await buildApp({
      host: '127.0.0.1',
      port: 0,
      managementClusters: [],
      fleet,
      logger: createGatewayLogger({ destination: { write: (line: string) => void lines.push(line) } }),
    });
    await app.start();
    try {
      expect(await fleet.whenSynced(10_000)).toBe(true);
      const auth = { authorization: `Bearer ${token}`, 'x-request-id': 'req-abc-123' };
      const ok = await post(app.url, 'query Fleet { clusters { totalCount } }', auth);
      expect(ok.headers.get('x-request-id')).toBe('req-abc-123');
      // A kubeconfig and Secret data in the variables (as a createCluster input could carry).
      await post(app.url, 'query Vars($k: String!) { managementCluster(name: $k) { name } }', auth, {
        k: kubeconfig,
        data: { 'tls.key': keyData },
      });
      leak = true;
      const failed = await post(app.url, 'query Leak { clusters { totalCount } }', auth);
      expect(JSON.stringify(await failed.json())).not.toContain(token);
      leak = false;
      const socket = await wsConnect(app.url, { token: wsToken, authorization: `Bearer ${wsToken}` });
      socket.send(
        JSON.stringify({
          id: '1',
          type: 'subscribe',
          payload: { query: 'query OverWs { clusters { totalCount } }', variables: { k: kubeconfig } },
        }),
      );
      await waitUntil(
        () => lines.some((l) => l.includes('OverWs')),
        5_000,
        'the graphql-ws operation to be logged',
      );
      socket.close();
    } finally {
      await app.stop();
    }
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries).toContainEqual(
      expect.objectContaining({
        requestId: 'req-abc-123',
        operation: 'Fleet',
        outcome: 'ok',
        msg: 'graphql request',
      }),
    );
    expect(entries).toContainEqual(expect.objectContaining({ operation: 'Leak', outcome: 'error' }));
    expect(entries).toContainEqual(expect.objectContaining({ operation: 'Vars', outcome: 'ok' }));
    expect(entries).toContainEqual(
      expect.objectContaining({ msg: 'unexpected error', requestId: 'req-abc-123' }),
    );
    expect(entries).toContainEqual(expect.objectContaining({ operation: 'OverWs', outcome: 'ok' }));
    const log = lines.join('');
    for (const secret of secrets) expect(log).not.toContain(secret);
    expect(log).not.toMatch(/Bearer (?!\[REDACTED\])/);
    expect(log).not.toContain('BEGIN');
  });
});
