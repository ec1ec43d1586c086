/**
 * CAPI's CRD schema rules and webhook validation on a default embedded cluster (the built-in
 * kinds' generated CAPI schemas, the real CRDs NOT applied by hand), through kubectl: what real CAPI
 * rejects is rejected with 422 and the field path, nothing is stored, and the published
 * templates are still accepted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTemplate } from '../../../src/provisioning/render-template.ts';
import {
  startTestEmbeddedCluster,
  type TestEmbeddedCluster,
} from '../../../test/support/embedded-cluster.ts';
import { SHARED_CAPI, SKIP_REASON, haveSharedCapi } from './engine-harness.ts';

type Json = Record<string, unknown>;

const CORE = 'cluster.x-k8s.io/v1beta2';
const contractRef = (apiGroup: string, kind: string, name = 'tmpl'): Json => ({ apiGroup, kind, name });
const infraRef = (): Json => contractRef('infrastructure.cluster.x-k8s.io', 'DockerMachineTemplate');
const bootstrapRef = (): Json => contractRef('bootstrap.cluster.x-k8s.io', 'KubeadmConfigTemplate');

const machineSpec = (): Json => ({
  clusterName: 'c1',
  version: 'v1.33.0',
  bootstrap: { configRef: bootstrapRef() },
  infrastructureRef: infraRef(),
});

const objects = {
  Cluster: (): Json => ({
    controlPlaneRef: contractRef('controlplane.cluster.x-k8s.io', 'KubeadmControlPlane', 'c1'),
    infrastructureRef: contractRef('infrastructure.cluster.x-k8s.io', 'DockerCluster', 'c1'),
  }),
  MachineDeployment: (): Json => ({
    clusterName: 'c1',
    replicas: 1,
    selector: { matchLabels: {} },
    template: { spec: machineSpec() },
  }),
  MachineSet: (): Json => ({
    clusterName: 'c1',
    replicas: 1,
    selector: { matchLabels: {} },
    template: { spec: machineSpec() },
  }),
  MachinePool: (): Json => ({ clusterName: 'c1', replicas: 1, template: { spec: machineSpec() } }),
  Machine: machineSpec,
  MachineHealthCheck: (): Json => ({
    clusterName: 'c1',
    selector: { matchLabels: { pool: 'a' } },
    checks: { nodeStartupTimeoutSeconds: 600 },
  }),
  KubeadmControlPlane: (): Json => ({
    replicas: 1,
    version: 'v1.33.0',
    machineTemplate: { spec: { infrastructureRef: infraRef() } },
  }),
  ClusterClass: (): Json => ({
    controlPlane: {
      templateRef: {
        apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
        kind: 'KubeadmControlPlaneTemplate',
        name: 'cp',
      },
    },
    infrastructure: {
      templateRef: {
        apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
        kind: 'DockerClusterTemplate',
        name: 'infra',
      },
    },
  }),
} satisfies Record<string, () => Json>;

type Kind = keyof typeof objects;

const apiVersionOf = (kind: Kind): string =>
  kind === 'KubeadmControlPlane' ? 'controlplane.cluster.x-k8s.io/v1beta2' : CORE;

function manifest(kind: Kind, name: string, spec: Json | undefined): string {
  return JSON.stringify({
    apiVersion: apiVersionOf(kind),
    kind,
    metadata: { name, namespace: 'default' },
    ...(spec ? { spec } : {}),
  });
}

interface Case {
  title: string;
  kind: Kind;
  /** Turns the kind's valid spec into the invalid one (undefined: no spec at all). */
  break(spec: Json): Json | undefined;
  field: string;
  message: RegExp;
}

const template = (spec: Json): Json => (spec.template as { spec: Json }).spec;

const cases: Case[] = [
  {
    title: 'a MachineDeployment infrastructureRef without name',
    kind: 'MachineDeployment',
    break: (spec) => (delete (template(spec).infrastructureRef as Json).name, spec),
    field: 'spec.template.spec.infrastructureRef.name',
    message: /Required value/,
  },
  {
    title: 'a MachineDeployment version that is not a semantic version',
    kind: 'MachineDeployment',
    break: (spec) => ((template(spec).version = '1.35'), spec),
    field: 'spec.template.spec.version',
    message: /Invalid value: "v1.35": must be a valid semantic version/,
  },
  {
    title: 'a MachineDeployment without clusterName',
    kind: 'MachineDeployment',
    break: (spec) => (delete spec.clusterName, delete template(spec).clusterName, spec),
    field: 'spec.clusterName',
    message: /Required value/,
  },
  {
    title: 'a MachineDeployment whose selector does not select the template labels',
    kind: 'MachineDeployment',
    break: (spec) => ({ ...spec, selector: { matchLabels: { pool: 'a' } } }),
    field: 'spec.template.metadata.labels',
    message: /Forbidden: must match spec.selector "cluster.x-k8s.io\/cluster-name=c1,pool=a"/,
  },
  {
    title: 'a MachineDeployment maxSurge that is neither an int nor a percentage',
    kind: 'MachineDeployment',
    break: (spec) => ({
      ...spec,
      rollout: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 'one' } } },
    }),
    field: 'spec.rollout.strategy.rollingUpdate.maxSurge',
    message: /must be either an int or a percentage/,
  },
  {
    title: 'a MachineSet template without bootstrap',
    kind: 'MachineSet',
    break: (spec) => (delete template(spec).bootstrap, spec),
    field: 'spec.template.spec.bootstrap',
    message: /Required value/,
  },
  {
    title: 'a Machine with neither bootstrap configRef nor dataSecretName',
    kind: 'Machine',
    break: (spec) => ({ ...spec, bootstrap: {} }),
    field: 'spec.bootstrap',
    message: /expected either spec.bootstrap.dataSecretName or spec.bootstrap.configRef to be populated/,
  },
  {
    title: 'a Machine version that is not a semantic version',
    kind: 'Machine',
    break: (spec) => ({ ...spec, version: 'latest' }),
    field: 'spec.version',
    message: /must be a valid semantic version/,
  },
  {
    title: 'a Machine infrastructureRef without apiGroup',
    kind: 'Machine',
    break: (spec) => ({ ...spec, infrastructureRef: { kind: 'DockerMachine', name: 'm' } }),
    field: 'spec.infrastructureRef.apiGroup',
    message: /Required value/,
  },
  {
    title: 'a Machine infrastructureRef kind that is not a kind',
    kind: 'Machine',
    break: (spec) => ({ ...spec, infrastructureRef: { ...infraRef(), kind: 'Docker Machine' } }),
    field: 'spec.infrastructureRef.kind',
    message: /should match/,
  },
  {
    title: 'a MachinePool without a bootstrap source',
    kind: 'MachinePool',
    break: (spec) => ((template(spec).bootstrap = {}), spec),
    field: 'spec.template.spec.bootstrap',
    message:
      /expected either spec.template.spec.bootstrap.dataSecretName or spec.template.spec.bootstrap.configRef/,
  },
  {
    title: 'a MachinePool whose template names another cluster',
    kind: 'MachinePool',
    break: (spec) => ((template(spec).clusterName = 'c2'), spec),
    field: 'spec.clusterName',
    message: /spec.clusterName and spec.template.spec.clusterName must be set to the same value/,
  },
  {
    title: 'a MachineHealthCheck with an empty selector',
    kind: 'MachineHealthCheck',
    break: (spec) => ({ ...spec, selector: {} }),
    field: 'spec.selector',
    message: /selector must not be empty/,
  },
  {
    title: 'a MachineHealthCheck node start-up timeout under 30s',
    kind: 'MachineHealthCheck',
    break: (spec) => ({ ...spec, checks: { nodeStartupTimeoutSeconds: 10 } }),
    field: 'spec.checks.nodeStartupTimeoutSeconds',
    message: /must be at least 30s/,
  },
  {
    title: 'a KubeadmControlPlane without machineTemplate',
    kind: 'KubeadmControlPlane',
    break: (spec) => (delete spec.machineTemplate, spec),
    field: 'spec.machineTemplate',
    message: /Required value/,
  },
  {
    title: 'a KubeadmControlPlane version that is not a semantic version',
    kind: 'KubeadmControlPlane',
    break: (spec) => ({ ...spec, version: 'v1.35' }),
    field: 'spec.version',
    message: /must be a valid semantic version/,
  },
  {
    title: 'a Cluster controlPlaneRef without kind',
    kind: 'Cluster',
    break: (spec) => ({
      ...spec,
      controlPlaneRef: { apiGroup: 'controlplane.cluster.x-k8s.io', name: 'c1' },
    }),
    field: 'spec.controlPlaneRef.kind',
    message: /Required value/,
  },
  {
    title: 'a Cluster topology without version',
    kind: 'Cluster',
    break: () => ({ topology: { classRef: { name: 'cc' } } }),
    field: 'spec.topology.version',
    message: /Required value/,
  },
  {
    title: 'a Cluster without spec',
    kind: 'Cluster',
    break: () => undefined,
    field: 'spec',
    message: /Required value/,
  },
  {
    title: 'a ClusterClass infrastructure templateRef without apiVersion',
    kind: 'ClusterClass',
    break: (spec) => ({
      ...spec,
      infrastructure: { templateRef: { kind: 'DockerClusterTemplate', name: 'i' } },
    }),
    field: 'spec.infrastructure.templateRef.apiVersion',
    message: /Required value/,
  },
];

describe('CAPI validation on a default embedded cluster (real CRDs not applied)', () => {
  let cluster: TestEmbeddedCluster;

  /** kubectl at -v=6 logs each response's status line, so the 422 is visible to the test. */
  const create = (json: string) => cluster.kubectl(['create', '-v=6', '-f', '-'], json);
  const exists = async (kind: Kind, name: string): Promise<boolean> =>
    (await cluster.kubectl(['get', `${kind.toLowerCase()}s.${apiVersionOf(kind).split('/')[0]}`, name]))
      .code === 0;

  beforeAll(async () => {
    cluster = await startTestEmbeddedCluster({ controllers: true });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it.each(
    cases.map((c, i): [string, string, Case & { name: string }] => [
      c.title,
      c.field,
      { ...c, name: `bad-${i}` },
    ]),
  )(
    'rejects %s (422 on %s), stores nothing',
    async (_title, _field, { kind, name, field, message, break: breakSpec }) => {
      const valid = await create(manifest(kind, `${name}-valid`, objects[kind]()));
      expect(valid.code, valid.stderr).toBe(0);
      const result = await create(manifest(kind, name, breakSpec(objects[kind]())));
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/ 422 Unprocessable Entity/);
      const line = result.stderr.split('\n').find((l) => l.includes(`${field}: `) && message.test(l));
      expect(line, result.stderr).toBeDefined();
      expect(await exists(kind, name)).toBe(false);
    },
  );

  it('rejects changing spec.clusterName of a MachineDeployment (field is immutable)', async () => {
    expect((await create(manifest('MachineDeployment', 'immutable', objects.MachineDeployment()))).code).toBe(
      0,
    );
    const result = await cluster.kubectl([
      'patch',
      'machinedeployments.cluster.x-k8s.io',
      'immutable',
      '--type=merge',
      '-p',
      JSON.stringify({ spec: { clusterName: 'c2', template: { spec: { clusterName: 'c2' } } } }),
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/spec.clusterName: Forbidden: field is immutable/);
    const stored = await cluster.kubectl([
      'get',
      'machinedeployments.cluster.x-k8s.io',
      'immutable',
      '-o',
      'jsonpath={.spec.clusterName}',
    ]);
    expect(stored.stdout).toBe('c1');
  });

  describe.skipIf(!haveSharedCapi)(haveSharedCapi ? 'the published templates' : SKIP_REASON, () => {
    const variables = {
      CLUSTER_NAME: 'tpl',
      NAMESPACE: 'default',
      KUBERNETES_VERSION: 'v1.33.0',
      CONTROL_PLANE_MACHINE_COUNT: '1',
      WORKER_MACHINE_COUNT: '1',
    };
    it.each([
      'simple-cluster.yaml',
      'simple-cluster-without-kcp.yaml',
      'clusterclass-in-memory.yaml',
      'clusterclass-quick-start.yaml',
      'cluster-template-in-memory.yaml',
      'cluster-template-development.yaml',
      'cluster-template-development-mp.yaml',
    ])('accepts %s (server-side dry run)', async (file) => {
      const rendered = renderTemplate(readFileSync(join(SHARED_CAPI, 'templates', file), 'utf8'), variables);
      if (!rendered.ok) throw new Error(`${file} did not render: ${JSON.stringify(rendered)}`);
      const result = await cluster.kubectl(['apply', '--dry-run=server', '-f', '-'], rendered.yaml);
      expect(result.code, result.stderr).toBe(0);
    });
  });

  // Last: it installs the real MachineDeployment CRD into the shared cluster.
  it.skipIf(!haveSharedCapi)(
    'with the real CRD applied, the schema check rejects first and each problem is reported once',
    async () => {
      const crd = readFileSync(join(SHARED_CAPI, 'crds', 'cluster.x-k8s.io_machinedeployments.yaml'), 'utf8');
      const applied = await cluster.kubectl(['apply', '--server-side', '-f', '-'], crd);
      expect(applied.code, applied.stderr).toBe(0);
      const spec = objects.MachineDeployment();
      delete (template(spec).infrastructureRef as Json).name;
      const result = await create(manifest('MachineDeployment', 'real-crd', spec));
      expect(result.stderr).toMatch(/ 422 Unprocessable Entity/);
      expect(
        result.stderr.match(/spec\.template\.spec\.infrastructureRef\.name: Required value/g),
      ).toHaveLength(1);
      expect(await exists('MachineDeployment', 'real-crd')).toBe(false);
    },
  );
});
