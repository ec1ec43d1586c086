/**
 * Authentication and RBAC as a gateway relies on them: token-file users, 401 for unknown tokens,
 * Roles/ClusterRoles and their bindings evaluated per request (verbs, resourceNames,
 * subresources, non-resource URLs), the exact 403 Status, SubjectAccessReview answers and
 * reasons, impersonation with the `impersonate` verb checked, and escalation prevention. The
 * same fixture and the same expected answers on every management cluster.
 */
import { request, type RequestOptions } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { beforeAll, expect, it } from 'vitest';
import { runKubectl } from '../support/embedded-cluster.ts';
import type { TestKube } from './kube.ts';
import { rbacUsers, type ContractUser } from './rbac-users.ts';

export interface RbacContext {
  kube(): TestKube;
  kubeconfigPath(): string;
  namespace(): string;
  skip: string | undefined;
}

interface Response {
  status: number;
  body: Record<string, unknown>;
}

const rbac = 'rbac.authorization.k8s.io';

/** The admin kubeconfig with another bearer token (same server and CA). */
function withToken(admin: KubeConfig, token: string): KubeConfig {
  const kc = new KubeConfig();
  const cluster = admin.getCurrentCluster()!;
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name: 'contract-user', token }],
    contexts: [{ name: 'contract', cluster: cluster.name, user: 'contract-user' }],
    currentContext: 'contract',
  });
  return kc;
}

async function send(
  kc: KubeConfig,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const url = new URL(path, kc.getCurrentCluster()!.server);
  const options: RequestOptions = { method, headers: {} };
  await kc.applyToHTTPSOptions(options);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        ...options,
        headers: {
          ...options.headers,
          Accept: 'application/json',
          ...(payload ? { 'Content-Type': 'application/json' } : {}),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let parsed: Record<string, unknown> = {};
          try {
            parsed = JSON.parse(text) as Record<string, unknown>;
          } catch {
            // Not JSON (a real server's /metrics): the status code is what counts.
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** A Status body without what differs by server build (none of kube's fields, so far). */
function statusOf(response: Response): object {
  const { kind, apiVersion, status, message, reason, details, code } = response.body;
  return { httpStatus: response.status, kind, apiVersion, status, message, reason, details, code };
}

export function rbacTests(ctx: RbacContext): void {
  const skip = ctx.skip !== undefined;
  let admin: KubeConfig;
  const as = (user: ContractUser) => withToken(admin, user.token);
  const ns = () => ctx.namespace();
  const suffix = () => ns().replace(/^contract-/, '');
  const create = async (path: string, body: object) => {
    const response = await send(admin, 'POST', path, body);
    if (response.status !== 201)
      throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
  };

  beforeAll(async () => {
    if (skip) return;
    admin = ctx.kube().kc;
    const namespace = ns();
    await create(`/apis/${rbac}/v1/namespaces/${namespace}/roles`, {
      metadata: { name: 'cluster-reader' },
      rules: [
        { apiGroups: ['cluster.x-k8s.io'], resources: ['clusters'], verbs: ['list', 'watch'] },
        { apiGroups: ['cluster.x-k8s.io'], resources: ['clusters/status'], verbs: ['patch'] },
        { apiGroups: [''], resources: ['configmaps'], resourceNames: ['cm-a'], verbs: ['get'] },
        { apiGroups: [''], resources: ['configmaps'], resourceNames: ['cm-applied'], verbs: ['patch'] },
      ],
    });
    await create(`/apis/${rbac}/v1/namespaces/${namespace}/rolebindings`, {
      metadata: { name: 'alice-reads' },
      roleRef: { apiGroup: rbac, kind: 'Role', name: 'cluster-reader' },
      subjects: [{ apiGroup: rbac, kind: 'User', name: rbacUsers.alice.name }],
    });
    // Not the aggregated `admin` role: the real fixture runs no clusterrole-aggregation controller.
    await create(`/apis/${rbac}/v1/namespaces/${namespace}/roles`, {
      metadata: { name: 'role-writer' },
      rules: [
        { apiGroups: [rbac], resources: ['roles'], verbs: ['create', 'get'] },
        { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
      ],
    });
    await create(`/apis/${rbac}/v1/namespaces/${namespace}/rolebindings`, {
      metadata: { name: 'dave-writes-roles' },
      roleRef: { apiGroup: rbac, kind: 'Role', name: 'role-writer' },
      subjects: [{ apiGroup: rbac, kind: 'User', name: rbacUsers.dave.name }],
    });
    await create(`/apis/${rbac}/v1/namespaces/${namespace}/rolebindings`, {
      metadata: { name: 'bob-missing' },
      roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: `missing-${suffix()}` },
      subjects: [{ apiGroup: rbac, kind: 'User', name: rbacUsers.bob.name }],
    });
    await create(`/apis/${rbac}/v1/clusterroles`, {
      metadata: { name: `ops-${suffix()}` },
      rules: [
        { nonResourceURLs: ['/metrics'], verbs: ['get'] },
        {
          apiGroups: [''],
          resources: ['users'],
          resourceNames: [rbacUsers.bob.name],
          verbs: ['impersonate'],
        },
        { apiGroups: [''], resources: ['groups'], resourceNames: ['contract-qa'], verbs: ['impersonate'] },
      ],
    });
    await create(`/apis/${rbac}/v1/clusterrolebindings`, {
      metadata: { name: `ops-${suffix()}` },
      roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: `ops-${suffix()}` },
      subjects: [{ apiGroup: rbac, kind: 'User', name: rbacUsers.carol.name }],
    });
    for (const name of ['cm-a', 'cm-b'])
      await create(`/api/v1/namespaces/${namespace}/configmaps`, { metadata: { name }, data: { k: 'v' } });
  });

  it.skipIf(skip)('answers 401 with an Unauthorized Status for an unknown token', async () => {
    const response = await send(withToken(admin, 'not-a-known-token'), 'GET', '/api/v1/namespaces');
    expect(statusOf(response)).toEqual({
      httpStatus: 401,
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      details: undefined,
      code: 401,
    });
  });

  it.skipIf(skip)('knows token-file users with their groups and system:authenticated', async () => {
    const whoami = await send(
      as(rbacUsers.alice),
      'POST',
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'SelfSubjectReview',
      },
    );
    expect(whoami.status).toBe(201);
    expect(whoami.body['status']).toMatchObject({
      userInfo: {
        username: 'rbac-alice',
        uid: 'uid-rbac-alice',
        groups: ['contract-devs', 'system:authenticated'],
      },
    });
  });

  it.skipIf(skip)(
    'lets every authenticated user discover the API, and answers 403 as kube does otherwise',
    async () => {
      const bob = as(rbacUsers.bob);
      for (const path of ['/api', '/apis', '/api/v1', '/apis/cluster.x-k8s.io/v1beta2', '/version'])
        expect((await send(bob, 'GET', path)).status, path).toBe(200);
      expect(
        statusOf(await send(bob, 'GET', `/apis/cluster.x-k8s.io/v1beta2/namespaces/${ns()}/clusters`)),
      ).toEqual({
        httpStatus: 403,
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        message: `clusters.cluster.x-k8s.io is forbidden: User "rbac-bob" cannot list resource "clusters" in API group "cluster.x-k8s.io" in the namespace "${ns()}": RBAC: clusterrole.rbac.authorization.k8s.io "missing-${suffix()}" not found`,
        reason: 'Forbidden',
        details: { group: 'cluster.x-k8s.io', kind: 'clusters' },
        code: 403,
      });
      expect(statusOf(await send(bob, 'GET', '/apis/cluster.x-k8s.io/v1beta2/clusters'))).toMatchObject({
        httpStatus: 403,
        message:
          'clusters.cluster.x-k8s.io is forbidden: User "rbac-bob" cannot list resource "clusters" in API group "cluster.x-k8s.io" at the cluster scope',
      });
      expect(statusOf(await send(bob, 'GET', '/metrics'))).toMatchObject({
        httpStatus: 403,
        message: 'forbidden: User "rbac-bob" cannot get path "/metrics"',
        details: {},
      });
      // carol may read /metrics: allowed (a real server serves it, the embedded one answers 404).
      expect((await send(as(rbacUsers.carol), 'GET', '/metrics')).status).not.toBe(403);
    },
  );

  it.skipIf(skip)(
    'evaluates verbs, namespaces, resourceNames and subresources before looking objects up',
    async () => {
      const alice = as(rbacUsers.alice);
      const clusters = `/apis/cluster.x-k8s.io/v1beta2/namespaces/${ns()}/clusters`;
      expect((await send(alice, 'GET', clusters)).status).toBe(200);
      expect(
        (await send(alice, 'GET', '/apis/cluster.x-k8s.io/v1beta2/namespaces/default/clusters')).status,
      ).toBe(403);
      expect((await send(alice, 'GET', `/api/v1/namespaces/${ns()}/configmaps/cm-a`)).status).toBe(200);
      expect(statusOf(await send(alice, 'GET', `/api/v1/namespaces/${ns()}/configmaps/cm-b`))).toMatchObject({
        httpStatus: 403,
        message: `configmaps "cm-b" is forbidden: User "rbac-alice" cannot get resource "configmaps" in API group "" in the namespace "${ns()}"`,
        details: { name: 'cm-b', kind: 'configmaps' },
      });
      const merge = { 'Content-Type': 'application/merge-patch+json' };
      // Allowed on the status subresource: the missing object is a 404, not a 403.
      expect((await send(alice, 'PATCH', `${clusters}/none/status`, { status: {} }, merge)).status).toBe(404);
      expect(statusOf(await send(alice, 'PATCH', `${clusters}/none`, { metadata: {} }, merge))).toMatchObject(
        {
          httpStatus: 403,
          message: `clusters.cluster.x-k8s.io "none" is forbidden: User "rbac-alice" cannot patch resource "clusters" in API group "cluster.x-k8s.io" in the namespace "${ns()}"`,
        },
      );
      // patch without create: an apply that would create the object is refused as a create.
      const applied = await send(
        alice,
        'PATCH',
        `/api/v1/namespaces/${ns()}/configmaps/cm-applied?fieldManager=contract`,
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm-applied' }, data: { a: '1' } },
        { 'Content-Type': 'application/apply-patch+yaml' },
      );
      expect(statusOf(applied)).toMatchObject({
        httpStatus: 403,
        message: `configmaps "cm-applied" is forbidden: User "rbac-alice" cannot create resource "configmaps" in API group "" in the namespace "${ns()}"`,
        details: { name: 'cm-applied', kind: 'configmaps' },
      });
      expect(statusOf(await send(alice, 'DELETE', clusters))).toMatchObject({
        httpStatus: 403,
        message: `clusters.cluster.x-k8s.io is forbidden: User "rbac-alice" cannot deletecollection resource "clusters" in API group "cluster.x-k8s.io" in the namespace "${ns()}"`,
      });
    },
  );

  it.skipIf(skip)('answers SubjectAccessReviews with the same decisions and reasons', async () => {
    const review = async (spec: object) =>
      (
        await send(admin, 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SubjectAccessReview',
          spec,
        })
      ).body['status'];
    const clusterList = { namespace: ns(), verb: 'list', group: 'cluster.x-k8s.io', resource: 'clusters' };
    expect(await review({ user: rbacUsers.alice.name, resourceAttributes: clusterList })).toEqual({
      allowed: true,
      reason: `RBAC: allowed by RoleBinding "alice-reads/${ns()}" of Role "cluster-reader" to User "rbac-alice"`,
    });
    expect(
      await review({
        user: rbacUsers.alice.name,
        resourceAttributes: { ...clusterList, verb: 'delete', name: 'x' },
      }),
    ).toEqual({ allowed: false });
    expect(
      await review({
        user: rbacUsers.alice.name,
        groups: ['system:authenticated'],
        nonResourceAttributes: { path: '/apis', verb: 'get' },
      }),
    ).toEqual({
      allowed: true,
      reason:
        'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"',
    });
    expect(await review({ user: rbacUsers.bob.name, resourceAttributes: clusterList })).toEqual({
      allowed: false,
      reason: `RBAC: clusterrole.rbac.authorization.k8s.io "missing-${suffix()}" not found`,
    });
    const invalid = await send(admin, 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: { resourceAttributes: clusterList },
    });
    expect([invalid.status, invalid.body['message']]).toEqual([
      422,
      // kube names no kind: the review has no TypeMeta when it is validated.
      '.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified',
    ]);
    const self = await send(
      as(rbacUsers.alice),
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: clusterList },
      },
    );
    expect(self.body['status']).toMatchObject({ allowed: true });
    expect(
      (await send(as(rbacUsers.alice), 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {}))
        .status,
    ).toBe(403);
  });

  it.skipIf(skip)(
    'impersonates only with the impersonate verb, then authorizes as the impersonated user',
    async () => {
      const clusters = `/apis/cluster.x-k8s.io/v1beta2/namespaces/${ns()}/clusters`;
      const whoami = (kc: KubeConfig, headers: Record<string, string>) =>
        send(
          kc,
          'POST',
          '/apis/authentication.k8s.io/v1/selfsubjectreviews',
          { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
          headers,
        );
      // A requester without impersonation rights: kube 1.36 names the constrained-impersonation
      // check on the request itself.
      expect(
        statusOf(
          await send(as(rbacUsers.alice), 'GET', clusters, undefined, {
            'Impersonate-User': rbacUsers.bob.name,
          }),
        ),
      ).toMatchObject({
        httpStatus: 403,
        message: `clusters.cluster.x-k8s.io is forbidden: User "rbac-alice" cannot impersonate-on:user-info:list resource "clusters" in API group "cluster.x-k8s.io" in the namespace "${ns()}"`,
        details: { group: 'cluster.x-k8s.io', kind: 'clusters' },
      });
      expect(
        statusOf(await whoami(as(rbacUsers.alice), { 'Impersonate-User': rbacUsers.bob.name })),
      ).toMatchObject({
        httpStatus: 403,
        message:
          'selfsubjectreviews.authentication.k8s.io is forbidden: User "rbac-alice" cannot impersonate-on:user-info:create resource "selfsubjectreviews" in API group "authentication.k8s.io" at the cluster scope',
      });
      const carol = as(rbacUsers.carol);
      const asBob = await whoami(carol, {
        'Impersonate-User': rbacUsers.bob.name,
        'Impersonate-Group': 'contract-qa',
      });
      expect(asBob.body['status']).toMatchObject({
        userInfo: { username: 'rbac-bob', groups: ['contract-qa', 'system:authenticated'] },
      });
      // carol may be bob, but not in contract-devs; groups without a user are a 400.
      const devs = await whoami(carol, {
        'Impersonate-User': rbacUsers.bob.name,
        'Impersonate-Group': 'contract-devs',
      });
      expect(devs.status).toBe(403);
      expect((await whoami(carol, { 'Impersonate-Group': 'contract-qa' })).status).toBe(400);
      // As bob, carol gets bob's answers.
      const asBobList = await send(carol, 'GET', clusters, undefined, {
        'Impersonate-User': rbacUsers.bob.name,
      });
      expect(statusOf(asBobList)).toMatchObject({
        httpStatus: 403,
        message: expect.stringContaining('User "rbac-bob" cannot list resource "clusters"') as unknown,
      });
      // The admin impersonates anyone; the impersonated user's own bindings then apply.
      const asAlice = await send(admin, 'GET', clusters, undefined, {
        'Impersonate-User': rbacUsers.alice.name,
      });
      expect(asAlice.status).toBe(200);
      expect(
        (await send(admin, 'GET', clusters, undefined, { 'Impersonate-User': 'rbac-nobody' })).status,
      ).toBe(403);
    },
  );

  it.skipIf(skip)('refuses to grant permissions the writer does not hold', async () => {
    const dave = as(rbacUsers.dave);
    const roles = `/apis/${rbac}/v1/namespaces/${ns()}/roles`;
    const held = await send(dave, 'POST', roles, {
      metadata: { name: 'secret-reader' },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
    });
    expect(held.status).toBe(201);
    expect(
      statusOf(
        await send(dave, 'POST', roles, {
          metadata: { name: 'everything' },
          rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list'] }],
        }),
      ),
    ).toMatchObject({
      httpStatus: 403,
      message:
        'roles.rbac.authorization.k8s.io "everything" is forbidden: user "rbac-dave" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:["*"], Resources:["*"], Verbs:["get" "list"]}',
      details: { name: 'everything', group: rbac, kind: 'roles' },
    });
  });

  it.skipIf(skip)('answers kubectl auth can-i the same way', async () => {
    const canI = async (...args: string[]) =>
      (await runKubectl(ctx.kubeconfigPath(), ['auth', 'can-i', ...args])).stdout.trim();
    expect(await canI('list', 'clusters.cluster.x-k8s.io', '-n', ns(), '--as', rbacUsers.alice.name)).toBe(
      'yes',
    );
    expect(await canI('get', 'configmaps/cm-b', '-n', ns(), '--as', rbacUsers.alice.name)).toBe('no');
    expect(await canI('impersonate', 'users/rbac-bob', '--as', rbacUsers.carol.name)).toBe('yes');
  });
}
