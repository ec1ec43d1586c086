import { describe, expect, it } from 'vitest';
import type { OperationRecord } from '../../../src/provisioning/operations/operation-record.ts';
import { planUpgrade } from '../../../src/provisioning/plan-upgrade.ts';
import { batchOf, upgradeInput, upgradeOperation } from '../../../src/provisioning/upgrade-operation.ts';
import { plainCluster, topologyCluster } from './snapshot-fixtures.ts';

function operationFor(input: Record<string, unknown>): OperationRecord {
  return { input } as unknown as OperationRecord;
}

function planned(snapshot: ReturnType<typeof plainCluster>, version: string, concurrency = 1) {
  const result = planUpgrade(snapshot, version);
  if (!result.ok) throw new Error(result.error.message);
  return upgradeInput(result.plan, 'uid-1', concurrency);
}

describe('the UpgradeCluster operation', () => {
  it('has the plan’s steps; a topology cluster first sets spec.topology.version', () => {
    const plain = planned(plainCluster({ version: 'v1.30.2' }), 'v1.32.0');
    expect(
      upgradeOperation.steps(operationFor({ ...plain })).map((s) => [s.name, s.act !== undefined]),
    ).toEqual([
      ['control-plane/v1.31', true],
      ['control-plane/v1.32', true],
      ['machine-deployment/c1-md-0', true],
    ]);
    const topology = planned(topologyCluster({ version: 'v1.30.2' }), 'v1.31.0');
    expect(
      upgradeOperation.steps(operationFor({ ...topology })).map((s) => [s.name, s.act !== undefined]),
    ).toEqual([
      ['topology-version', true],
      ['control-plane/v1.31', false],
      ['machine-deployment/c1-md-0', false],
    ]);
  });

  it('the same input gives the same steps (a resumed driver finds its place by name)', () => {
    const input = planned(plainCluster({ version: 'v1.30.2' }), 'v1.31.0');
    const names = () =>
      upgradeOperation.steps(operationFor(JSON.parse(JSON.stringify(input)))).map((s) => s.name);
    expect(names()).toEqual(names());
  });

  it('a pool step writes its pool and the next ones up to the concurrency', () => {
    const input = planned(plainCluster({ version: 'v1.30.2', deployments: ['a', 'b', 'c'] }), 'v1.30.3', 2);
    const pools = input.steps.filter((s) => s.kind !== 'ControlPlane');
    expect(batchOf(input, pools[0]!).map((s) => s.target.name)).toEqual(['a', 'b']);
    expect(batchOf(input, pools[2]!).map((s) => s.target.name)).toEqual(['c']);
  });
});
