import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainError, Result } from '../../../src/k8s/domain-error.ts';
import type { KubeObject } from '../../../src/k8s/kube-object.ts';
import type { ResourceTarget } from '../../../src/k8s/kube-transport.ts';
import { clientNodeWriter, type KubeWriter } from '../../../src/k8s/kube-writer.ts';
import { loadKubeConfig } from '../../../src/k8s/kubeconfig.ts';
import { startTestEmbeddedCluster, type TestEmbeddedCluster } from '../../support/embedded-cluster.ts';

const clusters: ResourceTarget = {
  group: 'cluster.x-k8s.io',
  version: 'v1beta2',
  plural: 'clusters',
  namespaced: true,
};
const machineDeployments: ResourceTarget = {
  group: 'cluster.x-k8s.io',
  version: 'v1beta2',
  plural: 'machinedeployments',
  namespaced: true,
};
const namespaces: ResourceTarget = { group: '', version: 'v1', plural: 'namespaces', namespaced: false };
const configMaps: ResourceTarget = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };
const secrets: ResourceTarget = { group: '', version: 'v1', plural: 'secrets', namespaced: true };
const crds: ResourceTarget = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  plural: 'customresourcedefinitions',
  namespaced: false,
};
const widgets: ResourceTarget = { group: 'example.com', version: 'v1', plural: 'widgets', namespaced: true };

/** A kind with a strict schema: the built-in CAPI CRDs of a bare embedded server accept anything. */
const widgetCrd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' } as KubeObject['metadata'],
  spec: {
    group: 'example.com',
    names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['size'],
                properties: {
                  size: { type: 'string', enum: ['small', 'large'] },
                  replicas: { type: 'integer', minimum: 0 },
                },
              },
            },
          },
        },
      },
    ],
  },
};

/** The real v1.14 schema wants a non-empty spec. */
function cluster(
  namespace: string,
  name: string,
  spec: Record<string, unknown> = { paused: false },
): KubeObject {
  return {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'Cluster',
    metadata: { name, namespace } as KubeObject['metadata'],
    spec,
  };
}

function machineDeployment(namespace: string, name: string, replicas: number): KubeObject {
  return {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'MachineDeployment',
    metadata: { name, namespace } as KubeObject['metadata'],
    spec: {
      clusterName: 'c1',
      replicas,
      selector: { matchLabels: { pool: name } },
      template: {
        metadata: { labels: { pool: name } },
        spec: {
          clusterName: 'c1',
          version: 'v1.31.0',
          bootstrap: { dataSecretName: 'boot' },
          infrastructureRef: {
            apiGroup: 'infrastructure.cluster.x-k8s.io',
            kind: 'DockerMachineTemplate',
            name,
          },
        },
      },
    },
  };
}

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

function error<T>(result: Result<T>): DomainError {
  if (result.ok) throw new Error('expected an error, got success');
  return result.error;
}

describe('the write verbs against the embedded API server', () => {
  let server: TestEmbeddedCluster;
  let writer: KubeWriter;
  let namespaceCount = 0;

  /** Each case writes in a namespace of its own: no case depends on another's objects. */
  async function freshNamespace(): Promise<string> {
    const name = `w-${++namespaceCount}`;
    value(
      await writer.create(namespaces, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name } as KubeObject['metadata'],
      }),
    );
    return name;
  }

  beforeAll(async () => {
    server = await startTestEmbeddedCluster();
    const loaded = loadKubeConfig(server.kubeconfigPath);
    if (!loaded.ok) throw new Error(loaded.error.message);
    writer = clientNodeWriter(loaded.value.config);
    value(await writer.create(crds, widgetCrd));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('creates a custom resource, and answers ALREADY_EXISTS for a second one of the same name', async () => {
    const ns = await freshNamespace();
    const created = value(await writer.create(clusters, cluster(ns, 'c1')));
    expect(created.metadata).toMatchObject({ name: 'c1', namespace: ns });
    expect(created.metadata.uid).toBeTruthy();
    expect(value(await writer.read(clusters, { namespace: ns, name: 'c1' })).metadata.uid).toBe(
      created.metadata.uid,
    );
    const again = error(await writer.create(clusters, cluster(ns, 'c1')));
    expect(again.code).toBe('ALREADY_EXISTS');
    expect(again.message).toContain('already exists');
  });

  it('answers VALIDATION with the field paths the server names, and stores nothing', async () => {
    const ns = await freshNamespace();
    const bad: KubeObject = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'bad', namespace: ns } as KubeObject['metadata'],
      spec: { replicas: -1 },
    };
    const rejected = error(await writer.create(widgets, bad));
    expect(rejected.code).toBe('VALIDATION');
    expect(rejected.fields?.map((f) => f.path)).toEqual(
      expect.arrayContaining(['spec.replicas', 'spec.size']),
    );
    expect(rejected.fields?.every((f) => f.message.length > 0)).toBe(true);
    expect(error(await writer.read(widgets, { namespace: ns, name: 'bad' })).code).toBe('NOT_FOUND');
  });

  it('creates from generateName; apply without a name is a VALIDATION error naming metadata.name', async () => {
    const ns = await freshNamespace();
    const generated = value(
      await writer.create(clusters, {
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Cluster',
        metadata: { generateName: 'gen-', namespace: ns },
        spec: { paused: false },
      }),
    );
    expect(generated.metadata.name).toMatch(/^gen-./);
    const unnamed = error(
      await writer.apply(
        clusters,
        { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', metadata: { namespace: ns }, spec: {} },
        { fieldManager: 'capi-gateway' },
      ),
    );
    expect(unnamed).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'metadata.name' }] });
  });

  it('a dry run validates and stores nothing', async () => {
    const ns = await freshNamespace();
    const dry = value(await writer.create(clusters, cluster(ns, 'dry'), { dryRun: true }));
    expect(dry.metadata.name).toBe('dry');
    expect(error(await writer.read(clusters, { namespace: ns, name: 'dry' })).code).toBe('NOT_FOUND');
  });

  it('server-side apply: creates, records the field manager, conflicts with another manager unless forced', async () => {
    const ns = await freshNamespace();
    const applied = value(
      await writer.apply(clusters, cluster(ns, 'c1', { paused: true }), { fieldManager: 'capi-gateway' }),
    );
    const managers = (applied.metadata['managedFields'] as Array<{ manager: string }>).map((m) => m.manager);
    expect(managers).toContain('capi-gateway');
    const other = error(
      await writer.apply(clusters, cluster(ns, 'c1', { paused: false }), { fieldManager: 'someone-else' }),
    );
    expect(other.code).toBe('CONFLICT');
    const forced = value(
      await writer.apply(clusters, cluster(ns, 'c1', { paused: false }), {
        fieldManager: 'someone-else',
        force: true,
      }),
    );
    expect(forced['spec']).toMatchObject({ paused: false });
  });

  it('merge and JSON patches apply with the current resourceVersion and answer CONFLICT with a stale one', async () => {
    const ns = await freshNamespace();
    const created = value(await writer.create(clusters, cluster(ns, 'c1')));
    const stale = created.metadata.resourceVersion!;
    const key = { namespace: ns, name: 'c1' };
    const merged = value(
      await writer.mergePatch(
        clusters,
        key,
        { metadata: { labels: { a: '1' } } },
        { resourceVersion: stale },
      ),
    );
    expect(merged.metadata.labels).toEqual({ a: '1' });
    expect(
      error(await writer.mergePatch(clusters, key, { spec: { paused: true } }, { resourceVersion: stale }))
        .code,
    ).toBe('CONFLICT');
    const ops = [{ op: 'add' as const, path: '/metadata/labels/b', value: '2' }];
    expect(error(await writer.jsonPatch(clusters, key, ops, { resourceVersion: stale })).code).toBe(
      'CONFLICT',
    );
    const patched = value(
      await writer.jsonPatch(clusters, key, ops, { resourceVersion: merged.metadata.resourceVersion! }),
    );
    expect(patched.metadata.labels).toEqual({ a: '1', b: '2' });
    const current = value(await writer.read(clusters, key));
    expect(current['spec']).not.toMatchObject({ paused: true });
    expect(error(await writer.mergePatch(clusters, { namespace: ns, name: 'nope' }, { spec: {} })).code).toBe(
      'NOT_FOUND',
    );
  });

  it('deletes with preconditions and a propagation policy; a second delete answers NOT_FOUND', async () => {
    const ns = await freshNamespace();
    const created = value(await writer.create(clusters, cluster(ns, 'c1')));
    const key = { namespace: ns, name: 'c1' };
    expect(error(await writer.delete(clusters, key, { preconditions: { uid: 'not-its-uid' } })).code).toBe(
      'CONFLICT',
    );
    expect(error(await writer.delete(clusters, key, { preconditions: { resourceVersion: '1' } })).code).toBe(
      'CONFLICT',
    );
    expect(value(await writer.read(clusters, key)).metadata.uid).toBe(created.metadata.uid);
    const deleted = await writer.delete(clusters, key, {
      propagationPolicy: 'Background',
      preconditions: { uid: created.metadata.uid, resourceVersion: created.metadata.resourceVersion! },
    });
    expect(value(deleted)).toBeNull();
    expect(error(await writer.read(clusters, key)).code).toBe('NOT_FOUND');
    expect(error(await writer.delete(clusters, key)).code).toBe('NOT_FOUND');
  });

  it('an object with a finalizer is still there after delete, marked for deletion', async () => {
    const ns = await freshNamespace();
    const object = cluster(ns, 'held');
    object.metadata['finalizers'] = ['example.com/hold'];
    value(await writer.create(clusters, object));
    const deleted = value(
      await writer.delete(clusters, { namespace: ns, name: 'held' }, { propagationPolicy: 'Foreground' }),
    );
    expect(deleted?.metadata.deletionTimestamp).toBeTruthy();
    value(
      await writer.jsonPatch(clusters, { namespace: ns, name: 'held' }, [
        { op: 'remove', path: '/metadata/finalizers' },
      ]),
    );
  });

  it('gets and replaces the scale subresource, with a resourceVersion precondition', async () => {
    const ns = await freshNamespace();
    value(await writer.create(machineDeployments, machineDeployment(ns, 'md', 2)));
    const key = { namespace: ns, name: 'md' };
    const scale = value(await writer.getScale(machineDeployments, key));
    expect(scale).toMatchObject({ name: 'md', namespace: ns, replicas: 2 });
    const scaled = value(
      await writer.replaceScale(machineDeployments, key, 5, { resourceVersion: scale.resourceVersion }),
    );
    expect(scaled.replicas).toBe(5);
    expect(value(await writer.read(machineDeployments, key))['spec']).toMatchObject({ replicas: 5 });
    const stale = error(
      await writer.replaceScale(machineDeployments, key, 7, { resourceVersion: scale.resourceVersion }),
    );
    expect(stale.code).toBe('CONFLICT');
    expect(error(await writer.getScale(machineDeployments, { namespace: ns, name: 'nope' })).code).toBe(
      'NOT_FOUND',
    );
  });

  it('writes core kinds: Namespace, ConfigMap, Secret', async () => {
    const ns = await freshNamespace();
    const cm = value(
      await writer.create(configMaps, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings', namespace: ns } as KubeObject['metadata'],
        data: { a: '1' },
      }),
    );
    const patched = value(
      await writer.mergePatch(
        configMaps,
        { namespace: ns, name: 'settings' },
        { data: { b: '2' } },
        {
          resourceVersion: cm.metadata.resourceVersion!,
        },
      ),
    );
    expect(patched['data']).toEqual({ a: '1', b: '2' });
    const secret = value(
      await writer.apply(
        secrets,
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'creds', namespace: ns } as KubeObject['metadata'],
          stringData: { token: 'x' },
        },
        { fieldManager: 'capi-gateway' },
      ),
    );
    expect(secret.metadata.name).toBe('creds');
    expect(value(await writer.delete(secrets, { namespace: ns, name: 'creds' }))).toBeNull();
    expect(error(await writer.read(secrets, { namespace: ns, name: 'creds' })).code).toBe('NOT_FOUND');
  });

  it('answers FORBIDDEN with the server message', async () => {
    const refused = error(await writer.delete(namespaces, { name: 'default' }));
    expect(refused.code).toBe('FORBIDDEN');
    expect(refused.message).toContain('may not be deleted');
  });

  it('answers UNAVAILABLE when the API server cannot be reached, never a raw error', async () => {
    const config = new KubeConfig();
    config.loadFromOptions({
      clusters: [{ name: 'gone', server: 'https://127.0.0.1:1', skipTLSVerify: true }],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'gone', cluster: 'gone', user: 'u' }],
      currentContext: 'gone',
    });
    const unreachable = clientNodeWriter(config);
    const refused = error(await unreachable.create(clusters, cluster('default', 'c1')));
    expect(refused).toEqual({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('cannot reach the API server'),
    });
  });
});
