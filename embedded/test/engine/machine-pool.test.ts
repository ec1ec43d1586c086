/**
 * The engine on MachinePools: a DockerMachinePool added to simple-cluster.yaml (KCP + Docker
 * infrastructure). Provisioning (bootstrap data, providerIDList, nodeRefs, phase, counters,
 * conditions), scaling through spec.replicas and the scale subresource, a version upgrade, the
 * Cluster's workers summary, CRD conformance of what the engine wrote, and deletion.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTemplate } from '../../../src/provisioning/render-template.ts';
import { startEmbeddedCluster } from '../../cluster.ts';
import { findGoModule } from '../../../test/acceptance/go-module.ts';
import { labelledCrds, renderProviderTemplate, toYaml } from '../../../test/acceptance/provider-manifests.ts';
import { runKubectl } from '../../../test/support/embedded-cluster.ts';
import { crdProblems } from './crd-conformance.ts';
import {
  type EngineHarness,
  type Obj,
  type Plural,
  R,
  SHARED_CAPI,
  SKIP_REASON,
  conditionStatus,
  haveSharedCapi,
  readTemplate,
  startEngineHarness,
  waitFor,
} from './engine-harness.ts';

const NS = 'default';
const CLUSTER = 'my-cluster';
const POOL = 'pool-0';
const V1 = 'v1.37.0-beta.0';
const V2 = 'v1.38.0';
const MACHINE_POOLS: Plural = { group: 'cluster.x-k8s.io', version: 'v1beta2', plural: 'machinepools' };
const DOCKER_MACHINE_POOLS: Plural = {
  group: 'infrastructure.cluster.x-k8s.io',
  version: 'v1beta2',
  plural: 'dockermachinepools',
};

/** The status describes the current spec (not one written before the last spec change). */
const observedCurrent = (object: Obj | undefined): boolean =>
  object?.status?.observedGeneration ===
  (object?.metadata as { generation?: number } | undefined)?.generation;

const poolYaml = `
apiVersion: cluster.x-k8s.io/v1beta2
kind: MachinePool
metadata:
  name: ${POOL}
  namespace: ${NS}
spec:
  clusterName: ${CLUSTER}
  replicas: 2
  template:
    spec:
      clusterName: ${CLUSTER}
      version: ${V1}
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
  namespace: ${NS}
spec:
  joinConfiguration:
    nodeRegistration:
      kubeletExtraArgs:
        - name: eviction-hard
          value: nodefs.available<0%,nodefs.inodesFree<0%,imagefs.available<0%
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
kind: DockerMachinePool
metadata:
  name: ${POOL}
  namespace: ${NS}
spec:
  template:
    customImage: kindest/node:v1.37.0
`;

describe.skipIf(!haveSharedCapi)(
  haveSharedCapi ? 'engine: MachinePool (DockerMachinePool on simple-cluster.yaml)' : SKIP_REASON,
  () => {
    let h: EngineHarness;

    const pool = (): Promise<Obj | undefined> => h.get(MACHINE_POOLS, NS, POOL);
    const settled = (replicas: number, version = V1): Promise<Obj> =>
      waitFor(`MachinePool Running with ${replicas} replicas at ${version}`, async () => {
        const mp = await pool();
        const status = mp?.status ?? {};
        return (
          status.phase === 'Running' &&
          observedCurrent(mp) &&
          status.readyReplicas === replicas &&
          status.upToDateReplicas === replicas &&
          (mp?.spec?.providerIDList as unknown[] | undefined)?.length === replicas &&
          ((status.versions as Array<{ version: string }> | undefined) ?? []).every(
            (v) => v.version === version,
          ) &&
          mp
        );
      });

    beforeAll(async () => {
      h = await startEngineHarness({ speed: 40 });
      await h.apply(readTemplate('simple-cluster.yaml'));
      await h.apply(poolYaml);
    });
    afterAll(async () => {
      await h?.stop();
    });

    it('provisions: bootstrap data, providerIDList, nodeRefs, counters, phase Running, conditions', async () => {
      const mp = await settled(2);
      expect(mp.spec?.template).toMatchObject({
        spec: { bootstrap: { dataSecretName: expect.any(String) } },
      });
      expect(mp.status).toMatchObject({
        phase: 'Running',
        replicas: 2,
        readyReplicas: 2,
        availableReplicas: 2,
        upToDateReplicas: 2,
        initialization: { bootstrapDataSecretCreated: true, infrastructureProvisioned: true },
        versions: [{ version: V1, replicas: 2 }],
      });
      expect(mp.status?.nodeRefs).toHaveLength(2);
      // status.deprecated.v1beta1 as CAPI v1.14 writes it (v1beta1 readers see these counters).
      const legacy = mp.status?.deprecated as { v1beta1?: Record<string, unknown> } | undefined;
      expect(legacy?.v1beta1).toMatchObject({
        readyReplicas: 2,
        availableReplicas: 2,
        unavailableReplicas: 0,
      });
      const legacyConditions = (legacy?.v1beta1?.conditions ?? []) as Array<{ type: string; status: string }>;
      for (const type of ['Ready', 'BootstrapReady', 'InfrastructureReady', 'ReplicasReady'])
        expect(legacyConditions.find((c) => c.type === type)?.status, `v1beta1 ${type}`).toBe('True');
      for (const type of ['Available', 'BootstrapConfigReady', 'InfrastructureReady', 'MachinesReady'])
        expect(conditionStatus(mp, type), type).toBe('True');
      expect(conditionStatus(mp, 'ScalingUp')).toBe('False');
      expect((mp.metadata as { finalizers?: string[] }).finalizers).toContain('machinepool.cluster.x-k8s.io');
      expect(mp.metadata.ownerReferences?.map((o) => o.kind)).toContain('Cluster');

      const infra = await h.get(DOCKER_MACHINE_POOLS, NS, POOL);
      expect(infra?.spec?.providerIDList).toEqual(mp.spec?.providerIDList);
      expect(infra?.status).toMatchObject({ ready: true, replicas: 2 });
      expect(infra?.metadata.ownerReferences).toContainEqual(
        expect.objectContaining({ kind: 'MachinePool', name: POOL, controller: true }),
      );
      const config = await h.get(R.kubeadmConfigs, NS, POOL);
      expect(config?.metadata.ownerReferences).toContainEqual(
        expect.objectContaining({ kind: 'MachinePool', name: POOL, controller: true }),
      );
      for (const object of [mp, infra, config]) expect(crdProblems(object as Obj), object?.kind).toEqual([]);
    });

    it("counts the pool's replicas in the Cluster's workers summary", async () => {
      const cluster = await waitFor('Cluster workers counting the pool', async () => {
        const c = await h.get(R.clusters, NS, CLUSTER);
        const workers = c?.status?.workers as { replicas?: number } | undefined;
        // One MachineDeployment worker + two pool replicas.
        return workers?.replicas === 3 && c;
      });
      expect(cluster.status?.workers).toMatchObject({ desiredReplicas: 3, replicas: 3, readyReplicas: 3 });
    });

    it('scales 2 → 4 through spec.replicas and 4 → 1 through the scale subresource', async () => {
      await h.patch(MACHINE_POOLS, NS, POOL, { spec: { replicas: 4 } });
      await waitFor('ScalingUp phase', async () => {
        const mp = await pool();
        return mp?.status?.phase === 'ScalingUp' || mp?.status?.readyReplicas === 4;
      });
      await settled(4);
      const scaled = await h.kubectl(['scale', 'machinepool', POOL, '-n', NS, '--replicas=1']);
      expect(scaled.code, scaled.stderr).toBe(0);
      const mp = await settled(1);
      expect(mp.status?.nodeRefs).toHaveLength(1);
      expect((await h.get(DOCKER_MACHINE_POOLS, NS, POOL))?.spec?.providerIDList).toHaveLength(1);
    });

    it('upgrades every replica to the new version after the boot delay', async () => {
      await h.patch(MACHINE_POOLS, NS, POOL, { spec: { replicas: 2, template: { spec: { version: V2 } } } });
      const mp = await settled(2, V2);
      expect(mp.status?.versions).toEqual([{ version: V2, replicas: 2 }]);
      expect(conditionStatus(mp, 'MachinesUpToDate')).toBe('True');
      const infra = await h.get(DOCKER_MACHINE_POOLS, NS, POOL);
      const instances = (infra?.status?.instances ?? []) as Array<{ version: string }>;
      expect(instances.map((i) => i.version)).toEqual([V2, V2]);
    });

    it('delete: the InfraMachinePool and bootstrap config go, then the pool', async () => {
      const deleted = await h.kubectl(['delete', 'machinepool', POOL, '-n', NS, '--wait=false']);
      expect(deleted.code, deleted.stderr).toBe(0);
      await waitFor('pool, DockerMachinePool and KubeadmConfig gone', async () => {
        const [mp, infra, config] = await Promise.all([
          pool(),
          h.get(DOCKER_MACHINE_POOLS, NS, POOL),
          h.get(R.kubeadmConfigs, NS, POOL),
        ]);
        return !mp && !infra && !config;
      });
    });
  },
);

const TOPOLOGY_CLUSTER = 'dev-mp';
const DEV_MACHINE_POOLS: Plural = {
  group: 'infrastructure.cluster.x-k8s.io',
  version: 'v1beta2',
  plural: 'devmachinepools',
};

function topologyClusterYaml(workers: number): string {
  const rendered = renderTemplate(readTemplate('cluster-template-development-mp.yaml'), {
    CLUSTER_NAME: TOPOLOGY_CLUSTER,
    NAMESPACE: NS,
    KUBERNETES_VERSION: V1,
    CONTROL_PLANE_MACHINE_COUNT: '1',
    WORKER_MACHINE_COUNT: String(workers),
  });
  if (!rendered.ok) throw new Error(rendered.error.message);
  return rendered.yaml;
}

describe.skipIf(!haveSharedCapi)(
  haveSharedCapi
    ? 'engine: MachinePool from a ClusterClass topology (cluster-template-development-mp.yaml)'
    : SKIP_REASON,
  () => {
    let h: EngineHarness;
    const topologyPool = async (): Promise<Obj | undefined> =>
      (await h.list(MACHINE_POOLS, NS)).find(
        (mp) => mp.metadata.labels?.['topology.cluster.x-k8s.io/pool-name'] === 'mp-0',
      );
    const settled = (replicas: number, version: string): Promise<Obj> =>
      waitFor(
        `topology MachinePool Running with ${replicas} replicas at ${version}`,
        async () => {
          const mp = await topologyPool();
          const status = mp?.status ?? {};
          return (
            status.phase === 'Running' &&
            observedCurrent(mp) &&
            status.readyReplicas === replicas &&
            status.upToDateReplicas === replicas &&
            (mp?.spec?.providerIDList as unknown[] | undefined)?.length === replicas &&
            (status.nodeRefs as unknown[] | undefined)?.length === replicas &&
            mp?.spec?.template !== undefined &&
            (mp.spec.template as { spec: { version: string } }).spec.version === version &&
            mp
          );
        },
        45_000,
      );

    beforeAll(async () => {
      h = await startEngineHarness({ speed: 40 });
      await h.apply(readTemplate('clusterclass-quick-start.yaml'));
      await h.apply(topologyClusterYaml(2));
    });
    afterAll(async () => {
      await h?.stop();
    });

    it('provisions the topology pool: Running with 2 replicas, providerIDList and nodeRefs of 2', async () => {
      const mp = await settled(2, V1);
      expect(mp.metadata.labels).toMatchObject({
        'cluster.x-k8s.io/cluster-name': TOPOLOGY_CLUSTER,
        'topology.cluster.x-k8s.io/owned': '',
      });
      const infraName = (mp.spec?.template as { spec: { infrastructureRef: { name: string } } }).spec
        .infrastructureRef.name;
      const infra = await h.get(DEV_MACHINE_POOLS, NS, infraName);
      expect(infra?.spec?.providerIDList).toHaveLength(2);
      expect(crdProblems(mp)).toEqual([]);
      expect(crdProblems(infra as Obj)).toEqual([]);
      const cluster = await waitFor('Cluster workers counting the pool', async () => {
        const c = await h.get(R.clusters, NS, TOPOLOGY_CLUSTER);
        return (c?.status?.workers as { readyReplicas?: number } | undefined)?.readyReplicas === 2 && c;
      });
      expect(cluster.status?.workers).toMatchObject({ desiredReplicas: 2, replicas: 2 });
    });

    it('scales through spec.topology: 2 → 4 → 1', async () => {
      const scale = async (replicas: number): Promise<void> => {
        await h.patch(R.clusters, NS, TOPOLOGY_CLUSTER, {
          spec: {
            topology: { workers: { machinePools: [{ class: 'default-worker', name: 'mp-0', replicas }] } },
          },
        });
        await settled(replicas, V1);
      };
      await scale(4);
      await scale(1);
    });

    it('upgrades through spec.topology.version: control plane first, then the pool', async () => {
      await h.patch(R.clusters, NS, TOPOLOGY_CLUSTER, { spec: { topology: { version: V2 } } });
      // Poll both: the pool's version may change only once the control plane runs the new one.
      let poolBeforeControlPlane = false;
      await waitFor('pool template at the new version', async () => {
        const [mpNow, kcp] = await Promise.all([topologyPool(), h.list(R.kcps, NS)]);
        const poolVersion = (mpNow?.spec?.template as { spec?: { version?: string } } | undefined)?.spec
          ?.version;
        if (poolVersion === V2 && kcp[0]?.status?.version !== V2) poolBeforeControlPlane = true;
        return poolVersion === V2;
      });
      expect(poolBeforeControlPlane).toBe(false);
      const mp = await settled(1, V2);
      expect(mp.status?.versions).toEqual([{ version: V2, replicas: 1 }]);
      const cp = (await h.list(R.kcps, NS))[0];
      expect(cp?.status?.version).toBe(V2);
    });

    it('deleting the Cluster leaves no pool, bootstrap config or InfraMachinePool behind', async () => {
      const deleted = await h.kubectl(['delete', 'cluster', TOPOLOGY_CLUSTER, '-n', NS, '--wait=false']);
      expect(deleted.code, deleted.stderr).toBe(0);
      await waitFor(
        'everything of the cluster gone',
        async () => {
          const left = await Promise.all([
            h.list(R.clusters, NS),
            h.list(MACHINE_POOLS, NS),
            h.list(DEV_MACHINE_POOLS, NS),
            h.list(R.kubeadmConfigs, NS),
            h.list(R.machines, NS),
          ]);
          return left.every((items) => items.length === 0);
        },
        45_000,
      );
    });
  },
);

// CAPA's published MachinePool template (CAPI v1beta1 objects, AWSMachinePool under the v1beta1
// contract), from the Go module cache as the acceptance check finds it.
const capa = await findGoModule('sigs.k8s.io/cluster-api-provider-aws/v2', 'v2.13.0');

describe.skipIf(!haveSharedCapi || !capa.ok)(
  !haveSharedCapi
    ? SKIP_REASON
    : capa.ok
      ? "engine: CAPA's cluster-template-machinepool.yaml as published (AWSMachinePool)"
      : `CAPA v2.13.0 is not available: ${capa.ok ? '' : capa.reason}`,
  () => {
    let h: EngineHarness;
    const capaDir = capa.ok ? capa.dir : '';
    const AWS_MACHINE_POOLS: Plural = {
      group: 'infrastructure.cluster.x-k8s.io',
      version: 'v1beta2',
      plural: 'awsmachinepools',
    };

    beforeAll(async () => {
      h = await startEngineHarness({ speed: 30 });
      const crds = await labelledCrds(join(capaDir, 'config/crd/bases'), {
        'cluster.x-k8s.io/v1beta1': 'v1beta1_v1beta2',
      });
      const applied = await h.kubectl(['apply', '--server-side', '-f', '-'], toYaml(crds));
      if (applied.code !== 0) throw new Error(applied.stderr);
      const objects = await renderProviderTemplate(
        join(capaDir, 'templates/cluster-template-machinepool.yaml'),
        {
          CLUSTER_NAME: 'aws1',
          AWS_REGION: 'eu-west-1',
          AWS_AVAILABILITY_ZONE: 'eu-west-1a',
          AWS_SSH_KEY_NAME: 'default',
          AWS_CONTROL_PLANE_MACHINE_TYPE: 't3.large',
          AWS_NODE_MACHINE_TYPE: 't3.large',
          CONTROL_PLANE_MACHINE_COUNT: '1',
          WORKER_MACHINE_COUNT: '2',
          KUBERNETES_VERSION: 'v1.34.1',
        },
      );
      await h.apply(toYaml(objects));
    });
    afterAll(async () => {
      await h?.stop();
    });

    it('the MachinePool runs 2 replicas; the AWSMachinePool is ready with 2 providerIDs', async () => {
      const mp = await waitFor(
        'aws1-mp-0 Running with 2 ready replicas',
        async () => {
          const pool = await h.get(MACHINE_POOLS, NS, 'aws1-mp-0');
          return pool?.status?.phase === 'Running' && pool.status.readyReplicas === 2 && pool;
        },
        45_000,
      );
      expect(mp.spec?.providerIDList).toHaveLength(2);
      expect(mp.status?.nodeRefs).toHaveLength(2);
      const infra = await h.get(AWS_MACHINE_POOLS, NS, 'aws1-mp-0');
      expect(infra?.status).toMatchObject({ ready: true, replicas: 2 });
      expect(infra?.spec?.providerIDList).toEqual(mp.spec?.providerIDList);
      // Read as published (v1beta1): the counters convert.
      const v1beta1 = await h.kubectl([
        'get',
        'machinepools.v1beta1.cluster.x-k8s.io',
        'aws1-mp-0',
        '-n',
        NS,
        '-o',
        'jsonpath={.status.replicas}/{.status.v1beta2.readyReplicas}/{.status.phase}',
      ]);
      expect(v1beta1.stdout).toBe('2/2/Running');
    });
  },
);

describe.skipIf(!haveSharedCapi)(
  haveSharedCapi ? 'engine: a restart leaves a running MachinePool alone' : SKIP_REASON,
  () => {
    it('same phase, replicas and providerIDs throughout the restart', async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'capi-engine-mp-restart-'));
      const options = {
        host: '127.0.0.1',
        port: 0,
        dataDir,
        ephemeral: false,
        demo: false,
        speed: 40,
        capiApi: 'v1beta2' as const,
        faults: { machineFailureRate: 0, nodeNotReadyRate: 0 },
        controllers: true,
      };
      let cluster = await startEmbeddedCluster(options);
      const kubectl = (args: string[], stdin?: string) => runKubectl(cluster.kubeconfigPath, args, stdin);
      try {
        const crds = readdirSync(join(SHARED_CAPI, 'crds'))
          .map((file) => readFileSync(join(SHARED_CAPI, 'crds', file), 'utf8'))
          .join('\n---\n');
        expect((await kubectl(['apply', '--server-side', '-f', '-'], crds)).code).toBe(0);
        expect((await kubectl(['apply', '-f', '-'], readTemplate('simple-cluster.yaml'))).code).toBe(0);
        expect((await kubectl(['apply', '-f', '-'], poolYaml)).code).toBe(0);
        const read = async (): Promise<Obj> =>
          JSON.parse((await kubectl(['get', 'machinepool', POOL, '-n', NS, '-o', 'json'])).stdout) as Obj;
        const before = await waitFor('pool Running with 2 replicas', async () => {
          const mp = await read();
          return mp.status?.phase === 'Running' && mp.status.readyReplicas === 2 && mp;
        });
        await cluster.stop();
        cluster = await startEmbeddedCluster(options);
        const seen = new Set<string>();
        // Proof the restarted engine looked at the pool: a spec change it ignores (failure
        // domains are not simulated) bumps the generation, and the pool's status observes it.
        expect(
          (
            await kubectl([
              'patch',
              'machinepool',
              POOL,
              '-n',
              NS,
              '--type',
              'merge',
              '-p',
              '{"spec":{"failureDomains":["fd-a"]}}',
            ])
          ).code,
        ).toBe(0);
        // Until then, and after: no step back to ScalingUp or fewer ready replicas.
        const last = await waitFor('the restarted engine reconciled the pool', async () => {
          const mp = await read();
          seen.add(`${String(mp.status?.phase)}/${String(mp.status?.readyReplicas)}`);
          return mp.status?.observedGeneration === mp.metadata.generation && mp;
        });
        expect([...seen]).toEqual(['Running/2']);
        expect(last.spec?.providerIDList).toEqual(before.spec?.providerIDList);
      } finally {
        await cluster.stop();
        await rm(dataDir, { recursive: true, force: true });
      }
    }, 60_000);
  },
);
