import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp, type App } from '../../src/app.ts';
import { fleetOf, type Fleet } from '../../src/capi/fleet.ts';
import { ManagementClusterCache } from '../../src/capi/management-cluster-cache.ts';
import { ManagementClusterConnection } from '../../src/k8s/management-cluster-connection.ts';
import { capiFakeKinds, FakeTransport } from './support/fake-transport.ts';
import { gql } from './support/gql.ts';
import { syntheticFleet } from './support/synthetic-fleet.ts';

describe('the gateway server', () => {
  let app: App;
  let fleet: Fleet;

  beforeAll(async () => {
    const transport = new FakeTransport(capiFakeKinds);
    for (const object of syntheticFleet({ clusters: 2, controlPlaneMachines: 1, workerMachines: 1 }))
      transport.put(object);
    fleet = fleetOf([
      new ManagementClusterCache(new ManagementClusterConnection('fake', 'https://fake', transport)),
    ]);
    app = await buildApp({ host: '127.0.0.1', port: 0, managementClusters: [], fleet });
    await app.start();
    expect(await fleet.whenSynced(10_000)).toBe(true);
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('serves GraphiQL to browsers and /healthz with the management clusters', async () => {
    const page = await fetch(app.url, { headers: { accept: 'text/html' } });
    expect(await page.text()).toMatch(/GraphiQL/);
    const health = await fetch(app.url.replace('/graphql', '/healthz'));
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      ok: true,
      managementClusters: [{ name: 'fake', synced: true }],
    });
  });

  it('reports invalid queries with a validation code', async () => {
    const bad = await gql(app.url, '{ clusters { edges { node { nope } } } }');
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('masks unexpected errors', async () => {
    const broken = Object.create(fleet.reader) as Fleet['reader'];
    broken.clusters = () => {
      throw new Error('internal detail: token=abc123');
    };
    const other = await buildApp({
      host: '127.0.0.1',
      port: 0,
      managementClusters: [],
      fleet: { ...fleet, reader: broken, stop: async () => undefined }, // the caches stay with the first app
    });
    await other.start();
    try {
      const res = await gql(other.url, '{ clusters { totalCount } }');
      expect(JSON.stringify(res)).not.toContain('abc123');
      expect(res.errors).toEqual([
        expect.objectContaining({ message: 'Unexpected error.', path: ['clusters'] }),
      ]);
    } finally {
      await other.stop();
    }
  });

  it('answers over graphql-ws on the same port', async () => {
    const client = createClient({
      url: app.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    try {
      const result = await new Promise<unknown>((resolve, reject) => {
        let value: unknown;
        client.subscribe(
          { query: '{ clusters { totalCount edges { node { name } } } }' },
          { next: (v) => (value = v), error: reject, complete: () => resolve(value) },
        );
      });
      expect(result).toEqual({
        data: {
          clusters: {
            totalCount: 2,
            edges: [{ node: { name: 'cluster-0000' } }, { node: { name: 'cluster-0001' } }],
          },
        },
      });
    } finally {
      await client.dispose();
    }
  });
});
