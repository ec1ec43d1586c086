/**
 * MachineDeployment and KubeadmControlPlane rollout strategies: RollingUpdate never exceeds
 * replicas + maxSurge, spec.rollout.after replaces every machine of an unchanged template,
 * OnDelete replaces only machines the user deletes, KCP maxSurge 0 deletes before it creates.
 */
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
const isControlPlane = (m: Obj): boolean =>
  m.metadata.labels?.['cluster.x-k8s.io/control-plane'] !== undefined;
const live = (m: Obj): boolean => !m.metadata.deletionTimestamp;
/** A `spec.rollout.after` moment `seconds` from now, on a whole second as Kubernetes stores it. */
const secondsFromNow = (seconds: number): string =>
  new Date(Math.ceil(Date.now() / 1000) * 1000 + seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const createdAt = (m: Obj): number => Date.parse(m.metadata.creationTimestamp ?? '');

describe.skipIf(!haveSharedCapi)(haveSharedCapi ? 'engine: rollout strategies' : SKIP_REASON, () => {
  let h: EngineHarness;
  const workers = async (): Promise<Obj[]> =>
    (await h.list(R.machines, NS)).filter((m) => !isControlPlane(m));
  const workersSettled = (count: number, check: (m: Obj) => boolean = () => true) =>
    waitFor(`${count} worker machines Running`, async () => {
      const all = await workers();
      return all.length === count && all.every((m) => m.status?.phase === 'Running' && check(m)) && all;
    });

  beforeAll(async () => {
    h = await startEngineHarness({ speed: 50 });
    await h.apply(readTemplate('simple-cluster.yaml'));
    await h.kubectl(['scale', 'machinedeployment', MD, '--replicas=3']);
    await workersSettled(3);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('RollingUpdate (maxSurge 1, maxUnavailable 0) never runs more than replicas + 1 machines', async () => {
    const before = new Set((await workers()).map((m) => m.metadata.name));
    let most = 0;
    await h.patch(R.machineDeployments, NS, MD, {
      spec: { template: { spec: { minReadySeconds: 0, version: 'v1.37.1' } } },
    });
    await waitFor(
      'all workers replaced',
      async () => {
        const all = await workers();
        most = Math.max(most, all.filter(live).length);
        return (
          all.length === 3 && all.every((m) => m.status?.phase === 'Running' && !before.has(m.metadata.name))
        );
      },
      30_000,
      40,
    );
    expect(most).toBeLessThanOrEqual(4);
    expect(most).toBeGreaterThan(3);
    await waitFor('one MachineSet left', async () => (await h.list(R.machineSets, NS)).length === 1);
  });

  it('spec.rollout.after replaces every machine although the template did not change', async () => {
    const before = new Set((await workers()).map((m) => m.metadata.name));
    const [oldSet] = await h.list(R.machineSets, NS);
    await h.patch(R.machineDeployments, NS, MD, {
      spec: { rollout: { after: new Date().toISOString().replace(/\.\d+Z$/, 'Z') } },
    });
    await workersSettled(3, (m) => !before.has(m.metadata.name));
    const sets = await waitFor('the old MachineSet removed', async () => {
      const list = await h.list(R.machineSets, NS);
      return list.length === 1 && list;
    });
    expect(sets[0]?.metadata.name).not.toBe(oldSet?.metadata.name);
  });

  it('a future spec.rollout.after starts the rollout when the moment comes (no other change needed)', async () => {
    const before = new Set((await workers()).map((m) => m.metadata.name));
    const after = secondsFromNow(3);
    await h.patch(R.machineDeployments, NS, MD, { spec: { rollout: { after } } });
    // Nothing else changes: only the engine's requeue for that moment can start the rollout.
    const replaced = await workersSettled(3, (m) => !before.has(m.metadata.name));
    for (const m of replaced) expect(createdAt(m)).toBeGreaterThanOrEqual(Date.parse(after));
  });

  it('OnDelete replaces only the machines the user deletes', async () => {
    await h.patch(R.machineDeployments, NS, MD, {
      spec: {
        rollout: { strategy: { type: 'OnDelete', rollingUpdate: null } },
        template: { spec: { version: 'v1.37.2' } },
      },
    });
    // The new MachineSet appears, but with nothing to run while the old machines stay.
    await waitFor('a new MachineSet with 0 replicas', async () =>
      (await h.list(R.machineSets, NS)).some((ms) => ms.spec?.replicas === 0),
    );
    expect((await workers()).every((m) => m.spec?.version === 'v1.37.1')).toBe(true);
    const victim = (await workers())[0]?.metadata.name ?? '';
    expect((await h.kubectl(['delete', 'machine', victim, '--wait=false'])).code).toBe(0);
    const after = await workersSettled(3, (m) => m.metadata.name !== victim);
    expect(after.map((m) => m.spec?.version).sort()).toEqual(['v1.37.1', 'v1.37.1', 'v1.37.2']);
  });

  it('KubeadmControlPlane maxSurge 0 deletes an old machine before creating its replacement', async () => {
    const rejected = await h.kubectl([
      'patch',
      'kubeadmcontrolplane',
      'controlplane',
      '--type=merge',
      '-p',
      '{"spec":{"rollout":{"strategy":{"rollingUpdate":{"maxSurge":0}}}}}',
    ]);
    expect(rejected.stderr).toMatch(/replica count needs to be at least 3/);
    await h.patch(R.kcps, NS, 'controlplane', { spec: { replicas: 3 } });
    await waitFor('3 control-plane machines Running', async () => {
      const cp = (await h.list(R.machines, NS)).filter(isControlPlane);
      return cp.length === 3 && cp.every((m) => m.status?.phase === 'Running');
    });
    await h.patch(R.kcps, NS, 'controlplane', {
      spec: { version: 'v1.38.0', rollout: { strategy: { rollingUpdate: { maxSurge: 0 } } } },
    });
    let most = 0;
    await waitFor(
      'control plane at v1.38.0',
      async () => {
        const cp = (await h.list(R.machines, NS)).filter(isControlPlane);
        most = Math.max(most, cp.filter(live).length);
        return (
          cp.length === 3 && cp.every((m) => m.status?.phase === 'Running' && m.spec?.version === 'v1.38.0')
        );
      },
      30_000,
      40,
    );
    expect(most).toBe(3);
  });

  it('KubeadmControlPlane: a future spec.rollout.after replaces the control plane when it comes', async () => {
    const cpMachines = async (): Promise<Obj[]> => (await h.list(R.machines, NS)).filter(isControlPlane);
    const before = new Set((await cpMachines()).map((m) => m.metadata.name));
    const after = secondsFromNow(3);
    await h.patch(R.kcps, NS, 'controlplane', { spec: { rollout: { after } } });
    const replaced = await waitFor(
      'control plane replaced after the rollout moment',
      async () => {
        const cp = await cpMachines();
        return (
          cp.length === before.size &&
          cp.every((m) => m.status?.phase === 'Running' && !before.has(m.metadata.name)) &&
          cp
        );
      },
      30_000,
    );
    for (const m of replaced) expect(createdAt(m)).toBeGreaterThanOrEqual(Date.parse(after));
  });
});
