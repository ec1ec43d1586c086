import type { LatestQueue } from './latest-queue.ts';

/** What a message turns into: values to send (maybe none), or the end of the stream. */
export type Step<V> = readonly V[] | 'end';

/**
 * A subscription's stream: `initial` values, then each queued message turned into values by
 * `step`. Hand-written rather than an async generator: a generator waiting for its next
 * message cannot be returned (return() queues behind the pending next()), so a client that
 * leaves while nothing happens would leave its listener behind; here return() unsubscribes at
 * once.
 */
export function streamOf<M, V>(
  queue: LatestQueue<M>,
  initial: readonly V[],
  step: (message: M) => Step<V>,
): AsyncIterableIterator<V> {
  const out: V[] = [...initial];
  let ended = false;
  const end = (): Promise<IteratorResult<V>> => {
    ended = true;
    out.length = 0;
    void queue.return?.();
    return Promise.resolve({ value: undefined, done: true });
  };
  const stream: AsyncIterableIterator<V> = {
    async next() {
      for (;;) {
        if (out.length > 0) return { value: out.shift() as V, done: false };
        if (ended) return { value: undefined, done: true };
        let message: IteratorResult<M>;
        try {
          message = await queue.next();
        } catch (err) {
          await end();
          throw err;
        }
        if (message.done) return end();
        let values: Step<V>;
        try {
          values = step(message.value);
        } catch (err) {
          await end();
          throw err;
        }
        if (values === 'end') return end();
        out.push(...values);
      }
    },
    return: end,
    async throw(error?: unknown) {
      await end();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return stream;
    },
  };
  return stream;
}
