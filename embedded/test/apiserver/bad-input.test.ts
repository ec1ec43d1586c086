/** Every malformed request gets a `kind: Status` error with the right code — and changes nothing. */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crdsDir, hasCapi } from './capi-fixtures.ts';
import { rawClient, startTestApiServer, type RawResponse, type TestApiServer } from './raw-client.ts';

const cms = '/api/v1/namespaces/default/configmaps';
const mds = '/apis/cluster.x-k8s.io/v1beta2/namespaces/default/machinedeployments';
const cm = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  ...extra,
});
const mergePatch = { 'Content-Type': 'application/merge-patch+json' };

interface Case {
  name: string;
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  code: number;
  reason?: string;
  /** Send without the bearer token (or with this wrong one). */
  token?: string | null;
  needsCapi?: boolean;
  check?: (res: RawResponse) => void;
}

const validMd = {
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'MachineDeployment',
  metadata: { name: 'md' },
  spec: {
    clusterName: 'c',
    replicas: 1,
    selector: { matchLabels: { a: 'b' } },
    template: {
      metadata: { labels: { a: 'b' } },
      spec: {
        clusterName: 'c',
        bootstrap: { dataSecretName: 's' },
        infrastructureRef: {
          apiGroup: 'infrastructure.cluster.x-k8s.io',
          kind: 'DockerMachineTemplate',
          name: 't',
        },
      },
    },
  },
};

const cases: Case[] = [
  { name: 'no token', method: 'GET', path: cms, token: null, code: 401, reason: 'Unauthorized' },
  {
    name: 'wrong token',
    method: 'GET',
    path: cms,
    token: 'not-the-token',
    code: 401,
    reason: 'Unauthorized',
  },
  {
    name: 'unknown group',
    method: 'GET',
    path: '/apis/nope.example.com/v1/things',
    code: 404,
    reason: 'NotFound',
  },
  {
    name: 'unknown resource',
    method: 'GET',
    path: '/api/v1/namespaces/default/pods',
    code: 404,
    reason: 'NotFound',
  },
  { name: 'missing object', method: 'GET', path: `${cms}/absent`, code: 404, reason: 'NotFound' },
  {
    name: 'invalid JSON',
    method: 'POST',
    path: cms,
    body: '{"metadata": {',
    code: 400,
    reason: 'BadRequest',
  },
  { name: 'array body', method: 'POST', path: cms, body: [1, 2], code: 400, reason: 'BadRequest' },
  {
    name: 'deeply nested body',
    method: 'POST',
    path: cms,
    body: `{"metadata":{"name":"deep"},"data":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    code: 400,
  },
  {
    name: '__proto__ in a merge patch',
    method: 'PATCH',
    path: `${cms}/existing`,
    body: '{"__proto__":{"polluted":"yes"}}',
    headers: { 'Content-Type': 'application/merge-patch+json' },
    code: 400,
    check: () => expect(({} as Record<string, unknown>)['polluted']).toBeUndefined(),
  },
  { name: 'name of the wrong type', method: 'POST', path: cms, body: { metadata: { name: 5 } }, code: 400 },
  {
    name: 'kind mismatch',
    method: 'POST',
    path: cms,
    body: { ...cm('k'), kind: 'Secret' },
    code: 400,
    reason: 'BadRequest',
  },
  {
    name: 'apiVersion mismatch',
    method: 'POST',
    path: cms,
    body: { ...cm('k'), apiVersion: 'v2' },
    code: 400,
  },
  {
    name: 'namespace mismatch',
    method: 'POST',
    path: cms,
    body: cm('k', { metadata: { name: 'k', namespace: 'other' } }),
    code: 400,
  },
  {
    name: 'invalid name',
    method: 'POST',
    path: cms,
    body: cm('Bad_Name'),
    code: 422,
    reason: 'Invalid',
    check: (res) => expect(JSON.stringify(res.json()['details'])).toContain('metadata.name'),
  },
  {
    name: 'no name',
    method: 'POST',
    path: cms,
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} },
    code: 422,
  },
  {
    name: 'invalid label',
    method: 'POST',
    path: cms,
    body: cm('l', { metadata: { name: 'l', labels: { 'a b': 'c' } } }),
    code: 422,
  },
  {
    name: 'missing namespace',
    method: 'POST',
    path: '/api/v1/namespaces/nowhere/configmaps',
    body: cm('k'),
    code: 404,
  },
  {
    name: 'duplicate create',
    method: 'POST',
    path: cms,
    body: cm('existing'),
    code: 409,
    reason: 'AlreadyExists',
  },
  {
    name: 'stale update',
    method: 'PUT',
    path: `${cms}/existing`,
    body: cm('existing', { metadata: { name: 'existing', resourceVersion: '1' }, data: { x: 'y' } }),
    code: 409,
    reason: 'Conflict',
  },
  { name: 'name differs from URL', method: 'PUT', path: `${cms}/existing`, body: cm('other'), code: 400 },
  {
    name: 'unknown patch type',
    method: 'PATCH',
    path: `${cms}/existing`,
    body: {},
    headers: { 'Content-Type': 'text/plain' },
    code: 415,
  },
  {
    name: 'JSON patch that is not a list',
    method: 'PATCH',
    path: `${cms}/existing`,
    body: { op: 'add' },
    headers: { 'Content-Type': 'application/json-patch+json' },
    code: 400,
  },
  {
    name: 'JSON patch on a missing path',
    method: 'PATCH',
    path: `${cms}/existing`,
    body: [{ op: 'replace', path: '/data/nope/deeper', value: 1 }],
    headers: { 'Content-Type': 'application/json-patch+json' },
    code: 422,
  },
  {
    name: 'apply without fieldManager',
    method: 'PATCH',
    path: `${cms}/existing`,
    body: cm('existing'),
    headers: { 'Content-Type': 'application/apply-patch+yaml' },
    code: 400,
  },
  {
    name: 'body over 3 MiB',
    method: 'POST',
    path: cms,
    body: cm('big', { data: { blob: 'x'.repeat(3 * 1024 * 1024 + 10) } }),
    code: 413,
  },
  {
    name: 'POST on an object',
    method: 'POST',
    path: `${cms}/existing`,
    body: cm('existing'),
    code: 405,
    reason: 'MethodNotAllowed',
  },
  { name: 'PUT on a collection', method: 'PUT', path: cms, body: cm('existing'), code: 405 },
  {
    name: 'garbage label selector',
    method: 'GET',
    path: `${cms}?labelSelector=${encodeURIComponent('a in (b')}`,
    code: 400,
  },
  {
    name: 'unsupported field selector',
    method: 'GET',
    path: `${cms}?fieldSelector=spec.foo%3Dbar`,
    code: 400,
  },
  { name: 'bad continue token', method: 'GET', path: `${cms}?limit=1&continue=garbage`, code: 400 },
  { name: 'negative limit', method: 'GET', path: `${cms}?limit=-1`, code: 400 },
  {
    name: 'bad fieldValidation',
    method: 'POST',
    path: `${cms}?fieldValidation=Loud`,
    body: cm('fv'),
    code: 400,
  },
  {
    name: 'bad propagationPolicy',
    method: 'DELETE',
    path: `${cms}/existing?propagationPolicy=Sideways`,
    code: 400,
  },
  { name: 'bad dryRun', method: 'POST', path: `${cms}?dryRun=Some`, body: cm('dr'), code: 400 },
  { name: 'scale on a kind without it', method: 'GET', path: `${cms}/existing/scale`, code: 404 },
  { name: 'status on a kind without it', method: 'GET', path: `${cms}/existing/status`, code: 404 },
  {
    name: 'unknown ConfigMap field under Strict',
    method: 'POST',
    path: `${cms}?fieldValidation=Strict`,
    body: cm('typo', { dataa: { a: 'b' } }),
    code: 400,
    check: (res) => expect(res.text).toContain('unknown field \\"dataa\\"'),
  },
  {
    name: 'deleting the default namespace',
    method: 'DELETE',
    path: '/api/v1/namespaces/default',
    code: 403,
    reason: 'Forbidden',
  },
  {
    name: 'delete precondition mismatch',
    method: 'DELETE',
    path: `${cms}/existing`,
    body: { preconditions: { uid: 'nope' } },
    code: 409,
  },
  {
    name: 'strategic merge on a custom resource',
    method: 'PATCH',
    path: `${mds}/md`,
    body: {},
    headers: { 'Content-Type': 'application/strategic-merge-patch+json' },
    code: 415,
    needsCapi: true,
  },
  {
    name: 'schema violation',
    method: 'PATCH',
    path: `${mds}/md`,
    body: { spec: { replicas: 'three' } },
    headers: mergePatch,
    code: 422,
    reason: 'Invalid',
    needsCapi: true,
    check: (res) => expect(JSON.stringify(res.json()['details'])).toContain('spec.replicas'),
  },
  {
    name: 'unknown field under Strict',
    method: 'PATCH',
    path: `${mds}/md?fieldValidation=Strict`,
    body: { spec: { bogus: 1 } },
    headers: mergePatch,
    code: 400,
    needsCapi: true,
  },
  {
    name: 'negative scale',
    method: 'PATCH',
    path: `${mds}/md/scale`,
    body: { spec: { replicas: -1 } },
    headers: mergePatch,
    code: 422,
    needsCapi: true,
  },
  {
    name: 'CRD without versions',
    method: 'POST',
    path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    body: {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'things.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'things', kind: 'Thing' },
        versions: [],
      },
    },
    code: 422,
  },
];

describe('bad input', () => {
  let server: TestApiServer;

  beforeAll(async () => {
    server = await startTestApiServer();
    expect((await server.client.send('POST', cms, cm('existing', { data: { a: 'b' } }))).status).toBe(201);
    if (hasCapi) {
      const crd = parse(
        await readFile(`${crdsDir}/cluster.x-k8s.io_machinedeployments.yaml`, 'utf8'),
      ) as object;
      const applied = await server.client.send(
        'PATCH',
        '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/machinedeployments.cluster.x-k8s.io?fieldManager=test&force=true',
        crd,
        { 'Content-Type': 'application/apply-patch+yaml' },
      );
      expect(applied.status).toBe(200);
      const created = await server.client.send('POST', mds, validMd);
      expect(created.status, created.text).toBe(201);
    }
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  const snapshot = async () => {
    const list = async (path: string) =>
      (await server.client.send('GET', path)).text.replace(/"resourceVersion":"\d+"/, '');
    return [
      await list(cms),
      hasCapi ? await list(mds) : '',
      await list('/apis/apiextensions.k8s.io/v1/customresourcedefinitions'),
    ];
  };

  it.each(cases.filter((c) => hasCapi || !c.needsCapi))('$name → $code', async (c) => {
    const before = await snapshot();
    const client =
      c.token === undefined
        ? server.client
        : rawClient({ url: server.url, caPem: server.caPem, ...(c.token ? { token: c.token } : {}) });
    const res = await client.send(c.method, c.path, c.body, c.headers);
    expect(res.status, res.text).toBe(c.code);
    const status = res.json();
    expect(status).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: c.code });
    if (c.reason) expect(status['reason']).toBe(c.reason);
    expect(res.text).not.toMatch(/\bat .*\.ts:\d+/);
    c.check?.(res);
    expect(await snapshot()).toEqual(before);
  });

  it('answers a watch from an expired resourceVersion with an ERROR event carrying 410 Expired', async () => {
    const small = await startTestApiServer({ historySize: 3 });
    try {
      for (let i = 0; i < 10; i++) await small.client.send('POST', cms, cm(`n${i}`));
      const res = await small.client.send('GET', `${cms}?watch=true&resourceVersion=2&timeoutSeconds=5`);
      const event = JSON.parse(res.text.split('\n')[0]!) as {
        type: string;
        object: { code: number; reason: string };
      };
      expect(event).toMatchObject({
        type: 'ERROR',
        object: { kind: 'Status', code: 410, reason: 'Expired' },
      });
    } finally {
      await small.cleanup();
    }
  });
});
