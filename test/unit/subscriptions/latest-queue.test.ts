import { describe, expect, it } from 'vitest';
import { latestQueue } from '../../../src/subscriptions/latest-queue.ts';

describe('a subscription buffer', () => {
  it('keeps at most its capacity: intermediate values are dropped, the latest is kept', async () => {
    const q = latestQueue<number>(2, () => undefined);
    for (let i = 1; i <= 100; i++) q.push(i);
    expect(q.dropped).toBe(98);
    expect((await q.next()).value).toBe(1);
    expect((await q.next()).value).toBe(100);
  });

  it('return() while the reader waits ends the reader and unsubscribes once', async () => {
    let unsubscribed = 0;
    const q = latestQueue<number>(2, () => unsubscribed++);
    const waiting = q.next();
    await q.return!();
    await q.return!();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(unsubscribed).toBe(1);
    q.push(1);
    expect((await q.next()).done).toBe(true);
  });

  it('close(error) rejects the waiting reader', async () => {
    const q = latestQueue<number>(2, () => undefined);
    const waiting = q.next();
    q.close(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
  });
});
