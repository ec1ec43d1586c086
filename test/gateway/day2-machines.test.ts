import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { startTestEmbeddedCluster, type TestEmbeddedCluster } from '../support/embedded-cluster.ts';
import {
  AddMachineDeploymentDocument,
  DeleteMachineDocument,
  RemoveMachineDeploymentDocument,
  RolloutControlPlaneDocument,
  RolloutMachineDeploymentDocument,
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
import { startOperationsGateway } from './support/operations-fixture.ts';

const VERSION = 'v1.33.1';
const plain = (name: string, workers = 1) =>
  plainClusterYaml({
    name,
    version: VERSION,
    controlPlaneReplicas: 1,
    workers: [{ name: 'w', replicas: workers }],
  });
const isControlPlane = (m: KubeItem) =>
  m.metadata.labels?.['cluster.x-k8s.io/control-plane-name'] !== undefined;
const names = (ms: KubeItem[]) => ms.map((m) => m.metadata.name).sort();

describe('day-2 rollouts, machines and worker pools', () => {
  let mc: TestEmbeddedCluster;
  let app: App;
  const clusters = ['r-cp', 'r-md', 'd-machine', 'p-plain', 'p-remove', 'p-topo', 'p-bad'];

  beforeAll(async () => {
    mc = await startTestEmbeddedCluster({ controllers: true, speed: 50 });
    await installDemoClass(mc);
    await applyYaml(
      mc,
      [
        plain('r-cp'),
        plain('r-md', 2),
        plain('d-machine', 2),
        plain('p-plain'),
        plain('p-remove'),
        topologyClusterYaml({
          name: 'p-topo',
          version: VERSION,
          controlPlaneReplicas: 1,
          workers: [{ name: 'a', replicas: 1 }],
        }),
        plain('p-bad'),
      ].join('\n---\n'),
    );
    app = await startOperationsGateway(MC, mc.kubeconfigPath);
    await Promise.all(clusters.map((c) => waitSettled(mc, c, 150_000)));
  }, 240_000);

  afterAll(async () => {
    await app?.stop();
    await mc?.stop();
  });

  it('rolls out a control plane: every machine replaced, spec.rollout.after set', async () => {
    const { controlPlane } = await clusterIds(app, 'r-cp');
    const before = names((await items(mc, 'machines', 'r-cp')).filter(isControlPlane));
    const result = (await call(app, RolloutControlPlaneDocument, { id: controlPlane!.id }))
      .rolloutControlPlane;
    if (result.__typename !== 'RolloutControlPlanePayload') throw new Error(JSON.stringify(result));
    await succeeded(app, result.operation.id);
    const kcp = (await items(mc, 'kcp', 'r-cp'))[0]!;
    const after = (kcp.spec['rollout'] as { after: string }).after;
    expect(Date.parse(after)).toBeGreaterThan(0);
    await waitSettled(mc, 'r-cp');
    const machines = (await items(mc, 'machines', 'r-cp')).filter(isControlPlane);
    expect(machines).toHaveLength(1);
    expect(names(machines)).not.toEqual(before);
    for (const m of machines)
      expect(Date.parse(m.metadata.creationTimestamp)).toBeGreaterThanOrEqual(Date.parse(after));
  });

  it('rolls out a MachineDeployment through a new MachineSet', async () => {
    const { machineDeployments } = await clusterIds(app, 'r-md');
    const setsBefore = names(await items(mc, 'ms', 'r-md'));
    const result = (await call(app, RolloutMachineDeploymentDocument, { id: machineDeployments[0]!.id }))
      .rolloutMachineDeployment;
    if (result.__typename !== 'RolloutMachineDeploymentPayload') throw new Error(JSON.stringify(result));
    await succeeded(app, result.operation.id);
    const md = (await items(mc, 'md', 'r-md'))[0]!;
    const after = Date.parse((md.spec['rollout'] as { after: string }).after);
    const workers = (await items(mc, 'machines', 'r-md')).filter((m) => !isControlPlane(m));
    expect(workers).toHaveLength(2);
    for (const m of workers) expect(Date.parse(m.metadata.creationTimestamp)).toBeGreaterThanOrEqual(after);
    const setsAfter = (await items(mc, 'ms', 'r-md')).filter((ms) => (ms.spec.replicas ?? 0) > 0);
    expect(setsAfter.map((s) => s.metadata.name)).not.toEqual(expect.arrayContaining(setsBefore));
  });

  it('deletes a machine, which its MachineSet replaces; refuses the last control-plane machine', async () => {
    const cluster = await clusterIds(app, 'd-machine');
    const worker = cluster.machineDeployments[0]!.machines[0]!;
    const result = (await call(app, DeleteMachineDocument, { id: worker.id })).deleteMachine;
    if (result.__typename !== 'DeleteMachinePayload') throw new Error(JSON.stringify(result));
    expect(result.owner.__typename).toBe('MachineSet');
    const op = await succeeded(app, result.operation.id);
    expect(op.steps.map((s) => s.name)).toEqual(['machine-deleted', 'replacement-ready']);
    const workers = (await items(mc, 'machines', 'd-machine')).filter((m) => !isControlPlane(m));
    expect(workers).toHaveLength(2);
    expect(names(workers)).not.toContain(worker.name);

    const lastCp = cluster.controlPlane!.machines[0]!;
    expect((await call(app, DeleteMachineDocument, { id: lastCp.id })).deleteMachine).toMatchObject({
      __typename: 'ValidationError',
      message: expect.stringContaining('only control-plane machine'),
    });
    expect(names((await items(mc, 'machines', 'd-machine')).filter(isControlPlane))).toEqual([lastCp.name]);
  });

  it('adds a worker pool to a plain cluster by copying a MachineDeployment with its own templates', async () => {
    const { id } = await clusterIds(app, 'p-plain');
    const result = (
      await call(app, AddMachineDeploymentDocument, { clusterId: id, name: 'p-plain-extra', replicas: 2 })
    ).addMachineDeployment;
    if (result.__typename !== 'AddMachineDeploymentPayload') throw new Error(JSON.stringify(result));
    await succeeded(app, result.operation.id);
    const md = (await items(mc, 'md', 'p-plain')).find((m) => m.metadata.name === 'p-plain-extra')!;
    const template = md.spec['template'] as {
      spec: {
        version: string;
        infrastructureRef: { name: string };
        bootstrap: { configRef: { name: string } };
      };
    };
    expect([md.spec.replicas, template.spec.version]).toEqual([2, VERSION]);
    expect(template.spec.infrastructureRef.name).toBe('p-plain-extra');
    expect(template.spec.bootstrap.configRef.name).toBe('p-plain-extra');
    const infra = await getJson<KubeItem>(mc, 'devmachinetemplates', 'p-plain-extra');
    expect(infra.metadata.labels?.['capi-gateway.dev/machine-deployment']).toBe('p-plain-extra');
    await getJson(mc, 'kubeadmconfigtemplates', 'p-plain-extra');
    const machines = (await items(mc, 'machines', 'p-plain')).filter(
      (m) =>
        m.metadata.labels?.['cluster.x-k8s.io/deployment-name'] === 'p-plain-extra' &&
        m.status?.phase === 'Running',
    );
    expect(machines).toHaveLength(2);
  });

  it('removes a plain worker pool and its machines, leaving templates others use', async () => {
    const { machineDeployments } = await clusterIds(app, 'p-remove');
    const result = (await call(app, RemoveMachineDeploymentDocument, { id: machineDeployments[0]!.id }))
      .removeMachineDeployment;
    if (result.__typename !== 'RemoveMachineDeploymentPayload') throw new Error(JSON.stringify(result));
    await succeeded(app, result.operation.id);
    expect(await items(mc, 'md', 'p-remove')).toEqual([]);
    expect((await items(mc, 'machines', 'p-remove')).filter((m) => !isControlPlane(m))).toEqual([]);
    // The DevMachineTemplate is the control plane's too: it stays.
    await getJson(mc, 'devmachinetemplates', 'p-remove-machines');
  });

  it('adds and removes topology worker pools through spec.topology', async () => {
    const { id, machineDeployments } = await clusterIds(app, 'p-topo');
    const added = (
      await call(app, AddMachineDeploymentDocument, {
        clusterId: id,
        name: 'b',
        replicas: 1,
        class: 'general-purpose',
      })
    ).addMachineDeployment;
    if (added.__typename !== 'AddMachineDeploymentPayload') throw new Error(JSON.stringify(added));
    await succeeded(app, added.operation.id);
    const removed = (await call(app, RemoveMachineDeploymentDocument, { id: machineDeployments[0]!.id }))
      .removeMachineDeployment;
    if (removed.__typename !== 'RemoveMachineDeploymentPayload') throw new Error(JSON.stringify(removed));
    await succeeded(app, removed.operation.id);
    const cluster = await getJson<{
      spec: {
        topology: {
          workers: { machineDeployments: Array<{ name: string; class: string; replicas: number }> };
        };
      };
    }>(mc, 'cluster', 'p-topo');
    expect(cluster.spec.topology.workers.machineDeployments).toEqual([
      { name: 'b', class: 'general-purpose', replicas: 1 },
    ]);
    const mds = await items(mc, 'md', 'p-topo');
    expect(mds.map((m) => m.metadata.labels?.['topology.cluster.x-k8s.io/deployment-name'])).toEqual(['b']);
  });

  it('answers bad pool requests with typed errors and changes nothing', async () => {
    const plainIds = await clusterIds(app, 'p-bad');
    const topo = await clusterIds(app, 'p-topo');
    const add = async (vars: { clusterId: string; name: string; replicas: number; class?: string }) =>
      (await call(app, AddMachineDeploymentDocument, vars)).addMachineDeployment;
    const mdsBefore = names(await items(mc, 'md', 'p-bad'));
    expect(await add({ clusterId: plainIds.id, name: 'Bad_Name', replicas: 1 })).toMatchObject({
      __typename: 'ValidationError',
      fields: [{ path: 'name' }],
    });
    expect(await add({ clusterId: plainIds.id, name: 'p-bad-w', replicas: 1 })).toMatchObject({
      __typename: 'ValidationError',
      fields: [{ path: 'name', message: expect.stringContaining('already exists') }],
    });
    expect(await add({ clusterId: plainIds.id, name: 'ok', replicas: -1 })).toMatchObject({
      __typename: 'ValidationError',
      fields: [{ path: 'replicas' }],
    });
    expect(
      await add({ clusterId: plainIds.id, name: 'ok', replicas: 1, class: 'general-purpose' }),
    ).toMatchObject({
      __typename: 'ValidationError',
      fields: [{ path: 'class' }],
    });
    expect(await add({ clusterId: topo.id, name: 'c', replicas: 1, class: 'no-such-class' })).toMatchObject({
      __typename: 'ValidationError',
      fields: [{ path: 'class', message: expect.stringContaining('no MachineDeployment class') }],
    });
    expect(
      await add({ clusterId: plainIds.machineDeployments[0]!.id, name: 'ok', replicas: 1 }),
    ).toMatchObject({
      __typename: 'ValidationError',
      fields: [{ path: 'clusterId' }],
    });
    expect(names(await items(mc, 'md', 'p-bad'))).toEqual(mdsBefore);
    const copies = await getJson<{ items: unknown[] }>(
      mc,
      'devmachinetemplates',
      '-l',
      'capi-gateway.dev/machine-deployment,cluster.x-k8s.io/cluster-name=p-bad',
    );
    expect(copies.items).toEqual([]);
    const operations = await getJson<{ items: unknown[] }>(
      mc,
      'operations.capi-gateway.dev',
      '-l',
      'capi-gateway.dev/target-name=p-bad',
    );
    expect(operations.items).toEqual([]);
  });
});
