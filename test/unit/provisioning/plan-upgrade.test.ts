import { describe, expect, it } from 'vitest';
import { planUpgrade, type UpgradePlan } from '../../../src/provisioning/plan-upgrade.ts';
import {
  machine,
  machineDeployment,
  plainCluster,
  topologyCluster,
  withCondition,
} from './snapshot-fixtures.ts';

function plan(result: ReturnType<typeof planUpgrade>): UpgradePlan {
  if (!result.ok) throw new Error(`expected a plan, got ${result.error.message}`);
  return result.plan;
}

const codes = (p: UpgradePlan) => p.blockers.map((b) => b.code);

describe('planUpgrade: versions', () => {
  it('refuses what is not a full semantic version, naming the field', () => {
    for (const bad of ['latest', '1.31', 'v1.31', 'v1.31.x', ' v1.31.2', 'v01.31.2', '']) {
      const result = planUpgrade(plainCluster({ version: 'v1.30.2' }), bad);
      expect(result, bad).toMatchObject({ ok: false, error: { kind: 'InvalidVersion', field: 'version' } });
    }
  });

  it('adds the leading v CAPI requires and keeps build metadata', () => {
    expect(plan(planUpgrade(plainCluster({ version: 'v1.30.2' }), '1.30.5')).targetVersion).toBe('v1.30.5');
    expect(plan(planUpgrade(plainCluster({ version: 'v1.30.2' }), 'v1.30.5+rke2r1')).targetVersion).toBe(
      'v1.30.5+rke2r1',
    );
  });

  it('refuses a downgrade, of the control plane or of any worker', () => {
    expect(planUpgrade(plainCluster({ version: 'v1.30.2' }), 'v1.30.1')).toMatchObject({
      ok: false,
      error: { kind: 'Downgrade', field: 'version' },
    });
    expect(planUpgrade(plainCluster({ version: 'v1.30.2' }), 'v1.29.9')).toMatchObject({
      ok: false,
      error: { kind: 'Downgrade' },
    });
    const newerWorkers = plainCluster({ version: 'v1.30.2', workerVersion: 'v1.30.4' });
    expect(planUpgrade(newerWorkers, 'v1.30.3')).toMatchObject({ ok: false, error: { kind: 'Downgrade' } });
  });

  it('refuses a change of major version', () => {
    expect(planUpgrade(plainCluster({ version: 'v1.30.2' }), 'v2.0.0')).toMatchObject({
      ok: false,
      error: { kind: 'InvalidVersion' },
    });
  });

  it('checks intermediate versions too', () => {
    expect(
      planUpgrade(plainCluster({ version: 'v1.30.2' }), 'v1.32.1', { intermediateVersions: ['v1.31'] }),
    ).toMatchObject({ ok: false, error: { kind: 'InvalidVersion', field: 'intermediateVersions.0' } });
  });
});

describe('planUpgrade: steps of a plain cluster', () => {
  it('a patch upgrade: the control plane, then each MachineDeployment, with the machines each replaces', () => {
    const snapshot = plainCluster({ version: 'v1.30.2', deployments: ['c1-md-a', 'c1-md-b'] });
    const p = plan(planUpgrade(snapshot, 'v1.30.5'));
    expect(p.blockers).toEqual([]);
    expect(p.topology).toBe(false);
    expect(p.currentControlPlaneVersion).toBe('v1.30.2');
    expect(p.currentWorkerVersions).toEqual(['v1.30.2']);
    expect(p.steps.map((s) => [s.name, s.kind, s.fromVersion, s.toVersion, s.machineCount])).toEqual([
      ['control-plane/v1.30', 'ControlPlane', 'v1.30.2', 'v1.30.5', 3],
      ['machine-deployment/c1-md-a', 'MachineDeployment', 'v1.30.2', 'v1.30.5', 2],
      ['machine-deployment/c1-md-b', 'MachineDeployment', 'v1.30.2', 'v1.30.5', 2],
    ]);
    expect(p.steps[0]!.machines.map((m) => m.name)).toEqual(['c1-cp-m0', 'c1-cp-m1', 'c1-cp-m2']);
    expect(p.steps[1]!.machines.map((m) => m.name)).toEqual(['c1-md-a-m0', 'c1-md-a-m1']);
  });

  it('goes through every minor, one at a time, then the workers straight to the target', () => {
    const p = plan(planUpgrade(plainCluster({ version: 'v1.30.2' }), 'v1.33.1'));
    expect(p.steps.map((s) => `${s.name}:${s.fromVersion}→${s.toVersion}`)).toEqual([
      'control-plane/v1.31:v1.30.2→v1.31.0',
      'control-plane/v1.32:v1.31.0→v1.32.0',
      'control-plane/v1.33:v1.32.0→v1.33.1',
      'machine-deployment/c1-md-0:v1.30.2→v1.33.1',
    ]);
    // The first step replaces the machines there now; later ones replace the ones it created.
    expect(p.steps.map((s) => [s.machines.length, s.machineCount])).toEqual([
      [3, 3],
      [0, 3],
      [0, 3],
      [2, 2],
    ]);
  });

  it('uses the intermediate versions the caller names, the newest of each minor', () => {
    const p = plan(
      planUpgrade(plainCluster({ version: 'v1.30.2' }), 'v1.32.1', {
        intermediateVersions: ['v1.31.2', 'v1.31.7', 'v1.31.3'],
      }),
    );
    expect(p.steps.map((s) => s.toVersion)).toEqual(['v1.31.7', 'v1.32.1', 'v1.32.1']);
  });

  it('skips what already runs the target: only lagging workers get a step', () => {
    const snapshot = plainCluster({ version: 'v1.31.0', workerVersion: 'v1.30.0', deployments: ['a', 'b'] });
    snapshot.machineDeployments[1] = machineDeployment('b', 'v1.31.0', 2);
    const p = plan(planUpgrade(snapshot, 'v1.31.0'));
    expect(p.steps.map((s) => s.name)).toEqual(['machine-deployment/a']);
    expect(p.currentWorkerVersions).toEqual(['v1.30.0', 'v1.31.0']);
  });

  it('an up-to-date cluster has nothing to do', () => {
    expect(plan(planUpgrade(plainCluster({ version: 'v1.31.0' }), 'v1.31.0')).steps).toEqual([]);
  });
});

describe('planUpgrade: topology clusters', () => {
  it('one minor without kubernetesVersions is allowed; two are blocked', () => {
    expect(plan(planUpgrade(topologyCluster({ version: 'v1.30.2' }), 'v1.31.1')).blockers).toEqual([]);
    const p = plan(planUpgrade(topologyCluster({ version: 'v1.30.2' }), 'v1.32.1'));
    expect(p.topology).toBe(true);
    expect(codes(p)).toEqual(['VERSION_NOT_ALLOWED']);
  });

  it('chains through the minors the class lists, the newest patch of each', () => {
    const snapshot = topologyCluster({
      version: 'v1.30.2',
      kubernetesVersions: ['v1.30.2', 'v1.31.1', 'v1.31.4', 'v1.32.0', 'v1.32.3'],
    });
    const p = plan(planUpgrade(snapshot, 'v1.32.3'));
    expect(p.blockers).toEqual([]);
    expect(p.steps.map((s) => s.toVersion)).toEqual(['v1.31.4', 'v1.32.3', 'v1.32.3']);
  });

  it('a version the class does not list is blocked, and so is a minor it lists nothing of', () => {
    const snapshot = topologyCluster({ version: 'v1.30.2', kubernetesVersions: ['v1.30.2', 'v1.32.3'] });
    const unlisted = plan(planUpgrade(snapshot, 'v1.30.9'));
    expect(unlisted.blockers.map((b) => [b.code, b.message])).toEqual([
      ['VERSION_NOT_ALLOWED', expect.stringContaining('does not list v1.30.9')],
    ]);
    const gap = plan(planUpgrade(snapshot, 'v1.32.3'));
    expect(gap.blockers.map((b) => [b.code, b.message])).toEqual([
      ['VERSION_NOT_ALLOWED', expect.stringContaining('lists no version of v1.31')],
    ]);
  });

  it('a topology still upgrading blocks', () => {
    const snapshot = topologyCluster({ version: 'v1.30.2' });
    snapshot.cluster = withCondition(snapshot.cluster, {
      type: 'TopologyReconciled',
      reason: 'MachineDeploymentsUpgradePending',
    });
    expect(codes(plan(planUpgrade(snapshot, 'v1.31.0')))).toContain('UPGRADE_IN_PROGRESS');
  });
});

describe('planUpgrade: blockers', () => {
  const target = 'v1.30.5';

  it('a paused cluster (spec.paused or the annotation) and a paused MachineDeployment', () => {
    const snapshot = plainCluster({ version: 'v1.30.2' });
    snapshot.cluster = { ...snapshot.cluster, paused: true };
    const md = snapshot.machineDeployments[0]!;
    md.view = { ...md.view, annotations: { 'cluster.x-k8s.io/paused': '' } };
    const p = plan(planUpgrade(snapshot, target));
    expect(p.blockers.map((b) => [b.code, b.object?.kind])).toEqual([
      ['PAUSED', 'Cluster'],
      ['PAUSED', 'MachineDeployment'],
    ]);
  });

  it('a deletion running', () => {
    const snapshot = plainCluster({ version: 'v1.30.2' });
    snapshot.cluster = { ...snapshot.cluster, deletionTimestamp: '2026-01-02T00:00:00Z' };
    expect(codes(plan(planUpgrade(snapshot, target)))).toEqual(['DELETING']);
  });

  it('a rollout in progress: replicas not up to date, scaling, or machines leaving', () => {
    const notUpToDate = plainCluster({ version: 'v1.30.2' });
    notUpToDate.controlPlane = { ...notUpToDate.controlPlane!, upToDate: 2 };
    expect(codes(plan(planUpgrade(notUpToDate, target)))).toEqual(['ROLLOUT_IN_PROGRESS']);

    const scaling = plainCluster({ version: 'v1.30.2' });
    const md = scaling.machineDeployments[0]!;
    md.view = { ...md.view, desired: 3 };
    expect(plan(planUpgrade(scaling, target)).blockers).toMatchObject([
      {
        code: 'ROLLOUT_IN_PROGRESS',
        object: { kind: 'MachineDeployment' },
        message: expect.stringContaining('2 of 3'),
      },
    ]);

    const leaving = plainCluster({ version: 'v1.30.2' });
    leaving.controlPlaneMachines[0] = {
      ...leaving.controlPlaneMachines[0]!,
      deletionTimestamp: '2026-01-02T00:00:00Z',
    };
    expect(codes(plan(planUpgrade(leaving, target)))).toEqual(['ROLLOUT_IN_PROGRESS']);

    const rollingOut = plainCluster({ version: 'v1.30.2' });
    rollingOut.controlPlane = withCondition(rollingOut.controlPlane!, { type: 'RollingOut', status: 'True' });
    expect(codes(plan(planUpgrade(rollingOut, target)))).toEqual(['ROLLOUT_IN_PROGRESS']);
  });

  it('an upgrade not finished: machines on another version than their owner asks for', () => {
    const snapshot = plainCluster({ version: 'v1.30.3' });
    snapshot.controlPlaneMachines[2] = machine('c1-cp-m2', 'v1.30.2', true);
    expect(plan(planUpgrade(snapshot, target)).blockers).toMatchObject([
      { code: 'UPGRADE_IN_PROGRESS', object: { kind: 'KubeadmControlPlane' } },
    ]);
  });

  it('failing conditions, with their reason', () => {
    const snapshot = plainCluster({ version: 'v1.30.2' });
    snapshot.controlPlane = withCondition(snapshot.controlPlane!, {
      type: 'EtcdClusterHealthy',
      reason: 'EtcdMemberUnhealthy',
      message: 'member m2 unreachable',
    });
    expect(plan(planUpgrade(snapshot, target)).blockers).toEqual([
      {
        code: 'CONDITION_FAILING',
        object: snapshot.controlPlane!.address,
        message:
          'KubeadmControlPlane c1-cp: EtcdClusterHealthy is False (EtcdMemberUnhealthy: member m2 unreachable)',
      },
    ]);
  });

  it('a cluster without a control plane yet', () => {
    const snapshot = plainCluster({ version: 'v1.30.2' });
    snapshot.controlPlane = null;
    snapshot.controlPlaneMachines = [];
    expect(codes(plan(planUpgrade(snapshot, target)))).toEqual(['NOT_PROVISIONED']);
  });
});
