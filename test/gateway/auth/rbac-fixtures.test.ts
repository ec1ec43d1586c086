/**
 * Per-user Kubernetes RBAC through the gateway, on the contract fixtures (the real
 * kube-apiserver v1.36 + CAPI, and the embedded cluster once its API server answers
 * SubjectAccessReviews): three users with different Roles see different clusters, counts and
 * fleet summaries, get ForbiddenError for writes they lack and the kubeconfig only where they
 * may get its Secret — every answer checked against the API server's own SubjectAccessReview —
 * and the same through subscriptions over graphql-ws.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthorizationV1Api } from '@kubernetes/client-node';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp, type App } from '../../../src/app.ts';
import { buildAuthenticator } from '../../../src/auth/authenticator.ts';
import { encodeGlobalId } from '../../../resolvers/global-id.ts';
import { contractFixtures, sharedCapiDir, type ContractCluster } from '../../contract/fixtures.ts';
import { render } from '../../contract/cluster-lifecycle.ts';
import { createAll, testKube, type TestKube } from '../../contract/kube.ts';
import { pollUntil } from '../../realcluster/poll.ts';
import type { GqlResponse } from '../support/gql.ts';
import { wsSubscribe, type WsSubscriber } from '../support/ws-subscriber.ts';

const mc = 'contract';
const clusterApi = 'cluster.x-k8s.io/v1beta2';

interface User {
  name: string;
  token: string;
  groups: string[];
}

const users: Record<'alice' | 'bob' | 'carol', User> = {
  // Reads and changes namespace A, and may get its Secrets.
  alice: { name: 'alice', token: randomBytes(16).toString('hex'), groups: [] },
  // Reads namespaces A and B through a group binding; changes nothing.
  bob: { name: 'bob', token: randomBytes(16).toString('hex'), groups: ['auth-test-viewers'] },
  // Has no binding at all.
  carol: { name: 'carol', token: randomBytes(16).toString('hex'), groups: [] },
};

describe.each(contractFixtures())('RBAC through the gateway on the $name management cluster', (fixture) => {
  const suffix = randomBytes(3).toString('hex');
  const nsA = `auth-a-${suffix}`;
  const nsB = `auth-b-${suffix}`;
  /** In the kubeconfig Secret only: an answer holding it handed the credentials out. */
  const secretMarker = `secret-${randomBytes(8).toString('hex')}`;
  let cluster: ContractCluster | undefined;
  let kube: TestKube;
  let app: App | undefined;
  let dir: string | undefined;
  /** Why this fixture cannot run these tests (not started, or no SubjectAccessReview). */
  let skip: string | undefined = fixture.skipReason;

  const clusterObject = (namespace: string, name: string) => ({
    apiVersion: clusterApi,
    kind: 'Cluster',
    metadata: { name, namespace },
    // CAPI's webhook wants an infrastructure ref (or a topology); it need not exist for a read.
    spec: {
      infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'DockerCluster', name },
    },
  });

  async function createCluster(namespace: string, name: string): Promise<void> {
    await kube.objects.create(clusterObject(namespace, name));
  }

  /** The API server's own answer (SubjectAccessReview as the admin). */
  async function apiServerAllows(
    user: User,
    verb: string,
    group: string,
    resource: string,
    namespace: string,
    name?: string,
  ): Promise<boolean> {
    const review = await kube.kc.makeApiClient(AuthorizationV1Api).createSubjectAccessReview({
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {
          user: user.name,
          groups: [...user.groups, 'system:authenticated'],
          resourceAttributes: { verb, group, resource, namespace, ...(name ? { name } : {}) },
        },
      },
    });
    return review.status?.allowed === true;
  }

  /** The clusters `user` should see: those of the namespaces the API server lets them list. */
  async function expectedClusters(user: User): Promise<string[]> {
    const names: string[] = [];
    for (const namespace of [nsA, nsB]) {
      if (!(await apiServerAllows(user, 'list', 'cluster.x-k8s.io', 'clusters', namespace))) continue;
      const list = (await kube.custom.listNamespacedCustomObject({
        group: 'cluster.x-k8s.io',
        version: 'v1beta2',
        namespace,
        plural: 'clusters',
      })) as { items: Array<{ metadata: { name: string } }> };
      names.push(...list.items.map((c) => `${namespace}/${c.metadata.name}`));
    }
    return names.sort();
  }

  async function authorizedGql<T>(
    user: User,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GqlResponse<T>> {
    const res = await fetch(app!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GqlResponse<T>;
  }

  const clusterId = (namespace: string, name: string) =>
    encodeGlobalId({ managementCluster: mc, group: 'cluster.x-k8s.io', kind: 'Cluster', namespace, name });

  async function rbac(): Promise<void> {
    const create = (o: Record<string, unknown>) => kube.objects.create(o as never);
    await create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: `auth-test-reader-${suffix}` },
      rules: [
        {
          apiGroups: ['cluster.x-k8s.io', 'capi-gateway.dev'],
          resources: ['*'],
          verbs: ['get', 'list', 'watch'],
        },
      ],
    });
    await create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: `auth-test-operator-${suffix}` },
      rules: [
        {
          apiGroups: ['cluster.x-k8s.io'],
          resources: ['clusters'],
          verbs: ['get', 'list', 'watch', 'patch', 'update'],
        },
        { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
      ],
    });
    const bind = (namespace: string, role: string, subject: Record<string, string>) =>
      create({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: `${role}-${subject['name']}`, namespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${role}-${suffix}` },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', ...subject }],
      });
    await bind(nsA, 'auth-test-reader', { kind: 'User', name: 'alice' });
    await bind(nsA, 'auth-test-operator', { kind: 'User', name: 'alice' });
    await bind(nsA, 'auth-test-reader', { kind: 'Group', name: 'auth-test-viewers' });
    await bind(nsB, 'auth-test-reader', { kind: 'Group', name: 'auth-test-viewers' });
  }

  beforeAll(async () => {
    if (skip !== undefined) return;
    cluster = await fixture.start();
    kube = testKube(cluster.kubeconfigPath);
    const probe = await fetchSubjectAccessReviewSupport(kube);
    if (probe !== undefined) {
      skip = probe;
      console.warn(`${fixture.name} fixture: RBAC tests skipped: ${probe}`);
      return;
    }
    for (const name of [nsA, nsB]) await kube.core.createNamespace({ body: { metadata: { name } } });
    await rbac();
    await createCluster(nsA, 'a1');
    await createCluster(nsA, 'a2');
    await createCluster(nsB, 'b1');
    await kube.core.createNamespacedSecret({
      namespace: nsA,
      body: {
        metadata: { name: 'a1-kubeconfig', labels: { 'cluster.x-k8s.io/cluster-name': 'a1' } },
        type: 'cluster.x-k8s.io/secret',
        data: {
          value: Buffer.from(`apiVersion: v1\nkind: Config\n# a1 ${secretMarker}\n`).toString('base64'),
        },
      },
    });
    dir = await mkdtemp(join(tmpdir(), 'capi-gateway-rbac-'));
    const tokenFile = join(dir, 'tokens.csv');
    await writeFile(
      tokenFile,
      Object.values(users)
        .map((u) => `${u.token},${u.name},uid-${u.name},"${u.groups.join(',')}"`)
        .join('\n'),
      { mode: 0o600 },
    );
    const built = await buildAuthenticator({ tokenFile });
    if (!built.ok) throw new Error(built.error);
    app = await buildApp({
      host: '127.0.0.1',
      port: 0,
      managementClusters: [{ name: mc, kubeconfigPath: cluster.kubeconfigPath }],
      connection: { initialBackoffMs: 100, maxBackoffMs: 1000 },
      operations: { leaseDurationMs: 5_000, renewIntervalMs: 1_000, resyncIntervalMs: 1_000, log: () => {} },
      auth: { authenticate: built.authenticate, accessReviewTtlMs: 1_000 },
    });
    await app.start();
    await pollUntil(
      async () =>
        (await app!.gateway.fleet.whenSynced(1_000)) &&
        app!.gateway.operations.store(mc)?.synced &&
        app!.gateway.fleet.reader.clusters(mc).items.length >= 3
          ? true
          : undefined,
      { what: 'the gateway synced with the clusters and operations', timeoutMs: 120_000, intervalMs: 200 },
    );
  }, 600_000);

  afterAll(async () => {
    await app?.stop();
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 120_000);

  const clustersQuery = `{
    clusters(first: 100) { totalCount edges { node { id name namespace } } }
    fleetSummary { clusters }
  }`;

  interface ClustersAnswer {
    clusters: { totalCount: number; edges: Array<{ node: { id: string; name: string; namespace: string } }> };
    fleetSummary: { clusters: number };
  }

  it('each user sees exactly the clusters of the namespaces the API server lets them list, in counts and summaries too', async (ctx) => {
    if (skip !== undefined) return ctx.skip();
    const seen: Record<string, string[]> = {};
    for (const user of Object.values(users)) {
      const expected = await expectedClusters(user);
      const answer = await authorizedGql<ClustersAnswer>(user, clustersQuery);
      expect(answer.errors).toBeUndefined();
      const names = answer.data!.clusters.edges.map((e) => `${e.node.namespace}/${e.node.name}`).sort();
      expect(names, user.name).toEqual(expected);
      expect(answer.data!.clusters.totalCount).toBe(expected.length);
      expect(answer.data!.fleetSummary.clusters).toBe(expected.length);
      seen[user.name] = names;
    }
    // The fixture gives them different views: alice only A, bob A and B, carol nothing.
    expect(seen['alice']!.every((n) => n.startsWith(`${nsA}/`))).toBe(true);
    expect(seen['bob']!.some((n) => n.startsWith(`${nsB}/`))).toBe(true);
    expect(seen['carol']).toEqual([]);
  });

  it('a forbidden node ID answers exactly like a missing one, for node and for mutations', async (ctx) => {
    if (skip !== undefined) return ctx.skip();
    expect(await apiServerAllows(users.alice, 'list', 'cluster.x-k8s.io', 'clusters', nsB)).toBe(false);
    const nodeQuery = 'query($id: ID!) { node(id: $id) { id } }';
    const forbidden = await authorizedGql(users.alice, nodeQuery, { id: clusterId(nsB, 'b1') });
    const missing = await authorizedGql(users.alice, nodeQuery, { id: clusterId(nsB, 'zz') });
    expect(forbidden).toEqual({ data: { node: null } });
    expect(missing).toEqual(forbidden);
    // bob, who may list it, does see it.
    expect(await authorizedGql(users.bob, nodeQuery, { id: clusterId(nsB, 'b1') })).toEqual({
      data: { node: { id: clusterId(nsB, 'b1') } },
    });
    const pause = 'mutation($id: ID!) { pauseCluster(id: $id) { __typename ... on Error { message } } }';
    const pauseForbidden = (
      await authorizedGql<{ pauseCluster: { __typename: string; message: string } }>(users.alice, pause, {
        id: clusterId(nsB, 'b1'),
      })
    ).data!.pauseCluster;
    const pauseMissing = (
      await authorizedGql<{ pauseCluster: { __typename: string; message: string } }>(users.alice, pause, {
        id: clusterId(nsB, 'zz'),
      })
    ).data!.pauseCluster;
    expect(pauseForbidden.__typename).toBe('NotFoundError');
    expect(pauseForbidden).toEqual({ ...pauseMissing, message: pauseMissing.message.replace('zz', 'b1') });
  });

  it('createCluster from a ClusterClass in a namespace the user may not list answers exactly like a missing class', async (ctx) => {
    const capiDir = sharedCapiDir();
    if (skip !== undefined || capiDir === undefined) return ctx.skip();
    await createAll(kube, render(capiDir, 'clusterclass-in-memory.yaml', { NAMESPACE: nsB }), nsB);
    await pollUntil(
      async () => (app!.gateway.fleet.reader.clusterClass(mc, nsB, 'in-memory') ? true : undefined),
      { what: 'the gateway sees the ClusterClass in B', timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(await apiServerAllows(users.alice, 'list', 'cluster.x-k8s.io', 'clusterclasses', nsB)).toBe(false);
    const create = `mutation($input: CreateClusterInput!) { createCluster(input: $input) {
      __typename ... on Error { message } ... on ValidationError { fields { path message } }
    } }`;
    const createInput = (clusterClass: string) => ({
      managementCluster: mc,
      namespace: nsA,
      name: 'from-b',
      clusterClass,
      classNamespace: nsB,
      kubernetesVersion: 'v1.36.0',
      controlPlaneReplicas: 1,
      workers: [{ name: 'md-0', class: 'default-worker', replicas: 1 }],
    });
    const attempt = async (clusterClass: string) =>
      JSON.stringify((await authorizedGql(users.alice, create, { input: createInput(clusterClass) })).data);
    const hidden = await attempt('in-memory');
    const missing = await attempt('no-such-class');
    expect(hidden).toContain('"__typename":"ValidationError"');
    expect(hidden).toBe(missing.replaceAll('no-such-class', 'in-memory'));

    // A class alice may see, in her own namespace: the create is then the API server's decision
    // for her, and she may not create Clusters.
    expect(await apiServerAllows(users.alice, 'create', 'cluster.x-k8s.io', 'clusters', nsA)).toBe(false);
    await createAll(kube, render(capiDir, 'clusterclass-in-memory.yaml', { NAMESPACE: nsA }), nsA);
    await pollUntil(
      async () => (app!.gateway.fleet.reader.clusterClass(mc, nsA, 'in-memory') ? true : undefined),
      { what: 'the gateway sees the ClusterClass in A', timeoutMs: 30_000, intervalMs: 200 },
    );
    const own = await authorizedGql<{ createCluster: { __typename: string; message?: string } }>(
      users.alice,
      create,
      {
        input: { ...createInput('in-memory'), classNamespace: nsA },
      },
    );
    expect(own.data!.createCluster.__typename).toBe('ForbiddenError');
    await expect(kube.objects.read(clusterObject(nsA, 'from-b'))).rejects.toThrow();
  });

  const pauseMutation = `mutation($id: ID!) { pauseCluster(id: $id) {
    __typename
    ... on ClusterOperationPayload { operation { type requestedBy } }
    ... on Error { message }
  } }`;
  const resumeMutation = pauseMutation.replace('pauseCluster', 'resumeCluster');

  it('writes are the API server’s decision for the user: ForbiddenError without patch, an operation requested by the user with it', async (ctx) => {
    if (skip !== undefined) return ctx.skip();
    const id = clusterId(nsA, 'a2');
    type Answer = {
      pauseCluster: { __typename: string; message?: string; operation?: { requestedBy: string } };
    };
    expect(await apiServerAllows(users.bob, 'patch', 'cluster.x-k8s.io', 'clusters', nsA, 'a2')).toBe(false);
    const denied = (await authorizedGql<Answer>(users.bob, pauseMutation, { id })).data!.pauseCluster;
    expect(denied.__typename).toBe('ForbiddenError');
    expect(denied.message).toMatch(/403/);
    const object = (await kube.objects.read(clusterObject(nsA, 'a2'))) as { spec?: { paused?: boolean } };
    expect(object.spec?.paused ?? false).toBe(false);

    expect(await apiServerAllows(users.alice, 'patch', 'cluster.x-k8s.io', 'clusters', nsA, 'a2')).toBe(true);
    const allowed = (await authorizedGql<Answer>(users.alice, pauseMutation, { id })).data!.pauseCluster;
    expect(allowed).toEqual({
      __typename: 'ClusterOperationPayload',
      operation: { type: 'PauseCluster', requestedBy: 'alice' },
    });
    const paused = (await kube.objects.read(clusterObject(nsA, 'a2'))) as { spec?: { paused?: boolean } };
    expect(paused.spec?.paused).toBe(true);
    const resumed = await authorizedGql<{ resumeCluster: { __typename: string } }>(
      users.alice,
      resumeMutation,
      { id },
    );
    expect(resumed.data!.resumeCluster.__typename).toBe('ClusterOperationPayload');
  });

  it('Cluster.kubeconfig only for a user who may get the Secret, recorded in the operations history', async (ctx) => {
    if (skip !== undefined) return ctx.skip();
    const query = `query($id: ID!) { node(id: $id) { ... on Cluster { name kubeconfig } } }`;
    const id = clusterId(nsA, 'a1');
    expect(await apiServerAllows(users.alice, 'get', '', 'secrets', nsA, 'a1-kubeconfig')).toBe(true);
    const granted = await authorizedGql<{ node: { kubeconfig: string } }>(users.alice, query, { id });
    expect(granted.errors).toBeUndefined();
    expect(granted.data!.node.kubeconfig).toBe(`apiVersion: v1\nkind: Config\n# a1 ${secretMarker}\n`);

    expect(await apiServerAllows(users.bob, 'get', '', 'secrets', nsA, 'a1-kubeconfig')).toBe(false);
    const refused = await authorizedGql<{ node: { kubeconfig: string | null } | null }>(users.bob, query, {
      id,
    });
    expect(refused.data!.node).toEqual({ name: 'a1', kubeconfig: null });
    expect(refused.errors).toEqual([
      expect.objectContaining({
        path: ['node', 'kubeconfig'],
        extensions: expect.objectContaining({ code: 'FORBIDDEN' }) as unknown,
      }),
    ]);
    expect(JSON.stringify(refused)).not.toContain(secretMarker);

    const history = await authorizedGql<{
      operations: { edges: Array<{ node: { type: string; requestedBy: string } }> };
    }>(
      users.alice,
      `{ operations(first: 50, filter: { types: ["ReadKubeconfig"] }) { edges { node { type requestedBy } } } }`,
    );
    const readers = history.data!.operations.edges.map((e) => e.node.requestedBy);
    expect(readers).toContain('alice');
    expect(readers).not.toContain('bob');
  });

  it('subscriptions: each user’s clusterEvents and fleetSummaryUpdated carry only what they may list', async (ctx) => {
    if (skip !== undefined) return ctx.skip();
    const subscribe = (user: User, query: string): WsSubscriber =>
      wsSubscribe(
        app!.url,
        query,
        {},
        createClient({
          url: app!.url.replace(/^http/, 'ws'),
          webSocketImpl: WebSocket,
          retryAttempts: 0,
          connectionParams: { token: user.token },
        }),
      );
    const events = 'subscription { clusterEvents { type cluster { name namespace } } }';
    const summary = 'subscription { fleetSummaryUpdated { clusters } }';
    const alice = subscribe(users.alice, events);
    const bob = subscribe(users.bob, events);
    const aliceSummary = subscribe(users.alice, summary);
    try {
      const initialAlice = (await expectedClusters(users.alice)).length;
      const initialBob = (await expectedClusters(users.bob)).length;
      await alice.waitFor(initialAlice, 30_000);
      await bob.waitFor(initialBob, 30_000);
      await aliceSummary.waitFor(1, 30_000);
      // B first: had alice been told of it, it would come before A's.
      await createCluster(nsB, 'b-new');
      await createCluster(nsA, 'a-new');
      const added = (s: WsSubscriber) =>
        s.results
          .map(
            (r) =>
              r.data?.['clusterEvents'] as
                { type: string; cluster: { name: string; namespace: string } } | undefined,
          )
          // ADDED, or MODIFIED when another cluster's event already took it into the
          // subscriber's set (clusterEvents compares whole sets per message).
          .filter((e) => e?.type === 'ADDED' || e?.type === 'MODIFIED')
          .map((e) => `${e!.cluster.namespace}/${e!.cluster.name}`);
      await pollUntil(async () => (added(alice).includes(`${nsA}/a-new`) ? true : undefined), {
        what: 'alice told of a-new',
        timeoutMs: 30_000,
        intervalMs: 50,
      }).catch((err: Error) => {
        throw new Error(`${err.message}; alice received ${JSON.stringify(alice.results)}`);
      });
      await pollUntil(
        async () =>
          added(bob).includes(`${nsA}/a-new`) && added(bob).includes(`${nsB}/b-new`) ? true : undefined,
        { what: 'bob told of both', timeoutMs: 30_000, intervalMs: 50 },
      );
      expect(added(alice).every((n) => n.startsWith(`${nsA}/`))).toBe(true);
      const everyAliceEvent = alice.results.map((r) => JSON.stringify(r));
      expect(everyAliceEvent.join('\n')).not.toContain(nsB);
      await pollUntil(
        async () =>
          aliceSummary.results.some(
            (r) => (r.data?.['fleetSummaryUpdated'] as { clusters: number }).clusters === initialAlice + 1,
          )
            ? true
            : undefined,
        { what: 'alice’s summary counts a-new', timeoutMs: 30_000, intervalMs: 50 },
      );
      const counts = aliceSummary.results.map(
        (r) => (r.data?.['fleetSummaryUpdated'] as { clusters: number }).clusters,
      );
      expect(Math.max(...counts)).toBe(initialAlice + 1);
      expect(counts[0]).toBe(initialAlice);
    } finally {
      await Promise.all([alice.close(), bob.close(), aliceSummary.close()]);
    }
  });
});

/** Undefined when the API server answers SubjectAccessReviews, else why not. */
async function fetchSubjectAccessReviewSupport(kube: TestKube): Promise<string | undefined> {
  try {
    await kube.kc.makeApiClient(AuthorizationV1Api).createSubjectAccessReview({
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: { user: 'probe', resourceAttributes: { verb: 'list', resource: 'pods', namespace: 'default' } },
      },
    });
    return undefined;
  } catch (err) {
    return `its API server does not answer SubjectAccessReview (${(err as { code?: number }).code ?? String(err)})`;
  }
}
