/**
 * Authentication from a token file, RBAC on every request, access reviews and impersonation,
 * as kube-apiserver answers them (messages and Status shapes included).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKubectl } from '../../../test/support/embedded-cluster.ts';
import {
  eventually,
  rawClient,
  startTestApiServer,
  type RawClient,
  type TestApiServer,
} from './raw-client.ts';

const tokens = [
  'alice-token,alice,uid-alice,"devs,qa"',
  'bob-token,bob,uid-bob',
  '"carol-token",carol,uid-carol,ops',
].join('\n');

const rbac = 'rbac.authorization.k8s.io';

describe('RBAC on the embedded API server', () => {
  let server: TestApiServer;
  let dir: string;
  let admin: RawClient;
  const as = (token: string): RawClient => rawClient({ url: server.url, caPem: server.caPem, token });
  const create = async (path: string, body: object) => {
    const response = await admin.send('POST', path, body);
    if (response.status !== 201) throw new Error(`${path}: ${response.status} ${response.text}`);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rbac-test-'));
    await writeFile(join(dir, 'tokens.csv'), tokens, { mode: 0o600 });
    server = await startTestApiServer({ tokenAuthFile: join(dir, 'tokens.csv') });
    admin = server.client;
    await create('/api/v1/namespaces', { metadata: { name: 'team-a' } });
    // alice reads clusters in team-a, one cluster by name, and writes one cluster's status.
    await create(`/apis/${rbac}/v1/namespaces/team-a/roles`, {
      metadata: { name: 'cluster-reader' },
      rules: [
        { apiGroups: ['cluster.x-k8s.io'], resources: ['clusters'], verbs: ['list', 'watch'] },
        { apiGroups: ['cluster.x-k8s.io'], resources: ['clusters'], resourceNames: ['a'], verbs: ['get'] },
        { apiGroups: ['cluster.x-k8s.io'], resources: ['clusters/status'], verbs: ['patch'] },
      ],
    });
    await create(`/apis/${rbac}/v1/namespaces/team-a/rolebindings`, {
      metadata: { name: 'alice-reads' },
      roleRef: { apiGroup: rbac, kind: 'Role', name: 'cluster-reader' },
      subjects: [{ apiGroup: rbac, kind: 'User', name: 'alice' }],
    });
    // The ops group (carol) may read /metrics and impersonate bob and the qa group.
    await create(`/apis/${rbac}/v1/clusterroles`, {
      metadata: { name: 'ops' },
      rules: [
        { nonResourceURLs: ['/metrics', '/logs/*'], verbs: ['get'] },
        { apiGroups: [''], resources: ['users'], resourceNames: ['bob'], verbs: ['impersonate'] },
        { apiGroups: [''], resources: ['groups'], resourceNames: ['qa'], verbs: ['impersonate'] },
      ],
    });
    await create(`/apis/${rbac}/v1/clusterrolebindings`, {
      metadata: { name: 'ops' },
      roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'ops' },
      subjects: [{ apiGroup: rbac, kind: 'Group', name: 'ops' }],
    });
    for (const name of ['a', 'b'])
      await create('/apis/cluster.x-k8s.io/v1beta2/namespaces/team-a/clusters', {
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Cluster',
        metadata: { name },
        spec: { paused: true },
      });
  });
  afterAll(async () => {
    await server?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers 401 with a Status for a token neither the kubeconfig nor the token file holds', async () => {
    const response = await as('nobody-token').send('GET', '/api/v1/namespaces');
    expect(response.status).toBe(401);
    expect(response.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
  });

  it('knows token-file users with their groups plus system:authenticated, and the admin as system:masters', async () => {
    const whoami = async (client: RawClient) =>
      (
        (await client.send('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {})).json()[
          'status'
        ] as {
          userInfo: unknown;
        }
      ).userInfo;
    expect(await whoami(as('alice-token'))).toEqual({
      username: 'alice',
      uid: 'uid-alice',
      groups: ['devs', 'qa', 'system:authenticated'],
    });
    expect(await whoami(as('carol-token'))).toMatchObject({
      username: 'carol',
      groups: ['ops', 'system:authenticated'],
    });
    expect(await whoami(admin)).toMatchObject({ groups: ['system:masters', 'system:authenticated'] });
  });

  it('lets any authenticated user do discovery and nothing else by default', async () => {
    const bob = as('bob-token');
    for (const path of ['/api', '/apis', '/api/v1', `/apis/${rbac}/v1`, '/openapi/v3', '/version'])
      expect((await bob.send('GET', path)).status, path).toBe(200);
    const response = await bob.send('GET', '/apis/cluster.x-k8s.io/v1beta2/namespaces/default/clusters');
    expect(response.status).toBe(403);
    expect(response.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'clusters.cluster.x-k8s.io is forbidden: User "bob" cannot list resource "clusters" in API group "cluster.x-k8s.io" in the namespace "default"',
      reason: 'Forbidden',
      details: { group: 'cluster.x-k8s.io', kind: 'clusters' },
      code: 403,
    });
    const path = await bob.send('GET', '/metrics');
    expect(path.json()).toMatchObject({
      message: 'forbidden: User "bob" cannot get path "/metrics"',
      details: {},
    });
    const cluster = await bob.send('GET', '/apis/cluster.x-k8s.io/v1beta2/clusters');
    expect(cluster.json()['message']).toBe(
      'clusters.cluster.x-k8s.io is forbidden: User "bob" cannot list resource "clusters" in API group "cluster.x-k8s.io" at the cluster scope',
    );
  });

  it('evaluates verbs, namespaces, resourceNames and subresources for every request', async () => {
    const alice = as('alice-token');
    const base = '/apis/cluster.x-k8s.io/v1beta2/namespaces/team-a/clusters';
    expect((await alice.send('GET', base)).status).toBe(200);
    expect(
      (await alice.send('GET', '/apis/cluster.x-k8s.io/v1beta2/namespaces/default/clusters')).status,
    ).toBe(403);
    expect((await alice.send('GET', `${base}/a`)).status).toBe(200);
    const b = await alice.send('GET', `${base}/b`);
    expect(b.status).toBe(403);
    expect(b.json()).toMatchObject({
      message:
        'clusters.cluster.x-k8s.io "b" is forbidden: User "alice" cannot get resource "clusters" in API group "cluster.x-k8s.io" in the namespace "team-a"',
      details: { name: 'b', group: 'cluster.x-k8s.io', kind: 'clusters' },
    });
    const merge = { 'Content-Type': 'application/merge-patch+json' };
    expect(
      (await alice.send('PATCH', `${base}/b/status`, { metadata: { annotations: { note: 'x' } } }, merge))
        .status,
    ).toBe(200);
    const spec = await alice.send('PATCH', `${base}/b`, { metadata: { labels: { x: 'y' } } }, merge);
    expect(spec.json()['message']).toBe(
      'clusters.cluster.x-k8s.io "b" is forbidden: User "alice" cannot patch resource "clusters" in API group "cluster.x-k8s.io" in the namespace "team-a"',
    );
    const deleteAll = await alice.send('DELETE', base);
    expect(deleteAll.json()['message']).toContain('cannot deletecollection resource "clusters"');
    expect((await alice.send('GET', `${base}?watch=true&timeoutSeconds=1`)).status).toBe(200);
    // A list or watch narrowed to one name by field selector is authorized for that name.
    const byName = await alice.send('GET', `${base}?fieldSelector=metadata.name%3Db`);
    expect(byName.status).toBe(200);
  });

  it('allows non-resource URLs by path and prefix', async () => {
    const carol = as('carol-token');
    // Allowed (then unknown to this server: 404), not forbidden.
    expect((await carol.send('GET', '/metrics')).status).toBe(404);
    expect((await carol.send('GET', '/logs/x/y')).status).toBe(404);
    expect((await carol.send('GET', '/debug')).status).toBe(403);
  });

  it('answers SubjectAccessReviews as the authorizer decides, with kube reasons', async () => {
    const review = async (spec: object, client = admin) =>
      (await client.send('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', { spec })).json();
    const attributes = {
      namespace: 'team-a',
      verb: 'get',
      group: 'cluster.x-k8s.io',
      resource: 'clusters',
      name: 'a',
    };
    expect((await review({ user: 'alice', resourceAttributes: attributes }))['status']).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "alice-reads/team-a" of Role "cluster-reader" to User "alice"',
    });
    expect(
      (await review({ user: 'alice', resourceAttributes: { ...attributes, name: 'b' } }))['status'],
    ).toEqual({
      allowed: false,
    });
    expect(
      (
        await review({
          user: 'dave',
          groups: ['ops'],
          nonResourceAttributes: { path: '/metrics', verb: 'get' },
        })
      )['status'],
    ).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by ClusterRoleBinding "ops" of ClusterRole "ops" to Group "ops"',
    });
    const invalid = await admin.send('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      spec: { resourceAttributes: attributes },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.json()['message']).toBe(
      '.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified',
    );
    // Creating a SubjectAccessReview is itself authorized; SelfSubjectAccessReview is open to all.
    const bob = as('bob-token');
    expect(
      (await bob.send('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', { spec: {} })).status,
    ).toBe(403);
    const self = await as('alice-token').send(
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      {
        spec: { resourceAttributes: attributes },
      },
    );
    expect(self.status).toBe(201);
    expect(self.json()['status']).toMatchObject({ allowed: true });
    const local = await admin.send(
      'POST',
      '/apis/authorization.k8s.io/v1/namespaces/team-a/localsubjectaccessreviews',
      {
        spec: { user: 'alice', resourceAttributes: attributes },
      },
    );
    expect(local.json()['status']).toMatchObject({ allowed: true });
  });

  it('impersonates only what the requester may impersonate, then authorizes as the impersonated user', async () => {
    const carol = as('carol-token');
    const clusters = '/apis/cluster.x-k8s.io/v1beta2/namespaces/team-a/clusters';
    const denied = await as('alice-token').send('GET', clusters, undefined, { 'Impersonate-User': 'bob' });
    expect(denied.status).toBe(403);
    expect(denied.json()).toMatchObject({
      message:
        'clusters.cluster.x-k8s.io is forbidden: User "alice" cannot impersonate-on:user-info:list resource "clusters" in API group "cluster.x-k8s.io" in the namespace "team-a"',
    });
    // carol may be bob, who can list nothing…
    const asBob = await carol.send('GET', clusters, undefined, { 'Impersonate-User': 'bob' });
    expect(asBob.json()['message']).toContain('User "bob" cannot list resource "clusters"');
    // …and bob in group qa, not in group devs.
    const groupDenied = await carol.send('GET', clusters, undefined, {
      'Impersonate-User': 'bob',
      'Impersonate-Group': 'devs',
    });
    expect(groupDenied.json()['message']).toBe(
      'clusters.cluster.x-k8s.io is forbidden: User "carol" cannot impersonate-on:user-info:list resource "clusters" in API group "cluster.x-k8s.io" in the namespace "team-a"',
    );
    expect((await carol.send('GET', clusters, undefined, { 'Impersonate-User': 'alice' })).status).toBe(403);
    // The admin (system:masters) impersonates anyone; alice's own binding applies then.
    expect((await admin.send('GET', clusters, undefined, { 'Impersonate-User': 'alice' })).status).toBe(200);
    const whoami = await admin.send(
      'POST',
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      {},
      {
        'Impersonate-User': 'alice',
        'Impersonate-Group': 'qa',
      },
    );
    expect(whoami.json()['status']).toEqual({
      userInfo: { username: 'alice', groups: ['qa', 'system:authenticated'] },
    });
  });

  it('names a binding to a missing role in the 403 reason', async () => {
    await create(`/apis/${rbac}/v1/namespaces/team-a/rolebindings`, {
      metadata: { name: 'bob-missing' },
      roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'no-such-role' },
      subjects: [{ apiGroup: rbac, kind: 'User', name: 'bob' }],
    });
    const response = await as('bob-token').send('GET', '/api/v1/namespaces/team-a/configmaps');
    expect(response.json()['message']).toBe(
      'configmaps is forbidden: User "bob" cannot list resource "configmaps" in API group "" in the namespace "team-a": RBAC: clusterrole.rbac.authorization.k8s.io "no-such-role" not found',
    );
  });

  it('aggregates ClusterRoles into view/edit/admin, in evaluation and in the stored rules', async () => {
    await create(`/apis/${rbac}/v1/clusterroles`, {
      metadata: { name: 'capi-view', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
      rules: [{ apiGroups: ['cluster.x-k8s.io'], resources: ['clusters'], verbs: ['get', 'list', 'watch'] }],
    });
    await create(`/apis/${rbac}/v1/namespaces/default/rolebindings`, {
      metadata: { name: 'alice-admin' },
      roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'admin' },
      subjects: [{ apiGroup: rbac, kind: 'User', name: 'alice' }],
    });
    expect(
      (await as('alice-token').send('GET', '/apis/cluster.x-k8s.io/v1beta2/namespaces/default/clusters'))
        .status,
    ).toBe(200);
    await eventually(async () => {
      const admin_ = (await admin.send('GET', `/apis/${rbac}/v1/clusterroles/admin`)).json();
      return JSON.stringify(admin_['rules']).includes('cluster.x-k8s.io') ? true : undefined;
    });
  });

  it('refuses to let a user grant what it does not hold (escalation), unless it may escalate or bind', async () => {
    const alice = as('alice-token'); // admin in default (via the aggregated admin role)
    const roles = `/apis/${rbac}/v1/namespaces/default/roles`;
    const ok = await alice.send('POST', roles, {
      metadata: { name: 'secret-reader' },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
    });
    expect(ok.status).toBe(201);
    const escalating = await alice.send('POST', roles, {
      metadata: { name: 'everything' },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list'] }],
    });
    expect(escalating.status).toBe(403);
    expect(escalating.json()['message']).toBe(
      'roles.rbac.authorization.k8s.io "everything" is forbidden: user "alice" (groups=["devs" "qa" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:["*"], Resources:["*"], Verbs:["get" "list"]}',
    );
    const binding = await alice.send('POST', `/apis/${rbac}/v1/namespaces/default/rolebindings`, {
      metadata: { name: 'bob-admin' },
      roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: rbac, kind: 'User', name: 'bob' }],
    });
    expect(binding.status).toBe(403);
  });

  it('works with the real kubectl: create role/rolebinding/clusterrole, auth can-i, --token users', async () => {
    const kubectl = (args: string[]) => runKubectl(server.kubeconfigPath, args);
    const ok = async (args: string[]) => {
      const result = await kubectl(args);
      if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
      return result.stdout;
    };
    expect(
      await ok(['create', 'role', 'cm-reader', '--verb=get,list', '--resource=configmaps', '-n', 'team-a']),
    ).toContain('role.rbac.authorization.k8s.io/cm-reader created');
    expect(
      await ok(['create', 'rolebinding', 'dave-cm', '--role=cm-reader', '--user=dave', '-n', 'team-a']),
    ).toContain('created');
    expect(
      await ok([
        'create',
        'clusterrole',
        'ns-default',
        '--verb=get',
        '--resource=namespaces',
        '--resource-name=default',
      ]),
    ).toContain('clusterrole.rbac.authorization.k8s.io/ns-default created');
    expect(
      await ok(['create', 'clusterrolebinding', 'qa-ns', '--clusterrole=ns-default', '--group=qa']),
    ).toContain('created');
    expect((await ok(['auth', 'can-i', 'list', 'configmaps', '-n', 'team-a', '--as', 'dave'])).trim()).toBe(
      'yes',
    );
    const no = await kubectl(['auth', 'can-i', 'list', 'secrets', '-n', 'team-a', '--as', 'dave']);
    expect([no.code, no.stdout.trim()]).toEqual([1, 'no']);
    expect(
      (await ok(['auth', 'can-i', 'get', 'namespace/default', '--as', 'x', '--as-group', 'qa'])).trim(),
    ).toBe('yes');
    const alice = ['--token', 'alice-token', '--user', ''];
    expect((await ok([...alice, 'auth', 'can-i', 'get', 'clusters/a', '-n', 'team-a'])).trim()).toBe('yes');
    const forbidden = await kubectl([...alice, 'get', 'secrets', '-n', 'team-a']);
    expect(forbidden.stderr).toContain(
      'Error from server (Forbidden): secrets is forbidden: User "alice" cannot list resource "secrets" in API group "" in the namespace "team-a"',
    );
    expect(await ok(['get', 'clusterroles', 'cluster-admin', 'view', 'edit', 'admin', '-o', 'name'])).toBe(
      'clusterrole.rbac.authorization.k8s.io/cluster-admin\nclusterrole.rbac.authorization.k8s.io/view\nclusterrole.rbac.authorization.k8s.io/edit\nclusterrole.rbac.authorization.k8s.io/admin\n',
    );
  });
});
