/**
 * The ClusterClass lifecycle on a management cluster: create a topology cluster from CAPI's
 * in-memory ClusterClass and template, wait until it is provisioned with every machine running,
 * scale the workers, upgrade through spec.topology.version, delete it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { renderTemplate } from '../../src/provisioning/render-template.ts';
import type { TemplateVariables } from '../../src/provisioning/render-template.ts';
import { pollUntil } from '../realcluster/poll.ts';
import { runKubectl } from '../support/embedded-cluster.ts';
import { createAll, exists, listItems, mergePatch } from './kube.ts';
import type { Loose, TestKube } from './kube.ts';

const clusterApi = 'cluster.x-k8s.io/v1beta2';
const fromVersion = 'v1.35.0';
const toVersion = 'v1.36.0';

export interface LifecycleContext {
  kube(): TestKube;
  kubeconfigPath(): string;
  namespace(): string;
  capiDir: string;
  /** Skip reason for the whole scenario, or undefined. */
  skip: string | undefined;
  /** Deadline for one step (provisioning, scaling, upgrade, deletion). */
  stepTimeoutMs: number;
}

export function render(capiDir: string, file: string, variables: TemplateVariables): Loose[] {
  const result = renderTemplate(readFileSync(join(capiDir, 'templates', file), 'utf8'), variables);
  if (!result.ok) throw new Error(`${file}: ${result.error.message}`);
  return result.objects as Loose[];
}

interface MachineSummary {
  controlPlane: number;
  workers: number;
  running: number;
  versions: string[];
}

async function machines(kube: TestKube, namespace: string, clusterName: string): Promise<MachineSummary> {
  const items = await listItems(
    kube,
    clusterApi,
    'Machine',
    namespace,
    `cluster.x-k8s.io/cluster-name=${clusterName}`,
  );
  const isControlPlane = (m: Loose): boolean =>
    m.metadata?.labels?.['cluster.x-k8s.io/control-plane'] !== undefined;
  return {
    controlPlane: items.filter(isControlPlane).length,
    workers: items.filter((m) => !isControlPlane(m)).length,
    running: items.filter((m) => m.status?.phase === 'Running').length,
    versions: [...new Set(items.map((m) => String(m.spec?.version)))].sort(),
  };
}

async function clusterPhase(kube: TestKube, namespace: string, name: string): Promise<string | undefined> {
  const cluster = (await kube.objects.read({
    apiVersion: clusterApi,
    kind: 'Cluster',
    metadata: { name, namespace },
  })) as Loose;
  return cluster.status?.phase as string | undefined;
}

/** Waits until the cluster is Provisioned with exactly the expected machines, all Running at `version`. */
export async function waitForSettled(
  ctx: LifecycleContext,
  name: string,
  expected: { controlPlane: number; workers: number; version: string },
  what: string,
): Promise<MachineSummary> {
  const kube = ctx.kube();
  const namespace = ctx.namespace();
  return pollUntil(
    async () => {
      if ((await clusterPhase(kube, namespace, name)) !== 'Provisioned') return undefined;
      const m = await machines(kube, namespace, name);
      const total = expected.controlPlane + expected.workers;
      const settled =
        m.controlPlane === expected.controlPlane &&
        m.workers === expected.workers &&
        m.running === total &&
        m.versions.length === 1 &&
        m.versions[0] === expected.version;
      return settled ? m : undefined;
    },
    { what, timeoutMs: ctx.stepTimeoutMs, intervalMs: 1_000 },
  );
}

export function clusterLifecycleTests(ctx: LifecycleContext): void {
  const name = 'contract-c1';
  const timeout = ctx.stepTimeoutMs + 30_000;

  it.skipIf(ctx.skip)(
    'provisions a ClusterClass topology cluster with every machine Running',
    async () => {
      const namespace = ctx.namespace();
      const variables = {
        NAMESPACE: namespace,
        CLUSTER_NAME: name,
        KUBERNETES_VERSION: fromVersion,
        CONTROL_PLANE_MACHINE_COUNT: '1',
        WORKER_MACHINE_COUNT: '1',
      };
      const objects = [
        ...render(ctx.capiDir, 'clusterclass-in-memory.yaml', variables),
        ...render(ctx.capiDir, 'cluster-template-in-memory.yaml', variables),
      ];
      await createAll(ctx.kube(), objects, namespace);
      const settled = await waitForSettled(
        ctx,
        name,
        { controlPlane: 1, workers: 1, version: fromVersion },
        'cluster provisioned',
      );
      expect(settled).toMatchObject({ controlPlane: 1, workers: 1, running: 2 });
    },
    timeout,
  );

  it.skipIf(ctx.skip)('shows the provisioned cluster and its machines to kubectl', async () => {
    const namespace = ctx.namespace();
    const phases = await runKubectl(ctx.kubeconfigPath(), [
      'get',
      'clusters.cluster.x-k8s.io,machines.cluster.x-k8s.io',
      '-n',
      namespace,
      '-l',
      `cluster.x-k8s.io/cluster-name=${name}`,
      '-o',
      'jsonpath={range .items[*]}{.kind}={.status.phase}{"\\n"}{end}',
    ]);
    expect(phases.stderr).toBe('');
    expect(phases.stdout.trim().split('\n').sort()).toEqual([
      'Cluster=Provisioned',
      'Machine=Running',
      'Machine=Running',
    ]);
    const cluster = await runKubectl(ctx.kubeconfigPath(), [
      'get',
      'cluster',
      name,
      '-n',
      namespace,
      '-o',
      'name',
    ]);
    expect(cluster.stdout.trim()).toBe(`cluster.cluster.x-k8s.io/${name}`);
  });

  it.skipIf(ctx.skip)(
    'scales the worker MachineDeployment through the topology',
    async () => {
      const namespace = ctx.namespace();
      await patchTopology(ctx, name, {
        workers: { machineDeployments: [{ class: 'default-worker', name: 'md-0', replicas: 2 }] },
      });
      const settled = await waitForSettled(
        ctx,
        name,
        { controlPlane: 1, workers: 2, version: fromVersion },
        'workers scaled to 2',
      );
      expect(settled.running).toBe(3);
      const [deployment] = await listItems(
        ctx.kube(),
        clusterApi,
        'MachineDeployment',
        namespace,
        `cluster.x-k8s.io/cluster-name=${name}`,
      );
      const scale = (await ctx.kube().custom.getNamespacedCustomObjectScale({
        group: 'cluster.x-k8s.io',
        version: 'v1beta2',
        namespace,
        plural: 'machinedeployments',
        name: deployment?.metadata?.name ?? '',
      })) as { spec?: { replicas?: number } };
      expect(scale.spec?.replicas).toBe(2);
    },
    timeout,
  );

  it.skipIf(ctx.skip)(
    'upgrades control plane and workers through spec.topology.version',
    async () => {
      await patchTopology(ctx, name, { version: toVersion });
      const settled = await waitForSettled(
        ctx,
        name,
        { controlPlane: 1, workers: 2, version: toVersion },
        `upgrade to ${toVersion}`,
      );
      expect(settled.versions).toEqual([toVersion]);
    },
    timeout,
  );

  it.skipIf(ctx.skip)(
    'deletes the cluster and everything it owns',
    async () => {
      const kube = ctx.kube();
      const namespace = ctx.namespace();
      await kube.objects.delete({ apiVersion: clusterApi, kind: 'Cluster', metadata: { name, namespace } });
      await pollUntil(
        async () => {
          const gone = !(await exists(kube, clusterApi, 'Cluster', namespace, name));
          const left = await listItems(
            kube,
            clusterApi,
            'Machine',
            namespace,
            `cluster.x-k8s.io/cluster-name=${name}`,
          );
          return gone && left.length === 0 ? true : undefined;
        },
        { what: 'cluster deleted', timeoutMs: ctx.stepTimeoutMs, intervalMs: 1_000 },
      );
      const deployments = await listItems(
        kube,
        clusterApi,
        'MachineDeployment',
        namespace,
        `cluster.x-k8s.io/cluster-name=${name}`,
      );
      expect(deployments).toEqual([]);
    },
    timeout,
  );
}

async function patchTopology(
  ctx: LifecycleContext,
  name: string,
  topology: Record<string, unknown>,
): Promise<void> {
  await ctx.kube().custom.patchNamespacedCustomObject(
    {
      group: 'cluster.x-k8s.io',
      version: 'v1beta2',
      namespace: ctx.namespace(),
      plural: 'clusters',
      name,
      body: { spec: { topology } },
    },
    mergePatch,
  );
}
