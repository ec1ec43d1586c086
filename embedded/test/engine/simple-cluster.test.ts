/**
 * The engine on a plain KubeadmControlPlane + MachineDeployment cluster with Docker
 * infrastructure (../shared/capi/templates/simple-cluster.yaml): provisioning, CAPI's labels and
 * owner references, the kubeconfig Secret, scaling, upgrades, health-check remediation, pause,
 * admission rejections, CRD conformance of everything written, and deletion.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crdProblems } from './crd-conformance.ts';
import {
  type EngineHarness,
  type Obj,
  R,
  SKIP_REASON,
  conditionStatus,
  haveSharedCapi,
  readTemplate,
  startEngineHarness,
  waitFor,
} from './engine-harness.ts';

const NS = 'default';
const CLUSTER = 'my-cluster';
const V1 = 'v1.37.0-beta.0';
const V2 = 'v1.38.0';

const isRunning = (m: Obj): boolean => m.status?.phase === 'Running';
const isControlPlane = (m: Obj): boolean =>
  m.metadata.labels?.['cluster.x-k8s.io/control-plane'] !== undefined;

describe.skipIf(!haveSharedCapi)(
  haveSharedCapi ? 'engine: simple-cluster.yaml (KCP + MD, Docker infrastructure)' : SKIP_REASON,
  () => {
    let h: EngineHarness;

    const machines = async (): Promise<Obj[]> =>
      (await h.list(R.machines, NS)).filter((m) => !m.metadata.deletionTimestamp);
    const workers = async (): Promise<Obj[]> => (await machines()).filter((m) => !isControlPlane(m));
    const controlPlane = async (): Promise<Obj[]> => (await machines()).filter(isControlPlane);
    const settled = (count: { cp: number; workers: number }, version?: string) =>
      waitFor(
        `${count.cp} control-plane and ${count.workers} worker machines Running${version ? ` at ${version}` : ''}`,
        async () => {
          const all = await h.list(R.machines, NS);
          const cp = all.filter(isControlPlane);
          const wk = all.filter((m) => !isControlPlane(m));
          return (
            cp.length === count.cp &&
            wk.length === count.workers &&
            all.every((m) => isRunning(m) && (!version || m.spec?.version === version)) &&
            all
          );
        },
      );

    beforeAll(async () => {
      h = await startEngineHarness({ speed: 50 });
      await h.apply(readTemplate('simple-cluster.yaml'));
    });
    afterAll(async () => {
      await h?.stop();
    });

    it('provisions: Cluster Provisioned and Available, every machine Running', async () => {
      await settled({ cp: 1, workers: 1 });
      const cluster = await waitFor('Cluster Available', async () => {
        const c = await h.get(R.clusters, NS, CLUSTER);
        return conditionStatus(c, 'Available') === 'True' && c;
      });
      expect(cluster.status).toMatchObject({
        phase: 'Provisioned',
        initialization: { infrastructureProvisioned: true, controlPlaneInitialized: true },
        controlPlane: {
          desiredReplicas: 1,
          replicas: 1,
          readyReplicas: 1,
          availableReplicas: 1,
          upToDateReplicas: 1,
          versions: [{ version: V1, replicas: 1 }],
        },
        workers: {
          desiredReplicas: 1,
          replicas: 1,
          readyReplicas: 1,
          availableReplicas: 1,
          upToDateReplicas: 1,
          versions: [{ version: V1, replicas: 1 }],
        },
      });
      expect(cluster.spec?.controlPlaneEndpoint).toMatchObject({ host: expect.any(String), port: 6443 });
      const kcp = await h.get(R.kcps, NS, 'controlplane');
      expect(kcp?.status).toMatchObject({
        version: V1,
        replicas: 1,
        readyReplicas: 1,
        initialization: { controlPlaneInitialized: true },
      });
      const md = await h.get(R.machineDeployments, NS, 'worker-md-0');
      expect(md?.status).toMatchObject({
        phase: 'Running',
        replicas: 1,
        readyReplicas: 1,
        availableReplicas: 1,
        upToDateReplicas: 1,
      });
    });

    it('sets labels and owner references as CAPI does', async () => {
      const cluster = await h.get(R.clusters, NS, CLUSTER);
      const [cp] = await controlPlane();
      const [worker] = await workers();
      expect(cp?.metadata.labels).toMatchObject({
        'cluster.x-k8s.io/cluster-name': CLUSTER,
        'cluster.x-k8s.io/control-plane': '',
        'cluster.x-k8s.io/control-plane-name': 'controlplane',
      });
      expect(cp?.metadata.ownerReferences).toEqual([
        expect.objectContaining({ kind: 'KubeadmControlPlane', name: 'controlplane', controller: true }),
      ]);
      expect(worker?.metadata.labels).toMatchObject({
        'cluster.x-k8s.io/cluster-name': CLUSTER,
        'cluster.x-k8s.io/deployment-name': 'worker-md-0',
        'cluster.x-k8s.io/set-name': expect.any(String),
        'machine-template-hash': expect.stringMatching(/^\d+-[a-z0-9]{5}$/),
      });
      expect(worker?.metadata.ownerReferences).toEqual([
        expect.objectContaining({ kind: 'MachineSet', controller: true }),
      ]);
      for (const [resource, name] of [
        [R.dockerMachines, worker?.metadata.name],
        [R.kubeadmConfigs, worker?.metadata.name],
      ] as const) {
        const child = await h.get(resource, NS, name ?? '');
        expect(child?.metadata.ownerReferences).toEqual([
          expect.objectContaining({ kind: 'Machine', name, controller: true }),
        ]);
        expect(child?.metadata.labels?.['cluster.x-k8s.io/cluster-name']).toBe(CLUSTER);
      }
      // Not a topology cluster: the Cluster is a plain (non-controller) owner of KCP and InfraCluster.
      for (const [resource, name] of [
        [R.kcps, 'controlplane'],
        [R.dockerClusters, CLUSTER],
        [R.machineDeployments, 'worker-md-0'],
      ] as const) {
        const owned = await h.get(resource, NS, name);
        expect(owned?.metadata.ownerReferences).toEqual([
          expect.objectContaining({ kind: 'Cluster', uid: cluster?.metadata.uid }),
        ]);
        expect(owned?.metadata.ownerReferences?.[0]?.controller).not.toBe(true);
      }
      expect(worker?.spec).toMatchObject({
        providerID: `docker:////${worker?.metadata.name}`,
        bootstrap: { dataSecretName: worker?.metadata.name },
      });
      expect(worker?.status).toMatchObject({
        nodeRef: { name: worker?.metadata.name },
        initialization: { bootstrapDataSecretCreated: true, infrastructureProvisioned: true },
        addresses: expect.arrayContaining([expect.objectContaining({ type: 'InternalIP' })]),
      });
      for (const type of [
        'BootstrapConfigReady',
        'InfrastructureReady',
        'NodeReady',
        'NodeHealthy',
        'Ready',
        'UpToDate',
        'Available',
      ]) {
        expect(conditionStatus(worker, type), type).toBe('True');
      }
    });

    it('writes the <cluster>-kubeconfig Secret pointing at the simulated endpoint', async () => {
      const cluster = await h.get(R.clusters, NS, CLUSTER);
      const secret = (await h.secrets(NS)).find((s) => s.name === `${CLUSTER}-kubeconfig`);
      expect(secret).toMatchObject({
        type: 'cluster.x-k8s.io/secret',
        labels: { 'cluster.x-k8s.io/cluster-name': CLUSTER },
      });
      const kubeconfig = Buffer.from(secret?.data.value ?? '', 'base64').toString();
      const endpoint = cluster?.spec?.controlPlaneEndpoint as { host: string; port: number };
      expect(kubeconfig).toContain(`server: https://${endpoint.host}:${endpoint.port}`);
    });

    it('defaults MachineDeployment, MachineSet and KubeadmControlPlane fields as CAPI v1.14 does', async () => {
      const md = await h.get(R.machineDeployments, NS, 'worker-md-0');
      const labels = { 'cluster.x-k8s.io/cluster-name': CLUSTER };
      expect(md?.spec).toMatchObject({
        selector: { matchLabels: labels },
        template: { metadata: { labels } },
        rollout: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } },
      });
      const [ms] = await h.list(R.machineSets, NS);
      const hash = ms?.metadata.labels?.['machine-template-hash'] ?? '';
      expect(ms?.metadata.name).toBe(`worker-md-0-${hash.split('-')[1]}`);
      expect(ms?.spec?.selector).toEqual({ matchLabels: { ...labels, 'machine-template-hash': hash } });
      const kcp = await h.get(R.kcps, NS, 'controlplane');
      expect(kcp?.spec?.rollout).toEqual({
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
      });
    });

    it('rejects what the KubeadmControlPlane webhook rejects', async () => {
      const even = await h.kubectl(['scale', 'kubeadmcontrolplane', 'controlplane', '--replicas=2']);
      expect(even.code).not.toBe(0);
      expect(even.stderr).toMatch(/even number when etcd is stacked/);
      const zero = await h.kubectl([
        'patch',
        'kubeadmcontrolplane',
        'controlplane',
        '--type=merge',
        '-p',
        '{"spec":{"replicas":0}}',
      ]);
      expect(zero.stderr).toMatch(/cannot be less than or equal to 0/);
      const skip = await h.kubectl([
        'patch',
        'kubeadmcontrolplane',
        'controlplane',
        '--type=merge',
        '-p',
        '{"spec":{"version":"v1.39.0"}}',
      ]);
      expect(skip.code).not.toBe(0);
      expect(skip.stderr).toMatch(/cannot update Kubernetes version from v1.37.0-beta.0 to v1.39.0/);
    });

    it('scales a MachineDeployment 1 → 5 → 2 through the scale subresource', async () => {
      expect((await h.kubectl(['scale', 'machinedeployment', 'worker-md-0', '--replicas=5'])).code).toBe(0);
      await settled({ cp: 1, workers: 5 });
      const keep = (await workers())[0]?.metadata.name ?? '';
      const doomed = (await workers()).find((m) => m.metadata.name !== keep)?.metadata.name ?? '';
      await h.patch(R.machines, NS, doomed, {
        metadata: { annotations: { 'cluster.x-k8s.io/delete-machine': 'yes' } },
      });
      expect((await h.kubectl(['scale', 'machinedeployment', 'worker-md-0', '--replicas=2'])).code).toBe(0);
      const remaining = await settled({ cp: 1, workers: 2 });
      expect(remaining.map((m) => m.metadata.name)).not.toContain(doomed);
      const md = await waitFor('MD status at 2', async () => {
        const m = await h.get(R.machineDeployments, NS, 'worker-md-0');
        return m?.status?.replicas === 2 && m.status.availableReplicas === 2 && m;
      });
      expect(md.status?.phase).toBe('Running');
    });

    it('scales the KubeadmControlPlane 1 → 3', async () => {
      expect((await h.kubectl(['scale', 'kubeadmcontrolplane', 'controlplane', '--replicas=3'])).code).toBe(
        0,
      );
      await settled({ cp: 3, workers: 2 });
      const kcp = await waitFor('KCP 3 ready', async () => {
        const k = await h.get(R.kcps, NS, 'controlplane');
        return k?.status?.readyReplicas === 3 && k;
      });
      expect(kcp.status).toMatchObject({ replicas: 3, upToDateReplicas: 3, version: V1 });
    });

    it('upgrades the control plane, then the workers: every machine replaced with the new version', async () => {
      const before = new Set((await machines()).map((m) => m.metadata.name));
      await h.patch(R.kcps, NS, 'controlplane', { spec: { version: V2 } });
      await waitFor('KCP at the new version', async () => {
        const k = await h.get(R.kcps, NS, 'controlplane');
        return (
          k?.status?.version === V2 &&
          k.status.upToDateReplicas === 3 &&
          (await controlPlane()).every((m) => isRunning(m) && m.spec?.version === V2)
        );
      });
      await h.patch(R.machineDeployments, NS, 'worker-md-0', {
        spec: { template: { spec: { version: V2 } } },
      });
      const after = await settled({ cp: 3, workers: 2 }, V2);
      expect(after.filter((m) => before.has(m.metadata.name))).toEqual([]);
      const cluster = await h.get(R.clusters, NS, CLUSTER);
      expect(cluster?.status?.controlPlane).toMatchObject({ versions: [{ version: V2, replicas: 3 }] });
    });

    it('remediates an unhealthy worker through a MachineHealthCheck', async () => {
      await h.apply(`
apiVersion: cluster.x-k8s.io/v1beta2
kind: MachineHealthCheck
metadata: { name: workers, namespace: ${NS} }
spec:
  clusterName: ${CLUSTER}
  selector: { matchLabels: { cluster.x-k8s.io/deployment-name: worker-md-0 } }
  checks:
    unhealthyNodeConditions:
      - { type: Ready, status: "False", timeoutSeconds: 20 }
`);
      await waitFor(
        'MHC sees 2 healthy',
        async () => (await h.get(R.machineHealthChecks, NS, 'workers'))?.status?.currentHealthy === 2,
      );
      const victim = (await workers())[0]?.metadata.name ?? '';
      await h.patch(R.machines, NS, victim, {
        metadata: { annotations: { 'embedded.capi-gateway.dev/simulate-node': 'NotReady' } },
      });
      const replaced = await waitFor('the unhealthy machine replaced', async () => {
        const all = await h.list(R.machines, NS);
        const wk = all.filter((m) => !isControlPlane(m));
        return !wk.some((m) => m.metadata.name === victim) && wk.length === 2 && wk.every(isRunning) && wk;
      });
      expect(replaced.map((m) => m.metadata.name)).not.toContain(victim);
    });

    it('pause stops progress and resume continues', async () => {
      await h.patch(R.clusters, NS, CLUSTER, { spec: { paused: true } });
      await waitFor(
        'MachineDeployment reports Paused',
        async () =>
          conditionStatus(await h.get(R.machineDeployments, NS, 'worker-md-0'), 'Paused') === 'True',
      );
      expect((await h.kubectl(['scale', 'machinedeployment', 'worker-md-0', '--replicas=3'])).code).toBe(0);
      // The engine has looked at the scaled deployment once its Paused condition observed the new
      // generation: it reconciled it paused, so nothing was scaled.
      await waitFor('the paused MachineDeployment reconciled at its new generation', async () => {
        const md = await h.get(R.machineDeployments, NS, 'worker-md-0');
        const conditions = (md?.status?.conditions ?? []) as Array<{
          type: string;
          observedGeneration?: number;
        }>;
        const paused = conditions.find((c) => c.type === 'Paused');
        return md?.spec?.replicas === 3 && paused?.observedGeneration === md.metadata.generation;
      });
      expect((await h.list(R.machineSets, NS)).map((ms) => ms.spec?.replicas)).toEqual([2]);
      expect((await h.list(R.machines, NS)).filter((m) => !isControlPlane(m))).toHaveLength(2);
      expect(conditionStatus(await h.get(R.clusters, NS, CLUSTER), 'Paused')).toBe('True');
      await h.patch(R.clusters, NS, CLUSTER, { spec: { paused: false } });
      await settled({ cp: 3, workers: 3 }, V2);
    });

    it('writes only objects that validate against the real CAPI CRDs', async () => {
      const resources = [
        R.clusters,
        R.kcps,
        R.machineDeployments,
        R.machineSets,
        R.machines,
        R.kubeadmConfigs,
        R.machineHealthChecks,
        R.dockerClusters,
        R.dockerMachines,
      ];
      let checked = 0;
      for (const resource of resources) {
        for (const object of await h.list(resource, NS)) {
          const withKind = {
            ...object,
            apiVersion: `${resource.group}/${resource.version}`,
            kind: object.kind,
          };
          const problems = crdProblems(withKind);
          expect(problems, `${object.kind} ${object.metadata.name}`).toEqual([]);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(15);
    });

    it('deletes workers, then the control plane, then the infrastructure, and leaves nothing behind', async () => {
      expect((await h.kubectl(['delete', 'cluster', CLUSTER, '--wait=false'])).code).toBe(0);
      const violations: string[] = [];
      await waitFor(
        'everything of the cluster gone',
        async () => {
          const [kcp, infra, remaining] = await Promise.all([
            h.get(R.kcps, NS, 'controlplane'),
            h.get(R.dockerClusters, NS, CLUSTER),
            h.list(R.machines, NS),
          ]);
          if (kcp?.metadata.deletionTimestamp && remaining.some((m) => !isControlPlane(m)))
            violations.push('control plane deleted before the workers');
          if (infra?.metadata.deletionTimestamp && kcp)
            violations.push('infrastructure deleted before the control plane');
          for (const resource of [
            R.clusters,
            R.kcps,
            R.machineDeployments,
            R.machineSets,
            R.machines,
            R.kubeadmConfigs,
            R.dockerClusters,
            R.dockerMachines,
            R.machineHealthChecks,
          ]) {
            if ((await h.list(resource, NS)).length > 0) return false;
          }
          return (
            (await h.secrets(NS)).filter((s) => s.labels['cluster.x-k8s.io/cluster-name'] === CLUSTER)
              .length === 0
          );
        },
        30_000,
        50,
      );
      expect(violations).toEqual([]);
    });
  },
);
