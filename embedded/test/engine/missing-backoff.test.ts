import { describe, expect, it } from 'vitest';
import {
  MISSING_RETRY_MAX_MS,
  MISSING_RETRY_MIN_MS,
  MissingBackoff,
} from '../../controllers/missing-backoff.ts';

describe('waiting for a referenced object that does not exist', () => {
  it('waits as long as the reference has been broken, from 2 s up to 5 min', () => {
    let now = 0;
    const backoff = new MissingBackoff(() => now);
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      const wait = backoff.retryMs('t');
      waits.push(wait);
      now += wait;
    }
    expect(waits.slice(0, 5)).toEqual([2_000, 2_000, 4_000, 8_000, 16_000]);
    expect(Math.max(...waits)).toBe(MISSING_RETRY_MAX_MS);
  });

  it('starts again from the shortest wait once the object was found, per reference', () => {
    let now = 0;
    const backoff = new MissingBackoff(() => now);
    backoff.retryMs('a');
    now = 60_000;
    expect(backoff.retryMs('a')).toBe(60_000);
    expect(backoff.retryMs('b')).toBe(MISSING_RETRY_MIN_MS);
    backoff.found('a');
    expect(backoff.retryMs('a')).toBe(MISSING_RETRY_MIN_MS);
  });
});
