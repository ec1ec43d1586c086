import { describe, expect, it } from 'vitest';
import {
  controlPlaneRolledOut,
  replicasSettled,
  workerPoolRolledOut,
} from '../../../src/provisioning/rollout-state.ts';
import { counters, machine, machineDeployment, plainCluster, withCondition } from './snapshot-fixtures.ts';

describe('controlPlaneRolledOut', () => {
  it('done once every machine runs the version (or newer), replicas settled, Available', () => {
    const s = plainCluster({ version: 'v1.31.0' });
    expect(controlPlaneRolledOut(s.controlPlane, s.controlPlaneMachines, 'v1.31.0')).toEqual({
      done: true,
      waitingFor: '',
    });
    // A later minor reached by a chained topology upgrade has passed through this one.
    expect(controlPlaneRolledOut(s.controlPlane, s.controlPlaneMachines, 'v1.30.4').done).toBe(true);
  });

  it('waits while the control plane asks for an older version (a stale cache right after the write)', () => {
    const s = plainCluster({ version: 'v1.30.2' });
    expect(controlPlaneRolledOut(s.controlPlane, s.controlPlaneMachines, 'v1.31.0')).toEqual({
      done: false,
      waitingFor: 'the control plane to ask for v1.31.0',
    });
  });

  it('waits for machines still on the old version, for missing replicas and for Available', () => {
    const s = plainCluster({ version: 'v1.30.2' });
    const cp = { ...s.controlPlane!, version: 'v1.30.3' };
    const mixed = [machine('new', 'v1.30.3', true), ...s.controlPlaneMachines.slice(1)];
    expect(controlPlaneRolledOut(cp, mixed, 'v1.30.3').waitingFor).toBe(
      '2 control-plane machine(s) still on v1.30.2',
    );
    const upgraded = mixed.map((m) => machine(m.address.name, 'v1.30.3', true));
    expect(controlPlaneRolledOut(cp, upgraded.slice(0, 2), 'v1.30.3').waitingFor).toContain(
      '2 of 3 machines',
    );
    const unavailable = withCondition(cp, { type: 'Available', status: 'False' });
    expect(controlPlaneRolledOut(unavailable, upgraded, 'v1.30.3').waitingFor).toBe(
      'the control plane to be Available',
    );
    const notUpToDate = { ...cp, ...counters(3), upToDate: 2 };
    expect(controlPlaneRolledOut(notUpToDate, upgraded, 'v1.30.3').waitingFor).toContain(
      '2 of 3 replicas up to date',
    );
  });
});

describe('workerPoolRolledOut', () => {
  it('waits until the pool asks for the version and every machine runs it', () => {
    const old = machineDeployment('a', 'v1.30.2', 2);
    expect(workerPoolRolledOut(old.view, old.machines, 'v1.30.3').waitingFor).toBe('a to ask for v1.30.3');
    const asked = { ...old.view, version: 'v1.30.3' };
    expect(workerPoolRolledOut(asked, old.machines, 'v1.30.3').waitingFor).toBe(
      '2 machine(s) of a still on v1.30.2',
    );
    const done = machineDeployment('a', 'v1.30.3', 2);
    expect(workerPoolRolledOut(done.view, done.machines, 'v1.30.3').done).toBe(true);
  });

  it('a pool scaled to zero is rolled out as soon as it asks for the version', () => {
    const empty = machineDeployment('a', 'v1.30.3', 0);
    expect(workerPoolRolledOut(empty.view, [], 'v1.30.3').done).toBe(true);
  });
});

describe('replicasSettled', () => {
  it('counts live machines, and counters where there are no Machine objects', () => {
    const md = machineDeployment('a', 'v1.30.3', 2);
    expect(replicasSettled(md.view, 2, md.machines).done).toBe(true);
    expect(replicasSettled(md.view, 3, md.machines).waitingFor).toContain('2 of 3 machines');
    const leaving = [{ ...md.machines[0]!, deletionTimestamp: '2026-01-01T00:00:00Z' }, md.machines[1]!];
    expect(replicasSettled(md.view, 2, leaving).waitingFor).toContain('1 being deleted');
    expect(replicasSettled({ ...counters(2), ready: 1 }, 2, null).waitingFor).toBe('1 of 2 replicas ready');
  });
});
