import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.ts';
import { startTestEmbeddedCluster, type TestEmbeddedCluster } from '../support/embedded-cluster.ts';
import {
  CancelOperationDocument,
  Day2OperationDocument,
  UpgradeClustersDocument,
} from '../generated/graphql.ts';
import { applyYaml, getJson, items, plainClusterYaml, waitSettled } from './support/day2-fleet.ts';
import { call, finished } from './support/day2-gateway.ts';
import { eventually, gql } from './support/gql.ts';
import { kubectlOk } from './support/kube-fleet.ts';
import { fastOperations } from './support/operations-fixture.ts';

const FROM = 'v1.33.1';
const TO = 'v1.33.2';
const fleetCluster = (name: string, fleet = 'waves') =>
  plainClusterYaml({
    name,
    version: FROM,
    controlPlaneReplicas: 1,
    workers: [{ name: 'w', replicas: 1 }],
  }).replace(
    `name: ${name}\nspec:\n  clusterNetwork`,
    `name: ${name}\n  labels: { fleet: ${fleet} }\nspec:\n  clusterNetwork`,
  );

describe('a fleet upgrade in waves over two management clusters', () => {
  let a: TestEmbeddedCluster;
  let b: TestEmbeddedCluster;
  let app: App;
  const where: Record<string, TestEmbeddedCluster> = {};

  beforeAll(async () => {
    [a, b] = await Promise.all([
      startTestEmbeddedCluster({ controllers: true, speed: 50 }),
      startTestEmbeddedCluster({ controllers: true, speed: 50 }),
    ]);
    Object.assign(where, { 'f-1': a, 'f-2': a, 'f-3': b, 'f-4': b, 'f-5': b, 'g-1': a, 'g-2': b });
    await applyYaml(
      a,
      [...['f-1', 'f-2'].map((n) => fleetCluster(n)), fleetCluster('g-1', 'soak')].join('\n---\n'),
    );
    await applyYaml(b, fleetCluster('g-2', 'soak'));
    await applyYaml(b, ['f-3', 'f-4', 'f-5'].map((n) => fleetCluster(n)).join('\n---\n'));
    app = await buildApp({
      host: '127.0.0.1',
      port: 0,
      managementClusters: [
        { name: 'a', kubeconfigPath: a.kubeconfigPath },
        { name: 'b', kubeconfigPath: b.kubeconfigPath },
      ],
      connection: { initialBackoffMs: 100, maxBackoffMs: 1000 },
      operations: fastOperations,
    });
    await app.start();
    await Promise.all(Object.entries(where).map(([name, mc]) => waitSettled(mc, name, 150_000)));
    await eventually(
      async () => (['a', 'b'].every((mc) => app.gateway.operations.store(mc)?.synced) ? true : undefined),
      20_000,
      'the Operation CRDs to be watched',
    );
    // The fault: f-4 is paused, so its upgrade cannot start and its wave fails.
    await kubectlOk(b, [
      'patch',
      '-n',
      'default',
      'cluster',
      'f-4',
      '--type=merge',
      '-p',
      '{"spec":{"paused":true}}',
    ]);
  }, 240_000);

  afterAll(async () => {
    await app?.stop();
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('canary first, one wave at a time; a failing wave with ABORT stops the next wave from starting', async () => {
    const ids = await eventually(
      async () => {
        const res = await gql<{
          clusters: { edges: Array<{ node: { id: string; name: string; paused: boolean } }> };
        }>(
          app.url,
          '{ clusters(filter: { labelSelector: "fleet=waves" }) { edges { node { id name paused } } } }',
        );
        const nodes = res.data?.clusters.edges.map((e) => e.node) ?? [];
        return nodes.length === 5 && nodes.find((n) => n.name === 'f-4')?.paused ? nodes : undefined;
      },
      20_000,
      'the gateway to see the fleet, f-4 paused',
    );
    const canary = ids.find((n) => n.name === 'f-1')!.id;
    const result = (
      await call(app, UpgradeClustersDocument, {
        filter: { labelSelector: 'fleet=waves' },
        version: TO,
        strategy: { canaries: [canary], maxConcurrency: 1, waveTimeoutSeconds: 120, onWaveFailure: 'ABORT' },
      })
    ).upgradeClusters;
    if (result.__typename !== 'UpgradeClustersPayload') throw new Error(JSON.stringify(result));
    expect(result.waves.map((w) => w.clusters.map((c) => `${c.managementCluster.name}/${c.name}`))).toEqual([
      ['a/f-1'],
      ['a/f-2'],
      ['b/f-3'],
      ['b/f-4'],
      ['b/f-5'],
    ]);
    const op = await finished(app, result.operation.id, 180_000);
    expect(op.phase).toBe('FAILED');
    expect(op.steps.map((s) => [s.name, s.phase])).toEqual([
      ['wave-1', 'SUCCEEDED'],
      ['wave-2', 'SUCCEEDED'],
      ['wave-3', 'SUCCEEDED'],
      ['wave-4', 'FAILED'],
      ['wave-5', 'PENDING'],
    ]);
    expect(op.error).toContain('f-4');

    // kubectl: the clusters of the waves before the failure run the new version; f-4 and f-5 do not.
    for (const name of ['f-1', 'f-2', 'f-3'])
      expect((await items(where[name]!, 'kcp', name))[0]!.status?.version).toBe(TO);
    for (const name of ['f-4', 'f-5'])
      expect((await items(where[name]!, 'kcp', name))[0]!.spec.version).toBe(FROM);
    // Each upgraded cluster has its child operation in its own management cluster; f-5 has none.
    const children = async (mc: TestEmbeddedCluster, name: string) =>
      (
        await getJson<{ items: Array<{ spec: { type: string }; status?: { phase?: string } }> }>(
          mc,
          'operations.capi-gateway.dev',
          '-l',
          `capi-gateway.dev/target-name=${name}`,
        )
      ).items.map((o) => [o.spec.type, o.status?.phase]);
    expect(await children(a, 'f-2')).toEqual([['UpgradeCluster', 'SUCCEEDED']]);
    expect(await children(b, 'f-3')).toEqual([['UpgradeCluster', 'SUCCEEDED']]);
    expect(await children(b, 'f-5')).toEqual([]);
  });

  it('can be cancelled between waves: the next wave never starts', async () => {
    const result = (
      await call(app, UpgradeClustersDocument, {
        filter: { labelSelector: 'fleet=soak' },
        version: TO,
        strategy: { maxConcurrency: 1, soakBetweenWavesSeconds: 600 },
      })
    ).upgradeClusters;
    if (result.__typename !== 'UpgradeClustersPayload') throw new Error(JSON.stringify(result));
    expect(result.waves.map((w) => w.clusters.map((c) => c.name))).toEqual([['g-1'], ['g-2']]);
    const soaking = await eventually(
      async () => {
        const op = (await call(app, Day2OperationDocument, { id: result.operation.id })).operation;
        return op?.steps[1]?.phase === 'RUNNING' ? op : undefined;
      },
      120_000,
      'the first wave to end and the soak to start',
    );
    expect(soaking.steps.map((s) => s.name)).toEqual(['wave-1', 'soak-after-wave-1', 'wave-2']);
    expect(soaking.steps[1]!.message).toContain('soaking');
    const cancelled = (await call(app, CancelOperationDocument, { id: result.operation.id })).cancelOperation;
    expect(cancelled.__typename).toBe('CancelOperationPayload');
    const op = await finished(app, result.operation.id);
    expect(op.phase).toBe('CANCELLED');
    expect(op.steps.map((s) => [s.name, s.phase])).toEqual([
      ['wave-1', 'SUCCEEDED'],
      ['soak-after-wave-1', 'CANCELLED'],
      ['wave-2', 'CANCELLED'],
    ]);
    expect((await items(a, 'kcp', 'g-1'))[0]!.status?.version).toBe(TO);
    expect((await items(b, 'kcp', 'g-2'))[0]!.spec.version).toBe(FROM);
  });

  it('refuses a bad fleet request and records nothing', async () => {
    const count = async () =>
      (
        await gql<{ operations: { totalCount: number } }>(
          app.url,
          '{ operations(filter: { types: ["UpgradeClusters"] }) { totalCount } }',
        )
      ).data!.operations.totalCount;
    const before = await count();
    const bad = async (
      version: string,
      strategy: Record<string, unknown>,
      filter = { labelSelector: 'fleet=waves' },
    ) =>
      (await call(app, UpgradeClustersDocument, { filter, version, strategy: strategy as never }))
        .upgradeClusters;
    expect(await bad('latest', { maxConcurrency: 1 })).toMatchObject({
      __typename: 'ValidationError',
      fields: [{ path: 'version' }],
    });
    expect(await bad(TO, { maxConcurrency: 0 })).toMatchObject({
      __typename: 'ValidationError',
      fields: [{ path: 'strategy.maxConcurrency' }],
    });
    expect(await bad(TO, { maxConcurrency: 1 }, { labelSelector: 'fleet=none' })).toMatchObject({
      __typename: 'ValidationError',
      fields: [{ path: 'filter' }],
    });
    expect(await bad('v1.32.0', { maxConcurrency: 1 })).toMatchObject({
      __typename: 'ValidationError',
      fields: [{ path: 'version' }],
    });
    expect(await count()).toBe(before);
  });
});
