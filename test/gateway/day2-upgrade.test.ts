import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../resolvers/global-id.ts';
import type { App } from '../../src/app.ts';
import { startTestEmbeddedCluster, type TestEmbeddedCluster } from '../support/embedded-cluster.ts';
import { PlanUpgradeDocument, UpgradeClusterDocument } from '../generated/graphql.ts';
import {
  applyYaml,
  getJson,
  installDemoClass,
  items,
  MachineHistory,
  plainClusterYaml,
  topologyClusterYaml,
  waitSettled,
  type MachineRecord,
} from './support/day2-fleet.ts';
import { call, clusterIds, MC, succeeded } from './support/day2-gateway.ts';
import { eventually } from './support/gql.ts';
import { kubectlOk } from './support/kube-fleet.ts';
import { startOperationsGateway } from './support/operations-fixture.ts';

const FROM = 'v1.32.4';
const plain = (name: string) =>
  plainClusterYaml({
    name,
    version: FROM,
    controlPlaneReplicas: 1,
    workers: [
      { name: 'a', replicas: 1 },
      { name: 'b', replicas: 1 },
    ],
  });
const topology = (name: string) =>
  topologyClusterYaml({
    name,
    version: FROM,
    controlPlaneReplicas: 1,
    workers: [{ name: 'a', replicas: 1 }],
  });

const time = (m: MachineRecord) => Date.parse(m.created);
const latest = (ms: MachineRecord[]) => Math.max(...ms.map(time));
const earliest = (ms: MachineRecord[]) => Math.min(...ms.map(time));

describe('day-2 upgrades', () => {
  let mc: TestEmbeddedCluster;
  let app: App;
  let history: MachineHistory;
  const clusters = ['u-plain', 'u-topo', 'u-tbad', 'u-bad', 'u-paused', 'u-busy'];

  beforeAll(async () => {
    mc = await startTestEmbeddedCluster({ controllers: true, speed: 25 });
    history = new MachineHistory(mc);
    await installDemoClass(mc);
    await applyYaml(
      mc,
      [
        plain('u-plain'),
        topology('u-topo'),
        topology('u-tbad'),
        plain('u-bad'),
        plain('u-paused'),
        plain('u-busy'),
      ].join('\n---\n'),
    );
    app = await startOperationsGateway(MC, mc.kubeconfigPath);
    await Promise.all(clusters.map((c) => waitSettled(mc, c, 150_000)));
  }, 240_000);

  afterAll(async () => {
    history?.stop();
    await app?.stop();
    await mc?.stop();
  });

  it('plans a plain two-minor upgrade without changing anything', async () => {
    const { id } = await clusterIds(app, 'u-bad');
    const before = (await items(mc, 'kcp', 'u-bad'))[0]!;
    const plan = (await call(app, PlanUpgradeDocument, { id, version: 'v1.34.0' })).planUpgrade;
    if (plan.__typename !== 'UpgradePlan') throw new Error(JSON.stringify(plan));
    expect(plan).toMatchObject({
      topology: false,
      targetVersion: 'v1.34.0',
      currentControlPlaneVersion: FROM,
      currentWorkerVersions: [FROM],
      canStart: true,
      blockers: [],
    });
    expect(plan.steps.map((s) => [s.name, s.kind, s.fromVersion, s.toVersion, s.machineCount])).toEqual([
      ['control-plane/v1.33', 'ControlPlane', FROM, 'v1.33.0', 1],
      ['control-plane/v1.34', 'ControlPlane', 'v1.33.0', 'v1.34.0', 1],
      ['machine-deployment/u-bad-a', 'MachineDeployment', FROM, 'v1.34.0', 1],
      ['machine-deployment/u-bad-b', 'MachineDeployment', FROM, 'v1.34.0', 1],
    ]);
    expect(plan.steps[0]!.machines).toHaveLength(1);
    const after = (await items(mc, 'kcp', 'u-bad'))[0]!;
    expect(after.metadata.generation).toBe(before.metadata.generation);
  });

  it('upgrades a plain cluster through both minors, control plane first, then each MachineDeployment', async () => {
    const { id } = await clusterIds(app, 'u-plain');
    const result = (await call(app, UpgradeClusterDocument, { id, version: 'v1.34.0' })).upgradeCluster;
    if (result.__typename !== 'UpgradeClusterPayload') throw new Error(JSON.stringify(result));
    const op = await succeeded(app, result.operation.id, 180_000);
    expect(op.steps.map((s) => [s.name, s.phase])).toEqual([
      ['control-plane/v1.33', 'SUCCEEDED'],
      ['control-plane/v1.34', 'SUCCEEDED'],
      ['machine-deployment/u-plain-a', 'SUCCEEDED'],
      ['machine-deployment/u-plain-b', 'SUCCEEDED'],
    ]);

    // The end state, as kubectl shows it.
    const kcp = (await items(mc, 'kcp', 'u-plain'))[0]!;
    expect([kcp.spec.version, kcp.status?.version]).toEqual(['v1.34.0', 'v1.34.0']);
    for (const md of await items(mc, 'md', 'u-plain'))
      expect((md.spec['template'] as { spec: { version: string } }).spec.version).toBe('v1.34.0');
    const machines = await items(mc, 'machines', 'u-plain');
    expect(machines.map((m) => m.spec.version)).toEqual(['v1.34.0', 'v1.34.0', 'v1.34.0']);

    // The order, from every machine ever created (creation times have one-second resolution).
    const all = history.of('u-plain');
    const cp = (v: string) => all.filter((m) => m.controlPlane && m.version === v);
    const workers = (md: string, v: string) =>
      all.filter((m) => m.deployment === `u-plain-${md}` && m.version === v);
    expect(cp('v1.33.0').length).toBeGreaterThan(0);
    expect(cp('v1.34.0').length).toBeGreaterThan(0);
    expect(earliest(cp('v1.34.0'))).toBeGreaterThanOrEqual(latest(cp('v1.33.0')));
    expect(workers('a', 'v1.34.0').length).toBeGreaterThan(0);
    expect(workers('b', 'v1.34.0').length).toBeGreaterThan(0);
    expect(earliest(workers('a', 'v1.34.0'))).toBeGreaterThanOrEqual(latest(cp('v1.34.0')));
    expect(earliest(workers('b', 'v1.34.0'))).toBeGreaterThanOrEqual(latest(workers('a', 'v1.34.0')));
    // Workers went straight to the target: never a worker on the intermediate minor.
    expect(
      all
        .filter((m) => !m.controlPlane)
        .map((m) => m.version)
        .sort(),
    ).toEqual(expect.arrayContaining([FROM, 'v1.34.0']));
    expect(all.filter((m) => !m.controlPlane && m.version === 'v1.33.0')).toEqual([]);
    // And the operation's steps finished in that order.
    const finished = op.steps.map((s) => Date.parse(s.finishedAt!));
    expect([...finished].sort((a, b) => a - b)).toEqual(finished);
  });

  it('upgrades a topology cluster by setting spec.topology.version and following CAPI through the listed minors', async () => {
    const { id } = await clusterIds(app, 'u-topo');
    const result = (await call(app, UpgradeClusterDocument, { id, version: 'v1.34.0' })).upgradeCluster;
    if (result.__typename !== 'UpgradeClusterPayload') throw new Error(JSON.stringify(result));
    const op = await succeeded(app, result.operation.id, 180_000);
    expect(op.steps.map((s) => s.name)).toEqual([
      'topology-version',
      'control-plane/v1.33',
      'control-plane/v1.34',
      expect.stringMatching(/^machine-deployment\/u-topo-a-/),
    ]);
    const cluster = await getJson<{ spec: { topology: { version: string } } }>(mc, 'cluster', 'u-topo');
    expect(cluster.spec.topology.version).toBe('v1.34.0');
    const kcp = (await items(mc, 'kcp', 'u-topo'))[0]!;
    expect(kcp.status?.version).toBe('v1.34.0');
    expect((await items(mc, 'machines', 'u-topo')).map((m) => m.spec.version)).toEqual([
      'v1.34.0',
      'v1.34.0',
    ]);
    const all = history.of('u-topo');
    const cp = (v: string) => all.filter((m) => m.controlPlane && m.version === v);
    expect(cp('v1.33.1').length).toBeGreaterThan(0);
    expect(earliest(cp('v1.34.0'))).toBeGreaterThanOrEqual(latest(cp('v1.33.1')));
    const newWorkers = all.filter((m) => !m.controlPlane && m.version === 'v1.34.0');
    expect(newWorkers.length).toBeGreaterThan(0);
    expect(earliest(newWorkers)).toBeGreaterThanOrEqual(latest(cp('v1.34.0')));
  });

  it('answers every bad request with its typed error and changes nothing', async () => {
    const ids = await clusterIds(app, 'u-bad');
    const kcpBefore = (await items(mc, 'kcp', 'u-bad'))[0]!;
    const upgrade = async (id: string, version: string) =>
      (await call(app, UpgradeClusterDocument, { id, version })).upgradeCluster;
    const stale = encodeGlobalId({
      managementCluster: MC,
      group: 'cluster.x-k8s.io',
      kind: 'Cluster',
      namespace: 'default',
      name: 'u-gone',
    });

    expect(await upgrade(ids.id, 'v1.31.0')).toMatchObject({
      __typename: 'ValidationError',
      fields: [{ path: 'version', message: expect.stringContaining('downgrade') }],
    });
    expect(await upgrade(ids.id, 'v1.32.3')).toMatchObject({ __typename: 'ValidationError' });
    for (const bad of ['1.33', 'latest', 'v1.33.0; rm -rf /', ''])
      expect(await upgrade(ids.id, bad), bad).toMatchObject({
        __typename: 'ValidationError',
        fields: [{ path: 'version', message: expect.stringContaining('not a semantic version') }],
      });
    expect(await upgrade(ids.id, FROM)).toMatchObject({
      __typename: 'ValidationError',
      message: expect.stringContaining('already runs'),
    });
    expect(await upgrade(stale, 'v1.33.0')).toMatchObject({ __typename: 'NotFoundError' });
    expect(await upgrade(ids.machineDeployments[0]!.id, 'v1.33.0')).toMatchObject({
      __typename: 'ValidationError',
    });
    // The demo ClusterClass lists v1.32.4, v1.33.1 and v1.34.0 only.
    const topo = await clusterIds(app, 'u-topo');
    const unlisted = await upgrade(topo.id, 'v1.35.7');
    expect(unlisted.__typename === 'UpgradeBlockedError' || unlisted.__typename === 'ValidationError').toBe(
      true,
    );

    const kcpAfter = (await items(mc, 'kcp', 'u-bad'))[0]!;
    expect([kcpAfter.spec.version, kcpAfter.metadata.generation]).toEqual([
      kcpBefore.spec.version,
      kcpBefore.metadata.generation,
    ]);
    for (const md of await items(mc, 'md', 'u-bad'))
      expect((md.spec['template'] as { spec: { version: string } }).spec.version).toBe(FROM);
    const operations = await getJson<{ items: unknown[] }>(
      mc,
      'operations.capi-gateway.dev',
      '-l',
      'capi-gateway.dev/target-name=u-bad',
    );
    expect(operations.items).toEqual([]);
  });

  it('refuses to upgrade a paused cluster, saying so, and changes nothing', async () => {
    const { id } = await clusterIds(app, 'u-paused');
    await kubectlOk(mc, [
      'patch',
      '-n',
      'default',
      'cluster',
      'u-paused',
      '--type=merge',
      '-p',
      '{"spec":{"paused":true}}',
    ]);
    const blocked = await eventually(
      async () => {
        const r = (await call(app, UpgradeClusterDocument, { id, version: 'v1.33.1' })).upgradeCluster;
        return r.__typename === 'UpgradeBlockedError' ? r : undefined;
      },
      20_000,
      'the gateway to see the cluster paused',
    );
    expect(blocked.blockers).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'PAUSED' })]));
    const kcp = (await items(mc, 'kcp', 'u-paused'))[0]!;
    expect(kcp.spec.version).toBe(FROM);
    const operations = await getJson<{ items: unknown[] }>(
      mc,
      'operations.capi-gateway.dev',
      '-l',
      'capi-gateway.dev/target-name=u-paused',
    );
    expect(operations.items).toEqual([]);
  });

  it('refuses a second upgrade while one runs', async () => {
    const { id } = await clusterIds(app, 'u-busy');
    const first = (await call(app, UpgradeClusterDocument, { id, version: 'v1.33.1' })).upgradeCluster;
    expect(first.__typename).toBe('UpgradeClusterPayload');
    const second = (await call(app, UpgradeClusterDocument, { id, version: 'v1.33.2' })).upgradeCluster;
    expect(second.__typename === 'ConflictError' || second.__typename === 'UpgradeBlockedError').toBe(true);
    if (first.__typename === 'UpgradeClusterPayload') await succeeded(app, first.operation.id, 180_000);
    const kcp = (await items(mc, 'kcp', 'u-busy'))[0]!;
    expect(kcp.spec.version).toBe('v1.33.1');
  });
});
