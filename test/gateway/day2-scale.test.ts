import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../resolvers/global-id.ts';
import { buildApp, type App } from '../../src/app.ts';
import { startTestEmbeddedCluster, type TestEmbeddedCluster } from '../support/embedded-cluster.ts';
import {
  ScaleControlPlaneDocument,
  ScaleMachineDeploymentDocument,
  ScaleMachinePoolDocument,
} from '../generated/graphql.ts';
import {
  applyYaml,
  getJson,
  installDemoClass,
  items,
  plainClusterYaml,
  topologyClusterYaml,
  waitSettled,
  type KubeItem,
} from './support/day2-fleet.ts';
import { call, clusterIds, MC, succeeded } from './support/day2-gateway.ts';
import { eventually } from './support/gql.ts';
import { kubectlOk } from './support/kube-fleet.ts';
import { fastOperations, startOperationsGateway } from './support/operations-fixture.ts';
import { gql } from './support/gql.ts';

const VERSION = 'v1.33.1';
/** A MachinePool (DockerMachinePool: the engine simulates any InfraMachinePool kind) of cluster `cluster`. */
const machinePool = (cluster: string, replicas: number) => `
apiVersion: cluster.x-k8s.io/v1beta2
kind: MachinePool
metadata: { name: ${cluster}-pool }
spec:
  clusterName: ${cluster}
  replicas: ${replicas}
  template:
    spec:
      clusterName: ${cluster}
      version: ${VERSION}
      bootstrap:
        configRef: { apiGroup: bootstrap.cluster.x-k8s.io, kind: KubeadmConfig, name: ${cluster}-pool }
      infrastructureRef: { apiGroup: infrastructure.cluster.x-k8s.io, kind: DockerMachinePool, name: ${cluster}-pool }
---
apiVersion: bootstrap.cluster.x-k8s.io/v1beta2
kind: KubeadmConfig
metadata: { name: ${cluster}-pool }
spec:
  joinConfiguration: { nodeRegistration: { criSocket: unix:///var/run/containerd/containerd.sock } }
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
kind: DockerMachinePool
metadata: { name: ${cluster}-pool }
spec:
  template:
    customImage: kindest/node:${VERSION}
`;
const plain = (name: string, extra: { externalEtcd?: boolean } = {}) =>
  plainClusterYaml({
    name,
    version: VERSION,
    controlPlaneReplicas: 1,
    workers: [{ name: 'w', replicas: 1 }],
    ...extra,
  });

describe('day-2 scaling', () => {
  let mc: TestEmbeddedCluster;
  let app: App;
  const clusters = ['s-cp', 's-md', 's-ext', 's-bad', 's-conflict', 's-topo', 's-mp'];

  beforeAll(async () => {
    mc = await startTestEmbeddedCluster({ controllers: true, speed: 50 });
    await installDemoClass(mc);
    await applyYaml(
      mc,
      [
        plain('s-cp'),
        plain('s-md'),
        plain('s-ext', { externalEtcd: true }),
        plain('s-bad'),
        plain('s-conflict'),
        plain('s-mp'),
        machinePool('s-mp', 1),
        topologyClusterYaml({
          name: 's-topo',
          version: VERSION,
          controlPlaneReplicas: 1,
          workers: [{ name: 'a', replicas: 1 }],
        }),
      ].join('\n---\n'),
    );
    app = await startOperationsGateway(MC, mc.kubeconfigPath);
    await Promise.all(clusters.map((c) => waitSettled(mc, c)));
  }, 180_000);

  afterAll(async () => {
    await app?.stop();
    await mc?.stop();
  });

  const kcp = async (cluster: string) => (await items(mc, 'kcp', cluster))[0]!;
  const md = async (cluster: string) => (await items(mc, 'md', cluster))[0]!;
  const running = async (cluster: string, filter: (m: KubeItem) => boolean) =>
    (await items(mc, 'machines', cluster)).filter(
      (m) => filter(m) && m.status?.phase === 'Running' && !m.metadata.deletionTimestamp,
    );
  const isControlPlane = (m: KubeItem) =>
    m.metadata.labels?.['cluster.x-k8s.io/control-plane-name'] !== undefined;

  it('scales a plain control plane through the scale subresource until every replica is ready', async () => {
    const { controlPlane } = await clusterIds(app, 's-cp');
    const result = (await call(app, ScaleControlPlaneDocument, { id: controlPlane!.id, replicas: 3 }))
      .scaleControlPlane;
    expect(result.__typename).toBe('ScaleControlPlanePayload');
    if (result.__typename !== 'ScaleControlPlanePayload') return;
    expect(result.controlPlane.id).toBe(controlPlane!.id);
    const op = await succeeded(app, result.operation.id);
    expect(op.type).toBe('ScaleControlPlane');
    expect(op.steps.map((s) => [s.name, s.phase])).toEqual([
      ['replicas-requested', 'SUCCEEDED'],
      ['replicas-ready', 'SUCCEEDED'],
    ]);
    const after = await kcp('s-cp');
    expect(after.spec.replicas).toBe(3);
    expect(after.status).toMatchObject({ replicas: 3, readyReplicas: 3, upToDateReplicas: 3 });
    expect(await running('s-cp', isControlPlane)).toHaveLength(3);
    // The Operation object is in the management cluster, as kubectl sees it.
    const stored = await getJson<{ items: Array<{ spec: { type: string }; status: { phase: string } }> }>(
      mc,
      'operations.capi-gateway.dev',
      '-l',
      'capi-gateway.dev/target-name=s-cp-cp',
    );
    expect(stored.items.map((o) => [o.spec.type, o.status.phase])).toEqual([
      ['ScaleControlPlane', 'SUCCEEDED'],
    ]);
  });

  it('scales a plain MachineDeployment up, and down to zero', async () => {
    const { machineDeployments } = await clusterIds(app, 's-md');
    const id = machineDeployments[0]!.id;
    for (const replicas of [2, 0]) {
      const result = (await call(app, ScaleMachineDeploymentDocument, { id, replicas }))
        .scaleMachineDeployment;
      if (result.__typename !== 'ScaleMachineDeploymentPayload') throw new Error(JSON.stringify(result));
      await succeeded(app, result.operation.id);
      expect((await md('s-md')).spec.replicas).toBe(replicas);
      expect(await running('s-md', (m) => !isControlPlane(m))).toHaveLength(replicas);
    }
  });

  it('scales a plain MachinePool through the scale subresource until its instances are ready', async () => {
    const { machinePools } = await clusterIds(app, 's-mp');
    const result = (await call(app, ScaleMachinePoolDocument, { id: machinePools[0]!.id, replicas: 3 }))
      .scaleMachinePool;
    if (result.__typename !== 'ScaleMachinePoolPayload') throw new Error(JSON.stringify(result));
    await succeeded(app, result.operation.id);
    const [pool] = await items(mc, 'machinepools', 's-mp');
    expect(pool!.spec.replicas).toBe(3);
    expect(pool!.spec['providerIDList']).toHaveLength(3);
    expect(pool!.status).toMatchObject({ replicas: 3, readyReplicas: 3 });
  });

  it('scales a topology cluster through spec.topology, which CAPI carries to its objects', async () => {
    const { controlPlane, machineDeployments } = await clusterIds(app, 's-topo');
    const cp = (await call(app, ScaleControlPlaneDocument, { id: controlPlane!.id, replicas: 3 }))
      .scaleControlPlane;
    const workers = (
      await call(app, ScaleMachineDeploymentDocument, { id: machineDeployments[0]!.id, replicas: 2 })
    ).scaleMachineDeployment;
    if (
      cp.__typename !== 'ScaleControlPlanePayload' ||
      workers.__typename !== 'ScaleMachineDeploymentPayload'
    )
      throw new Error(JSON.stringify([cp, workers]));
    await succeeded(app, cp.operation.id);
    await succeeded(app, workers.operation.id);
    const cluster = await getJson<{
      spec: {
        topology: {
          controlPlane: { replicas: number };
          workers: { machineDeployments: Array<{ name: string; replicas: number }> };
        };
      };
    }>(mc, 'cluster', 's-topo');
    expect(cluster.spec.topology.controlPlane.replicas).toBe(3);
    expect(cluster.spec.topology.workers.machineDeployments).toMatchObject([{ name: 'a', replicas: 2 }]);
    expect((await kcp('s-topo')).spec.replicas).toBe(3);
    expect((await md('s-topo')).spec.replicas).toBe(2);
    expect(await running('s-topo', isControlPlane)).toHaveLength(3);
    expect(await running('s-topo', (m) => !isControlPlane(m))).toHaveLength(2);
  });

  it('allows an even control plane when etcd is external', async () => {
    const { controlPlane } = await clusterIds(app, 's-ext');
    const result = (await call(app, ScaleControlPlaneDocument, { id: controlPlane!.id, replicas: 2 }))
      .scaleControlPlane;
    if (result.__typename !== 'ScaleControlPlanePayload') throw new Error(JSON.stringify(result));
    await succeeded(app, result.operation.id);
    expect((await kcp('s-ext')).spec.replicas).toBe(2);
  });

  it('answers every bad input with its typed error and changes nothing', async () => {
    const ids = await clusterIds(app, 's-bad');
    const cpBefore = await kcp('s-bad');
    const mdBefore = await md('s-bad');
    const cpId = ids.controlPlane!.id;
    const mdId = ids.machineDeployments[0]!.id;
    const scaleCp = async (id: string, replicas: number) =>
      (await call(app, ScaleControlPlaneDocument, { id, replicas })).scaleControlPlane;
    const scaleMd = async (id: string, replicas: number) =>
      (await call(app, ScaleMachineDeploymentDocument, { id, replicas })).scaleMachineDeployment;
    const stale = encodeGlobalId({
      managementCluster: MC,
      group: 'cluster.x-k8s.io',
      kind: 'MachineDeployment',
      namespace: 'default',
      name: 's-bad-gone',
    });
    const foreignMc = encodeGlobalId({
      managementCluster: 'elsewhere',
      group: 'cluster.x-k8s.io',
      kind: 'MachineDeployment',
      namespace: 'default',
      name: 's-bad-w',
    });

    expect(await scaleCp(cpId, 2)).toMatchObject({
      __typename: 'ValidationError',
      fields: [{ path: 'replicas', message: expect.stringContaining('odd') }],
    });
    expect(await scaleCp(cpId, 0)).toMatchObject({
      __typename: 'ValidationError',
      fields: [{ path: 'replicas' }],
    });
    expect(await scaleCp(cpId, 9)).toMatchObject({
      __typename: 'ValidationError',
      message: expect.stringContaining('at most 7'),
    });
    expect(await scaleMd(mdId, -1)).toMatchObject({
      __typename: 'ValidationError',
      fields: [{ path: 'replicas' }],
    });
    expect(await scaleMd(mdId, 501)).toMatchObject({ __typename: 'ValidationError' });
    expect(await scaleMd(ids.id, 2)).toMatchObject({
      __typename: 'ValidationError',
      message: expect.stringContaining('not a MachineDeployment'),
    });
    expect(await scaleMd(cpId, 2)).toMatchObject({ __typename: 'ValidationError' });
    expect(await scaleMd('not-an-id', 2)).toMatchObject({
      __typename: 'ValidationError',
      fields: [{ path: 'id' }],
    });
    expect(await scaleMd(stale, 2)).toMatchObject({ __typename: 'NotFoundError' });
    expect(await scaleMd(foreignMc, 2)).toMatchObject({ __typename: 'NotFoundError' });

    const cpAfter = await kcp('s-bad');
    const mdAfter = await md('s-bad');
    expect([cpAfter.spec.replicas, cpAfter.metadata.generation]).toEqual([
      cpBefore.spec.replicas,
      cpBefore.metadata.generation,
    ]);
    expect([mdAfter.spec.replicas, mdAfter.metadata.generation]).toEqual([
      mdBefore.spec.replicas,
      mdBefore.metadata.generation,
    ]);
    const operations = await getJson<{ items: unknown[] }>(
      mc,
      'operations.capi-gateway.dev',
      '-l',
      'capi-gateway.dev/target-name in (s-bad-cp,s-bad-w)',
    );
    expect(operations.items).toEqual([]);
  });

  it('applies the maximums the gateway config sets', async () => {
    const ids = await clusterIds(app, 's-bad');
    const before = await md('s-bad');
    const limited = await buildApp({
      host: '127.0.0.1',
      port: 0,
      managementClusters: [{ name: MC, kubeconfigPath: mc.kubeconfigPath }],
      provisioning: { maxWorkerReplicas: 1, maxControlPlaneReplicas: 1 },
      operations: { ...fastOperations, installCrd: false },
    });
    await limited.start();
    try {
      expect(await limited.gateway.fleet.whenSynced(20_000)).toBe(true);
      const workers = await gql(limited.url, ScaleMachineDeploymentDocument, {
        id: ids.machineDeployments[0]!.id,
        replicas: 2,
      });
      expect(workers.data?.scaleMachineDeployment).toMatchObject({
        __typename: 'ValidationError',
        message: expect.stringContaining('at most 1 replicas per worker pool'),
      });
      const cp = await gql(limited.url, ScaleControlPlaneDocument, { id: ids.controlPlane!.id, replicas: 3 });
      expect(cp.data?.scaleControlPlane).toMatchObject({
        __typename: 'ValidationError',
        message: expect.stringContaining('at most 1 control-plane replicas'),
      });
    } finally {
      await limited.stop();
    }
    const after = await md('s-bad');
    expect([after.spec.replicas, after.metadata.generation]).toEqual([
      before.spec.replicas,
      before.metadata.generation,
    ]);
  });

  it('answers ConflictError when another scale lands between its read and its write, and keeps the other one', async () => {
    const { machineDeployments } = await clusterIds(app, 's-conflict');
    const writer = app.gateway.fleet.caches[0]!.connection.writer;
    const getScale = writer.getScale.bind(writer);
    // The concurrent writer: kubectl scales the MachineDeployment right after the gateway read it.
    writer.getScale = async (target, key) => {
      const read = await getScale(target, key);
      await kubectlOk(mc, ['scale', '-n', 'default', 'machinedeployment', key.name, '--replicas=3']);
      return read;
    };
    try {
      const result = (
        await call(app, ScaleMachineDeploymentDocument, { id: machineDeployments[0]!.id, replicas: 2 })
      ).scaleMachineDeployment;
      expect(result.__typename).toBe('ConflictError');
    } finally {
      writer.getScale = getScale;
    }
    expect((await md('s-conflict')).spec.replicas).toBe(3);
    const operations = await getJson<{ items: unknown[] }>(
      mc,
      'operations.capi-gateway.dev',
      '-l',
      'capi-gateway.dev/target-name=s-conflict-w',
    );
    expect(operations.items).toEqual([]);
    await eventually(
      async () => ((await running('s-conflict', (m) => !isControlPlane(m))).length === 3 ? true : undefined),
      60_000,
      'the concurrent scale to 3 to be carried out',
    );
  });
});
