import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedCluster, type EmbeddedCluster } from '../../embedded/cluster.ts';
import {
  runKubectl,
  startTestEmbeddedCluster,
  type TestEmbeddedCluster,
} from '../support/embedded-cluster.ts';
import { startGateway, type GatewayUnderTest } from './support/gateway-fixture.ts';
import { eventually, gql } from './support/gql.ts';
import { applyCluster } from './support/kube-fleet.ts';

async function freePortOtherThan(port: number): Promise<number> {
  for (;;) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const free = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    if (free !== port) return free;
  }
}

/** The second management cluster persists to a data dir so it can come back on the same port. */
async function startBeta(dataDir: string, port: number): Promise<EmbeddedCluster> {
  return startEmbeddedCluster({
    host: '127.0.0.1',
    port,
    dataDir,
    ephemeral: false,
    demo: false,
    speed: 50,
    capiApi: 'v1beta2',
    faults: { machineFailureRate: 0, nodeNotReadyRate: 0 },
    controllers: false,
  });
}

const QUERY = `{
  managementClusters { name reachable synced error }
  clusters { totalCount errors { managementCluster message } edges { node { name managementCluster { name } } } }
  fleetSummary { clusters byManagementCluster { key count } errors { managementCluster } }
  beta: cluster(managementCluster: "beta", namespace: "default", name: "b-1") {
    __typename ... on Cluster { name } ... on ManagementClusterUnavailableError { managementCluster message }
  }
}`;

interface Answer {
  managementClusters: Array<{ name: string; reachable: boolean; synced: boolean; error: string | null }>;
  clusters: {
    totalCount: number;
    errors: Array<{ managementCluster: string; message: string }>;
    edges: Array<{ node: { name: string; managementCluster: { name: string } } }>;
  };
  fleetSummary: { clusters: number; errors: Array<{ managementCluster: string }> };
  beta: { __typename: string };
}

describe('a management cluster that goes away', () => {
  let alpha: TestEmbeddedCluster;
  let beta: EmbeddedCluster | undefined;
  let betaDir: string;
  let betaPort: number;
  let app: GatewayUnderTest;

  beforeAll(async () => {
    betaDir = await mkdtemp(join(tmpdir(), 'capi-gateway-beta-'));
    [alpha, beta] = await Promise.all([startTestEmbeddedCluster(), startBeta(betaDir, 0)]);
    betaPort = Number(new URL(beta.url).port);
    const betaKubectl = {
      kubectl: (args: string[], stdin?: string) => runKubectl(beta!.kubeconfigPath, args, stdin),
    };
    await Promise.all([
      applyCluster(alpha, 'v1beta2', { name: 'a-1', namespace: 'default', version: 'v1.33.0' }),
      applyCluster(betaKubectl, 'v1beta2', { name: 'b-1', namespace: 'default', version: 'v1.33.0' }),
    ]);
    app = await startGateway([
      { name: 'alpha', kubeconfigPath: alpha.kubeconfigPath },
      { name: 'beta', kubeconfigPath: beta.kubeconfigPath },
    ]);
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    await Promise.all([alpha?.stop(), beta?.stop()]);
    await rm(betaDir, { recursive: true, force: true });
  });

  it('answers from the others with an error on the path, then recovers when it returns (same port, then a new one)', async () => {
    const before = await gql<Answer>(app.gateway, QUERY);
    expect(before.errors).toBeUndefined();
    expect(before.data!.clusters.totalCount).toBe(2);
    expect(before.data!.beta.__typename).toBe('Cluster');
    const betaId = (
      await gql<{ cluster: { id: string } }>(
        app.gateway,
        '{ cluster(managementCluster: "beta", namespace: "default", name: "b-1") { ... on Cluster { id } } }',
      )
    ).data!.cluster.id;

    await beta!.stop();
    beta = undefined;
    const down = await eventually(
      async () => {
        const res = await gql<Answer>(app.gateway, QUERY);
        return res.data?.managementClusters.find((m) => m.name === 'beta')?.reachable === false
          ? res
          : undefined;
      },
      30_000,
      'beta to be seen as unreachable',
    );
    expect(down.data!.managementClusters.find((m) => m.name === 'alpha')).toMatchObject({ reachable: true });
    expect(down.data!.managementClusters.find((m) => m.name === 'beta')!.error).toMatch(
      /cannot reach|connection|API server/,
    );
    expect(down.data!.clusters.edges.map((e) => e.node.name)).toEqual(['a-1']);
    expect(down.data!.clusters.errors).toEqual([{ managementCluster: 'beta', message: expect.any(String) }]);
    expect(down.data!.fleetSummary).toMatchObject({ clusters: 1, errors: [{ managementCluster: 'beta' }] });
    expect(down.data!.beta).toMatchObject({
      __typename: 'ManagementClusterUnavailableError',
      managementCluster: 'beta',
    });
    expect(down.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: ['clusters'],
          extensions: expect.objectContaining({
            code: 'MANAGEMENT_CLUSTER_UNAVAILABLE',
            managementCluster: 'beta',
          }),
        }),
        expect.objectContaining({ path: ['fleetSummary'] }),
      ]),
    );

    const alphaId = (
      await gql<{ cluster: { id: string } }>(
        app.gateway,
        '{ cluster(managementCluster: "alpha", namespace: "default", name: "a-1") { ... on Cluster { id } } }',
      )
    ).data!.cluster.id;
    const both = await gql(app.gateway, 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
      ids: [alphaId, betaId],
    });
    expect(both.data).toEqual({ nodes: [{ id: alphaId }, null] });
    expect(both.errors).toEqual([
      expect.objectContaining({
        path: ['nodes', 1],
        extensions: expect.objectContaining({ code: 'MANAGEMENT_CLUSTER_UNAVAILABLE' }),
      }),
    ]);
    const node = await gql(app.gateway, 'query($id: ID!) { node(id: $id) { id } }', { id: betaId });
    expect(node.data).toEqual({ node: null });
    expect(node.errors).toEqual([
      expect.objectContaining({
        path: ['node'],
        message: expect.stringMatching(/^management cluster 'beta' is unavailable/),
        extensions: expect.objectContaining({ code: 'MANAGEMENT_CLUSTER_UNAVAILABLE' }),
      }),
    ]);

    beta = await startBeta(betaDir, betaPort);
    const back = await eventually(
      async () => {
        const res = await gql<Answer>(app.gateway, QUERY);
        return res.data?.clusters.totalCount === 2 && !res.errors ? res : undefined;
      },
      30_000,
      'beta to resync after it came back',
    );
    expect(back.data!.managementClusters.every((m) => m.reachable && m.synced && m.error === null)).toBe(
      true,
    );
    expect(back.data!.beta.__typename).toBe('Cluster');
    expect((await gql(app.gateway, 'query($id: ID!) { node(id: $id) { id } }', { id: betaId })).data).toEqual(
      {
        node: { id: betaId },
      },
    );

    // Back on another port (no --port): the gateway re-reads the rewritten kubeconfig.
    await beta.stop();
    beta = await startBeta(betaDir, await freePortOtherThan(betaPort));
    const moved = beta.url;
    await eventually(
      async () => {
        const res = await gql<{
          managementClusters: Array<{ name: string; server: string; reachable: boolean }>;
          clusters: { totalCount: number };
        }>(app.gateway, '{ managementClusters { name server reachable synced } clusters { totalCount } }');
        const b = res.data?.managementClusters.find((m) => m.name === 'beta');
        return b?.server === moved && b.reachable && res.data?.clusters.totalCount === 2 && !res.errors
          ? true
          : undefined;
      },
      30_000,
      'beta to be found on its new port',
    );
  });
});
