import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../../../src/provisioning/cluster-snapshot.ts';
import { nextPlainUpgradeAction, type PlainUpgradeAction } from '../../../src/provisioning/plain-upgrade.ts';
import { machine, machineDeployment, plainCluster } from './snapshot-fixtures.ts';

/**
 * A toy engine over snapshots: applies an action the way CAPI would eventually settle it
 * (every machine replaced at the new version), so a whole upgrade can be walked action by
 * action and its order checked.
 */
function settle(snapshot: ClusterSnapshot, action: PlainUpgradeAction): ClusterSnapshot {
  if (action.kind === 'SetControlPlaneVersion') {
    const cp = { ...snapshot.controlPlane!, version: action.version, statusVersion: action.version };
    return {
      ...snapshot,
      controlPlane: cp,
      controlPlaneMachines: snapshot.controlPlaneMachines.map((m) =>
        machine(m.address.name, action.version, true),
      ),
    };
  }
  if (action.kind === 'SetWorkerVersion') {
    const names = new Set(action.targets.map((t) => t.name));
    return {
      ...snapshot,
      machineDeployments: snapshot.machineDeployments.map((p) =>
        names.has(p.view.address.name) ? machineDeployment(p.view.address.name, action.version, 2) : p,
      ),
    };
  }
  return snapshot;
}

function walk(snapshot: ClusterSnapshot, version: string, concurrency = 1, intermediateVersions?: string[]) {
  const actions: string[] = [];
  let current = snapshot;
  for (let i = 0; i < 20; i++) {
    const action = nextPlainUpgradeAction(current, { version, concurrency, intermediateVersions });
    if (action.kind === 'Done') return actions;
    if (action.kind === 'Wait') throw new Error(`unexpected wait: ${action.message}`);
    actions.push(
      action.kind === 'SetControlPlaneVersion'
        ? `cp→${action.version}`
        : `${action.targets.map((t) => t.name).join('+')}→${action.version}`,
    );
    current = settle(current, action);
  }
  throw new Error('did not finish');
}

describe('nextPlainUpgradeAction', () => {
  it('control plane one minor at a time, then each pool', () => {
    const snapshot = plainCluster({ version: 'v1.30.2', deployments: ['a', 'b', 'c'] });
    expect(walk(snapshot, 'v1.32.1')).toEqual([
      'cp→v1.31.0',
      'cp→v1.32.1',
      'a→v1.32.1',
      'b→v1.32.1',
      'c→v1.32.1',
    ]);
  });

  it('pools concurrently up to the configured concurrency', () => {
    const snapshot = plainCluster({ version: 'v1.30.2', deployments: ['a', 'b', 'c'] });
    expect(walk(snapshot, 'v1.30.3', 2)).toEqual(['cp→v1.30.3', 'a+b→v1.30.3', 'c→v1.30.3']);
  });

  it('uses the intermediate versions given', () => {
    expect(walk(plainCluster({ version: 'v1.30.2' }), 'v1.32.1', 1, ['v1.31.5'])).toEqual([
      'cp→v1.31.5',
      'cp→v1.32.1',
      'c1-md-0→v1.32.1',
    ]);
  });

  it('waits while the control plane has machines on the old version, and never touches workers then', () => {
    const snapshot = plainCluster({ version: 'v1.30.2' });
    const rolling: ClusterSnapshot = {
      ...snapshot,
      controlPlane: { ...snapshot.controlPlane!, version: 'v1.30.3' },
      controlPlaneMachines: [
        machine('c1-cp-new', 'v1.30.3', true),
        ...snapshot.controlPlaneMachines.slice(1),
      ],
    };
    expect(nextPlainUpgradeAction(rolling, { version: 'v1.30.3', concurrency: 5 })).toEqual({
      kind: 'Wait',
      message: expect.stringContaining('2 control-plane machine(s) still on v1.30.2'),
    });
  });

  it('waits for a pool that asks for the target until its machines run it, then moves on', () => {
    const snapshot = plainCluster({ version: 'v1.30.3', workerVersion: 'v1.30.2', deployments: ['a', 'b'] });
    const a = snapshot.machineDeployments[0]!;
    a.view = { ...a.view, version: 'v1.30.3' };
    expect(nextPlainUpgradeAction(snapshot, { version: 'v1.30.3', concurrency: 1 })).toMatchObject({
      kind: 'Wait',
      message: expect.stringContaining('machine(s) of a still on v1.30.2'),
    });
    expect(nextPlainUpgradeAction(snapshot, { version: 'v1.30.3', concurrency: 2 })).toMatchObject({
      kind: 'SetWorkerVersion',
      targets: [{ name: 'b' }],
    });
  });

  it('resumes mid-way: a cluster whose control plane already runs the target goes straight to the workers', () => {
    const snapshot = plainCluster({ version: 'v1.32.1', workerVersion: 'v1.30.2' });
    expect(walk(snapshot, 'v1.32.1')).toEqual(['c1-md-0→v1.32.1']);
  });

  it('an up-to-date cluster is done', () => {
    expect(
      nextPlainUpgradeAction(plainCluster({ version: 'v1.30.2' }), { version: 'v1.30.2', concurrency: 1 }),
    ).toEqual({ kind: 'Done' });
  });
});
