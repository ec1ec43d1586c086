import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import type { KubeObject } from '../../src/k8s/kube-object.ts';
import { startFakeApp } from './support/fake-app.ts';
import type { FakeTransport } from './support/fake-transport.ts';
import { gql } from './support/gql.ts';
import { syntheticFleet } from './support/synthetic-fleet.ts';
import { wsSubscribe, type Received } from './support/ws-subscriber.ts';

interface Ev {
  type: string;
  cursor: string;
  cluster: { name: string; phase: string } | null;
}

const EVENTS = `subscription($since: String, $filter: ClusterFilter) {
  clusterEvents(since: $since, filter: $filter) { type cursor cluster { name phase } } }`;

const events = (results: Received[]): Ev[] =>
  results.map((r) => (r.data as { clusterEvents: Ev }).clusterEvents);

describe('clusterEvents resume, and a management cluster that goes away', () => {
  let app: App;
  let transport: FakeTransport;
  let objects: KubeObject[];

  const setPhase = (name: string, phase: string): void => {
    const o = structuredClone(objects.find((x) => x.kind === 'Cluster' && x.metadata.name === name)!);
    (o.status as Record<string, unknown>)['phase'] = phase;
    objects = objects.map((x) => (x.kind === 'Cluster' && x.metadata.name === name ? o : x));
    transport.put(o);
  };

  beforeAll(async () => {
    objects = syntheticFleet({ clusters: 3, controlPlaneMachines: 1, workerMachines: 1 });
    ({ app, transport } = await startFakeApp(objects, { subscriptions: { coalesceMs: 5 } }));
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('starts with the current set as ADDED, filtered as `clusters` is', async () => {
    const sub = wsSubscribe(app.url, EVENTS, { filter: { nameContains: '0001' } });
    try {
      const [first] = events(await sub.waitFor(1));
      expect(first).toMatchObject({ type: 'ADDED', cluster: { name: 'cluster-0001' } });
    } finally {
      await sub.close();
    }
  });

  it('`since` resumes after a reconnect with exactly what changed meanwhile', async () => {
    const first = wsSubscribe(app.url, EVENTS);
    const initial = events(await first.waitFor(3));
    expect(initial.map((e) => e.type)).toEqual(['ADDED', 'ADDED', 'ADDED']);
    setPhase('cluster-0000', 'Provisioning');
    const seen = events(await first.waitFor(4));
    expect(seen[3]).toMatchObject({
      type: 'MODIFIED',
      cluster: { name: 'cluster-0000', phase: 'Provisioning' },
    });
    await first.close();
    // While disconnected: two changes. The reconnecting client resumes from its last cursor.
    setPhase('cluster-0001', 'Deleting');
    setPhase('cluster-0002', 'Provisioning');
    await expect
      .poll(async () => {
        const r = await gql<{ clusters: { edges: Array<{ node: { phase: string } }> } }>(
          app.url,
          '{ clusters(filter: { nameContains: "0002" }) { edges { node { phase } } } }',
        );
        return r.data?.clusters.edges[0]?.node.phase;
      })
      .toBe('Provisioning');
    const resumed = wsSubscribe(app.url, EVENTS, { since: seen[3]!.cursor });
    try {
      const missed = events(await resumed.waitFor(2));
      expect(missed.map((e) => [e.type, e.cluster?.name, e.cluster?.phase])).toEqual([
        ['MODIFIED', 'cluster-0001', 'Deleting'],
        ['MODIFIED', 'cluster-0002', 'Provisioning'],
      ]);
    } finally {
      await resumed.close();
    }
  });

  it('a cursor the gateway does not hold gets RESYNC, then the current set', async () => {
    const sub = wsSubscribe(app.url, EVENTS, { since: 'otherreplica.42' });
    try {
      const got = events(await sub.waitFor(4));
      expect(got.map((e) => e.type)).toEqual(['RESYNC', 'ADDED', 'ADDED', 'ADDED']);
    } finally {
      await sub.close();
    }
  });

  it('a management cluster that goes away under 100 subscribers is an error on the path; its return brings the final state, no duplicate ADDED', async () => {
    const id = (
      await gql<{ clusters: { edges: Array<{ node: { id: string } }> } }>(
        app.url,
        '{ clusters(filter: { nameContains: "0000" }) { edges { node { id } } } }',
      )
    ).data!.clusters.edges[0]!.node.id;
    // 100 subscribers on the cluster, one on the fleet's events.
    const updated = Array.from({ length: 100 }, () =>
      wsSubscribe(app.url, 'subscription($id: ID!) { clusterUpdated(id: $id) { name phase } }', { id }),
    );
    const fleet = wsSubscribe(app.url, EVENTS);
    try {
      await Promise.all(updated.map((u) => u.waitFor(1)));
      await fleet.waitFor(3);
      transport.down = true;
      transport.breakWatches();
      for (const u of updated) {
        const [, error] = await u.waitFor(2);
        expect(error).toMatchObject({
          data: { clusterUpdated: null },
          errors: [{ path: ['clusterUpdated'], extensions: { code: 'MANAGEMENT_CLUSTER_UNAVAILABLE' } }],
        });
      }
      setPhase('cluster-0000', 'Deleting');
      transport.down = false;
      for (const u of updated) {
        const [, , back] = await u.waitFor(3);
        expect(back).toEqual({ data: { clusterUpdated: { name: 'cluster-0000', phase: 'Deleting' } } });
      }
      // clusterEvents: the outage as an error on its path, then only the change (no second ADDED).
      const received = await fleet.waitFor(5);
      expect(received[3]).toMatchObject({
        data: null,
        errors: [{ path: ['clusterEvents'], extensions: { code: 'MANAGEMENT_CLUSTER_UNAVAILABLE' } }],
      });
      const after = events(received.slice(4));
      expect(after).toEqual([
        expect.objectContaining({
          type: 'MODIFIED',
          cluster: { name: 'cluster-0000', phase: 'Deleting' },
        }),
      ]);
    } finally {
      await Promise.all(updated.map((u) => u.close()));
      await fleet.close();
    }
    await expect.poll(() => app.gateway.changes.listenerCount, { timeout: 5_000 }).toBe(0);
  });

  it('fleetSummaryUpdated: a management cluster that goes away is an error on the path of the values sent meanwhile', async () => {
    const sub = wsSubscribe(app.url, 'subscription { fleetSummaryUpdated { clusters } }');
    const unavailable = (r: Received | undefined): boolean =>
      r?.errors?.some(
        (e) =>
          e.extensions?.['code'] === 'MANAGEMENT_CLUSTER_UNAVAILABLE' &&
          e.path?.[0] === 'fleetSummaryUpdated',
      ) === true;
    try {
      const [first] = await sub.waitFor(1);
      expect(first).toEqual({ data: { fleetSummaryUpdated: { clusters: 3 } } });
      transport.down = true;
      transport.breakWatches();
      const [, away] = await sub.waitFor(2);
      expect(unavailable(away), JSON.stringify(away)).toBe(true);
      transport.down = false;
      const [, , back] = await sub.waitFor(3);
      expect(back).toEqual({ data: { fleetSummaryUpdated: { clusters: 3 } } });
    } finally {
      transport.down = false;
      await sub.close();
    }
    await expect.poll(() => app.gateway.changes.listenerCount, { timeout: 5_000 }).toBe(0);
  });
});
