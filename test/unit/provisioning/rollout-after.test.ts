import { describe, expect, it } from 'vitest';
import { machinesBefore, rolloutMoment } from '../../../src/provisioning/rollout-after.ts';
import { machine } from './snapshot-fixtures.ts';

const at = (created: string) => ({ ...machine('m', 'v1.33.1'), createdAt: created });

describe('rolloutMoment', () => {
  it('is the current whole second when every machine is older', () => {
    expect(rolloutMoment(new Date('2026-01-01T10:00:05.700Z'), [at('2026-01-01T10:00:04Z')])).toBe(
      '2026-01-01T10:00:05Z',
    );
  });

  it('is the next second when a machine was created within this one, so it still counts as old', () => {
    const machines = [at('2026-01-01T10:00:05Z')];
    const after = rolloutMoment(new Date('2026-01-01T10:00:05.700Z'), machines);
    expect(after).toBe('2026-01-01T10:00:06Z');
    expect(machinesBefore(machines, after)).toHaveLength(1);
  });

  it('machines created for the rollout are never old', () => {
    const after = rolloutMoment(new Date('2026-01-01T10:00:05.700Z'), [at('2026-01-01T10:00:01Z')]);
    expect(
      machinesBefore([at('2026-01-01T10:00:05Z'), at('2026-01-01T10:00:01Z')], after).map((m) => m.createdAt),
    ).toEqual(['2026-01-01T10:00:01Z']);
  });
});
