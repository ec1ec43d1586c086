/** API semantics over raw HTTPS: subresources, generation, finalizers, apply, paging, admission, CRDs. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestApiServer, type TestApiServer } from './raw-client.ts';

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown> & {
    name: string;
    resourceVersion?: string;
    generation?: number;
    labels?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  data?: Record<string, string>;
};

const clusters = '/apis/cluster.x-k8s.io/v1beta2/namespaces/default/clusters';
const cms = '/api/v1/namespaces/default/configmaps';
const merge = { 'Content-Type': 'application/merge-patch+json' };
const apply = { 'Content-Type': 'application/apply-patch+yaml' };

describe('API semantics', () => {
  let server: TestApiServer;
  const send = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const res = await server.client.send(method, path, body, headers);
    return {
      status: res.status,
      body: res.json() as unknown as Obj & Record<string, unknown>,
      headers: res.headers,
    };
  };

  beforeAll(async () => {
    server = await startTestApiServer();
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  it('keeps spec and status apart, bumping generation on spec changes only', async () => {
    const created = await send('POST', clusters, {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      metadata: { name: 'split' },
      spec: { paused: false },
      status: { phase: 'Provisioned' },
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBeUndefined();
    expect(created.body.metadata.generation).toBe(1);

    const status = await send(
      'PATCH',
      `${clusters}/split/status`,
      { status: { phase: 'Provisioning' }, spec: { paused: true } },
      merge,
    );
    expect(status.body.status).toEqual({ phase: 'Provisioning' });
    expect(status.body.spec).toEqual({ paused: false });
    expect(status.body.metadata.generation).toBe(1);

    const main = await send('PUT', `${clusters}/split`, {
      ...status.body,
      spec: { paused: true },
      status: { phase: 'Deleting' },
    });
    expect(main.body.status).toEqual({ phase: 'Provisioning' });
    expect(main.body.metadata.generation).toBe(2);

    const labelled = await send('PATCH', `${clusters}/split`, { metadata: { labels: { a: 'b' } } }, merge);
    expect(labelled.body.metadata.generation).toBe(2);
    const noop = await send('PUT', `${clusters}/split`, labelled.body);
    expect(noop.body.metadata.resourceVersion).toBe(labelled.body.metadata.resourceVersion);
  });

  it('holds an object with finalizers until they are removed', async () => {
    await send('POST', cms, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'held', finalizers: ['example.com/hold'] },
    });
    const deleted = await send('DELETE', `${cms}/held`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.metadata['deletionTimestamp']).toBeTruthy();
    expect((await send('GET', `${cms}/held`)).status).toBe(200);
    const added = await send(
      'PATCH',
      `${cms}/held`,
      { metadata: { finalizers: ['example.com/hold', 'example.com/more'] } },
      merge,
    );
    expect(added.status).toBe(422);
    expect((await send('PATCH', `${cms}/held`, { metadata: { finalizers: null } }, merge)).status).toBe(200);
    expect((await send('GET', `${cms}/held`)).status).toBe(404);
  });

  it('server-side apply tracks field managers and reports conflicts', async () => {
    const config = (manager: string, labels: Record<string, string>, data: Record<string, string>) =>
      send(
        'PATCH',
        `${cms}/applied?fieldManager=${manager}`,
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied', labels }, data },
        apply,
      );
    const first = await config('alice', { owner: 'alice' }, { a: '1', b: '2' });
    expect(first.status).toBe(201);
    expect(first.body.metadata['managedFields']).toEqual([
      expect.objectContaining({ manager: 'alice', operation: 'Apply' }),
    ]);
    const conflict = await send(
      'PATCH',
      `${cms}/applied?fieldManager=bob`,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { a: 'bob' } },
      apply,
    );
    expect(conflict.status).toBe(409);
    expect(JSON.stringify(conflict.body)).toContain('conflict with \\"alice\\"');
    const forced = await send(
      'PATCH',
      `${cms}/applied?fieldManager=bob&force=true`,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { a: 'bob' } },
      apply,
    );
    expect(forced.body.data).toEqual({ a: 'bob', b: '2' });
    // alice stops applying `b`: it goes, as nobody else manages it.
    const again = await config('alice', { owner: 'alice' }, {});
    expect(again.body.data).toEqual({ a: 'bob' });
  });

  it('server-side apply merges x-kubernetes-list-type=map lists item by item', async () => {
    const workers = {
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
      items: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string' }, replicas: { type: 'integer' } },
      },
    };
    const crd = await send('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'pools.example.org' },
      spec: {
        group: 'example.org',
        scope: 'Namespaced',
        names: { plural: 'pools', kind: 'Pool' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: { spec: { type: 'object', properties: { workers } } },
              },
            },
          },
        ],
      },
    });
    expect(crd.status).toBe(201);
    const path = '/apis/example.org/v1/namespaces/default/pools/p';
    const applyWorkers = (manager: string, items: Array<{ name: string; replicas: number }>) =>
      send(
        'PATCH',
        `${path}?fieldManager=${manager}`,
        { apiVersion: 'example.org/v1', kind: 'Pool', metadata: { name: 'p' }, spec: { workers: items } },
        apply,
      );
    expect((await applyWorkers('alice', [{ name: 'a', replicas: 1 }])).status).toBe(201);
    const both = await applyWorkers('bob', [{ name: 'b', replicas: 2 }]);
    expect(both.status).toBe(200);
    expect(both.body.spec?.['workers']).toEqual([
      { name: 'a', replicas: 1 },
      { name: 'b', replicas: 2 },
    ]);
    const clash = await applyWorkers('bob', [
      { name: 'a', replicas: 3 },
      { name: 'b', replicas: 2 },
    ]);
    expect(clash.status).toBe(409);
    const dropped = await applyWorkers('alice', []);
    expect(dropped.body.spec?.['workers']).toEqual([{ name: 'b', replicas: 2 }]);
  });

  it('pages lists with limit and continue', async () => {
    for (const n of ['p1', 'p2', 'p3', 'p4', 'p5']) {
      await send('POST', cms, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: n, labels: { page: 'yes' } },
      });
    }
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await send(
        'GET',
        `${cms}?labelSelector=page%3Dyes&limit=2${token ? `&continue=${token}` : ''}`,
      );
      const items = page.body['items'] as Obj[];
      expect(items.length).toBeLessThanOrEqual(2);
      names.push(...items.map((i) => i.metadata.name));
      token = (page.body.metadata as { continue?: string }).continue;
    } while (token);
    expect(names).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
  });

  it('lists across namespaces and deletes a collection by label', async () => {
    await send('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'other' },
    });
    for (const ns of ['default', 'other']) {
      for (const n of ['c1', 'c2']) {
        await send('POST', `/api/v1/namespaces/${ns}/configmaps`, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: n, labels: { batch: 'x' } },
        });
      }
    }
    const all = await send('GET', '/api/v1/configmaps?labelSelector=batch%3Dx');
    expect((all.body['items'] as Obj[]).map((i) => `${i.metadata['namespace']}/${i.metadata.name}`)).toEqual([
      'default/c1',
      'default/c2',
      'other/c1',
      'other/c2',
    ]);
    const onlyOther = await send(
      'GET',
      '/api/v1/configmaps?fieldSelector=metadata.namespace%3Dother,metadata.name!%3Dc1',
    );
    expect((onlyOther.body['items'] as Obj[]).map((i) => i.metadata.name)).toEqual(['c2']);
    const removed = await send('DELETE', '/api/v1/namespaces/other/configmaps?labelSelector=batch%3Dx');
    expect(removed.status).toBe(200);
    expect((await send('GET', '/api/v1/configmaps?labelSelector=batch%3Dx')).body['items']).toHaveLength(2);
  });

  it('answers Table requests from the printer columns', async () => {
    const res = await server.client.send('GET', clusters, undefined, {
      Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
    });
    const table = res.json() as {
      kind: string;
      columnDefinitions: Array<{ name: string }>;
      rows: Array<{ cells: unknown[] }>;
    };
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(
      expect.arrayContaining(['Name', 'Phase', 'Age']),
    );
    expect(table.rows.map((r) => r.cells[0])).toContain('split');
  });

  it('runs mutating then validating admission plugins, with the real error shapes', async () => {
    server.admission.mutating.push({
      name: 'add-label',
      admit: (request) => {
        if (request.object)
          request.object.metadata.labels = { ...request.object.metadata.labels, admitted: 'true' };
        return { allowed: true };
      },
    });
    server.admission.validating.push({
      name: 'deny',
      validate: (request) => {
        if (request.name.startsWith('deny-')) {
          return {
            allowed: false,
            message: 'denied',
            causes: [{ reason: 'FieldValueForbidden', field: 'metadata.name', message: 'Forbidden: no' }],
          };
        }
        if (request.operation === 'DELETE' && request.name === 'keep')
          return { allowed: false, code: 403, message: 'keep it' };
        return { allowed: true };
      },
    });
    try {
      const ok = await send('POST', cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keep' } });
      expect(ok.body.metadata.labels).toEqual({ admitted: 'true' });
      const denied = await send('POST', cms, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'deny-me' },
      });
      expect(denied.status).toBe(422);
      expect(denied.body).toMatchObject({
        reason: 'Invalid',
        details: { causes: [{ field: 'metadata.name', reason: 'FieldValueForbidden' }] },
      });
      expect((await send('DELETE', `${cms}/keep`)).status).toBe(403);
    } finally {
      server.admission.mutating.length = 0;
      server.admission.validating.length = 0;
    }
  });

  it('loses no concurrent patch while admission plugins yield', async () => {
    server.admission.mutating.push({
      name: 'slow',
      admit: async () => (await new Promise((r) => setTimeout(r, 5)), { allowed: true }),
    });
    try {
      await send('POST', cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'raced' } });
      const patches = Array.from({ length: 20 }, (_, i) =>
        send('PATCH', `${cms}/raced`, { data: { [`k${i}`]: String(i) } }, merge),
      );
      expect((await Promise.all(patches)).map((p) => p.status)).toEqual(Array(20).fill(200));
      expect(Object.keys((await send('GET', `${cms}/raced`)).body.data ?? {})).toHaveLength(20);
    } finally {
      server.admission.mutating.length = 0;
    }
  });

  it('starts a watch without resourceVersion with the current state and ends it after timeoutSeconds', async () => {
    await send('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'watched-ns' },
    });
    await send('POST', '/api/v1/namespaces/watched-ns/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'one' },
    });
    const started = Date.now();
    const res = await server.client.send(
      'GET',
      '/api/v1/namespaces/watched-ns/configmaps?watch=1&timeoutSeconds=1',
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const events = res.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; object: Obj });
    expect(events.map((e) => `${e.type}:${e.object.metadata.name}`)).toEqual(['ADDED:one']);
  });

  it('drops unknown fields of built-in kinds with a warning under Warn', async () => {
    const res = await send('POST', cms, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'warned', bogus: 1 },
      dataa: { a: 'b' },
    });
    expect(res.status).toBe(201);
    expect(res.headers['warning']).toContain('unknown field \\"dataa\\"');
    expect(res.body).not.toHaveProperty('dataa');
    expect(res.body.metadata).not.toHaveProperty('bogus');
  });

  it('does nothing on dryRun=All', async () => {
    const dry = await send('POST', `${cms}?dryRun=All`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'dry' },
    });
    expect(dry.status).toBe(201);
    expect((await send('GET', `${cms}/dry`)).status).toBe(404);
  });

  it('terminates a namespace: no new content, contents removed, then the namespace', async () => {
    await send('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'term' },
    });
    await send('POST', '/api/v1/namespaces/term/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', finalizers: ['example.com/f'] },
    });
    await send('DELETE', '/api/v1/namespaces/term');
    expect((await send('GET', '/api/v1/namespaces/term')).body.status).toEqual({ phase: 'Terminating' });
    const refused = await send('POST', '/api/v1/namespaces/term/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'y' },
    });
    expect(refused.status).toBe(403);
    await send('PATCH', '/api/v1/namespaces/term/configmaps/x', { metadata: { finalizers: null } }, merge);
    await eventually(
      async () => ((await send('GET', '/api/v1/namespaces/term')).status === 404 ? true : undefined),
      10_000,
      'namespace gone',
    );
  });

  it('registers a CRD at once, serves several versions with strategy None, and removes its kind with it', async () => {
    const version = (name: string, storage: boolean) => ({
      name,
      served: true,
      storage,
      schema: {
        openAPIV3Schema: {
          type: 'object',
          properties: { spec: { type: 'object', properties: { size: { type: 'integer', minimum: 1 } } } },
        },
      },
    });
    const crd = await send('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', kind: 'Widget', shortNames: ['wd'] },
        versions: [version('v1', true), version('v2', false)],
      },
    });
    expect(crd.status).toBe(201);
    const discovery = await send('GET', '/apis/example.com');
    expect((discovery.body['versions'] as Array<{ version: string }>).map((v) => v.version).sort()).toEqual([
      'v1',
      'v2',
    ]);
    const resources = await send('GET', '/apis/example.com/v1');
    expect(resources.body['resources']).toEqual([
      expect.objectContaining({ name: 'widgets', kind: 'Widget', shortNames: ['wd'], namespaced: true }),
    ]);
    const created = await send('POST', '/apis/example.com/v1/namespaces/default/widgets', {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
      spec: { size: 2 },
    });
    expect(created.status).toBe(201);
    expect(
      (
        await send('POST', '/apis/example.com/v1/namespaces/default/widgets', {
          apiVersion: 'example.com/v1',
          kind: 'Widget',
          metadata: { name: 'bad' },
          spec: { size: 0 },
        })
      ).status,
    ).toBe(422);
    const asV2 = await send('GET', '/apis/example.com/v2/namespaces/default/widgets/w');
    expect(asV2.body.apiVersion).toBe('example.com/v2');
    expect(asV2.body.spec).toEqual({ size: 2 });
    await send('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com');
    expect((await send('GET', '/apis/example.com/v1/namespaces/default/widgets/w')).status).toBe(404);
    expect((await send('GET', '/apis/example.com')).status).toBe(404);
  });

  it('serves aggregated discovery to clients that ask for it', async () => {
    const res = await server.client.send('GET', '/apis', undefined, {
      Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
    });
    expect(res.headers['content-type']).toBe(
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
    const list = res.json() as {
      items: Array<{
        metadata: { name: string };
        versions: Array<{
          version: string;
          resources: Array<{ resource: string; subresources?: Array<{ subresource: string }> }>;
        }>;
      }>;
    };
    const capi = list.items.find((g) => g.metadata.name === 'cluster.x-k8s.io');
    const mds = capi?.versions[0]?.resources.find((r) => r.resource === 'machinedeployments');
    expect(mds?.subresources?.map((s) => s.subresource).sort()).toEqual(['scale', 'status']);
    const core = (await server.client.send('GET', '/api')).json();
    expect(core['kind']).toBe('APIVersions');
  });

  it('serves CAPI kinds only at v1beta1 for a legacy (--capi-api v1beta1) cluster', async () => {
    const legacy = await startTestApiServer({ capiApi: 'v1beta1' });
    try {
      const group = (await legacy.client.send('GET', '/apis/cluster.x-k8s.io')).json() as {
        versions: Array<{ version: string }>;
      };
      expect(group.versions.map((v) => v.version)).toEqual(['v1beta1']);
      expect((await legacy.client.send('GET', '/apis/cluster.x-k8s.io/v1beta2/clusters')).status).toBe(404);
      expect((await legacy.client.send('GET', '/apis/cluster.x-k8s.io/v1beta1/clusters')).status).toBe(200);
    } finally {
      await legacy.cleanup();
    }
  });
});
