import { execute, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createGatewayContext } from '../../resolvers/context.ts';
import { buildGatewaySchema } from '../../schema/index.ts';
import { fleetOf } from '../../src/capi/fleet.ts';
import { ManagementClusterCache } from '../../src/capi/management-cluster-cache.ts';
import { ManagementClusterConnection } from '../../src/k8s/management-cluster-connection.ts';
import { capiFakeKinds, FakeTransport } from './support/fake-transport.ts';

const label = { 'cluster.x-k8s.io/cluster-name': 'mp-1' };
const meta = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  namespace: 'ns',
  uid: `uid-${name}`,
  labels: label,
  ...extra,
});

describe('machine pools', () => {
  it('shows a MachinePool with its machines, infrastructure machine pool (and its reverse edge) and bootstrap config', async () => {
    const transport = new FakeTransport([
      ...capiFakeKinds,
      {
        group: 'infrastructure.cluster.x-k8s.io',
        kind: 'DockerMachinePool',
        plural: 'dockermachinepools',
        version: 'v1beta2',
        contract: 'v1beta2',
      },
      {
        group: 'bootstrap.cluster.x-k8s.io',
        kind: 'KubeadmConfig',
        plural: 'kubeadmconfigs',
        version: 'v1beta2',
        contract: 'v1beta2',
      },
    ]);
    transport.put({
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      metadata: meta('mp-1', { labels: {} }),
      spec: {},
    });
    transport.put({
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'MachinePool',
      metadata: meta('pool'),
      spec: {
        clusterName: 'mp-1',
        replicas: 2,
        template: {
          spec: {
            clusterName: 'mp-1',
            version: 'v1.33.0',
            bootstrap: {
              configRef: { apiGroup: 'bootstrap.cluster.x-k8s.io', kind: 'KubeadmConfig', name: 'pool' },
            },
            infrastructureRef: {
              apiGroup: 'infrastructure.cluster.x-k8s.io',
              kind: 'DockerMachinePool',
              name: 'pool',
            },
          },
        },
      },
      status: { phase: 'Running', replicas: 2, readyReplicas: 2, availableReplicas: 2, upToDateReplicas: 2 },
    });
    transport.put({
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
      kind: 'DockerMachinePool',
      metadata: meta('pool', {
        ownerReferences: [
          {
            apiVersion: 'cluster.x-k8s.io/v1beta2',
            kind: 'MachinePool',
            name: 'pool',
            uid: 'uid-pool',
            controller: true,
          },
        ],
      }),
      status: { initialization: { provisioned: true } },
    });
    transport.put({
      apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta2',
      kind: 'KubeadmConfig',
      metadata: meta('pool'),
      status: { initialization: { dataSecretCreated: true }, dataSecretName: 'pool-bootstrap' },
    });
    for (const n of ['pool-a', 'pool-b']) {
      transport.put({
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Machine',
        metadata: meta(n, { labels: { ...label, 'cluster.x-k8s.io/pool-name': 'pool' } }),
        spec: { clusterName: 'mp-1', version: 'v1.33.0' },
        status: { phase: 'Running' },
      });
    }
    const fleet = fleetOf([
      new ManagementClusterCache(new ManagementClusterConnection('mc', 'https://fake', transport)),
    ]);
    fleet.start();
    try {
      expect(await fleet.whenSynced(10_000)).toBe(true);
      const document =
        parse(`{ cluster(managementCluster: "mc", namespace: "ns", name: "mp-1") { ... on Cluster {
        machinePools { name desired ready phase version machines { name owner { __typename ... on CapiObject { name } } }
          infrastructureMachinePool { __typename kind provisioned machinePool { name } cluster { name } }
          bootstrapConfig { kind dataSecretCreated dataSecretName machine { name } owner { __typename } cluster { name } } } } } }`);
      let data: unknown;
      for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
        // The DockerMachinePool and KubeadmConfig caches start once the MachinePool names them.
        const result = await execute({
          schema: buildGatewaySchema(),
          document,
          contextValue: createGatewayContext(fleet.reader),
        });
        expect(result.errors).toBeUndefined();
        data = result.data;
        const pool = (
          data as {
            cluster: {
              machinePools: Array<{ bootstrapConfig: unknown; infrastructureMachinePool: unknown }>;
            };
          }
        ).cluster.machinePools[0];
        if (pool?.bootstrapConfig && pool.infrastructureMachinePool) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(data).toEqual({
        cluster: {
          machinePools: [
            {
              name: 'pool',
              desired: 2,
              ready: 2,
              phase: 'Running',
              version: 'v1.33.0',
              machines: [
                { name: 'pool-a', owner: null },
                { name: 'pool-b', owner: null },
              ],
              infrastructureMachinePool: {
                __typename: 'GenericInfrastructureMachinePool',
                kind: 'DockerMachinePool',
                provisioned: true,
                machinePool: { name: 'pool' },
                cluster: { name: 'mp-1' },
              },
              bootstrapConfig: {
                kind: 'KubeadmConfig',
                dataSecretCreated: true,
                dataSecretName: 'pool-bootstrap',
                machine: null,
                owner: { __typename: 'MachinePool' },
                cluster: { name: 'mp-1' },
              },
            },
          ],
        },
      });
    } finally {
      await fleet.stop();
    }
  });
});
