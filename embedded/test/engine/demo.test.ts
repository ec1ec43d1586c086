/**
 * `npm start` without --no-demo: the project's own ClusterClass and two demo clusters (one
 * topology, one plain KCP + MachineDeployment) are installed and provision.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedCluster, startEmbeddedCluster } from '../../cluster.ts';
import { type Obj, waitFor } from './engine-harness.ts';

describe('engine: demo fleet', () => {
  let cluster: EmbeddedCluster;
  let dataDir: string;
  let custom: CustomObjectsApi;
  const list = async (group: string, plural: string): Promise<Obj[]> =>
    (
      (await custom.listNamespacedCustomObject({
        group,
        version: 'v1beta2',
        namespace: 'default',
        plural,
      })) as { items: Obj[] }
    ).items;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'capi-demo-test-'));
    cluster = await startEmbeddedCluster({
      host: '127.0.0.1',
      port: 0,
      dataDir,
      ephemeral: true,
      demo: true,
      speed: 100,
      capiApi: 'v1beta2',
      faults: { machineFailureRate: 0, nodeNotReadyRate: 0 },
    });
    const config = new KubeConfig();
    config.loadFromFile(cluster.kubeconfigPath);
    custom = config.makeApiClient(CustomObjectsApi);
  });
  afterAll(async () => {
    await cluster?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('installs the demo ClusterClass with its variables', async () => {
    const [klass] = await waitFor('the ClusterClass status', async () => {
      const classes = await list('cluster.x-k8s.io', 'clusterclasses');
      return classes.length === 1 && Array.isArray(classes[0]?.status?.variables) && classes;
    });
    expect(klass?.metadata.name).toBe('capi-gateway-demo');
    expect((klass?.status?.variables as Array<{ name: string }>).map((v) => v.name)).toEqual([
      'region',
      'workerFlavor',
    ]);
  });

  it('provisions both demo clusters with every machine Running', async () => {
    await waitFor(
      'demo clusters Provisioned, 4 + 3 machines Running',
      async () => {
        const clusters = await list('cluster.x-k8s.io', 'clusters');
        const machines = await list('cluster.x-k8s.io', 'machines');
        const byCluster = (name: string) =>
          machines.filter((m) => m.metadata.labels?.['cluster.x-k8s.io/cluster-name'] === name);
        return (
          clusters.length === 2 &&
          clusters.every((c) => c.status?.phase === 'Provisioned') &&
          byCluster('demo-topology').length === 6 &&
          byCluster('demo-plain').length === 3 &&
          machines.every((m) => m.status?.phase === 'Running')
        );
      },
      45_000,
      250,
    );
  });
});
