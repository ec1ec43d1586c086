/**
 * The CAPI book's upgrade by hand of a plain cluster: the KubeadmControlPlane's spec.version and
 * the MachineDeployment's spec.template.spec.version patched together. CAPI's MachineSet
 * preflight checks (ControlPlaneIsStable, KubernetesVersionSkew, ...) hold the new workers back
 * until the control plane runs the new version: no worker Machine at the new version may be
 * created before the control plane's last Machine at the new version is Running.
 */
import { expect, it } from 'vitest';
import { waitForSettled } from './cluster-lifecycle.ts';
import type { LifecycleContext } from './cluster-lifecycle.ts';
import { plainCluster } from './gateway-scenarios.ts';
import { mergePatch } from './kube.ts';
import { machineListing, recordMachineEvents } from './machine-events.ts';
import type { MachineEvent } from './machine-events.ts';

const toVersion = 'v1.36.0';

/** Index of the event at which the last new-version control-plane machine first ran. */
function lastControlPlaneUp(events: MachineEvent[]): { index: number; machines: string[] } {
  const firstRunning = new Map<string, number>();
  events.forEach((e, index) => {
    if (e.controlPlane && e.version === toVersion && e.phase === 'Running' && !firstRunning.has(e.name)) {
      firstRunning.set(e.name, index);
    }
  });
  return { index: Math.max(-1, ...firstRunning.values()), machines: [...firstRunning.keys()] };
}

function describeEvents(events: MachineEvent[]): string {
  return events
    .map((e, i) => `${i} ${e.type} ${e.name} ${e.controlPlane ? 'cp' : 'w'} ${e.version} ${e.phase}`)
    .join('\n');
}

export function handUpgradeTests(ctx: LifecycleContext): void {
  it.skipIf(ctx.skip)(
    'upgrades a plain cluster by hand: new workers only after the control plane is up at the new version',
    async () => {
      const kube = ctx.kube();
      const namespace = ctx.namespace();
      const recorder = await recordMachineEvents(kube, namespace, plainCluster);
      try {
        await Promise.all([
          kube.custom.patchNamespacedCustomObject(
            {
              group: 'controlplane.cluster.x-k8s.io',
              version: 'v1beta2',
              namespace,
              plural: 'kubeadmcontrolplanes',
              name: `${plainCluster}-control-plane`,
              body: { spec: { version: toVersion } },
            },
            mergePatch,
          ),
          kube.custom.patchNamespacedCustomObject(
            {
              group: 'cluster.x-k8s.io',
              version: 'v1beta2',
              namespace,
              plural: 'machinedeployments',
              name: `${plainCluster}-md-0`,
              body: { spec: { template: { spec: { version: toVersion } } } },
            },
            mergePatch,
          ),
        ]);
        // Three control-plane machines replaced one by one, then the workers: two steps' time.
        await waitForSettled(
          { ...ctx, stepTimeoutMs: ctx.stepTimeoutMs * 2 },
          plainCluster,
          { controlPlane: 3, workers: 2, version: toVersion },
          `hand-made upgrade to ${toVersion}`,
        ).catch(async (error: unknown) => {
          throw new Error(
            `${String(error)}; machines now: ${await machineListing(kube, namespace, plainCluster)}; events:\n${describeEvents(recorder.events)}`,
          );
        });
      } finally {
        recorder.stop();
      }
      expect(recorder.error()).toBeUndefined();
      const events = recorder.events;
      const controlPlane = lastControlPlaneUp(events);
      const newWorkers = events.filter(
        (e) => e.type === 'ADDED' && !e.controlPlane && e.version === toVersion,
      );
      const firstNewWorker = events.findIndex(
        (e) => e.type === 'ADDED' && !e.controlPlane && e.version === toVersion,
      );
      const context = describeEvents(events);
      expect(controlPlane.machines, context).toHaveLength(3);
      expect(new Set(newWorkers.map((e) => e.name)).size, context).toBe(2);
      expect(firstNewWorker, context).toBeGreaterThan(controlPlane.index);

      // The same order in the objects' own creation times (second resolution).
      const createdAt = (name: string): string =>
        events.find((e) => e.name === name && e.creationTimestamp !== undefined)?.creationTimestamp ?? '';
      const lastControlPlaneCreated = controlPlane.machines.map(createdAt).sort().at(-1) ?? '';
      const firstWorkerCreated = newWorkers.map((e) => createdAt(e.name)).sort()[0] ?? '';
      expect(firstWorkerCreated >= lastControlPlaneCreated, context).toBe(true);
    },
    ctx.stepTimeoutMs * 2 + 30_000,
  );
}
