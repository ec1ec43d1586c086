import { describe, expect, it } from 'vitest';
import type { ObjectAddress } from '../../../src/capi/views.ts';
import { fleetUpgradeOperation, fleetWaves } from '../../../src/provisioning/fleet-upgrade-operation.ts';
import type { OperationRecord } from '../../../src/provisioning/operations/operation-record.ts';

const cluster = (mc: string, name: string): ObjectAddress => ({
  managementCluster: mc,
  group: 'cluster.x-k8s.io',
  kind: 'Cluster',
  namespace: 'default',
  name,
});
const names = (waves: ObjectAddress[][]) =>
  waves.map((w) => w.map((c) => `${c.managementCluster}/${c.name}`));

describe('fleetWaves', () => {
  const fleet = [cluster('b', 'x'), cluster('a', 'z'), cluster('a', 'y'), cluster('b', 'w')];

  it('canaries first, then the rest sorted, maxConcurrency at a time', () => {
    expect(names(fleetWaves(fleet, [cluster('b', 'w')], 2))).toEqual([['b/w'], ['a/y', 'a/z'], ['b/x']]);
  });

  it('without canaries the first wave is an ordinary one', () => {
    expect(names(fleetWaves(fleet, [], 3))).toEqual([['a/y', 'a/z', 'b/w'], ['b/x']]);
  });
});

describe('the UpgradeClusters operation', () => {
  it('one step per wave, with a soak step between waves when asked for', () => {
    const op = (soakSeconds: number) =>
      ({
        input: { version: 'v1.33.2', waves: [[cluster('a', 'y')], [cluster('a', 'z')]], soakSeconds },
      }) as unknown as OperationRecord;
    expect(fleetUpgradeOperation.steps(op(0)).map((s) => s.name)).toEqual(['wave-1', 'wave-2']);
    expect(fleetUpgradeOperation.steps(op(30)).map((s) => s.name)).toEqual([
      'wave-1',
      'soak-after-wave-1',
      'wave-2',
    ]);
  });
});
