import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import {
  CreateClusterDocument,
  TemplateVariablesDocument,
  type CreateClusterInput,
} from '../generated/graphql.ts';
import { startTestEmbeddedCluster, type TestEmbeddedCluster } from '../support/embedded-cluster.ts';
import { hasSharedCapi, sharedCapiDir } from './support/gateway-fixture.ts';
import { eventually, gql } from './support/gql.ts';
import { kubectlOk } from './support/kube-fleet.ts';
import { untilOperation } from './support/operation-polling.ts';
import { startOperationsGateway } from './support/operations-fixture.ts';

const MC = 'create';
const NS = 'creating';
const VERSION = 'v1.31.0';
const template = () => readFileSync(join(sharedCapiDir, 'templates/cluster-template-in-memory.yaml'), 'utf8');

/** The in-memory ClusterClass, and a copy of it with variables whose schemas the gateway must enforce. */
function classesYaml(): string {
  const text = readFileSync(join(sharedCapiDir, 'templates/clusterclass-in-memory.yaml'), 'utf8');
  const docs = parseAllDocuments(text).map(
    (d) => d.toJS() as { kind: string; metadata: { name: string }; spec: Record<string, unknown> },
  );
  const cc = docs.find((d) => d.kind === 'ClusterClass')!;
  const withVariables = structuredClone(cc);
  withVariables.metadata.name = 'in-memory-vars';
  withVariables.spec['variables'] = [
    { name: 'region', required: true, schema: { openAPIV3Schema: { type: 'string', enum: ['eu', 'us'] } } },
    {
      name: 'limits',
      required: false,
      schema: {
        openAPIV3Schema: {
          type: 'object',
          properties: { pods: { type: 'integer', minimum: 1 } },
          required: ['pods'],
        },
      },
    },
  ];
  return [...docs, withVariables].map((d) => stringify(d)).join('---\n');
}

describe.skipIf(!hasSharedCapi)('createCluster', () => {
  let mc: TestEmbeddedCluster;
  let app: App;

  beforeAll(async () => {
    mc = await startTestEmbeddedCluster({ controllers: true, speed: 50 });
    await kubectlOk(mc, ['create', 'namespace', NS]);
    await kubectlOk(mc, ['apply', '-n', NS, '-f', '-'], classesYaml());
    app = await startOperationsGateway(MC, mc.kubeconfigPath);
    await eventually(
      async () =>
        app.gateway.fleet.reader.get({
          managementCluster: MC,
          group: 'cluster.x-k8s.io',
          kind: 'ClusterClass',
          namespace: NS,
          name: 'in-memory-vars',
        }) ?? undefined,
      20_000,
      'the ClusterClasses in the cache',
    );
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    await mc?.stop();
  });

  async function create(input: Partial<CreateClusterInput> & { name: string }) {
    const res = await gql(app.url, CreateClusterDocument, {
      input: { managementCluster: MC, namespace: NS, ...input },
    });
    expect(res.errors).toBeUndefined();
    return res.data!.createCluster;
  }

  async function clusterExists(name: string): Promise<boolean> {
    const r = await mc.kubectl(['get', 'cluster', '-n', NS, name]);
    return r.code === 0;
  }

  const operationCount = async () =>
    (
      JSON.parse(await kubectlOk(mc, ['get', 'operations.capi-gateway.dev', '-A', '-o', 'json'])) as {
        items: unknown[];
      }
    ).items.length;

  it('creates a topology cluster from a ClusterClass and follows it to all workers running', async () => {
    const answer = await create({
      name: 'from-class',
      clusterClass: 'in-memory',
      kubernetesVersion: VERSION,
      controlPlaneReplicas: 1,
      workers: [{ name: 'md-0', class: 'default-worker', replicas: 2 }],
    });
    if (answer.__typename !== 'CreateClusterPayload') throw new Error(JSON.stringify(answer));
    expect(answer.cluster).toMatchObject({ name: 'from-class', namespace: NS });
    expect(answer.operation).toMatchObject({ type: 'CreateCluster', input: { clusterClass: 'in-memory' } });
    const done = await untilOperation(app.url, answer.operation!.id, 'SUCCEEDED', 90_000);
    expect(done.steps.map((s) => [s.name, s.phase])).toEqual([
      ['manifests applied', 'SUCCEEDED'],
      ['infrastructure provisioned', 'SUCCEEDED'],
      ['control plane initialised', 'SUCCEEDED'],
      ['kubeconfig Secret exists', 'SUCCEEDED'],
      ['control plane available', 'SUCCEEDED'],
      ['all workers running', 'SUCCEEDED'],
    ]);
    const cluster = JSON.parse(
      await kubectlOk(mc, ['get', 'cluster', '-n', NS, 'from-class', '-o', 'json', '--show-managed-fields']),
    ) as {
      metadata: { managedFields: Array<{ manager: string }> };
      spec: { topology: { classRef: { name: string }; version: string } };
    };
    expect(cluster.spec.topology).toMatchObject({ classRef: { name: 'in-memory' }, version: VERSION });
    expect(cluster.metadata.managedFields.map((f) => f.manager)).toContain('capi-gateway');
    const machines = JSON.parse(
      await kubectlOk(mc, [
        'get',
        'machines',
        '-n',
        NS,
        '-l',
        'cluster.x-k8s.io/cluster-name=from-class',
        '-o',
        'json',
      ]),
    ) as { items: Array<{ status?: { phase?: string } }> };
    expect(machines.items.map((m) => m.status?.phase)).toEqual(['Running', 'Running', 'Running']);
    // The kubeconfig step asks for the Secret's metadata only: its data never reaches the gateway.
    const secret = await app.gateway.fleet.caches[0]!.connection.writer.readMetadata(
      { group: '', version: 'v1', plural: 'secrets', namespaced: true },
      { namespace: NS, name: 'from-class-kubeconfig' },
    );
    expect(secret.ok && secret.value.kind).toBe('PartialObjectMetadata');
    expect(secret.ok && Object.keys(secret.value)).not.toContain('data');
  });

  it('creates a cluster from a clusterctl template, and lists its variables', async () => {
    const listed = await gql(app.url, TemplateVariablesDocument, { template: template() });
    expect(listed.data?.templateVariables).toEqual(
      expect.arrayContaining([
        { name: 'KUBERNETES_VERSION', defaultValue: null, required: true },
        { name: 'SERVICE_DOMAIN', defaultValue: '"cluster.local"', required: false },
      ]),
    );
    const answer = await create({
      name: 'from-template',
      template: template(),
      variables: { KUBERNETES_VERSION: VERSION, CONTROL_PLANE_MACHINE_COUNT: '1', WORKER_MACHINE_COUNT: '1' },
    });
    if (answer.__typename !== 'CreateClusterPayload') throw new Error(JSON.stringify(answer));
    expect(answer.manifests).toHaveLength(1);
    expect(answer.manifests[0]).toMatchObject({ metadata: { name: 'from-template', namespace: NS } });
    expect(answer.operation?.input).toMatchObject({
      mode: 'template',
      templateVariables: ['CONTROL_PLANE_MACHINE_COUNT', 'KUBERNETES_VERSION', 'WORKER_MACHINE_COUNT'],
    });
    await untilOperation(app.url, answer.operation!.id, 'SUCCEEDED', 90_000);
    expect(await clusterExists('from-template')).toBe(true);
  });

  it('dry run renders and validates, and applies nothing', async () => {
    const before = await operationCount();
    const answer = await create({
      name: 'dry',
      template: template(),
      variables: { KUBERNETES_VERSION: VERSION, CONTROL_PLANE_MACHINE_COUNT: '1', WORKER_MACHINE_COUNT: '1' },
      dryRun: true,
    });
    expect(answer).toMatchObject({ __typename: 'CreateClusterPayload', dryRun: true, operation: null });
    if (answer.__typename !== 'CreateClusterPayload') return;
    expect(answer.manifests[0]).toMatchObject({
      kind: 'Cluster',
      spec: { topology: { version: VERSION }, clusterNetwork: { serviceDomain: 'cluster.local' } },
    });
    expect(await clusterExists('dry')).toBe(false);
    expect(await operationCount()).toBe(before);
  });

  it('answers every bad input with a typed error and changes nothing', async () => {
    const before = await operationCount();
    const good = {
      clusterClass: 'in-memory-vars',
      kubernetesVersion: VERSION,
      controlPlaneReplicas: 1,
      variables: { region: 'eu' },
    };
    const cases: Array<[Partial<CreateClusterInput> & { name: string }, string, string[]]> = [
      [{ ...good, name: 'Bad_Name' }, 'ValidationError', ['name']],
      [{ ...good, name: 'bad-1', clusterClass: 'no-such-class' }, 'ValidationError', ['clusterClass']],
      [{ ...good, name: 'bad-2', variables: { region: 'mars' } }, 'ValidationError', ['variables.region']],
      [{ ...good, name: 'bad-3', variables: {} }, 'ValidationError', ['variables.region']],
      [
        { ...good, name: 'bad-4', variables: { region: 'eu', limits: { pods: 0 }, colour: 'red' } },
        'ValidationError',
        ['variables.colour', 'variables.limits.pods'],
      ],
      [{ ...good, name: 'bad-5', controlPlaneReplicas: 2 }, 'ValidationError', ['controlPlaneReplicas']],
      [{ ...good, name: 'bad-6', kubernetesVersion: '1.31' }, 'ValidationError', ['kubernetesVersion']],
      [
        { ...good, name: 'bad-7', workers: [{ name: 'md-0', class: 'no-such-worker', replicas: 1 }] },
        'ValidationError',
        ['workers[0].class'],
      ],
      [
        { name: 'bad-8', template: template(), variables: {} },
        'ValidationError',
        [
          'variables.CONTROL_PLANE_MACHINE_COUNT',
          'variables.KUBERNETES_VERSION',
          'variables.WORKER_MACHINE_COUNT',
        ],
      ],
      [{ ...good, name: 'bad-9', template: template() }, 'ValidationError', ['template']],
      [{ ...good, name: 'bad-10', managementCluster: 'elsewhere' }, 'ValidationError', ['managementCluster']],
    ];
    for (const [input, typename, paths] of cases) {
      const answer = await create(input);
      expect(answer.__typename, JSON.stringify(input)).toBe(typename);
      if (answer.__typename === 'ValidationError')
        expect(answer.fields.map((f) => f.path).sort(), input.name).toEqual(paths);
      expect(await clusterExists(input.name)).toBe(false);
    }
    // An existing Cluster of another request is not overwritten.
    const taken = await create({ ...good, name: 'from-class' });
    expect(taken.__typename).toBe('ConflictError');
    expect(await operationCount()).toBe(before);
  });
});
