/**
 * The engine on ClusterClass topology clusters (../shared/capi/templates/clusterclass-in-memory.yaml
 * + cluster-template-in-memory.yaml rendered with the project's template renderer): provisioning,
 * topology-owned objects and health checks, the topology upgrade order, topology scaling and
 * pools, the Cluster webhook's version rules, a class that appears later, and deletion.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTemplate } from '../../../src/provisioning/render-template.ts';
import { crdProblems } from './crd-conformance.ts';
import {
  type EngineHarness,
  type Obj,
  type Plural,
  R,
  SKIP_REASON,
  conditionStatus,
  haveSharedCapi,
  readTemplate,
  startEngineHarness,
  waitFor,
} from './engine-harness.ts';

const NS = 'default';
const CLUSTER = 'topo';
const CLASSES: Plural = { group: 'cluster.x-k8s.io', version: 'v1beta2', plural: 'clusterclasses' };
const DEV_MACHINE_TEMPLATES: Plural = {
  group: 'infrastructure.cluster.x-k8s.io',
  version: 'v1beta2',
  plural: 'devmachinetemplates',
};

const isControlPlane = (m: Obj): boolean =>
  m.metadata.labels?.['cluster.x-k8s.io/control-plane'] !== undefined;
const created = (m: Obj): number => Date.parse(m.metadata.creationTimestamp ?? '');

function clusterYaml(name: string, version: string, className = 'in-memory'): string {
  const rendered = renderTemplate(readTemplate('cluster-template-in-memory.yaml'), {
    CLUSTER_NAME: name,
    NAMESPACE: NS,
    KUBERNETES_VERSION: version,
    CONTROL_PLANE_MACHINE_COUNT: '1',
    WORKER_MACHINE_COUNT: '2',
  });
  if (!rendered.ok) throw new Error(rendered.error.message);
  return rendered.yaml.replace('name: in-memory', `name: ${className}`);
}

async function rejected(h: EngineHarness, name: string, patch: Record<string, unknown>): Promise<string> {
  try {
    await h.patch(R.clusters, NS, name, patch);
  } catch (error) {
    const body = String((error as { body?: unknown }).body ?? error);
    try {
      return String((JSON.parse(body) as { message?: unknown }).message);
    } catch {
      return body;
    }
  }
  throw new Error('the patch was admitted');
}

describe.skipIf(!haveSharedCapi)(
  haveSharedCapi ? 'engine: ClusterClass topology (in-memory class)' : SKIP_REASON,
  () => {
    let h: EngineHarness;
    const machinesOf = async (cluster: string): Promise<Obj[]> =>
      (await h.list(R.machines, NS)).filter(
        (m) => m.metadata.labels?.['cluster.x-k8s.io/cluster-name'] === cluster,
      );
    const settled = (cluster: string, cp: number, workers: number, version?: string) =>
      waitFor(`${cluster}: ${cp}+${workers} machines Running${version ? ` at ${version}` : ''}`, async () => {
        const all = await machinesOf(cluster);
        const ok =
          all.filter(isControlPlane).length === cp &&
          all.filter((m) => !isControlPlane(m)).length === workers &&
          all.every((m) => m.status?.phase === 'Running' && (!version || m.spec?.version === version));
        return ok && all;
      });

    beforeAll(async () => {
      h = await startEngineHarness({ speed: 50 });
      await h.apply(readTemplate('clusterclass-in-memory.yaml'));
      await h.apply(clusterYaml(CLUSTER, 'v1.33.0'));
    });
    afterAll(async () => {
      await h?.stop();
    });

    it('provisions the topology: InfraCluster, control plane, MachineDeployment, all machines Running', async () => {
      await settled(CLUSTER, 1, 2);
      const cluster = await waitFor('Cluster Available', async () => {
        const c = await h.get(R.clusters, NS, CLUSTER);
        return conditionStatus(c, 'Available') === 'True' && c;
      });
      expect(cluster.status?.phase).toBe('Provisioned');
      expect(conditionStatus(cluster, 'TopologyReconciled')).toBe('True');
      expect(cluster.spec).toMatchObject({
        infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'DevCluster' },
        controlPlaneRef: { apiGroup: 'controlplane.cluster.x-k8s.io', kind: 'KubeadmControlPlane' },
      });
    });

    it('creates topology-owned objects as CAPI does', async () => {
      const cluster = await h.get(R.clusters, NS, CLUSTER);
      const uid = cluster?.metadata.uid;
      const kcp = await h.get(R.kcps, NS, String((cluster?.spec?.controlPlaneRef as { name: string }).name));
      const infra = await h.get(
        R.devClusters,
        NS,
        String((cluster?.spec?.infrastructureRef as { name: string }).name),
      );
      for (const owned of [kcp, infra]) {
        expect(owned?.metadata.labels).toMatchObject({
          'cluster.x-k8s.io/cluster-name': CLUSTER,
          'topology.cluster.x-k8s.io/owned': '',
        });
        expect(owned?.metadata.ownerReferences).toEqual([
          expect.objectContaining({ kind: 'Cluster', uid, controller: true }),
        ]);
      }
      const [md] = await h.list(R.machineDeployments, NS);
      expect(md?.metadata.labels).toMatchObject({ 'topology.cluster.x-k8s.io/deployment-name': 'md-0' });
      expect(md?.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Cluster', uid })]);
      expect(md?.metadata.ownerReferences?.[0]?.controller).not.toBe(true);
      // The class's DevMachineTemplates are copied per cluster, owned by the Cluster.
      const copies = (await h.list(DEV_MACHINE_TEMPLATES, NS)).filter((t) =>
        t.metadata.ownerReferences?.some((o) => o.uid === uid),
      );
      expect(copies).toHaveLength(2);
      const devMachine = (await h.list(R.devMachines, NS))[0];
      expect(devMachine?.spec).toMatchObject({
        backend: { inMemory: { vm: { provisioning: { startupDuration: '10s' } } } },
        providerID: `in-memory://${devMachine?.metadata.name}`,
      });
      // MachineHealthChecks from the class's healthCheck blocks, one for the control plane and one per pool.
      const mhcs = await waitFor('two MachineHealthChecks with targets', async () => {
        const list = await h.list(R.machineHealthChecks, NS);
        return list.length === 2 && list.every((m) => Number(m.status?.expectedMachines) > 0) && list;
      });
      expect(mhcs.map((m) => m.status?.expectedMachines).sort()).toEqual([1, 2]);
      const clusterClass = await h.get(CLASSES, NS, 'in-memory');
      const classTemplate = await waitFor('the class owns its templates', async () => {
        const template = await h.get(DEV_MACHINE_TEMPLATES, NS, 'in-memory-control-plane');
        return template?.metadata.ownerReferences?.some((o) => o.kind === 'ClusterClass') && template;
      });
      expect(classTemplate.metadata.ownerReferences).toEqual([
        expect.objectContaining({ kind: 'ClusterClass', name: 'in-memory', uid: clusterClass?.metadata.uid }),
      ]);
      expect(conditionStatus(clusterClass, 'VariablesReady')).toBe('True');
    });

    it('upgrades through spec.topology.version: control plane first, then workers, every machine replaced', async () => {
      const before = new Set((await machinesOf(CLUSTER)).map((m) => m.metadata.name));
      const violations: string[] = [];
      await h.patch(R.clusters, NS, CLUSTER, { spec: { topology: { version: 'v1.34.0' } } });
      const after = await waitFor(
        'all machines at v1.34.0',
        async () => {
          const all = await machinesOf(CLUSTER);
          const cp = all.filter(isControlPlane);
          const upgradedWorker = all.some((m) => !isControlPlane(m) && m.spec?.version === 'v1.34.0');
          if (upgradedWorker && cp.some((m) => m.spec?.version !== 'v1.34.0'))
            violations.push('a worker was upgraded before the control plane');
          const done =
            all.length === 3 &&
            all.every(
              (m) =>
                m.status?.phase === 'Running' &&
                m.spec?.version === 'v1.34.0' &&
                !before.has(m.metadata.name),
            );
          return done && all;
        },
        30_000,
        50,
      );
      expect(violations).toEqual([]);
      const newestControlPlane = Math.max(...after.filter(isControlPlane).map(created));
      const oldestWorker = Math.min(...after.filter((m) => !isControlPlane(m)).map(created));
      expect(oldestWorker).toBeGreaterThanOrEqual(newestControlPlane);
      await waitFor(
        'TopologyReconciled again',
        async () => conditionStatus(await h.get(R.clusters, NS, CLUSTER), 'TopologyReconciled') === 'True',
      );
    });

    it('rejects topology version changes CAPI rejects', async () => {
      expect(await rejected(h, CLUSTER, { spec: { topology: { version: 'v1.36.0' } } })).toMatch(
        /version cannot be increased from "1.34.0" to "1.36.0"/,
      );
      expect(await rejected(h, CLUSTER, { spec: { topology: { version: 'v1.33.5' } } })).toMatch(
        /cannot be decreased/,
      );
      await h.patch(R.clusters, NS, CLUSTER, { spec: { topology: { version: 'v1.35.0' } } });
      expect(await rejected(h, CLUSTER, { spec: { topology: { version: 'v1.36.0' } } })).toMatch(
        /control plane is currently upgrading/,
      );
      await settled(CLUSTER, 1, 2, 'v1.35.0');
    });

    it('scales through the topology and adds and removes worker pools', async () => {
      await h.patch(R.clusters, NS, CLUSTER, {
        spec: {
          topology: {
            controlPlane: { replicas: 3 },
            workers: {
              machineDeployments: [
                { class: 'default-worker', name: 'md-0', replicas: 1 },
                { class: 'default-worker', name: 'md-1', replicas: 1 },
              ],
            },
          },
        },
      });
      await settled(CLUSTER, 3, 2);
      expect(
        (await h.list(R.machineDeployments, NS))
          .map((md) => md.metadata.labels?.['topology.cluster.x-k8s.io/deployment-name'])
          .sort(),
      ).toEqual(['md-0', 'md-1']);
      await h.patch(R.clusters, NS, CLUSTER, {
        spec: {
          topology: {
            workers: { machineDeployments: [{ class: 'default-worker', name: 'md-0', replicas: 1 }] },
          },
        },
      });
      await settled(CLUSTER, 3, 1);
      await waitFor('md-1 removed', async () => (await h.list(R.machineDeployments, NS)).length === 1);
    });

    it('waits for a ClusterClass that does not exist yet, then proceeds', async () => {
      const result = await h.kubectl(['apply', '-f', '-'], clusterYaml('late', 'v1.33.0', 'late-class'));
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/ClusterClass default\/late-class, but this ClusterClass does not exist/);
      const waiting = await waitFor('TopologyReconciled False', async () => {
        const c = await h.get(R.clusters, NS, 'late');
        return conditionStatus(c, 'TopologyReconciled') === 'False' && c;
      });
      expect(JSON.stringify(waiting.status?.conditions)).toMatch(
        /failed to retrieve ClusterClass default\/late-class/,
      );
      await h.apply(
        readTemplate('clusterclass-in-memory.yaml').replace(/name: in-memory\n/, 'name: late-class\n'),
      );
      await settled('late', 1, 2);
    });

    it('writes only objects that validate against the real CAPI CRDs', async () => {
      let checked = 0;
      for (const resource of [
        R.clusters,
        R.kcps,
        R.machineDeployments,
        R.machineSets,
        R.machines,
        R.kubeadmConfigs,
        R.machineHealthChecks,
        R.devClusters,
        R.devMachines,
        CLASSES,
        DEV_MACHINE_TEMPLATES,
      ]) {
        for (const object of await h.list(resource, NS)) {
          const problems = crdProblems({ ...object, apiVersion: `${resource.group}/${resource.version}` });
          expect(problems, `${object.kind} ${object.metadata.name}`).toEqual([]);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(20);
    });

    it('deletes a topology cluster and everything it owns', async () => {
      const uid = (await h.get(R.clusters, NS, CLUSTER))?.metadata.uid;
      expect((await h.kubectl(['delete', 'cluster', CLUSTER, '--wait=false'])).code).toBe(0);
      await waitFor('nothing of the cluster left', async () => {
        if (await h.get(R.clusters, NS, CLUSTER)) return false;
        if ((await machinesOf(CLUSTER)).length > 0) return false;
        const owned = (await h.list(DEV_MACHINE_TEMPLATES, NS)).filter((t) =>
          t.metadata.ownerReferences?.some((o) => o.uid === uid),
        );
        const leftovers = [
          ...(await h.list(R.machineDeployments, NS)),
          ...(await h.list(R.kcps, NS)),
          ...(await h.list(R.devClusters, NS)),
          ...(await h.list(R.machineHealthChecks, NS)),
        ].filter((o) => o.metadata.labels?.['cluster.x-k8s.io/cluster-name'] === CLUSTER);
        return owned.length === 0 && leftovers.length === 0;
      });
    });
  },
);
