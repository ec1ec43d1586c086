import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../apiserver/admission.ts';
import { builtinCrds, openApiV3Document, openApiV3Paths } from '../../apiserver/schema/index.ts';
import { capiDir, haveCapiData, realCrds } from './capi-data.ts';
import { startFakeApiServer } from './fake-apiserver.ts';
import type { FakeApiServer } from './fake-apiserver.ts';

type Doc = {
  openapi: string;
  paths: Record<
    string,
    Record<string, { parameters?: Array<{ name: string; in: string }>; [k: string]: unknown }>
  >;
  components: { schemas: Record<string, Record<string, unknown>> };
};

describe('OpenAPI v3 documents', () => {
  it('lists every group/version with a hashed URL that changes with the content', () => {
    const paths = openApiV3Paths(['v1', 'cluster.x-k8s.io/v1beta2'], builtinCrds) as {
      paths: Record<string, { serverRelativeURL: string }>;
    };
    expect(Object.keys(paths.paths)).toEqual(['api/v1', 'apis/cluster.x-k8s.io/v1beta2']);
    const url = paths.paths['apis/cluster.x-k8s.io/v1beta2']!.serverRelativeURL;
    expect(url).toMatch(/^\/openapi\/v3\/apis\/cluster\.x-k8s\.io\/v1beta2\?hash=[0-9A-F]{128}$/);
    const fewer = openApiV3Paths(['cluster.x-k8s.io/v1beta2'], builtinCrds.slice(1)) as typeof paths;
    expect(fewer.paths['apis/cluster.x-k8s.io/v1beta2']!.serverRelativeURL).not.toBe(url);
  });

  it('rebuilds a cached document when a CRD of its group changes', () => {
    const stored: KubeObject[] = builtinCrds.map((c) => ({
      ...c,
      metadata: { ...c.metadata, resourceVersion: '1' },
    }));
    const hashOf = (crds: typeof stored) =>
      (
        openApiV3Paths(['cluster.x-k8s.io/v1beta2'], crds) as {
          paths: Record<string, { serverRelativeURL: string }>;
        }
      ).paths['apis/cluster.x-k8s.io/v1beta2']!.serverRelativeURL;
    const before = hashOf(stored);
    expect(hashOf(stored)).toBe(before);
    const changed = stored.map((c) =>
      c.metadata.name === 'clusters.cluster.x-k8s.io'
        ? {
            ...c,
            metadata: { ...c.metadata, resourceVersion: '2' },
            spec: {
              ...(c.spec as object),
              names: { kind: 'Cluster', plural: 'clusters', shortNames: ['c'] },
            },
          }
        : c,
    );
    expect(hashOf(changed)).toBe(before); // short names are not part of the document
    const withoutMachines = stored.filter((c) => c.metadata.name !== 'machines.cluster.x-k8s.io');
    expect(hashOf(withoutMachines)).not.toBe(before);
  });

  it('describes built-in CAPI kinds with the GVK extension, lists and PATCH operations that accept fieldValidation', () => {
    const doc = JSON.parse(JSON.stringify(openApiV3Document('cluster.x-k8s.io/v1beta2', builtinCrds))) as Doc;
    expect(doc.openapi).toBe('3.0.0');
    expect(
      doc.components.schemas['io.x-k8s.cluster.v1beta2.Cluster']!['x-kubernetes-group-version-kind'],
    ).toEqual([{ group: 'cluster.x-k8s.io', version: 'v1beta2', kind: 'Cluster' }]);
    expect(doc.components.schemas['io.x-k8s.cluster.v1beta2.ClusterList']).toBeDefined();
    const item = doc.paths['/apis/cluster.x-k8s.io/v1beta2/namespaces/{namespace}/clusters/{name}']!;
    expect(item.patch!['x-kubernetes-action']).toBe('patch');
    // kubectl compares this object exactly when it looks for the PATCH operation of a kind.
    expect(item.patch!['x-kubernetes-group-version-kind']).toEqual({
      group: 'cluster.x-k8s.io',
      version: 'v1beta2',
      kind: 'Cluster',
    });
    expect(item.patch!.parameters!.map((p) => p.name)).toContain('fieldValidation');
    expect(
      doc.paths['/apis/cluster.x-k8s.io/v1beta2/namespaces/{namespace}/machinedeployments/{name}/scale'],
    ).toBeDefined();
    expect(doc.paths['/apis/cluster.x-k8s.io/v1beta2/clusters']).toBeDefined();
  });

  it('serves the core kinds at v1 with strategic merge, Lease and CRD in their groups, and nothing for unknown groups', () => {
    const core = openApiV3Document('v1', []) as Doc;
    expect(Object.keys(core.components.schemas)).toEqual(
      expect.arrayContaining([
        'io.k8s.api.core.v1.Secret',
        'io.k8s.api.core.v1.Namespace',
        'io.k8s.api.core.v1.ConfigMap',
        'io.k8s.api.core.v1.Event',
      ]),
    );
    const patch = core.paths['/api/v1/namespaces/{namespace}/secrets/{name}']!.patch as {
      requestBody: { content: object };
    };
    expect(Object.keys(patch.requestBody.content)).toContain('application/strategic-merge-patch+json');
    const meta = core.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']!
      .properties as Record<string, object>;
    expect(meta.ownerReferences).toMatchObject({
      'x-kubernetes-patch-merge-key': 'uid',
      'x-kubernetes-patch-strategy': 'merge',
    });
    expect(openApiV3Document('coordination.k8s.io/v1', [])).toHaveProperty([
      'components',
      'schemas',
      'io.k8s.api.coordination.v1.Lease',
    ]);
    expect(openApiV3Document('apiextensions.k8s.io/v1', [])).toHaveProperty([
      'components',
      'schemas',
      'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition',
    ]);
    expect(openApiV3Document('example.com/v1', builtinCrds)).toBeUndefined();
  });

  it('publishes a real CRD schema with metadata as an ObjectMeta reference', { skip: !haveCapiData }, () => {
    const doc = openApiV3Document('cluster.x-k8s.io/v1beta2', realCrds()) as Doc;
    const cluster = doc.components.schemas['io.x-k8s.cluster.v1beta2.Cluster']!;
    const properties = cluster.properties as Record<string, Record<string, unknown>>;
    expect(properties.metadata).toMatchObject({
      allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }],
    });
    expect(properties.spec!.properties).toHaveProperty('topology');
    // Every $ref points at a schema the document carries.
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/[^"]+/g) ?? [];
    for (const ref of new Set(refs)) expect(doc.components.schemas).toHaveProperty([ref.split('/').pop()!]);
  });
});

const execFileAsync = promisify(execFile);
const haveKubectl = (() => {
  try {
    fs.accessSync('/usr/bin/kubectl');
    return true;
  } catch {
    return process.env.PATH?.split(':').some((d) => fs.existsSync(path.join(d, 'kubectl'))) ?? false;
  }
})();

describe.skipIf(!haveCapiData || !haveKubectl)('the real kubectl against these documents', () => {
  let server: FakeApiServer;
  let dir: string;
  const kubectl = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await execFileAsync(
        'kubectl',
        ['--kubeconfig', path.join(dir, 'kubeconfig'), '--cache-dir', path.join(dir, 'cache'), ...args],
        { timeout: 30_000 },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  };

  beforeAll(async () => {
    server = await startFakeApiServer(realCrds());
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-kubectl-'));
    fs.writeFileSync(
      path.join(dir, 'kubeconfig'),
      [
        'apiVersion: v1',
        'kind: Config',
        `clusters: [{name: fake, cluster: {server: "${server.url}"}}]`,
        'users: [{name: fake, user: {}}]',
        'contexts: [{name: fake, context: {cluster: fake, user: fake, namespace: default}}]',
        'current-context: fake',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await server?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('kubectl apply sends fieldValidation=Strict and creates valid CAPI objects', async () => {
    const result = await kubectl('apply', '-f', path.join(capiDir, 'templates', 'simple-cluster.yaml'));
    expect(result.stderr.replace(/^.*version skew.*$/gim, '').trim()).toBe('');
    expect(result.stdout).toContain('cluster.cluster.x-k8s.io/my-cluster created');
    const posts = server.requests.filter((r) => r.startsWith('POST '));
    expect(posts.length).toBeGreaterThan(0);
    for (const post of posts) expect(post).toContain('fieldValidation=Strict');
  });

  it('kubectl apply shows the server’s strict decoding error for an unknown field', async () => {
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(
      file,
      'apiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\nmetadata: {name: bad}\nspec: {paused: false, colour: blue}\n',
    );
    const result = await kubectl('apply', '-f', file);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('strict decoding error: unknown field "spec.colour"');
  });

  it('kubectl explain cluster.spec.topology reads the published schema', async () => {
    const result = await kubectl(
      'explain',
      'clusters.spec.topology',
      '--api-version=cluster.x-k8s.io/v1beta2',
    );
    expect(result.stderr.replace(/^.*version skew.*$/gim, '').trim()).toBe('');
    expect(result.stdout).toContain('KIND:       Cluster');
    expect(result.stdout).toContain('classRef');
  });
});
