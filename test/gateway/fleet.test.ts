import { join } from 'node:path';
import { execute, parse } from 'graphql';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmbeddedCluster, type TestEmbeddedCluster } from '../support/embedded-cluster.ts';
import { ApiFleetReader, apiSourcesOf } from '../bench/api-reader.ts';
import { executeInRounds } from '../bench/rounds.ts';
import { FleetSummaryDocument, ManagementClustersDocument } from '../generated/graphql.ts';
import { acmeInfra, acmeMachineCrd } from './support/fleet-objects.ts';
import { eventually, gql } from './support/gql.ts';
import {
  hasSharedCapi,
  sharedCapiDir,
  startGateway,
  type GatewayUnderTest,
} from './support/gateway-fixture.ts';
import { applyCluster, kubectlOk } from './support/kube-fleet.ts';

const TREE = `
fragment Obj on CapiObject { name namespace kind apiGroup labels conditions { type status reason } }
fragment Tree on Cluster {
  ...Obj phase paused kubernetesVersion infrastructureProvisioned controlPlaneInitialized
  summary { controlPlane { desired replicas ready available upToDate } workers { desired ready upToDate } }
  infrastructureCluster { __typename ...Obj provisioned }
  controlPlane {
    __typename ...Obj desired replicas ready available upToDate version currentVersion initialized
    machines { name }
    infrastructureTemplate { name kind }
    cluster { name }
  }
  machineDeployments {
    ...Obj desired replicas ready available upToDate phase version
    infrastructureTemplate { name kind } bootstrapTemplate { name kind }
    machineSets { ...Obj desired replicas ready machineDeployment { name } machines { name } }
    machines { name }
    cluster { name }
  }
  machines {
    ...Obj phase version providerID nodeName addresses { type address } bootstrapReady infrastructureReady controlPlane
    owner { __typename ... on CapiObject { name } }
    cluster { name }
    infrastructureMachine {
      __typename ...Obj provisioned providerID addresses { address } contract raw
      machine { name } cluster { name } owner { ... on CapiObject { name } }
    }
    bootstrapConfig { __typename ...Obj dataSecretCreated dataSecretName machine { name } cluster { name } }
  }
}`;

const ONE = `${TREE}
query One($mc: String!, $ns: String!, $name: String!) {
  cluster(managementCluster: $mc, namespace: $ns, name: $name) {
    __typename
    ... on Cluster { id ...Tree }
    ... on Error { message }
  }
}`;

type Tree = Record<string, unknown> & { id: string; machines: Array<Record<string, unknown>> };

async function tree(app: GatewayUnderTest, mc: string, ns: string, name: string): Promise<Tree> {
  const res = await gql<{ cluster: Tree }>(app.gateway, ONE, { mc, ns, name });
  expect(res.errors).toBeUndefined();
  expect(res.data?.cluster.__typename).toBe('Cluster');
  return res.data!.cluster;
}

describe.skipIf(!hasSharedCapi)('the fleet graph over two embedded management clusters', () => {
  let alpha: TestEmbeddedCluster;
  let legacy: TestEmbeddedCluster;
  let app: GatewayUnderTest;

  beforeAll(async () => {
    [alpha, legacy] = await Promise.all([
      startTestEmbeddedCluster(),
      startTestEmbeddedCluster({ capiApi: 'v1beta1' }),
    ]);
    await kubectlOk(alpha, ['apply', '-f', '-'], JSON.stringify(acmeMachineCrd));
    await eventually(
      async () => ((await alpha.kubectl(['get', 'acmemachines'])).code === 0 ? true : undefined),
      30_000,
      'the AcmeMachine CRD to be served',
    );
    await kubectlOk(alpha, ['apply', '-f', join(sharedCapiDir, 'templates/simple-cluster.yaml')]);
    await kubectlOk(alpha, ['apply', '-f', join(sharedCapiDir, 'templates/clusterclass-quick-start.yaml')]);
    await Promise.all([
      applyCluster(alpha, 'v1beta2', {
        name: 'acme-1',
        namespace: 'team-a',
        version: 'v1.33.0',
        workerInfra: acmeInfra,
        labels: { env: 'prod' },
      }),
      applyCluster(legacy, 'v1beta1', { name: 'same-1', namespace: 'team-b', version: 'v1.32.2' }),
    ]);
    await kubectlOk(
      alpha,
      ['apply', '-f', '-'],
      stringify({
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'MachineHealthCheck',
        metadata: { name: 'acme-1-workers', namespace: 'team-a' },
        spec: {
          clusterName: 'acme-1',
          selector: { matchLabels: { 'cluster.x-k8s.io/deployment-name': 'acme-1-md-0' } },
        },
      }),
    );
    await kubectlOk(
      alpha,
      ['apply', '--server-side', '--subresource=status', '--field-manager=test-controllers', '-f', '-'],
      stringify({
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'MachineHealthCheck',
        metadata: { name: 'acme-1-workers', namespace: 'team-a' },
        status: {
          expectedMachines: 1,
          currentHealthy: 1,
          remediationsAllowed: 1,
          targets: ['acme-1-md-0-abc-w1'],
        },
      }),
    );
    // What `clusterctl init` leaves behind: one Provider object per installed provider.
    await legacy.kubectl(['create', 'namespace', 'capi-system']);
    await kubectlOk(
      legacy,
      ['apply', '-f', '-'],
      [
        ['cluster-api', 'cluster-api', 'CoreProvider', 'v1.10.4'],
        ['infrastructure-docker', 'docker', 'InfrastructureProvider', 'v1.10.4'],
      ]
        .map(([name, providerName, type, version]) =>
          stringify({
            apiVersion: 'clusterctl.cluster.x-k8s.io/v1alpha3',
            kind: 'Provider',
            metadata: { name, namespace: 'capi-system' },
            providerName,
            type,
            version,
          }),
        )
        .join('---\n'),
    );
    await applyCluster(alpha, 'v1beta2', { name: 'same-1', namespace: 'team-b', version: 'v1.32.2' });
    await kubectlOk(
      alpha,
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Cluster',
        metadata: { name: 'topo-1', namespace: 'default', labels: { env: 'dev' } },
        spec: {
          topology: {
            classRef: { name: 'quick-start' },
            version: 'v1.34.1',
            controlPlane: { replicas: 3 },
            variables: [{ name: 'imageRepository', value: 'registry.example' }],
            workers: { machineDeployments: [{ class: 'default-worker', name: 'md-0', replicas: 2 }] },
          },
        },
      }),
    );
    app = await startGateway([
      { name: 'alpha', kubeconfigPath: alpha.kubeconfigPath },
      { name: 'legacy', kubeconfigPath: legacy.kubeconfigPath },
    ]);
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    await Promise.all([alpha?.stop(), legacy?.stop()]);
  });

  it('lists both management clusters as reachable and synced, with CAPI version and providers from clusterctl Provider objects, or why there are none', async () => {
    const res = await gql(app.gateway, ManagementClustersDocument);
    expect(res.errors).toBeUndefined();
    const byName = Object.fromEntries(res.data!.managementClusters.map((m) => [m.name, m]));
    expect(byName['alpha']).toMatchObject({ reachable: true, synced: true, error: null, clusterCount: 4 });
    expect(byName['legacy']).toMatchObject({
      reachable: true,
      synced: true,
      clusterCount: 1,
      capiVersion: 'v1.10.4',
      providers: [
        { name: 'cluster-api', type: 'CoreProvider', version: 'v1.10.4' },
        { name: 'docker', type: 'InfrastructureProvider', version: 'v1.10.4' },
      ],
      providersUnavailableReason: null,
    });
    expect(byName['alpha']!.capiVersion).toBeNull();
    expect(byName['alpha']!.providers).toBeNull();
    expect(byName['alpha']!.providersUnavailableReason).toMatch(/Provider/);
    expect(Date.parse(byName['alpha']!.lastSyncTime!)).toBeGreaterThan(0);
  });

  it('serves the simple-cluster template as kubectl shows it', async () => {
    const t = await tree(app, 'alpha', 'default', 'my-cluster');
    const kcp = JSON.parse(await kubectlOk(alpha, ['get', 'kcp', 'controlplane', '-o', 'json'])) as {
      spec: { replicas: number; version: string };
    };
    const mds = JSON.parse(await kubectlOk(alpha, ['get', 'md', '-n', 'default', '-o', 'json'])) as {
      items: Array<{
        metadata: { name: string };
        spec: { replicas: number; template: { spec: { version: string } } };
      }>;
    };
    expect(t['controlPlane']).toMatchObject({
      __typename: 'KubeadmControlPlane',
      name: 'controlplane',
      desired: kcp.spec.replicas,
      version: kcp.spec.version,
      infrastructureTemplate: { name: 'controlplane', kind: 'DockerMachineTemplate' },
      cluster: { name: 'my-cluster' },
    });
    expect(t['infrastructureCluster']).toMatchObject({
      __typename: 'GenericInfrastructureCluster',
      kind: 'DockerCluster',
    });
    expect(t['kubernetesVersion']).toBe(kcp.spec.version);
    expect(
      (t['machineDeployments'] as Array<Record<string, unknown>>).map((md) => [
        md['name'],
        md['desired'],
        md['version'],
      ]),
    ).toEqual(mds.items.map((md) => [md.metadata.name, md.spec.replicas, md.spec.template.spec.version]));
    expect(t['machineDeployments']).toMatchObject([
      {
        infrastructureTemplate: { name: 'worker', kind: 'DockerMachineTemplate' },
        bootstrapTemplate: { name: 'worker', kind: 'KubeadmConfigTemplate' },
      },
    ]);
  });

  it('walks the whole ownership chain down to an infrastructure kind it has never seen', async () => {
    const t = await tree(app, 'alpha', 'team-a', 'acme-1');
    const machines = JSON.parse(
      await kubectlOk(alpha, [
        'get',
        'machines',
        '-n',
        'team-a',
        '-l',
        'cluster.x-k8s.io/cluster-name=acme-1',
        '-o',
        'json',
      ]),
    ) as {
      items: Array<{
        metadata: { name: string };
        spec: { version: string; providerID: string };
        status: { phase: string; nodeRef: { name: string } };
      }>;
    };
    expect(
      t.machines.map((m) => [m['name'], m['phase'], m['version'], m['providerID'], m['nodeName']]),
    ).toEqual(
      machines.items
        .map((m) => [
          m.metadata.name,
          m.status.phase,
          m.spec.version,
          m.spec.providerID,
          m.status.nodeRef.name,
        ])
        .sort(),
    );
    expect(t).toMatchObject({
      phase: 'Provisioned',
      labels: { env: 'prod' },
      infrastructureProvisioned: true,
      controlPlaneInitialized: true,
      summary: { controlPlane: { desired: 1, ready: 1 }, workers: { desired: 1, upToDate: 1 } },
      controlPlane: {
        machines: [{ name: 'acme-1-cp-m1' }],
        initialized: true,
        ready: 1,
        currentVersion: 'v1.33.0',
      },
      machineDeployments: [
        {
          name: 'acme-1-md-0',
          phase: 'Running',
          machineSets: [
            {
              name: 'acme-1-md-0-abc',
              machineDeployment: { name: 'acme-1-md-0' },
              machines: [{ name: 'acme-1-md-0-abc-w1' }],
            },
          ],
          machines: [{ name: 'acme-1-md-0-abc-w1' }],
          cluster: { name: 'acme-1' },
        },
      ],
    });
    const worker = t.machines.find((m) => m['name'] === 'acme-1-md-0-abc-w1')!;
    expect(worker).toMatchObject({
      controlPlane: false,
      bootstrapReady: true,
      infrastructureReady: true,
      owner: { __typename: 'MachineSet', name: 'acme-1-md-0-abc' },
      cluster: { name: 'acme-1' },
      addresses: [{ type: 'InternalIP', address: '10.0.0.20' }],
      infrastructureMachine: {
        __typename: 'GenericInfrastructureMachine',
        kind: 'AcmeMachine',
        apiGroup: 'infrastructure.acme.example',
        contract: 'v1beta2',
        provisioned: true,
        providerID: 'acmemachine:////acme-1-md-0-abc-w1',
        raw: { spec: { flavor: 'large' } },
        machine: { name: 'acme-1-md-0-abc-w1' },
        cluster: { name: 'acme-1' },
        owner: { name: 'acme-1-md-0-abc-w1' },
      },
      bootstrapConfig: {
        __typename: 'GenericBootstrapConfig',
        kind: 'KubeadmConfig',
        dataSecretCreated: true,
        dataSecretName: 'acme-1-md-0-abc-w1-bootstrap',
        machine: { name: 'acme-1-md-0-abc-w1' },
        cluster: { name: 'acme-1' },
      },
    });
    const cp = t.machines.find((m) => m['name'] === 'acme-1-cp-m1')!;
    expect(cp).toMatchObject({
      controlPlane: true,
      owner: { __typename: 'KubeadmControlPlane', name: 'acme-1-cp' },
      infrastructureMachine: { kind: 'DockerMachine', provisioned: true, contract: 'v1beta2' },
    });
  });

  it('gives a legacy (v1beta1) management cluster the same shape as a v1beta2 one', async () => {
    const strip = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(strip);
      if (typeof value !== 'object' || value === null) return value;
      return Object.fromEntries(
        Object.entries(value)
          .filter(([k]) => k !== 'id' && k !== 'contract' && k !== 'raw')
          .map(([k, v]) => [k, strip(v)]),
      );
    };
    const modern = await tree(app, 'alpha', 'team-b', 'same-1');
    const old = await tree(app, 'legacy', 'team-b', 'same-1');
    expect(old.machines).toHaveLength(2);
    expect(strip(old)).toEqual(strip(modern));
    expect((old.machines[0]!['infrastructureMachine'] as { contract: string }).contract).toBe('v1beta1');
  });

  it('answers the same trees through the API-backed reader (no caches)', async () => {
    const document = parse(ONE);
    for (const [mc, ns, name] of [
      ['alpha', 'team-a', 'acme-1'],
      ['legacy', 'team-b', 'same-1'],
      ['alpha', 'default', 'my-cluster'],
    ] as const) {
      const cached = await tree(app, mc, ns, name);
      const reader = new ApiFleetReader(apiSourcesOf(app.gateway.fleet));
      const live = await executeInRounds(reader, (contextValue) =>
        execute({ schema: app.gateway.schema, document, variableValues: { mc, ns, name }, contextValue }),
      );
      expect(live.errors).toBeUndefined();
      expect(JSON.parse(JSON.stringify(live.data!['cluster']))).toEqual(cached);
    }
  });

  it('round-trips IDs through node and nodes', async () => {
    const t = await tree(app, 'legacy', 'team-b', 'same-1');
    const machineIds = await gql<{ cluster: { machines: Array<{ id: string; name: string }> } }>(
      app.gateway,
      `{ cluster(managementCluster: "legacy", namespace: "team-b", name: "same-1") { ... on Cluster { machines { id name } } } }`,
    );
    const ids = [t.id, ...machineIds.data!.cluster.machines.map((m) => m.id)];
    const res = await gql<{
      node: { __typename: string; name: string };
      nodes: Array<{ __typename: string; name: string } | null>;
    }>(
      app.gateway,
      `query($id: ID!, $ids: [ID!]!) {
         node(id: $id) { __typename ... on CapiObject { name } }
         nodes(ids: $ids) { __typename ... on CapiObject { name managementCluster { name } } }
       }`,
      { id: t.id, ids: [...ids, 'bm90LWFuLWlk'] },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.node).toEqual({ __typename: 'Cluster', name: 'same-1' });
    expect(res.data!.nodes).toEqual([
      { __typename: 'Cluster', name: 'same-1', managementCluster: { name: 'legacy' } },
      ...machineIds.data!.cluster.machines.map((m) => ({
        __typename: 'Machine',
        name: m.name,
        managementCluster: { name: 'legacy' },
      })),
      null,
    ]);
  });

  it('pages through the clusters of both management clusters and filters them', async () => {
    type Page = {
      clusters: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        edges: Array<{ node: { name: string; managementCluster: { name: string } } }>;
      };
    };
    const PAGE = `query($after: String, $filter: ClusterFilter) { clusters(first: 2, after: $after, filter: $filter) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { name managementCluster { name } } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res: { data?: Page | null } = await gql<Page>(app.gateway, PAGE, { after });
      const page: Page['clusters'] = res.data!.clusters;
      expect(page.totalCount).toBe(5);
      seen.push(...page.edges.map((e) => `${e.node.managementCluster.name}/${e.node.name}`));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual([
      'alpha/my-cluster',
      'alpha/topo-1',
      'alpha/acme-1',
      'alpha/same-1',
      'legacy/same-1',
    ]);

    const names = async (filter: Record<string, unknown>): Promise<string[]> => {
      const res = await gql<Page>(app.gateway, PAGE.replace('first: 2', 'first: 100'), { filter });
      expect(res.errors).toBeUndefined();
      return res.data!.clusters.edges.map((e) => `${e.node.managementCluster.name}/${e.node.name}`);
    };
    expect(await names({ managementCluster: 'legacy' })).toEqual(['legacy/same-1']);
    expect(await names({ namespace: 'team-a' })).toEqual(['alpha/acme-1']);
    expect(await names({ kubernetesVersion: 'v1.32.2' })).toEqual(['alpha/same-1', 'legacy/same-1']);
    expect(await names({ kubernetesVersion: 'v1.34.1' })).toEqual(['alpha/topo-1']);
    expect(await names({ phase: 'Provisioned', nameContains: 'acme' })).toEqual(['alpha/acme-1']);
    expect(await names({ infrastructureKind: 'DockerCluster', managementCluster: 'alpha' })).toEqual([
      'alpha/my-cluster',
      'alpha/acme-1',
      'alpha/same-1',
    ]);
    expect(await names({ labelSelector: 'env in (prod,dev)' })).toEqual(['alpha/topo-1', 'alpha/acme-1']);
    expect(await names({ labelSelector: '!env' })).toHaveLength(3);

    const bad = await gql(app.gateway, '{ clusters(filter: { labelSelector: "a b c" }) { totalCount } }');
    expect(bad.errors?.[0]).toMatchObject({ path: ['clusters'], extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('summarises the fleet by phase, version, infrastructure kind and management cluster', async () => {
    const res = await gql(app.gateway, FleetSummaryDocument, {});
    expect(res.data!.fleetSummary).toEqual({
      clusters: 5,
      byPhase: [
        { key: 'Provisioned', count: 3 },
        { key: 'Unknown', count: 2 },
      ],
      byKubernetesVersion: [
        { key: 'v1.32.2', count: 2 },
        { key: 'v1.33.0', count: 1 },
        { key: 'v1.34.1', count: 1 },
        { key: 'v1.37.0-beta.0', count: 1 },
      ],
      byInfrastructureKind: [
        { key: 'DockerCluster', count: 4 },
        { key: 'none', count: 1 },
      ],
      byManagementCluster: [
        { key: 'alpha', count: 4 },
        { key: 'legacy', count: 1 },
      ],
      errors: [],
    });
    const filtered = await gql(app.gateway, FleetSummaryDocument, {
      filter: { managementCluster: 'legacy' },
    });
    expect(filtered.data!.fleetSummary).toMatchObject({
      clusters: 1,
      byPhase: [{ key: 'Provisioned', count: 1 }],
    });
  });

  it('shows a topology cluster with its ClusterClass variables and worker classes', async () => {
    const res = await gql<{ cluster: Record<string, unknown> }>(
      app.gateway,
      `{ cluster(managementCluster: "alpha", namespace: "default", name: "topo-1") { ... on Cluster {
          kubernetesVersion controlPlane { name }
          topology { class classNamespace version variables { name value }
            clusterClass { name variables { name required schema } workerClasses { type class infrastructureTemplate { kind name } bootstrapTemplate { kind name } } } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const cluster = res.data!.cluster;
    expect(cluster).toMatchObject({
      kubernetesVersion: 'v1.34.1',
      controlPlane: null,
      topology: {
        class: 'quick-start',
        classNamespace: 'default',
        version: 'v1.34.1',
        variables: [{ name: 'imageRepository', value: 'registry.example' }],
        clusterClass: {
          name: 'quick-start',
          workerClasses: [
            {
              type: 'MachineDeployment',
              class: 'default-worker',
              infrastructureTemplate: {
                kind: 'DevMachineTemplate',
                name: 'quick-start-default-worker-machinetemplate',
              },
              bootstrapTemplate: {
                kind: 'KubeadmConfigTemplate',
                name: 'quick-start-default-worker-bootstraptemplate',
              },
            },
            {
              type: 'MachinePool',
              class: 'default-worker',
              infrastructureTemplate: {
                kind: 'DevMachinePoolTemplate',
                name: 'quick-start-default-worker-machinepooltemplate',
              },
            },
          ],
        },
      },
    });
    const variables = (cluster['topology'] as { clusterClass: { variables: Array<Record<string, unknown>> } })
      .clusterClass.variables;
    expect(variables.find((v) => v['name'] === 'imageRepository')).toMatchObject({
      required: true,
      schema: { type: 'string', example: 'registry.k8s.io' },
    });
  });

  it('shows a MachineHealthCheck with its status and the machines it selects', async () => {
    const res = await gql<{ cluster: { machineHealthChecks: unknown[] } }>(
      app.gateway,
      `{ cluster(managementCluster: "alpha", namespace: "team-a", name: "acme-1") { ... on Cluster {
          machineHealthChecks { name targets currentHealthy expectedMachines remediationsAllowed machines { name } cluster { name } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.cluster.machineHealthChecks).toEqual([
      {
        name: 'acme-1-workers',
        targets: ['acme-1-md-0-abc-w1'],
        currentHealthy: 1,
        expectedMachines: 1,
        remediationsAllowed: 1,
        machines: [{ name: 'acme-1-md-0-abc-w1' }],
        cluster: { name: 'acme-1' },
      },
    ]);
  });

  it('lists the ClusterClasses of the fleet', async () => {
    const res = await gql<{ all: unknown[]; legacyOnly: unknown[] }>(
      app.gateway,
      `{ all: clusterClasses { name namespace managementCluster { name } variables { name } }
         legacyOnly: clusterClasses(managementCluster: "legacy") { name } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.all).toEqual([
      {
        name: 'quick-start',
        namespace: 'default',
        managementCluster: { name: 'alpha' },
        variables: expect.arrayContaining([{ name: 'imageRepository' }]),
      },
    ]);
    expect(res.data!.legacyOnly).toEqual([]);
  });

  it('answers lookups that fail with typed errors, and masks nothing it should not', async () => {
    const q = (mc: string, name: string) =>
      `{ cluster(managementCluster: "${mc}", namespace: "default", name: "${name}") { __typename ... on Error { message } } }`;
    expect((await gql(app.gateway, q('alpha', 'nope'))).data).toMatchObject({
      cluster: { __typename: 'NotFoundError' },
    });
    expect((await gql(app.gateway, q('nowhere', 'x'))).data).toMatchObject({
      cluster: { __typename: 'UnknownManagementClusterError' },
    });
    const unknownId = await gql(app.gateway, '{ node(id: "not base64 json") { __typename } }');
    expect(unknownId).toEqual({ data: { node: null } });
  });

  it('follows changes made with kubectl', async () => {
    // Its own cluster: the other tests' counts and trees stay as the fixture made them,
    // whichever order the tests run in.
    await applyCluster(alpha, 'v1beta2', { name: 'live-1', namespace: 'team-live', version: 'v1.33.0' });
    await eventually(
      async () => {
        const res = await gql<{ cluster: { __typename: string } }>(
          app.gateway,
          '{ cluster(managementCluster: "alpha", namespace: "team-live", name: "live-1") { __typename } }',
        );
        return res.data?.cluster.__typename === 'Cluster' ? true : undefined;
      },
      30_000,
      'the new cluster to show up',
    );
    await kubectlOk(alpha, ['scale', '-n', 'team-live', 'machinedeployment', 'live-1-md-0', '--replicas=4']);
    await kubectlOk(alpha, ['label', '-n', 'team-live', 'cluster', 'live-1', 'tier=gold']);
    await eventually(
      async () => {
        const t = await tree(app, 'alpha', 'team-live', 'live-1');
        const mds = t['machineDeployments'] as Array<{ desired: number }>;
        return mds[0]?.desired === 4 && (t['labels'] as Record<string, string>)['tier'] === 'gold'
          ? true
          : undefined;
      },
      30_000,
      'the scale and the label to show up',
    );
    await kubectlOk(alpha, ['delete', '-n', 'team-live', 'cluster', 'live-1']);
    await eventually(
      async () => {
        const res = await gql<{ cluster: { __typename: string } }>(
          app.gateway,
          '{ cluster(managementCluster: "alpha", namespace: "team-live", name: "live-1") { __typename } }',
        );
        return res.data?.cluster.__typename === 'NotFoundError' ? true : undefined;
      },
      30_000,
      'the deleted cluster to disappear',
    );
  });
});
