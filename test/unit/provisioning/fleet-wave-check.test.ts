import { describe, expect, it } from 'vitest';
import type { ObjectAddress } from '../../../src/capi/views.ts';
import { fleetUpgradeOperation } from '../../../src/provisioning/fleet-upgrade-operation.ts';
import type {
  OperationPhase,
  OperationRecord,
} from '../../../src/provisioning/operations/operation-record.ts';
import type { StepContext, StepOutcome } from '../../../src/provisioning/operations/operation-type.ts';
import { plainCluster } from './snapshot-fixtures.ts';

const parent = {
  managementCluster: 'mc',
  group: 'capi-gateway.dev',
  kind: 'Operation',
  namespace: 'team-a',
  name: 'fleet',
};
const cluster = (name: string): ObjectAddress => ({
  ...plainCluster({ version: 'v1.33.1' }).cluster.address,
  name,
});

/** The wave-1 check over children in the given phases (every child exists, every cluster Available). */
function checkWave(
  phases: OperationPhase[],
  policy: 'ABORT' | 'CONTINUE',
  startedSecondsAgo = 1,
): Promise<StepOutcome> {
  const clusters = phases.map((_, i) => cluster(`c${i}`));
  const operation = {
    address: parent,
    input: { version: 'v1.33.2', waves: [clusters], onWaveFailure: policy, waveTimeoutSeconds: 60 },
  } as unknown as OperationRecord;
  const now = Date.parse('2026-01-01T00:10:00Z');
  const ctx = {
    operation,
    step: {
      name: 'wave-1',
      phase: 'RUNNING',
      startedAt: new Date(now - startedSecondsAgo * 1000).toISOString(),
    },
    reader: { get: (a: ObjectAddress) => ({ ...plainCluster({ version: 'v1.33.2' }).cluster, address: a }) },
    operations: {
      get: (a: ObjectAddress) => {
        const i = Number(a.name.split('-').pop());
        return {
          status: { phase: phases[i], error: phases[i] === 'FAILED' ? 'boom' : undefined },
        } as unknown as OperationRecord;
      },
    },
    now: () => new Date(now),
  } as unknown as StepContext;
  return Promise.resolve(fleetUpgradeOperation.steps(operation)[0]!.check(ctx));
}

describe('a wave of a fleet upgrade', () => {
  it('waits while children run, reporting how many clusters are done', async () => {
    expect(await checkWave(['SUCCEEDED', 'RUNNING'], 'ABORT')).toMatchObject({
      state: 'waiting',
      message: '1 of 2 clusters upgraded',
      progress: 0.5,
    });
  });

  it('is done when every child succeeded and every cluster is Available', async () => {
    expect(await checkWave(['SUCCEEDED', 'SUCCEEDED'], 'ABORT')).toMatchObject({ state: 'done' });
  });

  it('a failed child fails the wave under ABORT, and is passed over under CONTINUE', async () => {
    expect(await checkWave(['SUCCEEDED', 'FAILED'], 'ABORT')).toMatchObject({
      state: 'failed',
      message: expect.stringContaining('the next waves do not start'),
    });
    expect(await checkWave(['SUCCEEDED', 'FAILED'], 'CONTINUE')).toMatchObject({
      state: 'done',
      message: expect.stringContaining('continuing'),
    });
  });

  it('a wave past its timeout has failed', async () => {
    expect(await checkWave(['SUCCEEDED', 'RUNNING'], 'ABORT', 61)).toMatchObject({
      state: 'failed',
      message: expect.stringContaining('did not finish within 60s'),
    });
  });
});
