/**
 * MachineSet preflight checks on a plain (non-topology) cluster upgraded by hand, the way the
 * CAPI book shows: the KubeadmControlPlane's `spec.version` and the MachineDeployment's
 * `spec.template.spec.version` patched together. No worker machine at the new version may appear
 * before the control plane's last machine is up at it (the blocked MachineSet says why), unless
 * the MachineDeployment carries `machineset.cluster.x-k8s.io/skip-preflight-checks`.
 *
 * The order is checked on a watch of the Machines (every change, in resourceVersion order), so a
 * worker created too early cannot slip between two polls.
 */
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EngineHarness,
  type Obj,
  R,
  SKIP_REASON,
  haveSharedCapi,
  readTemplate,
  startEngineHarness,
  waitFor,
} from './engine-harness.ts';

const NS = 'default';
const MD = 'worker-md-0';
const V1 = 'v1.37.0-beta.0';
const V2 = 'v1.38.0';
const V3 = 'v1.39.0';
const SKIP = 'machineset.cluster.x-k8s.io/skip-preflight-checks';

const isControlPlane = (m: Obj): boolean =>
  m.metadata.labels?.['cluster.x-k8s.io/control-plane'] !== undefined;
const versionOf = (m: Obj): unknown => m.spec?.version;
const nodeUp = (m: Obj): boolean => (m.status?.nodeRef as { name?: string } | undefined)?.name !== undefined;

/** What the control plane looked like each time a worker machine at `version` first appeared. */
interface WorkerSighting {
  worker: string;
  controlPlane: Array<{ name: string; version: unknown; up: boolean }>;
}

async function recordWorkerCreations(
  kubeconfigPath: string,
  version: string,
): Promise<{ sightings: WorkerSighting[]; stop: () => void }> {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfigPath);
  const machines = new Map<string, Obj>();
  const sightings: WorkerSighting[] = [];
  const controller = await new Watch(config).watch(
    `/apis/cluster.x-k8s.io/v1beta2/namespaces/${NS}/machines`,
    {},
    (type, machine: Obj) => {
      const name = machine.metadata.name;
      const seen = machines.has(name);
      if (type === 'DELETED') machines.delete(name);
      else machines.set(name, machine);
      if (type === 'ADDED' && !seen && !isControlPlane(machine) && versionOf(machine) === version)
        sightings.push({
          worker: name,
          controlPlane: [...machines.values()]
            .filter(isControlPlane)
            .map((m) => ({ name: m.metadata.name, version: versionOf(m), up: nodeUp(m) })),
        });
    },
    () => {},
  );
  return { sightings, stop: () => controller.abort() };
}

describe.skipIf(!haveSharedCapi)(
  haveSharedCapi ? 'engine: MachineSet preflight checks (KCP + MD upgraded by hand)' : SKIP_REASON,
  () => {
    let h: EngineHarness;
    const all = async (): Promise<Obj[]> => h.list(R.machines, NS);
    const settled = (version: string) =>
      waitFor(
        `3 control-plane and 2 worker machines Running at ${version}`,
        async () => {
          const machines = await all();
          return (
            machines.filter(isControlPlane).length === 3 &&
            machines.filter((m) => !isControlPlane(m)).length === 2 &&
            machines.every((m) => m.status?.phase === 'Running' && versionOf(m) === version) &&
            machines
          );
        },
        60_000,
      );
    const upgradeTogether = async (version: string): Promise<void> => {
      await h.patch(R.kcps, NS, 'controlplane', { spec: { version } });
      await h.patch(R.machineDeployments, NS, MD, { spec: { template: { spec: { version } } } });
    };

    beforeAll(async () => {
      // Slow enough that a control-plane rollout takes a few seconds: an early worker would show.
      h = await startEngineHarness({ speed: 20 });
      await h.apply(readTemplate('simple-cluster.yaml'));
      await h.patch(R.kcps, NS, 'controlplane', { spec: { replicas: 3 } });
      await h.patch(R.machineDeployments, NS, MD, { spec: { replicas: 2 } });
      await settled(V1);
    });
    afterAll(async () => {
      await h?.stop();
    });

    it('holds new workers back until the control plane is up at the new version, and says why', async () => {
      const recorder = await recordWorkerCreations(h.cluster.kubeconfigPath, V2);
      try {
        await upgradeTogether(V2);
        const blocked = await waitFor('the new MachineSet reports its blocked scale up', async () => {
          const sets = await h.list(R.machineSets, NS);
          const ms = sets.find((s) => (s.spec?.template as { spec?: Obj['spec'] })?.spec?.version === V2);
          const conditions = (ms?.status?.conditions ?? []) as Array<Record<string, string>>;
          const scalingUp = conditions.find((c) => c.type === 'ScalingUp');
          return scalingUp?.message?.includes('is blocked because') && scalingUp;
        });
        expect(blocked).toMatchObject({ status: 'True', reason: 'ScalingUp' });
        expect(blocked.message).toMatch(/^Scaling up from 0 to 1 replicas is blocked because:\n\* /);
        expect(blocked.message).toContain(
          'KubeadmControlPlane default/controlplane is upgrading ("ControlPlaneIsStable" preflight check failed)',
        );
        await settled(V2);
      } finally {
        recorder.stop();
      }
      expect(recorder.sightings.length).toBeGreaterThanOrEqual(2);
      for (const sighting of recorder.sightings) {
        // Every control-plane machine of the old version is gone and the new ones are up.
        expect(sighting.controlPlane).toHaveLength(3);
        for (const cp of sighting.controlPlane) expect(cp).toMatchObject({ version: V2, up: true });
      }
    });

    it('skips the checks a MachineDeployment names in the skip-preflight-checks annotation', async () => {
      await h.patch(R.machineDeployments, NS, MD, { metadata: { annotations: { [SKIP]: 'All' } } });
      await waitFor('the annotation copied to the MachineSet', async () =>
        (await h.list(R.machineSets, NS)).every((ms) => ms.metadata.annotations?.[SKIP] === 'All'),
      );
      const recorder = await recordWorkerCreations(h.cluster.kubeconfigPath, V3);
      try {
        await upgradeTogether(V3);
        await settled(V3);
      } finally {
        recorder.stop();
      }
      // Without the checks the first new worker does not wait for the control plane.
      const first = recorder.sightings[0];
      expect(first?.controlPlane.some((cp) => cp.version !== V3 || !cp.up)).toBe(true);
      const sets = await h.list(R.machineSets, NS);
      expect(sets.map((ms) => ms.metadata.annotations?.[SKIP])).toEqual(['All']);
    });
  },
);
