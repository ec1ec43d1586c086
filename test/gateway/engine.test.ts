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

const QUERY = `{ cluster(managementCluster: "engine", namespace: "default", name: "my-cluster") { ... on Cluster {
  phase infrastructureProvisioned controlPlaneInitialized
  summary { controlPlane { desired ready available upToDate } workers { desired ready available upToDate } }
  controlPlane { name replicas ready available upToDate initialized currentVersion machines { name } }
  machineDeployments { name replicas ready available upToDate phase
    machineSets { name replicas ready available upToDate machines { name } } }
  machines { name phase version nodeName providerID bootstrapReady infrastructureReady controlPlane
    owner { __typename ... on CapiObject { name } }
    infrastructureMachine { name kind provisioned providerID machine { name } }
    bootstrapConfig { name kind dataSecretCreated dataSecretName machine { name } } }
} } }`;

interface Item {
  kind: string;
  metadata: { name: string; ownerReferences?: Array<{ kind: string; name: string; controller?: boolean }> };
  spec: Record<string, unknown> & { providerID?: string; version?: string };
  status?: Record<string, unknown> & {
    phase?: string;
    nodeRef?: { name: string };
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    upToDateReplicas?: number;
    dataSecretName?: string;
  };
}

interface Tree {
  phase: string;
  controlPlane: Record<string, unknown> & { machines: Array<{ name: string }> };
  machineDeployments: Array<Record<string, unknown> & { machineSets: Array<Record<string, unknown>> }>;
  machines: Array<Record<string, unknown> & { name: string }>;
}

describe.skipIf(!hasSharedCapi)('a cluster provisioned by the simulated CAPI engine', () => {
  let mc: TestEmbeddedCluster;
  let app: GatewayUnderTest;

  beforeAll(async () => {
    mc = await startTestEmbeddedCluster({ controllers: true, speed: 50 });
    app = await startGateway([{ name: 'engine', kubeconfigPath: mc.kubeconfigPath }]);
    await kubectlOk(mc, ['apply', '-f', join(sharedCapiDir, 'templates/simple-cluster.yaml')]);
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

  it('shows the tree the controllers built, as kubectl shows it', async () => {
    await eventually(
      async () => {
        const current = await tree();
        const running = current?.machines.filter(
          (m) => m['phase'] === 'Running' && m['infrastructureMachine'],
        );
        return current?.phase === 'Provisioned' && running?.length === 2 ? current : undefined;
      },
      60_000,
      'the cluster to be provisioned with two running machines',
    );
    // Controllers keep writing status; compare kubectl's and the gateway's view until they agree.
    await eventually(() => matchesKubectl(), 30_000, 'the gateway tree to match kubectl');
  });

  async function matchesKubectl(): Promise<true> {
    const items = (
      JSON.parse(
        await kubectlOk(mc, [
          'get',
          'kcp,md,ms,machines,dockermachines,kubeadmconfigs',
          '-n',
          'default',
          '-o',
          'json',
        ]),
      ) as { items: Item[] }
    ).items;
    const of = (kind: string) => items.filter((i) => i.kind === kind);
    const one = (kind: string, name: string) =>
      items.find((i) => i.kind === kind && i.metadata.name === name)!;
    const t = (await tree())!;
    const counters = (i: Item) => ({
      replicas: i.status?.replicas ?? null,
      ready: i.status?.readyReplicas ?? null,
      available: i.status?.availableReplicas ?? null,
      upToDate: i.status?.upToDateReplicas ?? null,
    });

    const kcp = of('KubeadmControlPlane')[0]!;
    expect(t.controlPlane).toMatchObject({ name: kcp.metadata.name, ...counters(kcp) });
    const [md] = of('MachineDeployment');
    const sets = of('MachineSet');
    expect(t.machineDeployments).toMatchObject([
      {
        name: md!.metadata.name,
        ...counters(md!),
        machineSets: sets.map((s) => ({ name: s.metadata.name, ...counters(s) })),
      },
    ]);

    const machines = of('Machine');
    expect(t.machines.map((m) => m.name)).toEqual(machines.map((m) => m.metadata.name).sort());
    for (const m of machines) {
      const name = m.metadata.name;
      const owner = m.metadata.ownerReferences!.find((o) => o.controller)!;
      const infra = one('DockerMachine', name);
      const bootstrap = one('KubeadmConfig', name);
      expect(t.machines.find((x) => x.name === name)).toEqual({
        name,
        phase: m.status!.phase,
        version: m.spec.version,
        nodeName: m.status!.nodeRef?.name ?? null,
        providerID: m.spec.providerID ?? null,
        bootstrapReady: true,
        infrastructureReady: true,
        controlPlane: owner.kind === 'KubeadmControlPlane',
        owner: { __typename: owner.kind, name: owner.name },
        infrastructureMachine: {
          name,
          kind: 'DockerMachine',
          provisioned: true,
          providerID: infra.spec.providerID ?? null,
          machine: { name },
        },
        bootstrapConfig: {
          name,
          kind: 'KubeadmConfig',
          dataSecretCreated: true,
          dataSecretName: bootstrap.status!.dataSecretName ?? null,
          machine: { name },
        },
      });
    }
    return true;
  }

  it('follows a scale-up through to the new machine', async () => {
    await kubectlOk(mc, ['scale', 'machinedeployment', 'worker-md-0', '--replicas=2']);
    const t = await eventually(
      async () => {
        const current = await tree();
        return current?.machines.filter((m) => !m['controlPlane'] && m['phase'] === 'Running').length === 2
          ? current
          : undefined;
      },
      60_000,
      'a second running worker',
    );
    expect(t.machineDeployments[0]).toMatchObject({ replicas: 2 });
  });
});
