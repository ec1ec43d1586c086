import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.ts';
import { fleetOf } from '../../src/capi/fleet.ts';
import { ManagementClusterCache } from '../../src/capi/management-cluster-cache.ts';
import type { KubeObject } from '../../src/k8s/kube-object.ts';
import { ManagementClusterConnection } from '../../src/k8s/management-cluster-connection.ts';
import { capiFakeKinds, FakeTransport } from './support/fake-transport.ts';
import { gql } from './support/gql.ts';
import { syntheticFleet } from './support/synthetic-fleet.ts';
import { waitUntil, wsSubscribe, type Received } from './support/ws-subscriber.ts';

describe('subscriptions over graphql-ws and SSE', () => {
  let app: App;
  let transport: FakeTransport;
  let objects: KubeObject[];
  let clusterId: string;

  const find = (kind: string, name: string): KubeObject => {
    const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
    if (!o) throw new Error(`no ${kind} ${name}`);
    return o;
  };
  /** Writes a changed copy of an object to the fake API server (the caches see a MODIFIED). */
  const change = (kind: string, name: string, edit: (o: KubeObject) => void): void => {
    const copy = structuredClone(find(kind, name));
    edit(copy);
    objects = objects.map((o) => (o.kind === kind && o.metadata.name === name ? copy : o));
    transport.put(copy);
  };

  beforeAll(async () => {
    transport = new FakeTransport(capiFakeKinds);
    objects = syntheticFleet({ clusters: 2, controlPlaneMachines: 1, workerMachines: 2 });
    for (const o of objects) transport.put(o);
    const fleet = fleetOf([
      new ManagementClusterCache(
        new ManagementClusterConnection('fake', 'https://fake', transport, {
          initialBackoffMs: 10,
          maxBackoffMs: 50,
        }),
      ),
    ]);
    app = await buildApp({
      host: '127.0.0.1',
      port: 0,
      managementClusters: [],
      fleet,
      subscriptions: { coalesceMs: 5 },
      connectionInitWaitTimeoutMs: 200,
    });
    await app.start();
    expect(await fleet.whenSynced(10_000)).toBe(true);
    const res = await gql<{ clusters: { edges: Array<{ node: { id: string; name: string } }> } }>(
      app.url,
      '{ clusters { edges { node { id name } } } }',
    );
    clusterId = res.data!.clusters.edges.find((e) => e.node.name === 'cluster-0000')!.node.id;
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('clusterUpdated sends the cluster first, then only changes of the selected fields', async () => {
    const narrow = wsSubscribe(app.url, 'subscription($id: ID!) { clusterUpdated(id: $id) { phase } }', {
      id: clusterId,
    });
    const broad = wsSubscribe(
      app.url,
      'subscription($id: ID!) { clusterUpdated(id: $id) { phase machines { name nodeName } } }',
      { id: clusterId },
    );
    try {
      expect((await narrow.waitFor(1))[0]).toEqual({ data: { clusterUpdated: { phase: 'Provisioned' } } });
      await broad.waitFor(1);
      // Only a machine's node changes: the broad subscriber hears it, the `{ phase }` one does not.
      change('Machine', 'cluster-0000-cp-0', (m) => {
        (m.status as Record<string, unknown>)['nodeRef'] = { name: 'renamed-node' };
      });
      const [, second] = await broad.waitFor(2);
      expect(JSON.stringify(second)).toContain('renamed-node');
      change('Cluster', 'cluster-0000', (c) => {
        (c.status as Record<string, unknown>)['phase'] = 'Deleting';
      });
      await broad.waitFor(3);
      const got = await narrow.waitFor(2);
      expect(got).toEqual([
        { data: { clusterUpdated: { phase: 'Provisioned' } } },
        { data: { clusterUpdated: { phase: 'Deleting' } } },
      ]);
    } finally {
      await narrow.close();
      await broad.close();
    }
    await waitUntil(() => app.gateway.changes.listenerCount === 0, 5_000, 'no listeners left');
  });

  it('SSE gives the same stream as graphql-ws', async () => {
    const controller = new AbortController();
    const res = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({
        query: 'subscription($id: ID!) { clusterUpdated(id: $id) { name phase } }',
        variables: { id: clusterId },
      }),
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    const events = (): unknown[] =>
      [...text.matchAll(/^event: next\ndata: (.*)$/gm)].map((m) => JSON.parse(m[1]!) as unknown);
    const readUntil = async (n: number): Promise<unknown[]> => {
      while (events().length < n) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      return events();
    };
    try {
      const [first] = (await readUntil(1)) as Array<{ data: { clusterUpdated: { phase: string } } }>;
      const phase = first!.data.clusterUpdated.phase === 'Provisioning' ? 'Provisioned' : 'Provisioning';
      change('Cluster', 'cluster-0001', (c) => {
        (c.status as Record<string, unknown>)['phase'] = 'Deleting';
      });
      change('Cluster', 'cluster-0000', (c) => {
        (c.status as Record<string, unknown>)['phase'] = phase;
      });
      const [, second] = await readUntil(2);
      expect(second).toEqual({ data: { clusterUpdated: { name: 'cluster-0000', phase } } });
    } finally {
      controller.abort();
    }
    await waitUntil(() => app.gateway.changes.listenerCount === 0, 5_000, 'no listeners left after SSE');
  });

  it('fleetSummaryUpdated sends the summary first, then only when its counts change', async () => {
    const sub = wsSubscribe(
      app.url,
      'subscription { fleetSummaryUpdated { clusters byPhase { key count } } }',
    );
    const id1 = (
      await gql<{ clusters: { edges: Array<{ node: { id: string } }> } }>(
        app.url,
        '{ clusters(filter: { nameContains: "0001" }) { edges { node { id } } } }',
      )
    ).data!.clusters.edges[0]!.node.id;
    // Hears the machine's change: once it has, the summary subscriber has been handed it too.
    const broad = wsSubscribe(
      app.url,
      'subscription($id: ID!) { clusterUpdated(id: $id) { machines { nodeName } } }',
      {
        id: id1,
      },
    );
    try {
      const [first] = await sub.waitFor(1);
      await broad.waitFor(1);
      const phaseOf = (name: string) => (find('Cluster', name).status as { phase: string }).phase;
      const from = phaseOf('cluster-0001');
      const to = from === 'Provisioning' ? 'Provisioned' : 'Provisioning';
      // A machine's node changes (no count moves), then a cluster's phase (one does).
      change('Machine', 'cluster-0001-cp-0', (m) => {
        (m.status as Record<string, unknown>)['nodeRef'] = { name: 'another-node' };
      });
      await waitUntil(
        () => JSON.stringify(broad.results.at(-1)).includes('another-node'),
        10_000,
        'the machine change at the broad subscriber',
      );
      change('Cluster', 'cluster-0001', (c) => {
        (c.status as Record<string, unknown>)['phase'] = to;
      });
      const [, second] = await sub.waitFor(2);
      const counts = (r: Received | undefined) =>
        new Map(
          (
            r?.data as { fleetSummaryUpdated: { byPhase: Array<{ key: string; count: number }> } }
          ).fleetSummaryUpdated.byPhase.map((e) => [e.key, e.count]),
        );
      const before = counts(first);
      const after = counts(second);
      expect((after.get(to) ?? 0) - (before.get(to) ?? 0)).toBe(1);
      expect((before.get(from) ?? 0) - (after.get(from) ?? 0)).toBe(1);
      // Nothing was sent for the machine's change alone.
      expect(sub.results).toHaveLength(2);
    } finally {
      await sub.close();
      await broad.close();
    }
    await waitUntil(() => app.gateway.changes.listenerCount === 0, 5_000, 'no listeners left');
  });

  it('an unknown cluster ID is an error on the path', async () => {
    const sub = wsSubscribe(app.url, 'subscription { clusterUpdated(id: "bm90LWFuLWlk") { phase } }');
    await sub.done;
    expect(sub.results).toHaveLength(1);
    expect(sub.results[0]!.errors?.[0]).toMatchObject({
      path: ['clusterUpdated'],
      extensions: { code: 'BAD_USER_INPUT' },
    });
    await sub.close();
  });

  it('500 clients subscribing and leaving leave no listeners and no heap growth', async () => {
    const round = async (): Promise<void> => {
      const subs = Array.from({ length: 50 }, () =>
        wsSubscribe(app.url, 'subscription($id: ID!) { clusterUpdated(id: $id) { phase } }', {
          id: clusterId,
        }),
      );
      await Promise.all(subs.map((s) => s.waitFor(1)));
      await Promise.all(subs.map((s) => s.close()));
      await waitUntil(() => app.gateway.changes.listenerCount === 0, 10_000, 'listeners to go');
    };
    await round();
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 10; i++) await round();
    global.gc?.();
    const after = process.memoryUsage().heapUsed;
    expect(app.gateway.changes.listenerCount).toBe(0);
    // Without --expose-gc the bound must absorb garbage not yet collected.
    expect(after - before).toBeLessThan(64 * 1024 * 1024);
  }, 60_000);
});
