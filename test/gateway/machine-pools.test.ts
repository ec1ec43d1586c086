/**
 * The gateway over MachinePools the simulated CAPI engine provisioned (simple-cluster.yaml
 * plus a DockerMachinePool-backed pool): what the caches answer must be what kubectl shows of
 * the objects the engine wrote — ownerReferences, counters, phase, bootstrap data.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmbeddedCluster, type TestEmbeddedCluster } from '../support/embedded-cluster.ts';
import {
  hasSharedCapi,
  sharedCapiDir,
  startGateway,
  type GatewayUnderTest,
} from './support/gateway-fixture.ts';
import { eventually, gql } from './support/gql.ts';
import { kubectlOk } from './support/kube-fleet.ts';

const POOL = 'pool-0';
const VERSION = 'v1.37.0-beta.0';

const poolYaml = `
apiVersion: cluster.x-k8s.io/v1beta2
kind: MachinePool
metadata:
  name: ${POOL}
  namespace: default
spec:
  clusterName: my-cluster
  replicas: 2
  template:
    spec:
      clusterName: my-cluster
      version: ${VERSION}
      bootstrap:
        configRef:
          apiGroup: bootstrap.cluster.x-k8s.io
          kind: KubeadmConfig
          name: ${POOL}
      infrastructureRef:
        apiGroup: infrastructure.cluster.x-k8s.io
        kind: DockerMachinePool
        name: ${POOL}
---
apiVersion: bootstrap.cluster.x-k8s.io/v1beta2
kind: KubeadmConfig
metadata:
  name: ${POOL}
  namespace: default
spec:
  format: cloud-config
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
kind: DockerMachinePool
metadata:
  name: ${POOL}
  namespace: default
spec:
  template:
    customImage: kindest/node:v1.37.0
`;

const QUERY = `{ cluster(managementCluster: "engine", namespace: "default", name: "my-cluster") { ... on Cluster {
  summary { workers { desired replicas ready } }
  machinePools { name desired replicas ready available upToDate phase version
    machines { name owner { __typename ... on CapiObject { name } } }
    infrastructureMachinePool { __typename kind name provisioned machinePool { name } owner { __typename ... on CapiObject { name } } cluster { name } }
    bootstrapConfig { __typename kind name dataSecretCreated dataSecretName machine { name } owner { __typename ... on CapiObject { name } } cluster { name } } }
} } }`;

interface Pool {
  name: string;
  phase: string | null;
  ready: number | null;
  upToDate: number | null;
  infrastructureMachinePool: { provisioned: boolean } | null;
  bootstrapConfig: { dataSecretCreated: boolean } | null;
}
interface Tree {
  summary: { workers: { desired: number | null; replicas: number | null; ready: number | null } };
  machinePools: Array<Pool & Record<string, unknown>>;
}

interface Item {
  kind: string;
  metadata: { name: string; ownerReferences?: Array<{ kind: string; name: string; controller?: boolean }> };
  status?: { replicas?: number; readyReplicas?: number; dataSecretName?: string; phase?: string };
}

describe.skipIf(!hasSharedCapi)('MachinePools provisioned by the simulated CAPI engine', () => {
  let mc: TestEmbeddedCluster;
  let app: GatewayUnderTest;

  beforeAll(async () => {
    mc = await startTestEmbeddedCluster({ controllers: true, speed: 50 });
    app = await startGateway([{ name: 'engine', kubeconfigPath: mc.kubeconfigPath }]);
    await kubectlOk(mc, ['apply', '-f', join(sharedCapiDir, 'templates/simple-cluster.yaml')]);
    await kubectlOk(mc, ['apply', '-f', '-'], poolYaml);
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    await mc?.stop();
  });

  async function tree(): Promise<Tree | undefined> {
    const res = await gql<{ cluster: Tree | null }>(app.gateway, QUERY);
    expect(res.errors).toBeUndefined();
    return res.data?.cluster ?? undefined;
  }

  const get = async (resource: string): Promise<Item> =>
    JSON.parse(await kubectlOk(mc, ['get', resource, POOL, '-n', 'default', '-o', 'json'])) as Item;

  it('shows the pool, its infrastructure machine pool and bootstrap config as the engine wrote them', async () => {
    const current = await eventually(
      async () => {
        const t = await tree();
        const pool = t?.machinePools[0];
        return pool?.phase === 'Running' &&
          pool.ready === 2 &&
          pool.upToDate === 2 &&
          pool.infrastructureMachinePool?.provisioned &&
          pool.bootstrapConfig?.dataSecretCreated
          ? t
          : undefined;
      },
      60_000,
      'the MachinePool to run 2 replicas',
    );
    const [pool, infra, config] = await Promise.all([
      get('machinepools.cluster.x-k8s.io'),
      get('dockermachinepools.infrastructure.cluster.x-k8s.io'),
      get('kubeadmconfigs.bootstrap.cluster.x-k8s.io'),
    ]);
    // What the engine wrote, as kubectl shows it: both provider objects are owned by the pool.
    const controllerOf = (item: Item) => item.metadata.ownerReferences?.find((o) => o.controller);
    expect(controllerOf(infra)).toMatchObject({ kind: 'MachinePool', name: POOL });
    expect(controllerOf(config)).toMatchObject({ kind: 'MachinePool', name: POOL });
    const machines = JSON.parse(
      await kubectlOk(mc, [
        'get',
        'machines',
        '-n',
        'default',
        '-l',
        `cluster.x-k8s.io/pool-name=${POOL}`,
        '-o',
        'json',
      ]),
    ) as { items: Item[] };

    expect(current.machinePools).toEqual([
      {
        name: POOL,
        desired: 2,
        replicas: pool.status!.replicas,
        ready: pool.status!.readyReplicas,
        available: 2,
        upToDate: 2,
        phase: pool.status!.phase,
        version: VERSION,
        // Machines of a pool, if the engine makes any, are owned by it.
        machines: machines.items.map((m) => ({
          name: m.metadata.name,
          owner: { __typename: controllerOf(m)!.kind, name: controllerOf(m)!.name },
        })),
        infrastructureMachinePool: {
          __typename: 'GenericInfrastructureMachinePool',
          kind: 'DockerMachinePool',
          name: POOL,
          provisioned: true,
          machinePool: { name: POOL },
          owner: { __typename: 'MachinePool', name: POOL },
          cluster: { name: 'my-cluster' },
        },
        bootstrapConfig: {
          __typename: 'GenericBootstrapConfig',
          kind: 'KubeadmConfig',
          name: POOL,
          dataSecretCreated: true,
          dataSecretName: config.status!.dataSecretName,
          machine: null,
          owner: { __typename: 'MachinePool', name: POOL },
          cluster: { name: 'my-cluster' },
        },
      },
    ]);
  });

  it("counts the pool's replicas in the Cluster's workers summary", async () => {
    // simple-cluster.yaml's one MachineDeployment worker plus the pool's two.
    const t = await eventually(
      async () => {
        const current = await tree();
        return current?.summary.workers.ready === 3 ? current : undefined;
      },
      60_000,
      'the workers summary to count the pool',
    );
    expect(t.summary.workers).toEqual({ desired: 3, replicas: 3, ready: 3 });
  });
});
