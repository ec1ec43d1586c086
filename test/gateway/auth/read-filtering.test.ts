/**
 * The shared cache as each user sees it (in process, with a fake management cluster whose
 * SubjectAccessReview answers come from a rule table): lists, counts, summaries, node lookups,
 * nested lists and subscription events carry only what the user may list; reviews are asked
 * once per distinct question and reused; without authentication nothing is reviewed.
 */
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp, buildGateway, type App } from '../../../src/app.ts';
import type { Authenticator } from '../../../src/auth/identity.ts';
import type { KubeObject } from '../../../src/k8s/kube-object.ts';
import { encodeGlobalId } from '../../../resolvers/global-id.ts';
import { syntheticFleet } from '../support/synthetic-fleet.ts';
import { waitUntil, wsSubscribe } from '../support/ws-subscriber.ts';
import { fakeRbacFleet, type FakeRbacFleet } from './fake-rbac.ts';

/** A second synthetic fleet in another namespace, with UIDs of its own. */
function fleetIn(namespace: string, clusters: number, uidPrefix: string): KubeObject[] {
  const text = JSON.stringify(
    syntheticFleet({ clusters, namespace, controlPlaneMachines: 1, workerMachines: 1 }),
  );
  return JSON.parse(
    text.replaceAll('00000000-0000-4000-8000-', `${uidPrefix}-0000-4000-8000-`),
  ) as KubeObject[];
}

const tokens: Record<string, { user: string; groups: string[] }> = {
  'token-alice': { user: 'alice', groups: [] },
  'token-bob': { user: 'bob', groups: ['cluster-watchers'] },
  'token-carol': { user: 'carol', groups: [] },
};

const authenticate: Authenticator = (token) => {
  const identity = token ? tokens[token] : undefined;
  return Promise.resolve(
    identity
      ? { ok: true, identity: { ...identity } }
      : { ok: false, failure: { reason: token ? 'invalid' : 'missing', message: 'no' } },
  );
};

describe('reads filtered per user', () => {
  let fake: FakeRbacFleet;
  let app: App;
  let objects: KubeObject[];

  const ask = async <T = Record<string, unknown>>(token: string, query: string, variables?: unknown) => {
    const res = await app.gateway.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: T; errors?: unknown[] };
  };

  beforeAll(async () => {
    objects = [...fleetIn('team-a', 2, 'aaaaaaaa'), ...fleetIn('team-b', 3, 'bbbbbbbb')];
    fake = fakeRbacFleet('fake', objects, [
      // alice: everything in team-a.
      { subject: 'alice', verbs: ['list'], resources: ['*'], namespace: 'team-a' },
      // bob (through a group): Clusters everywhere, nothing else.
      { subject: 'cluster-watchers', verbs: ['list'], resources: ['clusters'], namespace: '*' },
    ]);
    app = await buildApp({
      host: '127.0.0.1',
      port: 0,
      managementClusters: [],
      fleet: fake.fleet,
      subscriptions: { coalesceMs: 5 },
      auth: { authenticate, accessReviewTtlMs: 60_000 },
    });
    await app.start();
    expect(await fake.fleet.whenSynced(10_000)).toBe(true);
  });

  afterAll(async () => {
    await app?.stop();
  });

  const overview = `{
    clusters(first: 50) { totalCount edges { node { name namespace machines { name } } } }
    fleetSummary { clusters byPhase { count } }
  }`;
  interface Overview {
    clusters: {
      totalCount: number;
      edges: Array<{ node: { name: string; namespace: string; machines: Array<{ name: string }> } }>;
    };
    fleetSummary: { clusters: number };
  }

  it('alice sees team-a with its machines; bob sees every Cluster but no Machine; carol nothing — counts and summaries agree', async () => {
    const alice = (await ask<Overview>('token-alice', overview)).data!;
    expect(alice.clusters.totalCount).toBe(2);
    expect(alice.fleetSummary.clusters).toBe(2);
    expect(new Set(alice.clusters.edges.map((e) => e.node.namespace))).toEqual(new Set(['team-a']));
    expect(alice.clusters.edges.every((e) => e.node.machines.length === 2)).toBe(true);

    const bob = (await ask<Overview>('token-bob', overview)).data!;
    expect(bob.clusters.totalCount).toBe(5);
    expect(bob.fleetSummary.clusters).toBe(5);
    expect(bob.clusters.edges.every((e) => e.node.machines.length === 0)).toBe(true);

    const carol = await ask<Overview>('token-carol', overview);
    expect(carol.errors).toBeUndefined();
    expect(carol.data!.clusters).toEqual({ totalCount: 0, edges: [] });
    expect(carol.data!.fleetSummary.clusters).toBe(0);
  });

  it('asks each distinct question once and reuses the answers within the TTL', async () => {
    await ask('token-alice', overview);
    const before = fake.reviews.length;
    await ask('token-alice', overview);
    await ask('token-alice', '{ clusters { totalCount } }');
    expect(fake.reviews.length).toBe(before);
    const keys = fake.reviews.map((r) => JSON.stringify([r.user, r.attributes]));
    expect(new Set(keys).size).toBe(keys.length);
    // Every review names the user's groups and system:authenticated, as the API server sees them.
    expect(
      fake.reviews.filter((r) => r.user === 'bob').every((r) => r.groups.includes('cluster-watchers')),
    ).toBe(true);
    expect(fake.reviews.every((r) => r.groups.includes('system:authenticated'))).toBe(true);
  });

  it('a forbidden node ID answers exactly like a missing one', async () => {
    const id = (namespace: string, name: string, kind = 'Cluster') =>
      encodeGlobalId({ managementCluster: 'fake', group: 'cluster.x-k8s.io', kind, namespace, name });
    const query = 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }';
    const forbidden = await ask('token-alice', query, {
      ids: [id('team-b', 'cluster-0000'), id('team-b', 'cluster-0000-cp-0', 'Machine')],
    });
    const missing = await ask('token-alice', query, {
      ids: [id('team-b', 'nope'), id('team-b', 'nope', 'Machine')],
    });
    expect(forbidden).toEqual({ data: { nodes: [null, null] } });
    expect(missing).toEqual(forbidden);
    const visible = await ask('token-alice', query, { ids: [id('team-a', 'cluster-0000')] });
    expect(visible).toEqual({ data: { nodes: [{ id: id('team-a', 'cluster-0000') }] } });
  });

  it('raw reads only what the user may list: alice her Machines, bob Clusters and nothing below them', async () => {
    const id = (namespace: string, name: string, kind = 'Cluster') =>
      encodeGlobalId({ managementCluster: 'fake', group: 'cluster.x-k8s.io', kind, namespace, name });
    const query = 'query($ids: [ID!]!) { nodes(ids: $ids) { ... on CapiObject { name raw } } }';
    const machine = id('team-a', 'cluster-0000-cp-0', 'Machine');
    const stored = objects.find((o) => o.kind === 'Machine' && o.metadata.namespace === 'team-a')!;
    expect(stored.metadata.name).toBe('cluster-0000-cp-0');
    const alice = await ask<{ nodes: Array<{ name: string; raw: Record<string, unknown> } | null> }>(
      'token-alice',
      query,
      { ids: [machine, id('team-b', 'cluster-0000-cp-0', 'Machine')] },
    );
    expect(alice.errors).toBeUndefined();
    expect(alice.data!.nodes[0]!.raw).toEqual({
      ...stored,
      metadata: { ...stored.metadata, resourceVersion: expect.any(String) },
    });
    expect(alice.data!.nodes[1]).toBeNull();
    const bob = await ask<{
      nodes: Array<{ name: string; raw: { metadata: { name: string } } } | null>;
      clusters: { edges: Array<{ node: { controlPlane: unknown; machines: unknown[] } }> };
    }>(
      'token-bob',
      `query($ids: [ID!]!) { nodes(ids: $ids) { ... on CapiObject { name raw } }
        clusters(first: 1) { edges { node { controlPlane { raw } machines { raw } } } } }`,
      { ids: [id('team-b', 'cluster-0001'), machine] },
    );
    expect(bob.errors).toBeUndefined();
    expect(bob.data!.nodes[0]!.raw.metadata.name).toBe('cluster-0001');
    expect(bob.data!.nodes[1]).toBeNull();
    expect(bob.data!.clusters.edges[0]!.node).toEqual({ controlPlane: null, machines: [] });
  });

  it('subscription events of objects the user may not list never reach them', async () => {
    const subscribe = (token: string) =>
      wsSubscribe(
        app.url,
        'subscription { clusterEvents { type cluster { name namespace } } }',
        {},
        createClient({
          url: app.url.replace(/^http/, 'ws'),
          webSocketImpl: WebSocket,
          retryAttempts: 0,
          connectionParams: { token },
        }),
      );
    const alice = subscribe('token-alice');
    const bob = subscribe('token-bob');
    try {
      await alice.waitFor(2);
      await bob.waitFor(5);
      const touch = (namespace: string) => {
        const cluster = structuredClone(
          objects.find((o) => o.kind === 'Cluster' && o.metadata.namespace === namespace)!,
        );
        cluster.metadata.labels = { ...cluster.metadata.labels, touched: 'yes' };
        fake.transport.put(cluster);
      };
      touch('team-b');
      await bob.waitFor(6);
      touch('team-a');
      await alice.waitFor(3);
      await bob.waitFor(7);
      const namespaces = alice.results.map(
        (r) => (r.data?.['clusterEvents'] as { cluster: { namespace: string } }).cluster.namespace,
      );
      expect(namespaces).toEqual(['team-a', 'team-a', 'team-a']);
      expect((alice.results[2]!.data!['clusterEvents'] as { type: string }).type).toBe('MODIFIED');
    } finally {
      await alice.close();
      await bob.close();
    }
    await waitUntil(() => app.gateway.changes.listenerCount === 0, 5_000, 'no listeners left');
  });

  it('without authentication (mode none) everything is served and nothing is reviewed', async () => {
    const open = fakeRbacFleet('fake', objects, []);
    const gateway = buildGateway({ managementClusters: [], fleet: open.fleet });
    open.fleet.start();
    try {
      expect(await open.fleet.whenSynced(10_000)).toBe(true);
      const res = await gateway.yoga.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ clusters { totalCount } fleetSummary { clusters } }' }),
      });
      expect(await res.json()).toEqual({
        data: { clusters: { totalCount: 5 }, fleetSummary: { clusters: 5 } },
      });
      expect(open.reviews).toEqual([]);
    } finally {
      await open.fleet.stop();
    }
  });
});
